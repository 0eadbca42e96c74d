"""The two models of the course: a multilayer perceptron trained by backpropagation and the
classic perceptron trained by the perceptron rule (``Perceptron``, from ``helpers.perceptron``).

``MLP`` is built from the layer pairs in ``helpers.layers``; ``.loss(X, y)`` returns the loss
and a gradient for every parameter, so any optimizer in ``helpers.optim`` can train it
(``helpers.train.fit`` does, through ``.batch_loss`` and ``.evaluate`` on inputs it checked
once). Its public methods (check_inputs, batch_loss, evaluate, accuracy, keep_probs, scores,
apply_output, output_loss, l2_penalty) are what the training loop, the fast path, the lesson
aids and the widgets use.
Omits: convolutional and recurrent layers, batch norm, early stopping; the fast training step
(``helpers.fast.FastMLP``).
"""

import numpy as np

from . import layers
from .activations import get_activation
from .perceptron import Perceptron  # noqa: F401 - the course imports both from here
from .validate import (
    as_float_array,
    as_labels,
    check_choice,
    check_keep_probs,
    check_positive,
)

HIDDEN = ("sigmoid", "tanh", "relu", "leaky_relu")
OUTPUTS = ("softmax", "sigmoid", "tanh", "linear")
LOSSES = ("cross_entropy", "sse", "binary_cross_entropy")
LOSS_OUTPUT = {"cross_entropy": "softmax", "binary_cross_entropy": "sigmoid"}
BIAS_INITS = ("zeros", "normal")
# the test-time forward pass works through this many rows at a time: bounds its memory
# (8192 rows x 800 units of float32 = 26 MB per layer) at no cost in speed
FORWARD_CHUNK = 8192


def check_layer_sizes(layer_sizes):
    """layer_sizes as a list of at least two positive integers (ValueError naming it)."""
    sizes = list(layer_sizes) if isinstance(layer_sizes, (list, tuple)) else None
    if not sizes or len(sizes) < 2 or not all(
            isinstance(s, (int, np.integer)) and s > 0 for s in sizes):
        raise ValueError(
            "layer_sizes: expected a list of at least two positive integers like "
            f"[784, 100, 10], got {layer_sizes!r}")
    return sizes


class MLP:
    """Fully connected network: (dropout -> affine -> activation) x hidden layers -> dropout
    -> affine -> output function, with L2 weight decay (lessons 03_backprop_walkthrough to
    06_dropout_mnist, lab 04, 08_reproducing_the_classics).

    layer_sizes: [D, H1, ..., C], e.g. [784, 800, 800, 10].
    activation : hidden activation, one of sigmoid, tanh, relu, leaky_relu.
    output, loss: softmax with loss='cross_entropy' (labels y of shape (N,)); sigmoid with
                 loss='binary_cross_entropy' (Nielsen ch. 3; targets of shape (N, C) in
                 [0, 1]); or any of softmax/sigmoid/tanh/linear with loss='sse' (targets
                 (N, C); Nielsen's quadratic cost of ch. 1 with output='sigmoid').
    l2         : adds l2/2 * sum(W**2) over the weight matrices (not the biases) to the mean
                 loss of a batch, so each step takes lr * l2 * W off the weights. Other
                 conventions: Nielsen's lambda (ch. 3, lambda/(2n) * sum w^2 with n the
                 training-set size) is l2 * n, so lambda = 5.0 on 50,000 images is
                 l2 = 1e-4; CS231n's reg (reg * sum W^2) is l2 / 2.
    keep_prob  : dropout keep probability in training only (1.0 = no dropout): one number for
                 the input and every hidden layer, or one per layer input, e.g.
                 [0.8, 0.5, 0.5] for the input, h1 and h2 (Srivastava et al. 2014).
                 dropout_form: 'inverted' or 'scale_at_test'. The masks come from
                 ``self.rng`` as in ``helpers.layers.dropout_forward``.
    params     : dict 'W1', 'b1', ... with W_l of shape (H_{l-1}, H_l), b_l of shape (H_l,);
                 weights N(0, 2/fan_in) for ReLU-like and N(0, 1/fan_in) otherwise, or
                 N(0, weight_scale^2) when ``weight_scale`` is given; biases 0
                 (bias_init='zeros') or N(0, 1) (bias_init='normal', as Nielsen's network).
    """

    def __init__(self, layer_sizes, activation="relu", output="softmax", loss="cross_entropy",
                 l2=0.0, keep_prob=1.0, seed=0, dtype=np.float32, dropout_form="inverted",
                 weight_scale=None, bias_init="zeros"):
        sizes = check_layer_sizes(layer_sizes)
        check_choice(activation, "activation", HIDDEN)
        check_choice(output, "output", OUTPUTS)
        check_choice(loss, "loss", LOSSES)
        if loss in LOSS_OUTPUT and output != LOSS_OUTPUT[loss]:
            raise ValueError(f"loss: {loss!r} needs output={LOSS_OUTPUT[loss]!r}, got "
                             f"output={output!r} (use loss='sse' for other outputs)")
        check_positive(l2, "l2", allow_zero=True)
        self.keep_prob = check_keep_probs(keep_prob, len(sizes) - 1)
        check_choice(dropout_form, "dropout_form", layers.DROPOUT_FORMS)
        check_choice(bias_init, "bias_init", BIAS_INITS)
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise TypeError(f"dtype: expected float32 or float64, got {self.dtype}")
        self.layer_sizes, self.activation, self.output = sizes, activation, output
        self.loss_name, self.l2, self.dropout_form = loss, float(l2), dropout_form
        self.num_layers = len(sizes) - 1
        self.rng = np.random.default_rng(seed)
        self.params = self.initial_params(weight_scale, bias_init)

    def initial_params(self, weight_scale=None, bias_init="zeros"):
        """Fresh parameters drawn from ``self.rng`` as the class docstring says: all weight
        matrices first, layer by layer, then (bias_init='normal') the biases."""
        gain = 2.0 if self.activation in ("relu", "leaky_relu") else 1.0
        sizes, params = self.layer_sizes, {}
        for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
            std = weight_scale if weight_scale is not None else np.sqrt(gain / fan_in)
            w = self.rng.standard_normal((fan_in, fan_out)) * std
            params[f"W{i}"] = w.astype(self.dtype)
            params[f"b{i}"] = np.zeros(fan_out, dtype=self.dtype)
        if bias_init == "normal":
            for i, fan_out in enumerate(sizes[1:], start=1):
                params[f"b{i}"] = self.rng.standard_normal(fan_out).astype(self.dtype)
        return params

    def keep_probs(self):
        """The keep probability of each layer's input: a tuple of num_layers numbers (the
        input's first), from ``self.keep_prob`` as it is now (a widget may change it)."""
        p = self.keep_prob
        if isinstance(p, (tuple, list)):
            return tuple(p)
        return (p,) * self.num_layers

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
            return X, as_labels(y, "y", k, n=n)  # for the other losses: targets (N, C)
        t = np.asarray(y)
        if t.ndim == 1 and k == 1:
            t = t[:, None]
        return X, as_float_array(t, "y", dtype=self.dtype, shape=(n, k))

    # ------------------------------------------------------------------ forward
    def _dropout(self, h, train, p):
        if p == 1.0:
            return h, None
        mode = "train" if train else "test"
        return layers.dropout_forward(h, p, mode, self.rng, self.dropout_form)

    def _forward(self, X, train):
        """Scores (N, C) before the output function, and one cache per layer for backward:
        {"dropout": of the layer's input (None without dropout), "affine", "activation"
        (None for the last layer)}."""
        h, caches = X, []
        for i, p in enumerate(self.keep_probs(), start=1):
            h, drop = self._dropout(h, train, p)
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
        Works through X in chunks of FORWARD_CHUNK rows to bound memory."""
        X, step = self.check_inputs(X), FORWARD_CHUNK
        return np.concatenate([self.apply_output(self._forward(X[i:i + step], False)[0])
                               for i in range(0, max(len(X), 1), step)])

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
        return self.accuracy(self.forward(X), t)

    def accuracy(self, out, t):
        """The accuracy ``score`` gives, of network outputs out (N, C) against checked targets
        t (what ``check_inputs`` returns for y)."""
        if self.loss_name == "cross_entropy":
            return float(np.mean(out.argmax(axis=1) == t))
        if out.shape[1] == 1:
            mid = 0.5 if self.output == "sigmoid" else 0.0
            return float(np.mean((out > mid) == (t > mid)))
        return float(np.mean(out.argmax(axis=1) == t.argmax(axis=1)))

    def evaluate(self, X, y):
        """(loss, accuracy) of the test-time network on X and y that ``check_inputs`` already
        returned, from ONE forward pass (what ``fit`` reports on its validation data each
        epoch): the same numbers as ``loss(X, y, train=False, grads=False)[0]`` and
        ``score(X, y)``. X: (N, D) -> (float, float in [0, 1])."""
        scores = self._forward(X, False)[0]
        out = self.apply_output(scores)  # a new array: the fast path's loss reuses scores
        loss = self.output_loss(scores, y)[0] + self.l2_penalty()
        return loss, self.accuracy(out, y)

    # ------------------------------------------------------------------ loss and backward
    def output_loss(self, scores, y):
        """The data loss of the output layer and its gradient with respect to the scores
        (lessons 03_backprop_walkthrough, 06_dropout_mnist): softmax + cross-entropy against
        labels y (N,), sigmoid + binary cross-entropy or the output function + SSE against
        targets y (N, C). scores: (N, C) -> (loss: float, dscores: (N, C))."""
        if self.loss_name == "cross_entropy":
            return layers.softmax_cross_entropy(scores, y)
        if self.loss_name == "binary_cross_entropy":
            return layers.sigmoid_binary_cross_entropy(scores, y)
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

        X: (N, D); y: (N,) integer labels for cross-entropy, (N, C) targets otherwise.
        train: apply dropout (True) or evaluate the test-time network (False).
        Returns (loss: float, grads: dict with the same keys and shapes as params), or
        (loss, None) with grads=False.
        """
        return self.batch_loss(*self.check_inputs(X, y), train=train, grads=grads)

    def batch_loss(self, X, y, train=True, grads=True):
        """``loss`` on X and y that ``check_inputs`` already returned (what ``fit`` calls on
        every batch of its checked data, so nothing is validated twice)."""
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
