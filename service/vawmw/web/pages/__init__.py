"""Pages for people: one layout, templates and static files, and the renderers of each page."""
