"""HTML pages name their alternates in the head too (issue 14, "HTML pages").

The resource pages and the ontology announced their other representations only in the ``Link``
header; crawlers and browser extensions read ``<link rel="alternate">`` in the head.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Final

import httpx
import pytest

BROWSER: Final = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
_LINK_VALUE: Final = re.compile(r'<([^>]*)>\s*;\s*rel="alternate"\s*;\s*type="([^"]+)"')


class _HeadLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.in_head = False
        self.alternates: set[tuple[str, str]] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "link" and self.in_head and values.get("rel") == "alternate":
            self.alternates.add((values.get("href") or "", values.get("type") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False


@pytest.mark.parametrize("path", ["/id/state/PHL", "/ontology"])
def test_the_head_lists_the_alternates_of_the_link_header(server_url: str, path: str) -> None:
    answer = httpx.get(server_url + path, headers={"Accept": BROWSER}, timeout=30)
    assert answer.status_code == 200
    announced = set(_LINK_VALUE.findall(answer.headers["link"]))
    others = {(href, kind) for href, kind in announced if kind != "text/html"}
    assert {kind for _, kind in others} >= {"text/turtle", "application/ld+json"}
    parser = _HeadLinks()
    parser.feed(answer.text)
    assert parser.alternates == others
