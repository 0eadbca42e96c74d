"""Checks of lab 01 (perceptron MNIST classifier): ``predict``, ``perceptron_update`` and
``train_epoch`` of the multiclass perceptron, against ``helpers.models.Perceptron``.

Conventions of the lab: W has shape (D, C), b (C,), X (N, D); scores = X @ W + b; the
prediction is the argmax of the scores (the first one on a tie). On a mistake the true
class's column gets + lr * x and the predicted class's column - lr * x (same for b).
"""

import numpy as np

from ..models import Perceptron
from . import core
from .core import Mistake, compare_arrays, compare_scalar, fail, fresh_rng, passed, run_student

# the course's own implementations of this lab's exercises: an exercise cell that uses one
# is flagged by the grader for a human to review (helpers.instructor.grading.labs.flags)
REFERENCES = ("helpers.models.Perceptron",)


def _problem(rng, n, d, c, scale=1.0):
    W = (rng.standard_normal((d, c)) * scale).astype(np.float32)
    b = (rng.standard_normal(c) * scale).astype(np.float32)
    X = rng.standard_normal((n, d)).astype(np.float32)
    return W, b, X


def _reference(W, b, lr=1.0):
    p = Perceptron(W.shape[0], W.shape[1], lr=lr, w_init=W)
    p.b = b.astype(np.float32).copy()
    return p


def check_predict(predict):
    """predict(W, b, X) -> (N,) integer labels = argmax over classes of X @ W + b."""
    __tracebackhide__ = True
    name = "predict(W, b, X)"
    rng = fresh_rng()
    cases = [
        ("1 sample, 4 features, 3 classes", *_problem(rng, 1, 4, 3)),
        ("5 samples, 784 features, 10 classes", *_problem(rng, 5, 784, 10)),
        ("40 samples, 20 features, 10 classes", *_problem(rng, 40, 20, 10)),
        ("8 samples, 3 features, 2 classes", *_problem(rng, 8, 3, 2)),
    ]
    W, b, X = _problem(rng, 12, 6, 10)
    cases.append(("12 samples where the bias b decides (tiny W)", W * 1e-4, b * 10, X))
    W, b, _ = _problem(rng, 3, 5, 7)
    cases.append(("3 all-zero images: the scores are just b", W, b, np.zeros((3, 5), np.float32)))
    hint_b = ("each image's C class scores are its pixels times W, plus b (one row per "
              "image); the prediction is the index of the largest score in each row")
    for case, W, b, X in cases:
        originals = [a.copy() for a in (W, b, X)]
        got = run_student(predict, W, b, X, name=name, case=case)
        for arg, a, o in zip(("W", "b", "X"), (W, b, X), originals):
            core.expect_unchanged(name, arg, a, o, case)
        expected = (_reference(W, b).predict(X) if W.shape[1] > 2
                    else np.argmax(X @ W + b, axis=1))  # Perceptron(n_classes=2) is binary
        mistakes = [Mistake("the bias b left out", np.argmax(X @ W, axis=1),
                            "each class's score is the weighted sum of the pixels plus that "
                            "class's bias"),
                    Mistake("the smallest score taken instead of the largest",
                            np.argmin(X @ W + b, axis=1),
                            "the predicted class is the one with the HIGHEST score")]
        _compare_labels(name, got, expected, W, b, X, case, hint_b, mistakes)
    passed("predict", len(cases))


def _compare_labels(name, got, expected, W, b, X, case, hint, mistakes):
    """Labels must equal the reference argmax, except that a label whose score ties the
    maximum up to float32 rounding is accepted (the sum order of X @ W may differ)."""
    __tracebackhide__ = True
    if _needs_strict(got, expected, W, b, X):
        compare_arrays(name, got, expected, case=case, kind="int", hint=hint, exact=True,
                       mistakes=mistakes)


def _needs_strict(got, expected, W, b, X):
    """False only when ``got`` differs from ``expected`` at near-ties of the scores."""
    arr = np.asarray(got) if isinstance(got, np.ndarray) else None
    if arr is None or arr.shape != expected.shape or arr.dtype.kind not in "iu":
        return True
    diff = arr != expected
    if not diff.any():
        return False
    if arr.min() < 0 or arr.max() >= W.shape[1]:
        return True
    scores = X.astype(np.float64) @ W.astype(np.float64) + b
    rows = np.arange(len(arr))
    top = scores[rows, expected]
    tol = 1e-5 * (1 + np.abs(top))
    return bool(np.any(scores[rows, arr][diff] < top[diff] - tol[diff]))


def _expected_update(W, b, x, y_true, lr):
    p = _reference(W, b, lr)
    hist = p.fit(x[None, :], np.array([y_true]), epochs=1, shuffle=False)
    return p.w, p.b, hist["mistakes"][0] == 1


def _swapped_update(W, b, x, y_true, lr):
    """(W, b) after the rule with both signs swapped: a usual slip."""
    W, b = W.copy(), b.copy()
    pred = int(np.argmax(x.astype(np.float64) @ W + b))
    if pred != y_true:
        W[:, y_true] -= lr * x
        W[:, pred] += lr * x
        b[y_true] -= lr
        b[pred] += lr
    return W, b


def check_perceptron_update(perceptron_update):
    """perceptron_update(W, b, x, y_true, lr) updates W, b in place on a mistake and returns
    True, else leaves them alone and returns False."""
    __tracebackhide__ = True
    name = "perceptron_update(W, b, x, y_true, lr)"
    rng = fresh_rng()
    cases = []
    for d, c, lr in [(4, 3, 1.0), (784, 10, 1.0), (20, 10, 0.5), (6, 5, 0.1)]:
        W, b, X = _problem(rng, 1, d, c)
        x = X[0]
        pred = int(np.argmax(x.astype(np.float64) @ W + b))
        wrong = int((pred + rng.integers(1, c)) % c)
        cases.append((f"a mistake: {d} features, {c} classes, lr={lr}, true class {wrong}, "
                      f"predicted {pred}", W, b, x, wrong, lr))
        W, b, X = _problem(rng, 1, d, c)
        pred = int(np.argmax(X[0].astype(np.float64) @ W + b))
        cases.append((f"a correct prediction (class {pred}): {d} features, {c} classes, "
                      f"lr={lr}; nothing may change", W, b, X[0], pred, lr))
    W, b, _ = _problem(rng, 1, 5, 4)
    pred = int(np.argmax(b))
    cases.append(("an all-zero image with a wrong prediction: only b changes", W, b,
                  np.zeros(5, np.float32), (pred + 1) % 4, 1.0))
    for case, W0, b0, x, y_true, lr in cases:
        _check_update_case(perceptron_update, name, case, W0, b0, x, y_true, lr)
    passed("perceptron_update", len(cases))


def _check_update_case(perceptron_update, name, case, W0, b0, x, y_true, lr):
    """One case of check_perceptron_update, called on copies of W0 (D, C), b0 (C,), x (D,)."""
    __tracebackhide__ = True
    W, b, x_in = W0.copy(), b0.copy(), x.copy()
    result = run_student(perceptron_update, W, b, x_in, y_true, lr, name=name, case=case)
    core.expect_unchanged(name, "x", x_in, x, case)
    W_exp, b_exp, mistake = _expected_update(W0, b0, x, y_true, lr)
    backwards = _swapped_update(W0, b0, x, y_true, lr)
    if mistake and np.array_equal(W, W0) and np.array_equal(b, b0):
        fail(name, "W and b did not change after a mistake", case,
             "W and b updated in place", "W and b unchanged",
             hint="change the arrays themselves, in place (an augmented "
                  "assignment on a column of W); W = W + ... inside the function only "
                  "rebinds a local name")
    compare_arrays(f"{name}: W after the call", W, W_exp, case=case, rtol=1e-5, atol=1e-5,
                   hint="on a mistake, add lr times x to the true class's column of W "
                        "and subtract it from the predicted class's column; when the "
                        "prediction is right, change nothing",
                   mistakes=[Mistake("the update with its signs swapped (the true class "
                                     "pushed away, the wrong winner pulled closer)",
                                     backwards[0], "on a mistake the TRUE class must "
                                     "move towards the image")])
    compare_arrays(f"{name}: b after the call", b, b_exp, case=case, rtol=1e-5, atol=1e-5,
                   hint="on a mistake, b of the true class goes up by lr and b of the "
                        "predicted class down by lr",
                   mistakes=[Mistake("the biases left unchanged", b0, "the bias is a "
                                     "weight on a constant input of 1: it learns too"),
                             Mistake("the bias update with its signs swapped",
                                     backwards[1], "the true class's bias goes UP")])
    compare_scalar(f"{name}: return value", result, bool(mistake), case=case, kind="bool",
                   hint="return True when the prediction was wrong (an update was made), "
                        "False otherwise")


def _separable(rng, n, d, c):
    """A random linearly separable set: labels given by a random 'teacher' perceptron."""
    teacher_W = rng.standard_normal((d, c))
    X = rng.standard_normal((n, d)).astype(np.float32)
    y = np.argmax(X @ teacher_W, axis=1).astype(np.int64)
    return X, y


def check_train_epoch(train_epoch):
    """train_epoch(W, b, X, y, lr, order) applies perceptron_update to the samples X[i] for i
    in ``order`` (in that order), in place, and returns the number of mistakes."""
    __tracebackhide__ = True
    name = "train_epoch(W, b, X, y, lr, order)"
    rng = fresh_rng()
    cases = []
    for n, d, c, lr in [(60, 5, 3, 1.0), (200, 30, 10, 0.5), (1, 4, 3, 1.0)]:
        X, y = _separable(rng, n, d, c)
        W = (rng.standard_normal((d, c)) * 0.1).astype(np.float32)
        b = (rng.standard_normal(c) * 0.1).astype(np.float32)
        cases.append((f"{n} samples, {d} features, {c} classes, lr={lr}, a shuffled order",
                      W, b, X, y, lr, rng.permutation(n)))
    X, y = _separable(rng, 50, 6, 4)
    W, b = np.zeros((6, 4), np.float32), np.zeros(4, np.float32)
    cases.append(("50 samples, W and b start at zero, order = 30 random indices with repeats",
                  W, b, X, y, 1.0, rng.integers(0, 50, size=30)))
    for case, W0, b0, X, y, lr, order in cases:
        _check_epoch_case(train_epoch, name, case, W0, b0, X, y, lr, order)
    passed("train_epoch", len(cases))


def _check_epoch_case(train_epoch, name, case, W0, b0, X, y, lr, order):
    """One case of check_train_epoch, called on copies of W0 (D, C), b0 (C,), X (N, D), y."""
    __tracebackhide__ = True
    W, b = W0.copy(), b0.copy()
    X_in, y_in, order_in = X.copy(), y.copy(), order.copy()
    result = run_student(train_epoch, W, b, X_in, y_in, lr, order_in, name=name, case=case)
    core.expect_unchanged(name, "X", X_in, X, case)
    p = _reference(W0, b0, lr)
    mistakes = p.fit(X[order], y[order], epochs=1, shuffle=False)["mistakes"][0]
    hint = ("visit the samples in the given order and apply your perceptron_update to "
            "each one; it changes W and b in place and says whether it made an update")
    if mistakes and np.array_equal(W, W0):
        fail(name, "W did not change although the perceptron made mistakes", case,
             f"{mistakes} updates of W", "W unchanged", hint=hint)
    in_index_order = _reference(W0, b0, lr)
    in_index_order.fit(X, y, epochs=1, shuffle=False)
    compare_arrays(f"{name}: W after one epoch", W, p.w, case=case, rtol=1e-4, atol=1e-4,
                   hint=hint + " (visit the samples in the given order, not 0..N-1)",
                   mistakes=[Mistake("the samples visited as 0, 1, ..., N-1, not in the "
                                     "given order", in_index_order.w, "the order of "
                                     "the visits matters: the argument order says it")])
    compare_arrays(f"{name}: b after one epoch", b, p.b, case=case, rtol=1e-4, atol=1e-4,
                   hint=hint)
    if isinstance(result, (int, np.integer)) and result == len(order) != mistakes:
        fail(f"{name}: return value (number of mistakes)", "this looks like the number "
             "of samples visited, not the number of mistakes", case, str(int(mistakes)),
             str(int(result)), hint="count only the visits where the rule changed W")
    compare_scalar(f"{name}: return value (number of mistakes)", result, int(mistakes),
                   case=case, kind="int",
                   hint="count the calls of perceptron_update that returned True")
