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
from pathlib import Path

import nbformat

from . import submission
from .release import generate


@dataclass
class StudentResult:
    """One line of the grade report."""

    student: str
    score: float = 0.0
    max_score: float = 0.0
    needs_manual_grade: bool = False
    status: str = "graded"
    notes: list = field(default_factory=list)


def find_submissions(submissions, assignment):
    """{student: folder of that student's notebooks}; accepts STUDENT/*.ipynb and STUDENT/ASSIGNMENT/*.ipynb."""
    found = {}
    for folder in sorted(Path(submissions).iterdir()):
        if folder.is_dir() and not folder.name.startswith("."):
            found[folder.name] = folder / assignment if (folder / assignment).is_dir() else folder
    return found


def stage(course, assignment, student, folder, release):
    """Copy a student's notebooks, read and repaired, to autograder/submitted/STUDENT/ASSIGNMENT.

    Returns notes on what was missing, misnamed, corrupt or repaired.
    """
    expected = sorted(p.name for p in (course.solutions / assignment).glob("*.ipynb"))
    target = course.work / "submitted" / student / assignment
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    given = sorted(p for p in folder.glob("*.ipynb") if p.is_file())
    unexpected = [p for p in given if p.name not in expected]
    notes = []
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
        nbformat.write(nb, target / name)
    if unexpected:
        notes.append("not graded (unexpected name): " + ", ".join(p.name for p in unexpected))
    return notes


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


def read_grades(course, assignment, students):
    """(max_score, {student: (score, needs_manual_grade) or None}) from the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    grades = {}
    with Gradebook(course.db_url or _default_db(course)) as gb:
        max_score = gb.find_assignment(assignment).max_score
        for student in students:
            try:
                sub = gb.find_submission(assignment, student)
                grades[student] = (sub.score, sub.needs_manual_grade)
            except MissingEntry:
                grades[student] = None
    return max_score, grades


def _default_db(course):
    return os.environ.get("RNNKIT_DB_URL", f"sqlite:///{course.work / 'gradebook.db'}")


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


def grade(course, assignment, submissions, jobs=None, progress=print):
    """Grade every student folder under ``submissions``; return the StudentResults and write the CSV.

    Each student runs in an nbgrader process of their own, ``jobs`` at a time, so one
    broken submission cannot stop the others.
    """
    with tempfile.TemporaryDirectory(prefix="rnnkit-grade-") as tmp:
        # Records the assignment's cells in the gradebook; the release in notebooks/ is not touched.
        release = generate(course, assignment, Path(tmp) / "release", course.db_url or _default_db(course))
        students = find_submissions(submissions, assignment)
        results = {s: StudentResult(s, notes=stage(course, assignment, s, f, release)) for s, f in students.items()}

    lock, finished = threading.Lock(), []

    def done(student, ok, log):
        with lock:
            if not ok:
                results[student].notes.append(_reason(log))
            else:
                results[student].notes += trusted_notes(course, assignment, student)
            results[student].notes += what_happened(course, assignment, student)
            if not course.sandbox:
                results[student].notes.append("graded without a sandbox (--no-sandbox)")
            finished.append(student)
            progress(f"[{len(finished)}/{len(students)}] {student}")

    jobs = jobs or os.cpu_count() or 1
    wall = course.cell_timeout() * 10 + 300  # a submission whose every cell loops still ends
    Workers(course, assignment, jobs, wall).grade(list(students), done)

    max_score, grades = read_grades(course, assignment, students)
    for student, got in grades.items():
        r = results[student]
        r.max_score = max_score
        if got is None:
            r.status = "not graded"
        else:
            r.score, r.needs_manual_grade = got
            if any(note.startswith("autograde failed") for note in r.notes):
                r.notes.append("the grade already in the gradebook is kept")
            if r.notes:
                r.status = "graded with problems"
    write_csv(course.work / "reports" / f"{assignment}_grades.csv", assignment, results.values())
    return list(results.values())


def write_csv(path, assignment, results):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student", "assignment", "score", "max_score", "needs_manual_grade", "status", "notes"])
        for r in results:
            w.writerow([r.student, assignment, f"{r.score:g}", f"{r.max_score:g}", r.needs_manual_grade, r.status,
                        "; ".join(r.notes)])
    return path
