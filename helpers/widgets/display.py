"""Display plumbing shared by the course widgets: figures sent as PNG into an
``ipywidgets.Output``, and widgets that show a plain-text stand-in where no frontend runs.

Figures inside widgets are drawn on pyplot-free ``matplotlib.figure.Figure`` objects and sent
as PNG into an Output (its ``outputs`` are replaced in one update, the effect of
``clear_output(wait=True)`` + ``display``), so no figure leaks into a cell's output and
nothing depends on a frontend.

What it omits: widget layout and any course content (see quiz, explorers, playground).
"""

from __future__ import annotations

import base64
import io

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

GOOD, BAD = "#009E73", "#D55E00"  # Okabe-Ito green / vermillion: right / wrong feedback


def png_bundle(fig, dpi=None):
    """The figure as a display bundle {'image/png': base64, 'text/plain': ...}."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi)
    w, h = fig.get_size_inches() * fig.dpi
    return {"image/png": base64.b64encode(buf.getvalue()).decode("ascii"),
            "text/plain": f"<Figure size {w:.0f}x{h:.0f} with {len(fig.axes)} Axes>"}


def show_figure(out, fig):
    """Replace the content of the Output widget ``out`` with ``fig`` (as a PNG); a pyplot
    figure is closed afterwards (no leak)."""
    show_bundle(out, png_bundle(fig))
    if plt.fignum_exists(getattr(fig, "number", -1)):
        plt.close(fig)


def show_bundle(out, bundle):
    """Replace the content of the Output widget ``out`` with one display bundle.

    This sets the Output's ``outputs`` state directly (what ``Output.append_display_data``
    does) instead of capturing ``display`` calls inside ``with out:``: the frontend shows the
    same thing (the old image is swapped for the new one in one update, like
    ``clear_output(wait=True)``), and it also works without a kernel (tests) and in nbclient,
    whose output-widget capture fails when widget state is not stored.
    """
    out.outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)


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
