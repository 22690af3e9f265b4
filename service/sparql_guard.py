"""Checks on a SPARQL request's text before it reaches the query engine.

pyoxigraph evaluates ``SERVICE`` by fetching the remote endpoint over HTTP, so federated
queries must be refused here: the service must never be turned into an HTTP client. SPARQL
allows ``\\uXXXX`` / ``\\UXXXXXXXX`` code point escapes anywhere in a query (they are decoded
before parsing), so the text is tokenized both as sent and with the escapes decoded, and a
``SERVICE`` keyword in either is refused. ``FROM`` / ``FROM NAMED`` are harmless (pyoxigraph
never fetches them: they only select graphs the store holds, an unknown graph is empty) but are
reported, because the caller must then not ask for the union default graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

UPDATE_KEYWORDS: Final = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH", "USING"}
)
QUERY_FORMS: Final = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
_OPEN: Final = frozenset("{([")
_CLOSE: Final = frozenset("})]")

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)
              |\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)
              |'(?:[^'\\\n\r]|\\.)*(?:'|$)
              |"(?:[^"\\\n\r]|\\.)*(?:"|$))
  | (?P<var>[?$][^\s{}()\[\].,;'"<>=!&|+*/^#-]*)
  | (?P<word>(?:[^\W\d][\w.\-]*)?:[\w.\-:%\\]*|_:[\w.\-]*|[^\W\d]\w*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class GuardError(Exception):
    """A request refused before execution; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class QueryCheck:
    """What the guard learnt about an accepted query."""

    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE; None if the text is not recognizable
    has_dataset_clause: bool  # FROM / FROM NAMED present


def decode_codepoint_escapes(text: str) -> str:
    r"""Replace SPARQL ``\uXXXX`` and ``\UXXXXXXXX`` escapes by the characters they denote."""

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return "\ufffd"
        return chr(code)

    return _ESCAPE.sub(replace, text)


def tokens(text: str) -> list[tuple[str, str]]:
    """A lenient SPARQL tokenization: (kind, text) pairs without whitespace and comments."""
    result: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        result.append((kind, match.group()))
    return result


def _keywords(toks: list[tuple[str, str]]) -> list[str]:
    return [value.upper() for kind, value in toks if kind == "word" and ":" not in value]


def _depth(toks: list[tuple[str, str]]) -> int:
    depth = deepest = 0
    for kind, value in toks:
        if kind != "other":
            continue
        if value in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif value in _CLOSE:
            depth = max(depth - 1, 0)
    return deepest


def _form(toks: list[tuple[str, str]]) -> str | None:
    """The first keyword after the prologue (BASE / PREFIX declarations)."""
    i = 0
    while i < len(toks):
        kind, value = toks[i]
        upper = value.upper()
        if kind == "word" and upper == "BASE":
            i += 2
        elif kind == "word" and upper == "PREFIX":
            i += 3
        elif kind == "word":
            return upper
        else:
            return None
    return None


def check_query(text: str, *, max_nesting: int = 200) -> QueryCheck:
    """Refuse updates (403), federation (400) and deep nesting (400); describe the query."""
    raw = tokens(text)
    decoded_text = decode_codepoint_escapes(text)
    decoded = raw if decoded_text == text else tokens(decoded_text)
    keywords = set(_keywords(raw)) | set(_keywords(decoded))
    first = _form(decoded)
    if first in UPDATE_KEYWORDS or keywords & (UPDATE_KEYWORDS - {"WITH", "USING"}):
        raise GuardError(403, "this service is read-only: SPARQL Update is not accepted")
    if "SERVICE" in keywords:
        raise GuardError(400, "federated queries (SERVICE) are not supported by this service")
    depth = max(_depth(raw), _depth(decoded))
    if depth > max_nesting:
        raise GuardError(400, f"query nesting depth {depth} exceeds the limit of {max_nesting}")
    form = first if first in QUERY_FORMS else None
    return QueryCheck(form=form, has_dataset_clause="FROM" in keywords)


def check_update(text: str) -> None:
    """Any update request is refused: the service is read-only."""
    del text
    raise GuardError(403, "this service is read-only: SPARQL Update is not accepted")
