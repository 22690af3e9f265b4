"""The SPARQL queries the resource and ontology pages run, built around one IRI.

The linked-data route gives a page the resource's own description; these queries add what the
description does not hold: where a claim comes from (:func:`provenance_query`), a State's
party statuses, measures and recommendations (:func:`state_query`), and how each ontology
term is used in the data (:data:`EXAMPLES_QUERY`).
"""

from __future__ import annotations

import re
from typing import Final

from vawmw.rdf import namespaces

_SAFE_IRI: Final = re.compile(r'^[^<>"{}|^`\\\s]+$')


def sparql_iri(iri: str) -> str:
    """``<iri>`` for a SPARQL query; refuses anything that could break out of the brackets."""
    if not _SAFE_IRI.match(iri):
        raise ValueError(f"not a safe IRI: {iri!r}")
    return f"<{iri}>"


PREFIXES: Final = namespaces.sparql_prologue(("vawmw", "rdfs", "skos", "dcterms", "prov"))


def provenance_query(iri: str) -> str:
    """Where a resource comes from: its paragraphs/footnotes with section, and cited works."""
    node = sparql_iri(iri)
    return (
        PREFIXES
        + f"""
SELECT ?part ?source ?sourceLabel ?paragraphNumber ?footnoteNumber ?ofParagraph
       ?ofParagraphNumber ?section ?sectionLabel ?sectionNumber ?sectionTitle
       ?work ?workLabel ?citation ?footnote
WHERE {{
  {{
    BIND ("source" AS ?part)
    # A claim is derived from its paragraphs; anything else is mentioned in them.
    {node} prov:wasDerivedFrom|dcterms:isReferencedBy ?source .
    OPTIONAL {{ ?source rdfs:label ?sourceLabel }}
    OPTIONAL {{ ?source vawmw:hasParagraphNumber ?paragraphNumber }}
    OPTIONAL {{ ?source vawmw:hasFootnoteNumber ?footnoteNumber }}
    OPTIONAL {{
      ?source vawmw:isFootnoteOf ?ofParagraph .
      OPTIONAL {{ ?ofParagraph vawmw:hasParagraphNumber ?ofParagraphNumber }}
    }}
    BIND (COALESCE(?ofParagraph, ?source) AS ?holder)
    OPTIONAL {{
      ?holder dcterms:isPartOf ?section .
      ?section a vawmw:ReportSection .
      OPTIONAL {{ ?section rdfs:label ?sectionLabel }}
      OPTIONAL {{ ?section vawmw:hasSectionNumber ?sectionNumber }}
      OPTIONAL {{ ?section dcterms:title ?sectionTitle }}
    }}
  }} UNION {{
    BIND ("work" AS ?part)
    {{ {node} vawmw:citesWork ?work }}
    UNION {{ {node} vawmw:referencesWork ?work }}
    UNION {{ {node} vawmw:citesFootnote ?footnote . ?footnote vawmw:referencesWork ?work }}
    OPTIONAL {{ ?work rdfs:label ?workLabel }}
    OPTIONAL {{ ?work dcterms:bibliographicCitation ?citation }}
  }}
}}
"""
    )


def state_query(iri: str) -> str:
    """A State at a glance: party statuses, measures, and the recommendations of the report."""
    node = sparql_iri(iri)
    return (
        PREFIXES
        + f"""
SELECT ?part ?item ?itemLabel ?instrument ?instrumentLabel ?shortName ?status ?statusLabel
       ?asOf ?entryIntoForce ?category ?categoryLabel ?notation ?measureType ?measureTypeLabel
       ?source ?paragraphNumber ?letter ?addressee ?addresseeLabel
WHERE {{
  {{
    BIND ("status" AS ?part)
    ?item a vawmw:PartyStatus ;
        vawmw:concernsState {node} ;
        vawmw:concernsInstrument ?instrument .
    OPTIONAL {{ ?instrument rdfs:label ?instrumentLabel }}
    OPTIONAL {{ ?instrument vawmw:hasShortName ?shortName }}
    OPTIONAL {{ ?item vawmw:hasRatificationStatus|vawmw:hasStatedIntention ?status .
               OPTIONAL {{ ?status rdfs:label ?statusLabel }} }}
    OPTIONAL {{ ?item vawmw:isValidAsOf ?asOf }}
    OPTIONAL {{ ?item vawmw:hasEntryIntoForceYear ?entryIntoForce }}
  }} UNION {{
    BIND ("measure" AS ?part)
    ?item a vawmw:StateMeasure ;
        vawmw:isReportedBy {node} .
    OPTIONAL {{ ?item vawmw:hasCategory ?category .
               OPTIONAL {{ ?category rdfs:label ?categoryLabel }}
               OPTIONAL {{ ?category skos:notation ?notation }} }}
    OPTIONAL {{ ?item vawmw:hasMeasureType ?measureType .
               OPTIONAL {{ ?measureType rdfs:label ?measureTypeLabel }} }}
  }} UNION {{
    BIND ("recommendation" AS ?part)
    ?item a vawmw:Recommendation .
    OPTIONAL {{ ?item vawmw:hasLetter ?letter }}
    OPTIONAL {{ ?item vawmw:isAddressedTo ?addressee .
               OPTIONAL {{ ?addressee rdfs:label ?addresseeLabel }} }}
    OPTIONAL {{
      ?item vawmw:concernsInstrument ?instrument .
      FILTER EXISTS {{ ?held a vawmw:PartyStatus ;
                         vawmw:concernsState {node} ;
                         vawmw:concernsInstrument ?instrument }}
      OPTIONAL {{ ?instrument rdfs:label ?instrumentLabel }}
      OPTIONAL {{ ?instrument vawmw:hasShortName ?shortName }}
    }}
  }}
  OPTIONAL {{ ?item rdfs:label ?itemLabel }}
  OPTIONAL {{ ?item prov:wasDerivedFrom ?source .
             OPTIONAL {{ ?source vawmw:hasParagraphNumber ?paragraphNumber }} }}
}}
"""
    )


EXAMPLES_QUERY: Final = (
    namespaces.sparql_prologue(["rdfs"])
    + f"""\
SELECT ?term ?uses ?example ?exampleLabel
WHERE {{
  {{
    SELECT ?term (COUNT(DISTINCT ?s) AS ?uses) (MIN(STR(?s)) AS ?first)
    WHERE {{
      {{ ?s a ?term }} UNION {{ ?s ?term ?o }}
      FILTER (isIRI(?s) && STRSTARTS(STR(?term), "{namespaces.VAWMW}"))
      FILTER (!STRSTARTS(STR(?s), "{namespaces.ONTOLOGY_IRI}"))
    }}
    GROUP BY ?term
  }}
  BIND (IRI(?first) AS ?example)
  OPTIONAL {{ ?example rdfs:label ?exampleLabel }}
}}
"""
)
