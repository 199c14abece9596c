"""Grades that cannot be forged, through the real command on 03_bptt (18 automatic points).

Each trick that used to earn points when the checks ran in the student's kernel now earns
nothing for the exercises it cheats on (calling the reference is flagged for review), the
sandbox stops every attempt to reach the grader's files, network or processes, and the
feedback holds no line of a check and no expected value.
"""

import csv
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest
from course_harness import REPO, fill

pytestmark = pytest.mark.slow
ASSIGNMENT = "03_bptt"
NB = f"{ASSIGNMENT}.ipynb"
COMMAND = Path(sys.executable).parent / "rnnkit-course"
CHEATED = {"03_rnn_loss_tests", "03_rnn_cell_backward_tests", "03_clip_by_value_tests", "03_clip_by_norm_tests"}
POINTS = {"03_rnn_loss_tests": 2, "03_rnn_cell_backward_tests": 3, "03_rnn_backward_tests": 3,
          "03_loss_and_gradients_tests": 2, "03_gradient_norms_tests": 2, "03_clip_by_value_tests": 2,
          "03_clip_by_norm_tests": 2, "03_train_tests": 2}

FAKE_IMPORT = '''
class _Yes:
    def __getattr__(self, name):
        return self

    def __call__(self, *args, **kwargs):
        return self


def __import__(name, *args, **kwargs):  # the old hidden tests reached their checks through __import__
    return _Yes()
'''

FAKE_SEALED = '''
import rnnkit.testing


class _Yes:
    def __getattr__(self, name):
        return lambda *args, **kwargs: args[0] if args else None


vars(rnnkit.testing)["sealed"] = lambda: _Yes()  # around the guarded module the old checks relied on
'''

ALWAYS_EQUAL = '''
import numpy as np


class Always(np.ndarray):
    """Every comparison says True: equal, not equal, smaller, larger."""

    def __eq__(self, other):
        return np.ones(self.shape, dtype=bool)

    __ne__ = __le__ = __ge__ = __lt__ = __gt__ = __eq__


def _fake(*shape):
    return np.zeros(shape).view(Always)


def rnn_loss(y_hat, y):
    return _fake(*y.shape[1:]), _fake()


def rnn_cell_backward(da_next, cache):
    n_x, n_a = cache.xt.shape[0], da_next.shape[0]
    return {"dxt": _fake(n_x, da_next.shape[1]), "da_prev": _fake(*da_next.shape), "dWax": _fake(n_a, n_x),
            "dWaa": _fake(n_a, n_a), "dba": _fake(n_a, 1)}


def clip_by_value(gradients, max_value):
    return {k: _fake(*v.shape) for k, v in gradients.items()}


def clip_by_norm(gradients, max_norm):
    return {k: _fake(*v.shape) for k, v in gradients.items()}, _fake()
'''

PROFILE_OFF = '''
import sys

import rnnkit

sys.setprofile(None)  # the old check_own_work watched calls with a profile hook


def rnn_cell_backward(da_next, cache):
    return rnnkit.rnn_cell_backward(da_next, cache)


def clip_by_value(gradients, max_value):
    return rnnkit.clip_by_value(gradients, max_value)


def clip_by_norm(gradients, max_norm):
    return rnnkit.clip_by_norm(gradients, max_norm)


def rnn_loss(y_hat, y):
    return rnnkit.cross_entropy_steps(y_hat, y), rnnkit.cross_entropy(y_hat, y)
'''

DISK_SEARCH = '''
import json
import os

found = []
for top in ("/", os.path.expanduser("~")):
    for folder, subfolders, files in os.walk(top):
        subfolders[:] = [s for s in subfolders if s not in ("proc", "sys", "dev")]
        found += [os.path.join(folder, f) for f in files if f == "03_bptt.ipynb"]
solutions, marker = [], "### BEGIN " + "SOLUTION"
for path in found:
    try:
        cells = json.load(open(path))["cells"]
    except Exception:
        continue
    solutions += ["".join(c["source"]) for c in cells if marker in "".join(c["source"])]
print("notebooks found:", found, "with solutions:", len(solutions))
for code in solutions:
    exec(code)
'''

HOOK = '''
def _show(result):
    print("CELL RAN:", result.info.raw_cell)


get_ipython().events.register("post_run_cell", _show)
'''


def escape(name, code):
    """A cell that tries to reach something outside the sandbox and says what happened."""
    return f'''
try:
{chr(10).join("    " + line for line in code.strip().splitlines())}
    print("ESCAPE WORKED: {name}")
except Exception as err:
    print("ESCAPE FAILED: {name}:", type(err).__name__, err)
'''


def with_cell(nb, source, after="03_setup"):
    """``nb`` with a cell of the student's own inserted after the cell ``after``."""
    nb = nbformat.from_dict(nb)
    at = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == after) + 1
    nb.cells.insert(at, nbformat.v4.new_code_cell(source))
    return nb


def with_last_cell(nb, source):
    nb = nbformat.from_dict(nb)
    nb.cells.append(nbformat.v4.new_code_cell(source))
    return nb


def drop(nb, *grade_ids):
    """``nb`` with the answer cells ``grade_ids`` left as in the release (nothing implemented)."""
    release = {c.metadata["nbgrader"]["grade_id"]: c.source for c in RELEASE.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    nb = nbformat.from_dict(nb)
    for c in nb.cells:
        if c.metadata.get("nbgrader", {}).get("grade_id") in grade_ids:
            c.source = release[c.metadata["nbgrader"]["grade_id"]]
    return nb


SOURCE = nbformat.read(REPO / "solutions" / ASSIGNMENT / NB, 4)
RELEASE = nbformat.read(REPO / "notebooks" / ASSIGNMENT / NB, 4)
CHEATED_ANSWERS = ("03_rnn_loss", "03_rnn_cell_backward", "03_clip_by_value", "03_clip_by_norm")


class Listener:
    """A TCP server on loopback that records whether anyone connected."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port, self.connected = self.server.getsockname()[1], []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        try:
            while True:
                conn, _ = self.server.accept()
                self.connected.append(True)
                conn.close()
        except OSError:
            pass


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(REPO / "solutions" / ASSIGNMENT, root / "solutions" / ASSIGNMENT)
    db_path = root / "gradebook.db"
    listener = Listener()
    solution = fill(RELEASE, SOURCE)
    honest_copy = root / "autograder" / "submitted" / "honest" / ASSIGNMENT / NB
    escapes = {
        "reads_solutions": f"exec(''.join(open({str(root / 'solutions' / ASSIGNMENT / NB)!r}).read()))",
        "reads_gradebook": f"open({str(db_path)!r}, 'rb').read(100)",
        "writes_gradebook": f"open({str(db_path)!r}, 'r+b').write(b'corrupted')",
        "reads_classmate": f"open({str(honest_copy)!r}).read()",
        "overwrites_classmate": f"open({str(honest_copy)!r}, 'w').write('{{}}')",
        "tcp_to_loopback": f"__import__('socket').create_connection(('127.0.0.1', {listener.port}), timeout=3)",
        "reads_grader_proc": f"open('/proc/{os.getpid()}/environ').read()",
        "reads_checks": f"open({str(REPO / 'autograder' / 'checks' / (ASSIGNMENT + '.py'))!r}).read()",
    }
    notebooks = {
        "honest": solution,
        "fakes_import": with_cell(RELEASE, FAKE_IMPORT),
        "fakes_sealed": with_cell(RELEASE, FAKE_SEALED),
        "always_equal": with_last_cell(drop(solution, *CHEATED_ANSWERS), ALWAYS_EQUAL),
        "profile_off": with_last_cell(drop(solution, *CHEATED_ANSWERS), PROFILE_OFF),
        "searches_disk": with_cell(RELEASE, DISK_SEARCH),
        "hooks_cells": with_cell(solution, HOOK),
    }
    for name, code in escapes.items():
        notebooks[f"x_{name}"] = with_cell(drop(solution, *CHEATED_ANSWERS), escape(name, code))
    subs = root / "submissions"
    for student, nb in notebooks.items():
        (subs / student).mkdir(parents=True)
        nbformat.write(nb, subs / student / NB)
    done = subprocess.run([str(COMMAND), "--root", root, "--db-url", f"sqlite:///{db_path}", "--timeout", "20",
                           "grade", ASSIGNMENT, subs], capture_output=True, text=True, timeout=1500)
    with open(root / "autograder" / "reports" / f"{ASSIGNMENT}_grades.csv") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    return root, done, rows, listener


def cell_scores(root, student):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        sub = gb.find_submission(ASSIGNMENT, student)
        return {g.name: (g.score, g.needs_manual_grade) for nb in sub.notebooks for g in nb.grades if g.name in POINTS}


def outputs(root, student):
    nb = nbformat.read(root / "autograder" / "autograded" / student / ASSIGNMENT / NB, 4)
    return "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def test_the_command_grades_everyone(graded):
    _, done, rows, _ = graded
    assert done.returncode == 0, done.stdout + done.stderr
    assert rows["honest"]["score"] == "18", rows["honest"]


@pytest.mark.parametrize("student", ["fakes_import", "fakes_sealed", "searches_disk"])
def test_a_trick_that_implements_nothing_earns_nothing(graded, student):
    root, _, rows, _ = graded
    assert float(rows[student]["score"]) == 0, rows[student]


def test_an_array_that_always_compares_equal_earns_nothing_for_its_exercises(graded):
    root, _, _, _ = graded
    scores = cell_scores(root, "always_equal")
    assert {g for g, (s, _) in scores.items() if s == 0} == CHEATED, scores
    assert all(s == POINTS[g] for g, (s, _) in scores.items() if g not in CHEATED), scores


def test_calling_the_reference_with_the_profiler_off_is_flagged_for_review(graded):
    root, _, rows, _ = graded
    scores = cell_scores(root, "profile_off")
    # sys.setprofile in a cell of its own flags every exercise; the reference calls name their exercise
    assert {g for g, (s, review) in scores.items() if review} == set(POINTS), scores
    assert all(s == 0 for g, (s, _) in scores.items()), scores
    notes = rows["profile_off"]["notes"]
    for name in ("rnn_cell_backward", "clip_by_value", "clip_by_norm", "cross_entropy"):
        assert f"calls rnnkit's reference rnnkit.{name}" in notes, notes
    assert "dynamic access (.setprofile" in notes, notes
    assert rows["profile_off"]["needs_manual_grade"] == "True"


def test_searching_the_disk_finds_nothing_of_the_instructor(graded):
    root, _, _, _ = graded
    text = outputs(root, "searches_disk")
    assert "with solutions: 0" in text, text
    assert str(root) not in text and str(REPO) not in text, text


def test_every_escape_fails_inside_the_sandbox_and_the_class_is_graded_normally(graded):
    root, _, rows, listener = graded
    for student in [s for s in rows if s.startswith("x_")]:
        text = outputs(root, student)
        assert "ESCAPE FAILED" in text and "ESCAPE WORKED" not in text, (student, text)
        scores = cell_scores(root, student)  # nothing gained: at most the exercises it really wrote
        assert sum(s for s, _ in scores.values()) <= 18 - sum(POINTS[g] for g in CHEATED), (student, scores)
    assert not listener.connected, "a student's kernel reached the grader's loopback"
    assert rows["honest"]["score"] == "18"
    honest = nbformat.read(root / "autograder" / "submitted" / "honest" / ASSIGNMENT / NB, 4)
    assert "def rnn_loss" in "".join(c.source for c in honest.cells)  # the classmate's copy is intact


def secrets_of_the_grader():
    """Lines of the check modules and of the solutions' hidden regions, as a feedback scan looks for them.

    Lines that the release notebooks show anyway (a visible test's docstring, say) are not secret.
    """
    public = {ln.strip() for path in (REPO / "notebooks").rglob("*.ipynb")
              for cell in nbformat.read(path, 4).cells for ln in cell.source.splitlines()}
    lines = set()
    for path in (REPO / "autograder" / "checks").glob("*.py"):
        lines |= {ln.strip() for ln in path.read_text().splitlines() if len(ln.strip()) > 25}
    hidden = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
    for path in (REPO / "solutions").rglob("*.ipynb"):
        for cell in nbformat.read(path, 4).cells:
            for block in hidden.findall(cell.source):
                lines |= {ln.strip() for ln in block.splitlines() if len(ln.strip()) > 25}
    return lines - public


def test_feedback_holds_no_check_code_and_no_hidden_part(graded):
    root, _, _, _ = graded
    secrets = secrets_of_the_grader()
    assert len(secrets) > 100
    pages = sorted((root / "autograder" / "feedback").rglob("*.html"))
    assert {p.parts[-3] for p in pages} >= {"honest", "hooks_cells", "always_equal"}
    for page in pages:
        text = page.read_text()
        own = nbformat.read(root / "submissions" / page.parts[-3] / NB, 4)  # what the student wrote is theirs
        theirs = "\n".join(cell.source for cell in own.cells)
        leaked = [s for s in secrets if s in text and s not in theirs]
        assert not leaked, (page, leaked[:3])
        assert "largest difference" not in text, page  # expected values of graded cases stay in the grader
    hooked = (root / "autograder" / "feedback" / "hooks_cells" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "CELL RAN:" in hooked  # the hook ran, and all it could show is the student's own notebook
