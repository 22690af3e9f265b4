"""Which paths have prebuilt documents: every IRI of the release's namespace that a linked-data
route of the service answers, found from the release itself (the store and its VoID file),
never from a list written here.

A candidate is every IRI under the namespace the release names anywhere (subject, predicate,
object or graph name, in the store or in ``void.ttl``), without its fragment; it is kept when
a GET of its path reaches one of :data:`LINKED_DATA` (the routes of
:mod:`vawmw.web.routes.resources` and :mod:`vawmw.web.routes.minted`). Whether the route then
has a description for it is the route's to say: the rendering keeps only 200s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import unquote

import pyoxigraph as ox
from starlette.routing import BaseRoute, Match

from vawmw.rdf import namespaces
from vawmw.release import layout
from vawmw.web.routes import minted, resources

__all__ = ["DESCRIBED", "LINKED_DATA", "RoutedPath", "candidate_iris", "routed_paths"]

# The routes whose answers are prebuilt, and among them those that answer an RDF format with
# the resource's description (a DescribeJob on the store): those are rendered without HTTP.
DESCRIBED: Final[frozenset[Callable[..., Any]]] = frozenset(
    {resources.resource, minted.shapes_node}
)
LINKED_DATA: Final[frozenset[Callable[..., Any]]] = DESCRIBED | {
    resources.ontology,
    minted.dataset,
    minted.dataset_part,
    minted.graph,
    minted.ontology_version,
    minted.shapes,
}


@dataclass(frozen=True)
class RoutedPath:
    """A path to prebuild (raw, as a client sends it), its IRI, and whether it is described."""

    path: str
    iri: str
    described: bool


def _terms(quad: ox.Quad) -> Iterator[object]:
    yield from (quad.subject, quad.predicate, quad.object, quad.graph_name)


def candidate_iris(quads: Iterable[ox.Quad], base: str) -> set[str]:
    """Every IRI under ``base`` that ``quads`` name, fragments cut off."""
    found: set[str] = set()
    for quad in quads:
        for term in _terms(quad):
            if isinstance(term, ox.NamedNode) and term.value.startswith(base):
                found.add(term.value.partition("#")[0])
    return found


def _endpoint(path: str) -> Callable[..., Any] | None:
    """The linked-data route a GET of ``path`` reaches, in the order the application includes
    the two routers (their own routes: an application's nested routers hide theirs)."""
    scope = {
        "type": "http",
        "method": "GET",
        "path": unquote(path),
        "raw_path": path.encode("ascii"),
        "root_path": "",
        "headers": [],
        "query_string": b"",
    }
    routes: list[BaseRoute] = [*resources.router.routes, *minted.router.routes]
    for route in routes:
        match, _child = route.matches(scope)
        if match is Match.FULL:
            endpoint: Callable[..., Any] | None = getattr(route, "endpoint", None)
            return endpoint
    return None


def routed_paths(iris: Iterable[str], base: str = namespaces.BASE) -> list[RoutedPath]:
    """The paths of ``iris`` that a linked-data route answers and that can name a file."""
    kept = []
    for iri in sorted(iris):
        path = "/" + iri.removeprefix(base)
        if not iri.startswith(base) or layout.document_name(path, "x") is None:
            continue
        endpoint = _endpoint(path)
        if endpoint in LINKED_DATA:
            kept.append(RoutedPath(path, iri, endpoint in DESCRIBED))
    return kept
