"""Tests of the generic comparison plots in helpers.plots: plot_runs and plot_sweep."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers.plots import PALETTE, plot_runs, plot_sweep


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
