"""Runnable benchmarks for storymatch (``python -m benchmarks.<name>``)."""
