"""The model takes the next report of the series, not only A/78/292.

``tests/fixtures/second-report/`` is a small, clearly fictional second report of the series,
A/99/999: five paragraphs, two footnotes, five reporting States and one claim of every kind, all
keyed by ``A-99-999``. These tests show that

1. it builds and validates together with the real graph through the real pipeline (quality
   checks, OWL 2 RL, SHACL), with no quality finding, no SHACL violation and no new warning;
2. it mints no IRI that the real graph has;
3. queries across the two reports work: party counts by report year, and the States that
   reported to both;
4. every shape and quality check that used to name A/78/292 (its key, its 59 paragraphs, its 75
   footnotes, its recommendations 58 (a)-(t) and 59) now fires on the *second* report when that
   report is broken, bounded by the report's own data rather than by numbers in the shapes.

The fixture is never part of a release: it lives under tests/fixtures only.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD
from vawmw.build import quality
from vawmw.build.pipeline import BuildReport, build_release

from tests.report_facts import REPORTING_STATES

ROOT = Path(__file__).resolve().parents[2]
SECOND = ROOT / "tests" / "fixtures" / "second-report"
SECOND_GRAPH = SECOND / "graph"
ONTOLOGY = ROOT / "ontology" / "vawmw.ttl"
SHAPE_FILES = (ROOT / "shapes" / "violations.ttl", ROOT / "shapes" / "warnings.ttl")
QC_DIR = ROOT / "service" / "vawmw" / "build" / "qc"

ID = "https://w3id.org/vawmw/id/"
GRAPH_DATA = "https://w3id.org/vawmw/graph/data"
FIRST_KEY, SECOND_KEY = "A-78-292", "A-99-999"
FIRST = ID + "report/" + FIRST_KEY
SECOND_REPORT = ID + "report/" + SECOND_KEY
PARTY_COUNT = ID + "party-count/ilo-c190/2044"  # party counts are keyed by instrument and year

# Footnote 1 of the fictional report, and graph/contributions.ttl of the fixture.
SECOND_REPORTERS = frozenset({"MEX", "NER", "PHL", "SAU", "SEN"})

# Paragraphs 23 and 27 of A/78/292: (instrument key, reference year, States parties).
FIRST_PARTY_COUNTS = {
    ("icrmw", "2021", 56),
    ("icrmw", "2023", 58),
    ("untoc", "2021", 190),
    ("untoc", "2023", 191),
    ("trafficking-protocol", "2021", 178),
    ("trafficking-protocol", "2023", 178),
    ("smuggling-protocol", "2021", 150),
    ("smuggling-protocol", "2023", 153),
    ("ilo-c189", "2021", 32),
    ("ilo-c189", "2023", 36),
    ("ilo-c190", "2023", 27),
}
# Paragraph 4 of the fictional A/99/999.
SECOND_PARTY_COUNTS = {("ilo-c190", "2044", 61)}

PREFIXES = """
PREFIX vawmw: <https://w3id.org/vawmw/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

VAWMW = Namespace("https://w3id.org/vawmw/ontology#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES_NS = "https://w3id.org/vawmw/shapes#"


def second(path: str) -> URIRef:
    """An IRI of the fictional report: ``second("para/3")`` is id:report/A-99-999/para/3."""
    return URIRef(f"{SECOND_REPORT}/{path}")


def keyed(kind: str, rest: str) -> URIRef:
    """A claim IRI keyed by the fictional report: ``keyed("statistic", "2-1")``."""
    return URIRef(f"{ID}{kind}/{SECOND_KEY}/{rest}")


# --------------------------------------------------------------------------- sources


@cache
def fixture_graph() -> Graph:
    graph = Graph()
    for path in sorted(SECOND_GRAPH.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@cache
def real_graph() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "graph").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@cache
def ontology_graph() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@cache
def shapes_graph() -> Graph:
    graph = Graph()
    for path in SHAPE_FILES:
        graph.parse(path, format="turtle")
    return graph


def fixture_subjects() -> set[str]:
    return {str(s) for s in fixture_graph().subjects() if isinstance(s, URIRef)}


# --------------------------------------------------------------------------- the release


@pytest.fixture(scope="module")
def series_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildReport, ox.Store, Path]:
    """The real pipeline on ontology/ + graph/ + shapes/ + the fixture's graph/, in a tmp dir."""
    base = tmp_path_factory.mktemp("series")
    sources = base / "sources"
    # un/ too: the per-report queries join the UN extract (reporting-states-by-m49-region).
    for folder in ("ontology", "graph", "shapes", "un"):
        shutil.copytree(ROOT / folder, sources / folder)
    shutil.copytree(SECOND_GRAPH, sources / "graph" / "second-report")
    report = build_release(sources, base / "dist")
    store = ox.Store()
    store.load(path=str(base / "dist" / "vawmw.nq"), format=ox.RdfFormat.N_QUADS)
    return report, store, base / "dist"


def select(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    solutions = store.query(PREFIXES + query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [variable.value for variable in solutions.variables]
    return [tuple(solution[name].value for name in names) for solution in solutions]


@pytest.mark.slow
def test_second_report_builds_and_validates_with_the_real_graph(
    series_build: tuple[BuildReport, ox.Store, Path],
) -> None:
    report, store, dist = series_build
    assert report.release is not None
    assert quality.errors(report.quality_findings) == []  # a failed gate would have raised
    assert all(result.severity != "Violation" for result in report.warnings)
    minted = fixture_subjects()
    assert [f for f in report.quality_findings if f.entity in minted] == []
    assert [w for w in report.warnings if w.focus_node in minted] == []
    # Every triple of the fixture is in the release's data graph (read from the dump: the
    # Oxigraph store keeps xsd:positiveInteger values as xsd:integer).
    data = {
        (q.subject.value, q.predicate.value, str(q.object))
        for q in ox.parse(path=str(dist / "vawmw.nq"), format=ox.RdfFormat.N_QUADS)
        if q.graph_name == ox.NamedNode(GRAPH_DATA)
    }
    fixture = {(str(s), str(p), ox_text(o)) for s, p, o in fixture_graph()}
    assert fixture <= data
    # Both reports are reports of the one series.
    rows = select(
        store,
        """SELECT ?report ?symbol WHERE {
             ?report a vawmw:Report ; vawmw:hasDocumentSymbol ?symbol ;
                     dcterms:isPartOf ?series . ?series a vawmw:ReportSeries }""",
    )
    assert set(rows) == {(FIRST, "A/78/292"), (SECOND_REPORT, "A/99/999")}


def ox_text(node: object) -> str:
    """An rdflib term as pyoxigraph prints it, to compare triples across the two libraries."""
    if isinstance(node, Literal):
        if node.language:
            return str(ox.Literal(str(node), language=node.language))
        datatype = ox.NamedNode(str(node.datatype or XSD.string))
        return str(ox.Literal(str(node), datatype=datatype))
    return str(ox.NamedNode(str(node)))


def test_the_fixture_stays_out_of_the_release_sources() -> None:
    assert not SECOND.is_relative_to(ROOT / "graph")
    for path in sorted((ROOT / "graph").glob("**/*.ttl")):
        assert SECOND_KEY not in path.read_text(encoding="utf-8"), path


# --------------------------------------------------------------------------- no collisions


def test_second_report_mints_no_iri_of_the_real_graph() -> None:
    real = real_graph()
    real_subjects = {str(s) for s in real.subjects() if isinstance(s, URIRef)}
    real_nodes = real_subjects | {str(o) for o in real.objects() if isinstance(o, URIRef)}
    states = {ID + "state/" + iso for iso in SECOND_REPORTERS}
    shared = fixture_subjects() & real_subjects
    # The only real resources the fixture speaks about are its reporting States, and of each it
    # says one thing only: that it contributed to the fictional report.
    assert shared == states
    contributed = URIRef("https://w3id.org/vawmw/ontology#contributedTo")
    for state in shared:
        about = set(fixture_graph().predicate_objects(URIRef(state)))
        assert about == {(contributed, URIRef(SECOND_REPORT))}, state
    # Everything else is new: no subject of the fixture is a subject or object of the real graph,
    # and each is keyed by the fictional report (or is its party count for 2044).
    minted = fixture_subjects() - states
    assert not minted & real_nodes
    for iri in minted:
        assert f"/{SECOND_KEY}" in iri or iri == PARTY_COUNT, iri


# --------------------------------------------------------------------------- cross-report queries


@pytest.mark.slow
def test_party_counts_by_report_year(series_build: tuple[BuildReport, ox.Store, Path]) -> None:
    _report, store, _dist = series_build
    rows = select(
        store,
        """SELECT DISTINCT ?reportYear ?instrument ?year ?count WHERE {
             ?obs a vawmw:PartyCount ;
                  vawmw:concernsInstrument ?instrument ;
                  vawmw:hasReferenceYear ?year ;
                  vawmw:hasPartyCount ?count ;
                  prov:wasDerivedFrom ?paragraph .
             ?paragraph a vawmw:Paragraph ; dcterms:isPartOf+ ?report .
             ?report a vawmw:Report ; dcterms:issued ?issued .
             BIND (STR(YEAR(?issued)) AS ?reportYear)
           }""",
    )
    found = {
        (report_year, instrument.removeprefix(ID + "instrument/"), year, int(count))
        for report_year, instrument, year, count in rows
    }
    expected = {("2023", *row) for row in FIRST_PARTY_COUNTS} | {
        ("2044", *row) for row in SECOND_PARTY_COUNTS
    }
    assert found == expected
    # The series view: ILO C190 parties as each report gives them.
    c190 = select(
        store,
        """SELECT ?reportYear (MAX(?count) AS ?parties) WHERE {
             ?obs vawmw:concernsInstrument <https://w3id.org/vawmw/id/instrument/ilo-c190> ;
                  vawmw:hasPartyCount ?count ; prov:wasDerivedFrom/dcterms:isPartOf+ ?report .
             ?report a vawmw:Report ; dcterms:issued ?issued .
             BIND (STR(YEAR(?issued)) AS ?reportYear)
           } GROUP BY ?reportYear""",
    )
    assert {(year, int(parties)) for year, parties in c190} == {("2023", 27), ("2044", 61)}


@pytest.mark.slow
def test_states_that_reported_to_both(series_build: tuple[BuildReport, ox.Store, Path]) -> None:
    _report, store, _dist = series_build
    rows = select(
        store,
        f"""SELECT DISTINCT ?iso WHERE {{
              ?state a vawmw:ReportingState ; vawmw:hasIsoAlpha3Code ?iso ;
                     vawmw:contributedTo <{FIRST}> , <{SECOND_REPORT}> }}""",
    )
    both = {iso for (iso,) in rows}
    assert both == SECOND_REPORTERS & REPORTING_STATES == {"MEX", "PHL", "SEN"}
    # The second report's own list: its footnote 1 and the contributions agree, and the two
    # States that reported only to it (the Niger, Saudi Arabia) are now inferred reporting States.
    second_only = select(
        store,
        f"""SELECT DISTINCT ?iso WHERE {{
              ?state a vawmw:ReportingState ; vawmw:hasIsoAlpha3Code ?iso ;
                     vawmw:contributedTo <{SECOND_REPORT}> .
              <{SECOND_REPORT}/footnote/1> dcterms:references ?state .
              FILTER NOT EXISTS {{ ?state vawmw:contributedTo <{FIRST}> }} }}""",
    )
    assert {iso for (iso,) in second_only} == SECOND_REPORTERS - REPORTING_STATES == {"NER", "SAU"}


# Queries that name States by the report they contributed to (issue 17: reporting is a relation
# to a report, not a global class); with the second report loaded they must answer as before.
PER_REPORT_QUERIES = (
    "reporting-state-count",
    "reporting-states-by-m49-region",
    "c189-status-among-reporting-states",
    "c189-parties-without-domestic-worker-law",
    "c189-without-icrmw-safe",
    "smuggling-protocol-non-parties",
    "istanbul-convention-states",
    "initiatives-in-reporting-states",
)


def _answers(store: ox.Store, name: str) -> set[tuple[str, ...]]:
    query = (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [variable.value for variable in solutions.variables]
    # GROUP_CONCAT lists codes in no fixed order: compare them as sorted lists.
    return {
        tuple(
            " ".join(sorted(solution[n].value.split())) if n == "codes" else str(solution[n])
            for n in names
        )
        for solution in solutions
    }


@pytest.mark.parametrize("name", PER_REPORT_QUERIES)
def test_per_report_queries_do_not_merge_the_second_report(
    series_build: tuple[BuildReport, ox.Store, Path], real_release: Path, name: str
) -> None:
    _report, series, _dist = series_build
    alone = ox.Store.read_only(str(real_release / "store"))
    assert _answers(series, name) == _answers(alone, name)


def test_the_global_reporting_state_class_would_merge_them(
    series_build: tuple[BuildReport, ox.Store, Path],
) -> None:
    # Why the queries name the report: footnote 1 of A/78/292 lists 27 States, and the fixture
    # adds two that reported only to A/99/999 (the Niger, Saudi Arabia). The convenience class
    # ReportingState (contributed to *some* report) holds all 29 once both are loaded.
    _report, store, _dist = series_build
    (row,) = select(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a vawmw:ReportingState }")
    assert int(row[0]) == len(REPORTING_STATES | SECOND_REPORTERS) == 29
    (row,) = select(
        store,
        f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a vawmw:MemberState ;
        vawmw:contributedTo <{FIRST}> }}""",
    )
    assert int(row[0]) == len(REPORTING_STATES) == 27


# --------------------------------------------------------------------------- breaking the fixture

Mutation = Callable[[Graph], None]


def rename(old: URIRef, new: URIRef) -> Mutation:
    def apply(graph: Graph) -> None:
        for s, p, o in list(graph):
            if old in (s, o):
                graph.remove((s, p, o))
                graph.add((new if s == old else s, p, new if o == old else o))

    return apply


def replace(subject: URIRef, predicate: URIRef, value: URIRef | Literal) -> Mutation:
    def apply(graph: Graph) -> None:
        graph.remove((subject, predicate, None))
        graph.add((subject, predicate, value))

    return apply


def add(subject: URIRef, predicate: URIRef, value: URIRef | Literal) -> Mutation:
    def apply(graph: Graph) -> None:
        graph.add((subject, predicate, value))

    return apply


def chain(*mutations: Mutation) -> Mutation:
    def apply(graph: Graph) -> None:
        for mutation in mutations:
            mutation(graph)

    return apply


def number(n: int) -> Literal:
    return Literal(str(n), datatype=XSD.positiveInteger)


def broken(mutation: Mutation) -> Graph:
    graph = Graph()
    for triple in fixture_graph():
        graph.add(triple)
    mutation(graph)
    return graph


# (shape, focus node, mutation): the second report broken so that the shape must fire on it.
SHAPE_CASES: dict[str, tuple[str, URIRef, Mutation]] = {
    "paragraph-with-leading-zero": (
        "ParagraphShape",
        second("para/03"),
        rename(second("para/3"), second("para/03")),
    ),
    "footnote-with-leading-zero": (
        "FootnoteShape",
        second("footnote/02"),
        rename(second("footnote/2"), second("footnote/02")),
    ),
    "section-key-in-digits": (
        "ReportSectionShape",
        second("section/2"),
        rename(second("section/II"), second("section/2")),
    ),
    "section-number-in-digits": (
        "ReportSection-hasSectionNumber",
        second("section/II"),
        replace(second("section/II"), VAWMW.hasSectionNumber, Literal("2")),
    ),
    "section-mentioned-in-a-paragraph-past-the-last": (
        "Resource-isReferencedBy",
        second("section/III"),
        add(second("section/III"), DCTERMS.isReferencedBy, second("para/6")),
    ),
    "claim-under-a-misspelt-kind": (
        "ClaimShape",
        second("recommendations/5-a"),
        rename(second("recommendation/5-a"), second("recommendations/5-a")),
    ),
    "claim-derived-from-a-paragraph-past-the-last": (
        "Claim-wasDerivedFrom",
        keyed("statistic", "2-1"),
        replace(keyed("statistic", "2-1"), PROV.wasDerivedFrom, second("para/6")),
    ),
    "claim-citing-a-footnote-past-the-last": (
        "Claim-citesFootnote",
        keyed("statistic", "2-1"),
        replace(keyed("statistic", "2-1"), VAWMW.citesFootnote, second("footnote/3")),
    ),
    "risk-statement-without-k": (
        "RiskStatementShape",
        keyed("risk-statement", "2"),
        rename(keyed("risk-statement", "2-1"), keyed("risk-statement", "2")),
    ),
    "statistic-with-a-slash": (
        "StatisticShape",
        keyed("statistic", "2/1"),
        rename(keyed("statistic", "2-1"), keyed("statistic", "2/1")),
    ),
    "party-status-with-lower-case-iso3": (
        "PartyStatusShape",
        keyed("party-status", "phl/ilo-c190"),
        rename(keyed("party-status", "PHL/ilo-c190"), keyed("party-status", "phl/ilo-c190")),
    ),
    "action-with-a-leading-zero": (
        "ActionShape",
        keyed("measure", "03/femicide-law/MEX"),
        rename(keyed("measure", "3/femicide-law/MEX"), keyed("measure", "03/femicide-law/MEX")),
    ),
    "state-measure-with-a-leading-zero": (
        "StateMeasureShape",
        keyed("measure", "03/femicide-law/MEX"),
        rename(keyed("measure", "3/femicide-law/MEX"), keyed("measure", "03/femicide-law/MEX")),
    ),
    "initiative-without-k": (
        "UNInitiativeShape",
        keyed("initiative", "4"),
        rename(keyed("initiative", "4-1"), keyed("initiative", "4")),
    ),
    "recommendation-without-hyphen": (
        "RecommendationShape",
        second("recommendation/5a"),
        rename(second("recommendation/5-a"), second("recommendation/5a")),
    ),
    "recommendation-letter-upper-case": (
        "Recommendation-hasLetter",
        second("recommendation/5-a"),
        replace(second("recommendation/5-a"), VAWMW.hasLetter, Literal("A")),
    ),
    "recommendation-derived-from-a-footnote": (
        "Recommendation-wasDerivedFrom",
        second("recommendation/5-a"),
        replace(second("recommendation/5-a"), PROV.wasDerivedFrom, second("footnote/1")),
    ),
    "recommendation-derived-from-two-paragraphs": (
        "Recommendation-wasDerivedFrom",
        second("recommendation/5-a"),
        add(second("recommendation/5-a"), PROV.wasDerivedFrom, second("para/4")),
    ),
    "footnote-of-a-paragraph-past-the-last": (
        "Footnote-isFootnoteOf",
        second("footnote/2"),
        replace(second("footnote/2"), VAWMW.isFootnoteOf, second("para/6")),
    ),
    "paragraph-in-a-missing-section": (
        "Paragraph-isPartOf",
        second("para/5"),
        replace(second("para/5"), DCTERMS.isPartOf, second("section/IV")),
    ),
    "state-contributing-to-a-missing-report": (
        "State-contributedTo",
        URIRef(ID + "state/MEX"),
        chain(
            add(URIRef(ID + "state/MEX"), RDF.type, VAWMW.MemberState),  # as graph/states.ttl
            replace(URIRef(ID + "state/MEX"), VAWMW.contributedTo, URIRef(ID + "report/A-99-998")),
        ),
    ),
}


def shape_results(data: Graph) -> set[tuple[str, str]]:
    """(source shape local name, focus node) of every result, validated with the ontology."""
    graph = Graph()
    for triple in data:
        graph.add(triple)
    for triple in ontology_graph():
        graph.add(triple)
    _conforms, report, _text = validate(
        graph, shacl_graph=shapes_graph(), inference="none", abort_on_first=False
    )
    assert isinstance(report, Graph)
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = str(report.value(result, SH.sourceShape)).removeprefix(SHAPES_NS)
        found.add((shape, str(report.value(result, SH.focusNode))))
    return found


@cache
def baseline_shape_results() -> frozenset[tuple[str, str]]:
    return frozenset(shape_results(fixture_graph()))


@pytest.mark.parametrize("case", sorted(SHAPE_CASES))
def test_shape_fires_on_the_broken_second_report(case: str) -> None:
    shape, focus, mutation = SHAPE_CASES[case]
    assert SECOND_KEY in focus or focus.startswith(ID + "state/")
    assert (shape, str(focus)) not in baseline_shape_results()
    found = shape_results(broken(mutation))
    assert (shape, str(focus)) in found, sorted(r for r in found if r[1] == str(focus))


def test_second_report_meets_its_own_shapes() -> None:
    """Validated alone (with the ontology), the fixture's own nodes meet every shape except the
    sh:class links to resources of graph/ (States, instruments, concepts), which it only names."""
    own = {
        (shape, focus)
        for shape, focus in baseline_shape_results()
        if SECOND_KEY in focus or focus == PARTY_COUNT
    }
    class_links = {
        "Claim-concernsGroup",
        "Claim-concernsInstrument",
        "Claim-concernsRisk",
        "Claim-concernsStage",
        "Claim-concernsState",
        "PartyStatus-concernsInstrument",
        "PartyStatus-concernsState",
        "PartyCount-concernsInstrument",
        "StateMeasure-isReportedBy",
        "StateMeasure-hasMeasureType",
        "Action-hasCategory",
        "RiskStatement-describesRisk",
        "UNInitiative-isLedBy",
        "Recommendation-isAddressedTo",
        "Report-publisher",
        "Report-isPartOf",
    }
    assert {shape for shape, _focus in own} <= class_links, sorted(own)


# (check, entity, mutation): the second report broken so that the quality check must report it.
CHECK_CASES: dict[str, tuple[str, URIRef, Mutation]] = {
    "claim_derived_from_key_paragraph": (
        "claim_derived_from_key_paragraph",
        keyed("statistic", "2-1"),
        replace(keyed("statistic", "2-1"), PROV.wasDerivedFrom, second("para/3")),
    ),
    "paragraph_number_matches_iri": (
        "paragraph_number_matches_iri",
        second("para/4"),
        replace(second("para/4"), VAWMW.hasParagraphNumber, number(3)),
    ),
    "footnote_number_matches_iri": (
        "footnote_number_matches_iri",
        second("footnote/2"),
        replace(second("footnote/2"), VAWMW.hasFootnoteNumber, number(3)),
    ),
    "party_status_key_matches_state": (
        "party_status_key_matches_state",
        keyed("party-status", "PHL/ilo-c190"),
        replace(
            keyed("party-status", "PHL/ilo-c190"), VAWMW.concernsState, URIRef(ID + "state/MEX")
        ),
    ),
    "party_status_key_matches_instrument": (
        "party_status_key_matches_instrument",
        keyed("party-status", "PHL/ilo-c190"),
        replace(
            keyed("party-status", "PHL/ilo-c190"),
            VAWMW.concernsInstrument,
            URIRef(ID + "instrument/ilo-c189"),
        ),
    ),
    "party_count_key_matches_dimensions": (
        "party_count_key_matches_dimensions",
        URIRef(PARTY_COUNT),
        replace(URIRef(PARTY_COUNT), VAWMW.hasReferenceYear, Literal("2045", datatype=XSD.gYear)),
    ),
    "state_measure_key_matches_state": (
        "state_measure_key_matches_state",
        keyed("measure", "3/femicide-law/MEX"),
        replace(
            keyed("measure", "3/femicide-law/MEX"), VAWMW.isReportedBy, URIRef(ID + "state/PHL")
        ),
    ),
    "state_measure_key_matches_measure_type": (
        "state_measure_key_matches_measure_type",
        keyed("measure", "3/femicide-law/MEX"),
        replace(
            keyed("measure", "3/femicide-law/MEX"),
            VAWMW.hasMeasureType,
            URIRef(ID + "measure-type/domestic-worker-law"),
        ),
    ),
    "recommendation_letter_matches_iri": (
        "recommendation_letter_matches_iri",
        second("recommendation/5-a"),
        replace(second("recommendation/5-a"), VAWMW.hasLetter, Literal("b")),
    ),
    "report_key_matches_document_symbol": (
        "report_key_matches_document_symbol",
        URIRef(SECOND_REPORT),
        replace(URIRef(SECOND_REPORT), VAWMW.hasDocumentSymbol, Literal("A/99/998")),
    ),
    "report_part_key_matches_report/paragraph-in-the-other-report": (
        "report_part_key_matches_report",
        second("para/3"),
        replace(second("para/3"), DCTERMS.isPartOf, URIRef(FIRST + "/section/III")),
    ),
    "report_part_key_matches_report/footnote-of-the-other-report": (
        "report_part_key_matches_report",
        second("footnote/1"),
        replace(second("footnote/1"), VAWMW.isFootnoteOf, URIRef(FIRST + "/para/2")),
    ),
    "claim_source_in_keyed_report": (
        "claim_source_in_keyed_report",
        keyed("party-status", "PHL/ilo-c190"),
        replace(
            keyed("party-status", "PHL/ilo-c190"), PROV.wasDerivedFrom, URIRef(FIRST + "/para/27")
        ),
    ),
    "numbering_has_no_gap/paragraph-past-the-last": (
        "numbering_has_no_gap",
        second("para/50"),
        chain(
            rename(second("para/5"), second("para/50")),
            replace(second("para/50"), VAWMW.hasParagraphNumber, number(50)),
        ),
    ),
    "numbering_has_no_gap/footnote-past-the-last": (
        "numbering_has_no_gap",
        second("footnote/9"),
        chain(
            rename(second("footnote/2"), second("footnote/9")),
            replace(second("footnote/9"), VAWMW.hasFootnoteNumber, number(9)),
        ),
    ),
}


@cache
def real_sources_store() -> ox.Store:
    """ontology/ and graph/ as the build loads them, before the fixture is added."""
    store = ox.Store()
    for path in [ONTOLOGY, *sorted((ROOT / "graph").glob("*.ttl"))]:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(GRAPH_DATA))
    return store


def check_findings(data: Graph) -> set[tuple[str, str, str]]:
    """(check, severity, entity) of every finding on the real sources plus the given data."""
    store = ox.Store()
    store.extend(real_sources_store())
    store.load(
        input=data.serialize(format="nt"),
        format=ox.RdfFormat.N_TRIPLES,
        to_graph=ox.NamedNode(GRAPH_DATA),
    )
    return {(f.check, f.severity, f.entity) for f in quality.run_checks(store)}


@cache
def baseline_check_findings() -> frozenset[tuple[str, str, str]]:
    return frozenset(check_findings(fixture_graph()))


def test_second_report_meets_every_error_check() -> None:
    assert {f for f in baseline_check_findings() if f[1] == "ERROR"} == set()


@pytest.mark.parametrize("case", sorted(CHECK_CASES))
def test_check_fires_on_the_broken_second_report(case: str) -> None:
    check, entity, mutation = CHECK_CASES[case]
    assert SECOND_KEY in entity or str(entity) == PARTY_COUNT
    profile = quality.load_profile()
    finding = (check, profile[check][0], str(entity))
    assert finding not in baseline_check_findings()
    found = check_findings(broken(mutation))
    assert finding in found, sorted(f for f in found if f[2] == str(entity))


# --------------------------------------------------------------------------- no report named


def test_no_shape_constraint_names_a_report() -> None:
    """Patterns and value lists accept any report; A/78/292 appears only in examples."""
    graph = shapes_graph()
    for predicate in (SH.pattern, SH["in"], SH.hasValue):
        for _shape, value in graph.subject_objects(predicate):
            members = list(graph.items(value)) if predicate == SH["in"] else [value]
            for member in members:
                assert "78-292" not in str(member), member
                assert not re.search(r"\[1-5\]\[0-9\]|7\[0-5\]|58-", str(member)), member


def test_no_quality_check_names_a_report() -> None:
    for path in sorted(QC_DIR.glob("*.rq")):
        body = "\n".join(
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if not line.lstrip().startswith("#")
        )
        assert "78-292" not in body, path.name
        assert "/recommendation/58" not in body, path.name


def test_shape_messages_cite_no_development_path() -> None:
    graph = shapes_graph()
    for shape, message in graph.subject_objects(SH.message):
        assert not re.search(r"(?<!\.)\.\./|shared/", str(message)), shape
