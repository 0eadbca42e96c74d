"""How the suite is spread over the cores (tests/workers.py): what must share a worker does."""

from types import SimpleNamespace

from workers import heaviest_first, worker_group


def test_a_notebook_and_the_shared_grading_run_each_stay_on_one_worker():
    cells = [f"notebooks/06_dropout_mnist.ipynb::Cell {i}" for i in range(3)]
    assert {worker_group(c) for c in cells} == {"notebooks/06_dropout_mnist.ipynb"}
    shared = ["tests/test_grading.py::test_a", "tests/test_grading_hostile.py::test_b[x]",
              "tests/test_grading_formats.py::test_c"]
    assert {worker_group(n) for n in shared} == {"graded_class"}
    assert worker_group("tests/test_browser.py::test_x") == "tests/test_browser.py"
    runs = ["tests/test_portability.py::test_p[a]", "tests/test_portability.py::test_p[b]"]
    assert len({worker_group(n) for n in runs}) == 2


def test_heaviest_groups_start_first_and_cells_keep_their_order():
    ids = ["tests/test_style.py::test_ruff", "tests/test_portability.py::test_p[a]",
           "notebooks/06_dropout_mnist.ipynb::Cell 0", "tests/test_checks.py::test_a",
           "notebooks/06_dropout_mnist.ipynb::Cell 1", "tests/test_grading.py::test_x"]
    ordered = [i.nodeid for i in heaviest_first([SimpleNamespace(nodeid=n) for n in ids])]
    assert ordered == [ids[5], ids[2], ids[4], ids[1], ids[0], ids[3]]
