"""Lab generation and trusted grading (``python -m helpers build-labs`` / ``grade``).

Modules: ``build_labs`` (labs/ from solutions/), ``labs`` (what a lab's checks are, which
cells of a submission run, flags), ``sandbox`` (bubblewrap, cgroups, rlimits), ``kernel``
(a student's kernel in its sandbox), ``run`` (grade submissions: cells in the kernel, checks
decided here), ``report`` (CSV, JUnit XML, feedback, Gradescope, merge), ``cli``.
The trust model is described in docs/grading.md.
"""

import sys

# jsonschema's optional IRI format checker (the package rfc3987_syntax, imported by nbformat's
# validator) builds a parser at import time: seconds on a busy machine, and notebook
# validation never uses it. Marking it missing keeps `grade` and `build-labs` quick to start.
sys.modules.setdefault("rfc3987_syntax", None)

from .build_labs import build_labs_main  # noqa: E402 - after the line above
from .cli import grade_main  # noqa: E402

__all__ = ["build_labs_main", "grade_main"]
