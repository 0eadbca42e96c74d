"""Tests of the packaging and set-up: pyproject.toml and requirements.txt agree, pytest's
markers are registered, a wheel built from the tree holds every subpackage of helpers/, and
course.py's JupyterLab settings (no news pop-up) merge into an environment's overrides.

The wheel test is ``slow`` (it builds a wheel with pip, about 10 s). Installing that wheel
into a fresh virtual environment was checked by hand (see the integrator's notes); it needs
the network for the dependencies, so it is not a test.
"""

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from 3.11")

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")


def parse(line):
    """'numpy>=1.26,<3' -> ('numpy', '<3,>=1.26'): normalised name, sorted specifiers."""
    match = REQUIREMENT.match(line.strip())
    assert match, f"cannot parse requirement {line!r}"
    name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    specs = ",".join(sorted(s.replace(" ", "") for s in match.group(3).split(",") if s.strip()))
    return name, specs


def requirements_txt():
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [parse(ln) for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def test_parse_normalises_names_and_orders_bounds():
    assert parse("Foo_Bar >= 1.0, <2") == ("foo-bar", "<2,>=1.0")
    assert parse("nbval>=0.11,<0.12") == parse("nbval<0.12,>=0.11")
    assert parse("numpy>=1.26,<3") != parse("numpy>=1.26,<2")


def test_requirements_txt_is_runtime_plus_the_test_extra():
    runtime = [parse(r) for r in PYPROJECT["project"]["dependencies"]]
    test = [parse(r) for r in PYPROJECT["project"]["optional-dependencies"]["test"]]
    listed = requirements_txt()
    assert len(set(listed)) == len(listed), "a requirement is listed twice"
    assert sorted(listed) == sorted(runtime + test), (
        "requirements.txt must list exactly [project.dependencies] + the 'test' extra, with "
        "the same bounds"
    )
    assert not {n for n, _ in runtime} & {n for n, _ in test}, "a package is in both lists"


def test_test_tools_are_not_runtime_dependencies():
    runtime = {parse(r)[0] for r in PYPROJECT["project"]["dependencies"]}
    assert {"numpy", "jupyterlab", "ipywidgets"} <= runtime
    assert not {"pytest", "nbval", "playwright", "ruff"} & runtime


def test_markers_are_registered():
    markers = PYPROJECT["tool"]["pytest"]["ini_options"]["markers"]
    assert {m.split(":")[0] for m in markers} >= {"slow", "notebooks", "browser"}


def subpackages():
    """Every folder of helpers/ that holds Python files, as wheel paths."""
    return sorted(
        p.relative_to(ROOT).as_posix()
        for p in [ROOT / "helpers", *(ROOT / "helpers").rglob("*")]
        if p.is_dir() and p.name != "__pycache__" and any(p.glob("*.py"))
    )


@pytest.mark.slow
def test_wheel_holds_every_subpackage(tmp_path):
    # build from a copy, so the build/ and *.egg-info folders never land in the repository
    src = tmp_path / "src"
    shutil.copytree(ROOT / "helpers", src / "helpers",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "-q", "-w", str(tmp_path / "dist"), str(src)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("ann_course_helpers-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    folders = subpackages()
    assert {"helpers", "helpers/checks", "helpers/data", "helpers/widgets"} <= set(folders)
    for folder in folders:
        for source in (ROOT / folder).glob("*.py"):
            assert f"{folder}/{source.name}" in names, f"{folder}/{source.name} not in {wheel.name}"
    data = [p for p in (ROOT / "helpers").rglob("*.*") if p.suffix in (".csv", ".css", ".json")]
    assert len(data) >= 3                                   # the study order, style, full runs
    for path in data:                                       # package-data forgets none
        assert path.relative_to(ROOT).as_posix() in names, f"{path.name} not in {wheel.name}"
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "Requires-Dist: numpy" in text and "extra == \"test\"" in text


def course_module():
    """course.py at the repository's root, imported (it runs nothing on import)."""
    sys.path.insert(0, str(ROOT))
    try:
        import course
    finally:
        sys.path.remove(str(ROOT))
    return course


def test_course_test_runs_on_every_core_unless_the_arguments_say_otherwise(monkeypatch):
    course = course_module()
    monkeypatch.setattr(course.os, "cpu_count", lambda: 8)
    assert course.parallel(["-m", "not slow", "-x"]) == ["-n", "4"]
    for args in (["-n", "0"], ["-n3"], ["--dist", "no"], ["-p", "no:xdist"], ["-s"], ["--pdb"]):
        assert course.parallel(args) == [], args
    monkeypatch.setattr(course.os, "cpu_count", lambda: 1)
    assert course.parallel([]) == []


def test_course_setup_turns_jupyterlab_news_off_and_keeps_other_overrides(tmp_path):
    course = course_module()
    path = course.write_lab_settings(tmp_path)
    assert path == tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    plugin = "@jupyterlab/apputils-extension:notification"
    assert json.loads(path.read_text())[plugin] == {"fetchNews": "false",
                                                    "checkForUpdates": False}
    path.write_text(json.dumps({"other": {"a": 1}, plugin: {"doNotDisturbMode": True}}))
    merged = json.loads(course.write_lab_settings(tmp_path).read_text())
    assert merged["other"] == {"a": 1}
    assert merged[plugin] == {"doNotDisturbMode": True, "fetchNews": "false",
                              "checkForUpdates": False}


def no_pip_python(folder):
    """A stand-in for an environment's python whose ``-m pip --version`` fails (no pip)."""
    python = folder / "python"
    python.write_text("#!/bin/sh\nexit 1\n")
    python.chmod(0o755)
    return python


@pytest.mark.parametrize("own_pip", [True, False])
@pytest.mark.parametrize("fails", ["none", "own_pip", "uv_itself", "uv_install", "pip_too"])
def test_course_setup_installs_with_uv_and_falls_back_to_pip(monkeypatch, tmp_path, fails,
                                                             own_pip):
    """uv comes from the pip running course.py where that pip can install elsewhere, else from
    the environment's own pip (put there by ensurepip); pip installs where uv fails."""
    course = course_module()
    calls = []
    broken = {"own_pip": ["pip --python"], "uv_itself": ["pip --python", "pip install -q"],
              "uv_install": ["uv pip install"],
              "pip_too": ["pip --python", "pip install -q", "pip install --disable-pip"]}

    def run(cmd, **kw):
        cmd = [str(c) for c in cmd]
        call = " ".join(cmd[2:5])
        calls.append(call)
        return 1 if call.startswith(tuple(broken.get(fails, ()))) else 0

    monkeypatch.setattr(course, "run", run)
    monkeypatch.setattr(course, "own_pip_can_install_elsewhere", lambda: own_pip)
    monkeypatch.setattr(course, "site_packages", lambda python: tmp_path)
    python = no_pip_python(tmp_path)
    if fails == "pip_too":
        with pytest.raises(SystemExit, match="Installing requirements.txt failed"):
            course.install(python)
        return
    course.install(python)
    uv_elsewhere = ["pip --python " + str(python)] if own_pip else []
    own = ["ensurepip --upgrade --default-pip", "pip install -q"]
    uv = "uv pip install"
    with_pip = ["ensurepip --upgrade --default-pip", "pip install --disable-pip-version-check"]
    compiled = "compileall -q -j"  # after either installer
    expected = {
        "none": [*uv_elsewhere, uv] if own_pip else [*own, uv],
        "own_pip": [*uv_elsewhere, *own, uv],
        "uv_itself": [*uv_elsewhere, *own, *with_pip],
        "uv_install": [*uv_elsewhere, uv, *with_pip] if own_pip else [*own, uv, *with_pip],
    }[fails] + [compiled]
    assert calls == expected


def test_course_setup_says_what_to_install_when_ensurepip_fails(monkeypatch, tmp_path):
    course = course_module()
    monkeypatch.setattr(course, "run", lambda cmd, **kw: 1)
    monkeypatch.setattr(course, "own_pip_can_install_elsewhere", lambda: False)
    with pytest.raises(SystemExit, match="python3-venv"):
        course.install(no_pip_python(tmp_path))


def test_setup_compiles_every_package_but_their_test_suites():
    never = re.compile(course_module().NEVER_IMPORTED)
    for path in ("/v/site-packages/pandas/tests/frame/test_api.py", r"C:\v\numpy\tests\a.py",
                 "/v/site-packages/tornado/test/web_test.py"):
        assert never.search(path), path
    for path in ("/v/site-packages/numpy/testing/__init__.py", "/v/_pytest/python.py",
                 "/v/site-packages/attests/x.py", "/v/site-packages/pytest_x/test_y.py"):
        assert not never.search(path), path


def test_the_running_pip_is_asked_only_from_22_3(monkeypatch):
    course = course_module()
    import pip
    for version, can in (("22.2.2", False), ("22.3", True), ("23.2.1", True), ("26.0b1", True)):
        monkeypatch.setattr(pip, "__version__", version)
        assert course.own_pip_can_install_elsewhere() is can, version


def test_importing_nbformat_compiles_no_grammar():
    """jsonschema 4.25+ imports rfc3987-syntax, which builds a parser for 1.5 s in every
    process that imports nbformat (JupyterLab, the grader, nbval): requirements.txt keeps
    jsonschema below 4.25."""
    code = "import sys, nbformat; print('rfc3987_syntax' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False", done.stdout
