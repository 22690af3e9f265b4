"""SHACL validation of the asserted data with pyshacl.

The data are validated together with the ontology and *without* inference: with RDFS
inference on, a wrongly linked node gets the expected class from ``rdfs:range`` and
``sh:class`` errors disappear. ``sh:class`` still follows ``rdfs:subClassOf*`` because
the ontology sits in the data graph. The closure is checked for consistency separately.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pyoxigraph as ox
from pyshacl import validate
from rdflib import RDF, BNode, Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from vawmw.rdf.terms import rdflib_graph

# The severity that fails a build; "Warning" and "Info" results are reported only.
VIOLATION: Final = "Violation"
# The warnings the shipped data is expected to give, with why (kept with the shapes; not a
# build input: it changes what the build prints, never the release).
EXPECTED_WARNINGS: Final = "shapes/expected-warnings.tsv"


def expected_warnings(root: Path) -> dict[tuple[str, str], str]:
    """(focus node, path) -> reason, from ``root``'s :data:`EXPECTED_WARNINGS` (may be absent)."""
    try:
        text = (root / EXPECTED_WARNINGS).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    expected: dict[tuple[str, str], str] = {}
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) == 3 and not line.startswith("#"):
            expected[(fields[0], fields[1])] = fields[2]
    return expected


@dataclass(frozen=True, order=True)
class ShapeResult:
    """One SHACL result, with the source files where its focus node is written."""

    severity: str
    focus_node: str
    path: str
    message: str
    shape: str
    value: str
    source_files: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line: where, what, and the shape's message, which says how to fix it."""
        where = f" [{', '.join(self.source_files)}]" if self.source_files else ""
        path = f" {self.path}" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        message = " ".join(self.message.split())
        return f"{self.severity}: <{self.focus_node}>{path}{value}{where}: {message}"

    @property
    def key(self) -> tuple[str, str]:
        """What identifies a result in :data:`EXPECTED_WARNINGS`: its focus node and path."""
        return (self.focus_node, self.path)


def validate_shapes(
    data: Iterable[ox.Triple],
    shapes: Iterable[ox.Triple],
    files_of: dict[str, list[str]] | None = None,
) -> list[ShapeResult]:
    """Validate ``data`` (asserted data plus ontology) against ``shapes``; sorted results."""
    data_graph = rdflib_graph(data)
    shapes_graph = rdflib_graph(shapes)
    _conforms, report_graph, _report_text = validate(
        data_graph,
        shacl_graph=shapes_graph,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    if not isinstance(report_graph, Graph):
        raise TypeError("pyshacl returned its report as text, not as a graph")
    files_of = files_of or {}
    results = []
    for result in report_graph.subjects(RDF.type, SH.ValidationResult):
        focus = _text(report_graph.value(result, SH.focusNode))
        results.append(
            ShapeResult(
                severity=_local_name(report_graph.value(result, SH.resultSeverity)),
                focus_node=focus,
                path=_path_text(report_graph, report_graph.value(result, SH.resultPath)),
                message=_text(report_graph.value(result, SH.resultMessage)),
                shape=_text(report_graph.value(result, SH.sourceShape)),
                value=_text(report_graph.value(result, SH.value)),
                source_files=tuple(files_of.get(focus, [])),
            )
        )
    return sorted(results)


def violations(results: Iterable[ShapeResult]) -> list[ShapeResult]:
    return [result for result in results if result.severity == VIOLATION]


def _path_text(graph: Graph, path: Node | None) -> str:
    """A result path as SPARQL property-path text; inverse paths as ``^<iri>``."""
    if isinstance(path, BNode):
        inverse = graph.value(path, SH.inversePath)
        if inverse is not None:
            return f"^{_path_text(graph, inverse)}"
    return _text(path)


def _text(node: Node | None) -> str:
    return "" if node is None else str(node)


def _local_name(node: Node | None) -> str:
    if not isinstance(node, URIRef):
        return ""
    return str(node).rsplit("#", 1)[-1]
