"""The machinery shared by the lab checks: call the student's code safely, compare what it
returns with the reference, and fail with a message a beginner can act on.

Every failure is a ``CheckFailed`` (an ``AssertionError``) whose message says which function,
which case (a description of the input), what was expected, what came back (type, shape,
dtype, a few values) and a hint. Success prints one line. Random inputs come from
``fresh_rng()``, seeded by the operating system on every call, so an answer copied from an
earlier run (or a printed expected value) cannot pass.
Omits: timeouts (the grader limits the run time of a cell).
"""

import linecache
import os
import traceback

import numpy as np

from .mistakes import Mistake, matching_mistake, name_mistake

__all__ = [
    "CheckFailed", "fresh_rng", "run_student", "compare_arrays", "compare_scalar",
    "compare_dict", "unpack", "expect_unchanged", "describe", "preview", "passed", "fail",
    "student_line", "attribute_names", "check_elementwise", "Mistake", "name_mistake",
]

_HELPERS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class CheckFailed(AssertionError):  # noqa: N818 - reads better in a notebook than ...Error
    """A check found a problem in the student's code. The message explains it.

    In a notebook IPython shows ``_render_traceback_`` instead of a traceback: one short box
    (what was checked, expected vs got, where in the student's code, a hint), never the
    course's own code."""

    def _render_traceback_(self):
        lines = str(self).splitlines() or ["check failed"]
        return [f"\x1b[1;31m✘ {lines[0]}\x1b[0m", *lines[1:]]


def fresh_rng():
    """A numpy Generator seeded from the operating system's entropy (new inputs every run)."""
    return np.random.default_rng(np.random.SeedSequence())


# -------------------------------------------------------------------------------- messages

def preview(x, n=6):
    """A short text view of an array's values (at most ``n`` per row, 4 significant digits)."""
    arr = np.asarray(x)
    if arr.dtype.kind == "f":
        text = np.array2string(arr, threshold=n, edgeitems=max(1, n // 2), precision=5,
                               suppress_small=False, max_line_width=88)
    else:
        text = np.array2string(arr, threshold=n, edgeitems=max(1, n // 2), max_line_width=88)
    lines = text.splitlines()
    if len(lines) > 6:
        lines = lines[:3] + ["  ..."] + lines[-2:]
    return "\n            ".join(lines)


def describe(x):
    """Type, shape and dtype of a value, e.g. 'an array of shape (5,) and dtype int64'."""
    if x is None:
        return "None"
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}"
    if isinstance(x, (list, tuple)):
        return f"a {type(x).__name__} of {len(x)} item(s)"
    if isinstance(x, dict):
        return f"a dict with keys {sorted(map(str, x))}"
    if isinstance(x, (bool, np.bool_)):
        return f"the bool {x!r}"
    if isinstance(x, (int, float, np.number)):
        return f"the number {_fmt(x)} ({type(x).__name__})"
    from .remote import RemoteObject  # here: remote builds on this module

    if isinstance(x, RemoteObject):
        return f"a {x.student_type_name} (an object in your kernel)"
    return f"a {type(x).__name__}"


def fail(name, problem, case=None, expected=None, got=None, hint=None, extra=()):
    """Raise CheckFailed with a message in the standard layout."""
    __tracebackhide__ = True
    lines = [f"{name}: {problem}"]
    if case:
        lines.append(f"  case:     {case}")
    if expected is not None:
        lines.append(f"  expected: {expected}")
    if got is not None:
        lines.append(f"  got:      {got}")
    lines.extend(f"  {e}" for e in extra)
    if hint:
        lines.append(f"  hint:     {hint}")
    raise CheckFailed("\n".join(lines))


def passed(name, n_cases, note=""):
    """Print the one success line of a check, e.g. '✔ predict: all 6 cases passed'."""
    cases = "the case passed" if n_cases == 1 else f"all {n_cases} cases passed"
    print(f"✔ {name}: {cases}{note}")


# -------------------------------------------------------------------------------- calling

def student_line(tb):
    """'line N: code' of the innermost frame of traceback ``tb`` outside helpers/ and numpy
    (the student's line), or None."""
    frames = [f for f in traceback.extract_tb(tb)
              if not os.path.abspath(f.filename).startswith(_HELPERS_DIR)
              and f"{os.sep}numpy{os.sep}" not in f.filename]
    if not frames:
        return None
    f = frames[-1]
    code = (f.line or linecache.getline(f.filename, f.lineno)).strip()
    where = f"in {f.name}, line {f.lineno}" if f.name != "<module>" else f"line {f.lineno}"
    return f"{where}: {code}" if code else where


def _hint_for(exc):
    """A hint for the usual beginner errors, from the exception's type and message."""
    msg = str(exc)
    if isinstance(exc, NameError):
        return ("a name is not defined: run the cells above this one first (imports, data, "
                "earlier exercises), and check the spelling")
    if isinstance(exc, TypeError) and ("Python scalar" in msg or "real number" in msg):
        return ("math.exp, math.tanh, float() and int() take ONE number: numpy's functions "
                "(np.exp, ...) work on whole arrays at once")
    if isinstance(exc, ValueError) and "broadcast" in msg:
        return ("an element-wise operation (+, -, *, /) got arrays whose shapes do not fit "
                "together: print the .shape of each array (a column (N, 1) and a vector (N,) "
                "broadcast to (N, N))")
    if isinstance(exc, ValueError) and ("matmul" in msg or "aligned" in msg):
        return ("a matrix product (@ or np.dot) got shapes that do not fit: X @ W needs X of "
                "shape (N, D) and W of shape (D, M); print the .shape of each array")
    if isinstance(exc, IndexError):
        return "an index is out of range or has the wrong type: print the shapes and indices"
    if isinstance(exc, (AttributeError, KeyError)):
        return "check the names used (attributes, dictionary keys) against the docstring"
    if isinstance(exc, FloatingPointError):
        return "a computation overflowed or produced NaN: use a numerically stable formula"
    if isinstance(exc, RecursionError):
        return "your function calls itself: did you reuse the function's own name inside it?"
    return "read the error above and compare your code with the docstring"


def run_student(fn, *args, name=None, case=None, hint=None, **kwargs):
    """Call ``fn(*args, **kwargs)``; any exception becomes a CheckFailed that names the
    function, the case and the student's line, with a hint. Returns what ``fn`` returns."""
    __tracebackhide__ = True
    label = name or getattr(fn, "__name__", "your function")
    if not callable(fn):
        fail(label, f"expected a function, got {describe(fn)}",
             hint="pass the function itself (no parentheses), and check that you did not "
                  "assign something else to its name")
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        fail(label, "not written yet: it still raises NotImplementedError",
             hint="replace the lines '# YOUR CODE HERE' and 'raise NotImplementedError()' "
                  "with your code, run that cell, then run this check again")
    except CheckFailed:
        raise
    except Exception as exc:  # the student's code can raise anything
        # an error from the student's kernel (remote grading) carries the line it came from
        where = getattr(exc, "student_where", None) or student_line(exc.__traceback__)
        fail(label, f"your code raised {type(exc).__name__}: {exc}", case=case,
             extra=[f"where:    {where}"] if where else (), hint=hint or _hint_for(exc))


def attribute_names(obj):
    """The sorted attribute names of an object made by the student's class, on either
    backend (a real object, or a proxy of one in the student's kernel)."""
    remote = getattr(type(obj), "remote_attribute_names", None)
    return remote(obj) if remote is not None else sorted(map(str, vars(obj)))


# -------------------------------------------------------------------------------- comparing

def _fail_if_mistake(name, got, expected, mistakes, case, rtol, atol):
    """Fail with the mistake's label and hint when ``got`` matches one of ``mistakes``."""
    __tracebackhide__ = True
    m = matching_mistake(got, expected, mistakes, rtol=rtol, atol=atol)
    if m is not None:
        fail(name, f"wrong answer: this looks like {m.label}", case,
             preview(expected), preview(got), hint=m.hint)


_KINDS = {"float": "f", "int": "iu", "bool": "b", "number": "iuf"}
_KIND_WORDS = {"float": "a floating-point dtype (float32 or float64)",
               "int": "an integer dtype (e.g. int64)", "bool": "dtype bool",
               "number": "a numeric dtype"}


def _as_array(name, got, expected, case, hint):
    __tracebackhide__ = True
    want = f"an array of shape {expected.shape}"
    if got is None:
        fail(name, "returned None", case, want, "None",
             hint="did you forget the `return` statement? A function without one returns "
                  "None")
    if isinstance(got, tuple) and not isinstance(expected, tuple):
        fail(name, f"returned a tuple of {len(got)} values instead of one array", case, want,
             describe(got), hint="return only the array (a trailing comma makes a tuple)")
    if isinstance(got, dict):
        fail(name, "returned a dict instead of an array", case, want, describe(got), hint=hint)
    try:
        arr = np.asarray(got)
    except Exception:  # ragged lists and other odd objects
        fail(name, "returned something that is not an array", case, want, describe(got),
             hint=hint or "return a numpy array")
    if arr.dtype.kind not in "biuf":
        fail(name, "returned something that is not a numeric array", case, want,
             f"{describe(got)} (numpy sees dtype {arr.dtype})",
             hint=hint or "return a numpy array of numbers")
    return arr


def _shape_hint(got_shape, want_shape):
    if got_shape == want_shape[::-1] and len(want_shape) == 2:
        return "your result looks transposed: check the order of the matrix product (.T?)"
    if int(np.prod(got_shape)) == int(np.prod(want_shape)):
        return ("same number of values, different shape: check axis=, keepdims= and "
                "reshape (a column (N, 1) is not a vector (N,))")
    if len(got_shape) == 0:
        return "you returned a single number: did you sum or average over everything?"
    return "check which axis you reduce over and the shapes of the arrays you combine"


def _fmt(v):
    """A numpy scalar as plain text: 0.25, 3, True (not np.float64(0.25))."""
    v = v.item() if isinstance(v, np.generic) else v
    return f"{v:.6g}" if isinstance(v, float) else repr(v)


def compare_arrays(name, got, expected, *, case=None, rtol=1e-6, atol=1e-9, kind="float",
                   dtype=None, hint=None, exact=False, values=True, dtype_hint=None,
                   mistakes=()):
    """Check that ``got`` is an array like ``expected`` (shape, dtype kind, finite) with the
    same values (``np.allclose(got, expected, rtol, atol)``, or equal when ``exact``).

    kind: 'float', 'int', 'bool', 'number' or None (any numeric dtype); dtype: an exact dtype
    required on top of that; values=False checks everything but the values; dtype_hint
    replaces the hint on a dtype failure; mistakes: ``Mistake`` objects whose values, when
    matched by a wrong answer, name the mistake in the message. Returns ``got`` as an ndarray.
    """
    __tracebackhide__ = True
    expected = np.asarray(expected)
    arr = _as_array(name, got, expected, case, hint)
    if arr.shape != expected.shape:
        fail(name, "wrong shape", case, f"shape {expected.shape}",
             f"shape {arr.shape} ({describe(got)})", hint=_shape_hint(arr.shape, expected.shape))
    if kind is not None and arr.dtype.kind not in _KINDS[kind]:
        extra = ""
        if kind == "int" and arr.dtype.kind == "f":
            extra = " (np.argmax returns integers; do not convert them to float)"
        if kind == "float" and arr.dtype.kind in "iub":
            extra = " (integer division or .astype(int) loses the fractions)"
        fail(name, "wrong dtype", case, _KIND_WORDS[kind], f"dtype {arr.dtype}",
             hint=dtype_hint or (hint or "check the dtype of what you return") + extra)
    if dtype is not None and arr.dtype != np.dtype(dtype):
        fail(name, "wrong dtype", case, f"dtype {np.dtype(dtype)}", f"dtype {arr.dtype}",
             hint=dtype_hint or "keep the dtype of the inputs: avoid mixing in float64 arrays "
                                "or np.float64 numbers, or convert with .astype(...)")
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        bad = tuple(np.argwhere(~np.isfinite(arr))[0].tolist())
        fail(name, f"the result contains {arr[bad]} (at index {bad})", case,
             "finite values only", preview(arr),
             hint="an exp() overflowed or something was divided by 0: look for a numerically "
                  "stable formula")
    if values:
        _compare_values(name, arr, expected, case, rtol, atol, exact, hint, mistakes)
    return arr


def _compare_values(name, arr, expected, case, rtol, atol, exact, hint, mistakes):
    """Fail unless ``arr`` has the values of ``expected`` (same shape): bools, exact or close."""
    __tracebackhide__ = True
    if expected.dtype.kind == "b" or arr.dtype.kind == "b":
        same = arr.astype(bool) == expected.astype(bool)
        if arr.dtype.kind != "b":
            same &= np.isin(arr, (0, 1))
    elif exact:
        same = arr == expected
    else:
        same = np.isclose(arr.astype(np.float64), expected.astype(np.float64), rtol=rtol,
                          atol=atol)
    if not np.all(same):
        _fail_if_mistake(name, arr, expected, mistakes, case, rtol, atol)
        bad = np.argwhere(~np.asarray(same))
        first = tuple(bad[0].tolist())
        n_bad, n = len(bad), expected.size
        diff = ""
        if expected.dtype.kind in "iuf" and arr.dtype.kind in "iuf":
            d = np.max(np.abs(arr.astype(np.float64) - expected.astype(np.float64)))
            diff = f"largest difference: {d:.3g}"
        fail(name, f"wrong values in {n_bad} of {n} entries", case,
             preview(expected), preview(arr),
             hint=hint,
             extra=[f"first difference at index {first}: expected {_fmt(expected[first])}, "
                    f"got {_fmt(arr[first])}"] + ([diff] if diff else []))


def compare_scalar(name, got, expected, *, case=None, rtol=1e-6, atol=1e-9, kind="number",
                   hint=None, mistakes=()):
    """Check a returned number (int, float or bool, numpy scalars included); ``mistakes`` as
    in ``compare_arrays``."""
    __tracebackhide__ = True
    if got is None:
        fail(name, "returned None", case, _fmt(expected), "None",
             hint="did you forget the `return` statement? A function without one returns "
                  "None")
    ok_types = (bool, np.bool_) if kind == "bool" else (
        (int, np.integer, bool, np.bool_) if kind == "int" else
        (int, float, np.integer, np.floating, bool, np.bool_))
    if isinstance(got, np.ndarray) and got.size == 1 and kind != "bool":
        got = got.reshape(()).item()
    if not isinstance(got, ok_types):
        want = {"bool": "True or False", "int": "an integer"}.get(kind, "a number")
        fail(name, "wrong type of result", case, f"{want} ({_fmt(expected)})", describe(got),
             hint=hint)
    if kind in ("bool", "int"):
        same = got == expected
    else:
        same = bool(np.isclose(float(got), float(expected), rtol=rtol, atol=atol))
    if not same:
        if kind not in ("bool", "int"):
            _fail_if_mistake(name, float(got), expected, mistakes, case, rtol, atol)
        fail(name, "wrong value", case, _fmt(expected), _fmt(got), hint=hint)
    return got


def compare_dict(name, got, expected, *, case=None, rtol=1e-6, atol=1e-9, hint=None,
                 mistakes=None):
    """Check a dict of arrays (e.g. gradients) key by key against ``expected``;
    ``mistakes`` maps a key to its list of ``Mistake`` objects (see ``compare_arrays``)."""
    __tracebackhide__ = True
    if not isinstance(got, dict):
        fail(name, "should return a dict", case, f"a dict with keys {sorted(expected)}",
             describe(got), hint=hint or "build the result as {'W1': dW1, 'b1': db1, ...}")
    missing = sorted(set(expected) - set(got))
    if missing:
        fail(name, f"missing key(s) {missing}", case, f"keys {sorted(expected)}",
             f"keys {sorted(map(str, got))}", hint="use exactly the keys of params")
    for key in expected:
        compare_arrays(f"{name}[{key!r}]", got[key], expected[key], case=case, rtol=rtol,
                       atol=atol, hint=hint, mistakes=(mistakes or {}).get(key, ()))
    return got


def unpack(name, got, names, case=None):
    """Check that ``got`` is a tuple/list of ``len(names)`` values and return it as a tuple."""
    __tracebackhide__ = True
    want = f"a tuple ({', '.join(names)})"
    if not isinstance(got, (tuple, list)) or len(got) != len(names):
        fail(name, f"should return {len(names)} values", case, want, describe(got),
             hint=f"end with `return {', '.join(names)}`")
    return tuple(got)


def expect_unchanged(name, arg_name, arr, original, case=None):
    """Fail when the student's function modified an input it must only read."""
    __tracebackhide__ = True
    if not np.array_equal(np.asarray(arr), original, equal_nan=True):
        fail(name, f"modified its input {arg_name}", case,
             f"{arg_name} unchanged", f"{arg_name} changed",
             hint="work on a new array (e.g. out = x * mask) instead of updating the input "
                  "in place (x *= ...)")


def check_elementwise(fn, name, arg_name, cases, reference, *, rtol, atol, hint,
                      mistakes=()):
    """Call ``fn`` on the array x of each ``(case, make)`` in ``cases``, x = make(rng) drawn in
    order from one ``fresh_rng()``: ``x`` must stay unchanged and the result match
    ``reference(x)`` (``rtol`` a number or a function of x, e.g. looser for float32); each
    ``(label, value, hint)`` of ``mistakes`` is a known wrong answer, ``value(x)`` on x.
    Returns the number of cases."""
    __tracebackhide__ = True
    rng = fresh_rng()
    drawn = [(case, make(rng)) for case, make in cases]
    for case, x in drawn:
        x_in = x.copy()
        got = run_student(fn, x_in, name=name, case=case)
        expect_unchanged(name, arg_name, x_in, x, case)
        compare_arrays(name, got, reference(x), case=case, rtol=rtol(x) if callable(rtol) else rtol,
                       atol=atol, hint=hint,
                       mistakes=[Mistake(label, value(x), tip) for label, value, tip in mistakes])
    return len(drawn)
