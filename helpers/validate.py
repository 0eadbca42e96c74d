"""Argument checks shared by the library: every bad input gets a message that names the
argument, says what it got and what was expected.

Only checks live here; nothing is converted silently except where a function says so.
"""

import numbers

import numpy as np


def describe(x):
    """Short description of an array-like for error messages: type, shape, dtype."""
    if isinstance(x, np.ndarray):
        return f"array of shape {x.shape} and dtype {x.dtype}"
    return f"{type(x).__name__} {x!r}"[:120]


def as_float_array(x, name, dtype=np.float32, ndim=None, shape=None, finite=True):
    """Return ``x`` as an array of ``dtype`` (no copy when it already is one).

    Raises TypeError for non-numeric input (strings, objects, complex, None) and ValueError
    for a wrong number of dimensions, a wrong shape (``None`` in ``shape`` = any size) or
    NaN/inf values when ``finite``.
    """
    arr = np.asarray(x) if not isinstance(x, np.ndarray) else x
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name}: expected a real numeric array, got {describe(x)}")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name}: expected a {ndim}-D array, got {describe(arr)}")
    if shape is not None:
        ok = arr.ndim == len(shape) and all(s is None or s == a for s, a in zip(shape, arr.shape))
        if not ok:
            want = ", ".join("N" if s is None else str(s) for s in shape)
            want = f"({want},)" if len(shape) == 1 else f"({want})"
            raise ValueError(f"{name}: expected shape {want}, got {describe(arr)}")
    arr = np.asarray(arr, dtype=dtype)
    if finite and arr.dtype.kind == "f" and not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise ValueError(
            f"{name}: expected finite values, got {arr[tuple(bad)]} at index {tuple(bad.tolist())}"
        )
    return arr


def as_labels(y, name, num_classes, n=None):
    """Return integer class labels of shape (N,) with values in [0, num_classes)."""
    arr = np.asarray(y)
    if arr.dtype.kind == "f":
        whole = np.isfinite(arr) & (arr == np.round(arr))
        if not whole.all():
            bad = np.argwhere(~whole)[0]
            raise TypeError(f"{name}: expected integer class labels, got {arr[tuple(bad)]} "
                            f"at index {tuple(bad.tolist())} ({describe(arr)})")
        arr = arr.astype(np.int64)
    if arr.dtype.kind == "b":  # True/False labels are classes 1/0 (bool arrays index wrongly)
        arr = arr.astype(np.int64)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name}: expected integer class labels, got {describe(y)}")
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D array of labels, got {describe(arr)}")
    if n is not None and arr.shape[0] != n:
        raise ValueError(f"{name}: expected {n} labels (one per row of X), got {arr.shape[0]}")
    if arr.size and (arr.min() < 0 or arr.max() >= num_classes):
        i = int(np.argmax((arr < 0) | (arr >= num_classes)))
        raise ValueError(
            f"{name}: expected labels in 0..{num_classes - 1}, got {arr[i]} at index {i}"
        )
    return arr


def check_choice(value, name, choices):
    """Raise ValueError unless ``value`` is one of ``choices``; return it."""
    if value not in choices:
        raise ValueError(f"{name}: expected one of {sorted(choices)}, got {value!r}")
    return value


def check_keep_prob(p, name="keep_prob"):
    """Keep probability of dropout: a number in (0, 1]."""
    if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0.0 < float(p) <= 1.0:
        raise ValueError(f"{name}: expected a keep probability in (0, 1], got {p!r}")
    return float(p)


def check_keep_probs(p, n_layers, name="keep_prob"):
    """Dropout keep probabilities of a network with ``n_layers`` weight layers: one number in
    (0, 1] (returned as a float, the same for the input and every hidden layer), or a
    sequence of ``n_layers`` of them, one per layer input (returned as a tuple of floats):
    e.g. (0.8, 0.5, 0.5) for the input, h1 and h2 of a [784, 800, 800, 10] network."""
    if not isinstance(p, (list, tuple, np.ndarray)):
        return check_keep_prob(p, name)
    if len(p) != n_layers:
        raise ValueError(f"{name}: expected a keep probability in (0, 1] or a sequence of "
                         f"{n_layers} of them (the input and each hidden layer), got {p!r}")
    return tuple(check_keep_prob(q, f"{name}[{i}]") for i, q in enumerate(p))


def check_positive(x, name, integer=False, allow_zero=False):
    """A positive (or non-negative) number, optionally an integer."""
    kind = numbers.Integral if integer else numbers.Real
    ok = isinstance(x, kind) and not isinstance(x, bool) and (x >= 0 if allow_zero else x > 0)
    if not ok:
        what = "integer" if integer else "number"
        sign = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{name}: expected a {sign} {what}, got {x!r}")
    return x
