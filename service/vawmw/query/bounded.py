"""Which jobs provably cannot run long: a bound on their work, computed from the store's degrees.

The HTTP process may evaluate a job itself only when the job's work is bounded by a small number
known before it runs (:mod:`vawmw.query.inprocess`); everything else goes to the killable worker
processes. The rule is structural, never a guess:

* :class:`Degrees`: the most quads any one subject has (``subject``) and the most any one object
  has (``object``), over every graph of the store, measured once when the store is opened.
* A query qualifies when its text is, token for token, in a small subset of SPARQL: a prologue
  of ``PREFIX`` declarations, ``SELECT [DISTINCT|REDUCED] vars|*`` or ``ASK``, any ``FROM`` /
  ``FROM NAMED``, one group of triple patterns (``;`` and ``,`` allowed), then ``LIMIT`` /
  ``OFFSET``. No FILTER, OPTIONAL, UNION, GRAPH, BIND, VALUES, paths, sub-queries, aggregates,
  ORDER BY, expressions or escapes: any token outside the subset sends the query to a worker.
  Each pattern must have a constant subject (it then matches at most ``subject`` quads, in
  any graph) or a constant object (at most ``object`` quads). The patterns' solutions, and
  every partial join of them, number at most the product of those bounds, so that product
  bounds the engine's work (each join step reads at most that many index entries). Whatever
  the constants are, the bound holds: it needs no resolution of prefixes or IRIs.
* A description (:class:`~vawmw.query.jobs.DescribeJob`) reads its own triples (at most
  ``subject``), its incoming links (at most ``incoming_limit`` plus its own), and the labels
  of the resources those name (each at most ``subject`` quads per label property).

A job runs in-process when its bound is at most :data:`vawmw.query.inprocess.INLINE_LIMIT`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Final

import pyoxigraph as ox

from vawmw.query.describe import LABELS
from vawmw.query.jobs import DescribeJob, Job, QueryJob

__all__ = ["Degrees", "job_bound", "measure_degrees", "query_bound"]

MAX_PATTERNS: Final = 8

# Each alternative is one character-class run, and a name, a number and a keyword are read as
# one run of name characters, classified afterwards: a run that fails one reading is never
# rescanned from each of its positions (the quadratic trap of issue 11's guard on ``a.a.a…``).
# Anything else (escapes, non-ASCII names, signed or decimal numbers, operators, parentheses)
# matches nothing. IRIs may hold any character an IRI may: the bound does not depend on which
# constant a pattern names.
_TOKEN: Final = re.compile(
    r"(?P<ws>[ \t\r\n]+)"
    r"|(?P<comment>#[^\r\n]*)"
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r"|(?P<var>[?$][A-Za-z0-9_]+)"
    r"|(?P<name>[A-Za-z0-9_.:-]+)"
    r'|(?P<string>"[^"\\\r\n]*"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*)?)'
    r"|(?P<punct>[{}.;,*])"
)
# A prefixed name as long as the grammar's (PN_PREFIX ':' PN_LOCAL, ASCII): ':' and '.' are name
# characters (':a:b:c' is one name) and a name does not end with '.'. Matched against one run
# from its start only, so it is linear in the run.
_PNAME: Final = re.compile(
    r"(?:[A-Za-z](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?:"
    r"(?:[A-Za-z0-9_:](?:[A-Za-z0-9_.:-]*[A-Za-z0-9_:-])?)?"
)
_INT: Final = re.compile(r"[0-9]+")
_WORD: Final = re.compile(r"[A-Za-z]+")
_CONSTANTS: Final = frozenset({"iri", "pname"})
_OBJECT_CONSTANTS: Final = frozenset({"iri", "pname", "string"})


@dataclass(frozen=True)
class Degrees:
    """The most quads one subject has, and the most one object has, in every graph."""

    subject: int
    object: int


_DEGREE: Final = (
    "SELECT (MAX(?n) AS ?max) {{ SELECT ?{0} (COUNT(*) AS ?n) {{ {{ ?s ?p ?o }} UNION "
    "{{ GRAPH ?g {{ ?s ?p ?o }} }} }} GROUP BY ?{0} }}"
)


def measure_degrees(store: ox.Store) -> Degrees:
    """The store's :class:`Degrees` (one aggregate pass over its quads per position)."""

    def most(position: str) -> int:
        result = store.query(_DEGREE.format(position))
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError("a SELECT query gave no solutions")
        for solution in result:
            value = solution["max"]
            return int(value.value) if isinstance(value, ox.Literal) else 0
        return 0

    return Degrees(subject=most("s"), object=most("o"))


Token = tuple[str, str]


def _tokens(text: str) -> list[Token] | None:
    """The text's tokens without blanks and comments; None when any character is unexpected."""
    out: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.lastgroup is None:
            return None
        kind, value = match.lastgroup, match.group()
        position = match.end()
        if kind == "name":
            named = _name_tokens(value)
            if named is None:
                return None
            out.extend(named)
        elif kind not in ("ws", "comment"):
            out.append((kind, value))
    return out


def _name_tokens(run: str) -> list[Token] | None:
    """A run of name characters as a prefixed name, a number or a keyword, and the '.'s ending
    it (``ex:o.`` ends a pattern), or None when it is none of them."""
    name = run.rstrip(".")
    dots = [("punct", ".")] * (len(run) - len(name))
    if not name:
        return dots
    if ":" in name:
        return [("pname", name), *dots] if _PNAME.fullmatch(name) else None
    if _INT.fullmatch(name):
        return [("int", name), *dots]
    if _WORD.fullmatch(name):
        return [("word", name if name == "a" else name.upper()), *dots]
    return None


class _Shape(Exception):
    """The query is outside the subset this module bounds."""


class _Reader:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self) -> Token:
        return self.tokens[self.at] if self.at < len(self.tokens) else ("end", "")

    def take(self, *kinds: str) -> Token:
        token = self.peek()
        if token[0] not in kinds:
            raise _Shape(token)
        self.at += 1
        return token

    def word(self, *words: str) -> bool:
        """Consume the next token when it is one of ``words``."""
        kind, value = self.peek()
        if kind == "word" and value in words:
            self.at += 1
            return True
        return False

    def punct(self, mark: str) -> bool:
        if self.peek() == ("punct", mark):
            self.at += 1
            return True
        return False


def _head(reader: _Reader) -> None:
    """Prologue, query form, projection and dataset clauses."""
    while reader.word("PREFIX"):
        prefix = reader.take("pname")[1]
        if not prefix.endswith(":"):
            raise _Shape(prefix)
        reader.take("iri")
    if reader.word("SELECT"):
        reader.word("DISTINCT", "REDUCED")
        if not reader.punct("*"):
            reader.take("var")
            while reader.peek()[0] == "var":
                reader.take("var")
    elif not reader.word("ASK"):
        raise _Shape(reader.peek())
    while reader.word("FROM"):
        reader.word("NAMED")
        reader.take("iri")
    reader.word("WHERE")


def _pattern_bound(subject: Token, obj: Token, degrees: Degrees) -> int:
    if subject[0] in _CONSTANTS:
        return degrees.subject
    if obj[0] in _OBJECT_CONSTANTS:
        return degrees.object
    raise _Shape((subject, obj))


def _patterns(reader: _Reader, degrees: Degrees) -> list[int]:
    """The bound of each triple pattern of the group, up to its closing brace."""
    bounds: list[int] = []
    if not reader.punct("{"):
        raise _Shape(reader.peek())
    while not reader.punct("}"):
        subject = reader.take("var", "iri", "pname")
        while True:
            verb = reader.peek()
            if verb[0] == "word" and verb[1] == "a":
                reader.at += 1
            else:
                reader.take("var", "iri", "pname")
            while True:
                obj = reader.take("var", "iri", "pname", "string")
                bounds.append(_pattern_bound(subject, obj, degrees))
                if not reader.punct(","):
                    break
            if not reader.punct(";") or reader.peek() in (("punct", "."), ("punct", "}")):
                break
        if not reader.punct(".") and reader.peek() != ("punct", "}"):
            raise _Shape(reader.peek())
        if len(bounds) > MAX_PATTERNS:
            raise _Shape("too many patterns")
    return bounds


def _modifiers(reader: _Reader) -> None:
    seen: set[str] = set()
    while reader.peek()[0] == "word" and reader.peek()[1] in ("LIMIT", "OFFSET"):
        word = reader.take("word")[1]
        if word in seen:
            raise _Shape(word)
        seen.add(word)
        reader.take("int")
    reader.take("end")


def query_bound(text: str, degrees: Degrees) -> int | None:
    """An upper bound on the quads evaluating ``text`` reads, or None when the query is not
    in the subset this module can bound (see the module docstring)."""
    tokens = _tokens(text)
    if tokens is None:
        return None
    reader = _Reader(tokens)
    try:
        _head(reader)
        bounds = _patterns(reader, degrees)
        _modifiers(reader)
    except _Shape:
        return None
    return math.prod(max(bound, 1) for bound in bounds)


def job_bound(job: Job, degrees: Degrees) -> int | None:
    """The work bound of a job (:func:`query_bound` for a query), or None when unbounded."""
    if isinstance(job, QueryJob):
        return query_bound(job.query, degrees)
    if isinstance(job, DescribeJob):
        own = degrees.subject
        linked = own + job.incoming_limit
        return own + (job.incoming_limit + own) + linked * len(LABELS) * degrees.subject
    return None
