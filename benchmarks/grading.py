"""Time to grade a class: N copies of a complete submission, graded serially and in parallel.

    python benchmarks/grading.py [--students 40] [--assignment 01_notation] [--jobs 1 2]

Runs `rnnkit-course grade` (the trusted pipeline: --jobs long-lived grading workers, each
starting a fresh sandboxed kernel per student, then the trusted checks, feedback and the CSV)
in a temporary course, once per --jobs value, and prints a markdown table (written to
benchmarks/results/grading.md). Not a test: the figures depend on the machine.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import blas
import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from course_harness import fill  # noqa: E402


def grade_class(assignment, students, jobs):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "solutions" / assignment, root / "solutions" / assignment)
        for path in (REPO / "solutions" / assignment).glob("*.ipynb"):
            done = fill(nbformat.read(REPO / "notebooks" / assignment / path.name, 4), nbformat.read(path, 4))
            for i in range(students):
                (root / "subs" / f"student{i:03d}").mkdir(parents=True, exist_ok=True)
                nbformat.write(done, root / "subs" / f"student{i:03d}" / path.name)
        command = [str(Path(sys.executable).parent / "rnnkit-course"), "--root", str(root),
                   "--db-url", f"sqlite:///{root / 'gb.db'}", "grade", assignment, str(root / "subs"),
                   "--jobs", str(jobs)]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if done.returncode:
            raise RuntimeError(done.stdout + done.stderr)
        return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--assignment", default="01_notation")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    rows = [f"| {args.assignment}, {args.students} students | seconds | per student |", "| --- | --- | --- |"]
    for jobs in args.jobs:
        s = grade_class(args.assignment, args.students, jobs)
        rows.append(f"| --jobs {jobs} | {s:.0f} | {s / args.students:.1f} |")
        print(rows[-1], flush=True)
    table = "\n".join(rows) + (f"\n\n{time.strftime('%Y-%m-%d')}, python {sys.version.split()[0]}. The graders' "
                               f"processes inherit this environment: {blas.describe()}\n")
    (REPO / "benchmarks" / "results").mkdir(parents=True, exist_ok=True)
    (REPO / "benchmarks" / "results" / "grading.md").write_text(table)
    print("\n" + table)


if __name__ == "__main__":
    main()
