"""The build: sources, quality checks, reasoning, SHACL, VoID, and the pipeline to a release."""
