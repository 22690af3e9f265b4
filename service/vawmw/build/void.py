"""The VoID + DCAT description of a release: graphs, classes, properties, linksets, dumps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pyoxigraph as ox

from vawmw.rdf import formats
from vawmw.rdf.namespaces import BASE, DATASET_IRI, GRAPH_UN, ID, PREFIXES, REPORT_IRI, SPDX

VOID = PREFIXES["void"]
DCAT = PREFIXES["dcat"]
DCTERMS = PREFIXES["dcterms"]
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
XSD = PREFIXES["xsd"]

LICENSE_IRI: Final = "https://creativecommons.org/licenses/by/4.0/"
REPORT_DOCUMENT: Final = "https://undocs.org/A/78/292"

# Outbound links an integrator can join on: (key, link predicate, target namespace, title).
# Identity links are schema:sameAs (never skos:exactMatch: a State or organization is not a
# SKOS concept), the UN geoArea is vawmw:hasUnGeoArea (docs/MODEL.md, "Links to other data").
SCHEMA_SAME_AS: Final = "https://schema.org/sameAs"
GEONAMES: Final = "https://www.geonames.org/"
LINK_TARGETS: Final = (
    ("wikidata", SCHEMA_SAME_AS, PREFIXES["wd"], "Wikidata"),
    ("geonames", SCHEMA_SAME_AS, GEONAMES, "GeoNames"),
    (
        "un-geoarea",
        PREFIXES["vawmw"] + "hasUnGeoArea",
        PREFIXES["geoarea"],
        "UNSD M49 geographic areas",
    ),
    (
        "un-sdg",
        PREFIXES["vawmw"] + "servesSdgTarget",
        PREFIXES["sdg"],
        "UN SDG goals, targets and indicators",
    ),
    (
        "un-sdg-risks",
        PREFIXES["vawmw"] + "relatesToSdgTarget",
        PREFIXES["sdg"],
        "UN SDG targets that risks relate to",
    ),
)
# Graphs copied from others' data: (title, source, licence as the publisher words it). The UNSD
# SDG KOS states its terms as a text (its own VoID), so the licence is that text, verbatim.
VENDORED_GRAPHS: Final = {
    GRAPH_UN: (
        "UNSD extract: M49 areas and SDG goals and targets that vawmw-kg links to",
        "http://metadata.un.org/sdg/",
        "The SDG Knowledge Organization System, accessible at http://metadata.un.org/sdg, is "
        "made available free of charge and may be copied freely, duplicated and further "
        "distributed with the following citation: Amit Joshi, Luis Gonzalez Morales, Szymon "
        "Klarman, and Aaron Helton. 2019. A Knowledge Organization System for the United Nations "
        "Sustainable Development Goals. New York, NY. http://metadata.un.org/sdg",
    ),
}


@dataclass(frozen=True)
class Distribution:
    file_name: str
    sha256: str
    byte_size: int


class _Triples:
    """The description being built: triples, and literals typed the way VoID expects."""

    def __init__(self) -> None:
        self.triples: list[ox.Triple] = []

    def add(self, subject: ox.NamedNode, predicate: str, obj: ox.NamedNode | ox.Literal) -> None:
        self.triples.append(ox.Triple(subject, ox.NamedNode(predicate), obj))

    def typed(self, subject: ox.NamedNode, rdf_class: str) -> None:
        self.triples.append(ox.Triple(subject, RDF_TYPE, ox.NamedNode(rdf_class)))


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))


def _english(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def describe_release(
    store: ox.Store,
    *,
    version: str,
    issued: str,
    graph_sizes: dict[str, int],
    distributions: list[Distribution],
    ontology_version_iri: str | None = None,
) -> list[ox.Triple]:
    """Triples describing the dataset held in ``store`` (named graphs of one release)."""
    out = _Triples()
    dataset = ox.NamedNode(DATASET_IRI)
    _describe_dataset(out, dataset, version=version, issued=issued)
    if ontology_version_iri is not None:  # the data and the ontology are versioned apart
        out.add(dataset, DCTERMS + "conformsTo", ox.NamedNode(ontology_version_iri))
    out.add(dataset, VOID + "triples", _integer(sum(graph_sizes.values())))
    entities = (
        f'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o FILTER STRSTARTS(STR(?s), "{ID}") }}'
    )
    out.add(dataset, VOID + "entities", _integer(_count(store, entities)))
    for graph_iri, size in sorted(graph_sizes.items()):
        graph = ox.NamedNode(graph_iri)
        out.typed(graph, VOID + "Dataset")
        out.add(dataset, VOID + "subset", graph)
        out.add(graph, VOID + "triples", _integer(size))
        _describe_vendored(out, graph)
    _describe_partitions(out, dataset, store)
    _describe_linksets(out, dataset, store)
    for distribution in distributions:
        _describe_distribution(out, dataset, distribution)
    return out.triples


def _describe_dataset(out: _Triples, dataset: ox.NamedNode, *, version: str, issued: str) -> None:
    out.typed(dataset, VOID + "Dataset")
    out.typed(dataset, DCAT + "Dataset")
    out.add(
        dataset, DCTERMS + "title", _english("vawmw-kg: violence against women migrant workers")
    )
    out.add(
        dataset,
        DCTERMS + "description",
        _english(
            "Linked data on the actors, instruments, risks, State measures, statistics and "
            "recommendations of UN Secretary-General report A/78/292 (2023), "
            "each traced to its paragraph."
        ),
    )
    out.add(dataset, DCTERMS + "license", ox.NamedNode(LICENSE_IRI))
    out.add(dataset, DCTERMS + "source", ox.NamedNode(REPORT_DOCUMENT))
    out.add(dataset, DCTERMS + "source", ox.NamedNode(REPORT_IRI))
    out.add(dataset, DCTERMS + "issued", ox.Literal(issued, datatype=ox.NamedNode(XSD + "date")))
    out.add(dataset, DCAT + "version", ox.Literal(version))
    out.add(dataset, PREFIXES["owl"] + "versionInfo", ox.Literal(version))
    out.add(dataset, VOID + "uriSpace", ox.Literal(ID))
    out.add(dataset, VOID + "sparqlEndpoint", ox.NamedNode(BASE + "sparql"))
    out.add(dataset, VOID + "vocabulary", ox.NamedNode(PREFIXES["vawmw"]))


def _describe_vendored(out: _Triples, graph: ox.NamedNode) -> None:
    """Title, source and licence of a graph copied from another publisher's data."""
    if graph.value not in VENDORED_GRAPHS:
        return
    title, source, licence = VENDORED_GRAPHS[graph.value]
    out.add(graph, DCTERMS + "title", _english(title))
    out.add(graph, DCTERMS + "source", ox.NamedNode(source))
    out.add(graph, PREFIXES["prov"] + "wasDerivedFrom", ox.NamedNode(source))
    out.add(graph, DCTERMS + "license", _english(licence))


def _describe_partitions(out: _Triples, dataset: ox.NamedNode, store: ox.Store) -> None:
    """One class partition per class, one property partition per property, with counts."""
    kinds = (
        (
            "class",
            "entities",
            "SELECT ?key (COUNT(DISTINCT ?s) AS ?n) "
            "WHERE { ?s a ?key FILTER ISIRI(?key) } GROUP BY ?key ORDER BY ?key",
        ),
        (
            "property",
            "triples",
            "SELECT ?key (COUNT(*) AS ?n) WHERE { ?s ?key ?o } GROUP BY ?key ORDER BY ?key",
        ),
    )
    for kind, measure, query in kinds:
        for row in _select(store, query):
            key = row["key"]
            partition = ox.NamedNode(f"{DATASET_IRI}/{kind}-partition/{_slug(key.value)}")
            out.add(dataset, VOID + f"{kind}Partition", partition)
            out.add(partition, VOID + kind, key)
            out.add(partition, VOID + measure, _integer(int(row["n"].value)))


def _describe_linksets(out: _Triples, dataset: ox.NamedNode, store: ox.Store) -> None:
    """One linkset per outbound link target, with the number of links into it (links made by
    the project's own resources: the UN extract's own links to Wikidata are not ours)."""
    for key, predicate, namespace, title in LINK_TARGETS:
        linkset = ox.NamedNode(f"{DATASET_IRI}/linkset/{key}")
        target = ox.NamedNode(f"{DATASET_IRI}/target/{key}")
        links = _count(
            store,
            f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{predicate}> ?o "
            f'FILTER (STRSTARTS(STR(?o), "{namespace}") && STRSTARTS(STR(?s), "{BASE}")) }}',
        )
        out.typed(linkset, VOID + "Linkset")
        out.typed(target, VOID + "Dataset")
        out.add(target, DCTERMS + "title", _english(title))
        out.add(target, VOID + "uriSpace", ox.Literal(namespace))
        out.add(dataset, VOID + "subset", linkset)
        out.add(linkset, VOID + "subjectsTarget", dataset)
        out.add(linkset, VOID + "objectsTarget", target)
        out.add(linkset, VOID + "linkPredicate", ox.NamedNode(predicate))
        out.add(linkset, VOID + "triples", _integer(links))


def _describe_distribution(
    out: _Triples, dataset: ox.NamedNode, distribution: Distribution
) -> None:
    """A DCAT distribution for one dump: where to download it, its type, size and checksum."""
    name = distribution.file_name
    url = ox.NamedNode(f"{BASE}dumps/{name}")
    node = ox.NamedNode(f"{DATASET_IRI}/distribution/{name}")
    suffix = "." + name.rsplit(".", 1)[-1]
    fmt = formats.by_extension(suffix)
    if fmt is None or fmt.kind != "rdf":
        raise ValueError(f"{name}: no media type is known for a dump ending in {suffix!r}")
    out.typed(node, DCAT + "Distribution")
    out.add(dataset, DCAT + "distribution", node)
    out.add(dataset, VOID + "dataDump", url)
    out.add(node, DCAT + "downloadURL", url)
    media_type = "https://www.iana.org/assignments/media-types/" + fmt.media_type
    out.add(node, DCAT + "mediaType", ox.NamedNode(media_type))
    out.add(node, DCAT + "byteSize", _integer(distribution.byte_size))
    out.add(node, DCTERMS + "license", ox.NamedNode(LICENSE_IRI))
    checksum = ox.NamedNode(f"{DATASET_IRI}/distribution/{name}/checksum")
    out.typed(checksum, SPDX + "Checksum")
    out.add(node, SPDX + "checksum", checksum)
    out.add(checksum, SPDX + "algorithm", ox.NamedNode(SPDX + "checksumAlgorithm_sha256"))
    hex_binary = ox.NamedNode(XSD + "hexBinary")
    out.add(checksum, SPDX + "checksumValue", ox.Literal(distribution.sha256, datatype=hex_binary))


def _select(store: ox.Store, query: str) -> ox.QuerySolutions:
    """The solutions of a SELECT over the union of the release's named graphs."""
    result = store.query(query, use_default_graph_as_union=True)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError(f"a SELECT query answered with {type(result).__name__}: {query}")
    return result


def _count(store: ox.Store, query: str) -> int:
    for row in _select(store, query):
        return int(row["n"].value)
    return 0


def _slug(iri: str) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace):
            return f"{prefix}-{iri[len(namespace) :]}".replace("/", "-").replace("#", "-")
    return iri.rsplit("/", 1)[-1].replace("#", "-")
