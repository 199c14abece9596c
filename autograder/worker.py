"""A long-lived grading worker: nbgrader loaded once, one student at a time.

    python -m autograder.worker ASSIGNMENT [nbgrader flags ...]

Reads student ids, one JSON line each (``{"student": "ada"}``) on standard input, autogrades
that student with nbgrader's own Autograde converter and writes their feedback (in this
process, so nbgrader's start-up is paid once per worker, not once per student), and answers one JSON line
``{"student": ..., "ok": bool, "log": "..."}``. Each student's kernel is a fresh sandboxed
process started by the TrustedExecute preprocessor, so nothing of one student reaches the next.
"""

import io
import json
import logging
import sys
from pathlib import Path


def _app(argv):
    from nbgrader.apps import AutogradeApp

    app = AutogradeApp()
    app.initialize(argv)
    app.coursedir.assignment_id = app.extra_args[0]
    return app


def grade_one(app, student):
    """Autograde ``student``; (ok, nbgrader's log of that run)."""
    from nbgrader.converters import Autograde

    from . import feedback

    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("[%(levelname)s] %(message)s"))
    app.log.addHandler(handler)
    ok = True
    try:
        app.coursedir.student_id = student
        Autograde(coursedir=app.coursedir, parent=app).start()
        d, trusted = app.coursedir, app.config.TrustedExecute
        feedback.write(d.root, Path(d.root) / d.feedback_directory, trusted.results_dir, d.db_url, d.assignment_id,
                       student, d.format_path(d.autograded_directory, student, d.assignment_id), trusted.source_dir)
    except BaseException as err:  # NbGraderException, SystemExit and the like: this student only
        ok = False
        app.log.error("%s: %s", type(err).__name__, err)
    finally:
        app.log.removeHandler(handler)
    return ok, buffer.getvalue()


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    app = _app(argv)
    for handler in list(app.log.handlers):  # the log goes back in the answers, not to stderr
        app.log.removeHandler(handler)
    app.log.propagate = False
    out = sys.stdout
    sys.stdout = sys.stderr  # anything else printed must not break the answer lines
    print(json.dumps({"ready": True}), file=out, flush=True)
    for line in sys.stdin:
        student = json.loads(line)["student"]
        ok, log = grade_one(app, student)
        print(json.dumps({"student": student, "ok": ok, "log": log}), file=out, flush=True)


if __name__ == "__main__":
    main()
