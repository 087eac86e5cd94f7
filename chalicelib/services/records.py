"""The person's contribution records, read as the two views of the contract."""
from __future__ import annotations

from chalicelib.domain.errors import InvalidValue
from chalicelib.domain.ports import Registry
from chalicelib.domain.service_days import history_view, wages_view


class RecordsService:
    def __init__(self, *, registry: Registry):
        self.registry = registry

    def history(self, national_code: str) -> dict:
        _, contributions = self.registry.career(national_code)
        return {"national_code": national_code, **history_view(contributions)}

    def wages(self, national_code: str, year: int | None) -> dict:
        if year is not None and not 1300 <= year <= 1500:
            raise InvalidValue("The year must be a Jalali year such as 1402.", code="invalid_year")
        _, contributions = self.registry.career(national_code)
        return {"national_code": national_code, **wages_view(contributions, year)}
