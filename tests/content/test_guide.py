"""docs/GUIDE.md, the researchers' guide: its worked questions answer as it says on the real
release, its tables agree with the graph, its diagram names real terms, and it is served at
``/guide`` in the site's layout.

What the guide must hold comes from issue 14 ("A guide for researchers"): the model in one
diagram, which named graph holds what, the concept schemes and their keys (every measure-type
key), at least ten worked questions with their answers, and the open-world caveats with what
each inferred shortcut does and does not mean.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import httpx
import pyoxigraph as ox
import pytest
from vawmw.rdf import namespaces as ns
from vawmw.web.pages.guide import render_guide

ROOT: Final = Path(__file__).resolve().parents[2]
GUIDE: Final = ROOT / "docs" / "GUIDE.md"
SHORTCUTS: Final = (
    "occursAtStage",
    "affectsGroup",
    "isPerpetratedBy",
    "isAggravatedBy",
    "citesWork",
)
QUESTION: Final = re.compile(
    r"^### (\d+)\. (.+?)\n\n```sparql\n(.*?)```\n\nAnswer:\n\n((?:\|[^\n]*\|\n)+)", re.S | re.M
)


@dataclass(frozen=True)
class Worked:
    number: str
    title: str
    query: str
    variables: list[str]
    rows: list[list[str]]


def _cells(line: str) -> list[str]:
    return [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]


def _worked() -> list[Worked]:
    found = []
    for number, title, query, table in QUESTION.findall(GUIDE.read_text(encoding="utf-8")):
        lines = table.strip().splitlines()
        found.append(
            Worked(number, title, query, _cells(lines[0]), [_cells(line) for line in lines[2:]])
        )
    return found


def _section(title: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def _shown(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    """A term as the guide's tables write it: ``id:…`` for the dataset's IRIs."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode) and term.value.startswith(ns.ID):
        return "id:" + term.value[len(ns.ID) :]
    return term.value


@pytest.fixture(scope="module")
def store(real_release: Path) -> ox.Store:
    return ox.Store.read_only(str(real_release / "store"))


def test_the_guide_has_at_least_ten_worked_questions() -> None:
    worked = _worked()
    assert len(worked) >= 10
    assert [w.number for w in worked] == [str(n) for n in range(1, len(worked) + 1)]


@pytest.mark.parametrize("worked", _worked(), ids=lambda w: w.number)
def test_each_worked_question_answers_as_the_guide_says(store: ox.Store, worked: Worked) -> None:
    results = store.query(worked.query, use_default_graph_as_union=True)
    assert isinstance(results, ox.QuerySolutions)
    assert [v.value for v in results.variables] == worked.variables
    rows = [[_shown(solution[v]) for v in worked.variables] for solution in results]
    assert rows == worked.rows


def test_the_scheme_table_lists_every_key_of_every_scheme(store: ox.Store) -> None:
    query = (
        f"SELECT ?scheme ?concept WHERE {{ GRAPH <{ns.GRAPH_DATA}> "
        f"{{ ?concept <{ns.SKOS}inScheme> ?scheme }} }}"
    )
    graph: dict[str, set[str]] = {}
    for row in store.query(query):  # type: ignore[union-attr]
        graph.setdefault(_shown(row["scheme"]), set()).add(_shown(row["concept"]))
    listed: dict[str, set[str]] = {}
    for line in _section("Concept schemes and their keys").splitlines()[1:]:
        match = re.match(r"\| `(id:[^`]+)` \((\d+)\) \| `([^`]+)/…`: (.*) \|$", line)
        if match:
            scheme, count, kind, keys = match.groups()
            listed[scheme] = {f"id:{kind}/{key}" for key in re.findall(r"`([^`]+)`", keys)}
            assert int(count) == len(listed[scheme]), scheme
    assert listed == graph
    # The reviewer found the measure-type keys listed nowhere: they must all be here.
    assert len(listed["id:scheme/measure-types"]) >= 36


def test_the_graph_table_names_every_graph_of_the_release(real_release: Path) -> None:
    manifest = json.loads((real_release / "release.json").read_text(encoding="utf-8"))
    table = _section("Which named graph holds what")
    named = set(re.findall(r"^\| `(https://w3id\.org/vawmw/graph/[a-z]+)` \|", table, re.M))
    assert named == set(manifest["graphs"])


def test_the_diagram_names_only_terms_of_the_ontology(store: ox.Store) -> None:
    diagram = _section("The model in one picture").split("```text\n")[1].split("```")[0]
    # Words written bare are vawmw: terms; prefixed ones (skos:, prov:, dcterms:) are not ours.
    words = set(re.findall(r"(?<![:\w/])([A-Za-z][A-Za-z0-9]*)\b(?!:)", diagram))
    words -= {"The", "UN", "SDG", "M49", "A", "a", "an", "graph", "un", "interpretations"}
    words -= {
        "inferred",
        "five",
        "shortcuts",
        "every",
        "entity",
        "target",
        "geoArea",
        "region",
        "v",
    }  # "v": an arrowhead
    ontology = ox.NamedNode(ns.GRAPH_ONTOLOGY)
    unknown = sorted(
        word
        for word in words
        if not any(store.quads_for_pattern(ox.NamedNode(ns.VAWMW + word), None, None, ontology))
    )
    assert unknown == []
    assert all(f"--{shortcut}-->" in diagram for shortcut in SHORTCUTS)


def test_the_shortcuts_are_inferred_and_each_has_its_caveat(store: ox.Store) -> None:
    caveats = _section("Reading answers: what the graph does not say")
    assert "not a negative fact" in caveats
    for shortcut in SHORTCUTS:
        row = re.search(rf"^\| `{shortcut}` \| (.+?) \| (.+?) \|$", caveats, re.M)
        assert row is not None, shortcut  # what it means, and what it does not
        predicate = ox.NamedNode(ns.VAWMW + shortcut)
        in_graph = {
            q.graph_name.value  # type: ignore[union-attr]
            for q in store.quads_for_pattern(None, predicate, None, None)
        }
        # Only the reasoner states it: a query confined to graph/data never sees it.
        assert in_graph == {ns.GRAPH_INFERRED}, shortcut


def test_the_guide_is_served_in_the_site_layout(client: httpx.Client) -> None:
    response = client.get("/guide", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "<h1>A guide for researchers</h1>" in page
    assert '<a href="/guide" aria-current="page">Guide</a>' in page
    assert "<table>" in page and '<code class="language-sparql">' in page
    again = client.get("/guide", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


def test_a_page_of_the_site_links_to_the_guide(client: httpx.Client) -> None:
    assert 'href="/guide"' in client.get("/", headers={"Accept": "text/html"}).text


def test_html_written_in_the_markdown_is_shown_as_text() -> None:
    @dataclass(frozen=True)
    class Release:
        version: str = "0"
        release_id: str = "r"
        issued: str = "2023-01-01"

    page = render_guide("<script>alert(1)</script>\n\n[x](javascript:alert(1))\n", Release())
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert 'href="javascript:' not in page
