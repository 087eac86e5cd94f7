"""The table names a deployment uses, read from settings once."""
from __future__ import annotations

from dataclasses import dataclass

EXPIRY_INDEX = "by_expiry"
TTL_ATTRIBUTE = "expires_at_epoch"


@dataclass(frozen=True)
class Tables:
    users: str
    records: str
    requests: str
    grants: str
    activity: str
    throttles: str

    @classmethod
    def from_settings(cls, settings) -> "Tables":
        return cls(settings.users_table, settings.records_table, settings.requests_table, settings.grants_table,
                   settings.activity_table, settings.throttles_table)
