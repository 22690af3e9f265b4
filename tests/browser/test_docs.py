"""Issue 14, "/docs": Swagger UI served from here renders the operations in Chromium, with
every request outside the origin refused (as offline) and no Content-Security-Policy violation.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import Session
from tests.browser.test_csp import RECORD_VIOLATIONS

pytestmark = pytest.mark.slow


def test_docs_renders_the_operations_offline(session: Session) -> None:
    page = session.page
    if not page.request.get("/static/swagger-ui/swagger-ui-bundle.js").ok:
        pytest.skip("swagger-ui-dist is not installed: run `npm ci`")
    page.add_init_script(RECORD_VIOLATIONS)
    response = page.goto("/docs")
    assert response is not None and response.ok
    policy = response.headers["content-security-policy"]
    assert "http" not in policy.replace("'self'", "")  # no foreign origin is allowed
    operations = page.locator(".opblock-summary-path")
    operations.first.wait_for(timeout=30_000)
    paths = set(operations.all_inner_texts())
    assert {"/sparql", "/health"} <= {path.strip().replace("\u200b", "") for path in paths}
    page.locator(".opblock-summary-path", has_text="/sparql").first.click()
    page.locator(".parameters-container").first.wait_for()
    assert page.locator("tr[data-param-name='query']").count() >= 1
    assert session.traffic.refused == []
    assert session.traffic.foreign() == []
    assert page.evaluate("window.__csp || []") == []
