"""The one progress bar of the library: ``progress_bar(progress, **kwargs)``.

Training (``helpers.train``), the perceptron (``helpers.models``), the MNIST download and
CSV writing (``helpers.data``) and ``python -m helpers reproduce`` all show their progress
with it: a tqdm.auto bar (a widget in JupyterLab, text on stderr in a terminal).
Omits: nested bars, logging.
"""

import sys


def progress_bar(progress, **kwargs):
    """A tqdm.auto progress bar, or a silent stand-in with the same methods when
    ``progress`` is false. kwargs go to tqdm (total, desc, unit, ...); by default it writes
    to stderr and is removed when done (pass ``leave=True`` to keep it)."""
    from tqdm.auto import tqdm

    kwargs.setdefault("file", sys.stderr)
    kwargs.setdefault("leave", False)
    return tqdm(disable=not progress, **kwargs)
