"""The graph states the report's facts in its own words: no run of the report's sentences is copied.

Names may be quoted (a law, programme, treaty or work), so every label and title in the graph
is removed from a descriptive text before it is compared with the report.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT.parent / "shared" / "source" / "A-78-292.txt"
RUN = 8  # words in a row that count as copying

DESCRIPTIVE = {
    "http://www.w3.org/2000/01/rdf-schema#comment",
    "http://www.w3.org/2004/02/skos/core#definition",
    "http://www.w3.org/2004/02/skos/core#scopeNote",
    "https://w3id.org/vawmw/ontology#describesPopulation",
}
NAMES = {
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://purl.org/dc/terms/title",
    "https://w3id.org/vawmw/ontology#hasShortName",
    "https://w3id.org/vawmw/ontology#hasPublisherName",
    "https://w3id.org/vawmw/ontology#hasContainerTitle",
}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _graph_literals() -> list[tuple[str, str, str]]:
    out = []
    for path in sorted((ROOT / "graph").glob("*.ttl")) + sorted((ROOT / "ontology").glob("*.ttl")):
        for quad in ox.parse(path=str(path)):
            if isinstance(quad.object, ox.Literal):
                out.append((quad.subject.value, quad.predicate.value, quad.object.value))
    return out


@pytest.mark.skipif(
    not REPORT.is_file(), reason="the report text lives in ../shared, which is absent"
)
def test_no_descriptive_text_copies_a_run_of_the_report() -> None:
    report_words = _words(REPORT.read_text(encoding="utf-8"))
    runs = {tuple(report_words[i : i + RUN]) for i in range(len(report_words) - RUN + 1)}
    literals = _graph_literals()
    names = sorted(
        {value for _s, p, value in literals if p in NAMES and len(value) > 12},
        key=len,
        reverse=True,
    )
    copied = []
    for subject, predicate, value in literals:
        if predicate not in DESCRIPTIVE:
            continue
        text = value
        for name in names:
            text = text.replace(name, " | ")
        words = [w for chunk in text.split("|") for w in [*_words(chunk), "|"]]
        for i in range(len(words) - RUN + 1):
            window = tuple(words[i : i + RUN])
            if "|" not in window and window in runs:
                copied.append(f"{subject} {predicate}: …{' '.join(window)}…")
                break
    assert copied == []
