"""The sandbox a submission's kernel runs in (Linux: bubblewrap), and its resource limits.

``Sandbox(...).command(argv)`` wraps a command so that it runs:
  - in its own namespaces (``bwrap --unshare-all``): its own PID namespace (it sees and can
    signal only its own processes; ``/proc`` is fresh), no network (only loopback; the kernel's
    ZeroMQ sockets are IPC files), its own session (``--new-session``: no terminal injection);
  - on a read-only view of the whole file system (``--ro-bind / /``), with empty tmpfs over
    ``/tmp``, HOME, the solutions folder, the graded folders and the grader's output folder
    (the course, its Python and its data are bound back when one of those holds them);
    a private scratch folder (under the system temp dir, outside the repo) is the only
    writable place on disk, bound as the working directory and HOME;
  - with every capability dropped, a clean environment, and limits: memory (cgroup v1
    ``memory`` controller when writable, else ``RLIMIT_AS``), number of processes and threads
    (cgroup ``pids`` controller when writable; ``RLIMIT_NPROC`` otherwise, which Linux does not
    enforce for root), CPU seconds per process (``RLIMIT_CPU``) and file size
    (``RLIMIT_FSIZE``).
``stop()`` kills the sandbox: its PID namespace's init dies, so the kernel and every process it
started (double forks and new sessions included) die with it; processes left in the cgroup are
killed too. ``bwrap`` also dies with the grader (``--die-with-parent``).
Without bubblewrap (macOS, Windows, or ``unsafe=True``) the command runs unsandboxed in its
own session with the rlimits only: ``available()`` says why the sandbox cannot be used.
Omits: a disk quota for the scratch folder (only the per-file size limit applies).
"""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Limits", "Sandbox", "available", "CGROUP_ROOT"]

CGROUP_ROOT = Path("/sys/fs/cgroup")
_PROBE = None

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
                probe = subprocess.run([path, "--unshare-all", "--die-with-parent",
                                        "--ro-bind", "/", "/", "--proc", "/proc", "true"],
                                       capture_output=True, timeout=30)
                ok = probe.returncode == 0
                why = probe.stderr.decode(errors="replace").strip()
            except (OSError, subprocess.TimeoutExpired) as exc:
                ok, why = False, str(exc)
            _PROBE = (True, path) if ok else (False, f"bubblewrap does not work here: {why} "
                                                     "(unprivileged user namespaces off?)")
    return _PROBE


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

    ``hide``: folders and files the kernel must not see (solutions, graded folders, the
    outputs), besides /tmp and HOME; a hidden file reads as empty. ``keep``: folders the
    kernel needs (besides the course and its Python, e.g. the data folder): when a hidden
    folder contains one, it is bound back, read-only, before the folders inside it are hidden.
    ``env``: the kernel's environment. ``unsafe``: run without bubblewrap."""

    def __init__(self, limits=None, hide=(), env=None, unsafe=False, keep=()):
        hide_files = [Path(h) for h in hide if Path(h).is_file()]
        self.limits = limits or Limits()
        self.unsafe = unsafe
        self.scratch = Path(tempfile.mkdtemp(prefix="helpers-grade-"))
        self.scratch.chmod(0o700)
        name = self.scratch.name
        self.cgroups = [p for p in (
            _cgroup("pids", name, {"pids.max": self.limits.processes}),
            _cgroup("memory", name, {"memory.limit_in_bytes": self.limits.memory})) if p]
        for group in self.cgroups:  # no swapping around the memory limit, where swap counts
            with contextlib.suppress(OSError):
                (group / "memory.memsw.limit_in_bytes").write_text(str(self.limits.memory))
        self.keep = sorted({Path(p).resolve() for p in (
            sys.prefix, sys.base_prefix, Path(__file__).resolve().parents[3], *keep)})
        self.hidden = sorted({Path(h).resolve() for h in (
            "/tmp", Path.home(), *(h for h in hide if Path(h).is_dir()))})
        self.hidden_files = sorted({str(p.resolve()) for p in hide_files})
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
        box = ["--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
               "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev"]
        outer = [h for h in self.hidden if any(h == k or h in k.parents for k in self.keep)]
        for path in outer:  # e.g. HOME holding the course: hidden, then the course bound back
            box += ["--tmpfs", str(path)]
        for path in self.keep:
            if any(o == path or o in path.parents for o in outer):
                box += ["--ro-bind", str(path), str(path)]
        for path in self.hidden:
            if path not in outer:
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
