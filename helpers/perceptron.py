"""Rosenblatt's perceptron trained by the perceptron rule (lesson 02_perceptron, lab 01);
``helpers.models`` re-exports it, so ``from helpers.models import Perceptron`` works.

``Perceptron.fit`` is the rule: visit the samples in a (shuffled) order, update on every
mistake, stop after an epoch without one. Its two speed details live in one place each:
``binary_epoch`` / ``multiclass_epoch`` run the per-sample rule on Python numbers and
contiguous rows (numpy calls on single samples cost more than the arithmetic), and the
averaged perceptron keeps running sums instead of a copy of the weights per step.
Omits: the margin perceptron, kernels, the pocket algorithm.
"""

import numpy as np

from .progress import progress_bar
from .validate import as_float_array, as_labels, check_choice, check_positive


def binary_epoch(X, labels, order, state, lr, negative_label, averaged):
    """One epoch of the binary rule w <- w + lr (d - y) x, b <- b + lr (d - y) over the rows
    of X (N, D) in ``order``; labels: N Python floats. ``state`` (dict w, b, u_w, u_b, c,
    counts) is updated in place; u_w, u_b and the step counter c are the running sums of the
    averaged perceptron (Daume's trick: average = w - u / c). Returns the mistakes."""
    w, b, mistakes = state["w"], state["b"], 0
    for i in order:
        x = X[i]
        out = 1 if x @ w + b >= 0 else negative_label
        delta = lr * (labels[i] - out)
        if delta:
            w += delta * x
            b += delta
            if averaged:
                state["u_w"] += state["c"] * delta * x
                state["u_b"] += state["c"] * delta
            mistakes += 1
            state["counts"][i] += 1
        state["c"] += 1
    state["b"] = b
    return mistakes


def multiclass_epoch(X, labels, order, state, lr, averaged):
    """One epoch of the multiclass rule: on a mistake the true class's row of W.T gets
    + lr x and the predicted class's - lr x (biases +- lr). state["w"] is W.T (C, D), one
    contiguous row per class; otherwise as ``binary_epoch``. Returns the mistakes."""
    w, b, u_w, u_b, mistakes = state["w"], state["b"], state["u_w"], state["u_b"], 0
    for i in order:
        x, c = X[i], state["c"]
        pred, true = int(np.argmax(w @ x + b)), labels[i]
        if pred != true:
            step = x if lr == 1.0 else lr * x
            w[true] += step
            w[pred] -= step
            b[true] += lr
            b[pred] -= lr
            if averaged:
                u_w[true] += c * step
                u_w[pred] -= c * step
                u_b[true] += c * lr
                u_b[pred] -= c * lr
            mistakes += 1
            state["counts"][i] += 1
        state["c"] += 1
    return mistakes


class Perceptron:
    """Rosenblatt's perceptron, trained sample by sample with w <- w + lr * (d - y) * x
    (lesson 02_perceptron, lab 01).

    Binary (n_classes=2): labels 0/1 with activation='step' or -1/+1 with activation='sign';
      w: (D,), b: float.
    Multiclass (n_classes>2): scores x @ W + b, prediction argmax; on a mistake the true
      class's weights get + lr * x and the predicted class's get - lr * x; W: (D, C), b: (C,).
    averaged=True predicts with the average of the weights over all steps (more stable).
    After ``fit``: ``converged_`` (the last epoch made no mistake; False before fit) and
    ``update_counts_`` (N,) = how many times each sample caused an update, so the learned
    weights = initial weights + sum_i count_i * lr * (d_i - y_i) * x_i.
    """

    def __init__(self, n_features, n_classes=2, lr=1.0, activation="step", averaged=False,
                 w_init=None, dtype=np.float32):
        check_positive(n_features, "n_features", integer=True)
        if not isinstance(n_classes, (int, np.integer)) or n_classes < 2:
            raise ValueError(f"n_classes: expected an integer >= 2, got {n_classes!r}")
        check_positive(lr, "lr")
        check_choice(activation, "activation", ("step", "sign"))
        self.n_features, self.n_classes, self.lr = n_features, int(n_classes), float(lr)
        self.activation, self.averaged, self.dtype = activation, averaged, np.dtype(dtype)
        shape = (n_features,) if n_classes == 2 else (n_features, n_classes)
        if w_init is None:
            self.w = np.zeros(shape, dtype=self.dtype)
        else:
            self.w = as_float_array(w_init, "w_init", dtype=self.dtype, shape=shape).copy()
        self.b = self.dtype.type(0) if n_classes == 2 else np.zeros(n_classes, self.dtype)
        self.w_init, self.b_init = self.w.copy(), np.copy(self.b)
        self.update_counts_ = None
        self.converged_ = False

    @property
    def negative_label(self):
        """The label of the negative class: -1 for activation='sign', else 0."""
        return -1 if self.activation == "sign" else 0

    def _labels(self, y, n):
        if self.n_classes > 2:
            return as_labels(y, "y", self.n_classes, n=n)
        t = np.asarray(y)
        ok = t.ndim == 1 and t.shape[0] == n and np.isin(t, (self.negative_label, 1)).all()
        if not ok:
            raise ValueError(f"y: expected {n} labels in {{{self.negative_label}, 1}} for "
                             f"activation={self.activation!r}, got {np.unique(t)[:5]} "
                             f"with shape {t.shape}")
        return t.astype(self.dtype)

    def decision_function(self, X):
        """Scores: (N, D) -> (N,) for binary, (N, C) for multiclass (lesson 02_perceptron)."""
        X = as_float_array(X, "X", self.dtype, shape=(None, self.n_features))
        return X @ self.w + self.b

    def predict(self, X):
        """Predicted labels (N,): the sign/step of the score, or the argmax class."""
        s = self.decision_function(X)
        if self.n_classes > 2:
            return s.argmax(axis=1)
        return np.where(s >= 0, 1, self.negative_label)

    def score(self, X, y):
        """Accuracy in [0, 1] (lab 01)."""
        return float(np.mean(self.predict(X) == np.asarray(y)))

    def fit(self, X, y, epochs=10, shuffle=True, seed=0, progress=False):
        """Train until an epoch makes no mistake or ``epochs`` run out (lesson 02_perceptron,
        lab 01).

        X: (N, D), y: (N,). Returns a dict with 'mistakes' (one count per epoch).
        Sets ``converged_`` and ``update_counts_``.
        """
        X = np.ascontiguousarray(as_float_array(X, "X", self.dtype, shape=(None, self.n_features)))
        t = self._labels(y, X.shape[0])
        check_positive(epochs, "epochs", integer=True)
        rng, n, multi = np.random.default_rng(seed), X.shape[0], self.n_classes > 2
        state = self._start_state(n)
        labels = t.astype(np.int64 if multi else float).tolist()
        history = {"mistakes": []}
        with progress_bar(progress, total=epochs, desc="perceptron epochs") as bar:
            for _ in range(epochs):
                order = (rng.permutation(n) if shuffle else np.arange(n)).tolist()
                if multi:
                    mistakes = multiclass_epoch(X, labels, order, state, self.lr, self.averaged)
                else:
                    mistakes = binary_epoch(X, labels, order, state, self.lr,
                                            self.negative_label, self.averaged)
                history["mistakes"].append(mistakes)
                bar.update(1)
                if mistakes == 0:
                    break
        self.converged_ = history["mistakes"][-1] == 0
        self._finish(state)
        return history

    def _start_state(self, n):
        """The rule's working state: the weights (as W.T for multiclass, one contiguous row
        per class), the running sums of the averaged perceptron and the update counts."""
        w = np.ascontiguousarray(self.w.T) if self.n_classes > 2 else self.w
        return {"w": w, "b": self.b, "u_w": np.zeros_like(w), "u_b": np.zeros_like(self.b),
                "c": 1, "counts": [0] * n}

    def _finish(self, state):
        """Write the state back: the (averaged) weights and ``update_counts_``."""
        w, b, c, multi = state["w"], state["b"], state["c"], self.n_classes > 2
        self.update_counts_ = np.array(state["counts"], dtype=np.int64)
        if self.averaged:
            w = (w - state["u_w"] / c).astype(self.dtype)
            avg_b = b - state["u_b"] / c
            b = avg_b.astype(self.dtype) if multi else self.dtype.type(avg_b)
        self.w = np.ascontiguousarray(w.T) if multi else w
        self.b = b
