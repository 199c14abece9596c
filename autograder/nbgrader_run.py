"""Running nbgrader's real command line against a course folder."""

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

CONFIG = Path(__file__).resolve().parent / "nbgrader_config"  # nbgrader wants it without ".py"


class Refused(Exception):
    """Bad input or a state nbgrader cannot go on from: the message is the one line the instructor reads."""


@dataclass(frozen=True)
class Course:
    """Where a course lives: its root (holding solutions/ and notebooks/) and its gradebook.

    The defaults are this repository and autograder/gradebook.db; tests point ``root``
    at a temporary copy and ``db_url`` at a throwaway gradebook.
    """

    root: Path
    db_url: str | None = None
    timeout: int | None = None  # seconds per cell
    memory_mb: int = 4096  # what a student's kernel may allocate
    output_mb: int = 20  # what one stream of a student's kernel may print
    sandbox: bool = True  # False only when the instructor says --no-sandbox
    extra: tuple = field(default_factory=tuple)  # more --Class.trait=value flags

    @property
    def solutions(self):
        return self.root / "solutions"

    @property
    def notebooks(self):
        return self.root / "notebooks"

    @property
    def work(self):
        """Where submissions, autograded notebooks, feedback and reports go."""
        return self.root / "autograder"

    def assignments(self):
        return sorted(p.name for p in self.solutions.iterdir() if p.is_dir() and p.name[:2].isdigit())

    def limits(self):
        return {"memory_mb": self.memory_mb, "output_mb": self.output_mb}

    def cell_timeout(self):
        return self.timeout or int(os.environ.get("RNNKIT_CELL_TIMEOUT", "60"))

    def flags(self):
        flags = [f"--NbGrader.config_file={CONFIG}", f"--CourseDirectory.root={self.root}",
                 f"--TrustedExecute.results_dir={self.work / 'results'}",
                 f"--KeepReview.results_dir={self.work / 'results'}",
                 f"--TrustedExecute.source_dir={self.solutions}", f"--TrustedExecute.memory_mb={self.memory_mb}",
                 f"--TrustedExecute.output_mb={self.output_mb}", f"--TrustedExecute.sandbox={self.sandbox}"]
        from .late import settings

        late = settings(self.work / "course.toml")[1]
        flags += [f"--LatePolicy.{k}={v}" for k, v in late.items()]
        if self.db_url:
            flags.append(f"--CourseDirectory.db_url={self.db_url}")
        if self.timeout:
            flags += [f"--TrustedExecute.timeout={self.timeout}", f"--TrustedExecute.call_timeout={self.timeout}"]
        return flags + list(self.extra)

    def env(self):
        env = dict(os.environ)
        # nbgrader shells out to alembic: the environment's bin folder must be on PATH.
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        # Students are graded in parallel, one per core: one BLAS thread each avoids oversubscription.
        env.setdefault("OPENBLAS_NUM_THREADS", "1")
        env.setdefault("OMP_NUM_THREADS", "1")
        return env

    def nbgrader(self, *args, timeout=None):
        """Run ``nbgrader ARGS`` for this course; return the CompletedProcess (never raises on exit code)."""
        cmd = [sys.executable, "-m", "nbgrader", *args, *self.flags()]
        return subprocess.run(
            cmd, cwd=self.root, env=self.env(), capture_output=True, text=True, timeout=timeout
        )

    def worker(self, assignment):
        """A long-lived grading worker for ``assignment`` (autograder/worker.py), started and ready."""
        cmd = [sys.executable, "-m", "autograder.worker", assignment, "--force", *self.flags()]
        env = self.env()
        env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parents[1]), env.get("PYTHONPATH", "")])
        return subprocess.Popen(cmd, cwd=self.root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True, bufsize=1)
