"""A TensorFlow-Playground-style trainer for lesson 04_activations (and 05_regularization): a
small MLP learns a 2-D data set live in the notebook.

``Playground(dataset='xor', hidden_layers=1, units=8, activation='tanh', lr=0.1, l2=0.0,
keep_prob=1.0, noise=0.1, n_samples=200, seed=0)``: ``.step(epochs)`` trains through
``helpers.train.fit`` (the lessons' own batch loop and SGD), ``.reset()``, ``.set(**settings)``,
``.draw()`` (Figure, shown with its ``.alt_text()``), ``.render_png()`` (fast cached frame),
``.history``, ``.epoch``, ``.model``, ``.train_loss()``, ``.test_loss()``, ``.settings``.
The ipywidgets UI (``.widget``, its controls and CSS classes) is in
helpers.widgets.playground_ui.

What it omits: more than two classes, regression data sets, and the feature crosses (x1*x2,
sin x) of the original TensorFlow Playground.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap

from .. import data
from ..models import MLP
from ..plots import PALETTE, png_bundle
from ..train import fit
from ..validate import check_choice, check_keep_prob, check_positive
from .display import new_figure
from .playground_ui import PlaygroundControls

PLAYGROUND_DATASETS = ("xor", "circles", "moons", "spirals")
PLAYGROUND_ACTIVATIONS = ("sigmoid", "tanh", "relu")
_DATA_KEYS = ("dataset", "noise", "n_samples", "seed")
_MODEL_KEYS = ("hidden_layers", "units", "activation")
_LIVE_KEYS = ("lr", "l2", "keep_prob", "batch_size")
_NICE_LIMITS = [k * 10**e for e in range(1, 9) for k in (1, 2, 5)]
_BOUNDARY_CMAP = LinearSegmentedColormap.from_list(
    "boundary", [PALETTE[0], "#FFFFFF", PALETTE[1]])
_MAKERS = {"xor": data.make_xor, "circles": data.make_circles, "moons": data.make_moons,
           "spirals": data.make_spirals}


class Playground(PlaygroundControls):
    """A TensorFlow-Playground-style trainer: a small MLP (float32, softmax/cross-entropy,
    2 classes) learns a 2-D data set, live in the notebook.

    dataset      : 'xor', 'circles', 'moons' or 'spirals' (from helpers.data), split 50/50
                   into train and test points.
    hidden_layers: number of hidden layers (1-4 in the UI); units: units per layer (1-32).
    activation   : hidden activation, 'sigmoid', 'tanh' or 'relu'.
    lr, l2, keep_prob: learning rate of mini-batch SGD (batches of ``batch_size``, trained
                   by helpers.train.fit with optimizer='sgd'), L2
                   strength (l2/2 * sum W^2) and dropout keep probability (1 = off).
    noise, n_samples, seed: of the data set (and the seed of the weights and batch order).

    Changing a data setting regenerates the data and restarts; changing the architecture
    rebuilds the model and restarts; lr, l2, keep_prob and batch_size act on the running
    training from the next step on (as in the TensorFlow Playground).
    Losses in ``history`` are the data cross-entropy (without the L2 term) in test mode.
    """

    DATASETS, ACTIVATIONS = PLAYGROUND_DATASETS, PLAYGROUND_ACTIVATIONS
    GRID = 60  # boundary resolution (GRID x GRID): keeps a redraw well under 150 ms
    INITIAL_SCORE_RMS = 0.25  # cap on the untrained net's score difference (see reset)

    def __init__(self, dataset="xor", hidden_layers=1, units=8, activation="tanh", lr=0.1,
                 l2=0.0, keep_prob=1.0, noise=0.1, n_samples=200, seed=0, batch_size=10):
        self.settings = {}
        self._fig = None
        self._widget = None
        self._syncing = False
        self.epochs_per_tick = 5
        self.set(dataset=dataset, hidden_layers=hidden_layers, units=units,
                 activation=activation, lr=lr, l2=l2, keep_prob=keep_prob, noise=noise,
                 n_samples=n_samples, seed=seed, batch_size=batch_size)

    # ------------------------------------------------------------------ settings
    @staticmethod
    def _validate(key, value):
        if key == "dataset":
            return check_choice(value, "dataset", PLAYGROUND_DATASETS)
        if key == "activation":
            return check_choice(value, "activation", PLAYGROUND_ACTIVATIONS)
        if key in ("hidden_layers", "units", "batch_size", "n_samples"):
            value = check_positive(value, key, integer=True)
            if key == "hidden_layers" and value > 8:
                raise ValueError(f"hidden_layers: expected 1..8, got {value}")
            if key == "n_samples" and value < 8:
                raise ValueError(f"n_samples: expected an integer >= 8, got {value}")
            return int(value)
        if key == "seed":
            return int(check_positive(value, "seed", integer=True, allow_zero=True))
        if key == "lr":
            return float(check_positive(value, "lr"))
        if key in ("l2", "noise"):
            return float(check_positive(value, key, allow_zero=True))
        if key == "keep_prob":
            return check_keep_prob(value)
        valid = ", ".join(_DATA_KEYS + _MODEL_KEYS + _LIVE_KEYS)
        raise ValueError(f"settings: unknown setting {key!r}; expected one of {valid}")

    def set(self, **settings):
        """Change settings (any constructor argument). Rebuilds data and/or model as needed
        and returns self. Unknown names or bad values raise ValueError."""
        new = {k: self._validate(k, v) for k, v in settings.items()}
        changed = {k for k, v in new.items() if self.settings.get(k) != v}
        self.settings.update(new)
        if changed & set(_DATA_KEYS):
            self._make_data()
        if changed & set(_DATA_KEYS + _MODEL_KEYS):
            self.reset()
        else:  # lr and batch_size are read by the next step
            if "l2" in changed:
                self.model.l2 = self.settings["l2"]
            if "keep_prob" in changed:
                self.model.keep_prob = self.settings["keep_prob"]
            if changed:
                self._refresh()
        self._sync_controls()
        return self

    def _make_data(self):
        s = self.settings
        X, y = _MAKERS[s["dataset"]](s["n_samples"], noise=s["noise"], seed=s["seed"])
        half = len(y) // 2
        self.X_train, self.y_train = X[:half], y[:half]
        self.X_test, self.y_test = X[half:], y[half:]
        # the network sees standardised inputs (mean 0, std 1 from the training points)
        self._mu = self.X_train.mean(axis=0)
        self._sd = self.X_train.std(axis=0) + 1e-6
        lo, hi = X.min(axis=0), X.max(axis=0)
        pad = 0.15 * (hi - lo).max()
        self.extent = (lo[0] - pad, hi[0] + pad, lo[1] - pad, hi[1] + pad)
        gx = np.linspace(self.extent[0], self.extent[1], self.GRID)
        gy = np.linspace(self.extent[2], self.extent[3], self.GRID)
        mx, my = np.meshgrid(gx, gy)
        self._grid = self._prep(np.c_[mx.ravel(), my.ravel()])
        self._Xtr, self._Xte = self._prep(self.X_train), self._prep(self.X_test)
        self._fig = None  # the scatter points changed: rebuild the figure

    def _prep(self, X):
        return ((np.asarray(X, dtype=np.float32) - self._mu) / self._sd).astype(np.float32)

    # ------------------------------------------------------------------ training
    def reset(self):
        """A fresh model with the current settings (same seed: same initial weights, the
        output layer's scaled down so training starts undecided, loss near ln 2), epoch 0,
        empty history. Returns self."""
        s = self.settings
        sizes = [2] + [s["units"]] * s["hidden_layers"] + [2]
        self.model = MLP(sizes, activation=s["activation"], l2=s["l2"],
                         keep_prob=s["keep_prob"], seed=s["seed"], dtype=np.float32)
        self._shrink_output_layer()
        self._fit_seed = s["seed"] + 1  # batch order of the next step; advances every step
        self.epoch = 0
        self.history = {"epoch": [], "train_loss": [], "test_loss": []}
        self._record()
        self._refresh()
        return self

    def _shrink_output_layer(self):
        """Make the untrained network undecided: shift the output biases so its scores
        average 0 over the training points, and scale the output weights down so their
        difference (class 1 minus class 0) has an RMS of at most ``INITIAL_SCORE_RMS``.
        P(class 1) then starts near 0.5 (a faint pattern of both colours) and the loss near
        ln 2 = 0.69, as in the TensorFlow Playground. (With the MLP's default output scale
        some nets started confidently wrong: a 2-32-32-2 ReLU net on moons at loss 2.9.)"""
        n = self.model.num_layers
        w, b = self.model.params[f"W{n}"], self.model.params[f"b{n}"]
        scores = self.model.scores(self._Xtr)
        b -= scores.mean(axis=0).astype(np.float32)
        d = scores[:, 1] - scores[:, 0]
        rms = float(np.sqrt(np.mean((d - d.mean()) ** 2)))
        if rms > self.INITIAL_SCORE_RMS:
            scale = np.float32(self.INITIAL_SCORE_RMS / rms)
            w *= scale
            b *= scale

    def _data_loss(self, X, y):
        p = self.model.forward(X)
        return float(-np.mean(np.log(p[np.arange(len(y)), y] + 1e-12)))

    def train_loss(self):
        """Cross-entropy on the training points (test-mode network, without the L2 term)."""
        return self._data_loss(self._Xtr, self.y_train)

    def test_loss(self):
        """Cross-entropy on the test points."""
        return self._data_loss(self._Xte, self.y_test)

    def _record(self):
        self.history["epoch"].append(self.epoch)
        self.history["train_loss"].append(self.train_loss())
        self.history["test_loss"].append(self.test_loss())

    def step(self, epochs=1):
        """Train ``epochs`` epochs through ``helpers.train.fit`` (mini-batch SGD, the loop of
        the lessons; each call shuffles with a new seed) and return the training loss after
        them. A diverging run (NaN/inf loss) raises helpers.train.TrainingDivergedError
        naming the batch and the learning rate; the epochs before it stay recorded."""
        check_positive(epochs, "epochs", integer=True)
        s = self.settings

        def record(_epoch, _history):
            self.epoch += 1
            self._record()

        seed, self._fit_seed = self._fit_seed, self._fit_seed + 1
        fit(self.model, self._Xtr, self.y_train, epochs=epochs, batch_size=s["batch_size"],
            lr=s["lr"], optimizer="sgd", seed=seed, progress=False, callback=record)
        return self.history["train_loss"][-1]

    # ------------------------------------------------------------------ drawing
    def _build_figure(self):
        fig, (ax, ax_loss) = new_figure((9.6, 4.2), ncols=2)
        FigureCanvasAgg(fig)
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.22, top=0.88, wspace=0.22)
        self._image = ax.imshow(np.full((self.GRID, self.GRID), 0.5), origin="lower",
                                extent=self.extent, cmap=_BOUNDARY_CMAP, vmin=0, vmax=1,
                                alpha=0.55, aspect="auto", interpolation="bilinear")
        ax.grid(False)
        points = []
        for c in (0, 1):
            tr, te = self.X_train[self.y_train == c], self.X_test[self.y_test == c]
            points.append(ax.scatter(tr[:, 0], tr[:, 1], s=22, color=PALETTE[c],
                                     edgecolor="white", linewidth=0.5,
                                     label=f"train, class {c}"))
            points.append(ax.scatter(te[:, 0], te[:, 1], s=22, facecolor="none",
                                     edgecolor=PALETTE[c], linewidth=1.2,
                                     label=f"test, class {c}"))
        ax.set(xlim=self.extent[:2], ylim=self.extent[2:], xlabel="x1", ylabel="x2",
               title="decision boundary (shade: P(class 1))")
        # a dot marks the latest epoch, so the curves are visible from epoch 0 (one point)
        (self._train_line,) = ax_loss.plot([], [], color=PALETTE[0], lw=1.8, marker="o",
                                           ms=5, label="train loss")
        (self._test_line,) = ax_loss.plot([], [], color=PALETTE[3], lw=1.8, marker="o",
                                          ms=5, label="test loss")
        ax_loss.set(xlabel="epoch", ylabel="cross-entropy loss", title="loss")
        handles = [points[0], points[2], points[1], points[3], self._train_line,
                   self._test_line]
        # legend below the axes: the blitted (redrawn) artists never cover it
        fig.legend(handles=handles, loc="lower center", ncol=6, fontsize="small",
                   bbox_to_anchor=(0.5, 0.0), handletextpad=0.3, columnspacing=1.2)
        self._title = fig.suptitle("")
        # a notebook shows ``pg.draw()`` through this (with its alt text) even before
        # pyplot's inline backend is loaded (the figure lives outside pyplot)
        fig._repr_mimebundle_ = self.figure_bundle
        self._fig, self._ax, self._ax_loss = fig, ax, ax_loss
        # Artists that change between frames; everything else is cached as a background.
        self._dynamic = [self._image, *points, *ax.spines.values(), self._train_line,
                         self._test_line, self._title]
        self._background = None

    def status(self):
        """One line: epoch and current losses."""
        return (f"epoch {self.epoch} | train loss {self.history['train_loss'][-1]:.3f} | "
                f"test loss {self.history['test_loss'][-1]:.3f}")

    def draw(self):
        """Update and return the Figure: decision boundary with train (filled) and test
        (hollow) points, train/test loss curves, the epoch in the title. The same Figure
        object is reused between calls (its artists are updated, not recreated)."""
        if self._fig is None:
            self._build_figure()
        p1 = self.model.forward(self._grid)[:, 1].reshape(self.GRID, self.GRID)
        self._image.set_data(p1)
        ep, h = self.history["epoch"], self.history
        for line, key in ((self._train_line, "train_loss"), (self._test_line, "test_loss")):
            line.set_data(ep, h[key])
            line.set_markevery([len(ep) - 1])
        # Axis limits move in coarse steps so the cached background is rarely redrawn; the
        # x axis starts a little left of 0 so the epoch-0 dots are not cut by the spine.
        xmax = next(v for v in _NICE_LIMITS if v >= ep[-1])
        xlim = (-0.02 * xmax, xmax)
        finite = [v for v in h["train_loss"] + h["test_loss"] if np.isfinite(v)] or [1.0]
        ymax = min(np.ceil(max(finite) * 1.05 * 4) / 4, 5.0)
        if self._ax_loss.get_xlim() != xlim or self._ax_loss.get_ylim() != (0, ymax):
            self._ax_loss.set_xlim(*xlim)
            self._ax_loss.set_ylim(0, ymax)
            self._background = None
        s = self.settings
        arch = "-".join(map(str, self.model.layer_sizes))
        self._title.set_text(f"{s['dataset']}, {arch} {s['activation']} network | "
                             f"{self.status()}")
        return self._fig

    def render_png(self):
        """The current figure as PNG bytes, fast: the static parts (axes, ticks, legend) are
        rendered once and cached; each frame redraws only the changing artists (blitting)."""
        fig = self.draw()
        canvas = fig.canvas
        if self._background is None:
            for a in self._dynamic:
                a.set_animated(True)
            canvas.draw()  # everything except the animated artists
            self._background = canvas.copy_from_bbox(fig.bbox)
            for a in self._dynamic:
                a.set_animated(False)
        else:
            canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for a in self._dynamic:
            a.draw(renderer)
        from PIL import Image

        buf = io.BytesIO()
        image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(),
                                 "raw", "RGBA", 0, 1)
        image.convert("RGB").save(buf, format="png", compress_level=1)
        return buf.getvalue()

    def alt_text(self):
        """What the figure shows, in words (its alt text for screen readers)."""
        s, h = self.settings, self.history
        arch = "-".join(map(str, self.model.layer_sizes))
        return (f"Left: the decision regions of the {arch} {s['activation']} network on the "
                f"{s['dataset']} data, shaded by the probability of class 1, with the "
                "training points (filled) and test points (hollow) of both classes; right: "
                f"the training and test loss over {self.epoch} epochs, now "
                f"{h['train_loss'][-1]:.3f} and {h['test_loss'][-1]:.3f}.")

    def figure_bundle(self, include=None, exclude=None):
        """``(data, metadata)``: the current frame as an opaque PNG with its alt text (how a
        notebook displays ``pg.draw()``; the arguments are IPython's and ignored)."""
        return png_bundle(self.render_png(), self.alt_text())

    def text(self):
        s = self.settings
        return (f"Playground({s['dataset']!r}, hidden_layers={s['hidden_layers']}, "
                f"units={s['units']}, activation={s['activation']!r}, lr={s['lr']}, "
                f"l2={s['l2']}, keep_prob={s['keep_prob']}, noise={s['noise']}): "
                f"{self.status()}")

    def __repr__(self):
        return self.text()

    def _repr_pretty_(self, p, cycle):
        p.text(self.text())

