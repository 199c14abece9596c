"""The whole grading round trip against a PostgreSQL gradebook.

Set RNNKIT_TEST_PG_URL to the SQLAlchemy URL of a database (`.ci/postgres` starts a throwaway
server on loopback and prints one). CI always sets it; without it, this test cannot run and
says so — on CI that is a failure, not a skip.
"""

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from course_harness import REPO, fill

URL = os.environ.get("RNNKIT_TEST_PG_URL")
ASSIGNMENT = "01_notation"

if not URL and os.environ.get("CI"):
    raise RuntimeError("CI must set RNNKIT_TEST_PG_URL (see .ci/postgres)")


@pytest.mark.slow
@pytest.mark.skipif(not URL, reason="no PostgreSQL server: set RNNKIT_TEST_PG_URL (see .ci/postgres)")
def test_grading_round_trip_on_postgresql(tmp_path):
    from nbgrader.api import Gradebook

    shutil.copytree(REPO / "solutions" / ASSIGNMENT, tmp_path / "solutions" / ASSIGNMENT)
    source = nbformat.read(REPO / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    release = nbformat.read(REPO / "notebooks" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    subs = tmp_path / "submissions"
    for student, nb in {"pg_ada": fill(release, source), "pg_bob": release}.items():
        (subs / student).mkdir(parents=True)
        nbformat.write(nb, subs / student / f"{ASSIGNMENT}.ipynb")
    done = subprocess.run(
        [str(Path(sys.executable).parent / "rnnkit-course"), "--root", str(tmp_path), "--db-url", URL,
         "grade", ASSIGNMENT, str(subs)],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    with open(tmp_path / "autograder" / "reports" / f"{ASSIGNMENT}_grades.csv") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    assert (rows["pg_ada"]["score"], rows["pg_bob"]["score"]) == ("14", "0")
    with Gradebook(URL) as gb:  # the grades are in PostgreSQL, not in a SQLite file
        assert gb.db.bind.dialect.name == "postgresql"
        assert gb.find_submission(ASSIGNMENT, "pg_ada").score == 14
    assert not list(tmp_path.rglob("*.db"))
    assert (tmp_path / "autograder" / "feedback" / "pg_ada" / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file()
