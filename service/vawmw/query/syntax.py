"""Readable syntax errors, and the order of ``SELECT *``'s variables.

Oxigraph's parser reports ``error at L:C: expected …`` where the expected list is the PEG's
set of alternatives: character classes spelled as Unicode ranges, ``[_]`` for "any character",
and ``Prefix not found`` for an undefined prefix. :func:`readable` turns that into one line in
words (``line 1, column 21: undefined prefix rdfs:``) followed by the offending line and a caret
under the problem. It reads the query once more with the guard's tokenizer
(:func:`vawmw.query.guard.read_query`), which tells where the brackets stop balancing and where
the query form is: every step is linear in the size of the query, and the excerpt is a window
of bounded width around the column, however long the line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from vawmw.query.guard import QUERY_FORMS, Scan, read_query

__all__ = ["readable", "star_order"]

_POSITION: Final = re.compile(r"error at (\d+):(\d+): expected (.*)", re.DOTALL)
# An alternative worth showing: a quoted token ("{") or a keyword (OPTIONAL), not a character
# class (['A'..='Z' | …]) nor "any character" ([_]).
_SHOWN: Final = re.compile(r'"(?:[^"\\]|\\.)*"|[A-Za-z][A-Za-z0-9_]*')
_PN_CHARS: Final = re.compile(r"[\w.\-\u00b7\u0300-\u036f\u203f-\u2040]")
_WIDTH: Final = 60  # characters of the offending line shown on each side of the caret
_MAX_ALTERNATIVES: Final = 8
_NO_FORM: Final = "the query has declarations only: SELECT, ASK, CONSTRUCT or DESCRIBE is missing"
_PROLOGUE: Final = frozenset({"BASE", "PREFIX", *QUERY_FORMS})


@dataclass(frozen=True)
class _Problem:
    offset: int  # where the caret goes (a character offset into the query)
    words: str  # the problem in words


def readable(message: str, query: str) -> str:
    """One line (position and problem) and the offending line with a caret under the problem;
    a message that carries no position is returned as it is."""
    match = _POSITION.fullmatch(message.strip())
    if match is None:
        return message
    line, column, expected = int(match[1]), int(match[2]), match[3]
    starts = _line_starts(query)
    offset = _offset(starts, line, column, len(query))
    problem = _problem(query, offset, expected)
    line, column = _position(starts, problem.offset)
    return f"line {line}, column {column}: {problem.words}\n{_excerpt(query, starts, line, column)}"


def star_order(query: str, variables: Sequence[str]) -> list[str] | None:
    """For a ``SELECT *`` query, its ``variables`` in the order they first appear in the text
    (as Jena, Virtuoso and Wikidata list them); None for any other query."""
    scan = read_query(query)[0]
    if not scan.select_star:
        return None
    given = set(variables)
    ordered = [name for name in scan.variables if name in given]
    seen = set(ordered)
    return ordered + [name for name in variables if name not in seen]


def _line_starts(text: str) -> list[int]:
    """The offset where each line starts (lines end at \\n, as the parser counts them)."""
    starts = [0]
    index = text.find("\n")
    while index >= 0:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


def _offset(starts: list[int], line: int, column: int, size: int) -> int:
    if not 1 <= line <= len(starts):
        return size
    return min(starts[line - 1] + max(column, 1) - 1, size)


def _position(starts: list[int], offset: int) -> tuple[int, int]:
    """(line, column), both from 1, of a character offset."""
    low, high = 0, len(starts) - 1
    while low < high:  # the last line starting at or before offset
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low + 1, offset - starts[low] + 1


def _problem(query: str, offset: int, expected: str) -> _Problem:
    scan = read_query(query)[0]
    if scan.first_word is None:
        declared = any(word in query.upper() for word in ("PREFIX", "BASE"))
        return _Problem(len(query), _NO_FORM if declared else "the query is empty")
    if "Prefix not found" in expected:
        return _undefined_prefix(query, offset)
    if scan.stray_close_at is not None:
        return _Problem(scan.stray_close_at, f"'{query[scan.stray_close_at]}' closes nothing")
    # An unterminated string swallows the rest of the query, brackets included: the parser
    # then expects the string's end, and the string's opening quote is the real problem.
    quote = _unclosed_quote(expected)
    if quote and query[offset:].strip() == "" and query.rfind(quote, 0, offset) >= 0:
        return _Problem(query.rfind(quote, 0, offset), "this string is never closed")
    if scan.unclosed_at is not None and query[offset:].strip() == "":
        opener = query[scan.unclosed_at]
        return _Problem(scan.unclosed_at, f"'{opener}' is never closed")
    if not _known_start(scan):
        return _Problem(scan.first_at or 0, _bad_start(scan.first_word))
    if "IRI parsing failed" in expected:
        return _Problem(_iri_start(query, offset), "invalid IRI")
    return _Problem(offset, _expected(expected, at_end=query[offset:].strip() == ""))


def _unclosed_quote(expected: str) -> str:
    """The quote the parser waits for, when it stopped inside a string; else ''."""
    for quote in ('"', "'"):
        # Inside a string the parser expects its closing quote first, then an escape.
        if expected.startswith(f'one of "{chr(92) if quote == chr(34) else ""}{quote}", "'):
            return quote
    return ""


def _known_start(scan: Scan) -> bool:
    word = scan.first_word or ""
    return word in QUERY_FORMS


def _bad_start(word: str | None) -> str:
    return (
        f"a query starts with SELECT, ASK, CONSTRUCT or DESCRIBE (after any BASE and PREFIX "
        f"declarations), not {word}"
    )


def _undefined_prefix(query: str, offset: int) -> _Problem:
    """The parser stops after the prefixed name: walk back to its start."""
    colon = query.rfind(":", 0, offset)
    start = colon
    while start > 0 and _PN_CHARS.fullmatch(query[start - 1]):
        start -= 1
    if colon < 0:
        return _Problem(offset, "undefined prefix")
    return _Problem(start, f"undefined prefix {query[start : colon + 1]}")


def _iri_start(query: str, offset: int) -> int:
    start = query.rfind("<", 0, offset)
    return start if start >= 0 else offset


def _expected(expected: str, *, at_end: bool) -> str:
    """The parser's alternatives without character classes; at the end of the text, say so."""
    shown = _SHOWN.findall(_without_classes(expected.removeprefix("one of ")))
    alternatives = list(dict.fromkeys(shown))
    where = "the query is incomplete" if at_end else "syntax error"
    if not alternatives:
        return where if at_end else "syntax error: unexpected text here"
    if set(alternatives) <= _PROLOGUE:
        return f"{where}: expected a PREFIX or BASE declaration, or the query form"
    listed = ", ".join(alternatives[:_MAX_ALTERNATIVES])
    more = ", …" if len(alternatives) > _MAX_ALTERNATIVES else ""
    return f"{where}: expected {'one of ' if len(alternatives) > 1 else ''}{listed}{more}"


def _without_classes(expected: str) -> str:
    """The expected list with every bracketed character class removed (one linear pass)."""
    kept: list[str] = []
    depth = 0
    quoted = escaped = False
    for char in expected:
        if quoted:
            escaped, quoted = (False, True) if escaped else (char == "\\", char != '"')
        elif char == "[":
            depth += 1
        elif char == "]" and depth:
            depth -= 1
            continue
        elif depth == 0:
            quoted = char == '"'
        if depth == 0:
            kept.append(char)
    return "".join(kept)


def _excerpt(query: str, starts: list[int], line: int, column: int) -> str:
    """The offending line (a window of it around the column) and a caret under the column."""
    begin = starts[line - 1]
    end = starts[line] - 1 if line < len(starts) else len(query)
    text = query[begin:end].rstrip("\r").replace("\t", " ")
    left = max(column - 1 - _WIDTH, 0)
    right = min(column - 1 + _WIDTH, len(text))
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(text) else ""
    shown = f"{prefix}{text[left:right]}{suffix}"
    return f"  {shown}\n  {' ' * (len(prefix) + column - 1 - left)}^"
