"""One 404 (issue 14, "404s"): an HTML page for browsers, plain text for everyone else.

There were two styles, plain text on ``/id/…`` and FastAPI's JSON elsewhere. Now every 404,
a handler's or the router's, is the same: plain text, or for a browser a page in the site's
layout that offers the resource a mistyped path likely meant (``/id/state/phl`` → PHL).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable
from typing import Final

import httpx
import pytest
from vawmw.web.suggest import SubjectIndex

from tests.helpers_release import PER, PHL

BROWSER: Final = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
MISSING: Final = ("/no-such-page", "/id/state/XXX", "/dumps/nothing.ttl", "/static/none.css")


@pytest.mark.parametrize("path", MISSING)
def test_a_404_is_plain_text_for_scripts(server_url: str, path: str) -> None:
    for accept in (None, "*/*", "application/json"):
        headers = {"Accept": accept} if accept else {}
        answer = httpx.get(server_url + path, headers=headers, timeout=30)
        assert answer.status_code == 404
        assert answer.headers["content-type"].startswith("text/plain"), accept
        assert "<" not in answer.text.replace(f"<{PHL[:-3]}XXX>", "")  # no markup


@pytest.mark.parametrize("path", MISSING)
def test_a_404_is_a_page_in_the_layout_for_browsers(server_url: str, path: str) -> None:
    answer = httpx.get(server_url + path, headers={"Accept": BROWSER}, timeout=30)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert '<nav aria-label="Main">' in answer.text  # the site's layout
    assert "<h1>Not found</h1>" in answer.text


def test_a_browser_is_offered_the_resource_a_mistyped_path_meant(server_url: str) -> None:
    answer = httpx.get(server_url + "/id/state/phl", headers={"Accept": BROWSER}, timeout=30)
    assert answer.status_code == 404
    assert re.search(r'Did you mean <a href="/id/state/PHL">', answer.text), answer.text


def test_no_suggestion_when_nothing_is_close(server_url: str) -> None:
    answer = httpx.get(server_url + "/id/state/xyz", headers={"Accept": BROWSER}, timeout=30)
    assert answer.status_code == 404
    assert "Did you mean" not in answer.text


def test_the_subject_index_scans_the_store_once() -> None:
    """The suggestion's work is bounded: one scan of the subjects, then one lookup each."""
    calls: list[int] = []

    async def load() -> Iterable[str]:
        calls.append(1)
        return [PHL, PER]

    async def run() -> list[str | None]:
        index = SubjectIndex()
        asked = [PHL.lower(), PER.lower(), PHL, PHL + "x"] * 50
        return list(await asyncio.gather(*(index.suggest(iri, load) for iri in asked)))

    found = asyncio.run(run())
    assert len(calls) == 1
    assert found[:4] == [PHL, PER, None, None]  # the exact IRI is no suggestion of itself


def test_the_subject_index_holds_at_most_its_limit() -> None:
    async def load() -> Iterable[str]:
        return (f"{PHL}{n}" for n in range(1000))

    index = SubjectIndex(limit=10)
    assert asyncio.run(index.suggest(f"{PHL}9".lower(), load)) == f"{PHL}9"
    assert asyncio.run(index.suggest(f"{PHL}10".lower(), load)) is None  # beyond the limit
