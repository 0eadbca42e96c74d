"""The grader's side of remote grading: proxies that let a lab check, unchanged, call the
student's code in the student's (untrusted, sandboxed) kernel.

A check is written once against "the student's code": a function, a class, an object made
by that class. In the notebook it gets the real thing; when grading, the grader runs the
same check function in its own process and passes proxies made here:

  RemoteFunction   calling it sends the (grader-made) arguments to the kernel, which calls
                   the student's function and sends back plain data (``helpers.checks.wire``);
                   the post-call values of array/list/dict arguments are copied back into
                   the grader's objects, so in-place updates are seen as in the notebook
  RemoteClass      the same for a class: calling it gives a RemoteObject
  RemoteObject     attribute reads, writes and method calls go to the object in the kernel

An exception in the student's code comes back as (type name, message, the student's line)
and is raised here as an exception of the same name (a subclass of the builtin of that name
when there is one), so ``run_student`` words it exactly as in the notebook. A kernel that does
not answer in time, dies, or answers with anything malformed raises ``RemoteError`` (a
CheckFailed): the check fails. The expected values never leave this process, and nothing the
kernel sends can make a check pass: only the check function returning normally does.
Omits: the transport (a ``send(text, timeout)`` callable given by the grader).
"""

import builtins
import re
import time

import numpy as np

from . import wire
from .core import CheckFailed

__all__ = ["RemoteError", "Channel", "RemoteObject", "RemoteFunction", "RemoteClass",
           "MISSING", "remote_exception"]

MISSING = object()  # ``Channel.lookup`` of a name the student's kernel does not define


class RemoteError(CheckFailed):
    """The student's kernel did not answer properly (timeout, crash, malformed reply)."""


def remote_exception(type_name, message, where):
    """An exception standing for one raised in the student's kernel: named ``type_name``,
    derived from the builtin exception of that name if there is one (never from
    BaseException-only classes such as SystemExit), with ``student_where`` set."""
    name = type_name if isinstance(type_name, str) and re.fullmatch(r"[A-Za-z_]\w{0,59}",
                                                                     type_name) else "Error"
    base = getattr(builtins, name, None)
    if not (isinstance(base, type) and issubclass(base, Exception)):
        base = Exception
    cls = type(name, (base,), {"__module__": "student", "__str__": lambda self: self.message})
    exc = cls.__new__(cls)
    exc.args = (str(message),)
    exc.message = str(message)
    exc.student_where = str(where) if where else None
    return exc


class Channel:
    """Requests to one student kernel. ``send(text, timeout)`` delivers a request and returns
    the reply's text (or raises RemoteError); ``timeout`` is in seconds per request, waiting
    and decoding the reply included. A reply over ``max_reply_chars`` is refused unread."""

    def __init__(self, send, timeout=60.0, max_reply_chars=wire.MAX_REPLY):
        self.send = send
        self.timeout = timeout
        self.max_reply_chars = max_reply_chars

    # ------------------------------------------------------------------ the requests
    def lookup(self, name):
        """The student's global ``name``: plain data, a proxy, or ``MISSING``."""
        reply = self._request({"op": "lookup", "name": name})
        if reply.get("missing") is True:
            return MISSING
        return self._decoder().decode(reply.get("value"))

    def call(self, target, args, kwargs):
        encoder = wire.Encoder(handle=self._handle_of)
        message = {"op": "call", "target": target, "errstate": np.geterr(),
                   "args": [encoder.encode(a) for a in args],
                   "kwargs": {k: encoder.encode(v) for k, v in kwargs.items()}}
        reply = self._request(message)
        post = reply.get("post")
        sent = encoder.items
        if type(post) is not list or len(post) != len(sent):
            raise RemoteError("malformed reply from the kernel: post-call values missing")
        decoder = self._decoder(known=sent)
        updates = [self._decode_post(decoder, item, entry) for item, entry in zip(sent, post)]
        value = decoder.decode(reply.get("value"))
        for item, new in zip(sent, updates):
            _copy_back(item, new)
        return value

    def getattr(self, target, name):
        return self._decoder().decode(
            self._request({"op": "getattr", "target": target, "name": name}).get("value"))

    def setattr(self, target, name, value):
        self._request({"op": "setattr", "target": target, "name": name,
                       "value": wire.Encoder(handle=self._handle_of).encode(value)})

    def attrs(self, target):
        names = self._request({"op": "attrs", "target": target}).get("value")
        if type(names) is not list or not all(isinstance(n, str) for n in names):
            raise RemoteError("malformed reply from the kernel: attribute names")
        return names

    # ------------------------------------------------------------------ plumbing
    def _request(self, message):
        __tracebackhide__ = True
        start = time.monotonic()
        text = self.send(wire.dumps(message), self.timeout)
        try:
            reply = wire.loads(text, self.max_reply_chars)
        except wire.WireError as exc:
            raise RemoteError(f"malformed reply from the kernel: {exc}") from None
        if time.monotonic() - start > self.timeout:
            raise RemoteError(f"your code did not finish within {self.timeout:g} s (its answer "
                              "included)")
        error = reply.get("error")
        if error is not None:
            if type(error) is not dict:
                raise RemoteError("malformed reply from the kernel: error")
            raise remote_exception(error.get("type"), error.get("message", ""),
                                   error.get("where"))
        return reply

    def _decoder(self, known=()):
        return _SafeDecoder(self, known)

    def _proxy(self, data):
        hid, kind, type_name = data.get("id"), data.get("kind"), data.get("type")
        if type(hid) is not int or kind not in _PROXIES or not isinstance(type_name, str):
            raise wire.WireError("malformed handle")
        origin = data.get("origin")
        return _PROXIES[kind](self, hid, type_name[:80],
                              origin[:200] if isinstance(origin, str) else "")

    def _handle_of(self, value):
        if isinstance(value, RemoteObject) and value._remote[0] is self:
            return {"t": "handle", "id": value._remote[1]}
        raise TypeError(f"cannot send a {type(value).__name__} to the student's kernel")

    def _decode_post(self, decoder, item, entry):
        try:
            if type(item) is np.ndarray:
                return wire.Decoder().decode(entry["array"])
            if type(item) is list:
                return [decoder.decode(v) for v in entry["list"]]
            pairs = entry["dict"]
            return {_key(k): decoder.decode(v) for k, v in pairs}
        except (KeyError, TypeError, ValueError) as exc:
            raise RemoteError(f"malformed reply from the kernel: {exc}") from None


def _key(k):
    if type(k) not in (str, int):
        raise TypeError("bad dict key")
    return k


class _SafeDecoder(wire.Decoder):
    """A decoder whose malformed input raises RemoteError and whose handles become proxies."""

    def __init__(self, channel, known):
        super().__init__(handle=channel._proxy, known=known)

    def decode(self, data, depth=0):
        try:
            return super().decode(data, depth)
        except wire.WireError as exc:
            raise RemoteError(f"malformed reply from the kernel: {exc}") from None


def _copy_back(item, new):
    """Put the kernel's post-call value of an argument into the grader's object."""
    if type(item) is np.ndarray:
        if type(new) is not np.ndarray or new.shape != item.shape:
            raise RemoteError("the kernel changed the shape of an array argument")
        if item.flags.writeable:
            np.copyto(item, new, casting="unsafe")
    elif type(item) is list:
        item[:] = new
    else:
        item.clear()
        item.update(new)


class RemoteObject:
    """An object that lives in the student's kernel (e.g. made by the student's class)."""

    __slots__ = ("_remote",)

    def __init__(self, channel, hid, type_name, origin=""):
        object.__setattr__(self, "_remote", (channel, hid, type_name, origin))

    @property
    def student_type_name(self):
        return self._remote[2]

    @property
    def student_origin(self):
        """``module.qualname`` where the kernel says the function or class was defined (as
        the kernel reports it: a hint for flags, never a verdict)."""
        return self._remote[3]

    def remote_attribute_names(self):
        """The names in ``vars()`` of the object in the kernel (``core.attribute_names``)."""
        return self._remote[0].attrs(self._remote[1])

    def __getattr__(self, name):
        if name.startswith("__"):  # numpy and Python probe dunders: never forwarded
            raise AttributeError(name)
        channel, hid = self._remote[:2]
        return channel.getattr(hid, name)

    def __setattr__(self, name, value):
        channel, hid = self._remote[:2]
        channel.setattr(hid, name, value)

    def __repr__(self):
        return f"<{self._remote[2]} in the student's kernel>"


class RemoteFunction(RemoteObject):
    """A function (or bound method, or other callable) in the student's kernel."""

    __slots__ = ()

    def __call__(self, *args, **kwargs):
        channel, hid = self._remote[:2]
        return channel.call(hid, args, kwargs)


class RemoteClass(RemoteFunction):
    """A class in the student's kernel; calling it makes a RemoteObject."""

    __slots__ = ()


_PROXIES = {"object": RemoteObject, "function": RemoteFunction, "class": RemoteClass}
