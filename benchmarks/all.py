"""Every benchmark in one command (not a test): python benchmarks/all.py [--wait MINUTES]

Runs, one after the other and each in its own process (each sets its thread counts before numpy
is imported), with their default settings:
    run.py            rnnkit's layers against PyTorch in two columns of kernels, "as the machine is" and
                      "best kernels" (without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, for its own child
                      processes only; see blas.py); fraction of the GEMM rate, where the time goes, the
                      char-level shape against one numpy call, LSTM memory
    lm_speed.py       a character language model against a min-char-rnn-style baseline
    course_timing.py  every solution notebook executed, and autograded by nbgrader
    grading.py        a class of 40 graded with --jobs 1 and --jobs 2
then prints the wall time of each. Each results file names the kernels numpy ran (threadpoolctl); the last
three take the environment as found. --wait M first waits up to M minutes for the machine's 1-minute load
average to fall below 1 (the machine may be shared). The results are written to benchmarks/results/ (see
benchmarks/README.md). Needs the bench and course extras: pip install -e ".[course,bench]". Stops at the
first benchmark that fails, with its exit code.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

from run import wait_for_quiet

HERE = Path(__file__).resolve().parent
BENCHMARKS = ("run.py", "lm_speed.py", "course_timing.py", "grading.py")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wait", type=float, default=0.0, help="minutes to wait for a quiet machine first")
    args = parser.parse_args(argv)
    if args.wait:
        print(f"waited {wait_for_quiet(args.wait):.0f} s for a quiet machine", flush=True)
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
