"""Hand the feedback back: per student a folder (and a zip of it) with their feedback pages and their grade.

The pages are first rebuilt from the gradebook (autograder/feedback.py), so hand grades entered in the
formgrader after the last ``grade`` run are in them. Then only two things go out: the student's own
feedback pages from autograder/feedback/STUDENT/ASSIGNMENT/ and their line of the grade report as
grade.txt. Nothing of autograder/results, the checks, the gradebook or another student's folder.
"""

import shutil
import zipfile
from pathlib import Path

from . import feedback
from .grade import _default_db, report

HANDED_BACK = ("*.html", "grade.txt")  # all that a hand-back folder holds


def grade_text(assignment, r):
    """The text of grade.txt for one StudentResult."""
    lines = [f"assignment: {assignment}", f"score: {r.score:g} / {r.max_score:g}", f"status: {r.status}"]
    if r.needs_manual_grade:
        lines.append("a written answer awaits your instructor's grade: the score may still rise")
    if r.late.get("late_penalty") not in (None, "", "0"):
        lines.append(f"late: {r.late.get('late_hours', '?')} h after the due date, "
                     f"{r.late['late_penalty']} points taken off (the score is after it)")
    lines.append("notes: " + ("; ".join(r.notes) if r.notes else "none"))
    return "\n".join(lines) + "\n"


def _ours(folder):
    """Whether ``folder`` holds nothing but what a hand-back writes (so it may be replaced)."""
    return all(p.is_file() and not p.is_symlink() and any(p.match(g) for g in HANDED_BACK) for p in folder.iterdir())


def students_with_feedback(course, assignment):
    """{student: their feedback folder} for ``assignment``."""
    found = {}
    for folder in sorted((course.work / "feedback").glob(f"*/{assignment}")):
        if folder.is_dir() and not folder.is_symlink() and not folder.parent.name.startswith("."):
            found[folder.parent.name] = folder
    return found


def refresh(course, assignment, student):
    """Rebuild one student's feedback pages from the gradebook as it is now (their hand grades included)."""
    from nbgrader.api import MissingEntry

    autograded = course.work / "autograded" / student / assignment
    if not any(autograded.glob("*.ipynb")):
        return
    try:
        feedback.write(course.root, course.work / "feedback", course.work / "results",
                       course.db_url or _default_db(course), assignment, student, autograded, course.solutions)
    except MissingEntry:
        pass  # not in the gradebook (its grading failed): the pages of the last good grading stay


def check_out_dir(course, out_dir):
    """``out_dir`` resolved, or ValueError when it lies inside autograder/ (the grader's own data) or is a file."""
    out_dir, work = Path(out_dir).resolve(), course.work.resolve()
    if out_dir.is_relative_to(work):
        raise ValueError(f"{out_dir} is inside {work}, the grader's own folder: "
                         "hand back into a folder of its own (e.g. handback/)")
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"{out_dir} is a file: give a folder for the students' folders and zips")
    return out_dir


def handback(course, assignment, out_dir) -> list[Path]:
    """Write ``out_dir/STUDENT/`` (feedback pages + grade.txt) and ``out_dir/STUDENT.zip`` for every student
    with feedback for ``assignment``; return the zips' paths, sorted by student.

    ValueError, before anything is written, when ``out_dir`` lies inside autograder/ (the grader's own
    data) or a ``out_dir/STUDENT`` to replace holds anything a hand-back does not write.
    """
    out_dir = check_out_dir(course, out_dir)
    students = students_with_feedback(course, assignment)
    foreign = [out_dir / s for s in students
               if (out_dir / s).exists() and not ((out_dir / s).is_dir() and _ours(out_dir / s))]
    if foreign:
        raise ValueError(f"{foreign[0]} holds files a hand-back did not write: give an empty folder "
                         "(or one an earlier hand-back wrote)")
    results = {r.student: r for r in report(course, assignment)}
    zips = []
    for student, folder in students.items():
        refresh(course, assignment, student)
        pages = sorted(p for p in folder.glob("*.html") if p.is_file() and not p.is_symlink())
        if not pages:
            continue
        target = out_dir / student
        shutil.rmtree(target, ignore_errors=True)  # nothing left over from an earlier hand-back
        target.mkdir(parents=True)
        for page in pages:
            shutil.copyfile(page, target / page.name)
        r = results.get(student)
        (target / "grade.txt").write_text(grade_text(assignment, r) if r else
                                          f"assignment: {assignment}\nstatus: not graded\n", encoding="utf-8")
        archive = out_dir / f"{student}.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(target.iterdir()):
                z.write(path, f"{student}/{path.name}")
        zips.append(archive)
    return zips
