"""Command line of the course kit: ``python -m helpers COMMAND [ARGS]``.

Each command is the ``main(argv)`` of one module (``COMMANDS``), imported only when used;
``python -m helpers --help`` lists them with what they do.
"""

import importlib
import sys

#: command -> (module, its function taking argv, what the command does)
COMMANDS = {
    "data": ("helpers.data", "main", "fetch and verify MNIST, write the CSVs"),
    "execute": ("helpers.instructor.execute", "main",
                "re-run notebooks in place in a fresh kernel"),
    "build-labs": ("helpers.instructor.grading", "build_labs_main", "write labs/ from solutions/"),
    "grade": ("helpers.instructor.grading", "grade_main",
              "grade submitted labs in sandboxed kernels\n"
              "(grade merge OUT PARTS... merges --shard runs)"),
    "bench": ("helpers.instructor.bench", "main", "training-speed benchmark"),
    "times": ("helpers.instructor.times", "main",
              "lesson and lab times (--write: onto the start page and the lessons' first cells)"),
    "site": ("helpers.instructor.site", "main", "build the course website offline into _site/"),
    "link": ("helpers.instructor.site.launch", "main",
             "print the Binder / JupyterHub launch links"),
    "reproduce": ("helpers.reproduce.run", "main",
                  "the textbooks' MNIST results (--list, --quick)"),
}


def usage():
    """The help text: a line per command (continued lines indented), its module in
    parentheses."""
    lines = ["usage: python -m helpers COMMAND [ARGS]", "", "Commands:"]
    for name, (module, _, what) in COMMANDS.items():
        first, *more = what.splitlines()
        lines.append(f"  {name:<11} {first}  ({module})")
        lines += [f"  {'':<11} {line}" for line in more]
    return "\n".join(lines)


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(usage())
        return 0
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        print(f"unknown command {name!r}; expected one of: {', '.join(COMMANDS)}", file=sys.stderr)
        return 2
    module, func, _ = COMMANDS[name]
    return getattr(importlib.import_module(module), func)(rest) or 0


if __name__ == "__main__":
    sys.exit(main())
