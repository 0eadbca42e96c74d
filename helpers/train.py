"""One training loop for every notebook: ``fit(model, X, y, ...)`` (lessons 04_activations to
06_dropout_mnist, 08_reproducing_the_classics, lab 04).

Mini-batch training of a model with ``.params``, ``.check_inputs(X, y)``,
``.batch_loss(X, y) -> (loss, grads)`` and ``.evaluate(X, y) -> (loss, accuracy)`` on checked
inputs and ``.score(X, y)`` (``helpers.models.MLP``): shuffled with a seed, a progress bar,
and a per-epoch history of loss and accuracy on training data (a fixed subset) and
validation data (one forward pass each epoch). Optional: a
learning-rate schedule (``helpers.optim.step_decay`` / ``exponential_decay``) and a max-norm
constraint on every weight matrix after every step. Training that diverges (NaN or inf loss)
stops with ``TrainingDivergedError`` naming the epoch, the batch and the likely cause (the
learning rate, or lr * l2 when the weight decay alone overshoots). The loop itself is
``run_epochs``, with the training step as an argument: ``fit`` passes "loss, gradients, update
rule", ``helpers.fast.fit`` its fused step, so both share one loop.
Omits: early stopping, checkpoints; speed tricks (``helpers.fast.fit``).
"""

import numpy as np

from .optim import clip_max_norm, get_optimizer
from .progress import progress_bar
from .validate import check_positive


class TrainingDivergedError(FloatingPointError):
    """The loss became NaN or infinite during training."""


def diverged(loss, epoch, batch, lr, optimizer, l2=0.0):
    """A TrainingDivergedError for a non-finite ``loss`` at ``epoch`` / ``batch`` (1-based)
    whose message names the likely cause: ``lr * l2`` when it is 1 or more (each step then
    takes at least the whole of every weight off it: the weights flip sign and grow), else
    the learning rate ``lr`` of ``optimizer``."""
    where = f"training diverged at epoch {epoch}, batch {batch}: the loss is {loss}."
    if lr * l2 >= 1:
        return TrainingDivergedError(
            f"{where} lr * l2 = {lr:g} * {l2:g} = {lr * l2:g} >= 1: each step multiplies the "
            f"weights by about 1 - lr * l2 = {1 - lr * l2:g}, so the weight decay alone makes "
            "them grow. l2 weighs the penalty against the mean loss of a batch: Nielsen's "
            f"lambda is l2 * n (n training images), so lambda = {l2:g} is l2 = {l2:g} / n; "
            f"or make lr * l2 much smaller than 1.")
    return TrainingDivergedError(
        f"{where} The learning rate lr={lr} is probably too large for optimizer={optimizer!r}; "
        f"try lr={lr / 10:g}.")


def training_subset(n, eval_train, rng):
    """Sorted indices of the ``eval_train`` training samples whose accuracy ``fit`` reports
    each epoch (all n when eval_train is None or >= n), drawn with ``rng``."""
    if eval_train is None or eval_train >= n:
        return np.arange(n)
    return np.sort(rng.choice(n, eval_train, replace=False))


def fit(model, X, y, X_val=None, y_val=None, epochs=10, batch_size=128, lr=0.01,
        optimizer="sgd_momentum", optim_config=None, seed=0, progress=True,
        eval_train=10000, callback=None, schedule=None, max_norm=None):
    """Train ``model`` in place with mini-batch gradient descent and return its history.

    X: (N, D), y: (N,) labels or (N, C) targets (what ``model.loss`` takes).
    lr: learning rate; optimizer: 'sgd', 'sgd_momentum' or 'adam' (``helpers.optim``);
      optim_config: extra settings of the update rule (e.g. {"momentum": 0.9}).
    seed: the shuffling of every epoch (the model's own rng draws its dropout masks).
    eval_train: accuracy on the training set is measured each epoch on this many fixed
      samples (None = all); the loss is the mean of the epoch's batch losses.
    callback(epoch, history): called after each epoch (e.g. to redraw a plot).
    schedule(epoch, lr) -> the learning rate of that epoch (1-based), e.g.
      ``helpers.optim.step_decay(10, 0.5)``; the rates are recorded in history['lr'].
    max_norm: after every step, each weight matrix's columns (the incoming weight vector of
      each unit) longer than max_norm are scaled back to that length (Srivastava et al. 2014).
    Returns a dict of lists, one entry per epoch: 'loss', 'train_acc' and, with validation
    data, 'val_loss' and 'val_acc' (and 'lr' with a schedule).
    """
    update = get_optimizer(optimizer)
    configs = {k: {**(optim_config or {}), "learning_rate": lr} for k in model.params}

    def step(X_batch, y_batch, lr_now):
        loss, grads = model.batch_loss(X_batch, y_batch)
        if np.isfinite(loss):
            for k, w in model.params.items():
                configs[k]["learning_rate"] = lr_now
                model.params[k], configs[k] = update(w, grads[k], configs[k])
        return loss

    return run_epochs(model, step, X, y, X_val, y_val, epochs=epochs, batch_size=batch_size,
                      lr=lr, optimizer=optimizer, seed=seed, progress=progress,
                      eval_train=eval_train, callback=callback, schedule=schedule,
                      max_norm=max_norm)


def constrain(model, max_norm):
    """Apply the max-norm constraint to every weight matrix W1, W2, ... of ``model``."""
    for i in range(1, model.num_layers + 1):
        clip_max_norm(model.params[f"W{i}"], max_norm)


def evaluate(model, history, X, y, sub, X_val, y_val):
    """Append the epoch's training accuracy (rows ``sub``) and validation loss and accuracy."""
    history["train_acc"].append(model.score(X[sub], y[sub]))
    if X_val is not None:
        loss, accuracy = model.evaluate(X_val, y_val)
        history["val_loss"].append(loss)
        history["val_acc"].append(accuracy)


def new_history(has_val, has_schedule):
    """The empty history ``fit`` fills: 'loss', 'train_acc' (+ 'val_loss', 'val_acc' with
    validation data, + 'lr' with a schedule), one list each."""
    history = {"loss": [], "train_acc": []}
    if has_val:
        history.update(val_loss=[], val_acc=[])
    if has_schedule:
        history["lr"] = []
    return history


def run_epochs(model, step, X, y, X_val=None, y_val=None, epochs=10, batch_size=128, lr=0.01,
               optimizer="sgd_momentum", seed=0, progress=True, eval_train=10000,
               callback=None, schedule=None, max_norm=None):
    """The epoch and batch loop of ``fit``, with the training step as an argument.

    step(X_batch, y_batch, lr) -> the batch's loss (float), after updating the model with
    learning rate lr (``schedule(epoch, lr)`` when a schedule is given); the other arguments
    are fit's (``lr`` and ``optimizer`` also name the likely cause when the loss is not
    finite). X and y are checked once, with ``model.check_inputs``; every epoch draws a new
    order of the samples from a Generator seeded with ``seed``.
    """
    check_positive(epochs, "epochs", integer=True)
    check_positive(batch_size, "batch_size", integer=True)
    check_positive(lr, "lr")
    if max_norm is not None:
        check_positive(max_norm, "max_norm")
    X, y = model.check_inputs(X, y)
    if X_val is not None:
        X_val, y_val = model.check_inputs(X_val, y_val)
    n, rng = X.shape[0], np.random.default_rng(seed)
    sub = training_subset(n, eval_train, rng)
    history = new_history(X_val is not None, schedule is not None)
    n_batches = -(-n // batch_size)
    with progress_bar(progress, total=epochs * n_batches, desc="training", unit="batch",
                      leave=True) as bar:
        for epoch in range(1, epochs + 1):
            lr_now = lr if schedule is None else float(schedule(epoch, lr))
            order, total = rng.permutation(n), 0.0
            for b in range(n_batches):
                idx = order[b * batch_size:(b + 1) * batch_size]
                loss = step(X[idx], y[idx], lr_now)
                if not np.isfinite(loss):
                    raise diverged(loss, epoch, b + 1, lr_now, optimizer, getattr(model, "l2", 0.0))
                if max_norm is not None:
                    constrain(model, max_norm)
                total += loss
                bar.update(1)
            history["loss"].append(total / n_batches)
            evaluate(model, history, X, y, sub, X_val, y_val)
            if schedule is not None:
                history["lr"].append(lr_now)
            bar.set_postfix(loss=f"{history['loss'][-1]:.4f}",
                            acc=f"{history['train_acc'][-1]:.3f}")
            if callback is not None:
                callback(epoch, history)
    return history
