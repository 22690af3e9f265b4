"""The SHACL shapes in shapes/: every shape fires on its failing fixture, and a valid graph passes.

Each ``tests/fixtures/shapes/<ShapeName>-fails.ttl`` starts with one or more header lines
``# expect: <ShapeName> <focus node IRI>`` naming the shape that must report a result and the node
it must report it on. Validation follows the project's rule: the asserted fixture plus the
ontology (when ontology/vawmw.ttl exists), no inference.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

ROOT = Path(__file__).resolve().parents[2]
SHAPES_DIR = ROOT / "shapes"
VIOLATIONS = SHAPES_DIR / "violations.ttl"
WARNINGS = SHAPES_DIR / "warnings.ttl"
FIXTURES = ROOT / "tests" / "fixtures" / "shapes"
ONTOLOGY = ROOT / "ontology" / "vawmw.ttl"
VALID_FIXTURE = FIXTURES / "valid.ttl"

SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES_NS = "https://w3id.org/vawmw/shapes#"
EXPECT = re.compile(r"^# expect: (\S+) <([^>]+)>\s*$")
FAILING = sorted(FIXTURES.glob("*-fails.ttl"))


@cache
def shapes_graph() -> Graph:
    graph = Graph()
    for path in (VIOLATIONS, WARNINGS):
        graph.parse(path, format="turtle")
    return graph


@cache
def file_graph(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def local(node: Node) -> str:
    text = str(node)
    return text[len(SHAPES_NS) :] if text.startswith(SHAPES_NS) else text


def data_graph(fixture: Path) -> Graph:
    data = Graph()
    data.parse(fixture, format="turtle")
    if ONTOLOGY.is_file():
        data.parse(ONTOLOGY, format="turtle")
    return data


def results(data: Graph) -> set[tuple[str, str, str]]:
    """(source shape local name, focus node, severity local name) of every validation result."""
    _conforms, report, _text = validate(
        data, shacl_graph=shapes_graph(), inference="none", abort_on_first=False
    )
    assert isinstance(report, Graph)
    found: set[tuple[str, str, str]] = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(result, SH.sourceShape)
        focus = report.value(result, SH.focusNode)
        severity = report.value(result, SH.resultSeverity)
        assert shape is not None, f"validation result {result} has no sh:sourceShape"
        found.add((local(shape), str(focus), str(severity).rsplit("#", 1)[-1]))
    return found


def expectations(fixture: Path) -> list[tuple[str, str]]:
    expected: list[tuple[str, str]] = []
    for line in fixture.read_text(encoding="utf-8").splitlines():
        match = EXPECT.match(line)
        if match:
            expected.append((match.group(1), match.group(2)))
    return expected


def named_shapes(graph: Graph) -> set[str]:
    """Local names of every node shape and property shape declared in a shapes file."""
    names: set[str] = set()
    for kind in (SH.NodeShape, SH.PropertyShape):
        for shape in graph.subjects(RDF.type, kind):
            assert isinstance(shape, URIRef), f"shape {shape} must be an IRI, not a blank node"
            names.add(local(shape))
    return names


def warning_shapes() -> set[str]:
    return named_shapes(file_graph(WARNINGS))


def test_shape_files_parse_and_declare_shapes() -> None:
    assert len(named_shapes(file_graph(VIOLATIONS))) > 100
    assert len(warning_shapes()) > 10
    assert not named_shapes(file_graph(VIOLATIONS)) & warning_shapes()


@pytest.mark.parametrize("fixture", FAILING, ids=[p.name for p in FAILING])
def test_shape_fires_on_its_fixture(fixture: Path) -> None:
    expected = expectations(fixture)
    assert expected, f"{fixture.name} has no '# expect: Shape <focus>' header"
    found = results(data_graph(fixture))
    warnings = warning_shapes()
    for shape, focus in expected:
        severity = "Warning" if shape in warnings else "Violation"
        assert (shape, focus, severity) in found, (
            f"expected {shape} ({severity}) on <{focus}>; got "
            f"{sorted(r for r in found if r[1] == focus)}"
        )


def test_every_shape_has_a_failing_fixture() -> None:
    shapes = named_shapes(shapes_graph())
    covered = {shape for fixture in FAILING for shape, _focus in expectations(fixture)}
    missing = sorted(shapes - covered)
    assert not missing, f"shapes without a tests/fixtures/shapes/<Shape>-fails.ttl: {missing}"
    stale = sorted(covered - shapes)
    assert not stale, f"fixtures expect shapes that do not exist: {stale}"
    for fixture in FAILING:
        own = fixture.name.removesuffix("-fails.ttl")
        assert own in {shape for shape, _focus in expectations(fixture)}, fixture.name


def test_every_shape_has_an_english_message() -> None:
    graph = shapes_graph()
    for name in sorted(named_shapes(graph)):
        messages = list(graph.objects(URIRef(SHAPES_NS + name), SH.message))
        assert messages, f"{name} has no sh:message"
        assert all(isinstance(m, Literal) and m.language == "en" for m in messages), name


def test_property_shapes_are_named_and_attached() -> None:
    graph = shapes_graph()
    attached = set(graph.objects(None, SH.property))
    for node in attached:
        assert isinstance(node, URIRef) and str(node).startswith(SHAPES_NS), node
    for shape in graph.subjects(RDF.type, SH.PropertyShape):
        assert shape in attached, f"{local(shape)} is not attached to a node shape"
        assert graph.value(shape, SH.path) is not None, local(shape)
    for shape in graph.subjects(RDF.type, SH.NodeShape):
        assert graph.value(shape, SH.targetClass) is not None, f"{local(shape)} has no target"


def test_severities_follow_the_file() -> None:
    violations = file_graph(VIOLATIONS)
    for name in named_shapes(violations):
        assert violations.value(URIRef(SHAPES_NS + name), SH.severity) in (None, SH.Violation), name
    warnings = file_graph(WARNINGS)
    for name in named_shapes(warnings):
        assert warnings.value(URIRef(SHAPES_NS + name), SH.severity) == SH.Warning, name


def test_valid_graph_has_no_results() -> None:
    """A small, complete graph written by hand from docs/MODEL.md meets every shape."""
    found = results(data_graph(VALID_FIXTURE))
    assert not found, sorted(found)


def test_shapes_do_not_rely_on_inferred_classes() -> None:
    """Inferred-only classes (ReportingState) must never be a target or a sh:class value."""
    graph = shapes_graph()
    reporting = URIRef("https://w3id.org/vawmw/ontology#ReportingState")
    assert (None, SH.targetClass, reporting) not in graph
    assert (None, SH["class"], reporting) not in graph
    vawmw = "https://w3id.org/vawmw/ontology#"
    inferred_properties = (
        "citesWork",
        "occursAtStage",
        "affectsGroup",
        "isPerpetratedBy",
        "isAggravatedBy",
    )
    for inferred in inferred_properties:
        assert (None, SH.path, URIRef(vawmw + inferred)) not in graph, inferred
