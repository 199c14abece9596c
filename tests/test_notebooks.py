"""Every solution notebook runs top to bottom in a fresh kernel."""

import nbformat
import pytest
from nbclient import NotebookClient

from course_harness import REPO

SOLUTIONS = sorted((REPO / "solutions").glob("[0-9]*/*.ipynb"))


@pytest.mark.slow
@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.parent.name for p in SOLUTIONS])
def test_solution_notebook_executes_top_to_bottom(path):
    nb = nbformat.read(path, 4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, errors[0]
