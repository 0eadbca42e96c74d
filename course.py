#!/usr/bin/env python3
"""Set up and run the course with one command (any OS, only Python >= 3.10 and pip needed).

    python course.py lab     set up, then open the course in JupyterLab
    python course.py test    set up, then run the whole test suite (what CI runs)
    python course.py site    set up, then build the course website (offline) into _site/
                             and print its path (see "The course as a website" in README)
    python course.py setup   only set up

Set-up creates a virtual environment in .venv/ (so a system Python whose pip refuses to
install, PEP 668, is never touched), installs requirements.txt into it (with uv where it can
be had, else pip; again only when the file changed), makes the ``helpers`` package importable
there, turns JupyterLab's news pop-up and update check off for that environment, and fetches
and verifies MNIST into data/.
Extra arguments go to JupyterLab or pytest, e.g. ``python course.py test -k data``,
``python course.py test -m "not slow"`` (the quick unit loop, under two minutes) or
``python course.py lab --no-browser``.
"""

import hashlib
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
REQUIREMENTS = ROOT / "requirements.txt"
STAMP = VENV / "requirements.sha256"

#: JupyterLab settings for the course environment (defaults an admin may override): no
#: "would you like to receive Jupyter news?" pop-up and no update check, as the course works
#: offline and a pop-up over the first lesson only distracts.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false",
                                                    "checkForUpdates": False},
}


def venv_python():
    sub = ("Scripts", "python.exe") if os.name == "nt" else ("bin", "python")
    return VENV.joinpath(*sub)


def run(cmd, **kw):
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], cwd=ROOT, **kw).returncode


def site_packages(python):
    code = "import sysconfig; print(sysconfig.get_path('purelib'))"
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def write_lab_settings(prefix):
    """Merge LAB_SETTINGS into <prefix>/share/jupyter/lab/settings/overrides.json, the
    settings JupyterLab installed in that environment starts with; returns the path.
    (binder/postBuild calls this for Binder's environment.)"""
    path = Path(prefix, "share", "jupyter", "lab", "settings", "overrides.json")
    try:
        current = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        current = {}
    if not isinstance(current, dict):
        current = {}
    for plugin, values in LAB_SETTINGS.items():
        current.setdefault(plugin, {}).update(values)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(current, indent=2) + "\n", encoding="utf-8")
    return path


def own_pip_can_install_elsewhere():
    """Whether the pip of the Python running course.py can install into another environment
    (``pip --python``, pip 22.3 and newer): then the course's environment needs no pip of its
    own to get uv (ensurepip took 4 s of a 24 s set-up)."""
    try:
        import pip
    except ImportError:
        return False
    version = tuple(int(part) for part in pip.__version__.split(".")[:2] if part.isdigit())
    return version >= (22, 3)


def ensure_pip(python):
    """Put pip into the environment of ``python`` (from Python's own ensurepip) unless it
    has one; returns ``python -m pip``."""
    has_pip = subprocess.run([str(python), "-m", "pip", "--version"], capture_output=True)
    if has_pip.returncode and run([python, "-m", "ensurepip", "--upgrade", "--default-pip"],
                                  stdout=subprocess.DEVNULL):
        sys.exit(f"Could not put pip into {VENV} (ensurepip failed, see above). On "
                 "Debian/Ubuntu install the venv module first: sudo apt install python3-venv")
    return [python, "-m", "pip"]


def install(python):
    """Install requirements.txt (and pip, for the student's own use) into the environment:
    with uv (from PyPI, into the environment; about three times faster than pip: 15 s instead
    of 45 s on 2 cores) and, where uv cannot be had or fails (no PyPI, only a mirror that
    pip's own configuration names), with pip. uv is fetched by the pip that runs course.py
    where it can install into the environment, else by the environment's own pip. Then
    everything is compiled to bytecode (``compile_packages``). Exits with pip's message when
    both installers fail."""
    get_uv = ["install", "-q", "--disable-pip-version-check",
              "--only-binary=:all:", "uv"]  # a wheel or nothing: never a Rust build
    uv = [python, "-m", "uv", "pip", "install", "--python", python, "-r", REQUIREMENTS, "pip"]
    got_uv = own_pip_can_install_elsewhere() and run(
        [sys.executable, "-m", "pip", "--python", python, *get_uv]) == 0
    if not ((got_uv or run([*ensure_pip(python), *get_uv]) == 0) and run(uv) == 0):
        print("uv could not be had or could not install the requirements; installing with "
              "pip (slower) ...", flush=True)
        code = run([*ensure_pip(python), "install", "--disable-pip-version-check",
                    "--no-compile", "-r", REQUIREMENTS])
        if code:
            sys.exit(f"Installing {REQUIREMENTS.name} failed (exit {code}); see pip's message "
                     "above. Nothing else was changed; run the command again when fixed.")
    compile_packages(python)


#: folders of installed packages that nothing of the course imports: their own test suites
NEVER_IMPORTED = r"[/\\]tests?[/\\]"


def compile_packages(python):
    """Compile the environment's packages to bytecode on every core, once, so that every
    process (each kernel, sandboxed or not, each test worker) reads it instead of compiling
    what it imports again (where PYTHONDONTWRITEBYTECODE is set, nothing is ever written
    otherwise, and a sandboxed kernel cannot write). The packages' own test suites are left
    out: a quarter of the source (pandas's alone is 1,000 files), never imported."""
    run([python, "-m", "compileall", "-q", "-j", "0", "-x", NEVER_IMPORTED,
         site_packages(python)], stdout=subprocess.DEVNULL)


def setup():
    if sys.version_info < (3, 10):  # noqa: UP036 (course.py runs on whatever python3 is)
        sys.exit(f"Python 3.10 or newer is needed, this is {sys.version.split()[0]}.")
    python = venv_python()
    if not python.exists():
        print(f"Creating the virtual environment {VENV} ...", flush=True)
        try:
            # without pip: install() gets uv without it (pip comes later, from uv)
            venv.EnvBuilder(with_pip=False, clear=VENV.exists()).create(VENV)
        except (subprocess.CalledProcessError, OSError) as exc:
            sys.exit(f"Could not create {VENV} ({exc}). On Debian/Ubuntu install the venv "
                     "module first: sudo apt install python3-venv")
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != digest:
        install(python)
        STAMP.write_text(digest + "\n")
    # make `import helpers` work in every kernel started from this environment
    (site_packages(python) / "ann_course.pth").write_text(str(ROOT) + "\n")
    write_lab_settings(VENV)
    # bytecode of the course's own modules, so that every kernel, sandboxed or not, reads it
    # instead of compiling them again (where PYTHONDONTWRITEBYTECODE is set, none is written)
    run([python, "-m", "compileall", "-q", "-j", "0", ROOT / "helpers", ROOT / "tests"],
        stdout=subprocess.DEVNULL)
    if run([python, "-m", "helpers", "data"]):
        print("WARNING: MNIST could not be fetched now (see above). Lessons 01-05 work "
              "without it; it is fetched on first use later.", file=sys.stderr)
    return python


#: pytest options that need one process: a debugger, output shown as it comes, a listing
SERIAL = ("--pdb", "--trace", "-s", "--capture=no", "--collect-only", "--co")


def parallel(pytest_args):
    """pytest-xdist options for ``course.py test``: one worker per core (at most 4); each
    notebook, module-scoped fixture and the shared grading run stays on one worker
    (tests/workers.py). None when the arguments choose (-n, --dist, -p no:xdist), need one
    process (SERIAL), or on one core."""
    chosen = any(a.startswith(("-n", "--numprocesses", "--dist")) or a == "no:xdist"
                 or a in SERIAL for a in pytest_args)
    workers = min(4, os.cpu_count() or 1)
    return [] if chosen or workers < 2 else ["-n", str(workers)]


def main(argv):
    if not argv or argv[0] not in ("lab", "test", "site", "setup"):
        print(__doc__)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    python = setup()
    command, rest = argv[0], argv[1:]
    if command == "lab":
        start = ROOT / "notebooks" / "00_start_here.ipynb"
        target = [start.relative_to(ROOT).as_posix()] if start.exists() else []
        return run([python, "-m", "jupyterlab", f"--ServerApp.root_dir={ROOT}", *target, *rest])
    if command == "test":
        return run([python, "-m", "pytest", *parallel(rest), *rest])
    if command == "site":
        return run([python, "-m", "helpers", "site", *rest])
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUTF8", "1")
    sys.exit(main(sys.argv[1:]))
