"""Every assignment, graded by nbgrader's real command line in a temporary course.

For each folder of solutions/ (so a new assignment is covered without extra work):
the solution earns every automatic point, the untouched release earns none, each
typical mistake of tests/variants/<assignment>.py loses the points of the exercise it
breaks and only those, and each correct alternative keeps full marks.
"""

import json
import re

import nbformat
import pytest
from course_harness import REPO, grade_variants, graded_cells, load_variants

ASSIGNMENTS = sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir() and p.name[:2].isdigit())
CASES = [(a, v) for a in ASSIGNMENTS for v in load_variants(a)]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """graded(assignment) -> Graded, computed once per assignment per session."""
    cache = {}

    def get(assignment):
        if assignment not in cache:
            tmp = tmp_path_factory.mktemp(f"course-{assignment}")
            cache[assignment] = grade_variants(tmp, assignment, load_variants(assignment))
        return cache[assignment]

    return get


def points(assignment):
    """{grade_id: points} of the assignment's autograded test cells, read from the source."""
    cells = {}
    for path in (REPO / "solutions" / assignment).glob("*.ipynb"):
        cells.update(graded_cells(nbformat.read(path, 4)))
    return cells


def auto_scores(graded_assignment, student):
    scores = graded_assignment.scores.get(student)
    assert scores is not None, f"{student} was not graded:\n{graded_assignment.log[-3000:]}"
    return {k: v for k, v in scores.items() if k in points(graded_assignment.assignment)}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_earns_full_marks(graded, assignment):
    g = graded(assignment)
    scores = auto_scores(g, "solution")
    assert scores.keys() == points(assignment).keys()
    lost = {k: v[:2] for k, v in scores.items() if v[0] != v[1]}
    assert not lost, f"the solution loses points in {lost}"
    manual = {k for k, v in g.scores["solution"].items() if v[2]}
    assert manual, "every assignment has at least one answer graded by hand"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_blank_release_scores_zero(graded, assignment):
    scores = graded(assignment).scores["blank"]
    assert sum(v[0] for v in scores.values()) == 0, scores


@pytest.mark.parametrize(("assignment", "variant"), CASES, ids=[f"{a}-{v.name}" for a, v in CASES])
def test_variant_loses_exactly_the_points_it_breaks(graded, assignment, variant):
    scores = auto_scores(graded(assignment), variant.name)
    assert variant.breaks <= scores.keys(), f"unknown test cells {variant.breaks - scores.keys()}"
    for cell, (score, max_score, _) in scores.items():
        if cell in variant.breaks:
            assert score < max_score, f"{variant.name}: {cell} should lose points but scored {score}/{max_score}"
        else:
            assert score == max_score, f"{variant.name}: {cell} should keep its points but scored {score}/{max_score}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_assignment_is_substantial(assignment):
    cells = points(assignment)
    assert len(cells) >= 5 and sum(cells.values()) >= 10, cells
    assert len(load_variants(assignment)) >= 3


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_committed_release_is_current(graded, assignment):
    """notebooks/ is what nbgrader generates from solutions/ today."""
    fresh = graded(assignment).release
    committed = REPO / "notebooks" / assignment
    names = sorted(p.name for p in fresh.iterdir())
    assert names == sorted(p.name for p in committed.iterdir()), "run `rnnkit-course release`"
    for name in names:
        if name.endswith(".ipynb"):
            same = json.loads((fresh / name).read_text()) == json.loads((committed / name).read_text())
        else:
            same = (fresh / name).read_bytes() == (committed / name).read_bytes()
        assert same, f"notebooks/{assignment}/{name} is stale: run `rnnkit-course release`"


SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)


def secret_lines(assignment):
    """Distinctive lines of solution code and hidden tests in the sources."""
    lines = set()
    for path in (REPO / "solutions" / assignment).glob("*.ipynb"):
        for cell in nbformat.read(path, 4).cells:
            for block in SOLUTION.findall(cell.source) + HIDDEN.findall(cell.source):
                lines |= {ln.strip() for ln in block.splitlines() if len(ln.strip()) > 25}
    return lines


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_holds_no_solution_and_no_hidden_test(assignment):
    secrets = secret_lines(assignment)
    assert secrets, "the scan found no solution code to look for"
    for path in (REPO / "notebooks" / assignment).glob("*.ipynb"):
        text = path.read_text()
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS"):
            assert marker not in text, f"{path.name} contains {marker}"
        sources = "\n".join(c.source for c in nbformat.read(path, 4).cells)
        leaked = [s for s in secrets if s in sources]
        assert not leaked, f"{path.name} leaks: {leaked[:3]}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_catalogue_covers_every_exercise(assignment):
    """At least 3 typical mistakes per graded test cell, and a correct alternative for every answer cell.

    That each mistake is caught (the share caught is 100 %) is what test_variant_loses_exactly_the_points_it_breaks
    proves, one variant at a time.
    """
    variants = load_variants(assignment)
    mistakes = {cell: sum(cell in v.breaks for v in variants) for cell in points(assignment)}
    assert min(mistakes.values()) >= 3, mistakes
    answers = set()
    for path in (REPO / "solutions" / assignment).glob("*.ipynb"):
        nb = nbformat.read(path, 4)
        answers |= {c.metadata["nbgrader"]["grade_id"] for c in nb.cells
                    if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")}
    covered = {e.cell for v in variants if not v.breaks for e in v.edits}
    assert answers <= covered, f"no correct alternative for {sorted(answers - covered)}"
