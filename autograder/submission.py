"""Prepare one student's notebook for nbgrader: read it safely, repair what nbgrader cannot
survive, and say what was done.

- A corrupt or truncated file is reported, not graded (nbgrader would fail on it anyway).
- A test cell duplicated by copy and paste (it stops a plain nbgrader batch, #1083) is
  dropped: the first copy stays.
- A deleted test cell is put back from the release, at its place, so the student's code is
  tested instead of the cell scoring 0 for manual grading.
- An edited test cell is reported (nbgrader restores it from the gradebook).
- A cell left by an older grader (a limits cell at the top) is removed: the limits now live in
  the sandbox (sandbox.py), outside the notebook.
"""

import json
import re

import nbformat


def _grade_id(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _is_test(cell):
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


def read(path):
    """(notebook, None) or (None, what is wrong with the file)."""
    try:
        text = path.read_text(encoding="utf-8")
        nb = nbformat.reads(text, as_version=4)
    except (json.JSONDecodeError, UnicodeDecodeError, nbformat.reader.NotJSONError) as err:
        return None, f"{path.name} is not a valid notebook (corrupt or truncated file: {str(err).splitlines()[0][:80]})"
    except Exception as err:  # nbformat raises various errors for JSON that is not a notebook
        return None, f"{path.name} is not a valid notebook ({type(err).__name__})"
    if not isinstance(nb.get("cells"), list):
        return None, f"{path.name} is not a valid notebook (no cells)"
    return nb, None


OLD_GUARD_ID = "rnnkit-grading-guard"


def repair(nb, release):
    """Return (notebook ready for nbgrader, notes). ``release`` is the release notebook."""
    notes = []
    release_tests = {_grade_id(c): c for c in release.cells if _is_test(c)}

    seen, cells = set(), []
    for cell in nb.cells:
        gid = _grade_id(cell)
        if gid is not None and gid in seen:
            notes.append(f"duplicated cell {gid} removed")
            continue
        if gid is not None:
            seen.add(gid)
        cells.append(cell)

    for i, cell in enumerate(release.cells):
        gid = _grade_id(cell)
        if gid in release_tests and gid not in seen:
            # put it back after the release cell that precedes it, or first if that is gone too
            before = _grade_id(release.cells[i - 1]) if i else None
            at = next((k + 1 for k, c in enumerate(cells) if before and _grade_id(c) == before), len(cells))
            cells.insert(at, nbformat.from_dict(json.loads(json.dumps(cell))))
            seen.add(gid)
            notes.append(f"deleted test cell {gid} restored from the release")
        elif gid in release_tests:
            mine = next(c for c in cells if _grade_id(c) == gid)
            if mine.source != cell.source:
                notes.append(f"edited test cell {gid} (nbgrader grades the original)")

    nb.cells = [c for c in cells if c.get("id") != OLD_GUARD_ID]
    return nb, notes


SOLUTION_MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n", re.M)


def from_solution(release, source):
    """The release notebook with every answer cell filled from the source: a perfect hand-in."""
    nb = nbformat.from_dict(json.loads(json.dumps(release)))
    answers = {_grade_id(c): c.source for c in source.cells
               if c.get("metadata", {}).get("nbgrader", {}).get("solution")}
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution") and _grade_id(cell) in answers:
            cell.source = SOLUTION_MARKER.sub("", answers[_grade_id(cell)])
    return nb
