"""nbgrader's settings in the student's JupyterLab (lab/student.py puts this folder on Jupyter's config path).

The Validate button and the assignment list read this file; without one, nbgrader warns on every use
that it found no nbgrader_config.py. Validate gives each cell the grader's time limit.
"""

import os

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

c.Execute.timeout = int(os.environ.get("RNNKIT_CELL_TIMEOUT", "60"))  # as autograder/nbgrader_config.py
