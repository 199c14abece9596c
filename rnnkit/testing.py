"""Checks for notebook test cells that speak to a learner in lecture notation.

Used by every assignment from 01_notation on, in the visible test cells and in the grader's
trusted checks (``autograder/checks/``). A failed check raises LearnerError (an
AssertionError, so a test cell shows it as a failure) whose message names the quantity,
its lecture shape, what was expected and received, and a hint:

    a_next (a<t>) has shape (10, 5) but should be (n_a, m) = (5, 10).
      hint: a<t> has one column per example.

The error also carries ``public``, the same message without the expected values (what the
grader may put in a student's feedback), and ``mistake``, the name of the known mistake the
received value reproduces, if any. The comparisons use ndarray methods and operators only.
The checks set ``__tracebackhide__``, so a traceback shows the test cell's line, not their frames.

A visible test cell runs its checks inside ``with exercise(3, "rnn_cell_forward"):`` and a cell that
uses the learner's earlier functions inside ``with needs_exercises(3, 4):``: on a fresh notebook
each says in one line what is not written yet instead of raising, so "Run All" reaches the end.

Nothing here guards a grade: a grade is decided in the grader's process, never in the
student's kernel.
"""

import os
import sys

import numpy as np

_MAX_REPR = 120  # characters of a value shown in a message


class LearnerError(AssertionError):
    """A check failed; the message is written for the learner.

    public : the message without expected values (safe to show for a hidden case).
    mistake : the description of the known mistake that the received value reproduces, or None.
    """

    def __init__(self, message, public=None, mistake=None):
        super().__init__(message)
        self.public = message if public is None else public
        self.mistake = mistake


# ----------------------------------------------------------------------------- messages


def _fail(lines, hint, public=None, mistake=None):
    """Raise LearnerError with ``lines`` joined and the hint indented below them.

    public : the lines to show where expected values must stay hidden (default: ``lines``).
    """
    __tracebackhide__ = True  # IPython and pytest leave a helper's frames out of a traceback
    tail = [f"  hint: {hint}"] if hint else []
    public = lines if public is None else public
    raise LearnerError("\n".join([*lines, *tail]), "\n".join([*public, *tail]), mistake)


def _short(value):
    """repr(value), cut to a readable length."""
    text = repr(value)
    return text if len(text) <= _MAX_REPR else text[: _MAX_REPR - 3] + "..."


def _a(word):
    """``word`` with its indefinite article: 'a list', 'an int'."""
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def _type_name(t):
    if isinstance(t, tuple):
        return " or ".join(_type_name(x) for x in t)
    return "numpy array" if t is np.ndarray else t.__name__


def _received_kind(received):
    """How a wrong object reads in a message: 'a tuple of length 3', 'a float', ..."""
    if isinstance(received, (tuple, list)):
        return f"{_a(type(received).__name__)} of length {len(received)}"
    return _a(type(received).__name__)


def _none_message(name):
    return f"{name}: got None — did the function return it?"


def _shape_text(shape):
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _index_text(flat, shape):
    """The multi-index ``[i, j, k]`` of flat position ``flat`` in an array of ``shape``."""
    index = []
    for size in reversed(shape):
        index.append(flat % size)
        flat //= size
    return "[" + ", ".join(str(i) for i in reversed(index)) + "]"


def _number(x):
    return f"{float(x):.6g}"


# ----------------------------------------------------------------------------- checks


def check_type(name, received, expected_type, hint=None):
    """Fail unless ``received`` is an instance of ``expected_type`` (a type or tuple of types)."""
    __tracebackhide__ = True
    if isinstance(received, expected_type):
        return
    if received is None:
        _fail([_none_message(name)], hint)
    wanted = _a(_type_name(expected_type))
    _fail([f"{name} should be {wanted}, got {_received_kind(received)}: {_short(received)}."], hint)


def check_shape(name, received, expected_shape, notation=None, hint=None):
    """Fail unless ``received`` is a numpy array of shape ``expected_shape``.

    name : how the learner knows the quantity, e.g. ``"a_next (a<t>)"``.
    notation : the lecture shape, e.g. ``"(n_a, m)"``; shown as ``(n_a, m) = (5, 10)``.
    """
    __tracebackhide__ = True
    expected_shape = tuple(int(d) for d in expected_shape)
    wanted = _shape_text(expected_shape)
    if notation is not None:
        wanted = f"{notation} = {wanted}"
    if received is None:
        _fail([_none_message(name)], hint)
    if expected_shape == () and _is_number(received):
        return  # a plain number stands for a 0-d array (a loss, a norm)
    if not isinstance(received, np.ndarray):
        extra = ""
        if isinstance(received, tuple):
            extra = " (did the function return a tuple where one array is expected?)"
        got = _received_kind(received)
        _fail([f"{name} should be a numpy array of shape {wanted}, got {got}{extra}."], hint)
    if tuple(received.shape) != expected_shape:
        _fail([f"{name} has shape {_shape_text(received.shape)} but should be {wanted}."], hint)


def _is_number(x):
    return isinstance(x, (int, float, np.number, np.bool_)) and not isinstance(x, np.ndarray)


def _as_real(name, arr, hint):
    """A float64 copy of ``arr`` (ndarray methods only); fail on non-numeric dtypes."""
    __tracebackhide__ = True
    if arr.dtype.kind not in "fiub":
        _fail([f"{name} holds {arr.dtype} values; it should hold real numbers (float64)."], hint)
    return arr.astype("float64")  # a copy: we may overwrite entries below


def _finite_mask(arr):
    """True where ``arr`` is finite, by operators only (NaN != NaN; |inf| == inf)."""
    return (arr == arr) & (arr.__abs__() != float("inf"))


def _close_mask(received, expected, rtol, atol):
    """Entry-wise |received − expected| <= atol + rtol·|expected| on finite float64 copies.

    Non-finite entries count as close only when both arrays hold the same non-finite value.
    """
    r_finite, e_finite = _finite_mask(received), _finite_mask(expected)
    both = r_finite & e_finite
    r, e = received.copy(), expected.copy()
    r[~both] = 0.0
    e[~both] = 0.0
    diff = (r - e).__abs__()  # the ndarray's own method, not a replaceable function
    close = diff <= atol + rtol * e.__abs__()
    both_nan = (received != received) & (expected != expected)
    same_special = (~r_finite) & (~e_finite) & ((received == expected) | both_nan)
    return (close & both) | same_special, diff


def _matches(received, mistakes, rtol, atol):
    """Descriptions of the known mistakes whose output ``received`` reproduces."""
    found = []
    for description, wrong in (mistakes or {}).items():
        if not isinstance(wrong, np.ndarray):
            wrong = np.array(wrong, dtype="float64")
        if tuple(wrong.shape) != tuple(received.shape) or wrong.dtype.kind not in "fiub":
            continue
        close, _ = _close_mask(received, wrong.astype("float64"), rtol, atol)
        if close.all():
            found.append(description)
    return found


def check_close(name, received, expected, rtol=1e-6, atol=1e-8, hint=None, mistakes=None, notation=None):
    """Fail unless ``received`` has the shape of ``expected`` and all entries are close.

    Close means |received − expected| <= atol + rtol·|expected| entry-wise.
    mistakes : {description: array} — the output under a known mistake, e.g.
        ``{"the output with sigmoid where tanh is expected": sigmoid(z)}``. If ``received``
        matches one (same tolerance), the message says so first.
    notation : the lecture shape of the quantity, e.g. ``"(n_a, m)"``.
    """
    __tracebackhide__ = True
    if not isinstance(expected, np.ndarray):
        expected = np.array(expected, dtype="float64")
    if isinstance(received, np.ndarray) and received.dtype.kind in "fiub" and mistakes:
        # A known mistake may also change the shape (a transpose, a missing axis).
        if tuple(received.shape) != tuple(expected.shape):
            found = _matches(received.astype("float64"), mistakes, rtol, atol)
            if found:
                _fail([f"your {name} matches {found[0]}.",
                       f"  {name} has shape {_shape_text(received.shape)} but should be "
                       + (f"{notation} = " if notation else "") + f"{_shape_text(expected.shape)}."], hint,
                      mistake=found[0])
    check_shape(name, received, expected.shape, notation=notation, hint=hint)
    e = expected.astype("float64")
    if isinstance(received, np.ndarray):
        r = _as_real(name, received, hint)
    else:  # a number where a 0-d array is expected: set it into an array (no numpy function involved)
        r = e.copy()
        r[()] = received
    close, diff = _close_mask(r, e, rtol, atol)
    if close.all():
        return

    lines = []
    found = _matches(r, mistakes, rtol, atol)
    if found:
        lines.append(f"your {name} matches {found[0]}.")
    size = close.size
    nan = (r != r) & (e == e)
    inf = (r.__abs__() == float("inf")) & (e.__abs__() != float("inf"))
    if nan.any() or inf.any():
        kinds = " and ".join(k for k, mask in (("NaN", nan), ("inf", inf)) if mask.any())
        bad = nan | inf
        first = f" (first at {_index_text(int(bad.argmax()), r.shape)})" if r.shape else ""
        lines.append(f"{name} contains {kinds} in {int(bad.sum())} of {size} entries{first}; "
                     "expected finite numbers.")
        lines.append("  NaN or inf usually comes from exp of a large number, log of 0 or a division by 0.")
        _fail(lines, hint, mistake=found[0] if found else None)

    wrong = ~close
    worst = int((diff * wrong).argmax())
    where = f" at {_index_text(worst, r.shape)}" if r.shape else ""
    lines.append(f"{name} has wrong values: {int(wrong.sum())} of {size} entries differ "
                 f"(tolerance |received − expected| <= {atol:g} + {rtol:g}·|expected|).")
    public = list(lines)
    lines.append(f"  largest difference {_number(diff.reshape(-1)[worst])}{where}: "
                 f"expected {_number(e.reshape(-1)[worst])}, received {_number(r.reshape(-1)[worst])}.")
    public.append(f"  first wrong entry{where}: received {_number(r.reshape(-1)[worst])}.")
    _fail(lines, hint, public, mistake=found[0] if found else None)


def _same(a, b):
    """a == b for the values check_equal compares (arrays inside sequences included)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
                and bool((a == b).all()))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    try:
        return bool(a == b)
    except Exception:  # an object whose == is not a plain truth value
        return False


def check_equal(name, received, expected, hint=None):
    """Fail unless ``received == expected``: ints, strings, lists and tuples (compared item by item).

    For sequences the message shows the first position where they differ.
    """
    __tracebackhide__ = True
    if _same(received, expected):
        return
    if received is None:
        _fail([_none_message(name)], hint)
    notes, first_difference = [], None  # type and length notes show no expected value
    sequence = (list, tuple, str)
    if isinstance(expected, sequence) and not isinstance(received, sequence):
        notes.append(f"  expected {_a(type(expected).__name__)}, received {_received_kind(received)}.")
    elif isinstance(expected, sequence):
        if type(received) is not type(expected):
            notes.append(f"  expected {_a(type(expected).__name__)}, received {_a(type(received).__name__)}.")
        if len(received) != len(expected):
            notes.append(f"  length {len(received)}, expected {len(expected)}.")
        first_difference = next(((i, r, e) for i, (r, e) in enumerate(zip(received, expected)) if not _same(r, e)),
                                None)
    elif type(received) is not type(expected) and not (isinstance(received, (int, np.integer))
                                                       and isinstance(expected, (int, np.integer))):
        notes.append(f"  expected {_a(type(expected).__name__)}, received {_a(type(received).__name__)}.")
    lines = [f"{name} should be {_short(expected)}, got {_short(received)}.", *notes]
    public = [f"{name} is not what was expected: got {_short(received)}.", *notes]
    if first_difference:
        i, r, e = first_difference
        lines.append(f"  first difference at position {i}: expected {_short(e)}, received {_short(r)}.")
        public.append(f"  first difference at position {i}: received {_short(r)}.")
    _fail(lines, hint, public)


# ----------------------------------------------------------------------------- grading runs


def grading():
    """True while the notebook is being graded or validated by nbgrader.

    Long demonstrations that earn no points (training runs for a plot, say) may do less
    then, so a class of submissions is graded in minutes. Graded cells never use this.
    """
    return os.environ.get("NBGRADER_EXECUTION") in ("autograde", "validate")


# ----------------------------------------------------------------------------- test cells and "Run All"
#
# "Run All" stops at the first cell that ends in an error. Two context managers let a fresh notebook
# run to its end: the test of an exercise not written yet, and a cell that needs that exercise, each
# say so in one line and end without an error; a real failure still ends in one, shown briefly.

_EXERCISES = {}  # exercise number -> the names of its functions, from the test cells run so far
_NOT_WRITTEN = set()  # functions that raised NotImplementedError and have not passed a test since

_CAUSES = (  # (exception type, words in its message, the likely cause in the learner's terms)
    (ValueError, "matmul", "a matrix product of arrays whose shapes do not fit: compare each shape with the "
                           "lecture's ((n_a, n_x), (n_x, m), ...); is a matrix transposed?"),
    (ValueError, "broadcast", "arrays added or multiplied entry by entry whose shapes do not fit: compare them "
                              "with the lecture's; a bias (n_a, 1) adds to every column of an (n_a, m) array"),
    (ValueError, "unpack", "another number of values than expected: does the function return all its "
                           "results, in the documented order?"),
    (IndexError, "", "an index past the end of an axis: numpy counts from 0, so the T_x steps are 0, …, T_x − 1"),
    (KeyError, "", "a key the dict does not hold: print(sorted(d)) shows the keys it has"),
    (UnboundLocalError, "", "a variable read before the function assigns it"),
    (NameError, "", "a name that is not defined: run the cells above first (the setup cell, your earlier "
                    "exercises), or check its spelling"),
    (AttributeError, "NoneType", "None where an array was expected: does every function on the way return "
                                 "its result?"),
    (AttributeError, "", "a field or method the object does not have: check its spelling against the text"),
    (TypeError, "NoneType", "None where a value was expected: does every function on the way return its result?"),
    (TypeError, "argument", "a function called with the wrong number or kind of arguments: compare the call "
                            "with its signature"),
    (ZeroDivisionError, "", "a division by zero"),
    (RecursionError, "", "a function that calls itself without end"),
)


def _innermost_function(tb):
    """The innermost function along ``tb`` that another cell of the notebook defined, or None.

    ``tb`` starts at the running cell; the learner's functions live in the notebook (``__main__``)
    but in cells of their own, which tells them from helpers the running cell defines.
    """
    cell, name = tb.tb_frame.f_code.co_filename, None
    while tb is not None:
        frame, code = tb.tb_frame, tb.tb_frame.f_code
        if frame.f_globals.get("__name__") == "__main__" and code.co_filename != cell and code.co_name != "<module>":
            name = code.co_name
        tb = tb.tb_next
    return name


def _your(name):
    """'your rnn_forward (Exercise 4)', the number when a test cell has told it."""
    number = next((n for n, functions in _EXERCISES.items() if name in functions), None)
    return f"your {name}" + (f" (Exercise {number})" if number is not None else "")


def _not_written(error, tb):
    """The notebook's function that raised NotImplementedError (not written yet), or None."""
    name = _innermost_function(tb) if isinstance(error, NotImplementedError) else None
    if name:
        _NOT_WRITTEN.add(name)
    return name


def _hide_helpers(tb):
    """Cut ``tb`` before the first frame that sets __tracebackhide__ (this module's checks)."""
    while tb is not None and tb.tb_next is not None:
        if tb.tb_next.tb_frame.f_locals.get("__tracebackhide__"):
            tb.tb_next = None
        tb = tb.tb_next


def _explain(error, tb, label, functions=()):
    """Add a note to ``error``: which of the learner's functions raised it, and its likely cause.

    label, functions : the exercise whose test is running, if any, and its functions.
    """
    name = _innermost_function(tb)
    if isinstance(error, LearnerError) or (name is None and isinstance(error, AssertionError)):
        return  # a check's message already says what is wrong
    where = f"{label}: " if label else ""
    if name:
        note = f"{where}{f'your {name}' if name in functions else _your(name)} raised this {type(error).__name__}."
    else:
        note = f"{where}this cell could not use what your functions returned."
    cause = next((text for kind, words, text in _CAUSES if isinstance(error, kind) and words in str(error)), None)
    error.add_note(note + (f"\n  likely cause: {cause}" if cause else ""))


class exercise:
    """The body of an exercise's visible test cell: ``with exercise(3, "rnn_cell_forward"): ...``.

    Its checks pass: one line says so. A function of the notebook is not written yet (it raises
    NotImplementedError): one line on stderr says which, and the cell ends without an error, so
    "Run All" goes on (nbgrader's Validate still counts the cell as failed: it reads stderr). A
    check fails: the traceback ends at the test's line, without rnnkit's frames. The learner's
    function raises: the traceback stays, with a note naming the exercise and the likely cause.
    """

    def __init__(self, number, *functions):
        self.number, self.functions = number, functions
        self.label = f"Exercise {number} · {', '.join(functions)}"
        _EXERCISES[number] = functions

    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        if error is None:
            _NOT_WRITTEN.difference_update(self.functions)
            print(f"✓ {self.label}: the visible tests pass.")
            return False
        name = _not_written(error, tb)
        if name in self.functions:
            print(f"{self.label}: not written yet (replace raise NotImplementedError() with your code, run its "
                  "cell, then this test).", file=sys.stderr)
            return True
        if name:
            print(f"{self.label}: not tested yet, it needs {_your(name)}, which is not written yet.", file=sys.stderr)
            return True
        _hide_helpers(tb)
        if isinstance(error, Exception):
            _explain(error, tb, self.label, self.functions)
        return False


class needs_exercises:
    """The body of a cell that runs the learner's earlier exercises: ``with needs_exercises(3, 4): ...``.

    While one of them is not written yet, the cell prints one line instead of an error (also when it
    reads a name that an earlier cell, skipped for the same reason, would have defined). Any other
    error is raised as in ``exercise``, with a note naming the learner's function.
    """

    def __init__(self, *numbers):
        if not numbers:
            raise ValueError("needs_exercises takes the numbers of the exercises the cell uses, e.g. (3, 4)")
        self.numbers = numbers

    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        if error is None:
            return False
        name = _not_written(error, tb)
        if name is None and isinstance(error, NameError):  # a result of a cell skipped above
            name = next((f for n in self.numbers for f in _EXERCISES.get(n, ()) if f in _NOT_WRITTEN), None)
        if name:
            print(f"Skipped: this cell needs {_your(name)}, which is not written yet; run the cell again once it is.")
            return True
        _hide_helpers(tb)
        if isinstance(error, Exception):
            _explain(error, tb, None)
        return False
