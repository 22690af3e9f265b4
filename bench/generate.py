"""Synthetic data shaped like vawmw-kg's, as N-Quads, merged with the real release.

    python bench/generate.py SIZE [--release DIST] [--out FILE.nq] [--seed 7]

SIZE is the number of *synthetic* triples (``10k``, ``1M``, ``10M`` or a plain number); the
output also holds every quad of the real release (``DIST/vawmw.nq``, about 14 k), so the
queries of the project keep working on the merged data. A sidecar ``FILE.json`` gives the
triples per named graph, in the form of ``release.json``'s ``graphs``.

The synthetic data repeat the shape of report A/78/292 under invented report keys
(``id:report/SYN-00042``): paragraphs, footnotes and the works they cite, invented States
(user-assigned ISO codes ``XAA`` … ``XZZ``) contributing to the report, their measures,
statistics, party statuses for the real instruments, and recommendations, all with labels
in English made from the vocabulary of the report's subject, and the vawmw ontology's terms.
About one synthetic triple in eight goes to the inferred graph (the types and the
``citesWork`` chain an OWL 2 RL closure would add). Same SIZE and seed, same bytes.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import shutil
import string
import sys
from pathlib import Path
from typing import Final, TextIO

REPO: Final = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "service"), str(REPO)]

from vawmw.rdf.namespaces import (  # noqa: E402
    GRAPH_DATA,
    GRAPH_INFERRED,
    GRAPH_ONTOLOGY,
    GRAPH_SHAPES,
    ID,
    PREFIXES,
    VAWMW,
)

RDF_TYPE: Final = PREFIXES["rdf"] + "type"
LABEL: Final = PREFIXES["rdfs"] + "label"
XSD: Final = PREFIXES["xsd"]
PROV_DERIVED: Final = PREFIXES["prov"] + "wasDerivedFrom"
IS_PART_OF: Final = PREFIXES["dcterms"] + "isPartOf"
TITLE: Final = PREFIXES["dcterms"] + "title"
ISSUED: Final = PREFIXES["dcterms"] + "issued"
PROV_ENTITY: Final = PREFIXES["prov"] + "Entity"

STATES: Final = ["X" + a + b for a, b in itertools.product(string.ascii_uppercase, repeat=2)]
SYLLABLES: Final = [
    "ka",
    "lo",
    "mi",
    "ra",
    "te",
    "su",
    "na",
    "vi",
    "do",
    "re",
    "la",
    "zu",
    "ori",
    "ane",
    "ben",
    "tor",
    "gal",
    "mar",
    "esh",
]
STATE_FORMS: Final = ["Republic of", "Kingdom of", "United Republic of", "State of", ""]
MEASURE_TYPES: Final = {
    "femicide-law": "a law making femicide a distinct crime",
    "trafficking-law": "a law against trafficking in persons",
    "domestic-work-law": "a law giving domestic workers labour rights",
    "national-action-plan": "a national action plan on gender-based violence",
    "shelter": "shelters for women survivors of violence",
    "hotline": "a free hotline for migrant women in distress",
    "labour-inspection": "training of labour inspectors on gender-based violence",
    "consular-support": "consular protocols for women migrant workers abroad",
    "pre-departure-training": "pre-departure orientation on rights and risks",
    "data-collection": "a survey of violence against migrant women",
    "legal-aid": "free legal aid for migrant women reporting abuse",
    "recruitment-regulation": "rules banning recruitment fees charged to workers",
}
CATEGORIES: Final = [
    "international-instruments",
    "cooperation",
    "legislation",
    "policies",
    "data-collection-research",
    "prevention-training",
    "protection-assistance",
]
GROUPS: Final = [
    "women-migrant-workers",
    "domestic-and-care-workers",
    "irregular-migrants",
    "returnees",
    "seasonal-rural-agricultural-workers",
    "trafficking-victims",
    "gbv-survivors",
    "young-migrant-women",
]
RISKS: Final = [
    "sexual-violence",
    "trafficking",
    "forced-labour",
    "labour-exploitation",
    "harassment",
    "technology-facilitated-violence",
    "withheld-passports",
    "debt-bondage",
]
INSTRUMENTS: Final = [
    "icrmw",
    "ilo-c097",
    "ilo-c143",
    "ilo-c189",
    "ilo-c190",
    "cedaw",
    "trafficking-protocol",
    "istanbul-convention",
]
STATUSES: Final = ["party", "not-party", "in-process", "considering"]
UNITS: Final = ["percent", "count", "times"]
POPULATIONS: Final = [
    "women migrant domestic workers interviewed in destination countries",
    "returnee women surveyed after their contracts ended",
    "migrant women in seasonal agriculture who answered a national survey",
    "women who used a hotline for migrant workers",
    "migrant women held in immigration detention",
]
TOPICS: Final = [
    "violence against women migrant workers",
    "labour migration governance",
    "recruitment practices and forced labour",
    "domestic work and care",
    "trafficking in women",
    "digital abuse of migrant women",
]
VERBS: Final = ["ensure", "strengthen", "adopt", "fund", "review", "monitor"]


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if factor > 1 else text) * factor)


def iri(value: str) -> str:
    return f"<{value}>"


def lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype:
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"'


class Writer:
    """Writes quads, counting per graph, and stops at exactly ``limit`` synthetic triples."""

    def __init__(self, out: TextIO, limit: int) -> None:
        self.out = out
        self.limit = limit
        self.written = 0
        self.per_graph: dict[str, int] = {}
        self._graphs = {g: iri(g) for g in (GRAPH_DATA, GRAPH_INFERRED)}

    @property
    def full(self) -> bool:
        return self.written >= self.limit

    def quad(self, subject: str, predicate: str, obj: str, graph: str = GRAPH_DATA) -> None:
        if self.written >= self.limit:
            return
        self.out.write(f"{subject} {predicate} {obj} {self._graphs[graph]} .\n")
        self.written += 1
        self.per_graph[graph] = self.per_graph.get(graph, 0) + 1


def state_name(rng: random.Random) -> str:
    stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    form = rng.choice(STATE_FORMS)
    return f"{form} {stem}ia".strip() if form else stem + "ia"


def v(term: str) -> str:
    return iri(VAWMW + term)


def write_states(w: Writer, rng: random.Random) -> dict[str, str]:
    names: dict[str, str] = {}
    for code in STATES:
        name = state_name(rng)
        names[code] = name
        state = iri(f"{ID}state/{code}")
        w.quad(state, iri(RDF_TYPE), v("MemberState"))
        w.quad(state, iri(LABEL), lit(name, "en"))
        w.quad(state, v("hasIsoAlpha3Code"), lit(code))
        for cls in ("State", "Area", "ReportingState"):
            w.quad(state, iri(RDF_TYPE), v(cls), GRAPH_INFERRED)
    return names


def write_block(w: Writer, k: int, rng: random.Random, names: dict[str, str]) -> None:
    """One synthetic report with everything that hangs off it (about 1,500 triples)."""
    key = f"SYN-{k:05d}"
    report = iri(f"{ID}report/{key}")
    a, label, derived = iri(RDF_TYPE), iri(LABEL), iri(PROV_DERIVED)
    year = 2000 + k % 24
    w.quad(report, a, v("Report"))
    w.quad(report, label, lit(f"Synthetic report {key} on {rng.choice(TOPICS)} ({year})", "en"))
    w.quad(report, v("hasDocumentSymbol"), lit(f"A/SYN/{k}"))
    w.quad(report, iri(ISSUED), lit(f"{year}-07-{1 + k % 28:02d}", datatype=XSD + "date"))
    w.quad(report, a, iri(PROV_ENTITY), GRAPH_INFERRED)

    paragraphs = [iri(f"{ID}report/{key}/para/{n}") for n in range(1, 61)]
    for n, para in enumerate(paragraphs, start=1):
        w.quad(para, a, v("Paragraph"))
        w.quad(para, label, lit(f"Paragraph {n} of synthetic report {key}", "en"))
        w.quad(para, v("hasParagraphNumber"), lit(str(n), datatype=XSD + "positiveInteger"))
        w.quad(para, iri(IS_PART_OF), report)

    works: list[str] = []
    footnotes: list[str] = []
    for n in range(1, 26):
        slug = f"syn-{k}-{n}-{rng.choice(TOPICS).split()[0]}"
        work = iri(f"{ID}work/{slug}")
        works.append(work)
        title = f"{rng.choice(TOPICS).capitalize()}: evidence from {names[rng.choice(STATES)]}"
        w.quad(work, a, v("CitedWork"))
        w.quad(work, label, lit(f"{title} ({year - n % 5})", "en"))
        w.quad(work, iri(TITLE), lit(title))
        w.quad(work, v("hasAuthorName"), lit(f"{rng.choice(SYLLABLES).capitalize()}ez, A."))
        w.quad(work, iri(ISSUED), lit(str(year - n % 5), datatype=XSD + "gYear"))
        footnote = iri(f"{ID}report/{key}/footnote/{n}")
        footnotes.append(footnote)
        w.quad(footnote, a, v("Footnote"))
        w.quad(footnote, label, lit(f"Footnote {n} of synthetic report {key}", "en"))
        w.quad(footnote, v("hasFootnoteNumber"), lit(str(n), datatype=XSD + "positiveInteger"))
        w.quad(footnote, v("isFootnoteOf"), paragraphs[(n * 2) % 60])
        w.quad(footnote, v("referencesWork"), work)

    contributors = rng.sample(STATES, 30)
    for code in contributors:
        w.quad(iri(f"{ID}state/{code}"), v("contributedTo"), report)

    for n in range(40):
        code = contributors[n % 30]
        mtype = rng.choice(list(MEASURE_TYPES))
        para_n = 30 + n % 25
        measure = iri(f"{ID}measure/{key}/{para_n}/{mtype}/{code}")
        note = rng.randrange(25)
        status = "in-force" if rng.random() < 0.8 else "draft"
        w.quad(measure, a, v("StateMeasure"))
        w.quad(
            measure,
            label,
            lit(f"{names[code]}: {MEASURE_TYPES[mtype]} ({status}, para {para_n})", "en"),
        )
        w.quad(measure, v("isReportedBy"), iri(f"{ID}state/{code}"))
        w.quad(measure, v("hasMeasureType"), iri(f"{ID}measure-type/{mtype}"))
        w.quad(measure, v("hasCategory"), iri(f"{ID}category/{rng.choice(CATEGORIES)}"))
        w.quad(measure, v("hasImplementationStatus"), iri(f"{ID}implementation-status/{status}"))
        w.quad(measure, v("concernsGroup"), iri(f"{ID}group/{rng.choice(GROUPS)}"))
        w.quad(measure, v("citesFootnote"), footnotes[note])
        w.quad(measure, derived, paragraphs[para_n - 1])
        w.quad(measure, a, v("Action"), GRAPH_INFERRED)
        w.quad(measure, a, v("Claim"), GRAPH_INFERRED)
        w.quad(measure, v("citesWork"), works[note], GRAPH_INFERRED)

    for n in range(1, 16):
        statistic = iri(f"{ID}statistic/{key}/{4 + n % 6}-{n}")
        value = round(rng.uniform(1, 95), 1)
        unit = rng.choice(UNITS)
        group, risk = rng.choice(GROUPS), rng.choice(RISKS)
        shown = f"{value}%" if unit == "percent" else f"{value} ({unit})"
        w.quad(statistic, a, v("Statistic"))
        w.quad(
            statistic,
            label,
            lit(f"{shown} of {group.replace('-', ' ')} faced {risk.replace('-', ' ')}", "en"),
        )
        w.quad(statistic, v("hasNumericValue"), lit(str(value), datatype=XSD + "decimal"))
        w.quad(statistic, v("hasUnit"), iri(f"{ID}unit/{unit}"))
        w.quad(statistic, v("hasReferenceYear"), lit(str(year - 1), datatype=XSD + "gYear"))
        w.quad(statistic, v("describesPopulation"), lit(rng.choice(POPULATIONS)))
        w.quad(statistic, v("concernsGroup"), iri(f"{ID}group/{group}"))
        w.quad(statistic, v("concernsRisk"), iri(f"{ID}risk/{risk}"))
        w.quad(statistic, derived, paragraphs[4 + n % 6])
        w.quad(statistic, a, v("Claim"), GRAPH_INFERRED)

    for code in contributors:
        for instrument in rng.sample(INSTRUMENTS, 1):
            status = rng.choice(STATUSES)
            party = iri(f"{ID}party-status/{key}/{code}/{instrument}")
            w.quad(party, a, v("PartyStatus"))
            w.quad(party, label, lit(f"{names[code]}: {status} to {instrument} ({year})", "en"))
            w.quad(party, v("concernsState"), iri(f"{ID}state/{code}"))
            w.quad(party, v("concernsInstrument"), iri(f"{ID}instrument/{instrument}"))
            w.quad(party, v("hasRatificationStatus"), iri(f"{ID}ratification-status/{status}"))
            w.quad(party, v("isValidAsOf"), lit(f"{year}-05-31", datatype=XSD + "date"))
            w.quad(party, derived, paragraphs[25])
            w.quad(party, a, v("Claim"), GRAPH_INFERRED)

    for n, letter in enumerate(string.ascii_lowercase[:20]):
        recommendation = iri(f"{ID}report/{key}/recommendation/58-{letter}")
        risk = rng.choice(RISKS)
        w.quad(recommendation, a, v("Recommendation"))
        w.quad(
            recommendation,
            label,
            lit(f"Member States should {VERBS[n % 6]} action on {risk.replace('-', ' ')}", "en"),
        )
        w.quad(recommendation, v("hasLetter"), lit(letter))
        w.quad(recommendation, v("isAddressedTo"), iri(f"{ID}org/un-member-states"))
        w.quad(recommendation, v("concernsRisk"), iri(f"{ID}risk/{risk}"))
        w.quad(recommendation, v("servesSdgTarget"), iri(PREFIXES["sdg"] + "5.2"))
        w.quad(recommendation, derived, paragraphs[57])
        w.quad(recommendation, a, v("Claim"), GRAPH_INFERRED)


def release_counts(release: Path) -> dict[str, int]:
    manifest = json.loads((release / "release.json").read_text(encoding="utf-8"))
    return {str(g): int(n) for g, n in manifest["graphs"].items()}


def generate(size: int, release: Path, out: Path, seed: int = 7) -> dict[str, object]:
    """Write the release's quads then ``size`` synthetic triples; return the sidecar's content.

    The sidecar holds ``graphs`` (triples per named graph), ``synthetic`` (SIZE) and
    ``reports`` (how many synthetic reports ``SYN-00000`` … were written, some maybe in part).
    """
    rng = random.Random(seed)
    counts = release_counts(release)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as stream:
        with (release / "vawmw.nq").open(encoding="utf-8") as dump:
            shutil.copyfileobj(dump, stream)
        writer = Writer(stream, size)
        names = write_states(writer, rng)
        reports = 0
        while not writer.full:
            write_block(writer, reports, rng, names)
            reports += 1
    for graph, added in writer.per_graph.items():
        counts[graph] = counts.get(graph, 0) + added
    ordered = {g: counts[g] for g in (GRAPH_ONTOLOGY, GRAPH_DATA, GRAPH_INFERRED, GRAPH_SHAPES)}
    sidecar: dict[str, object] = {"graphs": ordered, "synthetic": size, "reports": reports}
    out.with_suffix(".json").write_text(json.dumps(sidecar, indent=2) + "\n", encoding="utf-8")
    return sidecar


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("size", help="synthetic triples: 10k, 1M, 10M or a number")
    parser.add_argument("--release", type=Path, default=REPO / "dist")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    size = parse_size(args.size)
    out = args.out or Path(f"synthetic-{args.size}.nq")
    sidecar = generate(size, args.release, out, args.seed)
    graphs = sidecar["graphs"]
    assert isinstance(graphs, dict)
    print(f"{out}: {sum(graphs.values())} triples ({size} synthetic, {sidecar['reports']} reports)")
    for graph, n in graphs.items():
        print(f"  {graph} {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
