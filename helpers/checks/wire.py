"""The wire format between the grader and a student's kernel: plain data as JSON, numpy
arrays as ``.npy`` bytes (``allow_pickle=False``) in base64, and handles for anything else.

Used on both sides of grading (``helpers.checks.remote`` in the grader, ``helpers.checks.serve``
in the kernel). Every value is a JSON object ``{"t": tag, ...}`` or a JSON scalar:

  None/bool/int/float/str   as themselves (a float may be NaN or infinite)
  list, tuple, dict         {"t": "list"|"tuple", "v": [...]}, {"t": "dict", "v": [[key, value]]}
                            (dict keys: str or int only)
  numpy array / scalar      {"t": "array"|"scalar", "npy": base64 of np.save bytes} (a
                            subclass such as a numpy.ma masked array is sent as the plain
                            array ``np.asarray`` gives: the values the student's code made)
  numpy Generator           {"t": "rng", "state": bit_generator.state} (PCG64 and friends)
  handle                    {"t": "handle", "id": n, "kind": "function"|"class"|"object",
                             "type": type name, "origin": "module.qualname" where the
                             function or class (of an object) was defined}: an object that
                             stays in the kernel
  ref                       {"t": "ref", "i": n}: the n-th array or container of the request

``decode`` is strict (depth, size, types): a malformed value raises ``WireError``. Nothing is
ever unpickled or evaluated. Omits: complex containers (sets, object arrays), which the lab
checks never send.
"""

import base64
import io
import json

import numpy as np

__all__ = ["WireError", "Encoder", "Decoder", "dumps", "loads", "MAX_DEPTH", "MAX_REPLY"]

MAX_DEPTH = 32
MAX_REPLY = 32 << 20  # characters of one reply: a few 1000 x 1000 float64 arrays
_PLAIN = (type(None), bool, int, float, str)
_BIT_GENERATORS = {"PCG64": np.random.PCG64, "PCG64DXSM": np.random.PCG64DXSM,
                   "MT19937": np.random.MT19937, "Philox": np.random.Philox,
                   "SFC64": np.random.SFC64}


class WireError(ValueError):
    """A value that is not valid in the wire format (malformed, too deep or too large)."""


def _npy(arr):
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=False)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _from_npy(text, max_bytes):
    if not isinstance(text, str) or len(text) > max_bytes * 4 // 3 + 8:
        raise WireError("array data is not a string or is too large")
    try:
        arr = np.load(io.BytesIO(base64.b64decode(text, validate=True)), allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise WireError(f"invalid array data: {exc}") from None
    if not isinstance(arr, np.ndarray) or arr.dtype.hasobject:
        raise WireError("invalid array data")
    return arr


class Encoder:
    """Turns a value into wire form. ``handle(obj)`` is called for any other object and must
    return a handle dict (or raise TypeError). Arrays, lists and dicts are numbered in the
    order they are met, after ``known`` (``self.items``), so a value met again, or one of
    ``known``, is sent as a ``ref``."""

    def __init__(self, handle=None, known=()):
        self.handle = handle
        self.items = []  # arrays, lists and dicts met (after ``known``), in order
        self._seen = {}
        for value in known:
            self._remember(value)

    def encode(self, value, depth=0):
        if depth > MAX_DEPTH:
            raise TypeError("value nested too deeply")
        if type(value) in _PLAIN:
            return value
        if id(value) in self._seen and self.items[self._seen[id(value)]] is value:
            return {"t": "ref", "i": self._seen[id(value)]}
        if isinstance(value, np.ndarray) and not value.dtype.hasobject:
            self._remember(value)
            return {"t": "array", "npy": _npy(np.asarray(value))}
        if isinstance(value, np.generic) and not isinstance(value, np.object_):
            return {"t": "scalar", "npy": _npy(np.asarray(value))}
        if type(value) is np.random.Generator and \
                type(value.bit_generator).__name__ in _BIT_GENERATORS:
            return {"t": "rng", "state": value.bit_generator.state}
        if type(value) in (list, tuple):
            if type(value) is list:
                self._remember(value)
            return {"t": type(value).__name__, "v": [self.encode(v, depth + 1) for v in value]}
        if type(value) is dict and all(type(k) in (str, int) for k in value):
            self._remember(value)
            return {"t": "dict", "v": [[k, self.encode(v, depth + 1)] for k, v in value.items()]}
        if self.handle is None:
            raise TypeError(f"cannot send a {type(value).__name__} to the student's kernel")
        return self.handle(value)

    def _remember(self, value):
        self._seen[id(value)] = len(self.items)
        self.items.append(value)


class Decoder:
    """Turns wire form back into values; ``handle(dict)`` resolves handles (None: refused);
    a ``ref`` points into ``known`` followed by the arrays, lists and dicts decoded so far.
    ``max_bytes`` limits each array."""

    def __init__(self, handle=None, known=(), max_bytes=1 << 28):
        self.handle = handle
        self.max_bytes = max_bytes
        self.items = list(known)  # arrays, lists and dicts, in order (mirrors Encoder.items)

    def decode(self, data, depth=0):
        if depth > MAX_DEPTH:
            raise WireError("value nested too deeply")
        if type(data) in _PLAIN:
            return data
        if type(data) is not dict or not isinstance(data.get("t"), str):
            raise WireError(f"unexpected {type(data).__name__} in a reply")
        tag = data["t"]
        if tag == "array":
            return self._remember(_from_npy(data.get("npy"), self.max_bytes))
        if tag == "scalar":
            arr = _from_npy(data.get("npy"), self.max_bytes)
            if arr.ndim != 0:
                raise WireError("a scalar must be a 0-d array")
            return arr[()]
        if tag in ("list", "tuple"):
            return self._decode_sequence(tag, data.get("v"), depth)
        if tag == "dict":
            return self._decode_dict(data.get("v"), depth)
        if tag == "rng":
            return _generator(data.get("state"))
        if tag == "ref":
            i = data.get("i")
            if type(i) is not int or not 0 <= i < len(self.items):
                raise WireError("reference to an unknown value")
            return self.items[i]
        if tag == "handle" and self.handle is not None:
            return self.handle(data)
        raise WireError(f"unknown value type {tag!r}")

    def _decode_sequence(self, tag, items, depth):
        """The list or tuple (``tag``) of the wire items ``items``, decoded one level deeper."""
        if type(items) is not list:
            raise WireError(f"{tag} without items")
        if tag == "tuple":
            return tuple(self.decode(v, depth + 1) for v in items)
        out = self._remember([])
        out.extend(self.decode(v, depth + 1) for v in items)
        return out

    def _decode_dict(self, pairs, depth):
        """The dict of the wire ``[[key, value], ...]`` pairs (keys str or int), values decoded."""
        if type(pairs) is not list:
            raise WireError("dict without items")
        out = self._remember({})
        for pair in pairs:
            if type(pair) is not list or len(pair) != 2 or type(pair[0]) not in (str, int):
                raise WireError("malformed dict item")
            out[pair[0]] = self.decode(pair[1], depth + 1)
        return out

    def _remember(self, value):
        self.items.append(value)
        return value


def _generator(state):
    if type(state) is not dict or state.get("bit_generator") not in _BIT_GENERATORS:
        raise WireError("invalid random generator state")
    bit_generator = _BIT_GENERATORS[state["bit_generator"]]()
    try:
        bit_generator.state = state
    except (TypeError, ValueError, KeyError) as exc:
        raise WireError(f"invalid random generator state: {exc}") from None
    return np.random.Generator(bit_generator)


def dumps(message):
    """A request or reply (a dict of wire values) as JSON text."""
    return json.dumps(message, separators=(",", ":"))


def loads(text, max_chars):
    """Parse JSON text of at most ``max_chars`` characters into a dict; WireError otherwise."""
    if not isinstance(text, str) or len(text) > max_chars:
        raise WireError(f"reply too large (limit {max_chars} characters)")
    try:
        message = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise WireError(f"invalid JSON: {exc}") from None
    if type(message) is not dict:
        raise WireError("a message must be a JSON object")
    return message
