"""`rnnkit-course check`: grade the instructor's own solutions through the class's pipeline.

For each assignment, a perfect hand-in (the release filled from solutions/) and the blank
release are graded in a throwaway course with the same sandbox, checks and gradebook logic
as a class. A correct solution earns every automatic point and grades clean; the blank release
earns none. The table is the instructor's check before a release.
"""

import json
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import nbformat

from .exercises import labels
from .grade import grade, grade_cells
from .submission import from_solution


def check(course, assignment, jobs=None):
    """(rows, problems): rows are (label, points, solution's score, blank's score, message)."""
    with tempfile.TemporaryDirectory(prefix="rnnkit-check-") as tmp:
        root = Path(tmp)
        shutil.copytree(course.solutions / assignment, root / "solutions" / assignment)
        names = {}
        for path in sorted((course.solutions / assignment).glob("*.ipynb")):
            source = nbformat.read(path, 4)
            release = nbformat.read(course.notebooks / assignment / path.name, 4)
            names |= labels(source)
            for student, nb in (("solution", from_solution(release, source)), ("blank", release)):
                (root / "subs" / student).mkdir(parents=True, exist_ok=True)
                nbformat.write(nb, root / "subs" / student / path.name)
        throwaway = replace(course, root=root, db_url=f"sqlite:///{root / 'gradebook.db'}")
        graded = grade(throwaway, assignment, root / "subs", jobs=jobs, progress=lambda _: None)
        results = {r.student: r for r in graded}
        outcomes = {}
        for student in results:
            path = root / "autograder" / "results" / assignment / f"{student}.json"
            outcomes[student] = json.loads(path.read_text()) if path.is_file() else {}
    rows, problems = [], []
    solution, blank = results.get("solution"), results.get("blank")
    for grade_id, points in grade_cells(course, assignment):
        got = solution.cells.get(grade_id) if solution else None
        zero = blank.cells.get(grade_id) if blank else None
        message = (outcomes["solution"].get(grade_id) or {}).get("message", "") if solution else ""
        manual = grade_id not in outcomes.get("solution", {})
        rows.append((names.get(grade_id, grade_id), points, got, zero, message, manual))
        if not manual and got != points:
            problems.append(f"{names.get(grade_id, grade_id)}: the solution earns {got} of {points:g}: {message}")
        if zero:
            problems.append(f"{names.get(grade_id, grade_id)}: the blank release earns {zero:g}")
    for r in results.values():
        if r.notes:
            problems.append(f"{r.student}: " + "; ".join(r.notes))
    return rows, problems


def format_rows(assignment, rows):
    width = max([len(r[0]) for r in rows] + [20])
    lines = [f"{assignment}", f"  {'exercise':<{width}}  points  solution  blank"]
    for label, points, got, zero, message, manual in rows:
        shown = "by hand" if manual else ("–" if got is None else f"{got:g}")
        lines.append(f"  {label:<{width}}  {points:>6g}  {shown:>8}  {'–' if zero is None else f'{zero:g}':>5}"
                     + (f"  {message.splitlines()[0]}" if message and not manual else ""))
    return "\n".join(lines)
