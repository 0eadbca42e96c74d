"""Shared fixtures of the unit tests, and the markers that split the suite.

Markers (registered in pyproject.toml): every nbval notebook item is ``notebooks`` and
``slow``; tests/test_browser.py items are ``browser`` and ``slow``; tests/test_grading*.py
items and the tests in SLOW_TESTS are ``slow``. So ``python3 course.py test -m "not slow"``
is the quick unit loop and ``python3 course.py test`` the whole suite. Marks are given here
by file and test name, so the test files themselves stay free of bookkeeping. How the suite
is spread over the cores (``course.py test`` runs pytest-xdist) is tests/workers.py; its hook
and the collection order are registered here.
"""

import os
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_limits
from workers import heaviest_first, pytest_xdist_make_scheduler  # noqa: F401 - a hook

# pytest keeps each test module with its asserts rewritten in __pycache__ only where Python
# may write bytecode; where PYTHONDONTWRITEBYTECODE is set (as on the course's CI machine) every
# pytest process rewrote all test modules again: 2-3 s of each worker's start
sys.dont_write_bytecode = False

#: Unit tests that take over 4 s each on a busy 2-core machine: (file name, test name
#: without parameters). Found with ``pytest -m "not slow" --durations=30`` (2026-11-30).
SLOW_TESTS = {
    ("test_bench.py", "test_quick_bench_ends_with_a_json_summary"),  # 28 s
    ("test_bench.py", "test_without_torch_the_comparison_is_null"),  # 5 s
    ("test_data.py", "test_pypi_wheel_source_offline"),  # 7 s: runs pip
    ("test_fast.py", "test_malloc_keeps_freed_memory_only_on_the_fast_path"),  # 10 s
    ("test_data.py", "test_real_mnist"),  # 4 s: all of MNIST
    ("test_widgets.py", "test_import_displays_nothing_and_opens_no_figure"),  # 6 s: subprocess
    ("test_portability.py", "test_notebook_runs_with_other_blas_kernels_without_raising"),
}


def marks_for(path, test_name):
    """The marker names an item of file ``path`` and test function ``test_name`` gets."""
    if path.suffix == ".ipynb":
        return {"notebooks", "slow"}
    if path.name in ("test_browser.py", "test_site_browser.py"):
        return {"browser", "slow"}
    if path.name.startswith("test_grading") or (path.name, test_name) in SLOW_TESTS:
        return {"slow"}
    return set()


#: Debian's Chromium (or $ANN_CHROMIUM) and the flags it needs here: no sandbox as root, no
#: background connections on a machine without network (tests/test_browser.py and
#: tests/test_site_browser.py drive it through Playwright; never `playwright install`).
CHROMIUM = os.environ.get("ANN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="module")
def sync_api():
    """Playwright's sync API, or a skip naming what is missing."""
    api = pytest.importorskip(
        "playwright.sync_api",
        reason="the playwright package is not installed (pip install playwright)")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (install Debian's chromium, e.g. "
                    "apt-get install chromium, or point $ANN_CHROMIUM at a Chromium binary)")
    return api


@pytest.fixture(scope="module")
def browser(sync_api):
    """Headless Debian Chromium driven by Playwright; closed afterwards."""
    pw = sync_api.sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield b
        finally:
            b.close()
    finally:
        pw.stop()


def pytest_configure(config):
    """Notebooks a student runs only print a note where their numbers differ from the text's
    (another CPU, another BLAS); under the test suite the same guards raise, so the stored
    text keeps matching the run. The nbval kernels inherit this environment.

    In a pytest-xdist worker, BLAS gets one thread (here and in every kernel, browser and
    grading run the worker starts): two workers with two threads each on two cores make
    OpenBLAS's threads wait for each other many times over. The results are the same: the
    stored outputs and every notebook guard hold with one thread as with two."""
    os.environ.setdefault("ANN_STRICT_NUMBERS", "1")
    if os.environ.get("PYTEST_XDIST_WORKER"):
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = "1"
        threadpool_limits(1)


@pytest.hookimpl(tryfirst=True)  # before -m deselects anything
def pytest_collection_modifyitems(config, items):
    for item in items:
        name = getattr(item, "originalname", None) or item.name
        for mark in sorted(marks_for(Path(str(item.fspath)), name)):
            item.add_marker(getattr(pytest.mark, mark))
    items[:] = heaviest_first(items)


@pytest.fixture
def strict_numerics():
    """Turn every numpy floating-point problem into an error for the duration of a test.

    Overflow, division by zero and invalid operations raise; any warning becomes an error.
    Underflow is allowed: exp(-2e4) rounding to 0 is the correct, harmless result that the
    stable softmax and sigmoid rely on (numpy does not warn about it by default either).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            yield
