"""The data that crosses between the grader and a student's kernel is plain data, both ways."""

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from course_harness import REPO  # noqa: F401  (puts the repository on sys.path)

import rnnkit
from autograder import wire
from rnnkit import _probe


class Always(np.ndarray):
    """An array whose comparisons always say True (a trick a student could return)."""

    def __eq__(self, other):
        return np.ones(self.shape, bool)

    __ne__ = __le__ = __ge__ = __lt__ = __gt__ = __eq__


def round_trip(tmp_path, fn, *args, standins=None, **kwargs):
    """Request → the kernel side (_probe.serve in a fake IPython namespace) → the grader's decoder.

    ``fn`` is a function, or the source of a notebook cell defining ``fn`` (its globals are the namespace).
    """
    namespace = {}
    if isinstance(fn, str):
        exec(fn, namespace)
    else:
        namespace["fn"] = fn
    base = tmp_path / "req"
    enc = wire.Encoder()
    wire.write(base, {"function": "fn", "args": [enc(a) for a in args],
                      "kwargs": {k: enc(v) for k, v in kwargs.items()},
                      "standins": {k: enc(v) for k, v in (standins or {}).items()}, "_encoder": enc})
    shell = SimpleNamespace(user_ns=namespace)
    sys.modules["IPython"].get_ipython = lambda: shell
    _probe.serve(str(base))
    return wire.read_answer(base)


@pytest.fixture(autouse=True)
def fake_ipython(monkeypatch):
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", IPython.get_ipython)


def test_values_cross_as_plain_data(tmp_path):
    def fn(x, d, s):
        return {"sum": x.sum(), "x": x * 2, "keys": sorted(d), "s": s, "t": (1, 2.5, None, True), "set": {1, 2}}

    got = round_trip(tmp_path, fn, np.arange(6.0).reshape(2, 3), {"a": 1, "b": 2}, "hi")
    value = got["value"]
    assert type(value["x"]) is np.ndarray and value["x"].tolist() == [[0, 2, 4], [6, 8, 10]]
    assert value["sum"] == 15.0 and isinstance(value["sum"], np.floating)
    assert value["keys"] == ["a", "b"] and value["s"] == "hi" and value["t"] == (1, 2.5, None, True)
    assert value["set"] == frozenset({1, 2})


def test_an_array_subclass_arrives_as_a_plain_array(tmp_path):
    got = round_trip(tmp_path, lambda: np.zeros(3).view(Always))["value"]
    assert type(got) is np.ndarray
    assert not (got == np.ones(3)).any()


def test_caches_are_rebuilt_in_the_kernel_and_come_back_as_records(tmp_path):
    parameters = rnnkit.initialize_rnn(3, 4, 2, seed=0)
    _, _, cache = rnnkit.rnn_cell_forward(np.ones((3, 2)), np.zeros((4, 2)), parameters)
    seen = {}

    def fn(c):
        seen["type"] = type(c)
        return c

    got = round_trip(tmp_path, fn, cache)["value"]
    assert seen["type"] is type(cache)
    assert isinstance(got, wire.Record) and got.activation == "tanh" and np.array_equal(got.a_next, cache.a_next)


def test_arguments_after_the_call_and_standins(tmp_path):
    cell = "def fn(grads):\n    grads['dW'][0, 0] = 99.0\n    return helper(3)\n"  # helper: the grader's stand-in
    got = round_trip(tmp_path, cell, {"dW": np.zeros((2, 2))}, standins={"helper": wire.Ref("numpy.sqrt")})
    assert got["value"] == pytest.approx(3**0.5)
    assert got["args"][0]["dW"][0, 0] == 99.0


def test_the_students_error_comes_back_with_its_line(tmp_path):
    def fn():
        raise IndexError("index 3 is out of bounds")

    error = round_trip(tmp_path, fn)["error"]
    assert error["type"] == "IndexError" and "out of bounds" in error["message"]


def test_objects_come_back_inert(tmp_path):
    class Thing:
        def __init__(self):
            self.n = 3

        def __eq__(self, other):
            return True

    got = round_trip(tmp_path, Thing)["value"]
    assert isinstance(got, wire.Opaque) and got.n == 3 and got != 3


@pytest.mark.parametrize("make", [
    lambda base: np.save(f"{base}.out.npz", np.array([object()], dtype=object), allow_pickle=True),
    lambda base: Path(f"{base}.out.npz").write_bytes(b"not a zip"),
])
def test_pickles_and_junk_are_refused(tmp_path, make):
    base = tmp_path / "req"
    (tmp_path / "req.out.json").write_text(json.dumps({"value": {"$": "array", "name": "arr_0"}, "args": None,
                                                       "kwargs": None}))
    make(base)
    with pytest.raises(wire.WireError):
        wire.read_answer(base)


@pytest.mark.parametrize("answer", [
    {"value": {"$": "make", "path": "os.system", "args": ["true"], "kwargs": {}}, "args": None, "kwargs": None},
    {"value": {"$": "array", "name": "missing"}, "args": None, "kwargs": None},
    {"value": {"$": "dict", "items": [[{"$": "list", "items": []}, 1]]}, "args": None, "kwargs": None},
    {"value": {"$": "scalar", "dtype": "|O", "value": 1}, "args": None, "kwargs": None},
    ["not", "a", "dict"],
])
def test_malformed_answers_are_refused(tmp_path, answer):
    base = tmp_path / "req"
    np.savez(f"{base}.out.npz")
    (tmp_path / "req.out.json").write_text(json.dumps(answer))
    with pytest.raises(wire.WireError):
        wire.read_answer(base)


def test_a_request_may_build_only_rnnkit_and_numpy_objects(tmp_path):
    error = round_trip(tmp_path, lambda f: f, wire.Ref("os.system"))["error"]
    assert error["type"] == "ValueError" and "rnnkit or numpy" in error["message"]
