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
  predict_scores(params, X, keep_prob) -> the class scores of the FULL 784-H-10 ReLU network
    at test time: no mask and no scaling (inverted dropout already scaled in training).
"""

import numpy as np

from .. import layers
from ..data import one_hot as ref_one_hot
from ..gradcheck import numerical_gradient, rel_error
from . import core
from .core import Mistake, compare_arrays, expect_unchanged, fail, fresh_rng, passed, run_student

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
    hint = ("one row per label and one column per class, a single 1 per row in the column "
            "of that row's label; the width is num_classes, not the largest label seen")
    for case, y, k in cases:
        y_in = y.copy()
        got = run_student(one_hot, y_in, k, name=name, case=case)
        expect_unchanged(name, "y", y_in, y, case)
        y64 = y.astype(np.int64)
        compare_arrays(name, got, ref_one_hot(y, k), case=case, kind="float", exact=True,
                       hint=hint, dtype_hint="create the array with dtype=np.float32: the "
                                             "network computes with floats",
                       mistakes=[Mistake("the 1 one column to the left (off by one)",
                                         ref_one_hot((y64 - 1) % k, k), "label y goes in "
                                         "column y, counting columns from 0"),
                                 Mistake("the 1 one column to the right (off by one)",
                                         ref_one_hot((y64 + 1) % k, k), "label y goes in "
                                         "column y, counting columns from 0"),
                                 Mistake("the complement (0 for the true class, 1 elsewhere)",
                                         1 - ref_one_hot(y, k), "the row holds a single 1, "
                                         "in the true class's column")])
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
    draw_hint = ("draw the mask in ONE call of rng.random on an array of x's shape and dtype, "
                 "as the exercise says (so it can be compared), then keep the kept units, "
                 "scaled so that the mean is unchanged")
    n_cases = 0

    # 1. the expected value is preserved (what inverted dropout is for)
    _check_forward_mean(dropout_forward, name, rng, draw_hint)
    n_cases += 1

    # 2. exactly the reference draw, on identically seeded generators
    n_cases += _check_forward_draws(dropout_forward, name, rng, draw_hint)

    # 3. keep_prob = 1 is the identity
    x = rng.standard_normal((6, 9)).astype(np.float32)
    case = "keep_prob=1.0: nothing is dropped and out equals x"
    result = run_student(dropout_forward, x.copy(), 1.0, np.random.default_rng(0), name=name,
                         case=case)
    out, mask = core.unpack(name, result, ("out", "mask"), case)
    compare_arrays(f"{name}: mask", mask, np.ones(x.shape, bool), case=case, kind=None,
                   hint=draw_hint)
    compare_arrays(f"{name}: out", out, x, case=case, dtype=np.float32, rtol=1e-7, atol=0,
                   hint=draw_hint)
    n_cases += 1
    passed("dropout_forward", n_cases)


def _check_forward_mean(dropout_forward, name, rng, draw_hint):
    """Case 1 of check_dropout_forward: ones (500, 400), keep_prob=0.7, mean(out) about 1."""
    __tracebackhide__ = True
    case = "x = ones of shape (500, 400) float32, keep_prob=0.7: mean(out) must stay about 1"
    x = np.ones((500, 400), np.float32)
    x_in = x.copy()
    result = run_student(dropout_forward, x_in, 0.7, np.random.default_rng(rng.integers(2**63)),
                         name=name, case=case)
    out, mask = core.unpack(name, result, ("out", "mask"), case)
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
             hint="a unit is KEPT with probability keep_prob: True in the mask must "
                  "come up with probability keep_prob, not 1 - keep_prob")
    kept_mask = mask.astype(np.float32)
    compare_arrays(f"{name}: out", out, x * kept_mask / np.float32(0.7), case=case, rtol=1e-6,
                   atol=1e-7, hint="out is x where the mask keeps a unit, 0 elsewhere, scaled "
                                   "so that the expected value of out equals x",
                   mistakes=[Mistake("the 1 / keep_prob scaling missing", x * kept_mask,
                                     "inverted dropout scales the kept units up in training "
                                     "so that mean(out) stays equal to x"),
                             Mistake("the kept units multiplied by keep_prob instead of "
                                     "divided", x * kept_mask * np.float32(0.7),
                                     "multiplying by keep_prob is the test-time rule of the "
                                     "original paper; inverted dropout divides in training")])


def _check_forward_draws(dropout_forward, name, rng, draw_hint):
    """Case 2 of check_dropout_forward: (out, mask) as the reference's on 4 seeded draws."""
    __tracebackhide__ = True
    n_cases = 0
    for shape, p, dtype in [((4, 5), 0.7, np.float32), ((64, 30), 0.5, np.float32),
                            ((3, 7), 0.9, np.float64), ((128, 800), 0.7, np.float32)]:
        seed = int(rng.integers(2**63))
        x = (rng.standard_normal(shape) * 2).astype(dtype)
        case = (f"x: random {dtype.__name__} array of shape {shape}, keep_prob={p}, "
                f"rng=np.random.default_rng({seed})")
        result = run_student(dropout_forward, x.copy(), p, np.random.default_rng(seed),
                             name=name, case=case)
        out, mask = core.unpack(name, result, ("out", "mask"), case)
        ref_out, ref_mask = _reference_forward(x, p, seed)
        compare_arrays(f"{name}: mask", mask, ref_mask, case=case, kind=None, hint=draw_hint)
        compare_arrays(f"{name}: out", out, ref_out, case=case, dtype=dtype, rtol=1e-6,
                       atol=1e-7, hint=draw_hint)
        n_cases += 1
    return n_cases


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
        compare_arrays(name, got, expected, case=case, rtol=1e-6, atol=1e-7, hint=hint,
                       mistakes=[Mistake("the 1 / keep_prob scaling missing", dout * mask,
                                         "the backward pass scales by the same factor as "
                                         "the forward pass"),
                                 Mistake("the mask of the forward pass not used (every unit "
                                         "gets a gradient)", dout / p, "a dropped unit did "
                                         "not take part in the output: its gradient is 0"),
                                 Mistake("the mask inverted (the dropped units get the "
                                         "gradient)", dout * ~mask / p, "True in the mask "
                                         "means KEPT")])
        if dout.dtype == np.float64:  # numerically: d/dx of sum(dout * (x * mask / p))
            x = rng.standard_normal(dout.shape)
            numeric = numerical_gradient(lambda x=x, m=mask, g=dout, q=p: float(
                np.sum(g * (x * m / q))), x)
            err = rel_error(np.asarray(got, dtype=np.float64), numeric)
            if err > 1e-7:
                fail(name, "does not match the numerical gradient (same mask)", case,
                     "relative error < 1e-7", f"relative error {err:.2e}", hint=hint)
    passed("dropout_backward", len(cases), " (also against numerical gradients)")


# ------------------------------------------------------------------ dropout at test time

def _network(rng, d, h, c):
    return {"W1": (rng.standard_normal((d, h)) / np.sqrt(d)).astype(np.float32),
            "b1": (rng.standard_normal(h) * 0.1).astype(np.float32),
            "W2": (rng.standard_normal((h, c)) / np.sqrt(h)).astype(np.float32),
            "b2": (rng.standard_normal(c) * 0.1).astype(np.float32)}


def _scores(params, X, hidden_scale=1.0, input_scale=1.0):
    hidden = np.maximum((X * input_scale) @ params["W1"] + params["b1"], 0) * hidden_scale
    return hidden @ params["W2"] + params["b2"]


def _predict_mistakes(params, X, p):
    """The known wrong test-time scores (N, C) of the network ``params`` on X, keep_prob p."""
    return [Mistake("the hidden units scaled by keep_prob at test time",
                    _scores(params, X, hidden_scale=p),
                    "scaling by keep_prob at test time is the original "
                    "paper's rule, for dropout WITHOUT the training-time "
                    "division; inverted dropout needs nothing"),
            Mistake("the hidden units divided by keep_prob at test time",
                    _scores(params, X, hidden_scale=1 / p),
                    "the division by keep_prob belongs to training"),
            Mistake("input and hidden units scaled by keep_prob at test "
                    "time", _scores(params, X, p, p),
                    "the test network uses every unit as it is"),
            Mistake("the ReLU left out", (X @ params["W1"] + params["b1"])
                    @ params["W2"] + params["b2"],
                    "the hidden units are ReLU units")]


def check_predict_scores(predict_scores):
    """predict_scores(params, X, keep_prob) -> (N, C) scores of the full ReLU network
    relu(X @ W1 + b1) @ W2 + b2: at test time inverted dropout drops nothing and scales
    nothing, whatever keep_prob the network was trained with."""
    __tracebackhide__ = True
    name = "predict_scores(params, X, keep_prob)"
    rng = fresh_rng()
    cases = [("20 images of 784 pixels, 64 hidden units, 10 classes, keep_prob=0.7",
              rng.random((20, 784), dtype=np.float32), 64, 0.7),
             ("5 images of 30 pixels, 16 hidden units, 10 classes, keep_prob=0.5",
              rng.random((5, 30), dtype=np.float32), 16, 0.5),
             ("1 image of 12 pixels, 8 hidden units, 10 classes, keep_prob=1.0",
              rng.random((1, 12), dtype=np.float32), 8, 1.0)]
    hint = ("at test time every unit is present; inverted dropout did its scaling during "
            "training, so the test network is the plain one")
    for case, X, h, p in cases:
        params = _network(rng, X.shape[1], h, 10)
        originals = {k: v.copy() for k, v in params.items()}
        first = run_student(predict_scores, params, X.copy(), p, name=name, case=case)
        again = run_student(predict_scores, params, X.copy(), p, name=name, case=case)
        for key in params:
            expect_unchanged(name, f"params[{key!r}]", params[key], originals[key], case)
        expected = _scores(params, X)
        if p < 1 and isinstance(first, np.ndarray) and isinstance(again, np.ndarray) \
                and first.shape == again.shape \
                and not np.allclose(first, again, equal_nan=True):
            fail(name, "wrong answer: this looks like dropout applied at test time", case,
                 "the same scores for the same images every time",
                 "different scores in two calls on the same images", hint=hint)
        compare_arrays(name, first, expected, case=case, rtol=1e-4, atol=1e-5, hint=hint,
                       mistakes=_predict_mistakes(params, X, p))
    passed("predict_scores", len(cases))
