"""Command line of the course kit: ``python -m helpers COMMAND [ARGS]``.

Commands (each is the ``main(argv)`` of one module, imported only when used):
  data        fetch and verify MNIST, write the CSVs          (helpers.data)
  execute     re-run notebooks in place in a fresh kernel     (helpers.instructor.execute)
  build-labs  write labs/ from solutions/                     (helpers.instructor.grading)
  grade       grade submitted labs in sandboxed kernels       (helpers.instructor.grading)
              (``grade merge OUT PARTS...`` merges --shard runs)
  bench       training-speed benchmark                        (helpers.instructor.bench)
  times       lesson and lab times (--write: onto the start page and the lessons'
              first cells)                                    (helpers.instructor.times)
  site        build the course website offline into _site/    (helpers.instructor.site)
  link        print the Binder / JupyterHub launch links      (helpers.instructor.site.launch)
  reproduce   the textbooks' MNIST results (--list, --quick)  (helpers.reproduce)
"""

import importlib
import sys

COMMANDS = {
    "data": ("helpers.data", "main"),
    "execute": ("helpers.instructor.execute", "main"),
    "build-labs": ("helpers.instructor.grading", "build_labs_main"),
    "grade": ("helpers.instructor.grading", "grade_main"),
    "bench": ("helpers.instructor.bench", "main"),
    "times": ("helpers.instructor.times", "main"),
    "site": ("helpers.instructor.site", "main"),
    "link": ("helpers.instructor.site.launch", "main"),
    "reproduce": ("helpers.reproduce.run", "main"),
}


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        print(f"unknown command {name!r}; expected one of: {', '.join(COMMANDS)}", file=sys.stderr)
        return 2
    module, func = COMMANDS[name]
    return getattr(importlib.import_module(module), func)(rest) or 0


if __name__ == "__main__":
    sys.exit(main())
