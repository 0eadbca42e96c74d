"""Running the recipes of ``helpers.reproduce.recipes``: ``python -m helpers reproduce``.

    python -m helpers reproduce --list              what each recipe reproduces, how long
    python -m helpers reproduce nielsen-ch1         the full run (minutes)
    python -m helpers reproduce --quick --all       every quick run (seconds each), checked
    python -m helpers reproduce NAME --save         also store the result in full_runs.json

Every run prints the published number, ours, the seed(s) and the wall time, with the
training's progress bar. The networks train on the fast path (``helpers.fast``), which the
tests hold to the plain one. Quick runs check the direction of the published effect and
exit with status 1 when it does not show (the test suite and lesson 08 run them).
Omits: tuning; several seeds by default (full runs take one seed: pass --seeds 0 1 2).
"""

import argparse
import functools
import json
import math
import time
from pathlib import Path

import numpy as np

from ..data import load_mnist, one_hot, scale_pixels
from ..fast import FastMLP, fit
from ..optim import exponential_decay
from ..train import TrainingDivergedError
from .recipes import RECIPES

RESULTS_FILE = Path(__file__).with_name("full_runs.json")
TOLERANCE = 1.5  # points: how close a full run must come to the published number


@functools.lru_cache(maxsize=1)
def mnist():
    """MNIST as float32 pixels in [0, 1] and labels: (x_train, y_train, x_test, y_test)."""
    (x_train, y_train), (x_test, y_test) = load_mnist(progress=False)
    return scale_pixels(x_train), y_train.astype(np.int64), scale_pixels(x_test), y_test


def model_for(settings, seed):
    """The FastMLP of a recipe's settings, seeded; l2 from Nielsen's lambda as lambda / n."""
    lam = settings.get("nielsen_lambda")
    l2 = lam / settings["n_train"] if lam else settings.get("l2", 0.0)
    return FastMLP(settings["layers"], activation=settings["activation"],
                   output=settings["output"], loss=settings["loss"], l2=l2,
                   keep_prob=settings.get("keep_prob", 1.0), seed=seed,
                   weight_scale=settings.get("weight_scale"),
                   bias_init=settings.get("bias_init", "zeros"))


def train(settings, seed=0, progress=True):
    """Train one network of ``settings`` (a recipe's settings with any overrides) and return
    {test_acc, peak, train_acc (percent), curve (test accuracy per epoch), diverged, error,
    seconds}. The test accuracy is measured on the first n_test test images (all 10,000 by
    default) after every epoch."""
    X, y, X_test, y_test = mnist()
    n, n_test = settings["n_train"], settings.get("n_test", len(y_test))
    targets = (lambda t: t) if settings["loss"] == "cross_entropy" else one_hot
    model, start = model_for(settings, seed), time.perf_counter()
    decay = settings.get("decay")
    try:
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run is reported
            history = fit(model, X[:n], targets(y[:n]), X_test[:n_test], targets(y_test[:n_test]),
                          epochs=settings["epochs"], batch_size=settings["batch_size"],
                          lr=settings["lr"], optimizer=settings["optimizer"], seed=seed,
                          progress=progress, max_norm=settings.get("max_norm"),
                          schedule=exponential_decay(decay) if decay else None)
    except TrainingDivergedError as exc:
        return {"test_acc": math.nan, "peak": math.nan, "train_acc": math.nan, "curve": [],
                "diverged": True, "error": str(exc), "seconds": time.perf_counter() - start}
    curve = [100 * a for a in history["val_acc"]]
    return {"test_acc": curve[-1], "peak": max(curve), "train_acc": 100 * history["train_acc"][-1],
            "curve": curve, "diverged": False, "error": "", "seconds": time.perf_counter() - start}


def reported(recipe, result):
    """The number to set beside the published one: peak or final test accuracy, or error."""
    acc = result["peak"] if recipe.settings["report"] == "peak" else result["test_acc"]
    return acc if recipe.metric == "accuracy" else 100 - acc


def run_recipe(recipe, quick=False, seeds=None, progress=True):
    """Run ``recipe`` (full, or quick with its effect checked) for each seed; returns a dict
    with published, ours (the mean over seeds), runs (one ``train`` result per seed), seeds,
    settings, wall_seconds and, for quick runs, effect (its description), baseline (the run
    it is compared with, or None) and effect_ok."""
    seeds = tuple(recipe.seeds if seeds is None else seeds)
    settings = {**recipe.settings, **(recipe.quick if quick else {})}
    start = time.perf_counter()
    runs = [train(settings, seed, progress) for seed in seeds]
    out = {"name": recipe.name, "published": recipe.published, "metric": recipe.metric,
           "ours": float(np.mean([reported(recipe, r) for r in runs])), "runs": runs,
           "seeds": list(seeds), "quick": quick, "settings": settings}
    if quick:
        label, overrides, check = recipe.effect
        base = train({**settings, **overrides}, seeds[0], progress) if overrides else None
        out.update(effect=label, baseline=base, effect_ok=bool(check(runs[0], base)))
    out["wall_seconds"] = time.perf_counter() - start
    return out


def describe(recipe, out):
    """The lines the command prints for one result."""
    unit = "% test accuracy" if recipe.metric == "accuracy" else "% test error"
    which = "best epoch" if recipe.settings["report"] == "peak" else "last epoch"
    lines = [f"{recipe.name}: {recipe.source}", f"  {recipe.what}",
             f"  published: {recipe.published:.2f}{unit}",
             f"  ours:      {out['ours']:.2f}{unit} ({which}; seeds {out['seeds']}, wall time "
             f"{out['wall_seconds']:.0f} s){' [quick run]' if out['quick'] else ''}"]
    if out["quick"]:
        lines.append(f"  effect:    {out['effect']}: {'yes' if out['effect_ok'] else 'NO'}")
    else:
        close = abs(out["ours"] - recipe.published) <= TOLERANCE
        lines.append(f"  within {TOLERANCE} points of the published number: "
                     f"{'yes' if close else 'NO'}")
    return lines


def listing():
    """The lines of ``--list``: each recipe, what it reproduces and how long it takes."""
    lines = []
    for r in RECIPES.values():
        lines += [f"{r.name:24s} {r.published:6.2f}% {r.metric:8s} {r.source}",
                  f"{'':24s} {r.what}",
                  f"{'':24s} full run about {r.minutes} min on 2 cores, --quick about "
                  f"{r.quick_seconds} s"]
    return lines


def stored_results(path=RESULTS_FILE):
    """The full runs stored with ``--save``: {recipe name: run_recipe's result}."""
    return json.loads(Path(path).read_text()) if Path(path).is_file() else {}


def save(out, path=RESULTS_FILE):
    """Store one full run's result in ``path`` (replacing that recipe's earlier one)."""
    results = stored_results(path)
    results[out["name"]] = out
    Path(path).write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")


def main(argv=None):
    """``python -m helpers reproduce``; returns the exit status (1 when a check fails)."""
    parser = argparse.ArgumentParser(prog="python -m helpers reproduce",
                                     description="Reproduce published MNIST results.")
    parser.add_argument("names", nargs="*", help=f"recipes: {', '.join(RECIPES)}")
    parser.add_argument("--list", action="store_true", help="list the recipes")
    parser.add_argument("--all", action="store_true", help="run every recipe")
    parser.add_argument("--quick", action="store_true", help="quick runs, effects checked")
    parser.add_argument("--seeds", type=int, nargs="+", help="seeds (default: 0)")
    parser.add_argument("--save", action="store_true", help=f"store full runs in {RESULTS_FILE}")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    if args.list or not (args.names or args.all):
        print("\n".join(listing()))
        return 0
    unknown = [n for n in args.names if n not in RECIPES]
    if unknown:
        parser.error(f"unknown recipe {unknown[0]!r}; expected one of: {', '.join(RECIPES)}")
    status = 0
    for name in (list(RECIPES) if args.all else args.names):
        recipe = RECIPES[name]
        out = run_recipe(recipe, args.quick, args.seeds, not args.no_progress)
        print("\n".join(describe(recipe, out)), flush=True)
        ok = out["effect_ok"] if args.quick else abs(out["ours"] - recipe.published) <= TOLERANCE
        status = status or (0 if ok else 1)
        if args.save and not args.quick:
            save(out)
    return status
