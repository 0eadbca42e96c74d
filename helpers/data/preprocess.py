"""The two pre-processing steps the MNIST notebooks share: ``one_hot`` labels and
``scale_pixels`` to [0, 1].

What it omits: standardisation (mean/std per pixel), augmentation, batching and shuffling
(helpers.train does those).
"""

from __future__ import annotations

import numpy as np

from ..validate import as_labels


def one_hot(y, num_classes=10, dtype=np.float32):
    """Labels ``y`` (N,) of integers in [0, num_classes) -> array (N, num_classes) of 0/1.

    Taught in lesson 06 and lab 04 (the targets of the softmax output). Labels are checked by
    helpers.validate.as_labels, like every other function that takes class labels.
    """
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)):
        raise TypeError(f"num_classes: expected a positive integer, got {num_classes!r}")
    if num_classes < 1:
        raise ValueError(f"num_classes: expected a positive integer, got {num_classes}")
    arr = np.asarray(y)
    if arr.ndim == 2 and arr.dtype.kind in "biuf":
        raise ValueError(
            f"y: expected a 1-D array of labels of shape (N,), got shape {arr.shape} "
            "(already one-hot? use y.argmax(axis=1))"
        )
    labels = as_labels(arr, "y", int(num_classes))
    out = np.zeros((labels.shape[0], num_classes), dtype=np.dtype(dtype))
    out[np.arange(labels.shape[0]), labels] = 1
    return out


def scale_pixels(x, dtype=np.float32):
    """Pixels 0..255 (any shape) -> ``x / 255`` in ``dtype`` (float32 by default), a new array
    of the same shape. Taught in lesson 06 and the MNIST labs."""
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"dtype: expected a floating-point dtype, got {dtype}")
    arr = np.asarray(x)
    if arr.dtype.kind not in "uif":
        raise TypeError(
            f"x: expected a numeric array of pixel values 0..255, got dtype {arr.dtype}"
        )
    if arr.dtype != np.uint8 and arr.size:
        lo, hi = arr.min(), arr.max()
        if not (lo >= 0 and hi <= 255):  # also catches NaN
            raise ValueError(
                f"x: expected pixel values in 0..255, got values from {lo} to {hi}"
                + (" (already scaled?)" if hi <= 1 else "")
            )
    out = arr.astype(dtype, copy=True)
    out /= 255
    return out
