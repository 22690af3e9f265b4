"""The VoID + DCAT description of a release: graphs, classes, properties, linksets, dumps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pyoxigraph as ox

from vawmw.rdf.namespaces import BASE, DATASET_IRI, ID, PREFIXES, REPORT_IRI

VOID = PREFIXES["void"]
DCAT = PREFIXES["dcat"]
DCTERMS = PREFIXES["dcterms"]
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
XSD = PREFIXES["xsd"]
SPDX = "http://spdx.org/rdf/terms#"

LICENSE_IRI: Final = "https://creativecommons.org/licenses/by/4.0/"
REPORT_DOCUMENT: Final = "https://undocs.org/A/78/292"

MEDIA_TYPES: Final[dict[str, str]] = {
    ".trig": "application/trig",
    ".nq": "application/n-quads",
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
}

# Outbound links an integrator can join on: (key, link predicate, target namespace, title).
LINK_TARGETS: Final = (
    ("wikidata", PREFIXES["skos"] + "exactMatch", "http://www.wikidata.org/entity/", "Wikidata"),
    (
        "un-geoarea",
        PREFIXES["skos"] + "exactMatch",
        "http://metadata.un.org/sdg/codes/geoArea/",
        "UNSD M49 geographic areas",
    ),
    (
        "un-sdg",
        PREFIXES["vawmw"] + "servesSdgTarget",
        "http://metadata.un.org/sdg/",
        "UN SDG goals, targets and indicators",
    ),
)


@dataclass(frozen=True)
class Distribution:
    file_name: str
    sha256: str
    byte_size: int


def describe_release(
    store: ox.Store,
    *,
    version: str,
    issued: str,
    graph_sizes: dict[str, int],
    distributions: list[Distribution],
) -> list[ox.Triple]:
    """Triples describing the dataset held in ``store`` (named graphs of one release)."""
    dataset = ox.NamedNode(DATASET_IRI)
    out: list[ox.Triple] = []

    def add(subject: ox.NamedNode, predicate: str, obj: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Triple(subject, ox.NamedNode(predicate), obj))

    def literal(value: str | int, datatype: str | None = None) -> ox.Literal:
        if isinstance(value, int):
            return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
        if datatype:
            return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))
        return ox.Literal(value, language="en")

    out.append(ox.Triple(dataset, RDF_TYPE, ox.NamedNode(VOID + "Dataset")))
    out.append(ox.Triple(dataset, RDF_TYPE, ox.NamedNode(DCAT + "Dataset")))
    add(dataset, DCTERMS + "title", literal("vawmw-kg: violence against women migrant workers"))
    add(
        dataset,
        DCTERMS + "description",
        literal(
            "Linked data on the actors, instruments, risks, State measures, statistics and "
            "recommendations of UN Secretary-General report A/78/292 (2023), "
            "each traced to its paragraph."
        ),
    )
    add(dataset, DCTERMS + "license", ox.NamedNode(LICENSE_IRI))
    add(dataset, DCTERMS + "source", ox.NamedNode(REPORT_DOCUMENT))
    add(dataset, DCTERMS + "source", ox.NamedNode(REPORT_IRI))
    add(dataset, DCTERMS + "issued", literal(issued, "date"))
    add(dataset, DCAT + "version", ox.Literal(version))
    add(dataset, PREFIXES["owl"] + "versionInfo", ox.Literal(version))
    add(dataset, VOID + "uriSpace", ox.Literal(ID))
    add(dataset, VOID + "sparqlEndpoint", ox.NamedNode(BASE + "sparql"))
    add(dataset, VOID + "vocabulary", ox.NamedNode(PREFIXES["vawmw"]))
    add(dataset, VOID + "triples", literal(sum(graph_sizes.values())))
    add(
        dataset,
        VOID + "entities",
        literal(
            _count(
                store,
                "SELECT (COUNT(DISTINCT ?s) AS ?n) "
                f'WHERE {{ ?s ?p ?o FILTER STRSTARTS(STR(?s), "{ID}") }}',
            )
        ),
    )

    for graph_iri, size in sorted(graph_sizes.items()):
        graph = ox.NamedNode(graph_iri)
        out.append(ox.Triple(graph, RDF_TYPE, ox.NamedNode(VOID + "Dataset")))
        add(dataset, VOID + "subset", graph)
        add(graph, VOID + "triples", literal(size))

    rows = store.query(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) "
        "WHERE { ?s a ?c FILTER ISIRI(?c) } GROUP BY ?c ORDER BY ?c",
        use_default_graph_as_union=True,
    )
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        cls = row["c"]
        partition = ox.NamedNode(f"{DATASET_IRI}/class-partition/{_slug(cls.value)}")
        add(dataset, VOID + "classPartition", partition)
        add(partition, VOID + "class", cls)
        add(partition, VOID + "entities", literal(int(row["n"].value)))

    rows = store.query(
        "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p",
        use_default_graph_as_union=True,
    )
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        prop = row["p"]
        partition = ox.NamedNode(f"{DATASET_IRI}/property-partition/{_slug(prop.value)}")
        add(dataset, VOID + "propertyPartition", partition)
        add(partition, VOID + "property", prop)
        add(partition, VOID + "triples", literal(int(row["n"].value)))

    for key, predicate, namespace, title in LINK_TARGETS:
        linkset = ox.NamedNode(f"{DATASET_IRI}/linkset/{key}")
        target = ox.NamedNode(f"{DATASET_IRI}/target/{key}")
        links = _count(
            store,
            f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{predicate}> ?o "
            f'FILTER STRSTARTS(STR(?o), "{namespace}") }}',
        )
        out.append(ox.Triple(linkset, RDF_TYPE, ox.NamedNode(VOID + "Linkset")))
        out.append(ox.Triple(target, RDF_TYPE, ox.NamedNode(VOID + "Dataset")))
        add(target, DCTERMS + "title", literal(title))
        add(target, VOID + "uriSpace", ox.Literal(namespace))
        add(dataset, VOID + "subset", linkset)
        add(linkset, VOID + "subjectsTarget", dataset)
        add(linkset, VOID + "objectsTarget", target)
        add(linkset, VOID + "linkPredicate", ox.NamedNode(predicate))
        add(linkset, VOID + "triples", literal(links))

    for distribution in distributions:
        url = ox.NamedNode(f"{BASE}dumps/{distribution.file_name}")
        node = ox.NamedNode(f"{DATASET_IRI}/distribution/{distribution.file_name}")
        suffix = "." + distribution.file_name.rsplit(".", 1)[-1]
        out.append(ox.Triple(node, RDF_TYPE, ox.NamedNode(DCAT + "Distribution")))
        add(dataset, DCAT + "distribution", node)
        add(dataset, VOID + "dataDump", url)
        add(node, DCAT + "downloadURL", url)
        add(
            node,
            DCAT + "mediaType",
            ox.NamedNode("https://www.iana.org/assignments/media-types/" + MEDIA_TYPES[suffix]),
        )
        add(node, DCAT + "byteSize", literal(distribution.byte_size))
        add(node, PREFIXES["dcterms"] + "license", ox.NamedNode(LICENSE_IRI))
        checksum = ox.NamedNode(f"{DATASET_IRI}/distribution/{distribution.file_name}/checksum")
        out.append(ox.Triple(checksum, RDF_TYPE, ox.NamedNode(SPDX + "Checksum")))
        add(node, SPDX + "checksum", checksum)
        add(checksum, SPDX + "algorithm", ox.NamedNode(SPDX + "checksumAlgorithm_sha256"))
        add(
            checksum,
            SPDX + "checksumValue",
            ox.Literal(distribution.sha256, datatype=ox.NamedNode(XSD + "hexBinary")),
        )

    return out


def _count(store: ox.Store, query: str) -> int:
    rows = store.query(query, use_default_graph_as_union=True)
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        return int(row["n"].value)
    return 0


def _slug(iri: str) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace):
            return f"{prefix}-{iri[len(namespace) :]}".replace("/", "-").replace("#", "-")
    return iri.rsplit("/", 1)[-1].replace("#", "-")
