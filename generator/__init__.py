"""briefing: a static fact-sheet site generator (YAML records → Markdown → MkDocs Material)."""

__version__ = "0.1.0"
