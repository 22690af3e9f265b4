"""SPARQL JSON results as plain Python rows, for the server-rendered pages."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One RDF term of a solution: ``kind`` is ``uri``, ``literal`` or ``bnode``."""

    value: str
    kind: str = "literal"
    lang: str = ""
    datatype: str = ""

    def as_int(self, default: int = 0) -> int:
        try:
            return int(float(self.value))
        except ValueError:
            return default


Row = dict[str, Term]


def parse_select(body: bytes) -> tuple[list[str], list[Row]]:
    """The variables and rows of a SPARQL 1.1 JSON results document."""
    document = json.loads(body)
    variables = [str(v) for v in document.get("head", {}).get("vars", [])]
    rows: list[Row] = []
    for binding in document.get("results", {}).get("bindings", []):
        row: Row = {}
        for name, term in binding.items():
            row[str(name)] = Term(
                value=str(term.get("value", "")),
                kind=str(term.get("type", "literal")).replace("typed-literal", "literal"),
                lang=str(term.get("xml:lang", "")),
                datatype=str(term.get("datatype", "")),
            )
        rows.append(row)
    return variables, rows


def text(row: Row, name: str, default: str = "") -> str:
    """The value of ``name`` in ``row`` (``default`` when unbound)."""
    term = row.get(name)
    return term.value if term is not None else default


def number(row: Row, name: str, default: int = 0) -> int:
    term = row.get(name)
    return term.as_int(default) if term is not None else default
