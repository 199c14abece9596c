"""Time of every solution notebook in the student's JupyterLab kernel against a plain JupyterLab's.

    python benchmarks/student_kernel.py [ASSIGNMENT ...]

Two real servers on loopback, as tests/lab_harness.py starts them: the README's (lab/student.py: one
BLAS thread per kernel) and a plain `jupyter lab` (OpenBLAS's default, a thread per core), both in a
shell environment without the tests' BLAS settings. Each notebook's code cells run one after the other
in a fresh kernel of each server (started through the REST API, as JupyterLab does), plain then student,
notebook after notebook. Prints a markdown table: the cells' total and the longest cell, seconds (kernel
start-up excluded). Not a test: the figures depend on the machine and its load.
"""

import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from lab_harness import lab  # noqa: E402


def run_cells(server, path):
    """(total seconds, longest cell seconds, its index) of the notebook's code cells in a fresh kernel."""
    client = server.kernel_client(str(path.parent.relative_to(REPO / "solutions")))
    times = []
    try:
        for cell in nbformat.read(path, 4).cells:
            if cell.cell_type != "code":
                continue
            start = time.perf_counter()
            reply = client.execute_interactive(cell.source, timeout=600, output_hook=lambda msg: None)
            times.append(time.perf_counter() - start)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"{path.name}: a cell failed: {reply['content'].get('ename')}")
    finally:
        client.shutdown()
        client.stop_channels()
    longest = max(range(len(times)), key=times.__getitem__)
    return sum(times), times[longest], longest


def main(assignments):
    paths = sorted((REPO / "solutions").glob("[0-9]*/*.ipynb"))
    paths = [p for p in paths if not assignments or p.parent.name in assignments]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        with lab(REPO / "solutions", Path(tmp) / "plain", config=None) as plain, \
                lab(REPO / "solutions", Path(tmp) / "student") as student:
            for path in paths:
                (a, a_long, a_at), (b, b_long, b_at) = run_cells(plain, path), run_cells(student, path)
                rows.append(f"| {path.parent.name} | {a:.1f} | {b:.1f} | {a_long:.1f} (code cell {a_at + 1}) "
                            f"| {b_long:.1f} (code cell {b_at + 1}) |")
                print(rows[-1], flush=True)
    table = "\n".join([
        "| assignment | plain JupyterLab, s | student's JupyterLab, s | longest cell, plain | longest cell, student |",
        "| --- | --- | --- | --- | --- |",
        *rows,
        "",
        f"code cells only, kernel start-up excluded; {date.today()}, python {platform.python_version()}",
    ])
    print(table)


if __name__ == "__main__":
    main(sys.argv[1:])
