"""Execution time of every solution notebook and autograde time per assignment.

    python benchmarks/course_timing.py [ASSIGNMENT ...] [--repeat N]

Each solution notebook is executed top to bottom in a fresh kernel (nbclient), N times;
then, per assignment, nbgrader autogrades one complete submission in a temporary course
(the time of `nbgrader autograde`, start-up included, and of the whole generate + autograde
round). Prints a markdown table (median, min, max) and writes it to
benchmarks/results/course_timing.md. Not a test: the figures depend on the machine and its load.
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import blas
import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from course_harness import fill  # noqa: E402

from autograder.nbgrader_run import Course  # noqa: E402
from autograder.release import generate  # noqa: E402


def execute_time(path):
    nb = nbformat.read(path, 4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - start


def autograde_time(assignment):
    """(seconds of `nbgrader autograde` for one complete submission, seconds of generate + autograde)."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        shutil.copytree(REPO / "solutions" / assignment, tmp / "solutions" / assignment)
        course = Course(root=tmp, db_url=f"sqlite:///{tmp / 'gb.db'}")
        start = time.perf_counter()
        release = generate(course, assignment, tmp / "notebooks", course.db_url)
        folder = tmp / "autograder" / "submitted" / "student" / assignment
        folder.mkdir(parents=True)
        for path in (tmp / "solutions" / assignment).glob("*.ipynb"):
            nbformat.write(fill(nbformat.read(release / path.name, 4), nbformat.read(path, 4)), folder / path.name)
        mid = time.perf_counter()
        done = course.nbgrader("autograde", assignment, "--force")
        end = time.perf_counter()
        if done.returncode:
            raise RuntimeError(done.stdout + done.stderr)
        return end - mid, end - start


def stats(values):
    return f"{statistics.median(values):.1f} ({min(values):.1f}–{max(values):.1f})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    assignments = args.assignments or sorted(p.name for p in (REPO / "solutions").iterdir() if p.name[:2].isdigit())
    rows = ["| assignment | execute solution, s | nbgrader autograde, s | generate + autograde, s |",
            "| --- | --- | --- | --- |"]
    for a in assignments:
        (path,) = sorted((REPO / "solutions" / a).glob("*.ipynb"))
        ex = [execute_time(path) for _ in range(args.repeat)]
        ag = [autograde_time(a) for _ in range(args.repeat)]
        rows.append(f"| {a} | {stats(ex)} | {stats([g[0] for g in ag])} | {stats([g[1] for g in ag])} |")
        print(rows[-1], flush=True)
    table = "\n".join(rows)
    note = (f"\nmedian (min–max) of {args.repeat} runs; {time.strftime('%Y-%m-%d')}, python {sys.version.split()[0]}. "
            f"The notebooks' processes inherit this environment: {blas.describe()}\n")
    out = REPO / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "course_timing.md").write_text(table + "\n" + note)
    print("\n" + table + note)


if __name__ == "__main__":
    main()
