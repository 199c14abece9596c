"""Run a submission in a sandboxed kernel, then decide its test cells with the trusted checks.

``TrustedExecute`` replaces nbgrader's Execute preprocessor in autograde (see
nbgrader_config.py): it executes the notebook in a fresh kernel inside the student's
sandbox, runs the assignment's checks from ``autograder/checks/`` against that kernel, and
rewrites every autograded test cell's outputs from the trusted outcome: nothing, for a
cell that passed; one error naming the exercise and the problem, for a cell that failed.
What the kernel printed in a test cell decides nothing, so nbgrader's own SaveAutoGrades,
gradebook, formgrader and feedback count the trusted result.
"""

import hashlib
import json
from pathlib import Path

import nbformat
from jupyter_client import BlockingKernelClient
from nbclient import NotebookClient
from nbclient.util import run_sync
from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Integer, Unicode

from . import ownwork, trusted
from .sandbox import Sandbox, SandboxKernelManager

FAILED = "CheckFailed"  # the ename of a failed trusted check


def test_cells(nb):
    """{grade_id: cell} of the autograded test cells."""
    return {c.metadata.nbgrader.grade_id: c for c in nb.cells
            if c.cell_type == "code" and utils.is_grade(c) and not utils.is_solution(c)}


def mark(nb, outcomes):
    """Set each autograded test cell's outputs from its trusted outcome (missing: failed)."""
    for grade_id, cell in test_cells(nb).items():
        outcome = outcomes.get(grade_id) or trusted.Outcome(grade_id, False, "no trusted check for this cell")
        cell.outputs = []
        if not outcome.passed:
            text = outcome.message or "failed"
            cell.outputs.append(NotebookNode(output_type="error", ename=FAILED, evalue=text,
                                             traceback=text.splitlines()))


def apply_review(outcomes, review):
    """A cell whose exercise needs a human look earns nothing until it is graded by hand."""
    for grade_id, reasons in review.items():
        if grade_id in outcomes and reasons:
            o = outcomes[grade_id]
            o.review = list(reasons)
            o.passed = False
            o.message = "needs review by your instructor: " + "; ".join(reasons)
    return outcomes


def instructor_sources(source_nb):
    """Sources of the cells a student did not write: every cell of the source but the answers."""
    return {c.source for c in source_nb.cells if not utils.is_solution(c)} if source_nb else set()


KERNEL_DIED = ("the kernel died while running this cell (os._exit, a crash or too much memory); "
               "the grader ran the notebook again without it")
RESTARTS = 3  # cells that kill the kernel, skipped one by one, before the grader gives up


def execute_and_judge(nb, folder, assignment, source_nb=None, isolate=True, memory_mb=4096, output_mb=20,
                      timeout=60, call_timeout=60):
    """Execute ``nb`` in a sandboxed kernel working in a copy of ``folder``, then judge it.

    A cell that kills the kernel is skipped and the notebook run again in a fresh sandbox, so it
    costs only what depends on that cell. Returns {grade_id: Outcome} and leaves the executed
    notebook in ``nb``, its test cells marked from the outcomes.
    """
    checks = trusted.load(assignment)
    review = ownwork.review(nb, checks, instructor_sources(source_nb))
    fatal, outcomes = set(), None
    while outcomes is None:
        box = Sandbox(folder, memory_mb, output_mb, isolate=isolate)
        km = SandboxKernelManager(box)
        client = NotebookClient(nb, km=km, timeout=timeout, allow_errors=True, interrupt_on_timeout=True,
                                record_timing=False, resources={"metadata": {"path": str(box.work)}},
                                error_on_timeout={"ename": "CellTimeoutError", "evalue": "",
                                                  "traceback": [f"CellTimeoutError: the cell ran past {timeout} s"]})
        try:
            died = _run(client, km, box, fatal)
            if died is None:
                outcomes = _judge(km, box, checks, call_timeout)
            elif len(fatal) >= RESTARTS:
                lost = "the kernel died in several cells, so your functions could not be checked."
                outcomes = {g: trusted.Outcome(g, False, lost) for g in checks}
            else:
                fatal.add(died)
        finally:
            try:
                run_sync(km.shutdown_kernel)(now=True)
            except Exception:  # the kernel may be gone already (os._exit, out of memory)
                pass
            box.cleanup()
    for index in fatal:
        nb.cells[index].outputs = [NotebookNode(output_type="error", ename="DeadKernelError", evalue=KERNEL_DIED,
                                                traceback=[KERNEL_DIED])]
    apply_review(outcomes, review)
    mark(nb, outcomes)
    return outcomes


def _run(client, km, box, skip):
    """Execute every code cell but ``skip``; the index of a cell that killed the kernel, or None."""
    with client.setup_kernel():
        info = client.wait_for_reply(client.kc.kernel_info())
        client.nb.metadata["language_info"] = info["content"]["language_info"]
        for index, cell in enumerate(client.nb.cells):
            if index in skip:
                continue
            try:
                client.execute_cell(cell, index)
            except Exception:  # DeadKernelError and the like
                return index
    return None


def _judge(km, box, checks, call_timeout):
    kc = BlockingKernelClient()
    kc.load_connection_info(km.get_connection_info())
    kc.start_channels()
    try:
        calls = trusted.KernelCalls(kc, box.io, call_timeout, run_sync(km.interrupt_kernel), run_sync(km.is_alive))
        return trusted.run_checks(checks, trusted.Student(calls))
    finally:
        kc.stop_channels()


class TrustedExecute(NbGraderPreprocessor):
    """nbgrader's Execute, replaced: run in the sandbox, then judge the test cells in this process."""

    sandbox = Bool(True, help="run the kernel in a bubblewrap sandbox (False only with --no-sandbox)").tag(config=True)
    memory_mb = Integer(4096, help="the address space a student's kernel may use, in MiB").tag(config=True)
    output_mb = Integer(20, help="what one output stream of a student's kernel may print, in MiB").tag(config=True)
    timeout = Integer(60, help="seconds a cell may run before it is interrupted").tag(config=True)
    call_timeout = Integer(60, help="seconds one trusted call into the student's code may take").tag(config=True)
    results_dir = Unicode("", help="where the trusted outcomes are written, one JSON per student").tag(config=True)
    source_dir = Unicode("", help="the instructor's source notebooks (solutions/)").tag(config=True)

    def preprocess(self, nb, resources):
        meta = resources["nbgrader"]
        source = Path(self.source_dir) / meta["assignment"] / f"{meta['notebook']}.ipynb"
        source_nb = nbformat.read(source, 4) if self.source_dir and source.is_file() else None
        outcomes = execute_and_judge(nb, resources["metadata"]["path"], meta["assignment"], source_nb,
                                     self.sandbox, self.memory_mb, self.output_mb, self.timeout, self.call_timeout)
        if self.results_dir:
            path = Path(self.results_dir) / meta["assignment"] / f"{meta['student']}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps({g: vars(o) for g, o in outcomes.items()}, indent=1))
        return nb, resources


def answer_fingerprints(nb):
    """{grade_id: hash of what the student wrote for it}: a written answer's text; for a test cell, all their code."""
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code" and utils.is_solution(c))
    prints = {}
    for cell in nb.cells:
        if utils.is_grade(cell):
            text = cell.source if utils.is_solution(cell) else code
            prints[cell.metadata.nbgrader.grade_id] = hashlib.sha256(text.encode()).hexdigest()
    return prints


class KeepReview(NbGraderPreprocessor):
    """After SaveAutoGrades: set what needs a human look in the gradebook, and keep what was looked at.

    An exercise flagged by the own-work review needs a manual grade. A cell already graded by hand
    stays graded through a regrade as long as what the student wrote for it is unchanged since the
    last run (nbgrader alone would flag every hand-graded cell again).
    """

    results_dir = Unicode("").tag(config=True)

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook, MissingEntry

        meta = resources["nbgrader"]
        folder = Path(self.results_dir) / meta["assignment"]
        outcomes_path = folder / f"{meta['student']}.json"
        outcomes = json.loads(outcomes_path.read_text()) if outcomes_path.is_file() else {}
        prints_path = folder / f"{meta['student']}.{meta['notebook']}.answers.json"
        before = json.loads(prints_path.read_text()) if prints_path.is_file() else {}
        now = answer_fingerprints(nb)
        with Gradebook(meta["db_url"]) as gb:
            for grade_id in now:
                try:
                    grade = gb.find_grade(grade_id, meta["notebook"], meta["assignment"], meta["student"])
                except MissingEntry:
                    continue
                unchanged = before.get(grade_id) == now[grade_id]
                if outcomes.get(grade_id, {}).get("review"):
                    grade.needs_manual_grade = not (grade.manual_score is not None and unchanged)
                elif grade.manual_score is not None and unchanged:
                    grade.needs_manual_grade = False
            gb.db.commit()
        folder.mkdir(parents=True, exist_ok=True)
        prints_path.write_text(json.dumps(now))
        return nb, resources
