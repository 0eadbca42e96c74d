"""The step budget of ``python -m helpers bench``: where a training step's time goes, per layer.

``step_budget(model, fit, X, y, ...)`` trains a FastMLP or an MLP with its path's own ``fit``
while timers sit around the functions a step calls, and returns milliseconds per step for
each (layer, part):
- "products": the matrix products (what the GEMM reference measures);
- "masks": drawing the dropout masks (random numbers and the comparison with p);
- "dropout + activation": applying the masks, the activation and their backward passes;
- "bias": adding the bias and its gradient (plain path; the fast path's bias rides on gemm's C);
- "update": the optimizer's update of the weights and biases, apart from any product;
- "rest": what the layer's own code does around those (the fast path's layer methods);
plus ("loss", ...) for softmax + cross-entropy and ("loop", ...) for everything else in fit
(batch gathering, checks, Python). Each timer counts its own time minus the timers inside it.

How each path is timed: the fast path's layer methods (``FastMLP.input_dropout``, ``affine``,
``layer_forward``, ``layer_backward``) say which layer runs, and gemm, axpy, the mask draws,
the fused ReLU + dropout and its backward are timed inside them. The plain path is timed at the
functions ``helpers.layers`` and ``helpers.optim`` give it, each call put to the layer whose
weights or arrays it works on; its products are inside ``affine_forward`` /
``affine_backward``, so they are the affine function's time less that of its bias work
(``+ b``, the sum for the bias gradient) timed a second time alone on the same arrays (that second
run is left out of the step time). The timers add a few microseconds per call; the budget says
where time goes, the throughput columns of the bench how fast the step is.
Omits: other networks than MLPs with ReLU (a tanh network is timed, its activations are
"rest"); a product's time inside BLAS split by thread.
"""

import statistics
import time
from collections import defaultdict
from contextlib import ExitStack, contextmanager

import numpy as np

from .. import layers, optim
from .. import train as plain_train
from ..fast import model as fast_model
from ..fast import train as fast_train
from ..models import MLP
from .gemm_reference import MlpGemms

PATHS = {"fast": (fast_model.FastMLP, fast_train.fit), "plain": (MLP, plain_train.fit)}

PARTS = ("products", "masks", "dropout + activation", "bias", "update", "rest")
STEP, ALONE = ("step", "total"), ("alone", "products")  # not parts: left out of the totals


class Timers:
    """Exclusive seconds per (layer, part) of the functions wrapped with ``wrap``, step by
    step (a step starts at each call of a function wrapped with ``step``)."""

    def __init__(self):
        self.steps = []  # per step: {(layer, part): seconds}
        self.starts = []  # each step's start, less the timers' own time until then
        self.layer = None  # the layer whose code runs now (set by the fast path's methods)
        self.stack = [0.0]  # time of the timers inside each running timer
        self.untimed = 0.0  # time the timers themselves spent (re-timed bias work)

    def step(self, func):
        """func, starting a new step at every call."""
        def starts_a_step(*args, **kwargs):
            self.starts.append(time.perf_counter() - self.untimed)
            self.steps.append(defaultdict(float))
            return func(*args, **kwargs)
        return starts_a_step

    def add(self, layer, part, seconds):
        if self.steps:  # before the first step (fit's checks): counted in no step
            self.steps[-1][layer, part] += seconds

    def wrap(self, func, part, layer_of=None, then=None):
        """func with a timer: its time less that of timers inside goes to (layer, part),
        layer = layer_of(*args) or the current layer; ``then(layer, args, result)``, when
        given, runs after the call and may move time to other parts (returns the seconds
        it took itself, which are left out)."""
        def timed(*args, **kwargs):
            outer, self.stack = self.layer, self.stack + [0.0]
            if layer_of is not None:
                self.layer = layer_of(*args)
            start = time.perf_counter()
            try:
                result = func(*args, **kwargs)
            finally:
                spent = time.perf_counter() - start
                inner = self.stack.pop()
                self.stack[-1] += spent
                layer, self.layer = self.layer, outer
            self.add(layer, part, spent - inner)
            if then is not None:
                extra = then(layer, args, result)
                self.untimed += extra
                self.stack[-1] += extra
            return result
        return timed

    def medians(self, end):
        """ms per step: the median over the steps of each (layer, part), ("loop", "rest") for
        the time in no timer and ("step", "total") for the whole step; ``end``: when the last
        step ended (perf_counter, before subtracting the timers' time)."""
        walls = np.diff(self.starts + [end - self.untimed])
        keys = {key for step in self.steps for key in step}
        ms = {key: 1e3 * float(np.median([step.get(key, 0.0) for step in self.steps]))
              for key in keys}
        ms["loop", "rest"] = 1e3 * float(np.median(
            [wall - sum(step.values()) for wall, step in zip(walls, self.steps)]))
        ms[STEP] = 1e3 * float(np.median(walls))
        return ms

    def retime(self, layer, bias_work):
        """Time ``bias_work`` (callables: what an affine function does besides its products)
        again alone and move that time from 'products' (where the affine function's time
        went) to 'bias'; returns the seconds this took (left out of the step)."""
        start = time.perf_counter()
        for work in bias_work:
            t0 = time.perf_counter()
            work()
            seconds = time.perf_counter() - t0
            self.add(layer, "bias", seconds)
            self.add(layer, "products", -seconds)
        return time.perf_counter() - start


@contextmanager
def patched(patches):
    """Set obj.name = value (or obj[name] for dicts) for every (obj, name, value); all put
    back as they were on exit."""
    with ExitStack() as stack:
        for obj, name, value in patches:
            if isinstance(obj, dict):
                old = obj[name]
                obj[name] = value
                stack.callback(obj.__setitem__, name, old)
            elif name in vars(obj):
                old = getattr(obj, name)
                setattr(obj, name, value)
                stack.callback(setattr, obj, name, old)
            else:  # a method of the object's class: hidden by an attribute, then uncovered
                setattr(obj, name, value)
                stack.callback(delattr, obj, name)
        yield


def fast_patches(timers, model):
    """The timers of the fast path: its layer methods name the layer."""
    def layer_method(name, part="rest", first_layer=None):
        method = getattr(model, name)
        return (model, name, timers.wrap(method, part, lambda i, *a: first_layer or i))

    return [layer_method("input_dropout", "dropout + activation", first_layer=1),
            layer_method("affine"), layer_method("layer_forward"),
            layer_method("layer_backward"),
            (model, "output_loss", timers.wrap(model.output_loss, "loss", lambda *a: "loss")),
            (fast_model, "gemm", timers.wrap(fast_model.gemm, "products")),
            (fast_model, "axpy", timers.wrap(fast_model.axpy, "update")),
            (fast_model, "keep_mask", timers.wrap(fast_model.keep_mask, "masks")),
            *((fast_model, name, timers.wrap(getattr(fast_model, name), "dropout + activation"))
              for name in ("relu_dropout", "relu_dropout_backward"))]


class TimedGenerator(np.random.Generator):
    """A Generator on the same bit generator (the same stream) whose ``random`` is timed."""

    def __init__(self, rng, timers):
        super().__init__(rng.bit_generator)
        self.random = timers.wrap(super().random, "masks")


class Owners:
    """Which layer each array or cache of the plain path's step belongs to, by identity (the
    objects are kept alive until the next forward pass, so no identity is reused)."""

    def __init__(self, timers, model):
        self.timers, self.layer, self.made = timers, {}, []
        self.weights = {id(model.params[f"W{i}"]): i for i in range(1, model.num_layers + 1)}
        self.params = {id(model.params[k]): int(k[1:]) for k in model.params}

    def remember(self, layer, obj):
        self.layer[id(obj)] = layer
        self.made.append(obj)

    def of(self, x, *args):
        """The layer of x, or of dropout's input: the batch X itself is layer 1's input."""
        return self.layer.get(id(x), 1)

    def of_cache(self, dout, cache):
        """The layer whose forward call made ``cache``."""
        return self.layer[id(cache)]

    def after_affine_forward(self, layer, args, result):
        if layer == 1:  # a new forward pass: forget the last one's arrays
            self.layer.clear()
            self.made.clear()
        self.remember(layer, result[0])
        out, b = result[0], args[2]
        return self.timers.retime(layer, [lambda: out + b])  # the "+ b" of x @ w + b

    def after_affine_backward(self, layer, args, result):
        dout = args[0]
        return self.timers.retime(layer, [lambda: dout.sum(axis=0)])  # the bias gradient

    def after_made(self, layer, args, result):
        for obj in result:
            self.remember(layer, obj)
        return 0.0


def plain_patches(timers, model):
    """The timers of the plain path: each call goes to the layer whose arrays it works on."""
    owners, wrap, mixed = Owners(timers, model), timers.wrap, "dropout + activation"
    return [
        (layers, "affine_forward", wrap(layers.affine_forward, "products",
                                        lambda x, w, b: owners.weights[id(w)],
                                        owners.after_affine_forward)),
        (layers, "affine_backward", wrap(layers.affine_backward, "products",
                                         lambda d, c, *a: owners.weights[id(c["w"])],
                                         owners.after_affine_backward)),
        (layers, "activation_forward", wrap(layers.activation_forward, mixed, owners.of,
                                            owners.after_made)),
        (layers, "dropout_forward", wrap(layers.dropout_forward, mixed, owners.of,
                                         owners.after_made)),
        (layers, "activation_backward", wrap(layers.activation_backward, mixed,
                                             owners.of_cache)),
        (layers, "dropout_backward", wrap(layers.dropout_backward, mixed, owners.of_cache)),
        (layers, "softmax_cross_entropy", wrap(layers.softmax_cross_entropy, "loss",
                                               lambda *a: "loss")),
        (optim.OPTIMIZERS, "sgd_momentum", wrap(optim.OPTIMIZERS["sgd_momentum"], "update",
                                                lambda w, *a: owners.params[id(w)])),
        (model, "rng", TimedGenerator(model.rng, timers)),
    ]


def step_budget(model, train, X, y, **fit_kwargs):
    """ms per step for each (layer, part) of ``train(model, X, y, epochs=1, **fit_kwargs)``
    with a FastMLP and helpers.fast.fit or an MLP and helpers.train.fit (SGD or SGD with
    momentum), as ``Timers.medians`` gives them: medians over the steps, so that a step
    slowed down by other programs moves them little."""
    timers = Timers()
    if isinstance(model, fast_model.FastMLP):
        patches = fast_patches(timers, model) + [(model, "sgd_step", timers.step(model.sgd_step))]
    else:
        patches = plain_patches(timers, model) + [
            (model, "batch_loss", timers.step(model.batch_loss))]
    with patched(patches):
        train(model, X, y, epochs=1, **fit_kwargs)
        end = time.perf_counter()
    return timers.medians(end)


def measure_budget(X, y, steps, sizes, keep_prob, fit_kwargs, rounds=2):
    """The step budget of both paths on the first ``steps`` batches of X: ``step_budget``
    of a fresh ReLU network (``sizes``, ``keep_prob``) of each path, ``rounds`` times,
    interleaved; per path the medians over the rounds: {"fast": {(layer, part): ms},
    "plain": {...}}, with at ALONE the ms of the step's products run alone right after."""
    n = min(len(X), steps * fit_kwargs["batch_size"])
    runs, alone = {"fast": [], "plain": []}, MlpGemms(sizes, fit_kwargs["batch_size"])
    for r in range(rounds):
        for name in (("fast", "plain") if r % 2 == 0 else ("plain", "fast")):
            cls, train = PATHS[name]
            model = cls(list(sizes), activation="relu", keep_prob=keep_prob, seed=r)
            runs[name].append(step_budget(model, train, X[:n], y[:n], **fit_kwargs))
            # right after: the same products back to back, alone (the GEMM reference)
            runs[name][-1][ALONE] = 1e3 * alone.flops / (1e9 * alone.gflops(0.02 * steps))
    return {name: {key: statistics.median(run.get(key, 0.0) for run in path_runs)
                   for key in set().union(*path_runs)} for name, path_runs in runs.items()}


def budget_totals(ms):
    """(matrix products, everything else) in ms per step: sums of one path's medians."""
    parts = {key: v for key, v in ms.items() if key not in (STEP, ALONE)}
    products = sum(v for (layer, part), v in parts.items() if part == "products")
    return products, sum(parts.values()) - products


def write_budget(w, budget, sizes, steps):
    """Write (with ``w``) the table of ``measure_budget``'s result: per layer and part, ms
    per step of both paths, then the totals."""
    w(f"step budget: ms per training step, medians over {steps} steps of each path (each "
      f"part's own time)\n{'':46s}{'fast':>9s}{'plain':>9s}\n")
    def row(label, key):
        w(f"{label:46s}" + "".join(f"{budget[p][key]:9.3f}" if key in budget[p] else
                                   f"{'-':>9s}" for p in ("fast", "plain")) + "\n")

    for i, (d, m) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        for part in PARTS:
            if any((i, part) in budget[p] for p in ("fast", "plain")):
                row(f"{f'layer {i} ({d}->{m})' if part == PARTS[0] else '':22s}{part}", (i, part))
    row("softmax + cross-entropy", ("loss", "loss"))
    row("fit's loop: batches, checks, Python", ("loop", "rest"))
    (fp, fo), (pp, po) = budget_totals(budget["fast"]), budget_totals(budget["plain"])
    w(f"{'step: matrix products':46s}{fp:9.3f}{pp:9.3f}\n"
      f"{'step: everything else':46s}{fo:9.3f}{po:9.3f}\n"
      f"{'step: products / (products + everything else)':46s}{fp / (fp + fo):9.1%}"
      f"{pp / (pp + po):9.1%}\n")
    row("step as timed (median)", STEP)
    row("the step's products alone (GEMM reference)", ALONE)
    w(f"{'products in the step / alone':46s}"
      + "".join(f"{budget_totals(budget[p])[0] / budget[p][ALONE]:9.2f}" if ALONE in budget[p]
                else f"{'-':>9s}" for p in ("fast", "plain")) + "\n\n")
