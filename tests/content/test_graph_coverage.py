"""graph/ covers what a careful reader finds in A/78/292, item by item.

Every expected value below is read off the report (paragraph or footnote named in the test),
not off the graph.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from vawmw.rdf.namespaces import sparql_prologue

from tests.report_facts import REPORTING_STATES

ROOT = Path(__file__).resolve().parents[2]
SHARED_CODES = ROOT.parent / "shared" / "un-lod" / "sdg-codes.ttl"
ID = "https://w3id.org/vawmw/id/"
WD = "http://www.wikidata.org/entity/"
REPORTING = REPORTING_STATES  # footnote 1


def rows(store: ox.Store, query: str) -> list[dict[str, str]]:
    result = store.query(sparql_prologue() + query)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in result]


def keys(store: ox.Store, query: str, prefix: str = "") -> set[str]:
    return {r["x"].removeprefix(ID + prefix) for r in rows(store, query)}


def test_the_report_itself(store: ox.Store) -> None:
    (report,) = rows(
        store,
        """SELECT * WHERE { id:report\\/A-78-292 vawmw:hasDocumentSymbol ?symbol ;
        dcterms:issued ?issued ; vawmw:hasAgendaItem ?item ; vawmw:respondsTo ?resolution ;
        vawmw:hasCoverageStart ?start ; vawmw:hasCoverageEnd ?end }""",
    )
    assert report["symbol"] == "A/78/292"
    assert report["issued"] == "2023-08-07"
    assert report["item"] == "26 (a)"
    assert report["resolution"] == ID + "instrument/a-res-76-141"
    assert (report["start"], report["end"]) == ("2021-07", "2023-06")


def test_paragraphs_1_to_59_each_in_a_section(store: ox.Store) -> None:
    found = rows(
        store,
        """SELECT ?p ?n ?section WHERE { ?p a vawmw:Paragraph ;
        vawmw:hasParagraphNumber ?n ; dcterms:isPartOf ?section . ?section a vawmw:ReportSection }""",
    )
    assert sorted(int(r["n"]) for r in found) == list(range(1, 60))
    for r in found:
        assert r["p"] == f"{ID}report/A-78-292/para/{r['n']}"
    section_of = {int(r["n"]): r["section"].rsplit("/", 1)[1] for r in found}
    # Headings of the report: para 23 opens III.A, para 45 is in III.G, para 58 in V.
    assert (section_of[23], section_of[45], section_of[58]) == ("III-A", "III-G", "V")


def test_75_footnotes_each_attached_to_a_paragraph(store: ox.Store) -> None:
    numbers = rows(
        store,
        """SELECT ?n WHERE { ?f a vawmw:Footnote ; vawmw:hasFootnoteNumber ?n ;
        vawmw:isFootnoteOf ?p . ?p a vawmw:Paragraph }""",
    )
    assert sorted(int(r["n"]) for r in numbers) == list(range(1, 76))


def test_contributors_27_states_one_commission_six_entities(store: ox.Store) -> None:
    states = keys(
        store, "SELECT ?x WHERE { ?x a vawmw:MemberState ; vawmw:contributedTo ?r }", "state/"
    )
    assert states == REPORTING  # footnote 1
    orgs = keys(
        store,
        "SELECT ?x WHERE { ?x vawmw:contributedTo ?r FILTER NOT EXISTS { ?x a vawmw:MemberState } }",
        "org/",
    )
    # footnote 2 (ESCWA) and footnote 3 (FAO, UNESCO, UNDP, UN-Habitat, UN-Women, WFP)
    assert orgs == {"escwa", "fao", "unesco", "undp", "un-habitat", "un-women", "wfp"}


def test_every_state_named_in_the_body_is_there(store: ox.Store) -> None:
    states = keys(store, "SELECT ?x WHERE { ?x a vawmw:MemberState }", "state/")
    # para 30 (Saudi Arabia, Costa Rica), para 27 (C190 list), paras 15, 17, 19, 20, 49, 52, 53
    named = {"SAU", "CRI", "BHS", "BRB", "CAF", "SLV", "NGA", "PAN", "CAN", "FRA", "IRL", "LSO",
             "BGD", "ZAF", "LBN", "NPL", "IDN", "NER", "CMR", "HTI"}  # fmt: skip
    assert named | REPORTING <= states


def test_party_counts_of_the_para_23_table_and_para_27(store: ox.Store) -> None:
    found = {
        (r["i"].removeprefix(ID + "instrument/"), r["y"], int(r["n"]))
        for r in rows(
            store,
            """SELECT ?i ?y ?n WHERE { ?o a vawmw:PartyCount ; vawmw:concernsInstrument ?i ;
            vawmw:hasReferenceYear ?y ; vawmw:hasPartyCount ?n }""",
        )
    }
    assert {
        ("icrmw", "2021", 56), ("icrmw", "2023", 58), ("untoc", "2021", 190), ("untoc", "2023", 191),
        ("trafficking-protocol", "2021", 178), ("trafficking-protocol", "2023", 178),
        ("smuggling-protocol", "2021", 150), ("smuggling-protocol", "2023", 153),
        ("ilo-c189", "2021", 32), ("ilo-c189", "2023", 36), ("ilo-c190", "2023", 27),
    } <= found  # fmt: skip


def _status(
    store: ox.Store, instrument: str, status: str, prop: str = "hasRatificationStatus"
) -> set[str]:
    return keys(
        store,
        f"""SELECT ?x WHERE {{ ?s vawmw:concernsInstrument id:instrument\\/{instrument} ;
        vawmw:{prop} id:ratification-status\\/{status} ; vawmw:concernsState ?x }}""",
        "state/",
    )


def _intention(store: ox.Store, instrument: str, intention: str) -> set[str]:
    return _status(store, instrument, intention, "hasStatedIntention")


# Vienna Convention on the Law of Treaties, art. 2(1): (f) a "contracting State" has consented to
# be bound by the treaty, whether or not it has entered into force; (g) a "party" has consented
# and the treaty is in force for it. The report's verbs decide which one a paragraph supports:
# "ratified or acceded to" / "has been ratified by" / "had ratified" / "reported having
# ratified" -> contracting State (in force for it not stated); "are parties to" -> party;
# "will come into force in 2023/2024 for" -> contracting State, not (yet) a party.
CONSENTED = "contracting-state"
NOT_YET_IN_FORCE = "contracting-state-not-in-force"


def test_party_statuses_of_paras_24_to_29(store: ox.Store) -> None:
    # Para 24: "ratified or acceded to by all reporting States".
    assert _status(store, "trafficking-protocol", CONSENTED) == REPORTING
    # Para 25: all "except China, Colombia and Qatar"; those three neither ratified nor acceded.
    assert _status(store, "smuggling-protocol", CONSENTED) == REPORTING - {"CHN", "COL", "QAT"}
    assert _status(store, "smuggling-protocol", "not-party") == {"CHN", "COL", "QAT"}
    # Para 26: "are parties to" C97 and C143 - the report's own word, so party.
    assert _status(store, "ilo-c097", "party") == {"DZA", "CYP", "GTM", "PHL", "PRT", "MDA", "TKM"}
    assert _status(store, "ilo-c143", "party") == {"BEN", "CYP", "PHL", "PRT", "SRB"}
    # Para 26: C111 "has been ratified by all reporting States"; C181 "has been ratified by".
    assert _status(store, "ilo-c111", CONSENTED) == REPORTING
    assert _status(store, "ilo-c181", CONSENTED) == {"DZA", "PRT", "MDA", "SRB"}
    # Para 27: "As at May 2023, 36 countries had ratified [C189], including the reporting States".
    assert _status(store, "ilo-c189", CONSENTED) == {
        "ARG",
        "CHL",
        "MEX",
        "NIC",
        "PRY",
        "PER",
        "PHL",
        "PRT",
    }
    # Para 27: "Among the reporting States, Argentina has ratified [C190]".
    assert _status(store, "ilo-c190", CONSENTED) == {"ARG"}
    # Para 29: States "reported having ratified" the Istanbul Convention.
    assert _status(store, "istanbul-convention", CONSENTED) == {"HRV", "CYP", "MDA", "SRB"}
    # No paragraph calls any of these States a party to C189, C190 or the Protocols.
    for instrument in ("ilo-c189", "ilo-c190", "trafficking-protocol", "smuggling-protocol"):
        assert _status(store, instrument, "party") == set(), instrument


def test_c190_is_not_yet_in_force_for_twelve_ratifying_states(store: ox.Store) -> None:
    # Para 27: as at June 2023 C190 "will come into force in 2023 for the Bahamas, Barbados, the
    # Central African Republic, El Salvador, Mexico, Nigeria, Panama and Peru, and in 2024 for
    # Canada, France, Ireland and Lesotho": contracting States (2(1)(f)), not parties (2(1)(g)).
    twelve = {"BHS", "BRB", "CAF", "SLV", "MEX", "NGA", "PAN", "PER", "CAN", "FRA", "IRL", "LSO"}
    assert _status(store, "ilo-c190", NOT_YET_IN_FORCE) == twelve
    as_at = rows(
        store,
        """SELECT DISTINCT ?d WHERE { ?s vawmw:concernsInstrument id:instrument\\/ilo-c190 ;
        vawmw:hasRatificationStatus id:ratification-status\\/contracting-state-not-in-force ;
        vawmw:isValidAsOf ?d }""",
    )
    assert [r["d"] for r in as_at] == ["2023-06"]  # "As at June 2023"
    # Both legal statuses say the State consented to be bound (2(1)(f)); only one says in force.
    broader = rows(
        store,
        """SELECT ?s WHERE { ?s skos:broader id:ratification-status\\/contracting-state }""",
    )
    assert {r["s"].rsplit("/", 1)[1] for r in broader} == {"party", NOT_YET_IN_FORCE}


def test_stated_intentions_are_not_legal_statuses(store: ox.Store) -> None:
    # Para 26: Moldova "will consider" C143, Croatia "will consider" C97 and C143, Guatemala's
    # ratification of C181 "is pending discussion"; para 27: Benin "is in the process of" and
    # Croatia, Guatemala and Moldova "are considering" C189; Benin and Ukraine "are making
    # efforts" on C190.
    assert _intention(store, "ilo-c097", "considering") == {"HRV"}
    assert _intention(store, "ilo-c143", "considering") == {"MDA", "HRV"}
    assert _intention(store, "ilo-c181", "pending-discussion") == {"GTM"}
    assert _intention(store, "ilo-c189", "in-process") == {"BEN"}
    assert _intention(store, "ilo-c189", "considering") == {"HRV", "GTM", "MDA"}
    assert _intention(store, "ilo-c190", "making-efforts") == {"BEN", "UKR"}
    mixed = rows(
        store,
        """SELECT ?s WHERE { { ?s vawmw:hasRatificationStatus ?x . ?x a vawmw:RatificationIntention }
        UNION { ?s vawmw:hasStatedIntention ?x . ?x a vawmw:RatificationStatus }
        UNION { ?s vawmw:hasRatificationStatus ?a ; vawmw:hasStatedIntention ?b } }""",
    )
    assert mixed == []


def test_every_status_has_an_as_at_date(store: ox.Store) -> None:
    # Para 27 dates its statements ("As at May 2023" for C189, "As at June 2023" for C190);
    # paras 24-26 and 29 give none, so they hold as at the report's date, 7 August 2023.
    found = rows(
        store,
        """SELECT ?i (GROUP_CONCAT(DISTINCT STR(?d)) AS ?dates) (COUNT(?s) AS ?n)
        (SUM(IF(BOUND(?d), 1, 0)) AS ?dated) WHERE {
        ?s a vawmw:PartyStatus ; vawmw:concernsInstrument ?i . OPTIONAL { ?s vawmw:isValidAsOf ?d } }
        GROUP BY ?i""",
    )
    by_instrument = {r["i"].rsplit("/", 1)[1]: r for r in found}
    assert all(r["n"] == r["dated"] for r in found)
    assert by_instrument["ilo-c189"]["dates"] == "2023-05"
    assert by_instrument["ilo-c190"]["dates"] == "2023-06"
    for other in ("trafficking-protocol", "smuggling-protocol", "ilo-c097", "ilo-c111", "ilo-c143",
                  "ilo-c181", "istanbul-convention"):  # fmt: skip
        assert by_instrument[other]["dates"] == "2023-08-07", other


def test_c190_entry_into_force_2023_and_2024(store: ox.Store) -> None:
    found = rows(
        store,
        """SELECT ?x ?y WHERE { ?s vawmw:concernsInstrument id:instrument\\/ilo-c190 ;
        vawmw:concernsState ?x ; vawmw:hasEntryIntoForceYear ?y }""",
    )
    by_year: dict[str, set[str]] = {}
    for r in found:
        by_year.setdefault(r["y"], set()).add(r["x"].removeprefix(ID + "state/"))
    assert by_year == {  # para 27
        "2023": {"BHS", "BRB", "CAF", "SLV", "MEX", "NGA", "PAN", "PER"},
        "2024": {"CAN", "FRA", "IRL", "LSO"},
    }


def test_entry_into_force_dates_of_c189_and_c190(store: ox.Store) -> None:
    found = {
        r["i"].rsplit("/", 1)[1]: r["d"]
        for r in rows(store, "SELECT ?i ?d WHERE { ?i vawmw:enteredIntoForceOn ?d }")
    }
    assert found["ilo-c189"] == "2013-09-05" and found["ilo-c190"] == "2021-06-25"  # para 27


def test_the_other_instruments_the_report_names(store: ox.Store) -> None:
    instruments = keys(
        store, "SELECT ?x WHERE { ?x a/rdfs:subClassOf* vawmw:Instrument }", "instrument/"
    )
    assert {"global-compact-migration", "istanbul-convention", "cedaw", "beijing-declaration", "agenda-2030",
            "ilo-r201", "ilo-r206", "bilateral-bdi-qat", "bilateral-bdi-sau", "bilateral-cri-nic",
            "bilateral-phl-labour-agreements"} <= instruments  # fmt: skip
    signatories = keys(
        store,
        "SELECT ?x WHERE { id:instrument\\/bilateral-cri-nic vawmw:hasSignatory ?x }",
        "state/",
    )
    assert signatories == {"CRI", "NIC"}  # para 30


def test_the_30_parenthesized_lists_give_one_measure_per_state(store: ox.Store) -> None:
    found = rows(
        store,
        """SELECT ?m ?state ?status WHERE { ?m a vawmw:StateMeasure ; vawmw:isReportedBy ?state
        OPTIONAL { ?m vawmw:hasImplementationStatus ?status }
        FILTER STRSTARTS(STR(?m), "https://w3id.org/vawmw/id/measure/A-78-292/") }""",
    )
    lists: dict[tuple[str, str, str], set[str]] = {}
    for r in found:
        para, kind, _iso = r["m"].removeprefix(ID + "measure/A-78-292/").split("/")
        key = (para, kind, r.get("status", ""))
        lists.setdefault(key, set()).add(r["state"].removeprefix(ID + "state/"))
    # States per list, counted in paras 28-48 (para 35 has a list in force and one in draft).
    expected = [7, 4, 8, 9, 11, 7, 4, 11, 12, 8, 3, 8, 1, 14, 7, 8, 3, 5, 4, 6, 2, 3, 14, 15,
                16, 3, 15, 9, 10, 15]  # fmt: skip
    assert sorted(len(states) for states in lists.values()) == sorted(expected)
    femicide = {
        s for (para, kind, _), states in lists.items() if kind == "femicide-law" for s in states
    }
    assert femicide == {"BEN", "HND", "PER"}  # para 34
    draft = {
        s for (_, _, status), states in lists.items() if status.endswith("/draft") for s in states
    }
    assert draft == {"UKR"}  # para 35


@pytest.mark.parametrize(
    ("measure", "state"),
    [
        ("MEX/consular-care-protocol", "MEX"),  # para 36
        ("MEX/inspection-protocol-human-trafficking-workplaces", "MEX"),  # para 38
        ("PER/protocol-for-care-of-migrant-women-victims-of-violence", "PER"),  # para 36
        ("PER/law-on-domestic-workers", "PER"),  # para 35
        ("MDA/law-2-2023", "MDA"),  # para 34
        ("PRY/decree-6973-17", "PRY"),  # para 34
        ("PHL/national-action-plan-on-return-and-reintegration", "PHL"),  # para 36
        ("HND/returned-migrant-assistance-registry-information-system", "HND"),  # para 40
        ("HRV/free-telephone-service-for-survivors", "HRV"),  # para 45
        ("CYP/national-action-plan-violence-against-women-2023-2028", "CYP"),  # para 29
        ("TUR/international-labour-force-law-6735", "TUR"),  # footnote 74
        ("KWT/domestic-worker-rights-information-and-complaints", "KWT"),  # para 48
        ("GTM/returned-migrant-assistance-window", "GTM"),  # para 47
        ("CHL/information-days-for-migrant-women", "CHL"),  # para 43
    ],
)
def test_named_examples_are_measures_of_their_state(
    store: ox.Store, measure: str, state: str
) -> None:
    found = rows(
        store,
        f"""SELECT ?state ?para WHERE {{ <{ID}measure/{measure}> a vawmw:StateMeasure ;
        vawmw:isReportedBy ?state ; prov:wasDerivedFrom ?para }}""",
    )
    assert found and {r["state"] for r in found} == {ID + "state/" + state}


def test_statistics_have_value_unit_and_paragraph(store: ox.Store) -> None:
    found = rows(
        store,
        """SELECT ?s ?v ?u ?p WHERE { ?s a vawmw:Statistic ; vawmw:hasNumericValue ?v ;
        vawmw:hasUnit ?u ; prov:wasDerivedFrom ?p }""",
    )
    assert len({r["s"] for r in found}) >= 25
    values = {(r["p"].rsplit("/", 1)[1], float(r["v"])) for r in found}
    # Figures of paras 3, 5, 10, 13, 19 and 21.
    for expected in [("3", 48.0), ("3", 281_000_000.0), ("5", 40.7), ("5", 26.8), ("5", 8.7), ("10", 43.0),
                     ("13", 17.6), ("19", 68.0), ("19", 26.0), ("21", 22.0)]:  # fmt: skip
        assert expected in values


def test_the_young_women_comparison_is_expressible(store: ox.Store) -> None:
    pairs = rows(
        store,
        """SELECT ?a ?b WHERE { ?x vawmw:hasNumericValue ?a ; vawmw:isComparedWith ?y .
        ?y vawmw:hasNumericValue ?b }""",
    )
    assert {"a": "40.7", "b": "26.8"} in pairs  # para 5


def test_initiatives_of_section_iv(store: ox.Store) -> None:
    found = rows(store, "SELECT ?i ?lead WHERE { ?i a vawmw:UNInitiative ; vawmw:isLedBy ?lead }")
    leads = {r["lead"].removeprefix(ID + "org/") for r in found}
    assert {"unesco", "wfp", "un-women", "undp", "fao", "un-habitat"} <= leads  # paras 49-54
    programmes = keys(
        store,
        "SELECT ?x WHERE { ?i a vawmw:UNInitiative ; vawmw:isPartOfProgramme ?x }",
        "programme/",
    )
    assert programmes == {"spotlight-initiative", "making-migration-safe-for-women"}  # paras 49, 53


def test_recommendations_58_a_to_t_and_59_with_sdg_targets(store: ox.Store) -> None:
    found = keys(
        store, "SELECT ?x WHERE { ?x a vawmw:Recommendation }", "report/A-78-292/recommendation/"
    )
    assert found == {f"58-{letter}" for letter in "abcdefghijklmnopqrst"} | {"59"}
    unlinked = keys(
        store,
        """SELECT ?x WHERE { ?x a vawmw:Recommendation
        FILTER NOT EXISTS { ?x vawmw:servesSdgTarget ?t } }""",
    )
    assert unlinked == set()
    instruments = keys(
        store,
        """SELECT ?x WHERE {
        id:report\\/A-78-292\\/recommendation\\/58-e vawmw:concernsInstrument ?x }""",
        "instrument/",
    )
    assert instruments == {"ilo-c190", "ilo-r206", "ilo-c189", "ilo-r201"}  # 58 (e)


def test_footnotes_reference_cited_works(store: ox.Store) -> None:
    found = rows(
        store,
        """SELECT ?n ?title WHERE { ?f vawmw:hasFootnoteNumber ?n ; vawmw:referencesWork ?w .
        ?w dcterms:title ?title }""",
    )
    titles = {int(r["n"]): r["title"] for r in found}
    assert titles[5].startswith("ILO Global Estimates on International Migrant Workers")
    assert titles[13].startswith("Experiences of Violence and Harassment at Work")


@pytest.mark.skipif(not SHARED_CODES.is_file(), reason="../shared/un-lod is absent")
def test_state_codes_agree_with_unsd(store: ox.Store) -> None:
    unsd = ox.Store()
    unsd.load(path=str(SHARED_CODES), format=ox.RdfFormat.TURTLE)
    expected = {
        r["iso3"]: (r["area"], r["wd"])
        for r in rows(
            unsd,
            """SELECT ?area ?iso3 ?wd WHERE {
            ?area <http://metadata.un.org/sdg/codes/geoArea#iso3code> ?iso3 ; skos:exactMatch ?wd
            FILTER STRSTARTS(STR(?wd), "http://www.wikidata.org/") }""",
        )
    }
    ours = rows(
        store,
        """SELECT ?iso3 ?match WHERE { ?s a vawmw:MemberState ; vawmw:hasIsoAlpha3Code ?iso3 ;
        vawmw:hasUnGeoArea|<https://schema.org/sameAs> ?match }""",
    )
    by_state: dict[str, set[str]] = {}
    for r in ours:
        by_state.setdefault(r["iso3"], set()).add(r["match"])
    assert set(by_state) >= REPORTING
    for iso3, matches in by_state.items():
        assert set(expected[iso3]) <= matches, iso3


def test_no_skos_mapping_links_a_state_area_or_organization(store: ox.Store) -> None:
    # Issue 17: a SKOS mapping property would type a State or organization as skos:Concept.
    found = rows(
        store,
        """SELECT DISTINCT ?s WHERE {
        ?s ?p ?o .
        VALUES ?p { skos:exactMatch skos:closeMatch skos:broadMatch skos:narrowMatch
                    skos:relatedMatch }
        { ?s a vawmw:MemberState } UNION { ?s a vawmw:Region } UNION { ?s a vawmw:Locality }
        UNION { ?s a vawmw:MigrationRoute } UNION { ?s a vawmw:UNEntity }
        UNION { ?s a vawmw:RegionalCommission } UNION { ?s a vawmw:IntergovernmentalOrganization }
        UNION { ?s a vawmw:NationalBody } UNION { ?s a vawmw:CivilSocietyOrganization }
        UNION { ?s a vawmw:CooperationForum } UNION { ?s a vawmw:Programme }
        UNION { ?s a vawmw:Risk } UNION { ?s a vawmw:FormOfViolence } UNION { ?s a vawmw:RiskFactor }
        }""",
    )
    assert found == []


UNCONFIRMED_ORGANIZATION_QIDS = ("Q472311", "Q487883", "Q623036", "Q7164", "Q1355485", "Q207203")


def test_unconfirmed_organization_wikidata_ids_are_gone(store: ox.Store) -> None:
    # Issue 17: no citable source confirmed these six QIDs (IOM, UN-Habitat, UNFPA, World
    # Bank, ESCWA, Europol), so they were removed rather than risk a wrong identity link.
    found = rows(store, "SELECT ?s ?o WHERE { ?s ?p ?o FILTER (isIRI(?o)) }")
    linked = {r["o"].rsplit("/", 1)[-1] for r in found if r["o"].startswith(WD)}
    assert linked.isdisjoint(UNCONFIRMED_ORGANIZATION_QIDS)


def test_only_claims_are_derived_from_the_report(store: ox.Store) -> None:
    # Issue 17: prov:wasDerivedFrom stays on claims; everything else is dcterms:isReferencedBy.
    found = rows(
        store,
        """SELECT DISTINCT ?s WHERE {
        ?s prov:wasDerivedFrom ?p .
        FILTER NOT EXISTS { ?s a ?c . ?c rdfs:subClassOf* vawmw:Claim } }""",
    )
    assert found == []
    referenced = rows(
        store,
        """SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a vawmw:MemberState ;
        dcterms:isReferencedBy ?p }""",
    )
    assert referenced[0]["n"] == "55"


def test_claims_are_apart_from_the_things_they_report(store: ox.Store) -> None:
    # Issue 17: no resource is both a claim and an instrument (the ontology now says
    # Claim owl:disjointWith Instrument); each named measure that is a law, plan, protocol or
    # constitution points to it with vawmw:describesInstrument.
    both = rows(
        store,
        """SELECT DISTINCT ?s WHERE { ?s a ?c , ?i . ?c rdfs:subClassOf* vawmw:Claim .
        ?i rdfs:subClassOf* vawmw:Instrument }""",
    )
    assert both == []
    described = rows(
        store,
        """SELECT ?m ?i ?state ?adopter WHERE { ?m a vawmw:StateMeasure ;
        vawmw:describesInstrument ?i ; vawmw:isReportedBy ?state . ?i vawmw:isAdoptedBy ?adopter }""",
    )
    assert len(described) == 22
    assert all(r["state"] == r["adopter"] for r in described)
    axiom = rows(store, "SELECT ?x WHERE { vawmw:Claim owl:disjointWith ?x }")
    assert {r["x"] for r in axiom} >= {"https://w3id.org/vawmw/ontology#Instrument"}


def test_laws_are_legislation_with_jurisdiction_and_number(store: ox.Store) -> None:
    found = rows(
        store,
        """SELECT ?law ?where ?number WHERE { ?law a vawmw:NationalLaw , <https://schema.org/Legislation> ;
        <https://schema.org/legislationJurisdiction> ?where
        OPTIONAL { ?law <https://schema.org/legislationIdentifier> ?number } }""",
    )
    numbers = {r["law"].removeprefix(ID + "instrument/"): r.get("number") for r in found}
    # Para 34: "Law No. 2/2023" (Republic of Moldova), "Decree No. 6973/17" (Paraguay);
    # footnote 74: "International Labour Force Law No. 6735" (Türkiye).
    assert numbers["mda-law-2-2023"] == "2/2023"
    assert numbers["pry-decree-6973-17"] == "6973/17"
    assert numbers["tur-international-labour-force-law-6735"] == "6735"
    assert len(found) == 13
    assert all(r["where"].startswith(ID + "state/") for r in found)
