"""Display plumbing shared by the course widgets: figures sent as PNG (with alt text) into an
``ipywidgets.Output``, and widgets that show a plain-text stand-in where no frontend runs.

Figures inside widgets are drawn on pyplot-free ``matplotlib.figure.Figure`` objects and sent
as PNG into an Output (its ``outputs`` are replaced in one update, the effect of
``clear_output(wait=True)`` + ``display``), so no figure leaks into a cell's output and
nothing depends on a frontend.

What it omits: widget layout and any course content (see quiz, explorers, playground).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from ..plots import figure_bundle

GOOD, BAD = "#009E73", "#D55E00"  # Okabe-Ito green / vermillion: right / wrong feedback


def show_figure(out, fig, alt):
    """Replace the content of the Output widget ``out`` with ``fig`` as an opaque PNG that
    carries the alt text ``alt`` (what the figure shows, for screen readers:
    ``helpers.plots.figure_bundle``); a pyplot figure is closed afterwards (no leak)."""
    show_bundle(out, *figure_bundle(fig, alt, tight=False))
    if plt.fignum_exists(getattr(fig, "number", -1)):
        plt.close(fig)


def show_bundle(out, bundle, metadata=None):
    """Replace the content of the Output widget ``out`` with one display bundle (and its
    metadata, e.g. an image's alt text).

    This sets the Output's ``outputs`` state directly (what ``Output.append_display_data``
    does) instead of capturing ``display`` calls inside ``with out:``: the frontend shows the
    same thing (the old image is swapped for the new one in one update, like
    ``clear_output(wait=True)``), and it also works without a kernel (tests) and in nbclient,
    whose output-widget capture fails when widget state is not stored.
    """
    out.outputs = ({"output_type": "display_data", "data": bundle,
                    "metadata": metadata or {}},)


def new_figure(figsize, ncols=1):
    """A figure outside pyplot (nothing to close, never auto-shown by the inline backend)."""
    fig = Figure(figsize=figsize, dpi=plt.rcParams["figure.dpi"])
    axes = fig.subplots(1, ncols)
    return fig, axes


def widget_bundle(widget, text):
    """Mime bundle that renders ``widget`` in a frontend and ``text`` everywhere else."""
    data = widget._repr_mimebundle_() or {}
    data = dict(data)
    data["text/plain"] = text
    return data


def display_widget(widget, text):
    """Display ``widget`` (``text`` where widgets cannot render, e.g. nbval's comparison)."""
    from IPython.display import display

    display(widget_bundle(widget, text), raw=True)


class TextStandIn:
    """Mixin for a widget class with a ``text()`` method: that text is its repr and its
    ``text/plain`` stand-in (what a terminal, a test or a stored notebook shows)."""

    def __repr__(self):
        return self.text()

    def _repr_mimebundle_(self, **kwargs):
        data = dict(super()._repr_mimebundle_(**kwargs) or {})
        data["text/plain"] = self.text()
        return data
