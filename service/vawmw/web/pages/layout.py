"""Server-side HTML of the browser pages: the page layout, escaping, links and small widgets.

Everything that reaches a page from the graph (labels, literals, IRIs) goes through
:func:`esc` / :func:`attr`; the functions here return HTML fragments as ``str``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template
from typing import Final, Protocol
from urllib.parse import quote

from vawmw.rdf import namespaces

TEMPLATES: Final = Path(__file__).resolve().parent / "templates"
STATIC: Final = Path(__file__).resolve().parent / "static"

NAV: Final = (
    ("/", "Home"),
    ("/dashboard", "Dashboard"),
    ("/sparql", "SPARQL editor"),
    ("/ontology", "Ontology"),
    ("/queries", "Example queries"),
    ("/guide", "Guide"),
    ("/dumps/", "Downloads"),
)

WIKIDATA: Final = namespaces.WD
GEOAREA: Final = namespaces.GEOAREA
SDG: Final = namespaces.SDG
# GeoNames features, as UNSD's geoAreas name them (web-page IRIs, not sws.geonames.org).
GEONAMES: Final = "https://www.geonames.org/"
_ROMAN: Final = {"I": 1, "V": 5, "X": 10, "L": 50}


def esc(text: object) -> str:
    """Text content, escaped (quotes too, so the result is also safe inside attributes)."""
    return html.escape(str(text), quote=True)


def attr(text: object) -> str:
    """An attribute value (without the surrounding quotes)."""
    return html.escape(str(text), quote=True)


class ReleaseMeta(Protocol):
    """What the footer says about the release (a :class:`vawmw.release.manifest.ReleaseInfo`)."""

    @property
    def version(self) -> str: ...
    @property
    def release_id(self) -> str: ...
    @property
    def issued(self) -> str: ...


@cache
def template(name: str) -> Template:
    """A template of ``templates/`` (``$name`` placeholders; values are substituted as given,
    so the caller escapes them)."""
    return Template((TEMPLATES / name).read_text(encoding="utf-8"))


def page(
    title: str,
    body: str,
    release: ReleaseMeta,
    *,
    current: str = "",
    head: str = "",
    scripts: str = "",
    alternates: Sequence[Alternate] = (),
) -> str:
    """A whole HTML document in the site's layout (landmarks, skip link, navigation);
    ``alternates`` are the other representations the ``Link`` header announces."""
    nav = "\n".join(
        f'      <li><a href="{attr(href)}"'
        + (' aria-current="page"' if href == current else "")
        + f">{esc(text)}</a></li>"
        for href, text in NAV
    )
    return template("base.html").substitute(
        title=esc(title),
        head=alternate_links(alternates) + head,
        nav=nav,
        body=body,
        version=esc(release.version),
        release_id=esc(release.release_id),
        issued=esc(release.issued),
        scripts=scripts,
    )


def error_page(title: str, message: str, release: ReleaseMeta) -> str:
    """An error answered to a browser, in the site's layout (the message is text)."""
    return page(title, f"<h1>{esc(title)}</h1><p>{esc(message)}</p>", release)


def not_found_page(message: str, release: ReleaseMeta, *, suggestion: str | None = None) -> str:
    """A 404 for a browser: the message, the likely resource (a local path) and ways on."""
    hint = ""
    if suggestion is not None:
        hint = f'<p class="suggestion">Did you mean {link(suggestion, suggestion)}?</p>'
    ways = (
        f"<p>Start from the {link('/', 'home page')}, the {link('/ontology', 'ontology')} or "
        f"the {link('/sparql', 'SPARQL editor')}.</p>"
    )
    title = "Not found"
    return page(title, f"<h1>{title}</h1><p>{esc(message)}</p>{hint}{ways}", release)


@dataclass(frozen=True)
class Alternate:
    """Another representation of a page: where it is, and its media type."""

    href: str
    media_type: str


def alternate_links(alternates: Iterable[Alternate]) -> str:
    """``<link rel="alternate">`` elements for the head of a page."""
    return "".join(
        f'<link rel="alternate" type="{attr(a.media_type)}" href="{attr(a.href)}">\n'
        for a in alternates
    )


# Browsers drop tabs and newlines anywhere in a URL and read a backslash as a slash.
_URL_IGNORED: Final = re.compile(r"[\t\n\r]")
WEB_SCHEMES: Final = frozenset({"http", "https"})


def local_path(iri: str, base: str = namespaces.BASE) -> str:
    """Resources of this dataset link to this server; other IRIs stay as they are.

    The path never starts with ``//`` (or ``/\\``): a browser would read that as another host
    (``…/vawmw//evil.example/x`` must not become ``href="//evil.example/x"``), so such an IRI
    stays absolute.
    """
    if iri.startswith(base):
        rest = iri[len(base) :]
        if not _URL_IGNORED.sub("", rest).startswith(("/", "\\")):
            return "/" + rest
    return iri


def is_web_iri(iri: str) -> bool:
    """True for an http or https IRI: the only ones a page may link to."""
    scheme, sep, _ = iri.partition(":")
    return bool(sep) and scheme.lower() in WEB_SCHEMES


def iri_href(iri: str, base: str = namespaces.BASE) -> str | None:
    """Where a link to ``iri`` may point (a local path or an http(s) IRI), or None for no link.

    IRIs come from the graph and from users' queries: ``javascript:``, ``data:`` and every
    other scheme are shown as text, never made clickable.
    """
    href = local_path(iri, base)
    if href.startswith("/"):
        return href
    return external_href(iri) if is_web_iri(iri) else None


def link(href: str, text: str, *, title: str = "", cls: str = "") -> str:
    extra = f' title="{attr(title)}"' if title else ""
    extra += f' class="{attr(cls)}"' if cls else ""
    return f'<a href="{attr(href)}"{extra}>{esc(text)}</a>'


def iri_link(iri: str, label: str | None = None, base: str = namespaces.BASE) -> str:
    """A link to a resource, showing its label (or a readable name for known external IRIs).

    An IRI that may not be linked (:func:`iri_href`) is shown as text with the IRI as title.
    """
    text = label or external_name(iri) or short_iri(iri)
    href = iri_href(iri, base)
    if href is None:
        return f'<span class="iri" title="{attr(iri)}">{esc(text)}</span>'
    cls = "" if href.startswith("/") else "external"
    return link(href, text, title=iri, cls=cls)


def short_iri(iri: str) -> str:
    """A compact form of an IRI with the project's prefixes (``vawmw:State``, ``id:state/PHL``)."""
    matches = [
        (len(namespace), f"{prefix}:{iri[len(namespace) :]}")
        for prefix, namespace in namespaces.PREFIXES.items()
        if iri.startswith(namespace)
    ]
    return max(matches)[1] if matches else iri


def external_name(iri: str) -> str | None:
    """A readable name for the external IRIs the graph links to, or None."""
    if iri.startswith(WIKIDATA):
        return f"Wikidata {iri[len(WIKIDATA) :]}"
    if iri.startswith(GEOAREA):
        return f"UN M49 geoArea {iri[len(GEOAREA) :]}"
    if iri.startswith(GEONAMES) and iri[len(GEONAMES) :].isdigit():
        return f"GeoNames {iri[len(GEONAMES) :]}"
    if iri.startswith(SDG) and re.fullmatch(r"\d+(\.[0-9a-z]+){0,2}", iri[len(SDG) :]):
        code = iri[len(SDG) :]
        kind = {0: "SDG", 1: "SDG target", 2: "SDG indicator"}[code.count(".")]
        return f"{kind} {code}"
    return None


def external_href(iri: str) -> str:
    """Where a browser should go for an external IRI (Wikidata's page rather than its entity)."""
    if iri.startswith(WIKIDATA):
        return "https://www.wikidata.org/wiki/" + quote(iri[len(WIKIDATA) :])
    return iri


def _roman(numeral: str) -> int | None:
    total = 0
    previous = 0
    for char in reversed(numeral.upper()):
        value = _ROMAN.get(char)
        if value is None:
            return None
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total


def untc_url(reference: str) -> str:
    """The UN Treaty Collection page of a treaty from its chapter reference (``IV-13``)."""
    chapter = _roman(reference.split("-", 1)[0])
    url = "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=" + quote(reference)
    return url + (f"&chapter={chapter}" if chapter else "")


def normlex_url(code: str) -> str:
    """The ILO NORMLEX page of a convention or recommendation (``C189``, ``R206``)."""
    return (
        "https://www.ilo.org/dyn/normlex/en/f?p=NORMLEXPUB:12100:0::NO::P12100_ILO_CODE:"
        + quote(code)
    )


def undocs_url(symbol: str) -> str:
    """The UN Official Document System address of a document symbol (``A/78/292``)."""
    return "https://undocs.org/" + quote(symbol, safe="/")


# Literal-valued properties whose values are identifiers of an external register.
LITERAL_LINKS: Final = {
    namespaces.VAWMW + "hasUntcReference": ("UN Treaty Collection", untc_url),
    namespaces.VAWMW + "hasNormlexCode": ("ILO NORMLEX", normlex_url),
    namespaces.VAWMW + "hasDocumentSymbol": ("UN documents", undocs_url),
}


def table(
    caption: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    row_headers: bool = True,
    cls: str = "",
    caption_hidden: bool = False,
) -> str:
    """A data table: ``rows`` hold HTML cells (already escaped); the first cell may be a th."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body: list[str] = []
    for row in rows:
        cells = []
        for index, cell in enumerate(row):
            if index == 0 and row_headers:
                cells.append(f'<th scope="row">{cell}</th>')
            else:
                cells.append(f"<td>{cell}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap_cls = ' class="visually-hidden"' if caption_hidden else ""
    table_cls = f' class="{attr(cls)}"' if cls else ""
    return (
        f"<table{table_cls}><caption{cap_cls}>{esc(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def sparql_run_href(query: str) -> str:
    """Open ``query`` in the editor with its results (works without JavaScript)."""
    return "/sparql?query=" + quote(query, safe="") + "&format=html"


def sparql_data_href(query: str, fmt: str = "csv") -> str:
    """The raw results of ``query`` from the endpoint (``csv`` / ``json``)."""
    return "/sparql?query=" + quote(query, safe="") + "&format=" + quote(fmt)
