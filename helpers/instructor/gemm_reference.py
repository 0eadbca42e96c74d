"""What the benchmark (``helpers.instructor.bench``) measures training against: the FLOPs of
a training step's matrix products, this machine's float32 GEMM rate on the same products and
on one large square product, and a description of the BLAS and the CPU.
Omits: timing the trainers themselves (bench does that).
"""

import os
import platform
import time

import numpy as np

# --------------------------------------------------------------------------------------------
# FLOP counting and the GEMM reference.

def step_flops(sizes, n):
    """Floating-point operations of the matrix products in one training step on ``n`` samples:
    forward x @ W for every layer, dW = x.T @ dout for every layer, dx = dout @ W.T for every
    layer but the first (2 flops per multiply-add)."""
    pairs = list(zip(sizes[:-1], sizes[1:]))
    forward = sum(2 * n * d * m for d, m in pairs)
    return 2 * forward + sum(2 * n * d * m for d, m in pairs[1:])


def epoch_flops(sizes, n_samples, batch):
    """GEMM flops of one pass over ``n_samples`` in batches of ``batch`` (last one smaller)."""
    full, rest = divmod(n_samples, batch)
    return full * step_flops(sizes, batch) + (step_flops(sizes, rest) if rest else 0)


class MlpGemms:
    """The matrix products of one training step of an MLP, on random float32 arrays, with the
    same shapes and transposes as helpers.layers.affine_forward/affine_backward."""

    def __init__(self, sizes, n, seed=0):
        rng = np.random.default_rng(seed)
        self.products = []
        for i, (d, m) in enumerate(zip(sizes[:-1], sizes[1:])):
            x = rng.random((n, d), dtype=np.float32)
            w = rng.random((d, m), dtype=np.float32)
            dout = rng.random((n, m), dtype=np.float32)
            self.products.append((x, w, np.empty((n, m), np.float32)))             # x @ W
            self.products.append((x.T, dout, np.empty((d, m), np.float32)))        # dW
            if i > 0:
                self.products.append((dout, w.T, np.empty((n, d), np.float32)))    # dx
        self.flops = step_flops(sizes, n)

    def step(self):
        for a, b, out in self.products:
            np.matmul(a, b, out=out)

    def gflops(self, seconds=0.5):
        """GFLOP/s over ``seconds`` of back-to-back steps (after one warm-up step)."""
        self.step()
        count, start = 0, time.perf_counter()
        while True:
            self.step()
            count += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                return count * self.flops / elapsed / 1e9


class SquareGemm:
    def __init__(self, n=2048, seed=0):
        rng = np.random.default_rng(seed)
        self.a = rng.random((n, n), dtype=np.float32)
        self.b = rng.random((n, n), dtype=np.float32)
        self.out = np.empty((n, n), np.float32)
        self.flops = 2 * n ** 3

    def gflops(self, reps=3):
        np.matmul(self.a, self.b, out=self.out)
        best = float("inf")
        for _ in range(reps):
            start = time.perf_counter()
            np.matmul(self.a, self.b, out=self.out)
            best = min(best, time.perf_counter() - start)
        return self.flops / best / 1e9


# --------------------------------------------------------------------------------------------
# Environment report.

def blas_info():
    """(description, threads) of the BLAS numpy uses, from threadpoolctl or numpy's config."""
    try:
        from threadpoolctl import threadpool_info

        for info in threadpool_info():
            if info.get("user_api") == "blas":
                desc = (f"{info.get('internal_api')} {info.get('version')}"
                        f" ({info.get('prefix')}), kernel {info.get('architecture') or '?'}")
                return desc, int(info.get("num_threads") or 1)
    except Exception:  # noqa: BLE001 - fall back to numpy's build configuration
        pass
    try:
        cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{cfg.get('name')} {cfg.get('version')} (from numpy's build config)", os.cpu_count()
    except Exception:  # noqa: BLE001
        return "unknown", os.cpu_count()


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()
