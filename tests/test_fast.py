"""The fast path (helpers.fast) held to the plain path: the same losses and gradients without
dropout, masks with the same keep probability, the same training steps, the same accuracy;
and its parts: BLAS gemm/axpy, 16-bit keep-masks, in-place Adam, the malloc setting."""

import copy
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from helpers import optim
from helpers.fast import FastMLP, blas, masks
from helpers.fast import fit as fast_fit
from helpers.fast.masks import keep_mask
from helpers.fast.optim import adam_in_place
from helpers.gradcheck import check_model_gradients
from helpers.models import MLP
from helpers.train import TrainingDivergedError, fit

HEADS = [("softmax", "cross_entropy"), ("softmax", "sse"), ("sigmoid", "sse"),
         ("tanh", "sse"), ("linear", "sse"), ("sigmoid", "binary_cross_entropy")]
TOL = {np.float64: 1e-10, np.float32: 1e-5}


def pair(dtype=np.float64, **kwargs):
    """An MLP and a FastMLP with the same arguments (the same initial weights)."""
    args = dict(layer_sizes=[7, 9, 8, 4], seed=1, dtype=dtype, **kwargs)
    return MLP(**args), FastMLP(**args)


def data(n=24, loss="cross_entropy", seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 7))
    y = rng.integers(0, 4, n) if loss == "cross_entropy" else rng.random((n, 4))
    return X, y


def assert_close(a, b, tol):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    scale = max(np.abs(a).max(), 1e-30)
    assert np.abs(a - b).max() <= tol * scale, (np.abs(a - b).max(), scale)


# ---------------------------------------------------------------- BLAS
@pytest.mark.parametrize("use_blas", [True, False])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gemm_and_axpy_against_numpy(use_blas, dtype):
    rng = np.random.default_rng(0)
    x, w = rng.random((6, 5)).astype(dtype), rng.random((5, 4)).astype(dtype)
    g, v = rng.random((6, 4)).astype(dtype), rng.random((5, 4)).astype(dtype)
    tol = TOL[dtype]
    assert_close(blas.gemm(2.0, x, w, use_blas=use_blas), 2 * x @ w, tol)
    assert_close(blas.gemm(1.0, g, w.T, use_blas=use_blas), g @ w.T, tol)  # a transpose
    want = -0.1 * x.T @ g + 0.9 * v
    got = blas.gemm(-0.1, x.T, g, beta=0.9, out=v, use_blas=use_blas)
    assert got is v  # accumulated in place
    assert_close(v, want, tol)
    y, before = w.copy(), w.copy()
    assert blas.axpy(0.5, v, y, use_blas=use_blas) is y
    assert_close(y, before + 0.5 * v, tol)


def test_gemm_rejects_mismatched_arrays():
    a = np.ones((3, 4), np.float32)
    with pytest.raises(ValueError, match="b: expected a float32 array with 4 rows"):
        blas.gemm(1.0, a, np.ones((3, 2), np.float32))
    with pytest.raises(ValueError, match="b: expected a float32"):
        blas.gemm(1.0, a, np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"out: expected a C-contiguous float32 array of shape"):
        blas.gemm(1.0, a, np.ones((4, 2), np.float32), out=np.ones((2, 3), np.float32))
    with pytest.raises(ValueError, match="x: expected an array like y"):
        blas.axpy(1.0, np.ones(3), np.ones(4))


# ---------------------------------------------------------------- 16-bit keep-masks
GENERATORS = [np.random.PCG64, np.random.PCG64DXSM, np.random.SFC64, np.random.Philox,
              np.random.MT19937]


def sixteen_bit_definition(rng, shape, p):
    """16 random bits per unit, kept when below round(p * 2**16): four numbers from every
    raw 64-bit draw, or rng.integers for generators with 32-bit raw draws."""
    n, limit = int(np.prod(shape)), max(1, round(p * 2 ** 16))
    if isinstance(rng.bit_generator, np.random.MT19937):
        bits = rng.integers(0, 2 ** 16, n, dtype=np.uint16)
    else:
        raw = rng.bit_generator.random_raw(-(-n // 4))
        bits = np.stack([(raw >> np.uint64(16 * k)) & np.uint64(0xFFFF) for k in range(4)],
                        axis=1).ravel()[:n]
    return (bits < limit).reshape(shape)


@pytest.mark.parametrize("kind", GENERATORS)
def test_keep_masks_are_the_16_bit_definition(kind):
    fast, ref = np.random.Generator(kind(7)), np.random.Generator(kind(7))
    for p, shape in [(0.7, (6, 10)), (0.5, (3, 5)), (0.999, (6, 10)), (0.3, (1, 7))]:
        np.testing.assert_array_equal(masks.keep_mask(fast, shape, p),
                                      sixteen_bit_definition(ref, shape, p))
    assert fast.integers(0, 2 ** 62) == ref.integers(0, 2 ** 62)  # the same draws were made


@pytest.mark.parametrize("p", [0.7, 0.5, 0.1, 0.123456789, 0.9])
def test_keep_rate_is_p_within_a_statistical_bound(p):
    keep = masks.keep_mask(np.random.default_rng(5), (2000, 1000), p)
    assert abs(masks.keep_limit(p) / 2 ** 16 - p) <= 2 ** -17
    # 2 million units: the kept fraction is p within 5 standard deviations (+ the rounding)
    assert abs(keep.mean() - p) <= 5 * np.sqrt(p * (1 - p) / keep.size) + 2 ** -17


def test_keep_probability_near_one():
    assert masks.keep_mask(np.random.default_rng(0), (50, 40), 1 - 2 ** -20).all()
    assert not masks.keep_mask(np.random.default_rng(0), (1000, 1000), 1 - 2 ** -16).all()


# ---------------------------------------------------------------- FastMLP = MLP
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "leaky_relu"])
@pytest.mark.parametrize("output,loss", HEADS)
def test_same_loss_and_gradients_without_dropout(dtype, activation, output, loss):
    plain, fast = pair(dtype, activation=activation, output=output, loss=loss, l2=0.01)
    X, y = data(loss=loss)
    want_loss, want = plain.loss(X, y)
    got_loss, got = fast.loss(X, y)
    assert got_loss == pytest.approx(want_loss, rel=TOL[dtype])
    assert set(got) == set(want)
    for k in want:
        assert got[k].dtype == dtype and got[k].shape == want[k].shape
        assert_close(got[k], want[k], TOL[dtype])


@pytest.mark.parametrize("form", ["inverted", "scale_at_test"])
def test_test_time_network_equals_the_plain_one(form):
    plain, fast = pair(keep_prob=0.6, dropout_form=form)
    X, y = data()
    assert_close(fast.forward(X), plain.forward(X), 1e-12)
    assert fast.loss(X, y, train=False, grads=False)[0] == pytest.approx(
        plain.loss(X, y, train=False, grads=False)[0], rel=1e-12)
    assert fast.score(X, y) == plain.score(X, y)


@pytest.mark.parametrize("form", ["inverted", "scale_at_test"])
@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_gradients_with_dropout_match_numerical(form, activation):
    model = FastMLP([5, 6, 4, 3], activation=activation, keep_prob=0.7, dropout_form=form,
                    l2=0.05, weight_scale=0.7, seed=3, dtype=np.float64)
    for k in model.params:
        if k.startswith("b"):
            model.params[k] += 0.1  # keeps ReLU kinks away from 0
    X = np.random.default_rng(0).standard_normal((4, 5))
    errors = check_model_gradients(model, X, np.array([0, 2, 1, 2]))
    assert max(errors.values()) < 1e-7, errors


def test_dropout_keeps_p_of_the_inputs_and_of_the_hidden_units():
    # 1 input, 400 ReLU units, weights 1, biases 0, inputs 1: in training, a row's score is
    # 0 when its input is dropped, else (1/p)^2 times the number of hidden units kept
    p, n, h = 0.7, 4000, 400
    model = FastMLP([1, h, 1], output="linear", loss="sse", keep_prob=p, seed=0)
    model.params.update(W1=np.ones((1, h), np.float32), W2=np.ones((h, 1), np.float32))
    scores = model.scores(np.ones((n, 1)), train=True)[:, 0].astype(np.float64)
    on = scores != 0
    assert abs(on.mean() - p) <= 5 * np.sqrt(p * (1 - p) / n)
    kept = scores[on] * p * p / h
    assert abs(kept.mean() - p) <= 5 * np.sqrt(p * (1 - p) / (h * on.sum())) + 1e-4
    np.testing.assert_allclose(kept * h, np.round(kept * h), rtol=1e-5)  # whole units (float32)


@pytest.mark.parametrize("optimizer", ["sgd", "sgd_momentum", "adam"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fast_fit_takes_the_plain_steps_without_dropout(optimizer, dtype):
    plain, fast = pair(dtype, l2=0.01)
    X, y = data(n=100, seed=2)
    kwargs = dict(X_val=X[:30], y_val=y[:30], epochs=3, batch_size=16, lr=0.05,
                  optimizer=optimizer, seed=4, progress=False, eval_train=50)
    want, got = fit(plain, X, y, **kwargs), fast_fit(fast, X, y, **kwargs)
    assert set(got) == set(want) and all(len(v) == 3 for v in got.values())
    tol = 1e-9 if dtype == np.float64 else 1e-4
    for k in want:
        assert_close(got[k], want[k], tol)
    for k in plain.params:
        assert_close(fast.params[k], plain.params[k], tol)


class ReplayMasks(np.random.Generator):
    """A Generator whose ``random`` hands out given keep-masks as uniforms (0 = kept, 1 =
    dropped), so the plain path's dropout draws exactly the masks the fast path drew."""

    def __init__(self, masks):
        super().__init__(np.random.PCG64(0))
        self.masks = list(masks)

    def random(self, size=None, dtype=np.float64, out=None):
        mask = self.masks.pop(0)
        assert mask.shape == tuple(size)
        return np.where(mask, 0.0, 1.0).astype(dtype)


def fast_masks(model, n):
    """The keep-masks the fast model's next training pass on n rows draws, in order."""
    rng, masks = copy.deepcopy(model.rng), []
    for width, p in zip(model.layer_sizes[:-1], model.keep_probs()):
        if p < 1.0:
            masks.append(keep_mask(rng, (n, width), p))
    return masks


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("form", ["inverted", "scale_at_test"])
@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_per_layer_keep_probabilities_give_the_plain_loss_and_gradients(dtype, form,
                                                                        activation):
    probs = [0.8, 1.0, 0.5]  # input dropped, h1 kept whole, h2 dropped
    plain, fast = pair(dtype, keep_prob=probs, dropout_form=form, activation=activation,
                       l2=0.01)
    X, y = data()
    masks = fast_masks(fast, len(X))
    assert len(masks) == 2
    plain.rng = ReplayMasks(masks)
    want_loss, want = plain.loss(X, y)
    got_loss, got = fast.loss(X, y)
    assert plain.rng.masks == []  # the plain path drew exactly these two masks
    assert got_loss == pytest.approx(want_loss, rel=TOL[dtype])
    for k in want:
        assert_close(got[k], want[k], TOL[dtype])


@pytest.mark.parametrize("optimizer", ["sgd", "sgd_momentum"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_training_with_dropout_takes_the_plain_steps_given_the_same_masks(optimizer, dtype):
    # fast.fit's fused step (ReLU and dropout in one mask, 1/p on gemm's alpha, the update
    # inside the backward pass) against fit on the plain MLP that draws the same masks
    plain, fast = pair(dtype, keep_prob=[0.8, 0.7, 0.6], l2=0.01)
    X, y = data(n=64, seed=2)
    rng, masks = copy.deepcopy(fast.rng), []
    for _ in range(2 * 4):  # 2 epochs of 4 batches of 16, each drawing three masks
        masks += [keep_mask(rng, (16, width), p)
                  for width, p in zip(fast.layer_sizes[:-1], fast.keep_probs())]
    plain.rng = ReplayMasks(masks)
    kwargs = dict(epochs=2, batch_size=16, lr=0.1, optimizer=optimizer, seed=4,
                  progress=False)
    want, got = fit(plain, X, y, **kwargs), fast_fit(fast, X, y, **kwargs)
    assert plain.rng.masks == []  # every step drew the fast path's masks
    tol = 1e-9 if dtype == np.float64 else 1e-5
    assert_close(got["loss"], want["loss"], tol)
    for k in plain.params:
        assert_close(fast.params[k], plain.params[k], tol)


def test_per_layer_keep_probabilities_keep_each_layers_rate():
    # 1 input, two ReLU layers of 1000 units, weights 1: the second layer's units are all
    # on, so the fraction of h2 kept is read off the gradient of W3 (one per kept unit)
    model = FastMLP([1, 1000, 1000, 1], output="linear", loss="sse", keep_prob=[1.0, 0.9, 0.3],
                    seed=0, dtype=np.float64)
    model.params.update(W1=np.ones((1, 1000)), W2=np.ones((1000, 1000)) * 1e-3)
    _, grads = model.loss(np.ones((2, 1)), np.zeros((2, 1)))
    kept = np.mean(grads["W3"][:, 0] != 0)
    assert kept == pytest.approx(1 - 0.7 ** 2, abs=0.04)  # a unit of h2 kept in one of 2 rows


@pytest.mark.parametrize("optimizer", ["sgd", "sgd_momentum", "adam"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fast_fit_max_norm_and_schedule_take_the_plain_steps(optimizer, dtype):
    plain, fast = pair(dtype)
    X, y = data(n=100, seed=2)
    kwargs = dict(epochs=3, batch_size=16, lr=0.3 if optimizer != "adam" else 0.03,
                  optimizer=optimizer, seed=4, progress=False, max_norm=0.9,
                  schedule=optim.step_decay(2, 0.5))
    want, got = fit(plain, X, y, **kwargs), fast_fit(fast, X, y, **kwargs)
    assert got["lr"] == want["lr"] == [kwargs["lr"], kwargs["lr"], kwargs["lr"] / 2]
    tol = 1e-9 if dtype == np.float64 else 1e-4
    for k in plain.params:
        assert_close(fast.params[k], plain.params[k], tol)
    norms = [np.linalg.norm(fast.params[f"W{i}"], axis=0).max() for i in (1, 2, 3)]
    assert max(norms) <= 0.9 * (1 + 1e-6) and min(norms) > 0.8  # the constraint binds


def test_in_place_adam_is_the_papers_adam():
    rng = np.random.default_rng(1)
    w = rng.standard_normal((4, 3))
    ref, c_fast, c_ref = w.copy(), {"learning_rate": 0.01, "epsilon": 1e-3}, {
        "learning_rate": 0.01, "epsilon": 1e-3}
    for _ in range(6):
        g = rng.standard_normal((4, 3)) * 0.01
        same = adam_in_place(w, g.copy(), c_fast)[0]
        ref, c_ref = optim.adam(ref, g, c_ref)
        assert same is w
    assert_close(w, ref, 1e-12)


def three_blobs(n, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    centres = np.random.default_rng(99).standard_normal((3, 20)) * 1.2
    return (centres[y] + rng.standard_normal((n, 20))).astype(np.float32), y


def test_training_with_dropout_reaches_the_plain_accuracy():
    X, y = three_blobs(1500, 0)
    Xt, yt = three_blobs(1000, 1)
    accuracies = {}
    for name, cls, trainer in [("plain", MLP, fit), ("fast", FastMLP, fast_fit)]:
        model = cls([20, 64, 64, 3], keep_prob=0.7, seed=0)
        trainer(model, X, y, epochs=8, batch_size=32, lr=0.05, progress=False)
        accuracies[name] = model.score(Xt, yt)
    assert accuracies["plain"] > 0.85
    # two runs with other masks: equal within the noise of 1000 test samples
    assert abs(accuracies["fast"] - accuracies["plain"]) < 0.03, accuracies


def test_fast_fit_wants_a_fast_model_and_reports_divergence():
    X, y = data(n=40)
    with pytest.raises(TypeError, match="model: expected a helpers.fast.FastMLP, got MLP"):
        fast_fit(MLP([7, 4]), X, y, progress=False)
    with pytest.raises(ValueError, match="optimizer"):
        fast_fit(FastMLP([7, 4]), X, y, optimizer="lbfgs", progress=False)
    with np.errstate(all="ignore"), pytest.raises(TrainingDivergedError,
                                                  match=r"epoch 1, batch \d+.*lr=1e\+30"):
        fast_fit(FastMLP([7, 16, 4]), X * 1e3, y, lr=1e30, batch_size=8, progress=False)


# ---------------------------------------------------------------- malloc, only when used
FAULTS = textwrap.dedent("""
    import resource, numpy as np
    def faults():
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    def step_like():  # a 400 kB activation and a 2.5 MB gradient, made and freed 10 times
        rng = np.random.default_rng(0)
        x = rng.random((128, 784), dtype=np.float32)
        w = rng.random((784, 800), dtype=np.float32)
        start = faults()
        for _ in range(10):
            a = x @ w
            g = x.T @ a
            del a, g
        return faults() - start
    step_like()
    {action}
    step_like()
    print(step_like())
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt is Linux's")
def test_malloc_keeps_freed_memory_only_on_the_fast_path():
    def page_faults(action):
        proc = subprocess.run([sys.executable, "-c", FAULTS.format(action=action)],
                              capture_output=True, text=True, timeout=120, check=True)
        return int(proc.stdout.split()[-1])

    # the plain path (and importing helpers) leaves glibc's defaults: pages fault every step
    assert page_faults("import helpers.models, helpers.train; helpers.models.MLP([2, 2])") > 500
    assert page_faults("from helpers.fast import FastMLP; FastMLP([2, 2])") < 50
