"""How ``course.py test`` spreads the suite over the cores (pytest-xdist, ``-n <cores>``).

Each worker takes whole groups of tests (``worker_group``): a notebook's cells share its
kernel and a module-scoped fixture (a JupyterLab server, a built site) is set up once per
worker, so a file is one group; the three files that share ONE run of the whole grading class
(tests/grading_class.py keeps it per process) are one group; the portability runs are
independent, each its own group. Groups are handed out in collection order, which
``heaviest_first`` sets: the longest groups (by ``pytest --durations``) start first, so no long
group starts last while the other workers sit idle. Not a test module: tests/conftest.py
registers the hooks.
"""

import pytest

try:
    from xdist.scheduler import LoadScopeScheduling
except ImportError:  # without pytest-xdist the suite runs in one process
    LoadScopeScheduling = None

SHARED_GRADING_RUN = ("test_grading.py", "test_grading_hostile.py", "test_grading_formats.py")
INDEPENDENT = ("test_portability.py",)
#: the longest groups, longest first (seconds on 2 workers, 2026-12-02 --durations): the
#: graded class 165, lesson 06 100, the browser tests 100, lab 04's solution 50, the website in
#: Chromium 40, the two portability runs 15-20 each, lesson 08 15. Order only: a group missing
#: here just starts later.
HEAVIEST = ("graded_class", "notebooks/06_dropout_mnist.ipynb", "tests/test_browser.py",
            "solutions/04_dropout_mnist.ipynb", "tests/test_site_browser.py",
            "tests/test_portability.py", "notebooks/08_reproducing_the_classics.ipynb")


def worker_group(nodeid):
    """The name of the group of tests a node id belongs to (see the module docstring)."""
    path = nodeid.split("::", 1)[0]
    name = path.rsplit("/", 1)[-1]
    if name in INDEPENDENT:
        return nodeid
    return "graded_class" if name in SHARED_GRADING_RUN else path


def rank(nodeid):
    """Where a test's group (its file, for the independent ones) comes in HEAVIEST
    (len(HEAVIEST) for the others)."""
    group = worker_group(nodeid).split("::", 1)[0]
    return HEAVIEST.index(group) if group in HEAVIEST else len(HEAVIEST)


def heaviest_first(items):
    """items in the order the workers should start them: by ``rank``, else as collected (a
    stable sort, so a notebook's cells keep their order)."""
    return sorted(items, key=lambda item: rank(item.nodeid))


if LoadScopeScheduling is not None:
    class WorkerGroups(LoadScopeScheduling):
        """xdist's scheduling by scope with ``worker_group`` as the scope, in collection
        order."""

        def _split_scope(self, nodeid):
            return worker_group(nodeid)


@pytest.hookimpl(optionalhook=True)  # called by pytest-xdist only, so WorkerGroups exists
def pytest_xdist_make_scheduler(config, log):
    config.option.loadscopereorder = False  # keep heaviest_first's order
    return WorkerGroups(config, log)
