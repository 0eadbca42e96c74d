"""Layers as forward/backward pairs with caches, in the style of CS231n.

``*_forward`` returns ``(out, cache)``, where the cache is a dict naming what the backward
pass needs; ``*_backward(dout, cache)`` returns the gradients of the loss with respect to the
layer's inputs (and parameters). Losses return ``(loss, dscores)``.
Shapes: N = batch size, D = input features, M = output features, C = classes.
Every function returns new arrays of its inputs' float dtype (float32 in training, float64
in gradient checks).
Omits: convolutions, batch norm; in-place and fused versions (``helpers.fast`` has those).
"""

import numpy as np

from .activations import get_activation
from .validate import check_choice, check_keep_prob

DROPOUT_FORMS = ("inverted", "scale_at_test")


def affine_forward(x, w, b):
    """out = x @ w + b (lesson 03_backprop_walkthrough, "matrix form").

    x: (N, D), or (N, d1, ..., dk) with d1 * ... * dk = D (each row flattened, as CS231n's
    affine layer does); w: (D, M), b: (M,) -> out: (N, M); cache {"x", "w"}."""
    rows = x if x.ndim == 2 else x.reshape(x.shape[0], -1)
    out = rows @ w + b
    return out, {"x": x, "w": w}


def affine_backward(dout, cache, need_dx=True):
    """Gradients of out = x @ w + b (lesson 03_backprop_walkthrough).

    dout: (N, M) -> dx = dout @ w.T (shaped like x: (N, D) or (N, d1, ..., dk)),
    dw = x.T @ dout (D, M), db = sum of dout's rows (M,). ``need_dx=False`` skips dx
    (returns None): the first layer's input is data."""
    x, w = cache["x"], cache["w"]
    rows = x if x.ndim == 2 else x.reshape(x.shape[0], -1)
    dw = rows.T @ dout
    db = dout.sum(axis=0)
    if not need_dx:
        return None, dw, db
    dx = dout @ w.T
    return (dx if x.ndim == 2 else dx.reshape(x.shape)), dw, db


def activation_forward(x, name):
    """y = f(x) elementwise for the activation called ``name`` (lesson 04_activations).

    x: any shape -> y: same shape; cache {"y", "activation"} (the derivative is computed
    from the output y)."""
    act = get_activation(name)
    y = act.f(x)
    return y, {"y": y, "activation": act}


def activation_backward(dout, cache):
    """dx = dout * f'(x), with f'(x) computed from the stored output y (lesson 04_activations).
    dout: same shape as y -> dx: same shape."""
    return dout * cache["activation"].grad_out(cache["y"])


def dropout_forward(x, keep_prob, mode="train", rng=None, form="inverted"):
    """Dropout: keep each unit with probability ``keep_prob`` (lesson 05_regularization, lab 04).

    Training draws the mask exactly as lab 04 does,
    ``mask = rng.random(x.shape, dtype=x.dtype) < keep_prob``, so the same seed gives the same
    mask, and then
      form='inverted'      : train  out = x * mask / keep_prob,  test  out = x
      form='scale_at_test' : train  out = x * mask,              test  out = x * keep_prob
    (the second is the form of Srivastava et al.: at test time every unit is on and its
    outgoing weights are scaled by p, the same as scaling its output by p). Both give the same
    expected value in training as at test time.
    x: any shape (integers are converted to float64) -> out: same shape.
    rng: a numpy Generator or an int seed (None: a fresh unseeded generator).
    cache {"mask" (None at test time), "keep_prob", "mode", "form"}.
    """
    p = check_keep_prob(keep_prob)
    check_choice(mode, "mode", ("train", "test"))
    check_choice(form, "form", DROPOUT_FORMS)
    x = np.asarray(x)
    if x.dtype not in (np.float32, np.float64):
        x = x.astype(np.float64)
    mask = None
    if mode == "train":
        rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
        mask = rng.random(x.shape, dtype=x.dtype) < p
    cache = {"mask": mask, "keep_prob": p, "mode": mode, "form": form}
    return _apply_dropout(x, cache), cache


def dropout_backward(dout, cache):
    """dx = dout times what the forward pass multiplied x by: the same mask and scale
    (dropout is linear in x) (lesson 05_regularization, lab 04). dout: shape of x."""
    return _apply_dropout(dout, cache)


def _apply_dropout(x, cache):
    mask, p = cache["mask"], cache["keep_prob"]
    inverted = cache["form"] == "inverted"
    if cache["mode"] == "test":
        return x.copy() if inverted else x * p
    return x * mask / p if inverted else x * mask


def softmax(scores):
    """Row-wise softmax e^s / sum e^s (lesson 06_dropout_mnist), shifted by the row maximum
    so that exp never overflows. scores: (N, C) -> probabilities (N, C)."""
    z = np.exp(scores - scores.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def softmax_cross_entropy(scores, y):
    """Mean cross-entropy of softmax(scores) against integer labels (lesson 06_dropout_mnist).

    scores: (N, C), y: (N,) ints in [0, C) -> loss (float), dscores = (softmax - one_hot) / N
    of shape (N, C). The log-probabilities come from log-sum-exp, so scores of +-1e4 are fine.
    """
    n = scores.shape[0]
    z = scores - scores.max(axis=1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    rows = np.arange(n)
    loss = -float(np.mean(log_probs[rows, y]))
    dscores = np.exp(log_probs)
    dscores[rows, y] -= 1
    return loss, dscores / n


def softmax_backward(dout, probs):
    """Backward through softmax given its output ``probs`` (lesson 06_dropout_mnist):
    dx_i = p_i (dout_i - sum_j dout_j p_j). (N, C) -> (N, C)."""
    return probs * (dout - (dout * probs).sum(axis=1, keepdims=True))


def sigmoid_binary_cross_entropy(scores, target):
    """Cross-entropy of sigmoid outputs against targets in [0, 1], summed over the C outputs
    and averaged over N (Nielsen, Neural Networks and Deep Learning, ch. 3:
    C = -1/n sum_x sum_j [y_j ln a_j + (1 - y_j) ln(1 - a_j)], a = sigmoid(scores)).

    scores, target: (N, C) -> loss (float), dscores = (sigmoid(scores) - target) / N
    (the sigmoid's slope cancels: why this cost learns fast from saturated outputs).
    Computed from the scores as max(s, 0) - s y + log(1 + e^-|s|), so no log of 0."""
    n = scores.shape[0]
    per_unit = np.maximum(scores, 0) - scores * target + np.log1p(np.exp(-np.abs(scores)))
    out = get_activation("sigmoid").f(scores)
    return float(np.sum(per_unit) / n), (out - target) / n


def sse_loss(out, target):
    """Sum of squared errors, 1/2 sum_k (out_k - target_k)^2 per sample, averaged over N
    (lesson 03_backprop_walkthrough: for one sample this is exactly E_total).

    out, target: (N, K) -> loss (float), dout = (out - target) / N of shape (N, K)."""
    diff = out - target
    n = out.shape[0]
    return float(0.5 * np.sum(diff * diff) / n), diff / n
