"""``GET /guide``: the researchers' guide, ``docs/GUIDE.md``, rendered in the site's layout.

Its entity tag names the release and the guide's text, so an edited guide is never answered
with a 304 for the old one; the rendered page is kept in the page cache under that key.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from vawmw.web.http import NotFound, revalidate
from vawmw.web.pages import guide
from vawmw.web.routes import service_state

router = APIRouter(tags=["Pages"])


@router.get(guide.PATH, summary="A guide for researchers", include_in_schema=False)
async def guide_page(request: Request) -> Response:
    state = service_state(request)
    source = guide.guide_file()
    if source is None:
        raise NotFound(f"the guide is docs/{guide.GUIDE_NAME.name} of the repository")
    try:
        markdown = source.read_text(encoding="utf-8")
    except OSError as error:
        raise NotFound(f"the guide cannot be read: {error.strerror or error}") from error
    variant = f"guide-html-{guide.digest(markdown)}"
    headers = {"Vary": "Accept", **state.validators.headers(variant, guide.PATH)}
    revalidate(request, headers)
    key = state.validators.key(variant, guide.PATH)

    async def render() -> str:
        return guide.render_guide(markdown, state.release)

    document = await state.pages.get_or_compute(key, render)
    return HTMLResponse(document, headers=headers)
