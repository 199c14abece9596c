"""Plain data between the grader and a student's kernel: JSON for the structure, .npz for arrays.

The grader encodes the inputs of a call (``encode``) and decodes what the kernel answered
(``decode``). Decoding trusts nothing: arrays are read with ``allow_pickle=False`` after the
archive's sizes are checked, and the result is built only from None, bool, int, float, str,
list, tuple, dict, numpy scalars and plain ndarrays (plus ``Record`` and ``Opaque``, inert
stand-ins for named tuples and other objects). The kernel-side half is ``rnnkit/_probe.py``.
"""

import json
import zipfile
from dataclasses import dataclass

import numpy as np

MAX_BYTES = 256 * 2**20  # what one answer may hold, arrays included


class WireError(Exception):
    """The kernel's answer is not plain data the grader can read."""


@dataclass(frozen=True)
class Make:
    """An argument built in the kernel: ``Make("rnnkit.rnn.RNNCache", a_next=..., ...)``."""

    path: str
    args: tuple = ()
    kwargs: dict = None

    @classmethod
    def of(cls, path, *args, **kwargs):
        return cls(path, args, kwargs)


@dataclass(frozen=True)
class Ref:
    """An argument that is an rnnkit or numpy object in the kernel: ``Ref("rnnkit.clip_by_norm")``."""

    path: str


@dataclass(frozen=True)
class Own:
    """An argument that is the student's own object of that name in the notebook."""

    name: str


class Record(tuple):
    """A named tuple the student's code returned: a tuple whose fields read as attributes."""

    def __new__(cls, type_name, fields, items):
        self = super().__new__(cls, items)
        self._type, self._fields = type_name, tuple(fields)
        return self

    def __getattr__(self, name):
        if name.startswith("_") or name not in self._fields:
            raise AttributeError(name)
        return self[self._fields.index(name)]


@dataclass(frozen=True)
class Opaque:
    """Another object the student's code returned: its type name, repr and attributes."""

    type: str
    repr: str
    attrs: dict = None

    def __getattr__(self, name):
        attrs = object.__getattribute__(self, "attrs") or {}
        if name in attrs:
            return attrs[name]
        raise AttributeError(name)


class Encoder:
    """Encode grader-side values; arrays are collected in ``self.arrays`` for the .npz."""

    def __init__(self):
        self.arrays = {}

    def __call__(self, v):
        if v is None or type(v) in (bool, int, float, str):
            return v
        if isinstance(v, np.ndarray):
            name = f"a{len(self.arrays)}"
            self.arrays[name] = np.asarray(v)
            return {"$": "array", "name": name}
        if isinstance(v, np.generic):
            return {"$": "scalar", "dtype": v.dtype.str, "value": v.item()}
        if isinstance(v, Make):
            return {"$": "make", "path": v.path, "args": [self(x) for x in v.args],
                    "kwargs": {k: self(x) for k, x in (v.kwargs or {}).items()}}
        if isinstance(v, Ref):
            return {"$": "ref", "path": v.path}
        if isinstance(v, Own):
            return {"$": "own", "name": v.name}
        if isinstance(v, tuple) and hasattr(v, "_fields") and type(v).__module__.startswith("rnnkit"):
            # an rnnkit named tuple (a cache): rebuilt from its class in the kernel
            path = f"{type(v).__module__}.{type(v).__qualname__}"
            return self(Make(path, (), dict(zip(v._fields, v))))
        if isinstance(v, (list, tuple)):
            return {"$": "tuple" if isinstance(v, tuple) else "list", "items": [self(x) for x in v]}
        if isinstance(v, (set, frozenset)):
            return {"$": "set", "items": [self(x) for x in sorted(v, key=repr)]}
        if isinstance(v, dict):
            return {"$": "dict", "items": [[self(k), self(x)] for k, x in v.items()]}
        raise TypeError(f"cannot send a {type(v).__name__} to the kernel")


def write(base, value_tree):
    """Write ``value_tree`` (already holding encoded parts) to BASE.json, with arrays in BASE.npz."""
    encoder = value_tree.pop("_encoder")
    np.savez(f"{base}.npz", **encoder.arrays)
    with open(f"{base}.json", "w") as f:
        json.dump(value_tree, f, allow_nan=True)


def read_arrays(path):
    """{name: ndarray} from an .npz the kernel wrote, refusing pickles and oversized members."""
    try:
        with zipfile.ZipFile(path) as z:
            if sum(info.file_size for info in z.infolist()) > MAX_BYTES:
                raise WireError(f"the answer holds more than {MAX_BYTES // 2**20} MiB of arrays")
        with np.load(path, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as err:
        raise WireError(f"the arrays of the answer cannot be read ({type(err).__name__})") from None


class Decoder:
    """Decode the kernel's answer tree into inert grader-side values."""

    def __init__(self, arrays):
        self.arrays = arrays

    def __call__(self, v, depth=0):
        if depth > 40:
            raise WireError("the answer is nested too deeply")
        if v is None or type(v) in (bool, int, float, str):
            return v
        if type(v) is not dict or "$" not in v:
            raise WireError("the answer holds a value of an unknown form")
        kind = v["$"]
        if kind == "array":
            arr = self.arrays.get(v.get("name"))
            if type(arr) is not np.ndarray:
                raise WireError("the answer names an array it does not hold")
            return arr
        if kind == "scalar":
            dtype = np.dtype(str(v["dtype"]))
            if dtype.kind not in "biufcSU":
                raise WireError("the answer holds a scalar of an unknown type")
            return dtype.type(v["value"])
        if kind in ("list", "tuple"):
            items = [self(x, depth + 1) for x in _list(v, "items")]
            return items if kind == "list" else tuple(items)
        if kind == "set":
            try:
                return frozenset(self(x, depth + 1) for x in _list(v, "items"))
            except TypeError:
                raise WireError("the answer holds a set of unhashable values") from None
        if kind == "dict":
            out = {}
            for pair in _list(v, "items"):
                if type(pair) is not list or len(pair) != 2:
                    raise WireError("the answer is malformed")
                key = self(pair[0], depth + 1)
                try:
                    out[key] = self(pair[1], depth + 1)
                except TypeError:  # an unhashable key (a list, an array)
                    raise WireError("the answer holds a dict with an unhashable key") from None
            return out
        if kind == "record":
            fields = [str(f) for f in _list(v, "fields")]
            return Record(str(v.get("type")), fields, [self(x, depth + 1) for x in _list(v, "items")])
        if kind == "object":
            attrs = v.get("attrs")
            decoded = self(attrs, depth + 1) if attrs is not None else None
            return Opaque(str(v.get("type")), str(v.get("repr"))[:200], decoded if isinstance(decoded, dict) else None)
        raise WireError(f"the answer holds a value of unknown kind {kind!r}")


def _list(v, key):
    items = v.get(key)
    if type(items) is not list:
        raise WireError("the answer is malformed")
    return items


def read_answer(base):
    """The kernel's answer to the request at ``base``, as a dict of decoded parts (or 'error')."""
    import os

    path = f"{base}.out.json"
    if not os.path.isfile(path) or os.path.getsize(path) > MAX_BYTES:
        raise WireError("the kernel wrote no readable answer")
    try:
        with open(path, encoding="utf-8") as f:
            answer = json.load(f)
    except (ValueError, RecursionError, UnicodeDecodeError):
        raise WireError("the kernel's answer is not valid JSON") from None
    if type(answer) is not dict:
        raise WireError("the answer is malformed")
    if "error" in answer:
        e = answer["error"] if type(answer["error"]) is dict else {}
        return {"error": {k: (str(e.get(k))[:500] if e.get(k) is not None else None)
                          for k in ("type", "message", "line", "text")}}
    if answer.get("missing") is True:
        return {"missing": True}
    decode = Decoder(read_arrays(f"{base}.out.npz"))
    try:
        return {"value": decode(answer.get("value")), "args": decode(answer.get("args")),
                "kwargs": decode(answer.get("kwargs"))}
    except (KeyError, TypeError, ValueError, OverflowError, RecursionError) as err:
        raise WireError(f"the answer is malformed ({type(err).__name__})") from None
