"""Every benchmark in one command (not a test): python benchmarks/all.py

Runs, one after the other and each in its own process (each sets its thread counts before numpy
is imported), with their default settings:
    run.py            rnnkit's layers against PyTorch, fraction of the GEMM peak, LSTM memory
    lstm_floor.py     the LSTM against its own matrix products and PyTorch
    lm_speed.py       a character language model against a min-char-rnn-style baseline
    course_timing.py  every solution notebook executed, and autograded by nbgrader
    grading.py        a class of 40 graded with --jobs 1 and --jobs 2
then prints the wall time of each. About 17 minutes on 2 shared cores (992 s measured); the results are written to
benchmarks/results/ (see benchmarks/README.md). Needs the bench and course extras:
pip install -e ".[course,bench]". Stops at the first benchmark that fails, with its exit code.
"""

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ("run.py", "lstm_floor.py", "lm_speed.py", "course_timing.py", "grading.py")


def main():
    walls = []
    for name in BENCHMARKS:
        print(f"== {name}", flush=True)
        start = time.perf_counter()
        code = subprocess.run([sys.executable, str(HERE / name)], cwd=HERE.parent).returncode
        walls.append((name, time.perf_counter() - start))
        if code:
            print(f"{name} failed with exit code {code}", file=sys.stderr)
            return code
    for name, seconds in walls:
        print(f"{name:<18} {seconds:7.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
