"""Checks of lab 04 (MNIST with dropout): ``one_hot``, ``dropout_forward`` and
``dropout_backward`` (inverted dropout).

Conventions of the lab:
  one_hot(y, num_classes) -> float array (N, num_classes) of 0/1, like helpers.data.one_hot.
  dropout_forward(x, keep_prob, rng) -> (out, mask) with
      mask = rng.random(x.shape, dtype=x.dtype) < keep_prob   (one draw, boolean)
      out  = x * mask / keep_prob                               (same dtype as x)
    so an identically seeded Generator gives the same mask as the check's reference,
    ``helpers.layers.dropout_forward``, which draws its masks the same way.
  dropout_backward(dout, mask, keep_prob) -> dx = dout * mask / keep_prob.
"""

import numpy as np

from .. import layers
from ..data import one_hot as ref_one_hot
from ..gradcheck import numerical_gradient, rel_error
from .core import (
    compare_arrays,
    expect_unchanged,
    fail,
    fresh_rng,
    passed,
    run_student,
    unpack,
)

# the course's own implementations of this lab's exercises: an exercise cell that uses one
# is flagged by the grader for a human to review (helpers.instructor.grading.labs.flags)
REFERENCES = ("helpers.data.one_hot", "helpers.layers")


def check_one_hot(one_hot):
    """one_hot(y, num_classes) -> (N, num_classes) floats, row i has a 1 in column y[i]."""
    __tracebackhide__ = True
    name = "one_hot(y, num_classes)"
    rng = fresh_rng()
    cases = [
        ("20 random labels 0..9, num_classes=10", rng.integers(0, 10, 20), 10),
        ("MNIST-style uint8 labels, num_classes=10",
         rng.integers(0, 10, 15).astype(np.uint8), 10),
        ("a single label", rng.integers(0, 10, 1), 10),
        ("labels only from 0..2 but num_classes=10 (columns 3..9 stay all-zero)",
         rng.integers(0, 3, 12), 10),
        ("every label is the last class", np.full(5, 6), 7),
        ("two classes", rng.integers(0, 2, 9), 2),
        ("no labels at all (N = 0)", np.zeros(0, dtype=np.int64), 10),
    ]
    hint = ("make an all-zero float array of shape (N, num_classes), then put a 1 at "
            "[i, y[i]] for every row i (np.arange(N) indexes the rows); use num_classes, "
            "not y.max() + 1")
    for case, y, k in cases:
        y_in = y.copy()
        got = run_student(one_hot, y_in, k, name=name, case=case)
        expect_unchanged(name, "y", y_in, y, case)
        compare_arrays(name, got, ref_one_hot(y, k), case=case, kind="float", exact=True,
                       hint=hint, dtype_hint="create the array with dtype=np.float32: the "
                                             "network computes with floats")
    passed("one_hot", len(cases))


def _reference_forward(x, keep_prob, seed):
    """The library's inverted dropout (it draws its mask as the lab does): (out, mask)."""
    out, cache = layers.dropout_forward(x, keep_prob, rng=np.random.default_rng(seed))
    return out, cache["mask"]


def check_dropout_forward(dropout_forward):
    """dropout_forward(x, keep_prob, rng) -> (out, mask), inverted dropout."""
    __tracebackhide__ = True
    name = "dropout_forward(x, keep_prob, rng)"
    rng = fresh_rng()
    draw_hint = ("draw the mask in ONE call of rng.random, exactly as the docstring says (so "
                 "it can be compared), then keep the kept units, scaled by 1 / keep_prob")
    n_cases = 0

    # 1. the expected value is preserved (what inverted dropout is for)
    case = "x = ones of shape (500, 400) float32, keep_prob=0.7: mean(out) must stay about 1"
    x = np.ones((500, 400), np.float32)
    x_in = x.copy()
    result = run_student(dropout_forward, x_in, 0.7, np.random.default_rng(rng.integers(2**63)),
                         name=name, case=case)
    out, mask = unpack(name, result, ("out", "mask"), case)
    expect_unchanged(name, "x", x_in, x, case)
    out = compare_arrays(f"{name}: out", out, x, case=case, dtype=np.float32, values=False,
                         hint="out keeps the shape and dtype of x")
    mask = compare_arrays(f"{name}: mask", mask, np.zeros(x.shape, bool), case=case,
                          kind=None, values=False, hint="mask = (random numbers) < keep_prob "
                                                        "is a boolean array of the shape of x")
    if mask.dtype.kind != "b" and not np.isin(mask, (0, 1)).all():
        fail(f"{name}: mask", "the mask must hold only True/False (or 1/0)", case,
             "booleans", f"values like {np.unique(mask)[:5]}", hint=draw_hint)
    kept = float(np.mean(mask))
    if abs(kept - 0.7) > 0.01:
        fail(f"{name}: mask", "keeps the wrong fraction of units", case,
             "about 70% of the entries True (kept)", f"{kept:.1%} True",
             hint="a unit is KEPT with probability keep_prob: mask = rng.random(...) < "
                  "keep_prob (not >)")
    mean = float(np.mean(out))
    if abs(mean - 1.0) > 0.015:
        fail(f"{name}: out", "does not preserve the mean", case, "mean(out) close to 1.0",
             f"mean(out) = {mean:.4f}",
             hint="inverted dropout scales the kept units by 1 / keep_prob so that the "
                  "expected value of out equals x")
    compare_arrays(f"{name}: out", out, x * mask.astype(np.float32) / np.float32(0.7), case=case,
                   rtol=1e-6, atol=1e-7, hint="out is x where the mask keeps a unit, 0 elsewhere, "
                                    "scaled by 1 / keep_prob")
    n_cases += 1

    # 2. exactly the reference draw, on identically seeded generators
    for shape, p, dtype in [((4, 5), 0.7, np.float32), ((64, 30), 0.5, np.float32),
                            ((3, 7), 0.9, np.float64), ((128, 800), 0.7, np.float32)]:
        seed = int(rng.integers(2**63))
        x = (rng.standard_normal(shape) * 2).astype(dtype)
        case = (f"x: random {dtype.__name__} array of shape {shape}, keep_prob={p}, "
                f"rng=np.random.default_rng({seed})")
        result = run_student(dropout_forward, x.copy(), p, np.random.default_rng(seed),
                             name=name, case=case)
        out, mask = unpack(name, result, ("out", "mask"), case)
        ref_out, ref_mask = _reference_forward(x, p, seed)
        compare_arrays(f"{name}: mask", mask, ref_mask, case=case, kind=None, hint=draw_hint)
        compare_arrays(f"{name}: out", out, ref_out, case=case, dtype=dtype, rtol=1e-6,
                       atol=1e-7, hint=draw_hint)
        n_cases += 1

    # 3. keep_prob = 1 is the identity
    x = rng.standard_normal((6, 9)).astype(np.float32)
    case = "keep_prob=1.0: nothing is dropped and out equals x"
    result = run_student(dropout_forward, x.copy(), 1.0, np.random.default_rng(0), name=name,
                         case=case)
    out, mask = unpack(name, result, ("out", "mask"), case)
    compare_arrays(f"{name}: mask", mask, np.ones(x.shape, bool), case=case, kind=None,
                   hint=draw_hint)
    compare_arrays(f"{name}: out", out, x, case=case, dtype=np.float32, rtol=1e-7, atol=0,
                   hint=draw_hint)
    n_cases += 1
    passed("dropout_forward", n_cases)


def check_dropout_backward(dropout_backward):
    """dropout_backward(dout, mask, keep_prob) -> dout * mask / keep_prob."""
    __tracebackhide__ = True
    name = "dropout_backward(dout, mask, keep_prob)"
    rng = fresh_rng()
    hint = ("the gradient flows only through the kept units, scaled by the same factor as in "
            "the forward pass")
    cases = []
    for shape, p, dtype in [((5, 4), 0.7, np.float64), ((32, 50), 0.5, np.float32),
                            ((3, 3), 0.9, np.float64), ((4, 6), 1.0, np.float64)]:
        mask = rng.random(shape) < p
        dout = rng.standard_normal(shape).astype(dtype)
        cases.append((f"dout: random {dtype.__name__} {shape}, a random mask, keep_prob={p}",
                      dout, mask, p))
    for case, dout, mask, p in cases:
        d_in, m_in = dout.copy(), mask.copy()
        got = run_student(dropout_backward, d_in, m_in, p, name=name, case=case)
        expect_unchanged(name, "dout", d_in, dout, case)
        expected = layers.dropout_backward(
            dout, {"mask": mask, "keep_prob": p, "mode": "train", "form": "inverted"})
        compare_arrays(name, got, expected, case=case, rtol=1e-6, atol=1e-7, hint=hint)
        if dout.dtype == np.float64:  # numerically: d/dx of sum(dout * (x * mask / p))
            x = rng.standard_normal(dout.shape)
            numeric = numerical_gradient(lambda x=x, m=mask, g=dout, q=p: float(
                np.sum(g * (x * m / q))), x)
            err = rel_error(np.asarray(got, dtype=np.float64), numeric)
            if err > 1e-7:
                fail(name, "does not match the numerical gradient (same mask)", case,
                     "relative error < 1e-7", f"relative error {err:.2e}", hint=hint)
    passed("dropout_backward", len(cases), " (also against numerical gradients)")
