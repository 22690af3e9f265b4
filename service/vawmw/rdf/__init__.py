"""RDF basics shared by every layer: namespaces and prefixes, formats and media types, terms,
result serialization and the SPARQL JSON rows of the pages.

Imports nothing else of the package.
"""
