"""The instructor command end to end: `rnnkit-course grade` on a folder of submissions, in a temporary course."""

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from course_harness import REPO, fill

pytestmark = pytest.mark.slow
ASSIGNMENT = "01_notation"
COMMAND = Path(sys.executable).parent / "rnnkit-course"


def run(*args, cwd=REPO):
    return subprocess.run([str(COMMAND), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(REPO / "solutions" / ASSIGNMENT, root / "solutions" / ASSIGNMENT)
    source = nbformat.read(REPO / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    release = nbformat.read(REPO / "notebooks" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    subs = root / "submissions"
    for student in ("ada", "bob", "cy", "dee"):
        (subs / student).mkdir(parents=True)
    nbformat.write(fill(release, source), subs / "ada" / f"{ASSIGNMENT}.ipynb")  # complete
    nbformat.write(release, subs / "bob" / f"{ASSIGNMENT}.ipynb")  # handed in untouched
    nbformat.write(fill(release, source), subs / "cy" / "my_homework.ipynb")  # wrongly named
    (subs / "dee" / f"{ASSIGNMENT}.ipynb").write_text('{"cells": [')  # truncated file
    db = f"sqlite:///{root / 'gradebook.db'}"
    done = run("--root", root, "--db-url", db, "grade", ASSIGNMENT, subs, "--jobs", 2)
    with open(root / "autograder" / "reports" / f"{ASSIGNMENT}_grades.csv") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    return root, done, rows


def test_command_succeeds_and_prints_a_summary(graded):
    _, done, _ = graded
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[4/4]" in done.stdout and "ada" in done.stdout and "14/16" in done.stdout


def test_complete_submission_gets_every_automatic_point(graded):
    _, _, rows = graded
    # 14 automatic points of 16; the 2 of the written answer wait for the instructor
    assert (rows["ada"]["score"], rows["ada"]["max_score"]) == ("14", "16")
    assert rows["ada"]["needs_manual_grade"] == "True" and rows["ada"]["status"] == "graded"


def test_untouched_release_gets_zero(graded):
    _, _, rows = graded
    assert rows["bob"]["score"] == "0" and rows["bob"]["status"] == "graded"


def test_wrongly_named_and_corrupt_submissions_are_reported_not_fatal(graded):
    _, _, rows = graded
    assert "missing notebook 01_notation.ipynb" in rows["cy"]["notes"]
    assert "my_homework.ipynb" in rows["cy"]["notes"] and rows["cy"]["score"] == "0"
    assert rows["dee"]["score"] == "0" and rows["dee"]["notes"], rows["dee"]


def test_feedback_is_written_for_graded_students(graded):
    root, _, _ = graded
    html = root / "autograder" / "feedback" / "ada" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    assert html.is_file() and "build_vocabulary" in html.read_text()


def test_release_check_passes_on_the_committed_release():
    done = run("release", "--check")
    assert done.returncode == 0 and "up to date" in done.stdout, done.stdout + done.stderr


def test_release_check_fails_on_a_stale_release(tmp_path):
    shutil.copytree(REPO / "solutions" / ASSIGNMENT, tmp_path / "solutions" / ASSIGNMENT)
    shutil.copytree(REPO / "notebooks" / ASSIGNMENT, tmp_path / "notebooks" / ASSIGNMENT)
    path = tmp_path / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(path, 4)
    nb.cells[0].source += "\nOne more sentence."
    nbformat.write(nb, path)
    done = run("--root", tmp_path, "release", "--check")
    assert done.returncode == 1 and f"notebooks/{ASSIGNMENT}/{ASSIGNMENT}.ipynb" in done.stdout
