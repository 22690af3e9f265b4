"""Prebuilt documents: every dereferenceable IRI of a release, and the pages that need no query,
rendered once at build time by the service's own routes (``vawmw build`` calls
:func:`vawmw.web.prebuild.writer.write_documents` once the release is in place).

The build layer may not import the web layer (the import contract), and the HTML of a resource
comes from the web layer's pages and routes; so the prebuild lives here, and the command line
runs it after :func:`vawmw.build.pipeline.build_release`, through that function's hook.
"""
