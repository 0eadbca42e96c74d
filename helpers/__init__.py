"""Support library of the neural-networks course: numpy from scratch, one idea per module.

Modules: activations, layers, models, optim, train, gradcheck, data, plots, widgets, checks,
grading, bench, speed. Notebooks import what they need, e.g. ``from helpers.models import MLP``.
Importing the package sets glibc's malloc to keep freed memory for reuse (``speed``), so
training steps reuse their pages instead of faulting them in again.
"""

from .speed import keep_freed_memory

__version__ = "0.1.0"

keep_freed_memory()
