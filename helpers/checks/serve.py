"""The kernel's side of remote grading: runs the student's code on the grader's inputs and
answers with plain data only.

During grading, after the submission's cells ran, the grader executes ``listen()`` in the
student's kernel, opens a comm to its target ``TARGET`` and sends one request per operation
as a comm message ``{"request": text}``; the reply is the comm message ``{"reply": text}``
(a comm message skips IPython's cell machinery: half the time of executing a call per
request). Requests (``helpers.checks.wire`` values):

  {"op": "lookup", "name": n}                       the student's global ``n``
  {"op": "call", "target": id, "args": [v, ...], "kwargs": {name: v}, "errstate": {...}}
  {"op": "getattr", "target": id, "name": a}        {"op": "setattr", ..., "value": v}
  {"op": "attrs", "target": id}                     the names in ``vars(obj)``

Replies: {"value": v, "post": [...]} (``post``: the value after the call of every array, list
and dict argument, so in-place updates reach the grader), {"missing": true}, or
{"error": {"type", "message", "where"}} where ``where`` is the student's line that raised.
Nothing here is trusted: the student can replace this module, and the grader treats every
reply as data to check (the expected values never enter the kernel). Omits: keeping handles
small (objects live until the kernel ends, which is the end of the submission's grading).
"""

import numpy as np

from . import wire
from .core import student_line

__all__ = ["TARGET", "listen", "reply_text", "answer"]

TARGET = "helpers.grading"
_objects = {}  # handle id -> an object the grader can refer to
_ERRSTATE = ({"all", "divide", "over", "under", "invalid"},
             {"ignore", "warn", "raise", "call", "print", "log"})
_MESSAGE_LIMIT = 2000


def _handle(obj):
    hid = len(_objects) + 1
    _objects[hid] = obj
    kind = "class" if isinstance(obj, type) else "function" if callable(obj) else "object"
    type_name = obj.__name__ if kind == "class" else type(obj).__name__
    where = obj if kind != "object" else type(obj)  # where it was defined (``remote.origin``)
    origin = f"{getattr(where, '__module__', '')}.{getattr(where, '__qualname__', '')}"
    return {"t": "handle", "id": hid, "kind": kind, "type": str(type_name)[:80],
            "origin": origin[:200]}


def _target(request):
    hid = request.get("target")
    if type(hid) is not int or hid not in _objects:
        raise LookupError(f"unknown handle {hid!r}")
    return _objects[hid]


def _resolve(data):
    """A handle the grader sends back (e.g. an object passed to a method)."""
    return _target({"target": data.get("id")})


def _call(request):
    target = _target(request)
    args, kwargs = request.get("args"), request.get("kwargs")
    if type(args) is not list or type(kwargs) is not dict:
        raise ValueError("malformed call")
    decoder = wire.Decoder(handle=_resolve)
    args = [decoder.decode(v) for v in args]
    kwargs = {str(k): decoder.decode(v) for k, v in kwargs.items()}
    sent = decoder.items  # the arrays, lists and dicts inside args and kwargs, in order
    err = request.get("errstate") or {}
    if not all(k in _ERRSTATE[0] and v in _ERRSTATE[1] for k, v in err.items()):
        raise ValueError(f"invalid errstate {err!r}")
    with np.errstate(**err):
        value = target(*args, **kwargs)
    encoder = wire.Encoder(handle=_handle, known=sent)
    post = []
    for item in sent:
        if type(item) is np.ndarray:
            post.append({"array": wire.Encoder().encode(item)})
        elif type(item) is list:
            post.append({"list": [encoder.encode(v) for v in item]})
        else:
            post.append({"dict": [[k, encoder.encode(v)] for k, v in item.items()]})
    return {"post": post, "value": encoder.encode(value)}


def answer(request_text, user_ns):
    """The reply (a dict) to one request, with ``user_ns`` the student's global names."""
    try:
        request = wire.loads(request_text, max_chars=1 << 30)
        op = request.get("op")
        if op == "lookup":
            name = request.get("name")
            if not isinstance(name, str) or name not in user_ns:
                return {"missing": True}
            return {"value": wire.Encoder(handle=_handle).encode(user_ns[name])}
        if op == "call":
            return _call(request)
        if op == "getattr":
            return {"value": wire.Encoder(handle=_handle).encode(
                getattr(_target(request), str(request.get("name"))))}
        if op == "setattr":
            value = wire.Decoder(handle=_resolve).decode(request.get("value"))
            setattr(_target(request), str(request.get("name")), value)
            return {"value": None}
        if op == "attrs":
            return {"value": sorted(map(str, vars(_target(request))))}
        raise ValueError(f"unknown operation {op!r}")
    except BaseException as exc:  # the student's code may raise anything, even SystemExit
        return {"error": {"type": type(exc).__name__, "message": str(exc)[:_MESSAGE_LIMIT],
                          "where": student_line(exc.__traceback__) or ""}}


def reply_text(request_text, user_ns):
    """The reply to one request as the grader reads it: wire text of at most
    ``wire.MAX_REPLY`` characters (an error reply when the result cannot be sent)."""
    reply = answer(request_text, user_ns)
    try:
        text = wire.dumps(reply)
    except (TypeError, ValueError) as exc:
        text = wire.dumps({"error": {"type": "TypeError", "where": "",
                                     "message": f"the result cannot be sent: {exc}"}})
    if len(text) > wire.MAX_REPLY:  # the grader would refuse it unread: say so at once
        text = wire.dumps({"error": {"type": "ValueError", "where": "", "message": (
            f"the result is too large to check ({len(text) >> 20} MiB as text; the grader "
            f"takes at most {wire.MAX_REPLY >> 20} MiB): the check's inputs are small, so "
            "is something much larger than the input returned?")}})
    return text


def listen():
    """Register the comm target ``TARGET`` in this kernel (called by the grader's code): each
    message ``{"request": text}`` on a comm the grader opens is answered with
    ``{"reply": reply_text(text, the student's global names)}``."""
    from IPython import get_ipython

    shell = get_ipython()

    def opened(comm, _open_msg):
        @comm.on_msg
        def _answer(msg):
            request = msg.get("content", {}).get("data", {}).get("request", "")
            comm.send({"reply": reply_text(str(request), shell.user_ns)})

    shell.kernel.comm_manager.register_target(TARGET, opened)
