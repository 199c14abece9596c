"""Regenerate the student release (notebooks/) from the sources (solutions/)."""

import json
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path


def _files(folder):
    return {
        p.relative_to(folder): p
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".ipynb_checkpoints" not in p.parts
    }


def _same(a, b):
    if a.suffix == ".ipynb":
        return json.loads(a.read_text()) == json.loads(b.read_text())
    return a.read_bytes() == b.read_bytes()


def generate(course, assignment, release_dir, db_url):
    """nbgrader generate_assignment of one assignment into ``release_dir``; raises with nbgrader's log on failure."""
    done = replace(course, db_url=db_url).nbgrader(
        "generate_assignment", assignment, "--force", f"--CourseDirectory.release_directory={release_dir}"
    )
    out = Path(release_dir) / assignment
    if done.returncode != 0 or not out.is_dir():
        raise RuntimeError(f"nbgrader generate_assignment {assignment} failed:\n{done.stdout}{done.stderr}")
    return out


def release(course, assignments=None, check=False):
    """Regenerate the release of each assignment; with ``check``, only compare.

    Returns the list of differences (paths under notebooks/ that are missing, extra or
    different from a fresh generation); empty when the committed release is current.
    A throwaway gradebook is used, so the class's gradebook is never touched.
    """
    differences = []
    with tempfile.TemporaryDirectory(prefix="rnnkit-release-") as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'throwaway.db'}"
        for assignment in assignments or course.assignments():
            fresh = generate(course, assignment, Path(tmp) / "release", db_url)
            committed = course.notebooks / assignment
            new, old = _files(fresh), (_files(committed) if committed.is_dir() else {})
            for rel in sorted(set(new) | set(old)):
                if rel not in old or rel not in new or not _same(new[rel], old[rel]):
                    differences.append(str(Path("notebooks") / assignment / rel))
            if not check:
                shutil.rmtree(committed, ignore_errors=True)
                shutil.copytree(fresh, committed)
    return differences
