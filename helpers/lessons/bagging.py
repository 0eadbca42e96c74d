"""Dropout seen as bagging: the outputs of many randomly thinned networks that share weights.

During training with dropout every mini-batch sees a different *thinned* network (a random
subset of units switched off). At test time the full network is used with its weights scaled
by the keep probability p (or, with inverted dropout, unscaled). ``thinned_outputs`` samples
the thinned networks of a trained ``helpers.models.MLP`` so a notebook can compare their
average (an ensemble, as in bagging) with the single weight-scaled network.
Omits: the geometric-mean ensemble of Srivastava et al. (2014); only the plain average.
"""

import numpy as np

from ..validate import check_positive


def thinned_outputs(model, X, n_masks=1000, seed=0, chunk=64):
    """Outputs of ``n_masks`` thinned networks on every row of X (lesson 05_regularization).

    model: an MLP with keep_prob < 1 (the dropout of its training mode is applied: the same
    layers, the same keep probability and the same dropout form). X: (N, D).
    Every (mask, sample) pair gets its own independent mask, drawn from a Generator seeded
    with ``seed`` (the model's own ``rng`` is put back afterwards).
    Returns an array (n_masks, N, C) of output-layer values (class probabilities for a
    softmax network). Works in chunks of ``chunk`` masks to bound memory; the masks drawn
    depend on ``seed`` and ``chunk`` (the same pair gives the same result).
    """
    check_positive(n_masks, "n_masks", integer=True)
    check_positive(chunk, "chunk", integer=True)
    if model.keep_prob == 1.0:
        raise ValueError("model: expected a network trained with dropout (keep_prob < 1), got "
                         "keep_prob=1.0: all thinned networks would be the full network")
    X = model.check_inputs(X)
    saved, model.rng = model.rng, np.random.default_rng(seed)
    try:
        outs = []
        for start in range(0, n_masks, chunk):
            k = min(chunk, n_masks - start)
            scores = model.scores(np.tile(X, (k, 1)), train=True)
            outs.append(model.apply_output(scores).reshape(k, X.shape[0], -1))
    finally:
        model.rng = saved
    return np.concatenate(outs)
