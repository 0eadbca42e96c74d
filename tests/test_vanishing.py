"""helpers.lessons.vanishing: per-layer gradient norms of an MLP."""

import numpy as np
import pytest

from helpers.lessons.vanishing import layer_gradient_norms
from helpers.models import MLP


def _data(n=64, d=5, c=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)).astype(np.float32), rng.integers(0, c, n)


def test_norms_match_the_gradients_of_the_model():
    X, y = _data()
    model = MLP([5, 7, 6, 3], activation="tanh", seed=1)
    norms = layer_gradient_norms(model, X, y)
    _, grads = model.loss(X, y, train=False)
    expected = [np.sqrt(np.sum(grads[f"W{i}"].astype(np.float64) ** 2)) for i in (1, 2, 3)]
    assert norms.shape == (3,) and norms.dtype == np.float64
    np.testing.assert_allclose(norms, expected, rtol=1e-6)


def test_l2_term_is_left_out_and_restored():
    X, y = _data()
    plain = MLP([5, 8, 3], activation="relu", seed=2)
    decayed = MLP([5, 8, 3], activation="relu", seed=2, l2=0.5)
    np.testing.assert_allclose(layer_gradient_norms(decayed, X, y),
                               layer_gradient_norms(plain, X, y), rtol=1e-6)
    assert decayed.l2 == 0.5


def test_sigmoid_gradients_vanish_towards_the_input_but_relu_ones_do_not():
    X, y = _data(n=256, d=20, c=4)
    sizes = [20] + [32] * 10 + [4]
    sig = layer_gradient_norms(MLP(sizes, activation="sigmoid", seed=0), X, y)
    relu = layer_gradient_norms(MLP(sizes, activation="relu", seed=0), X, y)
    assert sig.shape == relu.shape == (11,)
    assert sig[0] < 1e-3 * sig[-1]
    assert 1e-2 < relu[0] / relu[-1] < 1e2
    assert sig[0] < 1e-2 * relu[0]


def test_bad_labels_raise_from_the_model():
    X, _ = _data()
    with pytest.raises(ValueError, match="y"):
        layer_gradient_norms(MLP([5, 4, 3]), X, np.full(64, 7))
