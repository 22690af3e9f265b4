"""RDF basics shared by every layer: namespaces, prefixes, formats, media types, terms, results.

Imports nothing else of the package.
"""
