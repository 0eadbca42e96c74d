"""``python -m helpers data``: fetch and verify MNIST once, cache it and write the CSV files
(e.g. before going offline). Prints where everything is and how long it took.

What it omits: choosing sources on the command line (set ``$ANN_MNIST_MIRROR``) and deleting
the cache (remove ``data/mnist.npz`` by hand).
"""

from __future__ import annotations

import argparse
import sys
import time

from .csv_files import mnist_csv
from .mnist import CACHE_NAME, DATA_DIR_ENV, MnistUnavailableError, data_dir, load_mnist_arrays


def main(argv=None):
    """Fetch and verify MNIST, cache it, write the CSVs; print where they are and the timing."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers data",
        description="Fetch and verify MNIST, cache it and write mnist_train.csv / "
        "mnist_test.csv (run once before working offline).",
    )
    parser.add_argument("--no-csv", action="store_true", help="do not write the CSV files")
    parser.add_argument(
        "--data-dir", help=f"folder for the cache and the CSVs (default: ${DATA_DIR_ENV} or data/)"
    )
    args = parser.parse_args(argv)
    folder = data_dir(args.data_dir)

    start = time.perf_counter()
    try:
        arrays, source = load_mnist_arrays(cache_dir=folder)
    except MnistUnavailableError as exc:
        print(exc, file=sys.stderr)
        return 1
    seconds = time.perf_counter() - start
    cache = folder / CACHE_NAME
    print(f"MNIST verified (SHA-256 of all four arrays) from {source} in {seconds:.2f} s")
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        print(f"  {split:5s}: images {x.dtype} {x.shape}, labels {y.dtype} {y.shape}")
    if cache.is_file():
        print(f"  cache: {cache} ({cache.stat().st_size / 1e6:.1f} MB)")

    if not args.no_csv:
        start = time.perf_counter()
        data = ((arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"]))
        paths = mnist_csv(folder, data=data)
        seconds = time.perf_counter() - start
        for path, (x, _) in zip(paths, data, strict=True):
            print(f"  csv  : {path} ({path.stat().st_size / 1e6:.1f} MB, {x.shape[0]} rows)")
        print(f"CSV files ready in {seconds:.2f} s")
    return 0
