"""Plotting for the course, one consistent colour-blind-safe style set in one place.

Every function draws on a given Axes (or makes a new figure), sets a title and axis labels,
and returns the matplotlib Figure so notebooks and tests can inspect it. A notebook shows a
figure with ``show(alt="what it shows")``: an opaque white PNG (readable in a dark theme)
that carries its alt text for screen readers and the course website.
Omits: 3-D plots and animations.
"""

import base64
import io

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000"]
CMAP = "cividis"  # perceptually uniform, colour-blind safe
# decision regions: class 0's colour (blue) -> white (undecided) -> class 1's colour (orange),
# so each region has the colour of its class's points
CLASS_CMAP = mpl.colors.LinearSegmentedColormap.from_list(
    "class_regions", [PALETTE[0], "#FFFFFF", PALETTE[1]])


def use_course_style():
    """Apply the course's matplotlib style (called once on import of helpers.plots)."""
    mpl.rcParams.update({
        "axes.prop_cycle": mpl.cycler(color=PALETTE),
        "image.cmap": CMAP,
        "figure.figsize": (6.4, 4.2),
        "figure.dpi": 90,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "legend.frameon": False,
        "figure.facecolor": "white",  # opaque: black lines stay readable in a dark theme
        "savefig.facecolor": "white",
    })


use_course_style()


def figure_bundle(fig, alt, tight=True):
    """The display data of ``fig`` as a PNG with alt text: ``(data, metadata)`` where data
    has 'image/png' (base64) and 'text/plain' (the alt text, for text-only front ends) and
    metadata marks the image's alt text and its need for a light background. tight=False
    keeps the figure's own margins (one render instead of two: widgets redraw often)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", facecolor="white", bbox_inches="tight" if tight else None)
    return png_bundle(buf.getvalue(), alt)


def png_bundle(png, alt):
    """``(data, metadata)`` of figure_bundle for an opaque PNG already rendered (bytes)."""
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError(f"alt must be a sentence that says what the figure shows, got {alt!r}")
    alt = " ".join(alt.split())
    return ({"image/png": base64.b64encode(png).decode("ascii"), "text/plain": f"[figure] {alt}"},
            {"image/png": {"alt": alt, "needs_background": "light"}})


def show(alt, fig=None):
    """Display ``fig`` (default: the current figure) in the notebook with alt text ``alt``
    (one or two sentences saying what the figure shows, not "a plot"), then close it so the
    inline backend does not show it a second time."""
    from IPython.display import display

    fig = plt.gcf() if fig is None else fig
    data, metadata = figure_bundle(fig, alt)
    display(data, metadata=metadata, raw=True)
    plt.close(fig)


def _axes(ax, figsize=None):
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
        return fig, ax
    return ax.figure, ax


def plot_decision_boundary(predict, X, y, ax=None, title="Decision boundary", resolution=200,
                           margin=0.5):
    """Shade the plane by ``predict`` (a function (M, 2) -> (M,) labels or scores) and draw
    the 2-D points X (N, 2) coloured by their labels y (N,). Returns the Figure."""
    fig, ax = _axes(ax)
    X, y = np.asarray(X), np.asarray(y)
    x0, x1 = X[:, 0].min() - margin, X[:, 0].max() + margin
    y0, y1 = X[:, 1].min() - margin, X[:, 1].max() + margin
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.c_[gx.ravel(), gy.ravel()].astype(np.float32)
    z = np.asarray(predict(grid), dtype=np.float64).reshape(gx.shape)
    ax.contourf(gx, gy, z, levels=20 if z.dtype.kind == "f" and len(np.unique(z)) > 10 else
                np.unique(z).size, cmap=CLASS_CMAP, alpha=0.35)
    classes = np.unique(y)
    for i, c in enumerate(classes):
        pts = X[y == c]
        ax.scatter(pts[:, 0], pts[:, 1], s=18, color=PALETTE[i % len(PALETTE)],
                   edgecolor="white", linewidth=0.4, label=f"class {c}")
    ax.set(title=title, xlabel="$x_1$", ylabel="$x_2$", xlim=(x0, x1), ylim=(y0, y1))
    ax.legend(loc="upper right", fontsize="small")
    return fig


def show_digits(images, labels=None, predictions=None, n_cols=10, title="MNIST digits"):
    """A grid of 28x28 digits from rows of 784 pixels; captions give the label (and the
    prediction, red when wrong). Returns the Figure."""
    images = np.asarray(images).reshape(-1, 28, 28)
    n = len(images)
    n_rows = max(1, -(-n // n_cols))
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(n_cols * 0.9, n_rows * 1.1 + 0.4),
                             squeeze=False)
    for i, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if i >= n:
            continue
        ax.imshow(images[i], cmap="gray_r")
        if labels is not None:
            text, color = f"{labels[i]}", "black"
            if predictions is not None:
                text += f" -> {predictions[i]}"
                color = PALETTE[3] if predictions[i] != labels[i] else "black"
            ax.set_title(text, fontsize=8, color=color)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_confusion_matrix(cm, ax=None, title="Confusion matrix"):
    """Heat map of a (C, C) confusion matrix with its counts written in. Returns the Figure."""
    fig, ax = _axes(ax, figsize=(5.5, 5))
    cm = np.asarray(cm)
    ax.imshow(cm, cmap="Blues")
    ax.grid(False)
    k = cm.shape[0]
    for i in range(k):
        for j in range(k):
            ax.text(j, i, str(cm[i, j]), ha="center", va="center", fontsize=7,
                    color="white" if cm[i, j] > cm.max() / 2 else "black")
    ax.set(title=title, xlabel="predicted class", ylabel="true class", xticks=range(k),
           yticks=range(k))
    return fig


def plot_error_landscape(error, w1_range, w2_range, paths=None, ax=None,
                         title="Error landscape", xlabel="$w_1$", ylabel="$w_2$",
                         resolution=150, levels=15, minimum=None):
    """Contours of an error over two weights, with optional descent paths drawn on top.

    error: function (M, 2) weight pairs -> (M,) errors (vectorised).
    w1_range, w2_range: (low, high) of the two axes; paths leaving this window are clipped.
    paths: optional {label: (K, 2) array} of successive weights, drawn as lines with dots,
    the start marked by a square. minimum: optional (2,) point marked with a star.
    Contour levels are spaced quadratically, so a quadratic bowl gets evenly spaced rings.
    Returns the Figure.
    """
    fig, ax = _axes(ax)
    g1, g2 = np.meshgrid(np.linspace(*w1_range, resolution), np.linspace(*w2_range, resolution))
    z = np.asarray(error(np.c_[g1.ravel(), g2.ravel()]), dtype=np.float64).reshape(g1.shape)
    lv = z.min() + (z.max() - z.min()) * np.linspace(0, 1, levels + 1)[1:] ** 2
    cs = ax.contourf(g1, g2, z, levels=np.r_[z.min(), lv], cmap=CMAP, alpha=0.85)
    ax.contour(g1, g2, z, levels=lv, colors="white", linewidths=0.5, alpha=0.6)
    fig.colorbar(cs, ax=ax, label="error", ticks=round_ticks(cs.levels), format="{x:g}")
    for i, (label, path) in enumerate((paths or {}).items()):
        path = np.asarray(path, dtype=np.float64)
        color = PALETTE[(i + 1) % len(PALETTE)]
        ax.plot(path[:, 0], path[:, 1], "-o", color=color, ms=3, lw=1.3, label=label)
        ax.plot(path[0, 0], path[0, 1], "s", color=color, ms=7)
    if minimum is not None:
        ax.plot(minimum[0], minimum[1], "*", color="white", ms=14, mec="black",
                label="minimum")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel, xlim=w1_range, ylim=w2_range)
    ax.grid(False)
    if paths or minimum is not None:
        ax.legend(loc="upper right", fontsize="small", frameon=True, framealpha=0.85)
    return fig


def round_ticks(boundaries, min_gap=0.12):
    """Round tick values (1, 2, 5 x 10^k and the multiples a default locator picks) for a
    colour bar whose bands, between the increasing ``boundaries``, all get the same height:
    chosen from the top down so that neighbouring ticks are at least ``min_gap`` of the
    bar's height apart."""
    lo, hi = float(boundaries[0]), float(boundaries[-1])
    span = max(hi - lo, 1e-300)
    top = int(np.floor(np.log10(max(abs(lo), abs(hi), 1e-300))))
    series = [m * 10.0 ** e for e in range(top - 3, top + 1) for m in (1, 2, 5)]
    linear = mpl.ticker.MaxNLocator(nbins=6, steps=[1, 2, 5, 10]).tick_values(lo, hi)
    candidates = sorted({float(f"{v:.12g}") for v in [*series, *linear]  # 0.6, not 0.6000..1
                         if lo - 1e-9 * span <= v <= hi})
    position = np.interp(candidates, boundaries, np.linspace(0, 1, len(boundaries)))
    ticks, last = [], np.inf
    for v, y in zip(reversed(candidates), reversed(position)):
        if last - y >= min_gap:
            ticks.append(v)
            last = y
    return sorted(ticks)


def plot_linear_boundary(w, b, X, y, ax=None, title="Linear decision boundary", xlim=None,
                         ylim=None, mark_errors=True, legend=True, point_size=70):
    """2-D points X (N, 2) coloured by their labels y (N,) and the line
    w[0] * x1 + w[1] * x2 + b = 0 of a single unit, with the side where the score is >= 0
    (the unit outputs its positive label) shaded. ``w=None`` draws the points only.

    mark_errors: ring the points on the wrong side (label != the larger label where the
    score is >= 0). xlim, ylim default to the points' range plus a margin of 0.5.
    Returns the Figure.
    """
    fig, ax = _axes(ax)
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"X, y: expected shapes (N, 2) and (N,), got {X.shape} and {y.shape}")
    xlim = xlim or (X[:, 0].min() - 0.5, X[:, 0].max() + 0.5)
    ylim = ylim or (X[:, 1].min() - 0.5, X[:, 1].max() + 0.5)
    classes = np.unique(y)
    if w is not None:
        w = np.asarray(w, dtype=np.float64).ravel()
        gx, gy = np.meshgrid(np.linspace(*xlim, 300), np.linspace(*ylim, 300))
        score = w[0] * gx + w[1] * gy + float(b)
        ax.contourf(gx, gy, (score >= 0).astype(float), levels=[-0.5, 0.5, 1.5],
                    colors=[PALETTE[3], PALETTE[0]], alpha=0.12)
        if np.any(w != 0):
            ax.contour(gx, gy, score, levels=[0], colors="black", linewidths=1.6)
    markers = "so^vD"
    for i, c in enumerate(classes):
        pts = X[y == c]
        color = PALETTE[0] if (c == classes[-1] and len(classes) > 1) else PALETTE[3]
        ax.scatter(pts[:, 0], pts[:, 1], s=point_size, color=color, marker=markers[i % 5],
                   edgecolor="white", linewidth=0.6, zorder=3, label=f"y = {c:g}")
    if w is not None and mark_errors:
        pred = np.where(X @ w + float(b) >= 0, classes[-1], classes[0])
        bad = X[pred != y]
        if len(bad):
            ax.scatter(bad[:, 0], bad[:, 1], s=point_size * 3, facecolor="none",
                       edgecolor="black", linewidth=1.4, zorder=4, label="misclassified")
    ax.set(title=title, xlabel="$x_1$", ylabel="$x_2$", xlim=xlim, ylim=ylim)
    ax.set_aspect("equal", adjustable="box")
    if legend:
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small")
    return fig


def plot_runs(histories, keys=("train_acc", "val_acc"), ax=None, title="Training runs compared",
              ylabel=None, styles=("--", "-", ":", "-.")):
    """Per-epoch curves of several training runs on one Axes: one colour per run, one line
    style per key (by default dashed for the first key, solid for the second).

    histories: {run name: history dict of ``helpers.train.fit``}, e.g.
    {'no dropout': h1, 'keep 0.7': h2}; keys: which lists of each history to draw.
    Returns the Figure.
    """
    if not isinstance(histories, dict) or not histories:
        raise ValueError(f"histories: expected a non-empty dict {{run name: history}}, got "
                         f"{type(histories).__name__}")
    fig, ax = _axes(ax)
    for i, (run, history) in enumerate(histories.items()):
        for j, k in enumerate(keys):
            if k not in history:
                raise ValueError(f"keys: run {run!r} has no {k!r}; it has {sorted(history)}")
            values = history[k]
            ax.plot(np.arange(1, len(values) + 1), values, styles[j % len(styles)],
                    color=PALETTE[i % len(PALETTE)], label=f"{run}: {k.replace('_', ' ')}")
    ax.set(title=title, xlabel="epoch",
           ylabel=ylabel or " / ".join(k.replace("_", " ") for k in keys))
    ax.legend(fontsize="small")
    return fig


def plot_sweep(values, curves, ax=None, title="Hyper-parameter sweep", xlabel="setting",
               ylabel="value", best="min"):
    """Results against a swept hyper-parameter, e.g. train and test error against the keep
    probability: one line with dots per curve.

    values: (K,) settings tried; curves: {label: (K,) results}. best='min' or 'max' rings the
    best point of the LAST curve (e.g. the lowest test error) and names it in the legend;
    None marks nothing. Returns the Figure.
    """
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 1 or not isinstance(curves, dict) or not curves:
        raise ValueError("values, curves: expected a 1-D array of settings and a non-empty dict "
                         f"{{label: results}}, got shape {values.shape} and "
                         f"{type(curves).__name__}")
    if best not in ("min", "max", None):
        raise ValueError(f"best: expected 'min', 'max' or None, got {best!r}")
    fig, ax = _axes(ax)
    for i, (label, ys) in enumerate(curves.items()):
        ys = np.asarray(ys, dtype=np.float64)
        if ys.shape != values.shape:
            raise ValueError(f"curves[{label!r}]: expected shape {values.shape} (one result "
                             f"per setting), got {ys.shape}")
        ax.plot(values, ys, "-o", color=PALETTE[i % len(PALETTE)], ms=4, label=label)
    if best is not None:
        k = int(np.argmin(ys) if best == "min" else np.argmax(ys))
        ax.plot(values[k], ys[k], "o", ms=13, mfc="none", mec=PALETTE[3], mew=1.8,
                label=f"best {label}: {ys[k]:.3g} at {values[k]:g}")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend(fontsize="small")
    return fig
