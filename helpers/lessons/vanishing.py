"""How big the gradient is in each layer of a network: the measurement behind "vanishing
gradients".

Backpropagation multiplies the error signal by one activation derivative per layer on its way
back to the input. With sigmoid units every factor is at most 0.25, so in a deep network the
gradients of the first layers can be orders of magnitude smaller than those of the last
layers. ``layer_gradient_norms`` measures exactly that for ``helpers.models.MLP`` (or any model
whose ``.loss(X, y)`` returns gradients named 'W1', 'W2', ...).
Omits: bias gradients, per-unit statistics, gradients over many batches.
"""

import numpy as np


def layer_gradient_norms(model, X, y, train=False):
    """Frobenius norm of the loss gradient with respect to each weight matrix
    (lesson 04_activations).

    model: an MLP (weights 'W1' .. 'WL'); X: (N, D) inputs; y: labels or targets as
    ``model.loss`` takes them. train: use the training-mode network (dropout on) if True.
    Returns a float64 array of shape (L,): entry l-1 is ||dLoss/dW_l||, from the first
    layer (next to the input) to the output layer. L2 weight decay, if the model has it, is
    left out: only the data term's gradient is measured.
    """
    l2, model.l2 = model.l2, 0.0
    try:
        _, grads = model.loss(X, y, train=train)
    finally:
        model.l2 = l2
    n_layers = sum(1 for k in grads if k.startswith("W"))
    return np.array([np.linalg.norm(grads[f"W{i}"].astype(np.float64))
                     for i in range(1, n_layers + 1)])
