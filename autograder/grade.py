"""Autograde a folder of submissions, one student per nbgrader process, then feedback and a CSV."""

import csv
import json
import os
import queue
import select
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from . import submission
from .late import LatePolicy, set_due_date, settings
from .nbgrader_run import Refused
from .release import generate

CHANGED = ("{a} was graded before and its graded cells have been added or removed since, which nbgrader cannot "
           "follow. Allowed after grading: editing text, visible tests, points and the checks in "
           "autograder/checks/{a}.py (re-run grade to regrade). To add or remove a graded cell, release it as a new "
           "assignment (e.g. {a}_v2; see docs/authoring.md).")


@dataclass
class StudentResult:
    """One line of the grade report."""

    student: str
    score: float = 0.0
    max_score: float = 0.0
    needs_manual_grade: bool = False
    status: str = "graded"
    notes: list = field(default_factory=list)
    cells: dict = field(default_factory=dict)  # grade_id -> score
    late: dict = field(default_factory=dict)  # submitted, late_hours, late_penalty


def find_submissions(submissions, assignment):
    """{student: folder of that student's notebooks}; accepts STUDENT/*.ipynb and STUDENT/ASSIGNMENT/*.ipynb."""
    found = {}
    for folder in sorted(Path(submissions).iterdir()):
        if folder.is_dir() and not folder.name.startswith("."):
            found[folder.name] = folder / assignment if (folder / assignment).is_dir() else folder
    return found


def submission_time(folder, use_file_time):
    """The text of the submission's timestamp: its timestamp.txt, or (asked for) the notebooks' file time."""
    stamp = folder / "timestamp.txt"
    if stamp.is_file() and not use_file_time:
        return stamp.read_text().strip()
    if use_file_time:
        times = [p.stat().st_mtime for p in folder.glob("*.ipynb")]
        if times:
            return datetime.fromtimestamp(max(times), timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    return None


def stage(course, assignment, student, folder, release, use_file_time=False):
    """Copy a student's notebooks, read and repaired, to autograder/submitted/STUDENT/ASSIGNMENT.

    Returns (notes on what was missing, misnamed, corrupt or repaired; whether there is a new
    copy to grade). When nothing of the new hand-in can be graded, an earlier good copy stays.
    """
    expected = sorted(p.name for p in (course.solutions / assignment).glob("*.ipynb"))
    target = course.work / "submitted" / student / assignment
    given = sorted(p for p in folder.glob("*.ipynb") if p.is_file())
    unexpected = [p for p in given if p.name not in expected]
    notes, ready = [], {}
    for name in expected:
        path = folder / name
        if not path.is_file() and len(expected) == 1 and len(unexpected) == 1:
            path = unexpected.pop()  # one notebook under another name: grade it, and say so
            notes.append(f"graded {path.name}, submitted under a wrong name (expected {name})")
        if not path.is_file():
            notes.append(f"missing notebook {name}")
            continue
        nb, problem = submission.read(path)
        if problem:
            notes.append(problem)
            continue
        nb, repairs = submission.repair(nb, nbformat.read(release / name, 4))
        notes += repairs
        ready[name] = nb
    if unexpected:
        notes.append("not graded (unexpected name): " + ", ".join(p.name for p in unexpected))
    if not ready:
        if any(target.glob("*.ipynb")):
            notes.append("the earlier submission is kept in autograder/submitted/, with its grade")
        return notes, False
    stamp = submission_time(folder, use_file_time)  # before the copy: folder may be target (a hub's collect)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name, nb in ready.items():
        nbformat.write(nb, target / name)
    if stamp:
        (target / "timestamp.txt").write_text(stamp)  # nbgrader reads the submission time here
    return notes, True


def what_happened(course, assignment, student):
    """Notes on cells interrupted, out of memory or cut, read from the autograded notebooks."""
    notes = []
    for path in sorted((course.work / "autograded" / student / assignment).glob("*.ipynb")):
        for cell in nbformat.read(path, 4).cells:
            for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
                where = cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {cell.get('id', '?')}"
                text = out.get("text", "") if out.output_type == "stream" else ""
                if out.output_type == "error" and out.ename == "DeadKernelError":
                    notes.append(f"{where}: the kernel died running it (os._exit, a crash or too much memory); "
                                 "graded without that cell")
                elif out.output_type == "error" and "Timeout" in out.ename:
                    notes.append(f"{where}: interrupted after the {course.cell_timeout()} s limit (an endless loop?)")
                elif out.output_type == "error" and out.ename == "MemoryError":
                    notes.append(f"{where}: ran out of the {course.limits()['memory_mb']} MiB memory limit")
                elif "[output cut by the grader" in text:
                    notes.append(f"{where}: printed more than {course.limits()['output_mb']} MiB; the rest was cut")
    return sorted(set(notes), key=notes.index)


def trusted_notes(course, assignment, student):
    """Notes on the exercises that need review, from the trusted outcomes of the last run."""
    path = course.work / "results" / assignment / f"{student}.json"
    if not path.is_file():
        return []
    notes = []
    for g, o in json.loads(path.read_text()).items():
        if o.get("review"):
            notes.append(f"needs review: {g}: {'; '.join(o['review'])}")
        elif "did not return within" in o.get("message", ""):
            notes.append(f"{g}: interrupted after the {course.cell_timeout()} s limit (an endless loop?)")
    return notes


def grade_cells(course, assignment):
    """The graded cells of ``assignment`` in notebook order: [(grade_id, points)]."""
    cells = []
    for path in sorted((course.solutions / assignment).glob("*.ipynb")):
        for cell in nbformat.read(path, 4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade"):
                cells.append((meta["grade_id"], float(meta.get("points", 0))))
    return cells


def late_penalty(policy, submission):
    """The late penalty of a gradebook submission for its score as it is now, hand grades included.

    nbgrader stores a penalty only when it autogrades; a written answer graded by hand later would
    leave it computed on the smaller score. Per notebook, at most its score, as nbgrader does.
    """
    if not submission.total_seconds_late or submission.total_seconds_late <= 0:
        return 0.0
    return sum(min(max(policy.late_submission_penalty(submission.student.id, nb.score, submission.total_seconds_late)
                       or 0.0, 0.0), nb.score) for nb in submission.notebooks)


def read_grades(course, assignment):
    """(max_score, {student: (score, needs_manual_grade, {grade_id: score}, late)}) of every submission in the
    gradebook; the score is after the late penalty of the course's policy (autograder/course.toml)."""
    from nbgrader.api import Gradebook, MissingEntry

    policy = LatePolicy(**settings(course.work / "course.toml")[1])
    grades = {}
    with Gradebook(course.db_url or _default_db(course)) as gb:
        try:
            max_score = gb.find_assignment(assignment).max_score
        except MissingEntry:
            return 0.0, {}
        for sub in gb.assignment_submissions(assignment):
            cells = {g.name: g.score for nb in sub.notebooks for g in nb.grades}
            penalty = late_penalty(policy, sub)
            late = {"submitted": sub.timestamp.strftime("%Y-%m-%d %H:%M UTC") if sub.timestamp else "",
                    "late_hours": f"{sub.total_seconds_late / 3600:.1f}" if sub.total_seconds_late else "0",
                    "late_penalty": f"{penalty:g}"}
            score = sub.score - penalty  # the report's score is after the penalty
            grades[sub.student.id] = (score, sub.needs_manual_grade, cells, late)
    return max_score, grades


def _notes_path(course, assignment, student):
    return course.work / "results" / assignment / f"{student}.notes.json"


def report(course, assignment):
    """StudentResults of everyone ever graded for ``assignment`` (the gradebook, with each one's last notes)."""
    max_score, grades = read_grades(course, assignment)
    folder = course.work / "results" / assignment
    students = set(grades) | {p.name[: -len(".notes.json")] for p in folder.glob("*.notes.json")}
    results = []
    for student in sorted(students):
        path = _notes_path(course, assignment, student)
        notes = json.loads(path.read_text()) if path.is_file() else []
        r = StudentResult(student, max_score=max_score, notes=notes)
        if student not in grades:
            r.status = "not graded"
        else:
            r.score, r.needs_manual_grade, r.cells, r.late = grades[student]
            r.status = "graded with problems" if notes else "graded"
        results.append(r)
    return results


def _default_db(course):
    return os.environ.get("RNNKIT_DB_URL", f"sqlite:///{course.work / 'gradebook.db'}")


def graded_assignments(course):
    """{assignment: number of submissions} in the gradebook; {} when there is no gradebook yet (none is made)."""
    from nbgrader.api import Gradebook
    from sqlalchemy.engine import make_url

    url = course.db_url or _default_db(course)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and not Path(parsed.database).is_file():
        return {}  # opening it would create an empty gradebook
    with Gradebook(url) as gb:
        return {a.name: a.num_submissions for a in gb.assignments}


class Workers:
    """``jobs`` long-lived grading workers (worker.py); a worker that dies or hangs is replaced."""

    def __init__(self, course, assignment, jobs, wall_seconds):
        self.course, self.assignment, self.jobs, self.wall = course, assignment, jobs, wall_seconds

    def _start(self):
        proc = self.course.worker(self.assignment)
        if self._read(proc, 300) is None:
            proc.kill()
            raise RuntimeError("the grading worker did not start (nbgrader could not load the course)")
        return proc

    @staticmethod
    def _read(proc, seconds):
        """The next answer line of ``proc`` as a dict, or None after ``seconds`` or when it died."""
        ready, _, _ = select.select([proc.stdout], [], [], seconds)
        line = proc.stdout.readline() if ready else ""
        return json.loads(line) if line.strip() else None

    def grade(self, students, done):
        """Autograde every student; call ``done(student, ok, log)`` as each finishes."""
        todo = queue.Queue()
        for s in students:
            todo.put(s)

        def loop():
            proc = None
            while True:
                try:
                    student = todo.get_nowait()
                except queue.Empty:
                    break
                if proc is None:
                    proc = self._start()
                start = time.monotonic()
                proc.stdin.write(json.dumps({"student": student}) + "\n")
                proc.stdin.flush()
                answer = self._read(proc, self.wall)
                if answer is None:  # the worker died or the student's grading hung: replace the worker
                    proc.kill()
                    proc.wait()
                    proc = None
                    waited = time.monotonic() - start
                    done(student, False, f"CellTimeoutError: grading stopped after {waited:.0f} s"
                         if waited >= self.wall else "Kernel died: the grading worker stopped")
                else:
                    done(student, answer["ok"], answer["log"])
            if proc is not None:
                proc.stdin.close()
                proc.wait(timeout=60)

        threads = [threading.Thread(target=loop) for _ in range(min(self.jobs, max(len(students), 1)))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


KNOWN_FAILURES = [  # (what nbgrader's log says, what the grade report says)
    ("NotJSONError", "the notebook is not valid JSON (corrupt or truncated file)"),
    ("does not appear to be JSON", "the notebook is not valid JSON (corrupt or truncated file)"),
    ("CellTimeoutError", "a cell ran past the time limit and was interrupted"),
    ("DeadKernelError", "the kernel died (os._exit, a crash, or too much memory)"),
    ("Kernel died", "the kernel died (os._exit, a crash, or too much memory)"),
    ("No notebooks were matched", "no notebook to grade"),
    ("Did you mean", "no notebook to grade"),
]


def _reason(log):
    """What went wrong in a failed nbgrader run, in words an instructor can act on."""
    for needle, words in KNOWN_FAILURES:
        if needle in log:
            return f"autograde failed: {words}"
    lines = [ln.strip() for ln in log.splitlines() if "ERROR" in ln or "Error" in ln]
    return "autograde failed: " + (lines[-1][:200] if lines else "see nbgrader's log")


def grade(course, assignment, submissions, jobs=None, progress=print, use_file_time=False):
    """Grade every student folder under ``submissions``; write the report; return it (every student).

    Students are graded by ``jobs`` long-lived workers, each student in a fresh sandboxed
    kernel, so one broken submission cannot stop the others.
    """
    with tempfile.TemporaryDirectory(prefix="rnnkit-grade-") as tmp:
        # Records the assignment's cells in the gradebook; the release in notebooks/ is not touched.
        try:
            release = generate(course, assignment, Path(tmp) / "release", course.db_url or _default_db(course))
        except RuntimeError as err:
            if "because there are submissions" in str(err) or "Cannot add or remove" in str(err):
                raise Refused(CHANGED.format(a=assignment)) from None
            raise
        due = settings(course.work / "course.toml")[0].get(assignment)
        if due:
            set_due_date(course.db_url or _default_db(course), assignment, due)
        students = find_submissions(submissions, assignment)
        staged = {s: stage(course, assignment, s, f, release, use_file_time) for s, f in students.items()}
    notes = {s: list(n) for s, (n, _) in staged.items()}
    graded_before = set(read_grades(course, assignment)[1])
    kept = "the grade already in the gradebook is kept"
    lock, finished = threading.Lock(), []

    def done(student, ok, log):
        with lock:
            if not ok:
                notes[student] += [_reason(log)] + ([kept] if student in graded_before else [])
            else:
                notes[student] += trusted_notes(course, assignment, student)
            notes[student] += what_happened(course, assignment, student)
            if not course.sandbox:
                notes[student].append("graded without a sandbox (--no-sandbox)")
            finished.append(student)
            progress(f"[{len(finished)}/{len(students)}] {student}")

    for student, (_, new_copy) in staged.items():
        if not new_copy:  # nothing new to grade: an earlier grade, if any, stands
            notes[student] += [kept] if student in graded_before else []
            finished.append(student)
            progress(f"[{len(finished)}/{len(students)}] {student}")
    jobs = jobs or os.cpu_count() or 1
    wall = course.cell_timeout() * 10 + 300  # a submission whose every cell loops still ends
    Workers(course, assignment, jobs, wall).grade([s for s, (_, new) in staged.items() if new], done)

    for student, lines in notes.items():
        path = _notes_path(course, assignment, student)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(lines))
    everyone = report(course, assignment)
    write_csv(course.work / "reports" / f"{assignment}_grades.csv", assignment, everyone,
              [g for g, _ in grade_cells(course, assignment)])
    return everyone


def write_csv(path, assignment, results, cells=()):
    """The report: a line per student, with a column per graded cell (its score)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        late = ["submitted", "late_hours", "late_penalty"]
        w.writerow(["student", "assignment", "score", "max_score", "needs_manual_grade", "status", "notes", *late,
                    *cells])
        for r in results:
            w.writerow([r.student, assignment, f"{r.score:g}", f"{r.max_score:g}", r.needs_manual_grade, r.status,
                        "; ".join(r.notes), *(r.late.get(k, "") for k in late),
                        *(_score(r.cells.get(c)) for c in cells)])
    return path


def _score(value):
    return "" if value is None else f"{value:g}"
