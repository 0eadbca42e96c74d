"""``fit`` for a ``FastMLP``: the loop of ``helpers.train.fit`` with the fast step.

The same signature, history and divergence error (``helpers.train.TrainingDivergedError``)
as ``helpers.train.fit``; X and y are checked once, for the whole set. SGD and SGD with
momentum run as ``FastMLP.sgd_step`` (the update inside the backward pass); Adam takes the
model's gradients and updates in place (``FastMLP.adam_step``).
Omits: models other than FastMLP (use ``helpers.train.fit`` for those).
"""

import numpy as np

from ..optim import get_optimizer
from ..train import run_epochs
from .model import FastMLP


def fit(model, X, y, X_val=None, y_val=None, epochs=10, batch_size=128, lr=0.01,
        optimizer="sgd_momentum", optim_config=None, seed=0, progress=True,
        eval_train=10000, callback=None, schedule=None, max_norm=None):
    """Train a FastMLP in place and return its history; arguments and result as
    ``helpers.train.fit`` (lesson 06_dropout_mnist; schedule and max_norm too).
    optim_config: {"momentum": 0.9} for 'sgd_momentum', beta1/beta2/epsilon for 'adam'."""
    if not isinstance(model, FastMLP):
        raise TypeError(f"model: expected a helpers.fast.FastMLP, got {type(model).__name__} "
                        "(train an MLP with helpers.train.fit)")
    get_optimizer(optimizer)
    config = dict(optim_config or {})
    if optimizer == "adam":
        configs = {k: {**config, "learning_rate": lr} for k in model.params}

        def step(X_batch, y_batch, lr_now):
            for c in configs.values():
                c["learning_rate"] = lr_now
            return model.adam_step(X_batch, y_batch, configs)
    else:
        momentum = float(config.get("momentum", 0.9))
        velocity = ({k: np.zeros_like(w) for k, w in model.params.items()}
                    if optimizer == "sgd_momentum" else None)

        def step(X_batch, y_batch, lr_now):
            return model.sgd_step(X_batch, y_batch, lr_now, momentum, velocity)

    return run_epochs(model, step, X, y, X_val, y_val, epochs=epochs, batch_size=batch_size,
                      lr=lr, optimizer=optimizer, seed=seed, progress=progress,
                      eval_train=eval_train, callback=callback, schedule=schedule,
                      max_norm=max_norm)
