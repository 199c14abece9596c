"""JupyterHub settings for the RNN course: one instructor (or a few), many students.

Start from your hub's own configuration and add these lines (or `load_subconfig` this file, as
.ci/hub_config.py does). The user names come from the environment, comma-separated:
RNNKIT_INSTRUCTORS and RNNKIT_STUDENTS (or edit the two lines below). Every user's server must see
the exchange folder, $RNNKIT_EXCHANGE (default /srv/nbgrader/exchange): a shared volume with
DockerSpawner or KubeSpawner, a plain folder with the default LocalProcessSpawner.
"""

import os

c = get_config()  # noqa: F821 - provided by traitlets

course = "rnn-course"
instructors = sorted(filter(None, os.environ.get("RNNKIT_INSTRUCTORS", "instructor1").split(",")))
students = sorted(filter(None, os.environ.get("RNNKIT_STUDENTS", "").split(",")))

# nbgrader's access model: the formgrader group may grade, the course group may fetch and submit.
c.JupyterHub.load_groups = {
    f"formgrade-{course}": {"users": instructors},
    f"nbgrader-{course}": {"users": students},  # or add students through the hub's admin page
}
c.JupyterHub.load_roles = [
    {"name": "instructor", "groups": [f"formgrade-{course}"], "scopes": ["admin:users", "admin:servers"]},
]
c.Spawner.environment = {
    "RNNKIT_EXCHANGE": os.environ.get("RNNKIT_EXCHANGE", "/srv/nbgrader/exchange"),
    # numpy's BLAS on one thread, as in lab/student.py: this course's small matrices run many times
    # faster so, and one user's kernel does not take every core of a shared machine.
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
c.Spawner.default_url = "/lab"
