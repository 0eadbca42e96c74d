"""Tests of helpers.lessons.walkthrough (the 2-2-2 example) and plots.plot_error_landscape."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers.gradcheck import numerical_gradient, rel_error  # noqa: E402
from helpers.lessons import walkthrough as wt  # noqa: E402
from helpers.models import MLP  # noqa: E402
from helpers.plots import plot_error_landscape  # noqa: E402

X = np.array([wt.INPUTS])
T = np.array([wt.TARGETS])


def test_forward_reproduces_the_slides():
    q = wt.forward()
    for key, slide in [("net_h1", "0.3775"), ("out_h1", "0.593269992"),
                       ("out_h2", "0.596884378"), ("net_o1", "1.105905967"),
                       ("out_o1", "0.75136507"), ("out_o2", "0.772928465"),
                       ("E_o1", "0.274811083"), ("E_o2", "0.023560026"),
                       ("E_total", "0.298371109")]:
        assert wt.matches_slide(q[key], slide), (key, q[key], slide)


def test_backward_equals_numerical_gradient_of_error():
    q = wt.backward()
    for name in wt.WEIGHT_NAMES:
        w = dict(wt.WEIGHTS)
        h = 1e-5
        w[name] += h
        plus = wt.error(w)
        w[name] -= 2 * h
        minus = wt.error(w)
        assert q[f"dE/d{name}"] == pytest.approx((plus - minus) / (2 * h), rel=1e-5, abs=1e-11)


def test_chain_rule_factors_multiply_to_the_gradient():
    q = wt.backward()
    assert q["dE/dw5"] == pytest.approx(
        q["dE/dout_o1"] * q["dout_o1/dnet_o1"] * q["dnet_o1/dw5"], rel=1e-15)
    assert q["dE/dout_h1"] == pytest.approx(q["dE_o1/dout_h1"] + q["dE_o2/dout_h1"],
                                            rel=1e-15)
    assert q["dE/dw1"] == pytest.approx(
        q["dE/dout_h1"] * q["dout_h1/dnet_h1"] * q["dnet_h1/dw1"], rel=1e-15)


def test_step_lowers_the_error_and_keeps_biases():
    new, _ = wt.step()
    assert wt.error(new) < wt.error()
    assert new["b1"] == wt.WEIGHTS["b1"] and new["b2"] == wt.WEIGHTS["b2"]
    assert all(new[k] != wt.WEIGHTS[k] for k in wt.WEIGHT_NAMES)
    assert wt.matches_slide(wt.error(new), "0.291027774")


def test_updated_variant_changes_only_the_hidden_weights():
    good, _ = wt.step(hidden_uses="original")
    slide, _ = wt.step(hidden_uses="updated")
    for k in ("w5", "w6", "w7", "w8", "b1", "b2"):
        assert good[k] == slide[k]
    for k in ("w1", "w2", "w3", "w4"):
        assert good[k] != slide[k]
    assert wt.matches_slide(wt.error(slide), "0.291027924")
    assert not wt.matches_slide(wt.error(good), "0.291027924")


def test_step_rejects_unknown_variant():
    with pytest.raises(ValueError, match="hidden_uses"):
        wt.step(hidden_uses="newest")


def test_missing_weight_is_named():
    w = dict(wt.WEIGHTS)
    del w["w7"]
    with pytest.raises(ValueError, match="w7"):
        wt.forward(w)


def test_matrices_round_trip_and_layout():
    m = wt.to_matrices()
    assert m["W1"][1, 0] == wt.WEIGHTS["w2"]  # w2 goes from input 2 to hidden unit 1
    assert m["W2"][0, 1] == wt.WEIGHTS["w7"]  # w7 goes from hidden 1 to output 2
    assert wt.from_matrices(m) == wt.WEIGHTS
    bad = dict(m, b1=np.array([0.1, 0.2]))
    with pytest.raises(ValueError, match="bias"):
        wt.from_matrices(bad)


def test_weight_labels_follow_the_matrix_layout():
    labels = wt.weight_labels()
    m = wt.to_matrices()
    for names, W in zip(labels, (m["W1"], m["W2"])):
        for k in range(2):
            for j in range(2):
                assert W[k, j] == wt.WEIGHTS[names[k][j].strip("$").replace("_", "")]
    assert labels[0] == [["$w_1$", "$w_3$"], ["$w_2$", "$w_4$"]]


def test_matrix_gradients_equal_scalar_ones_and_mlp():
    q = wt.backward()
    err, g = wt.matrix_gradients(wt.to_matrices(), X, T)
    assert err == pytest.approx(q["E_total"], rel=1e-14)
    scalar = wt.to_matrices({**wt.WEIGHTS, **{k: q[f"dE/d{k}"] for k in wt.WEIGHT_NAMES}})
    for k in ("W1", "W2"):
        np.testing.assert_allclose(g[k], scalar[k], rtol=1e-12)
    mlp = MLP([2, 2, 2], activation="sigmoid", output="sigmoid", loss="sse", dtype=np.float64)
    mlp.params.update({k: v.copy() for k, v in wt.to_matrices().items()})
    loss, mg = mlp.loss(X, T)
    assert loss == pytest.approx(err, rel=1e-14)
    for k in g:
        np.testing.assert_allclose(mg[k], g[k], rtol=1e-12)


def test_matrix_gradients_pass_a_numerical_check_on_random_shapes():
    rng = np.random.default_rng(3)
    p = {"W1": rng.normal(size=(3, 4)), "b1": rng.normal(size=4),
         "W2": rng.normal(size=(4, 2)), "b2": rng.normal(size=2)}
    Xr, Tr = rng.normal(size=(5, 3)), rng.uniform(size=(5, 2))
    _, g = wt.matrix_gradients(p, Xr, Tr)
    for k in p:
        num = numerical_gradient(lambda: wt.matrix_gradients(p, Xr, Tr)[0], p[k])
        assert rel_error(g[k], num) < 1e-8, k


def test_deltas_of_a_batch_equal_the_scalar_walkthrough_and_a_numerical_derivative():
    """output_delta / hidden_delta (the references of lesson 03's exercises 5 and 6) give the
    scalar deltas on the 2-2-2 example and dE/dnet_h by finite differences on a batch."""
    q, m = wt.backward(), wt.to_matrices()
    d_out = wt.output_delta(np.array([[q["out_o1"], q["out_o2"]]]), T)
    assert np.allclose(d_out, [[q["dE/dnet_o1"], q["dE/dnet_o2"]]], rtol=1e-12, atol=0)
    d_hid = wt.hidden_delta(d_out, m["W2"], np.array([[q["out_h1"], q["out_h2"]]]))
    assert np.allclose(d_hid, [[q["dE/dnet_h1"], q["dE/dnet_h2"]]], rtol=1e-12, atol=0)

    rng = np.random.default_rng(3)
    net_h, W2, b2 = rng.normal(size=(5, 4)), rng.normal(size=(4, 3)), rng.normal(size=3)
    target = rng.uniform(size=(5, 3))

    def error():                                   # E as a function of net_h (read live)
        out = 1 / (1 + np.exp(-(1 / (1 + np.exp(-net_h)) @ W2 + b2)))
        return 0.5 * np.sum((target - out) ** 2)

    h = 1 / (1 + np.exp(-net_h))
    out = 1 / (1 + np.exp(-(h @ W2 + b2)))
    got = wt.hidden_delta(wt.output_delta(out, target), W2, h)
    assert got.shape == (5, 4)
    assert rel_error(got, numerical_gradient(error, net_h)) < 1e-7


def test_train_matches_repeated_steps_and_respects_update_biases():
    start = wt.to_matrices()
    p, errors = wt.train(start, X, T, steps=3)
    w = dict(wt.WEIGHTS)
    for k in range(3):
        assert errors[k] == pytest.approx(wt.error(w), rel=1e-12)
        w, _ = wt.step(w)
    assert errors[3] == pytest.approx(wt.error(w), rel=1e-12)
    np.testing.assert_array_equal(p["b1"], start["b1"])
    np.testing.assert_array_equal(start["W1"], wt.to_matrices()["W1"])  # input untouched
    pb, eb = wt.train(start, X, T, steps=3, update_biases=True)
    assert not np.array_equal(pb["b1"], start["b1"])
    assert eb[3] < errors[3]
    assert len(wt.train(start, X, T, steps=0)[1]) == 1


def test_decimals_and_matches_slide():
    assert wt.decimals("0.75136507") == 8
    assert wt.decimals("0.3775") == 4
    assert wt.decimals("0.511301270") == 9  # trailing zero counts: the slide wrote it
    assert wt.matches_slide(0.7513650696, "0.75136507")
    assert not wt.matches_slide(0.7513650696, "0.753136507")
    assert wt.matches_slide(-0.0190491185, "-0.019049119")
    assert not wt.matches_slide(-0.0190491183, "-0.019049119")


def test_plot_error_landscape_draws_paths_and_clips():
    def err(W):
        return 0.5 * (W[:, 0] ** 2 + 4 * W[:, 1] ** 2)

    paths = {"a": np.array([[1.0, 1.0], [0.5, 0.2], [0.0, 0.0]]),
             "b": np.array([[1.0, 1.0], [50.0, -50.0]])}
    fig = plot_error_landscape(err, (-2, 2), (-1.5, 1.5), paths=paths, minimum=(0, 0),
                               title="bowl")
    ax = fig.axes[0]
    assert ax.get_title() == "bowl" and ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_xlim() == (-2, 2) and ax.get_ylim() == (-1.5, 1.5)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["a", "b", "minimum"]
    plt.close(fig)
