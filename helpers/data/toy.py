"""Tiny seeded 2-D data sets for the early lessons: logic-gate truth tables, the XOR table,
moons, circles, spirals and a noisy XOR cloud (numpy only).

Every maker returns float32 X of shape (N, 2) and int64 labels y of shape (N,), shuffled with
the given ``seed``; the same arguments always give the same points. Lessons 01-02 use the
truth tables, lesson 04 and the Playground (helpers.widgets) the point clouds.

What it omits: regression sets, more than two input features, and scikit-learn's generators
(these are written out so the course needs no scikit-learn).
"""

from __future__ import annotations

import numpy as np


def check_count(n, minimum, what="n"):
    """``n`` as an int, or TypeError/ValueError naming ``what`` unless it is an integer
    >= ``minimum`` (also used by helpers.data.mnist.mnist_subset)."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{what}: expected an integer >= {minimum}, got {n!r}")
    if n < minimum:
        raise ValueError(f"{what}: expected an integer >= {minimum}, got {n}")
    return int(n)


def seeded_rng(seed):
    """``np.random.default_rng(seed)`` for a non-negative integer seed, else ValueError."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed: expected a non-negative integer, got {seed!r}")
    return np.random.default_rng(int(seed))


def _check_noise(noise):
    if isinstance(noise, bool) or not isinstance(noise, (int, float, np.number)):
        raise TypeError(f"noise: expected a number >= 0, got {noise!r}")
    if not (np.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise: expected a finite number >= 0, got {noise}")
    return float(noise)


def _split(n, k):
    """n items into k groups whose sizes differ by at most one (larger groups first)."""
    return [n // k + (i < n % k) for i in range(k)]


def _finish(points, labels, noise, rng):
    X = np.concatenate(points)
    y = np.concatenate(
        [np.full(len(p), c, dtype=np.int64) for p, c in zip(points, labels, strict=True)]
    )
    X = X + noise * rng.standard_normal(X.shape)
    order = rng.permutation(len(y))
    return np.ascontiguousarray(X[order], dtype=np.float32), y[order]


_GATE_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
_GATES = {
    "and": (0, 0, 0, 1),
    "or": (0, 1, 1, 1),
    "nand": (1, 1, 1, 0),
    "nor": (1, 0, 0, 0),
    "xor": (0, 1, 1, 0),
}


def logic_gate(name):
    """Truth table of a two-input gate: X (4, 2) of 0/1 rows (0,0), (0,1), (1,0), (1,1) and
    y (4,) of 0/1. ``name`` is one of 'and', 'or', 'nand', 'nor', 'xor'."""
    key = name.lower() if isinstance(name, str) else name
    if key not in _GATES:
        raise ValueError(f"name: expected one of {', '.join(map(repr, _GATES))}, got {name!r}")
    return _GATE_X.copy(), np.array(_GATES[key], dtype=np.int64)


def xor_table(coding="01"):
    """The XOR truth table. ``coding='01'``: inputs and targets in {0, 1}; ``coding='pm1'``:
    in {-1, +1}, where (-1,-1) -> -1, (-1,1) -> 1, (1,-1) -> 1, (1,1) -> -1."""
    X, y = logic_gate("xor")
    if coding == "01":
        return X, y
    if coding == "pm1":
        return 2 * X - 1, 2 * y - 1
    raise ValueError(f"coding: expected '01' or 'pm1', got {coding!r}")


def make_moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles (class 0 on top, class 1 below), shuffled.
    ``noise`` is the standard deviation of Gaussian noise added to each coordinate."""
    n, noise, rng = check_count(n, 2), _check_noise(noise), seeded_rng(seed)
    n0, n1 = _split(n, 2)
    t0, t1 = np.linspace(0, np.pi, n0), np.linspace(0, np.pi, n1)
    top = np.stack([np.cos(t0), np.sin(t0)], axis=1)
    bottom = np.stack([1 - np.cos(t1), 0.5 - np.sin(t1)], axis=1)
    return _finish([top, bottom], [0, 1], noise, rng)


def make_circles(n=200, noise=0.1, factor=0.5, seed=0):
    """A circle of radius 1 (class 0) around a circle of radius ``factor`` (class 1)."""
    n, noise, rng = check_count(n, 2), _check_noise(noise), seeded_rng(seed)
    if isinstance(factor, bool) or not isinstance(factor, (int, float, np.number)):
        raise TypeError(f"factor: expected a number in (0, 1), got {factor!r}")
    if not 0 < factor < 1:
        raise ValueError(f"factor: expected a number in (0, 1), got {factor}")
    points = []
    for count, radius in zip(_split(n, 2), (1.0, float(factor)), strict=True):
        t = np.linspace(0, 2 * np.pi, count, endpoint=False)
        points.append(radius * np.stack([np.cos(t), np.sin(t)], axis=1))
    return _finish(points, [0, 1], noise, rng)


def make_spirals(n=200, noise=0.1, classes=2, seed=0):
    """``classes`` interleaved spiral arms from the origin (radius 0..1), one per class."""
    n, noise, rng = check_count(n, 2), _check_noise(noise), seeded_rng(seed)
    classes = check_count(classes, 2, "classes")
    if n < classes:
        raise ValueError(f"n: expected at least one point per class (n >= {classes}), got {n}")
    points = []
    for c, count in enumerate(_split(n, classes)):
        r = np.linspace(0.05, 1.0, count)
        t = 4.0 * r + 2 * np.pi * c / classes
        points.append(r[:, None] * np.stack([np.sin(t), np.cos(t)], axis=1))
    return _finish(points, range(classes), noise, rng)


def make_xor(n=200, noise=0.1, seed=0):
    """A noisy XOR cloud: Gaussian blobs (std ``noise``) around the corners (0,0), (0,1),
    (1,0), (1,1), labelled like the XOR truth table."""
    n, noise, rng = check_count(n, 4), _check_noise(noise), seeded_rng(seed)
    X, y = logic_gate("xor")
    # Order the blobs 0, 1, 1, 0 so the (at most one) extra points go to different classes.
    order = [0, 1, 3, 2]
    points = [
        np.repeat(X[i : i + 1].astype(np.float64), k, axis=0)
        for i, k in zip(order, _split(n, 4), strict=True)
    ]
    return _finish(points, [int(y[i]) for i in order], noise, rng)
