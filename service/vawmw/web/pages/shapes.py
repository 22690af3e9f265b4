"""The HTML page of the SHACL shapes (``/shapes``): one section per shape.

The shapes' IRIs are hash IRIs (``…/shapes#StateShape``): a browser asks for ``/shapes`` and
scrolls to the section whose ``id`` is the fragment, so every shape IRI lands on its own
description. The route gives the triples of the shapes graph; the functions here only print.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Final

import pyoxigraph as ox

from vawmw.rdf import namespaces
from vawmw.web.pages.description import label_map
from vawmw.web.pages.layout import (
    Alternate,
    ReleaseMeta,
    attr,
    esc,
    iri_link,
    page,
    short_iri,
    table,
)

__all__ = ["shapes_page"]

RDF_FIRST: Final = namespaces.RDF + "first"
RDF_REST: Final = namespaces.RDF + "rest"
# Blank nodes nest (sh:or of property shapes of lists); deeper than this is shown as "…".
MAX_DEPTH: Final = 4

BySubject = dict[str, dict[str, list[object]]]


def _by_subject(triples: Sequence[ox.Triple]) -> BySubject:
    grouped: BySubject = defaultdict(lambda: defaultdict(list))
    for t in triples:
        if isinstance(t.subject, ox.NamedNode | ox.BlankNode):
            grouped[t.subject.value][t.predicate.value].append(t.object)
    return grouped


def _list_items(head: ox.BlankNode, grouped: BySubject) -> list[object] | None:
    """The members of an RDF list, or None when ``head`` is not one."""
    items: list[object] = []
    node: object = head
    seen: set[str] = set()
    while isinstance(node, ox.BlankNode) and node.value not in seen:
        seen.add(node.value)
        entry = grouped.get(node.value, {})
        if not entry.get(RDF_FIRST) or not entry.get(RDF_REST):
            return None
        items.append(entry[RDF_FIRST][0])
        node = entry[RDF_REST][0]
    ends = isinstance(node, ox.NamedNode) and node.value == namespaces.RDF + "nil"
    return items if ends else None


def _value(term: object, grouped: BySubject, labels: dict[str, str], depth: int) -> str:
    if isinstance(term, ox.NamedNode):
        return iri_link(term.value, labels.get(term.value))
    if isinstance(term, ox.Literal):
        return esc(term.value)
    if isinstance(term, ox.BlankNode) and depth < MAX_DEPTH:
        items = _list_items(term, grouped)
        if items is not None:
            return "(" + ", ".join(_value(i, grouped, labels, depth + 1) for i in items) + ")"
        pairs = grouped.get(term.value, {})
        parts = (
            f"{esc(short_iri(p))} " + ", ".join(_value(o, grouped, labels, depth + 1) for o in os)
            for p, os in pairs.items()
        )
        return "[" + "; ".join(parts) + "]"
    return "…"


def _section(iri: str, grouped: BySubject, labels: dict[str, str]) -> str:
    fragment = iri.rpartition("#")[2]
    rows = [
        [esc(short_iri(predicate)), "<br>".join(_value(o, grouped, labels, 0) for o in objects)]
        for predicate, objects in sorted(grouped[iri].items())
    ]
    return (
        f'<section id="{attr(fragment)}"><h2>{esc(labels.get(iri, fragment))}</h2>'
        f"<p><code>{esc(iri)}</code></p>"
        + table(f"Statements of {fragment}", ["Property", "Value"], rows, caption_hidden=True)
        + "</section>"
    )


def shapes_page(
    release: ReleaseMeta,
    iri: str,
    triples: Sequence[ox.Triple],
    alternates: Sequence[Alternate] = (),
) -> str:
    """Every shape named under ``iri#`` in one page, a section each (its fragment is its id);
    ``alternates`` are the page's other representations."""
    grouped = _by_subject(triples)
    labels = label_map(triples)
    named = sorted(s for s in grouped if s.startswith(iri + "#"))
    body = (
        "<h1>SHACL shapes</h1>"
        f"<p>The {len(named)} shapes of <code>{esc(iri)}</code>, from the named graph "
        f"<code>{esc(namespaces.GRAPH_SHAPES)}</code>: the constraints every release passes.</p>"
        + "".join(_section(s, grouped, labels) for s in named)
    )
    return page("SHACL shapes", body, release, alternates=alternates)
