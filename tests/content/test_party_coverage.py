"""Absence made explicit (issue 17): what report A/78/292 states about each treaty's parties.

Paragraph 23 gives only counts of ratifications for the Migrant Workers Convention (ICRMW) and
the Organized Crime Convention; paragraphs 24-29 give statuses per State for the Protocols, the
ILO conventions and the Istanbul Convention. A query must be able to tell "the report says this
State is not a party" from "the report says nothing about this State".
"""

from __future__ import annotations

import pyoxigraph as ox
from vawmw.rdf import namespaces as ns
from vawmw.rdf.namespaces import sparql_prologue
from vawmw.web.pages.resource import render_resource

from tests.report_facts import REPORTING_STATES

ICRMW = ns.ID + "instrument/icrmw"


def _rows(store: ox.Store, query: str) -> list[dict[str, str]]:
    result = store.query(sparql_prologue() + query)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in result]


def _coverage(store: ox.Store) -> dict[str, tuple[str, str]]:
    found = _rows(
        store,
        """SELECT ?i ?kind ?all WHERE { ?c a vawmw:PartyCoverage ; vawmw:concernsInstrument ?i ;
        vawmw:hasPartyCoverage ?kind ; vawmw:coversAllReportingStates ?all }""",
    )
    return {r["i"].rsplit("/", 1)[1]: (r["kind"].rsplit("/", 1)[1], r["all"]) for r in found}


def test_one_coverage_statement_per_treaty_with_party_information(store: ox.Store) -> None:
    with_parties = {
        r["i"].rsplit("/", 1)[1]
        for r in _rows(
            store,
            """SELECT DISTINCT ?i WHERE { { ?s a vawmw:PartyStatus } UNION { ?s a vawmw:PartyCount }
            ?s vawmw:concernsInstrument ?i }""",
        )
    }
    counted = _rows(
        store,
        """SELECT ?i (COUNT(?c) AS ?n) WHERE { ?c a vawmw:PartyCoverage ;
        vawmw:concernsInstrument ?i } GROUP BY ?i""",
    )
    assert {r["n"] for r in counted} == {"1"}
    assert with_parties <= set(_coverage(store))


def test_coverage_follows_the_report_words(store: ox.Store) -> None:
    coverage = _coverage(store)
    # Para 23: a table of numbers of ratifications only.
    assert coverage["icrmw"] == ("count-only", "false")
    assert coverage["untoc"] == ("count-only", "false")
    # "ratified or acceded to by all reporting States" (24), "all ... except" (25),
    # "has been ratified by all reporting States" (26): every reporting State's status is stated.
    for every in ("trafficking-protocol", "smuggling-protocol", "ilo-c111"):
        assert coverage[every] == ("per-state", "true"), every
    # Paras 26, 27, 29 name only some reporting States.
    for some in ("ilo-c097", "ilo-c143", "ilo-c181", "ilo-c189", "ilo-c190", "istanbul-convention"):
        assert coverage[some] == ("per-state", "false"), some


def test_a_query_tells_not_stated_from_not_party(store: ox.Store) -> None:
    # The pattern of queries/c189-without-icrmw-safe.rq, for every reporting State and two treaties.
    found = _rows(
        store,
        """SELECT ?state ?i ?answer WHERE {
        ?state vawmw:contributedTo id:report\\/A-78-292 .
        VALUES ?i { id:instrument\\/icrmw id:instrument\\/smuggling-protocol }
        ?c a vawmw:PartyCoverage ; vawmw:concernsInstrument ?i .
        OPTIONAL { ?s a vawmw:PartyStatus ; vawmw:concernsState ?state ; vawmw:concernsInstrument ?i ;
                   vawmw:hasRatificationStatus ?st }
        BIND (COALESCE(STRAFTER(STR(?st), "ratification-status/"), "not stated") AS ?answer) }""",
    )
    answers = {(r["state"].rsplit("/", 1)[1], r["i"].rsplit("/", 1)[1]): r["answer"] for r in found}
    # Para 23 names no State for the ICRMW: nothing is stated about any reporting State.
    assert {answers[(s, "icrmw")] for s in REPORTING_STATES} == {"not stated"}
    # Para 25 names the three that have not ratified or acceded to the Smuggling Protocol.
    assert {s for s in REPORTING_STATES if answers[(s, "smuggling-protocol")] == "not-party"} == {
        "CHN",
        "COL",
        "QAT",
    }


def test_the_instrument_page_says_what_the_report_states(store: ox.Store) -> None:
    node = ox.NamedNode(ICRMW)
    triples = [q.triple for q in store.quads_for_pattern(node, None, None)]
    triples += [q.triple for q in store.quads_for_pattern(None, None, node)]
    subjects = {t.subject for t in triples if t.object == node}
    label = ox.NamedNode(ns.RDFS + "label")
    for subject in subjects:
        triples += [q.triple for q in store.quads_for_pattern(subject, label, None)]
    _, body = render_resource(ICRMW, triples, base=ns.BASE)
    assert "What the report states about its parties" in body
    assert "only a count stated" in body
    assert "not stated in the report" in body
