"""Feedback for the short exercises inside the lessons (01-06): a number worked out by hand,
a few weights chosen by the student, or a small function.

An exercise starts unanswered so that the stored lesson runs top to bottom: a value is the
placeholder ``...`` (Python's Ellipsis) and a function body is ``return ...``. A check first
asks ``pending``: while the answer is still the placeholder it prints one friendly line and
the check stops without raising. Wrong answers raise ``CheckFailed`` (via ``core.fail``),
right ones print one line (``core.passed``).
Omits: the comparisons themselves (``core.compare_scalar`` / ``compare_arrays`` do those).
"""

import numpy as np

from .core import fail

__all__ = ["pending", "as_numbers"]


def _is_placeholder(value):
    if value is Ellipsis:
        return True
    if isinstance(value, (list, tuple)):
        return any(_is_placeholder(v) for v in value)
    return isinstance(value, np.ndarray) and value.dtype == object and any(
        v is Ellipsis for v in value.ravel())


def pending(name, *answers, what):
    """True (after printing 'not answered yet: <what>') when any of ``answers`` is still the
    placeholder ``...``; False otherwise. Used by every lesson check (lessons 01-03)."""
    if any(_is_placeholder(a) for a in answers):
        print(f"… {name}: not answered yet: {what}")
        return True
    return False


def as_numbers(name, value, shape, *, what):
    """``value`` as a float array of ``shape`` (e.g. (2,) for two weights), or CheckFailed
    saying what was expected. ``what`` names the value for the message ('the weights')."""
    __tracebackhide__ = True
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        fail(name, f"{what} should be numbers", expected=f"{int(np.prod(shape))} number(s)",
             got=repr(value), hint="type plain numbers, e.g. 0.5 or -2")
    if arr.shape != tuple(shape):
        fail(name, f"{what} should have shape {tuple(shape)}", expected=f"shape {tuple(shape)}",
             got=f"shape {arr.shape}", hint="count the values: one per input (or per unit)")
    if not np.isfinite(arr).all():
        fail(name, f"{what} should be finite numbers", got=repr(value))
    return arr
