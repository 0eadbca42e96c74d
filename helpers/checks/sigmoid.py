"""Checks of lab 03 (sigmoid network in plain Python/numpy): ``sigmoid``,
``sigmoid_derivative`` (from the output), the slides' single neuron ``NeuralNetwork`` once its
bugs are fixed (one check per bug, in ``slides_program``) and the shallow ``TwoLayerNetwork``.

Conventions of the lab (those of the slides): no biases (a constant input of 1 plays that
role), learning rate 1, the error is ``targets - output`` and each training step ADDS the
adjustment ``inputs.T @ (error * output * (1 - output))``, i.e. the negative gradient of
E = 1/2 * sum over samples of (target - output)^2.
NeuralNetwork(n_inputs=3, seed=2): numpy's legacy ``np.random.seed(seed)`` then
``synaptic_weights = 2 * np.random.random((n_inputs, 1)) - 1``; ``think(inputs)``;
``train(inputs, outputs, iterations)``.
TwoLayerNetwork: ``hidden_weights`` (D, H), ``output_weights`` (H, 1);
``think(inputs) -> (hidden, output)``;
``adjustments(inputs, targets, hidden, output) -> (hidden_adjustment, output_adjustment)``;
``train(inputs, targets, iterations)`` adds the adjustments. Its checks set the weights
themselves and judge only what the methods return and how ``think`` answers after training,
never the weights the object reports.
"""

import numpy as np

from ..activations import ACTIVATIONS
from ..activations import sigmoid as ref_sigmoid
from ..gradcheck import numerical_gradient, rel_error
from . import core
from .core import Mistake, compare_arrays, fail, fresh_rng, passed, run_student, unpack
from .slides_program import (  # the run-and-fix checks, one per bug of the slides
    check_constructor,
    check_methods,
    check_reproduces_slides,
    check_think,
    check_train,
)

# the course's own implementations of this lab's exercises: an exercise cell that uses one
# is flagged by the grader for a human to review (helpers.instructor.grading.labs.flags)
REFERENCES = ("helpers.activations", "helpers.models.MLP", "helpers.layers")

SLOPE = ACTIVATIONS["sigmoid"].grad_out  # y -> y (1 - y)

__all__ = ["check_sigmoid", "check_sigmoid_derivative", "check_methods",
           "check_constructor", "check_train", "check_think", "check_reproduces_slides",
           "check_two_layer_think", "check_two_layer_adjustments", "check_two_layer_train"]


#: check_elementwise's arguments of check_sigmoid: the cases (description, x drawn from the
#: rng) and the known mistakes (label, what it answers on x, hint)
_SIGMOID = dict(
    name="sigmoid(x)", arg_name="x", reference=ref_sigmoid, rtol=1e-7, atol=1e-12,
    hint="the logistic function 1 / (1 + e^-x) of EVERY element: use numpy's exponential, "
         "which works on whole arrays",
    cases=(("a vector of 7 random values", lambda rng: rng.standard_normal(7) * 3),
           ("a 4x1 column (like dot(inputs, weights))",
            lambda rng: rng.standard_normal((4, 1)) * 2),
           ("a 3x5 matrix", lambda rng: rng.standard_normal((3, 5))),
           ("zeros (sigmoid(0) = 0.5)", lambda rng: np.zeros(3)),
           ("large inputs [-1e4, -50, 50, 1e4] (outputs 0 and 1)",
            lambda rng: np.array([-1e4, -50.0, 50.0, 1e4]))),
    mistakes=(("the sign of the exponent flipped (e^x instead of e^-x)",
               lambda x: ref_sigmoid(-x),
               "sigmoid(x) must grow with x: large positive inputs give outputs near 1"),
              ("tanh instead of the logistic sigmoid", np.tanh,
               "the sigmoid's outputs lie between 0 and 1, tanh's between -1 and 1")))


def check_sigmoid(sigmoid):
    """sigmoid(x) -> 1 / (1 + e^-x), elementwise, any shape."""
    __tracebackhide__ = True
    with np.errstate(over="ignore"):  # 1/(1+exp(1e4)) = 1/inf = 0 is correct
        n = core.check_elementwise(sigmoid, **_SIGMOID)
    passed("sigmoid", n)


#: check_elementwise's arguments of check_sigmoid_derivative, as for ``_SIGMOID``
_SIGMOID_DERIVATIVE = dict(
    name="sigmoid_derivative(output)", arg_name="output", reference=SLOPE, rtol=1e-7,
    atol=1e-12, hint="the argument is already the neuron's OUTPUT y = sigmoid(x): write the "
                     "slope with y alone (see the docstring); do not apply sigmoid again",
    cases=(("output = sigmoid of 8 random values",
            lambda rng: ref_sigmoid(rng.standard_normal(8) * 2)),
           ("output = sigmoid of a random 4x1 column",
            lambda rng: ref_sigmoid(rng.standard_normal((4, 1)))),
           ("output = [0, 0.25, 0.5, 0.75, 1]",
            lambda rng: np.array([0.0, 0.25, 0.5, 0.75, 1.0]))),
    mistakes=(("sigmoid applied to the output again", lambda y: SLOPE(ref_sigmoid(y)),
               "the argument is already the neuron's OUTPUT y = sigmoid(x): write the slope "
               "with y alone, without calling sigmoid"),
              ("the slope written as 1 - y^2 (that is tanh's)", lambda y: 1 - y ** 2,
               "differentiate 1 / (1 + e^-x) and write the result with y")))


def check_sigmoid_derivative(sigmoid_derivative):
    """sigmoid_derivative(output) -> output * (1 - output) (the argument is y = sigmoid(x))."""
    __tracebackhide__ = True
    n = core.check_elementwise(sigmoid_derivative, **_SIGMOID_DERIVATIVE)
    passed("sigmoid_derivative", n)


# ------------------------------------------------------------------- the shallow network

def _two_layer(rng, cls, d, h, case):
    """A student network whose weights the check chose: (net, W1, W2) with the check's own
    copies of the weights (never read back from the object)."""
    __tracebackhide__ = True
    net = run_student(cls, d, h, name="TwoLayerNetwork", case=case)
    w1 = rng.standard_normal((d, h)) * 1.5
    w2 = rng.standard_normal((h, 1)) * 1.5
    net.hidden_weights = w1.copy()
    net.output_weights = w2.copy()
    return net, w1, w2


def _data_cases(rng):
    xor_x = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
    return [
        ("the XOR inputs (4 x 3), 4 hidden units", xor_x, np.array([[0, 1, 1, 0]], float).T, 4),
        ("7 random samples x 3 inputs, 5 hidden units", rng.standard_normal((7, 3)),
         rng.random((7, 1)), 5),
        ("1 sample x 4 inputs, 2 hidden units", rng.standard_normal((1, 4)),
         rng.random((1, 1)), 2),
    ]


def _ref_think(x, w1, w2):
    hidden = ref_sigmoid(x @ w1)
    return hidden, ref_sigmoid(hidden @ w2)


def _ref_adjustments(x, t, hidden, output, w2, out_slope=SLOPE, hid_slope=SLOPE):
    output_delta = (t - output) * out_slope(output)
    hidden_delta = (output_delta @ w2.T) * hid_slope(hidden)
    return x.T @ hidden_delta, hidden.T @ output_delta


def check_two_layer_think(TwoLayerNetwork):
    """TwoLayerNetwork.think(inputs) -> (hidden, output), both sigmoid layers, no biases,
    with the weights the check sets."""
    __tracebackhide__ = True
    name = "TwoLayerNetwork.think(inputs)"
    rng = fresh_rng()
    cases = _data_cases(rng)
    for case, inputs, _, h in cases:
        net, w1, w2 = _two_layer(rng, TwoLayerNetwork, inputs.shape[1], h, case)
        result = run_student(net.think, inputs.copy(), name=name, case=case)
        hidden, output = unpack(name, result, ("hidden", "output"), case)
        ref_hidden, ref_output = _ref_think(inputs, w1, w2)
        compare_arrays(f"{name}: hidden", hidden, ref_hidden, case=case, rtol=1e-7,
                       atol=1e-12, hint="the hidden layer is the sigmoid of the inputs "
                                        "times the hidden weights (a matrix product)",
                       mistakes=[Mistake("the hidden layer without its sigmoid", inputs @ w1,
                                         "every hidden neuron passes its weighted sum "
                                         "through the sigmoid")])
        compare_arrays(f"{name}: output", output, ref_output, case=case, rtol=1e-7, atol=1e-12,
                       hint="the output neuron does the same with the hidden layer and the "
                            "output weights",
                       mistakes=[Mistake("the output neuron fed with the inputs' weighted sum, "
                                         "not the hidden layer's output",
                                         ref_sigmoid((inputs @ w1) @ w2),
                                         "the output neuron's inputs are the hidden "
                                         "neurons' outputs (after their sigmoid)")])
    passed("TwoLayerNetwork.think", len(cases))


def check_two_layer_adjustments(TwoLayerNetwork):
    """TwoLayerNetwork.adjustments(...) -> the negative gradients of
    E = 1/2 sum (targets - output)^2 with respect to hidden_weights and output_weights."""
    __tracebackhide__ = True
    name = "TwoLayerNetwork.adjustments(inputs, targets, hidden, output)"
    rng = fresh_rng()
    cases = _data_cases(rng)
    hint = ("backpropagate: start from the error times the output's slope, send it back "
            "through the weights that connect each hidden neuron to the output, and scale it "
            "by that hidden neuron's own slope; each adjustment pairs a layer's input with "
            "its delta")
    for case, inputs, targets, h in cases:
        net, w1, w2 = _two_layer(rng, TwoLayerNetwork, inputs.shape[1], h, case)
        hidden, output = _ref_think(inputs, w1, w2)
        result = run_student(net.adjustments, inputs.copy(), targets.copy(), hidden.copy(),
                             output.copy(), name=name, case=case)
        adj1, adj2 = unpack(name, result, ("hidden_adjustment", "output_adjustment"), case)
        ref1, ref2 = _ref_adjustments(inputs, targets, hidden, output, w2)
        slips = _adjustment_slips(inputs, targets, hidden, output, w2, ref1, ref2)
        compare_arrays(f"{name}: output_adjustment", adj2, ref2, case=case, rtol=1e-6,
                       atol=1e-10, hint=hint,
                       mistakes=[Mistake(label, a[1], hh) for label, a, hh in slips])
        compare_arrays(f"{name}: hidden_adjustment", adj1, ref1, case=case, rtol=1e-6,
                       atol=1e-10, hint=hint,
                       mistakes=[Mistake(label, a[0], hh) for label, a, hh in slips])
        # and numerically: adjustment = -dE/dW
        _check_numerically(name, case, inputs, targets, w1, w2, adj1, adj2, hint)
    passed("TwoLayerNetwork.adjustments", len(cases), " (also against numerical gradients)")


def _adjustment_slips(inputs, targets, hidden, output, w2, ref1, ref2):
    """Each known slip of adjustments: (label, (hidden_adjustment, output_adjustment), hint)."""
    return [("the gradient instead of minus the gradient (the sign flipped)",
             (-ref1, -ref2), "the error is targets minus output; the adjustment is ADDED"),
            ("the hidden neurons' slope forgotten",
             _ref_adjustments(inputs, targets, hidden, output, w2, hid_slope=np.ones_like),
             "each hidden neuron's delta is also scaled by its own sigmoid slope"),
            ("the output's slope forgotten",
             _ref_adjustments(inputs, targets, hidden, output, w2, out_slope=np.ones_like),
             "the output delta is the error times the output neuron's slope"),
            ("the slope taken of sigmoid(activation), not of the activation",
             _ref_adjustments(inputs, targets, hidden, output, w2,
                              out_slope=lambda y: SLOPE(ref_sigmoid(y)),
                              hid_slope=lambda y: SLOPE(ref_sigmoid(y))),
             "hidden and output are already sigmoid outputs: their slope is y (1 - y) "
             "of those values")]


def _check_numerically(name, case, inputs, targets, w1, w2, adj1, adj2, hint):
    """adj1 (D, H) and adj2 (H, 1) must match minus the numerical gradient of E at w1, w2."""
    __tracebackhide__ = True

    def error(p1=w1, p2=w2, x=inputs, t=targets):
        out = ref_sigmoid(ref_sigmoid(x @ p1) @ p2)
        return 0.5 * float(np.sum((t - out) ** 2))

    for label, adj, w in (("hidden_adjustment", adj1, w1), ("output_adjustment", adj2, w2)):
        adj = np.asarray(adj, dtype=np.float64)
        numeric = -numerical_gradient(error, w)
        err = rel_error(adj, numeric)
        if err > 1e-5 and np.max(np.abs(adj - numeric)) > 1e-6:  # finite-difference noise
            fail(f"{name}: {label}", "does not match minus the numerical gradient of E",
                 case, "relative error < 1e-5", f"relative error {err:.2e}", hint=hint)


def check_two_layer_train(TwoLayerNetwork):
    """TwoLayerNetwork.train(inputs, targets, iterations), judged by behaviour: from weights
    the check sets, the trained network's think() on new inputs must match the reference
    trained from the same weights, and the returned errors the reference's."""
    __tracebackhide__ = True
    name = "TwoLayerNetwork.train(inputs, targets, iterations)"
    rng = fresh_rng()
    cases = _data_cases(rng)
    for case, inputs, targets, h in cases:
        iterations = int(rng.integers(1, 6))
        case = f"{case}, {iterations} training step(s)"
        net, w1, w2 = _two_layer(rng, TwoLayerNetwork, inputs.shape[1], h, case)
        errors = run_student(net.train, inputs.copy(), targets.copy(), iterations, name=name,
                             case=case)
        ref_errors, trained = [], {}
        for slip, sign, hidden_moves in (("right", 1, True), ("subtracted", -1, True),
                                         ("output only", 1, False)):
            v1, v2 = w1, w2
            for _ in range(iterations):
                hidden, output = _ref_think(inputs, v1, v2)
                if slip == "right":
                    ref_errors.append(0.5 * float(np.sum((targets - output) ** 2)))
                a1, a2 = _ref_adjustments(inputs, targets, hidden, output, v2)
                v1, v2 = v1 + sign * a1 * hidden_moves, v2 + sign * a2
            trained[slip] = (v1, v2)
        probe = rng.standard_normal((5, inputs.shape[1]))
        result = run_student(net.think, probe, name="TwoLayerNetwork.think after training",
                             case=case + "; then think() on 5 new random inputs")
        _, output = unpack("TwoLayerNetwork.think", result, ("hidden", "output"), case)
        compare_arrays("TwoLayerNetwork.think after training", output,
                       _ref_think(probe, *trained["right"])[1], case=case + "; then think() "
                       "on 5 new random inputs", rtol=1e-6, atol=1e-10,
                       hint="each step adds both adjustments to the weights that think uses",
                       mistakes=[Mistake("the adjustments subtracted from the weights",
                                         _ref_think(probe, *trained["subtracted"])[1],
                                         "an adjustment is minus the gradient: ADD it"),
                                 Mistake("only the output weights updated",
                                         _ref_think(probe, *trained["output only"])[1],
                                         "both layers learn: the hidden weights get their "
                                         "adjustment too")])
        compare_arrays(f"{name}: the errors it returns", errors, np.array(ref_errors),
                       case=case, rtol=1e-7, atol=1e-10,
                       hint="measure E before each update, from the network's own think")
    passed("TwoLayerNetwork.train", len(cases))
