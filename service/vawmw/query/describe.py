"""The description of one resource, written once for every backend.

A description holds, in this order:

1. every triple whose subject is the resource (its own triples);
2. triples whose object is the resource, up to ``incoming_limit`` of them (links to it);
3. the labels (``skos:prefLabel``, ``rdfs:label``) of every other resource those triples name as
   predicate, object or subject, so that a page or a client can show names instead of IRIs.

:class:`Description` is the algorithm without its input and output: a backend fetches each
step's triples its own way (the embedded store with ``quads_for_pattern``,
:func:`describe_store`; an external store with SELECT queries,
:mod:`vawmw.remote.backend`) and hands them over in that order. A resource with neither own
nor incoming triples is not described (``rows == 0``: the routes answer 404).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import pyoxigraph as ox

from vawmw.query.answers import graph_answer
from vawmw.query.jobs import DescribeJob, JobResult
from vawmw.rdf import namespaces

__all__ = ["LABELS", "Description", "describe_store"]

LABELS: Final = tuple(ox.NamedNode(iri) for iri in namespaces.LABELS)


class Description:
    """The triples describing ``iri``, gathered step by step (own, incoming, labels)."""

    def __init__(self, iri: str, incoming_limit: int) -> None:
        self.node = ox.NamedNode(iri)  # ValueError when not an absolute IRI
        self.incoming_limit = incoming_limit
        self.own = 0
        self.incoming = 0
        self._triples: dict[ox.Triple, None] = {}  # insertion-ordered set
        self._linked: dict[ox.NamedNode, None] = {}

    def _link(self, *terms: object) -> None:
        for term in terms:
            if isinstance(term, ox.NamedNode) and term != self.node:
                self._linked.setdefault(term)

    def add_own(self, triples: Iterable[ox.Triple]) -> None:
        """Step 1: the triples whose subject is the resource."""
        for triple in triples:
            if triple not in self._triples:
                self._triples[triple] = None
                self.own += 1
                self._link(triple.predicate, triple.object)

    @property
    def incoming_fetch_limit(self) -> int:
        """How many incoming triples to fetch so that ``incoming_limit`` new ones are among
        them: those already seen as own triples (a loop on the resource) do not count."""
        return self.incoming_limit + self.own + 1

    def add_incoming(self, triples: Iterable[ox.Triple]) -> None:
        """Step 2: triples whose object is the resource; reading stops at the limit."""
        for triple in triples:
            if triple in self._triples:
                continue
            if self.incoming >= self.incoming_limit:
                break
            self._triples[triple] = None
            self.incoming += 1
            self._link(triple.predicate, triple.subject)

    @property
    def linked(self) -> list[ox.NamedNode]:
        """The other resources named so far: step 3 fetches their labels."""
        return list(self._linked)

    def add_labels(self, triples: Iterable[ox.Triple]) -> None:
        """Step 3: label triples of the linked resources."""
        for triple in triples:
            self._triples.setdefault(triple)

    def answer(self, format_name: str) -> JobResult:
        """The description serialized in ``format_name``; ``rows`` counts own and incoming."""
        return graph_answer(list(self._triples), format_name, self.own + self.incoming)


def describe_store(store: ox.Store, job: DescribeJob) -> JobResult:
    """:class:`Description` of ``job.iri`` from an embedded store (all its graphs)."""
    description = Description(job.iri, job.incoming_limit)
    node = description.node
    description.add_own(q.triple for q in store.quads_for_pattern(node, None, None, None))
    description.add_incoming(q.triple for q in store.quads_for_pattern(None, None, node, None))
    description.add_labels(
        quad.triple
        for other in description.linked
        for label in LABELS
        for quad in store.quads_for_pattern(other, label, None, None)
    )
    return description.answer(job.result_format)
