"""Regenerate the student release (notebooks/) from the sources (solutions/), in the form JupyterLab saves.

`python -m autograder.release --canonical solutions` rewrites the sources in that form (then
`rnnkit-course release` regenerates notebooks/ from them); `--check` only lists what would change.
"""

import json
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import nbformat


def kernel_language_info():
    """``metadata.language_info`` as this Python's ipykernel reports it to JupyterLab on opening."""
    from ipykernel.ipkernel import IPythonKernel

    return json.loads(json.dumps(IPythonKernel.language_info))


def _as_javascript(value):
    """``value`` with every whole float as an int: JupyterLab's JSON writes 2.0 as 2."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    if isinstance(value, dict):
        return {k: _as_javascript(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_javascript(v) for v in value]
    return value


def canonical(nb, language_info=None):
    """The notebook as JupyterLab saves it, so that opening it changes nothing: numbers as JavaScript
    writes them and, when given, the kernel's ``language_info`` (which JupyterLab fills in on opening).
    ``nbformat.write`` of the result gives the bytes JupyterLab writes."""
    nb = nbformat.from_dict(_as_javascript(nb))
    if language_info is not None:
        nb.metadata["language_info"] = language_info
    return nb


def write_canonical(path, language_info=None, check=False):
    """Rewrite the notebook at ``path`` in canonical form (only compare, with ``check``); True if it changes."""
    path = Path(path)
    old = path.read_text(encoding="utf-8")
    new = nbformat.writes(canonical(nbformat.reads(old, 4), language_info), 4) + "\n"
    if new != old and not check:
        path.write_text(new, encoding="utf-8")
    return new != old


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
    for path in out.rglob("*.ipynb"):
        write_canonical(path)  # language_info comes from the source, which is canonical itself
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


def main(argv=None):
    """``--canonical [--check] FOLDER...``: every notebook under the folders in canonical form."""
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    folders = [a for a in args if not a.startswith("--")]
    if "--canonical" not in args or not folders:
        print("usage: python -m autograder.release --canonical [--check] FOLDER...", file=sys.stderr)
        return 2
    info = kernel_language_info()
    paths = sorted(p for f in folders for p in Path(f).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    changed = [p for p in paths if write_canonical(p, info, check=check)]
    for p in changed:
        print(f"{'not canonical' if check else 'rewritten'}: {p}")
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
