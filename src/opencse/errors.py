"""The project's error hierarchy: pure, so rules, apps and delivery layers all import it.

A `DomainError` is the world's mistake (bad input, a refused request), never a bug, so it is never a
500 and never a traceback. The HTTP status of each class is set in `opencse.api.errors`; the CLI
exits 2 for every `DomainError` (design/rules-cli.md).
"""

from __future__ import annotations


class DomainError(Exception):
    """A request that the law or the case's state refuses."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def as_dict(self) -> dict[str, str | None]:
        return {"field": self.field, "message": self.message}


class InvalidInput(DomainError):
    """Input that is missing, malformed, or outside what the law allows (400)."""


class NotAuthorized(DomainError):
    """The acting user's role does not permit the action (403)."""


class NotFound(DomainError):
    """No such record, or none the viewer may see (404)."""


class Conflict(DomainError):
    """The current state forbids the request: a closed case, a duplicate (409)."""


class TooManyRequests(DomainError):
    """The user asked for a limited thing too often (429): wait, or ask a supervisor."""


class InvalidInputs(InvalidInput):
    """Several field errors found at once, reported together."""

    def __init__(self, errors: list[InvalidInput]) -> None:
        assert errors, "InvalidInputs needs at least one error"
        super().__init__(errors[0].message, field=errors[0].field)
        self.errors = errors

    def as_list(self) -> list[dict[str, str | None]]:
        return [error.as_dict() for error in self.errors]
