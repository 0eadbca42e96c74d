"""Lab generation and trusted grading (``python -m helpers build-labs`` / ``grade``).

Modules: ``build_labs`` (labs/ from solutions/), ``labs`` (what a lab's checks are, which
cells of a submission run, flags), ``submissions`` (finding, matching and safely reading the
submitted files), ``sandbox`` (bubblewrap, cgroups, rlimits), ``kernel`` (a student's kernel
in its sandbox), ``run`` (grade submissions: cells in the kernel, checks decided here),
``sanitize`` (untrusted text made safe per output format), ``report`` (CSV, JUnit XML,
feedback, Gradescope, merge), ``formats`` (PrairieLearn, LMS gradebook, GitHub Classroom),
``cli``. The trust model is described in docs/grading.md.
"""

from .build_labs import build_labs_main
from .cli import grade_main

__all__ = ["build_labs_main", "grade_main"]
