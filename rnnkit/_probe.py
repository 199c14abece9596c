"""The grader's hand inside a student's kernel: call one function, hand back plain data.

The grader writes a request (``BASE.json`` and the arrays in ``BASE.npz``), then asks the
kernel to run ``serve(BASE)``. This looks up the student's function in the notebook's
namespace, calls it on the decoded inputs, and writes what it returned to ``BASE.out.json``
and ``BASE.out.npz``: numbers, strings, lists, dicts and arrays, never a pickle.

Nothing here is secret and nothing here decides a grade: this module runs in the student's
process, which the student controls. The grader reads the answer as data and judges it in
its own process (``autograder/trusted.py``).
"""

import importlib
import json
import traceback

import numpy as np

_ALLOWED_ROOTS = ("rnnkit", "numpy")  # what a request may build or name in the kernel


def _resolve(path):
    """The object at a dotted path such as ``rnnkit.rnn.RNNCache`` (rnnkit and numpy only)."""
    if path.split(".")[0] not in _ALLOWED_ROOTS:
        raise ValueError(f"a request may only name rnnkit or numpy objects, not {path!r}")
    module, _, name = path.rpartition(".")
    try:
        return getattr(importlib.import_module(module), name)
    except ModuleNotFoundError:  # a class attribute: rnnkit.vocab.Vocab.from_text
        outer, _, cls = module.rpartition(".")
        return getattr(getattr(importlib.import_module(outer), cls), name)


class _Decoder:
    def __init__(self, arrays, namespace):
        self.arrays, self.namespace = arrays, namespace

    def __call__(self, v):
        if not isinstance(v, dict):
            return v
        kind = v["$"]
        if kind == "array":
            return self.arrays[v["name"]].copy()
        if kind == "scalar":
            return np.dtype(v["dtype"]).type(v["value"])
        if kind in ("list", "tuple", "set"):
            items = [self(x) for x in v["items"]]
            return {"list": list, "tuple": tuple, "set": set}[kind](items)
        if kind == "dict":
            return {self(k): self(x) for k, x in v["items"]}
        if kind == "ref":
            return _resolve(v["path"])
        if kind == "own":
            return self.namespace[v["name"]]
        if kind == "make":
            return _resolve(v["path"])(*map(self, v["args"]), **{k: self(x) for k, x in v["kwargs"].items()})
        raise ValueError(f"unknown value kind {kind!r}")


class _Encoder:
    def __init__(self):
        self.arrays = {}

    def __call__(self, v, depth=0):
        if depth > 20:
            return {"$": "object", "type": type(v).__name__, "repr": "(nested too deeply)"}
        if v is None or isinstance(v, (bool, int, float, str)) and type(v) in (bool, int, float, str):
            return v
        if isinstance(v, np.ndarray):
            if v.dtype.kind == "O":
                return {"$": "object", "type": "object array", "repr": repr(v)[:200]}
            name = f"a{len(self.arrays)}"
            self.arrays[name] = np.array(v)  # a plain ndarray: subclasses do not cross
            return {"$": "array", "name": name}
        if isinstance(v, np.generic):
            return {"$": "scalar", "dtype": v.dtype.str, "value": v.item()}
        if isinstance(v, tuple) and hasattr(v, "_fields"):
            return {"$": "record", "type": type(v).__name__, "fields": list(v._fields),
                    "items": [self(x, depth + 1) for x in v]}
        if isinstance(v, (list, tuple)):
            return {"$": type(v).__name__ if type(v) in (list, tuple) else "list",
                    "items": [self(x, depth + 1) for x in v]}
        if isinstance(v, (set, frozenset)):
            return {"$": "set", "items": [self(x, depth + 1) for x in v]}
        if isinstance(v, dict):
            return {"$": "dict", "items": [[self(k, depth + 1), self(x, depth + 1)] for k, x in v.items()]}
        attrs = getattr(v, "__dict__", None)
        return {"$": "object", "type": f"{type(v).__module__}.{type(v).__qualname__}", "repr": repr(v)[:200],
                "attrs": self(dict(attrs), depth + 1) if isinstance(attrs, dict) else None}


def _where(err):
    """The last line of the student's own code in the traceback, as (line number, text)."""
    frames = [f for f in traceback.extract_tb(err.__traceback__) if "ipykernel" in f.filename
              or f.filename.startswith("<")]
    return (frames[-1].lineno, frames[-1].line) if frames else (None, None)


def serve(base):
    """Answer the request at ``base`` (see the module docstring)."""
    from IPython import get_ipython

    namespace = get_ipython().user_ns
    with open(f"{base}.json") as f:
        request = json.load(f)
    with np.load(f"{base}.npz", allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    decode, encode = _Decoder(arrays, namespace), _Encoder()
    name = request["function"]
    answer = {}
    saved = {}
    try:
        args = [decode(a) for a in request["args"]]
        kwargs = {k: decode(a) for k, a in request["kwargs"].items()}
        standins = {k: decode(a) for k, a in request["standins"].items()}
        if name.startswith("rnnkit."):  # a public helper that calls the student's code (given as Own)
            answer["value"] = encode(_resolve(name)(*args, **kwargs))
            answer["args"], answer["kwargs"] = encode(args), encode(kwargs)
        elif name not in namespace:
            answer["missing"] = True
        else:
            saved = {k: namespace[k] for k in standins if k in namespace}
            namespace.update(standins)
            try:
                value = namespace[name](*args, **kwargs)
            finally:
                for k in standins:
                    if k in saved:
                        namespace[k] = saved[k]
                    else:
                        namespace.pop(k, None)
            answer["value"] = encode(value)
            answer["args"] = encode(args)
            answer["kwargs"] = encode(kwargs)
    except BaseException as err:  # the student's error, or KeyboardInterrupt from the grader's time limit
        line, text = _where(err)
        answer = {"error": {"type": type(err).__name__, "message": str(err)[:500], "line": line, "text": text}}
    np.savez(f"{base}.out.npz", **encode.arrays)
    with open(f"{base}.out.json", "w") as f:
        json.dump(answer, f)
