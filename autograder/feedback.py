"""Feedback built from the student's own notebook and the trusted outcomes, nothing of the grader.

For each autograded notebook the page opens with a summary, one line per graded cell in the
notebook's own words ("Exercise 3 · rnn_backward: 0 / 3 — da_prev has wrong values …";
"Written answer · Reading the plot: awaiting grading"), then shows the student's notebook as
it ran, where a failed test cell holds the grader's message (lecture notation, the named
mistake, no expected value of a hidden case). Nothing of the checks, the hidden inputs or the
sandbox is in it. Written to autograder/feedback/STUDENT/ASSIGNMENT/NOTEBOOK.html, where
nbgrader's release_feedback finds it.
"""

import html
import json
from pathlib import Path

import nbformat

from .exercises import labels


def _text(s):
    """Plain text made safe inside a markdown table: no HTML, no cell breaks."""
    return html.escape(s).replace("|", "&#124;").replace("\n", " ")


def grades_of(db_url, assignment, student, notebook):
    """{grade_id: (score, max_score, needs_manual_grade)} from the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        nb = gb.find_submission_notebook(notebook, assignment, student)
        return {g.name: (g.score, g.max_score, g.needs_manual_grade) for g in nb.grades}, nb.score, nb.max_score


def summary(names, grades, outcomes, total, max_total):
    """The summary cell's markdown."""
    waiting = [g for g, (_, _, manual) in grades.items() if manual]
    lines = [f"## Your feedback: {total:g} / {max_total:g} points"
             + (f" so far ({len(waiting)} awaiting your instructor's grading)" if waiting else ""), "",
             "| exercise | points | |", "| --- | --- | --- |"]
    for grade_id, label in names.items():
        if grade_id not in grades:
            continue
        score, max_score, manual = grades[grade_id]
        outcome = outcomes.get(grade_id, {})
        if manual:
            points, note = f"– / {max_score:g}", "awaiting grading" if not outcome.get("review") else (
                "needs review by your instructor: " + "; ".join(outcome["review"]))
        else:
            points = f"{score:g} / {max_score:g}"
            note = "" if outcome.get("passed", True) else (outcome.get("message") or "").split("\n")[0]
        lines.append(f"| {_text(label)} | {points} | {_text(note)} |")
    return "\n".join(lines)


def write(root, feedback_dir, results_dir, db_url, assignment, student, autograded_dir, source_dir):
    """Write the feedback pages of one student; return their paths."""
    from nbconvert import HTMLExporter

    results = Path(results_dir) / assignment / f"{student}.json"
    outcomes = json.loads(results.read_text()) if results.is_file() else {}
    written = []
    for path in sorted(Path(autograded_dir).glob("*.ipynb")):
        nb = nbformat.read(path, 4)
        source = Path(source_dir) / assignment / path.name
        names = labels(nbformat.read(source, 4) if source.is_file() else nb)
        grades, total, max_total = grades_of(db_url, assignment, student, path.stem)
        for cell in nb.cells:  # a failed check reads under the exercise's name, without a traceback
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
                if out.output_type == "error" and grade_id in outcomes:
                    out.ename, out.traceback = names.get(grade_id, "check"), [out.evalue]
            cell.metadata.pop("nbgrader", None)
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(summary(names, grades, outcomes, total, max_total)))
        nb.metadata.pop("widgets", None)
        body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
        out = Path(feedback_dir) / student / assignment / f"{path.stem}.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(body, encoding="utf-8")
        written.append(out)
    return written
