"""Domain failures. Each carries the HTTP status the contract gives it, so handlers never guess."""
from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, code: str | None = None, **details):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details


class Malformed(DomainError):
    status = 400
    code = "malformed"


class InvalidValue(DomainError):
    status = 422
    code = "invalid_value"


class Unauthenticated(DomainError):
    status = 401
    code = "unauthenticated"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class TooLarge(DomainError):
    status = 413
    code = "too_large"


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported_media_type"


class Throttled(DomainError):
    status = 429
    code = "throttled"

    def __init__(self, message: str, retry_after: int, code: str | None = None):
        super().__init__(message, code)
        self.retry_after = max(1, int(retry_after))


class InProgress(Conflict):
    """The same request is still being handled: try again after `retry_after` seconds."""

    code = "request_in_progress"

    def __init__(self, message: str, retry_after: int):
        super().__init__(message, code="request_in_progress")
        self.retry_after = max(1, int(retry_after))


class Unavailable(DomainError):
    """A service we depend on did not answer: nothing was done, and the same request may be sent again later."""

    status = 503
    code = "unavailable"

    def __init__(self, message: str, retry_after: int = 30, code: str | None = None):
        super().__init__(message, code)
        self.retry_after = max(1, int(retry_after))
