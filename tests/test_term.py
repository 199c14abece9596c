"""A term with a real class, through the real commands: release, two rounds of hand-ins (one late),
grade, hand-grading through nbgrader's gradebook API, regrade, export, statistics and handing back.

The term runs once for the module (01_notation, the smallest assignment); each test reads what one
step left behind.
"""

import csv
import shutil
import statistics
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from course_harness import REPO, Edit, fill

pytestmark = pytest.mark.slow
COMMAND = Path(sys.executable).parent / "rnnkit-course"
A = "01_notation"
NB = f"{A}.ipynb"
WRITTEN = "01_why_not_standard"  # the written answer, graded by hand
NO_EOS = Edit("01_encode", ' + [word_to_index["<EOS>"]]', "")
ROSTER = "student_id,name,email\nada,\"Lovelace, Ada\",ada@example.org\nbob,\"Bobson, Bob\",bob@example.org\n" \
         "cy,\"Young, Cy\",cy@example.org\ndan,\"Dean, Dan\",dan@example.org\n"


def run(root, *args):
    done = subprocess.run([str(COMMAND), "--root", str(root), "--db-url", f"sqlite:///{root / 'gb.db'}",
                           *map(str, args)], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def hand_in(folder, student, nb, when):
    (folder / student).mkdir(parents=True)
    nbformat.write(nb, folder / student / NB)
    (folder / student / "timestamp.txt").write_text(when)


def csv_rows(path, key):
    with open(path, newline="") as f:
        return {r[key]: r for r in csv.DictReader(f)}


def rows(root):
    return csv_rows(root / "autograder" / "reports" / f"{A}_grades.csv", "student")


def hand_grade(root, points):
    """Grade the written answer as the formgrader does: a manual score, no longer awaiting a grade."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gb.db'}") as gb:
        for student, score in points.items():
            (answer,) = [g for nb in gb.find_submission(A, student).notebooks for g in nb.grades if g.name == WRITTEN]
            answer.manual_score, answer.needs_manual_grade = score, False
        gb.db.commit()


@pytest.fixture(scope="module")
def term(tmp_path_factory):
    root = tmp_path_factory.mktemp("term")
    shutil.copytree(REPO / "solutions" / A, root / "solutions" / A)
    (root / "autograder").mkdir()
    (root / "autograder" / "course.toml").write_text(
        '[late]\npolicy = "per_day"\nrate = 10\ncap = 50\n\n[due]\n01_notation = "2026-01-10 00:00"\n')
    said = {"release": run(root, "release", A)}
    release = nbformat.read(root / "notebooks" / A / NB, 4)
    source = nbformat.read(root / "solutions" / A / NB, 4)
    first, second = root / "round1", root / "round2"
    hand_in(first, "ada", fill(release, source), "2026-01-09 12:00:00 UTC")
    hand_in(first, "bob", fill(release, source, [NO_EOS]), "2026-01-09 18:00:00 UTC")
    hand_in(second, "cy", fill(release, source), "2026-01-11 02:00:00 UTC")  # 26 hours late: 2 started days
    run(root, "grade", A, first)
    reports = {"first": rows(root)}
    run(root, "grade", A, second)
    reports["second"] = rows(root)
    hand_grade(root, {"ada": 1.5, "bob": 1.5})
    run(root, "grade", A, first)  # a regrade of the first round
    reports["regrade"] = rows(root)
    hand_grade(root, {"cy": 2.0})  # after the last grade run
    (root / "roster.csv").write_text(ROSTER)
    said["export"] = run(root, "export", root / "roster.csv")
    said["stats"] = run(root, "stats", A)
    said["feedback"] = run(root, "feedback", A, "--out", root / "handback")
    return root, reports, said


def test_the_release_holds_no_solution(term):
    root, _, said = term
    assert "regenerated 1 assignment(s)" in said["release"]
    text = (root / "notebooks" / A / NB).read_text()
    assert "raise NotImplementedError()" in text and 'word_to_index["<EOS>"]]' not in text


def test_the_late_submission_is_penalised_per_started_day(term):
    _, reports, _ = term
    cy = reports["second"]["cy"]
    assert (cy["late_hours"], cy["late_penalty"], cy["score"]) == ("26.0", "2.8", "11.2"), cy  # 14 − 20 %
    assert reports["second"]["ada"]["late_penalty"] == "0" and reports["second"]["ada"]["score"] == "14"


def test_the_second_round_keeps_the_first(term):
    _, reports, _ = term
    assert set(reports["first"]) == {"ada", "bob"} and set(reports["second"]) == {"ada", "bob", "cy"}
    assert reports["second"]["bob"]["01_encode_tests"] == "0" and reports["second"]["bob"]["01_one_hot_tests"] == "2"


def test_hand_grades_and_their_graded_state_survive_a_regrade(term):
    _, reports, _ = term
    after = reports["regrade"]
    ada = after["ada"]
    assert (ada["score"], ada["needs_manual_grade"], ada[WRITTEN]) == ("15.5", "False", "1.5")
    assert (after["bob"]["score"], after["bob"]["needs_manual_grade"]) == ("13.5", "False")
    assert after["cy"]["needs_manual_grade"] == "True"  # not graded by hand yet


def test_the_export_carries_the_hand_grades_and_the_late_penalty(term):
    root, _, said = term
    reports = root / "autograder" / "reports"
    table = csv_rows(reports / "course_grades.csv", "student_id")
    # cy's written answer was graded after the last grade run: 20 % of (14 + 2), not of the 14 of that run
    assert {s: (r[A], r["total"], r["max_total"]) for s, r in table.items()} == {
        "ada": ("15.5", "15.5", "16"), "bob": ("13.5", "13.5", "16"), "cy": ("12.8", "12.8", "16"),
        "dan": ("", "", "16")}
    with open(reports / "canvas_grades.csv", newline="") as f:
        canvas = list(csv.reader(f))
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", A]
    assert canvas[1][0] == "Points Possible" and canvas[1][5] == "16"
    assert canvas[2:] == [["Lovelace, Ada", "", "", "ada", "", "15.5"], ["Bobson, Bob", "", "", "bob", "", "13.5"],
                          ["Young, Cy", "", "", "cy", "", "12.8"], ["Dean, Dan", "", "", "dan", "", ""]]
    moodle = csv_rows(reports / "moodle_grades.csv", "Email address")
    assert {e: r[A] for e, r in moodle.items()} == {"ada@example.org": "15.5", "bob@example.org": "13.5",
                                                    "cy@example.org": "12.8", "dan@example.org": ""}
    assert "not in the roster" not in said["export"]


def test_the_stats_figures_are_the_gradebooks(term):
    from nbgrader.api import Gradebook

    root, _, said = term
    with Gradebook(f"sqlite:///{root / 'gb.db'}") as gb:
        cells = {}
        for sub in gb.assignment_submissions(A):
            for g in sub.notebooks[0].grades:
                cells.setdefault(g.name, []).append(g.score)
    table = csv_rows(root / "autograder" / "reports" / f"{A}_stats.csv", "cell")
    assert set(table) == set(cells) and len(cells) == 8
    for cell, scores in cells.items():
        assert int(table[cell]["graded"]) == len(scores) == 3, cell
        assert float(table[cell]["mean"]) == pytest.approx(statistics.fmean(scores), abs=0.005), cell
        assert float(table[cell]["median"]) == statistics.median(scores), cell
    assert (table["01_encode_tests"]["mean"], table["01_encode_tests"]["median"]) == ("1.33", "2")  # bob lost it
    assert (table[WRITTEN]["mean"], table[WRITTEN]["median"], table[WRITTEN]["awaiting_manual_grade"]) == (
        "1.67", "1.5", "0")  # every hand grade counted
    assert "3 students graded" in said["stats"] and (root / "autograder" / "reports" / f"{A}_stats.png").is_file()


def test_each_zip_holds_the_students_own_feedback_and_grade(term):
    root, _, said = term
    out, pages = root / "handback", root / "autograder" / "feedback"
    assert f"3 students, a folder and a zip each, in {out}: ada, bob, cy" in said["feedback"]
    mine = {}
    for student in ("ada", "bob", "cy"):
        with zipfile.ZipFile(out / f"{student}.zip") as z:
            assert sorted(z.namelist()) == [f"{student}/{A}.html", f"{student}/grade.txt"]
            mine[student] = z.read(f"{student}/{A}.html")
            assert mine[student] == (pages / student / A / f"{A}.html").read_bytes()
            grade = z.read(f"{student}/grade.txt").decode()
        assert f"assignment: {A}" in grade
    assert len(set(mine.values())) == 3  # three different pages: each student's own
    cy = (out / "cy" / "grade.txt").read_text()
    assert "score: 12.8 / 16" in cy and "late: 26.0 h after the due date, 3.2 points taken off" in cy
    assert "awaits" not in cy
    # the page was rebuilt from the gradebook: cy's hand grade (entered after the last grade run) is in it
    page = mine["cy"].decode()
    assert "<td>Written answer · Why not a standard network?</td>\n<td>2 / 2</td>" in page
    assert "awaiting grading" not in page and "awaiting your instructor" not in page
    assert "score: 13.5 / 16" in (out / "bob" / "grade.txt").read_text()
