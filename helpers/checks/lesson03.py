"""Checks of the exercises in lesson 03 (backpropagation walkthrough): dE/dw6 of the 2-2-2
example by hand, the gradient-descent update of w6, and ``output_delta`` (the delta of a
layer of logistic output units under the sum of squared errors).

The reference numbers come from ``helpers.lessons.walkthrough``.
Omits: the hidden-layer deltas (the lesson works them out in the open).
"""

import numpy as np

from ..lessons import walkthrough as wt
from .core import compare_arrays, compare_scalar, fail, fresh_rng, passed, run_student
from .exercise import pending


def _is_number(value):
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_))


def check_dE_dw6(value):  # noqa: N802 - the name of the quantity
    """Exercise 1 of lesson 03: dE_total/dw6 of the 2-2-2 example (6 decimals suffice)."""
    __tracebackhide__ = True
    name = "dE/dw6"
    if pending(name, value, what="set dE_dw6 to your number"):
        return
    q = wt.backward()
    if _is_number(value) and np.isclose(value, q["dE/dw5"], atol=1e-6):
        fail(name, "that is dE/dw5", expected="the gradient of w6",
             got=f"{value}", hint="w6 connects h2 to o1: the last chain-rule factor is the "
                                  "value that arrives on w6")
    if _is_number(value) and np.isclose(value, -q["dE/dw6"], atol=1e-5):
        fail(name, "the sign is wrong", got=f"{value}",
             hint="dE/dout_o1 = out_o1 - t_o1, which is positive here (the output is too big)")
    compare_scalar(name, value, q["dE/dw6"], rtol=0, atol=1e-5,
                   hint="three factors: dE/dout_o1, dout_o1/dnet_o1 and dnet_o1/dw6 (the "
                        "value arriving on w6)")
    passed(name, 1, f" ({q['dE/dw6']:.9f})")


def check_w6_update(value):
    """Exercise 2 of lesson 03: w6 after one gradient-descent step with learning rate 0.5."""
    __tracebackhide__ = True
    name = "w6 after one step"
    if pending(name, value, what="set w6_new to your number"):
        return
    new_w, _ = wt.step(wt.WEIGHTS, lr=wt.LEARNING_RATE)
    wrong_way = wt.WEIGHTS["w6"] + wt.LEARNING_RATE * wt.backward()["dE/dw6"]
    if _is_number(value) and np.isclose(value, wrong_way, atol=1e-5):
        fail(name, "the step went uphill", got=f"{value}",
             hint="descent moves against the gradient: subtract learning rate times gradient")
    compare_scalar(name, value, new_w["w6"], rtol=0, atol=1e-5,
                   hint="new weight = old weight - learning rate * gradient")
    passed(name, 1, f" ({new_w['w6']:.9f})")


def _delta(out, target):
    return (out - target) * out * (1 - out)


def check_output_delta(output_delta):
    """Exercise 3 of lesson 03: output_delta(out, target) -> (N, K) array dE/dnet for
    logistic outputs out (N, K) and targets (N, K), E = 1/2 sum (target - out)^2."""
    __tracebackhide__ = True
    name = "output_delta(out, target)"
    rng = fresh_rng()
    fwd = wt.forward()
    cases = [("the 2-2-2 example", np.array([[fwd["out_o1"], fwd["out_o2"]]]),
              np.array([wt.TARGETS]))]
    for n, k in ((4, 3), (1, 10), (16, 2)):
        cases.append((f"{n} samples, {k} outputs", rng.uniform(0.01, 0.99, (n, k)),
                      rng.uniform(0, 1, (n, k))))
    for i, (case, out, target) in enumerate(cases):
        got = run_student(output_delta, out.copy(), target.copy(), name=name, case=case)
        if got is Ellipsis and i == 0:
            pending(name, got, what="replace `return ...` with your code")
            return
        expected = _delta(out, target)
        if got is not None and np.shape(got) == expected.shape and np.allclose(
                got, -expected):
            fail(name, "every value has the wrong sign", case=case,
                 hint="dE/dout = out - target (E grows when out moves away from target)")
        compare_arrays(name, got, expected, case=case, rtol=1e-9, atol=1e-12,
                       hint="two chain-rule factors, entry by entry: dE/dout times the "
                            "logistic slope at the output")
    passed("output_delta", len(cases))
