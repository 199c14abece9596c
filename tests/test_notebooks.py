"""Every solution notebook runs top to bottom in a fresh kernel and shows its figures as images;
every release notebook runs to its end with "Run All", before a single exercise is written."""

import re

import nbformat
import pytest
from course_harness import REPO
from nbclient import NotebookClient

SOLUTIONS = sorted((REPO / "solutions").glob("[0-9]*/*.ipynb"))
RELEASES = sorted((REPO / "notebooks").glob("[0-9]*/*.ipynb"))

FIGURE_AS_TEXT = re.compile(r"<Figure size \d+x\d+ with \d+ Axes>")
MAKES_FIGURE = r"\b(plot_\w+|diagrams\.\w+|plt\.(subplots|figure|show){})\(|^(fig|display\(fig\))$"
IMPORTED_PICTURES = re.compile(r"^from rnnkit\.\w*(?:plots|diagrams) import (?:\(([^)]*)\)|(.*))$", re.M)


def makes_figure(nb):
    """A pattern for the lines that make a figure: pyplot, rnnkit's plots and the pictures the notebook imports."""
    names = {n.strip() for code in (c.source for c in nb.cells if c.cell_type == "code")
             for m in IMPORTED_PICTURES.finditer(code) for n in (m[1] or m[2]).split(",") if n.strip()}
    return re.compile(MAKES_FIGURE.format("".join(f"|{n}" for n in sorted(names))), re.M)


def execute(path):
    """The notebook at ``path``, executed as "Run All" does: top to bottom, stopping at the first error."""
    nb = nbformat.read(path, 4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def figure_problems(nb, skipped=()):
    """Cells that show a figure as the text of a Figure object, or make a figure and show no image.

    A cell with a widget shows its figures inside the widget; ``skipped`` cells made none.
    """
    problems, makes = [], makes_figure(nb)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        shown = [o.get("data", {}) for o in cell.outputs if o.output_type in ("display_data", "execute_result")]
        if any(FIGURE_AS_TEXT.search(d.get("text/plain", "")) and "image/png" not in d for d in shown):
            problems.append(f"cell {index} shows a figure as text, not as an image")
        widget = any("application/vnd.jupyter.widget-view+json" in d for d in shown)
        if (makes.search(cell.source) and index not in skipped and not widget
                and not any("image/png" in d for d in shown)):
            problems.append(f"cell {index} makes a figure but shows no image")
    return problems


def printed(cell, stream):
    return "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == stream)


@pytest.mark.slow
@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.parent.name for p in SOLUTIONS])
def test_solution_notebook_executes_top_to_bottom_and_shows_its_figures(path):
    nb = execute(path)
    assert not figure_problems(nb)


@pytest.mark.slow
@pytest.mark.parametrize("path", RELEASES, ids=[p.parent.name for p in RELEASES])
def test_run_all_on_a_fresh_release_reaches_the_end(path):
    """Nothing written yet: each test says so in one line, each cell that needs an exercise is skipped
    in one line, and everything else (the demonstrations, the pictures) runs."""
    nb = execute(path)  # raises at the first cell that ends in an error
    tests, skipped = [], []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert cell.execution_count, f"cell {index} did not run"
        if "with exercise(" in cell.source:
            tests.append(index)
            assert re.match(r"Exercise \d+ · .+: not (written|tested) yet", printed(cell, "stderr")), f"cell {index}"
        elif "with needs_exercises(" in cell.source:
            skipped.append(index)
            lines = printed(cell, "stdout").splitlines()  # what runs before the with block may print first
            assert lines and lines[-1].startswith("Skipped: this cell needs your "), f"cell {index}"
            assert not [o for o in cell.outputs if o.output_type == "display_data"], f"cell {index} half ran"
        else:
            assert "Skipped" not in printed(cell, "stdout"), f"cell {index}"
    graded = [i for i, c in enumerate(nb.cells)
              if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]
    assert tests == graded  # every test cell speaks for its exercise
    assert not figure_problems(nb, skipped)
