"""Interactive widgets of the course: quizzes, a neuron explorer, an activation explorer and a
TensorFlow-Playground-style trainer, each usable with or without a browser.

Every widget is a thin ipywidgets layer over plain Python that tests and nbval can call
directly: ``Quiz.check('b')`` returns the feedback text, ``plot_neuron(...)`` and
``plot_activation(...)`` return matplotlib Figures, ``Playground.step()`` trains and returns
the loss. Importing this module displays nothing. Figures shown inside widgets are drawn on
pyplot-free ``matplotlib.figure.Figure`` objects and sent as PNG into an ``ipywidgets.Output``
(its ``outputs`` are replaced in one update, the effect of ``clear_output(wait=True)`` +
``display``), so no figure leaks into a cell's output and nothing depends on a frontend.

The modules
-----------
- ``quiz``: ``Quiz(question, options, answer, explanation, topic=None, why_wrong=None)``
  (``.check(choice)`` -> "Correct! ..." / "Not quite. ..."; ``.widget``; ``why_wrong`` says
  per wrong option why it tempts and why it is wrong), ``NumericQuiz(question, answer,
  explanation, tolerance, mistakes=None)`` (a typed number, right within the tolerance),
  ``QuizSet(quizzes)`` and ``quiz_widget(questions)`` with a score line "3 / 5 correct so
  far".
- ``explorers``: ``plot_neuron(w1, w2, b, activation='step', ax=None)``, ``neuron_table``,
  ``neuron_explorer(activation='step')``; ``plot_activation(name, ax=None, x_range=(-5, 5))``,
  ``activation_explorer()``.
- ``playground``: ``Playground(dataset='xor', hidden_layers=1, units=8, activation='tanh',
  lr=0.1, l2=0.0, keep_prob=1.0, noise=0.1, n_samples=200, seed=0)``: ``.step(epochs)``
  (through helpers.train.fit), ``.reset()``, ``.set(**settings)``, ``.draw()``,
  ``.render_png()``, ``.history``, ``.epoch``, ``.model``; its UI (``.widget``) is in
  ``playground_ui``.
- ``display``: the plumbing (figures as PNG into Output widgets, text stand-ins).

Each module's docstring lists the CSS classes its widgets carry (for browser tests).

What it omits: saving widget state, more than two classes in the Playground, regression
data sets, feature crosses (x1*x2, sin x) of the original TensorFlow Playground.
"""

from .explorers import (
    EXPLORER_ACTIVATIONS,
    NEURON_ACTIVATIONS,
    ActivationExplorer,
    NeuronExplorer,
    activation_explorer,
    neuron_explorer,
    neuron_table,
    plot_activation,
    plot_neuron,
)
from .playground import PLAYGROUND_ACTIVATIONS, PLAYGROUND_DATASETS, Playground
from .quiz import NumericQuiz, Quiz, QuizSet, quiz_widget

__all__ = [
    "Quiz", "NumericQuiz", "QuizSet", "quiz_widget", "plot_neuron", "neuron_table",
    "neuron_explorer",
    "NeuronExplorer", "plot_activation", "activation_explorer", "ActivationExplorer",
    "Playground", "NEURON_ACTIVATIONS", "EXPLORER_ACTIVATIONS", "PLAYGROUND_DATASETS",
    "PLAYGROUND_ACTIVATIONS",
]
