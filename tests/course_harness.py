"""Grade submissions with nbgrader's real command line in a temporary course.

A *variant* is a small edit of the solution (a typical mistake, or a correct
implementation written differently); it is turned into a student submission by
filling the release notebook's answer cells from the solution and applying the edit.
"""

import importlib.util
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # the autograder package lives beside rnnkit, outside the wheel

from autograder.nbgrader_run import Course  # noqa: E402
from autograder.release import generate  # noqa: E402
from autograder.submission import from_solution  # noqa: E402


@dataclass(frozen=True)
class Edit:
    """Replace ``old`` by ``new`` in the answer cell ``cell`` (a grade_id)."""

    cell: str
    old: str
    new: str


@dataclass(frozen=True)
class Variant:
    """A submission made from the solution. ``breaks``: the test cells that must lose points
    (empty for a correct alternative, which must keep full marks)."""

    name: str
    edits: tuple
    breaks: frozenset = field(default_factory=frozenset)


def load_variants(assignment):
    """VARIANTS of tests/variants/<assignment>.py."""
    path = Path(__file__).parent / "variants" / f"{assignment}.py"
    spec = importlib.util.spec_from_file_location(f"variants_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.VARIANTS


def answer_cells(nb):
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")}


def graded_cells(nb):
    """{grade_id: points} of the autograded test cells."""
    return {
        c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")
    }


def fill(release_nb, source_nb, edits=()):
    """The release notebook with every answer cell filled from the solution, then ``edits`` applied."""
    nb = from_solution(release_nb, source_nb)
    cells = answer_cells(nb)
    for e in edits:
        if e.old not in cells[e.cell].source:
            raise ValueError(f"edit for {e.cell} no longer applies: {e.old!r} is not in the solution")
        cells[e.cell].source = cells[e.cell].source.replace(e.old, e.new)
    return nb


@dataclass
class Graded:
    """Per-student, per-cell scores: scores[student][grade_id] = (score, max_score)."""

    course: Course
    assignment: str
    release: Path
    scores: dict
    log: str


def grade_variants(tmp, assignment, variants, extra_submissions=None):
    """Release ``assignment`` into a temporary course, autograde the solution, the blank
    release and every variant in one nbgrader batch, and read back the scores."""
    tmp = Path(tmp)
    shutil.copytree(REPO / "solutions" / assignment, tmp / "solutions" / assignment)
    course = Course(root=tmp, db_url=f"sqlite:///{tmp / 'gradebook.db'}")
    release = generate(course, assignment, tmp / "notebooks", course.db_url)
    submissions = {}
    for path in sorted((tmp / "solutions" / assignment).glob("*.ipynb")):
        source, blank = nbformat.read(path, 4), nbformat.read(release / path.name, 4)
        submissions.setdefault("solution", {})[path.name] = fill(blank, source)
        submissions.setdefault("blank", {})[path.name] = blank
        for v in variants:
            submissions.setdefault(v.name, {})[path.name] = fill(blank, source, v.edits)
    submissions.update(extra_submissions or {})
    # Two nbgrader processes (the machine's cores), each grading the students of its prefix.
    prefixes = "ab"
    named = {f"{prefixes[i % 2]}{student}": nbs for i, (student, nbs) in enumerate(submissions.items())}
    for student, notebooks in named.items():
        folder = tmp / "autograder" / "submitted" / student / assignment
        folder.mkdir(parents=True)
        for name, nb in notebooks.items():
            nbformat.write(nb, folder / name)
    with ThreadPoolExecutor(len(prefixes)) as pool:
        runs = list(pool.map(lambda p: course.nbgrader("autograde", assignment, "--force", f"--student={p}*"),
                             prefixes))
    log = "".join(done.stdout + done.stderr for done in runs)
    scores = read_scores(course.db_url, assignment, named)
    return Graded(course, assignment, release, {s[1:]: v for s, v in scores.items()}, log)


def read_scores(db_url, assignment, students):
    from nbgrader.api import Gradebook, MissingEntry

    scores = {}
    with Gradebook(db_url) as gb:
        for student in students:
            try:
                sub = gb.find_submission(assignment, student)
            except MissingEntry:
                continue
            scores[student] = {
                g.name: (g.score, g.max_score, g.needs_manual_grade) for nb in sub.notebooks for g in nb.grades
            }
    return scores
