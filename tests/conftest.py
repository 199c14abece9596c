"""Test-wide settings.

One BLAS thread per process: the tests run nbgrader in two processes at once on a 2-core
machine, and two BLAS threads each on these small products make training cells many times
slower, not faster (measured: 30 ms against 0.05 ms for one output_backward product).
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
