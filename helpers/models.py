"""The two models of the course: a multilayer perceptron trained by backpropagation and the
classic perceptron trained by the perceptron rule.

``MLP`` is built from the layer pairs in ``helpers.layers``; ``.loss(X, y)`` returns the loss
and a gradient for every parameter, so any optimizer in ``helpers.optim`` can train it
(``helpers.train.fit`` does). Its public methods (check_inputs, scores, apply_output,
output_loss, l2_penalty) are what the training loop, the lesson aids and the widgets use.
``Perceptron`` follows the textbook per-sample rule.
Omits: convolutional and recurrent layers, batch norm, early stopping; the fast training step
(``helpers.fast.FastMLP``).
"""

import numpy as np

from . import layers
from .activations import get_activation
from .validate import (
    as_float_array,
    as_labels,
    check_choice,
    check_keep_prob,
    check_positive,
)

HIDDEN = ("sigmoid", "tanh", "relu", "leaky_relu")
OUTPUTS = ("softmax", "sigmoid", "tanh", "linear")
LOSSES = ("cross_entropy", "sse")


class MLP:
    """Fully connected network: (affine -> activation -> dropout) x hidden layers -> affine
    -> output function, with L2 weight decay and dropout (lessons 03_backprop_walkthrough to
    06_dropout_mnist, lab 04).

    layer_sizes: [D, H1, ..., C], e.g. [784, 800, 800, 10].
    activation : hidden activation, one of sigmoid, tanh, relu, leaky_relu.
    output     : softmax (with loss='cross_entropy', labels y of shape (N,)) or any of
                 softmax/sigmoid/tanh/linear with loss='sse' (targets of shape (N, C)).
    l2         : adds l2/2 * sum(W**2) over the weight matrices (not the biases).
    keep_prob  : dropout keep probability on the input and every hidden layer, in training
                 only (1.0 = no dropout). dropout_form: 'inverted' or 'scale_at_test'.
                 The masks come from ``self.rng`` as in ``helpers.layers.dropout_forward``.
    params     : dict 'W1', 'b1', ... with W_l of shape (H_{l-1}, H_l), b_l of shape (H_l,);
                 initialised N(0, 2/fan_in) for ReLU-like and N(0, 1/fan_in) otherwise, or
                 N(0, weight_scale^2) when ``weight_scale`` is given; biases 0.
    """

    def __init__(self, layer_sizes, activation="relu", output="softmax", loss="cross_entropy",
                 l2=0.0, keep_prob=1.0, seed=0, dtype=np.float32, dropout_form="inverted",
                 weight_scale=None):
        sizes = list(layer_sizes) if isinstance(layer_sizes, (list, tuple)) else None
        if not sizes or len(sizes) < 2 or not all(
                isinstance(s, (int, np.integer)) and s > 0 for s in sizes):
            raise ValueError(
                "layer_sizes: expected a list of at least two positive integers like "
                f"[784, 100, 10], got {layer_sizes!r}")
        check_choice(activation, "activation", HIDDEN)
        check_choice(output, "output", OUTPUTS)
        check_choice(loss, "loss", LOSSES)
        if loss == "cross_entropy" and output != "softmax":
            raise ValueError(f"loss: 'cross_entropy' needs output='softmax', got output={output!r}"
                             " (use loss='sse' for sigmoid/tanh/linear outputs)")
        check_positive(l2, "l2", allow_zero=True)
        self.keep_prob = check_keep_prob(keep_prob)
        check_choice(dropout_form, "dropout_form", layers.DROPOUT_FORMS)
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise TypeError(f"dtype: expected float32 or float64, got {self.dtype}")
        self.layer_sizes, self.activation, self.output = sizes, activation, output
        self.loss_name, self.l2, self.dropout_form = loss, float(l2), dropout_form
        self.num_layers = len(sizes) - 1
        self.rng = np.random.default_rng(seed)
        gain = 2.0 if activation in ("relu", "leaky_relu") else 1.0
        self.params = {}
        for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
            std = weight_scale if weight_scale is not None else np.sqrt(gain / fan_in)
            w = self.rng.standard_normal((fan_in, fan_out)) * std
            self.params[f"W{i}"] = w.astype(self.dtype)
            self.params[f"b{i}"] = np.zeros(fan_out, dtype=self.dtype)

    # ------------------------------------------------------------------ inputs
    def check_inputs(self, X, y=None):
        """Validated inputs as the model computes with them: X as an (N, D) array of the
        model's dtype (ValueError/TypeError naming X otherwise); with ``y``, the pair (X, y)
        with y as N integer labels (cross-entropy) or an (N, C) target array (SSE)."""
        X = as_float_array(X, "X", dtype=self.dtype, shape=(None, self.layer_sizes[0]))
        if y is None:
            return X
        n, k = X.shape[0], self.layer_sizes[-1]
        if self.loss_name == "cross_entropy":
            return X, as_labels(y, "y", k, n=n)
        t = np.asarray(y)
        if t.ndim == 1 and k == 1:
            t = t[:, None]
        return X, as_float_array(t, "y", dtype=self.dtype, shape=(n, k))

    # ------------------------------------------------------------------ forward
    def _dropout(self, h, train):
        if self.keep_prob == 1.0:
            return h, None
        mode = "train" if train else "test"
        return layers.dropout_forward(h, self.keep_prob, mode, self.rng, self.dropout_form)

    def _forward(self, X, train):
        """Scores (N, C) before the output function, and one cache per layer for backward:
        {"dropout": of the layer's input (None without dropout), "affine", "activation"
        (None for the last layer)}."""
        h, caches = X, []
        for i in range(1, self.num_layers + 1):
            h, drop = self._dropout(h, train)
            a, aff = layers.affine_forward(h, self.params[f"W{i}"], self.params[f"b{i}"])
            act = None
            if i < self.num_layers:
                h, act = layers.activation_forward(a, self.activation)
            caches.append({"dropout": drop, "affine": aff, "activation": act})
        return a, caches

    def scores(self, X, train=False):
        """Scores before the output function: (N, D) -> (N, C) (the last affine layer's
        output). train=True applies dropout with fresh masks from ``self.rng``, as in
        training (each call is one thinned network per row, lesson 05_regularization)."""
        return self._forward(self.check_inputs(X), train)[0]

    def apply_output(self, scores):
        """The output function applied to scores (N, C): softmax, sigmoid, tanh or linear."""
        if self.output == "softmax":
            return layers.softmax(scores)
        return get_activation(self.output).f(scores)

    def forward(self, X):
        """Network output in test mode: (N, D) -> (N, C) (class probabilities for softmax).
        Works through X in chunks of 8192 rows to bound memory."""
        X = self.check_inputs(X)
        return np.concatenate([self.apply_output(self._forward(X[i:i + 8192], False)[0])
                               for i in range(0, max(len(X), 1), 8192)])

    def predict(self, X):
        """Class labels (N,) for output='softmax', else the network outputs (N, C)
        (lesson 06_dropout_mnist)."""
        out = self.forward(X)
        return out.argmax(axis=1) if self.output == "softmax" else out

    def score(self, X, y):
        """Accuracy in [0, 1]: labels for softmax; for target arrays, a one-unit output is
        thresholded at the middle of its range (0.5 for sigmoid, else 0), wider outputs by
        argmax."""
        X, t = self.check_inputs(X, y)
        out = self.forward(X)
        if self.loss_name == "cross_entropy":
            return float(np.mean(out.argmax(axis=1) == t))
        if out.shape[1] == 1:
            mid = 0.5 if self.output == "sigmoid" else 0.0
            return float(np.mean((out > mid) == (t > mid)))
        return float(np.mean(out.argmax(axis=1) == t.argmax(axis=1)))

    # ------------------------------------------------------------------ loss and backward
    def output_loss(self, scores, y):
        """The data loss of the output layer and its gradient with respect to the scores
        (lessons 03_backprop_walkthrough, 06_dropout_mnist): softmax + cross-entropy against
        labels y (N,), or the output function + SSE against targets y (N, C).
        scores: (N, C) -> (loss: float, dscores: (N, C))."""
        if self.loss_name == "cross_entropy":
            return layers.softmax_cross_entropy(scores, y)
        out = self.apply_output(scores)
        loss, dout = layers.sse_loss(out, y)
        if self.output == "softmax":
            return loss, layers.softmax_backward(dout, out)
        return loss, dout * get_activation(self.output).grad_out(out)

    def l2_penalty(self):
        """l2/2 * the sum of all squared weights (not biases) (lesson 05_regularization)."""
        if not self.l2:
            return 0.0
        return 0.5 * self.l2 * sum(float(np.sum(self.params[f"W{i}"] ** 2))
                                   for i in range(1, self.num_layers + 1))

    def loss(self, X, y, train=True, grads=True):
        """Loss and gradients on a batch (lessons 03_backprop_walkthrough, 05_regularization).

        X: (N, D); y: (N,) integer labels for cross-entropy, (N, C) targets for SSE.
        train: apply dropout (True) or evaluate the test-time network (False).
        Returns (loss: float, grads: dict with the same keys and shapes as params), or
        (loss, None) with grads=False.
        """
        X, y = self.check_inputs(X, y)
        scores, caches = self._forward(X, train)
        loss, dscores = self.output_loss(scores, y)
        loss += self.l2_penalty()
        if not grads:
            return loss, None
        grads, dh = {}, dscores
        for i in range(self.num_layers, 0, -1):
            cache = caches[i - 1]
            if cache["activation"] is not None:
                dh = layers.activation_backward(dh, cache["activation"])
            dh, dw, db = layers.affine_backward(dh, cache["affine"], need_dx=i > 1)
            if self.l2:
                dw = dw + self.l2 * self.params[f"W{i}"]
            grads[f"W{i}"], grads[f"b{i}"] = dw, db
            if i > 1 and cache["dropout"] is not None:
                dh = layers.dropout_backward(dh, cache["dropout"])
        return loss, grads

    def __repr__(self):
        return (f"{type(self).__name__}({self.layer_sizes}, activation={self.activation!r}, "
                f"output={self.output!r}, loss={self.loss_name!r}, l2={self.l2}, "
                f"keep_prob={self.keep_prob}, dtype={self.dtype.name})")


class Perceptron:
    """Rosenblatt's perceptron, trained sample by sample with w <- w + lr * (d - y) * x
    (lesson 02_perceptron, lab 01).

    Binary (n_classes=2): labels 0/1 with activation='step' or -1/+1 with activation='sign';
      w: (D,), b: float.
    Multiclass (n_classes>2): scores x @ W + b, prediction argmax; on a mistake the true
      class's weights get + lr * x and the predicted class's get - lr * x; W: (D, C), b: (C,).
    averaged=True predicts with the average of the weights over all steps (more stable).
    After ``fit``: ``update_counts_`` (N,) = how many times each sample caused an update,
    so the learned weights = initial weights + sum_i count_i * lr * (d_i - y_i) * x_i.
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
        rng = np.random.default_rng(seed)
        n, lr, multi = X.shape[0], self.lr, self.n_classes > 2
        self.update_counts_ = np.zeros(n, dtype=np.int64)
        # speed: the per-sample rule runs on Python ints and contiguous rows; multiclass weights
        # are worked on as W.T (one contiguous row per class) and written back at the end
        w = np.ascontiguousarray(self.w.T) if multi else self.w
        b, labels, counts = self.b, t.astype(np.int64 if multi else float).tolist(), [0] * n
        # running sums for the averaged perceptron (Daume's trick: avg = w - u / c)
        u_w, u_b, c = np.zeros_like(w), np.zeros_like(b), 1
        history = {"mistakes": []}
        bar = _progress(epochs, progress, "perceptron epochs")
        for _ in range(epochs):
            order = (rng.permutation(n) if shuffle else np.arange(n)).tolist()
            mistakes = 0
            for i in order:
                x = X[i]
                if multi:
                    pred, true = int(np.argmax(w @ x + b)), labels[i]
                    if pred != true:
                        step = x if lr == 1.0 else lr * x
                        w[true] += step
                        w[pred] -= step
                        b[true] += lr
                        b[pred] -= lr
                        if self.averaged:
                            u_w[true] += c * step
                            u_w[pred] -= c * step
                            u_b[true] += c * lr
                            u_b[pred] -= c * lr
                        mistakes += 1
                        counts[i] += 1
                else:
                    out = 1 if x @ w + b >= 0 else self.negative_label
                    delta = lr * (labels[i] - out)
                    if delta:
                        w += delta * x
                        b += delta
                        if self.averaged:
                            u_w += c * delta * x
                            u_b += c * delta
                        mistakes += 1
                        counts[i] += 1
                c += 1
            history["mistakes"].append(mistakes)
            bar.update(1)
            if mistakes == 0:
                break
        bar.close()
        self.converged_ = history["mistakes"][-1] == 0
        self.update_counts_[:] = counts
        if self.averaged:
            w = (w - u_w / c).astype(self.dtype)
            b = self.dtype.type(b - u_b / c) if not multi else (b - u_b / c).astype(self.dtype)
        self.w = np.ascontiguousarray(w.T) if multi else w
        self.b = b
        return history


def _progress(total, enabled, desc):
    from tqdm.auto import tqdm

    return tqdm(total=total, disable=not enabled, desc=desc, leave=False)
