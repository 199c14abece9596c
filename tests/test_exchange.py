"""nbgrader's exchange, as used on JupyterHub: release → fetch → submit → collect → autograde →
feedback → fetch feedback, with the real commands and the course's configuration, through a local
exchange folder (one user on one machine; the hub itself is not started)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from course_harness import REPO, Course, fill

pytestmark = pytest.mark.slow
A = "01_notation"


def student(*args, home):
    """An nbgrader command as a student runs it: no course config, only the hub-wide one."""
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
    cmd = [sys.executable, "-m", "nbgrader", *args, "--course=rnn-course",
           f"--NbGrader.config_file={REPO / 'autograder' / 'jupyterhub' / 'nbgrader_config'}"]
    return subprocess.run(cmd, cwd=home, env=env, capture_output=True, text=True, timeout=300)


def test_exchange_round_trip(tmp_path, monkeypatch):
    exchange, home, root = tmp_path / "exchange", tmp_path / "home", tmp_path / "course"
    exchange.mkdir(mode=0o777)
    exchange.chmod(0o1777)
    home.mkdir()
    monkeypatch.setenv("RNNKIT_EXCHANGE", str(exchange))
    shutil.copytree(REPO / "solutions" / A, root / "solutions" / A)
    course = Course(root=root, db_url=f"sqlite:///{tmp_path / 'gradebook.db'}", extra=(f"--Exchange.root={exchange}",))

    def ok(done):
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    ok(course.nbgrader("generate_assignment", A, "--force"))
    ok(course.nbgrader("release_assignment", A, "--force"))
    ok(student("fetch_assignment", A, home=home))
    fetched = home / "rnn-course" / A / f"{A}.ipynb"  # path_includes_course: one folder per course
    source = nbformat.read(REPO / "solutions" / A / f"{A}.ipynb", 4)
    nbformat.write(fill(nbformat.read(fetched, 4), source), fetched)  # the student's work
    ok(student("submit", A, home=home))
    ok(course.nbgrader("collect", A))
    (who,) = [p.name for p in (root / "autograder" / "submitted").iterdir()]
    ok(course.nbgrader("autograde", A, "--force"))
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        assert gb.find_submission(A, who).score == 14
    ok(course.nbgrader("generate_feedback", A, "--force"))
    ok(course.nbgrader("release_feedback", A))
    ok(student("fetch_feedback", A, home=home))
    pages = list((home / "rnn-course" / A / "feedback").rglob("*.html"))
    assert pages and "HIDDEN TESTS" not in pages[0].read_text()
