"""How the class did on an assignment, exercise by exercise: points, and the typical mistakes reproduced.

Points come from the gradebook (before any late penalty: how well the exercise was done), the named
mistakes from the trusted results (autograder/results/ASSIGNMENT/STUDENT.json, the ``mistake`` of each
test cell, written by the grader's checks). Students in the grade report who were never graded (nothing
gradable handed in) are left out of every figure and counted; a written answer still awaiting its manual
grade is left out of that exercise and counted.
"""

import csv
import json
import statistics
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .exercises import labels
from .grade import _default_db, grade_cells, report


@dataclass
class ExerciseStats:
    """One graded cell: the points of the students graded on it and the named mistakes among them."""

    grade_id: str
    label: str  # "Exercise 2 · encode", as the notebook and the feedback name it
    max_points: float
    scores: list = field(default_factory=list)
    awaiting_manual: int = 0  # written answers not graded by hand yet (not in ``scores``)
    mistakes: list = field(default_factory=list)  # [(mistake, students, share of ``count``)], most frequent first

    @property
    def count(self):
        return len(self.scores)

    @property
    def mean(self):
        return statistics.fmean(self.scores) if self.scores else None

    @property
    def median(self):
        return statistics.median(self.scores) if self.scores else None


@dataclass
class Stats:
    """An assignment's statistics; ``excluded``: the students in the report who were never graded."""

    assignment: str
    graded: list
    excluded: list
    exercises: list
    plot: Path | None = None


def _labels(course, assignment):
    names = {}
    for path in sorted((course.solutions / assignment).glob("*.ipynb")):
        names.update(labels(nbformat.read(path, 4)))
    return names


def _cell_grades(course, assignment):
    """{student: {grade_id: (score, needs_manual_grade)}} from the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(course.db_url or _default_db(course)) as gb:
        try:
            subs = gb.assignment_submissions(assignment)
        except MissingEntry:
            return {}
        return {sub.student.id: {g.name: (g.score, g.needs_manual_grade) for nb in sub.notebooks for g in nb.grades}
                for sub in subs}


def _mistakes(course, assignment, student):
    """{grade_id: the named mistake} of one student's trusted results (none when there are no results)."""
    path = course.work / "results" / assignment / f"{student}.json"
    if not path.is_file():
        return {}
    outcomes = json.loads(path.read_text())
    return {g: o["mistake"] for g, o in outcomes.items() if isinstance(o, dict) and o.get("mistake")}


def stats(course, assignment, out_dir) -> Stats:
    """Per graded cell, in notebook order: count, mean, median, max points and the named mistakes' shares.

    Also draws ``out_dir/<assignment>_stats.png``, a histogram of the scores per exercise, and writes
    the table to ``out_dir/<assignment>_stats.csv``.
    """
    grades = _cell_grades(course, assignment)
    graded = sorted(grades)
    excluded = sorted(r.student for r in report(course, assignment) if r.student not in grades)
    names = _labels(course, assignment)
    mistakes = {s: _mistakes(course, assignment, s) for s in graded}
    exercises = []
    for grade_id, points in grade_cells(course, assignment):
        ex = ExerciseStats(grade_id, names.get(grade_id, grade_id), points)
        for student in graded:
            if grade_id not in grades[student]:
                continue
            score, manual = grades[student][grade_id]
            if manual:
                ex.awaiting_manual += 1
            else:
                ex.scores.append(float(score or 0))
        counted = Counter(mistakes[s][grade_id] for s in graded if grade_id in mistakes[s]
                          and grade_id in grades[s] and not grades[s][grade_id][1])
        ex.mistakes = [(m, n, n / ex.count) for m, n in sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))]
        exercises.append(ex)
    result = Stats(assignment, graded, excluded, exercises)
    result.plot = _plot(result, Path(out_dir))
    _write_csv(result, Path(out_dir) / f"{assignment}_stats.csv")
    return result


def _write_csv(result, path):
    """A row per exercise; its named mistakes in one cell, "50 % (2 of 4): …; 25 % (1 of 4): …"."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["exercise", "cell", "graded", "mean", "median", "max_points", "awaiting_manual_grade",
                    "mistakes"])
        for ex in result.exercises:
            w.writerow([ex.label, ex.grade_id, ex.count, _num(ex.mean, ""), _num(ex.median, ""), _num(ex.max_points),
                        ex.awaiting_manual, "; ".join(_mistake(ex, m) for m in ex.mistakes)])


def _plot(result, out_dir):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    out_dir.mkdir(parents=True, exist_ok=True)
    n = max(len(result.exercises), 1)
    cols = min(3, n)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 2.9 * rows), squeeze=False)
    for ax, ex in zip(axes.flat, result.exercises):
        top = ex.max_points or 1.0
        step = 0.5 if top <= 5 else top / 10
        edges = np.arange(-step / 2, top + step, step)
        if ex.scores:
            ax.hist(ex.scores, bins=edges, color="#4878a8", edgecolor="white")
            ax.set_title(textwrap.fill(ex.label, 34) + f"\nn = {ex.count}, mean {_num(ex.mean)} / {ex.max_points:g}",
                         fontsize=9)
        else:
            ax.text(0.5, 0.5, "no grades yet" + (f"\n({ex.awaiting_manual} awaiting manual grading)"
                                                 if ex.awaiting_manual else ""),
                    ha="center", va="center", transform=ax.transAxes, fontsize=9, color="0.4")
            ax.set_title(textwrap.fill(ex.label, 34), fontsize=9)
        ax.set_xlim(edges[0], edges[-1])
        ax.set_xlabel("points", fontsize=8)
        ax.set_ylabel("students", fontsize=8)
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.tick_params(labelsize=8)
    for ax in list(axes.flat)[len(result.exercises):]:
        ax.set_visible(False)
    fig.suptitle(f"{result.assignment}: {len(result.graded)} students graded"
                 + (f", {len(result.excluded)} not graded (left out)" if result.excluded else ""), fontsize=11)
    fig.tight_layout()
    path = out_dir / f"{result.assignment}_stats.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _num(x, none="–"):
    return none if x is None else f"{x:.2f}".rstrip("0").rstrip(".")


def _mistake(ex, mistake):
    """A named mistake's line: "41 % (7 of 17): <the mistake>"."""
    text, n, share = mistake
    return f"{round(100 * share)} % ({n} of {ex.count}): {text}"


def format_stats(s: Stats) -> str:
    """A plain-text table: a line per exercise, its named mistakes indented under it."""
    lines = [f"{s.assignment}: {len(s.graded)} students graded"
             + (f"; {len(s.excluded)} not graded, left out: {', '.join(s.excluded)}" if s.excluded else "")]
    header = ("exercise", "cell", "n", "mean", "median", "max")
    rows = [(ex.label, ex.grade_id, str(ex.count), _num(ex.mean), _num(ex.median), _num(ex.max_points))
            for ex in s.exercises]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(r):
        return "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()

    lines += [line(header), line(tuple("-" * w for w in widths))]
    for ex, r in zip(s.exercises, rows):
        lines.append(line(r))
        if ex.awaiting_manual:
            lines.append(f"    {ex.awaiting_manual} awaiting manual grading (not counted)")
        lines += [f"    {_mistake(ex, m)}" for m in ex.mistakes]
    if s.plot:
        lines.append(f"histograms: {s.plot}; table: {s.plot.with_suffix('.csv')}")
    return "\n".join(lines)
