"""Checks for the practice labs and the lessons' exercises: one module per lab, each with a
``check_<exercise>(fn)`` function that a lab's check cell calls right after the exercise, e.g.::

    from helpers.checks import perceptron as checks
    checks.check_predict(predict)

A check calls the student's function on fresh random inputs and edge cases, compares the
result with the reference implementation in helpers, prints one line on success and raises
an AssertionError (``CheckFailed``) with expected vs got and a hint otherwise.
Modules: ``perceptron`` (lab 01), ``tanh`` (lab 02), ``sigmoid`` (lab 03), ``dropout``
(lab 04); ``lesson01`` ... ``lesson06`` (the lessons' exercises, which start unanswered:
``exercise``); ``core`` holds the shared machinery, ``mistakes`` the named common wrong
answers (``Mistake``).

Each check is written once against "the student's code" and runs on two backends: in the
notebook it gets the real function or class; when grading, the grader runs the same check
in its own process with proxies (``remote``) whose calls run the student's code in the
sandboxed kernel (``serve``), over a pickle-free wire format (``wire``). See docs/grading.md.
"""

from . import notebook
from .core import CheckFailed

__all__ = ["CheckFailed"]

notebook.install()  # in a notebook: a check run before its exercise says which cell to run
