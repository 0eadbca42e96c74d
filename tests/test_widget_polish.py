"""Tests of the display polish in helpers.widgets and helpers.plots: the Playground starts
undecided (loss near ln 2) and shows its loss from epoch 0, the activation explorer names
where a derivative peaks (a point or an interval), error-landscape colour bars carry round
ticks, and decision regions have the colours of their classes."""

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from PIL import Image  # noqa: E402

from helpers.plots import (  # noqa: E402
    PALETTE,
    _round_ticks,
    plot_decision_boundary,
    plot_error_landscape,
)
from helpers.widgets import Playground, plot_activation  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ------------------------------------------------------------------ Playground start
@pytest.mark.parametrize("kwargs", [
    dict(dataset="moons", hidden_layers=2, units=32, activation="relu", noise=0.3,
         n_samples=100),  # started at loss 2.9 with the MLP's default output scale
    dict(dataset="circles", hidden_layers=2, units=32, activation="relu"),
    dict(dataset="spirals", hidden_layers=4, units=32, activation="sigmoid"),
    dict(dataset="xor", hidden_layers=1, units=8, activation="tanh"),
])
def test_playground_starts_undecided(kwargs):
    pg = Playground(seed=0, **kwargs)
    scores = pg.model._forward(pg._Xtr, False)[0]
    d = scores[:, 1] - scores[:, 0]
    assert abs(d.mean()) < 1e-4                         # balanced on average
    assert d.std() <= Playground.INITIAL_SCORE_RMS + 1e-4
    assert abs(pg.train_loss() - np.log(2)) < 0.15, pg.status()
    assert pg.history["train_loss"] == [pg.train_loss()]


def test_small_initial_scores_are_left_alone():
    pg = Playground("xor", hidden_layers=1, units=1, activation="sigmoid", seed=0)
    scores = pg.model._forward(pg._Xtr, False)[0]
    d = scores[:, 1] - scores[:, 0]
    if d.std() < Playground.INITIAL_SCORE_RMS * 0.99:  # nothing to shrink: only centred
        from helpers.models import MLP

        fresh = MLP([2, 1, 2], activation="sigmoid", seed=0)
        np.testing.assert_array_equal(pg.model.params["W2"], fresh.params["W2"])


def test_playground_still_learns_xor_from_the_undecided_start():
    pg = Playground("xor", seed=0)
    pg.step(60)
    assert pg.train_loss() < 0.15 and pg.model.score(pg._Xte, pg.y_test) >= 0.95


# ------------------------------------------------------------------ loss chart at epoch 0
def _colour_pixels(png, colour, region):
    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    h, w, _ = img.shape
    x0, x1 = int(region[0] * w), int(region[1] * w)
    target = np.array([round(255 * c) for c in to_rgb(colour)])
    return int((np.abs(img[:, x0:x1] - target).sum(axis=2) < 40).sum())


def test_loss_chart_shows_a_point_at_epoch_zero():
    pg = Playground(seed=0)
    png = pg.render_png()
    train_line, test_line = pg._train_line, pg._test_line
    assert train_line.get_marker() == "o" and list(train_line.get_markevery()) == [0]
    # the train-loss dot is drawn in the loss panel (right half, above the legend row)
    assert _colour_pixels(png, PALETTE[0], (0.55, 0.99)) > 10
    assert _colour_pixels(png, PALETTE[3], (0.55, 0.99)) > 10
    pg.step(3)
    pg.render_png()
    assert list(test_line.get_markevery()) == [3]       # the dot follows the latest epoch
    assert pg._ax_loss.get_xlim()[0] < 0                 # epoch-0 dots are not cut


# ------------------------------------------------------------------ derivative labels
@pytest.mark.parametrize("name, x_range, text", [
    ("sigmoid", (-5, 5), "max 0.25 at x = 0"),
    ("sigmoid", (-4.3, 5), "max 0.25 at x = 0"),        # 0 is not a grid point here
    ("tanh", (-5, 5), "max 1 at x = 0"),
    ("tanh", (1, 4), "max 0.42 at x = 1"),              # at the end of the range
    ("relu", (-5, 5), "max 1 for x > 0"),
    ("relu", (-4.3, 5), "max 1 for x > 0"),
    ("leaky_relu", (-5, 5), "max 1 for x > 0"),
    ("relu", (1, 4), "1 on this whole range"),
    ("leaky_relu", (-3, -1), "0.01 on this whole range"),
])
def test_derivative_maximum_is_named_as_a_point_or_an_interval(name, x_range, text):
    ax = plot_activation(name, x_range=x_range).axes[1]
    assert ax.get_title() == f"derivative: {text}"
    dots = [ln for ln in ax.get_lines() if ln.get_marker() == "o"]
    assert len(dots) == (1 if " at x = " in text else 0)


def test_step_and_sign_keep_the_undefined_note():
    for name in ("step", "sign"):
        assert "undefined" in plot_activation(name).axes[1].get_title()


# ------------------------------------------------------------------ colour bars, regions
def _is_round(v):
    # at most two significant digits: 0.2, 5, 40, 110 (not 54.49 or 0.9091)
    return float(f"{v:.2g}") == v


def test_round_ticks_are_round_spread_and_inside():
    for lo, span in [(0.113, 62.4), (100.0, 60.0), (0.001, 0.05), (0.0, 1.0)]:
        b = lo + span * np.linspace(0, 1, 16) ** 2
        ticks = _round_ticks(b)
        assert len(ticks) >= 3, (lo, span, ticks)
        assert all(lo - 1e-12 <= t <= lo + span for t in ticks)
        pos = np.interp(ticks, b, np.linspace(0, 1, 16))
        assert np.all(np.diff(pos) >= 0.12 - 1e-9)
        assert all(_is_round(t) for t in ticks), ticks


def test_error_landscape_colour_bar_has_round_labels():
    def err(W):
        return 0.5 * ((W[:, 0] - 1) ** 2 + 9 * (W[:, 1] + 0.5) ** 2) + 0.113

    fig = plot_error_landscape(err, (-2, 2.5), (-2, 2))
    fig.canvas.draw()
    cbar_ax = fig.axes[1]
    labels = [t.get_text() for t in cbar_ax.get_yticklabels()]
    assert len(labels) >= 3 and not any(lbl.endswith(".0") for lbl in labels), labels
    values = [float(t) for t in cbar_ax.get_yticks()]
    assert all(_is_round(v) for v in values), values


def test_decision_regions_have_their_class_colour():
    X = np.array([[-1.0, 0.0], [1.0, 0.0]])
    y = np.array([0, 1])
    fig = plot_decision_boundary(lambda G: (G[:, 0] > 0).astype(float), X, y)
    fig.canvas.draw()
    img = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(float)
    ax = fig.axes[0]
    (x0, y0), (x1, y1) = ax.transData.transform([[-1.2, 0.3], [1.2, 0.3]])
    h = img.shape[0]
    left, right = img[int(h - y0), int(x0)], img[int(h - y1), int(x1)]
    # class 0 is blue (PALETTE[0]: more blue than red), class 1 orange (more red than blue)
    assert left[2] > left[0] + 20 and right[0] > right[2] + 20, (left, right)
