"""A student's kernel in its sandbox, as the grader drives it: run cells, answer requests.

``StudentKernel`` starts ``ipykernel`` inside a ``Sandbox`` with ZeroMQ over IPC socket files
in the sandbox's scratch folder (the kernel has no network) and connects a client whose
receive side is bounded: ZeroMQ refuses a message over ``max_message`` bytes and queues at
most ``HWM`` messages per socket, and the kernel's output over a whole submission is capped at
``max_output`` bytes and ``max_messages`` messages, counted on the raw frames before anything
is decoded (a kernel that floods is stopped; its submission's row says so). It runs the
submission's cells one by one with a timeout each (an over-long cell is interrupted through
the control channel; a kernel that ignores that is stopped), and carries the remote-check
requests (``send``, the transport of ``helpers.checks.remote.Channel``): the first request
executes ``helpers.checks.serve.listen()`` in the kernel and opens a comm to its target;
each request is then one comm message and the reply the comm message the kernel sends
back (``serve.reply_text``). Everything the kernel sends is data: it is
size-limited, and any malformed or missing reply is a ``RemoteError`` (a failed check).
Omits: deciding anything (``run`` does).
"""

import contextlib
import importlib.util
import os
import shutil
import sys
import time
import uuid
from pathlib import Path
from queue import Empty

import zmq
from jupyter_client import BlockingKernelClient
from jupyter_client.connect import write_connection_file

from helpers.checks.remote import RemoteError
from helpers.checks.serve import TARGET

from .build_labs import first_line

__all__ = ["StudentKernel", "KernelGoneError"]

_LISTEN = "__import__('helpers.checks.serve', fromlist=['listen']).listen()"


class KernelGoneError(RuntimeError):
    """The kernel died, or hung and was stopped: nothing more can run in it."""


HWM = 16  # messages queued per socket (ZeroMQ high-water mark)
MAX_MESSAGE = 40 << 20  # bytes: a reply of the wire's largest size (wire.MAX_REPLY) fits


class StudentKernel:
    """The kernel of one submission. ``max_message``: the largest message accepted (bytes);
    ``max_output``/``max_messages``: what the kernel may publish in all."""

    def __init__(self, sandbox, startup_timeout=120.0, max_message=MAX_MESSAGE,
                 max_output=256 << 20, max_messages=200_000):
        self.sandbox = sandbox
        self.startup_timeout = startup_timeout
        self.max_message = max_message
        self.max_output = max_output
        self.max_messages = max_messages
        self.received = [0, 0]  # bytes, messages
        self.client = None
        self.context = None
        self.gone = ""  # why the kernel cannot be used any more ("" while it can)
        self.comm_id = None  # the comm of the remote checks, once open

    def start(self):
        scratch = self.sandbox.scratch
        connection = scratch / "kernel.json"
        write_connection_file(str(connection), transport="ipc", ip=str(scratch / "zmq"),
                              key=os.urandom(32).hex().encode())
        seed_font_cache(scratch)
        log = open(scratch / "kernel.log", "wb")  # noqa: SIM115 - closed by the Popen's end
        self.sandbox.start([sys.executable, "-m", "ipykernel_launcher", "-f", str(connection),
                            "--HistoryManager.enabled=False"], stdout=log, stderr=log)
        log.close()
        self.context = zmq.Context()
        self.context.setsockopt(zmq.MAXMSGSIZE, self.max_message)
        self.context.setsockopt(zmq.RCVHWM, HWM)
        self.context.setsockopt(zmq.SNDHWM, HWM)
        self.client = BlockingKernelClient(connection_file=str(connection), context=self.context)
        self.client.load_connection_file()
        self.client.start_channels()
        deadline = time.monotonic() + self.startup_timeout
        while True:  # wait_for_ready, but stop at once when the kernel dies
            if not self.sandbox.alive():
                raise KernelGoneError(f"the kernel did not start: {self._log_tail()}")
            with contextlib.suppress(RuntimeError):
                self.client.wait_for_ready(timeout=2)
                return
            if time.monotonic() > deadline:
                raise KernelGoneError("the kernel did not start in time")

    def _log_tail(self):
        with contextlib.suppress(OSError):
            lines = (self.sandbox.scratch / "kernel.log").read_text(errors="replace").split("\n")
            return first_line("\n".join(reversed(lines))) or "no message"
        return "no message"

    def _shell(self, msg_type, content):
        """Send one request of ``msg_type`` on the shell channel; returns its msg_id."""
        if self.gone:
            raise KernelGoneError(self.gone)
        msg = self.client.session.msg(msg_type, content)
        self.client.shell_channel.send(msg)
        return msg["header"]["msg_id"]

    def _run(self, msg_id, timeout, want_reply):
        """Wait for the end of the request ``msg_id``; returns ``(error, reply,
        interrupted)``: the error as 'Name: value' (or ""), the reply text of the first comm
        message on the remote checks' comm (or None), and whether the time ran out (the
        request was interrupted)."""
        deadline = time.monotonic() + timeout
        error, reply, done, interrupted = "", None, False, False
        while not done:
            if time.monotonic() > deadline:
                if interrupted:
                    self.gone = f"the kernel ignored an interrupt after {timeout:g} s (stopped)"
                    self.stop()
                    raise KernelGoneError(self.gone)
                interrupted = True
                error = f"TimeoutError: the cell ran longer than {timeout:g} s (interrupted)"
                msg = self.client.session.msg("interrupt_request", {})
                self.client.control_channel.send(msg)
                deadline = time.monotonic() + 10
            try:
                msg = self._next_message(timeout=0.5)
            except Empty:
                if not self.sandbox.alive():
                    self.gone = "the kernel died" + (
                        f": it ran out of memory (the limit is {self.sandbox.limits.memory >> 20}"
                        " MiB)" if self.sandbox.out_of_memory() else "")
                    raise KernelGoneError(self.gone) from None
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg.get("msg_type"), msg.get("content", {})
            if kind == "error" and not interrupted:
                error = f"{content.get('ename', '')}: {first_line(content.get('evalue', ''))}"
            elif kind == "comm_msg" and want_reply and reply is None \
                    and content.get("comm_id") == self.comm_id:
                data = content.get("data", {}).get("reply")
                reply = data if isinstance(data, str) else None
            elif kind == "status" and content.get("execution_state") == "idle":
                done = True
        return error.strip(": "), reply, interrupted

    def _next_message(self, timeout):
        """The next iopub message, its size counted (raw frames) before it is decoded."""
        socket = self.client.iopub_channel.socket
        if not socket.poll(int(timeout * 1000)):
            raise Empty
        frames = socket.recv_multipart(copy=True)
        self.received[0] += sum(len(f) for f in frames)
        self.received[1] += 1
        if self.received[0] > self.max_output or self.received[1] > self.max_messages:
            self.gone = (f"the kernel flooded the grader with output (over "
                         f"{self.max_output >> 20} MiB or {self.max_messages} messages; stopped)")
            self.stop()
            raise KernelGoneError(self.gone)
        session = self.client.session
        return session.deserialize(session.feed_identities(frames)[1])

    def run_cell(self, source, timeout):
        """Run one cell; returns its error as one line ('' when it ran without one)."""
        msg_id = self._shell("execute_request", {
            "code": source, "silent": False, "store_history": False, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True})
        return self._run(msg_id, timeout, want_reply=False)[0]

    def _open_comm(self, timeout):
        """Make the kernel listen (``serve.listen``) and open the remote checks' comm; returns
        the error that stopped it ('' when the comm is open)."""
        error = self.run_cell(_LISTEN, timeout)
        if not error:
            comm_id = uuid.uuid4().hex
            opened = self._shell("comm_open", {"comm_id": comm_id, "target_name": TARGET,
                                               "data": {}})
            error = self._run(opened, timeout, want_reply=False)[0]
            self.comm_id = None if error else comm_id
        return error

    def send(self, text, timeout):
        """The transport of a remote check: one request, its reply's text."""
        try:
            error = self._open_comm(timeout) if self.comm_id is None else ""
            reply, interrupted = None, False
            if not error:
                request = self._shell("comm_msg", {"comm_id": self.comm_id,
                                                   "data": {"request": text}})
                error, reply, interrupted = self._run(request, timeout, want_reply=True)
        except KernelGoneError as exc:
            raise RemoteError(f"your kernel stopped answering: {exc}") from None
        if interrupted:
            raise RemoteError(f"your code did not finish within {timeout:g} s (interrupted): "
                              "an endless loop, or far too much work for the check's inputs?")
        if reply is None:
            raise RemoteError("your kernel gave no answer to the grader"
                              + (f" ({error})" if error else ""))
        return reply

    def stop(self):
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.stop_channels()
        if self.context is not None:
            with contextlib.suppress(Exception):
                self.context.destroy(linger=0)
        self.sandbox.stop()
        self.gone = self.gone or "the kernel was stopped"


def seed_font_cache(home):
    """Put the grader's matplotlib font list into a new kernel's home (``~/.cache/matplotlib``,
    where matplotlib looks with HOME set to the scratch folder): without it every kernel that
    imports pyplot scans the system's fonts again (a quarter of a second). Built once per
    grader process; the kernel sees the same font paths (the system and Python are in its
    view)."""
    from matplotlib import font_manager, get_cachedir  # noqa: F401 - loads or builds the list

    target = Path(home) / ".cache" / "matplotlib"
    target.mkdir(parents=True, exist_ok=True)
    for path in Path(get_cachedir()).glob("fontlist-*.json"):
        shutil.copyfile(path, target / path.name)


def kernel_hidden():
    """Folders a graded kernel does without: debugpy, the debugger ipykernel loads at every
    start when it can (about 0.13 s of a kernel's 0.8 s start; nobody attaches a debugger
    to a graded kernel). Hidden by the sandbox, ipykernel starts without its debugger."""
    spec = importlib.util.find_spec("debugpy")
    return tuple(spec.submodule_search_locations or ()) if spec else ()


def kernel_env(repo, single_thread):
    """The kernel's environment: a clean one with the course importable."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
           "PYTHONPATH": str(repo), "MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1",
           "PYTHONDONTWRITEBYTECODE": "1"}
    if os.environ.get("ANN_DATA_DIR"):
        env["ANN_DATA_DIR"] = str(Path(os.environ["ANN_DATA_DIR"]).resolve())
    if single_thread:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env[var] = "1"
    return env
