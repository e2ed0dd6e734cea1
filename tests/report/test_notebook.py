"""A comparison draws itself in Jupyter without the models importing the renderers."""

from __future__ import annotations

import subprocess
import sys

import storymatch
from storymatch.models import Comparison, set_html_renderer
from storymatch.report import render_html


def test_repr_html_is_the_html_report(comparison: Comparison):
    assert comparison._repr_html_() == render_html(comparison)


def test_without_a_renderer_jupyter_falls_back_to_the_plain_repr(comparison: Comparison):
    try:
        set_html_renderer(None)
        assert comparison._repr_html_() is None
    finally:
        set_html_renderer(storymatch._comparison_html)
    assert comparison._repr_html_() == render_html(comparison)


def test_importing_the_models_does_not_import_the_renderers():
    code = (
        "import sys, storymatch.models; "
        "print(any(m.startswith('storymatch.report') for m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "False"
