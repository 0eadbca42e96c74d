"""Explorers of one unit: a neuron with two inputs (lessons 01_neurons and 02_perceptron) and
an activation function with its derivative (lesson 04_activations).

- ``plot_neuron(w1, w2, b, activation='step', ax=None)`` and ``neuron_table(...)``;
  ``neuron_explorer(activation='step')``: sliders w1, w2, b and an activation menu.
- ``plot_activation(name, ax=None, x_range=(-5, 5))``; ``activation_explorer()``: an
  activation menu and an x-range slider.

The plot functions return matplotlib Figures and need no browser; the explorers are
ipywidgets VBoxes that redraw them (as PNG, see helpers.widgets.display).

CSS classes (for browser tests): ``neuron-explorer``, ``neuron-w1``, ``neuron-w2``,
``neuron-b``, ``neuron-activation``, ``neuron-table``, ``neuron-output``;
``activation-explorer``, ``activation-name``, ``activation-range``, ``activation-output``.

What it omits: more than two inputs, custom activation functions, animation.
"""

from __future__ import annotations

import html
import numbers

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from ..activations import get_activation
from ..plots import PALETTE
from ..validate import check_choice
from .display import TextStandIn, new_figure, show_figure

# ============================================================================ neuron explorer
NEURON_ACTIVATIONS = ("step", "sign", "sigmoid", "tanh", "relu")
CORNERS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)


def _check_number(x, name):
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not np.isfinite(x):
        raise ValueError(f"{name}: expected a finite number, got {x!r}")
    return float(x)


def _fmt(v):
    """Compact number for labels: 1, 0, -1 stay integers, others get 2 decimals."""
    v = float(v)
    return f"{v:.0f}" if v == round(v) else f"{v:.2f}"


def _affine_text(w1, w2, b):
    """'1.20·x1 - 0.80·x2 + 0.30' (signs folded into the operators)."""
    def term(v, name, first=False):
        sign = ("-" if v < 0 else "") if first else (" - " if v < 0 else " + ")
        return f"{sign}{abs(v):.2f}{name}"
    return term(w1, "·x1", first=True) + term(w2, "·x2") + term(b, "")


def neuron_table(w1, w2, b, activation="step"):
    """Text table of the neuron f(w1*x1 + w2*x2 + b) on the inputs (0,0), (0,1), (1,0),
    (1,1): columns x1, x2, net input, output."""
    w1, w2, b = (_check_number(v, n) for v, n in ((w1, "w1"), (w2, "w2"), (b, "b")))
    f = get_activation(activation).f
    net = CORNERS @ np.array([w1, w2]) + b
    out = f(net)
    lines = [f"{'x1':>3} {'x2':>3} | {'net':>6} | {activation + '(net)':>14}",
             "-" * 33]
    for (x1, x2), n, o in zip(CORNERS, net, out):
        lines.append(f"{x1:3.0f} {x2:3.0f} | {n:6.2f} | {_fmt(o):>14}")
    return "\n".join(lines)


_NEURON_CMAP = LinearSegmentedColormap.from_list("neuron", ["#FFFFFF", PALETTE[0]])


def plot_neuron(w1, w2, b, activation="step", ax=None):
    """Draw one neuron y = f(w1*x1 + w2*x2 + b) over the plane [-0.5, 1.5]^2: the output as
    shading, the decision line w1*x1 + w2*x2 + b = 0, and the output at the four corner
    inputs (0,0), (0,1), (1,0), (1,1) written next to them. Returns the Figure."""
    w1, w2, b = (_check_number(v, n) for v, n in ((w1, "w1"), (w2, "w2"), (b, "b")))
    act = get_activation(activation)
    if ax is None:
        fig, ax = plt.subplots(figsize=(5.2, 4.4))
    fig = ax.figure
    lo, hi = -0.5, 1.5
    g = np.linspace(lo, hi, 121)
    gx, gy = np.meshgrid(g, g)
    z = act.f(w1 * gx + w2 * gy + b)
    zmin, zmax = {"step": (0, 1), "sigmoid": (0, 1), "sign": (-1, 1), "tanh": (-1, 1)}.get(
        activation, (0.0, max(float(z.max()), 1.0)))
    im = ax.imshow(z, origin="lower", extent=(lo, hi, lo, hi), cmap=_NEURON_CMAP, vmin=zmin,
                   vmax=zmax, alpha=0.8, aspect="equal", interpolation="bilinear")
    ax.grid(False)
    # Decision line w1*x1 + w2*x2 + b = 0.
    if abs(w2) > 1e-12:
        ax.plot(g, -(w1 * g + b) / w2, color=PALETTE[3], lw=2,
                label="$w_1x_1 + w_2x_2 + b = 0$")
    elif abs(w1) > 1e-12:
        ax.axvline(-b / w1, color=PALETTE[3], lw=2, label="$w_1x_1 + w_2x_2 + b = 0$")
    else:
        ax.plot([], [], color=PALETTE[3], lw=2, label="no line: $w_1 = w_2 = 0$")
    out = act.f(CORNERS @ np.array([w1, w2]) + b)
    ax.scatter(CORNERS[:, 0], CORNERS[:, 1], s=70, color=PALETTE[7], zorder=3,
               label="inputs $(x_1, x_2)$")
    for (x1, x2), o in zip(CORNERS, out):
        ax.annotate(f"y={_fmt(o)}", (x1, x2), xytext=(7, 7), textcoords="offset points",
                    fontsize=10, fontweight="bold", color=PALETTE[7],
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none",
                          "alpha": 0.8})
    ticks = [-0.5, 0, 0.5, 1, 1.5]
    ax.set(xlim=(lo, hi), ylim=(lo, hi), xlabel="$x_1$", ylabel="$x_2$", xticks=ticks,
           yticks=ticks, title=f"y = {activation}({_affine_text(w1, w2, b)})")
    ax.legend(loc="lower left", fontsize="small", framealpha=0.9, frameon=True)
    fig.colorbar(im, ax=ax, label="neuron output y", shrink=0.85)
    return fig


def neuron_alt(w1, w2, b, activation="step"):
    """The alt text of ``plot_neuron``'s figure: what it shows and the four outputs."""
    out = get_activation(activation).f(CORNERS @ np.array([float(w1), float(w2)]) + float(b))
    corners = ", ".join(f"({x1:g},{x2:g}) -> {_fmt(o)}" for (x1, x2), o in zip(CORNERS, out))
    return (f"The output of the neuron y = {activation}({_affine_text(w1, w2, b)}) over the "
            "input plane from -0.5 to 1.5, shaded by its value, with the decision line where "
            f"the net input is 0; its outputs at the four corner inputs: {corners}.")


class NeuronExplorer(TextStandIn, widgets.VBox):
    """Sliders w1, w2, b and an activation menu; redraws ``plot_neuron`` and the table of
    the four corner outputs on every change. ``update()`` redraws by hand."""

    def __init__(self, w1=1.0, w2=1.0, b=-1.5, activation="step"):
        check_choice(activation, "activation", NEURON_ACTIVATIONS)
        sliders = {}
        for name, value in (("w1", w1), ("w2", w2), ("b", b)):
            s = widgets.FloatSlider(value=_check_number(value, name), min=-2.0, max=2.0,
                                    step=0.1, description=name, continuous_update=False,
                                    readout_format=".1f")
            s.add_class(f"neuron-{name}")
            sliders[name] = s
        menu = widgets.Dropdown(options=list(NEURON_ACTIVATIONS), value=activation,
                                description="activation")
        menu.add_class("neuron-activation")
        table = widgets.HTML()
        table.add_class("neuron-table")
        output = widgets.Output()
        output.add_class("neuron-output")
        controls = widgets.VBox([*sliders.values(), menu, table])
        super().__init__([widgets.HBox([controls, output])])
        self.add_class("neuron-explorer")
        self.sliders, self.activation_menu, self.table, self.output = (
            sliders, menu, table, output)
        for control in (*sliders.values(), menu):
            control.observe(self.update, names="value")
        self.update()

    @property
    def settings(self):
        s = {k: float(v.value) for k, v in self.sliders.items()}
        s["activation"] = self.activation_menu.value
        return s

    def update(self, _change=None):
        s = self.settings
        self.table.value = (f"<pre style='line-height:1.3'>"
                            f"{html.escape(neuron_table(**s))}</pre>")
        fig, ax = new_figure((5.4, 4.4))
        fig.subplots_adjust(left=0.13, right=0.97, bottom=0.11, top=0.92)
        plot_neuron(s["w1"], s["w2"], s["b"], s["activation"], ax=ax)
        show_figure(self.output, fig, neuron_alt(s["w1"], s["w2"], s["b"], s["activation"]))

    def text(self):
        s = self.settings
        return (f"Neuron explorer (w1={s['w1']:.1f}, w2={s['w2']:.1f}, b={s['b']:.1f}, "
                f"activation={s['activation']})\n"
                + neuron_table(**s))


def neuron_explorer(activation="step", w1=1.0, w2=1.0, b=-1.5):
    """Interactive neuron: sliders w1, w2, b in [-2, 2] and an activation menu (step, sign,
    sigmoid, tanh, relu). Starts as an AND gate (1, 1, -1.5). Returns a NeuronExplorer
    (an ipywidgets VBox)."""
    return NeuronExplorer(w1=w1, w2=w2, b=b, activation=activation)


# ======================================================================== activation explorer
EXPLORER_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "step", "sign")


def plot_activation(name, ax=None, x_range=(-5.0, 5.0)):
    """Plot an activation f and its derivative f' side by side (from helpers.activations).

    ax: None (new figure with two panels), a pair of Axes (f, f'), or one Axes (both curves
    on it). The maximum of f' on the range is marked (0.25 for the sigmoid). Returns the
    Figure."""
    act = get_activation(name, "name")
    lo, hi = (_check_number(v, "x_range") for v in x_range)
    if not lo < hi:
        raise ValueError(f"x_range: expected (low, high) with low < high, got {x_range!r}")
    if ax is None:
        fig, axes = plt.subplots(1, 2, figsize=(9.0, 3.6))
    elif isinstance(ax, (list, tuple, np.ndarray)):
        axes = list(ax)
        if len(axes) != 2:
            raise ValueError(f"ax: expected one Axes or a pair of Axes, got {len(axes)}")
        fig = axes[0].figure
    else:
        axes, fig = [ax, ax], ax.figure
    x = np.linspace(lo, hi, 801)
    y, dy = act.f(x), act.grad(x)
    jump = name in ("step", "sign")
    if jump:  # draw the jump at 0 as a gap, not as a vertical line
        y = np.where(np.isclose(x, 0, atol=(hi - lo) / 800), np.nan, y)
    axes[0].plot(x, y, color=PALETTE[0], lw=2, label=f"{name}(x)")
    axes[1].plot(x, dy, color=PALETTE[3], lw=2, label=f"{name}'(x)")
    note = derivative_note(name, x, dy)
    if not jump:
        top = np.flatnonzero(dy >= dy.max() - 1e-12)
        if len(top) == 1:  # one point (sigmoid, tanh): mark it
            axes[1].plot(x[top], dy[top], "o", color=PALETTE[3])
    if axes[0] is axes[1]:
        axes[0].set(title=f"{name} and its derivative ({note})", xlabel="x",
                    ylabel="value")
        axes[0].legend()
    else:
        axes[0].set(title=f"{name}(x)", xlabel="x", ylabel=f"{name}(x)")
        axes[1].set(title=f"derivative: {note}", xlabel="x", ylabel=f"{name}'(x)")
    for a in axes:
        a.axhline(0, color="0.6", lw=0.8)
        a.axvline(0, color="0.6", lw=0.8)
    return fig


def derivative_note(name, x, dy):
    """What to see in the derivative ``dy`` of activation ``name`` sampled on ``x`` (the
    title of plot_activation's right panel), e.g. 'max 0.25 at x = 0'."""
    if name in ("step", "sign"):
        return "0 except at x = 0 (undefined there)"
    return _max_note(x, dy)


def activation_alt(name, x_range=(-5.0, 5.0)):
    """The alt text of ``plot_activation``'s two-panel figure."""
    lo, hi = (float(v) for v in x_range)
    x = np.linspace(lo, hi, 801)
    note = derivative_note(name, x, get_activation(name, "name").grad(x))
    return (f"Left: the activation {name}(x) for x from {lo:g} to {hi:g}; right: its "
            f"derivative {name}'(x), {note}.")


def _nice_between(lo, hi):
    """The roundest number in [lo, hi] (fewest decimals), e.g. 0 in [-0.004, 0.0125]."""
    for decimals in range(7):
        v = round((lo + hi) / 2, decimals)
        if lo <= v <= hi:
            return v + 0.0  # no "-0"
    return (lo + hi) / 2


def _max_note(x, dy):
    """Where the sampled derivative ``dy`` reaches its maximum on the grid ``x``: 'max 0.25
    at x = 0' for one point, 'max 1 for x > 0' when it holds on a whole interval (ReLU),
    '1 on this whole range' when it is constant."""
    top = np.flatnonzero(dy >= dy.max() - 1e-12)
    m = f"max {dy.max():.3g}"
    if len(top) == len(x):
        return f"{dy.max():.3g} on this whole range"
    if len(top) == 1:
        i = top[0]
        if 0 < i < len(x) - 1:  # inside: the true maximum lies between the neighbours
            return f"{m} at x = {_nice_between(x[i - 1], x[i + 1]):g}"
        return f"{m} at x = {round(float(x[i]), 2) + 0.0:g}"  # at an end of the range
    first, last = top[0], top[-1]
    if last - first + 1 == len(top):  # one interval
        if last == len(x) - 1:
            return f"{m} for x > {_nice_between(x[first - 1], x[first]):g}"
        if first == 0:
            return f"{m} for x < {_nice_between(x[last], x[last + 1]):g}"
        return (f"{m} for {_nice_between(x[first - 1], x[first]):g} < x < "
                f"{_nice_between(x[last], x[last + 1]):g}")
    return f"{m} at x = {_nice_between(x[first] - 1e-9, x[first] + 1e-9):g}"


class ActivationExplorer(TextStandIn, widgets.VBox):
    """An activation menu and an x-range slider; redraws ``plot_activation``."""

    def __init__(self, name="sigmoid", x_range=(-5.0, 5.0)):
        check_choice(name, "name", EXPLORER_ACTIVATIONS)
        menu = widgets.Dropdown(options=list(EXPLORER_ACTIVATIONS), value=name,
                                description="activation")
        menu.add_class("activation-name")
        rng = widgets.FloatRangeSlider(value=tuple(x_range), min=-10.0, max=10.0, step=0.5,
                                       description="x range", continuous_update=False,
                                       readout_format=".1f")
        rng.add_class("activation-range")
        output = widgets.Output()
        output.add_class("activation-output")
        super().__init__([widgets.HBox([menu, rng]), output])
        self.add_class("activation-explorer")
        self.menu, self.range_slider, self.output = menu, rng, output
        menu.observe(self.update, names="value")
        rng.observe(self.update, names="value")
        self.update()

    def update(self, _change=None):
        lo, hi = self.range_slider.value
        if hi <= lo:
            hi = lo + 0.5
        fig, axes = new_figure((9.0, 3.6), ncols=2)
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.14, top=0.9, wspace=0.28)
        plot_activation(self.menu.value, ax=tuple(axes), x_range=(lo, hi))
        show_figure(self.output, fig, activation_alt(self.menu.value, (lo, hi)))

    def text(self):
        lo, hi = self.range_slider.value
        return f"Activation explorer ({self.menu.value} on [{lo:.1f}, {hi:.1f}])"


def activation_explorer(name="sigmoid"):
    """Interactive plot of an activation (sigmoid, tanh, relu, leaky_relu, step, sign) and
    its derivative over a chosen x range. Returns an ActivationExplorer (an ipywidgets VBox)."""
    return ActivationExplorer(name=name)

