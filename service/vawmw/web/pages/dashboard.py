"""The dashboard: five charts, each computed by one SPARQL query over the release.

:data:`CHARTS` holds the queries; :func:`render_chart` turns a query's rows into a section of
the page (SVG chart, the numbers as a table, links that run the query). The dashboard's route
runs the queries on the service's worker pool.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from vawmw.rdf import namespaces
from vawmw.rdf.results import Row, number, text
from vawmw.web.pages import charts
from vawmw.web.pages.charts import Cell, Chart, Series
from vawmw.web.pages.layout import (
    ReleaseMeta,
    esc,
    iri_link,
    link,
    page,
    sparql_data_href,
    sparql_run_href,
    table,
)

_PREFIXES: Final = namespaces.sparql_prologue(("vawmw", "rdfs", "skos"))

MEASURES_MATRIX: Final = (
    "# The reporting States against the action categories of section III:\n"
    "# how many measures each State reported in each category.\n"
    + _PREFIXES
    + """
SELECT ?state ?stateLabel ?category ?categoryLabel ?notation
       (COUNT(DISTINCT ?measure) AS ?measures)
WHERE {
  ?state a vawmw:ReportingState .
  OPTIONAL { ?state rdfs:label ?stateLabel }
  OPTIONAL {
    ?measure a vawmw:StateMeasure ;
        vawmw:isReportedBy ?state ;
        vawmw:hasCategory ?category .
    OPTIONAL { ?category rdfs:label ?categoryLabel }
    OPTIONAL { ?category skos:notation ?notation }
  }
}
GROUP BY ?state ?stateLabel ?category ?categoryLabel ?notation
ORDER BY ?stateLabel ?notation
"""
)

PARTY_COUNTS: Final = (
    "# The number of States parties to each instrument in 2021 and in 2023.\n"
    + _PREFIXES
    + """
SELECT ?instrument ?instrumentLabel ?shortName ?year ?parties ?asOf
WHERE {
  ?count a vawmw:PartyCount ;
      vawmw:concernsInstrument ?instrument ;
      vawmw:hasReferenceYear ?referenceYear ;
      vawmw:hasPartyCount ?parties .
  BIND (STR(?referenceYear) AS ?year)
  FILTER (?year IN ("2021", "2023"))
  OPTIONAL { ?count vawmw:isValidAsOf ?asOf }
  OPTIONAL { ?instrument rdfs:label ?instrumentLabel }
  OPTIONAL { ?instrument vawmw:hasShortName ?shortName }
}
ORDER BY ?shortName ?instrument ?year ?asOf
"""
)

RISKS_BY_STAGE: Final = (
    "# How many distinct risks the report places at each stage of migration\n"
    "# (vawmw:occursAtStage is inferred from the risk statements), split into\n"
    "# forms of violence and risk factors.\n"
    + _PREFIXES
    + """
SELECT ?stage ?stageLabel ?notation ?kind (COUNT(DISTINCT ?risk) AS ?risks)
       (GROUP_CONCAT(DISTINCT ?riskLabel; separator="; ") AS ?names)
WHERE {
  # Health consequences are neither, so they are left out rather than counted as violence.
  VALUES (?class ?kind) {
    (vawmw:FormOfViolence "form of violence") (vawmw:RiskFactor "risk factor")
  }
  ?risk vawmw:occursAtStage ?stage ; a ?class .
  OPTIONAL { ?risk rdfs:label ?riskLabel }
  OPTIONAL { ?stage rdfs:label ?stageLabel }
  OPTIONAL { ?stage skos:notation ?notation }
}
GROUP BY ?stage ?stageLabel ?notation ?kind
ORDER BY ?notation ?stage ?kind
"""
)

ILO_MATRIX: Final = (
    "# The status of each reporting State towards the ILO conventions the report discusses.\n"
    + _PREFIXES
    + """
SELECT ?state ?stateLabel ?instrument ?shortName ?status ?statusLabel ?asOf
WHERE {
  ?state a vawmw:ReportingState .
  OPTIONAL { ?state rdfs:label ?stateLabel }
  OPTIONAL {
    ?partyStatus a vawmw:PartyStatus ;
        vawmw:concernsState ?state ;
        vawmw:concernsInstrument ?instrument ;
        vawmw:hasRatificationStatus|vawmw:hasStatedIntention ?status .
    ?instrument a vawmw:ILOConvention .
    OPTIONAL { ?instrument vawmw:hasShortName ?shortName }
    OPTIONAL { ?status rdfs:label ?statusLabel }
    OPTIONAL { ?partyStatus vawmw:isValidAsOf ?asOf }
  }
}
ORDER BY ?stateLabel ?shortName ?asOf
"""
)

STATISTICS_BY_SOURCE: Final = (
    "# The report's statistics by the organization behind the work they cite\n"
    "# (the work's corporate author, else its publisher).\n"
    + _PREFIXES
    + namespaces.sparql_prologue(["dcterms"])
    + """
SELECT ?source ?organization (COUNT(DISTINCT ?statistic) AS ?statistics)
WHERE {
  ?statistic a vawmw:Statistic .
  OPTIONAL {
    ?statistic vawmw:citesWork ?work .
    OPTIONAL { ?work dcterms:creator ?creator . ?creator rdfs:label ?creatorLabel }
    OPTIONAL { ?work dcterms:publisher ?publisher . ?publisher rdfs:label ?publisherLabel }
    OPTIONAL { ?work vawmw:hasPublisherName ?publisherName }
  }
  BIND (COALESCE(?creator, ?publisher) AS ?organization)
  BIND (COALESCE(?creatorLabel, ?publisherLabel, ?publisherName,
                 IF(BOUND(?work), "(authors only, no organization named)", "(no cited work)"))
        AS ?source)
}
GROUP BY ?source ?organization
ORDER BY DESC(?statistics) ?source
"""
)

# Ratification statuses: (short text in the cell, fill). Keys are the IRIs' last segments.
# Legal statuses first (Vienna Convention art. 2(1)(f)/(g)), then stated intentions.
STATUS_STYLE: Final = {
    "party": ("P", "#1b7837"),
    "contracting-state": ("R", "#5aae61"),
    "contracting-state-not-in-force": ("NF", "#a6dba0"),
    "in-process": ("IP", "#7fbf7b"),
    "considering": ("C", "#d9f0d3"),
    "pending-discussion": ("PD", "#fee08b"),
    "making-efforts": ("ME", "#fdb863"),
    "not-party": ("N", "#bababa"),
}
_NO_STATUS: Final = Cell("", "#f7f7f7", "no status stated in the report")
_NO_MEASURE: Final = Cell("", charts.BLUES[0], "no measure reported")


@dataclass(frozen=True)
class RenderedChart:
    """One dashboard section, ready to print."""

    chart_id: str
    heading: str
    html: str
    points: int


@dataclass(frozen=True)
class ChartSpec:
    chart_id: str
    heading: str
    intro: str
    query: str
    build: Callable[[ChartSpec, list[Row]], tuple[str, str, int]]  # svg, table, points


def _label(row: Row, label: str, iri: str) -> str:
    value = text(row, label)
    if value:
        return value
    return text(row, iri).rsplit("/", 1)[-1]


def _key(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _measures_matrix(spec: ChartSpec, rows: list[Row]) -> tuple[str, str, int]:
    states: dict[str, str] = {}
    categories: dict[str, tuple[str, str]] = {}
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        state = text(row, "state")
        states.setdefault(state, _label(row, "stateLabel", "state"))
        category = text(row, "category")
        if category:
            categories.setdefault(
                category, (text(row, "notation"), _label(row, "categoryLabel", "category"))
            )
            counts[(state, category)] = number(row, "measures")
    state_order = sorted(states, key=lambda s: states[s].casefold())
    category_order = sorted(categories, key=lambda c: (categories[c][0], categories[c][1]))
    maximum = max(counts.values(), default=0)
    cells: dict[tuple[int, int], Cell] = {}
    for i, state in enumerate(state_order):
        for j, category in enumerate(category_order):
            value = counts.get((state, category), 0)
            title = f"{states[state]} — {categories[category][1]}: {value} measure(s)"
            cells[(i, j)] = Cell(
                str(value) if value else "", charts.sequential(value, maximum), title
            )
    columns = [f"{n} {label}".strip() for n, label in (categories[c] for c in category_order)]
    chart = Chart(
        spec.chart_id,
        spec.heading,
        f"A matrix of {len(state_order)} reporting States (rows) by {len(category_order)} "
        "action categories (columns); each cell gives the number of measures, darker for more.",
    )
    svg = charts.matrix_svg(chart, [states[s] for s in state_order], columns, cells, _NO_MEASURE)
    body = [
        [iri_link(state, states[state])] + [str(counts.get((state, c), 0)) for c in category_order]
        for state in state_order
    ]
    headers = ["State", *columns]
    points = sum(1 for v in counts.values() if v)
    return svg, table(f"{spec.heading} (data)", headers, body), points


def _party_counts(spec: ChartSpec, rows: list[Row]) -> tuple[str, str, int]:
    names: dict[str, str] = {}
    labels: dict[str, str] = {}
    values: dict[tuple[str, str], int] = {}
    for row in rows:
        instrument = text(row, "instrument")
        names.setdefault(
            instrument, text(row, "shortName") or _label(row, "instrumentLabel", "instrument")
        )
        labels.setdefault(instrument, _label(row, "instrumentLabel", "instrument"))
        values[(instrument, text(row, "year"))] = number(row, "parties")  # latest as-at wins
    order = sorted(names, key=lambda i: -max(values.get((i, y), 0) for y in ("2021", "2023")))
    years = ("2021", "2023")
    series = [
        Series(year, [values.get((i, year)) for i in order], charts.SERIES_COLORS[k])
        for k, year in enumerate(years)
    ]
    chart = Chart(
        spec.chart_id,
        spec.heading,
        f"Grouped bars for {len(order)} instruments: the number of States parties in 2021 "
        "(light) and in 2023 (dark).",
    )
    svg = charts.bar_svg(chart, [names[i] for i in order], series)
    body = []
    for i in order:
        old, new = values.get((i, "2021")), values.get((i, "2023"))
        change = str(new - old) if old is not None and new is not None else ""
        body.append(
            [
                iri_link(i, labels[i]),
                esc(names[i]),
                "" if old is None else str(old),
                "" if new is None else str(new),
                change,
            ]
        )
    data = table(
        f"{spec.heading} (data)", ["Instrument", "Short name", "2021", "2023", "Change"], body
    )
    return svg, data, len(values)


def _risks_by_stage(spec: ChartSpec, rows: list[Row]) -> tuple[str, str, int]:
    stages: dict[str, str] = {}
    counts: dict[tuple[str, str], int] = {}
    names: dict[tuple[str, str], str] = {}
    for row in rows:
        stage = text(row, "stage")
        stages.setdefault(stage, _label(row, "stageLabel", "stage"))
        kind = text(row, "kind")
        counts[(stage, kind)] = number(row, "risks")
        names[(stage, kind)] = text(row, "names")
    order = list(stages)  # the query orders by the stages' notation
    kinds = ("form of violence", "risk factor")
    series = [
        Series(
            "forms of violence" if kind == kinds[0] else "risk factors",
            [counts.get((s, kind), 0) for s in order],
            charts.SERIES_COLORS[1] if kind == kinds[0] else charts.SERIES_COLORS[2],
        )
        for kind in kinds
    ]
    chart = Chart(
        spec.chart_id,
        spec.heading,
        f"Grouped bars for {len(order)} migration stages: the number of distinct forms of "
        "violence and of risk factors that the report places at each stage.",
    )
    svg = charts.bar_svg(chart, [stages[s] for s in order], series)
    body = [
        [
            iri_link(s, stages[s]),
            str(counts.get((s, kinds[0]), 0)),
            esc(names.get((s, kinds[0]), "")),
            str(counts.get((s, kinds[1]), 0)),
            esc(names.get((s, kinds[1]), "")),
        ]
        for s in order
    ]
    headers = ["Stage", "Forms of violence", "which", "Risk factors", "which"]
    return svg, table(f"{spec.heading} (data)", headers, body), len(counts)


def _ilo_matrix(spec: ChartSpec, rows: list[Row]) -> tuple[str, str, int]:
    states: dict[str, str] = {}
    conventions: dict[str, str] = {}
    status: dict[tuple[str, str], tuple[str, str]] = {}
    for row in rows:
        state = text(row, "state")
        states.setdefault(state, _label(row, "stateLabel", "state"))
        instrument = text(row, "instrument")
        if instrument:
            conventions.setdefault(instrument, text(row, "shortName") or _key(instrument))
            status[(state, instrument)] = (  # ordered by as-at date: the latest wins
                _key(text(row, "status")),
                _label(row, "statusLabel", "status"),
            )
    state_order = sorted(states, key=lambda s: states[s].casefold())
    convention_order = sorted(conventions, key=lambda c: conventions[c])
    cells: dict[tuple[int, int], Cell] = {}
    for i, state in enumerate(state_order):
        for j, convention in enumerate(convention_order):
            if (state, convention) not in status:
                continue
            key, label = status[(state, convention)]
            short, fill = STATUS_STYLE.get(key, ("?", "#dddddd"))
            title = f"{states[state]} — {conventions[convention]}: {label}"
            cells[(i, j)] = Cell(short, fill, title)
    legend = [
        (fill, f"{short} = {key.replace('-', ' ')}") for key, (short, fill) in STATUS_STYLE.items()
    ]
    legend.append((_NO_STATUS.fill, "blank = not stated"))
    chart = Chart(
        spec.chart_id,
        spec.heading,
        f"A matrix of {len(state_order)} reporting States (rows) by {len(convention_order)} "
        "ILO conventions (columns); each cell gives the State's legal status (P party, R ratified: "
        "a contracting State, in force for it not stated, NF ratified but not yet in force for "
        "it, N not party) or its stated intention (IP ratification in process, C considering, "
        "PD pending discussion, ME making efforts); blank when the report states none.",
        legend=legend,
    )
    svg = charts.matrix_svg(
        chart,
        [states[s] for s in state_order],
        [conventions[c] for c in convention_order],
        cells,
        _NO_STATUS,
    )
    body = [
        [iri_link(state, states[state])]
        + [esc(status.get((state, c), ("", ""))[1]) for c in convention_order]
        for state in state_order
    ]
    headers = ["State", *(conventions[c] for c in convention_order)]
    return svg, table(f"{spec.heading} (data)", headers, body), len(cells)


def _statistics_by_source(spec: ChartSpec, rows: list[Row]) -> tuple[str, str, int]:
    entries = [
        (text(row, "source"), text(row, "organization"), number(row, "statistics")) for row in rows
    ]
    chart = Chart(
        spec.chart_id,
        spec.heading,
        f"Horizontal bars for {len(entries)} sources: how many of the report's statistics cite "
        "a work by each organization.",
    )
    svg = charts.bar_svg(
        chart, [e[0] for e in entries], [Series("statistics", [e[2] for e in entries])]
    )
    body = [
        [iri_link(org, source) if org else esc(source), str(count)]
        for source, org, count in entries
    ]
    return svg, table(f"{spec.heading} (data)", ["Source", "Statistics"], body), len(entries)


CHARTS: Final[Sequence[ChartSpec]] = (
    ChartSpec(
        "measures-by-category",
        "Measures of the reporting States by category",
        "Each reporting State against the seven categories of section III of the report.",
        MEASURES_MATRIX,
        _measures_matrix,
    ),
    ChartSpec(
        "party-counts",
        "States parties in 2021 and 2023",
        "The number of States parties to each instrument, as the report gives it for 2021 and "
        "for 2023.",
        PARTY_COUNTS,
        _party_counts,
    ),
    ChartSpec(
        "risks-by-stage",
        "Risks by migration stage",
        "Forms of violence and risk factors the report describes at each stage of migration.",
        RISKS_BY_STAGE,
        _risks_by_stage,
    ),
    ChartSpec(
        "ilo-conventions",
        "ILO conventions and the reporting States",
        "The status each reporting State holds towards the ILO conventions, as the report "
        "states it.",
        ILO_MATRIX,
        _ilo_matrix,
    ),
    ChartSpec(
        "statistics-by-source",
        "Statistics by source organization",
        "The organizations whose works the report's statistics cite.",
        STATISTICS_BY_SOURCE,
        _statistics_by_source,
    ),
)


def render_chart(spec: ChartSpec, rows: list[Row]) -> RenderedChart:
    """One section of the dashboard: heading, chart (or a no-data note), links, data table."""
    cid = spec.chart_id
    if rows:
        svg, data_table, points = spec.build(spec, rows)
    else:
        svg, data_table, points = "", "", 0
    figure = (
        f'<figure class="chart-figure" data-chart="{cid}" data-points="{points}">'
        + (svg if points else '<p class="no-data">The query returned no data for this chart.</p>')
        + f"<figcaption>{esc(spec.intro)}</figcaption></figure>"
    )
    links = (
        '<p class="chart-links">'
        + link(
            sparql_run_href(spec.query), "Open this query in the SPARQL editor", cls="query-link"
        )
        + " · "
        + link(sparql_data_href(spec.query, "csv"), "results as CSV")
        + " · "
        + link(sparql_data_href(spec.query, "json"), "as JSON")
        + "</p>"
    )
    details = (
        f"<details><summary>The numbers as a table</summary>{data_table}</details>"
        if data_table
        else ""
    )
    query = (
        "<details><summary>The SPARQL query</summary>"
        f"<pre><code>{esc(spec.query)}</code></pre></details>"
    )
    section = (
        f'<section class="chart-section" id="{cid}" aria-labelledby="{cid}-heading">'
        f'<h2 id="{cid}-heading">{esc(spec.heading)}</h2>'
        f"{figure}{links}{details}{query}</section>"
    )
    return RenderedChart(cid, spec.heading, section, points)


def render_dashboard(sections: Sequence[RenderedChart], release: ReleaseMeta) -> str:
    """The /dashboard page, in the site's layout."""
    toc = "".join(f'<li><a href="#{s.chart_id}">{esc(s.heading)}</a></li>' for s in sections)
    body = (
        "<h1>Dashboard</h1>"
        "<p>Each chart below is computed by a SPARQL query over this release, on the same "
        'store as the <a href="/sparql">SPARQL endpoint</a>. Every chart links to its query, '
        "and its numbers are also given as a table.</p>"
        f'<nav aria-label="Charts"><ol class="toc">{toc}</ol></nav>'
        + "".join(s.html for s in sections)
    )
    return page("Dashboard", body, release, current="/dashboard")
