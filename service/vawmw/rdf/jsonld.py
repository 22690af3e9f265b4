"""Compact JSON-LD: the project's context, built from the ontology, and compaction with pyld.

pyld is the JSON-LD reference implementation for Python: compaction, ``@type`` and framing
behave as the specification (and jsonld.js) say, which hand-written JSON would not.

The context is published at :data:`CONTEXT_IRI` and shipped in every release; a compact
document names it by that IRI. pyld never fetches it: its document loader here knows only the
context :func:`install_context` was given (the release's), so compaction works offline, as
the sandboxed query workers must.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, Final

import pyoxigraph as ox
from pyld import jsonld  # type: ignore[import-untyped]
from pyld.context_resolver import ContextResolver  # type: ignore[import-untyped]

from vawmw.rdf import namespaces

__all__ = [
    "CONTEXT_IRI",
    "build_context",
    "compact",
    "context_document",
    "document_loader",
    "install_context",
    "install_context_file",
    "parse_context",
]

CONTEXT_IRI: Final = namespaces.CONTEXT_IRI
_OWL_OBJECT_PROPERTY: Final = namespaces.OWL + "ObjectProperty"
_OWL_VERSION_INFO: Final = namespaces.OWL + "versionInfo"
# Every term the ontology defines gets a short name: classes, properties, individuals.
_DEFINED_BY: Final = frozenset(
    namespaces.OWL + name
    for name in ("Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty")
) | {namespaces.RDFS + "Class", namespaces.RDF + "Property", namespaces.SKOS + "Concept"}

# The context compaction uses in this process (the release's); None: a prefixes-only one.
_installed: dict[str, Any] | None = None
# pyld processes a context once per ContextResolver (and builds its inverse once per processed
# context): one resolver per context, kept, saves that work on every document. Keyed by the
# context's canonical JSON; a process sees one or two contexts (the release's), so few entries.
_RESOLVERS_KEPT: Final = 4
_resolvers: dict[str, tuple[Any, ContextResolver]] = {}
# Compacted IRIs remembered (all terms and IRIs of a release: a few thousand).
_COMPACTED_KEPT: Final = 100_000
_MISSING: Final = object()


def _vawmw_terms(ontology: Iterable[ox.Triple]) -> dict[str, bool]:
    """Each term of the vawmw namespace the ontology types, and whether it is an object
    property (its values are IRIs: ``"@type": "@id"``)."""
    terms: dict[str, bool] = {}
    for triple in ontology:
        subject, obj = triple.subject, triple.object
        if not isinstance(subject, ox.NamedNode) or not subject.value.startswith(namespaces.VAWMW):
            continue
        if triple.predicate.value != namespaces.RDF_TYPE or not isinstance(obj, ox.NamedNode):
            continue
        if obj.value in _DEFINED_BY:
            terms[subject.value] = terms.get(subject.value, False) or (
                obj.value == _OWL_OBJECT_PROPERTY
            )
    return terms


def build_context(ontology: Iterable[ox.Triple]) -> dict[str, Any]:
    """The ``@context`` object: the usual prefixes, then every vawmw term by its local name.
    A local name that is a prefix or a keyword-like name keeps its prefixed form only."""
    context: dict[str, Any] = dict(namespaces.PREFIXES)
    for iri, is_object in sorted(_vawmw_terms(ontology).items()):
        name = iri[len(namespaces.VAWMW) :]
        if not name or name in context or name.startswith("@") or ":" in name:
            continue
        curie = f"vawmw:{name}"
        context[name] = {"@id": curie, "@type": "@id"} if is_object else {"@id": curie}
    return context


def context_document(ontology: Sequence[ox.Triple]) -> bytes:
    """The published context file: deterministic bytes (sorted keys), and the ontology
    version it was built from, so a reader can tell which ontology it belongs to."""
    version = next(
        (
            t.object.value
            for t in ontology
            if t.subject == ox.NamedNode(namespaces.ONTOLOGY_IRI)
            and t.predicate.value == _OWL_VERSION_INFO
            and isinstance(t.object, ox.Literal)
        ),
        None,
    )
    document: dict[str, Any] = {"@context": build_context(ontology), "@id": CONTEXT_IRI}
    document["rdfs:isDefinedBy"] = {"@id": namespaces.ONTOLOGY_IRI}
    if version is not None:
        document["owl:versionInfo"] = version
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def parse_context(document: bytes) -> dict[str, Any]:
    """A context file as pyld loads it (the whole document: pyld takes its ``@context``)."""
    parsed = json.loads(document)
    if not isinstance(parsed, dict) or not isinstance(parsed.get("@context"), dict):
        raise ValueError("a JSON-LD context file is an object with an @context object")
    return parsed


def install_context(document: bytes | None) -> None:
    """Compact with this context file (the release's) from now on in this process; None goes
    back to a prefixes-only context, written into each document."""
    global _installed
    _installed = None if document is None else parse_context(document)


def install_context_file(path: Path) -> None:
    """:func:`install_context` with a release's context file; a release without one (built
    before contexts were shipped) gets the prefixes written into each document."""
    install_context(path.read_bytes() if path.is_file() else None)


def document_loader(
    context: Mapping[str, Any] | None = None,
) -> Any:
    """A pyld document loader that knows :data:`CONTEXT_IRI` only (``context``, else the
    installed one) and refuses any other URL: nothing is fetched from the network."""
    known = dict(context) if context is not None else _installed

    def load(url: str, options: object = None) -> dict[str, Any]:
        del options
        if url != CONTEXT_IRI or known is None:
            raise jsonld.JsonLdError(
                f"{url} is not a context this service knows",
                "jsonld.LoadDocumentError",
                code="loading document failed",
            )
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": known,
        }

    return load


def _node(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "IRI", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "blank node", "value": f"_:{term.value}"}
    if isinstance(term, ox.Literal):
        node = {"type": "literal", "value": term.value, "datatype": term.datatype.value}
        if term.language:
            node["language"] = term.language
        return node
    raise ValueError("JSON-LD 1.1 cannot hold a triple term")


def _dataset(triples: Iterable[ox.Triple]) -> dict[str, list[dict[str, dict[str, str]]]]:
    """The triples as the JSON-LD API's RDF dataset (what pyld's N-Quads parser returns):
    pyld's parser is quadratic in the triples (it drops duplicates pairwise), a set is not."""
    unique = dict.fromkeys(triples)
    return {
        "@default": [
            {
                "subject": _node(t.subject),
                "predicate": _node(t.predicate),
                "object": _node(t.object),
            }
            for t in unique
        ]
    }


class _Processor(jsonld.JsonLdProcessor):  # type: ignore[misc]
    """pyld's processor, remembering what an IRI compacts to when no value is involved: the
    answer then depends on the processed context (named by its ``_uuid``, new for every
    processed context) and the flags only, and pyld finds it by scanning every term of the
    context, each time (half of a document's compaction time with this project's context)."""

    _known: ClassVar[dict[tuple[object, ...], Any]] = {}

    def _compact_iri(
        self,
        active_ctx: Any,
        iri: Any,
        value: Any = None,
        vocab: bool = False,
        base: Any = None,
        reverse: bool = False,
    ) -> Any:
        if value is not None or not isinstance(iri, str):
            return super()._compact_iri(active_ctx, iri, value, vocab, base, reverse)
        key = (active_ctx.get("_uuid"), iri, vocab, base, reverse)
        found = self._known.get(key, _MISSING)
        if found is _MISSING:
            if len(self._known) >= _COMPACTED_KEPT:
                self._known.clear()
            found = self._known[key] = super()._compact_iri(
                active_ctx, iri, value, vocab, base, reverse
            )
        return found


def _resolver(known: dict[str, Any] | None) -> tuple[Any, ContextResolver]:
    """The loader and resolver for ``known``, made once per distinct context: the resolver's
    cache holds the context processed, valid only for that context (so never shared between
    two, as a process may compact with two releases' contexts)."""
    key = json.dumps(known, sort_keys=True)
    found = _resolvers.get(key)
    if found is None:
        if len(_resolvers) >= _RESOLVERS_KEPT:
            _resolvers.clear()
        loader = document_loader(known)
        found = _resolvers[key] = (loader, ContextResolver({}, loader))
    return found


def compact(triples: Iterable[ox.Triple], context: Mapping[str, Any] | None = None) -> bytes:
    """``triples`` as compact JSON-LD (``@type`` for rdf:type) naming the context by its IRI;
    without a known context, with the prefixes written in. Deterministic for sorted input."""
    known = dict(context) if context is not None else _installed
    loader, resolver = _resolver(known)
    expanded = jsonld.from_rdf(_dataset(triples), {})
    options = {
        "documentLoader": loader,
        "skipExpansion": True,  # from_rdf's output is expanded already
        "contextResolver": resolver,
    }
    target: Any = CONTEXT_IRI if known is not None else {"@context": dict(namespaces.PREFIXES)}
    document = _Processor().compact(expanded, target, options)
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")
