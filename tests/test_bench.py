"""``python -m helpers bench``: it runs and ends with its JSON summary, it counts the
matrix-product work of a training step right, and its step budget times every layer of
both paths without changing what they compute. A works-test: nothing here checks speed."""

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers.instructor import bench, budget, gemm_reference

REPO = Path(__file__).resolve().parent.parent
ALWAYS = ("peak_gflops", "mlp_gemm_gflops", "fast_samples_per_s", "fast_gflops",
          "fast_fraction_of_gemm", "plain_samples_per_s", "plain_gflops",
          "plain_fraction_of_gemm", "plain_vs_fast")
TORCH = ("torch_samples_per_s", "ratio_vs_torch")


def _positive(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and (
        np.isfinite(value) and value > 0)


def test_quick_bench_ends_with_a_json_summary():
    proc = subprocess.run([sys.executable, "-m", "helpers", "bench", "--quick"], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    result = json.loads(lines[-1])
    for key in ALWAYS:
        assert _positive(result[key]), (key, result[key])
    assert result["fast_fraction_of_gemm"] < 5 and result["plain_fraction_of_gemm"] < 5
    assert result["plain_vs_fast"] == pytest.approx(
        result["plain_samples_per_s"] / result["fast_samples_per_s"], rel=0.5)
    for key in TORCH:
        assert result[key] is None or _positive(result[key]), (key, result[key])
    assert (result["torch_samples_per_s"] is None) == (result["ratio_vs_torch"] is None)
    table = "\n".join(lines[:-1])
    for label in ("numpy GEMM", "fast path (samples/s)", "step budget", "layer 3 (800->10)",
                  "plain path (samples/s)", "BLAS", "median"):
        assert label in table
    assert table.index("step budget") < table.index("fast path (samples/s)")
    for path in ("fast", "plain"):
        assert _positive(result["budget_ms"][path]["products"])


def test_without_torch_the_comparison_is_null():
    out = io.StringIO()
    result = bench.run(quick=True, repeats=1, use_torch=False, out=out)
    assert result["torch_samples_per_s"] is None and result["ratio_vs_torch"] is None
    assert _positive(result["fast_samples_per_s"]) and _positive(result["plain_samples_per_s"])
    assert json.loads(out.getvalue().strip().splitlines()[-1]) == result
    assert "comparison skipped" in out.getvalue()


def test_step_flops_by_hand():
    # 3-4-2 network, batch 5: forward 2*5*(3*4 + 4*2) = 200, weight gradients the same 200,
    # input gradient of the second layer only 2*5*4*2 = 80 (the first layer's is skipped)
    assert gemm_reference.step_flops([3, 4, 2], 5) == 480
    # an epoch of 12 samples in batches of 5 is two full batches and one of 2
    assert gemm_reference.epoch_flops([3, 4, 2], 12, 5) == 2 * 480 + 480 * 2 // 5


def test_gemm_reference_does_the_products_of_a_step():
    gemms = gemm_reference.MlpGemms([7, 6, 5, 3], n=4)
    done = sum(2 * a.shape[0] * a.shape[1] * b.shape[1] for a, b, _ in gemms.products)
    assert done == gemms.flops == gemm_reference.step_flops([7, 6, 5, 3], 4)
    # shapes are those of helpers.layers: x @ W, x.T @ dout, dout @ W.T
    shapes = [(a.shape, b.shape) for a, b, _ in gemms.products]
    assert shapes[:2] == [((4, 7), (7, 6)), ((7, 4), (4, 6))]
    assert ((4, 5), (5, 6)) in shapes and ((4, 6), (6, 7)) not in shapes
    assert gemms.gflops(seconds=0.01) > 0


def test_an_epoch_in_chunks_covers_every_sample_once(monkeypatch):
    sizes, bursts = [], []
    monkeypatch.setattr(bench, "fast_fit", lambda model, X, y, **kw: sizes.append(len(X)))
    X, y = np.zeros((1000, 784), np.float32), np.zeros(1000, np.int64)
    bench.train_helpers(X, y, chunks=3, between=lambda: bursts.append(1))
    # 8 batches of 128 (the last one 104) in 3 slices of 2, 3 and 3 whole batches
    assert sizes == [256, 384, 360] and len(bursts) == 3
    sizes.clear()
    bench.train_helpers(X[:200], y[:200], chunks=10)  # never more chunks than batches
    assert sizes == [128, 72]


def test_each_path_trains_its_own_model(monkeypatch):
    seen = []
    for name in ("fit", "fast_fit"):
        monkeypatch.setattr(bench, name, lambda model, X, y, name=name, **kw: seen.append(
            (name, type(model).__name__)))
    X, y = np.zeros((256, 784), np.float32), np.zeros(256, np.int64)
    bench.train_helpers(X, y, fast=True)
    bench.train_helpers(X, y, fast=False)
    assert seen == [("fast_fit", "FastMLP"), ("fit", "MLP")]


# ---------------------------------------------------------------- the step budget
def tiny_data(n=96):
    rng = np.random.default_rng(0)
    return rng.random((n, 20), dtype=np.float32), rng.integers(0, 3, n)


TINY_FIT = dict(batch_size=16, lr=0.05, optimizer="sgd_momentum",
                optim_config={"momentum": 0.9}, progress=False, eval_train=16)


@pytest.mark.parametrize("path", ["fast", "plain"])
def test_the_budget_times_every_layer_without_changing_the_training(path):
    from helpers import layers, optim

    cls, train = budget.PATHS[path]
    X, y = tiny_data()
    timed, untimed = (cls([20, 16, 12, 3], keep_prob=0.7, seed=2) for _ in range(2))
    originals = (layers.affine_forward, optim.OPTIMIZERS["sgd_momentum"], timed.rng)
    ms = budget.step_budget(timed, train, X, y, **TINY_FIT)
    train(untimed, X, y, epochs=1, **TINY_FIT)
    for k in untimed.params:  # the same masks (the same random stream) and the same steps
        np.testing.assert_array_equal(timed.params[k], untimed.params[k])
    assert (layers.affine_forward, optim.OPTIMIZERS["sgd_momentum"]) == originals[:2]
    assert timed.rng is originals[2] and "sgd_step" not in vars(timed)  # all put back
    for i in (1, 2, 3):
        assert {(i, "products"), (i, "update")} <= set(ms)
    assert {(1, "masks"), (2, "masks"), ("loss", "loss"), ("loop", "rest")} <= set(ms)
    assert (3, "masks") not in ms  # the scores are not dropped
    assert all(np.isfinite(v) for v in ms.values()) and ms["step", "total"] > 0
    products, other = budget.budget_totals(ms)
    assert products > 0 and products + other == pytest.approx(
        sum(v for k, v in ms.items() if k != ("step", "total")))


def test_budget_totals_and_table_by_hand():
    ms = {(1, "products"): 2.0, (1, "masks"): 0.5, (2, "products"): 1.0, (2, "update"): 0.25,
          ("loss", "loss"): 0.125, ("loop", "rest"): 0.125, ("step", "total"): 9.0}
    assert budget.budget_totals(ms) == (3.0, 1.0)
    out = io.StringIO()
    budget.write_budget(out.write, {"fast": ms, "plain": {**ms, (1, "bias"): 0.5}},
                        (4, 3, 2), steps=7)
    text = out.getvalue()
    assert "medians over 7 steps" in text and "layer 1 (4->3)" in text
    assert "layer 2 (3->2)" in text and "75.0%" in text
    bias = next(line for line in text.splitlines() if "bias" in line)
    assert bias.split()[-2:] == ["-", "0.500"]  # the fast path has no bias row of its own


@pytest.mark.parametrize("load,warned", [(0.1, False), (64.0, True)])
def test_the_header_warns_when_other_programs_share_the_cpu(monkeypatch, load, warned):
    monkeypatch.setattr(bench, "load_average", lambda: load)
    out = io.StringIO()
    bench.write_header(out.write, False, None, "data", 5, 1e9)
    assert f"load average {load}" in out.getvalue()
    assert ("say little about the targets" in out.getvalue()) == warned
