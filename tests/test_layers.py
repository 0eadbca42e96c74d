"""Forward/backward layer pairs: gradient checks, softmax and losses, dropout statistics."""

import numpy as np
import pytest

from helpers import layers
from helpers.gradcheck import numerical_gradient, rel_error

TOL = 1e-7  # float64 centred differences agree to ~1e-9 on these small problems


@pytest.fixture
def rng():
    return np.random.default_rng(42)


def away_from_zero(rng, shape):
    x = rng.standard_normal(shape)
    return np.where(np.abs(x) < 0.05, 0.5, x)


# ---------------------------------------------------------------- affine
def test_affine_forward_values(rng):
    x, w, b = rng.standard_normal((5, 4)), rng.standard_normal((4, 3)), rng.standard_normal(3)
    out, _ = layers.affine_forward(x, w, b)
    assert out.shape == (5, 3)
    np.testing.assert_allclose(out, x @ w + b, rtol=1e-12)
    # the inputs are left untouched (out is a new array)
    out[:] = 0
    assert np.abs(x).sum() > 0 and np.abs(b).sum() > 0


def test_affine_backward_gradcheck(rng):
    x, w, b = rng.standard_normal((5, 4)), rng.standard_normal((4, 3)), rng.standard_normal(3)
    dout = rng.standard_normal((5, 3))
    _, cache = layers.affine_forward(x, w, b)
    dx, dw, db = layers.affine_backward(dout, cache)

    def f():
        return float(np.sum(layers.affine_forward(x, w, b)[0] * dout))

    assert dx.shape == x.shape and dw.shape == w.shape and db.shape == b.shape
    assert rel_error(dx, numerical_gradient(f, x)) < TOL
    assert rel_error(dw, numerical_gradient(f, w)) < TOL
    assert rel_error(db, numerical_gradient(f, b)) < TOL


def test_affine_backward_can_skip_dx(rng):
    x, w, b = rng.standard_normal((2, 3)), rng.standard_normal((3, 2)), np.zeros(2)
    _, cache = layers.affine_forward(x, w, b)
    dx, dw, db = layers.affine_backward(np.ones((2, 2)), cache, need_dx=False)
    assert dx is None
    np.testing.assert_allclose(dw, x.T @ np.ones((2, 2)))
    np.testing.assert_allclose(db, [2, 2])


def test_affine_keeps_float32(rng):
    x = rng.standard_normal((3, 4)).astype(np.float32)
    w = rng.standard_normal((4, 2)).astype(np.float32)
    out, cache = layers.affine_forward(x, w, np.zeros(2, np.float32))
    grads = layers.affine_backward(np.ones_like(out), cache)
    assert out.dtype == np.float32
    assert all(g.dtype == np.float32 for g in grads)


# ---------------------------------------------------------------- activations
@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "linear"])
def test_activation_backward_gradcheck(name, rng):
    x = away_from_zero(rng, (4, 5))
    dout = rng.standard_normal((4, 5))
    _, cache = layers.activation_forward(x, name)
    dx = layers.activation_backward(dout, cache)

    def f():
        return float(np.sum(layers.activation_forward(x, name)[0] * dout))

    assert rel_error(dx, numerical_gradient(f, x)) < TOL


def test_activation_forward_unknown_name():
    with pytest.raises(ValueError, match="activation.*expected one of"):
        layers.activation_forward(np.zeros(3), "swish")


# ---------------------------------------------------------------- softmax and losses
def test_softmax_rows_are_distributions_and_shift_invariant(rng):
    s = rng.standard_normal((6, 4)) * 3
    p = layers.softmax(s)
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-12)
    assert (p > 0).all()
    np.testing.assert_allclose(p, np.exp(s) / np.exp(s).sum(axis=1, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(layers.softmax(s + 100.0), p, rtol=1e-12)


def test_softmax_cross_entropy_value_and_gradcheck(rng):
    s, y = rng.standard_normal((5, 4)), np.array([0, 3, 1, 1, 2])
    loss, dscores = layers.softmax_cross_entropy(s, y)
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(loss, -np.mean(np.log(p[np.arange(5), y])), rtol=1e-12)
    num = numerical_gradient(lambda: layers.softmax_cross_entropy(s, y)[0], s)
    assert rel_error(dscores, num) < TOL


def test_softmax_cross_entropy_uniform_scores_give_log_c():
    loss, _ = layers.softmax_cross_entropy(np.zeros((3, 10)), np.array([0, 5, 9]))
    np.testing.assert_allclose(loss, np.log(10), rtol=1e-12)


def test_sse_loss_value_by_hand():
    out = np.array([[1.0, 2.0], [0.5, 0.0]])
    target = np.array([[0.0, 0.0], [0.0, 1.0]])
    loss, dout = layers.sse_loss(out, target)
    # sample 1: (1 + 4) / 2 = 2.5, sample 2: (0.25 + 1) / 2 = 0.625; mean over 2 samples
    np.testing.assert_allclose(loss, (2.5 + 0.625) / 2, rtol=1e-15)
    np.testing.assert_allclose(dout, (out - target) / 2, rtol=1e-15)


def test_sse_loss_one_sample_is_e_total():
    # the classic two-output example: E_total = sum 1/2 (target - out)^2
    out, target = np.array([[0.75136507, 0.772928465]]), np.array([[0.01, 0.99]])
    loss, _ = layers.sse_loss(out, target)
    np.testing.assert_allclose(loss, 0.5 * (0.74136507 ** 2 + 0.217071535 ** 2), rtol=1e-12)
    np.testing.assert_allclose(loss, 0.298371109, rtol=1e-8)


def test_sse_loss_gradcheck(rng):
    out, target = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    _, dout = layers.sse_loss(out, target)
    assert rel_error(dout, numerical_gradient(lambda: layers.sse_loss(out, target)[0], out)) < TOL


def test_softmax_backward_gradcheck(rng):
    s, dout = rng.standard_normal((4, 5)), rng.standard_normal((4, 5))
    dx = layers.softmax_backward(dout, layers.softmax(s))
    num = numerical_gradient(lambda: float(np.sum(layers.softmax(s) * dout)), s)
    assert rel_error(dx, num) < TOL


def test_softmax_backward_then_sse_equals_chain_rule(rng):
    s, t = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    p = layers.softmax(s)
    _, dout = layers.sse_loss(p, t)
    num = numerical_gradient(lambda: layers.sse_loss(layers.softmax(s), t)[0], s)
    assert rel_error(layers.softmax_backward(dout, p), num) < TOL


# ---------------------------------------------------------------- dropout
FORMS = ["inverted", "scale_at_test"]
KEEP = [0.3, 0.5, 0.7, 0.9]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("p", [0.5, 0.8])
def test_dropout_backward_gradcheck(form, p, rng):
    x, dout = rng.standard_normal((6, 7)), rng.standard_normal((6, 7))
    out, cache = layers.dropout_forward(x, p, "train", 7, form)
    dx = layers.dropout_backward(dout, cache)

    def f():  # a fixed seed gives the same mask in every evaluation
        return float(np.sum(layers.dropout_forward(x, p, "train", 7, form)[0] * dout))

    assert rel_error(dx, numerical_gradient(f, x)) < TOL
    assert 0 < np.count_nonzero(out) < out.size  # some units dropped, some kept


@pytest.mark.parametrize("p", KEEP)
def test_inverted_dropout_keeps_the_mean(p):
    x = np.random.default_rng(1).uniform(0.5, 1.5, 10 ** 6)
    train, _ = layers.dropout_forward(x, p, "train", 3, "inverted")
    test, _ = layers.dropout_forward(x, p, "test", form="inverted")
    np.testing.assert_allclose(train.mean(), x.mean(), rtol=0.01)
    np.testing.assert_allclose(test.mean(), train.mean(), rtol=0.01)


@pytest.mark.parametrize("p", KEEP)
def test_scale_at_test_dropout_train_mean_is_p_times_input(p):
    x = np.random.default_rng(1).uniform(0.5, 1.5, 10 ** 6)
    train, _ = layers.dropout_forward(x, p, "train", 3, "scale_at_test")
    test, _ = layers.dropout_forward(x, p, "test", form="scale_at_test")
    np.testing.assert_allclose(train.mean(), p * x.mean(), rtol=0.01)
    np.testing.assert_allclose(test.mean(), train.mean(), rtol=0.01)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("p", KEEP)
def test_test_output_is_the_expectation_of_train_outputs(form, p):
    # 400000 independent draws of dropout on the same 5 units: the per-unit average of the
    # training outputs must match the (deterministic) test-time output of that form
    units = np.array([0.5, 1.0, 2.0, 3.0, 4.0])
    x = np.tile(units, (400_000, 1))
    train, _ = layers.dropout_forward(x, p, "train", 11, form)
    test, _ = layers.dropout_forward(units, p, "test", form=form)
    np.testing.assert_allclose(train.mean(axis=0), test, rtol=0.01)


@pytest.mark.parametrize("p", KEEP)
def test_the_two_forms_differ_only_by_the_factor_p(p):
    x = np.random.default_rng(2).uniform(0.5, 1.5, 1000)
    inv, _ = layers.dropout_forward(x, p, "train", 5, "inverted")
    sat, _ = layers.dropout_forward(x, p, "train", 5, "scale_at_test")
    np.testing.assert_allclose(inv * p, sat, rtol=1e-12)  # same seed -> same mask
    inv_t, _ = layers.dropout_forward(x, p, "test", form="inverted")
    sat_t, _ = layers.dropout_forward(x, p, "test", form="scale_at_test")
    np.testing.assert_allclose(inv_t * p, sat_t, rtol=1e-12)


@pytest.mark.parametrize("p", KEEP)
def test_fraction_of_kept_units_is_keep_prob(p):
    x = np.ones(4 * 10 ** 6, dtype=np.float32)
    out, _ = layers.dropout_forward(x, p, "train", 123, "inverted")
    kept = np.count_nonzero(out) / x.size
    assert abs(kept - p) <= 0.005 * p, kept
    # kept units are scaled by exactly 1/p, dropped ones are exactly 0
    np.testing.assert_allclose(np.unique(out), [0, 1 / p], rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("p", KEEP)
def test_test_mode_is_identity_or_times_p(p, dtype):
    x = np.random.default_rng(3).standard_normal((50, 8)).astype(dtype)
    inv, cache_inv = layers.dropout_forward(x, p, "test", form="inverted")
    np.testing.assert_array_equal(inv, x)
    sat, cache_sat = layers.dropout_forward(x, p, "test", form="scale_at_test")
    np.testing.assert_array_equal(sat, x * dtype(p))
    assert inv.dtype == dtype and sat.dtype == dtype
    dout = np.ones_like(x)
    np.testing.assert_array_equal(layers.dropout_backward(dout, cache_inv), dout)
    np.testing.assert_array_equal(layers.dropout_backward(dout, cache_sat), dout * dtype(p))


@pytest.mark.parametrize("form", FORMS)
def test_keep_prob_one_is_identity_in_training(form):
    x = np.random.default_rng(4).standard_normal((10, 10))
    out, cache = layers.dropout_forward(x, 1.0, "train", 0, form)
    np.testing.assert_array_equal(out, x)
    np.testing.assert_array_equal(layers.dropout_backward(x, cache), x)


@pytest.mark.parametrize("form", FORMS)
def test_same_seed_same_mask_different_seed_different_mask(form):
    x = np.ones((100, 100))
    a, _ = layers.dropout_forward(x, 0.5, "train", 9, form)
    b, _ = layers.dropout_forward(x, 0.5, "train", 9, form)
    c, _ = layers.dropout_forward(x, 0.5, "train", 10, form)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    g1, g2 = np.random.default_rng(9), np.random.default_rng(9)
    np.testing.assert_array_equal(layers.dropout_forward(x, 0.5, "train", g1, form)[0],
                                  layers.dropout_forward(x, 0.5, "train", g2, form)[0])
    # a Generator advances: two draws from the same generator differ
    assert not np.array_equal(layers.dropout_forward(x, 0.5, "train", g1, form)[0],
                              layers.dropout_forward(x, 0.5, "train", g1, form)[0])


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_backward_uses_the_forward_mask(form, dtype):
    rng = np.random.default_rng(5)
    x = rng.uniform(0.5, 1.5, (200, 30)).astype(dtype)
    dout = rng.uniform(0.5, 1.5, (200, 30)).astype(dtype)
    out, cache = layers.dropout_forward(x, 0.6, "train", 8, form)
    dx = layers.dropout_backward(dout, cache)
    assert out.dtype == dtype and dx.dtype == dtype
    np.testing.assert_array_equal(dx == 0, out == 0)  # dropped exactly where the output was
    scale = 1 / 0.6 if form == "inverted" else 1.0
    np.testing.assert_allclose(dx[out != 0], dout[out != 0] * scale, rtol=1e-6)
    np.testing.assert_allclose(out[out != 0], x[out != 0] * scale, rtol=1e-6)


@pytest.mark.parametrize("bad", [0, 0.0, -0.1, 1.5, "a", True, None])
def test_bad_keep_prob_raises(bad):
    with pytest.raises(ValueError, match=r"keep_prob.*\(0, 1\]"):
        layers.dropout_forward(np.ones(3), bad)


def test_bad_mode_and_form_raise():
    with pytest.raises(ValueError, match="mode.*'eval'"):
        layers.dropout_forward(np.ones(3), 0.5, mode="eval")
    with pytest.raises(ValueError, match="form.*'classic'"):
        layers.dropout_forward(np.ones(3), 0.5, form="classic")


# ---------------------------------------------------------------- dropout as lab 04 teaches it
@pytest.mark.parametrize("seed", [0, 7, 2026])
@pytest.mark.parametrize("p", [0.7, 0.5, 0.123])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dropout_mask_is_exactly_the_lab_04_mask(seed, p, dtype):
    x = np.random.default_rng(99).standard_normal((37, 23)).astype(dtype)
    out, cache = layers.dropout_forward(x, p, rng=np.random.default_rng(seed))
    want = x * (np.random.default_rng(seed).random(x.shape, dtype=x.dtype) < p) / p
    assert out.dtype == dtype
    np.testing.assert_array_equal(out, want)
    np.testing.assert_array_equal(
        cache["mask"], np.random.default_rng(seed).random(x.shape, dtype=x.dtype) < p)
    # an int seed is the same as a Generator made from it
    np.testing.assert_array_equal(layers.dropout_forward(x, p, rng=seed)[0], want)


def test_dropout_of_integer_input_is_float64():
    x = np.arange(12).reshape(3, 4)
    out, cache = layers.dropout_forward(x, 0.5, "train", 3)
    want_mask = np.random.default_rng(3).random(x.shape) < 0.5
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, x * want_mask / 0.5)
    np.testing.assert_array_equal(cache["mask"], want_mask)
    test_out, _ = layers.dropout_forward(x, 0.5, "test", form="scale_at_test")
    np.testing.assert_array_equal(test_out, x * 0.5)


def test_plain_layers_return_new_arrays():
    x = np.random.default_rng(1).standard_normal((4, 5))
    before = x.copy()
    y, cache = layers.activation_forward(x, "relu")
    dx = layers.activation_backward(np.ones_like(x), cache)
    out, dcache = layers.dropout_forward(x, 1.0, "test")
    back = layers.dropout_backward(out, dcache)
    assert not any(np.shares_memory(a, x) for a in (y, dx, out, back))
    np.testing.assert_array_equal(x, before)
    np.testing.assert_array_equal(out, x)


# ---------------------------------------------------------------- N-d inputs, binary cross-entropy
def test_affine_takes_n_d_inputs_as_cs231n_does(rng):
    x, w = rng.standard_normal((2, 4, 5, 6)), rng.standard_normal((120, 3))
    b = rng.standard_normal(3)
    out, cache = layers.affine_forward(x, w, b)
    np.testing.assert_allclose(out, x.reshape(2, 120) @ w + b, rtol=1e-12)
    dout = rng.standard_normal((2, 3))
    dx, dw, db = layers.affine_backward(dout, cache)
    assert dx.shape == x.shape
    for value, wrt in [(dx, x), (dw, w), (db, b)]:
        num = numerical_gradient(lambda: np.sum(layers.affine_forward(x, w, b)[0] * dout), wrt)
        assert rel_error(value, num) < TOL


def test_sigmoid_binary_cross_entropy_value_gradient_and_extremes(rng):
    s, t = rng.standard_normal((4, 3)), rng.random((4, 3))
    loss, ds = layers.sigmoid_binary_cross_entropy(s, t)
    a = 1 / (1 + np.exp(-s))
    assert loss == pytest.approx(-np.mean(np.sum(t * np.log(a) + (1 - t) * np.log(1 - a), 1)))
    num = numerical_gradient(lambda: layers.sigmoid_binary_cross_entropy(s, t)[0], s)
    assert rel_error(ds, num) < TOL
    big, _ = layers.sigmoid_binary_cross_entropy(np.array([[1e4, -1e4]]), np.array([[0.0, 1.0]]))
    assert big == pytest.approx(2e4)  # finite: no log of 0
