"""Common wrong answers of an exercise, recognised by their values (issue 16: feedback that
names the mistake). A check lists what each known mistake returns on the check's input;
``helpers.checks.core``'s comparisons report a wrong answer that matches one by its label and
hint ("this looks like sigma' forgotten"), never the code. Used by every lesson and lab check.
Omits: mistakes that only show in the code (they have no value to match).
"""

import numpy as np


class Mistake:
    """A common wrong answer of an exercise, recognised by its value.

    ``label`` names the mistake as a student would recognise it ("sigma' forgotten"),
    ``expected`` is what that mistake returns on the same input (an array or a number), and
    ``hint`` says what to reconsider, never the code. Checks pass a list of these as
    ``mistakes=`` to ``compare_arrays`` / ``compare_scalar``.
    """

    def __init__(self, label, expected, hint):
        self.label, self.expected, self.hint = label, expected, hint

    def __repr__(self):
        return f"Mistake({self.label!r})"


def name_mistake(got, mistakes, *, rtol=1e-6, atol=1e-9):
    """The first ``Mistake`` in ``mistakes`` whose value ``got`` matches (same shape, close
    values), or None. Values that cannot be compared never match."""
    try:
        arr = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    for m in mistakes or ():
        want = np.asarray(m.expected, dtype=np.float64)
        if want.shape == arr.shape and np.allclose(arr, want, rtol=rtol, atol=atol):
            return m
    return None


def matching_mistake(got, expected, mistakes, *, rtol, atol):
    """The mistake a wrong answer ``got`` looks like, leaving out mistakes whose value on this
    input is the right answer ``expected`` itself (they coincide on some inputs); matched a
    little more loosely than the right answer (rtol >= 1e-5), or None. When two or more
    mistakes give the same value on this input (a random case can make them coincide), one
    Mistake names them all ("A, or it looks like B"), so the student is never told the wrong
    one alone."""
    wrong = [m for m in mistakes or ()
             if name_mistake(expected, [m], rtol=rtol, atol=atol) is None]
    loose = {"rtol": max(rtol, 1e-5), "atol": max(atol, 1e-8)}
    hits = [m for m in wrong if name_mistake(got, [m], **loose) is not None]
    if len(hits) < 2:
        return hits[0] if hits else None
    return Mistake(", or it looks like ".join(m.label for m in hits), hits[0].expected,
                   "; or: ".join(m.hint for m in hits))
