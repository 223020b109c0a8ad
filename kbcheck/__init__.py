"""kbcheck: a freshness linter for help-center knowledge bases kept as Markdown."""

__version__ = "0.1.0"
