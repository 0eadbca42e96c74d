"""The figures that some knowledge-check questions (lesson 07_knowledge_check) ask about.

``draw(name)`` -> ``(fig, alt)``: a matplotlib Figure drawn with ``helpers.plots`` and its
alt text; the notebook shows it with ``helpers.plots.show(alt, fig=fig)`` above the question.
Every figure is computed from exact formulas (gradient descent on a known error function,
the derivatives of sigmoid and tanh, a fixed confusion matrix), so it looks the same on every
machine; the overfitting curves are a labelled sketch, not a measurement.
Omits: figures of real training runs (the lessons show those).
"""

from __future__ import annotations

from functools import partial

import matplotlib.pyplot as plt
import numpy as np

from ..activations import sigmoid_grad, tanh_grad
from ..plots import PALETTE, plot_confusion_matrix

#: learning rates of runs A, B, C on E(w) = w^2 from w = 1 (A overshoots, B creeps)
LEARNING_RATES = {"A": 1.05, "B": 0.02, "C": 0.2}
#: the confusion matrix of the figure 'confusion' (rows: true digit, columns: prediction)
CONFUSION_DIGITS = (4, 7, 9)
CONFUSION = np.array([[88, 1, 11], [2, 95, 3], [19, 4, 77]])


def descent_errors(lr, steps=15, w0=1.0):
    """Errors E(w) = w^2 along gradient descent w <- w - lr * 2w, from w0: (steps + 1,)."""
    w = w0 * (1 - 2 * lr) ** np.arange(steps + 1)
    return w ** 2


def two_valleys(w):
    """A 1-D error with a deep valley on the left and a shallow one on the right."""
    return w ** 4 - 3 * w ** 2 + w + 3.6


def descend_two_valleys(w0, lr=0.02, steps=300):
    """Gradient descent on ``two_valleys`` from w0: the (steps + 1,) weights visited."""
    path = [w0]
    for _ in range(steps):
        w = path[-1]
        path.append(w - lr * (4 * w ** 3 - 6 * w + 1))
    return np.array(path)


def overfitting_sketch(epochs=40):
    """Sketched training and validation losses over ``epochs``: (epochs,), (epochs,)."""
    e = np.arange(1, epochs + 1)
    train = 0.03 + 0.9 * np.exp(-e / 6)
    val = 0.25 + 0.75 * np.exp(-e / 5) + 0.012 * e
    return train, val


def _line_figure(draw_lines, title, xlabel, ylabel):
    """``(fig, alt)``: one axes drawn by ``draw_lines(ax) -> alt``, titled, labelled, legend."""
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    alt = draw_lines(ax)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend()
    return fig, alt


def _learning_rates(ax):
    """Runs A, B and C of ``LEARNING_RATES``: error against step."""
    for i, (run, lr) in enumerate(LEARNING_RATES.items()):
        ax.semilogy(descent_errors(lr), "-o", ms=3, color=PALETTE[i], label=f"run {run}")
    return ("Error against step (log scale) for three gradient-descent runs from the same "
            "start: run A's error grows every step, run B's falls slowly, run C's falls fast "
            "to almost zero within 15 steps.")


def _two_valleys(ax):
    """The curve of ``two_valleys`` and the steps of a descent from each end."""
    w = np.linspace(-2.0, 2.0, 401)
    ax.plot(w, two_valleys(w), color=PALETTE[7], lw=1.5, label="error E(w)")
    for i, (name, w0) in enumerate((("left run", -2.0), ("right run", 2.0))):
        path = descend_two_valleys(w0)
        ax.plot(path, two_valleys(path), "o", ms=3, color=PALETTE[i], label=f"{name} steps")
        ax.plot(path[-1], two_valleys(path[-1]), "*", ms=14, color=PALETTE[i])
    return ("An error curve with two valleys, the left one deeper. Gradient descent started at "
            "w = -2 ends (star) at the bottom of the left valley; started at w = 2 it ends at "
            "the bottom of the right, shallower valley, at a higher error.")


def _derivatives(ax):
    """The derivatives of tanh (curve A) and of the sigmoid (curve B)."""
    x = np.linspace(-6, 6, 601)
    ax.plot(x, tanh_grad(x), color=PALETTE[0], label="curve A")
    ax.plot(x, sigmoid_grad(x), "--", color=PALETTE[1], label="curve B")
    return ("Two bell-shaped derivative curves centred on z = 0: curve A peaks at 1 and is "
            "narrower, curve B (dashed) peaks at 0.25; both fall towards 0 for |z| > 4.")


def _overfitting(ax):
    """The training and validation losses of ``overfitting_sketch``."""
    train, val = overfitting_sketch()
    e = np.arange(1, len(train) + 1)
    ax.plot(e, train, "--", color=PALETTE[0], label="training loss")
    ax.plot(e, val, "-", color=PALETTE[3], label="validation loss")
    best = int(e[np.argmin(val)])
    return (f"Sketched losses over 40 epochs: the training loss keeps falling towards 0; the "
            f"validation loss falls until about epoch {best}, then rises steadily.")


def _confusion():
    fig = plot_confusion_matrix(CONFUSION, title="Confusion matrix of three digits")
    ax = fig.axes[0]
    labels = [str(d) for d in CONFUSION_DIGITS]
    ax.set_xticks(range(3), labels)
    ax.set_yticks(range(3), labels)
    ax.set(xlabel="predicted digit", ylabel="true digit")
    alt = ("A 3 x 3 confusion matrix of the digits 4, 7 and 9, true digit by row: diagonal "
           "88, 95, 77; the largest off-diagonal counts are row 9, column 4 (19) and row 4, "
           "column 9 (11).")
    return fig, alt


#: name -> (draw_lines(ax) -> alt, title, xlabel, ylabel) of the figures of one line plot
_LINE_FIGURES = {
    "learning-rates": (_learning_rates, "Gradient descent on one error, three learning rates",
                       "step", "error E (log scale)"),
    "two-valleys": (_two_valleys, "Gradient descent from two starts", "weight w", "error E(w)"),
    "derivatives": (_derivatives, "The derivatives of two activation functions",
                    "net input z", "derivative"),
    "overfitting": (_overfitting, "A sketch of a long training run", "epoch", "loss"),
}
#: name -> a function that draws the figure: () -> (fig, alt)
FIGURES = {**{name: partial(_line_figure, *spec) for name, spec in _LINE_FIGURES.items()},
           "confusion": _confusion}


def draw(name):
    """The figure ``name`` (a key of ``FIGURES``) and its alt text: ``(fig, alt)``."""
    if name not in FIGURES:
        raise ValueError(f"name: expected one of {sorted(FIGURES)}, got {name!r}")
    return FIGURES[name]()
