"""Who is calling: the insured person or the staff member named by the bearer token's open session."""
from __future__ import annotations

from chalicelib.bootstrap import services
from chalicelib.domain.model.accounts import Role
from chalicelib.domain.tokens import Principal
from chalicelib.http.parsing import bearer_token


def insured(request) -> Principal:
    """401 without a valid open session, 403 for a staff token."""
    return services().accounts.authenticate(bearer_token(request), Role.INSURED.value)


def staff(request) -> Principal:
    return services().accounts.authenticate(bearer_token(request), Role.STAFF.value)
