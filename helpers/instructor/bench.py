"""Training-speed benchmark: ``python -m helpers bench [--quick] [--repeats R] [--no-torch]
[--accuracy [--sizes 784,512,512,10] [--epochs E] [--seed S]]``.

It first prints a step budget (``helpers.instructor.budget``): for both paths, per layer,
the milliseconds of a training step in matrix products and in everything else (mask draws,
dropout and activation, bias, update), plus the loss and fit's loop, as medians over
BUDGET_STEPS steps. Then it measures, in one run, with the repeats interleaved (GEMM,
helpers, PyTorch, GEMM, helpers, ...) so that drift and other programs on the machine hit
every side alike:

1. numpy's float32 GEMM rate (GFLOP/s) on the MLP's own products for a batch of 128: the three
   forward products, the three weight gradients and the two input gradients (the first
   layer's input gradient is not needed), run back to back like in a training step, measured
   in short bursts between the tenths of every helpers epoch and after it (their mean is that
   epoch's reference, so a machine that slows down for a while slows both alike); and on one
   2048 x 2048 x 2048 product (the "peak" a big matrix product reaches on this machine);
2. the training throughput of both paths on MNIST for the network 784-800-800-10 (ReLU,
   dropout with keep probability 0.7 on the input and both hidden layers, batch 128, SGD with
   momentum 0.9): the fast path ``helpers.fast.FastMLP`` + ``helpers.fast.fit`` and the plain
   path ``helpers.models.MLP`` + ``helpers.train.fit``, each in samples per second, GFLOP/s
   counted from the matrix products a step really does, and that as a fraction of the GEMM
   rate of (1);
3. when ``torch`` is importable (optional, never a requirement of the kit): the same network and
   hyper-parameters written the usual PyTorch way (nn.Sequential, nn.Dropout, nn.Linear,
   torch.optim.SGD, batches gathered with a random permutation), with as many threads as
   numpy's BLAS uses, and the throughput ratio fast path / PyTorch.

It prints a table (median, min and max over the repeats), the BLAS library, its kernel and
thread count (OPENBLAS_CORETYPE is reported, never changed) and the load average, and as the
last line one JSON object. ``--quick`` runs a short version (checks that everything works,
says nothing about speed); it uses a small synthetic data set when MNIST is not cached yet.
``--accuracy`` then trains the MNIST recipe of lesson 06 (``RECIPE``) on the fast path and
reports its test accuracy and training time. Benchmarks report, tests never time things.

Omits: other network sizes, float64, GPU, and tuning of the BLAS (threads, kernel).
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time

import numpy as np

from ..fast import FastMLP
from ..fast import fit as fast_fit
from ..fast.blas import BACKEND as BLAS_BACKEND
from ..models import MLP
from ..train import fit
from .budget import budget_totals, measure_budget, write_budget
from .gemm_reference import MlpGemms, SquareGemm, blas_info, cpu_model, epoch_flops

SIZES = (784, 800, 800, 10)
KEEP_PROB = 0.7
BATCH = 128
LR = 0.05
MOMENTUM = 0.9
CHUNKS = 10  # an epoch is timed in tenths, with a GEMM burst between them
BUDGET_STEPS = 60  # training steps of each path timed part by part (twice) for the budget
FIT_KWARGS = {"batch_size": BATCH, "lr": LR, "optimizer": "sgd_momentum",
              "optim_config": {"momentum": MOMENTUM}, "progress": False, "eval_train": BATCH}
# The MNIST recipe of lesson 06 and the dropout lab: >= 98.0% test accuracy in 10 epochs with
# seeds 0, 1 and 2 (784-512-512-10 with the same settings is about twice as fast and reaches
# 98.05-98.35% after 10 epochs).
RECIPE = {"sizes": SIZES, "keep_prob": KEEP_PROB, "batch_size": BATCH, "lr": LR,
          "momentum": MOMENTUM, "epochs": 10, "seed": 0}


# --------------------------------------------------------------------------------------------
# The two trainers.

def train_helpers(X, y, seed=0, chunks=1, between=None, fast=True):
    """One epoch of FastMLP + helpers.fast.fit (fast=True) or MLP + helpers.train.fit over
    (X, y), as ``chunks`` calls of fit on consecutive slices of whole batches; ``between()``
    runs before every chunk, untimed. Returns the training time in seconds (fit's checks and
    shuffling included)."""
    model, train = (FastMLP, fast_fit) if fast else (MLP, fit)
    model = model(list(SIZES), activation="relu", keep_prob=KEEP_PROB, seed=seed)
    n_batches = -(-len(X) // BATCH)
    chunks = min(chunks, n_batches)
    bounds = [BATCH * (n_batches * k // chunks) for k in range(chunks + 1)]
    seconds = 0.0
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        if between is not None:
            between()
        start = time.perf_counter()
        train(model, X[lo:hi], y[lo:hi], epochs=1, seed=seed, **FIT_KWARGS)
        seconds += time.perf_counter() - start
    return seconds


class TorchTrainer:
    """The same network, the way a PyTorch user writes it."""

    def __init__(self, torch, X, y, threads):
        self.torch = torch
        torch.set_num_threads(threads)
        self.X = torch.from_numpy(X)
        self.y = torch.from_numpy(y.astype(np.int64))

    def train(self, seed=0):
        torch, nn = self.torch, self.torch.nn
        torch.manual_seed(seed)
        drop = 1 - KEEP_PROB
        layers = [nn.Dropout(drop)]
        for i, (d, m) in enumerate(zip(SIZES[:-1], SIZES[1:])):
            layers.append(nn.Linear(d, m))
            if i < len(SIZES) - 2:
                layers += [nn.ReLU(), nn.Dropout(drop)]
        model = nn.Sequential(*layers)
        opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
        loss_fn = nn.CrossEntropyLoss()
        n = self.X.shape[0]
        start = time.perf_counter()
        model.train()
        order = torch.randperm(n)
        for i in range(0, n, BATCH):
            idx = order[i:i + BATCH]
            xb, yb = self.X[idx], self.y[idx]
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            model(self.X[:BATCH]).argmax(1)
        return time.perf_counter() - start


def _import_torch():
    try:
        import torch
    except Exception:  # noqa: BLE001 - any failure just means "no PyTorch here"
        return None
    return torch


# --------------------------------------------------------------------------------------------
# Data.

def _mnist_cached():
    from ..data import CACHE_NAME, data_dir

    return (data_dir() / CACHE_NAME).is_file()


def load_data(quick, n_quick=640, seed=0):
    """Training pixels as float32 in [0, 1] and labels; a description of what they are."""
    if not quick or _mnist_cached():
        from ..data import load_mnist, scale_pixels

        (x, y), _ = load_mnist(progress=not quick)
        if quick:
            x, y = x[:n_quick], y[:n_quick]
        return scale_pixels(x), y, f"MNIST training set, {len(x)} x {x.shape[1]}"
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 10, n_quick).astype(np.uint8)
    x = rng.random((n_quick, SIZES[0]), dtype=np.float32)
    x[np.arange(n_quick), y] += 1.0  # a learnable signal
    return x, y, f"synthetic (MNIST not cached), {n_quick} x {SIZES[0]}"


# --------------------------------------------------------------------------------------------
# The run.

def _stats(values):
    return statistics.median(values), min(values), max(values)


def train_recipe(recipe):
    """Train ``recipe`` on the MNIST training set (progress bar on stderr); returns the test
    accuracy and the training time in seconds (fit only: no loading, no final scoring)."""
    from ..data import load_mnist, scale_pixels

    (x, y), (xt, yt) = load_mnist()
    X, XT = scale_pixels(x), scale_pixels(xt)
    model = FastMLP(list(recipe["sizes"]), activation="relu", keep_prob=recipe["keep_prob"],
                    seed=recipe["seed"])
    start = time.perf_counter()
    fast_fit(model, X, y, epochs=recipe["epochs"], batch_size=recipe["batch_size"],
             lr=recipe["lr"], optimizer="sgd_momentum",
             optim_config={"momentum": recipe["momentum"]}, seed=recipe["seed"], progress=True)
    seconds = time.perf_counter() - start
    return model.score(XT, yt), seconds


def measure_throughput(X, y, repeats, quick, trainer, mlp_gemms, square):
    """The interleaved repeats: {"peak", "gemm": GFLOP/s, "fast", "plain", "torch":
    seconds per epoch}, one entry per repeat ("torch" empty without a trainer)."""
    gemm_seconds = 0.05 if quick else 1.0
    rows = {k: [] for k in ("peak", "gemm", "fast", "plain", "torch")}

    def fast_side():
        # the GEMM reference of this epoch: short bursts before each tenth of it and after it
        bursts = []

        def burst():
            bursts.append(mlp_gemms.gflops(gemm_seconds / (CHUNKS + 1)))

        rows["fast"].append(train_helpers(X, y, chunks=CHUNKS, between=burst))
        burst()
        rows["gemm"].append(statistics.mean(bursts))

    sides = [fast_side, lambda: rows["plain"].append(train_helpers(X, y, fast=False))]
    if trainer is not None:
        sides.append(lambda: rows["torch"].append(trainer.train()))
    for r in range(repeats):
        for side in (sides if r % 2 == 0 else sides[::-1]):
            side()
        rows["peak"].append(square.gflops())
    return rows


def throughput(rows, n, flops):
    """Per repeat: samples/s and GFLOP/s of each trainer, the fraction of the GEMM rate, the
    fast / PyTorch and plain / fast ratios."""
    sps = {k: [n / t for t in rows[k]] for k in ("fast", "plain", "torch")}
    gflops = {k: [flops / t / 1e9 for t in rows[k]] for k in ("fast", "plain", "torch")}
    frac = {k: [g / ref for g, ref in zip(gflops[k], rows["gemm"])] for k in ("fast", "plain")}
    return {"sps": sps, "gflops": gflops, "frac": frac,
            "ratio": [a / b for a, b in zip(sps["fast"], sps["torch"])],
            "plain_vs_fast": [a / b for a, b in zip(sps["plain"], sps["fast"])]}


def write_header(w, quick, torch, data_desc, repeats, flops):
    """Write (with ``w``) what runs where: network, machine and load, BLAS, PyTorch, data."""
    blas, threads = blas_info()
    w(f"helpers bench{' (quick: a check that it runs, not a measurement)' if quick else ''}\n")
    w(f"network : {'-'.join(map(str, SIZES))} ReLU, dropout keep_prob {KEEP_PROB} (input and "
      f"hidden), batch {BATCH}, SGD momentum {MOMENTUM}, lr {LR}, float32\n")
    w(f"machine : {os.cpu_count()} cores, {cpu_model()}, {platform.system()}; Python "
      f"{platform.python_version()}, numpy {np.__version__}; load average "
      f"{load_average()}\n")
    w(f"BLAS    : {blas}, {threads} threads; OPENBLAS_CORETYPE="
      f"{os.environ.get('OPENBLAS_CORETYPE', '(not set)')}; fast path's gemm: {BLAS_BACKEND}\n")
    if torch is not None:
        w(f"PyTorch : {torch.__version__}, {torch.get_num_threads()} threads\n")
    else:
        w("PyTorch : not installed (optional) - comparison skipped\n")
    w(f"data    : {data_desc}; one epoch per path and repeat, {repeats} repeats interleaved; "
      f"{flops / 1e9:.1f} GFLOP of matrix products per epoch\n")
    load = load_average()
    if load is not None and load > 0.25 * (os.cpu_count() or 1):
        w(f"note    : load average {load} on {os.cpu_count()} cores: other programs share the "
          "CPU, and BLAS threads that wait for each other slow down most; these numbers say "
          "little about the targets\n")
    w("\n")


def write_throughput(w, rows, t, square_n, torch):
    """Write the throughput table: median, min and max over the repeats of every row."""
    w(f"{'':44s}{'median':>10s}{'min':>10s}{'max':>10s}\n")

    def line(label, values, fmt="{:10.1f}"):
        w(f"{label:44s}" + "".join(fmt.format(v) for v in _stats(values)) + "\n")

    line(f"numpy GEMM {square_n}^3 (GFLOP/s)", rows["peak"])
    line(f"numpy GEMM, MLP shapes, batch {BATCH} (GFLOP/s)", rows["gemm"])
    for key, label in (("fast", "fast path"), ("plain", "plain path")):
        line(f"{label} (samples/s)", t["sps"][key], "{:10.0f}")
        line(f"{label} (GFLOP/s)", t["gflops"][key])
        line(f"{label} / GEMM on MLP shapes", t["frac"][key], "{:10.1%}")
    line("plain path / fast path throughput", t["plain_vs_fast"], "{:10.2f}")
    if torch is not None:
        line("PyTorch CPU (samples/s)", t["sps"]["torch"], "{:10.0f}")
        line("PyTorch CPU (GFLOP/s)", t["gflops"]["torch"])
        line("fast path / PyTorch throughput", t["ratio"], "{:10.2f}")


def summary(rows, t, budget, quick, repeats, accuracy=None, seconds=None):
    """The JSON summary: medians over the repeats."""
    def median(values, digits):
        return round(_stats(values)[0], digits) if values else None

    blas, threads = blas_info()
    return {
        "peak_gflops": median(rows["peak"], 2),
        "mlp_gemm_gflops": median(rows["gemm"], 2),
        "fast_samples_per_s": median(t["sps"]["fast"], 1),
        "fast_gflops": median(t["gflops"]["fast"], 2),
        "fast_fraction_of_gemm": median(t["frac"]["fast"], 4),
        "plain_samples_per_s": median(t["sps"]["plain"], 1),
        "plain_gflops": median(t["gflops"]["plain"], 2),
        "plain_fraction_of_gemm": median(t["frac"]["plain"], 4),
        "plain_vs_fast": median(t["plain_vs_fast"], 3),
        "torch_samples_per_s": median(t["sps"]["torch"], 1),
        "ratio_vs_torch": median(t["ratio"], 3),
        "budget_ms": {name: dict(zip(("products", "other"), map(
            lambda v: round(v, 3), budget_totals(ms)))) for name, ms in budget.items()},
        "test_accuracy": None if accuracy is None else round(accuracy, 4),
        "train_seconds": None if seconds is None else round(seconds, 2),
        "blas": blas,
        "fast_gemm": BLAS_BACKEND,
        "threads": threads,
        "load_average": load_average(),
        "repeats": repeats,
        "quick": quick,
    }


def load_average():
    """The 1-minute load average (None where the system has none)."""
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


def warm_up(X, y, quick, torch, threads):
    """First calls allocate, load code and (PyTorch) pick kernels: a few batches of each."""
    n = (1 if quick else 4) * BATCH
    train_helpers(X[:n], y[:n])
    train_helpers(X[:n], y[:n], fast=False)
    if torch is not None:
        TorchTrainer(torch, X[:n], y[:n], threads).train()


def run(quick=False, repeats=None, use_torch=True, out=sys.stdout, recipe=None):
    """The whole benchmark (see the module docstring); writes to ``out`` and returns the
    JSON summary (also its last line)."""
    repeats, w = repeats or (2 if quick else 5), out.write
    X, y, data_desc = load_data(quick)
    threads = blas_info()[1]
    torch = _import_torch() if use_torch else None
    trainer = TorchTrainer(torch, X, y, threads) if torch is not None else None
    flops = epoch_flops(SIZES, len(X), BATCH)
    square = SquareGemm(512 if quick else 2048)
    warm_up(X, y, quick, torch, threads)
    write_header(w, quick, torch, data_desc, repeats, flops)
    steps = 4 if quick else BUDGET_STEPS
    budget = measure_budget(X, y, steps, SIZES, KEEP_PROB, FIT_KWARGS, rounds=1 if quick else 2)
    write_budget(w, budget, SIZES, steps)
    rows = measure_throughput(X, y, repeats, quick, trainer, MlpGemms(SIZES, BATCH), square)
    t = throughput(rows, len(X), flops)
    write_throughput(w, rows, t, square.a.shape[0], torch)
    accuracy = seconds = None
    if recipe is not None:
        accuracy, seconds = train_recipe(recipe)
        w(f"\nMNIST recipe (fast path): {'-'.join(map(str, recipe['sizes']))}, keep_prob "
          f"{recipe['keep_prob']}, batch {recipe['batch_size']}, lr {recipe['lr']}, momentum "
          f"{recipe['momentum']}, {recipe['epochs']} epochs, seed {recipe['seed']}: test accuracy "
          f"{accuracy:.2%} after {seconds:.1f} s of training\n")
    result = summary(rows, t, budget, quick, repeats, accuracy, seconds)
    w("\n" + json.dumps(result) + "\n")
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m helpers bench",
        description="Training speed of helpers' MLP on MNIST against numpy's GEMM rate and "
                    "(when installed) PyTorch CPU; the last line printed is a JSON summary.")
    parser.add_argument("--quick", action="store_true",
                        help="short run that checks the benchmark works (numbers mean little)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="interleaved repeats (default 5, or 2 with --quick)")
    parser.add_argument("--no-torch", action="store_true", help="skip the PyTorch comparison")
    parser.add_argument("--accuracy", action="store_true",
                        help="also train the lesson's MNIST recipe and report its test accuracy "
                             "and training time (about 30-60 s)")
    parser.add_argument("--sizes", default=None,
                        help="layer sizes of the --accuracy run, e.g. 784,512,512,10")
    parser.add_argument("--epochs", type=int, default=None, help="epochs of the --accuracy run")
    parser.add_argument("--seed", type=int, default=None, help="seed of the --accuracy run")
    args = parser.parse_args(argv)
    if args.repeats is not None and args.repeats < 1:
        parser.error(f"--repeats: expected a positive integer, got {args.repeats}")
    recipe = None
    if args.accuracy:
        recipe = dict(RECIPE)
        if args.sizes:
            try:
                recipe["sizes"] = tuple(int(s) for s in args.sizes.split(","))
            except ValueError:
                parser.error(f"--sizes: expected integers separated by commas, got {args.sizes!r}")
        if args.epochs is not None:
            recipe["epochs"] = args.epochs
        if args.seed is not None:
            recipe["seed"] = args.seed
    run(quick=args.quick, repeats=args.repeats, use_torch=not args.no_torch, recipe=recipe)
    return 0
