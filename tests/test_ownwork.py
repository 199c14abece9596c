"""The static own-work review: what it flags, and that correct work is never flagged."""

import nbformat
import pytest
from course_harness import REPO, fill

from autograder import ownwork, trusted
from autograder.execute import instructor_sources

ASSIGNMENTS = sorted(p.stem for p in (REPO / "autograder" / "checks").glob("[0-9][0-9]_*.py"))


def notebook(*cells):
    """A notebook with one answer cell per (grade_id, source), and plain cells for (None, source)."""
    nb = nbformat.v4.new_notebook()
    for grade_id, source in cells:
        cell = nbformat.v4.new_code_cell(source)
        if grade_id:
            cell.metadata["nbgrader"] = {"grade_id": grade_id, "solution": True, "grade": False, "locked": False}
        nb.cells.append(cell)
    return nb


CHECKS = trusted.Checks()
CHECKS("03_cell_tests", functions=("rnn_cell_backward",), reference=("rnn_cell_backward", "rnn_backward"))(print)
CHECKS("03_other_tests", functions=("clip",), reference=("clip_by_norm",))(print)


@pytest.mark.parametrize("source", [
    "import rnnkit\ndef rnn_cell_backward(da, cache):\n    return rnnkit.rnn_cell_backward(da, cache)\n",
    "from rnnkit import rnn_cell_backward as ref\ndef rnn_cell_backward(da, cache):\n    return ref(da, cache)\n",
    "import rnnkit.rnn as R\ndef helper(da, c):\n    return R.rnn_cell_backward(da, c)\n"
    "def rnn_cell_backward(da, cache):\n    return helper(da, cache)\n",
    "import sys\nsys.setprofile(None)\nimport rnnkit\ndef rnn_cell_backward(da, cache):\n"
    "    return rnnkit.rnn.rnn_cell_backward(da, cache)\n",
])
def test_reaching_the_reference_is_flagged(source):
    flags = ownwork.review(notebook(("03_cell", source)), CHECKS)
    assert "calls rnnkit's reference" in " ".join(flags["03_cell_tests"])
    assert "03_other_tests" not in flags


@pytest.mark.parametrize("source", [
    "def rnn_cell_backward(da, cache):\n    f = getattr(__import__('rnnkit'), 'rnn_cell_backward')\n"
    "    return f(da, cache)\n",
    "import importlib\ndef rnn_cell_backward(da, cache):\n    return importlib.import_module('rnnkit').x(da)\n",
    "def rnn_cell_backward(da, cache):\n    return eval('rnnkit.rnn_cell_backward')(da, cache)\n",
])
def test_dynamic_access_in_the_exercise_is_flagged(source):
    flags = ownwork.review(notebook(("03_cell", source)), CHECKS)
    assert "dynamic access" in " ".join(flags["03_cell_tests"]) and "03_other_tests" not in flags


def test_dynamic_access_in_a_cell_of_its_own_flags_every_exercise():
    nb = notebook(("03_cell", "def rnn_cell_backward(da, cache):\n    return da\n"),
                  (None, "import rnnkit.testing\nvars(rnnkit.testing)['sealed'] = print\n"))
    flags = ownwork.review(nb, CHECKS)
    assert set(flags) == {"03_cell_tests", "03_other_tests"}


def test_own_code_with_the_same_names_is_not_flagged():
    source = ("import numpy as np\nfrom rnnkit import rnn_forward\n"
              "def rnn_cell_backward(da, cache):\n    dz = da * (1 - cache.a_next**2)\n    return {'dz': dz}\n"
              "def clip(g, m):\n    return {k: np.clip(v, -m, m) for k, v in g.items()}\n")
    assert ownwork.review(notebook(("03_cell", source)), CHECKS) == {}


def test_magics_and_syntax_errors_do_not_stop_the_review():
    nb = notebook((None, "%matplotlib inline\n"), ("03_cell", "def rnn_cell_backward(da, cache:\n"))
    assert ownwork.review(nb, CHECKS) == {}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_solutions_are_never_flagged(assignment):
    source = nbformat.read(REPO / "solutions" / assignment / f"{assignment}.ipynb", 4)
    release = nbformat.read(REPO / "notebooks" / assignment / f"{assignment}.ipynb", 4)
    assert ownwork.review(fill(release, source), trusted.load(assignment), instructor_sources(source)) == {}
