"""The opt-in fast path: ``FastMLP`` and ``fit`` for when training time matters (lesson
06_dropout_mnist, lab 04 and ``python -m helpers bench`` use it).

    from helpers.fast import FastMLP, fit
    model = FastMLP([784, 800, 800, 10], keep_prob=0.7)
    history = fit(model, X, y, epochs=10, lr=0.05)

Same constructor, interface and training loop as ``helpers.models.MLP`` and
``helpers.train.fit``, and the same results within rounding (the tests check), except that
dropout masks come from 16 random bits per unit: the same keep probability, other masks.
Modules: model (FastMLP: in-place layers, fused ReLU + dropout, the update inside the
backward pass), masks (16-bit keep-masks), blas (gemm accumulating into a buffer, through
numpy's own OpenBLAS), optim (Adam in place), train (fit), memory (glibc malloc keeps freed
memory).
Omits: anything the plain path does not have; GPUs.
"""

from .model import FastMLP
from .train import fit

__all__ = ["FastMLP", "fit"]
