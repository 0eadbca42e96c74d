"""The perceptron: logic gates, XOR, the update-count identity, multiclass and averaged."""

import itertools

import numpy as np
import pytest

from helpers.models import Perceptron

BITS = np.array(list(itertools.product([0, 1], repeat=2)))  # 00, 01, 10, 11
GATES = {"and": BITS[:, 0] & BITS[:, 1], "or": BITS[:, 0] | BITS[:, 1],
         "xor": BITS[:, 0] ^ BITS[:, 1]}


def gate(name, coding):
    """Truth table of a gate: 0/1 inputs and labels for 'step', +-1 for 'sign'."""
    d = GATES[name]
    if coding == "step":
        return BITS.astype(float), d
    return 2.0 * BITS - 1, 2 * d - 1


def separable(n, seed, coding, d=3):
    """A random linearly separable set with a margin (points near the plane removed)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    s = X @ rng.standard_normal(d) + 0.3
    keep = np.abs(s) > 0.2
    X, pos = X[keep], s[keep] >= 0
    return X, (pos.astype(int) if coding == "step" else np.where(pos, 1, -1))


# ---------------------------------------------------------------- logic gates
@pytest.mark.parametrize("coding", ["step", "sign"])
@pytest.mark.parametrize("name", ["and", "or"])
def test_learns_and_or(name, coding):
    X, d = gate(name, coding)
    p = Perceptron(2, activation=coding)
    history = p.fit(X, d, epochs=100, seed=0)
    assert p.converged_
    assert history["mistakes"][-1] == 0
    assert all(m > 0 for m in history["mistakes"][:-1])  # stops at the first clean epoch
    np.testing.assert_array_equal(p.predict(X), d)
    assert p.score(X, d) == 1.0
    assert set(np.unique(p.predict(X))) <= {0 if coding == "step" else -1, 1}


@pytest.mark.parametrize("coding", ["step", "sign"])
def test_never_learns_xor(coding):
    X, d = gate("xor", coding)
    p = Perceptron(2, activation=coding)
    history = p.fit(X, d, epochs=100, seed=0)
    assert len(history["mistakes"]) == 100
    assert min(history["mistakes"]) >= 1
    assert not p.converged_
    assert p.score(X, d) < 1.0


# ---------------------------------------------------------------- the update identity
@pytest.mark.parametrize("shuffle", [True, False])
@pytest.mark.parametrize("coding", ["step", "sign"])
def test_weights_are_init_plus_counted_updates(coding, shuffle):
    X, d = separable(80, seed=5, coding=coding)
    rng = np.random.default_rng(6)
    w_init = rng.standard_normal(X.shape[1]) * 2
    lr = 0.5
    p = Perceptron(X.shape[1], lr=lr, activation=coding, w_init=w_init, dtype=np.float64)
    history = p.fit(X, d, epochs=200, shuffle=shuffle, seed=1)
    counts = p.update_counts_
    assert counts.shape == (len(X),) and counts.sum() == sum(history["mistakes"]) > 0
    delta = (2 * d - 1) if coding == "step" else 2 * d  # (target - wrong output) on a mistake
    np.testing.assert_allclose(p.w, w_init + (counts * lr * delta) @ X, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(p.b, 0.0 + np.sum(counts * lr * delta), rtol=1e-12, atol=1e-12)
    assert p.converged_ and p.score(X, d) == 1.0


def test_learning_rate_only_scales_weights_from_zero_start():
    X, d = separable(60, seed=2, coding="step")
    a = Perceptron(3, lr=1.0, dtype=np.float64)
    b = Perceptron(3, lr=0.25, dtype=np.float64)
    ha, hb = a.fit(X, d, epochs=50, seed=3), b.fit(X, d, epochs=50, seed=3)
    assert ha == hb
    np.testing.assert_array_equal(a.w, 4 * b.w)
    np.testing.assert_array_equal(a.predict(X), b.predict(X))


# ---------------------------------------------------------------- multiclass and averaged
def test_multiclass_separates_three_blobs():
    rng = np.random.default_rng(0)
    centres = np.array([[0.0, 4.0], [4.0, -3.0], [-4.0, -3.0]])
    y = rng.integers(0, 3, 150)
    X = centres[y] + rng.normal(0, 0.6, (150, 2))
    p = Perceptron(2, n_classes=3)
    history = p.fit(X, y, epochs=100, seed=0)
    assert p.w.shape == (2, 3) and p.b.shape == (3,)
    assert p.converged_ and history["mistakes"][-1] == 0
    assert p.score(X, y) == 1.0
    assert p.decision_function(X).shape == (150, 3)


def reference_average(X, d, lr, coding):
    """Average of the weights over the whole run (initial weights and the weights after
    every sample), by brute force, for shuffle=False and zero initial weights."""
    neg = 0 if coding == "step" else -1
    w, b = np.zeros(X.shape[1]), 0.0
    ws, bs = [w.copy()], [b]
    while True:
        mistakes = 0
        for x, t in zip(X, d):
            out = 1 if x @ w + b >= 0 else neg
            if out != t:
                w, b = w + lr * (t - out) * x, b + lr * (t - out)
                mistakes += 1
            ws.append(w.copy())
            bs.append(b)
        if mistakes == 0:
            return np.mean(ws, axis=0), np.mean(bs), w, b


@pytest.mark.parametrize("coding", ["step", "sign"])
def test_averaged_perceptron_is_the_average_of_all_weights(coding):
    X, d = separable(60, seed=8, coding=coding)
    plain = Perceptron(3, activation=coding, dtype=np.float64)
    avg = Perceptron(3, activation=coding, averaged=True, dtype=np.float64)
    h_plain = plain.fit(X, d, epochs=100, shuffle=False)
    h_avg = avg.fit(X, d, epochs=100, shuffle=False)
    assert h_plain == h_avg  # same run; only the returned weights differ
    w_mean, b_mean, w_last, b_last = reference_average(X, d, 1.0, coding)
    np.testing.assert_allclose(plain.w, w_last, rtol=1e-12)
    np.testing.assert_allclose(avg.w, w_mean, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(avg.b, b_mean, rtol=1e-10, atol=1e-12)
    assert not np.allclose(avg.w, plain.w)
    assert avg.score(X, d) >= 0.95


def test_averaged_multiclass_works_and_differs():
    rng = np.random.default_rng(1)
    centres = np.array([[0.0, 4.0], [4.0, -3.0], [-4.0, -3.0]])
    y = rng.integers(0, 3, 150)
    X = centres[y] + rng.normal(0, 0.6, (150, 2))
    plain = Perceptron(2, n_classes=3)
    avg = Perceptron(2, n_classes=3, averaged=True)
    plain.fit(X, y, epochs=50, seed=0)
    avg.fit(X, y, epochs=50, seed=0)
    assert avg.score(X, y) >= 0.98
    assert not np.allclose(avg.w, plain.w)


# ---------------------------------------------------------------- bad input
def test_bad_binary_labels_raise():
    X, d = gate("and", "step")
    with pytest.raises(ValueError, match=r"y: expected .*\{0, 1\}.*2"):
        Perceptron(2).fit(X, np.array([0, 1, 2, 1]))
    with pytest.raises(ValueError, match=r"y: expected .*\{-1, 1\}"):
        Perceptron(2, activation="sign").fit(X, d)  # 0/1 labels with sign coding
    with pytest.raises(ValueError, match="y: expected 4 labels"):
        Perceptron(2).fit(X, d[:3])


def test_bad_multiclass_labels_raise():
    with pytest.raises(ValueError, match=r"y: expected labels in 0..2, got 3"):
        Perceptron(2, n_classes=3).fit(np.zeros((3, 2)), np.array([0, 3, 1]))


def test_bad_constructor_arguments_raise():
    with pytest.raises(ValueError, match="n_features"):
        Perceptron(0)
    with pytest.raises(ValueError, match="n_classes"):
        Perceptron(2, n_classes=1)
    with pytest.raises(ValueError, match="lr"):
        Perceptron(2, lr=0)
    with pytest.raises(ValueError, match="activation.*'sigmoid'"):
        Perceptron(2, activation="sigmoid")
    with pytest.raises(ValueError, match=r"w_init: expected shape \(2,\)"):
        Perceptron(2, w_init=np.zeros(3))
    with pytest.raises(ValueError, match=r"X: expected shape \(N, 2\)"):
        Perceptron(2).fit(np.zeros((4, 3)), np.zeros(4, int))
    with pytest.raises(ValueError, match="epochs"):
        Perceptron(2).fit(*gate("and", "step"), epochs=0)


def test_converged_is_false_before_fit_and_the_recorded_mistakes_stay():
    # recorded from the code before Perceptron.fit was split into the rule and its helpers
    rng = np.random.default_rng(5)
    X = rng.standard_normal((300, 20)).astype(np.float32)
    y = (X[:, :3].sum(1) > 0).astype(int) + (X[:, 3] > 0.5)
    Xb, yb = (X[:, :5] > 0).astype(np.float32), (X[:, 0] + X[:, 1] > 0).astype(int)
    p = Perceptron(5, activation="sign", averaged=True)
    assert p.converged_ is False and p.update_counts_ is None
    assert p.fit(Xb, yb * 2 - 1, epochs=4, seed=2)["mistakes"] == [81, 86, 80, 75]
    multi = Perceptron(20, n_classes=3, averaged=True, lr=0.5)
    assert multi.fit(X, y, epochs=4, seed=2)["mistakes"] == [131, 87, 79, 80]
    assert multi.converged_ is False and multi.update_counts_.sum() == 131 + 87 + 79 + 80
