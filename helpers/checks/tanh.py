"""Checks of lab 02 (tanh network): ``tanh``, ``tanh_derivative_from_output``, ``forward``,
``backward`` and ``update`` of a one-hidden-layer network with tanh hidden and output units
and the SSE loss of ``helpers.layers.sse_loss`` (1/2 sum of squared errors per sample,
averaged over the N samples).

Conventions of the lab: params = {'W1': (D, H), 'b1': (H,), 'W2': (H, K), 'b2': (K,)};
``forward(X, params)`` returns ``(out, cache)`` with ``cache = (H, out)`` where H is the
hidden layer's output; ``backward(X, Y, params, cache)`` returns the gradients as a dict with
the keys of params; ``update(params, grads, lr)`` changes the arrays of params in place.
References: ``helpers.activations`` and ``helpers.models.MLP(..., activation='tanh',
output='tanh', loss='sse', dtype=np.float64)``; gradients also against numerical ones.
"""

import numpy as np

from ..activations import ACTIVATIONS
from ..activations import sigmoid as ref_sigmoid
from ..activations import tanh as ref_tanh
from ..gradcheck import numerical_gradient, rel_error
from ..layers import sse_loss
from ..models import MLP
from . import core
from .core import Mistake, compare_arrays, expect_unchanged, fail, fresh_rng, passed, run_student

STABLE_HINT = ("for large |x|, np.exp(x) overflows: numpy has a tanh of its own, or use a "
               "form that only takes exp of a negative number, e.g. sign(x) * (1 - e^(-2|x|)) "
               "/ (1 + e^(-2|x|))")

# the course's own implementations of this lab's exercises: an exercise cell that uses one
# is flagged by the grader for a human to review (helpers.instructor.grading.labs.flags)
REFERENCES = ("helpers.activations", "helpers.models.MLP", "helpers.layers")

_SLOPE = ACTIVATIONS["tanh"].grad_out  # y -> 1 - y^2


#: check_elementwise's arguments of check_tanh: the cases (description, x drawn from the rng)
#: and the known mistakes (label, what it answers on x, hint)
_TANH = dict(
    name="tanh(x)", arg_name="x", reference=ref_tanh, atol=1e-7,
    rtol=lambda x: 1e-5 if x.dtype == np.float32 else 1e-7,
    hint="tanh(x) = (e^x - e^-x) / (e^x + e^-x), applied to every element",
    cases=(("a vector of 7 random values", lambda rng: rng.standard_normal(7) * 3),
           ("a 3x4 matrix of random values", lambda rng: rng.standard_normal((3, 4)) * 2),
           ("a float32 vector", lambda rng: (rng.standard_normal(6) * 2).astype(np.float32)),
           ("a single number (0-d array)", lambda rng: np.array(rng.standard_normal())),
           ("zeros", lambda rng: np.zeros(3))),
    mistakes=(("the logistic sigmoid instead of tanh", ref_sigmoid,
               "tanh is centred on 0: its outputs lie between -1 and 1"),
              ("tanh with the sign of one exponent flipped",
               lambda x: np.ones_like(x, dtype=np.float64),
               "tanh(x) = (e^x - e^-x) / (e^x + e^-x): numerator and denominator differ in one "
               "sign")))


def check_tanh(tanh):
    """tanh(x) -> np.tanh(x), elementwise, any shape, no overflow for |x| up to 1e4."""
    __tracebackhide__ = True
    name = _TANH["name"]
    n = core.check_elementwise(tanh, **_TANH)
    case = "large inputs [-1e4, -800, -30, 0, 30, 800, 1e4] (must not overflow)"
    x = np.array([-1e4, -800.0, -30.0, 0.0, 30.0, 800.0, 1e4])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        got = run_student(tanh, x.copy(), name=name, case=case, hint=STABLE_HINT)
    compare_arrays(name, got, ref_tanh(x), case=case, rtol=1e-7, atol=1e-12, hint=STABLE_HINT)
    passed("tanh", n + 1)


#: check_elementwise's arguments of check_tanh_derivative_from_output, as for ``_TANH``
_TANH_DERIVATIVE = dict(
    name="tanh_derivative_from_output(y)", arg_name="y", reference=_SLOPE, rtol=1e-6,
    atol=1e-7, hint="the argument is already the OUTPUT y = tanh(x): write the slope with y "
                    "alone (see the docstring); do not apply tanh to y again",
    cases=(("y = tanh of 8 random values", lambda rng: np.tanh(rng.standard_normal(8) * 2)),
           ("y = tanh of a random 4x3 matrix", lambda rng: np.tanh(rng.standard_normal((4, 3)))),
           ("y = [-1, -0.5, 0, 0.5, 1]", lambda rng: np.array([-1.0, -0.5, 0.0, 0.5, 1.0])),
           ("y in float32", lambda rng: np.tanh(rng.standard_normal(5)).astype(np.float32))),
    mistakes=(("tanh applied to the output again (the slope of the net input's tanh, not of "
               "the output)", lambda y: _SLOPE(np.tanh(y)),
               "the argument is already the OUTPUT y = tanh(x): write the slope with y alone"),
              ("the sigmoid's slope y (1 - y)", lambda y: y * (1 - y),
               "differentiate tanh, not the sigmoid, and write it with y"),
              ("the square forgotten (1 - y)", lambda y: 1 - y,
               "d tanh(x)/dx = 1 - tanh(x)^2: the output appears squared")))


def check_tanh_derivative_from_output(tanh_derivative_from_output):
    """tanh_derivative_from_output(y) -> 1 - y**2, where y = tanh(x) is the unit's output."""
    __tracebackhide__ = True
    n = core.check_elementwise(tanh_derivative_from_output, **_TANH_DERIVATIVE)
    passed("tanh_derivative_from_output", n)


# ------------------------------------------------------------------------ the network

def _network(rng, d, h, k):
    """A float64 reference MLP with random weights AND random biases (so b counts)."""
    model = MLP([d, h, k], activation="tanh", output="tanh", loss="sse", dtype=np.float64,
                seed=int(rng.integers(2**31)))
    for key in ("b1", "b2"):
        model.params[key] = rng.standard_normal(model.params[key].shape) * 0.5
    model.params["W1"] = model.params["W1"] * 1.5
    return model


def _copy(params):
    return {k: v.copy() for k, v in params.items()}


def _cases(rng):
    x_xor = np.array([[-1, -1], [-1, 1], [1, -1], [1, 1]], dtype=np.float64)
    return [
        ("the XOR table (4 samples, 2 inputs), 3 hidden units, 1 output", x_xor, 3, 1),
        ("1 sample, 3 inputs, 4 hidden units, 1 output", rng.standard_normal((1, 3)), 4, 1),
        ("10 samples, 5 inputs, 7 hidden units, 3 outputs", rng.standard_normal((10, 5)), 7, 3),
        ("25 samples, 2 inputs, 16 hidden units, 1 output", rng.standard_normal((25, 2)), 16, 1),
    ]


def check_forward(forward):
    """forward(X, params) -> (out, cache) with out = tanh(tanh(X @ W1 + b1) @ W2 + b2)."""
    __tracebackhide__ = True
    name = "forward(X, params)"
    rng = fresh_rng()
    cases = _cases(rng)
    for case, X, h, k in cases:
        model = _network(rng, X.shape[1], h, k)
        params = _copy(model.params)
        result = run_student(forward, X.copy(), params, name=name, case=case)
        out, cache = core.unpack(name, result, ("out", "cache"), case)
        hidden = np.tanh(X @ model.params["W1"] + model.params["b1"])
        cache = core.unpack(f"{name}: cache", cache, ("H", "out"), case)
        compare_arrays(f"{name}: H (the hidden layer's output, cache[0])", cache[0], hidden,
                       case=case, rtol=1e-6, atol=1e-9,
                       hint="the hidden layer is tanh of (the inputs times W1, plus b1): one "
                            "row per sample, shape (N, hidden units)",
                       mistakes=[Mistake("the hidden bias b1 left out",
                                         np.tanh(X @ model.params["W1"]),
                                         "every unit adds its bias to its weighted sum"),
                                 Mistake("the sigmoid instead of tanh in the hidden layer",
                                         ref_sigmoid(X @ model.params["W1"]
                                                     + model.params["b1"]),
                                         "this network's units are tanh units")])
        compare_arrays(f"{name}: out", out, model.forward(X), case=case, rtol=1e-6, atol=1e-9,
                       hint="the output layer does the same with H, W2 and b2, shape (N, "
                            "outputs); the output unit is tanh too",
                       mistakes=[Mistake("a linear output (no tanh on the output unit)",
                                         hidden @ model.params["W2"] + model.params["b2"],
                                         "the output units are tanh units as well"),
                                 Mistake("the output bias b2 left out",
                                         np.tanh(hidden @ model.params["W2"]),
                                         "every unit adds its bias to its weighted sum")])
        for key in params:
            expect_unchanged(name, f"params[{key!r}]", params[key], model.params[key], case)
    passed("forward", len(cases))


def _ref_backward(X, Y, params, hidden, out, slope=None, scale=None, sign=1.0):
    """The gradients of the mean SSE, or those of a known slip: ``slope(y)`` replacing
    tanh's slope 1 - y^2 (given the output y), ``scale`` replacing 1/N, ``sign`` -1."""
    slope = slope or ACTIVATIONS["tanh"].grad_out
    scale = 1.0 / X.shape[0] if scale is None else scale
    dz2 = sign * (out - Y) * scale * slope(out)
    dz1 = (dz2 @ params["W2"].T) * slope(hidden)
    return {"W1": X.T @ dz1, "b1": dz1.sum(axis=0), "W2": hidden.T @ dz2,
            "b2": dz2.sum(axis=0)}


def _backward_mistakes(X, Y, params, hidden, out):
    """{key: [Mistake, ...]}: the gradients each usual slip gives, per parameter."""
    n = X.shape[0]
    slips = [
        ("tanh' taken of tanh(output), as if the output were the net input",
         dict(slope=lambda y: 1 - np.tanh(y) ** 2),
         "the cache holds the units' OUTPUTS: tanh's slope is 1 - (output)^2 of those"),
        ("tanh's derivative forgotten", dict(slope=np.ones_like),
         "going back through a tanh unit multiplies by its slope, at the output and at "
         "the hidden layer"),
        ("the wrong sign", dict(sign=-1.0),
         "dLoss/dout is out minus the target; update subtracts the gradient"),
    ]
    if n > 1:  # with one sample the sum and the mean agree
        slips += [("the sum over the batch instead of the mean (N times too large)",
                   dict(scale=1.0), "the loss is averaged over the N samples: divide by N "
                   "once"),
                  ("divided by N twice (N times too small)", dict(scale=1.0 / n ** 2),
                   "divide by N only once")]
    mistakes = {key: [] for key in params}
    for label, variant, hint in slips:
        wrong = _ref_backward(X, Y, params, hidden, out, **variant)
        for key in params:
            mistakes[key].append(Mistake(label, wrong[key], hint))
    return mistakes


def check_backward(backward):
    """backward(X, Y, params, cache) -> grads {'W1', 'b1', 'W2', 'b2'} of the mean SSE loss."""
    __tracebackhide__ = True
    name = "backward(X, Y, params, cache)"
    rng = fresh_rng()
    cases = _cases(rng)
    hint = ("apply the chain rule from the loss back to each parameter, one layer at a "
            "time: through the output units' slope, the output weights, then the hidden "
            "units' slope; every gradient has the shape of its parameter")
    for case, X, h, k in cases:
        model = _network(rng, X.shape[1], h, k)
        Y = rng.choice([-1.0, 1.0], size=(X.shape[0], k))
        params = _copy(model.params)
        hidden = np.tanh(X @ params["W1"] + params["b1"])
        out = np.tanh(hidden @ params["W2"] + params["b2"])
        grads = run_student(backward, X.copy(), Y.copy(), params, (hidden.copy(), out.copy()),
                            name=name, case=case)
        _, expected = model.loss(X, Y)
        core.compare_dict(name, grads, expected, case=case, rtol=1e-6, atol=1e-9, hint=hint,
                          mistakes=_backward_mistakes(X, Y, params, hidden, out))
        for key in params:
            expect_unchanged(name, f"params[{key!r}]", params[key], model.params[key], case)

        # the same gradients, numerically, from the loss alone
        def loss(p=params, x=X, t=Y):
            hid = np.tanh(x @ p["W1"] + p["b1"])
            return sse_loss(np.tanh(hid @ p["W2"] + p["b2"]), t)[0]

        for key in ("W1", "b1", "W2", "b2"):
            numeric = numerical_gradient(loss, params[key])
            got_key = np.asarray(grads[key], dtype=np.float64)
            err = rel_error(got_key, numeric)
            # finite differences carry their own error (~1e-9 absolute): the exact comparison
            # with the MLP above is the strict test, this one is an independent witness
            if err > 1e-5 and np.max(np.abs(got_key - numeric)) > 1e-6:
                fail(f"{name}[{key!r}]", f"the gradient of {key} does not match the numerical "
                     "gradient", case,
                     "relative error < 1e-5", f"relative error {err:.2e}", hint=hint)
    passed("backward", len(cases), " (also against numerical gradients)")


def check_update(update):
    """update(params, grads, lr): params[k] -= lr * grads[k] for every key, in place."""
    __tracebackhide__ = True
    name = "update(params, grads, lr)"
    rng = fresh_rng()
    cases = []
    for d, h, k, lr in [(2, 3, 1, 0.1), (5, 7, 3, 0.5), (2, 16, 1, 1.0)]:
        params = _network(rng, d, h, k).params
        grads = {key: rng.standard_normal(v.shape) for key, v in params.items()}
        cases.append((f"a {d}-{h}-{k} network, lr={lr}", params, grads, lr))
    params = _network(rng, 4, 5, 2).params
    params.update(W3=rng.standard_normal((2, 3)), b3=rng.standard_normal(3))
    grads = {key: rng.standard_normal(v.shape) for key, v in params.items()}
    cases.append(("params with a third layer (W3, b3): every key must be updated",
                  params, grads, 0.2))
    for case, params0, grads0, lr in cases:
        params, grads = _copy(params0), _copy(grads0)
        arrays = dict(params)  # the original array objects
        run_student(update, params, grads, lr, name=name, case=case)
        for key in grads0:
            expect_unchanged(name, f"grads[{key!r}]", grads[key], grads0[key], case)
        for key in params0:
            want = params0[key] - lr * grads0[key]
            got = arrays[key]
            if not np.allclose(got, want) and key in params and params[key] is not got \
                    and np.allclose(np.asarray(params[key], dtype=np.float64), want):
                fail(name, f"params[{key!r}] was replaced by a new array, not updated in place",
                     case, "the same array object, with new values",
                     "a new array in the dict; the original array is unchanged",
                     hint="update each array in place (an augmented assignment); "
                          "params[key] = params[key] - ... builds a new array")
            compare_arrays(f"{name}: params[{key!r}] after the call", got, want, case=case,
                           rtol=1e-9, atol=1e-12,
                           hint="loop over every key and move each array a step of lr "
                                "against its gradient",
                           mistakes=[Mistake("a step uphill (along the gradient)",
                                             params0[key] + lr * grads0[key],
                                             "the gradient points uphill: descend against it"),
                                     Mistake("the learning rate left out",
                                             params0[key] - grads0[key],
                                             "scale each step by lr")])
    passed("update", len(cases))
