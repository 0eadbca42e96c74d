"""``python -m helpers bench``: it runs and ends with its JSON summary, and it counts the
matrix-product work of a training step right. A works-test: nothing here checks speed."""

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers.instructor import bench, gemm_reference

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
    for label in ("numpy GEMM", "fast path (samples/s)",
                  "plain path (samples/s)", "BLAS", "median"):
        assert label in table


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
