"""The term's grades for the registrar and the learning platform: one table, Canvas's and Moodle's import files.

Scores are the gradebook's, after any late penalty (the grade report's ``score``); a student never
graded for an assignment gets an empty cell (no grade), not a zero. A roster is a CSV with the columns
``student_id,name,email`` (more columns are ignored); ``student_id`` is the nbgrader student id.

Canvas (Grades > Import): the header of Canvas's own gradebook export, ``Student, ID, SIS User ID,
SIS Login ID, Section``, then a column per assignment (a name Canvas does not know creates that
assignment) and a ``Points Possible`` row under the header. Canvas finds a student by ``ID`` (its
own number, left empty here), then by ``SIS User ID`` or ``SIS Login ID``, then by name; the roster's
student_id goes in ``SIS Login ID`` (the login name, which a JupyterHub uses as nbgrader's student id)
and its name ("Lovelace, Ada") in ``Student``.
Moodle (Grades > Import > CSV file): ``Email address`` and a column per assignment; on import, map
"Email address" to the user's email address and each column to its grade item (or a new one). Moodle
stops the whole import at a row whose user it cannot find, so students without an e-mail are left out
of that file (and listed).
"""

import csv
from pathlib import Path

ROSTER_COLUMNS = ("student_id", "name", "email")
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
FILES = {"grades": "course_grades.csv", "canvas": "canvas_grades.csv", "moodle": "moodle_grades.csv",
         "not_in_roster": "not_in_roster.csv"}


def read_roster(path):
    """[{student_id, name, email}] of a roster CSV, in its order; ValueError on a missing column or a duplicate id."""
    path = Path(path)
    with open(path, newline="", encoding="utf-8-sig") as f:  # utf-8-sig: a spreadsheet's byte-order mark
        reader = csv.DictReader(f)
        header = [(h or "").strip() for h in reader.fieldnames or []]
        missing = [c for c in ROSTER_COLUMNS if c not in header]
        if missing:
            raise ValueError(f"the roster {path} has no column {', '.join(repr(c) for c in missing)} "
                             f"(its header must name {','.join(ROSTER_COLUMNS)}; it has {','.join(header) or 'none'})")
        reader.fieldnames = header
        students, seen = [], {}
        for line, row in enumerate(reader, start=2):
            entry = {c: (row.get(c) or "").strip() for c in ROSTER_COLUMNS}
            if not any(entry.values()):
                continue  # a blank line
            sid = entry["student_id"]
            if not sid:
                raise ValueError(f"the roster {path}, line {line}: empty student_id")
            if sid in seen:
                raise ValueError(f"the roster {path}: duplicate student_id {sid!r} (lines {seen[sid]} and {line})")
            seen[sid] = line
            students.append(entry)
    return students


def _number(x):
    """14 -> "14", 14.5 -> "14.5", None -> "" (no exponent, at most two decimals)."""
    return "" if x is None else (f"{round(float(x), 2):.2f}".rstrip("0").rstrip(".") or "0")


def _write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def export(course, roster, out_dir: Path, assignments=None) -> dict[str, Path]:
    """Write the course table, Canvas's and Moodle's files for ``roster`` (read_roster) into ``out_dir``.

    ``assignments``: in that order (default: every assignment in the gradebook, sorted). Returns
    {kind: path} for kinds "grades", "canvas", "moodle", and "not_in_roster" when students were graded
    who are not on the roster (a row each, left out of the other files).
    """
    from .grade import graded_assignments, read_grades  # nbgrader: seconds to import, so not for a roster check

    known = graded_assignments(course)
    assignments = list(assignments or sorted(known))
    unknown = [a for a in assignments if a not in known]
    if unknown:
        raise ValueError(f"not in the gradebook: {', '.join(unknown)} (it has {', '.join(sorted(known)) or 'none'})")
    maxima, scores = {}, {}  # scores[assignment][student] = score after the late penalty
    for a in assignments:
        maxima[a], grades = read_grades(course, a)
        scores[a] = {s: g[0] for s, g in grades.items()}

    def cells(sid):
        return [scores[a].get(sid) for a in assignments]

    def total(sid):
        got = [x for x in cells(sid) if x is not None]
        return sum(got) if got else None

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {kind: out_dir / name for kind, name in FILES.items()}
    _write(paths["grades"], [*ROSTER_COLUMNS, *assignments, "total", "max_total"],
           [[s["student_id"], s["name"], s["email"], *map(_number, cells(s["student_id"])),
             _number(total(s["student_id"])), _number(sum(maxima.values()))] for s in roster])
    _write(paths["canvas"], [*CANVAS_COLUMNS, *assignments],
           [["Points Possible", "", "", "", "", *(_number(maxima[a]) for a in assignments)]]
           + [[s["name"], "", "", s["student_id"], "", *map(_number, cells(s["student_id"]))] for s in roster])
    _write(paths["moodle"], ["Email address", *assignments],
           [[s["email"], *map(_number, cells(s["student_id"]))] for s in roster if s["email"]])

    on_roster = {s["student_id"] for s in roster}
    strays = sorted({s for a in assignments for s in scores[a]} - on_roster)
    paths["not_in_roster"].unlink(missing_ok=True)  # a list from an earlier export must not linger
    if strays:
        _write(paths["not_in_roster"], ["student_id", *assignments],
               [[s, *(_number(scores[a].get(s)) for a in assignments)] for s in strays])
    else:
        del paths["not_in_roster"]
    return paths


def format_export(paths, roster) -> str:
    """What ``export`` wrote, in lines for the terminal, with whom an import file could not hold."""
    lines = [f"{kind}: {path}" for kind, path in paths.items() if kind != "not_in_roster"]
    no_email = [s["student_id"] for s in roster if not s["email"]]
    if no_email:
        lines.append(f"no e-mail in the roster, left out of {paths['moodle'].name}: " + ", ".join(no_email))
    if "not_in_roster" in paths:
        with open(paths["not_in_roster"], newline="", encoding="utf-8") as f:
            strays = [row["student_id"] for row in csv.DictReader(f)]
        lines.append(f"graded but not in the roster, left out of the files above: {', '.join(strays)} "
                     f"(their grades: {paths['not_in_roster']})")
    return "\n".join(lines)
