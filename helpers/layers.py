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


def activation_forward(x, name):
    """out = f(x) elementwise for the activation called ``name``; the cache keeps out."""
    act = get_activation(name)
    out = act.f(x)
    return out, (out, act)


def activation_backward(dout, cache):
    """dx = dout * f'(x), with f'(x) computed from the stored output."""
    out, act = cache
    return dout * act.grad_out(out)


def dropout_forward(x, keep_prob, mode="train", rng=None, form="inverted"):
    """Dropout: keep each unit with probability ``keep_prob``, independently.

    form='inverted'      : train  out = x * mask / p,  test  out = x
    form='scale_at_test' : train  out = x * mask,      test  out = x * p   (the slides' form:
                           at test time every unit is on and its outgoing weights are scaled by
                           p, which is the same as scaling its output by p)
    Both give the same expected value during training as at test time.
    ``rng``: a numpy Generator or an int seed (a fixed seed gives a fixed mask).
    x: any shape -> out: same shape. The mask is drawn in one call.
    """
    p = check_keep_prob(keep_prob)
    check_choice(mode, "mode", ("train", "test"))
    check_choice(form, "form", DROPOUT_FORMS)
    if mode == "test" or p == 1.0:
        scale = p if (form == "scale_at_test" and mode == "test") else 1.0
        return (x * x.dtype.type(scale) if scale != 1.0 else x), (None, scale)
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    dtype = x.dtype if x.dtype.kind == "f" else np.float64
    keep = _uniform_below(rng, x.shape, p, dtype)  # rng.random(x.shape, dtype) < p
    # the scaled mask: kept units get 1/p (inverted) or 1, dropped units 0
    mask = np.multiply(keep, dtype.type(1.0 / p if form == "inverted" else 1.0), dtype=dtype)
    return x * mask, (mask, None)


def _uniform_below(rng, shape, p, dtype):
    """``rng.random(shape, dtype=dtype) < p``: the same booleans and the same generator state
    afterwards, computed about twice as fast for float32.

    numpy makes a float32 uniform from 32 random bits b as (b >> 8) / 2**24, so u < p exactly
    when b < ceil(p * 2**24) * 256 (p rounded to float32, as in the comparison). Bit generators
    such as the default PCG64 cut each 64-bit draw into two such 32-bit halves, low half first;
    ``random_raw`` returns those 64-bit draws without the per-number overhead. Used only when
    that is verified for the generator's type (``_raw_draws_match``), the size is even and no
    half draw is pending in the generator's state; otherwise the plain ``rng.random``.
    """
    size = math.prod(shape)
    bitgen = rng.bit_generator
    if (dtype == np.float32 and size % 2 == 0 and _raw_draws_match(type(bitgen))
            and bitgen.state.get("has_uint32", 1) == 0):
        bits = bitgen.random_raw(size // 2).view(np.uint32).reshape(shape)
        return bits < _bits_limit(p)
    return rng.random(shape, dtype=dtype) < p


def _bits_limit(p):
    """The L with  (b >> 8) / 2**24 < p  <=>  b < L  for 32-bit b (p rounded to float32)."""
    return math.ceil(float(np.float32(p)) * 2 ** 24) * 256


_RAW_DRAWS_MATCH = {}


def _raw_draws_match(kind):
    """Whether float32 draws of bit generator type ``kind`` are the halves of its raw draws."""
    if kind not in _RAW_DRAWS_MATCH:
        try:
            a, b = np.random.Generator(kind(2024)), np.random.Generator(kind(2024))
            halves = b.bit_generator.random_raw(500).view(np.uint32)
            _RAW_DRAWS_MATCH[kind] = bool(
                np.array_equal(a.random(1000, dtype=np.float32), (halves >> 8) / 2.0 ** 24)
                and a.random() == b.random())
        except Exception:  # noqa: BLE001 - an unusual bit generator: use the plain path
            _RAW_DRAWS_MATCH[kind] = False
    return _RAW_DRAWS_MATCH[kind]


def dropout_backward(dout, cache):
    """dx = dout * (the same scaled mask as in the forward pass)."""
    mask, scale = cache
    if mask is None:
        return dout * dout.dtype.type(scale) if scale != 1.0 else dout
    return dout * mask


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
    z = scores - scores.max(axis=1, keepdims=True)
    rows = np.arange(n)
    log_norm = np.log(np.exp(z).sum(axis=1))
    loss = float(np.mean(log_norm - z[rows, y]))
    probs = np.exp(z - log_norm[:, None])
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
