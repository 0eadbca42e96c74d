"""Checks of the exercises in lesson 03 (backpropagation walkthrough), all on the 2-2-2
example of ``helpers.lessons.walkthrough``: dE/dw6 by hand, the gradient-descent update of w6,
the two hidden deltas and the four updated hidden weights w1..w4 (derived by the student),
and two functions for a whole batch, ``output_delta`` and ``hidden_delta``.

Each check names the usual wrong answers by their values (``core.Mistake``): sigma' forgotten
or applied twice, the net input used for an output, the wrong sign, a step uphill, the
output delta of the wrong unit, the slides' variant that sends the error back along updated
weights, a weight matrix not transposed, ...
Omits: bias updates (the example keeps its biases fixed).
"""

import numpy as np

from ..lessons import walkthrough as wt
from . import core
from .core import Mistake, compare_arrays, compare_scalar, fresh_rng, passed, run_student
from .exercise import as_numbers, pending

_HIDDEN = ("h1", "h2")
_LOWER = ("w1", "w2", "w3", "w4")


def _slope(v):
    return v * (1 - v)


def check_dE_dw6(value):  # noqa: N802 - the name of the quantity
    """Exercise 1 of lesson 03: dE_total/dw6 of the 2-2-2 example (6 decimals suffice)."""
    __tracebackhide__ = True
    name = "dE/dw6"
    if pending(name, value, what="set dE_dw6 to your number"):
        return
    q = wt.backward()
    compare_scalar(name, value, q["dE/dw6"], rtol=0, atol=1e-5,
                   hint="three factors: dE/dout_o1, dout_o1/dnet_o1 and dnet_o1/dw6 (the "
                        "value arriving on w6)",
                   mistakes=[
                       Mistake("dE/dw5", q["dE/dw5"],
                               "w6 connects h2 to o1: the last chain-rule factor is the value "
                               "that arrives on w6"),
                       Mistake("the wrong sign", -q["dE/dw6"],
                               "dE/dout_o1 = out_o1 - t_o1, which is positive here (the "
                               "output is too big)"),
                       Mistake("sigma' forgotten", q["dE/dout_o1"] * q["out_h2"],
                               "between out_o1 and net_o1 sits the logistic function: its "
                               "slope is one of the factors"),
                       Mistake("sigma' applied twice",
                               q["dE/dnet_o1"] * q["dout_o1/dnet_o1"] * q["out_h2"],
                               "the path from w6 to E passes through ONE logistic unit, o1"),
                       Mistake("the net input of h2 used instead of its output",
                               q["dE/dnet_o1"] * q["net_h2"],
                               "what arrives on w6 is h2's output, after its logistic")])
    passed(name, 1, f" ({q['dE/dw6']:.9f})")


def check_w6_update(value):
    """Exercise 3 of lesson 03: w6 after one gradient-descent step with learning rate 0.5."""
    __tracebackhide__ = True
    name = "w6 after one step"
    if pending(name, value, what="set w6_new to your number"):
        return
    new_w, q = wt.step(wt.WEIGHTS, lr=wt.LEARNING_RATE)
    w6, g, lr = wt.WEIGHTS["w6"], q["dE/dw6"], wt.LEARNING_RATE
    compare_scalar(name, value, new_w["w6"], rtol=0, atol=1e-5,
                   hint="new weight = old weight - learning rate * gradient",
                   mistakes=[
                       Mistake("a step uphill", w6 + lr * g,
                               "descent moves against the gradient: subtract learning rate "
                               "times gradient"),
                       Mistake("the learning rate left out", w6 - g,
                               "the step is the gradient scaled by the learning rate"),
                       Mistake("the change of w6, not its new value", -lr * g,
                               "start from the old weight w6 = 0.45 and add the change")])
    passed(name, 1, f" ({new_w['w6']:.9f})")


def hidden_deltas():
    """The worked values of exercise 2: [delta_h1, delta_h2] = dE/dnet_h1, dE/dnet_h2."""
    q = wt.backward()
    return np.array([q[f"dE/dnet_{h}"] for h in _HIDDEN])


def hidden_delta_mistakes():
    """The named wrong [delta_h1, delta_h2] of exercise 2 (``Mistake`` objects; the unit
    tests feed each one to ``check_hidden_deltas``)."""
    q, w = wt.backward(), wt.WEIGHTS
    d1, d2 = q["dE/dnet_o1"], q["dE/dnet_o2"]
    out = np.array([q[f"out_{h}"] for h in _HIDDEN])
    net = np.array([q[f"net_{h}"] for h in _HIDDEN])
    back = np.array([q[f"dE/dout_{h}"] for h in _HIDDEN])       # sum over the two paths
    variant = wt.backward(back_weights=wt.update(w, q))
    return [
        Mistake("the hidden unit's own sigma' forgotten", back,
                "the deltas are dE/dnet: after summing over the paths, multiply by the "
                "slope of the hidden unit's logistic, out_h (1 - out_h)"),
        Mistake("sigma' of the hidden unit applied twice", back * _slope(out) ** 2,
                "one logistic sits between net_h and out_h: its slope counts once"),
        Mistake("only the path through o1", d1 * np.array([w["w5"], w["w6"]]) * _slope(out),
                "h1 and h2 feed BOTH outputs: add one term per output unit"),
        Mistake("each output's delta sent back along the wrong weight",
                np.array([d1 * w["w5"] + d2 * w["w6"], d1 * w["w7"] + d2 * w["w8"]])
                * _slope(out),
                "h1 reaches o1 through w5 and o2 through w7; h2 uses w6 and w8"),
        Mistake("the slope taken at the net input, net (1 - net)", back * _slope(net),
                "out (1 - out) is the logistic's slope written with its OUTPUT"),
        Mistake("the updated w5..w8 used (the slides' variant)",
                np.array([variant[f"dE/dnet_{h}"] for h in _HIDDEN]),
                "every gradient of one step comes from the same network: use the original "
                "w5..w8, those of the forward pass"),
        Mistake("the wrong sign", -hidden_deltas(),
                "the output deltas already carry the sign; the weights and slopes are "
                "positive here"),
    ]


def check_hidden_deltas(delta_h1, delta_h2):
    """Exercise 2 of lesson 03: the deltas dE/dnet_h1 and dE/dnet_h2 of the hidden units."""
    __tracebackhide__ = True
    name = "hidden deltas"
    if pending(name, delta_h1, delta_h2, what="set delta_h1 and delta_h2 to your numbers"):
        return
    got = as_numbers(name, [delta_h1, delta_h2], (2,), what="delta_h1 and delta_h2")
    want = hidden_deltas()
    compare_arrays(f"{name} [delta_h1, delta_h2]", got, want, rtol=0, atol=2e-7,
                   hint="how does net_h1 reach E? Through out_h1 and then BOTH outputs",
                   mistakes=hidden_delta_mistakes())
    passed(name, 2, f" ({want[0]:.9f}, {want[1]:.9f})")


def hidden_weights():
    """The worked values of exercise 4: w1..w4 after one step (a (4,) array)."""
    new_w, _ = wt.step(wt.WEIGHTS, lr=wt.LEARNING_RATE)
    return np.array([new_w[k] for k in _LOWER])


def hidden_weight_mistakes():
    """The named wrong [w1+, w2+, w3+, w4+] of exercise 4 (``Mistake`` objects; the unit
    tests feed each one to ``check_hidden_weights``)."""
    q, w, lr = wt.backward(), wt.WEIGHTS, wt.LEARNING_RATE
    old = np.array([w[k] for k in _LOWER])
    grad = np.array([q[f"dE/d{k}"] for k in _LOWER])
    i1, i2 = wt.INPUTS
    d = {h: q[f"dE/dnet_{h}"] for h in _HIDDEN}
    back = {h: q[f"dE/dout_{h}"] for h in _HIDDEN}
    slide_w, _ = wt.step(w, lr=lr, hidden_uses="updated")
    return [
        Mistake("a step uphill", old + lr * grad, "descent subtracts learning rate times "
                                                  "gradient"),
        Mistake("the hidden unit's own sigma' forgotten",
                old - lr * np.array([back["h1"] * i1, back["h1"] * i2,
                                     back["h2"] * i1, back["h2"] * i2]),
                "the gradient of a weight into h1 is h1's delta (dE/dnet_h1, after its "
                "logistic slope) times the input on that weight"),
        Mistake("the two inputs swapped",
                old - lr * np.array([d["h1"] * i2, d["h1"] * i1, d["h2"] * i2, d["h2"] * i1]),
                "w1 and w3 leave i1, w2 and w4 leave i2 (see the diagram)"),
        Mistake("the deltas of h1 and h2 swapped",
                old - lr * np.array([d["h2"] * i1, d["h2"] * i2, d["h1"] * i1, d["h1"] * i2]),
                "w1, w2 feed h1; w3, w4 feed h2"),
        Mistake("the learning rate left out", old - grad,
                "the step is the gradient times the learning rate 0.5"),
        Mistake("the gradients, not the new weights", grad,
                "start from the old weights and subtract learning rate times gradient"),
        Mistake("the updated w5..w8 used (the slides' variant)",
                np.array([slide_w[k] for k in _LOWER]),
                "every gradient of one step comes from the same network: send the error "
                "back along the ORIGINAL w5..w8"),
    ]


def check_hidden_weights(w1_new, w2_new, w3_new, w4_new):
    """Exercise 4 of lesson 03: w1..w4 after one gradient-descent step (learning rate 0.5)."""
    __tracebackhide__ = True
    name = "w1..w4 after one step"
    if pending(name, w1_new, w2_new, w3_new, w4_new,
               what="set w1_new, w2_new, w3_new and w4_new to your numbers"):
        return
    got = as_numbers(name, [w1_new, w2_new, w3_new, w4_new], (4,), what="w1_new..w4_new")
    want = hidden_weights()
    compare_arrays(f"{name} [w1, w2, w3, w4]", got, want, rtol=0, atol=2e-7,
                   hint="gradient of a weight = delta of the unit it enters times the value "
                        "arriving on it; then one step downhill",
                   mistakes=hidden_weight_mistakes())
    passed(name, 4, " (" + ", ".join(f"{v:.9f}" for v in want) + ")")


def _output_delta_mistakes(out, target):
    right = wt.output_delta(out, target)
    return [Mistake("the wrong sign", -right,
                    "dE/dout = out - target (E grows when out moves away from target)"),
            Mistake("sigma' forgotten", out - target,
                    "two chain-rule factors, entry by entry: dE/dout times the logistic slope "
                    "at the output"),
            Mistake("sigma' applied twice", right * _slope(out),
                    "the path from net to E passes through one logistic")]


def _is_pending(got):
    return got is Ellipsis


def check_output_delta(output_delta):
    """Exercise 5 of lesson 03: output_delta(out, target) -> (N, K) array dE/dnet for
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
        if _is_pending(got) and i == 0:
            pending(name, got, what="replace `return ...` with your code")
            return
        compare_arrays(name, got, wt.output_delta(out, target), case=case, rtol=1e-9,
                       atol=1e-12, hint="two chain-rule factors, entry by entry: dE/dout "
                                        "times the logistic slope at the output",
                       mistakes=_output_delta_mistakes(out, target))
    passed("output_delta", len(cases))


def _hidden_delta_case_mistakes(delta_out, W_out, h):
    back = delta_out @ W_out.T
    right = back * _slope(h)
    sigmoid_h = 1 / (1 + np.exp(-h))
    mistakes = [
        Mistake("the hidden units' sigma' forgotten", back,
                "after sending the deltas back along the weights, multiply by each hidden "
                "unit's own logistic slope"),
        Mistake("sigma' applied twice", right * _slope(h),
                "one logistic sits between a hidden unit's net input and its output"),
        Mistake("the slope computed as if h were the net input", back * _slope(sigmoid_h),
                "h is already the OUTPUT of the logistic: its slope is h (1 - h)"),
        Mistake("the wrong sign", -right, "the output deltas already carry the sign"),
    ]
    if W_out.shape[0] == W_out.shape[1]:
        mistakes.append(Mistake("W_out not transposed", (delta_out @ W_out) * _slope(h),
                                "row j of W_out holds hidden unit j's outgoing weights: "
                                "unit j collects delta_k times W_out[j, k] over k"))
    return mistakes


def check_hidden_delta(hidden_delta):
    """Exercise 6 of lesson 03: hidden_delta(delta_out, W_out, h) -> (N, H) array dE/dnet of
    logistic hidden units with outputs h (N, H), outgoing weights W_out (H, K) and the deltas
    delta_out (N, K) of the layer above; tried on the 2-2-2 example and random shapes."""
    __tracebackhide__ = True
    name = "hidden_delta(delta_out, W_out, h)"
    rng = fresh_rng()
    q, m = wt.backward(), wt.to_matrices()
    cases = [("the 2-2-2 example", np.array([[q["dE/dnet_o1"], q["dE/dnet_o2"]]]), m["W2"],
              np.array([[q["out_h1"], q["out_h2"]]]))]
    for n, hidden, k in ((4, 3, 2), (1, 5, 10), (8, 6, 6), (int(rng.integers(2, 20)),
                                                          int(rng.integers(2, 12)), 1)):
        cases.append((f"{n} samples, {hidden} hidden units, {k} outputs",
                      rng.normal(0, 0.3, (n, k)), rng.normal(0, 1, (hidden, k)),
                      rng.uniform(0.01, 0.99, (n, hidden))))
    for i, (case, delta_out, W_out, h) in enumerate(cases):
        args = (delta_out.copy(), W_out.copy(), h.copy())
        got = run_student(hidden_delta, *args, name=name, case=case)
        if _is_pending(got) and i == 0:
            pending(name, got, what="replace `return ...` with your code")
            return
        for arg_name, arr, orig in zip(("delta_out", "W_out", "h"), args,
                                       (delta_out, W_out, h)):
            core.expect_unchanged(name, arg_name, arr, orig, case)
        compare_arrays(name, got, wt.hidden_delta(delta_out, W_out, h), case=case,
                       rtol=1e-9, atol=1e-12,
                       hint="each hidden unit sums delta_k times its weight to output k, then "
                            "multiplies by its own logistic slope",
                       mistakes=_hidden_delta_case_mistakes(delta_out, W_out, h))
    passed("hidden_delta", len(cases))
