"""The OWL 2 RL closure of ontology + data, reduced to the triples worth publishing.

owlrl mutates the graph it expands, so it runs on a copy. Of what it derives, the
release keeps only new triples about the project's own resources: nothing about RDF/OWL
built-ins, no literal or blank-node subjects, no reflexive ``owl:sameAs``, no typing as
``owl:Thing`` or ``rdfs:Resource``. A budget bounds the size of the closure, and an
inconsistency (a member of ``owl:Nothing``, a violated disjointness) is reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

import owlrl
import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef

from vawmw.rdf.namespaces import BASE
from vawmw.rdf.terms import rdflib_graph, to_oxigraph_triple, triple_sort_key

DEFAULT_BUDGET_FACTOR: Final = 10

_TRIVIAL_TYPES: Final = frozenset({OWL.Thing, RDFS.Resource, OWL.NamedIndividual})
_REFLEXIVE_NOISE: Final = frozenset(
    {OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty, RDFS.subClassOf, RDFS.subPropertyOf}
)


class ReasoningBudgetError(Exception):
    """The closure grew past its budget: an ontology axiom is probably too broad."""


class InconsistencyError(Exception):
    """The closure is inconsistent."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("the OWL 2 RL closure is inconsistent:\n" + "\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Closure:
    inferred: list[ox.Triple]
    input_size: int
    closure_size: int


class _BudgetedOWLRL(owlrl.OWLRL_Semantics):  # type: ignore[misc]
    """owlrl's OWL 2 RL rules, stopped between two cycles once the graph exceeds a limit."""

    def __init__(self, graph: Graph, limit: int) -> None:
        self.limit = limit
        super().__init__(graph, axioms=False, daxioms=False)

    def empty_stored_triples(self) -> None:
        size = len(self.graph)
        if size > self.limit:
            raise ReasoningBudgetError(
                f"the closure reached {size} triples, over the budget of {self.limit}; "
                "look for an axiom that makes everything related to everything"
            )
        super().empty_stored_triples()


def owl_rl_closure(
    triples: Iterable[ox.Triple], budget_factor: int = DEFAULT_BUDGET_FACTOR
) -> Closure:
    """Compute the closure and return the meaningful new triples, sorted."""
    asserted = rdflib_graph(triples)
    working = Graph()
    for triple in asserted:
        working.add(triple)
    input_size = len(asserted)
    reasoner = _BudgetedOWLRL(working, limit=max(input_size, 1) * budget_factor)
    reasoner.closure()
    problems = [str(message) for message in reasoner.error_messages]
    problems += [
        f"{member} is a member of owl:Nothing" for member in working.subjects(RDF.type, OWL.Nothing)
    ]
    if problems:
        raise InconsistencyError(sorted(problems))
    inferred = [
        to_oxigraph_triple(*triple)
        for triple in working
        if triple not in asserted and _worth_publishing(triple)
    ]
    inferred.sort(key=triple_sort_key)
    return Closure(inferred=inferred, input_size=input_size, closure_size=len(working))


def _worth_publishing(triple: tuple[Any, Any, Any]) -> bool:
    subject, predicate, obj = triple
    if not isinstance(subject, URIRef) or not str(subject).startswith(BASE):
        return False
    if isinstance(obj, BNode) or (isinstance(obj, Literal) and predicate == RDF.type):
        return False
    if obj in _TRIVIAL_TYPES:
        return False
    return not (predicate in _REFLEXIVE_NOISE and subject == obj)
