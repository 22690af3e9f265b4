"""The OWL 2 RL closure of the repository: consistent, and inferring what the model promises."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from vawmw.build.reasoning import Closure, InconsistencyError, owl_rl_closure
from vawmw.build.sources import load_sources, parse_turtle
from vawmw.rdf.namespaces import GRAPH_DATA, GRAPH_ONTOLOGY

from tests.report_facts import REPORTING_STATES

ROOT = Path(__file__).resolve().parents[2]
VAWMW = "https://w3id.org/vawmw/ontology#"
ID = "https://w3id.org/vawmw/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture(scope="module")
def described() -> list[ox.Triple]:
    sources = load_sources(ROOT)
    return sources.graph(GRAPH_ONTOLOGY) + sources.graph(GRAPH_DATA)


@pytest.fixture(scope="module")
def closure(described: list[ox.Triple]) -> Closure:
    return owl_rl_closure(described)


def _inferred(closure: Closure) -> set[tuple[str, str, str]]:
    return {(t.subject.value, t.predicate.value, str(t.object.value)) for t in closure.inferred}


def test_reporting_states_are_inferred_from_their_contribution(closure: Closure) -> None:
    inferred = _inferred(closure)
    reporting = {
        s.removeprefix(ID + "state/")
        for s, p, o in inferred
        if p == RDF_TYPE and o == VAWMW + "ReportingState"
    }
    # Footnote 1 of A/78/292 lists the 27 States that contributed.
    assert reporting == REPORTING_STATES


def test_property_chains_carry_footnote_citations_to_works(closure: Closure) -> None:
    inferred = _inferred(closure)
    # Para 5, footnote 13 (ILO survey): 40.7 % of young migrant women faced violence at work.
    cites_ilo_survey = {
        s
        for s, p, o in inferred
        if p == VAWMW + "citesWork"
        and o.endswith("ilo-2022-experiences-of-violence-and-harassment-at-work")
    }
    assert any("/statistic/A-78-292/5-" in s for s in cites_ilo_survey)


def test_risks_get_their_stages_from_risk_statements(closure: Closure) -> None:
    inferred = _inferred(closure)
    stages = {
        o.removeprefix(ID + "stage/")
        for s, p, o in inferred
        if s == ID + "risk/death-at-sea" and p == VAWMW + "occursAtStage"
    }
    # Para 12: women drown crossing the sea during the journey.
    assert "transit" in stages


def test_the_closure_of_ontology_and_graph_is_consistent(closure: Closure) -> None:
    assert closure.closure_size >= closure.input_size


def test_a_planted_disjointness_violation_is_reported(
    described: list[ox.Triple], tmp_path: Path
) -> None:
    planted = tmp_path / "planted.ttl"
    planted.write_text(
        "<https://w3id.org/vawmw/id/risk/debt> "
        "a <https://w3id.org/vawmw/ontology#FormOfViolence> .\n"
    )
    with pytest.raises(InconsistencyError):
        owl_rl_closure(described + parse_turtle(planted))
