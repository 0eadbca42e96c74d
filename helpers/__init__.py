"""Support library of the neural-networks course: numpy from scratch, one idea per module.

Modules: activations, layers, models, optim, train, gradcheck, data, plots, widgets, checks,
grading, bench. Notebooks import what they need, e.g. ``from helpers.models import MLP``.
"""

__version__ = "0.1.0"
