"""rnnkit.testing: the failure messages learners read, and their public form for feedback."""

import re

import numpy as np
import pytest

import rnnkit.testing as testing
from rnnkit.testing import LearnerError, check_close, check_equal, check_shape, check_type


def fails(fn, *args, **kwargs):
    """The message of the LearnerError that fn(*args, **kwargs) must raise."""
    with pytest.raises(LearnerError) as info:
        fn(*args, **kwargs)
    return str(info.value)


def test_learner_error_is_an_assertion_error():
    assert issubclass(LearnerError, AssertionError)


# ----------------------------------------------------------------------------- check_type


def test_check_type_passes_and_fails_with_names():
    check_type("parameters", {"Waa": 1}, dict)
    check_type("a_next (a<t>)", np.zeros(2), (np.ndarray, float))
    msg = fails(check_type, "parameters", [1, 2], dict, hint="return the dict of arrays")
    assert msg == (
        "parameters should be a dict, got a list of length 2: [1, 2].\n"
        "  hint: return the dict of arrays"
    )
    msg = fails(check_type, "a_next (a<t>)", 3, np.ndarray)
    assert "a_next (a<t>) should be a numpy array, got an int" in msg


def test_check_type_none():
    msg = fails(check_type, "cache", None, tuple)
    assert msg == "cache: got None — did the function return it?"


# ----------------------------------------------------------------------------- check_shape


def test_check_shape_message_uses_notation_and_hint():
    msg = fails(check_shape, "a_next (a<t>)", np.zeros((10, 5)), (5, 10), notation="(n_a, m)",
                hint="a<t> has one column per example (i).")
    assert msg == (
        "a_next (a<t>) has shape (10, 5) but should be (n_a, m) = (5, 10).\n"
        "  hint: a<t> has one column per example (i)."
    )


def test_check_shape_without_notation_and_passing():
    check_shape("a (a<t> for all t)", np.zeros((5, 10, 4)), (5, 10, 4), notation="(n_a, m, T_x)")
    msg = fails(check_shape, "by", np.zeros(3), (3, 1))
    assert msg == "by has shape (3,) but should be (3, 1)."


def test_check_shape_none_and_non_arrays():
    msg = fails(check_shape, "a_next (a<t>)", None, (5, 10), notation="(n_a, m)", hint="return a_next")
    assert msg.startswith("a_next (a<t>): got None — did the function return it?")
    assert msg.endswith("\n  hint: return a_next")
    msg = fails(check_shape, "a_next (a<t>)", (np.zeros((5, 10)), None), (5, 10), notation="(n_a, m)")
    assert "should be a numpy array of shape (n_a, m) = (5, 10), got a tuple of length 2" in msg
    assert "tuple where one array is expected" in msg
    msg = fails(check_shape, "xt (x<t>)", [[1.0]], (1, 1))
    assert "got a list of length 1" in msg


# ----------------------------------------------------------------------------- check_close


def test_check_close_passes_within_tolerance():
    expected = np.linspace(-1, 1, 6).reshape(2, 3)
    check_close("a_next (a<t>)", expected + 1e-9, expected)
    check_close("a_next (a<t>)", expected.astype(np.float32), expected, rtol=1e-6, atol=1e-7)
    check_close("y", np.array([[0.5 + 4e-3]]), np.array([[0.5]]), rtol=1e-2)  # rtol scales with |expected|
    check_close("loss L", np.float64(2.0), 2.0)  # a 0-d value: numbers stand for arrays of shape ()
    check_close("loss L", 2, np.array(2.0))
    msg = fails(check_close, "loss L", 2.5, 2.0)
    assert msg.startswith("loss L has wrong values: 1 of 1 entries differ")
    assert msg.endswith("\n  largest difference 0.5: expected 2, received 2.5.")
    check_close("counts", np.array([1, 2, 3]), np.array([1.0, 2.0, 3.0]))  # integers compare as numbers


def test_check_close_reports_count_largest_difference_and_where():
    expected = np.zeros((2, 3))
    received = expected.copy()
    received[1, 2] = 0.75
    received[0, 1] = 0.25
    msg = fails(check_close, "a_next (a<t>)", received, expected, notation="(n_a, m)",
                hint="a<t> = tanh(...)")
    lines = msg.split("\n")
    assert lines[0].startswith("a_next (a<t>) has wrong values: 2 of 6 entries differ")
    assert lines[1] == "  largest difference 0.75 at [1, 2]: expected 0, received 0.75."
    assert lines[-1] == "  hint: a<t> = tanh(...)"


def test_check_close_shape_first():
    msg = fails(check_close, "yt_pred (y_hat<t>)", np.zeros((3, 2)), np.zeros((2, 3)), notation="(n_y, m)")
    assert msg == "yt_pred (y_hat<t>) has shape (3, 2) but should be (n_y, m) = (2, 3)."


def test_check_close_names_a_known_mistake():
    z = np.array([[0.5, -1.0], [2.0, 0.0]])
    sigmoid = 1 / (1 + np.exp(-z))
    mistakes = {
        "the output with relu where tanh is expected": np.maximum(z, 0),
        "the output with sigmoid where tanh is expected": sigmoid,
    }
    msg = fails(check_close, "a_next (a<t>)", sigmoid, np.tanh(z), mistakes=mistakes, hint="a<t> uses tanh")
    assert msg.startswith("your a_next (a<t>) matches the output with sigmoid where tanh is expected.\n")
    assert "entries differ" in msg
    assert msg.endswith("  hint: a<t> uses tanh")
    # a wrong value that is none of the mistakes does not claim one
    msg = fails(check_close, "a_next (a<t>)", sigmoid + 1.0, np.tanh(z), mistakes=mistakes)
    assert "matches" not in msg


def test_check_close_names_a_mistake_that_changes_the_shape():
    expected = np.arange(6.0).reshape(2, 3)
    msg = fails(check_close, "a (a<t>)", expected.T.copy(), expected, notation="(n_a, m)",
                mistakes={"the transpose of a, shape (m, n_a)": expected.T})
    assert msg == (
        "your a (a<t>) matches the transpose of a, shape (m, n_a).\n"
        "  a (a<t>) has shape (3, 2) but should be (n_a, m) = (2, 3)."
    )


def test_check_close_nan_and_inf_have_their_own_message():
    expected = np.zeros((2, 2))
    received = np.array([[0.0, np.nan], [np.inf, 0.0]])
    msg = fails(check_close, "y_hat<t>", received, expected, hint="subtract the max before exp")
    assert "y_hat<t> contains NaN and inf in 2 of 4 entries (first at [0, 1])" in msg
    assert "NaN or inf usually comes from exp" in msg
    assert msg.endswith("hint: subtract the max before exp")
    # the same non-finite values on both sides are equal
    check_close("x", np.array([np.inf, np.nan, 1.0]), np.array([np.inf, np.nan, 1.0]))


def test_check_close_none_and_wrong_dtype():
    msg = fails(check_close, "a_next (a<t>)", None, np.zeros(2))
    assert msg == "a_next (a<t>): got None — did the function return it?"
    msg = fails(check_close, "a", np.array(["x", "y"]), np.zeros(2))
    assert "a holds <U1 values; it should hold real numbers" in msg


# ----------------------------------------------------------------------------- check_equal


def test_check_equal_passes():
    check_equal("n_x", 27, 27)
    check_equal("index", np.int64(3), 3)  # argmax returns numpy ints
    check_equal("chars", ["a", "b"], ["a", "b"])
    check_equal("shape", (5, 10), (5, 10))
    check_equal("text", "hello", "hello")


def test_check_equal_sequences_show_first_difference():
    msg = fails(check_equal, "indices", [3, 1, 4, 1], [3, 1, 5, 1], hint="x<t+1> = y<t>")
    assert msg == (
        "indices should be [3, 1, 5, 1], got [3, 1, 4, 1].\n"
        "  first difference at position 2: expected 5, received 4.\n"
        "  hint: x<t+1> = y<t>"
    )
    msg = fails(check_equal, "sample", "hellp", "hello")
    assert "first difference at position 4: expected 'o', received 'p'" in msg
    msg = fails(check_equal, "indices", [1, 2], [1, 2, 3])
    assert "length 2, expected 3" in msg


def test_check_equal_types_and_none():
    msg = fails(check_equal, "n_x", "27", 27)
    assert msg == "n_x should be 27, got '27'.\n  expected an int, received a str."
    msg = fails(check_equal, "shape", [5, 10], (5, 10))
    assert "expected a tuple, received a list" in msg
    assert fails(check_equal, "n_a", None, 5) == "n_a: got None — did the function return it?"


# ----------------------------------------------------------------------------- integrity


def test_comparisons_do_not_use_patchable_numpy_functions(monkeypatch):
    """A learner cell rebinding np.allclose / np.isclose / np.testing cannot make a check pass."""
    noop = lambda *args, **kwargs: True  # noqa: E731
    monkeypatch.setattr(np, "allclose", noop)
    monkeypatch.setattr(np, "isclose", noop)
    monkeypatch.setattr(np.testing, "assert_allclose", noop)
    monkeypatch.setattr(np.testing, "assert_array_equal", noop)
    with pytest.raises(LearnerError):
        check_close("a", np.ones(3), np.zeros(3))


def test_the_public_message_names_the_mistake_but_no_expected_value():
    """What feedback may show of a hidden case: the quantity, the named mistake, the hint; not the answer."""
    with pytest.raises(LearnerError) as err:
        check_close("dWaa", np.array([[0.5, 2.0]]), np.array([[0.25, 1.0]]), hint="dWaa = dz<t> a<t-1>ᵀ",
                    mistakes={"the gradient doubled": np.array([[0.5, 2.0]])})
    assert "expected 1, received 2" in str(err.value) and "expected 1" not in err.value.public
    assert err.value.mistake == "the gradient doubled" and "the gradient doubled" in err.value.public
    assert "hint: dWaa" in err.value.public
    with pytest.raises(LearnerError) as err:
        check_equal("y", [1, 0, 1], [1, 1, 1])
    assert "[1, 1, 1]" in str(err.value) and "[1, 1, 1]" not in err.value.public
    assert "position 1" in err.value.public and err.value.mistake is None


def test_grading_is_true_only_under_nbgrader(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert not testing.grading()
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert testing.grading()


# ----------------------------------------------------------------------------- test cells and "Run All"


@pytest.fixture
def notebook(monkeypatch):
    """A notebook's namespace; ``run(source)`` executes a cell of its own, as IPython does."""
    monkeypatch.setattr(testing, "_EXERCISES", {})
    monkeypatch.setattr(testing, "_NOT_WRITTEN", set())
    namespace = {"__name__": "__main__", "np": np, "testing": testing, "check_close": check_close}
    cells = []

    def run(source):
        cells.append(source)
        exec(compile(source, f"<cell {len(cells)}>", "exec"), namespace)
        return namespace

    return run


NOT_WRITTEN = "def f(x):\n    raise NotImplementedError()\n"
WRITTEN = "def f(x):\n    return 2 * x\n"
TEST_OF_F = "with testing.exercise(1, 'f'):\n    check_close('f(x)', f(np.ones(2)), 2 * np.ones(2))\n"


def test_exercise_says_in_one_line_that_the_visible_tests_pass(notebook, capsys):
    notebook(WRITTEN)
    notebook(TEST_OF_F)
    assert capsys.readouterr().out == "✓ Exercise 1 · f: the visible tests pass.\n"


def test_an_exercise_not_written_yet_ends_its_test_without_an_error(notebook, capsys):
    notebook(NOT_WRITTEN)
    notebook(TEST_OF_F)  # no exception: "Run All" goes on
    out, err = capsys.readouterr()
    assert out == ""
    assert err == ("Exercise 1 · f: not written yet (replace raise NotImplementedError() with your code, "
                   "run its cell, then this test).\n")
    notebook("def g(x):\n    return f(x)\n")  # g, the next exercise, calls f
    notebook("with testing.exercise(2, 'g'):\n    g(1)\n")
    err = capsys.readouterr().err
    assert err == "Exercise 2 · g: not tested yet, it needs your f (Exercise 1), which is not written yet.\n"


def test_a_failed_check_shows_the_test_cell_not_rnnkits_frames(notebook):
    notebook("def f(x):\n    return 3 * x\n")
    with pytest.raises(LearnerError) as info:
        notebook(TEST_OF_F)
    files = []
    tb = info.value.__traceback__
    while tb is not None:
        files.append(tb.tb_frame.f_code.co_filename)
        tb = tb.tb_next
    assert not any(f.endswith("rnnkit/testing.py") for f in files), files  # cut at the first __tracebackhide__ frame
    assert files[-1] == "<cell 2>"
    assert not getattr(info.value, "__notes__", None)  # its message is the explanation


def test_the_learners_function_raising_gets_the_exercise_and_the_likely_cause(notebook):
    notebook("def f(x):\n    return np.ones((3, 4)) @ x\n")
    with pytest.raises(ValueError) as info:
        notebook(TEST_OF_F)
    assert info.value.__notes__ == [
        "Exercise 1 · f: your f raised this ValueError.\n"
        "  likely cause: a matrix product of arrays whose shapes do not fit: compare each shape with the "
        "lecture's ((n_a, n_x), (n_x, m), ...); is a matrix transposed?"]


def test_an_earlier_exercise_raising_is_named_with_its_number(notebook):
    notebook("def f(x):\n    return {}[x]\n")
    notebook("with testing.exercise(1, 'f'):\n    pass\n")  # its test ran: f is Exercise 1
    notebook("def g(x):\n    return f(x)\n")
    with pytest.raises(KeyError) as info:
        notebook("with testing.exercise(2, 'g'):\n    g('Waa')\n")
    note, cause = info.value.__notes__[0].splitlines()
    assert note == "Exercise 2 · g: your f (Exercise 1) raised this KeyError."
    assert cause == "  likely cause: a key the dict does not hold: print(sorted(d)) shows the keys it has"


def test_an_error_in_the_cell_itself_says_the_result_could_not_be_used(notebook):
    notebook("def g(x):\n    return x, x\n")
    with pytest.raises(ValueError) as info:
        notebook("with testing.exercise(2, 'g'):\n    a, b, c = g(1)\n")
    note, cause = info.value.__notes__[0].splitlines()
    assert note == "Exercise 2 · g: this cell could not use what your functions returned."
    assert "does the function return all its results" in cause


def test_needs_exercises_skips_a_cell_in_one_line_while_an_exercise_is_not_written(notebook, capsys):
    notebook(NOT_WRITTEN)
    notebook(TEST_OF_F)
    capsys.readouterr()
    notebook("with testing.needs_exercises(1):\n    y = f(np.ones(2))\n")
    notebook("with testing.needs_exercises(1):\n    print(y)\n")  # y was never made: skipped as well
    out = capsys.readouterr().out.splitlines()
    assert out == ["Skipped: this cell needs your f (Exercise 1), which is not written yet; "
                   "run the cell again once it is."] * 2
    notebook(WRITTEN)
    notebook(TEST_OF_F)  # passes: f is written now
    with pytest.raises(NameError) as info:  # so a missing name is an error again, with a note
        notebook("with testing.needs_exercises(1):\n    print(z)\n")
    assert "run the cells above first" in info.value.__notes__[0]
    namespace = notebook("with testing.needs_exercises(1):\n    y = f(np.ones(2))\n")
    assert namespace["y"].tolist() == [2.0, 2.0]
    with pytest.raises(ValueError, match="numbers of the exercises"):
        testing.needs_exercises()


def test_ipython_shows_a_failed_check_without_rnnkits_frames():
    """In a real kernel: the traceback of a failed check ends at the test cell's line."""
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    cells = ["import numpy as np\nfrom rnnkit.testing import check_close, exercise",
             "def f(x):\n    return 3 * x",
             "with exercise(1, 'f'):\n    check_close('f(x)', f(np.ones(2)), 2 * np.ones(2))"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True).execute()
    (error,) = nb.cells[2].outputs
    text = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(error.traceback))  # without the colours
    assert error.ename == "LearnerError" and "testing.py" not in text and "hidden" not in text
    assert "check_close('f(x)'" in text
