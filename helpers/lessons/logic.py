"""McCulloch-Pitts threshold units (1943): the first artificial neuron, used as a logic gate.

A unit with weights w and threshold theta fires (outputs 1) when the weighted sum of its
binary inputs reaches the threshold, w . x >= theta, and stays silent (0) otherwise. This
module builds such units, computes their truth tables, and sweeps a grid of weights and
thresholds to list which Boolean functions a single unit can compute (XOR and XNOR never
appear: they are not linearly separable).
Omits: the 1943 model's absolute inhibition and time steps, and learning (a threshold unit
whose weights are learned is the perceptron, ``helpers.models.Perceptron``).
"""

import itertools

import numpy as np

from ..validate import as_float_array, check_choice

# Weights and thresholds of the classic gates (inputs in {0, 1}).
GATES = {
    "and": ((1.0, 1.0), 2.0),
    "or": ((1.0, 1.0), 1.0),
    "nand": ((-1.0, -1.0), -1.0),
    "nor": ((-1.0, -1.0), 0.0),
    "not": ((-1.0,), 0.0),
}

# Names of the 16 Boolean functions of two inputs, keyed by their outputs on the rows
# (0,0), (0,1), (1,0), (1,1) of ``binary_inputs(2)``.
BOOLEAN_FUNCTIONS_2 = {
    (0, 0, 0, 0): "FALSE",
    (0, 0, 0, 1): "AND",
    (0, 0, 1, 0): "x1 AND NOT x2",
    (0, 0, 1, 1): "x1",
    (0, 1, 0, 0): "NOT x1 AND x2",
    (0, 1, 0, 1): "x2",
    (0, 1, 1, 0): "XOR",
    (0, 1, 1, 1): "OR",
    (1, 0, 0, 0): "NOR",
    (1, 0, 0, 1): "XNOR",
    (1, 0, 1, 0): "NOT x2",
    (1, 0, 1, 1): "x1 OR NOT x2",
    (1, 1, 0, 0): "NOT x1",
    (1, 1, 0, 1): "NOT x1 OR x2",
    (1, 1, 1, 0): "NAND",
    (1, 1, 1, 1): "TRUE",
}


def binary_inputs(n_inputs):
    """All 2**n_inputs binary input rows, in counting order: (2**n, n) int64 array."""
    if isinstance(n_inputs, bool) or not isinstance(n_inputs, (int, np.integer)) or not (
            1 <= n_inputs <= 16):
        raise ValueError(f"n_inputs: expected an integer from 1 to 16, got {n_inputs!r}")
    return np.array(list(itertools.product((0, 1), repeat=int(n_inputs))), dtype=np.int64)


def threshold_unit(x, weights, threshold):
    """Output of a McCulloch-Pitts unit: 1 where x @ weights >= threshold, else 0.

    x: (N, D) or (D,) inputs; weights: (D,); threshold: a number.
    Returns int64 outputs of shape (N,) (or a 0-d array for one input row).
    """
    w = as_float_array(weights, "weights", dtype=np.float64, ndim=1)
    x = as_float_array(x, "x", dtype=np.float64)
    if x.ndim not in (1, 2) or x.shape[-1] != w.shape[0]:
        raise ValueError(f"x: expected shape (N, {w.shape[0]}) or ({w.shape[0]},) to match "
                         f"{w.shape[0]} weights, got shape {x.shape}")
    theta = float(as_float_array(threshold, "threshold", dtype=np.float64, ndim=0))
    return (x @ w >= theta).astype(np.int64)


def truth_table(weights, threshold):
    """Truth table of a unit over all binary inputs: (X (2**D, D), y (2**D,))."""
    X = binary_inputs(len(np.atleast_1d(weights)))
    return X, threshold_unit(X, weights, threshold)


def gate_unit(name):
    """(weights, threshold) of a McCulloch-Pitts unit for 'and', 'or', 'nand', 'nor', 'not'."""
    key = name.lower() if isinstance(name, str) else name
    check_choice(key, "name", tuple(GATES))
    weights, threshold = GATES[key]
    return np.array(weights), threshold


def unit_grid(weight_values, threshold_values, n_inputs=2):
    """Every unit on a grid: each weight takes each of ``weight_values`` and the threshold
    each of ``threshold_values``.

    Returns (params, outputs): params (M, n_inputs + 1) with rows (w_1, ..., w_n, theta) and
    outputs (M, 2**n_inputs) int64, the truth table of each unit over ``binary_inputs``.
    M = len(weight_values)**n_inputs * len(threshold_values).
    """
    wv = as_float_array(weight_values, "weight_values", dtype=np.float64, ndim=1)
    tv = as_float_array(threshold_values, "threshold_values", dtype=np.float64, ndim=1)
    if wv.size == 0 or tv.size == 0:
        raise ValueError("weight_values, threshold_values: expected non-empty 1-D arrays")
    X = binary_inputs(n_inputs).astype(np.float64)
    grids = np.meshgrid(*([wv] * n_inputs), tv, indexing="ij")
    params = np.stack([g.ravel() for g in grids], axis=1)
    sums = params[:, :n_inputs] @ X.T  # (M, 2**n)
    outputs = (sums >= params[:, n_inputs:]).astype(np.int64)
    return params, outputs


def function_name(outputs):
    """Name of a two-input Boolean function from its 4 outputs, e.g. (0, 1, 1, 0) -> 'XOR'."""
    key = tuple(int(v) for v in np.asarray(outputs).ravel())
    if key not in BOOLEAN_FUNCTIONS_2:
        raise ValueError(f"outputs: expected 4 values in {{0, 1}} (rows 00, 01, 10, 11), "
                         f"got {key}")
    return BOOLEAN_FUNCTIONS_2[key]
