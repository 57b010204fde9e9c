"""What the use cases raise; the API renders each as an RFC 9457 problem."""

from __future__ import annotations


class DomainError(Exception):
    """Base of the errors a client can cause; never a 500."""

    status = 400
    slug = "bad-request"
    title = "Bad request"
    # Changes made before the error are kept (a failed log-in still counts).
    preserve_changes = False

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    status = 404
    slug = "not-found"
    title = "Not found"

    def __init__(self, resource: str) -> None:
        super().__init__(f"No {resource} with that id in this account.")


class InvalidField(DomainError):
    """A field that is well-formed but not acceptable (unknown reference, bad transition)."""

    status = 422
    slug = "validation-error"
    title = "Your request is not valid"

    def __init__(self, field: str, message: str, *, location: str = "body") -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.location = location


class Conflict(DomainError):
    status = 409
    slug = "conflict"
    title = "Conflict"


class PreconditionFailed(DomainError):
    status = 412
    slug = "precondition-failed"
    title = "The resource has changed"

    def __init__(self) -> None:
        super().__init__("If-Match does not match the current ETag; fetch it again and retry.")


class Unauthorized(DomainError):
    status = 401
    slug = "unauthorized"
    title = "Unauthorized"
    preserve_changes = True


class Forbidden(DomainError):
    status = 403
    slug = "forbidden"
    title = "Forbidden"


class TooManyRequests(DomainError):
    status = 429
    slug = "too-many-requests"
    title = "Too many requests"
    preserve_changes = True

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
