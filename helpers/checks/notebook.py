"""What a student sees when a check cell runs too early: a short box instead of a traceback.

Running ``checks.check_sigmoid(sigmoid)`` before the exercise cell above it raises Python's
``NameError: name 'sigmoid' is not defined`` in the check cell itself, before any check code
runs. ``install()`` (called when ``helpers.checks`` is imported inside IPython) registers a
handler for NameError that turns exactly that case, a NameError raised on a line that calls
``checks.``, into one short box saying which cell to run; every other NameError keeps
IPython's usual traceback. Each check cell of a lab starts with its own
``from helpers.checks import <lab> as checks``, so even a check cell run first of all (before
the lab's set-up cell) loads the checks, installs the handler and shows the box.
"""

import traceback

__all__ = ["install", "name_error_box"]


def name_error_box(value, tb):
    """The lines of the short box for a NameError raised on a check line, else None."""
    frames = traceback.extract_tb(tb)
    line = (frames[-1].line or "") if frames else ""
    name = getattr(value, "name", None)
    if "checks." not in line or not name or name == "checks":
        return None
    return [f"\x1b[1;31m✘ {name} is not defined yet\x1b[0m",
            f"  hint:     run the exercise cell that defines {name} (and the cells above it), "
            "then this check again"]


def _handler(shell, etype, value, tb, tb_offset=None):
    """IPython's custom exception handler: show the box, or the usual traceback."""
    box = name_error_box(value, tb)
    if box is not None:
        value._render_traceback_ = lambda: box  # showtraceback shows this instead
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)


def install():
    """Register the NameError handler in the running IPython (no-op outside IPython, and
    when the student's notebook already set a handler of its own)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or shell.custom_exceptions not in ((), (NameError,)):
        return
    shell.set_custom_exc((NameError,), _handler)
