"""Checks on a SPARQL request's text before it reaches the query engine.

pyoxigraph evaluates ``SERVICE`` by fetching the remote endpoint over HTTP, so federated
queries must be refused here: the service must never be turned into an HTTP client. Updates are
refused (403) and deep nesting too (400). ``FROM`` / ``FROM NAMED`` are harmless (pyoxigraph
never fetches them: they only select graphs the store holds) but are reported, because the
caller must then not ask for the union default graph.

The check is a tokenizer written for this purpose: one forward pass over the characters,
linear in the length of the text (character-class runs matched once at a position, never a
backtracking pattern; :attr:`Scan.steps` counts the characters examined and the tests use it to
prove linearity). It follows the SPARQL 1.1 grammar (section 19.8): IRIs, the four string
forms with their escapes, comments ending at ``\\n`` or ``\\r``, prefixed names whose local
part holds ``%hh`` and ``\\`` escapes (``ex:a\\#`` is one name: its ``#`` starts no comment)
and does not end with ``.``, variables, blank nodes, numbers, language tags.

The text is read twice, both linearly: as sent (pyoxigraph and Oxigraph server know ``\\u``
escapes only inside strings and IRIs), and with ``\\uXXXX`` escapes decoded first, as the
specification says. A refusal in either reading refuses the query.

Oxigraph's parser is a PEG that differs from a plain tokenizer in ways that could hide a
``SERVICE`` from one, so the reading is conservative where they differ:

* keywords are matched without looking at what follows (``SERVICE?e``, ``true.SERVICE:x``),
  and a prefixed name is retried as its bare prefix (``ex:SERVICE`` may be ``ex:`` then
  ``SERVICE``): any name containing ``SERVICE`` counts when ``[SILENT] operand {`` follows it;
* ``<`` is an IRI or the less-than operator depending on the grammar: after an operand inside
  parentheses, an ``<…>`` that could be either is refused when the two readings would disagree
  about where a string or a comment starts, or about parentheses;
* a long string is retried as ``''`` when it is malformed, as Oxigraph does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

UPDATE_KEYWORDS: Final = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH", "USING"}
)
QUERY_FORMS: Final = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

_PN_CHARS_BASE: Final = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U: Final = _PN_CHARS_BASE + "_"
_PN_CHARS: Final = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"

# Anchored character-class runs, each matched once at a position: linear by construction.
_WS: Final = re.compile(r"[ \t\r\n]*")
_LINE: Final = re.compile(r"[^\r\n]*")
_IRI_CHARS: Final = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')
_NAME_START: Final = re.compile(f"[{_PN_CHARS_U}]")
_NAME_RUN: Final = re.compile(f"[{_PN_CHARS}.]*")
_LOCAL_FIRST: Final = re.compile(f"[{_PN_CHARS_U}:0-9]")
_LOCAL_RUN: Final = re.compile(f"[{_PN_CHARS}.:]*")
_VARNAME: Final = re.compile(f"[{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*")
_LETTERS: Final = re.compile(r"[A-Za-z]*")
_ALNUM: Final = re.compile(r"[A-Za-z0-9]*")
_DIGIT_RUN: Final = re.compile(r"[0-9]*")
_SHORT_BODY: Final = {"'": re.compile(r"[^'\\\n\r]*"), '"': re.compile(r'[^"\\\n\r]*')}
_LONG_BODY: Final = {"'": re.compile(r"[^'\\]*"), '"': re.compile(r'[^"\\]*')}

_DIGITS: Final = frozenset("0123456789")
_HEX: Final = frozenset("0123456789abcdefABCDEF")
_ECHAR: Final = frozenset("tbnrf\"'\\")
_LOCAL_ESC: Final = frozenset("_~.-!$&'()*+,;=/?#@%")
_OPERATORS: Final = frozenset("=!&|+-*/^>")
# Tokens after which '<' cannot be the less-than operator.
_NOT_OPERAND: Final = frozenset({"open", "brace", "comma", "op", "lt", "start"})
# Keywords whose operand may be followed by '{' without any SERVICE being involved.
_OPERAND_KEYWORDS: Final = frozenset({"GRAPH", "FROM", "NAMED", "DESCRIBE"})
_REPORTED_WORDS: Final = UPDATE_KEYWORDS | {"FROM"}


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


@dataclass
class Scan:
    """What one reading of a query's text found."""

    first_word: str | None = None  # the first keyword after the prologue, upper-cased
    words: set[str] = field(default_factory=set)  # update keywords and FROM met as words
    service_at: int | None = None  # offset of a SERVICE keyword
    ambiguous_at: str | None = None  # "line L, column C" of an '<' read two ways
    depth: int = 0  # deepest nesting of { ( [
    steps: int = 0  # characters examined: the measure of the work done
    # For readable syntax errors and SELECT * (vawmw.query.syntax): where the first keyword
    # after the prologue is, whether it projects '*', each variable in order of first
    # appearance, the first closing bracket without an opening one, the last unclosed one.
    first_at: int | None = None
    select_star: bool = False
    variables: dict[str, None] = field(default_factory=dict)
    stray_close_at: int | None = None
    unclosed_at: int | None = None


def _decode(text: str) -> tuple[str, int]:
    """The text with ``\\uXXXX`` / ``\\UXXXXXXXX`` decoded, and the steps taken."""
    parts: list[str] = []
    steps = i = 0
    while True:
        j = text.find("\\", i)
        if j < 0:
            parts.append(text[i:])
            return "".join(parts), steps + len(text) - i + 1
        steps += j - i + 1
        parts.append(text[i:j])
        size = {"u": 4, "U": 8}.get(text[j + 1 : j + 2], 0)
        digits = text[j + 2 : j + 2 + size]
        if size and len(digits) == size and all(c in _HEX for c in digits):
            code = int(digits, 16)
            valid = code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF
            parts.append(chr(code) if valid else "\ufffd")
            steps += size + 2
            i = j + 2 + size
        else:
            parts.append("\\")
            i = j + 1


def decode_codepoint_escapes(text: str) -> str:
    r"""Replace SPARQL ``\uXXXX`` and ``\UXXXXXXXX`` escapes by the characters they denote."""
    return _decode(text)[0]


class _Reader:
    """One linear reading of a query's text (see the module docstring)."""

    def __init__(self, text: str, *, uchar: bool) -> None:
        self.text = text
        self.n = len(text)
        self.uchar = uchar  # \u escapes are read inside strings and IRIs (pyoxigraph)
        self.pos = 0
        self.scan = Scan()
        self.stack: list[str] = []  # "{", "V" (VALUES block), "[", "E" (expression), "D" (data)
        self.prev = "start"  # kind of the previous token
        self.prev_word = ""  # the previous token when it was a bare word, upper-cased
        self.lt_run = 0  # adjacent '<' read as punctuation just before
        self.lt_expr = False  # the first of them could be the less-than operator
        self.lt_end = -1
        self.values_pending = False
        self.pending: list[tuple[int, int]] = []  # SERVICE candidates: (offset, state)
        self.head_skip = 0
        self.head_done = False
        self.projection_pending = False  # just after SELECT [DISTINCT | REDUCED]
        self.open_at: list[int] = []  # offsets of the brackets in self.stack
        self.memo: dict[str, tuple[int, int, bool, int]] = {}  # long strings, per quote

    def run(self) -> Scan:
        while self.pos < self.n:
            self.scan.steps += 1
            self._token()
        if self.open_at:
            self.scan.unclosed_at = self.open_at[-1]
        return self.scan

    # ------------------------------------------------------------------- dispatch

    def _token(self) -> None:
        ch = self.text[self.pos]
        nxt = self.text[self.pos + 1 : self.pos + 2]
        if ch in " \t\r\n":
            self.pos = self._match(_WS, self.pos)
        elif ch == "#":
            self.pos = self._match(_LINE, self.pos + 1)
        elif ch == "<":
            self._angle()
        elif ch in "'\"":
            self._string(ch)
        elif ch in "?$":
            self._variable()
        elif ch == "@":
            self._langtag()
        elif ch == "_" and nxt == ":":
            self._blank_node()
        elif _NAME_START.match(ch):
            self._name()
        elif ch == ":":
            self._prefixed_name(self.pos, self.pos)
        elif ch in _DIGITS or (ch == "." and nxt in _DIGITS):
            self._number()
        elif ch in "{([":
            self._open(ch)
        elif ch in "})]":
            self._close()
        else:
            kind = "comma" if ch == "," else "op" if ch in _OPERATORS else "other"
            self._emit(kind)
            self.pos += 1

    def _match(self, pattern: re.Pattern[str], start: int) -> int:
        """End of the character-class run ``pattern`` at ``start``."""
        match = pattern.match(self.text, start)
        end = match.end() if match else start
        self.scan.steps += end - start + 1
        return end

    def _emit(self, kind: str, word: str = "") -> None:
        """Record a token: advance the SERVICE look-ahead and the query form."""
        self._look_ahead(kind, word)
        if not self.head_done:
            self._head(kind, word)
        elif self.projection_pending:
            self._projection(kind, word)
        self.prev = kind
        self.prev_word = word

    def _look_ahead(self, kind: str, word: str) -> None:
        """A SERVICE candidate is confirmed by ``[SILENT] operand {`` after it."""
        if not self.pending:
            return
        if kind == "brace":
            if self.scan.service_at is None:
                self.scan.service_at = self.pending[0][0]
            self.pending.clear()
            return
        kept: list[tuple[int, int]] = []
        for offset, state in self.pending:
            if state == 0 and kind == "word" and word.startswith("SILENT"):
                kept.append((offset, 1))
            elif state < 2 and kind in ("var", "iri", "pname"):
                kept.append((offset, 2))
        self.pending = kept

    def _head(self, kind: str, word: str) -> None:
        """The first keyword after the prologue (BASE / PREFIX declarations)."""
        if self.head_skip:
            self.head_skip -= 1
        elif kind == "word" and word == "BASE":
            self.head_skip = 1
        elif kind == "word" and word == "PREFIX":
            self.head_skip = 2
        else:
            self.head_done = True
            self.scan.first_word = word or None
            self.scan.first_at = self.pos
            self.projection_pending = word == "SELECT"

    def _projection(self, kind: str, word: str) -> None:
        """Whether the query's own SELECT (not a subquery's) projects '*'."""
        if kind == "word" and word in ("DISTINCT", "REDUCED"):
            return
        self.projection_pending = False
        self.scan.select_star = kind == "op" and self.text[self.pos : self.pos + 1] == "*"

    # ------------------------------------------------------------------- names

    def _name(self) -> None:
        start = self.pos
        end = self._match(_NAME_RUN, start)
        core = end
        while core > start and self.text[core - 1] == ".":  # a name never ends with '.'
            core -= 1
            self.scan.steps += 1
        if core == end and self.text[end : end + 1] == ":":
            self._prefixed_name(start, end)
            return
        word = self.text[start:core].upper()
        self.scan.steps += core - start
        self._bare_word(start, word)
        self.pos = core

    def _bare_word(self, start: int, word: str) -> None:
        before = self.prev_word
        parts = set(word.split("."))
        self.scan.words |= parts & _REPORTED_WORDS
        if "FROM" in word and any(part.startswith("FROM") for part in parts):
            self.scan.words.add("FROM")  # keywords need no boundary: FROMNAMED
        self._emit("word", word)
        if word == "VALUES":
            self.values_pending = True
        if "SERVICE" in word and before not in _OPERAND_KEYWORDS:
            self.pending.append((start, 0))

    def _prefixed_name(self, start: int, colon: int) -> None:
        end = self._local_end(colon + 1)
        name = self.text[start:end].upper()
        self.scan.steps += end - start
        before = self.prev_word
        self._emit("pname")
        if "SERVICE" in name and before not in _OPERAND_KEYWORDS:
            self.pending.append((start, 0))
        self.pos = end

    def _local_end(self, start: int) -> int:
        """End of PN_LOCAL at ``start``: PN_CHARS, ':', '.', %hh, \\-escapes; no final '.'."""
        text = self.text
        if not (_LOCAL_FIRST.match(text, start) or self._plx_len(start)):
            return start
        i = start
        while True:
            i = self._match(_LOCAL_RUN, i)
            size = self._plx_len(i)
            if size == 0:
                break
            i += size
        # In the run every '\' starts an escape, so a '.' after one is escaped.
        while i > start and text[i - 1] == "." and text[i - 2] != "\\":
            i -= 1
            self.scan.steps += 1
        return i

    def _plx_len(self, i: int) -> int:
        """Length of the %hh or \\-escape at ``i`` in a local name, 0 if there is none."""
        ch = self.text[i : i + 1]
        if ch == "%":
            digits = self.text[i + 1 : i + 3]
            return 3 if len(digits) == 2 and all(c in _HEX for c in digits) else 0
        if ch == "\\" and self.text[i + 1 : i + 2] in _LOCAL_ESC:
            return 2
        return 0

    def _variable(self) -> None:
        start = self.pos
        nxt = self.text[start + 1 : start + 2]
        if nxt and (nxt in _DIGITS or _NAME_START.match(nxt)):
            self.pos = self._match(_VARNAME, start + 1)
            self.scan.variables.setdefault(self.text[start + 1 : self.pos], None)
            self._emit("var")
        else:
            self.pos = start + 1
            self._emit("other")

    def _langtag(self) -> None:
        i = self._match(_LETTERS, self.pos + 1)
        if i == self.pos + 1:
            self.pos += 1
            self._emit("other")
            return
        while self.text[i : i + 1] == "-":
            end = self._match(_ALNUM, i + 1)
            if end == i + 1:
                break
            i = end
        if self.text.startswith("--", i):
            end = self._match(_LETTERS, i + 2)
            i = end if end > i + 2 else i
        self.pos = i
        self._emit("langtag")

    def _blank_node(self) -> None:
        start = self.pos
        first = self.text[start + 2 : start + 3]
        if not first or not (first in _DIGITS or _NAME_START.match(first)):
            self.pos = start + 1
            self._emit("other")
            return
        end = self._match(_NAME_RUN, start + 2)
        while self.text[end - 1] == ".":
            end -= 1
            self.scan.steps += 1
        self.pos = end
        self._emit("bnode")

    def _number(self) -> None:
        """DOUBLE / DECIMAL / INTEGER; a sign is a separate token."""
        start = self.pos
        i = self._match(_DIGIT_RUN, start)
        if self.text[i : i + 1] == "." and self.text[i + 1 : i + 2] in _DIGITS:
            i = self._match(_DIGIT_RUN, i + 1)
        elif self.text[i : i + 1] == "." and i > start and self._exponent_end(i + 1) > i + 1:
            i += 1
        self.pos = self._exponent_end(i)
        self._emit("number")

    def _exponent_end(self, i: int) -> int:
        if self.text[i : i + 1] not in ("e", "E"):
            return i
        j = i + 2 if self.text[i + 1 : i + 2] in ("+", "-") else i + 1
        end = self._match(_DIGIT_RUN, j)
        return end if end > j else i

    # ------------------------------------------------------------------- brackets

    def _open(self, ch: str) -> None:
        if ch == "{":
            kind = "V" if self.values_pending else "{"
            self.values_pending = False
        elif ch == "[":
            kind = "["
        elif self._after_double_angle():
            kind = "D"  # '<<(': a triple term holds no expression
        elif self.stack and self.stack[-1] in "VD":
            kind = "D"
        elif ch == "(" and self._opens_collection():
            kind = "C"
        else:
            kind = "E"
        self.stack.append(kind)
        self.open_at.append(self.pos)
        self.scan.depth = max(self.scan.depth, len(self.stack))
        self._emit("brace" if ch == "{" else "open")
        self.pos += 1

    def _opens_collection(self) -> bool:
        """Whether '(' here opens a collection or a path group, which hold no expression.

        In a group, after '{' or a variable, the grammar admits no expression (§19.8:
        TriplesBlock, Collection, PathPrimary), so '<' inside is only ever an IRI. A '(' after
        an IRI or a prefixed name may be a function call (``FILTER ex:f(…)``): not one of these.
        """
        if not self.stack:
            return False
        top = self.stack[-1]
        return top == "C" or (top in "{[" and self.prev in ("brace", "var"))

    def _after_double_angle(self) -> bool:
        """Whether '(' here surely ends the token '<<(' (outside an expression, adjacent '<'
        pair up from the first one; inside, the first may be less-than)."""
        adjacent = self.prev == "lt" and self.lt_end == self.pos
        return adjacent and self.lt_run % 2 == 0 and not self.lt_expr

    def _close(self) -> None:
        if self.stack:
            self.stack.pop()
            self.open_at.pop()
        elif self.scan.stray_close_at is None:
            self.scan.stray_close_at = self.pos
        self._emit("close")
        self.pos += 1

    # ------------------------------------------------------------------- IRIs and '<'

    def _angle(self) -> None:
        """An IRI, or '<' as punctuation: the operator, or half of '<<'."""
        pos = self.pos
        if self.prev == "lt" and self.lt_end == pos:
            run, expr = self.lt_run, self.lt_expr
        else:
            run = 0
            expr = self.prev not in _NOT_OPERAND and bool(self.stack) and self.stack[-1] == "E"
        end = self._iri_end(pos + 1)
        # Outside an expression, adjacent '<' pair up as '<<'; an odd one is the second half.
        if end < 0 or (run % 2 == 1 and not expr):
            self._emit("lt")
            self.lt_run, self.lt_expr, self.lt_end = run + 1, expr, pos + 1
            self.pos = pos + 1
            return
        if expr:
            self._both_readings(pos, end)
        self._emit("iri")
        self.pos = end + 1

    def _iri_end(self, start: int) -> int:
        """Offset of the '>' closing an IRIREF whose text starts at ``start``, or -1."""
        i = start
        while True:
            i = self._match(_IRI_CHARS, i)
            if i >= self.n:
                return -1
            if self.text[i] == ">":
                return i
            size = self._uchar_len(i) if self.text[i] == "\\" and self.uchar else 0
            if size == 0:
                return -1
            i += size

    def _uchar_len(self, i: int) -> int:
        size = {"u": 4, "U": 8}.get(self.text[i + 1 : i + 2], 0)
        digits = self.text[i + 2 : i + 2 + size]
        self.scan.steps += size + 1
        if size and len(digits) == size and all(c in _HEX for c in digits):
            return size + 2
        return 0

    def _both_readings(self, lt: int, end: int) -> None:
        """``<…>`` after an operand in an expression: an IRI, or '<' then code until '>'.

        The two readings agree after the '>' when the code reading opens no string or comment
        that runs past it and its parentheses balance; otherwise the query is ambiguous.
        """
        peak = self._code_reading(lt + 1, end)
        if peak is None:
            if self.scan.ambiguous_at is None:
                line = self.text.count("\n", 0, lt) + 1
                column = lt - self.text.rfind("\n", 0, lt)
                self.scan.ambiguous_at = f"line {line}, column {column}"
                self.scan.steps += lt
        else:
            self.scan.depth = max(self.scan.depth, len(self.stack) + peak)

    def _code_reading(self, start: int, end: int) -> int | None:
        """Deepest parenthesis of text[start:end] read as code; None if it leaks past ``end``."""
        text = self.text
        depth = peak = 0
        i = start
        while i < end:
            self.scan.steps += 1
            ch = text[i]
            if ch == "#":
                return None
            if ch == "'":  # '"' cannot occur in an IRIREF
                i = self._string_within(i, end)
                if i < 0:
                    return None
                continue
            if ch == "(":
                depth += 1
                peak = max(peak, depth)
            elif ch == ")":
                depth -= 1
                if depth < 0:
                    return None
            i += 1
        return peak if depth == 0 else None

    def _string_within(self, start: int, end: int) -> int:
        """End of the string opened at ``start`` if it closes before ``end``, else -1."""
        text = self.text
        triple = text.startswith("'''", start) and start + 3 <= end
        i = start + (3 if triple else 1)
        while i < end:
            self.scan.steps += 1
            if text[i] == "\\":  # only \u escapes can occur in an IRIREF
                i += self._uchar_len(i) or 1
                continue
            if text[i] == "'" and not triple:
                return i + 1
            if text[i] == "'" and text.startswith("'''", i) and i + 3 <= end:
                return i + 3
            i += 1
        return -1

    # ------------------------------------------------------------------- strings

    def _string(self, quote: str) -> None:
        start = self.pos
        if self.text.startswith(quote * 3, start):
            end = self._long_string(quote, start)
            # A malformed long string is read as an empty string, then a new string.
            self.pos = end if end > 0 else start + 2
        else:
            self.pos = self._short_string(quote, start)
        self._emit("string")

    def _short_string(self, quote: str, start: int) -> int:
        """End of the string, or where it breaks (a line end, a bad escape: no valid query)."""
        i = start + 1
        while True:
            i = self._match(_SHORT_BODY[quote], i)
            if i >= self.n:
                return i
            ch = self.text[i]
            if ch == quote:
                return i + 1
            size = self._escape(i)[0] if ch == "\\" else 0
            if size == 0:
                return i
            i += size

    def _escape(self, i: int) -> tuple[int, bool]:
        """Length of the escape at ``i`` (0 if invalid) and whether its code point is valid."""
        nxt = self.text[i + 1 : i + 2]
        if nxt and nxt in _ECHAR:
            return 2, True
        if not self.uchar or nxt not in ("u", "U"):
            return 0, False
        size = self._uchar_len(i)
        if size == 0:
            return 0, False
        code = int(self.text[i + 2 : i + size], 16)
        return size, code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF

    def _long_string(self, quote: str, start: int) -> int:
        """End of the long string opened at ``start``, or -1 if it is malformed.

        A later attempt whose content starts inside an earlier scan follows the same path to
        the same end (the scans agree from there), so the earlier outcome answers it: no
        stretch of text is scanned twice.
        """
        first = start + 3
        memo = self.memo.get(quote)
        if memo is not None and memo[0] < start and first <= memo[1]:
            _origin, stop, closed, bad = memo
        else:
            stop, closed, bad = self._scan_long(quote, first)
            self.memo[quote] = (start, stop, closed, bad)
        if not closed or bad >= first:
            return -1
        return stop + 3

    def _scan_long(self, quote: str, i: int) -> tuple[int, bool, int]:
        """(where the scan stopped, whether at a closing triple quote, last bad code point)."""
        triple = quote * 3
        bad = -1
        while True:
            i = self._match(_LONG_BODY[quote], i)
            if i >= self.n:
                return i, False, bad
            if self.text[i] == quote:
                if self.text.startswith(triple, i):
                    return i, True, bad
                i += 1
                continue
            size, valid = self._escape(i)
            if size == 0:
                return i, False, bad
            if not valid:
                bad = i
            i += size


def read_query(text: str) -> list[Scan]:
    """The readings of ``text``: as sent, and with its ``\\u`` escapes decoded if it has any."""
    scans = [_Reader(text, uchar=True).run()]
    if "\\u" in text or "\\U" in text:
        decoded, steps = _decode(text)
        if decoded != text:
            scan = _Reader(decoded, uchar=False).run()
            scan.steps += steps
            scans.append(scan)
    return scans


def scan_steps(text: str) -> int:
    """The characters :func:`check_query` examines for ``text`` (the tests' measure of work)."""
    return sum(scan.steps for scan in read_query(text)) + len(text)


def _form(word: str | None) -> str | None:
    for form in QUERY_FORMS:
        if word is not None and word.startswith(form):
            return form
    return None


def check_query(text: str, *, max_nesting: int = 200) -> QueryCheck:
    """Refuse updates (403), federation (400) and deep nesting (400); describe the query."""
    scans = read_query(text)
    words: set[str] = set()
    for scan in scans:
        words |= scan.words
    firsts = {scan.first_word for scan in scans}
    if firsts & UPDATE_KEYWORDS or words & (UPDATE_KEYWORDS - {"WITH", "USING"}):
        raise GuardError(403, "this service is read-only: SPARQL Update is not accepted")
    if any(scan.service_at is not None for scan in scans):
        raise GuardError(400, "federated queries (SERVICE) are not supported by this service")
    for scan in scans:
        if scan.ambiguous_at is not None:
            raise GuardError(
                400,
                f"ambiguous '<' at {scan.ambiguous_at}: it reads both as an IRI and as "
                "less-than; put a space after a less-than sign, or write this IRI as a "
                "prefixed name",
            )
    depth = max(scan.depth for scan in scans)
    if depth > max_nesting:
        raise GuardError(400, f"query nesting depth {depth} exceeds the limit of {max_nesting}")
    first = next((scan.first_word for scan in scans if scan.first_word), None)
    return QueryCheck(form=_form(first), has_dataset_clause="FROM" in words)
