"""Who is calling: the insured person or the staff member named by the bearer token's open session.

Imports stay inside the functions: every route module imports this one, and `import app` stays light."""
from __future__ import annotations


def insured(request):
    """The insured person's Principal; 401 without a valid open session, 403 for a staff token."""
    return _caller(request, "insured")


def staff(request):
    return _caller(request, "staff")


def _caller(request, role: str):
    from chalicelib.bootstrap import services
    from chalicelib.http.parsing import bearer_token

    return services().accounts.authenticate(bearer_token(request), role)
