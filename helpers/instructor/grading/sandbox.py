"""The sandbox a submission's kernel runs in (Linux: bubblewrap), and its resource limits.

``Sandbox(...).command(argv)`` wraps a command so that it runs:
  - in its own namespaces (``bwrap --unshare-all``): its own PID namespace (it sees and can
    signal only its own processes; ``/proc`` is fresh), no network (only loopback; the kernel's
    ZeroMQ sockets are IPC files; abstract Unix sockets are per network namespace), its own
    session (``--new-session``: no terminal injection), its own user namespace as the
    unprivileged uid/gid ``SANDBOX_UID`` with every capability dropped and no further user
    namespaces (``--unshare-user --uid --gid --cap-drop ALL --disable-userns``);
  - on an empty root with only what the kernel needs (``view``), read-only: the system's
    programs and libraries (/usr and its /bin, /lib links), a few files of /etc (``ETC``: users,
    the dynamic linker's cache, fonts, time zone), the Python environment, the course's
    student-facing files (``COURSE``: helpers/, labs/, notebooks/, never solutions/ or .git) and
    its data folder; fresh /proc, a minimal /dev, an empty /tmp. No /run, /var, /home, /root,
    /sys, host sockets or other scratch folders exist in it. Folders to hide (the solutions,
    the graded folders, the outputs, the run's folder of scratch folders) that lie inside a
    kept folder are covered by an empty tmpfs;
  - with a private scratch folder (mode 0700, in a per-run folder of mode 0700 under the
    system temp dir, wherever TMPDIR points) as its only writable place, working directory
    and HOME; a clean environment; and limits: memory (cgroup v1 ``memory`` controller when
    writable, else ``RLIMIT_AS``), number of processes and threads (cgroup ``pids`` when
    writable, else ``RLIMIT_NPROC``), CPU seconds per process (``RLIMIT_CPU``) and file size
    (``RLIMIT_FSIZE``).
``stop()`` kills the sandbox: its PID namespace's init dies, so the kernel and every process it
started (double forks and new sessions included) die with it; processes left in the cgroup are
killed too; then the cgroups and the scratch are removed. ``cleanup()`` does that for every
sandbox still open and removes the run's folder (``grade`` calls it on any exit and signal);
a later run removes what a killed run (SIGKILL, OOM) left behind, by its process id.
``bwrap`` also dies with the grader (``--die-with-parent``).
Without bubblewrap (macOS, Windows, or ``unsafe=True``) the command runs unsandboxed in its
own session with the rlimits only: ``available()`` says why the sandbox cannot be used.
Omits: a disk quota for the scratch folder (only the per-file size limit applies).
"""

import contextlib
import functools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Limits", "Sandbox", "available", "cleanup", "run_folder", "view", "CGROUP_ROOT",
           "SANDBOX_UID", "ETC", "COURSE"]

CGROUP_ROOT = Path("/sys/fs/cgroup")
SANDBOX_UID = 65534  # "nobody" on Debian, Ubuntu, Fedora...
SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
ETC = ("passwd", "group", "nsswitch.conf", "ld.so.cache", "ld.so.conf", "ld.so.conf.d",
       "localtime", "fonts", "alternatives", "mime.types")
COURSE = ("helpers", "labs", "notebooks")
_REPO = Path(__file__).resolve().parents[3]
_RUN_PREFIX = "helpers-grade-run-"
_PROBE = None
_RUN = None
_OPEN = set()  # the sandboxes not yet stopped (``cleanup``)
_LOCK = threading.Lock()

# Runs (with ``python -I -S``) between the grader and bwrap: joins the cgroups, sets the
# rlimits, then becomes the wrapped command. Its only argument is a JSON config.
_LAUNCH = """\
import json, os, resource, sys
cfg = json.loads(sys.argv[1])
for path in cfg["cgroups"]:
    with open(path, "w") as f:
        f.write(str(os.getpid()))
for name, value in cfg["rlimits"].items():
    resource.setrlimit(getattr(resource, name), (value, value))
os.execv(sys.argv[2], sys.argv[2:])
"""


@dataclass
class Limits:
    """Resource limits of one submission (bytes, seconds, processes)."""
    memory: int = 4 << 30
    cpu_seconds: int = 3600
    file_size: int = 1 << 30
    processes: int = 256


def available():
    """``(True, path of bwrap)`` when bubblewrap works here, else ``(False, the reason)``."""
    global _PROBE
    if _PROBE is None:
        path = shutil.which("bwrap")
        if not sys.platform.startswith("linux"):
            _PROBE = (False, f"bubblewrap is Linux-only (this is {sys.platform})")
        elif path is None:
            _PROBE = (False, "bubblewrap (bwrap) is not installed: apt-get install bubblewrap")
        else:
            try:
                probe = subprocess.run([path, *_isolation(path), *view(), "true"],
                                       capture_output=True, timeout=30)
                ok = probe.returncode == 0
                why = probe.stderr.decode(errors="replace").strip()
            except (OSError, subprocess.TimeoutExpired) as exc:
                ok, why = False, str(exc)
            _PROBE = (True, path) if ok else (False, f"bubblewrap does not work here: {why} "
                                                     "(unprivileged user namespaces off?)")
    return _PROBE


@functools.cache
def _isolation(bwrap):
    """bwrap's namespace and privilege options (``--disable-userns`` where bwrap has it)."""
    options = ["--unshare-all", "--unshare-user", "--uid", str(SANDBOX_UID),
               "--gid", str(SANDBOX_UID), "--die-with-parent", "--new-session",
               "--cap-drop", "ALL"]
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        if b"--disable-userns" in subprocess.run([bwrap, "--help"], capture_output=True,
                                                 timeout=30).stdout:
            options.append("--disable-userns")
    return options


def view(keep=()):
    """bwrap options of the file system the kernel sees: the system (``SYSTEM``, links as
    links), ``ETC``, /proc, /dev, an empty /tmp, and the folders ``keep``, read-only."""
    options = []
    for path in SYSTEM:
        if os.path.islink(path):
            options += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            options += ["--ro-bind", path, path]
    for name in ETC:
        if os.path.exists(f"/etc/{name}"):
            options += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    options += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for path in keep:
        options += ["--ro-bind", str(path), str(path)]
    return options


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _remove_stale():
    """Remove the run folders and cgroups of grading runs whose process is gone."""
    pattern = re.compile(re.escape(_RUN_PREFIX) + r"(\d+)-")
    places = [Path(tempfile.gettempdir()), *(CGROUP_ROOT / c for c in ("pids", "memory"))]
    for place in places:
        with contextlib.suppress(OSError):
            for entry in place.iterdir():
                m = pattern.match(entry.name)
                if not m or _alive(int(m.group(1))):
                    continue
                if place.parent == CGROUP_ROOT:
                    for pid in _read_pids(entry):
                        with contextlib.suppress(OSError):
                            os.kill(pid, signal.SIGKILL)
                    with contextlib.suppress(OSError):
                        entry.rmdir()
                elif not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)


def run_folder():
    """This run's folder of scratch folders (mode 0700, under the system temp dir): made on
    first use, after removing what killed runs left."""
    global _RUN
    with _LOCK:
        if _RUN is None or not _RUN.is_dir():
            _remove_stale()
            _RUN = Path(tempfile.mkdtemp(prefix=f"{_RUN_PREFIX}{os.getpid()}-"))
        return _RUN


def cleanup():
    """Stop every sandbox still open and remove the run's folder (on any exit of ``grade``)."""
    global _RUN
    for sandbox in list(_OPEN):
        sandbox.stop()
    with _LOCK:
        if _RUN is not None:
            shutil.rmtree(_RUN, ignore_errors=True)
            _RUN = None


def _cgroup(controller, name, settings):
    """Create a cgroup v1 group and write its settings; None when not possible."""
    base = CGROUP_ROOT / controller
    if not os.access(base, os.W_OK):
        return None
    path = base / name
    try:
        path.mkdir()
        for key, value in settings.items():
            (path / key).write_text(str(value))
    except OSError:
        with contextlib.suppress(OSError):
            path.rmdir()
        return None
    return path


class Sandbox:
    """One submission's sandbox: a scratch folder, cgroups, and the wrapped kernel command.

    ``keep``: folders the kernel needs besides the course's student-facing folders and its
    Python (e.g. the data folder), bound read-only. ``hide``: folders and files the kernel must
    not see (solutions, graded folders, the outputs): absent from the view, and covered (a
    folder by an empty tmpfs, a file by an empty file) where they lie inside a kept folder.
    ``env``: the kernel's environment. ``unsafe``: run without bubblewrap."""

    def __init__(self, limits=None, hide=(), env=None, unsafe=False, keep=()):
        hide_files = [Path(h) for h in hide if Path(h).is_file()]
        self.limits = limits or Limits()
        self.unsafe = unsafe
        run = run_folder()
        self.scratch = Path(tempfile.mkdtemp(prefix="s", dir=run))  # short: AF_UNIX paths
        self.scratch.chmod(0o700)
        name = f"{run.name}.{self.scratch.name}"
        _OPEN.add(self)
        self.cgroups = [p for p in (
            _cgroup("pids", name, {"pids.max": self.limits.processes}),
            _cgroup("memory", name, {"memory.limit_in_bytes": self.limits.memory})) if p]
        for group in self.cgroups:  # no swapping around the memory limit, where swap counts
            with contextlib.suppress(OSError):
                (group / "memory.memsw.limit_in_bytes").write_text(str(self.limits.memory))
        python = [sys.prefix, sys.base_prefix, Path(sys.executable).resolve().parent.parent]
        course = [_REPO / c for c in COURSE]
        self.keep = _outermost(p.resolve() for p in map(Path, [*python, *course, *keep])
                               if p.is_dir())
        hidden = {Path(h).resolve() for h in (*hide, run, Path.home())}
        hidden |= {k / ".git" for k in self.keep} | {_REPO / ".git", _REPO / "solutions"}
        self.hidden = sorted(h for h in hidden if h.is_dir() and any(
            k == h or k in h.parents for k in self.keep))
        self.hidden_files = sorted(str(p.resolve()) for p in hide_files if any(
            k in p.resolve().parents for k in self.keep))
        self.env = dict(env or {})
        self.process = None

    def command(self, argv, args_fd=None):
        """``(command line, options)`` that run ``argv`` in the sandbox: bwrap's options are
        to be written, NUL-separated, to the file descriptor ``args_fd`` (none when unsafe)."""
        rlimits = {"RLIMIT_CPU": self.limits.cpu_seconds, "RLIMIT_FSIZE": self.limits.file_size}
        if not any(p.parent.name == "pids" for p in self.cgroups):
            # RLIMIT_NPROC counts all the user's processes and threads: allow those running
            rlimits["RLIMIT_NPROC"] = self.limits.processes + _user_tasks()
        if not any(p.parent.name == "memory" for p in self.cgroups):
            rlimits["RLIMIT_AS"] = self.limits.memory
        config = {"cgroups": [str(p / "cgroup.procs") for p in self.cgroups],
                  "rlimits": rlimits}
        launch = [sys.executable, "-I", "-S", "-c", _LAUNCH, json.dumps(config)]
        if self.unsafe:
            return [*launch, *argv], []
        ok, bwrap = available()
        if not ok:
            raise RuntimeError(bwrap)
        home = str(self.scratch)
        box = [*_isolation(bwrap), *view(self.keep)]
        for path in self.hidden:
            box += ["--tmpfs", str(path)]
        for path in self.hidden_files:
            box += ["--ro-bind", "/dev/null", path]
        box += ["--bind", home, home, "--chdir", home, "--clearenv"]
        for key, value in {**self.env, "HOME": home, "TMPDIR": home}.items():
            box += ["--setenv", key, str(value)]
        return [*launch, bwrap, "--args", str(args_fd), "--", *argv], box

    def start(self, argv, stdout, stderr):
        """Start ``argv`` in the sandbox (its own session); returns the Popen.

        bwrap's options go through a pipe (``--args``), not its command line: the sandbox's
        init process is a bwrap too, and its /proc/1/cmdline would show the hidden paths.
        Its environment is the kernel's clean one, never the grader's."""
        env = {**self.env, "HOME": str(self.scratch), "TMPDIR": str(self.scratch)}
        read_end, write_end = os.pipe()
        try:
            command, options = self.command(argv, args_fd=read_end)
            with os.fdopen(write_end, "wb") as pipe:
                write_end = None
                pipe.write(b"".join(o.encode() + b"\0" for o in options))
            self.process = subprocess.Popen(command, cwd=str(self.scratch), env=env,
                                            stdin=subprocess.DEVNULL, stdout=stdout,
                                            stderr=stderr, start_new_session=True,
                                            pass_fds=(read_end,))
        finally:
            os.close(read_end)
            if write_end is not None:
                os.close(write_end)
        return self.process

    def out_of_memory(self):
        """True when the memory cgroup hit its limit (why a kernel died, usually)."""
        for group in self.cgroups:
            with contextlib.suppress(OSError, ValueError):
                fields = dict(line.split() for line in
                              (group / "memory.oom_control").read_text().splitlines())
                if int(fields.get("oom_kill", 0)) > 0:
                    return True
        return False

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        """Kill everything the sandbox started, then remove the cgroups and the scratch."""
        if self.process is not None:
            with contextlib.suppress(OSError):
                os.killpg(self.process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=30)
        for group in self.cgroups:
            for _ in range(50):  # the namespace's processes take a moment to go
                pids = _read_pids(group)
                if not pids:
                    break
                for pid in pids:
                    with contextlib.suppress(OSError):
                        os.kill(pid, signal.SIGKILL)
                time.sleep(0.1)
            with contextlib.suppress(OSError):
                group.rmdir()
        shutil.rmtree(self.scratch, ignore_errors=True)
        _OPEN.discard(self)


def _outermost(paths):
    """The paths, sorted, without those inside another one of them."""
    paths = sorted(set(paths))
    return [p for p in paths if not any(q in p.parents for q in paths)]


def _user_tasks():
    """How many processes and threads this user runs now (Linux /proc; 0 elsewhere)."""
    uid, total = os.getuid(), 0
    with contextlib.suppress(OSError):
        for pid in filter(str.isdigit, os.listdir("/proc")):
            with contextlib.suppress(OSError, ValueError):
                status = dict(line.split(":", 1) for line in
                              Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
                if int(status["Uid"].split()[0]) == uid:
                    total += int(status["Threads"])
    return total


def _read_pids(group):
    try:
        return [int(x) for x in (group / "cgroup.procs").read_text().split()]
    except (OSError, ValueError):
        return []
