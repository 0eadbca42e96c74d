"""The fast paths of the training hot loop give the same results as the plain definitions:
dropout masks drawn from raw 64-bit draws, and optimizer updates that stay in float32."""

import numpy as np
import pytest

from helpers import layers, optim
from helpers.models import MLP

GENERATORS = [np.random.PCG64, np.random.PCG64DXSM, np.random.SFC64, np.random.Philox,
              np.random.MT19937]


def assert_in_step(a, b):
    # copy the states (a pending half draw included), then compare what comes next
    ca, cb = np.random.Generator(type(a.bit_generator)()), np.random.Generator(
        type(b.bit_generator)())
    ca.bit_generator.state, cb.bit_generator.state = a.bit_generator.state, b.bit_generator.state
    for draw in (lambda g: g.random(3, dtype=np.float32), lambda g: g.random(2),
                 lambda g: g.integers(0, 1000, 5), lambda g: g.random(4, dtype=np.float32)):
        np.testing.assert_array_equal(draw(ca), draw(cb))


def plain_dropout(x, p, rng, form="inverted"):
    """The textbook definition: one uniform per unit, kept when below p."""
    dtype = x.dtype if x.dtype.kind == "f" else np.float64
    keep = rng.random(x.shape, dtype=dtype) < p
    mask = keep * dtype.type(1 / p if form == "inverted" else 1.0)
    return x * mask, mask


@pytest.mark.parametrize("kind", GENERATORS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dropout_masks_equal_the_plain_definition(kind, dtype):
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
        # the generators stay in step, including a pending half draw after an odd size
        assert_in_step(fast, plain)


def test_dropout_mask_threshold_is_exact_at_the_edges():
    # p equal to one of the uniforms drops that unit (u < p is false); one float32 step
    # above keeps it; whatever p, the fast path agrees with the plain one
    x = np.ones((1, 4000), dtype=np.float32)
    u = np.random.default_rng(3).random(x.shape, dtype=np.float32)
    for p in (float(u[0, 17]), float(np.nextafter(u[0, 17], np.float32(1))), float(u.max()),
              0.5, 0.125, 1 - 2 ** -24, 2 ** -20):
        _, (mask, _) = layers.dropout_forward(x, p, "train", np.random.default_rng(3),
                                              "scale_at_test")
        np.testing.assert_array_equal(mask > 0, u < p)
    _, (mask, _) = layers.dropout_forward(x, float(u[0, 17]), "train", 3, "scale_at_test")
    assert mask[0, 17] == 0
    _, (mask, _) = layers.dropout_forward(
        x, float(np.nextafter(u[0, 17], np.float32(1))), "train", 3, "scale_at_test")
    assert mask[0, 17] == 1


@pytest.mark.parametrize("p", [0.7, 0.5, 0.3, 0.1, 0.123456789, 1 - 2 ** -24, 2 ** -20, 1e-9])
def test_bits_limit_is_the_float32_comparison(p):
    # every 32-bit pattern near the limit: b < limit exactly when its float32 uniform is < p
    limit = layers._bits_limit(p)
    b = np.arange(max(limit - 1000, 0), min(limit + 1000, 2 ** 32), dtype=np.uint64)
    uniform = ((b >> np.uint64(8)).astype(np.float64) / 2 ** 24).astype(np.float32)
    np.testing.assert_array_equal(b < limit, uniform < np.float32(p))
    assert limit % 256 == 0


def test_mlp_training_step_matches_plain_masks():
    # the first step of an MLP with dropout, against the same step with plain masks
    X = np.random.default_rng(1).random((8, 12), dtype=np.float32)
    y = np.arange(8) % 3
    net = MLP([12, 10, 3], keep_prob=0.6, seed=5)
    loss, grads = net.loss(X, y)
    ref = MLP([12, 10, 3], keep_prob=0.6, seed=5)
    rng = ref.rng
    h, m0 = plain_dropout(X, 0.6, rng)
    a = h @ ref.params["W1"] + ref.params["b1"]
    r = np.maximum(a, 0)
    h2, m1 = plain_dropout(r, 0.6, rng)
    scores = h2 @ ref.params["W2"] + ref.params["b2"]
    want_loss, dscores = layers.softmax_cross_entropy(scores, y)
    assert loss == want_loss
    np.testing.assert_array_equal(grads["W2"], h2.T @ dscores)
    assert_in_step(net.rng, rng)


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
