"""Judge an assignment's catalogue quickly, without nbgrader: a tool for writing trusted checks.

    python tests/judge_catalogue.py 03_bptt [--only VARIANT ...] [--no-sandbox]      (or just: 03)

Runs the solution, the blank release and every variant of tests/variants/<assignment>.py
through the trusted pipeline (sandboxed kernel, then autograder/checks/<assignment>.py) and
prints, for each, the cells that failed, whether that is what the variant declares, and the
messages. The real proof is tests/test_assignments.py, which goes through nbgrader.
"""

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from course_harness import REPO, fill, load_variants  # noqa: E402

from autograder.execute import execute_and_judge  # noqa: E402


def judge(assignment, name, nb, source, isolate):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / assignment
        folder.mkdir()
        nbformat.write(nb, folder / f"{assignment}.ipynb")
        start = time.perf_counter()
        outcomes = execute_and_judge(nbformat.from_dict(nb), folder, assignment, source, isolate=isolate)
        return name, time.perf_counter() - start, outcomes


def main():
    os.environ.setdefault("NBGRADER_EXECUTION", "autograde")  # as nbgrader's autograde sets it: demonstrations do less
    parser = argparse.ArgumentParser()
    parser.add_argument("assignment")
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--no-sandbox", action="store_true")
    args = parser.parse_args()
    a = args.assignment
    if not (REPO / "solutions" / a).is_dir():  # a number alone, "10", names the assignment it starts
        matches = sorted(p.name for p in (REPO / "solutions").iterdir() if p.name.split("_")[0] == a)
        a = matches[0] if len(matches) == 1 else a
    source = nbformat.read(REPO / "solutions" / a / f"{a}.ipynb", 4)
    release = nbformat.read(REPO / "notebooks" / a / f"{a}.ipynb", 4)
    runs = [("solution", fill(release, source), frozenset()), ("blank", release, None)]
    runs += [(v.name, fill(release, source, v.edits), v.breaks) for v in load_variants(a)]
    if args.only:
        runs = [r for r in runs if r[0] in args.only]
    expected = {name: breaks for name, _, breaks in runs}
    bad = 0
    with ThreadPoolExecutor(2) as pool:
        jobs = [pool.submit(judge, a, name, nb, source, not args.no_sandbox) for name, nb, _ in runs]
        for job in jobs:
            name, seconds, outcomes = job.result()
            failed = {g for g, o in outcomes.items() if not o.passed}
            want = expected[name]
            ok = failed == set(outcomes) if want is None else failed == want
            bad += not ok
            print(f"{'ok ' if ok else 'BAD'} {name:<40} {seconds:5.1f}s failed={sorted(failed)}"
                  + ("" if ok else f" expected={sorted(want) if want is not None else 'all'}"))
            for g in sorted(failed):
                o = outcomes[g]
                print(f"      {g}: {o.message.splitlines()[0][:160] if o.message else ''}"
                      + (f" [mistake: {o.mistake}]" if o.mistake else ""))
    print(f"{len(runs) - bad} of {len(runs)} as declared")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
