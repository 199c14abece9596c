"""autograder/lint.py: the committed sources pass; each defect, made in a temporary copy, is named."""

import json
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from autograder.lint import Problem, add_exercise, format_problems, lint, new_exercise_cells  # noqa: E402

A = "01_notation"
WITH_CHECKS = sorted(p.stem for p in (REPO / "autograder" / "checks").glob("[0-9][0-9]_*.py"))


@pytest.fixture
def root(tmp_path):
    """A course root with the layout of this one: solutions/01_notation and its checks module."""
    shutil.copytree(REPO / "solutions" / A, tmp_path / "solutions" / A)
    (tmp_path / "autograder" / "checks").mkdir(parents=True)
    shutil.copy(REPO / "autograder" / "checks" / f"{A}.py", tmp_path / "autograder" / "checks")
    return tmp_path


def notebook(root):
    return root / "solutions" / A / f"{A}.ipynb"


def edit_notebook(root, change):
    """Apply ``change(cells)`` to the raw JSON of the temporary notebook (nbformat would repair ids)."""
    path = notebook(root)
    nb = json.loads(path.read_text())
    change(nb["cells"])
    path.write_text(json.dumps(nb, indent=1))


def cell(cells, grade_id):
    return next(c for c in cells if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


def own_catalogue(root, extra):
    """tests/variants/01_notation.py in the temporary root: this repository's, then ``extra`` lines."""
    folder = root / "tests" / "variants"
    folder.mkdir(parents=True, exist_ok=True)
    text = (REPO / "tests" / "variants" / f"{A}.py").read_text()
    (folder / f"{A}.py").write_text(text + "\n" + extra + "\n")


def reported(problems, *needles):
    """The problems whose message holds every needle; fails, listing all problems, if there is none."""
    found = [p for p in problems if all(n in p.message for n in needles)]
    assert found, f"nothing reported with {needles}; got:\n{format_problems(problems)}"
    return found


@pytest.mark.parametrize("assignment", WITH_CHECKS)
def test_committed_solutions_pass(assignment):
    problems = lint(REPO, [assignment])
    assert problems == [], format_problems(problems)


def test_the_copy_passes(root):
    assert lint(root) == []


def test_missing_cell_id(root):
    edit_notebook(root, lambda cells: cell(cells, "01_encode").pop("id"))
    (p,) = reported(lint(root), "01_encode)", "no cell id")
    assert p.cell == "01_encode" and p.assignment == A


def test_duplicate_cell_id(root):
    def change(cells):
        cells[5]["id"] = cells[2]["id"]

    edit_notebook(root, change)
    problems = reported(lint(root), "'cell-02'", "other cell")
    assert {p.message.split(" has ")[0] for p in problems} == {f"{A}.ipynb cell 2 (id cell-02)",
                                                               f"{A}.ipynb cell 5 (id cell-02)"}


def test_duplicate_grade_id(root):
    edit_notebook(root, lambda cells: cell(cells, "01_ner_targets")["metadata"]["nbgrader"].update(
        grade_id="01_encode"))
    (p,) = reported(lint(root), "grade_id '01_encode'", "more than one cell")
    assert p.cell == "01_encode" and "cell 20" in p.message


def test_test_cell_without_check_and_check_without_cell(root):
    checks = root / "autograder" / "checks" / f"{A}.py"
    checks.write_text(checks.read_text().replace('@checks("01_encode_tests"', '@checks("01_encode_test"'))
    problems = lint(root)
    (missing,) = reported(problems, "01_encode_tests", "without a trusted check")
    (orphan,) = reported(problems, "'01_encode_test'", "no graded test cell")
    assert missing.cell == "01_encode_tests" and orphan.cell == "01_encode_test"


def test_checks_module_missing(root):
    (root / "autograder" / "checks" / f"{A}.py").unlink()
    (p,) = reported(lint(root), f"autograder/checks/{A}.py is missing")
    assert p.cell is None


def test_checks_module_that_does_not_load(root):
    checks = root / "autograder" / "checks" / f"{A}.py"
    checks.write_text(checks.read_text() + '\nraise RuntimeError("no inputs here\\nsecond line")\n')
    (p,) = reported(lint(root), "does not load", "RuntimeError: no inputs here")
    assert "\n" not in p.message and "second line" not in p.message


def test_exercise_with_too_few_mistakes(root):
    own_catalogue(root, 'VARIANTS = [v for v in VARIANTS if "01_encode_tests" not in v.breaks '
                        'or v.name == "encode_no_eos"]')
    (p,) = reported(lint(root), "01_encode_tests)", "1 catalogued typical mistake")
    assert p.cell == "01_encode_tests"


def test_answer_cell_without_correct_alternative(root):
    own_catalogue(root, 'VARIANTS = [v for v in VARIANTS if v.breaks or all(e.cell != "01_encode" for e in v.edits)]')
    problems = lint(root)
    (p,) = reported(problems, "(01_encode)", "no correct alternative")
    assert p.cell == "01_encode"


def test_stale_catalogue_edit(root):
    def change(cells):
        c = cell(cells, "01_encode")
        c["source"] = "".join(c["source"]).replace("word_to_index.get(token, unk) for token in",
                                                   "word_to_index.get(t, unk) for t in")

    edit_notebook(root, change)
    reported(lint(root), "encode_drops_unknown", "no longer applies", "01_encode")


def test_no_catalogue_said_once(root, tmp_path):
    shutil.copytree(REPO / "solutions" / "03_bptt", root / "solutions" / "03_bptt")
    problems = lint(root, variants=tmp_path / "nowhere")
    absent = [p for p in problems if "is absent" in p.message]
    assert len(absent) == 1 and "nowhere" in absent[0].message
    assert not [p for p in problems if p not in absent and ("catalogue" in p.message or "alternative" in p.message)]
    assert {p.assignment for p in problems} <= {"(course)", "03_bptt"}  # 03_bptt's checks are not in this root


def test_stored_outputs_and_execution_count(root):
    def change(cells):
        c = cell(cells, "01_one_hot_tests")
        c["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["ok\n"]}]
        c["execution_count"] = 7

    edit_notebook(root, change)
    problems = lint(root)
    reported(problems, "(01_one_hot_tests)", "stored outputs")
    reported(problems, "(01_one_hot_tests)", "execution count")


def test_solution_cell_without_markers(root):
    def change(cells):
        c = cell(cells, "01_pad_batch")
        c["source"] = "".join(c["source"]).replace("    ### END SOLUTION", "")

    edit_notebook(root, change)
    (p,) = reported(lint(root), "(01_pad_batch)", "without ### END SOLUTION")
    assert p.cell == "01_pad_batch"


def test_graded_cell_without_points(root):
    def change(cells):
        cell(cells, "01_ner_targets_tests")["metadata"]["nbgrader"].pop("points")
        cell(cells, "01_why_not_standard")["metadata"]["nbgrader"].pop("points")

    edit_notebook(root, change)
    problems = lint(root)
    reported(problems, "(01_ner_targets_tests)", "no points")
    reported(problems, "(01_why_not_standard)", "no points")


def test_hidden_tests_block(root):
    def change(cells):
        c = cell(cells, "01_encode_tests")
        hidden = "\n### BEGIN HIDDEN TESTS\nassert encode('', w2i) == [5]\n### END HIDDEN TESTS"
        c["source"] = "".join(c["source"]) + hidden

    edit_notebook(root, change)
    (p,) = reported(lint(root), "(01_encode_tests)", "BEGIN HIDDEN TESTS", f"autograder/checks/{A}.py")
    assert p.cell == "01_encode_tests"


def test_test_cell_without_docstring_or_visible_assert(root):
    def change(cells):
        cell(cells, "01_encode_tests")["source"] = "w2i = {'a': 0}\n"

    edit_notebook(root, change)
    problems = lint(root)
    reported(problems, "(01_encode_tests)", "one-line docstring")
    reported(problems, "(01_encode_tests)", "visible assert")


def test_format_problems():
    assert format_problems([]) == "lint: no problems"
    text = format_problems([Problem(A, "01_encode", "cell 6 (01_encode): x"), Problem(A, None, "y")])
    assert text.splitlines() == [f"{A}:", "  - cell 6 (01_encode): x", "  - y", "lint: 2 problem(s)"]


def test_new_exercise_cells_metadata():
    answer, test, written = new_exercise_cells("01_relu", 2, written_points=1, taken={"01-relu"})
    assert answer.metadata.nbgrader == {"grade": False, "grade_id": "01_relu", "locked": False,
                                        "schema_version": 3, "solution": True, "task": False}
    assert test.metadata.nbgrader == {"grade": True, "grade_id": "01_relu_tests", "locked": True, "points": 2.0,
                                      "schema_version": 3, "solution": False, "task": False}
    assert written.cell_type == "markdown" and written.metadata.nbgrader["points"] == 1.0
    assert written.metadata.nbgrader["solution"] and not written.metadata.nbgrader["locked"]
    assert len({answer.id, test.id, written.id, "01-relu"}) == 4
    assert "### BEGIN SOLUTION" in answer.source and "def relu(" in answer.source
    assert test.source.startswith('"""relu: ') and "\nassert " in test.source
    with pytest.raises(ValueError, match="NN_name"):
        new_exercise_cells("relu", 2)


def test_add_exercise_passes_lint_once_checked_and_catalogued(root):
    path = notebook(root)
    before = nbformat.read(path, 4)
    after = len(before.cells) - 2  # before "What's next"
    heading, answer, test = add_exercise(path, after, "01_relu", 2, "Exercise 8 · A ReLU")
    nb = nbformat.read(path, 4)
    nbformat.validate(nb)
    assert [c.id for c in nb.cells[after + 1:after + 4]] == [heading.id, answer.id, test.id]
    assert heading.source.startswith("## Exercise 8 · A ReLU (2 points)")
    assert len({c.id for c in nb.cells}) == len(nb.cells)

    problems = lint(root)
    reported(problems, "(01_relu_tests)", "without a trusted check")
    reported(problems, "(01_relu_tests)", "0 catalogued typical mistake")
    reported(problems, "(01_relu)", "no correct alternative")
    assert {p.cell for p in problems} == {"01_relu", "01_relu_tests"}, format_problems(problems)

    checks = root / "autograder" / "checks" / f"{A}.py"
    checks.write_text(checks.read_text() + '''

@checks("01_relu_tests", functions=("relu",))
def relu(student):
    z = np.array([[-1.0, 0.0, 2.0]])
    check_close("relu(z)", student.relu(z), np.maximum(z, 0.0))  # exact: rtol 1e-7 is the default
''')
    placeholder = "raise NotImplementedError()"
    own_catalogue(root, f'''
VARIANTS += [
    Variant("relu_identity", (Edit("01_relu", "{placeholder}", "return x"),), frozenset({{"01_relu_tests"}})),
    Variant("relu_abs", (Edit("01_relu", "{placeholder}", "return abs(x)"),), frozenset({{"01_relu_tests"}})),
    Variant("relu_min", (Edit("01_relu", "{placeholder}", "return np.minimum(x, 0)"),),
            frozenset({{"01_relu_tests"}})),
    Variant("relu_where", (Edit("01_relu", "{placeholder}", "return np.where(x > 0, x, 0.0)"),)),
]''')
    problems = lint(root)
    assert problems == [], format_problems(problems)
