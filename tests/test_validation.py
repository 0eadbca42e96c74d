"""Bad input gets a ValueError/TypeError whose message names the argument, shows what it got
and says what was expected (DESIGN section 9)."""

import numpy as np
import pytest

from helpers.models import MLP
from helpers.train import fit
from helpers.validate import (
    as_float_array,
    as_labels,
    check_choice,
    check_keep_prob,
    check_positive,
    describe,
)


@pytest.fixture
def model():
    return MLP([4, 5, 3], seed=0)


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    return rng.standard_normal((6, 4)).astype(np.float32), rng.integers(0, 3, 6)


# ---------------------------------------------------------------- X
def test_x_with_wrong_number_of_columns(model, data):
    X, y = data
    with pytest.raises(ValueError, match=r"X: expected shape \(N, 4\), got array of shape "
                                         r"\(6, 5\)"):
        model.loss(np.zeros((6, 5)), y)
    with pytest.raises(ValueError, match=r"X: expected shape \(N, 4\)"):
        model.predict(np.zeros((2, 3)))


def test_x_one_dimensional(model):
    with pytest.raises(ValueError, match=r"X: expected shape \(N, 4\), got array of shape "
                                         r"\(4,\)"):
        model.predict(np.zeros(4))


@pytest.mark.parametrize("bad", [
    np.array([["a", "b", "c", "d"]]),
    np.array([[1, 2, None, 4]], dtype=object),
    [["1", "2", "3", "4"]],
    np.zeros((1, 4), dtype=complex),
])
def test_x_not_real_numbers_is_a_type_error(model, bad):
    with pytest.raises(TypeError, match="X: expected a real numeric array, got"):
        model.predict(bad)


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_x_with_nan_or_inf(model, data, value):
    X, y = data
    X = X.copy()
    X[2, 1] = value
    with pytest.raises(ValueError, match=rf"X: expected finite values, got {value} at index "
                                         r"\(2, 1\)"):
        model.loss(X, y)


def test_x_as_nested_list_and_int_array_are_accepted(model):
    out = model.predict([[0, 1, 2, 3], [1, 1, 1, 1]])
    assert out.shape == (2,)
    np.testing.assert_array_equal(out, model.predict(np.array([[0, 1, 2, 3], [1, 1, 1, 1.0]])))


# ---------------------------------------------------------------- y
@pytest.mark.parametrize("bad,shown", [(5, "5"), (-1, "-1"), (3, "3")])
def test_labels_outside_the_classes_show_the_bad_value(model, data, bad, shown):
    X, y = data
    y = y.copy()
    y[4] = bad
    with pytest.raises(ValueError, match=rf"y: expected labels in 0..2, got {shown} at index 4"):
        model.loss(X, y)


def test_float_labels_that_are_not_whole_numbers(model, data):
    X, _ = data
    y = np.array([0, 1, 1.5, 2, 0, 1])
    with pytest.raises(TypeError, match=r"y: expected integer class labels, got 1.5 at index"):
        model.loss(X, y)


def test_whole_float_and_bool_labels_are_accepted(model, data):
    X, y = data
    assert model.loss(X, y.astype(float))[0] == model.loss(X, y)[0]
    two = MLP([4, 3, 2], seed=0)
    yb = X[:, 0] > 0
    assert two.loss(X, yb)[0] == two.loss(X, yb.astype(int))[0]
    assert two.score(X, yb) == two.score(X, yb.astype(int))


def test_labels_with_wrong_length(model, data):
    X, y = data
    with pytest.raises(ValueError, match=r"y: expected 6 labels \(one per row of X\), got 5"):
        model.loss(X, y[:5])


def test_labels_two_dimensional(model, data):
    X, y = data
    with pytest.raises(ValueError, match=r"y: expected a 1-D array of labels, got array of "
                                         r"shape \(6, 1\)"):
        model.loss(X, y[:, None])


def test_sse_targets_with_wrong_shape_or_nan():
    m = MLP([4, 5, 3], output="sigmoid", loss="sse")
    X = np.zeros((6, 4))
    with pytest.raises(ValueError, match=r"y: expected shape \(6, 3\), got array of shape "
                                         r"\(6, 2\)"):
        m.loss(X, np.zeros((6, 2)))
    t = np.zeros((6, 3))
    t[0, 0] = np.nan
    with pytest.raises(ValueError, match="y: expected finite values, got nan"):
        m.loss(X, t)


# ---------------------------------------------------------------- constructor
@pytest.mark.parametrize("kwargs,pattern", [
    ({"activation": "softsign"}, r"activation: expected one of \[.*'relu'.*\], got 'softsign'"),
    ({"activation": "step"}, r"activation: expected one of .*, got 'step'"),
    ({"output": "softplus"}, r"output: expected one of \[.*'softmax'.*\], got 'softplus'"),
    ({"loss": "hinge"}, r"loss: expected one of \['binary_cross_entropy', 'cross_entropy', "
                        r"'sse'\], got 'hinge'"),
    ({"output": "sigmoid"}, r"loss: 'cross_entropy' needs output='softmax', got "
                            r"output='sigmoid'"),
    ({"dropout_form": "classic"}, r"dropout_form: expected one of .*, got 'classic'"),
    ({"l2": -0.1}, r"l2: expected a non-negative number, got -0.1"),
])
def test_bad_names_and_settings(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        MLP([4, 3], **kwargs)


@pytest.mark.parametrize("bad", [0, -0.1, 1.5, "a", True])
def test_bad_keep_prob(bad):
    with pytest.raises(ValueError, match=r"keep_prob: expected a keep probability in \(0, 1\], "
                                         rf"got {bad!r}"):
        MLP([4, 3], keep_prob=bad)


@pytest.mark.parametrize("bad", [[784], [784, 0, 10], "abc", [], [784, 2.5, 10],
                                 [784, -3, 10], 784, None])
def test_bad_layer_sizes(bad):
    with pytest.raises(ValueError, match=r"layer_sizes: expected a list of at least two "
                                         r"positive integers.*got"):
        MLP(bad)


def test_layer_sizes_message_shows_what_it_got():
    with pytest.raises(ValueError, match=r"got \[784, 0, 10\]"):
        MLP([784, 0, 10])


@pytest.mark.parametrize("dtype", [np.int32, np.float16, "int64"])
def test_bad_dtype(dtype):
    with pytest.raises(TypeError, match=r"dtype: expected float32 or float64, got"):
        MLP([4, 3], dtype=dtype)


# ---------------------------------------------------------------- fit
@pytest.mark.parametrize("kwargs,pattern", [
    ({"epochs": 0}, r"epochs: expected a positive integer, got 0"),
    ({"epochs": 2.5}, r"epochs: expected a positive integer, got 2.5"),
    ({"batch_size": -1}, r"batch_size: expected a positive integer, got -1"),
    ({"lr": 0}, r"lr: expected a positive number, got 0"),
    ({"lr": -0.1}, r"lr: expected a positive number, got -0.1"),
    ({"optimizer": "rmsprop"}, r"optimizer: expected one of \['adam', 'sgd', "
                               r"'sgd_momentum'\], got 'rmsprop'"),
])
def test_bad_fit_arguments(model, data, kwargs, pattern):
    X, y = data
    before = {k: v.copy() for k, v in model.params.items()}
    with pytest.raises(ValueError, match=pattern):
        fit(model, X, y, progress=False, **kwargs)
    for k, v in model.params.items():  # nothing was trained
        np.testing.assert_array_equal(v, before[k])


def test_fit_checks_validation_data(model, data):
    X, y = data
    with pytest.raises(ValueError, match=r"X: expected shape \(N, 4\)"):
        fit(model, X, y, X_val=np.zeros((3, 2)), y_val=y[:3], epochs=1, progress=False)
    with pytest.raises(ValueError, match=r"y: expected 3 labels"):
        fit(model, X, y, X_val=X[:3], y_val=y, epochs=1, progress=False)


# ---------------------------------------------------------------- the validate module
def test_as_float_array_converts_and_avoids_copies():
    a = np.ones((2, 3), dtype=np.float32)
    assert as_float_array(a, "a") is a
    b = as_float_array([[1, 2]], "b", dtype=np.float64)
    assert b.dtype == np.float64 and b.shape == (1, 2)
    assert as_float_array(np.array([1, 2], dtype=np.uint8), "u").dtype == np.float32
    assert np.isnan(as_float_array([np.nan], "n", finite=False)).all()


def test_as_float_array_ndim_and_shape():
    with pytest.raises(ValueError, match=r"w: expected a 2-D array, got array of shape \(3,\)"):
        as_float_array(np.zeros(3), "w", ndim=2)
    with pytest.raises(ValueError, match=r"w: expected shape \(3,\), got array of shape \(4,\)"):
        as_float_array(np.zeros(4), "w", shape=(3,))
    with pytest.raises(ValueError, match=r"w: expected shape \(N, 2, 5\)"):
        as_float_array(np.zeros((1, 2, 4)), "w", shape=(None, 2, 5))
    assert as_float_array(np.zeros((7, 2, 5)), "w", shape=(None, 2, 5)).shape == (7, 2, 5)


def test_as_float_array_type_errors():
    for bad in (None, "abc", [1, "x"], np.array([1j])):
        with pytest.raises(TypeError, match="z: expected a real numeric array"):
            as_float_array(bad, "z")


def test_as_labels_direct():
    np.testing.assert_array_equal(as_labels([0, 2, 1], "t", 3), [0, 2, 1])
    assert as_labels(np.array([1.0, 0.0]), "t", 2).dtype.kind == "i"
    assert as_labels(np.array([], dtype=int), "t", 3).shape == (0,)
    with pytest.raises(TypeError, match=r"t: expected integer class labels, got list"):
        as_labels(["a", "b"], "t", 3)


def test_check_choice_keep_prob_positive():
    assert check_choice("b", "c", ("a", "b")) == "b"
    with pytest.raises(ValueError, match=r"c: expected one of \['a', 'b'\], got 'z'"):
        check_choice("z", "c", ("b", "a"))
    assert check_keep_prob(1) == 1.0 and isinstance(check_keep_prob(np.float32(0.5)), float)
    assert check_positive(3, "n", integer=True) == 3
    assert check_positive(0, "n", allow_zero=True) == 0
    for bad in (0, -1, True, 1.5, "3", None):
        with pytest.raises(ValueError, match=r"n: expected a positive integer, got"):
            check_positive(bad, "n", integer=True)
    with pytest.raises(ValueError, match=r"x: expected a non-negative number, got -1"):
        check_positive(-1, "x", allow_zero=True)


def test_describe_is_short():
    assert describe(np.zeros((2, 3), np.float32)) == "array of shape (2, 3) and dtype float32"
    assert len(describe(list(range(1000)))) <= 120
    assert describe("abc") == "str 'abc'"
