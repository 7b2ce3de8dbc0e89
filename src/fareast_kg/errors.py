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


class NotAcceptable(FarEastError):
    status = 406


class UnsupportedMediaType(FarEastError):
    status = 415


class NotFound(FarEastError):
    status = 404


class QueryTimeout(FarEastError):
    status = 503
