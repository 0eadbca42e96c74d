"""One training loop for every notebook: ``fit(model, X, y, ...)``.

Mini-batch training of any model with ``.params`` and
``.loss(X, y, check=False, grad_scale=1.0) -> (loss, grads)`` (``helpers.models.MLP``),
shuffled with a seed, a tqdm progress bar, and a per-epoch history of loss and accuracy on
training (a fixed subset) and validation data. Training that diverges (NaN or inf loss) stops
with a message naming the epoch, the batch and the learning rate.
Omits: early stopping, schedules, checkpoints.
"""

import numpy as np
from tqdm.auto import tqdm

from .optim import LINEAR_IN_GRADIENT, get_optimizer
from .validate import check_positive


class TrainingDivergedError(FloatingPointError):
    """The loss became NaN or infinite during training."""


def fit(model, X, y, X_val=None, y_val=None, epochs=10, batch_size=128, lr=0.01,
        optimizer="sgd_momentum", optim_config=None, seed=0, progress=True,
        eval_train=10000, callback=None):
    """Train ``model`` in place and return its history.

    X: (N, D), y: (N,) labels or (N, C) targets (what ``model.loss`` takes).
    lr: learning rate; optim_config: extra settings of the update rule (e.g. momentum).
    eval_train: accuracy on the training set is measured each epoch on this many fixed
      samples (None = all); the loss is the mean of the epoch's batch losses.
    callback(epoch, history): called after each epoch (e.g. to redraw a plot).
    Returns a dict of lists, one entry per epoch: 'loss', 'train_acc' and, with validation
    data, 'val_loss' and 'val_acc'.
    """
    check_positive(epochs, "epochs", integer=True)
    check_positive(batch_size, "batch_size", integer=True)
    check_positive(lr, "lr")
    update = get_optimizer(optimizer)
    X = model._check_x(X)
    y = model._check_y(y, X.shape[0])
    has_val = X_val is not None
    if has_val:
        X_val = model._check_x(X_val)
        y_val = model._check_y(y_val, X_val.shape[0])
    n = X.shape[0]
    rng = np.random.default_rng(seed)
    sub = np.arange(n) if eval_train is None or eval_train >= n else np.sort(
        rng.choice(n, eval_train, replace=False))
    # SGD rules are linear in the gradient: the model multiplies its (N, C) output gradient by
    # lr, every gradient comes out scaled, and the rule runs with learning rate 1. Same steps,
    # one pass less over every weight matrix per batch.
    scale = lr if optimizer in LINEAR_IN_GRADIENT else 1.0
    configs = {k: {**(optim_config or {}), "learning_rate": lr / scale} for k in model.params}
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
                loss, grads = model.loss(X[idx], y[idx], check=False,  # X, y checked above
                                         grad_scale=scale)
                if not np.isfinite(loss):
                    raise TrainingDivergedError(
                        f"training diverged at epoch {epoch}, batch {b + 1}: the loss is "
                        f"{loss}. The learning rate lr={lr} is probably too large for "
                        f"optimizer={optimizer!r}; try lr={lr / 10:g}.")
                total += loss
                for k, w in model.params.items():
                    model.params[k], configs[k] = update(w, grads[k], configs[k])
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
