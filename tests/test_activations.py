"""Activation functions: values, derivatives, numerical stability, dtypes, the registry."""

import numpy as np
import pytest

from helpers import activations as acts
from helpers.layers import softmax, softmax_cross_entropy, sse_loss

SMOOTH = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]  # have a useful derivative
ALL = list(acts.ACTIVATIONS)


def away_from_zero(n, seed=0):
    """Random float64 inputs, none closer than 0.05 to the kink of relu/leaky/step at 0."""
    x = np.random.default_rng(seed).standard_normal(n) * 2
    return np.where(np.abs(x) < 0.05, 0.5, x)


# ---------------------------------------------------------------- values at known points
def test_sigmoid_known_values():
    np.testing.assert_allclose(acts.sigmoid(0.0), 0.5, rtol=0, atol=1e-15)
    # sigmoid(ln 3) = 1 / (1 + 1/3) = 3/4
    np.testing.assert_allclose(acts.sigmoid(np.log(3.0)), 0.75, rtol=1e-14)
    x = away_from_zero(20)
    np.testing.assert_allclose(acts.sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-12)
    np.testing.assert_allclose(acts.sigmoid(-x), 1 - acts.sigmoid(x), atol=1e-15)


def test_tanh_known_values():
    assert acts.tanh(0.0) == 0.0
    # tanh(ln 2) = (2 - 1/2) / (2 + 1/2) = 0.6
    np.testing.assert_allclose(acts.tanh(np.log(2.0)), 0.6, rtol=1e-14)
    x = away_from_zero(20)
    np.testing.assert_allclose(acts.tanh(x), 2 * acts.sigmoid(2 * x) - 1, atol=1e-14)


def test_relu_and_leaky_relu_known_values():
    x = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
    np.testing.assert_array_equal(acts.relu(x), [0, 0, 0, 0.5, 3])
    np.testing.assert_allclose(acts.leaky_relu(x), [-0.02, -0.005, 0, 0.5, 3], rtol=1e-15)
    np.testing.assert_allclose(acts.leaky_relu(x, alpha=0.2), [-0.4, -0.1, 0, 0.5, 3], rtol=1e-15)


def test_step_and_sign_at_zero_are_plus_one():
    x = np.array([-3.0, -1e-9, 0.0, 1e-9, 2.0])
    np.testing.assert_array_equal(acts.step(x), [0, 0, 1, 1, 1])
    np.testing.assert_array_equal(acts.sign(x), [-1, -1, 1, 1, 1])
    assert acts.step(0.0) == 1 and acts.sign(0.0) == 1


def test_linear_is_identity():
    x = away_from_zero(10)
    np.testing.assert_array_equal(acts.linear(x), x)


def test_known_derivative_values():
    assert acts.sigmoid_grad(0.0) == pytest.approx(0.25, abs=1e-15)
    assert acts.tanh_grad(0.0) == pytest.approx(1.0, abs=1e-15)
    np.testing.assert_array_equal(acts.relu_grad(np.array([-1.0, 0.0, 2.0])), [0, 0, 1])
    np.testing.assert_allclose(acts.leaky_relu_grad(np.array([-1.0, 2.0])), [0.01, 1])
    np.testing.assert_array_equal(acts.ACTIVATIONS["step"].grad(np.array([-1.0, 0.0, 1.0])),
                                  [0, 0, 0])
    np.testing.assert_array_equal(acts.ACTIVATIONS["sign"].grad(np.array([-1.0, 1.0])), [0, 0])


# ---------------------------------------------------------------- derivatives
@pytest.mark.parametrize("name", SMOOTH)
def test_grad_matches_centred_differences(name):
    act = acts.get_activation(name)
    x, h = away_from_zero(200, seed=1), 1e-6
    numeric = (act.f(x + h) - act.f(x - h)) / (2 * h)
    np.testing.assert_allclose(act.grad(x), numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", ALL)
def test_grad_out_of_output_equals_grad_of_input(name):
    act = acts.get_activation(name)
    x = away_from_zero(200, seed=2).reshape(20, 10)
    np.testing.assert_allclose(act.grad_out(act.f(x)), act.grad(x), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", ALL)
def test_registry_entry_is_consistent(name):
    act = acts.ACTIVATIONS[name]
    assert act.name == name
    assert acts.get_activation(name) is act
    assert act.f is getattr(acts, name)


def test_unknown_activation_name_lists_valid_names():
    with pytest.raises(ValueError, match="activation") as info:
        acts.get_activation("softsign")
    message = str(info.value)
    assert "softsign" in message
    for name in ALL:
        assert name in message


# ---------------------------------------------------------------- stability and dtypes
BIG = [-1e4, -1e3, -50.0, 0.0, 50.0, 1e3, 1e4]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ALL)
def test_stable_for_huge_inputs(name, dtype, strict_numerics):
    act = acts.get_activation(name)
    x = np.array(BIG, dtype=dtype)
    y, g = act.f(x), act.grad(x)
    g_out = act.grad_out(y)
    for arr in (y, g, g_out):
        assert np.isfinite(arr).all(), (name, arr)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_saturating_values_at_plus_minus_1e4(dtype, strict_numerics):
    x = np.array([-1e4, 1e4], dtype=dtype)
    np.testing.assert_array_equal(acts.sigmoid(x), [0, 1])
    np.testing.assert_array_equal(acts.tanh(x), [-1, 1])
    np.testing.assert_array_equal(acts.sigmoid_grad(x), [0, 0])
    np.testing.assert_array_equal(acts.tanh_grad(x), [0, 0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ALL)
def test_dtype_and_shape_preserved(name, dtype):
    act = acts.get_activation(name)
    x = away_from_zero(12, seed=3).reshape(3, 4).astype(dtype)
    y = act.f(x)
    for arr in (y, act.grad(x), act.grad_out(y)):
        assert arr.dtype == dtype, (name, arr.dtype)
        assert arr.shape == x.shape


@pytest.mark.parametrize("name", ALL)
def test_integer_input_gives_float_output(name):
    out = acts.get_activation(name).f(np.array([-2, 0, 3]))
    assert out.dtype.kind == "f"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_cross_entropy_stable_for_huge_scores(dtype, strict_numerics):
    scores = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4], [0.0, 0.0, 0.0]], dtype=dtype)
    probs = softmax(scores)
    assert probs.dtype == dtype and np.isfinite(probs).all()
    np.testing.assert_allclose(probs.sum(axis=1), 1, rtol=1e-6)
    np.testing.assert_allclose(probs[1], [0, 0.5, 0.5], atol=1e-7)

    loss, dscores = softmax_cross_entropy(scores, np.array([0, 1, 2]))
    assert np.isfinite(loss) and np.isfinite(dscores).all()
    assert dscores.dtype == dtype
    # row 0 is certain and right (0), row 1 splits 50/50 (ln 2), row 2 is uniform (ln 3)
    np.testing.assert_allclose(loss, (0 + np.log(2) + np.log(3)) / 3, rtol=1e-6)

    # confidently wrong: the loss is the score gap, 2e4, not inf
    loss, dscores = softmax_cross_entropy(scores[:1], np.array([1]))
    np.testing.assert_allclose(loss, 2e4, rtol=1e-6)
    np.testing.assert_allclose(dscores, [[1, -1, 0]], atol=1e-7)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sse_loss_finite_for_huge_outputs(dtype, strict_numerics):
    out = np.array([[1e4, -1e4]], dtype=dtype)
    loss, dout = sse_loss(out, np.zeros_like(out))
    assert np.isfinite(loss) and dout.dtype == dtype
    np.testing.assert_allclose(loss, 1e8, rtol=1e-6)
