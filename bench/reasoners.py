"""Compare owlrl (what `vawmw build` uses) with the Rust reasoner `reasonable` on this repo's data.

    python bench/reasoners.py [--runs 3] [--copies 1 5 10]

`--copies N` renames every instance IRI N ways to scale the instance data while keeping the
ontology, so the cost curve can be read. Prints median seconds and whether both reasoners derive
the same instance-level triples (what the release keeps). Needs `pip install reasonable`.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pyoxigraph as ox
import reasonable
from rdflib import Graph, URIRef
from vawmw.build.reasoning import _worth_publishing, owl_rl_closure
from vawmw.build.sources import load_sources
from vawmw.rdf.namespaces import BASE, GRAPH_DATA, GRAPH_ONTOLOGY, ID
from vawmw.rdf.terms import rdflib_graph


def scaled(triples: list[ox.Triple], copies: int) -> list[ox.Triple]:
    if copies == 1:
        return triples
    out: list[ox.Triple] = []
    for copy in range(copies):
        out.extend(
            ox.Triple(_renamed(t.subject, copy), t.predicate, _renamed(t.object, copy))
            for t in triples
        )
    return out


def _renamed(
    term: ox.NamedNode | ox.BlankNode | ox.Literal, copy: int
) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, ox.NamedNode) and term.value.startswith(ID) and copy:
        return ox.NamedNode(f"{term.value}/copy-{copy}")
    return term


def run_owlrl(triples: list[ox.Triple]) -> set[tuple[str, str, str]]:
    closure = owl_rl_closure(triples, budget_factor=100)
    return {(t.subject.value, t.predicate.value, str(t.object.value)) for t in closure.inferred}


def run_reasonable(triples: list[ox.Triple]) -> set[tuple[str, str, str]]:
    graph = rdflib_graph(triples)
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(graph)
    derived = Graph()
    for triple in reasoner.reason():
        derived.add(triple)
    return {
        (str(s), str(p), str(o))
        for s, p, o in derived
        if (s, p, o) not in graph
        and _worth_publishing((s, p, o))
        and isinstance(s, URIRef)
        and str(s).startswith(BASE)
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 5])
    args = parser.parse_args()
    sources = load_sources(args.root)
    ontology, data = sources.graph(GRAPH_ONTOLOGY), sources.graph(GRAPH_DATA)
    print(
        f"{'copies':>6} {'triples':>8} {'owlrl s':>8} {'reasonable s':>12} {'ratio':>6} "
        "same-results"
    )
    for copies in args.copies:
        triples = ontology + scaled(data, copies)
        owl_times, rs_times = [], []
        owl_result: set[tuple[str, str, str]] = set()
        rs_result: set[tuple[str, str, str]] = set()
        for _ in range(args.runs):
            started = time.perf_counter()
            owl_result = run_owlrl(triples)
            owl_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            rs_result = run_reasonable(triples)
            rs_times.append(time.perf_counter() - started)
        owl_s, rs_s = statistics.median(owl_times), statistics.median(rs_times)
        # Compare links and typings only: reasonable re-emits asserted literals in another form.
        owl_links = {t for t in owl_result if t[2].startswith("http")}
        rs_links = {t for t in rs_result if t[2].startswith("http")}
        missing = sorted({t[1].rsplit("#", 1)[-1] for t in owl_links - rs_links})
        same = (
            "yes"
            if owl_links == rs_links
            else (
                f"no: owlrl only {len(owl_links - rs_links)} ({', '.join(missing)}), "
                f"reasonable only {len(rs_links - owl_links)}"
            )
        )
        print(
            f"{copies:>6} {len(triples):>8} {owl_s:>8.2f} {rs_s:>12.2f} {owl_s / rs_s:>6.1f} {same}"
        )


if __name__ == "__main__":
    main()
