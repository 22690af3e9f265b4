"""The dashboard over plain HTTP: five charts, each with data, its query and a data table.

The numbers expected here are those of the hand-written fixture release of test_pages
(MINI_DATA / MINI_INFERRED): two reporting States, two instruments with party counts, …
"""

from __future__ import annotations

import csv
import html.parser
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from vawmw.query.jobs import Job, JobResult
from vawmw.query.pool import WorkerPool
from vawmw.web.pages import dashboard

from tests.conftest import live_server
from tests.web.test_pages import BROWSER_ACCEPT, Page, assert_accessible_layout, mini_settings
from tests.web.test_pages import write_mini_release as write_release

CHART_IDS = [
    "measures-by-category",
    "party-counts",
    "risks-by-stage",
    "ilo-conventions",
    "statistics-by-source",
]


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, queries_dir: Path) -> Iterator[httpx.Client]:
    release = write_release(tmp_path_factory.mktemp("dashboard") / "dist")
    with (
        live_server(mini_settings(release, queries_dir)) as url,
        httpx.Client(base_url=url, timeout=60, headers={"accept": BROWSER_ACCEPT}) as client,
    ):
        yield client


class Tables(html.parser.HTMLParser):
    """Every table of a page: caption → rows of cell texts (header row first)."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: list[str] | None = None
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._name = ""
        self.feed(source)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._rows, self._name = [], ""
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            self._name = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and self._rows:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._name] = self._rows
            self._rows = None

    def handle_data(self, data: str) -> None:
        if self._caption is not None:
            self._caption.append(data)
        if self._cell is not None:
            self._cell.append(data)


def _by_first_cell(rows: list[list[str]]) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in rows[1:]}


@pytest.fixture(scope="module")
def page_source(web: httpx.Client) -> str:
    response = web.get("/dashboard")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def test_layout_and_sections(page_source: str) -> None:
    page = Page(page_source)
    assert_accessible_layout(page)
    assert [spec.chart_id for spec in dashboard.CHARTS] == CHART_IDS
    for chart_id in CHART_IDS:
        assert page.find("section", id=chart_id, **{"aria-labelledby": f"{chart_id}-heading"})
        assert f"#{chart_id}" in {href for href, _ in page.links}  # the table of contents


def test_every_chart_has_data_and_an_accessible_svg(page_source: str) -> None:
    page = Page(page_source)
    for chart_id in CHART_IDS:
        figure = page.find("figure", **{"data-chart": chart_id})
        assert figure, chart_id
        assert int(figure[0]["data-points"]) > 0, chart_id
        svg = page.find("svg", id=f"{chart_id}-svg")
        assert svg and svg[0]["role"] == "img", chart_id
        assert svg[0]["aria-labelledby"] == f"{chart_id}-title {chart_id}-desc"
        assert {f"{chart_id}-title", f"{chart_id}-desc"} <= page.ids
    assert "The query returned no data" not in page_source


def test_every_chart_links_to_its_query(web: httpx.Client, page_source: str) -> None:
    page = Page(page_source)
    links = page.hrefs("Open this query in the SPARQL editor")
    assert len(links) == len(CHART_IDS)
    for spec, href in zip(dashboard.CHARTS, links, strict=True):
        parts = urlsplit(href)
        assert parts.path == "/sparql"
        params = parse_qs(parts.query)
        assert params["query"] == [spec.query]
        assert params["format"] == ["html"]
        response = web.get(href)
        assert response.status_code == 200, spec.chart_id
        assert Page(response.text).find("table", class_="results"), spec.chart_id
    csv_links = page.hrefs("results as CSV")
    assert len(csv_links) == len(CHART_IDS)
    response = web.get(csv_links[0])
    assert response.headers["content-type"].startswith("text/csv")
    header = next(csv.reader(io.StringIO(response.text)))
    assert header == ["state", "stateLabel", "category", "categoryLabel", "notation", "measures"]


def test_measures_matrix(page_source: str) -> None:
    table = Tables(page_source).tables["Measures of the reporting States by category (data)"]
    assert table[0] == ["State", "III.C Legislation", "III.G Protection and assistance"]
    assert _by_first_cell(table) == {"Peru": ["1", "1"], "Philippines": ["1", "0"]}


def test_party_counts(page_source: str) -> None:
    table = Tables(page_source).tables["States parties in 2021 and 2023 (data)"]
    rows = _by_first_cell(table)
    assert rows["Migrant Workers Convention"] == ["ICRMW", "56", "58", "2"]
    assert rows["Domestic Workers Convention, 2011 (No. 189)"] == ["C189", "32", "36", "4"]
    svg = page_source.split('id="party-counts-svg"', 1)[1].split("</svg>", 1)[0]
    assert ">36<" in svg and ">58<" in svg  # the bars are labelled with their values


def test_risks_by_stage(page_source: str) -> None:
    table = Tables(page_source).tables["Risks by migration stage (data)"]
    rows = _by_first_cell(table)
    assert list(rows) == ["transit", "destination"]  # in the stages' order (notation)
    assert rows["transit"][0] == "2" and rows["transit"][2] == "0"
    assert set(rows["transit"][1].split("; ")) == {"sexual violence", "rape"}
    assert rows["destination"] == ["1", "sexual violence", "1", "irregular status"]


def test_ilo_conventions(page_source: str) -> None:
    table = Tables(page_source).tables["ILO conventions and the reporting States (data)"]
    assert table[0] == ["State", "C189", "C190"]
    assert _by_first_cell(table) == {
        "Peru": ["", "considering ratification"],
        "Philippines": ["party", ""],
    }
    svg = page_source.split('id="ilo-conventions-svg"', 1)[1].split("</svg>", 1)[0]
    assert "Philippines — C189: party" in svg  # the cell's tooltip


def test_statistics_by_source(page_source: str) -> None:
    table = Tables(page_source).tables["Statistics by source organization (data)"]
    assert _by_first_cell(table) == {
        "International Labour Organization": ["1"],
        "(no cited work)": ["1"],
    }


def test_dashboard_is_cached_per_release(
    tmp_path_factory: pytest.TempPathFactory, queries_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The charts' queries run once per release: later visitors, and a visitor revalidating
    with the page's ETag (304), get the server's cached page and run no query."""
    jobs: list[Job] = []
    run = WorkerPool.run

    async def counted(
        pool: WorkerPool, job: Job, timeout: float | None = None, client: str | None = None
    ) -> JobResult:
        jobs.append(job)
        return await run(pool, job, timeout, client)

    monkeypatch.setattr(WorkerPool, "run", counted)  # the server runs in this process
    release = write_release(tmp_path_factory.mktemp("dashboard-cache") / "dist")
    with (
        live_server(mini_settings(release, queries_dir)) as url,
        httpx.Client(base_url=url, timeout=60, headers={"accept": BROWSER_ACCEPT}) as client,
    ):
        first = client.get("/dashboard")
        assert first.status_code == 200
        assert len(jobs) == len(CHART_IDS)  # one query per chart
        second = client.get("/dashboard")
        assert (second.status_code, second.text) == (200, first.text)
        again = client.get("/dashboard", headers={"if-none-match": first.headers["etag"]})
        assert again.status_code == 304
        assert len(jobs) == len(CHART_IDS)  # nothing ran again
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        assert len(jobs) == len(CHART_IDS) + 1  # the count sees every job the server runs
