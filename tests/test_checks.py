"""The lab checks (helpers.checks) accept a correct solution and reject wrong ones.

For every check: the reference solution passes with one printed line; a wrong implementation
fails with an AssertionError whose message has the expected and the received values; a
function that returns None, a wrong shape or dtype, raises, or is not written yet gives an
AssertionError (never a TypeError or another unrelated error); and a function that returns a
hard-coded answer (the right answer for one fixed input) fails, because the checks draw
fresh random inputs.
"""

import ast
from pathlib import Path

import nbformat
import numpy as np
import pytest

from helpers.checks import dropout as dropout_checks
from helpers.checks import perceptron as perceptron_checks
from helpers.checks import sigmoid as sigmoid_checks
from helpers.checks import tanh as tanh_checks
from helpers.checks.core import CheckFailed, compare_arrays, run_student

# ----------------------------------------------------------------- reference solutions
# The lab solutions live in ONE place, solutions/*.ipynb: their exercise cells are run here.

REPO = Path(__file__).resolve().parent.parent


def _solutions():
    namespace = {}
    exec("import numpy as np", namespace)
    for path in sorted((REPO / "solutions").glob("*.ipynb")):
        for cell in nbformat.read(str(path), as_version=4).cells:
            if cell.cell_type == "code" and "exercise" in cell.metadata.get("tags", []):
                exec(compile(cell.source, f"{path.name}:{cell.id}", "exec"), namespace)
    return namespace


SOLVED = _solutions()
predict, perceptron_update, train_epoch = (
    SOLVED["predict"], SOLVED["perceptron_update"], SOLVED["train_epoch"])
tanh, tanh_derivative_from_output = SOLVED["tanh"], SOLVED["tanh_derivative_from_output"]
forward, backward, update = SOLVED["forward"], SOLVED["backward"], SOLVED["update"]
sigmoid, sigmoid_derivative = SOLVED["sigmoid"], SOLVED["sigmoid_derivative"]
NeuralNetwork, TwoLayerNetwork = SOLVED["NeuralNetwork"], SOLVED["TwoLayerNetwork"]
one_hot, dropout_forward, dropout_backward, predict_scores = (
    SOLVED["one_hot"], SOLVED["dropout_forward"], SOLVED["dropout_backward"],
    SOLVED["predict_scores"])


# (check function, reference solution)
CHECKS = {
    "predict": (perceptron_checks.check_predict, predict),
    "perceptron_update": (perceptron_checks.check_perceptron_update, perceptron_update),
    "train_epoch": (perceptron_checks.check_train_epoch, train_epoch),
    "tanh": (tanh_checks.check_tanh, tanh),
    "tanh_derivative": (tanh_checks.check_tanh_derivative_from_output,
                        tanh_derivative_from_output),
    "forward": (tanh_checks.check_forward, forward),
    "backward": (tanh_checks.check_backward, backward),
    "update": (tanh_checks.check_update, update),
    "sigmoid": (sigmoid_checks.check_sigmoid, sigmoid),
    "sigmoid_derivative": (sigmoid_checks.check_sigmoid_derivative, sigmoid_derivative),
    "neuron_methods": (sigmoid_checks.check_methods, NeuralNetwork),
    "neuron_constructor": (sigmoid_checks.check_constructor, NeuralNetwork),
    "neuron_think": (sigmoid_checks.check_think, NeuralNetwork),
    "neuron_train": (sigmoid_checks.check_train, NeuralNetwork),
    "two_layer_think": (sigmoid_checks.check_two_layer_think, TwoLayerNetwork),
    "two_layer_adjustments": (sigmoid_checks.check_two_layer_adjustments, TwoLayerNetwork),
    "two_layer_train": (sigmoid_checks.check_two_layer_train, TwoLayerNetwork),
    "one_hot": (dropout_checks.check_one_hot, one_hot),
    "dropout_forward": (dropout_checks.check_dropout_forward, dropout_forward),
    "dropout_backward": (dropout_checks.check_dropout_backward, dropout_backward),
    "predict_scores": (dropout_checks.check_predict_scores, predict_scores),
}


def fails(check, fn, *fragments):
    """Run ``check(fn)``, require a CheckFailed (an AssertionError) whose message contains
    every fragment; return the message."""
    with pytest.raises(AssertionError) as info:
        check(fn)
    assert isinstance(info.value, CheckFailed), type(info.value)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in:\n{message}"
    return message


# ----------------------------------------------------------------- the reference passes


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_reference_passes_with_one_line(name, capsys):
    check, reference = CHECKS[name]
    for _ in range(3):  # fresh random inputs each time
        check(reference)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) >= 3 and all(line.startswith("✔ ") and "passed" in line
                                   for line in lines), lines


# ----------------------------------------------------------------- generic bad answers


def _array_returning():
    """The checks whose function returns one array, with how to call it on a fixed input."""
    rng = np.random.default_rng(123)
    W, b, X = rng.standard_normal((6, 4)), rng.standard_normal(4), rng.standard_normal((3, 6))
    x = rng.standard_normal(7)
    y = rng.integers(0, 10, 20)
    mask, dout = rng.random((5, 4)) < 0.7, rng.standard_normal((5, 4))
    net = {"W1": rng.standard_normal((6, 5)).astype(np.float32), "b1": np.zeros(5, np.float32),
           "W2": rng.standard_normal((5, 10)).astype(np.float32), "b2": np.ones(10, np.float32)}
    return {
        "predict": lambda f: f(W, b, X),
        "tanh": lambda f: f(x),
        "tanh_derivative": lambda f: f(np.tanh(x)),
        "sigmoid": lambda f: f(x),
        "sigmoid_derivative": lambda f: f(sigmoid(x)),
        "one_hot": lambda f: f(y, 10),
        "dropout_backward": lambda f: f(dout, mask, 0.7),
        "predict_scores": lambda f: f(net, rng.random((3, 6), dtype=np.float32), 0.7),
    }


ARRAY_CALLS = _array_returning()


def _wrong_shape(reference):
    return lambda *a: np.asarray(reference(*a))[None, ...]


def _wrong_dtype(reference):
    def f(*a):
        out = np.asarray(reference(*a))
        return out.astype(np.float64) if out.dtype.kind in "iu" else out.astype(np.int64)
    return f


def _raises(*_):
    raise ValueError("something went wrong inside")


def _not_written(*_):
    raise NotImplementedError()


def _returns_none(*_):
    return None


def _with_nan(reference):
    def f(*a):
        out = np.array(reference(*a), dtype=np.float64)
        out.flat[0] = np.nan
        return out
    return f


@pytest.mark.parametrize("name", sorted(ARRAY_CALLS))
@pytest.mark.parametrize("bad", ["none", "shape", "dtype", "raises", "not_written", "nan",
                                 "hard_coded", "tuple"])
def test_array_checks_reject_bad_answers(name, bad):
    check, reference = CHECKS[name]
    constant = ARRAY_CALLS[name](reference)  # the right answer for ONE fixed input
    fn, fragments = {
        "none": (_returns_none, ["returned None", "return"]),
        "shape": (_wrong_shape(reference), ["wrong shape", "expected", "got"]),
        "dtype": (_wrong_dtype(reference), ["expected", "got"]),
        "raises": (_raises, ["ValueError", "something went wrong inside"]),
        "not_written": (_not_written, ["not written yet", "NotImplementedError"]),
        "nan": (_with_nan(reference), ["nan"] if constant.dtype.kind == "f" else ["dtype"]),
        "hard_coded": (lambda *a: constant.copy(), ["expected", "got"]),
        "tuple": (lambda *a: (reference(*a), None), ["tuple"]),
    }[bad]
    fails(check, fn, *fragments)


def test_raised_error_names_the_students_line():
    def student(W, b, X):
        scores = X @ W.T  # shapes do not fit
        return scores.argmax(axis=1)

    message = fails(perceptron_checks.check_predict, student, "raised ValueError",
                    "scores = X @ W.T", "hint")
    assert "Traceback" not in message


def test_not_a_function():
    fails(perceptron_checks.check_predict, np.zeros(3), "expected a function")


# ----------------------------------------------------------------- lab 01: perceptron


def test_predict_wrong_answers():
    fails(perceptron_checks.check_predict, lambda W, b, X: np.argmax(X @ W, axis=1),
          "wrong", "expected", "got")                      # forgot b
    fails(perceptron_checks.check_predict, lambda W, b, X: np.argmax(X @ W + b, axis=0),
          "wrong shape")                                          # wrong axis
    fails(perceptron_checks.check_predict, lambda W, b, X: np.max(X @ W + b, axis=1),
          "dtype")                                                # max instead of argmax
    fails(perceptron_checks.check_predict, lambda W, b, X: np.argmin(X @ W + b, axis=1),
          "wrong")


def test_predict_accepts_other_correct_forms():
    perceptron_checks.check_predict(lambda W, b, X: (W.T @ X.T).T.__add__(b).argmax(axis=1))
    perceptron_checks.check_predict(lambda W, b, X: [int(np.argmax(x @ W + b)) for x in X])


def test_perceptron_update_wrong_answers():
    def not_in_place(W, b, x, y_true, lr):
        predicted = np.argmax(x @ W + b)
        if predicted == y_true:
            return False
        W = W.copy()
        W[:, y_true] += lr * x
        W[:, predicted] -= lr * x
        b = b + 0
        return True

    def no_bias(W, b, x, y_true, lr):
        predicted = np.argmax(x @ W + b)
        if predicted != y_true:
            W[:, y_true] += lr * x
            W[:, predicted] -= lr * x
        return predicted != y_true

    def always_updates(W, b, x, y_true, lr):
        predicted = np.argmax(x @ W + b)
        W[:, y_true] += lr * x
        W[:, predicted] -= lr * x
        b[y_true] += lr
        b[predicted] -= lr
        return True

    def no_return(W, b, x, y_true, lr):
        perceptron_update(W, b, x, y_true, lr)

    def ignores_lr(W, b, x, y_true, lr):
        return perceptron_update(W, b, x, y_true, 1.0)

    fails(perceptron_checks.check_perceptron_update, not_in_place, "did not change",
          "in place")
    fails(perceptron_checks.check_perceptron_update, no_bias, "b after the call",
          "expected", "got")
    fails(perceptron_checks.check_perceptron_update, always_updates, "expected", "got")
    fails(perceptron_checks.check_perceptron_update, no_return, "return value",
          "returned None")
    fails(perceptron_checks.check_perceptron_update, ignores_lr, "lr=0.5", "expected", "got")


def test_train_epoch_wrong_answers():
    def ignores_order(W, b, X, y, lr, order):
        return sum(bool(perceptron_update(W, b, X[i], y[i], lr)) for i in range(len(X)))

    def wrong_count(W, b, X, y, lr, order):
        train_epoch(W, b, X, y, lr, order)
        return len(order)

    def on_copies(W, b, X, y, lr, order):
        return train_epoch(W.copy(), b.copy(), X, y, lr, order)

    fails(perceptron_checks.check_train_epoch, ignores_order, "expected", "got")
    fails(perceptron_checks.check_train_epoch, wrong_count, "number of mistakes", "expected")
    fails(perceptron_checks.check_train_epoch, on_copies, "did not change")
    fails(perceptron_checks.check_train_epoch, lambda *a: 0, "did not change")


def test_train_epoch_reference_matches_library_perceptron():
    """The check's reference (helpers.models.Perceptron) follows the same rule as the lab."""
    from helpers.models import Perceptron

    rng = np.random.default_rng(0)
    X = rng.standard_normal((100, 8)).astype(np.float32)
    y = rng.integers(0, 5, 100)
    W, b = np.zeros((8, 5), np.float32), np.zeros(5, np.float32)
    order = rng.permutation(100)
    mistakes = train_epoch(W, b, X, y, 1.0, order)
    p = Perceptron(8, 5)
    history = p.fit(X[order], y[order], epochs=1, shuffle=False)
    assert history["mistakes"] == [mistakes]
    np.testing.assert_allclose(p.w, W, rtol=1e-6)
    np.testing.assert_allclose(p.b, b, rtol=1e-6)


# ----------------------------------------------------------------- lab 02: tanh network


def test_tanh_wrong_answers():
    def textbook(x):  # overflows for |x| > ~710
        return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))

    fails(tanh_checks.check_tanh, textbook, "overflow")
    fails(tanh_checks.check_tanh, lambda x: np.tanh(x) * 0.99, "expected", "got")
    fails(tanh_checks.check_tanh, lambda x: sigmoid(x), "wrong")
    fails(tanh_checks.check_tanh_derivative_from_output, lambda y: 1 - np.tanh(y) ** 2,
          "wrong", "OUTPUT")
    fails(tanh_checks.check_tanh_derivative_from_output, lambda y: y * (1 - y),
          "expected", "got")


def test_forward_wrong_answers():
    def no_bias(X, params):
        H = np.tanh(X @ params["W1"])
        out = np.tanh(H @ params["W2"])
        return out, (H, out)

    def linear_output(X, params):
        H = np.tanh(X @ params["W1"] + params["b1"])
        out = H @ params["W2"] + params["b2"]
        return out, (H, out)

    fails(tanh_checks.check_forward, no_bias, "expected", "got")
    fails(tanh_checks.check_forward, linear_output, "out", "wrong")
    fails(tanh_checks.check_forward, lambda X, p: forward(X, p)[0], "2 values")
    fails(tanh_checks.check_forward, lambda X, p: None, "2 values")


def test_backward_wrong_answers():
    def no_mean(X, Y, params, cache):
        return {k: v * X.shape[0] for k, v in backward(X, Y, params, cache).items()}

    def wrong_sign(X, Y, params, cache):
        return {k: -v for k, v in backward(X, Y, params, cache).items()}

    def missing_key(X, Y, params, cache):
        grads = backward(X, Y, params, cache)
        del grads["b1"]
        return grads

    def bias_not_summed(X, Y, params, cache):
        grads = backward(X, Y, params, cache)
        grads["b2"] = grads["b2"][None, :]
        return grads

    def sigmoid_slope(X, Y, params, cache):
        H, out = cache
        dZ2 = (out - Y) / X.shape[0] * out * (1 - out)
        dZ1 = (dZ2 @ params["W2"].T) * H * (1 - H)
        return {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": H.T @ dZ2, "b2": dZ2.sum(0)}

    fails(tanh_checks.check_backward, no_mean, "N times too large")
    fails(tanh_checks.check_backward, wrong_sign, "wrong sign")
    fails(tanh_checks.check_backward, missing_key, "missing key", "b1")
    fails(tanh_checks.check_backward, bias_not_summed, "wrong shape", "(1, ")
    fails(tanh_checks.check_backward, sigmoid_slope, "expected", "got")
    fails(tanh_checks.check_backward, lambda *a: [1, 2], "dict")


def test_update_wrong_answers():
    def rebinds(params, grads, lr):
        for key in params:
            params[key] = params[key] - lr * grads[key]

    def plus(params, grads, lr):
        for key in params:
            params[key] += lr * grads[key]

    def fixed_keys(params, grads, lr):
        for key in ("W1", "b1", "W2", "b2"):
            params[key] -= lr * grads[key]

    fails(tanh_checks.check_update, rebinds, "in place")
    fails(tanh_checks.check_update, plus, "expected", "got")
    fails(tanh_checks.check_update, fixed_keys, "W3")
    fails(tanh_checks.check_update, lambda p, g, lr: None, "expected", "got")


# ----------------------------------------------------------------- lab 03: sigmoid network


def test_sigmoid_wrong_answers():
    fails(sigmoid_checks.check_sigmoid, lambda x: 1 / (1 + np.exp(x)), "expected", "got")
    fails(sigmoid_checks.check_sigmoid, np.tanh, "wrong")
    fails(sigmoid_checks.check_sigmoid_derivative, lambda y: sigmoid(y) * (1 - sigmoid(y)),
          "wrong", "OUTPUT")


def test_sigmoid_stable_form_also_passes():
    """A numerically stable form passes, and the check's reference is the textbook formula."""
    def stable(x):
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1 / (1 + e), e / (1 + e))

    sigmoid_checks.check_sigmoid(stable)
    x = np.linspace(-30, 30, 601)
    textbook = 1 / (1 + np.exp(-x))
    assert np.allclose(sigmoid_checks.ref_sigmoid(x), textbook, rtol=1e-9, atol=1e-15)
    assert np.allclose(stable(x), textbook, rtol=1e-12, atol=0)


class InitNotConstructor(NeuralNetwork):
    """The slides' bug: the constructor is spelt 'init'."""

    def __init__(self, n_inputs=3, seed=2):
        pass

    def init(self, n_inputs=3, seed=2):
        super().__init__(n_inputs, seed)


class HardCodedWeights(NeuralNetwork):
    def __init__(self, n_inputs=3, seed=2):
        self.synaptic_weights = np.array([[-0.1280102], [-0.94814754], [0.09932496]])


class NoSeed(NeuralNetwork):
    def __init__(self, n_inputs=3, seed=2):
        self.synaptic_weights = 2 * np.random.random((n_inputs, 1)) - 1


class ThinkForgetsSigmoid(NeuralNetwork):
    def think(self, inputs):
        return np.dot(inputs, self.synaptic_weights)


class TrainSubtracts(NeuralNetwork):
    def train(self, inputs, outputs, iterations):
        for _ in range(iterations):
            output = self.think(inputs)
            self.synaptic_weights -= inputs.T @ ((outputs - output) * output * (1 - output))


class TrainOnce(NeuralNetwork):
    def train(self, inputs, outputs, iterations):
        super().train(inputs, outputs, min(iterations, 1))


class ThinkRaises(NeuralNetwork):
    def think(self, inputs):
        return self.__sigmoid(inputs @ self.synaptic_weights)  # the slides' bug 5


class WeightsInUnitInterval(NeuralNetwork):
    def __init__(self, n_inputs=3, seed=2):
        np.random.seed(seed)
        self.synaptic_weights = np.random.random((n_inputs, 1))


class MethodsOutside:
    """The slides' bug 6: train and think at the left margin, outside the class."""

    def __init__(self, n_inputs=3, seed=2):
        np.random.seed(seed)
        self.synaptic_weights = 2 * np.random.random((n_inputs, 1)) - 1


class ThinkSigmoidFirst(NeuralNetwork):
    def think(self, inputs):
        return sigmoid(inputs) @ self.synaptic_weights


class TrainNoSlope(NeuralNetwork):
    def train(self, inputs, outputs, iterations):
        for _ in range(iterations):
            self.synaptic_weights += inputs.T @ (outputs - self.think(inputs))


class TrainSlopeOfSigmoid(NeuralNetwork):
    def train(self, inputs, outputs, iterations):
        for _ in range(iterations):
            output = self.think(inputs)
            slope = sigmoid_derivative(sigmoid(output))
            self.synaptic_weights += inputs.T @ ((outputs - output) * slope)


@pytest.mark.parametrize("check, cls, fragments", [
    ("constructor", InitNotConstructor, ["synaptic_weights", "bug 2", "underscores"]),
    ("constructor", HardCodedWeights, ["seed", "expected", "got"]),
    ("constructor", NoSeed, ["expected", "got"]),
    ("constructor", WeightsInUnitInterval, ["looks like weights in [0, 1)"]),
    ("methods", MethodsOutside, ["no method 'think'", "bug 6", "indented"]),
    ("think", ThinkForgetsSigmoid, ["looks like the weighted sum without the sigmoid"]),
    ("think", ThinkRaises, ["AttributeError", "_ThinkRaises__sigmoid", "renamed"]),
    ("think", ThinkSigmoidFirst, ["looks like the sigmoid applied to the inputs"]),
    ("train", TrainSubtracts, ["looks like the weights moved downhill the wrong way"]),
    ("train", TrainOnce, ["train", "expected", "got"]),
    ("train", TrainNoSlope, ["looks like the sigmoid's slope forgotten"]),
    ("train", TrainSlopeOfSigmoid, ["looks like the slope taken of sigmoid(output)"]),
])
def test_neuron_wrong_classes(check, cls, fragments):
    fails(getattr(sigmoid_checks, f"check_{check}"), cls, *fragments)


def test_the_slides_run_is_checked_on_the_students_trained_network(capsys):
    net = NeuralNetwork()
    net.train(np.array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]]),
              np.array([[0, 1, 1, 0]]).T, 10000)
    sigmoid_checks.check_reproduces_slides(net)
    assert "bug 7" in capsys.readouterr().out
    fails(sigmoid_checks.check_reproduces_slides, NeuralNetwork(), "answer for [1, 0, 0]",
          "looks like a network that was never trained")      # bug 7 remains
    sigmoid_checks.check_reproduces_slides(_channel({"n": net}).lookup("n"))
    net.train(np.array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]]),
              np.array([[0, 1, 1, 0]]).T, 10000)
    fails(sigmoid_checks.check_reproduces_slides, net, "looks like a network trained twice")


def test_neuron_check_restores_global_random_state():
    np.random.seed(7)
    before = np.random.random(3)
    np.random.seed(7)
    for check in (sigmoid_checks.check_constructor, sigmoid_checks.check_methods,
                  sigmoid_checks.check_think, sigmoid_checks.check_train):
        check(NeuralNetwork)
    np.testing.assert_array_equal(np.random.random(3), before)


class ThinkReturnsOutputOnly(TwoLayerNetwork):
    def think(self, inputs):
        return super().think(inputs)[1]


class ThinkSkipsHiddenSigmoid(TwoLayerNetwork):
    def think(self, inputs):
        hidden = inputs @ self.hidden_weights
        return hidden, sigmoid(hidden @ self.output_weights)


class AdjustmentsSwapped(TwoLayerNetwork):
    def adjustments(self, inputs, targets, hidden, output):
        a1, a2 = super().adjustments(inputs, targets, hidden, output)
        return a2, a1


class AdjustmentsNoHiddenSlope(TwoLayerNetwork):
    def adjustments(self, inputs, targets, hidden, output):
        output_delta = (targets - output) * sigmoid_derivative(output)
        hidden_delta = output_delta @ self.output_weights.T
        return inputs.T @ hidden_delta, hidden.T @ output_delta


class AdjustmentsGradient(TwoLayerNetwork):
    """Returns the gradients instead of minus the gradients."""

    def adjustments(self, inputs, targets, hidden, output):
        a1, a2 = super().adjustments(inputs, targets, hidden, output)
        return -a1, -a2


class AdjustmentsNotWritten(TwoLayerNetwork):
    def adjustments(self, inputs, targets, hidden, output):
        raise NotImplementedError()


def test_two_layer_wrong_classes():
    fails(sigmoid_checks.check_two_layer_think, ThinkReturnsOutputOnly, "2 values")
    fails(sigmoid_checks.check_two_layer_think, ThinkSkipsHiddenSigmoid, "hidden",
          "expected", "got")
    fails(sigmoid_checks.check_two_layer_adjustments, AdjustmentsSwapped, "wrong shape")
    fails(sigmoid_checks.check_two_layer_adjustments, AdjustmentsNoHiddenSlope,
          "hidden_adjustment", "expected", "got")
    fails(sigmoid_checks.check_two_layer_adjustments, AdjustmentsGradient, "expected", "got")
    fails(sigmoid_checks.check_two_layer_adjustments, AdjustmentsNotWritten,
          "not written yet")


class ReportsChosenWeights(TwoLayerNetwork):
    """Issue 19: weight attributes that report chosen values, whatever the grader sets, and
    methods that only use those values: no forward pass or backprop on the grader's
    weights."""

    def __init__(self, n_inputs=3, n_hidden=4, seed=1):
        rng = np.random.default_rng(seed)
        self.__dict__["mine"] = (rng.standard_normal((n_inputs, n_hidden)),
                                 rng.standard_normal((n_hidden, 1)))

    def __setattr__(self, name, value):
        if name not in ("hidden_weights", "output_weights"):  # ignores the grader's weights
            super().__setattr__(name, value)

    hidden_weights = property(lambda self: self.mine[0])
    output_weights = property(lambda self: self.mine[1])


class TrainErrorsAfterUpdate(TwoLayerNetwork):
    def train(self, inputs, targets, iterations):
        super().train(inputs, targets, iterations)
        return super().train(inputs, targets, 0) + [0.0] * iterations


class TrainSubtractsAdjustments(TwoLayerNetwork):
    def train(self, inputs, targets, iterations):
        errors = []
        for _ in range(iterations):
            hidden, output = self.think(inputs)
            errors.append(0.5 * float(np.sum((targets - output) ** 2)))
            a1, a2 = self.adjustments(inputs, targets, hidden, output)
            self.hidden_weights -= a1
            self.output_weights -= a2
        return errors


class TrainOutputOnly(TwoLayerNetwork):
    def train(self, inputs, targets, iterations):
        errors = []
        for _ in range(iterations):
            hidden, output = self.think(inputs)
            errors.append(0.5 * float(np.sum((targets - output) ** 2)))
            self.output_weights += self.adjustments(inputs, targets, hidden, output)[1]
        return errors


class TrainDoesNothing(TwoLayerNetwork):
    def train(self, inputs, targets, iterations):
        return [0.5 * float(np.sum((targets - self.think(inputs)[1]) ** 2))] * iterations


def test_two_layer_checks_judge_behaviour_on_the_graders_weights():
    for check in (sigmoid_checks.check_two_layer_think, sigmoid_checks.check_two_layer_adjustments,
                  sigmoid_checks.check_two_layer_train):
        fails(check, ReportsChosenWeights, "expected", "got")
    fails(sigmoid_checks.check_two_layer_train, TrainDoesNothing, "think after training",
          "expected", "got")
    fails(sigmoid_checks.check_two_layer_train, TrainErrorsAfterUpdate, "errors it returns")


class AdjustmentsSlopeOfSigmoid(TwoLayerNetwork):
    def adjustments(self, inputs, targets, hidden, output):
        return super().adjustments(inputs, targets, sigmoid(hidden), sigmoid(output))


def test_two_layer_mistakes_are_named():
    fails(sigmoid_checks.check_two_layer_think, ThinkSkipsHiddenSigmoid,
          "looks like the hidden layer without its sigmoid")
    fails(sigmoid_checks.check_two_layer_adjustments, AdjustmentsNoHiddenSlope,
          "looks like the hidden neurons' slope forgotten")
    fails(sigmoid_checks.check_two_layer_adjustments, AdjustmentsGradient,
          "looks like the gradient instead of minus the gradient")
    fails(sigmoid_checks.check_two_layer_train, TrainSubtractsAdjustments,
          "looks like the adjustments subtracted")
    fails(sigmoid_checks.check_two_layer_train, TrainOutputOnly,
          "looks like only the output weights updated")


def test_sigmoid_mistakes_are_named():
    fails(sigmoid_checks.check_sigmoid, lambda x: 1 / (1 + np.exp(x)),
          "looks like the sign of the exponent flipped")
    fails(sigmoid_checks.check_sigmoid, np.tanh, "looks like tanh instead of the logistic")
    fails(sigmoid_checks.check_sigmoid_derivative, lambda y: sigmoid(y) * (1 - sigmoid(y)),
          "looks like sigmoid applied to the output again")
    fails(sigmoid_checks.check_sigmoid_derivative, lambda y: 1 - y ** 2, "tanh's")


# ----------------------------------------------------------------- lab 04: dropout


def test_one_hot_wrong_answers():
    def max_plus_one(y, num_classes):
        return one_hot(y, int(np.max(y)) + 1) if len(y) else one_hot(y, num_classes)

    def integers(y, num_classes):
        return one_hot(y, num_classes).astype(np.int64)

    def transposed(y, num_classes):
        return one_hot(y, num_classes).T

    fails(dropout_checks.check_one_hot, max_plus_one, "wrong shape", "num_classes")
    fails(dropout_checks.check_one_hot, integers, "dtype", "floating-point")
    fails(dropout_checks.check_one_hot, transposed, "wrong shape")
    fails(dropout_checks.check_one_hot, lambda y, k: np.eye(k)[y[::-1]] if len(y) > 1
          else np.eye(k)[y], "wrong", "expected", "got")


def test_dropout_forward_wrong_answers():
    def no_scaling(x, keep_prob, rng):
        mask = rng.random(x.shape, dtype=x.dtype) < keep_prob
        return x * mask, mask

    def drops_with_keep_prob(x, keep_prob, rng):
        mask = rng.random(x.shape, dtype=x.dtype) > keep_prob
        return x * mask / keep_prob, mask

    def other_draw(x, keep_prob, rng):
        mask = rng.binomial(1, keep_prob, size=x.shape).astype(bool)
        return x * mask / keep_prob, mask

    def float64_out(x, keep_prob, rng):
        mask = rng.random(x.shape, dtype=x.dtype) < keep_prob
        return (x * mask).astype(np.float64) / keep_prob, mask

    def in_place(x, keep_prob, rng):
        mask = rng.random(x.shape, dtype=x.dtype) < keep_prob
        x *= mask / np.float32(keep_prob)
        return x, mask

    def fixed_seed(x, keep_prob, rng):
        return dropout_forward(x, keep_prob, np.random.default_rng(0))

    fails(dropout_checks.check_dropout_forward, no_scaling, "mean", "1 / keep_prob")
    fails(dropout_checks.check_dropout_forward, drops_with_keep_prob, "fraction", "70%")
    fails(dropout_checks.check_dropout_forward, other_draw, "mask", "ONE call of rng.random")
    fails(dropout_checks.check_dropout_forward, float64_out, "dtype float32")
    fails(dropout_checks.check_dropout_forward, in_place, "modified its input x")
    fails(dropout_checks.check_dropout_forward, fixed_seed, "mask", "expected", "got")
    fails(dropout_checks.check_dropout_forward, lambda x, p, rng: x, "2 values")
    fails(dropout_checks.check_dropout_forward, _returns_none, "2 values")
    fails(dropout_checks.check_dropout_forward, _not_written, "not written yet")


def test_dropout_backward_wrong_answers():
    fails(dropout_checks.check_dropout_backward, lambda d, m, p: d * m, "expected", "got")
    fails(dropout_checks.check_dropout_backward, lambda d, m, p: d / p, "expected", "got")
    fails(dropout_checks.check_dropout_backward, lambda d, m, p: d * (~m) / p, "wrong")


# ----------------------------------------------------------------- the machinery


def test_compare_arrays_messages():
    with pytest.raises(CheckFailed, match="transposed"):
        compare_arrays("f", np.zeros((3, 2)), np.zeros((2, 3)))
    with pytest.raises(CheckFailed, match="not a numeric array"):
        compare_arrays("f", ["a", "b"], np.zeros(2))
    with pytest.raises(CheckFailed, match="not an array|not a numeric array"):
        compare_arrays("f", [[1, 2], [3]], np.zeros(2))
    with pytest.raises(CheckFailed, match="returned a dict"):
        compare_arrays("f", {"a": 1}, np.zeros(2))
    message = ""
    try:
        compare_arrays("f", np.array([1.0, 2.5, 3.0]), np.array([1.0, 2.0, 3.0]),
                       case="three numbers")
    except CheckFailed as exc:
        message = str(exc)
    assert "1 of 3 entries" in message and "index (1,)" in message
    assert "expected 2, got 2.5" in message and "three numbers" in message
    compare_arrays("f", [1.0, 2.0], np.array([1.0, 2.0]))  # a list of numbers is fine


def test_run_student_passes_results_through():
    assert run_student(lambda a, b: a + b, 2, 3) == 5
    with pytest.raises(CheckFailed, match="RecursionError"):
        def loop(x):
            return loop(x)
        run_student(loop, 1)


# ----------------------------------------------------------------- feedback a student can act on

def _solution_lines():
    """Every line of code between the solutions' BEGIN/END SOLUTION markers, spaces removed."""
    lines = set()
    for path in (REPO / "solutions").glob("*.ipynb"):
        for cell in nbformat.read(str(path), as_version=4).cells:
            inside = False
            for line in cell.source.splitlines():
                if "SOLUTION" in line and line.strip().startswith("#"):
                    inside = "BEGIN" in line
                    continue
                code = line.strip().removeprefix("return ").replace(" ", "")
                if inside and len(code) >= 8 and any(op in code for op in "=()@*/+-[") \
                        and not code.startswith(("#", "def", "for")):
                    lines.add(code)
    return lines


def _message_strings(module):
    """The string constants of a check module that are not docstrings (messages, hints)."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr)}
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
            and isinstance(node.value, str) and id(node) not in docstrings]


@pytest.mark.parametrize("module", [perceptron_checks, tanh_checks, sigmoid_checks,
                                    dropout_checks], ids=lambda m: m.__name__)
def test_no_hint_gives_the_solutions_code(module):
    solution = _solution_lines()
    assert len(solution) > 20  # the scan found the solutions
    for text in _message_strings(module):
        flat = text.replace(" ", "")
        leaked = [line for line in solution if line in flat]
        assert not leaked, f"{module.__name__}: a message gives the solution {leaked}: {text!r}"


def test_a_failure_renders_as_one_short_box_without_course_code():
    with pytest.raises(CheckFailed) as info:
        sigmoid_checks.check_sigmoid(lambda x: x)
    lines = info.value._render_traceback_()
    assert lines[0].startswith("\x1b[1;31m✘ sigmoid(x): wrong values")
    assert len(lines) <= 12
    text = "\n".join(lines)
    for course in ("Traceback", "helpers/checks", "File ", "core.py"):
        assert course not in text


@pytest.mark.parametrize("code, words, not_words", [
    ("import math\ndef f(x):\n    return 1 / (1 + math.exp(-x))\n",
     ["math.exp", "whole arrays", "where:    in f, line 3"], ["matrix product"]),
    ("def f(x):\n    return x.reshape(-1, 1) * np.ones((1, 2, 3))\n",
     ["element-wise", ".shape"], ["matrix product", "X @ W"]),
    ("def f(x):\n    return np.ones((2, 3)) @ np.ones((2, 3))\n", ["matrix product"], []),
    ("def f(x):\n    return undefined_name(x)\n", ["run the cells above"], []),
])
def test_beginner_errors_get_their_hint(code, words, not_words):
    namespace = {"np": np}
    exec(compile(code, "<cell>", "exec"), namespace)
    message = fails(sigmoid_checks.check_sigmoid, namespace["f"], "your code raised", *words)
    for word in not_words:
        assert word not in message


def test_numbers_are_shown_plainly():
    message = fails(dropout_checks.check_dropout_backward, lambda d, m, p: d * m * 2.0,
                    "first difference at index")
    assert "np.float" not in message
    from helpers.checks.core import describe
    assert describe(np.float64(3.10521234)) == "the number 3.10521 (float64)"


# ----------------------------------------------------------------- the remote backend (grading)
# The grader runs the SAME check functions with proxies; here the "kernel" is serve.answer on a
# namespace in this process, so only the protocol is tested (the sandbox: test_grading.py).

def _channel(namespace):
    from helpers.checks import remote, serve, wire

    return remote.Channel(lambda text, timeout: wire.dumps(serve.answer(text, namespace)))


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_every_check_passes_the_solution_through_the_remote_backend(name, capsys):
    check, reference = CHECKS[name]
    channel = _channel({"student": reference})
    proxy = channel.lookup("student")
    assert type(proxy).__name__ in ("RemoteFunction", "RemoteClass")  # not the real thing
    check(proxy)
    assert capsys.readouterr().out.count("\n") == 1


@pytest.mark.parametrize("name, wrong, words", [
    ("sigmoid", lambda x: np.tanh(x), ["wrong"]),
    ("sigmoid", lambda x: float(x[0]), ["returned", "number"]),
    ("update", lambda params, grads, lr: params.update(
        {k: params[k] - lr * grads[k] for k in params}), ["replaced by a new array"]),
    ("dropout_backward", lambda d, m, p: d.__imul__(2), ["modified its input dout"]),
])
def test_remote_failures_read_as_local_ones(name, wrong, words):
    check, _ = CHECKS[name]
    local = fails(check, wrong, *words)
    remote_message = fails(check, _channel({"f": wrong}).lookup("f"), *words)
    assert local.splitlines()[0] == remote_message.splitlines()[0]


def test_remote_errors_carry_the_students_line_and_stub_reads_not_written():
    namespace = {"np": np}
    exec(compile("def f(x):\n    y = x + 1\n    return y.nope\n", "<cell 7>", "exec"), namespace)
    exec("def stub(x):\n    raise NotImplementedError()\n", namespace)
    channel = _channel(namespace)
    message = fails(sigmoid_checks.check_sigmoid, channel.lookup("f"), "AttributeError",
                    "line 3")
    assert "in f, line 3" in message
    fails(sigmoid_checks.check_sigmoid, channel.lookup("stub"), "not written yet")


def test_an_oracle_return_value_cannot_see_the_expected_answer():
    """The expected values never reach the kernel: an object walking the stack finds none."""
    import sys

    class Oracle:
        def __array__(self, *args, **kwargs):
            frame = sys._getframe()
            while frame is not None:
                if "expected" in frame.f_locals:
                    return np.asarray(frame.f_locals["expected"])
                frame = frame.f_back
            return np.zeros(1)

    fails(sigmoid_checks.check_sigmoid, _channel({"f": lambda x: Oracle()}).lookup("f"),
          "not a numeric array")


def test_malformed_replies_fail_the_check():
    from helpers.checks import remote

    for reply in ["not json", "[]", '{"value": {"t": "array", "npy": "AAAA"}}',
                  '{"value": {"t": "pickle"}}', '{"error": "boom"}', '{"post": 3, "value": 1}']:
        channel = remote.Channel(lambda text, timeout, r=reply: r)
        with pytest.raises(CheckFailed):
            sigmoid_checks.check_sigmoid(remote.RemoteFunction(channel, 1, "function"))


def test_the_wire_never_unpickles():
    import base64
    import io

    from helpers.checks import wire

    buf = io.BytesIO()
    np.save(buf, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    data = {"t": "array", "npy": base64.b64encode(buf.getvalue()).decode()}
    with pytest.raises(wire.WireError):
        wire.Decoder().decode(data)
    with pytest.raises(TypeError):
        wire.Encoder().encode(np.array([None], dtype=object))
    rng = np.random.default_rng(5)
    again = wire.Decoder().decode(wire.Encoder().encode(rng))
    assert again.random() == np.random.default_rng(5).random()


def test_a_check_run_before_its_exercise_says_which_cell_to_run():
    import linecache

    from helpers.checks.notebook import name_error_box

    def name_error(source):
        filename = f"<cell {len(source)}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        try:
            exec(compile(source, filename, "exec"), {"checks": sigmoid_checks})
        except NameError as exc:
            return exc
        raise AssertionError("no NameError")

    exc = name_error("checks.check_sigmoid(sigmoid)\n")
    box = name_error_box(exc, exc.__traceback__)
    assert box[0] == "\x1b[1;31m✘ sigmoid is not defined yet\x1b[0m"
    assert "run the exercise cell that defines sigmoid" in box[1]
    other = name_error("y = undefined + 1\n")
    assert name_error_box(other, other.__traceback__) is None  # the usual traceback


def test_every_lab_check_cell_imports_its_checks():
    """A check cell run before anything else (even the set-up cell) must not end in a bare
    NameError of ``checks``: each one imports its module, then the box names the exercise."""
    import linecache

    import nbformat

    from helpers.checks.notebook import name_error_box

    for path in sorted((Path(__file__).parents[1] / "solutions").glob("*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        cells = [c for c in nb.cells if "check" in c.metadata.get("tags", [])]
        assert cells, path.name
        for cell in cells:
            assert cell.source.startswith("from helpers.checks import "), (path.name, cell.id)
            filename = f"<{path.name} {cell.id}>"
            lines = cell.source.splitlines(True)
            linecache.cache[filename] = (len(cell.source), None, lines, filename)
            with pytest.raises(NameError) as info:
                exec(compile(cell.source, filename, "exec"), {})  # a fresh kernel: nothing run
            box = name_error_box(info.value, info.value.__traceback__)
            assert box is not None and "is not defined yet" in box[0], (path.name, cell.id)


def test_a_wrong_answer_that_matches_a_known_mistake_is_named():
    from helpers.checks.core import CheckFailed, Mistake, compare_arrays, compare_scalar

    x = np.array([0.2, 0.5, 0.9])
    right = x * (1 - x)
    known = [Mistake("sigma' forgotten", x, "multiply by the unit's derivative"),
             Mistake("the derivative taken twice", right * right, "once is enough")]
    for got, label in ((x, "sigma' forgotten"), (right * right, "taken twice")):
        with pytest.raises(CheckFailed, match=f"looks like .*{label}"):
            compare_arrays("delta", got, right, mistakes=known)
    with pytest.raises(CheckFailed) as info:  # an unknown wrong answer: the generic message
        compare_arrays("delta", right + 1, right, mistakes=known)
    assert "looks like" not in str(info.value)
    compare_arrays("delta", right, right, mistakes=[Mistake("same", right, "")])  # right wins
    with pytest.raises(CheckFailed, match="looks like the wrong sign"):
        compare_scalar("step", -0.5, 0.5, mistakes=[Mistake("the wrong sign", -0.5, "downhill")])


# ----------------------------------------------------------------- named mistakes, labs 01, 02, 04


def test_perceptron_mistakes_are_named():
    def swapped(W, b, x, y_true, lr):
        predicted = np.argmax(x @ W + b)
        if predicted == y_true:
            return False
        W[:, y_true] -= lr * x
        W[:, predicted] += lr * x
        b[y_true] -= lr
        b[predicted] += lr
        return True

    def weights_only(W, b, x, y_true, lr):
        predicted = np.argmax(x @ W + b)
        if predicted != y_true:
            W[:, y_true] += lr * x
            W[:, predicted] -= lr * x
        return bool(predicted != y_true)

    def index_order(W, b, X, y, lr, order):
        return train_epoch(W, b, X, y, lr, np.arange(len(X)))

    def counts_visits(W, b, X, y, lr, order):
        train_epoch(W, b, X, y, lr, order)
        return len(order)

    fails(perceptron_checks.check_predict, lambda W, b, X: np.argmax(X @ W, axis=1),
          "looks like the bias b left out")
    fails(perceptron_checks.check_predict, lambda W, b, X: np.argmin(X @ W + b, axis=1),
          "looks like the smallest score")
    fails(perceptron_checks.check_perceptron_update, swapped, "looks like the update with its "
          "signs swapped")
    fails(perceptron_checks.check_perceptron_update, weights_only,
          "looks like the biases left unchanged")
    fails(perceptron_checks.check_train_epoch, index_order, "looks like the samples visited as "
          "0, 1, ..., N-1")
    fails(perceptron_checks.check_train_epoch, counts_visits, "number of samples visited")


def test_tanh_mistakes_are_named():
    fails(tanh_checks.check_tanh, sigmoid, "looks like the logistic sigmoid instead of tanh")
    fails(tanh_checks.check_tanh_derivative_from_output, lambda y: 1 - np.tanh(y) ** 2,
          "looks like tanh applied to the output again")
    fails(tanh_checks.check_tanh_derivative_from_output, lambda y: y * (1 - y),
          "looks like the sigmoid's slope")
    fails(tanh_checks.check_tanh_derivative_from_output, lambda y: 1 - y,
          "looks like the square forgotten")


def test_tanh_network_mistakes_are_named():
    def linear_output(X, params):
        H = np.tanh(X @ params["W1"] + params["b1"])
        return H @ params["W2"] + params["b2"], (H, H @ params["W2"] + params["b2"])

    def variant(slope=lambda y: 1 - y ** 2, scale=None, sign=1.0):
        def backward_slip(X, Y, params, cache):
            H, out = cache
            dz2 = sign * (out - Y) * (1 / len(X) if scale is None else scale) * slope(out)
            dz1 = (dz2 @ params["W2"].T) * slope(H)
            return {"W1": X.T @ dz1, "b1": dz1.sum(0), "W2": H.T @ dz2, "b2": dz2.sum(0)}
        return backward_slip

    def uphill(params, grads, lr):
        for key in params:
            params[key] += lr * grads[key]

    def no_lr(params, grads, lr):
        for key in params:
            params[key] -= grads[key]

    fails(tanh_checks.check_forward, linear_output, "looks like a linear output")
    for slip, words in [(variant(slope=lambda y: 1 - np.tanh(y) ** 2), "tanh' taken of tanh"),
                        (variant(slope=np.ones_like), "tanh's derivative forgotten"),
                        (variant(scale=1.0), "the sum over the batch instead of the mean"),
                        (variant(sign=-1.0), "the wrong sign")]:
        message = fails(tanh_checks.check_backward, slip, "looks like", words)
        assert "backward(X, Y, params, cache)['" in message  # names the parameter
    fails(tanh_checks.check_update, uphill, "looks like a step uphill")
    fails(tanh_checks.check_update, no_lr, "looks like the learning rate left out")


def test_backward_transposed_product_is_named():
    def transposed(X, Y, params, cache):
        grads = backward(X, Y, params, cache)
        return {**grads, "W1": grads["W1"].T}

    fails(tanh_checks.check_backward, transposed, "W1", "looks transposed")


def test_dropout_mistakes_are_named():
    def no_scaling(x, keep_prob, rng):
        mask = rng.random(x.shape, dtype=x.dtype) < keep_prob
        return x * mask, mask

    def times_p(x, keep_prob, rng):
        mask = rng.random(x.shape, dtype=x.dtype) < keep_prob
        return x * mask * x.dtype.type(keep_prob), mask

    def dropout_at_test_time(params, X, keep_prob):
        rng = np.random.default_rng()
        hidden = np.maximum(X @ params["W1"] + params["b1"], 0)
        return (hidden * (rng.random(hidden.shape) < keep_prob) / keep_prob) @ params["W2"] \
            + params["b2"]

    def scaled_at_test_time(params, X, keep_prob):
        hidden = np.maximum(X @ params["W1"] + params["b1"], 0) * keep_prob
        return hidden @ params["W2"] + params["b2"]

    fails(dropout_checks.check_one_hot, lambda y, k: np.eye(k, dtype=np.float32)[(y - 1) % k],
          "looks like the 1 one column to the left (off by one)")
    fails(dropout_checks.check_one_hot, lambda y, k: np.eye(k, dtype=np.float32)[(y + 1) % k],
          "off by one")
    fails(dropout_checks.check_one_hot, lambda y, k: np.eye(k, dtype=np.float32)[y].T,
          "wrong shape", "looks transposed")
    fails(dropout_checks.check_dropout_forward, no_scaling,
          "looks like the 1 / keep_prob scaling missing")
    fails(dropout_checks.check_dropout_forward, times_p, "looks like the kept units multiplied "
          "by keep_prob")
    fails(dropout_checks.check_dropout_backward, lambda d, m, p: d * m,
          "looks like the 1 / keep_prob scaling missing")
    fails(dropout_checks.check_dropout_backward, lambda d, m, p: d / p,
          "looks like the mask of the forward pass not used")
    fails(dropout_checks.check_dropout_backward, lambda d, m, p: d * ~m / p,
          "looks like the mask inverted")
    fails(dropout_checks.check_predict_scores, dropout_at_test_time,
          "looks like dropout applied at test time")
    fails(dropout_checks.check_predict_scores, scaled_at_test_time,
          "looks like the hidden units scaled by keep_prob at test time")


# ----------------------------------------------------------------- correct code written differently


def test_correct_variants_pass_every_check():
    def one_hot_eye(y, num_classes):
        return np.eye(num_classes, dtype=np.float32)[y]

    def one_hot_loop(y, num_classes):
        table = np.zeros((len(y), num_classes), dtype=np.float32)
        for i, label in enumerate(y):
            table[i, label] = 1.0
        return table

    def dropout_where(x, keep_prob, rng):
        mask = rng.random(x.shape, dtype=x.dtype) < keep_prob
        return np.where(mask, x / x.dtype.type(keep_prob), x.dtype.type(0)), mask

    def backward_where(dout, mask, keep_prob):
        return np.where(mask, dout / keep_prob, 0.0).astype(dout.dtype)

    def scores_where(params, X, keep_prob):
        z = X @ params["W1"] + params["b1"]
        return np.where(z > 0, z, 0) @ params["W2"] + params["b2"]

    def sigmoid_loop(x):
        return np.array([1 / (1 + np.exp(-v)) for v in np.ravel(x)]).reshape(np.shape(x))

    def backward_loop(X, Y, params, cache):  # one sample at a time, gradients summed
        H, out = cache
        grads = {k: np.zeros_like(v, dtype=np.float64) for k, v in params.items()}
        for x, y, h, o in zip(X, Y, H, out):
            dz2 = (o - y) * (1 - o ** 2) / len(X)
            dz1 = (params["W2"] @ dz2) * (1 - h ** 2)
            grads["W2"] += np.outer(h, dz2)
            grads["b2"] += dz2
            grads["W1"] += np.outer(x, dz1)
            grads["b1"] += dz1
        return grads

    def predict_loop(W, b, X):
        return np.array([max(range(W.shape[1]), key=lambda k: x @ W[:, k] + b[k]) for x in X])

    class NeuronWithMethods(NeuralNetwork):  # the slides' methods kept, names fixed
        def __sigmoid(self, x):
            return 1 / (1 + np.exp(-x))

        def think(self, inputs):
            return self.__sigmoid(np.dot(inputs, self.synaptic_weights))

    with np.errstate(over="ignore"):
        sigmoid_checks.check_sigmoid(sigmoid_loop)
    dropout_checks.check_one_hot(one_hot_eye)
    dropout_checks.check_one_hot(one_hot_loop)
    dropout_checks.check_dropout_forward(dropout_where)
    dropout_checks.check_dropout_backward(backward_where)
    dropout_checks.check_predict_scores(scores_where)
    tanh_checks.check_backward(backward_loop)
    perceptron_checks.check_predict(predict_loop)
    for check in (sigmoid_checks.check_methods, sigmoid_checks.check_constructor,
                  sigmoid_checks.check_think, sigmoid_checks.check_train):
        check(NeuronWithMethods)


# ----------------------------------------------------------------- labs that leave the thinking


def _cells(lab):
    return nbformat.read(str(REPO / "solutions" / f"{lab}.ipynb"), as_version=4).cells


def _is_hint(cell):
    return "hint" in cell.metadata.get("tags", []) and cell.source.startswith("<details>")


def test_lab02_gives_the_backward_pass_only_in_hints():
    cells = _cells("02_tanh_network")
    for cell in cells:
        if cell.cell_type == "markdown" and not _is_hint(cell):
            for formula in ("dZ_1", "dW_1", "dZ_2", "dW_2", "1 - \\tanh^2", "1 - y^2"):
                assert formula not in cell.source, (cell.id, formula)
    ids = [c.id for c in cells]
    after = cells[ids.index("backward-md") + 1:ids.index("ex-backward")]
    assert len(after) >= 2 and all(_is_hint(c) for c in after)
    assert "dW_1 = X^\\top dZ_1" in after[-1].source  # the table is the last hint tier


def test_lab03_checks_every_bug_and_hints_each_one():
    import re

    cells = {c.id: c for c in _cells("03_sigmoid_network")}
    calls = re.findall(r"checks\.(check_\w+)\(", cells["check-neuron"].source)
    assert len(set(calls)) >= 5
    for name in calls:
        assert callable(getattr(sigmoid_checks, name))
    assert sum(cid.startswith("bug-hint-") and _is_hint(c) for cid, c in cells.items()) == 7
    # the program as printed runs in the lab and stops with the slides' first error
    out = "".join(o.get("text", "") for o in cells["slides-as-given"].outputs)
    assert out.startswith("IndentationError on line 4"), out
    # section 4 derives: the hidden delta's formula only in a hint
    for cid, cell in cells.items():
        if cell.cell_type == "markdown" and not _is_hint(cell):
            assert "delta_\\text{hidden} =" not in cell.source, cid


def test_lab04_states_contracts_chooses_on_validation_and_tests_once():
    cells = _cells("04_dropout_mnist")
    for cell in cells:
        texts = [cell.source] if cell.cell_type == "markdown" else [
            ast.get_docstring(node) or "" for node in ast.walk(ast.parse(cell.source))
            if isinstance(node, ast.FunctionDef)]
        for text in texts:
            flat = text.replace("`", "").replace(" ", "")
            for code in ("x*mask/keep_prob", "dout*mask/keep_prob", "<keep_prob",
                         "Y[np.arange(len(y)),y]=1"):
                assert code not in flat, (cell.id, code)
    lines = [line for c in cells if c.cell_type == "code" for o in c.outputs
             for line in o.get("text", "").splitlines()]
    settings = ast.literal_eval(next(c for c in cells if c.id == "sweep").source
                                .split("SETTINGS = ")[1].splitlines()[0])
    assert sum(line.startswith("keep_prob = ") and "validation accuracy" in line
               for line in lines) == len(settings) >= 3
    assert sum("test accuracy" in line for line in lines) == 1


def test_mistakes_that_coincide_on_a_case_are_named_together():
    from helpers.checks.mistakes import Mistake, matching_mistake
    a = Mistake("the bias left out", np.array([1]), "add b")
    b = Mistake("the smallest score taken", np.array([1]), "take the largest")
    m = matching_mistake(np.array([1]), np.array([2]), [a, b], rtol=1e-6, atol=1e-9)
    assert m.label == "the bias left out, or it looks like the smallest score taken"
    assert m.hint == "add b; or: take the largest"
    assert matching_mistake(np.array([1]), np.array([2]), [a], rtol=1e-6, atol=1e-9) is a
