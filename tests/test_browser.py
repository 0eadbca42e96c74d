"""Browser smoke test: the course notebooks run and their widgets work in a real JupyterLab.

What it does: starts JupyterLab on 127.0.0.1 (a free port, a random token, private settings,
workspace, runtime and data folders, autosave off so the repository's notebooks are never
rewritten), drives Debian's Chromium headless with Playwright's Python package (one page with
JupyterLab loaded for the whole module; each test opens its notebook in it with the
``docmanager:open`` command and closes everything it opened, without saving), and for each
notebook below opens it, clears all outputs (Edit > Clear Outputs of All Cells), runs all
cells (Run > Run All Cells), waits until no prompt shows ``[*]`` and the kernel is idle, then
checks: no traceback or error on stderr, no "Error displaying widget", every code cell ran,
at least one plot image. Then it uses the widgets like a student would:

- lesson 01: moves the b slider of the neuron explorer (keyboard), its table and plot change;
- the Playground (in a two-cell notebook): "step" trains one epoch and redraws the figure;
- lesson 07: a quiz answers "Not quite." to a wrong choice and "Correct!" to the right one;
- a solved lab (solutions/03, 02, ...: the first that exists) runs clean;
- a tiny notebook with ``1/0``: the harness reports the traceback (the checks can fail).

Screenshots go to ``screenshots/`` (git-ignored); their paths are printed (``pytest -s``).
Where Chromium (``/usr/bin/chromium``, or ``$ANN_CHROMIUM``) or the ``playwright`` package is
missing, the tests are skipped with that reason; CI (``.ci/run``) installs Chromium.
``playwright install`` is never needed (it downloads a browser we do not use).
Timeouts: ``$ANN_BROWSER_TIMEOUT`` seconds for one Run All (default 120); a dead kernel or
an unexpected dialog fails at once.

``ANN_BROWSER_ALL=1`` also runs every notebook of notebooks/ and solutions/ in the browser
(slow: minutes) and screenshots each one; by default only the smoke tests above run.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "screenshots"
RUN_TIMEOUT = float(os.environ.get("ANN_BROWSER_TIMEOUT", "120"))
VIEWPORT = {"width": 1280, "height": 1600}
RUN_EVERYTHING = os.environ.get("ANN_BROWSER_ALL", "") == "1"

LESSON = "notebooks/01_neurons.ipynb"
KNOWLEDGE_CHECK = "notebooks/07_knowledge_check.ipynb"
SOLUTIONS = ["solutions/03_sigmoid_network.ipynb", "solutions/02_tanh_network.ipynb",
             "solutions/01_perceptron_mnist.ipynb", "solutions/04_dropout_mnist.ipynb"]

# JupyterLab user settings written into the private settings folder.
LAB_SETTINGS = {
    # never write the repository's notebooks while the test runs them
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
    # no news / update checks (the machine may be offline)
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false",
                                                    "checkForUpdates": False},
    # every cell stays in the page (windowing would drop off-screen cells from the DOM)
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    # no PyPI queries from the extension manager
    "@jupyterlab/extensionmanager-extension:plugin": {"enabled": False},
}

ERROR_RE = re.compile(r"Traceback|\b\w*Error\b")
PROMPT_RE = re.compile(r"^\[(\d+)\]:$")


# =============================================================================== fixtures
def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(url, token, method="GET", timeout=5):
    req = urllib.request.Request(url, method=method,
                                 headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        body = r.read()
    return json.loads(body) if body else None


@pytest.fixture(scope="module")
def lab(sync_api, tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 serving the repository; yields (base_url, token).
    Stops its kernels and the server (its whole process group) afterwards, even on failure."""
    tmp = tmp_path_factory.mktemp("jupyterlab")
    settings = tmp / "settings"
    for plugin, values in LAB_SETTINGS.items():
        path = settings / (plugin.replace(":", "/") + ".jupyterlab-settings")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = dict(os.environ)
    env.update({
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
        "JUPYTER_CONFIG_DIR": str(tmp / "config"),
        "JUPYTER_DATA_DIR": str(tmp / "data"),  # the kernel is this Python's ipykernel
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    })
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}",
           "--ServerApp.terminals_enabled=False",
           # window.jupyterapp: the tests open and close documents in one loaded page
           "--LabApp.expose_app_in_browser=True",
           # offline-safe: no update check against PyPI (news are off in LAB_SETTINGS)
           "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements."
           "NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log_path = tmp / "server.log"
    log = open(log_path, "w")  # noqa: SIM115 (closed in the finally below)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited with code {proc.returncode}:\n"
                            + log_path.read_text()[-3000:])
            try:
                _api(f"{base}/api/status", token)
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not answer within 60 s:\n"
                                + log_path.read_text()[-3000:])
                time.sleep(0.25)
        # the private settings are in force (above all: autosave off, so running a notebook
        # in the browser never rewrites the repository's file)
        for plugin, values in LAB_SETTINGS.items():
            active = _api(f"{base}/lab/api/settings/{plugin}", token)["settings"]
            assert {k: active.get(k) for k in values} == values, (plugin, active)
        yield base, token
    finally:
        _stop_server(proc, base, token)
        log.close()


def _stop_server(proc, base, token):
    """Shut down the kernels, then the server; kill its process group if it lingers."""
    if proc.poll() is None:
        try:
            for kernel in _api(f"{base}/api/kernels", token) or []:
                _api(f"{base}/api/kernels/{kernel['id']}", token, method="DELETE", timeout=15)
            _api(f"{base}/api/shutdown", token, method="POST")
        except (urllib.error.URLError, OSError, ValueError):
            pass
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            _signal_group(proc, "SIGTERM")
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                _signal_group(proc, "SIGKILL")
                proc.wait(timeout=10)


def _signal_group(proc, name):
    """Send a signal to the server's whole process group (POSIX), else kill the process."""
    if hasattr(os, "killpg"):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, getattr(signal, name))
    else:
        proc.kill()


@pytest.fixture(scope="module")
def app(browser, lab):
    """One browser page with JupyterLab loaded (a tall viewport: JupyterLab scrolls inside
    the app), for all tests of the module: loading the app takes seconds, opening a notebook
    in it does not. JavaScript errors of the page are printed (not failed: the output checks
    decide)."""
    base, token = lab
    context = browser.new_context(viewport=VIEWPORT)
    p = context.new_page()
    p.set_default_timeout(30_000)
    p.on("pageerror", lambda exc: print(f"[browser] page error: {exc}"))
    p.on("console", lambda m: m.type == "error" and print(f"[browser] console error: {m.text}"))
    load_app(p, base, token)
    try:
        yield p
    finally:
        context.close()


def load_app(page, base, token):
    """(Re)load JupyterLab in ``page`` with a fresh workspace; returns when it is restored."""
    page.goto(f"{base}/lab?token={token}&reset")
    page.wait_for_function("() => window.jupyterapp", timeout=90_000)
    page.evaluate("() => window.jupyterapp.restored")


CLOSE_ALL_JS = """() => {
  for (const w of [...window.jupyterapp.shell.widgets('main')]) {
    if (w.context && w.context.model) { w.context.model.dirty = false; }
    w.dispose();
  }
}"""


@pytest.fixture
def page(app, lab):
    """The module's JupyterLab page for one test. Afterwards every document it opened is
    closed without saving and the kernels are shut down (a 2-core machine should not keep
    idle kernels of earlier tests); a page that a failed test left with a dialog open is
    loaded again, so the next test starts clean."""
    base, token = lab
    try:
        yield app
    finally:
        with contextlib.suppress(Exception):
            app.evaluate(CLOSE_ALL_JS)
            if app.locator(".jp-Dialog").count():
                load_app(app, base, token)
        try:
            for kernel in _api(f"{base}/api/kernels", token) or []:
                _api(f"{base}/api/kernels/{kernel['id']}", token, method="DELETE",
                     timeout=15)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            print(f"[browser] could not shut down the kernels: {exc}")


@pytest.fixture(scope="module", autouse=True)
def _module_timer():
    start = time.monotonic()
    yield
    print(f"\n[browser] whole module: {time.monotonic() - start:.1f} s")


# ================================================================================ helpers
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

# Everything the checks need, read from the page in one go.
REPORT_JS = """(panel) => {
  const root = document.querySelector(panel);
  if (!root) return null;
  const cells = [...root.querySelectorAll('.jp-Notebook .jp-Cell.jp-CodeCell')].map((c) => {
    const p = c.querySelector('.jp-InputArea-prompt');
    const src = c.querySelector('.jp-InputArea-editor .cm-content');
    return {prompt: p ? p.textContent.trim() : '',
            source: src ? src.innerText : ''};
  });
  const q = (s) => [...root.querySelectorAll(s)];
  return {
    cells,
    stderr: q('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
      .map((e) => e.innerText),
    errors: q('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]')
      .map((e) => e.innerText),
    outputs: q('.jp-OutputArea-output').map((e) => e.innerText),
    images: q('.jp-OutputArea-output img').length,
    status: (root.querySelector('.jp-Notebook-ExecutionIndicator') || {dataset: {}})
      .dataset.status || null,
  };
}"""


def notebook_report(page):
    return page.evaluate(REPORT_JS, PANEL)


def problems(report, need_plot=True):
    """What is wrong with a notebook after Run All, as a list of messages (empty: all good).

    A traceback or an error on stderr, a widget that failed to render, a code cell that did
    not run (its prompt shows no number), no plot image at all (when ``need_plot``).
    Warnings also arrive on stderr; they are not problems (see ``warnings_in``)."""
    found = []
    for text in report["errors"] + report["stderr"]:
        if text in report["errors"] or ERROR_RE.search(text):
            last = ([line for line in text.splitlines() if line.strip()] or [""])[-1]
            found.append(f"error output ({last[:120]}):\n{text[:2000]}")
    for text in report["outputs"]:
        if "Error displaying widget" in text:
            found.append("a widget failed to render: " + text[:300])
        elif "Loading widget" in text:
            found.append("a widget never finished loading: " + text[:300])
    for i, cell in enumerate(report["cells"], start=1):
        if cell["source"].strip() and not PROMPT_RE.match(cell["prompt"]):
            first = cell["source"].strip().splitlines()[0][:80]
            found.append(f"code cell {i} did not run (prompt {cell['prompt']!r}): {first}")
    if need_plot and report["images"] == 0:
        found.append("no plot image was rendered")
    return found


def warnings_in(report):
    """stderr outputs that are not errors (warnings, progress text)."""
    return [t for t in report["stderr"] if not ERROR_RE.search(t)]


def menu_command(page, menu, command):
    """Click a main-menu entry, e.g. ("Edit", "editmenu:clear-all"), like a user would."""
    page.locator(".lm-MenuBar-item", has_text=re.compile(rf"^{menu}$")).click()
    item = page.locator(f'.lm-Menu-item[data-command="{command}"]')
    item.wait_for(state="visible")
    item.click()
    item.wait_for(state="hidden")


def open_notebook(page, base, token, rel_path, timeout=90):
    """Open ``rel_path`` in JupyterLab and wait until its kernel is started, connected to
    the page and idle. (The toolbar's indicator says "idle" before any kernel exists, so
    the server's session list is asked too.)"""
    # awaited, but nothing returned: the opened widget, serialized for Python, is megabytes
    # of JupyterLab's object graph (about 25 CPU-s of this module, in Python and the driver)
    page.evaluate("async (path) => {"
                  " await window.jupyterapp.commands.execute('docmanager:open', {path}); }",
                  rel_path)
    page.wait_for_selector(f"{PANEL} .jp-Notebook .jp-Cell", timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    while True:
        sessions = _api(f"{base}/api/sessions", token)
        kernel = next((s["kernel"] for s in sessions if s["path"] == rel_path), None)
        indicator = page.locator(f"{PANEL} .jp-Notebook-ExecutionIndicator")
        if (kernel and kernel["execution_state"] == "idle" and kernel["connections"] > 0
                and indicator.get_attribute("data-status") == "idle"):
            return
        dialog = page.locator(".jp-Dialog")
        if dialog.count():
            pytest.fail(f"unexpected dialog while opening {rel_path}: "
                        f"{dialog.first.inner_text()}")
        if time.monotonic() > deadline:
            pytest.fail(f"the kernel of {rel_path} was not ready within {timeout} s "
                        f"(session kernel: {kernel})")
        page.wait_for_timeout(250)


WAIT_DONE_JS = """(panel) => {
  const root = document.querySelector(panel);
  const prompts = [...root.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
    .map((p) => p.textContent.trim());
  const ind = root.querySelector('.jp-Notebook-ExecutionIndicator');
  return {started: prompts.some((t) => t !== '[ ]:' && t !== ''),
          busy: prompts.some((t) => t.includes('*')),
          idle: !!ind && ind.dataset.status === 'idle',
          status: ind ? ind.dataset.status : null};
}"""


def run_all(page, timeout=RUN_TIMEOUT):
    """Clear all outputs, run all cells, wait until no cell is queued or running and the
    kernel is idle (Run All stops at the first error, so a failing notebook ends quickly).
    Returns the seconds Run All took; fails the test after ``timeout`` seconds."""
    menu_command(page, "Edit", "editmenu:clear-all")
    page.wait_for_function(
        """(panel) => [...document.querySelectorAll(panel + ' .jp-CodeCell .jp-InputArea-prompt')]
             .every((p) => ['[ ]:', ''].includes(p.textContent.trim()))""", arg=PANEL)
    start = time.monotonic()
    menu_command(page, "Run", "runmenu:run-all")
    deadline = start + timeout
    started, quiet_since = False, None
    while True:
        state = page.evaluate(WAIT_DONE_JS, PANEL)
        started = started or state["started"] or state["busy"]
        done = started and not state["busy"] and state["idle"]
        now = time.monotonic()
        if done:
            quiet_since = quiet_since or now
            if now - quiet_since >= 1.0:  # stays done for a second: really finished
                seconds = now - start
                # widget views render after their output arrives: give them time
                with contextlib.suppress(Exception):
                    page.wait_for_function(
                        """(panel) => ![...document.querySelectorAll(
                             panel + ' .jp-OutputArea-output')]
                           .some((e) => e.innerText.includes('Loading widget'))""",
                        arg=PANEL, timeout=20_000)
                return seconds
        else:
            quiet_since = None
        if state["status"] == "dead":
            pytest.fail("the kernel died during Run All")
        dialog = page.locator(".jp-Dialog")
        if dialog.count():
            pytest.fail(f"unexpected dialog during Run All: {dialog.first.inner_text()}")
        if now > deadline:
            report = notebook_report(page)
            stuck = [c["prompt"] for c in report["cells"]]
            pytest.fail(f"Run All did not finish within {timeout:.0f} s; prompts: {stuck}")
        page.wait_for_timeout(250)


def wait_idle(page, timeout=60, quiet=1.0):
    """Wait until the notebook's kernel has been idle for ``quiet`` seconds (widget
    callbacks run in the kernel; their last redraw arrives before it turns idle)."""
    deadline = time.monotonic() + timeout
    indicator = page.locator(f"{PANEL} .jp-Notebook-ExecutionIndicator")
    since = None
    while True:
        now = time.monotonic()
        if indicator.get_attribute("data-status") == "idle":
            since = since or now
            if now - since >= quiet:
                return
        else:
            since = None
        if now > deadline:
            pytest.fail(f"the kernel stayed busy for more than {timeout} s")
        page.wait_for_timeout(100)


@contextlib.contextmanager
def temp_notebook(name, cells):
    """A notebook of ``cells`` (code sources) under screenshots/ (git-ignored, inside the
    server's root); yields its path relative to the repository; removed afterwards."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"tmp_{name}_{secrets.token_hex(4)}.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    try:
        yield path.relative_to(ROOT).as_posix()
    finally:
        path.unlink(missing_ok=True)


def screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"browser_{name}.png"
    page.screenshot(path=str(path))
    print(f"[browser] screenshot: {path}")
    return path


def show(locator):
    """Scroll the notebook so ``locator`` is in view (JupyterLab scrolls inside the app)."""
    locator.scroll_into_view_if_needed()
    locator.page.wait_for_timeout(300)


def run_notebook_and_check(page, lab, rel_path, need_plot=True, timeout=RUN_TIMEOUT):
    """Open, clear, run all, check; returns the report. Fails with every problem found.
    The notebook file on disk must be unchanged afterwards (autosave is off)."""
    path = ROOT / rel_path
    before = path.stat().st_mtime_ns
    start = time.monotonic()
    open_notebook(page, *lab, rel_path)
    opened = time.monotonic() - start
    seconds = run_all(page, timeout=timeout)
    report = notebook_report(page)
    name = Path(rel_path).stem
    print(f"\n[browser] {rel_path}: opened with an idle kernel in {opened:.1f} s, "
          f"Run All took {seconds:.1f} s, "
          f"{len(report['cells'])} code cells, {report['images']} images")
    for text in warnings_in(report):
        print(f"[browser] {rel_path}: stderr (not an error): {text[:300]!r}")
    found = problems(report, need_plot=need_plot)
    if found:
        screenshot(page, f"{name}_failed")
    assert not found, f"{rel_path}:\n" + "\n".join(found)
    if path.stat().st_mtime_ns != before:  # autosave is off (checked): someone else wrote it
        print(f"[browser] note: {rel_path} changed on disk while the test ran")
    return report


def existing(paths, reason):
    for p in paths:
        if (ROOT / p).exists():
            return p
    pytest.skip(f"{reason}: none of {', '.join(paths)} exists yet")


# ================================================================================== tests
def test_lesson_runs_and_neuron_slider_updates(page, lab):
    """Lesson 01 runs clean in JupyterLab; moving the neuron explorer's b slider changes its
    table of outputs and its plot."""
    run_notebook_and_check(page, lab, existing([LESSON], "lesson 01"))
    explorer = page.locator(f"{PANEL} .neuron-explorer").first
    explorer.wait_for(state="visible")
    show(explorer)
    screenshot(page, "01_neurons_explorer")
    table = explorer.locator(".neuron-table")
    image = explorer.locator(".neuron-output img").first
    image.wait_for(state="visible")
    table_before, src_before = table.inner_text(), image.get_attribute("src")
    # keyboard on the focused handle of the b slider: one step of 0.1 per key press
    handle = explorer.locator(".neuron-b .noUi-handle").first
    handle.focus()
    for _ in range(3):
        handle.press("ArrowRight")
    # the kernel redraws once per key press; wait for the last one (b = -1.2)
    page.wait_for_function(
        """([sel, before]) => { const t = document.querySelector(sel);
             return t && t.innerText !== before && t.innerText.includes('-1.20'); }""",
        arg=[f"{PANEL} .neuron-explorer .neuron-table", table_before], timeout=20_000)
    page.wait_for_function(
        """([sel, before]) => { const i = document.querySelector(sel);
             return i && i.getAttribute('src') !== before; }""",
        arg=[f"{PANEL} .neuron-explorer .neuron-output img", src_before], timeout=20_000)
    # d3-format writes a real minus sign
    readout = explorer.locator(".neuron-b .widget-readout").inner_text().strip()
    readout = readout.replace("\u2212", "-")
    wait_idle(page)
    assert readout == "-1.2", f"b slider readout after 3 steps: {readout!r}"
    assert "-1.20" in table.inner_text()  # net input of (0, 0) is now b = -1.2
    screenshot(page, "01_neurons_slider_moved")


def test_playground_step_button(page, lab):
    """The Playground's "step" button trains one epoch (the status line counts it) and
    redraws the figure. A two-cell notebook keeps this fast; the lessons that show the
    Playground (04, 05) run in full with ANN_BROWSER_ALL=1 (and always under nbval)."""
    with temp_notebook("playground", [
            "from helpers.widgets import Playground",
            "Playground(dataset='circles', hidden_layers=1, units=4, seed=0)"]) as rel:
        run_notebook_and_check(page, lab, rel)
        pg = page.locator(f"{PANEL} .playground").first
        pg.wait_for(state="visible")
        show(pg)
        epoch = pg.locator(".playground-epoch")
        before = epoch.inner_text()
        match = re.search(r"epoch (\d+)", before)
        assert match, f"Playground status line: {before!r}"
        image = pg.locator(".playground-output img").first
        src_before = image.get_attribute("src")
        pg.locator("button.playground-step").click()
        expected = f"epoch {int(match.group(1)) + 1} "
        page.wait_for_function(
            """([sel, text]) => { const e = document.querySelector(sel);
                 return e && e.innerText.includes(text); }""",
            arg=[f"{PANEL} .playground .playground-epoch", expected], timeout=30_000)
        wait_idle(page)
        assert image.get_attribute("src") != src_before, "the Playground figure was not redrawn"
        screenshot(page, "playground")


def test_knowledge_check_quiz_feedback(page, lab):
    """The knowledge check runs clean; a quiz answers "Not quite." to a wrong choice (naming
    the right letter) and "Correct!" to the right one."""
    rel = existing([KNOWLEDGE_CHECK], "the knowledge check")
    run_notebook_and_check(page, lab, rel, need_plot=False)
    quiz = page.locator(f"{PANEL} .quiz").first
    quiz.wait_for(state="visible")
    show(quiz)
    radios = quiz.locator(".widget-radio-box [role=radio], .widget-radio-box input[type=radio]")
    feedback = quiz.locator(".quiz-feedback")
    check = quiz.locator("button.widget-button", has_text="Check")

    def answer(index, previous=""):
        """Choose option ``index``, press Check, return the new feedback text."""
        radios.nth(index).check()
        check.click()
        page.wait_for_function(
            """([el, previous]) => /Correct!|Not quite\\./.test(el.innerText)
                                   && el.innerText !== previous""",
            arg=[feedback.element_handle(), previous], timeout=20_000)
        return feedback.inner_text().strip()

    first = answer(0)
    if first.startswith("Correct!"):
        wrong = answer(1, first)
        assert wrong.startswith("Not quite."), wrong
        answer(0, wrong)  # end on the right answer (screenshot)
    else:
        assert first.startswith("Not quite."), first
        letter = re.search(r"right answer is ([a-z]):", first)
        assert letter, f"the feedback does not name the right answer: {first!r}"
        right = answer(ord(letter.group(1)) - ord("a"), first)
        assert right.startswith("Correct!"), right
    screenshot(page, "07_knowledge_check_quiz")


def test_solution_runs(page, lab):
    """A solved lab runs clean in JupyterLab."""
    rel = existing(SOLUTIONS, "a solution notebook")
    run_notebook_and_check(page, lab, rel)
    show(page.locator(f"{PANEL} .jp-OutputArea-output img").first)
    screenshot(page, Path(rel).stem)


def test_harness_detects_a_failing_notebook(page, lab):
    """A notebook raising ZeroDivisionError is reported (the checks can fail), quickly."""
    cells = ["x = 1\nprint('before')", "1/0", "print('never runs')"]
    with temp_notebook("failing", cells) as rel:
        open_notebook(page, *lab, rel)
        seconds = run_all(page, timeout=60)
        report = notebook_report(page)
    found = problems(report)
    print(f"\n[browser] failing notebook: Run All ended after {seconds:.1f} s; problems "
          "reported:\n  " + "\n  ".join(f.splitlines()[0] for f in found))
    assert seconds < 30
    assert any("ZeroDivisionError" in f and "error output" in f for f in found), found
    assert any("code cell 3 did not run" in f for f in found), found
    assert "no plot image was rendered" in found


def test_a_wrong_answer_shows_the_short_feedback_box(page, lab):
    """A lab check that fails shows one short box (what failed, expected vs got, a hint)
    and no traceback of the course's code; the student's own error shows their line; a check
    run before its exercise says which cell to run."""
    cells = ["import numpy as np\nfrom helpers.checks import sigmoid as checks",
             "def sigmoid(x):\n    return np.tanh(x)",
             "checks.check_sigmoid(sigmoid)",
             "import math\ndef sigmoid_derivative(output):\n    return math.exp(output)",
             "checks.check_sigmoid_derivative(sigmoid_derivative)",
             "checks.check_sigmoid(sigmoid_not_run_yet)"]
    boxes = []
    with temp_notebook("wrong_answer", cells) as rel:
        open_notebook(page, *lab, rel)
        # Run All stops at the first error: run the cells one by one, as a student does
        page.locator(f"{PANEL} .jp-Notebook .jp-CodeCell").first.click()
        for _ in cells:
            page.keyboard.press("Shift+Enter")
            wait_idle(page, quiet=0.5)
        report = notebook_report(page)
        boxes = report["errors"] + report["stderr"]
        show(page.locator(f"{PANEL} .jp-OutputArea-output").last)
        screenshot(page, "lab_check_feedback")
    assert len(boxes) == 3, boxes
    values, raised, too_early = boxes
    assert too_early.startswith("✘ sigmoid_not_run_yet is not defined yet"), too_early
    # np.tanh is the common mistake the check knows by its values: it is named
    assert values.startswith("✘ sigmoid(x): wrong answer: this looks like"), values
    assert "tanh" in values.splitlines()[0], values
    assert "expected:" in values and "got:" in values and "hint:" in values
    assert "math.exp" in raised and "line 3: return math.exp(output)" in raised, raised
    for box in boxes:
        assert len(box.splitlines()) <= 12, box
        for course_code in ("Traceback", "helpers/checks", "File ", "np.float64("):
            assert course_code not in box, box


ALL_NOTEBOOKS = sorted(p.relative_to(ROOT).as_posix() for folder in ("notebooks", "solutions")
                       for p in (ROOT / folder).glob("*.ipynb"))


@pytest.mark.skipif(not RUN_EVERYTHING,
                    reason="set ANN_BROWSER_ALL=1 to run every notebook in the browser (slow)")
@pytest.mark.parametrize("rel", ALL_NOTEBOOKS or ["notebooks/(none)"])
def test_every_notebook_in_the_browser(page, lab, rel):
    """Every lesson and solved lab runs clean in JupyterLab (opt-in: ANN_BROWSER_ALL=1)."""
    existing([rel], rel)
    report = run_notebook_and_check(page, lab, rel, need_plot=False,
                                    timeout=max(RUN_TIMEOUT, 300))
    if report["images"]:
        show(page.locator(f"{PANEL} .jp-OutputArea-output img").first)
    screenshot(page, "all_" + Path(rel).stem)
    for widget in ("playground", "neuron-explorer", "activation-explorer", "quiz"):
        view = page.locator(f"{PANEL} .{widget}")
        if view.count():
            show(view.first)
            screenshot(page, f"all_{Path(rel).stem}_{widget}")


def test_correct_answers_written_differently_pass_in_jupyterlab(page, lab):
    """A student whose code is right but not the solution's (loops instead of matrix products,
    np.eye for one-hot, np.where for the dropout mask) sees every check pass in JupyterLab."""
    cells = [
        "import numpy as np\nfrom helpers.checks import lesson03, dropout",
        "def hidden_delta(delta_out, W_out, h):\n"
        "    out = np.zeros_like(h)\n"
        "    for n in range(h.shape[0]):\n"
        "        for j in range(h.shape[1]):\n"
        "            back = sum(delta_out[n, k] * W_out[j, k] for k in range(W_out.shape[1]))\n"
        "            out[n, j] = back * h[n, j] * (1 - h[n, j])\n"
        "    return out",
        "lesson03.check_hidden_delta(hidden_delta)",
        "def one_hot(y, num_classes):\n    return np.eye(num_classes)[y]",
        "dropout.check_one_hot(one_hot)",
        "def dropout_forward(x, keep_prob, rng):\n"
        "    mask = rng.random(x.shape, dtype=x.dtype) < keep_prob\n"
        "    return np.where(mask, x / keep_prob, 0).astype(x.dtype), mask",
        "dropout.check_dropout_forward(dropout_forward)",
    ]
    with temp_notebook("variants", cells) as rel:
        open_notebook(page, *lab, rel)
        page.locator(f"{PANEL} .jp-Notebook .jp-CodeCell").first.click()
        for _ in cells:
            page.keyboard.press("Shift+Enter")
            wait_idle(page, quiet=0.5)
        report = notebook_report(page)
        screenshot(page, "lab_variants_pass")
    assert report["errors"] == [] and problems(report, need_plot=False) == [], report["errors"]
    passed = [t for t in report["outputs"] if t.startswith("✔")]
    assert len(passed) == 3, report["outputs"]
