"""Bad input to the instructor command: one line naming the problem and the fix, exit 2, nothing changed."""

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from course_harness import REPO, fill

COMMAND = Path(sys.executable).parent / "rnnkit-course"
A = "01_notation"
NB = f"{A}.ipynb"


def run(*args, cwd=REPO):
    return subprocess.run([str(COMMAND), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=900)


@pytest.fixture
def course(tmp_path):
    shutil.copytree(REPO / "solutions" / A, tmp_path / "solutions" / A)
    (tmp_path / "subs" / "ada").mkdir(parents=True)
    nbformat.write(fill(nbformat.read(REPO / "notebooks" / A / NB, 4), nbformat.read(REPO / "solutions" / A / NB, 4)),
                   tmp_path / "subs" / "ada" / NB)
    (tmp_path / "empty").mkdir()
    (tmp_path / "a-file.txt").write_text("not a folder")
    rosters = {"roster.csv": "student_id,name,email\nada,\"Lovelace, Ada\",ada@example.org\n",
               "no-email.csv": "student_id,name\nada,Ada\n", "twice.csv": "student_id,name,email\nada,A,\nada,B,\n",
               "nobody.csv": "student_id,name,email\n", "latin1.csv": "student_id,name,email\n"}
    for name, text in rosters.items():
        (tmp_path / name).write_text(text)
    with open(tmp_path / "latin1.csv", "ab") as f:
        f.write("zoë,Zoë,z@example.org\n".encode("latin-1"))
    return tmp_path


def untouched(root):
    return not (root / "autograder").exists() and not (root / "gb.db").exists()


@pytest.mark.parametrize(("args", "says"), [
    (("grade", "99_nothing", "{subs}"), "unknown assignment '99_nothing'; the assignments in"),
    (("grade", A, "{root}/missing"), "does not exist"),
    (("grade", A, "{root}/a-file.txt"), "is a file: give the folder that holds one sub-folder per student"),
    (("grade", A, "{root}/empty"), "holds no student folders"),
    (("grade", A, "{subs}", "--jobs", "-2"), "argument --jobs: must be 1 or more, got -2"),
    (("grade", A, "{subs}", "--jobs", "0"), "argument --jobs: must be 1 or more, got 0"),
    (("--db-url", "not a url", "grade", A, "{subs}"), "is not a database URL"),
    (("--db-url", "oracle://x@y/z", "grade", A, "{subs}"), "use SQLite or PostgreSQL"),
    (("--db-url", "postgresql+psycopg2://u@127.0.0.1/db", "grade", A, "{subs}"),
     "needs the psycopg2 driver, which is not installed: pip install -e '.[postgres]'"),
    (("--db-url", "sqlite:///{root}/no/such/dir/gb.db", "grade", A, "{subs}"),
     "the folder of the SQLite gradebook"),
    (("release", "99_nothing"), "unknown assignment '99_nothing'"),
    (("export", "{root}/missing.csv"), "the roster {root}/missing.csv does not exist: give a CSV file whose first"),
    (("export", "{root}/empty"), "the roster {root}/empty is a folder"),
    (("export", "{root}/no-email.csv"), "has no column 'email' (its header must name student_id,name,email"),
    (("export", "{root}/twice.csv"), "duplicate student_id 'ada' (lines 2 and 3)"),
    (("export", "{root}/nobody.csv"), "lists no student"),
    (("export", "{root}/latin1.csv"), "is not UTF-8 text"),
    (("export", "{root}/roster.csv"), "nothing to export: no assignment is in the gradebook"),
    (("export", "{root}/roster.csv", A), f"{A} is not in the gradebook"),
    (("stats", "99_nothing"), "unknown assignment '99_nothing'"),
    (("stats", A), f"nobody has been graded for {A} yet in the gradebook"),
    (("feedback", "99_nothing", "--out", "{root}/handback"), "unknown assignment '99_nothing'"),
    (("feedback", A, "--out", "{root}/handback"), f"nobody has been graded for {A} yet"),
    (("feedback", A, "--out", "{root}/autograder/feedback/out"), "the grader's own folder: hand back into a folder"),
    (("feedback", A, "--out", "{root}/a-file.txt"), "is a file: give a folder"),
])
def test_bad_input_gets_one_line_and_exit_2(course, args, says):
    args = [a.format(root=course, subs=course / "subs") for a in args]
    says = says.format(root=course)
    done = run("--root", course, *(["--db-url", f"sqlite:///{course / 'gb.db'}"] if "--db-url" not in args else []),
               *args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert says in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and done.stderr.strip().count("\n") <= 2, done.stderr
    assert untouched(course)


@pytest.mark.slow
def test_the_report_holds_every_student_of_every_run_and_an_assignment_changed_after_grading_is_refused(course):
    db = f"sqlite:///{course / 'gb.db'}"
    assert run("--root", course, "--db-url", db, "grade", A, course / "subs").returncode == 0
    late = course / "late" / "bea"
    late.mkdir(parents=True)
    shutil.copy(course / "subs" / "ada" / NB, late / NB)
    assert run("--root", course, "--db-url", db, "grade", A, course / "late").returncode == 0
    report = (course / "autograder" / "reports" / f"{A}_grades.csv").read_text()
    assert "\nada," in report and "\nbea," in report, report  # the late run did not drop ada
    assert "01_encode_tests" in report.splitlines()[0]  # a column per exercise
    before = report
    done = run("--root", course, "--db-url", db, "grade", A, course / "empty")
    assert done.returncode == 2 and (course / "autograder" / "reports" / f"{A}_grades.csv").read_text() == before
    # a graded cell removed from the source after grading: one line that says what is allowed and the way through
    path = course / "solutions" / A / NB
    nb = nbformat.read(path, 4)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "01_why_not_standard"]
    nbformat.write(nb, path)
    done = run("--root", course, "--db-url", db, "grade", A, course / "subs")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "release it as a new assignment" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert (course / "autograder" / "reports" / f"{A}_grades.csv").read_text() == before
