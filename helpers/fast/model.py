"""``FastMLP``: the same network as ``helpers.models.MLP``, computed for speed.

The constructor, ``.params``, ``.loss``, ``.forward``, ``.predict``, ``.score``, ``.scores``
and ``.check_inputs`` are the MLP's (``helpers.fast.fit`` trains it). What differs is how a
training step is computed; the tests hold the results to the plain MLP's:
- every matrix product is one BLAS gemm (``helpers.fast.blas``) on arrays of the step, and
  arrays are changed in place instead of copied (activations, masks, gradients);
- dropout multiplies by a boolean keep-mask drawn from 16 random bits per unit
  (``helpers.fast.masks``: the same keep probability, other masks than the plain path's), and
  its 1/p (or p at test time) rides on the next product's alpha instead of a pass over the
  activations: a = (1/p) (u @ W) + b, where u is the masked, unscaled activation (each layer
  with its own p when keep_prob is a sequence);
- ReLU and dropout share that pass: u = a * on with on = (a > 0) and keep, and the backward
  pass of both is one multiplication by the same boolean mask on (kept from the forward pass);
- ``sgd_step`` folds the update into the backward pass: the weight gradient goes straight into
  the momentum buffer (gemm with beta = momentum, alpha = -lr / p) and the weights take the
  buffer in one axpy, before the next layer down is computed.
Making a FastMLP sets glibc's malloc to keep freed memory (``helpers.fast.memory``).
Omits: other layer types; the speed of activations other than ReLU (they work, plainly).
"""

import numpy as np

from ..activations import get_activation
from ..models import MLP
from .blas import axpy, gemm
from .masks import keep_mask
from .memory import keep_freed_memory
from .optim import adam_in_place


def relu_dropout(a, keep):
    """ReLU and dropout in one multiplication, in place: a *= on, where on = (a > 0) and keep
    (just a > 0 when keep is None). a: (N, M) float, keep: (N, M) bool -> (a, on)."""
    on = a > 0
    if keep is not None:
        np.logical_and(on, keep, out=on)
    np.multiply(a, on, out=a)
    return a, on


def relu_dropout_backward(g, on):
    """The backward pass of ``relu_dropout``: dL/da = dL/du * on, in place in g."""
    return np.multiply(g, on, out=g)


class FastMLP(MLP):
    """``helpers.models.MLP`` with a fast training step (same arguments, same interface)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        keep_freed_memory()

    # ------------------------------------------------------------------ forward
    def dropout_scales(self, train):
        """The factor dropout puts on each layer's input (a list, layer 1's first), applied
        as the alpha of the layer's product: 1/p in training (inverted), p at test time
        (scale_at_test), else 1."""
        return [self.dropout_scale(p, train) for p in self.keep_probs()]

    def dropout_scale(self, p, train):
        """The factor dropout with keep probability p puts on a layer's input."""
        if p == 1.0:
            return 1.0
        if train:
            return 1.0 / p if self.dropout_form == "inverted" else 1.0
        return p if self.dropout_form == "scale_at_test" else 1.0

    def _forward(self, X, train):
        """Scores (N, C) and saved = [(u_0, on_0), ..., (u_{L-1}, on_{L-1})]: the input u_i of
        layer i + 1 (masked, not scaled; the rows of X for layer 1) and the boolean mask of
        its units that pass backward (None when all do)."""
        probs, scales = self.keep_probs(), self.dropout_scales(train)
        saved = [self.input_dropout(X, probs[0], train)]
        for i in range(1, self.num_layers):
            saved.append(self.layer_forward(i, saved[-1][0], scales[i - 1], probs[i], train))
        return self.affine(self.num_layers, saved[-1][0], scales[-1]), saved

    def input_dropout(self, X, p, train):
        """(X times its keep-mask, the mask); (X, None) without dropout."""
        keep = self._mask(X.shape, p, train)
        return (X, None) if keep is None else (np.multiply(X, keep, dtype=X.dtype), keep)

    def affine(self, i, u, scale):
        """a = scale * u @ W_i + b_i: the bias copied into a new array, then one gemm adds
        the product to it. u: (N, fan_in) -> a: (N, fan_out)."""
        w = self.params[f"W{i}"]
        a = np.empty((u.shape[0], w.shape[1]), dtype=w.dtype)
        np.copyto(a, self.params[f"b{i}"])
        return gemm(scale, u, w, beta=1.0, out=a)

    def layer_forward(self, i, u, scale, p, train):
        """Hidden layer i on its input u: (its output f(a) * keep, the mask of the output's
        units that pass backward), with a = scale * u @ W_i + b_i and keep the keep-mask of
        the next layer's input (probability p). For ReLU one multiplication by
        on = (a > 0) and keep does both, in place, and on is the mask; else it is keep."""
        a = self.affine(i, u, scale)
        keep = self._mask(a.shape, p, train)
        if self.activation == "relu":
            return relu_dropout(a, keep)
        a = get_activation(self.activation).f(a)
        if keep is not None:
            np.multiply(a, keep, out=a)
        return a, keep

    def _mask(self, shape, p, train):
        """A keep-mask of ``shape`` for keep probability p in training, else None."""
        return keep_mask(self.rng, shape, p) if train and p < 1.0 else None

    def output_loss(self, scores, y):
        """Softmax + cross-entropy computed in place in ``scores`` (one exp, no copies);
        other heads as in MLP. scores: (N, C) -> (loss, dscores)."""
        if self.loss_name != "cross_entropy":
            return super().output_loss(scores, y)
        n = scores.shape[0]
        rows = np.arange(n)
        scores -= scores.max(axis=1, keepdims=True)
        true = scores[rows, y]
        probs = np.exp(scores, out=scores)
        norm = probs.sum(axis=1, keepdims=True)
        loss = float(np.mean(np.log(norm[:, 0]) - true))
        probs /= norm
        probs[rows, y] -= 1
        probs /= n
        return loss, probs

    def l2_penalty(self):
        """l2/2 * the sum of all squared weights, as in MLP, each sum a BLAS dot product
        (no squared copy of the weights)."""
        if not self.l2:
            return 0.0
        flat = [self.params[f"W{i}"].reshape(-1) for i in range(1, self.num_layers + 1)]
        return 0.5 * self.l2 * sum(float(np.dot(w, w)) for w in flat)

    # ------------------------------------------------------------------ backward
    def _backward(self, dscores, saved, scales, weight_step):
        """Backward pass from dscores (N, C), layer by layer from the last (``layer_backward``)."""
        g = dscores
        for i in range(self.num_layers, 0, -1):
            g = self.layer_backward(i, g, saved, scales[i - 1], weight_step)

    def layer_backward(self, i, g, saved, scale, weight_step):
        """Layer i's backward pass from g = dL/d(its output) (dL/dscores for the last layer):
        first dL/da through the layer's activation and dropout (hidden layers), then dL/du
        of its input u = saved[i - 1][0] from the unchanged W_i (None for layer 1), then
        ``weight_step(i, u, dL/da)``, which may update W_i in place (the weight gradient is
        scale * u.T @ dL/da, the bias gradient the sum of dL/da's rows). Returns dL/du."""
        if i < self.num_layers:
            u_out, on = saved[i]
            if self.activation == "relu":  # both derivatives together: the mask of passing units
                relu_dropout_backward(g, on)
            else:
                g *= get_activation(self.activation).grad_out(u_out)
                if on is not None:
                    g *= on
        du = gemm(scale, g, self.params[f"W{i}"].T) if i > 1 else None
        weight_step(i, saved[i - 1][0], g)
        return du

    def batch_loss(self, X, y, train=True, grads=True):
        """Loss and gradients on a checked batch, as ``MLP.batch_loss`` returns them (same
        contract; ``MLP.loss`` checks the inputs and calls it)."""
        scores, saved = self._forward(X, train)
        loss, dscores = self.output_loss(scores, y)
        loss += self.l2_penalty()
        if not grads:
            return loss, None
        scales, out = self.dropout_scales(train), {}

        def keep_gradient(i, u, g):
            dw = gemm(scales[i - 1], u.T, g)
            if self.l2:
                axpy(self.l2, self.params[f"W{i}"], dw)
            out[f"W{i}"], out[f"b{i}"] = dw, g.sum(axis=0)

        self._backward(dscores, saved, scales, keep_gradient)
        return loss, out

    def adam_step(self, X, y, configs):
        """One Adam step on a batch whose X and y are already checked; returns the batch
        loss. configs: one ``helpers.optim.adam`` config per parameter (same keys as params),
        updated in place (``helpers.fast.optim.adam_in_place``); nothing is done when the loss
        is not finite (the caller reports that)."""
        loss, grads = self.batch_loss(X, y)
        if np.isfinite(loss):
            for k, w in self.params.items():
                adam_in_place(w, grads[k], configs[k])
        return loss

    def sgd_step(self, X, y, lr, momentum=0.0, velocity=None):
        """One training step of SGD (momentum 0) or SGD with momentum on a batch whose X and
        y are already checked (rows of ``check_inputs`` results); returns the batch loss.

        With momentum: v <- momentum * v - lr * dL/dw;  w <- w + v, for every parameter, as
        ``helpers.optim.sgd_momentum`` does; ``velocity`` is the dict of buffers (same keys as
        params, zeros at first). Without: w <- w - lr * dL/dw. The gradient of each weight
        matrix goes straight into its buffer by gemm; nothing is done when the loss is not
        finite (the caller reports that)."""
        scores, saved = self._forward(X, True)
        loss, dscores = self.output_loss(scores, y)
        loss += self.l2_penalty()
        if not np.isfinite(loss):
            return loss
        scales, decay = self.dropout_scales(True), lr * self.l2

        def update(i, u, g):
            w, b, c = self.params[f"W{i}"], self.params[f"b{i}"], scales[i - 1]
            db = g.sum(axis=0)
            if velocity is None:  # w <- (1 - lr l2) w - lr c u.T @ g
                gemm(-lr * c, u.T, g, beta=1.0 - decay, out=w)
                b -= lr * db
                return
            v, vb = velocity[f"W{i}"], velocity[f"b{i}"]
            gemm(-lr * c, u.T, g, beta=momentum, out=v)
            if decay:
                axpy(-decay, w, v)
            axpy(1.0, v, w)
            vb *= momentum
            vb -= lr * db
            b += vb

        self._backward(dscores, saved, scales, update)
        return loss
