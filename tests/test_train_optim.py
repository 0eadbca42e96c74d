"""Update rules, the training loop (history, divergence) and the classification metrics."""

import numpy as np
import pytest

from helpers import optim
from helpers.metrics import accuracy, confusion_matrix, precision_recall
from helpers.models import MLP
from helpers.train import TrainingDivergedError, fit


# ---------------------------------------------------------------- update rules
def test_sgd_step():
    rng = np.random.default_rng(0)
    w, dw = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    expected = w - 0.3 * dw
    dw_copy = dw.copy()
    w_id = id(w)
    out, config = optim.sgd(w, dw, {"learning_rate": 0.3})
    assert id(out) == w_id and out is w  # updated in place
    np.testing.assert_allclose(w, expected, rtol=1e-15)
    out, config = optim.sgd(w, dw_copy.copy(), config)
    np.testing.assert_allclose(w, expected - 0.3 * dw_copy, rtol=1e-14)


def test_sgd_default_learning_rate():
    w, config = optim.sgd(np.ones(2), np.ones(2))
    assert config["learning_rate"] == 1e-2
    np.testing.assert_allclose(w, 0.99)


def test_momentum_two_steps_by_hand():
    rng = np.random.default_rng(1)
    w0 = rng.standard_normal(5)
    g1, g2 = rng.standard_normal(5), rng.standard_normal(5)
    lr, mu = 0.1, 0.8
    v1 = -lr * g1
    w1 = w0 + v1
    v2 = mu * v1 - lr * g2
    w2 = w1 + v2

    w = w0.copy()
    w_id = id(w)
    w, config = optim.sgd_momentum(w, g1.copy(), {"learning_rate": lr, "momentum": mu})
    np.testing.assert_allclose(w, w1, rtol=1e-14)
    np.testing.assert_allclose(config["velocity"], v1, rtol=1e-14)
    w, config = optim.sgd_momentum(w, g2.copy(), config)
    assert id(w) == w_id
    np.testing.assert_allclose(w, w2, rtol=1e-14)
    np.testing.assert_allclose(config["velocity"], v2, rtol=1e-14)


def test_adam_first_step_moves_every_weight_by_learning_rate():
    # with bias correction, m_hat = g and v_hat = g^2 after one step: w moves lr * sign(g)
    w = np.zeros(4)
    g = np.array([5.0, -0.01, 300.0, -2.0])
    w, config = optim.adam(w, g.copy(), {"learning_rate": 0.1, "epsilon": 0.0})
    np.testing.assert_allclose(w, -0.1 * np.sign(g), rtol=1e-12)
    assert config["t"] == 1
    # the default epsilon only matters for tiny gradients
    w, _ = optim.adam(np.zeros(4), g.copy(), {"learning_rate": 0.1})
    np.testing.assert_allclose(w, -0.1 * np.sign(g), rtol=1e-4)


def test_adam_minimises_a_quadratic():
    w = np.zeros(6)
    w_id = id(w)
    config = {"learning_rate": 0.1}
    losses = []
    for _ in range(400):
        losses.append(float(np.sum((w - 3) ** 2)))
        w, config = optim.adam(w, 2 * (w - 3), config)
    assert id(w) == w_id
    assert np.abs(w - 3).max() < 1e-3
    assert losses[-1] < 1e-4 * losses[0]


@pytest.mark.parametrize("name", ["sgd", "sgd_momentum", "adam"])
def test_every_optimizer_updates_float32_params_in_place(name):
    update = optim.get_optimizer(name)
    w = np.full((2, 3), 3.0, dtype=np.float32)
    w_id = id(w)
    config = {"learning_rate": 0.05}
    for _ in range(20):
        w, config = update(w, 2 * w, config)  # gradient of sum(w^2)
    assert id(w) == w_id and w.dtype == np.float32
    assert (np.abs(w) < 3).all()


def test_get_optimizer_unknown_name():
    with pytest.raises(ValueError, match="optimizer: expected one of .*got 'lbfgs'"):
        optim.get_optimizer("lbfgs")


# ---------------------------------------------------------------- fit
def blobs(n=300, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    X = (np.array([[-2.0, 0.0], [2.0, 0.0]])[y] + rng.normal(0, 0.5, (n, 2)))
    return X.astype(np.float32), y


def test_fit_history_and_in_place_training():
    X, y = blobs()
    model = MLP([2, 8, 2], seed=0)
    ids = {k: id(v) for k, v in model.params.items()}
    before = {k: v.copy() for k, v in model.params.items()}
    calls = []
    history = fit(model, X, y, X_val=X[:50], y_val=y[:50], epochs=4, batch_size=64, lr=0.05,
                  progress=False, eval_train=100, callback=lambda e, h: calls.append(e))
    assert set(history) == {"loss", "train_acc", "val_loss", "val_acc"}
    assert all(len(v) == 4 for v in history.values())
    assert calls == [1, 2, 3, 4]
    assert {k: id(v) for k, v in model.params.items()} == ids
    assert all(not np.array_equal(before[k], v) for k, v in model.params.items())
    assert history["val_acc"][-1] == model.score(X[:50], y[:50])
    assert history["val_loss"][-1] == pytest.approx(
        model.loss(X[:50], y[:50], train=False, grads=False)[0])
    assert history["train_acc"][-1] >= 0.95


def test_fit_without_validation_and_is_reproducible():
    X, y = blobs()
    a, b = MLP([2, 8, 2], seed=0), MLP([2, 8, 2], seed=0)
    ha = fit(a, X, y, epochs=2, batch_size=50, progress=False, seed=3)
    hb = fit(b, X, y, epochs=2, batch_size=50, progress=False, seed=3)
    assert set(ha) == {"loss", "train_acc"}
    assert ha == hb
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])


def test_fit_with_plain_sgd_equals_manual_full_batch_steps():
    X, y = blobs(64)
    model, manual = MLP([2, 5, 2], seed=1), MLP([2, 5, 2], seed=1)
    fit(model, X, y, epochs=3, batch_size=64, lr=0.2, optimizer="sgd", progress=False)
    for _ in range(3):  # one batch = the whole (shuffled) set; the mean loss ignores order
        _, grads = manual.loss(X, y)
        for k in manual.params:
            manual.params[k] -= 0.2 * grads[k]
    for k in model.params:
        np.testing.assert_allclose(model.params[k], manual.params[k], rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("output,loss", [("linear", "sse"), ("softmax", "cross_entropy")])
def test_divergence_stops_with_a_helpful_message(output, loss):
    X, labels = blobs(200)
    X = X * 100
    y = labels if loss == "cross_entropy" else np.eye(2)[labels]
    model = MLP([2, 8, 2], output=output, loss=loss, seed=0)
    seen = []
    with np.errstate(all="ignore"), pytest.raises(TrainingDivergedError) as info:
        fit(model, X, y, epochs=5, batch_size=32, lr=1e6, progress=False,
            callback=lambda e, h: seen.append(e))
    message = str(info.value)
    assert "epoch 1" in message
    assert "batch " in message
    assert "lr=1000000" in message
    assert ("nan" in message) or ("inf" in message)
    assert seen == []  # it stopped inside the first epoch
    assert issubclass(TrainingDivergedError, FloatingPointError)


# ---------------------------------------------------------------- metrics
def test_accuracy():
    assert accuracy([0, 1, 2, 2], [0, 1, 1, 2]) == 0.75
    with pytest.raises(ValueError, match=r"y_pred: expected shape \(4,\)"):
        accuracy([0, 1, 2, 2], [0, 1])


def test_confusion_matrix_counts():
    y_true = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2])
    y_pred = np.array([0, 1, 0, 1, 2, 2, 2, 0, 2])
    cm = confusion_matrix(y_true, y_pred, num_classes=3)
    expected = np.zeros((3, 3), int)
    for t, p in zip(y_true, y_pred):
        expected[t, p] += 1
    np.testing.assert_array_equal(cm, expected)
    np.testing.assert_array_equal(cm, [[2, 1, 0], [0, 1, 1], [1, 0, 3]])
    assert cm.sum() == 9 and cm.dtype.kind == "i"
    assert confusion_matrix([3], [3]).shape == (10, 10)


def test_confusion_matrix_bad_labels():
    with pytest.raises(ValueError, match=r"y_pred: expected labels in 0..2, got 3"):
        confusion_matrix([0, 1], [0, 3], num_classes=3)
    with pytest.raises(ValueError, match=r"y_pred: expected 2 labels"):
        confusion_matrix([0, 1], [0], num_classes=3)


def test_precision_recall_by_hand():
    cm = np.array([[5, 1, 0],
                   [2, 3, 1],
                   [0, 0, 4]])
    precision, recall, f1 = precision_recall(cm)
    # precision = diagonal / column sums, recall = diagonal / row sums
    p = np.array([5 / 7, 3 / 4, 4 / 5])
    r = np.array([5 / 6, 3 / 6, 4 / 4])
    np.testing.assert_allclose(precision, p, rtol=1e-12)
    np.testing.assert_allclose(recall, r, rtol=1e-12)
    np.testing.assert_allclose(f1, 2 * p * r / (p + r), rtol=1e-12)


def test_precision_recall_never_divides_by_zero():
    cm = np.array([[3, 0, 0],
                   [1, 0, 0],    # class 1 is present but never predicted
                   [0, 0, 0]])   # class 2 never occurs and is never predicted
    with np.errstate(all="raise"):
        precision, recall, f1 = precision_recall(cm)
    np.testing.assert_allclose(precision, [3 / 4, 0, 0])
    np.testing.assert_allclose(recall, [1, 0, 0])
    np.testing.assert_allclose(f1, [2 * 0.75 / 1.75, 0, 0])
    assert np.isfinite(precision_recall(np.zeros((2, 2)))).all()


# ---------------------------------------------------------------- the rules' formulas
@pytest.mark.parametrize("lr", [1.0, 0.3])
def test_sgd_rules_match_their_formulas(lr):
    rng = np.random.default_rng(6)
    w = rng.standard_normal(5)
    want_sgd, want_mom, v = w.copy(), w.copy(), np.zeros(5)
    w_sgd, w_mom, c_sgd, c_mom = w.copy(), w.copy(), {"learning_rate": lr}, {
        "learning_rate": lr, "momentum": 0.8}
    for _ in range(4):
        g = rng.standard_normal(5)
        g_before = g.copy()
        want_sgd = want_sgd - lr * g
        v = 0.8 * v - lr * g
        want_mom = want_mom + v
        w_sgd, c_sgd = optim.sgd(w_sgd, g, c_sgd)
        w_mom, c_mom = optim.sgd_momentum(w_mom, g, c_mom)
        np.testing.assert_array_equal(g, g_before)  # the gradient is left as it is
    np.testing.assert_allclose(w_sgd, want_sgd, rtol=1e-12)
    np.testing.assert_allclose(w_mom, want_mom, rtol=1e-12)
    np.testing.assert_allclose(c_mom["velocity"], v, rtol=1e-12)


def test_adam_matches_algorithm_1_of_the_paper():
    rng = np.random.default_rng(2)
    w = rng.standard_normal(6)
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-3  # a large epsilon shows where it is added
    m, v, want = np.zeros(6), np.zeros(6), w.copy()
    config = {"learning_rate": lr, "epsilon": eps}
    for t in range(1, 8):
        g = rng.standard_normal(6) * 0.01
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        want = want - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
        w, config = optim.adam(w, g.copy(), config)
    np.testing.assert_allclose(w, want, rtol=1e-13)
    np.testing.assert_allclose(config["m"], m, rtol=1e-13)
    np.testing.assert_allclose(config["v"], v, rtol=1e-13)
    assert config["t"] == 7


@pytest.mark.parametrize("name", ["sgd", "sgd_momentum", "adam"])
def test_optimizers_stay_float32_with_numpy_float64_settings(name):
    rng = np.random.default_rng(0)
    w = rng.standard_normal((5, 4)).astype(np.float32)
    ref = w.astype(np.float64)
    config, ref_config = {"learning_rate": np.float64(0.01)}, {"learning_rate": 0.01}
    update = optim.get_optimizer(name)
    for _ in range(5):
        g = rng.standard_normal((5, 4))
        w, config = update(w, g.astype(np.float32), config)
        ref, ref_config = update(ref, g.copy(), ref_config)
        assert w.dtype == np.float32
    np.testing.assert_allclose(w, ref, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("optimizer", ["sgd", "sgd_momentum", "adam"])
def test_fit_takes_the_textbook_steps(optimizer):
    # fit against a plain loop of shuffle -> loss -> update, with the same seeds
    X = np.random.default_rng(3).random((64, 10))
    y = np.arange(64) % 3
    a = MLP([10, 8, 3], keep_prob=0.7, l2=0.001, seed=1, dtype=np.float64)
    b = MLP([10, 8, 3], keep_prob=0.7, l2=0.001, seed=1, dtype=np.float64)
    fit(a, X, y, epochs=2, batch_size=16, lr=0.1, optimizer=optimizer, seed=4, progress=False,
        eval_train=None)
    rng, update = np.random.default_rng(4), optim.get_optimizer(optimizer)  # fit's shuffling
    configs = {k: {"learning_rate": 0.1} for k in b.params}
    for _ in range(2):
        order = rng.permutation(64)
        for s in range(0, 64, 16):
            idx = order[s:s + 16]
            _, grads = b.loss(X[idx], y[idx])
            for k in b.params:
                b.params[k], configs[k] = update(b.params[k], grads[k], configs[k])
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])


# ---------------------------------------------------------------- schedules, max-norm, lr * l2
def test_schedules_give_each_epochs_learning_rate():
    step, expo = optim.step_decay(2, 0.5), optim.exponential_decay(0.9)
    assert [step(e, 0.4) for e in range(1, 6)] == [0.4, 0.4, 0.2, 0.2, 0.1]
    assert [expo(e, 1.0) for e in (1, 2, 3)] == pytest.approx([1.0, 0.9, 0.81])
    with pytest.raises(ValueError, match="every: expected a positive integer, got 0"):
        optim.step_decay(0, 0.5)
    with pytest.raises(ValueError, match="gamma: expected a positive number, got -1"):
        optim.exponential_decay(-1)


def test_clip_max_norm_scales_only_the_columns_that_are_too_long():
    w = np.array([[3.0, 0.1, 0.0], [4.0, 0.1, 2.0]], dtype=np.float32)  # norms 5, 0.14, 2
    before = w.copy()
    assert optim.clip_max_norm(w, 2.5) is w and w.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(w, axis=0), [2.5, np.linalg.norm(before[:, 1]), 2.0],
                               rtol=1e-6)
    np.testing.assert_allclose(w[:, 0], before[:, 0] / 2, rtol=1e-6)  # same direction
    np.testing.assert_array_equal(w[:, 1:], before[:, 1:])


def three_classes(n=200, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    return rng.standard_normal((n, 5)) + 2 * np.eye(3, 5)[y], y


def test_fit_applies_max_norm_after_every_step_and_records_the_schedule():
    X, y = three_classes()
    model = MLP([5, 32, 3], seed=0)
    seen = []
    original = model.batch_loss

    def watched(*args, **kwargs):  # the norms each step starts from
        seen.append(max(np.linalg.norm(model.params[k], axis=0).max() for k in ("W1", "W2")))
        return original(*args, **kwargs)

    model.batch_loss = watched
    history = fit(model, X, y, epochs=3, batch_size=20, lr=0.5, max_norm=0.8, progress=False,
                  schedule=optim.step_decay(1, 0.5))
    assert history["lr"] == [0.5, 0.25, 0.125]
    assert seen[0] > 0.8 and max(seen[1:]) <= 0.8 * (1 + 1e-6)  # clipped after step 1 on
    assert "lr" not in fit(MLP([5, 3]), X, y, epochs=1, progress=False)
    with pytest.raises(ValueError, match="max_norm: expected a positive number, got 0"):
        fit(MLP([5, 3]), X, y, epochs=1, progress=False, max_norm=0)


def test_divergence_from_weight_decay_names_lr_times_l2():
    # Nielsen's lambda = 5.0 taken as l2 with his plain SGD at eta 0.5 (ch. 3's full run)
    X, y = three_classes()
    with np.errstate(all="ignore"), pytest.raises(TrainingDivergedError,
                                                  match=r"lr \* l2 = 0.5 \* 5 = 2.5 >= 1"):
        fit(MLP([5, 32, 3], l2=5.0), X, y, epochs=50, batch_size=10, lr=0.5, optimizer="sgd",
            progress=False)


def test_one_progress_bar_helper_for_the_library():
    from pathlib import Path

    import helpers
    from helpers.data import csv_files, sources
    from helpers.progress import progress_bar

    assert csv_files.progress_bar is progress_bar and sources.progress_bar is progress_bar
    root = Path(helpers.__file__).parent
    users = sorted(str(p.relative_to(root)) for p in root.rglob("*.py") if "tqdm" in p.read_text())
    assert users == ["progress.py"], users
