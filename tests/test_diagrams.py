"""Tests of helpers.lessons.diagrams (schematic neuron and network drawings)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import Circle

from helpers.lessons.diagrams import network_diagram, neuron_comparison


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def test_neuron_comparison_labels_every_corresponding_part():
    fig = neuron_comparison()
    bio, art = fig.axes
    assert bio.get_title() == "Biological neuron (schematic)"
    assert art.get_title() == "Artificial neuron"
    bio_text = " ".join(_texts(bio))
    for part in ("dendrites", "nucleus", "axon", "synapses"):
        assert part in bio_text
    art_text = " ".join(_texts(art))
    for part in ("inputs", "weights", "activation", "output", "$w_1$", "$x_3$"):
        assert part in art_text
    plt.close(fig)


def test_network_diagram_draws_units_edges_and_values():
    W = [np.array([[1.0, -1.0], [1.0, -1.0]]), np.array([[1.0], [1.0]])]
    b = [np.array([1.0, 1.0]), np.array([-1.5])]
    fig = network_diagram([2, 2, 1], weights=W, biases=b, title="XOR net",
                          activations=["sign", "sign"])
    ax = fig.axes[0]
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    assert len(circles) == 5
    arrows = [p for p in ax.patches if not isinstance(p, Circle)]
    assert len(arrows) == 2 * 2 + 2 * 1
    texts = _texts(ax)
    assert texts.count("-1") == 2 and "b = -1.5" in texts
    assert any("sign" in t for t in texts)
    assert ax.get_title() == "XOR net"
    plt.close(fig)


def test_network_diagram_names_edges_next_to_their_weights():
    W = [np.array([[0.15, 0.25], [0.2, 0.3]])]
    names = [[["a", "c"], ["b", "d"]]]
    fig = network_diagram([2, 2], weights=W, weight_names=names)
    texts = _texts(fig.axes[0])
    assert {"a = 0.15", "b = 0.2", "c = 0.25", "d = 0.3"} <= set(texts)
    plt.close(fig)
    with pytest.raises(ValueError, match="weight_names"):
        network_diagram([2, 2], weight_names=names)
    with pytest.raises(ValueError, match="weight_names: expected shapes"):
        network_diagram([2, 2], weights=W, weight_names=[[["a", "b"]]])


def test_network_diagram_rejects_wrong_weight_shapes():
    with pytest.raises(ValueError, match="weights: expected shapes"):
        network_diagram([2, 3, 1], weights=[np.ones((3, 2)), np.ones((3, 1))])
    with pytest.raises(ValueError, match="layer_sizes"):
        network_diagram([2])
