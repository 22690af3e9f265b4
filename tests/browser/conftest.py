"""Fixtures of the browser tests: Debian's Chromium driven by Playwright, on the real release.

Nothing is downloaded: Playwright launches /usr/bin/chromium (or $VAWMW_CHROMIUM). When either
Chromium or the Python package ``playwright`` is missing, the tests are skipped with the
reason. The served release is the session's `real_release` (tests/conftest.py).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from vawmw.settings import ServiceSettings

from tests.conftest import REPO, live_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Route

SCREENS = Path("/tmp/vawmw-screens")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def chromium_path() -> Path | None:
    """$VAWMW_CHROMIUM when set (and then only that), else Debian's /usr/bin/chromium."""
    given = os.environ.get("VAWMW_CHROMIUM")
    if given is not None:
        candidates = [given]
    else:
        candidates = ["/usr/bin/chromium", shutil.which("chromium") or ""]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    return None


# Module scope: Playwright's sync API keeps an event loop running in the main thread while it
# is open, and later tests in the session call asyncio.run().
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        pytest.skip(
            "Chromium not found: install Debian's chromium (apt-get install -y chromium "
            "chromium-driver, see .ci/install-browser) or set VAWMW_CHROMIUM"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the Python package playwright is not installed (pip install playwright)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def origin(real_release: Path) -> Iterator[str]:
    settings = ServiceSettings(
        release_dir=real_release, queries_dir=REPO / "queries", workers=2, max_rows=10_000
    )
    with live_server(settings) as url:
        yield url


@dataclass
class Traffic:
    """Every URL the browser asked for, and those refused because they left the origin."""

    origin: str
    requested: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def foreign(self) -> list[str]:
        return [
            url
            for url in self.requested
            if not (url.startswith(self.origin + "/") or url.startswith(("data:", "about:")))
        ]


@dataclass
class Session:
    page: Page
    traffic: Traffic
    shots: Path

    def screenshot(self, name: str, *, full_page: bool = True) -> Path:
        path = self.shots / name
        self.page.screenshot(path=str(path), full_page=full_page)
        SCREENS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, SCREENS / name)
        return path

    def element_screenshot(self, selector: str, name: str) -> Path:
        path = self.shots / name
        self.page.locator(selector).first.screenshot(path=str(path))
        SCREENS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, SCREENS / name)
        return path


@pytest.fixture
def session(browser: Browser, origin: str, tmp_path: Path) -> Iterator[Session]:
    """A fresh browser context whose requests are all recorded; off-origin ones are aborted."""
    traffic = Traffic(origin)
    context: BrowserContext = browser.new_context(
        base_url=origin, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )

    def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith(origin + "/") or url.startswith("data:"):
            route.continue_()
        else:
            traffic.refused.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("request", lambda request: traffic.requested.append(request.url))

    def console(message: Any) -> None:
        if message.type == "error":
            traffic.console_errors.append(message.text)

    page.on("console", console)
    page.set_default_timeout(20_000)
    try:
        yield Session(page, traffic, tmp_path)
    finally:
        context.close()
    assert not traffic.refused, f"requests left the server's origin: {traffic.refused}"
    assert not traffic.foreign(), f"requests left the server's origin: {traffic.foreign()}"
