"""The student's JupyterLab: `jupyter lab --config=lab/student.py notebooks/` (the README's first command).

Two things differ from a plain `jupyter lab` (which the instructor starts from autograder/, with everything):
- Every kernel runs numpy's BLAS on one thread, as the tests, the grader and the benchmarks do. This
  course multiplies small matrices (tens of rows), where a second thread costs more in hand-over than
  it saves: 05's training cell took 26.7 s with OpenBLAS's default threads and 1.1 s with one on a
  2-core machine. Kernels inherit the server's environment, so this reaches every notebook; a value
  the learner exported already is kept.
- nbgrader's instructor tools are off: the formgrader and course list (server and lab parts) and the
  Create Assignment sidebar; the Validate button and the assignment list stay. This folder goes on
  Jupyter's config path, so JupyterLab reads labconfig/page_config.json here (what
  `jupyter labextension disable` writes) and nbgrader reads nbgrader_config.py here.
"""

import os

c = get_config()  # noqa: F821 - provided by traitlets when Jupyter loads this file

here = os.path.dirname(os.path.abspath(__file__))

for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(name, "1")

# Read at each page load and each nbgrader request, so setting it here is in time.
os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(filter(None, [here, os.environ.get("JUPYTER_CONFIG_PATH")]))

c.ServerApp.jpserver_extensions = {
    "nbgrader.server_extensions.formgrader": False,
    "nbgrader.server_extensions.course_list": False,
}
