"""One family of errors, named after the situation a user is in.

Each error carries a short message meant for a person; the CLI turns it into an exit
code and the web layer into a status code. No Flask or rdflib here.
"""

from __future__ import annotations


class FarEastError(Exception):
    """Base class: ``str(error)`` is the whole message a user sees."""

    exit_code = 1
    status = 500


# ---- build

class SourceError(FarEastError):
    """An input file is missing or does not parse."""

    exit_code = 2


class ShapesViolation(FarEastError):
    """The data does not conform to the SHACL shapes."""

    exit_code = 3

    def __init__(self, violations: list[str]) -> None:
        self.violations = violations
        lines = "\n".join(f"  - {v}" for v in violations)
        super().__init__(f"the data does not conform to the shapes ({len(violations)} violations):\n{lines}")


class ReasoningError(FarEastError):
    """The OWL RL closure found an inconsistency."""

    exit_code = 4


class StoreError(FarEastError):
    """The store folder cannot be written, is locked, or holds no build."""

    exit_code = 5


# ---- serve

class BadRequest(FarEastError):
    status = 400


class BadQuery(BadRequest):
    """The query does not parse."""


class UpdateRefused(FarEastError):
    status = 403


class ServiceRefused(FarEastError):
    status = 403


class PayloadTooLarge(FarEastError):
    status = 413


class NotAcceptable(FarEastError):
    status = 406


class UnsupportedMediaType(FarEastError):
    status = 415


class NotFound(FarEastError):
    status = 404


class QueryTimeout(FarEastError):
    status = 503


class ServerBusy(FarEastError):
    """Every query slot is taken; the client should come back after ``retry_after`` seconds."""

    status = 503

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class MemoryLimit(FarEastError):
    """A query used more memory than one query may."""

    status = 503


class StoreUnavailable(FarEastError):
    """The built store is missing, deleted or unreadable while serving."""

    status = 503
    exit_code = 5


class PortInUse(FarEastError):
    """Another program already listens on the address the server should bind."""

    exit_code = 6


class EngineUnavailable(FarEastError):
    """The remote SPARQL engine is down, unreachable or failing; it answers again once it is back."""

    status = 502
    exit_code = 5
