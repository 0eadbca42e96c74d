"""Support library of the neural-networks course: numpy from scratch, one idea per module.

The plain path students read: activations, layers, models, optim, train, gradcheck, metrics,
validate, data, plots, widgets, checks. Lesson-only aids live in ``helpers.lessons``, the
instructor's tools (grading, execute, bench) in ``helpers.instructor``, and the opt-in speed
path (``FastMLP``, ``helpers.fast.fit``) in ``helpers.fast``. Notebooks import what they need,
e.g. ``from helpers.models import MLP``. Importing the package changes nothing in the process.
"""

__version__ = "0.1.0"
