"""What each graded cell is called, as the notebook names it: "Exercise 3 · rnn_backward"."""

import ast
import re

HEADING = re.compile(r"^#+\s*(.+?)\s*$", re.M)
EXERCISE = re.compile(r"Exercise\s+(\d+)")
POINTS = re.compile(r"\s*\([^()]*\bpoints?\b[^()]*\)\s*$")  # "(2 points)", "(3 + 2 points, graded by hand)"


def _defs(source):
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]


def labels(nb):
    """{grade_id: label} for every graded cell of ``nb`` (a source or release notebook).

    A test cell reads "Exercise N · <the functions of the answer cell before it>"; a written
    answer reads "Written answer · <the heading above it>".
    """
    out, heading, number, functions = {}, "", None, []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown":
            for title in HEADING.findall(cell.source):
                heading = re.sub(r"^Question\s*·\s*", "", POINTS.sub("", title).replace("`", ""))
                found = EXERCISE.search(title)
                if found:
                    number = found.group(1)
        if meta.get("solution") and cell.cell_type == "code":
            functions = _defs(cell.source) or functions
        if not meta.get("grade"):
            continue
        if meta.get("solution"):
            out[meta["grade_id"]] = f"Written answer · {heading}" if heading else "Written answer"
        else:
            name = ", ".join(functions) or heading
            out[meta["grade_id"]] = f"Exercise {number} · {name}" if number else name
    return out
