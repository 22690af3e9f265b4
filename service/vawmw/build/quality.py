"""ROBOT ``report`` and OOPS!-style quality checks over the ontology (and the data).

Each check is a SPARQL SELECT in ``qc/<check>.rq`` that returns ``?entity ?property
?value``; ``qc/profile.tsv`` gives every check a severity (ERROR, WARN or INFO, as in
ROBOT) and a description. A check in the profile without a query, or a query missing from the
profile, is an error of the project, raised as :class:`QualityProfileError`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any, Final

import pyoxigraph

PACKAGE: Final = "vawmw.build"
QC_DIR: Final = "qc"
PROFILE_NAME: Final = "profile.tsv"
PROFILE_HEADER: Final = ("check", "severity", "description")
SEVERITIES: Final = ("ERROR", "WARN", "INFO")
COLUMNS: Final = ("entity", "property", "value")


class QualityProfileError(ValueError):
    """profile.tsv and the .rq files disagree, or the profile is malformed."""


@dataclass(frozen=True)
class QualityFinding:
    """One row reported by one check."""

    check: str
    severity: str
    entity: str
    property: str
    value: str


def _qc_dir() -> Traversable:
    return files(PACKAGE).joinpath(QC_DIR)


def _parse_profile(text: str) -> dict[str, tuple[str, str]]:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines or tuple(lines[0].split("\t")) != PROFILE_HEADER:
        raise QualityProfileError(f"{PROFILE_NAME} must start with the header {PROFILE_HEADER}")
    profile: dict[str, tuple[str, str]] = {}
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != len(PROFILE_HEADER):
            raise QualityProfileError(f"{PROFILE_NAME}:{number}: expected 3 tab-separated fields")
        check, severity, description = (field.strip() for field in fields)
        if severity not in SEVERITIES:
            raise QualityProfileError(
                f"{PROFILE_NAME}:{number}: severity {severity!r} is not one of {SEVERITIES}"
            )
        if check in profile:
            raise QualityProfileError(f"{PROFILE_NAME}:{number}: check {check!r} listed twice")
        profile[check] = (severity, description)
    return profile


def _load_queries(directory: Traversable, profile: dict[str, tuple[str, str]]) -> dict[str, str]:
    """The query text of every check; the profile and the .rq files must name the same checks."""
    available = {
        entry.name.removesuffix(".rq"): entry
        for entry in directory.iterdir()
        if entry.is_file() and entry.name.endswith(".rq")
    }
    unlisted = sorted(set(available) - set(profile))
    if unlisted:
        raise QualityProfileError(f"queries not listed in {PROFILE_NAME}: {unlisted}")
    missing = sorted(set(profile) - set(available))
    if missing:
        raise QualityProfileError(f"checks in {PROFILE_NAME} without a .rq file: {missing}")
    return {check: available[check].read_text(encoding="utf-8") for check in profile}


def load_profile() -> dict[str, tuple[str, str]]:
    """check name -> (severity, description), read from the package data."""
    return _parse_profile(_qc_dir().joinpath(PROFILE_NAME).read_text(encoding="utf-8"))


def _term_text(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    return str(term.value)


def _severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


def _sort_key(finding: QualityFinding) -> tuple[int, str, str, str, str]:
    return (
        _severity_rank(finding.severity),
        finding.check,
        finding.entity,
        finding.property,
        finding.value,
    )


def _run(
    store: pyoxigraph.Store, profile: dict[str, tuple[str, str]], queries: dict[str, str]
) -> list[QualityFinding]:
    findings: set[QualityFinding] = set()
    for check, query in queries.items():
        severity = profile[check][0]
        try:
            solutions = store.query(query, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QualityProfileError(f"{check}.rq: {exc}") from exc
        if not isinstance(solutions, pyoxigraph.QuerySolutions):
            raise QualityProfileError(f"{check}.rq is not a SELECT query")
        variables = {variable.value for variable in solutions.variables}
        if not set(COLUMNS) <= variables:
            raise QualityProfileError(f"{check}.rq must select ?entity ?property ?value")
        for solution in solutions:
            entity, prop, value = (_term_text(solution[name]) for name in COLUMNS)
            findings.add(QualityFinding(check, severity, entity, prop, value))
    return sorted(findings, key=_sort_key)


def run_checks(store: pyoxigraph.Store) -> list[QualityFinding]:
    """Run every check of the profile over the union of the store's graphs, in a stable order."""
    directory = _qc_dir()
    profile = _parse_profile(directory.joinpath(PROFILE_NAME).read_text(encoding="utf-8"))
    return _run(store, profile, _load_queries(directory, profile))


def errors(findings: Iterable[QualityFinding]) -> list[QualityFinding]:
    """The findings of ERROR severity, which fail a build."""
    return [finding for finding in findings if finding.severity == "ERROR"]
