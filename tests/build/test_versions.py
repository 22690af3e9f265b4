"""The ontology and the data are versioned apart (issue 17, "Versioning").

The ontology states its version (``owl:versionInfo``, ``owl:versionIRI``, ``owl:priorVersion``);
the data states its own in ``graph/VERSION``. Expectations are read from those source files,
never from the code that writes the release.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Final

import pytest
import rdflib
from rdflib.namespace import DCTERMS, OWL
from vawmw.build.pipeline import build_release
from vawmw.build.sources import SourceLayoutError, data_version
from vawmw.rdf import namespaces

from tests.conftest import REPO

MINI: Final = REPO / "tests" / "fixtures" / "mini"
ONTOLOGY: Final = rdflib.URIRef(namespaces.ONTOLOGY_IRI)
DATASET: Final = rdflib.URIRef(namespaces.DATASET_IRI)
DCAT_VERSION: Final = rdflib.URIRef("http://www.w3.org/ns/dcat#version")  # DCAT 3, not in rdflib's


def _ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(REPO / "ontology" / "vawmw.ttl")


def test_the_sources_state_two_versions_that_differ() -> None:
    ontology = _ontology()
    ontology_version = str(ontology.value(ONTOLOGY, OWL.versionInfo))
    data = (REPO / "graph" / "VERSION").read_text(encoding="utf-8").strip()
    assert data and ontology_version and data != ontology_version
    version_iri = ontology.value(ONTOLOGY, OWL.versionIRI)
    assert str(version_iri) == f"{namespaces.ONTOLOGY_IRI}/{ontology_version}"
    # Every version after the first names the one before (ontology/README.md).
    prior = ontology.value(ONTOLOGY, OWL.priorVersion)
    assert prior is not None and str(prior).startswith(namespaces.ONTOLOGY_IRI + "/")
    assert prior != version_iri


def test_the_release_takes_the_data_version_and_names_the_ontology_version(
    real_release: Path,
) -> None:
    data = (REPO / "graph" / "VERSION").read_text(encoding="utf-8").strip()
    manifest = json.loads((real_release / "release.json").read_text(encoding="utf-8"))
    assert manifest["version"] == data
    void = rdflib.Graph().parse(real_release / "void.ttl")
    assert {str(v) for v in void.objects(DATASET, DCAT_VERSION)} == {data}
    # The data says which ontology version it conforms to: the one its sources state.
    assert set(void.objects(DATASET, DCTERMS.conformsTo)) >= {
        _ontology().value(ONTOLOGY, OWL.versionIRI)
    }


@pytest.mark.parametrize("text", ["", "two words", "1.0\n2.0", "é"])
def test_a_bad_version_file_names_the_file_and_the_fix(tmp_path: Path, text: str) -> None:
    root = tmp_path / "root"
    shutil.copytree(MINI, root)
    (root / "graph" / "VERSION").write_text(text, encoding="utf-8")
    with pytest.raises(SourceLayoutError) as refused:
        data_version(root)
    message = str(refused.value)
    assert str(root / "graph" / "VERSION") in message
    assert "line 1, column 1" in message and "for example" in message


def test_without_a_version_file_the_release_keeps_the_ontology_version(tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(MINI, root)
    assert data_version(root) is None
    stated = rdflib.Graph()
    for path in (root / "ontology").glob("*.ttl"):
        stated.parse(path)
    ontology_version = stated.value(ONTOLOGY, OWL.versionInfo)
    build_release(root, tmp_path / "dist")
    manifest = json.loads((tmp_path / "dist" / "release.json").read_text(encoding="utf-8"))
    assert manifest["version"] == (str(ontology_version) if ontology_version else "0.0.0")
