"""nbgrader configuration for the course on a JupyterHub, with nbgrader's exchange.

Install it for everyone on the hub (e.g. /etc/jupyter/nbgrader_config.py), so that students'
servers know the course and the exchange; the instructor keeps autograder/nbgrader_config.py
for the course folder and loads this one too (see autograder/jupyterhub/README.md).
"""

import os

c = get_config()  # noqa: F821 - provided by traitlets

c.CourseDirectory.course_id = "rnn-course"
# A folder every user's server can read and write: a shared volume on the hub.
c.Exchange.root = os.environ.get("RNNKIT_EXCHANGE", "/srv/nbgrader/exchange")
# Several courses can share one exchange; each gets its own sub-folder.
c.Exchange.path_includes_course = True
