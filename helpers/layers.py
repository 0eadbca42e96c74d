"""Layers as forward/backward pairs with caches, in the style of CS231n.

``*_forward`` returns ``(out, cache)``; ``*_backward(dout, cache)`` returns the gradients of
the loss with respect to the inputs (and parameters). Losses return ``(loss, dscores)``.
Shapes: N = batch size, D = input features, M = output features, C = classes.
Everything keeps the dtype of its inputs (float32 in training, float64 in gradient checks).
Omits: convolutions, batch norm.
"""

import math

import numpy as np

from .activations import get_activation
from .validate import check_choice, check_keep_prob

DROPOUT_FORMS = ("inverted", "scale_at_test")


def affine_forward(x, w, b):
    """out = x @ w + b.  x: (N, D), w: (D, M), b: (M,) -> out: (N, M)."""
    out = x @ w
    out += b
    return out, (x, w)


def affine_backward(dout, cache, need_dx=True):
    """dout: (N, M) -> dx (N, D) (None when ``need_dx`` is False), dw (D, M), db (M,)."""
    x, w = cache
    dw = x.T @ dout
    db = dout.sum(axis=0)
    dx = dout @ w.T if need_dx else None
    return dx, dw, db


def activation_forward(x, name, out=None):
    """y = f(x) elementwise for the activation called ``name``; the cache keeps y.
    ``out``: where to write y (``out=x`` computes in place, as the MLP does in training)."""
    act = get_activation(name)
    y = act.f(x) if out is None else act.f(x, out=out)
    return y, (y, act)


def activation_backward(dout, cache, out=None):
    """dx = dout * f'(x), with f'(x) computed from the stored output y (for ReLU the boolean
    y > 0, used as it is). ``out``: where to write dx (``out=dout`` works in place)."""
    y, act = cache
    grad = y > 0 if act.name == "relu" else act.grad_out(y)
    return np.multiply(dout, grad, out=out)


def dropout_forward(x, keep_prob, mode="train", rng=None, form="inverted"):
    """Dropout: keep each unit with probability ``keep_prob``, independently.

    form='inverted'      : train  out = x * mask / p,  test  out = x
    form='scale_at_test' : train  out = x * mask,      test  out = x * p   (the slides' form:
                           at test time every unit is on and its outgoing weights are scaled by
                           p, which is the same as scaling its output by p)
    Both give the same expected value during training as at test time.
    ``rng``: a numpy Generator or an int seed (a fixed seed gives a fixed mask).
    x: any shape -> out: same shape. The mask is drawn in one call (``_keep_mask``: the keep
    probability is p rounded to a multiple of 2**-16).
    """
    p = check_keep_prob(keep_prob)
    check_choice(mode, "mode", ("train", "test"))
    check_choice(form, "form", DROPOUT_FORMS)
    x = np.asarray(x)
    x = x if x.dtype.kind == "f" else x.astype(np.float64)
    if mode == "test" or p == 1.0:
        scale = p if (form == "scale_at_test" and mode == "test") else 1.0
        return (x * x.dtype.type(scale) if scale != 1.0 else x), (None, scale)
    mask = _scaled_mask(_keep_mask(rng, x.shape, p), p, form, x.dtype)
    return x * mask, (mask, None)


def relu_dropout_forward(x, keep_prob, rng=None, form="inverted"):
    """ReLU followed by dropout in training, computed in place in ``x`` (N, H).

    ReLU's derivative is a 0/1 mask itself (x > 0), so the two masks merge into one:
    mask = (x > 0 and kept) * (1/p or 1), out = x * mask. The same numbers as
    ``dropout_forward(relu(x), ...)`` with the same generator (units that are negative or
    dropped give 0, possibly -0.0), with three passes over x less; the cache is a dropout
    cache, so ``dropout_backward`` is the backward pass of both layers.
    """
    p = check_keep_prob(keep_prob)
    check_choice(form, "form", DROPOUT_FORMS)
    keep = _keep_mask(rng, x.shape, p)
    keep &= x > 0
    mask = _scaled_mask(keep, p, form, x.dtype)
    np.multiply(x, mask, out=x)
    return x, (mask, None)


def _scaled_mask(keep, p, form, dtype):
    """The mask a dropout layer multiplies by: kept units 1/p (inverted) or 1, dropped units 0."""
    return np.multiply(keep, dtype.type(1.0 / p if form == "inverted" else 1.0), dtype=dtype)


KEEP_BITS = 16
_RAW_64_BIT = (np.random.PCG64, np.random.PCG64DXSM, np.random.SFC64, np.random.Philox)


def _keep_mask(rng, shape, p):
    """Booleans of ``shape``, each True with probability p, drawn in one call.

    Each unit gets 16 random bits b and is kept when b < L = round(p * 2**16) (at least 1),
    so the keep probability is L / 65536: p to within 2**-17 (0.0000076). That is the same as
    ``rng.random(shape) < p`` in distribution with a quarter of the random bits of float64
    uniforms (half of float32 ones), which makes the masks about twice as fast. The bits are
    the generator's raw 64-bit draws cut into four (for the bit generators whose raw draws
    have 64 random bits, like the default PCG64), else ``rng.integers``. ``rng``: a numpy
    Generator or an int seed.
    """
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    size, limit = math.prod(shape), max(1, round(p * 2 ** KEEP_BITS))
    if limit >= 2 ** KEEP_BITS:
        return np.ones(shape, dtype=bool)
    bitgen = rng.bit_generator
    if isinstance(bitgen, _RAW_64_BIT):
        bits = bitgen.random_raw(-(-size // 4)).view(np.uint16)[:size]
    else:
        bits = rng.integers(0, 2 ** KEEP_BITS, size, dtype=np.uint16)
    return (bits < limit).reshape(shape)


def dropout_backward(dout, cache, out=None):
    """dx = dout * (the same scaled mask as in the forward pass); ``out=dout`` works in place."""
    mask, scale = cache
    if mask is None:
        return np.multiply(dout, dout.dtype.type(scale), out=out) if scale != 1.0 else dout
    return np.multiply(dout, mask, out=out)


def softmax(scores):
    """Row-wise softmax, shifted by the row maximum so exp never overflows. (N, C) -> (N, C)."""
    z = scores - scores.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def softmax_cross_entropy(scores, y):
    """Mean cross-entropy of softmax(scores) against integer labels.

    scores: (N, C), y: (N,) ints in [0, C) -> loss (float), dscores (N, C).
    Uses log-sum-exp, so scores of +-1e4 are fine.
    """
    n = scores.shape[0]
    rows = np.arange(n)
    z = scores - scores.max(axis=1, keepdims=True)
    z_true = z[rows, y]
    probs = np.exp(z, out=z)
    norm = probs.sum(axis=1, keepdims=True)
    loss = float(np.mean(np.log(norm[:, 0]) - z_true))
    probs /= norm
    probs[rows, y] -= 1
    probs /= n
    return loss, probs


def softmax_backward(dout, probs):
    """Backward through softmax given its output ``probs``: (N, C) -> (N, C)."""
    return probs * (dout - (dout * probs).sum(axis=1, keepdims=True))


def sse_loss(out, target):
    """Sum of squared errors, 1/2 sum_k (out_k - target_k)^2 per sample, averaged over N.

    For one sample this is exactly the slides' E_total. out, target: (N, K) -> loss, dout.
    """
    diff = out - target
    n = out.shape[0]
    return float(0.5 * np.sum(diff * diff) / n), diff / diff.dtype.type(n)
