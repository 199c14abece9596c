"""The end-of-term commands on a really graded course: export (course table, Canvas, Moodle), stats, feedback --out.

One temporary course is graded once for the module with the instructor command: 01_notation for
ada (correct), bob and cy (typical mistakes) and eve (a corrupt file: never graded); 02_forward_pass
for ada, bob, cy and zed (graded, not on the roster), where bob and cy reproduce the same named mistake.
dan is on the roster and never handed anything in. Every step goes through `rnnkit-course`.
"""

import csv
import html
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from course_harness import REPO, Edit, fill

from autograder.export import read_roster

COMMAND = Path(sys.executable).parent / "rnnkit-course"
A1, A2 = "01_notation", "02_forward_pass"
NO_EOS = Edit("01_encode", ' + [word_to_index["<EOS>"]]', "")
TRANSPOSED = (Edit("01_one_hot", "x = np.zeros((n_x, 1, len(indices)))", "x = np.zeros((len(indices), 1, n_x))"),
              Edit("01_one_hot", "x[index, 0, t] = 1.0", "x[t, 0, index] = 1.0"))
FIRST_STEP = Edit("02_many_to_one", "a_last = a[:, :, -1]", "a_last = a[:, :, 0]")
NO_BIAS = Edit("02_rnn_cell_forward", "a_next = np.tanh(Waa @ a_prev + Wax @ xt + ba)",
               "a_next = np.tanh(Waa @ a_prev + Wax @ xt)")
FIRST_STEP_MISTAKE = "the prediction from a<1>: the many-to-one output reads the LAST state a<T_x>"
NO_BIAS_MISTAKE = "tanh(Waa a<t-1> + Wax x<t>): the bias ba is left out"
ROSTER = [("ada", "Lovelace, Ada", "ada@example.org"), ("bob", "Bobson, Bob", "bob@example.org"),
          ("cy", "Young, Cy", ""), ("dan", "Dean, Dan", "dan@example.org"), ("eve", "Evans, Eve", "eve@example.org")]


def write_submissions(folder, assignment, students):
    source = nbformat.read(REPO / "solutions" / assignment / f"{assignment}.ipynb", 4)
    release = nbformat.read(REPO / "notebooks" / assignment / f"{assignment}.ipynb", 4)
    for student, edits in students.items():
        (folder / student).mkdir(parents=True)
        if edits is None:
            (folder / student / f"{assignment}.ipynb").write_text('{"cells": [')  # truncated: never graded
        else:
            nbformat.write(fill(release, source, edits), folder / student / f"{assignment}.ipynb")


def write_roster(path, rows, header=("student_id", "name", "email")):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


def command(root, *args):
    """``rnnkit-course`` on the temporary course ``root`` and its gradebook."""
    return subprocess.run([str(COMMAND), "--root", str(root), "--db-url", f"sqlite:///{root / 'gradebook.db'}",
                           *map(str, args)], cwd=REPO, capture_output=True, text=True, timeout=900)


def ok(done):
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def refused(done, says):
    assert done.returncode == 2 and says in done.stderr and "Traceback" not in done.stderr, done.stdout + done.stderr


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("term")
    classes = {A1: {"ada": (), "bob": (NO_EOS,), "cy": (NO_EOS, *TRANSPOSED), "eve": None},
               A2: {"ada": (), "bob": (FIRST_STEP, NO_BIAS), "cy": (FIRST_STEP,), "zed": ()}}
    for assignment, students in classes.items():
        shutil.copytree(REPO / "solutions" / assignment, root / "solutions" / assignment)
        write_submissions(root / "submissions" / assignment, assignment, students)
        ok(command(root, "--timeout", "20", "grade", assignment, root / "submissions" / assignment))
    write_roster(root / "roster.csv", ROSTER)
    return root


def report(course, assignment):
    with open(course / "autograder" / "reports" / f"{assignment}_grades.csv", newline="") as f:
        return {r["student"]: r for r in csv.DictReader(f)}


# ---------------------------------------------------------------------------------------------- roster


def test_roster_without_a_column_is_refused_by_name(tmp_path):
    path = write_roster(tmp_path / "r.csv", [("ada", "Ada")], header=("student_id", "name"))
    with pytest.raises(ValueError, match="no column 'email'"):
        read_roster(path)


def test_roster_with_a_duplicate_id_is_refused_by_name(tmp_path):
    path = write_roster(tmp_path / "r.csv", [("ada", "Ada", "a@x"), ("bob", "Bob", "b@x"), ("ada", "Ada 2", "")])
    with pytest.raises(ValueError, match=r"duplicate student_id 'ada' \(lines 2 and 4\)"):
        read_roster(path)


def test_roster_reads_a_spreadsheet_export_with_extra_columns(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("\ufeffstudent_id, name ,email,section\n ada ,Ada,a@x,1\n\n", encoding="utf-8")
    assert read_roster(path) == [{"student_id": "ada", "name": "Ada", "email": "a@x"}]


# ---------------------------------------------------------------------------------------------- export


@pytest.fixture(scope="module")
def exported(course):
    out = course / "exports"
    said = ok(command(course, "export", course / "roster.csv", "--out", out))
    return {kind: out / name for kind, name in (("grades", "course_grades.csv"), ("canvas", "canvas_grades.csv"),
                                                ("moodle", "moodle_grades.csv"), ("strays", "not_in_roster.csv"))}, said


@pytest.mark.slow
def test_the_class_was_graded_as_set_up(course):
    r1, r2 = report(course, A1), report(course, A2)
    assert {s: (r["score"], r["max_score"], r["status"]) for s, r in r1.items()} == {
        "ada": ("14", "16", "graded"), "bob": ("12", "16", "graded"), "cy": ("10", "16", "graded"),
        "eve": ("0", "16", "not graded")}
    assert float(r2["ada"]["score"]) > float(r2["cy"]["score"]) > float(r2["bob"]["score"])
    results = json.loads((course / "autograder" / "results" / A2 / "bob.json").read_text())
    assert results["02_many_to_one_tests"]["mistake"] == FIRST_STEP_MISTAKE


@pytest.mark.slow
def test_course_table_has_a_row_per_roster_student_and_a_column_per_assignment(course, exported):
    paths, _ = exported
    r1, r2 = report(course, A1), report(course, A2)
    max_total = float(r1["ada"]["max_score"]) + float(r2["ada"]["max_score"])
    rows = read_rows(paths["grades"])
    assert rows[0] == ["student_id", "name", "email", A1, A2, "total", "max_total"]
    body = {r[0]: r for r in rows[1:]}
    assert [r[0] for r in rows[1:]] == [s for s, _, _ in ROSTER]
    for s in ("ada", "bob", "cy"):
        assert body[s][1:5] == [dict((x, n) for x, n, _ in ROSTER)[s], dict((x, e) for x, _, e in ROSTER)[s],
                                r1[s]["score"], r2[s]["score"]]
        assert float(body[s][5]) == float(r1[s]["score"]) + float(r2[s]["score"])
        assert float(body[s][6]) == max_total
    assert body["dan"][3:6] == ["", "", ""] and float(body["dan"][6]) == max_total  # never graded: empty
    assert body["eve"][3:6] == ["", "", ""]  # a corrupt hand-in is not a grade
    assert "zed" not in body


@pytest.mark.slow
def test_canvas_file_has_the_gradebook_export_columns_and_a_points_possible_row(course, exported):
    paths, _ = exported
    r2 = report(course, A2)
    rows = read_rows(paths["canvas"])
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", A1, A2]
    assert rows[1] == ["Points Possible", "", "", "", "", "16", r2["ada"]["max_score"]]
    assert rows[2] == ["Lovelace, Ada", "", "", "ada", "", "14", r2["ada"]["score"]]
    assert rows[3] == ["Bobson, Bob", "", "", "bob", "", "12", r2["bob"]["score"]]
    assert rows[4] == ["Young, Cy", "", "", "cy", "", "10", r2["cy"]["score"]]
    assert rows[5] == ["Dean, Dan", "", "", "dan", "", "", ""]
    assert len(rows) == 2 + len(ROSTER)


@pytest.mark.slow
def test_moodle_file_maps_email_address_to_each_grade_item(course, exported):
    paths, said = exported
    r2 = report(course, A2)
    rows = read_rows(paths["moodle"])
    assert rows[0] == ["Email address", A1, A2]
    assert rows[1:] == [["ada@example.org", "14", r2["ada"]["score"]], ["bob@example.org", "12", r2["bob"]["score"]],
                        ["dan@example.org", "", ""], ["eve@example.org", "", ""]]  # cy has no email: left out
    assert "no e-mail in the roster, left out of moodle_grades.csv: cy" in said


@pytest.mark.slow
def test_graded_students_missing_from_the_roster_are_listed(course, exported):
    paths, said = exported
    zed = report(course, A2)["zed"]["score"]
    assert read_rows(paths["strays"]) == [["student_id", A1, A2], ["zed", "", zed]]
    assert "graded but not in the roster, left out of the files above: zed" in said and str(paths["canvas"]) in said


@pytest.mark.slow
def test_export_of_chosen_assignments_and_of_one_not_graded(course):
    out = course / "only1"
    ok(command(course, "export", course / "roster.csv", A1, "--out", out))
    assert read_rows(out / "canvas_grades.csv")[0][5:] == [A1]
    assert read_rows(out / "course_grades.csv")[0] == ["student_id", "name", "email", A1, "total", "max_total"]
    assert not (out / "not_in_roster.csv").exists()  # zed handed in 02 only
    refused(command(course, "export", course / "roster.csv", A1, "03_bptt", "--out", course / "bad"),
            "03_bptt is not in the gradebook")
    assert not (course / "bad").exists()


# ---------------------------------------------------------------------------------------------- stats


def stats_rows(path):
    with open(path, newline="") as f:
        return {r["cell"]: r for r in csv.DictReader(f)}


@pytest.mark.slow
def test_stats_per_exercise_in_notebook_order_with_the_notebooks_labels_and_a_histogram_each(course):
    from matplotlib.image import imread

    said = ok(command(course, "stats", A1))  # by default beside the grade reports
    reports = course / "autograder" / "reports"
    rows = stats_rows(reports / f"{A1}_stats.csv")
    assert [r["exercise"] for r in rows.values()][:3] == ["Exercise 1 · build_vocabulary", "Exercise 2 · encode",
                                                         "Exercise 3 · one_hot"]
    assert list(rows.values())[-1]["exercise"].startswith("Written answer · Why not a standard network?")
    encode = rows["01_encode_tests"]
    assert (encode["graded"], encode["mean"], encode["median"], encode["max_points"]) == ("3", "0.67", "0", "2")
    assert (rows["01_one_hot_tests"]["mean"], rows["01_one_hot_tests"]["median"]) == ("1.33", "2")
    written = rows["01_why_not_standard"]
    assert (written["graded"], written["awaiting_manual_grade"], written["mean"]) == ("0", "3", "")
    assert all(r["mistakes"] == "" for r in rows.values())  # 01's checks name no mistakes
    assert "3 students graded; 1 not graded, left out: eve" in said
    assert any(line.startswith("Exercise 2 · encode") and line.split()[-4:] == ["3", "0.67", "0", "2"]
               for line in said.splitlines()), said
    assert "3 awaiting manual grading (not counted)" in said
    plot = reports / f"{A1}_stats.png"
    assert f"histograms: {plot}" in said and plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    height, width = imread(plot).shape[:2]
    assert width >= 900 and height >= 600  # 8 exercises on a 3-column grid, readable


@pytest.mark.slow
def test_stats_count_the_named_mistakes_from_the_trusted_results(course):
    said = ok(command(course, "stats", A2, "--out", course / "stats2"))
    rows = stats_rows(course / "stats2" / f"{A2}_stats.csv")
    assert rows["02_many_to_one_tests"]["mistakes"] == f"50 % (2 of 4): {FIRST_STEP_MISTAKE}"
    assert rows["02_rnn_cell_forward_tests"]["mistakes"] == f"25 % (1 of 4): {NO_BIAS_MISTAKE}"
    assert rows["02_many_to_one_tests"]["exercise"] == "Exercise 6 · many_to_one_output"
    assert f"    50 % (2 of 4): {FIRST_STEP_MISTAKE}" in said and f"    25 % (1 of 4): {NO_BIAS_MISTAKE}" in said


# ---------------------------------------------------------------------------------------------- feedback --out


@pytest.mark.slow
def test_handback_gives_each_student_their_feedback_and_grade_only(course, tmp_path):
    out = tmp_path / "handback"
    (out / "ada").mkdir(parents=True)
    (out / "ada" / "old.html").write_text("from an earlier hand-back")
    said = ok(command(course, "feedback", A1, "--out", out))
    assert f"3 students, a folder and a zip each, in {out}: ada, bob, cy" in said  # eve has no feedback
    for student in ("ada", "bob", "cy"):
        folder = out / student
        assert sorted(p.name for p in folder.iterdir()) == [f"{A1}.html", "grade.txt"]
        assert (folder / f"{A1}.html").read_bytes() == (
            course / "autograder" / "feedback" / student / A1 / f"{A1}.html").read_bytes()
        with zipfile.ZipFile(out / f"{student}.zip") as z:
            assert sorted(z.namelist()) == [f"{student}/{A1}.html", f"{student}/grade.txt"]
            assert z.read(f"{student}/grade.txt") == (folder / "grade.txt").read_bytes()
    grade = (out / "bob" / "grade.txt").read_text()
    assert "score: 12 / 16" in grade and "status: graded" in grade and "notes: none" in grade
    assert "written answer awaits" in grade


@pytest.mark.slow
def test_handback_holds_nothing_of_the_results_or_the_checks(course, tmp_path):
    ok(command(course, "feedback", A2, "--out", tmp_path))
    names = [p.name for p in tmp_path.rglob("*")]
    assert not [n for n in names if n.endswith((".json", ".py", ".ipynb", ".db", ".npz"))]
    assert sorted(z.name for z in tmp_path.glob("*.zip")) == ["ada.zip", "bob.zip", "cy.zip", "zed.zip"]
    notebook = (REPO / "solutions" / A2 / f"{A2}.ipynb").read_text()
    grader = [line.strip() for line in (REPO / "autograder" / "checks" / f"{A2}.py").read_text().splitlines()
              if len(line.strip()) > 30 and line.strip() not in notebook]  # lines only the grader has
    assert len(grader) > 50
    for z in tmp_path.glob("*.zip"):
        with zipfile.ZipFile(z) as archive:  # only the student's own folder, only pages and the grade
            assert sorted(archive.namelist()) == [f"{z.stem}/{A2}.html", f"{z.stem}/grade.txt"]
            page = archive.read(f"{z.stem}/{A2}.html").decode()
            assert not [line for line in grader if line in page or html.escape(line) in page], z


@pytest.mark.slow
def test_handback_refuses_to_replace_a_folder_it_did_not_write(course, tmp_path):
    (tmp_path / "bob").mkdir()
    (tmp_path / "bob" / f"{A1}.ipynb").write_text("a student's hand-in, say")
    refused(command(course, "feedback", A1, "--out", tmp_path), "holds files a hand-back did not write")
    assert sorted(p.name for p in tmp_path.rglob("*")) == [f"{A1}.ipynb", "bob"]  # nothing written, nothing lost
