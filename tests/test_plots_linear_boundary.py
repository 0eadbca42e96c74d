"""Tests of helpers.plots.plot_linear_boundary."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers.plots import plot_linear_boundary

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
