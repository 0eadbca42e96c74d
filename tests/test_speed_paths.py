"""The fast paths of the training hot loop give the results of the plain definitions: dropout
masks from 16-bit random numbers, in-place layers, gradients pre-scaled by the learning rate,
optimizer updates that stay float32, and malloc keeping freed memory for the next step."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

from helpers import activations, layers, optim, speed
from helpers.models import MLP
from helpers.train import fit

GENERATORS = [np.random.PCG64, np.random.PCG64DXSM, np.random.SFC64, np.random.Philox,
              np.random.MT19937]


def plain_keep(rng, shape, p):
    """The documented definition: 16 random bits per unit, kept when below round(p * 2**16)."""
    n, limit = int(np.prod(shape)), max(1, round(p * 2 ** 16))
    if isinstance(rng.bit_generator, np.random.MT19937):  # 32-bit raw draws
        bits = rng.integers(0, 2 ** 16, n, dtype=np.uint16)
    else:  # four 16-bit numbers from every raw 64-bit draw
        raw = rng.bit_generator.random_raw(-(-n // 4))
        bits = np.stack([(raw >> np.uint64(16 * k)) & np.uint64(0xFFFF) for k in range(4)],
                        axis=1).ravel()[:n]
    return (bits < limit).reshape(shape)


def plain_dropout(x, p, rng, form="inverted"):
    mask = plain_keep(rng, x.shape, p) * x.dtype.type(1 / p if form == "inverted" else 1.0)
    return x * mask, mask


@pytest.mark.parametrize("kind", GENERATORS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dropout_masks_are_the_16_bit_definition(kind, dtype):
    x = np.random.default_rng(0).standard_normal((6, 10)).astype(dtype)
    fast, plain = np.random.Generator(kind(7)), np.random.Generator(kind(7))
    for step, (p, shape) in enumerate([(0.7, (6, 10)), (0.5, (3, 5)), (0.999, (6, 10)),
                                       (0.3, (6, 10)), (0.7, (1, 7)), (0.7, (6, 10))]):
        xs = x[:shape[0], :shape[1]]
        form = "inverted" if step % 2 else "scale_at_test"
        out, (mask, _) = layers.dropout_forward(xs, p, "train", fast, form)
        want_out, want_mask = plain_dropout(xs, p, plain, form)
        np.testing.assert_array_equal(mask, want_mask)
        np.testing.assert_array_equal(out, want_out)
        assert out.dtype == dtype and mask.dtype == dtype
    # both generators have made the same draws
    assert fast.integers(0, 2 ** 62) == plain.integers(0, 2 ** 62)


@pytest.mark.parametrize("p", [0.7, 0.5, 0.1, 0.123456789, 0.9, 1e-9])
def test_keep_probability_is_p_to_within_2_to_the_minus_17(p):
    limit = max(1, round(p * 2 ** 16))
    assert abs(limit / 2 ** 16 - p) <= 2 ** -17 or (p < 2 ** -17 and limit == 1)
    keep = layers._keep_mask(np.random.default_rng(5), (2000, 1000), p)
    # 2 million units: the kept fraction is limit / 65536 within 5 standard deviations
    q = limit / 2 ** 16
    assert abs(keep.mean() - q) <= 5 * np.sqrt(q * (1 - q) / keep.size) + 1e-7


def test_keep_probability_near_one_keeps_everything():
    keep = layers._keep_mask(np.random.default_rng(0), (50, 40), 1 - 2 ** -20)
    assert keep.all() and keep.shape == (50, 40)
    # and a keep probability just below the last step still drops about 1 in 65536
    assert not layers._keep_mask(np.random.default_rng(0), (1000, 1000), 1 - 2 ** -16).all()


def test_dropout_of_integer_input_is_float():
    x = np.arange(12).reshape(3, 4)
    out, (mask, _) = layers.dropout_forward(x, 0.5, "train", 3)
    assert out.dtype == np.float64 and mask.dtype == np.float64
    np.testing.assert_array_equal(out, x * mask)
    test_out, _ = layers.dropout_forward(x, 0.5, "test", form="scale_at_test")
    np.testing.assert_array_equal(test_out, x * 0.5)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "linear"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activations_in_place_equal_the_plain_result(name, dtype):
    act = activations.get_activation(name)
    x = (np.random.default_rng(1).standard_normal((5, 7)) * 3).astype(dtype)
    want = act.f(x.copy())
    buf = np.empty_like(x)
    assert act.f(x, out=buf) is buf
    np.testing.assert_array_equal(buf, want)
    inplace = x.copy()
    y, cache = layers.activation_forward(inplace, name, out=inplace)
    assert y is inplace and y.dtype == dtype
    np.testing.assert_array_equal(y, want)
    dout = np.random.default_rng(2).standard_normal((5, 7)).astype(dtype)
    plain = dout * act.grad_out(want)
    got = layers.activation_backward(dout, cache, out=dout)
    assert got is dout
    np.testing.assert_array_equal(got, plain)


@pytest.mark.parametrize("form", ["inverted", "scale_at_test"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fused_relu_dropout_equals_relu_then_dropout(form, dtype):
    x = np.random.default_rng(5).standard_normal((9, 13)).astype(dtype)
    want, want_cache = layers.dropout_forward(np.maximum(x, 0), 0.6, "train", 8, form)
    inplace = x.copy()
    out, cache = layers.relu_dropout_forward(inplace, 0.6, 8, form)
    assert out is inplace and out.dtype == dtype
    np.testing.assert_array_equal(out, want)  # -0.0 == 0.0
    # one backward for both: dropout's mask times ReLU's derivative
    dout = np.random.default_rng(6).standard_normal((9, 13)).astype(dtype)
    relu_cache = (np.maximum(x, 0), activations.get_activation("relu"))
    plain = layers.activation_backward(layers.dropout_backward(dout, want_cache), relu_cache)
    np.testing.assert_array_equal(layers.dropout_backward(dout, cache), plain)


def test_dropout_backward_in_place():
    x = np.random.default_rng(3).standard_normal((4, 6)).astype(np.float32)
    _, cache = layers.dropout_forward(x, 0.6, "train", 1)
    dout = np.random.default_rng(4).standard_normal((4, 6)).astype(np.float32)
    want = layers.dropout_backward(dout.copy(), cache)
    assert layers.dropout_backward(dout, cache, out=dout) is dout
    np.testing.assert_array_equal(dout, want)


def test_mlp_training_step_matches_plain_masks():
    # the first step of an MLP with dropout, against the same step written out by hand
    X = np.random.default_rng(1).random((8, 12), dtype=np.float32)
    y = np.arange(8) % 3
    net = MLP([12, 10, 3], keep_prob=0.6, seed=5)
    loss, grads = net.loss(X, y)
    ref = MLP([12, 10, 3], keep_prob=0.6, seed=5)
    h, _ = plain_dropout(X, 0.6, ref.rng)
    r = np.maximum(h @ ref.params["W1"] + ref.params["b1"], 0)
    h2, _ = plain_dropout(r, 0.6, ref.rng)
    scores = h2 @ ref.params["W2"] + ref.params["b2"]
    want_loss, dscores = layers.softmax_cross_entropy(scores, y)
    assert loss == want_loss
    np.testing.assert_array_equal(grads["W2"], h2.T @ dscores)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_grad_scale_scales_every_gradient(activation):
    X = np.random.default_rng(2).random((16, 9))
    y = np.arange(16) % 4
    net = MLP([9, 7, 6, 4], activation=activation, keep_prob=0.8, l2=0.01, dtype=np.float64)
    state = net.rng.bit_generator.state
    loss, grads = net.loss(X, y)
    net.rng.bit_generator.state = state  # the same masks again
    scaled_loss, scaled = net.loss(X, y, grad_scale=0.05)
    assert scaled_loss == loss
    for k in grads:
        np.testing.assert_allclose(scaled[k], 0.05 * grads[k], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("optimizer", ["sgd", "sgd_momentum", "adam"])
def test_fit_takes_the_textbook_steps(optimizer):
    # fit (gradients pre-scaled by lr for the SGD rules) against a plain loop of
    # loss -> update with the learning rate applied by the rule
    X = np.random.default_rng(3).random((64, 10))
    y = np.arange(64) % 3
    a = MLP([10, 8, 3], keep_prob=0.7, l2=0.001, seed=1, dtype=np.float64)
    b = MLP([10, 8, 3], keep_prob=0.7, l2=0.001, seed=1, dtype=np.float64)
    fit(a, X, y, epochs=2, batch_size=16, lr=0.1, optimizer=optimizer, seed=4, progress=False,
        eval_train=None)
    rng, update = np.random.default_rng(4), optim.get_optimizer(optimizer)  # fit's shuffling
    configs = {k: {"learning_rate": 0.1} for k in b.params}
    for _ in range(2):
        order = rng.permutation(64)
        for s in range(0, 64, 16):
            idx = order[s:s + 16]
            _, grads = b.loss(X[idx], y[idx])
            for k in b.params:
                b.params[k], configs[k] = update(b.params[k], grads[k], configs[k])
    for k in a.params:
        np.testing.assert_allclose(a.params[k], b.params[k], rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", ["sgd", "sgd_momentum", "adam"])
def test_optimizers_stay_float32_with_numpy_float64_settings(name):
    rng = np.random.default_rng(0)
    w = rng.standard_normal((5, 4)).astype(np.float32)
    ref = w.astype(np.float64)
    config, ref_config = {"learning_rate": np.float64(0.01)}, {"learning_rate": 0.01}
    update = optim.get_optimizer(name)
    for _ in range(5):
        g = rng.standard_normal((5, 4))
        w, config = update(w, g.astype(np.float32), config)
        ref, ref_config = update(ref, g.copy(), ref_config)
        assert w.dtype == np.float32
    np.testing.assert_allclose(w, ref, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("lr", [1.0, 0.3])
def test_sgd_rules_match_their_formulas(lr):
    rng = np.random.default_rng(6)
    w = rng.standard_normal(5)
    want_sgd, want_mom, v = w.copy(), w.copy(), np.zeros(5)
    w_sgd, w_mom, c_sgd, c_mom = w.copy(), w.copy(), {"learning_rate": lr}, {
        "learning_rate": lr, "momentum": 0.8}
    for _ in range(4):
        g = rng.standard_normal(5)
        want_sgd = want_sgd - lr * g
        v = 0.8 * v - lr * g
        want_mom = want_mom + v
        w_sgd, c_sgd = optim.sgd(w_sgd, g.copy(), c_sgd)
        w_mom, c_mom = optim.sgd_momentum(w_mom, g.copy(), c_mom)
    np.testing.assert_allclose(w_sgd, want_sgd, rtol=1e-12)
    np.testing.assert_allclose(w_mom, want_mom, rtol=1e-12)
    np.testing.assert_allclose(c_mom["velocity"], v, rtol=1e-12)


def test_adam_matches_the_textbook_formula():
    rng = np.random.default_rng(2)
    w = rng.standard_normal(6)
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    m, v, want = np.zeros(6), np.zeros(6), w.copy()
    config = {"learning_rate": lr}
    for t in range(1, 8):
        g = rng.standard_normal(6)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        want = want - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
        w, config = optim.adam(w, g.copy(), config)
    np.testing.assert_allclose(w, want, rtol=1e-6)
    np.testing.assert_allclose(config["m"], m, rtol=1e-12)
    np.testing.assert_allclose(config["v"], v, rtol=1e-12)


FAULTS = textwrap.dedent("""
    import resource, numpy as np
    def faults():
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    def step_like():  # a 400 kB activation and a 2.5 MB gradient, made and freed 50 times
        rng = np.random.default_rng(0)
        x = rng.random((128, 784), dtype=np.float32)
        w = rng.random((784, 800), dtype=np.float32)
        start = faults()
        for _ in range(50):
            a = x @ w
            g = x.T @ a
            del a, g
        return faults() - start
    step_like()
    {action}
    step_like()
    print(step_like())
""")


@pytest.mark.skipif(not speed.keep_freed_memory(), reason="glibc's mallopt is not available")
def test_importing_helpers_lets_training_steps_reuse_their_pages():
    def page_faults(action):
        proc = subprocess.run([sys.executable, "-c", FAULTS.format(action=action)],
                              capture_output=True, text=True, timeout=120, check=True)
        return int(proc.stdout.split()[-1])

    # glibc's defaults hand the blocks back and fault them in again on every step
    assert page_faults("pass") > 500
    assert page_faults("import helpers") < 50
