"""The ipywidgets UI of the Playground (helpers.widgets.playground): controls, Play / step /
reset buttons, the status line and the figure, kept in step with ``Playground.set()``.

``PlaygroundControls`` is the Playground's widget half (a mixin: the training and drawing
live in playground.py; the figure carries the Playground's ``alt_text()``). ``.widget`` is
built on first use; the controls are in ``.controls[name]``, plus ``.play``,
``.step_button``, ``.reset_button``, ``.epoch_html`` and ``.output``. Each Play tick trains
``.epochs_per_tick`` (5) epochs and redraws.

CSS classes (for browser tests): ``playground`` (the VBox); controls ``playground-dataset``,
``playground-hidden-layers``, ``playground-units``, ``playground-activation``,
``playground-lr``, ``playground-l2``, ``playground-keep-prob``, ``playground-noise``;
``playground-play`` (Play widget: its first button starts, the next ones pause/stop),
``playground-step``, ``playground-reset``, ``playground-epoch`` (HTML "epoch 12 | train loss
... | test loss ..."), ``playground-output`` (Output with the figure). The controls carry the
descriptions "data set", "hidden layers", "units per layer", "activation", "learning rate",
"L2 strength", "keep prob", "noise".

What it omits: saving widget state, keyboard shortcuts, more than four hidden layers or 32
units in the sliders (``set()`` accepts more).
"""

from __future__ import annotations

import contextlib
import html
import time

import ipywidgets as widgets
from traitlets import TraitError

from ..train import TrainingDivergedError
from .display import BAD, display_widget, show_bundle

LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
L2_STRENGTHS = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1)


class PlaygroundControls:
    """The widget half of Playground; needs its ``settings``, ``set``, ``step``, ``reset``,
    ``status``, ``text`` and ``figure_bundle``, its ``DATASETS`` / ``ACTIVATIONS``, and
    ``_widget`` / ``_syncing`` / ``epochs_per_tick`` set in its ``__init__``."""

    def _refresh(self):
        """Redraw the widget (if it exists) after a change."""
        if self._widget is not None:
            show_bundle(self.output, *self.figure_bundle())
            # the label changes last: once it shows the new epoch, the image is there too
            self.epoch_html.value = f"<b>{self.status()}</b>"

    @property
    def widget(self):
        """The ipywidgets UI (built on first use)."""
        if self._widget is None:
            self._widget = self._build_widget()
            self._refresh()
        return self._widget

    def _build_widget(self):
        s = self.settings
        style = {"description_width": "110px"}
        layout = widgets.Layout(width="330px")
        c = {
            "dataset": widgets.Dropdown(options=list(self.DATASETS),
                                        value=s["dataset"], description="data set"),
            "hidden_layers": widgets.IntSlider(value=min(s["hidden_layers"], 4), min=1,
                                               max=4, description="hidden layers"),
            "units": widgets.IntSlider(value=min(s["units"], 32), min=1, max=32,
                                       description="units per layer"),
            "activation": widgets.Dropdown(options=list(self.ACTIVATIONS),
                                           value=s["activation"], description="activation"),
            "lr": widgets.SelectionSlider(options=_with(LEARNING_RATES, s["lr"]),
                                          value=s["lr"], description="learning rate"),
            "l2": widgets.SelectionSlider(options=_with(L2_STRENGTHS, s["l2"]),
                                          value=s["l2"], description="L2 strength"),
            "keep_prob": widgets.FloatSlider(value=s["keep_prob"], min=0.5, max=1.0,
                                             step=0.05, description="keep prob",
                                             readout_format=".2f"),
            "noise": widgets.FloatSlider(value=min(s["noise"], 0.5), min=0.0, max=0.5,
                                         step=0.05, description="noise",
                                         readout_format=".2f"),
        }
        for name, control in c.items():
            control.style = style
            control.layout = layout
            if hasattr(control, "continuous_update"):
                control.continuous_update = False
            control.add_class("playground-" + name.replace("_", "-"))
            control.observe(self._on_control, names="value")
        self.controls = c
        self.play = widgets.Play(value=0, min=0, max=10**9, step=1, interval=150,
                                 description="run", show_repeat=False)
        self.play.add_class("playground-play")
        self.play.observe(self._on_tick, names="value")
        self.step_button = widgets.Button(description="step", tooltip="train one epoch")
        self.step_button.add_class("playground-step")
        self.step_button.on_click(lambda _b: self._ui_step(1))
        self.reset_button = widgets.Button(description="reset",
                                           tooltip="new initial weights, epoch 0")
        self.reset_button.add_class("playground-reset")
        self.reset_button.on_click(self._on_reset)
        self.epoch_html = widgets.HTML()
        self.epoch_html.add_class("playground-epoch")
        self.output = widgets.Output()
        self.output.add_class("playground-output")
        self._last_tick_end = 0.0
        buttons = widgets.HBox([self.play, self.step_button, self.reset_button])
        left = widgets.VBox([c["dataset"], c["noise"], c["hidden_layers"], c["units"],
                             c["activation"]])
        right = widgets.VBox([c["lr"], c["l2"], c["keep_prob"], buttons, self.epoch_html])
        box = widgets.VBox([widgets.HBox([left, right]), self.output])
        box.add_class("playground")
        return box

    def _sync_controls(self):
        """Show settings changed through ``set()`` on the controls (without re-triggering)."""
        if self._widget is None:
            return
        self._syncing = True
        try:
            for name, control in self.controls.items():
                value = self.settings[name]
                if isinstance(control, widgets.SelectionSlider):
                    control.options = _with(control.options, value)
                if control.value != value:
                    # outside a slider's range: the slider stays put
                    with contextlib.suppress(TraitError):
                        control.value = value
        finally:
            self._syncing = False

    def _on_control(self, change):
        if self._syncing:
            return
        name = next(k for k, v in self.controls.items() if v is change["owner"])
        self.set(**{name: change["new"]})

    def _on_reset(self, _button=None):
        self.play.playing = False
        self.reset()

    def _ui_step(self, epochs):
        try:
            self.step(epochs)
        except TrainingDivergedError as exc:
            self.play.playing = False
            self._refresh()
            message = html.escape(f"{exc} Press reset to start again.")
            self.epoch_html.value = f"<b style='color:{BAD}'>{message}</b>"
            return
        self._refresh()

    def _on_tick(self, change):
        if change["new"] <= change["old"]:  # the Play widget's stop button rewinds: no step
            return
        # Ticks that queued up while the kernel was busy arrive back to back: skip them so
        # pausing takes effect at once instead of after the backlog.
        if time.monotonic() - self._last_tick_end < 0.02:
            return
        self._ui_step(self.epochs_per_tick)
        self._last_tick_end = time.monotonic()


    def _ipython_display_(self):
        display_widget(self.widget, self.text())


def _with(options, value):
    """The tuple ``options`` with ``value`` added (sorted) if missing."""
    return tuple(sorted(set(options) | {value}))
