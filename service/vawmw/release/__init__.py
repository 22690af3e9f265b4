"""A release on disk: its layout and its manifest."""
