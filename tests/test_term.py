"""A term with a real class, through the real commands: release, two rounds of hand-ins (one late),
grade, hand-grading through the gradebook API, regrade, export, statistics and handing back."""

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from course_harness import REPO, Edit, fill

pytestmark = pytest.mark.slow
COMMAND = Path(sys.executable).parent / "rnnkit-course"
A = "01_notation"
NB = f"{A}.ipynb"
NO_EOS = Edit("01_encode", ' + [word_to_index["<EOS>"]]', "")


def run(root, *args):
    done = subprocess.run([str(COMMAND), "--root", str(root), "--db-url", f"sqlite:///{root / 'gb.db'}",
                           *map(str, args)], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def hand_in(folder, student, nb, when):
    (folder / student).mkdir(parents=True)
    nbformat.write(nb, folder / student / NB)
    (folder / student / "timestamp.txt").write_text(when)


def rows(root):
    with open(root / "autograder" / "reports" / f"{A}_grades.csv") as f:
        return {r["student"]: r for r in csv.DictReader(f)}


@pytest.fixture(scope="module")
def term(tmp_path_factory):
    root = tmp_path_factory.mktemp("term")
    shutil.copytree(REPO / "solutions" / A, root / "solutions" / A)
    shutil.copytree(REPO / "notebooks" / A, root / "notebooks" / A)
    (root / "autograder").mkdir()
    (root / "autograder" / "course.toml").write_text(
        '[late]\npolicy = "per_day"\nrate = 10\ncap = 50\n\n[due]\n01_notation = "2026-01-10 00:00"\n')
    release = nbformat.read(root / "notebooks" / A / NB, 4)
    source = nbformat.read(root / "solutions" / A / NB, 4)
    first, second = root / "round1", root / "round2"
    hand_in(first, "ada", fill(release, source), "2026-01-09 12:00:00 UTC")
    hand_in(first, "bob", fill(release, source, [NO_EOS]), "2026-01-09 18:00:00 UTC")
    hand_in(second, "cy", fill(release, source), "2026-01-11 02:00:00 UTC")  # 26 hours late: 2 started days
    run(root, "grade", A, first)
    after_first = rows(root)
    run(root, "grade", A, second)
    return root, after_first, rows(root)


def test_the_late_submission_is_penalised_per_started_day(term):
    _, _, report = term
    assert report["cy"]["late_hours"] == "26.0" and report["cy"]["late_penalty"] == "2.8", report["cy"]
    assert report["cy"]["score"] == "11.2"  # 14 − 20 %
    assert report["ada"]["late_penalty"] == "0" and report["ada"]["score"] == "14"


def test_the_second_round_keeps_the_first(term):
    _, first, report = term
    assert set(first) == {"ada", "bob"} and set(report) == {"ada", "bob", "cy"}
    assert report["bob"]["01_encode_tests"] == "0" and report["bob"]["01_one_hot_tests"] == "2"


def test_hand_grades_survive_a_regrade(term):
    from nbgrader.api import Gradebook

    root, _, _ = term
    with Gradebook(f"sqlite:///{root / 'gb.db'}") as gb:
        for student in ("ada", "bob"):
            (answer,) = [g for nb in gb.find_submission(A, student).notebooks for g in nb.grades
                         if g.name == "01_why_not_standard"]
            answer.manual_score = 1.5
        gb.db.commit()
    run(root, "grade", A, root / "round1")
    report = rows(root)
    assert (report["ada"]["score"], report["ada"]["needs_manual_grade"]) == ("15.5", "False"), report["ada"]
    assert report["cy"]["needs_manual_grade"] == "True"  # not graded by hand yet
