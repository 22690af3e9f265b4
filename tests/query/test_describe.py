"""The description of a resource, written once (vawmw.query.describe)."""

from __future__ import annotations

import pyoxigraph as ox
from vawmw.query import engine
from vawmw.query.describe import Description
from vawmw.query.jobs import DescribeJob
from vawmw.rdf import namespaces

EX = "http://example.org/"
NODE = ox.NamedNode(EX + "node")
P = ox.NamedNode(EX + "p")
LABEL = ox.NamedNode(namespaces.RDFS_LABEL)
PREF = ox.NamedNode(namespaces.SKOS_PREF_LABEL)


def _n(name: str) -> ox.NamedNode:
    return ox.NamedNode(EX + name)


def _store() -> ox.Store:
    store = ox.Store()
    data, other = _n("g1"), _n("g2")
    quads = [
        ox.Quad(NODE, P, _n("target"), data),
        ox.Quad(NODE, P, _n("target"), other),  # the same triple in two graphs: once
        ox.Quad(NODE, LABEL, ox.Literal("the node"), data),
        ox.Quad(NODE, P, NODE, data),  # a loop: own, not also incoming
        ox.Quad(_n("target"), PREF, ox.Literal("Target"), data),
        ox.Quad(P, LABEL, ox.Literal("p"), data),
        ox.Quad(_n("target"), P, _n("elsewhere"), data),  # not about the node
    ]
    quads += [ox.Quad(_n(f"in{i}"), P, NODE, data) for i in range(5)]
    quads += [ox.Quad(_n(f"in{i}"), LABEL, ox.Literal(f"in {i}"), data) for i in range(5)]
    for quad in quads:
        store.add(quad)
    return store


def _triples(body: bytes) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)}


def test_own_triples_incoming_links_up_to_the_limit_and_labels() -> None:
    result = engine.run_job(_store(), DescribeJob(NODE.value, "ntriples", incoming_limit=2))
    triples = _triples(result.body)
    own = {t for t in triples if t.subject == NODE}
    incoming = {t for t in triples if t.object == NODE and t.subject != NODE}
    assert own == {
        ox.Triple(NODE, P, _n("target")),
        ox.Triple(NODE, LABEL, ox.Literal("the node")),
        ox.Triple(NODE, P, NODE),
    }
    assert len(incoming) == 2  # the limit
    labels = triples - own - incoming
    linked = {t.subject for t in incoming} | {_n("target"), P}
    assert {t.subject for t in labels} == linked
    assert all(t.predicate in (LABEL, PREF) for t in labels)
    assert ox.Triple(_n("target"), P, _n("elsewhere")) not in triples
    assert result.rows == 3 + 2


def test_nothing_to_say_is_zero_rows() -> None:
    result = engine.run_job(_store(), DescribeJob(EX + "unknown", "turtle"))
    assert (result.rows, result.error) == (0, None)


def test_a_store_that_repeats_itself_is_counted_once() -> None:
    """The algorithm does not depend on the store: duplicates and a loop seen again among the
    incoming triples (as an external store returns them) change nothing."""
    description = Description(NODE.value, incoming_limit=1)
    loop = ox.Triple(NODE, P, NODE)
    description.add_own([loop, loop, ox.Triple(NODE, P, _n("x"))])
    assert description.own == 2
    assert description.incoming_fetch_limit == 1 + 2 + 1
    description.add_incoming([loop, ox.Triple(_n("a"), P, NODE), ox.Triple(_n("b"), P, NODE)])
    assert description.incoming == 1
    assert description.linked == [P, _n("x"), _n("a")]
    assert description.answer("ntriples").rows == 3
