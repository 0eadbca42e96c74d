"""Checks of lab 03's run-and-fix exercise: the single-neuron program of the slides, one
check per bug (the numbers are the markers of the lab's listing of the program).

(1), (6) ``check_methods``: ``think`` and ``train`` are methods, indented inside the class;
(2) ``check_constructor``: the constructor is ``__init__(n_inputs=3, seed=2)``: numpy's
legacy ``np.random.seed(seed)``, then ``synaptic_weights = 2 * random((n_inputs, 1)) - 1``;
(3), (4) ``check_train``: ``train(inputs, outputs, iterations)`` adds
``inputs.T @ (error * slope(output))`` each iteration (error = outputs - output);
(5) ``check_think``: ``think(inputs)`` is ``sigmoid(inputs @ synaptic_weights)``;
(7) ``check_reproduces_slides``: the main block ran, so the trained ``neural_network``
answers as the slides' run. Every check restores numpy's global random state; the neuron's
behaviour is judged through ``think`` on inputs the check chooses. ``helpers.checks.sigmoid``
re-exports them: the lab's check cells call them as ``checks.check_...``.
"""

import functools

import numpy as np

from ..activations import ACTIVATIONS
from ..activations import sigmoid as ref_sigmoid
from .core import Mistake, compare_arrays, expect_unchanged, fail, fresh_rng, passed, run_student

__all__ = ["check_methods", "check_constructor", "check_train", "check_think",
           "check_reproduces_slides", "SLIDES_ANSWER"]

SLOPE = ACTIVATIONS["sigmoid"].grad_out  # y -> y (1 - y)


def _new(cls, name, *args, case=None):
    __tracebackhide__ = True
    return run_student(cls, *args, name=name, case=case,
                       hint="the checks make networks of other sizes and seeds: the "
                            "constructor takes the parameters n_inputs=3 and seed=2 in place "
                            "of the slides' constants (see the exercise)" if args else None)


def _legacy_weights(n_inputs, seed):
    return 2 * np.random.RandomState(seed).random_sample((n_inputs, 1)) - 1


def _keep_global_state(check):
    """Run ``check`` and restore numpy's global (legacy) random state afterwards."""
    state = np.random.get_state()
    try:
        return check()
    finally:
        np.random.set_state(state)


def check_constructor(NeuralNetwork):
    """Bug 2 of the slides: the constructor must be ``__init__`` (seed, then the weights)."""
    __tracebackhide__ = True
    name = "NeuralNetwork.__init__"

    def run():
        rng = fresh_rng()
        cases = [(3, None), (3, int(rng.integers(10**6))), (5, int(rng.integers(10**6)))]
        for n_inputs, seed in cases:
            args = () if seed is None else (n_inputs, seed)
            case = ("NeuralNetwork() (defaults: 3 inputs, seed 2)" if seed is None
                    else f"NeuralNetwork(n_inputs={n_inputs}, seed={seed})")
            seed = 2 if seed is None else seed
            net = _new(NeuralNetwork, name, *args, case=case)
            if not hasattr(net, "synaptic_weights"):
                fail(name, "the object has no attribute 'synaptic_weights' (bug 2 is still "
                     "there)", case, "self.synaptic_weights set when the object is made",
                     "no synaptic_weights",
                     hint="Python runs only one method by itself when it makes an object: "
                          "check the spelling of that method's name (underscores)")
            expected = _legacy_weights(n_inputs, seed)
            compare_arrays(f"{name}: synaptic_weights", net.synaptic_weights, expected,
                           case=case, rtol=1e-12, atol=1e-15,
                           hint="seed numpy's legacy global generator with `seed` first, then "
                                "draw an n_inputs x 1 column uniform in [-1, 1)",
                           mistakes=[
                               Mistake("weights in [0, 1) instead of [-1, 1)",
                                       (expected + 1) / 2, "map the uniform numbers from "
                                       "[0, 1) to [-1, 1), as the slides do"),
                               Mistake("numbers from a new Generator, not the legacy one",
                                       2 * np.random.default_rng(seed).random((n_inputs, 1))
                                       - 1, "the slides seed numpy's global (legacy) "
                                       "generator and draw from it")])
        return len(cases)

    passed("bug 2 (the constructor)", _keep_global_state(run))


def check_methods(NeuralNetwork):
    """Bugs 1 and 6: ``think`` and ``train`` must be methods, indented inside the class."""
    __tracebackhide__ = True
    name = "NeuralNetwork"

    def run():
        net = _new(NeuralNetwork, f"{name}()", case="NeuralNetwork()")
        for method in ("think", "train"):
            if not hasattr(net, method):
                fail(f"{name}.{method}", f"the object has no method {method!r} (bug 6 is "
                     "still there)", "NeuralNetwork()", f"a method {method}(self, ...)",
                     f"no attribute {method!r}",
                     hint="a def belongs to a class only when it is indented under the "
                          "class line; one at the left margin is a plain function")
        return 2

    passed("bugs 1 and 6 (the methods are inside the class)", _keep_global_state(run))


def check_think(NeuralNetwork):
    """Bug 5: ``think`` must call a sigmoid that exists: sigmoid(inputs @ weights)."""
    __tracebackhide__ = True
    name = "NeuralNetwork.think(inputs)"

    def run():
        rng = fresh_rng()
        cases = [
            ("4 samples x 3 inputs, random weights", rng.integers(0, 2, (4, 3)).astype(float)),
            ("6 samples x 5 inputs, random real inputs", rng.standard_normal((6, 5))),
            ("a single input vector of 3 values (shape (3,))",
             rng.integers(0, 2, 3).astype(float)),
        ]
        for case, inputs in cases:
            d = inputs.shape[-1]
            net = _new(NeuralNetwork, "NeuralNetwork", d, case=case)
            w = rng.standard_normal((d, 1)) * 2
            net.synaptic_weights = w.copy()
            got = run_student(net.think, inputs.copy(), name=name, case=case,
                              hint="think must call a function that exists: a name with two "
                                   "leading underscores inside a class is renamed by Python")
            total = inputs @ w
            compare_arrays(name, got, ref_sigmoid(total), case=case, rtol=1e-7, atol=1e-12,
                           hint="the output is the sigmoid of the weighted sum of the inputs",
                           mistakes=[Mistake("the weighted sum without the sigmoid", total,
                                             "the neuron's output passes the weighted sum "
                                             "through its activation function"),
                                     Mistake("the sigmoid applied to the inputs, before the "
                                             "weighted sum", ref_sigmoid(inputs) @ w,
                                             "first the weighted sum of the inputs, then the "
                                             "sigmoid of that sum")])
        return len(cases)

    passed("bug 5 (think)", _keep_global_state(run))


def _ref_train(weights, inputs, outputs, iterations, slope=SLOPE, sign=1.0):
    w = weights.copy()
    for _ in range(iterations):
        out = ref_sigmoid(inputs @ w)
        w += sign * (inputs.T @ ((outputs - out) * slope(out)))
    return w


def check_train(NeuralNetwork):
    """Bugs 3 and 4: ``train(inputs, outputs, iterations)`` with valid names, adding
    inputs.T @ (error * sigmoid_derivative(output)) each iteration."""
    __tracebackhide__ = True
    name = "NeuralNetwork.train(inputs, outputs, iterations)"

    def run():
        rng = fresh_rng()
        slides_x = np.array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]], dtype=float)
        slides_t = np.array([[0, 1, 1, 0]], dtype=float).T
        cases = [
            ("the slides' training set, random starting weights, 25 iterations",
             slides_x, slides_t, 25),
            ("8 random 0/1 samples x 3 inputs, random targets",
             rng.integers(0, 2, (8, 3)).astype(float), rng.integers(0, 2, (8, 1)).astype(float),
             int(rng.integers(5, 40))),
            ("5 samples x 4 real inputs, 1 iteration", rng.standard_normal((5, 4)),
             rng.random((5, 1)), 1),
            ("0 iterations: the weights must not change", slides_x, slides_t, 0),
        ]
        hint = ("each iteration: think, take the error (targets minus output), and ADD to the "
                "weights the transposed inputs times (the error times the sigmoid's slope at "
                "the output); `iterations` times, changing self.synaptic_weights")
        for case, inputs, outputs, iterations in cases:
            _check_train_case(NeuralNetwork, name, rng, case, inputs, outputs, iterations, hint)
        return len(cases)

    passed("bugs 3 and 4 (train)", _keep_global_state(run))


def _check_train_case(NeuralNetwork, name, rng, case, inputs, outputs, iterations, hint):
    """One case of check_train: inputs (N, D), outputs (N, 1), judged by think on 6 new inputs."""
    __tracebackhide__ = True
    case = f"{case} ({iterations} iterations)"
    net = _new(NeuralNetwork, "NeuralNetwork", inputs.shape[1], case=case)
    w0 = rng.standard_normal((inputs.shape[1], 1))
    net.synaptic_weights = w0.copy()
    x_in, t_in = inputs.copy(), outputs.copy()
    run_student(net.train, x_in, t_in, iterations, name=name, case=case)
    expect_unchanged(name, "inputs", x_in, inputs, case)
    # judged by behaviour: the trained neuron's answers on fresh inputs
    probe = rng.standard_normal((6, inputs.shape[1]))
    got = run_student(net.think, probe, name="NeuralNetwork.think after training",
                      case=case)
    want = _ref_train(w0, inputs, outputs, iterations)
    wrong = [("the weights moved downhill the wrong way (the adjustment subtracted)",
              _ref_train(w0, inputs, outputs, iterations, sign=-1.0),
              "the error is targets minus output, and the slides ADD the adjustment"),
             ("the sigmoid's slope forgotten",
              _ref_train(w0, inputs, outputs, iterations, slope=np.ones_like),
              "multiply the error by the sigmoid's slope at the output"),
             ("the slope taken of sigmoid(output), not of the output",
              _ref_train(w0, inputs, outputs, iterations,
                         slope=lambda y: SLOPE(ref_sigmoid(y))),
              "the output is already a sigmoid: its slope is written with the "
              "output alone")]
    compare_arrays("NeuralNetwork.think after training", got, ref_sigmoid(probe @ want),
                   case=case + "; then think() on 6 new random inputs", rtol=1e-7,
                   atol=1e-10, hint=hint,
                   mistakes=[Mistake(label, ref_sigmoid(probe @ w), h)
                             for label, w, h in wrong])


SLIDES_ANSWER = 0.99993703  # what the slides print for [1, 0, 0]


@functools.cache
def _slides_run():
    """The weights (3, 1) of the slides' network after the main block's 10,000 updates on
    its four examples, and after 10,000 more (read-only arrays). The same for every
    submission, so computed once per process (a grader of a class calls this for each)."""
    inputs = np.array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]], dtype=float)
    targets = np.array([[0, 1, 1, 0]], dtype=float).T
    weights = _ref_train(_legacy_weights(3, 2), inputs, targets, 10000)
    twice = _ref_train(weights, inputs, targets, 10000)
    for w in (weights, twice):
        w.setflags(write=False)
    return weights, twice


def check_reproduces_slides(neural_network):
    """Bug 7 (the main block): ``neural_network``, made by NeuralNetwork() and trained by the
    main block 10,000 times on the slides' four examples, answers as the slides' run does:
    their printed answer for [1, 0, 0] (8 decimals), and the same outputs on new inputs."""
    __tracebackhide__ = True
    name = "neural_network.think(inputs)"
    case = ("the network of the main block: NeuralNetwork(), trained on the slides' 4 "
            "examples 10,000 times")
    weights, twice = _slides_run()
    hint = ("run the main block with every line at the same level, so that each one runs: "
            "make the network, print its weights, train it 10,000 times, then ask it")
    start = _legacy_weights(3, 2)
    new_input = np.array([1, 0, 0])
    got = run_student(neural_network.think, new_input, name=name, case=case)
    compare_arrays(f"{name}: the answer for [1, 0, 0]", got, np.array([SLIDES_ANSWER]),
                   case=case, rtol=0, atol=5e-9, hint=hint,
                   mistakes=[Mistake("a network that was never trained (the train line did "
                                     "not run)", ref_sigmoid(new_input @ start),
                                     "the main block must reach its train(...) line"),
                             Mistake("a network trained twice (20,000 updates)",
                                     ref_sigmoid(new_input @ twice),
                                     "make a fresh network before training it: run the main "
                                     "block once from its first line")])
    probe = fresh_rng().integers(0, 2, (6, 3)).astype(float)
    got = run_student(neural_network.think, probe, name=name, case=case)
    compare_arrays(name, got, ref_sigmoid(probe @ weights), case=case + "; 6 random inputs",
                   rtol=1e-7, atol=1e-10, hint=hint)
    passed("bug 7 (the slides' numbers)", 2)
