"""helpers.lessons.bagging: outputs of randomly thinned networks (dropout as an ensemble)."""

import numpy as np
import pytest

from helpers.lessons.bagging import thinned_outputs
from helpers.models import MLP


def _x(n=6, d=4, seed=0):
    return np.random.default_rng(seed).standard_normal((n, d)).astype(np.float64)


@pytest.mark.parametrize("form", ["scale_at_test", "inverted"])
def test_mean_of_thinned_linear_networks_is_the_test_network(form):
    # No hidden layer: dropout acts on the inputs of one affine map, so the average of the
    # thinned outputs converges to the test-time output exactly (linearity).
    X = _x()
    model = MLP([4, 3], output="linear", loss="sse", keep_prob=0.6, seed=1,
                dtype=np.float64, dropout_form=form)
    model.params["b1"][:] = [0.5, -1.0, 2.0]
    outs = thinned_outputs(model, X, n_masks=20000, seed=3, chunk=5000)
    assert outs.shape == (20000, 6, 3)
    target = model.forward(X)
    spread = outs.std(axis=0) / np.sqrt(len(outs))
    assert np.all(np.abs(outs.mean(axis=0) - target) < 5 * spread + 1e-12)
    # and single thinned networks really differ from the test network
    assert np.abs(outs[0] - target).max() > 0.05


def test_softmax_outputs_shape_probabilities_and_seeding():
    X = _x(n=5, d=3).astype(np.float32)
    model = MLP([3, 8, 8, 2], activation="relu", keep_prob=0.5, seed=0)
    a = thinned_outputs(model, X, n_masks=70, seed=4, chunk=32)
    b = thinned_outputs(model, X, n_masks=70, seed=4, chunk=32)
    c = thinned_outputs(model, X, n_masks=70, seed=5, chunk=32)
    assert a.shape == (70, 5, 2) and a.dtype == np.float32
    np.testing.assert_allclose(a.sum(axis=2), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_model_rng_is_left_untouched():
    model = MLP([3, 5, 2], keep_prob=0.7, seed=0)
    before = model.rng.bit_generator.state
    thinned_outputs(model, _x(d=3).astype(np.float32), n_masks=10)
    assert model.rng.bit_generator.state == before


def test_no_dropout_and_bad_counts_raise():
    X = _x(d=3).astype(np.float32)
    with pytest.raises(ValueError, match="keep_prob"):
        thinned_outputs(MLP([3, 5, 2]), X)
    with pytest.raises(ValueError, match="n_masks"):
        thinned_outputs(MLP([3, 5, 2], keep_prob=0.5), X, n_masks=0)
