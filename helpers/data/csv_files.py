"""The MNIST CSV files of the labs: ``mnist_train.csv`` / ``mnist_test.csv``, one row per image
(label, then 784 pixel values 0..255, no header), written once from load_mnist().

What it is for
--------------
Lesson 06 and lab 04 read MNIST with ``pd.read_csv(path, header=None)`` as the syllabus'
project does. ``mnist_csv()`` writes the files on first use (about 1 s for 60 000 rows, with a
progress bar that stays at 100% and a line saying what was written) and re-uses them while
their size and first and last rows match.

What it omits: reading the CSVs (pandas does that in the notebooks), other delimiters,
headers or compression.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..progress import progress_bar
from .integrity import atomic_write
from .mnist import data_dir, load_mnist

CSV_NAMES = ("mnist_train.csv", "mnist_test.csv")

# Each byte value as up to 4 ASCII bytes ("255," / "7\n"), padded with zeros that get dropped.
_CSV_COMMA = np.zeros((256, 4), dtype=np.uint8)
_CSV_NEWLINE = np.zeros((256, 4), dtype=np.uint8)
for _v in range(256):
    _CSV_COMMA[_v, : len(str(_v)) + 1] = np.frombuffer(f"{_v},".encode(), dtype=np.uint8)
    _CSV_NEWLINE[_v, : len(str(_v)) + 1] = np.frombuffer(f"{_v}\n".encode(), dtype=np.uint8)
del _v


def _csv_table(x, y, name):
    x = np.asarray(x)
    y = np.asarray(y)
    if x.dtype != np.uint8 or x.ndim != 2:
        raise TypeError(f"{name}: expected x as a uint8 array (N, pixels), got {x.dtype} {x.shape}")
    if y.ndim != 1 or y.shape[0] != x.shape[0] or y.dtype.kind not in "iu":
        raise ValueError(
            f"{name}: expected y as integer labels of shape ({x.shape[0]},), got {y.dtype} "
            f"{y.shape}"
        )
    if y.size and (y.min() < 0 or y.max() > 255):
        raise ValueError(f"{name}: expected labels in 0..255, got {y.min()}..{y.max()}")
    return x, y.astype(np.uint8)


def _csv_rows(x, y):
    """The CSV text (bytes) of a block of rows: label, then the pixels."""
    table = np.empty((x.shape[0], x.shape[1] + 1), dtype=np.uint8)
    table[:, 0] = y
    table[:, 1:] = x
    codes = _CSV_COMMA[table]
    codes[:, -1] = _CSV_NEWLINE[table[:, -1]]
    return codes[codes != 0].tobytes()


def _csv_size(x, y):
    # one character per value and separator, one more from 10 up, one more from 100 up
    size = 2 * (x.size + y.size)
    for a in (x, y):
        size += int(np.count_nonzero(a >= 10)) + int(np.count_nonzero(a >= 100))
    return size


def _csv_matches(path, x, y):
    """Cheap check that ``path`` is the CSV of (x, y): exact size, first and last row."""
    if not path.is_file() or path.stat().st_size != _csv_size(x, y):
        return False
    if x.shape[0] == 0:
        return True
    first, last = _csv_rows(x[:1], y[:1]), _csv_rows(x[-1:], y[-1:])
    with open(path, "rb") as f:
        head = f.read(len(first))
        f.seek(-len(last), os.SEEK_END)
        tail = f.read()
    return head == first and tail == last


def write_mnist_csv(path, x, y, progress=True):
    """Write ``x`` (uint8 (N, 784)) and labels ``y`` as CSV rows ``label,p0,...,p783``
    (no header), atomically. About 1 s for the 60000 training images."""
    x, y = _csv_table(x, y, "write_mnist_csv")
    path = Path(path)
    step = 4096

    def write(f):
        with progress_bar(
            progress, total=x.shape[0], desc=f"writing {path.name}", unit="row", leave=True
        ) as bar:
            for start in range(0, x.shape[0], step):
                f.write(_csv_rows(x[start : start + step], y[start : start + step]))
                bar.update(min(step, x.shape[0] - start))

    atomic_write(path, write)
    return path


def mnist_csv(cache_dir=None, *, data=None, progress=True):
    """Paths ``(train_csv, test_csv)`` of mnist_train.csv / mnist_test.csv in the data folder.

    Rows are ``label,p0,...,p783`` with values 0..255 and no header, so
    ``pd.read_csv(path, header=None)`` gives the label in column 0. The files are written on
    first use (from ``load_mnist()``, or from ``data=((x_train, y_train), (x_test, y_test))``)
    and re-used while they have the right size and first and last rows.
    """
    folder = data_dir(cache_dir)
    if data is None:
        data = load_mnist(cache_dir=cache_dir, progress=progress)
    paths = tuple(folder / name for name in CSV_NAMES)
    for path, (x, y) in zip(paths, data, strict=True):
        x, y = _csv_table(x, y, "mnist_csv")
        if not _csv_matches(path, x, y):
            write_mnist_csv(path, x, y, progress=progress)
            if progress:
                mb = path.stat().st_size / 1e6
                print(f"wrote {path} ({x.shape[0]} rows, {mb:.0f} MB)")
    return paths
