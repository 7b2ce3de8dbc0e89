"""Parameter typing: each canned-query parameter declares a type, and a value a client
sends is checked against it before it becomes a term."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..errors import BadRequest
from ..namespaces import BASE, ID, PREFIXES
from ..sparql.terms import Term

TYPES = ("iri", "date", "year", "language", "string", "integer")
XSD = PREFIXES["xsd"]


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None = None
    many: bool = False
    description: str = ""

    def parse(self, raw: str) -> Term:
        """Validate one value against the declared type and return it as a term."""
        raw = raw.strip()
        kind = self.type
        try:
            if kind == "iri":
                iri = ID + raw[3:] if raw.startswith("id:") else raw
                if not iri.startswith(BASE) or not re.fullmatch(r"[A-Za-z0-9/_.#-]+", iri[len(BASE):]):
                    raise ValueError
                return ("iri", iri)
            if kind == "date":
                date.fromisoformat(raw)
                return ("literal", raw, XSD + "date", "")
            if kind == "year":
                if not re.fullmatch(r"\d{4}", raw):
                    raise ValueError
                return ("literal", raw, XSD + "gYear", "")
            if kind == "language":
                if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", raw):
                    raise ValueError
                return ("literal", raw.lower(), XSD + "string", "")
            if kind == "integer":
                return ("literal", str(int(raw)), XSD + "integer", "")
            return ("literal", raw, XSD + "string", "")
        except ValueError:
            expected = {
                "iri": f"an IRI in {ID} (or id:slug)",
                "date": "a date as YYYY-MM-DD",
                "year": "a year as YYYY",
                "language": "a language tag such as en or zh",
                "integer": "an integer",
            }.get(kind, kind)
            raise BadRequest(f"parameter {self.name}={raw!r} is not {expected}") from None

