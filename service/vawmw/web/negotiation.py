"""Content negotiation: Accept parsing (q-values, wildcards) and ``format=`` values.

The formats themselves live in :mod:`vawmw.rdf.formats`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from vawmw.rdf.formats import Format

__all__ = [
    "ACCEPT_CACHE_SIZE",
    "MAX_ACCEPT_CHARS",
    "MAX_ACCEPT_RANGES",
    "PARAM_VALUES",
    "RESOURCE_MESSAGE",
    "MediaRange",
    "bounded_accept",
    "format_from_param",
    "negotiate",
    "parse_accept",
    "quality",
]

# The 406 of a linked-data resource (the routes, the prebuilt answers and deploy/run-nginx,
# which reads it from the release's site/formats.json).
RESOURCE_MESSAGE: Final = "available as Turtle, JSON-LD, N-Triples, RDF/XML, HTML and N-Quads"

# An Accept header is read up to its first MAX_ACCEPT_RANGES elements and MAX_ACCEPT_CHARS
# characters: parsing runs on the event loop, and no real client sends more (browsers send
# fewer than ten ranges). Anything beyond the bounds is ignored, as if it had not been sent.
MAX_ACCEPT_RANGES: Final = 64
MAX_ACCEPT_CHARS: Final = 4096
# Parsed headers are remembered per (bounded) header value: clients send a handful of values.
ACCEPT_CACHE_SIZE: Final = 256


# Values of the ``format=`` / ``output=`` parameter used by SPARQLWrapper-style clients.
_PARAM_ALIASES: Final[dict[str, tuple[str, str]]] = {
    # value: (format for SELECT/ASK, format for CONSTRUCT/DESCRIBE)
    "json": ("json", "jsonld"),
    "xml": ("xml", "rdfxml"),
    "csv": ("csv", ""),
    "tsv": ("tsv", ""),
    "turtle": ("", "turtle"),
    "ttl": ("", "turtle"),
    "n3": ("", "turtle"),
    "ntriples": ("", "ntriples"),
    "nt": ("", "ntriples"),
    "n-triples": ("", "ntriples"),
    "jsonld": ("", "jsonld"),
    "json-ld": ("", "jsonld"),
    "rdfxml": ("", "rdfxml"),
    "rdf": ("", "rdfxml"),
    "rdf+xml": ("", "rdfxml"),
    "trig": ("", "trig"),
    "nquads": ("", "nquads"),
}
# Every short ``format=`` value understood (beside format names and media types).
PARAM_VALUES: Final = tuple(_PARAM_ALIASES)


@dataclass(frozen=True)
class MediaRange:
    """One element of an Accept header."""

    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> int:
        """Specificity of the match (3 exact, 2 type/*, 1 */*) or 0 when it does not match."""
        mtype, _, msub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 1
        if self.type != mtype:
            return 0
        if self.subtype == "*":
            return 2
        return 3 if self.subtype == msub else 0


def bounded_accept(header: str) -> str:
    """The part of an Accept header that is read: whole elements within the bounds."""
    if len(header) > MAX_ACCEPT_CHARS:
        # The element cut at the boundary is dropped, not read half.
        header = header[:MAX_ACCEPT_CHARS].rpartition(",")[0]
    elements = header.split(",", MAX_ACCEPT_RANGES)
    return ",".join(elements[:MAX_ACCEPT_RANGES])


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header; malformed elements are skipped, a bad q counts as 0.

    Only the first :data:`MAX_ACCEPT_RANGES` elements (and :data:`MAX_ACCEPT_CHARS`
    characters) are read; the result is cached per header value.
    """
    if not header:
        return []
    return list(_parse_bounded(bounded_accept(header)))


@lru_cache(maxsize=ACCEPT_CACHE_SIZE)
def _parse_bounded(header: str) -> tuple[MediaRange, ...]:
    ranges: list[MediaRange] = []
    for element in header.split(","):
        parts = [p.strip() for p in element.split(";")]
        mtype, sep, subtype = parts[0].lower().partition("/")
        if not sep or not mtype or not subtype:
            continue
        q = 1.0
        for param in parts[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
                q = min(max(q, 0.0), 1.0)
        ranges.append(MediaRange(mtype.strip(), subtype.strip(), q))
    return tuple(ranges)


def quality(ranges: Sequence[MediaRange], fmt: Format) -> float:
    """The q-value the client gives to ``fmt``: that of the most specific matching range."""
    best_specificity = 0
    best_q = 0.0
    for media_type in fmt.media_types:
        alias = media_type != fmt.media_type
        for media_range in ranges:
            specificity = media_range.matches(media_type)
            if alias and specificity < 3:
                continue  # wildcards stand for the canonical media type only
            if specificity > best_specificity or (
                specificity == best_specificity and specificity and media_range.q > best_q
            ):
                best_specificity, best_q = specificity, media_range.q
    return best_q


def negotiate(accept: str | None, offers: Sequence[Format]) -> Format | None:
    """Pick the offer the client prefers; ties go to the server's order. None means 406."""
    if not offers:
        return None
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0]
    best: Format | None = None
    best_q = 0.0
    for offer in offers:
        q = quality(ranges, offer)
        if q > best_q:
            best, best_q = offer, q
    return best


def format_from_param(value: str, offers: Sequence[Format]) -> Format | None:
    """Resolve a ``format=`` value (short name or media type) among ``offers``."""
    wanted = value.strip().lower()
    by_name = {offer.name: offer for offer in offers}
    for offer in offers:
        if wanted in offer.media_types:
            return offer
    if wanted in by_name:
        return by_name[wanted]
    results_name, graph_name = _PARAM_ALIASES.get(wanted, ("", ""))
    for name in (results_name, graph_name):
        if name and name in by_name:
            return by_name[name]
    return None
