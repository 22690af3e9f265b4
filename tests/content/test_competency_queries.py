"""The competency queries in ``queries/*.rq``, each answered and checked against report A/78/292.

Every expected value below is read from the report text (paragraph or footnote cited in the
test), from the UN M49 standard, or from the UNSD SDG wording - never from a query's output.
Where a link is the project's own judgement (SDG targets of the recommendations), the triples
are in ``graph/interpretations.ttl``, the basis is stated in ``graph/recommendations.ttl`` and it
is restated here.

A test is skipped only when a graph file it needs does not exist yet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Final

import pyoxigraph as ox
import pytest

ROOT: Final = Path(__file__).resolve().parents[2]
QUERIES: Final = ROOT / "queries"
ONTOLOGY_DIR: Final = ROOT / "ontology"
GRAPH_DIR: Final = ROOT / "graph"
UN_LOD_EXTRACT: Final = ROOT / "un" / "unsd-extract.ttl"

GRAPH_ONTOLOGY: Final = "https://w3id.org/vawmw/graph/ontology"
GRAPH_DATA: Final = "https://w3id.org/vawmw/graph/data"
GRAPH_INFERRED: Final = "https://w3id.org/vawmw/graph/inferred"
ID: Final = "https://w3id.org/vawmw/id/"

# Graph files the tests depend on (a test is skipped while one of its files is absent).
STATES: Final = "states.ttl"
MEASURES: Final = "measures.ttl"
INSTRUMENTS: Final = "instruments.ttl"
PARTY_STATUSES: Final = "party-status.ttl"
PARTY_COUNTS: Final = "party-counts.ttl"
STATISTICS: Final = "statistics.ttl"
RISK_STATEMENTS: Final = "risk-statements.ttl"
FOOTNOTES: Final = "footnotes.ttl"
WORKS: Final = "works.ttl"
REPORT: Final = "report.ttl"
INITIATIVES: Final = "initiatives.ttl"
RECOMMENDATIONS: Final = "recommendations.ttl"
INTERPRETATIONS: Final = "interpretations.ttl"
PARTY_COVERAGE: Final = "party-coverage.ttl"

Row = dict[str, ox.NamedNode | ox.BlankNode | ox.Literal | None]


# --------------------------------------------------------------------------------------------
# The store
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Graphs:
    """The store the queries run on, and the source files that could not be parsed."""

    store: ox.Store
    broken: dict[str, str]


@pytest.fixture(scope="session")
def graphs(real_release: Path) -> Graphs:
    """The built release, as `vawmw serve` opens it: its own graphs and the UN extract of ``un/``
    (nothing is added here, so a query that needs data the release lacks answers nothing)."""
    store = ox.Store()
    release_store = ox.Store.read_only(str(real_release / "store"))
    store.extend(release_store.quads_for_pattern(None, None, None, None))
    return Graphs(store=store, broken={})


def needs(graphs: Graphs, *files: str) -> ox.Store:
    """The store, once the files a test reads exist (else skip) and parse (else fail)."""
    for name in files:
        path = UN_LOD_EXTRACT if name == UN_LOD_EXTRACT.name else GRAPH_DIR / name
        if not path.is_file():
            pytest.skip(f"{path.relative_to(ROOT)} does not exist yet")
    wanted = {f"graph/{name}" for name in files}
    unparsed = {
        name: error
        for name, error in graphs.broken.items()
        if name in wanted or name.startswith("ontology/")
    }
    if unparsed:
        pytest.fail(f"input files do not parse: {unparsed}")
    return graphs.store


def run(store: ox.Store, name: str) -> list[Row]:
    """Answer ``queries/{name}.rq`` over the union of all graphs."""
    results = store.query(
        (QUERIES / f"{name}.rq").read_text(encoding="utf-8"), use_default_graph_as_union=True
    )
    assert isinstance(results, ox.QuerySolutions)
    variables = [variable.value for variable in results.variables]
    return [{variable: solution[variable] for variable in variables} for solution in results]


def key(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    """The last path segment of an id: IRI ("PHL", "ilo-c189", "58-f")."""
    assert isinstance(term, ox.NamedNode), term
    return term.value.rstrip("/").rsplit("/", 1)[-1]


def number(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Decimal:
    assert isinstance(term, ox.Literal), term
    return Decimal(term.value)


def text(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    assert isinstance(term, ox.Literal), term
    return term.value


def keys(rows: list[Row], variable: str) -> set[str]:
    return {key(row[variable]) for row in rows}


def grouped(rows: list[Row], by: str, value: str) -> dict[str, set[str]]:
    groups: defaultdict[str, set[str]] = defaultdict(set)
    for row in rows:
        groups[key(row[by])].add(key(row[value]))
    return dict(groups)


# --------------------------------------------------------------------------------------------
# Every query file is well formed
# --------------------------------------------------------------------------------------------


def _query_files() -> Iterator[Path]:
    yield from sorted(QUERIES.glob("*.rq"))


@pytest.mark.parametrize("path", list(_query_files()), ids=lambda path: path.stem)
def test_query_file_has_title_and_description(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# title: ") and lines[1].startswith("# description: ")


def test_every_query_has_a_test() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    assert {path.stem for path in _query_files() if f'"{path.stem}"' not in source} == set()


def test_no_shipped_query_returns_nothing(graphs: Graphs) -> None:
    # Every example is a question the release can answer: none may come back empty on the
    # release as built (the three UN joins answered nothing before the extract was loaded).
    empty = [path.stem for path in _query_files() if not run(graphs.store, path.stem)]
    assert empty == []


# --------------------------------------------------------------------------------------------
# International instruments (section III.A)
# --------------------------------------------------------------------------------------------


def test_c189_parties_without_domestic_worker_law(graphs: Graphs) -> None:
    store = needs(graphs, STATES, PARTY_STATUSES, MEASURES)
    # Para 27: the reporting States that "had ratified" C189: ARG CHL MEX NIC PRY PER PHL PRT.
    # Para 35: domestic-worker legislation in COL HRV KWT PRY PER PHL QAT SEN (draft: UKR).
    assert keys(run(store, "c189-parties-without-domestic-worker-law"), "state") == {
        "ARG",
        "CHL",
        "MEX",
        "NIC",
        "PRT",
    }


def test_party_counts_2021_vs_2023(graphs: Graphs) -> None:
    store = needs(graphs, PARTY_COUNTS)
    # Para 23 table (ICRMW, UNTOC, its two Protocols); para 27 (C189: 32 in 2021, 36 in May 2023).
    rows = run(store, "party-counts-2021-vs-2023")
    got = {
        key(row["instrument"]): (int(number(row["count2021"])), int(number(row["count2023"])))
        for row in rows
    }
    assert got == {
        "icrmw": (56, 58),
        "untoc": (190, 191),
        "trafficking-protocol": (178, 178),
        "smuggling-protocol": (150, 153),
        "ilo-c189": (32, 36),
    }


def test_largest_party_count_increase(graphs: Graphs) -> None:
    store = needs(graphs, PARTY_COUNTS)
    # C189 gained 4 parties (32 -> 36); the next largest is the Smuggling Protocol with 3.
    rows = run(store, "largest-party-count-increase")
    assert [(key(row["instrument"]), int(number(row["increase"]))) for row in rows] == [
        ("ilo-c189", 4)
    ]


def test_states_considering_ratification(graphs: Graphs) -> None:
    store = needs(graphs, PARTY_STATUSES)
    # Para 26: Moldova will consider C143; Croatia will consider C97 and C143.
    # Para 27: Croatia, Guatemala and Moldova are considering C189.
    rows = run(store, "states-considering-ratification")
    assert {(key(row["state"]), key(row["instrument"])) for row in rows} == {
        ("MDA", "ilo-c143"),
        ("HRV", "ilo-c097"),
        ("HRV", "ilo-c143"),
        ("HRV", "ilo-c189"),
        ("GTM", "ilo-c189"),
        ("MDA", "ilo-c189"),
    }


def test_c190_entry_into_force_2024(graphs: Graphs) -> None:
    store = needs(graphs, PARTY_STATUSES)
    # Para 27: C190 comes into force in 2024 for Canada, France, Ireland and Lesotho.
    assert keys(run(store, "c190-entry-into-force-2024"), "state") == {"CAN", "FRA", "IRL", "LSO"}


def test_c190_entry_into_force_2023(graphs: Graphs) -> None:
    store = needs(graphs, PARTY_STATUSES)
    # Para 27: in 2023 for the Bahamas, Barbados, the Central African Republic, El Salvador,
    # Mexico, Nigeria, Panama and Peru.
    assert keys(run(store, "c190-entry-into-force-2023"), "state") == {
        "BHS",
        "BRB",
        "CAF",
        "SLV",
        "MEX",
        "NGA",
        "PAN",
        "PER",
    }


def test_smuggling_protocol_non_parties(graphs: Graphs) -> None:
    store = needs(graphs, STATES, PARTY_STATUSES)
    # Para 25: all reporting States are parties except China, Colombia and Qatar.
    assert keys(run(store, "smuggling-protocol-non-parties"), "state") == {"CHN", "COL", "QAT"}


def test_c189_status_among_reporting_states(graphs: Graphs) -> None:
    store = needs(graphs, STATES, PARTY_STATUSES)
    # Para 27: 8 reporting States "had ratified" (contracting States: the report does not say it
    # is in force for each), Benin "is in the process of" and 3 "are considering" doing so; the
    # last two are stated intentions, not legal statuses.
    rows = run(store, "c189-status-among-reporting-states")
    got = {
        (key(row["ratificationStatus"]), text(row["kind"])): int(number(row["states"]))
        for row in rows
    }
    assert got == {
        ("contracting-state", "legal status"): 8,
        ("in-process", "stated intention"): 1,
        ("considering", "stated intention"): 3,
    }


def test_c189_without_icrmw_safe(graphs: Graphs) -> None:
    store = needs(graphs, STATES, PARTY_STATUSES, PARTY_COVERAGE)
    # "Reporting States party to C189 but not to the ICRMW?" Para 27 names the 8 reporting States
    # that ratified C189; para 23 gives only counts of ICRMW ratifications (56, 58) and names no
    # State. So for each of the 8 the report's ICRMW position is "not stated", never "not party".
    rows = run(store, "c189-without-icrmw-safe")
    assert keys(rows, "state") == {"ARG", "CHL", "MEX", "NIC", "PRY", "PER", "PHL", "PRT"}
    assert {text(row["icrmwPosition"]) for row in rows} == {"not stated in the report"}
    assert {text(row["icrmwCoverage"]) for row in rows} == {"count only"}


def test_risk_stage_perpetrator_per_statement(graphs: Graphs) -> None:
    store = needs(graphs, RISK_STATEMENTS)
    # Para 10: women using smugglers face rape and kidnapping on the journey; para 12: abandonment
    # by smugglers while migrating; para 19: harassment by employers at destination. Harassment is
    # never said to happen online by employers, so the safe pattern must not return it.
    rows = run(store, "risk-stage-perpetrator-per-statement")
    got = {
        (key(r["risk"]), key(r["stage"]), key(r["perpetrator"])): text(r["paragraphs"])
        for r in rows
    }
    assert got[("rape", "transit", "smugglers")] == "10"
    assert got[("kidnapping", "transit", "smugglers")] == "10"
    assert got[("abandonment", "transit", "smugglers")] == "12"
    assert got[("harassment", "destination", "employers")] == "19"
    assert ("harassment", "online", "employers") not in got


def test_istanbul_convention_states(graphs: Graphs) -> None:
    store = needs(graphs, STATES, MEASURES)
    # Para 29: Croatia, Cyprus, the Republic of Moldova and Serbia ratified the Istanbul Convention.
    assert keys(run(store, "istanbul-convention-states"), "state") == {"HRV", "CYP", "MDA", "SRB"}


def test_bilateral_agreement_signatories(graphs: Graphs) -> None:
    store = needs(graphs, INSTRUMENTS)
    # Para 30: Burundi with Qatar and with Saudi Arabia; Costa Rica with Nicaragua.
    got = grouped(run(store, "bilateral-agreement-signatories"), "agreement", "signatory")
    named = {"bilateral-bdi-qat", "bilateral-bdi-sau", "bilateral-cri-nic"}
    assert {agreement: states for agreement, states in got.items() if agreement in named} == {
        "bilateral-bdi-qat": {"BDI", "QAT"},
        "bilateral-bdi-sau": {"BDI", "SAU"},
        "bilateral-cri-nic": {"CRI", "NIC"},
    }


# --------------------------------------------------------------------------------------------
# State measures (sections III.B-III.G)
# --------------------------------------------------------------------------------------------


def test_reporting_state_count(graphs: Graphs) -> None:
    store = needs(graphs, STATES)
    # Para 2 and footnote 1: submissions from 27 Member States.
    rows = run(store, "reporting-state-count")
    assert int(number(rows[0]["reportingStates"])) == 27


def test_femicide_laws(graphs: Graphs) -> None:
    store = needs(graphs, MEASURES)
    # Para 34: femicide is specifically criminalized by Benin, Honduras and Peru.
    assert keys(run(store, "femicide-laws"), "state") == {"BEN", "HND", "PER"}


def test_domestic_violence_and_femicide_laws(graphs: Graphs) -> None:
    store = needs(graphs, MEASURES)
    # Para 34: domestic violence (BLR CHL HRV CYP HND MDA SRB TKM) and femicide (BEN HND PER).
    assert keys(run(store, "domestic-violence-and-femicide-laws"), "state") == {"HND"}


def test_measures_per_category_per_state(graphs: Graphs) -> None:
    store = needs(graphs, MEASURES)
    # Kuwait appears in two lists only: domestic-worker legislation (para 35, III.C) and
    # legal assistance (para 48, III.G).
    rows = run(store, "measures-per-category-per-state")
    assert {key(row["category"]) for row in rows if key(row["state"]) == "KWT"} == {
        "legislation",
        "protection-assistance",
    }


def test_sex_disaggregated_trafficking_data(graphs: Graphs) -> None:
    store = needs(graphs, MEASURES)
    # Para 39: sex-disaggregated trafficking data are collected by Burundi, Croatia, the
    # Philippines and Senegal.
    assert keys(run(store, "sex-disaggregated-trafficking-data"), "state") == {
        "BDI",
        "HRV",
        "PHL",
        "SEN",
    }


def test_reporting_states_by_m49_region(graphs: Graphs) -> None:
    store = needs(graphs, STATES, UN_LOD_EXTRACT.name)
    # UN M49 sub-regions of the 27 reporting States of footnote 1.
    rows = run(store, "reporting-states-by-m49-region")
    got = {text(row["regionName"]): set(text(row["codes"]).split()) for row in rows}
    assert got == {
        "Northern Africa": {"DZA"},
        "Eastern Africa": {"BDI"},
        "Western Africa": {"BEN", "CPV", "SEN"},
        "South America": {"ARG", "CHL", "COL", "PRY", "PER"},
        "Central America": {"GTM", "HND", "MEX", "NIC"},
        "Eastern Asia": {"CHN"},
        "South-eastern Asia": {"PHL"},
        "Central Asia": {"TKM"},
        "Western Asia": {"CYP", "KWT", "QAT", "TUR"},
        "Eastern Europe": {"BLR", "MDA", "UKR"},
        "Southern Europe": {"HRV", "PRT", "SRB"},
    }


# --------------------------------------------------------------------------------------------
# Risks (section II)
# --------------------------------------------------------------------------------------------


def test_transit_risks_and_measures(graphs: Graphs) -> None:
    store = needs(graphs, RISK_STATEMENTS)
    # Paras 8-12: on the journey women face kidnapping (10), extortion by smugglers (8: "Technology
    # is also used for extortion"; the women "detained in Mexico" of para 10 had migrated to Mexico,
    # their destination), transactional rape for passage (10), torture for ransom (11) and
    # abandonment by smugglers (12).
    risks = keys(run(store, "transit-risks-and-measures"), "risk")
    assert {
        "kidnapping",
        "extortion",
        "transactional-rape",
        "torture-for-ransom",
        "abandonment",
    } <= risks


def test_return_stage_risks(graphs: Graphs) -> None:
    store = needs(graphs, RISK_STATEMENTS)
    # Para 15, the only paragraph on return: gender-based violence persists and may grow, and
    # returnees fear intimate partner violence (stigma is a risk factor, not a risk described).
    assert keys(run(store, "return-stage-risks"), "risk") == {
        "gender-based-violence",
        "intimate-partner-violence",
    }


def test_risks_affecting_domestic_workers(graphs: Graphs) -> None:
    store = needs(graphs, RISK_STATEMENTS)
    # Paras 18-20: domestic workers face labour exploitation (18), employers' keeping of
    # passports (19), and forced labour linked to debt (20).
    risks = keys(run(store, "risks-affecting-domestic-workers"), "risk")
    assert {"labour-exploitation", "withheld-passports", "forced-labour"} <= risks


def test_perpetrators_per_stage(graphs: Graphs) -> None:
    store = needs(graphs, RISK_STATEMENTS)
    # On the journey the report names smugglers (paras 10, 12), traffickers (para 11) and,
    # at borders, cartels (para 13).
    got = grouped(run(store, "perpetrators-per-stage"), "stage", "perpetrator")
    assert got.get("transit") == {"smugglers", "traffickers", "cartels"}


def test_trafficking_risk_paragraphs(graphs: Graphs) -> None:
    store = needs(graphs, RISK_STATEMENTS, REPORT)
    # Trafficking as a risk: para 5 (pandemic), 9 (higher risk, technology), 11 (smuggling
    # continuum), 16 (impunity and rising trafficking).
    rows = run(store, "trafficking-risk-paragraphs")
    assert {int(key(row["paragraph"])) for row in rows} == {5, 9, 11, 16}


# --------------------------------------------------------------------------------------------
# Statistics and citations
# --------------------------------------------------------------------------------------------


def test_statistics_citing_ilo_works(graphs: Graphs) -> None:
    store = needs(graphs, STATISTICS, FOOTNOTES, WORKS)
    # ILO works back statistics in para 3 (footnotes 5-7), para 5 (footnote 13, ILO survey)
    # and para 21 (footnotes 68-69, Making Decent Work a Reality).
    rows = run(store, "statistics-citing-ilo-works")
    assert {int(key(row["paragraph"])) for row in rows} == {3, 5, 21}


def test_statistics_with_comparisons(graphs: Graphs) -> None:
    store = needs(graphs, STATISTICS)
    # Para 5: 40.7 % of young migrant women against 26.8 % of non-migrant women.
    # Para 7: women are 18 % of the offline population, against 11 % in 2019.
    # Para 9: the same share of trafficking victims for two groups, 64 % women and 27 % girls
    # (the contract's "same figure for a different group").
    rows = run(store, "statistics-with-comparisons")
    pairs = {frozenset({number(row["value"]), number(row["otherValue"])}) for row in rows}
    assert pairs == {
        frozenset({Decimal("40.7"), Decimal("26.8")}),
        frozenset({Decimal("18"), Decimal("11")}),
        frozenset({Decimal("64"), Decimal("27")}),
    }


def test_footnotes_citing_ilo_works(graphs: Graphs) -> None:
    store = needs(graphs, FOOTNOTES, WORKS)
    # Footnotes 5, 6, 7, 13, 60, 62, 65, 68, 69 (Ibid.) and 70 cite ILO publications.
    rows = run(store, "footnotes-citing-ilo-works")
    assert {int(number(row["number"])) for row in rows} == {5, 6, 7, 13, 60, 62, 65, 68, 69, 70}


# --------------------------------------------------------------------------------------------
# UN system initiatives (section IV)
# --------------------------------------------------------------------------------------------


def test_initiatives_by_un_entity(graphs: Graphs) -> None:
    store = needs(graphs, INITIATIVES)
    # Paras 49-54: UNDP 4 (50; 54 three times), UNESCO 2 (49, 51), WFP 2 (49), UN-Women 2
    # (49 Niger survey, 52 with UN-Habitat), UN-Habitat 1 (52), FAO 1 (51), UN entities 1 (53).
    rows = run(store, "initiatives-by-un-entity")
    assert {key(row["entity"]): int(number(row["initiatives"])) for row in rows} == {
        "undp": 4,
        "unesco": 2,
        "wfp": 2,
        "un-women": 2,
        "un-habitat": 1,
        "fao": 1,
        "un-system": 1,
    }


def test_initiatives_per_category(graphs: Graphs) -> None:
    store = needs(graphs, INITIATIVES)
    # IV.A (para 49): 4 initiatives; IV.B (paras 50-51): 3; IV.C (paras 52-54): 5.
    rows = run(store, "initiatives-per-category")
    assert {key(row["category"]): int(number(row["initiatives"])) for row in rows} == {
        "un-research-data": 4,
        "un-legislative-policy-support": 3,
        "un-advocacy-capacity-building": 5,
    }


def test_initiatives_in_reporting_states(graphs: Graphs) -> None:
    store = needs(graphs, INITIATIVES, STATES)
    # Para 54: UNDP work in Serbia and the Republic of Moldova, both reporting States.
    assert keys(run(store, "initiatives-in-reporting-states"), "state") == {"SRB", "MDA"}


def test_initiatives_by_programme(graphs: Graphs) -> None:
    store = needs(graphs, INITIATIVES)
    # Para 49: the Niger survey under Making Migration Safe for Women; para 53: Spotlight in Haiti.
    rows = run(store, "initiatives-by-programme")
    assert {(key(row["programme"]), key(row["area"])) for row in rows} == {
        ("making-migration-safe-for-women", "NER"),
        ("spotlight-initiative", "HTI"),
    }


# --------------------------------------------------------------------------------------------
# Recommendations (section V)
# --------------------------------------------------------------------------------------------


def test_recommendations_by_addressee(graphs: Graphs) -> None:
    store = needs(graphs, RECOMMENDATIONS)
    # Para 58 (a)-(t): 20 recommendations to States; para 59: one to the UN system.
    rows = run(store, "recommendations-by-addressee")
    assert {key(row["addressee"]): int(number(row["recommendations"])) for row in rows} == {
        "un-member-states": 20,
        "un-system": 1,
    }


def test_instruments_per_recommendation(graphs: Graphs) -> None:
    store = needs(graphs, RECOMMENDATIONS)
    # 58 (c) CEDAW, Beijing, 2030 Agenda; (d) Global Compact; (e) C190, R206, C189, R201;
    # (k) the SDGs, that is the 2030 Agenda.
    got = grouped(run(store, "instruments-per-recommendation"), "recommendation", "instrument")
    assert got == {
        "58-c": {"cedaw", "beijing-declaration", "agenda-2030"},
        "58-d": {"global-compact-migration"},
        "58-e": {"ilo-c190", "ilo-r206", "ilo-c189", "ilo-r201"},
        "58-k": {"agenda-2030"},
    }


def test_recommendations_by_stage(graphs: Graphs) -> None:
    store = needs(graphs, RECOMMENDATIONS)
    # (f) origin, transit and destination; (i) "during migration and after return", so transit
    # and return; (j) reintegration; (p) pre-departure; (q) online violence.
    got = grouped(run(store, "recommendations-by-stage"), "stage", "recommendation")
    assert got == {
        "origin": {"58-f", "58-p"},
        "transit": {"58-f", "58-i"},
        "destination": {"58-f"},
        "return": {"58-i", "58-j"},
        "online": {"58-q"},
    }


def test_perpetrators_in_recommendations(graphs: Graphs) -> None:
    store = needs(graphs, RECOMMENDATIONS)
    # (f) smugglers and traffickers; (g) employers and recruitment agencies.
    got = grouped(run(store, "perpetrators-in-recommendations"), "perpetrator", "recommendation")
    assert got == {
        "smugglers": {"58-f"},
        "traffickers": {"58-f"},
        "employers": {"58-g"},
        "recruitment-agencies": {"58-g"},
    }


def test_recommendations_serving_sdg_8_7(graphs: Graphs) -> None:
    store = needs(graphs, RECOMMENDATIONS, INTERPRETATIONS)
    # Judgement (basis in rdfs:comment): the recommendations that name trafficking or
    # traffickers - (f), (h), (o) - or exploitative recruitment - (g).
    assert keys(run(store, "recommendations-serving-sdg-8-7"), "recommendation") == {
        "58-f",
        "58-g",
        "58-h",
        "58-o",
    }


def test_sdg_targets_of_recommendations(graphs: Graphs) -> None:
    store = needs(graphs, RECOMMENDATIONS, INTERPRETATIONS, UN_LOD_EXTRACT.name)
    # UNSD wording: of the targets linked, only 8.8 speaks of "women migrants".
    rows = run(store, "sdg-targets-of-recommendations")
    assert {key(row["target"]) for row in rows if "women migrants" in text(row["targetText"])} == {
        "8.8"
    }


def test_recommendations_on_migration_sdg_targets(graphs: Graphs) -> None:
    store = needs(graphs, RECOMMENDATIONS, INTERPRETATIONS, UN_LOD_EXTRACT.name)
    # UNSD wording mentions migration in 8.8, 10.7 and 17.18 (of those linked). Judgement:
    # 10.7 for (a) (b) (d) (g) (h) (j) (p) on migration policy, pathways and return;
    # 8.8 for (e) (g) (i) on labour rights; 17.18 for (t) on disaggregated data.
    assert keys(run(store, "recommendations-on-migration-sdg-targets"), "recommendation") == {
        "58-a",
        "58-b",
        "58-d",
        "58-e",
        "58-g",
        "58-h",
        "58-i",
        "58-j",
        "58-p",
        "58-t",
    }
