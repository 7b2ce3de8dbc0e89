"""Canned queries as files: header parsing, parameter typing, job building, RDF publishing."""

from __future__ import annotations

from .header import CannedQuery, Registry, parse_query_file
from .params import Param

__all__ = ["CannedQuery", "Param", "Registry", "parse_query_file"]
