"""The pages for people, over plain HTTP: home, resource pages, editor, ontology (no browser).

The release served here is small and written by hand below (``MINI_DATA``), on top of the
project's real ontology: every number and name the tests expect is in that fixture.
"""

from __future__ import annotations

import hashlib
import html.parser
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from vawmw.rdf import namespaces as ns
from vawmw.release.layout import (
    CHECKSUMS_NAME,
    MANIFEST_NAME,
    QUERIES_DIR_NAME,
    STORE_DIR_NAME,
    query_entry,
)
from vawmw.settings import ServiceSettings

from tests.conftest import REPO, live_server
from tests.helpers_release import FIXTURE_QUERIES

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ESCAPE_LABEL = 'Peru: shelters <b>"safe"</b> & <script>alert(1)</script> (test label)'

PREFIXES = """
@prefix vawmw: <https://w3id.org/vawmw/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix id: <https://w3id.org/vawmw/id/> .
"""

# A test fixture, not the project's data: a few resources of each kind the pages show.
MINI_DATA = (
    PREFIXES
    + """
<https://w3id.org/vawmw/id/report/A-78-292> a vawmw:Report ;
    rdfs:label "Violence against women migrant workers (A/78/292)"@en ;
    vawmw:hasDocumentSymbol "A/78/292" .
<https://w3id.org/vawmw/id/report/A-78-292/section/I> a vawmw:ReportSection ;
    rdfs:label "Section I: Introduction"@en ; dcterms:title "Introduction"@en ;
    vawmw:hasSectionNumber "I" ; dcterms:isPartOf <https://w3id.org/vawmw/id/report/A-78-292> .
<https://w3id.org/vawmw/id/report/A-78-292/section/II-A> a vawmw:ReportSection ;
    rdfs:label "Section II.A: Data and trends"@en ; dcterms:title "Data and trends"@en ;
    vawmw:hasSectionNumber "II.A" .
<https://w3id.org/vawmw/id/report/A-78-292/section/III-C> a vawmw:ReportSection ;
    rdfs:label "Section III.C: Legislation"@en ; dcterms:title "Legislation"@en ;
    vawmw:hasSectionNumber "III.C" .
<https://w3id.org/vawmw/id/report/A-78-292/para/2> a vawmw:Paragraph ;
    rdfs:label "Paragraph 2 of A/78/292"@en ; vawmw:hasParagraphNumber 2 ;
    dcterms:isPartOf <https://w3id.org/vawmw/id/report/A-78-292/section/I> .
<https://w3id.org/vawmw/id/report/A-78-292/para/3> a vawmw:Paragraph ;
    rdfs:label "Paragraph 3 of A/78/292"@en ; vawmw:hasParagraphNumber 3 ;
    dcterms:isPartOf <https://w3id.org/vawmw/id/report/A-78-292/section/II-A> .
<https://w3id.org/vawmw/id/report/A-78-292/para/35> a vawmw:Paragraph ;
    rdfs:label "Paragraph 35 of A/78/292"@en ; vawmw:hasParagraphNumber 35 ;
    dcterms:isPartOf <https://w3id.org/vawmw/id/report/A-78-292/section/III-C> .
<https://w3id.org/vawmw/id/report/A-78-292/para/58> a vawmw:Paragraph ;
    rdfs:label "Paragraph 58 of A/78/292"@en ; vawmw:hasParagraphNumber 58 .
<https://w3id.org/vawmw/id/report/A-78-292/footnote/1> a vawmw:Footnote ;
    rdfs:label "Footnote 1 of A/78/292"@en ; vawmw:hasFootnoteNumber 1 ;
    vawmw:isFootnoteOf <https://w3id.org/vawmw/id/report/A-78-292/para/2> .
<https://w3id.org/vawmw/id/report/A-78-292/footnote/5> a vawmw:Footnote ;
    rdfs:label "Footnote 5 of A/78/292"@en ; vawmw:hasFootnoteNumber 5 ;
    vawmw:isFootnoteOf <https://w3id.org/vawmw/id/report/A-78-292/para/3> ;
    vawmw:referencesWork <https://w3id.org/vawmw/id/work/ilo-2021-global-estimates> .
<https://w3id.org/vawmw/id/work/ilo-2021-global-estimates> a vawmw:CitedWork ;
    rdfs:label "ILO Global Estimates on International Migrant Workers (2021)"@en ;
    dcterms:creator <https://w3id.org/vawmw/id/org/ilo> ;
    dcterms:bibliographicCitation "ILO. Global Estimates on International Migrant Workers. 2021." .
<https://w3id.org/vawmw/id/org/ilo> a vawmw:UNEntity ;
    rdfs:label "International Labour Organization"@en .
<https://w3id.org/vawmw/id/org/un-member-states> a org:Organization ;
    rdfs:label "Member States of the United Nations"@en .

<https://w3id.org/vawmw/id/state/PHL> a vawmw:MemberState ;
    rdfs:label "Philippines"@en ; vawmw:hasIsoAlpha3Code "PHL" ;
    skos:exactMatch <http://metadata.un.org/sdg/codes/geoArea/608> ,
        <http://www.wikidata.org/entity/Q928> ;
    vawmw:contributedTo <https://w3id.org/vawmw/id/report/A-78-292> ;
    prov:wasDerivedFrom <https://w3id.org/vawmw/id/report/A-78-292/footnote/1> .
<https://w3id.org/vawmw/id/state/PER> a vawmw:MemberState ;
    rdfs:label "Peru"@en ; vawmw:hasIsoAlpha3Code "PER" ;
    skos:exactMatch <http://metadata.un.org/sdg/codes/geoArea/604> ;
    vawmw:contributedTo <https://w3id.org/vawmw/id/report/A-78-292> ;
    prov:wasDerivedFrom <https://w3id.org/vawmw/id/report/A-78-292/footnote/1> .

<https://w3id.org/vawmw/id/instrument/ilo-c189> a vawmw:ILOConvention ;
    rdfs:label "Domestic Workers Convention, 2011 (No. 189)"@en ;
    vawmw:hasShortName "C189" ; vawmw:hasNormlexCode "C189" .
<https://w3id.org/vawmw/id/instrument/ilo-c190> a vawmw:ILOConvention ;
    rdfs:label "Violence and Harassment Convention, 2019 (No. 190)"@en ;
    vawmw:hasShortName "C190" ; vawmw:hasNormlexCode "C190" .
<https://w3id.org/vawmw/id/instrument/icrmw> a vawmw:Treaty ;
    rdfs:label "Migrant Workers Convention"@en ;
    vawmw:hasShortName "ICRMW" ; vawmw:hasUntcReference "IV-13" .
<https://w3id.org/vawmw/id/ratification-status/party> a vawmw:RatificationStatus ;
    rdfs:label "party"@en .
<https://w3id.org/vawmw/id/ratification-status/considering> a vawmw:RatificationStatus ;
    rdfs:label "considering ratification"@en .
<https://w3id.org/vawmw/id/party-status/A-78-292/PHL/ilo-c189> a vawmw:PartyStatus ;
    rdfs:label "Philippines: party to C189"@en ;
    vawmw:concernsState <https://w3id.org/vawmw/id/state/PHL> ;
    vawmw:concernsInstrument <https://w3id.org/vawmw/id/instrument/ilo-c189> ;
    vawmw:hasRatificationStatus <https://w3id.org/vawmw/id/ratification-status/party> ;
    prov:wasDerivedFrom <https://w3id.org/vawmw/id/report/A-78-292/para/35> .
<https://w3id.org/vawmw/id/party-status/A-78-292/PER/ilo-c190> a vawmw:PartyStatus ;
    rdfs:label "Peru: considering ratification of C190"@en ;
    vawmw:concernsState <https://w3id.org/vawmw/id/state/PER> ;
    vawmw:concernsInstrument <https://w3id.org/vawmw/id/instrument/ilo-c190> ;
    vawmw:hasRatificationStatus <https://w3id.org/vawmw/id/ratification-status/considering> ;
    prov:wasDerivedFrom <https://w3id.org/vawmw/id/report/A-78-292/para/35> .
<https://w3id.org/vawmw/id/party-count/icrmw/2021> a vawmw:PartyCount ;
    rdfs:label "ICRMW: 56 parties in 2021"@en ;
    vawmw:concernsInstrument <https://w3id.org/vawmw/id/instrument/icrmw> ;
    vawmw:hasReferenceYear "2021"^^xsd:gYear ; vawmw:hasPartyCount 56 .
<https://w3id.org/vawmw/id/party-count/icrmw/2023> a vawmw:PartyCount ;
    rdfs:label "ICRMW: 58 parties in 2023"@en ;
    vawmw:concernsInstrument <https://w3id.org/vawmw/id/instrument/icrmw> ;
    vawmw:hasReferenceYear "2023"^^xsd:gYear ; vawmw:hasPartyCount 58 .
<https://w3id.org/vawmw/id/party-count/ilo-c189/2021> a vawmw:PartyCount ;
    rdfs:label "C189: 32 parties in 2021"@en ;
    vawmw:concernsInstrument <https://w3id.org/vawmw/id/instrument/ilo-c189> ;
    vawmw:hasReferenceYear "2021"^^xsd:gYear ; vawmw:hasPartyCount 32 .
<https://w3id.org/vawmw/id/party-count/ilo-c189/2023> a vawmw:PartyCount ;
    rdfs:label "C189: 36 parties in 2023"@en ;
    vawmw:concernsInstrument <https://w3id.org/vawmw/id/instrument/ilo-c189> ;
    vawmw:hasReferenceYear "2023"^^xsd:gYear ; vawmw:hasPartyCount 36 .

<https://w3id.org/vawmw/id/category/legislation> a vawmw:ActionCategory ;
    rdfs:label "Legislation"@en ; skos:notation "III.C" .
<https://w3id.org/vawmw/id/category/protection-assistance> a vawmw:ActionCategory ;
    rdfs:label "Protection and assistance"@en ; skos:notation "III.G" .
<https://w3id.org/vawmw/id/measure-type/domestic-worker-law> a vawmw:MeasureType ;
    rdfs:label "Domestic worker law"@en .
<https://w3id.org/vawmw/id/measure/A-78-292/35/domestic-worker-law/PHL> a vawmw:StateMeasure ;
    rdfs:label "Philippines: domestic worker law (para 35)"@en ;
    vawmw:isReportedBy <https://w3id.org/vawmw/id/state/PHL> ;
    vawmw:hasCategory <https://w3id.org/vawmw/id/category/legislation> ;
    vawmw:hasMeasureType <https://w3id.org/vawmw/id/measure-type/domestic-worker-law> ;
    prov:wasDerivedFrom <https://w3id.org/vawmw/id/report/A-78-292/para/35> .
<https://w3id.org/vawmw/id/measure/A-78-292/35/domestic-worker-law/PER> a vawmw:StateMeasure ;
    rdfs:label "Peru: domestic worker law (para 35)"@en ;
    vawmw:isReportedBy <https://w3id.org/vawmw/id/state/PER> ;
    vawmw:hasCategory <https://w3id.org/vawmw/id/category/legislation> ;
    prov:wasDerivedFrom <https://w3id.org/vawmw/id/report/A-78-292/para/35> .
<https://w3id.org/vawmw/id/measure/PER/test-shelters> a vawmw:StateMeasure ;
    rdfs:label "LABEL"@en ;
    vawmw:isReportedBy <https://w3id.org/vawmw/id/state/PER> ;
    vawmw:hasCategory <https://w3id.org/vawmw/id/category/protection-assistance> ;
    prov:wasDerivedFrom <https://w3id.org/vawmw/id/report/A-78-292/para/35> .

<https://w3id.org/vawmw/id/stage/transit> a vawmw:MigrationStage ;
    rdfs:label "transit"@en ; skos:notation "2" .
<https://w3id.org/vawmw/id/stage/destination> a vawmw:MigrationStage ;
    rdfs:label "destination"@en ; skos:notation "3" .
<https://w3id.org/vawmw/id/risk/sexual-violence> a vawmw:FormOfViolence ;
    rdfs:label "sexual violence"@en .
<https://w3id.org/vawmw/id/risk/rape> a vawmw:FormOfViolence ; rdfs:label "rape"@en .
<https://w3id.org/vawmw/id/risk/irregular-status> a vawmw:RiskFactor ;
    rdfs:label "irregular status"@en .
<https://w3id.org/vawmw/id/risk-statement/A-78-292/13-1> a vawmw:RiskStatement ;
    rdfs:label "Sexual violence and rape in transit (para 13)"@en ;
    vawmw:describesRisk <https://w3id.org/vawmw/id/risk/sexual-violence> ,
        <https://w3id.org/vawmw/id/risk/rape> ;
    vawmw:concernsStage <https://w3id.org/vawmw/id/stage/transit> .
<https://w3id.org/vawmw/id/risk-statement/A-78-292/19-1> a vawmw:RiskStatement ;
    rdfs:label "Irregular status at destination (para 19)"@en ;
    vawmw:describesRisk <https://w3id.org/vawmw/id/risk/irregular-status> ,
        <https://w3id.org/vawmw/id/risk/sexual-violence> ;
    vawmw:concernsStage <https://w3id.org/vawmw/id/stage/destination> .

<https://w3id.org/vawmw/id/statistic/A-78-292/3-3> a vawmw:Statistic ;
    rdfs:label "Women are 41% of migrant workers (para 3)"@en ;
    vawmw:hasNumericValue 41.0 ;
    vawmw:citesFootnote <https://w3id.org/vawmw/id/report/A-78-292/footnote/5> ;
    prov:wasDerivedFrom <https://w3id.org/vawmw/id/report/A-78-292/para/3> .
<https://w3id.org/vawmw/id/statistic/A-78-292/3-9> a vawmw:Statistic ;
    rdfs:label "A statistic without a cited work (test)"@en ;
    prov:wasDerivedFrom <https://w3id.org/vawmw/id/report/A-78-292/para/3> .

<https://w3id.org/vawmw/id/report/A-78-292/recommendation/58-a> a vawmw:Recommendation ;
    rdfs:label "58 (a): ratify the Migrant Workers Convention"@en ; vawmw:hasLetter "a" ;
    vawmw:isAddressedTo <https://w3id.org/vawmw/id/org/un-member-states> ;
    vawmw:concernsInstrument <https://w3id.org/vawmw/id/instrument/icrmw> ;
    prov:wasDerivedFrom <https://w3id.org/vawmw/id/report/A-78-292/para/58> .
<https://w3id.org/vawmw/id/report/A-78-292/recommendation/58-e> a vawmw:Recommendation ;
    rdfs:label "58 (e): ratify and implement C189 and C190"@en ; vawmw:hasLetter "e" ;
    vawmw:isAddressedTo <https://w3id.org/vawmw/id/org/un-member-states> ;
    vawmw:concernsInstrument <https://w3id.org/vawmw/id/instrument/ilo-c189> ,
        <https://w3id.org/vawmw/id/instrument/ilo-c190> ;
    vawmw:servesSdgTarget <http://metadata.un.org/sdg/5.2> ;
    prov:wasDerivedFrom <https://w3id.org/vawmw/id/report/A-78-292/para/58> .
"""
).replace('"LABEL"', json.dumps(ESCAPE_LABEL))

# What the OWL 2 RL closure would add that the pages use.
MINI_INFERRED = (
    PREFIXES
    + """
<https://w3id.org/vawmw/id/state/PHL> a vawmw:ReportingState , vawmw:State .
<https://w3id.org/vawmw/id/state/PER> a vawmw:ReportingState , vawmw:State .
<https://w3id.org/vawmw/id/instrument/ilo-c189> a vawmw:Treaty , vawmw:Instrument .
<https://w3id.org/vawmw/id/instrument/ilo-c190> a vawmw:Treaty , vawmw:Instrument .
<https://w3id.org/vawmw/id/instrument/icrmw> a vawmw:Instrument .
<https://w3id.org/vawmw/id/risk/sexual-violence> vawmw:occursAtStage
    <https://w3id.org/vawmw/id/stage/transit> , <https://w3id.org/vawmw/id/stage/destination> .
<https://w3id.org/vawmw/id/risk/rape> vawmw:occursAtStage <https://w3id.org/vawmw/id/stage/transit> .
<https://w3id.org/vawmw/id/risk/irregular-status> vawmw:occursAtStage
    <https://w3id.org/vawmw/id/stage/destination> .
<https://w3id.org/vawmw/id/statistic/A-78-292/3-3> vawmw:citesWork
    <https://w3id.org/vawmw/id/work/ilo-2021-global-estimates> .
"""
)

PHL = ns.ID + "state/PHL"
PER = ns.ID + "state/PER"
C189 = ns.ID + "instrument/ilo-c189"


def write_mini_release(directory: Path) -> Path:
    """The fixture release: the real ontology, MINI_DATA and MINI_INFERRED."""
    directory.mkdir(parents=True, exist_ok=True)
    graphs = {
        ns.GRAPH_ONTOLOGY: (REPO / "ontology" / "vawmw.ttl").read_bytes(),
        ns.GRAPH_DATA: MINI_DATA.encode("utf-8"),
        ns.GRAPH_INFERRED: MINI_INFERRED.encode("utf-8"),
    }
    quads: list[ox.Quad] = []
    counts: dict[str, int] = {}
    for iri, data in graphs.items():
        graph = ox.NamedNode(iri)
        parsed = [
            ox.Quad(t.subject, t.predicate, t.object, graph)
            for t in ox.parse(data, format=ox.RdfFormat.TURTLE)
        ]
        counts[iri] = len(parsed)
        quads.extend(parsed)
    store = ox.Store(str(directory / STORE_DIR_NAME))
    store.bulk_extend(quads)
    store.flush()
    del store
    ox.serialize(quads, str(directory / "vawmw.trig"), ox.RdfFormat.TRIG)
    digest = hashlib.sha256((directory / "vawmw.trig").read_bytes()).hexdigest()
    (directory / CHECKSUMS_NAME).write_text(f"{digest}  vawmw.trig\n", encoding="utf-8")
    files = {"vawmw.trig": digest}
    (directory / QUERIES_DIR_NAME).mkdir(exist_ok=True)
    for name, text in FIXTURE_QUERIES.items():  # the release carries its example queries
        (directory / query_entry(name)).write_text(text, encoding="utf-8")
        files[query_entry(name)] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    manifest = {
        "version": "0.0.2-pages",
        "release_id": digest[:20],
        "issued": "2024-05-01",
        "graphs": counts,
        "files": files,
    }
    (directory / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    return directory


def mini_settings(directory: Path, queries_dir: Path) -> ServiceSettings:
    return ServiceSettings(release_dir=directory, queries_dir=queries_dir, workers=2)


@pytest.fixture(scope="module")
def pages_url(tmp_path_factory: pytest.TempPathFactory, queries_dir: Path) -> Iterator[str]:
    release = write_mini_release(tmp_path_factory.mktemp("pages") / "dist")
    with live_server(mini_settings(release, queries_dir)) as url:
        yield url


@pytest.fixture(scope="module")
def web(pages_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=pages_url, timeout=60, headers={"accept": BROWSER_ACCEPT}) as c:
        yield c


# --------------------------------------------------------------------------- HTML reading


class Page(html.parser.HTMLParser):
    """What the tests look at in a page: tags, ids, links, text, headings, table cells."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.headings: list[tuple[str, str]] = []
        self.text_parts: list[str] = []
        self._open_links: list[tuple[str, list[str]]] = []
        self._heading: tuple[str, list[str]] | None = None
        self._script = False
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and "href" in attributes:
            self._open_links.append((attributes["href"], []))
        if tag in ("h1", "h2", "h3", "h4"):
            self._heading = (tag, [])
        if tag == "script":
            self._script = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open_links:
            href, parts = self._open_links.pop()
            self.links.append((href, "".join(parts).strip()))
        if tag in ("h1", "h2", "h3", "h4") and self._heading is not None:
            self.headings.append((self._heading[0], " ".join("".join(self._heading[1]).split())))
            self._heading = None
        if tag == "script":
            self._script = False

    def handle_data(self, data: str) -> None:
        if self._script:
            return
        self.text_parts.append(data)
        for _, parts in self._open_links:
            parts.append(data)
        if self._heading is not None:
            self._heading[1].append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def find(self, tag: str, **wanted: str) -> list[dict[str, str]]:
        return [
            attrs
            for name, attrs in self.tags
            if name == tag and all(attrs.get(k.rstrip("_")) == v for k, v in wanted.items())
        ]

    def hrefs(self, text: str) -> list[str]:
        return [href for href, label in self.links if label == text]


def get_page(web: httpx.Client, path: str) -> Page:
    response = web.get(path)
    assert response.status_code == 200, (path, response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("text/html"), path
    return Page(response.text)


def assert_accessible_layout(page: Page) -> None:
    """lang, one h1, landmarks, the skip link to main, tables with scoped headers."""
    assert page.find("html", lang="en")
    assert [h for h in page.headings if h[0] == "h1"], "no h1"
    assert len([h for h in page.headings if h[0] == "h1"]) == 1
    assert page.find("main", id="main")
    assert page.find("header") and page.find("footer") and page.find("nav")
    assert "#main" in page.hrefs("Skip to main content")
    for _, attrs in page.tags:
        assert "style" not in attrs or "url(" not in attrs["style"]
    headers = page.find("th")
    assert all(attrs.get("scope") in ("col", "row") for attrs in headers)
    for tag, attrs in page.tags:  # nothing is loaded from another origin
        for key in ("src", "href"):
            if tag in ("script", "link", "img", "iframe") and key in attrs:
                assert attrs[key].startswith(("/", "data:")), (tag, attrs)


# --------------------------------------------------------------------------- home


def test_home_page(web: httpx.Client) -> None:
    page = get_page(web, "/")
    assert_accessible_layout(page)
    hrefs = {href for href, _ in page.links}
    for target in ("/dashboard", "/sparql", "/ontology", "/dumps/", "/.well-known/void"):
        assert target in hrefs, target
    # the counts come from the release: 2 reporting States, 2 statistics, 2 recommendations
    text = page.text
    assert "2 reporting States" in text
    assert "2 recommendations" in text
    assert "3 instruments" in text
    # the reporting States are listed with links to their pages
    assert "/id/state/PHL" in page.hrefs("Philippines")
    assert "/id/state/PER" in page.hrefs("Peru")
    # how to cite: the version, the release id and the report
    assert "How to cite" in [h for _, h in page.headings]
    assert "0.0.2-pages" in text and "A/78/292" in text


def test_home_redirects_rdf_clients_to_void(web: httpx.Client) -> None:
    response = web.get("/", headers={"accept": "text/turtle"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/.well-known/void"


# --------------------------------------------------------------------------- resource pages


def test_state_page(web: httpx.Client) -> None:
    page = get_page(web, "/id/state/PHL")
    assert_accessible_layout(page)
    assert ("h1", "Philippines") in page.headings
    text = page.text
    # types by their labels from the ontology, not IRIs
    assert "reporting State" in text and "Member State" in text
    assert "https://w3id.org/vawmw/ontology#ReportingState" not in [t for _, t in page.links]
    # external links made into links
    assert "https://www.wikidata.org/wiki/Q928" in page.hrefs("Wikidata Q928")
    assert "http://metadata.un.org/sdg/codes/geoArea/608" in page.hrefs("UN M49 geoArea 608")
    # at a glance: the party status, with the instrument's label and the status
    assert "/id/instrument/ilo-c189" in page.hrefs("Domestic Workers Convention, 2011 (No. 189)")
    assert "/id/party-status/A-78-292/PHL/ilo-c189" in page.hrefs("party")
    # measures by category
    assert any(h.startswith("III.C Legislation") for _, h in page.headings)
    assert page.hrefs("Philippines: domestic worker law (para 35)")
    # recommendations: 58 (e) concerns C189, which PHL has a status for; 58 (a) does not
    assert "Recommendations on instruments Philippines has a status for" in text
    glance = text[text.index("at a glance") : text.index("All 2 recommendations")]
    assert "58 (e): ratify and implement C189 and C190" in glance
    assert "58 (a)" not in glance
    assert "All 2 recommendations of the report" in text
    assert page.hrefs("58 (a): ratify the Migrant Workers Convention")
    # provenance: the footnote, its paragraph and the section
    assert "Footnote 1 (to paragraph 2)" in text
    assert "section I: Introduction" in text
    # incoming links grouped by property
    assert any(h.startswith("via is reported by") for _, h in page.headings)
    assert any(h.startswith("via concerns State") for _, h in page.headings)
    # downloads
    assert page.find("a", href="/id/state/PHL?format=ttl")
    assert page.find("a", href="/id/state/PHL?format=jsonld")


def test_state_page_links_to_instrument_and_back(web: httpx.Client) -> None:
    state = get_page(web, "/id/state/PHL")
    instrument_href = state.hrefs("Domestic Workers Convention, 2011 (No. 189)")[0]
    instrument = get_page(web, instrument_href)
    assert ("h1", "Domestic Workers Convention, 2011 (No. 189)") in instrument.headings
    status_href = instrument.hrefs("Philippines: party to C189")[0]
    status = get_page(web, status_href)
    assert "/id/state/PHL" in status.hrefs("Philippines")


def test_instrument_page_external_registers(web: httpx.Client) -> None:
    page = get_page(web, "/id/instrument/ilo-c189")
    normlex = page.hrefs("ILO NORMLEX")
    assert normlex and normlex[0].endswith("P12100_ILO_CODE:C189")
    assert normlex[0].startswith("https://www.ilo.org/dyn/normlex/")
    treaty = get_page(web, "/id/instrument/icrmw")
    untc = treaty.hrefs("UN Treaty Collection")
    assert untc
    query = parse_qs(urlsplit(untc[0]).query)
    assert query["mtdsg_no"] == ["IV-13"] and query["chapter"] == ["4"]
    # incoming links: the party counts of the Migrant Workers Convention
    assert treaty.hrefs("ICRMW: 56 parties in 2021")


def test_claim_provenance_and_cited_work(web: httpx.Client) -> None:
    page = get_page(web, "/id/statistic/A-78-292/3-3")
    text = page.text
    assert "Provenance" in [h for _, h in page.headings]
    assert "/id/report/A-78-292/para/3" in page.hrefs("Paragraph 3")
    assert "section II.A: Data and trends" in text
    assert "/id/work/ilo-2021-global-estimates" in page.hrefs(
        "ILO Global Estimates on International Migrant Workers (2021)"
    )
    assert "ILO. Global Estimates on International Migrant Workers. 2021." in text


def test_sdg_target_link(web: httpx.Client) -> None:
    page = get_page(web, "/id/report/A-78-292/recommendation/58-e")
    assert "http://metadata.un.org/sdg/5.2" in page.hrefs("SDG target 5.2")


def test_labels_are_escaped(web: httpx.Client) -> None:
    for path in ("/id/measure/PER/test-shelters", "/id/state/PER"):
        response = web.get(path)
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.text
        assert "<b>" not in response.text
        assert ESCAPE_LABEL in Page(response.text).text, path


def test_download_links_give_rdf(web: httpx.Client) -> None:
    turtle = web.get("/id/state/PHL?format=ttl")
    assert turtle.status_code == 200
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert (
        rdflib.URIRef(PHL),
        rdflib.RDFS.label,
        rdflib.Literal("Philippines", lang="en"),
    ) in graph
    jsonld = web.get("/id/state/PHL?format=jsonld")
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert len(rdflib.Graph().parse(data=jsonld.text, format="json-ld")) == len(graph)
    assert web.get("/id/state/PHL?format=pdf").status_code == 406


def test_html_is_only_for_browsers(web: httpx.Client) -> None:
    response = web.get("/id/state/PHL", headers={"accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
    response = web.get("/id/state/XXX")
    assert response.status_code == 404


# --------------------------------------------------------------------------- ontology


def _ontology_terms() -> set[str]:
    """The vawmw: classes and properties, read from the ontology file itself."""
    graph = rdflib.Graph().parse(REPO / "ontology" / "vawmw.ttl")
    kinds = (
        rdflib.OWL.Class,
        rdflib.OWL.ObjectProperty,
        rdflib.OWL.DatatypeProperty,
        rdflib.OWL.AnnotationProperty,
    )
    return {
        str(s).removeprefix(ns.VAWMW)
        for kind in kinds
        for s in graph.subjects(rdflib.RDF.type, kind)
        if str(s).startswith(ns.VAWMW)
    }


def test_ontology_page(web: httpx.Client) -> None:
    page = get_page(web, "/ontology")
    assert_accessible_layout(page)
    terms = _ontology_terms()
    assert {"State", "PartyStatus", "concernsInstrument", "hasPartyCount"} <= terms
    missing = sorted(t for t in terms if t not in page.ids)
    assert not missing, f"no anchor for {missing}"
    # hash IRIs land on anchors: /ontology#State has an element with id State
    assert page.find("article", id="State")
    text = page.text
    graph = rdflib.Graph().parse(REPO / "ontology" / "vawmw.ttl")
    definition = graph.value(rdflib.URIRef(ns.VAWMW + "State"), rdflib.SKOS.definition)
    assert definition is not None and str(definition) in text
    # the diagram: an accessible SVG with a link per class box
    svg = page.find("svg", class_="diagram")
    assert svg and svg[0]["role"] == "img"
    assert "diagram-title" in page.ids and "diagram-desc" in page.ids
    assert page.find("a", href="#Claim") and page.find("a", href="#PartyStatus")
    # examples from the data: the State class has 2 instances in the fixture
    assert "2 instances; for example" in text
    # the ontology is downloadable
    assert page.find("a", href="/ontology?format=ttl")
    response = web.get("/ontology?format=ttl")
    assert response.headers["content-type"].startswith("text/turtle")


# --------------------------------------------------------------------------- SPARQL editor


def test_editor_page(web: httpx.Client) -> None:
    page = get_page(web, "/sparql")
    assert_accessible_layout(page)
    assert page.find("textarea", id="query", name="query")
    assert page.find("form", id="query-form", action="/sparql")
    assert page.find("label", for_="query")
    assert page.find("script", src="/static/editor.js")
    # the example queries of settings.queries_dir, with their titles and descriptions
    assert page.find("button", **{"data-example": "0"})
    assert "All States" in page.text and "Every State with its label." in page.text
    examples = json.loads(
        web.get("/sparql").text.split('id="examples-data">', 1)[1].split("</script>", 1)[0]
    )
    assert examples[0]["title"] == "All States"
    assert "SELECT ?state ?label" in examples[0]["query"]
    # the home page links to it
    assert "/sparql" in {href for href, _ in get_page(web, "/").links}


def test_editor_without_yasgui(web: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAWMW_NODE_MODULES", "")
    page = get_page(web, "/sparql")
    assert "yasgui-missing" in page.ids
    assert "npm ci" in page.text
    assert not page.find("script", src="/static/yasgui/yasgui.min.js")
    assert web.get("/static/yasgui/yasgui.min.js").status_code == 404


def test_editor_with_yasgui(
    web: httpx.Client, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    build = tmp_path / "node_modules" / "@zazuko" / "yasgui" / "build"
    build.mkdir(parents=True)
    (build / "yasgui.min.js").write_text("window.Yasgui = null;\n", encoding="utf-8")
    (build / "yasgui.min.css").write_text(".yasgui {}\n", encoding="utf-8")
    monkeypatch.setenv("VAWMW_NODE_MODULES", str(tmp_path / "node_modules"))
    page = get_page(web, "/sparql")
    assert page.find("script", src="/static/yasgui/yasgui.min.js")
    assert page.find("link", href="/static/yasgui/yasgui.min.css")
    script = web.get("/static/yasgui/yasgui.min.js")
    assert script.status_code == 200 and script.text == "window.Yasgui = null;\n"
    assert script.headers["content-type"].startswith("text/javascript")
    assert web.get("/static/yasgui/package.json").status_code == 404
    assert web.get("/static/yasgui/..%2F..%2Fpackage.json").status_code == 404
    # ?ui=plain leaves YASGUI out
    plain = get_page(web, "/sparql?ui=plain")
    assert not plain.find("script", src="/static/yasgui/yasgui.min.js")


def test_editor_runs_a_query_without_javascript(web: httpx.Client) -> None:
    query = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?state ?label WHERE { ?state a <https://w3id.org/vawmw/ontology#ReportingState> ;"
        " rdfs:label ?label } ORDER BY ?label"
    )
    response = web.get("/sparql", params={"query": query, "format": "html"})
    assert response.status_code == 200
    page = Page(response.text)
    assert page.find("table", class_="results")
    assert "2 result(s)" in page.text
    assert "/id/state/PER" in page.hrefs("id:state/PER")
    textarea_text = response.text.split('id="query"', 1)[1].split("</textarea>", 1)[0]
    assert "ReportingState" in textarea_text
    # an invalid query gives the editor back with the message
    bad = web.get("/sparql", params={"query": "SELECT WHERE {", "format": "html"})
    assert bad.status_code == 400
    assert Page(bad.text).find("pre", class_="error", role="alert")
    # ASK and CONSTRUCT render too
    ask = web.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "format": "html"})
    assert "Answer: True" in Page(ask.text).text
    construct = web.get(
        "/sparql",
        params={
            "query": f"CONSTRUCT {{ <{PHL}> ?p ?o }} WHERE {{ <{PHL}> ?p ?o }}",
            "format": "html",
        },
    )
    assert construct.status_code == 200 and "subject" in Page(construct.text).text


def test_sparql_protocol_untouched(web: httpx.Client) -> None:
    """Clients that ask for data still get the protocol (HTML is only the editor's)."""
    description = web.get("/sparql", headers={"accept": "text/turtle"})
    assert description.headers["content-type"].startswith("text/turtle")
    assert "sd:Service" in description.text
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    results = web.get(
        "/sparql", params={"query": query}, headers={"accept": "text/html, */*;q=0.8"}
    )
    assert results.headers["content-type"].startswith("application/sparql-results+json")
    results = web.get("/sparql", params={"query": query})  # a browser's whole Accept header
    assert not results.headers["content-type"].startswith("text/html")
    editor = web.get("/sparql")
    assert "sd:Service" in editor.text  # the description is on the editor page as well


def test_static_files(web: httpx.Client) -> None:
    css = web.get("/static/site.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert ":focus" in css.text and ".skip-link" in css.text
    script = web.get("/static/editor.js")
    assert script.status_code == 200
    assert "fetch(" in script.text
    # the site's own assets load nothing from elsewhere
    for body in (css.text, script.text):
        assert "http://" not in body.replace("http://www.w3.org", "")
        assert "https://" not in body.replace("https://w3id.org/vawmw/", "")


def test_query_links_decode_to_queries(web: httpx.Client) -> None:
    page = get_page(web, "/id/state/PHL")
    hint = [h for h, text in page.links if text == "Query this resource in the SPARQL editor"]
    assert hint and hint[0].startswith("/sparql?query=")
    assert PHL in unquote(hint[0])
