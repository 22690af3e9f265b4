"""vawmw.query.prefixes: what an external store is sent in front of a query."""

from __future__ import annotations

from vawmw.query.prefixes import missing_prologue
from vawmw.rdf.namespaces import PREFIXES


def test_used_undeclared_prefixes_are_declared_on_one_line() -> None:
    prologue = missing_prologue("SELECT * WHERE {\n  ?s rdfs:label ?o ; a vawmw:State\n}")
    assert "\n" not in prologue  # the store's line numbers stay the user's
    assert f"PREFIX rdfs: <{PREFIXES['rdfs']}>" in prologue
    assert f"PREFIX vawmw: <{PREFIXES['vawmw']}>" in prologue
    assert "skos:" not in prologue  # not used


def test_a_query_own_prefix_is_never_written_again() -> None:
    assert missing_prologue("prefix rdfs: <urn:mine#> ASK { ?s rdfs:label ?o }") == ""


def test_names_inside_iris_and_longer_names_are_not_uses() -> None:
    # "xrdfs:" is another prefix, and "rdfs:" after a "." is part of a prefixed name's local part
    assert missing_prologue("ASK { ?s xrdfs:p ?o }") == ""
    assert missing_prologue("ASK { <http://e/a> ?p ?o }") == ""
