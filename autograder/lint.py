"""Refuse a course source that the grader could not stand behind, and make new exercises' cells.

    python -m autograder.lint [--root ROOT] [NN_name ...]        # every assignment in solutions/ by default
    python -m autograder.lint --add NOTEBOOK AFTER BASE POINTS "Exercise 8 · A title"

``lint(course_root)`` reads each ``solutions/NN_name/*.ipynb`` as stored (raw JSON: nbformat would
repair duplicate or missing cell ids on reading), its trusted checks ``autograder/checks/NN_name.py``
and its catalogue of typical mistakes ``tests/variants/NN_name.py``, and returns one ``Problem`` per
defect, each naming the notebook cell (its index and grade_id or cell id):

- cells: a missing or duplicate cell ``id``; a duplicate ``grade_id``; stored outputs or an execution
  count; a code answer cell without ``### BEGIN SOLUTION`` / ``### END SOLUTION``; a graded cell without
  ``points``; any ``### BEGIN HIDDEN TESTS`` block (hidden cases live in autograder/checks);
  a test cell that does not open with a one-line docstring or has no visible assert / check_* call;
- checks: a missing checks module, or one that does not load (the exception, in one line); a graded
  test cell without a check; a check for a grade_id that no cell has;
- catalogue: a graded test cell with fewer than 3 catalogued mistakes (variants whose ``breaks`` holds
  it); an answer cell without a correct alternative (a variant with empty ``breaks`` editing it); a
  variant naming an answer cell or test cell that does not exist, or whose edit no longer applies.

``new_exercise_cells`` and ``add_exercise`` make the cells of a new exercise with nbgrader's metadata
(schema_version 3, locked flags, fresh cell ids), so nobody copies metadata by hand.
"""

import argparse
import importlib.util
import json
import re
import secrets
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import trusted

REPO = Path(__file__).resolve().parents[1]
MIN_MISTAKES = 3
MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n", re.M)  # as tests/course_harness.py strips them
HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS", re.M)
DOCSTRING = re.compile(r"""^[rRuU]?("{3}|'{3}).*\1[ \t]*$""")  # a one-line docstring, quotes on the same line
VISIBLE = re.compile(r"^[ \t]*assert\b|\bcheck_\w+\(", re.M)
CELL_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")  # nbformat 4.5


@dataclass(frozen=True)
class Problem:
    """One defect: ``cell`` is the grade_id (or cell id) concerned, None for the assignment as a whole."""

    assignment: str
    cell: str | None
    message: str

    def __str__(self):
        return f"{self.assignment}: {self.message}"


def format_problems(problems):
    """The problems as lines grouped by assignment, or a line saying there are none."""
    if not problems:
        return "lint: no problems"
    lines, current = [], None
    for p in problems:
        if p.assignment != current:
            current = p.assignment
            lines.append(f"{current}:")
        lines.append(f"  - {p.message}")
    lines.append(f"lint: {len(problems)} problem(s)")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- reading


def _source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _nbgrader(cell):
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def _is_test(cell):
    m = _nbgrader(cell)
    return bool(m.get("grade")) and not m.get("solution")


def _is_answer(cell):
    m = _nbgrader(cell)
    return cell.get("cell_type") == "code" and bool(m.get("solution"))


def _where(notebook, index, cell):
    """How a message names a cell: notebook, index, and grade_id or id."""
    name = _nbgrader(cell).get("grade_id") or (f"id {cell['id']}" if cell.get("id") else "no id")
    return f"{notebook} cell {index} ({name})"


def _label(cell):
    return _nbgrader(cell).get("grade_id") or cell.get("id") or None


def assignments_of(course_root):
    """The assignment folders in ``course_root/solutions``, sorted."""
    folder = Path(course_root) / "solutions"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def catalogue_dir(course_root):
    """``course_root/tests/variants`` if it exists, else the repository's own."""
    own = Path(course_root) / "tests" / "variants"
    return own if own.is_dir() else REPO / "tests" / "variants"


def load_catalogue(path):
    """VARIANTS of one catalogue file (which imports Edit and Variant from tests/course_harness.py)."""
    for folder in (path.parent.parent, REPO / "tests"):
        if (folder / "course_harness.py").is_file() and str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
            break
    spec = importlib.util.spec_from_file_location(f"lint_variants_{path.stem}_{secrets.token_hex(4)}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.VARIANTS)


def _one_line(err):
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[0]}" if text else type(err).__name__


# ---------------------------------------------------------------------------------------------- lint


def lint(course_root, assignments=None, variants=None):
    """Every Problem of ``assignments`` (default: all in ``course_root/solutions``), in order.

    ``variants`` is the folder of catalogues (default: ``catalogue_dir(course_root)``).
    """
    course_root = Path(course_root)
    problems = []
    variants_dir = Path(variants) if variants is not None else catalogue_dir(course_root)
    if not variants_dir.is_dir():
        problems.append(Problem("(course)", None, f"no catalogue of typical mistakes: {variants_dir} is absent, "
                                "so no exercise's mistakes or correct alternatives can be counted"))
        variants_dir = None
    for assignment in assignments or assignments_of(course_root):
        problems += _lint_assignment(course_root, assignment, variants_dir)
    return problems


def _lint_assignment(root, assignment, variants_dir):
    problems = []

    def add(cell, message):
        problems.append(Problem(assignment, cell, message))

    folder = root / "solutions" / assignment
    paths = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
    if not paths:
        add(None, f"no source notebook: {folder}/*.ipynb is missing")
        return problems

    tests, answers, sources = {}, {}, {}  # grade_id -> where; answers' sources without the markers
    grade_ids = Counter()
    for path in paths:
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
            cells = nb["cells"]
        except (OSError, ValueError, KeyError, TypeError) as err:
            add(None, f"{path.name} is not a readable notebook ({_one_line(err)})")
            continue
        ids = Counter(c.get("id") for c in cells if c.get("id"))
        for i, cell in enumerate(cells):
            where, label, meta, src = _where(path.name, i, cell), _label(cell), _nbgrader(cell), _source(cell)
            cell_id = cell.get("id")
            if not cell_id:
                add(label, f"{where} has no cell id (nbformat 4.5 needs one per cell)")
            elif not isinstance(cell_id, str) or not CELL_ID.match(cell_id):
                add(label, f"{where} has an invalid cell id {cell_id!r} (1-64 of a-z A-Z 0-9 - _)")
            elif ids[cell_id] > 1:
                add(label, f"{where} has the cell id {cell_id!r}, which {ids[cell_id] - 1} other cell(s) also have")
            if cell.get("outputs"):
                add(label, f"{where} has stored outputs: clear them (notebooks are stored without outputs)")
            if cell.get("execution_count") is not None:
                add(label, f"{where} has a stored execution count: clear the outputs")
            if HIDDEN.search(src):
                add(label, f"{where} has a ### BEGIN HIDDEN TESTS block: move those cases into "
                           f"autograder/checks/{assignment}.py and delete the block")
            if not meta:
                continue
            grade_id = meta.get("grade_id")
            if not grade_id:
                add(label, f"{where} has nbgrader metadata without a grade_id")
                continue
            grade_ids[grade_id] += 1
            if grade_ids[grade_id] == 2:
                add(grade_id, f"{where}: grade_id {grade_id!r} is used by more than one cell")
            if meta.get("grade"):
                points = meta.get("points")
                if points is None:
                    add(grade_id, f"{where} is graded but has no points")
                elif not isinstance(points, int | float) or isinstance(points, bool) or points < 0:
                    add(grade_id, f"{where} has points {points!r}: give a number, 0 or more")
            if _is_answer(cell):
                for word in ("BEGIN", "END"):
                    if not re.search(rf"^[ \t]*### {word} SOLUTION[ \t]*$", src, re.M):
                        add(grade_id, f"{where} is a solution cell without ### {word} SOLUTION")
                answers.setdefault(grade_id, where)
                sources.setdefault(grade_id, MARKER.sub("", src))
            if _is_test(cell):
                tests.setdefault(grade_id, where)
                first = src.lstrip("\n").split("\n", 1)[0]
                if not DOCSTRING.match(first.strip()):
                    add(grade_id, f"{where} is a test cell that does not open with a one-line docstring")
                if not VISIBLE.search(src):
                    add(grade_id, f"{where} is a test cell without a visible assert (assert or a check_* call)")

    _lint_checks(root, assignment, tests, add)
    if variants_dir is not None:
        _lint_catalogue(variants_dir, assignment, tests, answers, sources, add)
    return problems


def _lint_checks(root, assignment, tests, add):
    path = root / "autograder" / "checks" / f"{assignment}.py"
    if not path.is_file():
        add(None, f"no trusted checks: autograder/checks/{assignment}.py is missing, so no test cell can earn a point")
        return
    try:
        checks = trusted.load(assignment, path.parent)
    except (Exception, SystemExit) as err:  # a check module may raise anything
        add(None, f"autograder/checks/{assignment}.py does not load: {_one_line(err)}")
        return
    if not isinstance(checks, dict):
        add(None, f"autograder/checks/{assignment}.py: `checks` is not a Checks() registry")
        return
    for grade_id, where in tests.items():
        if grade_id not in checks:
            add(grade_id, f"{where} is a graded test cell without a trusted check: add @checks({grade_id!r}, "
                          f"functions=(...), reference=(...)) to autograder/checks/{assignment}.py")
    for grade_id in checks:
        if grade_id not in tests:
            add(grade_id, f"autograder/checks/{assignment}.py has a check for {grade_id!r}, "
                          "which no graded test cell of the notebook has")


def _lint_catalogue(variants_dir, assignment, tests, answers, sources, add):
    path = variants_dir / f"{assignment}.py"
    shown = f"tests/variants/{assignment}.py"
    if not path.is_file():
        add(None, f"no catalogue of typical mistakes: {shown} is missing")
        return
    try:
        variants = load_catalogue(path)
    except Exception as err:  # the catalogue is code too
        add(None, f"{shown} does not load: {_one_line(err)}")
        return
    mistakes, alternatives = Counter(), set()
    for v in variants:
        edited = {e.cell for e in v.edits}
        for grade_id in sorted(set(v.breaks) - set(tests)):
            add(grade_id, f"{shown}: variant {v.name!r} breaks {grade_id!r}, which is no graded test cell")
        for grade_id in sorted(edited - set(answers)):
            add(grade_id, f"{shown}: variant {v.name!r} edits {grade_id!r}, which is no answer cell")
        for grade_id in set(v.breaks):
            mistakes[grade_id] += 1
        if not v.breaks:
            alternatives |= edited
        edited_src = dict(sources)
        for e in v.edits:
            if e.cell in edited_src:
                if e.old not in edited_src[e.cell]:
                    add(e.cell, f"{shown}: an edit of variant {v.name!r} no longer applies to {answers[e.cell]}: "
                                f"{e.old[:60]!r} is not in the solution")
                    break
                edited_src[e.cell] = edited_src[e.cell].replace(e.old, e.new)
    for grade_id, where in tests.items():
        if mistakes[grade_id] < MIN_MISTAKES:
            add(grade_id, f"{where} has {mistakes[grade_id]} catalogued typical mistake(s) in {shown}; "
                          f"give at least {MIN_MISTAKES} (variants whose breaks hold {grade_id!r})")
    for grade_id, where in answers.items():
        if grade_id not in alternatives:
            add(grade_id, f"{where} has no correct alternative in {shown} "
                          "(a variant with empty breaks that edits this cell)")


# ---------------------------------------------------------------------------------------------- new cells


def _fresh_id(base, taken):
    """A cell id from ``base`` (underscores as hyphens) not in ``taken``; a random suffix if needed."""
    stem = re.sub(r"[^a-zA-Z0-9-]", "-", base)[:48] or "cell"
    candidate = stem
    while candidate in taken:
        candidate = f"{stem}-{secrets.token_hex(4)}"
    taken.add(candidate)
    return candidate


def _meta(grade_id, *, grade, solution, locked, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution,
            "task": False}
    if points is not None:
        meta["points"] = float(points)
    return {"nbgrader": meta}


def new_exercise_cells(grade_id_base, points, written_points=None, function=None, taken=()):
    """[answer cell, test cell] (and a written-answer cell if ``written_points``) for ``grade_id_base``.

    ``grade_id_base`` is ``NN_name`` (the answer cell's grade_id; the test cell's is ``NN_name_tests``,
    the written answer's ``NN_name_written``); ``function`` is the function the learner writes
    (default: ``name``). ``taken`` holds the cell ids already in the notebook, so the new ids are fresh.
    """
    if not re.fullmatch(r"\d\d_[A-Za-z0-9_]+", grade_id_base):
        raise ValueError(f"grade_id base {grade_id_base!r}: write NN_name (the assignment's number, then a name)")
    function = function or grade_id_base.split("_", 1)[1]
    if not function.isidentifier():
        raise ValueError(f"{function!r} is not a Python name: pass function=")
    taken = set(taken)
    answer = nbformat.v4.new_code_cell(
        f"def {function}(x):\n"
        f'    """What {function} returns, with shapes in lecture notation, e.g. (n_a, m)."""\n'
        "    ### BEGIN SOLUTION\n"
        "    raise NotImplementedError()  # the solution goes here; students get only the lines outside the markers\n"
        "    ### END SOLUTION",
        metadata=_meta(grade_id_base, grade=False, solution=True, locked=False),
    )
    test_id = f"{grade_id_base}_tests"
    test = nbformat.v4.new_code_cell(
        f'"""{function}: one line saying what these visible cases show."""\n'
        f"# Replace with a visible case, e.g. check_close(\"a<t>\", {function}(...), expected, hint=\"...\").\n"
        f"assert callable({function}), \"define {function} in the cell above and run it\"",
        metadata=_meta(test_id, grade=True, solution=False, locked=True, points=points),
    )
    answer.id, test.id = _fresh_id(grade_id_base, taken), _fresh_id(test_id, taken)
    cells = [answer, test]
    if written_points is not None:
        written_id = f"{grade_id_base}_written"
        written = nbformat.v4.new_markdown_cell(
            "The model answer, for the grader (students see YOUR ANSWER HERE).",
            metadata=_meta(written_id, grade=True, solution=True, locked=False, points=written_points),
        )
        written.id = _fresh_id(written_id, taken)
        cells.append(written)
    return cells


def add_exercise(notebook_path, after_index, grade_id_base, points, markdown_title, function=None):
    """Insert a heading, an answer cell and a test cell after cell ``after_index``; write the notebook.

    Returns the three new cells. The heading is ``## {markdown_title} ({points} points)``.
    """
    notebook_path = Path(notebook_path)
    nb = nbformat.read(notebook_path, as_version=4)
    if not -1 <= after_index < len(nb.cells):
        raise IndexError(f"after_index {after_index}: the notebook has cells 0 to {len(nb.cells) - 1} (-1: at the top)")
    existing = {_nbgrader(c).get("grade_id") for c in nb.cells}
    if grade_id_base in existing or f"{grade_id_base}_tests" in existing:
        raise ValueError(f"{notebook_path.name} already has a cell with grade_id {grade_id_base!r} or its tests")
    taken = {c.get("id") for c in nb.cells}
    answer, test = new_exercise_cells(grade_id_base, points, function=function, taken=taken)
    taken |= {answer.id, test.id}
    shown = f"{points:g}" if isinstance(points, int | float) else points
    heading = nbformat.v4.new_markdown_cell(
        f"## {markdown_title} ({shown} points)\n\n"
        "What to write, with the lecture's equation and the shapes in its notation.")
    heading.id = _fresh_id(f"{grade_id_base}-intro", taken)
    nb.cells[after_index + 1:after_index + 1] = [heading, answer, test]
    nbformat.validate(nb)
    nbformat.write(nb, notebook_path)
    return [heading, answer, test]


# ---------------------------------------------------------------------------------------------- command


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m autograder.lint", description=__doc__.splitlines()[0])
    p.add_argument("--root", type=Path, default=REPO, help="the course checkout (default: this one)")
    p.add_argument("assignments", nargs="*", help="default: every assignment in solutions/")
    p.add_argument("--add", nargs=5, metavar=("NOTEBOOK", "AFTER", "BASE", "POINTS", "TITLE"),
                   help="insert a new exercise's heading, answer and test cells after cell AFTER")
    args = p.parse_args(argv)
    if args.add:
        notebook, after, base, points, title = args.add
        cells = add_exercise(Path(notebook), int(after), base, float(points), title)
        print(f"added cells {', '.join(c.id for c in cells)} to {notebook}; now write the check "
              f"{base}_tests in autograder/checks and its catalogue entries in tests/variants")
        return 0
    problems = lint(args.root, args.assignments or None)
    print(format_problems(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
