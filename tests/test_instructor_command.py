"""The instructor command end to end on a class with bad submissions, in a temporary course.

Each bad submission gets a line in the grade report that says what happened, the other
students are graded normally, and running the command again gives the same report.
"""

import copy
import csv
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from course_harness import REPO, Edit, fill
from test_assignments import secret_lines

pytestmark = pytest.mark.slow
ASSIGNMENT = "01_notation"
NB = f"{ASSIGNMENT}.ipynb"
COMMAND = Path(sys.executable).parent / "rnnkit-course"
ENCODE_OK = "    unk = word_to_index[\"<UNK>\"]\n"


def run(*args, cwd=REPO):
    return subprocess.run([str(COMMAND), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=900)


def class_of_submissions(folder):
    """{student: what they handed in}, written under ``folder``."""
    source = nbformat.read(REPO / "solutions" / ASSIGNMENT / NB, 4)
    release = nbformat.read(REPO / "notebooks" / ASSIGNMENT / NB, 4)

    def good(*edits):
        return fill(release, source, edits)

    def without(nb, grade_id):
        nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != grade_id]
        return nb

    def duplicated(nb, grade_id):
        i = next(k for k, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
        twin = copy.deepcopy(nb.cells[i])
        twin["id"] = "pasted-copy"  # Jupyter gives a pasted cell a new id, and keeps its nbgrader metadata
        nb.cells.insert(i + 1, twin)
        return nb

    def edited_test(nb, grade_id, source):
        next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id).source = source
        return nb

    broken_encode = Edit("01_encode", ' + [word_to_index["<EOS>"]]', "")
    notebooks = {
        "ada": good(),
        "bob": release,
        "gus": good(Edit("01_encode", ENCODE_OK, ENCODE_OK + "    while True:\n        pass\n")),
        "hal": good(Edit("01_one_hot", "def one_hot", "raise RuntimeError('unfinished')\n\n\ndef one_hot")),
        "ida": good(Edit("01_ner_targets", "def ner_targets", "import sys\nsys.exit()\n\n\ndef ner_targets")),
        "jon": good(Edit("01_ner_targets", "def ner_targets", "import os\nos._exit(0)\n\n\ndef ner_targets")),
        "kim": without(good(), "01_encode_tests"),
        "lee": edited_test(good(broken_encode), "01_encode_tests", "pass"),
        "max": duplicated(good(), "01_encode_tests"),
        "ned": good(Edit("01_encode", ' + [word_to_index["<EOS>"]]',
                         "\n\n\nnp.testing.assert_allclose = lambda *a, **k: None\n"
                         "check_equal = check_close = lambda *a, **k: None\n")),
        "oz": good(Edit("01_pad_batch", "def pad_batch",
                        "for _ in range(300):\n    print('x' * 2**20)\n\n\ndef pad_batch")),
        "pat": good(Edit("01_ner_targets", "def ner_targets", "hog = np.ones(2**31)\n\n\ndef ner_targets")),
    }
    for student, nb in notebooks.items():
        (folder / student).mkdir(parents=True)
        nbformat.write(nb, folder / student / NB)
    (folder / "cy").mkdir()
    nbformat.write(good(), folder / "cy" / "my_homework.ipynb")  # wrongly named
    (folder / "dee").mkdir()
    (folder / "dee" / NB).write_text((REPO / "notebooks" / ASSIGNMENT / NB).read_text()[:500])  # truncated
    (folder / "eve").mkdir()
    (folder / "eve" / NB).write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))  # not a notebook at all
    (folder / "fay").mkdir()  # handed in nothing


def report(root):
    with open(root / "autograder" / "reports" / f"{ASSIGNMENT}_grades.csv") as f:
        return {r["student"]: r for r in csv.DictReader(f)}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(REPO / "solutions" / ASSIGNMENT, root / "solutions" / ASSIGNMENT)
    class_of_submissions(root / "submissions")
    db = f"sqlite:///{root / 'gradebook.db'}"
    first = run("--root", root, "--db-url", db, "--timeout", 10, "grade", ASSIGNMENT, root / "submissions")
    rows = report(root)
    again = run("--root", root, "--db-url", db, "--timeout", 10, "grade", ASSIGNMENT, root / "submissions")
    return root, first, rows, again, report(root)


def score(rows, student):
    return float(rows[student]["score"])


def test_command_succeeds_with_a_progress_line_and_a_summary(graded):
    _, done, rows, _, _ = graded
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"[{len(rows)}/{len(rows)}]" in done.stdout and "ada" in done.stdout and "14/16" in done.stdout


def test_good_and_blank_submissions_are_graded_normally(graded):
    _, _, rows, _, _ = graded
    assert (rows["ada"]["score"], rows["ada"]["max_score"], rows["ada"]["status"]) == ("14", "16", "graded")
    assert rows["ada"]["needs_manual_grade"] == "True"  # the written answer waits for the instructor
    assert score(rows, "bob") == 0 and rows["bob"]["status"] == "graded"


@pytest.mark.parametrize(
    ("student", "expected_score", "says"),
    [
        ("cy", 14, "graded my_homework.ipynb, submitted under a wrong name"),
        ("dee", 0, "not a valid notebook (corrupt or truncated"),
        ("eve", 0, "not a valid notebook"),
        ("fay", 0, "missing notebook 01_notation.ipynb"),
        ("gus", 12, "01_encode_tests: interrupted after the 10 s limit"),
        ("kim", 14, "deleted test cell 01_encode_tests restored from the release"),
        ("lee", 12, "edited test cell 01_encode_tests (nbgrader grades the original)"),
        ("max", 14, "duplicated cell 01_encode_tests removed"),
        ("oz", 14, "printed more than 20 MiB; the rest was cut"),
        ("pat", 12, "ran out of the 4096 MiB memory limit"),
        ("jon", 12, "01_ner_targets: the kernel died running it"),  # only the exercise of the fatal cell is lost
    ],
)
def test_bad_submission_gets_a_line_that_says_what_happened(graded, student, expected_score, says):
    _, _, rows, _, _ = graded
    assert says in rows[student]["notes"], rows[student]
    assert score(rows, student) == expected_score, rows[student]


def test_exceptions_exits_and_monkey_patching_cost_only_their_exercise(graded):
    _, _, rows, _, _ = graded
    assert score(rows, "hal") == 12  # one_hot never defined
    assert score(rows, "ida") == 12  # sys.exit() before ner_targets was defined: IPython carries on
    assert score(rows, "ned") == 12  # patched checks fool the visible test, not the grader's own checks


def test_a_second_run_gives_the_same_report(graded):
    _, _, first, again, second = graded
    assert again.returncode == 0, again.stdout + again.stderr
    strip = lambda rows: {s: (r["score"], r["status"], r["notes"]) for s, r in rows.items()}  # noqa: E731
    assert strip(second) == strip(first)


def test_feedback_holds_no_hidden_test(graded):
    root, _, _, _, _ = graded
    pages = sorted((root / "autograder" / "feedback").rglob("*.html"))
    assert {p.parts[-3] for p in pages} >= {"ada", "bob", "lee", "ned"}
    secrets = secret_lines(ASSIGNMENT)
    for page in pages:
        text = page.read_text()
        assert "HIDDEN TESTS" not in text and "sealed()" not in text, page
        assert not [s for s in secrets if s in text], page
    page = root / "autograder" / "feedback" / "ada" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    assert "build_vocabulary" in page.read_text()


def test_grades_in_the_gradebook_survive_a_regrade_and_a_broken_resubmission(tmp_path):
    """A manual grade stays through a re-run; a later corrupt notebook keeps the grade there and says so."""
    from nbgrader.api import Gradebook

    shutil.copytree(REPO / "solutions" / ASSIGNMENT, tmp_path / "solutions" / ASSIGNMENT)
    source = nbformat.read(REPO / "solutions" / ASSIGNMENT / NB, 4)
    (tmp_path / "subs" / "ada").mkdir(parents=True)
    nbformat.write(fill(nbformat.read(REPO / "notebooks" / ASSIGNMENT / NB, 4), source), tmp_path / "subs" / "ada" / NB)
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"
    args = ("--root", tmp_path, "--db-url", db, "grade", ASSIGNMENT, tmp_path / "subs")
    assert run(*args).returncode == 0
    with Gradebook(db) as gb:  # the instructor grades the written answer by hand
        (answer,) = [g for nb in gb.find_submission(ASSIGNMENT, "ada").notebooks for g in nb.grades
                     if g.auto_score is None]
        answer.manual_score = answer.max_score
        gb.db.commit()
    assert run(*args).returncode == 0
    assert (report(tmp_path)["ada"]["score"], report(tmp_path)["ada"]["max_score"]) == ("16", "16")
    # the hand grade and its "graded" state both survive the regrade (nbgrader alone flags it again)
    assert report(tmp_path)["ada"]["needs_manual_grade"] == "False", report(tmp_path)["ada"]
    with Gradebook(db) as gb:
        assert not [g.name for nb in gb.find_submission(ASSIGNMENT, "ada").notebooks for g in nb.grades
                    if g.needs_manual_grade]
    before = (tmp_path / "autograder" / "submitted" / "ada" / ASSIGNMENT / NB).read_text()
    (tmp_path / "subs" / "ada" / NB).write_text("{ truncated")
    assert run(*args).returncode == 0
    row = report(tmp_path)["ada"]
    assert row["score"] == "16" and "not a valid notebook" in row["notes"], row
    assert "the grade already in the gradebook is kept" in row["notes"], row
    # ... and the earlier good copy stays in submitted/
    assert (tmp_path / "autograder" / "submitted" / "ada" / ASSIGNMENT / NB).read_text() == before


def test_release_check_passes_on_the_committed_release():
    done = run("release", "--check")
    assert done.returncode == 0 and "up to date" in done.stdout, done.stdout + done.stderr


def test_release_check_fails_on_a_stale_release(tmp_path):
    shutil.copytree(REPO / "solutions" / ASSIGNMENT, tmp_path / "solutions" / ASSIGNMENT)
    shutil.copytree(REPO / "notebooks" / ASSIGNMENT, tmp_path / "notebooks" / ASSIGNMENT)
    path = tmp_path / "solutions" / ASSIGNMENT / NB
    nb = nbformat.read(path, 4)
    nb.cells[0].source += "\nOne more sentence."
    nbformat.write(nb, path)
    done = run("--root", tmp_path, "release", "--check")
    assert done.returncode == 1 and f"notebooks/{ASSIGNMENT}/{NB}" in done.stdout


def test_grade_refuses_to_run_without_a_sandbox_unless_told(tmp_path):
    """Without bubblewrap the command stops before grading; --no-sandbox grades and the report says how."""
    import os

    shutil.copytree(REPO / "solutions" / ASSIGNMENT, tmp_path / "solutions" / ASSIGNMENT)
    (tmp_path / "subs" / "ada").mkdir(parents=True)
    nbformat.write(fill(nbformat.read(REPO / "notebooks" / ASSIGNMENT / NB, 4),
                        nbformat.read(REPO / "solutions" / ASSIGNMENT / NB, 4)), tmp_path / "subs" / "ada" / NB)
    env = {**os.environ, "RNNKIT_BWRAP": str(tmp_path / "no-such-bwrap")}
    args = [str(COMMAND), "--root", tmp_path, "--db-url", f"sqlite:///{tmp_path / 'gb.db'}", "grade", ASSIGNMENT,
            tmp_path / "subs"]
    refused = subprocess.run([*map(str, args)], capture_output=True, text=True, env=env, timeout=300)
    assert refused.returncode == 2 and "cannot sandbox" in refused.stderr and "--no-sandbox" in refused.stderr
    assert not (tmp_path / "autograder" / "reports").exists() and not (tmp_path / "gb.db").exists()
    done = subprocess.run([*map(str, args), "--no-sandbox"], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    row = report(tmp_path)["ada"]
    assert row["score"] == "14" and "graded without a sandbox" in row["notes"], row


def test_check_grades_the_solutions_clean():
    done = run("check", ASSIGNMENT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "clean: full marks, blank release zero" in done.stdout
    assert "Exercise 2 · encode" in done.stdout and "by hand" in done.stdout


def test_feedback_names_each_exercise_and_shows_nothing_of_the_grader(graded):
    root = graded[0]
    page = (root / "autograder" / "feedback" / "lee" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "Exercise 2 · encode" in page and "0 / 2" in page  # lee's encode drops <EOS>
    assert "Written answer · Why not a standard network?" in page and "awaiting grading" in page
    assert "Test cell" not in page and "Added by the grader" not in page and "setrlimit" not in page
    assert "CheckFailed" not in page and "sandbox" not in page.lower()


def test_lint_passes_on_the_committed_solutions():
    done = run("lint")
    assert done.returncode == 0 and "no problems" in done.stdout, done.stdout + done.stderr


def test_similarity_reports_a_copied_submission(tmp_path):
    source = nbformat.read(REPO / "solutions" / ASSIGNMENT / NB, 4)
    release = nbformat.read(REPO / "notebooks" / ASSIGNMENT / NB, 4)
    shutil.copytree(REPO / "solutions" / ASSIGNMENT, tmp_path / "solutions" / ASSIGNMENT)
    shutil.copytree(REPO / "notebooks" / ASSIGNMENT, tmp_path / "notebooks" / ASSIGNMENT)
    for student, nb in (("ada", fill(release, source)), ("bob", fill(release, source)), ("cy", release)):
        (tmp_path / "subs" / student).mkdir(parents=True)
        nbformat.write(nb, tmp_path / "subs" / student / NB)
    done = run("--root", tmp_path, "similarity", ASSIGNMENT, tmp_path / "subs")
    assert done.returncode == 0, done.stdout + done.stderr
    table = done.stdout.split("CSV")[0]
    assert "ada        bob        (overall)              1.00" in done.stdout and "cy " not in table
    assert (tmp_path / "autograder" / "reports" / f"{ASSIGNMENT}_similarity.png").stat().st_size > 10_000
