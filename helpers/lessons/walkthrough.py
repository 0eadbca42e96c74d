"""The slides' 2-2-2 backpropagation example, number by number, in scalars and in matrices.

The network: inputs i1, i2 -> logistic hidden units h1, h2 -> logistic outputs o1, o2, one
training sample, error E_total = 1/2 (t1 - out_o1)^2 + 1/2 (t2 - out_o2)^2, learning rate 0.5.
Weights are named as on the slides (the convention that reproduces their numbers):

    net_h1 = w1*i1 + w2*i2 + b1      net_o1 = w5*out_h1 + w6*out_h2 + b2
    net_h2 = w3*i1 + w4*i2 + b1      net_o2 = w7*out_h1 + w8*out_h2 + b2

Biases stay fixed in the example (only w1..w8 are updated).

Scalar functions, one named quantity per chain-rule factor, for reading next to the slides:
``forward``, ``backward``, ``update``, ``step``, ``error``. Matrix functions, the same maths
for any layer width: ``to_matrices`` / ``from_matrices`` (the ``helpers.models.MLP`` layout,
W of shape (fan_in, fan_out)), ``output_delta`` / ``hidden_delta`` (the deltas of a batch, the
references of lesson 03's exercises), ``matrix_gradients`` and ``train`` (many steps,
vectorised).
``matches_slide`` compares a computed number with a rounded slide value.
Omits: more than one hidden layer and mini-batches (``helpers.models.MLP`` does those).
"""

import math
from decimal import Decimal

import numpy as np

from ..activations import sigmoid
from ..validate import as_float_array, check_choice, check_positive

INPUTS = (0.05, 0.10)
TARGETS = (0.01, 0.99)
WEIGHTS = {"w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30, "b1": 0.35,
           "w5": 0.40, "w6": 0.45, "w7": 0.50, "w8": 0.55, "b2": 0.60}
LEARNING_RATE = 0.5
WEIGHT_NAMES = ("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8")

# Which unit each weight feeds and which unit it comes from: w -> (from, to).
CONNECTIONS = {"w1": ("i1", "h1"), "w2": ("i2", "h1"), "w3": ("i1", "h2"), "w4": ("i2", "h2"),
               "w5": ("h1", "o1"), "w6": ("h2", "o1"), "w7": ("h1", "o2"), "w8": ("h2", "o2")}


def logistic(x):
    """1 / (1 + e^-x) for one float (the slides' "1/1 + e^-x" means this)."""
    return 1.0 / (1.0 + math.exp(-x))


def _weights(w):
    missing = [k for k in WEIGHTS if k not in w]
    if missing:
        raise ValueError(f"w: expected a dict with keys {list(WEIGHTS)}, missing {missing}")
    return w


def forward(w=None, inputs=INPUTS, targets=TARGETS):
    """Forward pass of the 2-2-2 net. Returns a dict of floats: net_h1, net_h2, out_h1,
    out_h2, net_o1, net_o2, out_o1, out_o2, E_o1, E_o2, E_total."""
    w = _weights(WEIGHTS if w is None else w)
    i1, i2 = inputs
    t1, t2 = targets
    q = {"net_h1": w["w1"] * i1 + w["w2"] * i2 + w["b1"],
         "net_h2": w["w3"] * i1 + w["w4"] * i2 + w["b1"]}
    q["out_h1"], q["out_h2"] = logistic(q["net_h1"]), logistic(q["net_h2"])
    q["net_o1"] = w["w5"] * q["out_h1"] + w["w6"] * q["out_h2"] + w["b2"]
    q["net_o2"] = w["w7"] * q["out_h1"] + w["w8"] * q["out_h2"] + w["b2"]
    q["out_o1"], q["out_o2"] = logistic(q["net_o1"]), logistic(q["net_o2"])
    q["E_o1"] = 0.5 * (t1 - q["out_o1"]) ** 2
    q["E_o2"] = 0.5 * (t2 - q["out_o2"]) ** 2
    q["E_total"] = q["E_o1"] + q["E_o2"]
    return q


def error(w=None, inputs=INPUTS, targets=TARGETS):
    """E_total for the weights ``w`` (a dict like ``WEIGHTS``)."""
    return forward(w, inputs, targets)["E_total"]


def backward(w=None, inputs=INPUTS, targets=TARGETS, back_weights=None):
    """Every chain-rule factor of the slides, plus dE/dw1..dE/dw8, as a dict of floats.

    Keys: 'dE/dout_o1', 'dout_o1/dnet_o1', 'dE/dnet_o1' (the delta of o1; same for o2),
    'dE/dw5'..'dE/dw8', 'dE_o1/dout_h1', 'dE_o2/dout_h1', 'dE/dout_h1', 'dout_h1/dnet_h1'
    (same for h2), 'dE/dw1'..'dE/dw4'; the forward values are included too.
    back_weights: the w5..w8 used to send the output deltas back to the hidden units;
    default ``w`` itself (correct). Passing already-updated weights reproduces the slide's
    inconsistent variant.
    """
    w = _weights(WEIGHTS if w is None else w)
    bw = w if back_weights is None else back_weights
    i1, i2 = inputs
    t1, t2 = targets
    q = forward(w, inputs, targets)
    h = {"h1": q["out_h1"], "h2": q["out_h2"]}
    x = {"i1": i1, "i2": i2}
    for o, t in (("o1", t1), ("o2", t2)):
        out = q[f"out_{o}"]
        q[f"dE/dout_{o}"] = -(t - out)          # d/dout of 1/2 (t - out)^2
        q[f"dout_{o}/dnet_{o}"] = out * (1.0 - out)  # logistic'(net) = out (1 - out)
        q[f"dE/dnet_{o}"] = q[f"dE/dout_{o}"] * q[f"dout_{o}/dnet_{o}"]
    for name in ("w5", "w6", "w7", "w8"):
        src, dst = CONNECTIONS[name]
        q[f"dnet_{dst}/d{name}"] = h[src]
        q[f"dE/d{name}"] = q[f"dE/dnet_{dst}"] * h[src]
    for hid in ("h1", "h2"):
        total = 0.0
        for name in ("w5", "w6", "w7", "w8"):
            src, dst = CONNECTIONS[name]
            if src == hid:  # dnet_dst/dout_hid = this weight
                key = f"dE_{dst}/dout_{hid}"
                q[key] = q[f"dE/dnet_{dst}"] * bw[name]
                total += q[key]
        q[f"dE/dout_{hid}"] = total
        q[f"dout_{hid}/dnet_{hid}"] = h[hid] * (1.0 - h[hid])
        q[f"dE/dnet_{hid}"] = total * q[f"dout_{hid}/dnet_{hid}"]
    for name in ("w1", "w2", "w3", "w4"):
        src, dst = CONNECTIONS[name]
        q[f"dnet_{dst}/d{name}"] = x[src]
        q[f"dE/d{name}"] = q[f"dE/dnet_{dst}"] * x[src]
    return q


def update(w, grads, lr=LEARNING_RATE):
    """New weights w_k - lr * dE/dw_k for w1..w8; biases are copied unchanged."""
    check_positive(lr, "lr")
    new = dict(_weights(w))
    for name in WEIGHT_NAMES:
        new[name] = w[name] - lr * grads[f"dE/d{name}"]
    return new


def step(w=None, lr=LEARNING_RATE, hidden_uses="original", inputs=INPUTS, targets=TARGETS):
    """One gradient-descent step on w1..w8. Returns (new weights, backward quantities).

    hidden_uses='original' (correct): every gradient is taken at the current weights.
    hidden_uses='updated' (the slide's variant): w5..w8 are updated first and the updated
    values are used to send the error back to h1, h2.
    """
    check_choice(hidden_uses, "hidden_uses", ("original", "updated"))
    w = _weights(WEIGHTS if w is None else w)
    q = backward(w, inputs, targets)
    if hidden_uses == "updated":
        q = backward(w, inputs, targets, back_weights=update(w, q, lr))
    return update(w, q, lr), q


# ---------------------------------------------------------------------------- matrices
def to_matrices(w=None):
    """Weights dict -> {'W1', 'b1', 'W2', 'b2'} float64 arrays in the MLP layout:
    W1[k, j] = weight from input k to hidden unit j, so W1 = [[w1, w3], [w2, w4]],
    W2 = [[w5, w7], [w6, w8]], b1 = [b1, b1], b2 = [b2, b2]."""
    w = _weights(WEIGHTS if w is None else w)
    return {"W1": np.array([[w["w1"], w["w3"]], [w["w2"], w["w4"]]]),
            "b1": np.array([w["b1"], w["b1"]]),
            "W2": np.array([[w["w5"], w["w7"]], [w["w6"], w["w8"]]]),
            "b2": np.array([w["b2"], w["b2"]])}


def weight_labels():
    """The weights' names as LaTeX strings in the ``to_matrices`` layout, for labelling a
    diagram's edges (lesson 03): [[["$w_1$", "$w_3$"], ["$w_2$", "$w_4$"]], W2's names]."""
    m = to_matrices({k: f"$w_{k[1:]}$" if k in WEIGHT_NAMES else k for k in WEIGHTS})
    return [m["W1"].tolist(), m["W2"].tolist()]


def from_matrices(params):
    """Inverse of ``to_matrices`` (each layer's two bias entries must be equal)."""
    W1, W2 = np.asarray(params["W1"]), np.asarray(params["W2"])
    b1, b2 = np.asarray(params["b1"]), np.asarray(params["b2"])
    if W1.shape != (2, 2) or W2.shape != (2, 2) or b1.shape != (2,) or b2.shape != (2,):
        raise ValueError("params: expected W1, W2 of shape (2, 2) and b1, b2 of shape (2,), "
                         f"got {W1.shape}, {W2.shape}, {b1.shape}, {b2.shape}")
    if b1[0] != b1[1] or b2[0] != b2[1]:
        raise ValueError(f"params: the example shares one bias per layer, got b1={b1}, b2={b2}")
    return {"w1": float(W1[0, 0]), "w2": float(W1[1, 0]), "w3": float(W1[0, 1]),
            "w4": float(W1[1, 1]), "b1": float(b1[0]),
            "w5": float(W2[0, 0]), "w6": float(W2[1, 0]), "w7": float(W2[0, 1]),
            "w8": float(W2[1, 1]), "b2": float(b2[0])}


def output_delta(out, target):
    """dE/dnet of a layer of logistic output units under E = 1/2 sum (target - out)^2:
    out, target (N, K) -> (N, K)."""
    return (out - target) * out * (1 - out)


def hidden_delta(delta_out, W_out, h):
    """dE/dnet of a layer of logistic hidden units: each unit sums the deltas of the layer
    above along its outgoing weights, times its own slope h (1 - h).
    delta_out (N, K), W_out (H, K) (row = hidden unit), h (N, H) hidden outputs -> (N, H)."""
    return (delta_out @ W_out.T) * h * (1 - h)


def matrix_gradients(params, X, T):
    """Backpropagation for sigmoid -> sigmoid with E = 1/2 sum (T - out)^2 (summed over the
    rows of X, so for one sample it is the slides' E_total).

    params: {'W1' (D, H), 'b1' (H,), 'W2' (H, C), 'b2' (C,)}; X: (N, D); T: (N, C).
    Returns (E, grads) with grads of the same keys and shapes as params.
    """
    X = as_float_array(X, "X", np.float64, ndim=2)
    T = as_float_array(T, "T", np.float64, ndim=2)
    H = sigmoid(X @ params["W1"] + params["b1"])        # (N, H) hidden outputs
    out = sigmoid(H @ params["W2"] + params["b2"])      # (N, C) network outputs
    E = 0.5 * float(np.sum((T - out) ** 2))
    delta_o = output_delta(out, T)                      # dE/dnet at the outputs
    delta_h = hidden_delta(delta_o, params["W2"], H)    # dE/dnet at the hidden units
    grads = {"W2": H.T @ delta_o, "b2": delta_o.sum(axis=0),
             "W1": X.T @ delta_h, "b1": delta_h.sum(axis=0)}
    return E, grads


def train(params, X, T, lr=LEARNING_RATE, steps=10_000, update_biases=False):
    """``steps`` gradient-descent steps with ``matrix_gradients`` (``params`` is not modified).

    Returns (new params, errors) where errors[k] is E before step k+1, so errors[0] is the
    starting error and errors[steps] the error after the last step (length steps + 1).
    Biases are updated only when ``update_biases`` (the slides' example keeps them fixed).
    """
    check_positive(lr, "lr")
    check_positive(steps, "steps", integer=True, allow_zero=True)
    p = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    keys = ("W1", "b1", "W2", "b2") if update_biases else ("W1", "W2")
    errors = np.empty(steps + 1)
    for k in range(steps):
        errors[k], grads = matrix_gradients(p, X, T)
        for name in keys:
            p[name] -= lr * grads[name]
    errors[steps] = matrix_gradients(p, X, T)[0]
    return p, errors


# ---------------------------------------------------------------------------- slides
def decimals(slide_value):
    """Number of decimals written in a slide value given as a string ('0.75136507' -> 8)."""
    exponent = Decimal(str(slide_value).strip()).as_tuple().exponent
    return max(0, -exponent)


def matches_slide(computed, slide_value):
    """True when ``computed`` rounds to the slide value, given as a string so its number of
    decimals is known: |computed - slide| <= 0.5 * 10^-decimals (+ 1e-12 for float noise)."""
    tol = 0.5 * 10.0 ** -decimals(slide_value) + 1e-12
    return abs(float(computed) - float(slide_value)) <= tol
