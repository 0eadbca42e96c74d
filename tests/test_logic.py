"""Tests of helpers.lessons.logic (McCulloch-Pitts threshold units)."""

import itertools

import numpy as np
import pytest

from helpers.lessons.logic import (
    BOOLEAN_FUNCTIONS_2,
    binary_inputs,
    function_name,
    gate_unit,
    threshold_unit,
    truth_table,
    unit_grid,
)

PYTHON_GATES = {
    "and": lambda a, b: a and b,
    "or": lambda a, b: a or b,
    "nand": lambda a, b: not (a and b),
    "nor": lambda a, b: not (a or b),
}


def test_binary_inputs_counting_order():
    X = binary_inputs(3)
    assert X.shape == (8, 3)
    # row i is i written in binary, most significant bit first
    assert [int("".join(map(str, r)), 2) for r in X] == list(range(8))


@pytest.mark.parametrize("name", sorted(PYTHON_GATES))
def test_gate_units_match_python_logic(name):
    X, y = truth_table(*gate_unit(name))
    expected = [int(bool(PYTHON_GATES[name](bool(a), bool(b)))) for a, b in X]
    assert y.tolist() == expected


def test_not_gate():
    X, y = truth_table(*gate_unit("NOT"))
    assert X.ravel().tolist() == [0, 1]
    assert y.tolist() == [1, 0]


def test_threshold_unit_fires_at_equality_and_single_row():
    assert threshold_unit([1, 1], [0.5, 0.5], 1.0) == 1  # 1.0 >= 1.0
    assert threshold_unit([1, 0], [0.5, 0.5], 1.0) == 0
    out = threshold_unit(np.array([[2.0, -1.0], [0.0, 3.0]]), [1.0, 1.0], 1.5)
    assert out.tolist() == [0, 1]
    assert out.dtype == np.int64


def test_unit_grid_matches_a_python_loop():
    wv, tv = np.array([-1.0, 0.0, 2.0]), np.array([-0.5, 1.0])
    params, outputs = unit_grid(wv, tv)
    assert params.shape == (3 * 3 * 2, 3) and outputs.shape == (18, 4)
    seen = set()
    for w1, w2, t in itertools.product(wv, wv, tv):
        row = np.flatnonzero((params == [w1, w2, t]).all(axis=1))
        assert row.size == 1
        want = [int(w1 * a + w2 * b >= t) for a, b in itertools.product((0, 1), repeat=2)]
        assert outputs[row[0]].tolist() == want
        seen.add(row[0])
    assert len(seen) == 18


def test_no_single_unit_computes_xor_but_14_functions_appear():
    grid = np.arange(-3.0, 3.01, 0.5)
    _, outputs = unit_grid(grid, grid)
    tables = {tuple(r) for r in outputs.tolist()}
    missing = {function_name(t) for t in set(BOOLEAN_FUNCTIONS_2) - tables}
    assert missing == {"XOR", "XNOR"}
    assert len(tables) == 14


def test_function_name():
    assert function_name([0, 1, 1, 0]) == "XOR"
    assert function_name(np.array([1, 1, 1, 0])) == "NAND"
    assert len(set(BOOLEAN_FUNCTIONS_2.values())) == 16


@pytest.mark.parametrize("call, match", [
    (lambda: threshold_unit([[1, 0, 1]], [1, 1], 1), "x: expected shape"),
    (lambda: threshold_unit([1, 0], "ab", 1), "weights"),
    (lambda: gate_unit("xor"), "name"),
    (lambda: binary_inputs(0), "n_inputs"),
    (lambda: function_name([0, 2, 1, 0]), "outputs"),
    (lambda: unit_grid([], [1.0]), "weight_values"),
])
def test_bad_input_names_the_argument(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
