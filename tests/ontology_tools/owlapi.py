"""The OWL API's profile checker and HermiT, as the standard tools run them.

``OwlCheck.java`` is a few lines of Java run as a single-file source (Java 11 and later) against
the HermiT.jar that owlready2 bundles (OWL API 3.4.3, HermiT 1.3.8). The graphs are handed over
as RDF/XML written by rdflib: the OWL API's Turtle parser rejects escaped local names such as
``id:area\\/...``. Nothing here reaches the network: imports are never followed.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, Graph, URIRef
from vawmw.rdf.terms import to_rdflib

RUNNER: Final = Path(__file__).with_name("OwlCheck.java")
# Where the merged document claims to come from; every other owl:Ontology header is dropped.
MERGED_IRI: Final = URIRef("urn:vawmw:test:merged")
TIMEOUT_S: Final = 600  # HermiT on the release takes seconds; this only stops a hang


def hermit_jar() -> Path | None:
    """owlready2's HermiT.jar, when owlready2 is installed (the test extra)."""
    spec = importlib.util.find_spec("owlready2")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        jar = Path(folder) / "hermit" / "HermiT.jar"
        if jar.is_file():
            return jar
    return None


def require_tools() -> Path:
    """The jar, or a clear skip naming what is missing."""
    if shutil.which("java") is None:
        pytest.skip("java is not installed (.ci/install-java installs default-jdk-headless)")
    jar = hermit_jar()
    if jar is None:
        pytest.skip("owlready2 is not installed (pip install '.[test]'): it bundles HermiT.jar")
    return jar


@dataclass(frozen=True)
class Violation:
    profile: str  # "DL" or "RL"
    kind: str  # the OWL API's class name, e.g. UseOfUndeclaredClass
    text: str


@dataclass
class ProfileReport:
    violations: list[Violation] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def of(self, profile: str) -> list[Violation]:
        return [v for v in self.violations if v.profile == profile]


@dataclass(frozen=True)
class Reasoning:
    consistent: bool
    unsatisfiable: tuple[str, ...]


def write_rdfxml(graph: Graph, path: Path) -> Path:
    graph.serialize(destination=path, format="xml")
    return path


def merged(graphs: Iterable[Graph]) -> Graph:
    """One OWL document of several graphs, merged at the RDF level as one store holds them.

    Each source's owl:Ontology header is left out (one document has one ontology; their
    owl:imports would send the OWL API to the network), and a single header is added.
    """
    out = Graph()
    for graph in graphs:
        headers = set(graph.subjects(RDF.type, OWL.Ontology))
        for triple in graph:
            if triple[0] not in headers:
                out.add(triple)
    out.add((MERGED_IRI, RDF.type, OWL.Ontology))
    return out


def _run(jar: Path, mode: str, document: Path) -> list[list[str]]:
    completed = subprocess.run(
        ["java", "-cp", str(jar), str(RUNNER), mode, str(document)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    if completed.returncode != 0:
        raise AssertionError(f"OwlCheck {mode} failed:\n{completed.stderr[-4000:]}")
    return [line.split("\t") for line in completed.stdout.splitlines() if line]


def profiles(jar: Path, document: Path) -> ProfileReport:
    """The OWL 2 DL and OWL 2 RL profile violations the OWL API finds in ``document``."""
    report = ProfileReport()
    for fields in _run(jar, "profiles", document):
        if fields[0] == "violation":
            report.violations.append(Violation(fields[1], fields[2], fields[3]))
        elif fields[0] == "count":
            report.counts[fields[1]] = int(fields[2])
    return report


def reason(jar: Path, document: Path) -> Reasoning:
    """HermiT's verdict on ``document``: consistency, then the unsatisfiable named classes."""
    consistent = False
    unsatisfiable: list[str] = []
    for fields in _run(jar, "reason", document):
        if fields[0] == "consistent":
            consistent = fields[1] == "true"
        elif fields[0] == "unsatisfiable":
            unsatisfiable.append(fields[1])
    return Reasoning(consistent, tuple(unsatisfiable))


def graphs_of(nquads: Path, names: list[str]) -> list[Graph]:
    """The named graphs ``names`` of an N-Quads file, in that order (parsed by Oxigraph:
    rdflib's Dataset parser warns of deprecations, which pytest turns into errors)."""
    graphs = {name: Graph() for name in names}
    for quad in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS):
        graph = graphs.get(getattr(quad.graph_name, "value", ""))
        if graph is not None:
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))  # type: ignore[arg-type]
    return [graphs[name] for name in names]
