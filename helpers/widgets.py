"""Interactive widgets of the course: quizzes, a neuron explorer, an activation explorer and a
TensorFlow-Playground-style trainer, each usable with or without a browser.

Every widget is a thin ipywidgets layer over plain Python that tests and nbval can call
directly: ``Quiz.check('b')`` returns the feedback text, ``plot_neuron(...)`` and
``plot_activation(...)`` return matplotlib Figures, ``Playground.step()`` trains and returns
the loss. Importing this module displays nothing. Figures shown inside widgets are drawn on
pyplot-free ``matplotlib.figure.Figure`` objects and sent as PNG into an ``ipywidgets.Output``
(its ``outputs`` are replaced in one update, the effect of ``clear_output(wait=True)`` +
``display``), so no figure leaks into a cell's output and nothing depends on a frontend.

What is here
------------
- ``Quiz(question, options, answer, explanation, topic=None)``: one multiple-choice question;
  ``.check(choice)`` -> "Correct! ..." / "Not quite. ..."; ``.widget`` (VBox: question,
  radio buttons "a. ...", a "Check" button, feedback). ``QuizSet(quizzes)`` (also
  ``quiz_widget(questions)``) shows several with a score line "3 / 5 correct so far".
- ``plot_neuron(w1, w2, b, activation='step', ax=None)`` and ``neuron_table(...)``;
  ``neuron_explorer(activation='step')``: sliders w1, w2, b and an activation menu.
- ``plot_activation(name, ax=None, x_range=(-5, 5))``; ``activation_explorer()``.
- ``Playground(dataset='xor', hidden_layers=1, units=8, activation='tanh', lr=0.1, l2=0.0,
  keep_prob=1.0, noise=0.1, n_samples=200, seed=0)``: ``.step(epochs)``, ``.reset()``,
  ``.set(**settings)``, ``.draw()`` (Figure), ``.render_png()`` (fast cached frame),
  ``.history``, ``.epoch``, ``.model``, ``.train_loss()``, ``.test_loss()``, ``.settings``,
  ``.widget`` (controls in ``.controls[name]``, ``.play``, ``.step_button``,
  ``.reset_button``, ``.epoch_html``, ``.output``; each Play tick trains
  ``.epochs_per_tick`` = 5 epochs and redraws).

CSS classes (for browser tests; add ``.`` to use them as selectors)
-------------------------------------------------------------------
Quiz:        ``quiz`` (the VBox), ``quiz-question`` (HTML), ``quiz-options`` (RadioButtons),
             ``quiz-check`` (the "Check" button), ``quiz-feedback`` (HTML with the feedback).
QuizSet:     ``quiz-set`` (the VBox), ``quiz-score`` (HTML "k / n correct so far").
Neuron explorer:     ``neuron-explorer``, ``neuron-w1``, ``neuron-w2``, ``neuron-b``,
             ``neuron-activation``, ``neuron-table`` (HTML), ``neuron-output`` (Output).
Activation explorer: ``activation-explorer``, ``activation-name``, ``activation-range``,
             ``activation-output``.
Playground:  ``playground`` (the VBox); controls ``playground-dataset``,
             ``playground-hidden-layers``, ``playground-units``, ``playground-activation``,
             ``playground-lr``, ``playground-l2``, ``playground-keep-prob``,
             ``playground-noise``; ``playground-play`` (Play widget: its first button
             starts, the next ones pause/stop),
             ``playground-step`` (button "step"), ``playground-reset`` (button "reset"),
             ``playground-epoch`` (HTML "epoch 12 | train loss ... | test loss ..."),
             ``playground-output`` (Output with the figure).
The Playground's controls carry the descriptions "data set", "hidden layers",
"units per layer", "activation", "learning rate", "L2 strength", "keep prob", "noise".

What it omits: saving widget state, more than two classes in the Playground, regression
data sets, feature crosses (x1*x2, sin x) of the original TensorFlow Playground.
"""

from __future__ import annotations

import base64
import contextlib
import html
import io
import numbers
import string
import time

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from traitlets import TraitError

from .activations import get_activation
from .plots import PALETTE
from .validate import check_choice, check_keep_prob, check_positive

__all__ = [
    "Quiz", "QuizSet", "quiz_widget", "plot_neuron", "neuron_table", "neuron_explorer",
    "NeuronExplorer", "plot_activation", "activation_explorer", "ActivationExplorer",
    "Playground", "NEURON_ACTIVATIONS", "EXPLORER_ACTIVATIONS", "PLAYGROUND_DATASETS",
    "PLAYGROUND_ACTIVATIONS",
]

LETTERS = string.ascii_lowercase
_GOOD, _BAD = "#009E73", "#D55E00"  # Okabe-Ito green / vermillion


# ============================================================================ display plumbing
def _png_bundle(fig, dpi=None):
    """The figure as a display bundle {'image/png': base64, 'text/plain': ...}."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi)
    w, h = fig.get_size_inches() * fig.dpi
    return {"image/png": base64.b64encode(buf.getvalue()).decode("ascii"),
            "text/plain": f"<Figure size {w:.0f}x{h:.0f} with {len(fig.axes)} Axes>"}


def _show_figure(out, fig):
    """Replace the content of the Output widget ``out`` with ``fig`` (as a PNG); a pyplot
    figure is closed afterwards (no leak)."""
    _show_bundle(out, _png_bundle(fig))
    if plt.fignum_exists(getattr(fig, "number", -1)):
        plt.close(fig)


def _show_bundle(out, bundle):
    """Replace the content of the Output widget ``out`` with one display bundle.

    This sets the Output's ``outputs`` state directly (what ``Output.append_display_data``
    does) instead of capturing ``display`` calls inside ``with out:``: the frontend shows the
    same thing (the old image is swapped for the new one in one update, like
    ``clear_output(wait=True)``), and it also works without a kernel (tests) and in nbclient,
    whose output-widget capture fails when widget state is not stored.
    """
    out.outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)


def _new_figure(figsize, ncols=1):
    """A figure outside pyplot (nothing to close, never auto-shown by the inline backend)."""
    fig = Figure(figsize=figsize, dpi=plt.rcParams["figure.dpi"])
    axes = fig.subplots(1, ncols)
    return fig, axes


def _widget_bundle(widget, text):
    """Mime bundle that renders ``widget`` in a frontend and ``text`` everywhere else."""
    data = widget._repr_mimebundle_() or {}
    data = dict(data)
    data["text/plain"] = text
    return data


def _display_widget(widget, text):
    from IPython.display import display

    display(_widget_bundle(widget, text), raw=True)


# ======================================================================================= quiz
class Quiz:
    """One multiple-choice question with its explanation.

    question   : the question text (plain text).
    options    : list of at least two option strings (shown as "a. ...", "b. ...").
    answer     : index of the correct option (0-based) or its letter ('a', 'b', ...).
    explanation: why the answer is right; shown after every check.
    topic      : optional label (e.g. 'perceptron') used to group questions.

    ``check(choice)`` works without a frontend; ``widget`` is the ipywidgets version.
    """

    def __init__(self, question, options, answer, explanation, topic=None):
        if not isinstance(question, str) or not question.strip():
            raise ValueError(f"question: expected a non-empty string, got {question!r}")
        if (isinstance(options, str) or not isinstance(options, (list, tuple))
                or len(options) < 2 or not all(isinstance(o, str) and o.strip()
                                               for o in options)):
            raise ValueError("options: expected a list of at least two non-empty strings, "
                             f"got {options!r}")
        if len(options) > len(LETTERS):
            raise ValueError(f"options: expected at most {len(LETTERS)} options, "
                             f"got {len(options)}")
        if not isinstance(explanation, str) or not explanation.strip():
            raise ValueError(f"explanation: expected a non-empty string, got {explanation!r}")
        self.question = question.strip()
        self.options = [o.strip() for o in options]
        self.explanation = explanation.strip()
        self.topic = topic
        self.answer = self._index(answer, "answer")
        self.last_choice = None   # index of the last checked option
        self.last_correct = None  # True / False after a check, None before
        self._listeners = []
        self._widget = None

    # ------------------------------------------------------------------ plain Python
    @property
    def letters(self):
        """The option letters, e.g. 'abcd'."""
        return LETTERS[: len(self.options)]

    @property
    def answer_letter(self):
        """The letter of the correct option, e.g. 'b'."""
        return LETTERS[self.answer]

    def label(self, index):
        """The option as shown: 'b. one integer per data point'."""
        return f"{LETTERS[index]}. {self.options[index]}"

    def _index(self, choice, name="choice"):
        n = len(self.options)
        if isinstance(choice, numbers.Integral) and not isinstance(choice, bool):
            if 0 <= int(choice) < n:
                return int(choice)
        elif isinstance(choice, str):
            text = choice.strip().lower()
            if len(text) == 1 and text in self.letters:
                return self.letters.index(text)
            if len(text) == 2 and text[0] in self.letters and text[1] in ".)":
                return self.letters.index(text[0])
            for i, option in enumerate(self.options):
                if text in (option.lower(), self.label(i).lower()):
                    return i
        raise ValueError(
            f"{name}: expected a letter {self.letters[0]}-{self.letters[-1]}, an index "
            f"0-{n - 1} or the text of one of the options, got {choice!r}")

    def is_correct(self, choice):
        """True when ``choice`` (index, letter or option text) is the right answer."""
        return self._index(choice) == self.answer

    def feedback(self, index):
        """The feedback text for the option with this index."""
        if index == self.answer:
            return f"Correct! {self.explanation}"
        right = self.options[self.answer].rstrip(".")
        return (f"Not quite. The right answer is {self.answer_letter}: {right}. "
                f"{self.explanation}")

    def check(self, choice):
        """Feedback for ``choice`` (an index 0.., a letter 'a'.. or the option text): a string
        starting with "Correct!" or "Not quite." followed by the explanation. A choice that
        is none of these raises ValueError naming the valid letters."""
        index = self._index(choice)
        self.last_choice, self.last_correct = index, index == self.answer
        for listener in list(self._listeners):
            listener(self)
        return self.feedback(index)

    def on_check(self, callback):
        """Call ``callback(quiz)`` after every check (used by QuizSet for its score)."""
        self._listeners.append(callback)

    def text(self, topic=True):
        """Plain-text version: the question (after its topic) and the lettered options."""
        head = f"[{self.topic}] " if self.topic and topic else ""
        lines = [f"{head}{self.question}"]
        lines += [f"  {self.label(i)}" for i in range(len(self.options))]
        return "\n".join(lines)

    def __repr__(self):
        return self.text()

    def _repr_pretty_(self, p, cycle):
        p.text(self.text())

    # ------------------------------------------------------------------ widget
    @property
    def widget(self):
        """VBox: question (HTML), options (RadioButtons, nothing selected), "Check" button,
        feedback (HTML). Built on first use."""
        if self._widget is None:
            self._widget = self._build()
        return self._widget

    def _build(self):
        self.question_html = widgets.HTML(
            value=f"<div style='font-weight:600; line-height:1.45; margin:6px 0 2px 0'>"
                  f"{html.escape(self.question)}</div>")
        self.question_html.add_class("quiz-question")
        self.radio = widgets.RadioButtons(
            options=[(self.label(i), i) for i in range(len(self.options))], value=None,
            layout=widgets.Layout(width="auto"))
        self.radio.add_class("quiz-options")
        self.button = widgets.Button(description="Check", button_style="primary",
                                     tooltip="check your answer")
        self.button.add_class("quiz-check")
        self.feedback_html = widgets.HTML(value="")
        self.feedback_html.add_class("quiz-feedback")
        self.button.on_click(self._on_click)
        box = widgets.VBox([self.question_html, self.radio, self.button, self.feedback_html],
                           layout=widgets.Layout(margin="0 0 14px 0"))
        box.add_class("quiz")
        return box

    def _on_click(self, _button=None):
        if self.radio.value is None:
            self._set_feedback("Choose an option first, then press Check.", None)
            return
        text = self.check(self.radio.value)
        self._set_feedback(text, self.last_correct)

    def _set_feedback(self, text, correct):
        color = "inherit" if correct is None else (_GOOD if correct else _BAD)
        value = (f"<div style='color:{color}; line-height:1.45; max-width:60em'>"
                 f"{html.escape(text)}</div>")
        if self.feedback_html.value == value:
            # the same answer checked again: blank it first, so the frontend sees a change
            # and redraws it (the student sees the check happen)
            self.feedback_html.value = ""
        self.feedback_html.value = value

    def _repr_mimebundle_(self, **kwargs):
        return _widget_bundle(self.widget, self.text())

    def _ipython_display_(self):
        _display_widget(self.widget, self.text())


def _as_quiz(q):
    if isinstance(q, Quiz):
        return q
    if isinstance(q, dict):
        keys = ("question", "options", "answer", "explanation", "topic")
        return Quiz(**{k: q[k] for k in keys if k in q})
    raise TypeError(f"questions: expected Quiz objects or dicts, got {type(q).__name__}")


class QuizSet:
    """Several quizzes shown together with a score line "k / n correct so far".

    quizzes: Quiz objects or dicts with the Quiz arguments. ``score()`` -> (correct, total)
    counts the quizzes whose last check was right.
    """

    def __init__(self, quizzes, title=None):
        self.quizzes = [_as_quiz(q) for q in quizzes]
        if not self.quizzes:
            raise ValueError("quizzes: expected at least one question, got none")
        self.title = title
        self._widget = None
        for q in self.quizzes:
            q.on_check(self._update_score)

    def __len__(self):
        return len(self.quizzes)

    def __iter__(self):
        return iter(self.quizzes)

    def score(self):
        """(number of quizzes answered correctly at their last check, number of quizzes)."""
        return sum(q.last_correct is True for q in self.quizzes), len(self.quizzes)

    def score_text(self):
        k, n = self.score()
        return f"{k} / {n} correct so far"

    def _update_score(self, _quiz=None):
        if self._widget is not None:
            self.score_html.value = f"<b>{self.score_text()}</b>"

    @property
    def widget(self):
        if self._widget is None:
            self.score_html = widgets.HTML(value=f"<b>{self.score_text()}</b>")
            self.score_html.add_class("quiz-score")
            head = ([widgets.HTML(f"<h4>{html.escape(self.title)}</h4>")] if self.title
                    else [])
            self._widget = widgets.VBox(head + [q.widget for q in self.quizzes]
                                        + [self.score_html])
            self._widget.add_class("quiz-set")
        return self._widget

    def text(self):
        parts = [self.title] if self.title else []
        parts += [f"{i}. {q.text(topic=not self.title)}"
                  for i, q in enumerate(self.quizzes, start=1)]
        return "\n\n".join(parts)

    def __repr__(self):
        return self.text()

    def _repr_pretty_(self, p, cycle):
        p.text(self.text())

    def _repr_mimebundle_(self, **kwargs):
        return _widget_bundle(self.widget, self.text())

    def _ipython_display_(self):
        _display_widget(self.widget, self.text())


def quiz_widget(questions, title=None):
    """A QuizSet of ``questions`` (Quiz objects or dicts); display it to get the widgets."""
    return QuizSet(questions, title=title)


# ============================================================================ neuron explorer
NEURON_ACTIVATIONS = ("step", "sign", "sigmoid", "tanh", "relu")
CORNERS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)


def _check_number(x, name):
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not np.isfinite(x):
        raise ValueError(f"{name}: expected a finite number, got {x!r}")
    return float(x)


def _fmt(v):
    """Compact number for labels: 1, 0, -1 stay integers, others get 2 decimals."""
    v = float(v)
    return f"{v:.0f}" if v == round(v) else f"{v:.2f}"


def _affine_text(w1, w2, b):
    """'1.20·x1 - 0.80·x2 + 0.30' (signs folded into the operators)."""
    def term(v, name, first=False):
        sign = ("-" if v < 0 else "") if first else (" - " if v < 0 else " + ")
        return f"{sign}{abs(v):.2f}{name}"
    return term(w1, "·x1", first=True) + term(w2, "·x2") + term(b, "")


def neuron_table(w1, w2, b, activation="step"):
    """Text table of the neuron f(w1*x1 + w2*x2 + b) on the inputs (0,0), (0,1), (1,0),
    (1,1): columns x1, x2, net input, output."""
    w1, w2, b = (_check_number(v, n) for v, n in ((w1, "w1"), (w2, "w2"), (b, "b")))
    f = get_activation(activation).f
    net = CORNERS @ np.array([w1, w2]) + b
    out = f(net)
    lines = [f"{'x1':>3} {'x2':>3} | {'net':>6} | {activation + '(net)':>14}",
             "-" * 33]
    for (x1, x2), n, o in zip(CORNERS, net, out):
        lines.append(f"{x1:3.0f} {x2:3.0f} | {n:6.2f} | {_fmt(o):>14}")
    return "\n".join(lines)


_NEURON_CMAP = LinearSegmentedColormap.from_list("neuron", ["#FFFFFF", PALETTE[0]])


def plot_neuron(w1, w2, b, activation="step", ax=None):
    """Draw one neuron y = f(w1*x1 + w2*x2 + b) over the plane [-0.5, 1.5]^2: the output as
    shading, the decision line w1*x1 + w2*x2 + b = 0, and the output at the four corner
    inputs (0,0), (0,1), (1,0), (1,1) written next to them. Returns the Figure."""
    w1, w2, b = (_check_number(v, n) for v, n in ((w1, "w1"), (w2, "w2"), (b, "b")))
    act = get_activation(activation)
    if ax is None:
        fig, ax = plt.subplots(figsize=(5.2, 4.4))
    fig = ax.figure
    lo, hi = -0.5, 1.5
    g = np.linspace(lo, hi, 121)
    gx, gy = np.meshgrid(g, g)
    z = act.f(w1 * gx + w2 * gy + b)
    zmin, zmax = {"step": (0, 1), "sigmoid": (0, 1), "sign": (-1, 1), "tanh": (-1, 1)}.get(
        activation, (0.0, max(float(z.max()), 1.0)))
    im = ax.imshow(z, origin="lower", extent=(lo, hi, lo, hi), cmap=_NEURON_CMAP, vmin=zmin,
                   vmax=zmax, alpha=0.8, aspect="equal", interpolation="bilinear")
    ax.grid(False)
    # Decision line w1*x1 + w2*x2 + b = 0.
    if abs(w2) > 1e-12:
        ax.plot(g, -(w1 * g + b) / w2, color=PALETTE[3], lw=2,
                label="$w_1x_1 + w_2x_2 + b = 0$")
    elif abs(w1) > 1e-12:
        ax.axvline(-b / w1, color=PALETTE[3], lw=2, label="$w_1x_1 + w_2x_2 + b = 0$")
    else:
        ax.plot([], [], color=PALETTE[3], lw=2, label="no line: $w_1 = w_2 = 0$")
    out = act.f(CORNERS @ np.array([w1, w2]) + b)
    ax.scatter(CORNERS[:, 0], CORNERS[:, 1], s=70, color=PALETTE[7], zorder=3,
               label="inputs $(x_1, x_2)$")
    for (x1, x2), o in zip(CORNERS, out):
        ax.annotate(f"y={_fmt(o)}", (x1, x2), xytext=(7, 7), textcoords="offset points",
                    fontsize=10, fontweight="bold", color=PALETTE[7],
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none",
                          "alpha": 0.8})
    ticks = [-0.5, 0, 0.5, 1, 1.5]
    ax.set(xlim=(lo, hi), ylim=(lo, hi), xlabel="$x_1$", ylabel="$x_2$", xticks=ticks,
           yticks=ticks, title=f"y = {activation}({_affine_text(w1, w2, b)})")
    ax.legend(loc="lower left", fontsize="small", framealpha=0.9, frameon=True)
    fig.colorbar(im, ax=ax, label="neuron output y", shrink=0.85)
    return fig


class NeuronExplorer(widgets.VBox):
    """Sliders w1, w2, b and an activation menu; redraws ``plot_neuron`` and the table of
    the four corner outputs on every change. ``update()`` redraws by hand."""

    def __init__(self, w1=1.0, w2=1.0, b=-1.5, activation="step"):
        check_choice(activation, "activation", NEURON_ACTIVATIONS)
        sliders = {}
        for name, value in (("w1", w1), ("w2", w2), ("b", b)):
            s = widgets.FloatSlider(value=_check_number(value, name), min=-2.0, max=2.0,
                                    step=0.1, description=name, continuous_update=False,
                                    readout_format=".1f")
            s.add_class(f"neuron-{name}")
            sliders[name] = s
        menu = widgets.Dropdown(options=list(NEURON_ACTIVATIONS), value=activation,
                                description="activation")
        menu.add_class("neuron-activation")
        table = widgets.HTML()
        table.add_class("neuron-table")
        output = widgets.Output()
        output.add_class("neuron-output")
        controls = widgets.VBox([*sliders.values(), menu, table])
        super().__init__([widgets.HBox([controls, output])])
        self.add_class("neuron-explorer")
        self.sliders, self.activation_menu, self.table, self.output = (
            sliders, menu, table, output)
        for control in (*sliders.values(), menu):
            control.observe(self.update, names="value")
        self.update()

    @property
    def settings(self):
        s = {k: float(v.value) for k, v in self.sliders.items()}
        s["activation"] = self.activation_menu.value
        return s

    def update(self, _change=None):
        s = self.settings
        self.table.value = (f"<pre style='line-height:1.3'>"
                            f"{html.escape(neuron_table(**s))}</pre>")
        fig, ax = _new_figure((5.4, 4.4))
        fig.subplots_adjust(left=0.13, right=0.97, bottom=0.11, top=0.92)
        plot_neuron(s["w1"], s["w2"], s["b"], s["activation"], ax=ax)
        _show_figure(self.output, fig)

    def text(self):
        s = self.settings
        return (f"Neuron explorer (w1={s['w1']:.1f}, w2={s['w2']:.1f}, b={s['b']:.1f}, "
                f"activation={s['activation']})\n"
                + neuron_table(**s))

    def __repr__(self):
        return self.text()

    def _repr_mimebundle_(self, **kwargs):
        data = dict(super()._repr_mimebundle_(**kwargs) or {})
        data["text/plain"] = self.text()
        return data


def neuron_explorer(activation="step", w1=1.0, w2=1.0, b=-1.5):
    """Interactive neuron: sliders w1, w2, b in [-2, 2] and an activation menu (step, sign,
    sigmoid, tanh, relu). Starts as an AND gate (1, 1, -1.5). Returns a NeuronExplorer
    (an ipywidgets VBox)."""
    return NeuronExplorer(w1=w1, w2=w2, b=b, activation=activation)


# ======================================================================== activation explorer
EXPLORER_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "step", "sign")


def plot_activation(name, ax=None, x_range=(-5.0, 5.0)):
    """Plot an activation f and its derivative f' side by side (from helpers.activations).

    ax: None (new figure with two panels), a pair of Axes (f, f'), or one Axes (both curves
    on it). The maximum of f' on the range is marked (0.25 for the sigmoid). Returns the
    Figure."""
    act = get_activation(name, "name")
    lo, hi = (_check_number(v, "x_range") for v in x_range)
    if not lo < hi:
        raise ValueError(f"x_range: expected (low, high) with low < high, got {x_range!r}")
    if ax is None:
        fig, axes = plt.subplots(1, 2, figsize=(9.0, 3.6))
    elif isinstance(ax, (list, tuple, np.ndarray)):
        axes = list(ax)
        if len(axes) != 2:
            raise ValueError(f"ax: expected one Axes or a pair of Axes, got {len(axes)}")
        fig = axes[0].figure
    else:
        axes, fig = [ax, ax], ax.figure
    x = np.linspace(lo, hi, 801)
    y, dy = act.f(x), act.grad(x)
    jump = name in ("step", "sign")
    if jump:  # draw the jump at 0 as a gap, not as a vertical line
        y = np.where(np.isclose(x, 0, atol=(hi - lo) / 800), np.nan, y)
    axes[0].plot(x, y, color=PALETTE[0], lw=2, label=f"{name}(x)")
    axes[1].plot(x, dy, color=PALETTE[3], lw=2, label=f"{name}'(x)")
    if jump:
        note = "0 except at x = 0 (undefined there)"
    else:
        note = _max_note(x, dy)
        top = np.flatnonzero(dy >= dy.max() - 1e-12)
        if len(top) == 1:  # one point (sigmoid, tanh): mark it
            axes[1].plot(x[top], dy[top], "o", color=PALETTE[3])
    if axes[0] is axes[1]:
        axes[0].set(title=f"{name} and its derivative ({note})", xlabel="x",
                    ylabel="value")
        axes[0].legend()
    else:
        axes[0].set(title=f"{name}(x)", xlabel="x", ylabel=f"{name}(x)")
        axes[1].set(title=f"derivative: {note}", xlabel="x", ylabel=f"{name}'(x)")
    for a in axes:
        a.axhline(0, color="0.6", lw=0.8)
        a.axvline(0, color="0.6", lw=0.8)
    return fig


def _nice_between(lo, hi):
    """The roundest number in [lo, hi] (fewest decimals), e.g. 0 in [-0.004, 0.0125]."""
    for decimals in range(7):
        v = round((lo + hi) / 2, decimals)
        if lo <= v <= hi:
            return v + 0.0  # no "-0"
    return (lo + hi) / 2


def _max_note(x, dy):
    """Where the sampled derivative ``dy`` reaches its maximum on the grid ``x``: 'max 0.25
    at x = 0' for one point, 'max 1 for x > 0' when it holds on a whole interval (ReLU),
    '1 on this whole range' when it is constant."""
    top = np.flatnonzero(dy >= dy.max() - 1e-12)
    m = f"max {dy.max():.3g}"
    if len(top) == len(x):
        return f"{dy.max():.3g} on this whole range"
    if len(top) == 1:
        i = top[0]
        if 0 < i < len(x) - 1:  # inside: the true maximum lies between the neighbours
            return f"{m} at x = {_nice_between(x[i - 1], x[i + 1]):g}"
        return f"{m} at x = {round(float(x[i]), 2) + 0.0:g}"  # at an end of the range
    first, last = top[0], top[-1]
    if last - first + 1 == len(top):  # one interval
        if last == len(x) - 1:
            return f"{m} for x > {_nice_between(x[first - 1], x[first]):g}"
        if first == 0:
            return f"{m} for x < {_nice_between(x[last], x[last + 1]):g}"
        return (f"{m} for {_nice_between(x[first - 1], x[first]):g} < x < "
                f"{_nice_between(x[last], x[last + 1]):g}")
    return f"{m} at x = {_nice_between(x[first] - 1e-9, x[first] + 1e-9):g}"


class ActivationExplorer(widgets.VBox):
    """An activation menu and an x-range slider; redraws ``plot_activation``."""

    def __init__(self, name="sigmoid", x_range=(-5.0, 5.0)):
        check_choice(name, "name", EXPLORER_ACTIVATIONS)
        menu = widgets.Dropdown(options=list(EXPLORER_ACTIVATIONS), value=name,
                                description="activation")
        menu.add_class("activation-name")
        rng = widgets.FloatRangeSlider(value=tuple(x_range), min=-10.0, max=10.0, step=0.5,
                                       description="x range", continuous_update=False,
                                       readout_format=".1f")
        rng.add_class("activation-range")
        output = widgets.Output()
        output.add_class("activation-output")
        super().__init__([widgets.HBox([menu, rng]), output])
        self.add_class("activation-explorer")
        self.menu, self.range_slider, self.output = menu, rng, output
        menu.observe(self.update, names="value")
        rng.observe(self.update, names="value")
        self.update()

    def update(self, _change=None):
        lo, hi = self.range_slider.value
        if hi <= lo:
            hi = lo + 0.5
        fig, axes = _new_figure((9.0, 3.6), ncols=2)
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.14, top=0.9, wspace=0.28)
        plot_activation(self.menu.value, ax=tuple(axes), x_range=(lo, hi))
        _show_figure(self.output, fig)

    def text(self):
        lo, hi = self.range_slider.value
        return f"Activation explorer ({self.menu.value} on [{lo:.1f}, {hi:.1f}])"

    def __repr__(self):
        return self.text()

    def _repr_mimebundle_(self, **kwargs):
        data = dict(super()._repr_mimebundle_(**kwargs) or {})
        data["text/plain"] = self.text()
        return data


def activation_explorer(name="sigmoid"):
    """Interactive plot of an activation (sigmoid, tanh, relu, leaky_relu, step, sign) and
    its derivative over a chosen x range. Returns an ActivationExplorer (an ipywidgets VBox)."""
    return ActivationExplorer(name=name)


# ================================================================================ playground
PLAYGROUND_DATASETS = ("xor", "circles", "moons", "spirals")
PLAYGROUND_ACTIVATIONS = ("sigmoid", "tanh", "relu")
LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
L2_STRENGTHS = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1)
_DATA_KEYS = ("dataset", "noise", "n_samples", "seed")
_MODEL_KEYS = ("hidden_layers", "units", "activation")
_LIVE_KEYS = ("lr", "l2", "keep_prob", "batch_size")
_NICE_LIMITS = [k * 10**e for e in range(1, 9) for k in (1, 2, 5)]
_BOUNDARY_CMAP = LinearSegmentedColormap.from_list(
    "boundary", [PALETTE[0], "#FFFFFF", PALETTE[1]])


def _make_data(dataset, n, noise, seed):
    from . import data

    maker = {"xor": data.make_xor, "circles": data.make_circles, "moons": data.make_moons,
             "spirals": data.make_spirals}[dataset]
    return maker(n, noise=noise, seed=seed)


class Playground:
    """A TensorFlow-Playground-style trainer: a small MLP (float32, softmax/cross-entropy,
    2 classes) learns a 2-D data set, live in the notebook.

    dataset      : 'xor', 'circles', 'moons' or 'spirals' (from helpers.data), split 50/50
                   into train and test points.
    hidden_layers: number of hidden layers (1-4 in the UI); units: units per layer (1-32).
    activation   : hidden activation, 'sigmoid', 'tanh' or 'relu'.
    lr, l2, keep_prob: learning rate of mini-batch SGD (batches of ``batch_size``), L2
                   strength (l2/2 * sum W^2) and dropout keep probability (1 = off).
    noise, n_samples, seed: of the data set (and the seed of the weights and batch order).

    Changing a data setting regenerates the data and restarts; changing the architecture
    rebuilds the model and restarts; lr, l2, keep_prob and batch_size act on the running
    training from the next step on (as in the TensorFlow Playground).
    Losses in ``history`` are the data cross-entropy (without the L2 term) in test mode.
    """

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
        else:
            if "lr" in changed:
                for cfg in self._optim.values():
                    cfg["learning_rate"] = self.settings["lr"]
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
        X, y = _make_data(s["dataset"], s["n_samples"], s["noise"], s["seed"])
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
        from .models import MLP

        s = self.settings
        sizes = [2] + [s["units"]] * s["hidden_layers"] + [2]
        self.model = MLP(sizes, activation=s["activation"], l2=s["l2"],
                         keep_prob=s["keep_prob"], seed=s["seed"], dtype=np.float32)
        self._shrink_output_layer()
        self._optim = {k: {"learning_rate": s["lr"]} for k in self.model.params}
        self._rng = np.random.default_rng(s["seed"] + 1)
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
        scores = self.model._forward(self._Xtr, False)[0]
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
        """Train ``epochs`` epochs of mini-batch SGD; returns the training loss afterwards.
        A diverging run (NaN/inf loss) raises FloatingPointError naming the epoch, the batch
        and the likely cause."""
        from .optim import sgd

        check_positive(epochs, "epochs", integer=True)
        X, y, bs = self._Xtr, self.y_train, self.settings["batch_size"]
        params = self.model.params
        for _ in range(epochs):
            order = self._rng.permutation(len(y))
            for batch, start in enumerate(range(0, len(y), bs)):
                idx = order[start:start + bs]
                loss, grads = self.model.loss(X[idx], y[idx])
                if not np.isfinite(loss):
                    raise FloatingPointError(
                        f"training diverged at epoch {self.epoch + 1}, batch {batch}: the "
                        f"loss is {loss}; the learning rate {self.settings['lr']} is probably "
                        "too large (try a smaller one and press reset)")
                for k, w in params.items():
                    sgd(w, grads[k], self._optim[k])
            self.epoch += 1
            self._record()
        return self.history["train_loss"][-1]

    # ------------------------------------------------------------------ drawing
    def _build_figure(self):
        fig, (ax, ax_loss) = _new_figure((9.6, 4.2), ncols=2)
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
        # a notebook shows ``pg.draw()`` through this even before pyplot's inline backend
        # is loaded (the figure lives outside pyplot)
        fig._repr_png_ = self.render_png
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

    # ------------------------------------------------------------------ widget
    def _refresh(self):
        """Redraw the widget (if it exists) after a change."""
        if self._widget is not None:
            png = self.render_png()
            w, h = self._fig_size_px()
            bundle = {"image/png": base64.b64encode(png).decode("ascii"),
                      "text/plain": f"<Figure size {w}x{h} with 2 Axes>"}
            _show_bundle(self.output, bundle)
            # the label changes last: once it shows the new epoch, the image is there too
            self.epoch_html.value = f"<b>{self.status()}</b>"

    def _fig_size_px(self):
        w, h = self._fig.get_size_inches() * self._fig.dpi
        return round(w), round(h)

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
            "dataset": widgets.Dropdown(options=list(PLAYGROUND_DATASETS),
                                        value=s["dataset"], description="data set"),
            "hidden_layers": widgets.IntSlider(value=min(s["hidden_layers"], 4), min=1,
                                               max=4, description="hidden layers"),
            "units": widgets.IntSlider(value=min(s["units"], 32), min=1, max=32,
                                       description="units per layer"),
            "activation": widgets.Dropdown(options=list(PLAYGROUND_ACTIVATIONS),
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
        except FloatingPointError as exc:
            self.play.playing = False
            self._refresh()
            self.epoch_html.value = f"<b style='color:{_BAD}'>{html.escape(str(exc))}</b>"
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

    def _ipython_display_(self):
        _display_widget(self.widget, self.text())


def _with(options, value):
    """The tuple ``options`` with ``value`` added (sorted) if missing."""
    return tuple(sorted(set(options) | {value}))
