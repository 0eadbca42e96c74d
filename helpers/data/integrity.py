"""What every MNIST source and the cache share: the expected checksums, verification and
atomic writes (instructor/infrastructure side of helpers.data).

What it is for
--------------
``EXPECTED_ARRAYS`` is the table of DESIGN.md section 6 (SHA-256 of the raw bytes of the four
arrays); ``verify_arrays`` holds any source to it, ``check_blob`` holds a downloaded file to
its size and hash, ``atomic_write`` writes through a temp file and a rename so an interrupted
write never leaves a half file that looks valid. Every fetch and CSV write shows the
library's one progress bar, ``helpers.progress.progress_bar``.

What it omits
-------------
Fetching (helpers.data.sources), the cache and load_mnist (helpers.data.mnist).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import uuid
from pathlib import Path

import numpy as np

ARRAY_NAMES = ("x_train", "y_train", "x_test", "y_test")

#: SHA-256 of the raw C-order bytes of the four arrays: name -> (shape, sha256).
EXPECTED_ARRAYS = {
    "x_train": ((60000, 784), "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757"),
    "y_train": ((60000,), "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13"),
    "x_test": ((10000, 784), "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161"),
    "y_test": ((10000,), "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5"),
}


class ChecksumError(ValueError):
    """A file or array does not have the size or SHA-256 it must have."""


class SourceError(RuntimeError):
    """One source could not deliver (network error, pip failure, missing file, bad format)."""


def sha256_of_array(a):
    """SHA-256 (hex) of the raw C-order bytes of array ``a``."""
    a = np.ascontiguousarray(a)
    return hashlib.sha256(memoryview(a).cast("B")).hexdigest()


def array_checksums(arrays):
    """``{name: (shape, sha256)}`` of a dict of arrays, the form load_mnist(expected=) takes."""
    return {name: (tuple(a.shape), sha256_of_array(a)) for name, a in arrays.items()}


def verify_arrays(arrays, expected=None):
    """Raise ChecksumError unless each of the four arrays is uint8 with the expected shape and
    SHA-256 (``expected`` defaults to EXPECTED_ARRAYS)."""
    expected = EXPECTED_ARRAYS if expected is None else expected
    problems = []
    for name in ARRAY_NAMES:
        shape, digest = expected[name]
        a = arrays.get(name)
        if not isinstance(a, np.ndarray):
            problems.append(f"{name} is missing")
        elif a.dtype != np.uint8 or tuple(a.shape) != tuple(shape):
            problems.append(
                f"{name}: expected uint8 of shape {tuple(shape)}, got {a.dtype} {a.shape}"
            )
        else:
            got = sha256_of_array(a)
            if got != digest:
                problems.append(f"{name}: SHA-256 mismatch (expected {digest}, got {got})")
    if problems:
        raise ChecksumError("; ".join(problems))


def check_blob(label, blob, size, digest):
    """Raise ChecksumError unless ``blob`` (bytes) has ``size`` bytes (None: any size) and the
    SHA-256 ``digest``; ``label`` names the file in the message."""
    if size is not None and len(blob) != size:
        raise ChecksumError(f"{label}: size mismatch (expected {size} bytes, got {len(blob)})")
    got = hashlib.sha256(blob).hexdigest()
    if got != digest:
        raise ChecksumError(f"{label}: SHA-256 mismatch (expected {digest}, got {got})")


def atomic_write(path, write):
    """Call ``write(binary_file)`` on a temp file next to ``path``, then rename it into place,
    so an interrupted write never leaves a half file under the final name."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Like mkstemp, but the file gets the usual permissions (0o666 minus the umask).
    tmp = path.parent / f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.part"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def failure_reason(exc):
    """One line saying why a source failed: our own errors as they are, others with their type."""
    if isinstance(exc, (ChecksumError, SourceError, pickle.UnpicklingError)):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"
