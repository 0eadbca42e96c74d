"""Schematic drawings for the lessons: a biological neuron next to an artificial one, and a
small fully connected network with its weights written on the edges.

These are diagrams, not data plots: the axes are hidden and every part is labelled in place.
Each function returns the matplotlib Figure (end the notebook cell with ``;``).
Omits: anything drawn to anatomical scale; networks too wide to label (more than ~8 units
per layer get crowded).
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from ..plots import PALETTE

# One colour per corresponding part, used in both drawings of ``neuron_comparison``.
PART_COLORS = {"input": PALETTE[0], "weight": PALETTE[1], "body": PALETTE[2],
               "output": PALETTE[3]}


def _blank(ax, xlim, ylim, title):
    ax.set(xlim=xlim, ylim=ylim, title=title)
    ax.set_aspect("equal")
    ax.axis("off")


def _label(ax, text, xy, xytext, color):
    ax.annotate(text, xy=xy, xytext=xytext, color=color, fontsize=10, fontweight="bold",
                ha="center", va="center",
                arrowprops={"arrowstyle": "-|>", "color": color, "lw": 1.2,
                            "shrinkA": 2, "shrinkB": 2})


def draw_biological_neuron(ax):
    """Schematic nerve cell: dendrites -> cell body with nucleus -> axon -> synapses."""
    c = PART_COLORS
    _blank(ax, (-0.5, 10.5), (0.0, 6.3), "Biological neuron (schematic)")
    soma = (2.6, 3.0)
    # dendrites: branching lines into the cell body
    for angle in (110, 150, 190, 230, 260):
        a = np.deg2rad(angle)
        start = (soma[0] + 0.6 * np.cos(a), soma[1] + 0.6 * np.sin(a))
        mid = (soma[0] + 1.5 * np.cos(a), soma[1] + 1.5 * np.sin(a))
        ax.plot([start[0], mid[0]], [start[1], mid[1]], color=c["input"], lw=2.2)
        for da in (-25, 25):
            b = np.deg2rad(angle + da)
            ax.plot([mid[0], mid[0] + 0.7 * np.cos(b)], [mid[1], mid[1] + 0.7 * np.sin(b)],
                    color=c["input"], lw=1.5)
    ax.add_patch(Circle(soma, 0.75, facecolor="#cde8dd", edgecolor=c["body"], lw=2))
    ax.add_patch(Circle(soma, 0.28, facecolor=c["body"], edgecolor="none"))
    # axon with myelin segments
    ax.plot([soma[0] + 0.75, 8.2], [soma[1], soma[1]], color=c["output"], lw=2.2)
    for x0 in (3.8, 5.0, 6.2, 7.4):
        ax.add_patch(FancyBboxPatch((x0, soma[1] - 0.18), 0.8, 0.36,
                                    boxstyle="round,pad=0.02,rounding_size=0.15",
                                    facecolor="#f6d2bd", edgecolor=c["output"], lw=1))
    # axon terminals ending in synapses
    for dy in (-0.9, 0.0, 0.9):
        end = (9.3, soma[1] + dy)
        ax.plot([8.2, end[0]], [soma[1], end[1]], color=c["output"], lw=1.5)
        ax.add_patch(Circle(end, 0.16, facecolor=c["weight"], edgecolor="none"))
    _label(ax, "dendrites\n(receive signals)", (1.3, 4.1), (1.0, 5.5), c["input"])
    _label(ax, "nucleus / cell body\n(integrates)", (2.75, 2.8), (4.9, 1.2), c["body"])
    _label(ax, "axon\n(sends the spike)", (6.6, 3.1), (6.2, 5.0), c["output"])
    _label(ax, "synapses\n(connection strength)", (9.3, 2.1), (9.0, 0.7), c["weight"])


def draw_artificial_neuron(ax, n_inputs=3):
    """Artificial neuron: inputs x_i -> weights w_i -> sum + bias -> activation f -> y."""
    c = PART_COLORS
    _blank(ax, (-0.5, 10.5), (0.0, 6.3), "Artificial neuron")
    body = (5.6, 3.0)
    ys = np.linspace(4.8, 1.2, n_inputs)
    for i, y in enumerate(ys, start=1):
        ax.add_patch(Circle((1.2, y), 0.38, facecolor="white", edgecolor=c["input"], lw=2))
        ax.text(1.2, y, f"$x_{i}$", ha="center", va="center", fontsize=12)
        ax.add_patch(FancyArrowPatch((1.6, y), (body[0] - 0.9, body[1] + 0.25 * (y - 3)),
                                     arrowstyle="-|>", mutation_scale=12, color=c["weight"],
                                     lw=1.6))
        ax.text(3.1, y + 0.08 * (y - 3) + 0.22, f"$w_{i}$", color=c["weight"], fontsize=12,
                ha="center", va="bottom")
    ax.text(body[0], body[1] + 1.55, "bias $b$", ha="center", fontsize=11, color=c["body"])
    ax.add_patch(FancyArrowPatch((body[0], body[1] + 1.45), (body[0], body[1] + 0.9),
                                 arrowstyle="-|>", mutation_scale=12, color=c["body"]))
    ax.add_patch(Circle(body, 0.88, facecolor="#cde8dd", edgecolor=c["body"], lw=2))
    ax.plot([body[0], body[0]], [body[1] - 0.88, body[1] + 0.88], color=c["body"], lw=1)
    ax.text(body[0] - 0.42, body[1], r"$\Sigma$", ha="center", va="center", fontsize=15)
    ax.text(body[0] + 0.42, body[1], "$f$", ha="center", va="center", fontsize=15)
    ax.add_patch(FancyArrowPatch((body[0] + 0.9, body[1]), (9.0, body[1]), arrowstyle="-|>",
                                 mutation_scale=14, color=c["output"], lw=2.2))
    ax.text(9.3, body[1], "$y$", ha="left", va="center", fontsize=13, color=c["output"])
    ax.text(body[0], 0.55, r"$y = f(w_1x_1 + \dots + w_nx_n + b)$", ha="center", fontsize=12)
    ax.text(1.2, 5.95, "inputs", color=c["input"], ha="center", fontsize=10, fontweight="bold")
    ax.text(3.1, 5.95, "weights", color=c["weight"], ha="center", fontsize=10,
            fontweight="bold")
    ax.text(7.6, 4.2, "sum +\nactivation", color=c["body"], ha="center", fontsize=10,
            fontweight="bold")
    ax.text(7.6, 2.35, "output", color=c["output"], ha="center", fontsize=10,
            fontweight="bold")


def neuron_comparison(figsize=(12.5, 4.4)):
    """Biological (left) and artificial (right) neuron side by side; corresponding parts
    share a colour (dendrites ~ inputs, synapses ~ weights, cell body ~ sum + activation,
    axon ~ output). Returns the Figure."""
    fig, (left, right) = plt.subplots(1, 2, figsize=figsize)
    draw_biological_neuron(left)
    draw_artificial_neuron(right)
    fig.suptitle("Same parts, same colours: dendrites ~ inputs, synapses ~ weights, "
                 "cell body ~ sum + activation, axon ~ output", fontsize=11)
    fig.tight_layout()
    return fig


def _fmt(v):
    return f"{v:g}"


def _checked_sizes(layer_sizes, weights, biases, weight_names):
    """The layer sizes as a list, after checking them and the shapes of the edge/unit values."""
    sizes = list(layer_sizes)
    if len(sizes) < 2 or not all(isinstance(s, (int, np.integer)) and s > 0 for s in sizes):
        raise ValueError(f"layer_sizes: expected at least two positive integers, got "
                         f"{layer_sizes!r}")
    if weight_names is not None and weights is None:
        raise ValueError("weight_names: given without weights (the names label the weights)")
    for name, arrays, shapes in (
            ("weights", weights, [(a, b) for a, b in zip(sizes[:-1], sizes[1:])]),
            ("weight_names", weight_names, [(a, b) for a, b in zip(sizes[:-1], sizes[1:])]),
            ("biases", biases, [(b,) for b in sizes[1:]])):
        if arrays is not None:
            got = [np.shape(a) for a in arrays]
            if got != shapes:
                raise ValueError(f"{name}: expected shapes {shapes}, got {got}")
    return sizes


def _default_node_labels(sizes):
    """The default unit labels, one list per layer: x_i, then h_i (h^(l)_i if deep), y_i."""
    labels = [[f"$x_{j + 1}$" for j in range(sizes[0])]]
    labels += [[f"$h^{{({i})}}_{j + 1}$" if len(sizes) > 3 else f"$h_{j + 1}$"
                for j in range(n)] for i, n in enumerate(sizes[1:-1], start=1)]
    labels += [[f"$y_{j + 1}$" if sizes[-1] > 1 else "$y$" for j in range(sizes[-1])]]
    return labels


def _draw_edges(ax, sizes, xs, pos, r, weights, weight_names):
    """Draw an arrow per edge (layer l, unit i -> unit j), with its weight (and name) on it."""
    for layer in range(len(sizes) - 1):
        for i, y0 in enumerate(pos[layer]):
            for j, y1 in enumerate(pos[layer + 1]):
                x0, x1 = xs[layer] + r, xs[layer + 1] - r
                ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), arrowstyle="-|>",
                                             mutation_scale=10, color="0.45", lw=1.1))
                if weights is not None:
                    t = 0.3 if sizes[layer + 1] > 1 else 0.5
                    tx, ty = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
                    label = _fmt(np.asarray(weights[layer])[i, j])
                    if weight_names is not None:
                        label = f"{weight_names[layer][i][j]} = {label}"
                    ax.text(tx, ty, label, fontsize=10,
                            ha="center", va="center", color=PALETTE[1],
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"})


def network_diagram(layer_sizes, weights=None, biases=None, node_labels=None, ax=None,
                    title="Feed-forward network", activations=None, weight_names=None):
    """Draw a fully connected feed-forward network, layer by layer from left to right.

    layer_sizes: e.g. [2, 2, 1]. weights: optional list of (n_in, n_out) arrays written on
    the edges; biases: optional list of (n_out,) arrays written under the units.
    node_labels: optional list (one per layer) of lists of strings (default x_i, h_i, y_i).
    activations: optional list of strings, one per non-input layer, shown above it.
    weight_names: optional list (one per layer of weights) of (n_in, n_out) nested lists of
    strings, written before each edge's weight, e.g. "$w_1$" gives "$w_1$ = 0.15" (lesson 03).
    Returns the Figure.
    """
    sizes = _checked_sizes(layer_sizes, weights, biases, weight_names)
    if ax is None:
        fig, ax = plt.subplots(figsize=(2.4 * len(sizes) + 1.5, 1.3 * max(sizes) + 1.6))
    else:
        fig = ax.figure
    height = max(sizes)
    xs = np.arange(len(sizes)) * 3.0
    pos = [np.linspace(height / 2 + (n - 1) / 2 * 1.6, height / 2 - (n - 1) / 2 * 1.6, n)
           for n in sizes]
    if node_labels is None:
        node_labels = _default_node_labels(sizes)
    r = 0.42
    _draw_edges(ax, sizes, xs, pos, r, weights, weight_names)
    colors = [PALETTE[0]] + [PALETTE[2]] * (len(sizes) - 2) + [PALETTE[3]]
    for layer, (x, ys) in enumerate(zip(xs, pos)):
        for j, y in enumerate(ys):
            ax.add_patch(Circle((x, y), r, facecolor="white", edgecolor=colors[layer], lw=2))
            ax.text(x, y, node_labels[layer][j], ha="center", va="center", fontsize=12)
            if biases is not None and layer > 0:
                ax.text(x, y - r - 0.22, f"b = {_fmt(np.asarray(biases[layer - 1])[j])}",
                        ha="center", va="top", fontsize=9, color=colors[layer])
        names = ["input"] + ["hidden"] * (len(sizes) - 2) + ["output"]
        caption = names[layer]
        if activations is not None and layer > 0:
            caption += f"\n({activations[layer - 1]})"
        ax.text(x, height / 2 + (max(sizes) - 1) / 2 * 1.6 + 0.75, caption, ha="center",
                va="bottom", fontsize=10, color=colors[layer])
    ax.set(xlim=(xs[0] - 1.0, xs[-1] + 1.0),
           ylim=(height / 2 - (max(sizes) - 1) / 2 * 1.6 - 1.2,
                 height / 2 + (max(sizes) - 1) / 2 * 1.6 + 1.6), title=title)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig
