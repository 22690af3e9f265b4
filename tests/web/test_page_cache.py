"""Defect 1: rendered pages were cached module-wide, keyed by the release id and the page only.

Two applications in one process (the tests, a launcher serving two releases) shared the cache,
so the second served the first one's dashboard even when its data differed (extra graphs).
The cache now lives in each application's state, bounded, keyed by every input of the page
(the one validator formula: release, extra graphs, service version, variant, resource).
"""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

import httpx
from vawmw.rdf import namespaces as ns
from vawmw.settings import ServiceSettings
from vawmw.web.app import create_app
from vawmw.web.routes import ServiceState

from tests.conftest import live_server
from tests.helpers_release import write_release
from tests.web.test_dashboard import Tables

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PUBLIC = "https://kg.example.org"
MEASURES_TABLE = "Measures of the reporting States by category (data)"
# An extra graph (--graph) that adds a reporting State: the dashboard's first chart lists it.
EXTRA_GRAPH = ns.BASE + "graph/extra-test"
EXTRA_DATA = f"""
@prefix vawmw: <{ns.VAWMW}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{ns.ID}state/ATL> a vawmw:ReportingState ; rdfs:label "Atlantis"@en .
"""


def states_in_dashboard(document: str) -> set[str]:
    table = Tables(document).tables[MEASURES_TABLE]
    return {row[0] for row in table[1:]}


def dashboard(url: str) -> str:
    response = httpx.get(url + "/dashboard", headers={"accept": BROWSER}, timeout=60)
    assert response.status_code == 200, response.text[:300]
    return response.text


def test_dashboard_cache_is_per_application(settings: ServiceSettings, tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(EXTRA_DATA, encoding="utf-8")
    with live_server(settings) as url:
        plain = dashboard(url)
    assert "Atlantis" not in states_in_dashboard(plain)
    # The same release, served by another application with an extra graph: other data.
    with live_server(settings, extra_graphs=[(EXTRA_GRAPH, extra)]) as url:
        extended = dashboard(url)
    assert "Atlantis" in states_in_dashboard(extended)
    assert states_in_dashboard(plain) < states_in_dashboard(extended)


def test_home_cache_is_per_application(settings: ServiceSettings) -> None:
    """Same release, same graphs, same service: only the applications' settings differ."""
    with live_server(settings) as url:
        relative = httpx.get(url + "/", headers={"accept": BROWSER}, timeout=60).text
    with live_server(settings, public_url=PUBLIC) as url:
        public = httpx.get(url + "/", headers={"accept": BROWSER}, timeout=60).text
    assert f"<code>{PUBLIC}/sparql</code>" not in relative
    assert f"<code>{PUBLIC}/sparql</code>" in public


def test_dashboard_cache_is_keyed_by_release(
    settings: ServiceSettings, tmp_path: Path, release_dir: Path
) -> None:
    """One application, one cache: a state for another release (as a reload would make) gets
    its own dashboard from the same cache, not the entry of the release before."""
    other = write_release(tmp_path / "other")
    other_release = dataclasses.replace(other, version="9.9.9-other", release_id="other-release")

    async def scenario() -> tuple[str, str, int]:
        app = create_app(dataclasses.replace(settings, release_dir=release_dir))
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as web:
                first = await web.get("/dashboard", headers={"accept": BROWSER})
                state: ServiceState = app.state.service
                cached = len(state.pages)
                reloaded = ServiceState.create(state.settings, other_release, state.pool)
                reloaded.pages = state.pages  # the very same cache
                app.state.service = reloaded
                second = await web.get("/dashboard", headers={"accept": BROWSER})
        assert first.status_code == second.status_code == 200
        return first.text, second.text, cached

    first, second, cached = asyncio.run(scenario())
    assert cached == 1  # the first dashboard went into the application's cache
    assert "9.9.9-other" not in first
    assert "9.9.9-other" in second and "other-release" in second
