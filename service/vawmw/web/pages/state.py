"""The at-a-glance part of a State's page: party statuses, measures, recommendations.

It prints the rows of :func:`vawmw.web.pages.resource_queries.state_query`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from vawmw.rdf.results import Row, text
from vawmw.web.pages.layout import esc, iri_link, short_iri, table


@dataclass
class StateFacts:
    """The rows of the State query by part, one row per item."""

    statuses: dict[str, Row] = field(default_factory=dict)
    measures: dict[str, Row] = field(default_factory=dict)
    recommendations: dict[str, Row] = field(default_factory=dict)
    # recommendation → the instruments it names that the State has a status for (IRI → name)
    concerning: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))

    @classmethod
    def of(cls, rows: Sequence[Row]) -> StateFacts:
        facts = cls()
        for row in rows:
            part, item = text(row, "part"), text(row, "item")
            if part == "status":
                facts.statuses.setdefault(item, row)
            elif part == "measure":
                facts.measures.setdefault(item, row)
            elif part == "recommendation":
                facts.recommendations.setdefault(item, row)
                if text(row, "instrument"):
                    name = text(row, "shortName") or text(row, "instrumentLabel")
                    facts.concerning[item][text(row, "instrument")] = name
        return facts


def state_sections(state_label: str, rows: Sequence[Row]) -> str:
    """The at-a-glance part of a State's page."""
    facts = StateFacts.of(rows)
    return (
        '<section class="at-a-glance" aria-labelledby="glance-heading">'
        f'<h2 id="glance-heading">{esc(state_label)} at a glance</h2>'
        '<ul class="summary">'
        f"<li><strong>{len(facts.statuses)}</strong> status(es) towards instruments</li>"
        f"<li><strong>{len(facts.measures)}</strong> measure(s) reported</li>"
        f"<li><strong>{len(facts.concerning)}</strong> recommendation(s) on instruments it has "
        "a status for</li></ul>"
        + _statuses(state_label, facts.statuses)
        + _measures(facts.measures)
        + _recommendations(state_label, facts)
        + "</section>"
    )


def _para_link(row: Row) -> str:
    source = text(row, "source")
    if not source:
        return ""
    number = text(row, "paragraphNumber")
    return iri_link(source, f"para. {number}" if number else None)


def _instrument_name(row: Row) -> str:
    return text(row, "shortName") or text(row, "instrumentLabel")


def _statuses(state_label: str, statuses: dict[str, Row]) -> str:
    heading = '<h3 id="statuses-heading">Party statuses</h3>'
    if not statuses:
        return heading + "<p>The report states no party status for this State.</p>"
    body = []
    for item, row in sorted(statuses.items(), key=lambda kv: _instrument_name(kv[1]).casefold()):
        name = text(row, "instrumentLabel") or text(row, "shortName")
        status = text(row, "statusLabel") or short_iri(text(row, "status"))
        body.append(
            [
                iri_link(text(row, "instrument"), name),
                iri_link(item, status),
                esc(text(row, "asOf")),
                esc(text(row, "entryIntoForce")),
                _para_link(row),
            ]
        )
    return heading + table(
        f"Status of {state_label} towards each instrument",
        ["Instrument", "Status", "As at", "In force for it from", "Source"],
        body,
    )


def _measures(measures: dict[str, Row]) -> str:
    heading = '<h3 id="measures-heading">Measures by category</h3>'
    if not measures:
        return heading + "<p>The report gives no measure of this State.</p>"
    by_category: dict[str, list[tuple[str, Row]]] = defaultdict(list)
    for item, row in measures.items():
        by_category[text(row, "category")].append((item, row))
    # by notation (III.A, III.B …), the measures without a category last
    ordered = sorted(by_category, key=lambda c: (c == "", text(by_category[c][0][1], "notation")))
    return heading + "".join(_category(c, by_category[c]) for c in ordered)


def _category(category: str, measures: list[tuple[str, Row]]) -> str:
    first = measures[0][1]
    title = text(first, "categoryLabel") or "No category"
    notation = text(first, "notation")
    heading = f"{notation} {title}".strip() if notation else title
    items = []
    for item, row in sorted(measures, key=lambda x: text(x[1], "itemLabel").casefold()):
        kind = text(row, "measureTypeLabel")
        extra = f' <span class="kind">({esc(kind)})</span>' if kind else ""
        para = _para_link(row)
        items.append(
            f"<li>{iri_link(item, text(row, 'itemLabel') or None)}{extra}"
            + (f" — {para}" if para else "")
            + "</li>"
        )
    category_link = iri_link(category, heading) if category else esc(heading)
    return (
        f'<h4>{category_link} <span class="count">({len(items)})</span></h4>'
        f'<ul class="measures">{"".join(items)}</ul>'
    )


def _recommendations(state_label: str, facts: StateFacts) -> str:
    parts = [
        '<h3 id="recommendations-heading">Recommendations</h3>'
        "<p>The report's recommendations are addressed to all Member States (or to the United "
        "Nations system), not to one State. Listed first are those that concern an instrument "
        f"towards which {esc(state_label)} has a status.</p>"
    ]
    if facts.concerning:
        body = []
        for item in sorted(facts.concerning, key=_recommendation_key):
            row = facts.recommendations[item]
            instruments = ", ".join(
                iri_link(i, name or None) for i, name in sorted(facts.concerning[item].items())
            )
            body.append([iri_link(item, text(row, "itemLabel") or None), instruments])
        parts.append(
            table(
                f"Recommendations on instruments {state_label} has a status for",
                ["Recommendation", "Instruments concerned"],
                body,
            )
        )
    else:
        parts.append("<p>None of the recommendations names such an instrument.</p>")
    parts.append(_all_recommendations(facts.recommendations))
    return "".join(parts)


def _all_recommendations(recommendations: dict[str, Row]) -> str:
    if not recommendations:
        return ""
    listing = "".join(
        f"<li>{iri_link(item, text(recommendations[item], 'itemLabel') or None)}"
        + _addressee(recommendations[item])
        + "</li>"
        for item in sorted(recommendations, key=_recommendation_key)
    )
    return (
        f"<details><summary>All {len(recommendations)} recommendations of the report "
        "(addressed to all Member States or the UN system)</summary>"
        f'<ul class="recommendations">{listing}</ul></details>'
    )


def _addressee(row: Row) -> str:
    label = text(row, "addresseeLabel")
    return f' <span class="kind">(to {esc(label)})</span>' if label else ""


def _recommendation_key(item: str) -> tuple[int, str]:
    """58 (a) … 58 (t), then 59: by paragraph number and letter."""
    match = re.search(r"/recommendation/(\d+)(?:-(\w+))?$", item)
    if match:
        return (int(match.group(1)), match.group(2) or "")
    return (10_000, item)
