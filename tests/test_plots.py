"""Tests of helpers.plots: plot_runs, plot_sweep, plot_linear_boundary, round colour-bar ticks
of the error landscape, decision regions in their class colours, and alt text: on every
shown figure, on the widgets' figures (explorers, Playground) and on every figure stored in
notebooks/ and solutions/ (that last test reads the committed notebooks)."""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers.plots import (
    PALETTE,
    plot_decision_boundary,
    plot_error_landscape,
    plot_linear_boundary,
    plot_runs,
    plot_sweep,
    round_ticks,
)


def _hist(train, val):
    return {"loss": [1.0] * len(train), "train_acc": list(train), "val_acc": list(val)}


def test_plot_runs_draws_each_run_and_key_with_its_data():
    runs = {"no dropout": _hist([0.9, 0.99, 1.0], [0.95, 0.97, 0.97]),
            "keep 0.7": _hist([0.85, 0.95], [0.96, 0.98])}
    fig = plot_runs(runs, title="acc")
    ax = fig.axes[0]
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    assert set(lines) == {"no dropout: train acc", "no dropout: val acc",
                          "keep 0.7: train acc", "keep 0.7: val acc"}
    x, y = lines["keep 0.7: val acc"].get_data()
    assert list(x) == [1, 2] and list(y) == [0.96, 0.98]
    # one colour per run, one style per key
    assert lines["no dropout: val acc"].get_color() == PALETTE[0]
    assert lines["keep 0.7: train acc"].get_color() == PALETTE[1]
    assert lines["keep 0.7: train acc"].get_linestyle() == "--"
    assert lines["keep 0.7: val acc"].get_linestyle() == "-"
    assert ax.get_title() == "acc" and ax.get_xlabel() == "epoch"
    assert ax.get_ylabel() == "train acc / val acc"
    plt.close(fig)


def test_plot_runs_rejects_missing_keys_and_empty_input():
    with pytest.raises(ValueError, match="val_loss"):
        plot_runs({"a": _hist([1.0], [1.0])}, keys=("val_loss",))
    with pytest.raises(ValueError, match="histories"):
        plot_runs({})
    plt.close("all")


@pytest.mark.parametrize("best, index", [("min", 1), ("max", 2)])
def test_plot_sweep_marks_the_best_point_of_the_last_curve(best, index):
    p = np.array([0.1, 0.5, 1.0])
    test = np.array([0.2, 0.05, 0.3])
    fig = plot_sweep(p, {"train": [0.3, 0.01, 0.0], "test": test}, best=best,
                     xlabel="keep probability p", ylabel="error")
    ax = fig.axes[0]
    marker = [ln for ln in ax.get_lines() if ln.get_label().startswith("best")]
    assert len(marker) == 1
    x, y = marker[0].get_data()
    assert x[0] == p[index] and y[0] == test[index]
    assert f"at {p[index]:g}" in marker[0].get_label()
    assert ax.get_xlabel() == "keep probability p" and ax.get_ylabel() == "error"
    plt.close(fig)


def test_plot_sweep_without_marker_and_bad_shapes():
    fig = plot_sweep([1, 2], {"a": [3, 4]}, best=None)
    assert [ln.get_label() for ln in fig.axes[0].get_lines()] == ["a"]
    plt.close(fig)
    with pytest.raises(ValueError, match=r"curves\['a'\]"):
        plot_sweep([1, 2, 3], {"a": [1, 2]})
    with pytest.raises(ValueError, match="best"):
        plot_sweep([1, 2], {"a": [1, 2]}, best="median")
    plt.close("all")


# ------------------------------------------------------------------ plot_linear_boundary
X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
Y_AND = np.array([0, 0, 0, 1])


def _error_rings(ax):
    return [c for c in ax.collections if c.get_label() == "misclassified"]


def test_correct_line_has_no_error_rings_and_labels():
    fig = plot_linear_boundary([1, 1], -1.5, X, Y_AND, title="AND")
    ax = fig.axes[0]
    assert ax.get_title() == "AND" and ax.get_xlabel() == "$x_1$"
    assert _error_rings(ax) == []
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["y = 0", "y = 1"]
    plt.close(fig)


def test_wrong_line_rings_exactly_the_misclassified_points():
    # x1 + x2 - 0.5 >= 0 says 1 for (0,1), (1,0), (1,1): two mistakes on AND
    fig = plot_linear_boundary([1, 1], -0.5, X, Y_AND)
    rings = _error_rings(fig.axes[0])
    assert len(rings) == 1
    assert sorted(map(tuple, rings[0].get_offsets().tolist())) == [(0.0, 1.0), (1.0, 0.0)]
    plt.close(fig)


def test_points_only_and_bad_shapes():
    fig = plot_linear_boundary(None, 0.0, X, np.array([-1, 1, 1, -1]), legend=False)
    assert fig.axes[0].get_legend() is None
    plt.close(fig)
    with pytest.raises(ValueError, match="X, y"):
        plot_linear_boundary([1, 1], 0, X[:, :1], Y_AND)


# ------------------------------------------------------------------ colour bars, regions
def _is_round(v):
    # at most two significant digits: 0.2, 5, 40, 110 (not 54.49 or 0.9091)
    return float(f"{v:.2g}") == v


def test_round_ticks_are_round_spread_and_inside():
    for lo, span in [(0.113, 62.4), (100.0, 60.0), (0.001, 0.05), (0.0, 1.0)]:
        b = lo + span * np.linspace(0, 1, 16) ** 2
        ticks = round_ticks(b)
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


def test_a_shown_figure_is_an_opaque_png_with_its_alt_text():
    import base64
    import io

    from matplotlib.image import imread

    from helpers.plots import figure_bundle

    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], color="black")
    data, metadata = figure_bundle(fig, "A black line rising\n from 0 to 1.")
    assert metadata["image/png"]["alt"] == "A black line rising from 0 to 1."
    assert data["text/plain"] == "[figure] A black line rising from 0 to 1."
    pixels = imread(io.BytesIO(base64.b64decode(data["image/png"])))
    assert pixels.shape[2] == 3 or (pixels[..., 3] == 1).all()  # no transparent pixel
    assert pixels[0, 0, :3].tolist() == [1, 1, 1]  # a white corner
    for bad in ("", "   ", None):
        with pytest.raises(ValueError, match="alt"):
            figure_bundle(fig, bad)
    plt.close(fig)


# ------------------------------------------------------------------ alt text everywhere
def test_png_bundle_marks_an_already_rendered_png():
    from helpers.plots import png_bundle

    data, metadata = png_bundle(b"\x89PNG...", "Two  curves\ncross at x = 0.")
    assert data["text/plain"] == "[figure] Two curves cross at x = 0."
    assert metadata == {"image/png": {"alt": "Two curves cross at x = 0.",
                                      "needs_background": "light"}}
    with pytest.raises(ValueError, match="alt"):
        png_bundle(b"", " ")


def _shown(output_widget):
    (out,) = output_widget.outputs
    return out["data"], out["metadata"]["image/png"]


def test_the_explorers_figures_carry_alt_text_that_follows_the_controls():
    from helpers.widgets import activation_explorer, neuron_explorer

    ne = neuron_explorer()
    data, meta = _shown(ne.output)
    assert "step(1.00·x1 + 1.00·x2 - 1.50)" in meta["alt"]
    assert "(0,0) -> 0, (0,1) -> 0, (1,0) -> 0, (1,1) -> 1" in meta["alt"]  # AND
    assert data["text/plain"] == f"[figure] {meta['alt']}"
    ne.sliders["b"].value = -0.5  # OR
    assert "(0,1) -> 1, (1,0) -> 1, (1,1) -> 1" in _shown(ne.output)[1]["alt"]
    ae = activation_explorer()
    alt = _shown(ae.output)[1]["alt"]
    assert "sigmoid(x) for x from -5 to 5" in alt and "max 0.25 at x = 0" in alt
    ae.menu.value = "relu"
    assert "relu'(x), max 1 for x > 0" in _shown(ae.output)[1]["alt"]


def test_the_playground_figure_carries_alt_text_in_the_widget_and_in_a_notebook():
    from IPython.core.formatters import DisplayFormatter

    from helpers.widgets import Playground

    pg = Playground(n_samples=60)
    pg.widget  # noqa: B018 (builds the widget and draws the first frame)
    alt = _shown(pg.output)[1]["alt"]
    assert alt.startswith("Left: the decision regions of the 2-8-2 tanh network on the xor")
    assert "over 0 epochs" in alt
    pg.step(2)
    data, metadata = DisplayFormatter().format(pg.draw())  # what `pg.draw()` displays
    assert "over 2 epochs" in metadata["image/png"]["alt"] and "image/png" in data


def test_every_figure_in_the_lessons_and_solutions_has_alt_text():
    # the notebooks show figures with helpers.plots.show(alt=...): each stored image output
    # carries its alt text in its metadata
    import nbformat

    root = Path(__file__).resolve().parents[1]
    missing = []
    for path in sorted([*root.glob("notebooks/*.ipynb"), *root.glob("solutions/*.ipynb")]):
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
                for mime in out.get("data", {}):
                    if mime.startswith("image/"):
                        alt = out.get("metadata", {}).get(mime, {}).get("alt", "")
                        if not alt.strip():
                            missing.append(f"{path.relative_to(root)} cell {i} ({mime})")
    assert not missing, f"{len(missing)} figures without alt text:\n" + "\n".join(missing)
