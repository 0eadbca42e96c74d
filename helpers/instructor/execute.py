"""Re-execute notebooks in place, top to bottom, in a fresh kernel: ``python -m helpers execute
NOTEBOOK...``. Stored outputs are then exactly what a clean run produces (what strict nbval
compares against). Widget state is not saved, so diffs stay small. The run is strict, as the
test suite is (ANN_STRICT_NUMBERS=1, see helpers/guards.py): a number that no longer matches
the text fails the run instead of storing a student's note.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient


def execute_notebook(path, timeout=900, kernel_name="python3"):
    """Run ``path`` in a fresh kernel with its folder as working directory; write it back
    atomically (only when every cell succeeded). Returns the run time in seconds."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel_name,
                            resources={"metadata": {"path": str(path.parent.resolve())}},
                            store_widget_state=False)
    client.execute()
    # Store the kernelspec JupyterLab writes for this kernel ("Python 3 (ipykernel)"): a
    # different display name is rewritten on opening, which marks the lesson changed at once.
    spec = KernelSpecManager().get_kernel_spec(kernel_name)
    nb.metadata["kernelspec"] = {"display_name": spec.display_name, "language": spec.language,
                                 "name": kernel_name}
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".ipynb.tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)
    os.replace(tmp, path)
    return time.perf_counter() - start


def main(argv):
    parser = argparse.ArgumentParser(prog="python -m helpers execute", description=__doc__)
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.notebooks if not p.is_file()]
    if missing:
        parser.error(f"notebooks: no such file: {', '.join(missing)}")
    os.environ.setdefault("ANN_STRICT_NUMBERS", "1")  # the kernels inherit it
    failed = 0
    for nb in args.notebooks:
        try:
            print(f"{nb}: executed in {execute_notebook(nb, args.timeout):.1f} s", flush=True)
        except Exception as exc:  # report every notebook, then fail
            failed += 1
            print(f"{nb}: FAILED ({type(exc).__name__}: {str(exc)[-2000:]})", file=sys.stderr)
    return 1 if failed else 0
