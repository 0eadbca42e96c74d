"""One training loop for every notebook: ``fit(model, X, y, ...)`` (lessons 04_activations to
06_dropout_mnist, lab 04).

Mini-batch training of a model with ``.params``, ``.loss(X, y) -> (loss, grads)``,
``.check_inputs(X, y)`` and ``.score(X, y)`` (``helpers.models.MLP``): shuffled with a seed,
a tqdm progress bar, and a per-epoch history of loss and accuracy on training data (a fixed
subset) and validation data. Training that diverges (NaN or inf loss) stops with
``TrainingDivergedError`` naming the epoch, the batch and the learning rate. The loop itself
is ``run_epochs``, with the training step as an argument: ``fit`` passes "loss, gradients,
update rule", ``helpers.fast.fit`` its fused step, so both share one loop.
Omits: early stopping, schedules, checkpoints; speed tricks (``helpers.fast.fit``).
"""

import numpy as np
from tqdm.auto import tqdm

from .optim import get_optimizer
from .validate import check_positive


class TrainingDivergedError(FloatingPointError):
    """The loss became NaN or infinite during training."""


def diverged(loss, epoch, batch, lr, optimizer):
    """A TrainingDivergedError for a non-finite ``loss`` at ``epoch`` / ``batch`` (1-based)
    whose message names the likely cause, the learning rate ``lr`` of ``optimizer``."""
    return TrainingDivergedError(
        f"training diverged at epoch {epoch}, batch {batch}: the loss is {loss}. The learning "
        f"rate lr={lr} is probably too large for optimizer={optimizer!r}; try lr={lr / 10:g}.")


def training_subset(n, eval_train, rng):
    """Sorted indices of the ``eval_train`` training samples whose accuracy ``fit`` reports
    each epoch (all n when eval_train is None or >= n), drawn with ``rng``."""
    if eval_train is None or eval_train >= n:
        return np.arange(n)
    return np.sort(rng.choice(n, eval_train, replace=False))


def fit(model, X, y, X_val=None, y_val=None, epochs=10, batch_size=128, lr=0.01,
        optimizer="sgd_momentum", optim_config=None, seed=0, progress=True,
        eval_train=10000, callback=None):
    """Train ``model`` in place with mini-batch gradient descent and return its history.

    X: (N, D), y: (N,) labels or (N, C) targets (what ``model.loss`` takes).
    lr: learning rate; optimizer: 'sgd', 'sgd_momentum' or 'adam' (``helpers.optim``);
      optim_config: extra settings of the update rule (e.g. {"momentum": 0.9}).
    seed: the shuffling of every epoch (the model's own rng draws its dropout masks).
    eval_train: accuracy on the training set is measured each epoch on this many fixed
      samples (None = all); the loss is the mean of the epoch's batch losses.
    callback(epoch, history): called after each epoch (e.g. to redraw a plot).
    Returns a dict of lists, one entry per epoch: 'loss', 'train_acc' and, with validation
    data, 'val_loss' and 'val_acc'.
    """
    update = get_optimizer(optimizer)
    configs = {k: {**(optim_config or {}), "learning_rate": lr} for k in model.params}

    def step(X_batch, y_batch):
        loss, grads = model.loss(X_batch, y_batch)
        if np.isfinite(loss):
            for k, w in model.params.items():
                model.params[k], configs[k] = update(w, grads[k], configs[k])
        return loss

    return run_epochs(model, step, X, y, X_val, y_val, epochs=epochs, batch_size=batch_size,
                      lr=lr, optimizer=optimizer, seed=seed, progress=progress,
                      eval_train=eval_train, callback=callback)


def run_epochs(model, step, X, y, X_val=None, y_val=None, epochs=10, batch_size=128, lr=0.01,
               optimizer="sgd_momentum", seed=0, progress=True, eval_train=10000,
               callback=None):
    """The epoch and batch loop of ``fit``, with the training step as an argument.

    step(X_batch, y_batch) -> the batch's loss (float), after updating the model; the other
    arguments are fit's (``lr`` and ``optimizer`` only name the likely cause when the loss is
    not finite). X and y are checked once, with ``model.check_inputs``; every epoch draws a
    new order of the samples from a Generator seeded with ``seed``.
    """
    check_positive(epochs, "epochs", integer=True)
    check_positive(batch_size, "batch_size", integer=True)
    check_positive(lr, "lr")
    X, y = model.check_inputs(X, y)
    has_val = X_val is not None
    if has_val:
        X_val, y_val = model.check_inputs(X_val, y_val)
    n = X.shape[0]
    rng = np.random.default_rng(seed)
    sub = training_subset(n, eval_train, rng)
    history = {"loss": [], "train_acc": []}
    if has_val:
        history.update(val_loss=[], val_acc=[])
    n_batches = -(-n // batch_size)
    bar = tqdm(total=epochs * n_batches, disable=not progress, desc="training", unit="batch")
    try:
        for epoch in range(1, epochs + 1):
            order = rng.permutation(n)
            total = 0.0
            for b in range(n_batches):
                idx = order[b * batch_size:(b + 1) * batch_size]
                loss = step(X[idx], y[idx])
                if not np.isfinite(loss):
                    raise diverged(loss, epoch, b + 1, lr, optimizer)
                total += loss
                bar.update(1)
            history["loss"].append(total / n_batches)
            history["train_acc"].append(model.score(X[sub], y[sub]))
            if has_val:
                history["val_loss"].append(model.loss(X_val, y_val, train=False, grads=False)[0])
                history["val_acc"].append(model.score(X_val, y_val))
            bar.set_postfix(loss=f"{history['loss'][-1]:.4f}",
                            acc=f"{history['train_acc'][-1]:.3f}")
            if callback is not None:
                callback(epoch, history)
    finally:
        bar.close()
    return history
