"""Trusted checks: the grader's own process decides every automatic point.

A check module (``autograder/checks/NN_name.py``, one per assignment, never in a release, the
wheel or a student's kernel) registers one function per graded test cell:

    checks = Checks()

    @checks("03_rnn_loss_tests", functions=("rnn_loss",), reference=("cross_entropy",))
    def rnn_loss(student):
        L_steps, L = student.rnn_loss(y_hat, y)           # runs in the student's kernel
        check_close("L", L, cross_entropy(y_hat, y))      # runs here, in the grader

``student.NAME(...)`` sends the inputs to the kernel as plain data, calls the student's
function there and returns what it gave back, decoded as plain data (``wire.py``); the
expected values, tolerances, comparisons, named mistakes and messages stay here.
``functions`` are the student's functions the exercise is about and ``reference`` the
rnnkit functions it must not reach (``ownwork.py`` reads the submitted code for that).
"""

import importlib.util
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from rnnkit.testing import LearnerError

from . import wire
from .wire import Make, Own, Ref  # noqa: F401  (re-exported for check modules)

CHECKS_DIR = Path(__file__).resolve().parent / "checks"


class StudentError(Exception):
    """The student's function raised, is missing, or did not answer in time.

    type : the name of the exception the student's code raised, if it raised one.
    """

    def __init__(self, message, type=None):
        super().__init__(message)
        self.type = type


class KernelLost(StudentError):
    """The kernel died or stopped answering; no further call can be made."""


@dataclass(frozen=True)
class Check:
    grade_id: str
    run: object
    functions: tuple = ()
    reference: tuple = ()


class Checks(dict):
    """{grade_id: Check} of one assignment; use an instance as a decorator factory."""

    def __call__(self, grade_id, functions=(), reference=()):
        def register(fn):
            if grade_id in self:
                raise ValueError(f"two checks for {grade_id}")
            self[grade_id] = Check(grade_id, fn, tuple(functions), tuple(reference))
            return fn

        return register


def load(assignment, folder=CHECKS_DIR):
    """The Checks of ``assignment`` (its module autograder/checks/<assignment>.py)."""
    path = Path(folder) / f"{assignment}.py"
    if not path.is_file():
        raise FileNotFoundError(f"no trusted checks for {assignment}: {path} is missing")
    spec = importlib.util.spec_from_file_location(f"autograder_checks_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.checks


@dataclass
class Run:
    """What one call returned, and its arguments as they were after the call."""

    value: object
    args: tuple
    kwargs: dict


class Student:
    """The student's notebook as the checks see it: ``student.fn(*args)`` calls their ``fn``.

    ``student.run(name, *args, standins={...}, **kwargs)`` does the same and also returns the
    arguments after the call (to see whether the function changed its inputs); ``standins``
    replace names in the notebook during the call (``{"clip_by_norm": Ref("rnnkit.clip_by_norm")}``).
    """

    def __init__(self, kernel):
        self._kernel = kernel

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: self.run(name, *args, **kwargs).value

    def run(self, name, *args, standins=None, **kwargs):
        answer = self._kernel.call(name, args, kwargs, standins or {})
        if answer.get("missing"):
            raise StudentError(f"{name} is not defined: run the cell that defines it, and keep its name.")
        if "error" in answer:
            e = answer["error"]
            where = f" (line {e['line']} of your cell: {e['text'].strip()})" if e.get("line") and e.get("text") else ""
            if e["type"] == "KeyboardInterrupt":
                raise StudentError(f"your {name} did not return within the grader's time limit (an endless loop?).")
            if e["type"] == "NotImplementedError" and not e["message"]:
                raise StudentError(f"your {name} is not written yet (it raises NotImplementedError).")
            raise StudentError(f"your {name} raised {e['type']}: {e['message']}{where}", e["type"])
        return Run(answer["value"], answer["args"], answer["kwargs"])


@dataclass
class Outcome:
    """The trusted result of one graded cell."""

    grade_id: str
    passed: bool
    message: str = ""  # for the learner, without expected values
    mistake: str | None = None  # the named mistake the answer reproduces
    review: list = field(default_factory=list)  # why the exercise needs a human look


def run_checks(checks, student):
    """{grade_id: Outcome} for every check, run against ``student``; a lost kernel fails the rest."""
    outcomes, lost = {}, None
    for grade_id, check in checks.items():
        if lost:
            outcomes[grade_id] = Outcome(grade_id, False, lost)
            continue
        try:
            check.run(student)
            outcomes[grade_id] = Outcome(grade_id, True)
        except LearnerError as err:
            outcomes[grade_id] = Outcome(grade_id, False, err.public, err.mistake)
        except KernelLost as err:
            lost = str(err)
            outcomes[grade_id] = Outcome(grade_id, False, lost)
        except StudentError as err:
            outcomes[grade_id] = Outcome(grade_id, False, str(err))
        except wire.WireError as err:
            outcomes[grade_id] = Outcome(grade_id, False, f"the grader cannot read what your code returned: {err}.")
        except Exception as err:  # a result of an unexpected form (a tuple of the wrong length, say)
            outcomes[grade_id] = Outcome(
                grade_id, False, f"what your code returned is not of the expected form ({type(err).__name__}: {err})."
            )
    return outcomes


class KernelCalls:
    """Calls into a running Jupyter kernel through request files in ``io_dir``.

    ``client`` is a started BlockingKernelClient; ``io_dir`` is a folder the kernel can write,
    seen at the same path by the kernel and by the grader; ``timeout`` bounds each call.
    """

    def __init__(self, client, io_dir, timeout=60, interrupt=None, alive=None):
        self.client, self.io_dir, self.timeout, self.interrupt = client, Path(io_dir), timeout, interrupt
        self.alive = alive or (lambda: True)

    def call(self, name, args, kwargs, standins):
        base = self.io_dir / f"req-{secrets.token_hex(8)}"
        encode = wire.Encoder()
        request = {"function": name, "args": [encode(a) for a in args],
                   "kwargs": {k: encode(v) for k, v in kwargs.items()},
                   "standins": {k: encode(v) for k, v in standins.items()}, "_encoder": encode}
        wire.write(base, request)
        os.chmod(f"{base}.json", 0o644)
        os.chmod(f"{base}.npz", 0o644)
        code = f"__import__('rnnkit._probe', fromlist=['serve']).serve({str(base)!r})"
        try:
            self._execute(code)
            return wire.read_answer(base)
        finally:
            for suffix in (".json", ".npz", ".out.json", ".out.npz"):
                Path(f"{base}{suffix}").unlink(missing_ok=True)

    def _execute(self, code):
        import queue

        if not self.alive():
            raise KernelLost("the kernel is no longer running (it died in an earlier cell), so nothing more was run.")
        msg_id = self.client.execute(code, silent=True, store_history=False, allow_stdin=False)
        deadline = time.monotonic() + self.timeout
        interrupted = False
        while True:
            left = deadline - time.monotonic()
            try:
                reply = self.client.get_shell_msg(timeout=max(left, 0.1) if not interrupted else 10)
            except queue.Empty:
                if not self.alive():
                    raise KernelLost("the kernel died while the grader was calling your code.") from None
                if interrupted:
                    raise KernelLost("your code did not stop when interrupted; nothing more was run.") from None
                if self.interrupt:
                    self.interrupt()
                interrupted = True
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply
