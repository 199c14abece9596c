"""nbgrader configuration for the RNN course.

`solutions/` is the source (instructor notebooks with solutions and hidden tests),
`notebooks/` the release students open; everything a class produces lives under
`autograder/`. Load it from the repository root with
    nbgrader <command> --NbGrader.config_file=autograder/nbgrader_config
or, simpler, through the instructor command `rnnkit-course`.
"""

import os

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

here = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "rnn-course"
c.CourseDirectory.root = os.path.dirname(here)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.submitted_directory = "autograder/submitted"
c.CourseDirectory.autograded_directory = "autograder/autograded"
c.CourseDirectory.feedback_directory = "autograder/feedback"
# SQLite by default; any SQLAlchemy URL (PostgreSQL included) through the environment.
c.CourseDirectory.db_url = os.environ.get("RNNKIT_DB_URL", f"sqlite:///{os.path.join(here, 'gradebook.db')}")

# A cell that runs longer than this is interrupted and grading goes on.
c.TrustedExecute.timeout = c.TrustedExecute.call_timeout = int(os.environ.get("RNNKIT_CELL_TIMEOUT", "60"))

# nbgrader's exchange (release, fetch, submit, collect; JupyterLab's Assignments tab polls it). On a hub, the
# shared folder of autograder/jupyterhub/nbgrader_config.py ($RNNKIT_EXCHANGE, default /srv/nbgrader/exchange)
# when it is there; on a laptop a private one here (git ignores it), so that JupyterLab started from
# autograder/ does not log "Unwritable directory" about nbgrader's default /usr/local/share/nbgrader/exchange.
_shared = os.environ.get("RNNKIT_EXCHANGE", "/srv/nbgrader/exchange")
c.Exchange.root = _shared if os.path.isdir(_shared) else os.path.join(here, "exchange")
os.makedirs(c.Exchange.root, exist_ok=True)

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

import sys  # noqa: E402

sys.path.insert(0, os.path.dirname(here))  # the autograder package, for nbgrader's own process

# Trusted grading: the submission runs in a sandboxed kernel; the checks of autograder/checks/
# run here, in nbgrader's process, and decide every test cell (autograder/execute.py).
c.Autograde.autograde_preprocessors = [
    "autograder.execute.TrustedExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "autograder.execute.KeepReview",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.TrustedExecute.results_dir = c.KeepReview.results_dir = os.path.join(here, "results")
c.TrustedExecute.source_dir = os.path.join(c.CourseDirectory.root, "solutions")
# Late work: the due dates and the policy of autograder/course.toml (autograder/late.py).
c.AssignLatePenalties.plugin_class = "autograder.late.LatePolicy"

# Feedback pages are written by autograder/feedback.py (from the trusted outcomes), not by generate_feedback.
