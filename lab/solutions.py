"""The self-learner's view of the solutions: `jupyter lab --config=lab/solutions.py`.

The student's JupyterLab (student.py), rooted at a fresh copy of solutions/ in a temporary folder,
deleted when the server stops: run and change the solutions freely, nothing is written into
solutions/ (the instructor's sources, which `git pull` updates).
"""

import atexit
import os
import shutil
import tempfile

c = get_config()  # noqa: F821 - provided by traitlets when Jupyter loads this file
load_subconfig("student.py")  # noqa: F821 - provided by traitlets: the student's set-up, from this folder

here = os.path.dirname(os.path.abspath(__file__))
copy = tempfile.mkdtemp(prefix="rnnkit-solutions-")
atexit.register(shutil.rmtree, copy, True)
shutil.copytree(os.path.join(os.path.dirname(here), "solutions"), copy, dirs_exist_ok=True,
                ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
c.ServerApp.root_dir = copy
print(f"Serving a copy of solutions/ in {copy} (deleted when this server stops)")
