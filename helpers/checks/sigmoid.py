"""Checks of lab 03 (sigmoid network in plain Python/numpy): ``sigmoid``,
``sigmoid_derivative`` (from the output), the slides' single neuron ``NeuralNetwork`` (fixed)
and the shallow ``TwoLayerNetwork``.

Conventions of the lab (those of the slides): no biases (a constant input of 1 plays that
role), learning rate 1, the error is ``targets - output`` and each training step ADDS the
adjustment ``inputs.T @ (error * output * (1 - output))``, i.e. the negative gradient of
E = 1/2 * sum over samples of (target - output)^2.
NeuralNetwork(n_inputs=3, seed=2): numpy's legacy ``np.random.seed(seed)`` then
``synaptic_weights = 2 * np.random.random((n_inputs, 1)) - 1``; ``think(inputs)``;
``train(inputs, outputs, iterations)``.
TwoLayerNetwork: ``hidden_weights`` (D, H), ``output_weights`` (H, 1);
``think(inputs) -> (hidden, output)``;
``adjustments(inputs, targets, hidden, output) -> (hidden_adjustment, output_adjustment)``.
"""

import numpy as np

from ..activations import ACTIVATIONS
from ..activations import sigmoid as ref_sigmoid
from ..gradcheck import numerical_gradient, rel_error
from ..models import MLP
from .core import (
    attribute_names,
    check_elementwise,
    compare_arrays,
    expect_unchanged,
    fail,
    fresh_rng,
    passed,
    run_student,
    unpack,
)

# the course's own implementations of this lab's exercises: an exercise cell that uses one
# is flagged by the grader for a human to review (helpers.instructor.grading.labs.flags)
REFERENCES = ("helpers.activations", "helpers.models.MLP", "helpers.layers")


def check_sigmoid(sigmoid):
    """sigmoid(x) -> 1 / (1 + e^-x), elementwise, any shape."""
    __tracebackhide__ = True
    name = "sigmoid(x)"
    rng = fresh_rng()
    cases = [
        ("a vector of 7 random values", rng.standard_normal(7) * 3),
        ("a 4x1 column (like dot(inputs, weights))", rng.standard_normal((4, 1)) * 2),
        ("a 3x5 matrix", rng.standard_normal((3, 5))),
        ("zeros (sigmoid(0) = 0.5)", np.zeros(3)),
        ("large inputs [-1e4, -50, 50, 1e4] (outputs 0 and 1)",
         np.array([-1e4, -50.0, 50.0, 1e4])),
    ]
    with np.errstate(over="ignore"):  # 1/(1+exp(1e4)) = 1/inf = 0 is correct
        n = check_elementwise(sigmoid, name, "x", cases, ref_sigmoid, rtol=1e-7, atol=1e-12,
                              hint="the logistic function 1 / (1 + e^-x) of EVERY element: use "
                                   "numpy's exponential, which works on whole arrays")
    passed("sigmoid", n)


def check_sigmoid_derivative(sigmoid_derivative):
    """sigmoid_derivative(output) -> output * (1 - output) (the argument is y = sigmoid(x))."""
    __tracebackhide__ = True
    name = "sigmoid_derivative(output)"
    rng = fresh_rng()
    grad_out = ACTIVATIONS["sigmoid"].grad_out
    cases = [
        ("output = sigmoid of 8 random values", ref_sigmoid(rng.standard_normal(8) * 2)),
        ("output = sigmoid of a random 4x1 column", ref_sigmoid(rng.standard_normal((4, 1)))),
        ("output = [0, 0.25, 0.5, 0.75, 1]", np.array([0.0, 0.25, 0.5, 0.75, 1.0])),
    ]
    n = check_elementwise(sigmoid_derivative, name, "output", cases, grad_out, rtol=1e-7,
                          atol=1e-12, hint="the argument is already the neuron's OUTPUT "
                                           "y = sigmoid(x): write the slope with y alone (see the "
                                           "docstring); do not apply sigmoid again")
    passed("sigmoid_derivative", n)


# ------------------------------------------------------------------- the single neuron

def _ref_train(weights, inputs, outputs, iterations):
    w = weights.copy()
    for _ in range(iterations):
        out = ref_sigmoid(inputs @ w)
        w += inputs.T @ ((outputs - out) * out * (1 - out))
    return w


def _new(cls, name, *args, case=None):
    __tracebackhide__ = True
    return run_student(cls, *args, name=name, case=case)


def _weights_of(name, obj, attr, case):
    __tracebackhide__ = True
    if not hasattr(obj, attr):
        fail(name, f"the object has no attribute {attr!r}", case,
             f"self.{attr} set in __init__", f"attributes {attribute_names(obj)}",
             hint=f"assign self.{attr} = ... inside __init__ (two underscores on each side: "
                  "a method named 'init' is never called)")
    return getattr(obj, attr)


def check_neuron(NeuralNetwork):
    """The fixed single-neuron class: __init__ (legacy seed), think, train. numpy's global
    (legacy) random state is restored afterwards."""
    __tracebackhide__ = True
    state = np.random.get_state()
    try:
        n_cases = _check_neuron(NeuralNetwork)
    finally:
        np.random.set_state(state)
    passed("NeuralNetwork (__init__, think, train)", n_cases)


def _check_neuron(NeuralNetwork):
    __tracebackhide__ = True
    cls_name = "NeuralNetwork"
    rng = fresh_rng()
    n_cases = 0
    # __init__: the slides' seed 2, then other seeds and sizes (not a copied constant)
    for n_inputs, seed in [(3, None), (3, int(rng.integers(10**6))),
                           (5, int(rng.integers(10**6)))]:
        args = () if seed is None else (n_inputs, seed)
        case = ("NeuralNetwork() (defaults: 3 inputs, seed 2)" if seed is None
                else f"NeuralNetwork(n_inputs={n_inputs}, seed={seed})")
        net = _new(NeuralNetwork, f"{cls_name}.__init__", *args, case=case)
        w = _weights_of(f"{cls_name}.__init__", net, "synaptic_weights", case)
        expected = 2 * np.random.RandomState(2 if seed is None else seed).random_sample(
            (n_inputs, 1)) - 1
        compare_arrays(f"{cls_name}.__init__: synaptic_weights", w, expected, case=case,
                       rtol=1e-12, atol=1e-15,
                       hint="seed numpy's legacy global generator with `seed` first, then draw "
                            "an n_inputs x 1 column of uniform numbers in [0, 1) and map them "
                            "to [-1, 1)")
        n_cases += 1

    # think: random weights and inputs
    think_cases = [
        ("4 samples x 3 inputs, random weights", rng.integers(0, 2, (4, 3)).astype(float), 3),
        ("6 samples x 5 inputs, random real inputs", rng.standard_normal((6, 5)), 5),
        ("a single input vector of 3 values (shape (3,))", rng.integers(0, 2, 3).astype(float),
         3),
    ]
    for case, inputs, d in think_cases:
        net = _new(NeuralNetwork, f"{cls_name}()", case=case)
        net.synaptic_weights = rng.standard_normal((d, 1)) * 2
        got = run_student(net.think, inputs.copy(), name=f"{cls_name}.think(inputs)",
                          case=case)
        compare_arrays(f"{cls_name}.think(inputs)", got,
                       ref_sigmoid(inputs @ net.synaptic_weights), case=case, rtol=1e-7,
                       atol=1e-12, hint="the output is the sigmoid of the weighted sum: the matrix "
                                "product of the inputs and the weights")
        n_cases += 1

    # train: N iterations from given starting weights, against the reference loop
    slides_x = np.array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]], dtype=float)
    train_cases = [
        ("the slides' training set, random starting weights, 25 iterations",
         slides_x, np.array([[0, 1, 1, 0]], dtype=float).T, 25),
        ("8 random 0/1 samples x 3 inputs, random targets, random iterations",
         rng.integers(0, 2, (8, 3)).astype(float), rng.integers(0, 2, (8, 1)).astype(float),
         int(rng.integers(5, 40))),
        ("5 samples x 4 real inputs, 1 iteration", rng.standard_normal((5, 4)),
         rng.random((5, 1)), 1),
        ("0 iterations: the weights must not change", slides_x,
         np.array([[0, 1, 1, 0]], dtype=float).T, 0),
    ]
    hint = ("each iteration: think, take the error (targets minus output), and ADD to the "
            "weights the transposed inputs times (the error times the sigmoid's slope at the "
            "output); `iterations` times, changing self.synaptic_weights")
    for case, inputs, outputs, iterations in train_cases:
        case = f"{case} ({iterations})" if "random iterations" in case else case
        net = _new(NeuralNetwork, f"{cls_name}()", case=case)
        w0 = rng.standard_normal((inputs.shape[1], 1))
        net.synaptic_weights = w0.copy()
        x_in, t_in = inputs.copy(), outputs.copy()
        run_student(net.train, x_in, t_in, iterations,
                    name=f"{cls_name}.train(inputs, outputs, iterations)", case=case)
        expect_unchanged(f"{cls_name}.train", "inputs", x_in, inputs, case)
        compare_arrays(f"{cls_name}.train: synaptic_weights after training",
                       net.synaptic_weights, _ref_train(w0, inputs, outputs, iterations),
                       case=case, rtol=1e-7, atol=1e-10, hint=hint)
        n_cases += 1
    return n_cases


# ------------------------------------------------------------------- the shallow network

def _two_layer(rng, cls, d, h, case):
    __tracebackhide__ = True
    net = _new(cls, "TwoLayerNetwork()", case=case)
    net.hidden_weights = rng.standard_normal((d, h)) * 1.5
    net.output_weights = rng.standard_normal((h, 1)) * 1.5
    return net


def _data_cases(rng):
    xor_x = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
    return [
        ("the XOR inputs (4 x 3), 4 hidden units", xor_x, np.array([[0, 1, 1, 0]], float).T, 4),
        ("7 random samples x 3 inputs, 5 hidden units", rng.standard_normal((7, 3)),
         rng.random((7, 1)), 5),
        ("1 sample x 4 inputs, 2 hidden units", rng.standard_normal((1, 4)),
         rng.random((1, 1)), 2),
    ]


def check_two_layer_think(TwoLayerNetwork):
    """TwoLayerNetwork.think(inputs) -> (hidden, output), both sigmoid layers, no biases."""
    __tracebackhide__ = True
    name = "TwoLayerNetwork.think(inputs)"
    rng = fresh_rng()
    cases = _data_cases(rng)
    for case, inputs, _, h in cases:
        net = _two_layer(rng, TwoLayerNetwork, inputs.shape[1], h, case)
        result = run_student(net.think, inputs.copy(), name=name, case=case)
        hidden, output = unpack(name, result, ("hidden", "output"), case)
        ref_hidden = ref_sigmoid(inputs @ net.hidden_weights)
        compare_arrays(f"{name}: hidden", hidden, ref_hidden, case=case, rtol=1e-7,
                       atol=1e-12, hint="the hidden layer is the sigmoid of the inputs "
                                        "times the hidden weights (a matrix product)")
        compare_arrays(f"{name}: output", output, ref_sigmoid(ref_hidden @ net.output_weights),
                       case=case, rtol=1e-7, atol=1e-12,
                       hint="the output neuron does the same with the hidden layer and the "
                            "output weights")
    passed("TwoLayerNetwork.think", len(cases))


def check_two_layer_adjustments(TwoLayerNetwork):
    """TwoLayerNetwork.adjustments(...) -> the negative gradients of
    E = 1/2 sum (targets - output)^2 with respect to hidden_weights and output_weights."""
    __tracebackhide__ = True
    name = "TwoLayerNetwork.adjustments(inputs, targets, hidden, output)"
    rng = fresh_rng()
    cases = _data_cases(rng)
    hint = ("backpropagate: the output delta is the error times the sigmoid's slope at the "
            "output; the hidden delta is that delta sent back through the output weights "
            "(transposed), times the slope at the hidden layer; each adjustment is the layer's "
            "input, transposed, times its delta")
    for case, inputs, targets, h in cases:
        net = _two_layer(rng, TwoLayerNetwork, inputs.shape[1], h, case)
        w1, w2 = net.hidden_weights.copy(), net.output_weights.copy()
        hidden = ref_sigmoid(inputs @ w1)
        output = ref_sigmoid(hidden @ w2)
        result = run_student(net.adjustments, inputs.copy(), targets.copy(), hidden.copy(),
                             output.copy(), name=name, case=case)
        adj1, adj2 = unpack(name, result, ("hidden_adjustment", "output_adjustment"), case)
        expect_unchanged(name, "self.hidden_weights", net.hidden_weights, w1, case)
        expect_unchanged(name, "self.output_weights", net.output_weights, w2, case)

        # reference: the MLP's gradients (biases fixed at 0) of the MEAN SSE, times N, negated
        model = MLP([inputs.shape[1], h, 1], activation="sigmoid", output="sigmoid",
                    loss="sse", dtype=np.float64)
        model.params.update(W1=w1.copy(), W2=w2.copy())
        _, grads = model.loss(inputs, targets)
        n = inputs.shape[0]
        compare_arrays(f"{name}: output_adjustment", adj2, -n * grads["W2"], case=case,
                       rtol=1e-6, atol=1e-10, hint=hint)
        compare_arrays(f"{name}: hidden_adjustment", adj1, -n * grads["W1"], case=case,
                       rtol=1e-6, atol=1e-10, hint=hint)

        # and numerically: adjustment = -dE/dW
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
    passed("TwoLayerNetwork.adjustments", len(cases), " (also against numerical gradients)")
