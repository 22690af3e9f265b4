"""Security headers on every response, the /docs exception, and the trusted-hosts setting.

The expected policy is the one of the security issue; the editor's and /docs' exceptions are
checked for being exceptions only in the directives they need (service/vawmw/web/security.py).
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import httpx
import pytest
from vawmw.settings import ServiceSettings
from vawmw.web.routes.pages import YASGUI_PACKAGE, node_modules

from tests.conftest import live_server

PAGE_POLICY = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
STATES = "SELECT ?s WHERE { ?s a <https://w3id.org/vawmw/ontology#State> }"

HTML_PAGES = [
    "/",
    "/dashboard",
    "/ontology",
    "/id/state/PHL",
    "/queries",
    "/dumps/",
    "/sparql",
    "/sparql?ui=plain",
    "/sparql?query=ASK%7B%7D&format=html",
]
OTHER_ANSWERS = [
    ("/sparql?query=" + STATES.replace(" ", "+"), "application/sparql-results+json"),
    ("/id/state/PHL", "text/turtle"),
    ("/.well-known/void", "text/turtle"),
    ("/health", "application/json"),
    ("/dumps/SHA256SUMS", "*/*"),
    ("/no/such/path", "*/*"),
    ("/sparql?query=SELECT", "*/*"),  # 400
    ("/id/state/PHL", "image/png"),  # 406
]


def directives(policy: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *values = part.split()
        found[name] = values
    return found


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.mark.parametrize("path", HTML_PAGES)
def test_html_pages_send_the_policy(client: httpx.Client, path: str) -> None:
    response = client.get(path, headers={"accept": BROWSER})
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    policy = directives(response.headers["content-security-policy"])
    expected = directives(PAGE_POLICY)
    if path.startswith("/sparql"):  # the editor: the policy plus YASGUI's styles
        extra = {name: policy.pop(name) for name in ("style-src-elem", "style-src-attr")}
        assert extra["style-src-elem"][0] == "'self'"
        assert all(v.startswith("'sha256-") for v in extra["style-src-elem"][1:])
        assert extra["style-src-attr"][0] == "'unsafe-hashes'"
        assert all(v.startswith("'sha256-") for v in extra["style-src-attr"][1:])
    assert policy == expected


@pytest.mark.parametrize(("path", "accept"), OTHER_ANSWERS)
def test_every_answer_says_nosniff(client: httpx.Client, path: str, accept: str) -> None:
    response = client.get(path, headers={"accept": accept})
    assert response.headers["x-content-type-options"] == "nosniff", (path, response.status_code)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_304_and_post_answers_carry_the_headers(client: httpx.Client) -> None:
    first = client.get("/", headers={"accept": BROWSER})
    again = client.get("/", headers={"accept": BROWSER, "if-none-match": first.headers["etag"]})
    assert again.status_code == 304
    posted = client.post("/sparql", data={"query": STATES})
    for response in (again, posted):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-security-policy"]


def test_docs_runs_under_the_page_policy(client: httpx.Client) -> None:
    # Issue 14: Swagger UI is served from here, so /docs needs no exception (no CDN, no hash).
    response = client.get("/docs")
    assert response.status_code == 200
    home = client.get("/", headers={"accept": BROWSER})
    policy = response.headers["content-security-policy"]
    assert policy == home.headers["content-security-policy"]
    assert "<script>" not in response.text  # no inline script
    assert not re.findall(r'(?:src|href)="(https?://[^"]+)', response.text)


def test_redoc_is_off(client: httpx.Client) -> None:
    assert client.get("/redoc").status_code == 404


def test_yasgui_style_hashes_match_the_installed_yasgui(client: httpx.Client) -> None:
    """The editor's exceptions are the hashes of YASGUI's own fixed style texts."""
    root = node_modules()
    if root is None:
        pytest.skip("YASGUI is not installed: run `npm ci`")
    bundle = (root / YASGUI_PACKAGE / "yasgui.min.js").read_text(encoding="utf-8")
    grip_css = re.findall(r"createStyle\(\w+,`([^`]*)`\)", bundle)
    assert len(grip_css) == 1 and ".grip-resizable{table-layout:fixed;}" in grip_css[0]
    assert "+n.opt.dragCursor+`!important}`" in bundle and "dragCursor:`col-resize`" in bundle
    assert "<strong style='text-decoration:underline'>" in bundle
    response = client.get("/sparql", headers={"accept": BROWSER})
    policy = directives(response.headers["content-security-policy"])
    assert sorted(policy["style-src-elem"][1:]) == sorted(
        [sha256_source(grip_css[0]), sha256_source("*{cursor:col-resize!important}")]
    )
    assert policy["style-src-attr"][1:] == [sha256_source("text-decoration:underline")]


# --------------------------------------------------------------------------- trusted hosts


def test_any_host_by_default(client: httpx.Client) -> None:
    response = client.get("/health", headers={"host": "anything.example"})
    assert response.status_code == 200


def test_trusted_hosts_refuse_other_hosts(settings: ServiceSettings) -> None:
    with live_server(settings, trusted_hosts=("kg.example.org", "127.0.0.1")) as url:
        refused = httpx.get(url + "/", headers={"host": "evil.example", "accept": BROWSER})
        assert refused.status_code == 400
        assert refused.headers["x-content-type-options"] == "nosniff"
        assert "evil.example" not in refused.text
        allowed = httpx.get(url + "/health", headers={"host": "kg.example.org"})
        assert allowed.status_code == 200
        assert httpx.get(url + "/health").status_code == 200  # 127.0.0.1:port


def test_bad_public_url_is_refused(settings: ServiceSettings) -> None:
    from vawmw.web.app import create_app

    for bad in ("kg.example.org", "javascript:alert(1)", "https://kg.example.org/?x=1"):
        with pytest.raises(ValueError, match="public URL"):
            create_app(ServiceSettings(release_dir=Path(settings.release_dir), public_url=bad))
