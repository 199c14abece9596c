"""`rnnkit-course`: the instructor command (release, grade, check, similarity, export, stats, feedback).

Bad input stops the command with one line that names the problem and the fix, and exit
status 2, before anything in the gradebook or the reports changes.
"""

import argparse
import importlib.util
import sys
from pathlib import Path

from . import sandbox
from .nbgrader_run import Course, Refused


def positive(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value} (leave it out for one per core)")
    return value


def parser(root=None):
    p = argparse.ArgumentParser(prog="rnnkit-course", description=__doc__.splitlines()[0])
    p.add_argument("--root", type=Path, default=root or Path.cwd(), help="the course checkout (default: here)")
    p.add_argument("--db-url", help="gradebook URL (default: sqlite autograder/gradebook.db, or $RNNKIT_DB_URL)")
    p.add_argument("--timeout", type=positive, help="seconds a cell (or one call into a student's function) may run")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("release", help="regenerate notebooks/ from solutions/")
    r.add_argument("assignments", nargs="*", help="default: all")
    r.add_argument("--check", action="store_true", help="only compare; exit 1 if the committed release differs")
    g = sub.add_parser("grade", help="autograde a folder of submissions, write feedback and a CSV")
    g.add_argument("assignment")
    g.add_argument("submissions", type=Path, help="a folder with one sub-folder of notebooks per student")
    g.add_argument("--jobs", type=positive, help="grading workers at once (default: number of cores)")
    g.add_argument("--no-sandbox", action="store_true",
                   help="grade without bubblewrap (student code then runs with your rights)")
    g.add_argument("--use-file-time", action="store_true",
                   help="take each submission's time from its notebook file, not from timestamp.txt")
    c = sub.add_parser("check", help="grade solutions/ through the same pipeline: full marks, blank zero")
    c.add_argument("assignments", nargs="*", help="default: all")
    c.add_argument("--jobs", type=positive, help="grading workers at once (default: number of cores)")
    c.add_argument("--no-sandbox", action="store_true", help="check without bubblewrap")
    li = sub.add_parser("lint", help="refuse solutions/ notebooks that would grade wrongly (ids, checks, catalogue)")
    li.add_argument("assignments", nargs="*", help="default: all")
    s = sub.add_parser("similarity", help="near-identical exercise code between submissions, and against rnnkit")
    s.add_argument("assignment")
    s.add_argument("submissions", type=Path, help="a folder with one sub-folder of notebooks per student")
    s.add_argument("--threshold", type=float, default=0.8, help="pairs at or above this similarity are listed")
    e = sub.add_parser("export", help="the term's grades: one course CSV, and Canvas's and Moodle's import files")
    e.add_argument("roster", type=Path, help="a CSV with the columns student_id,name,email")
    e.add_argument("assignments", nargs="*", help="default: every assignment in the gradebook")
    e.add_argument("--out", type=Path, help="where the files go (default: autograder/reports)")
    st = sub.add_parser("stats", help="per exercise: mean, median, a histogram (PNG) and the class's named mistakes")
    st.add_argument("assignment")
    st.add_argument("--out", type=Path, help="where the PNG and the CSV go (default: autograder/reports)")
    f = sub.add_parser("feedback", help="hand back: per student a folder and a zip of their feedback and grade")
    f.add_argument("assignment")
    f.add_argument("--out", type=Path, required=True, help="a folder of its own (not inside autograder/)")
    return p


def check_assignment(course, assignment):
    known = course.assignments() if course.solutions.is_dir() else []
    if assignment not in known:
        raise Refused(f"unknown assignment {assignment!r}; the assignments in {course.solutions} are: "
                      + (", ".join(known) or "none"))


def check_submissions(folder, assignment):
    if not folder.exists():
        raise Refused(f"the submissions folder {folder} does not exist")
    if not folder.is_dir():
        raise Refused(f"{folder} is a file: give the folder that holds one sub-folder per student "
                      f"({folder.parent}/<student>/{assignment}.ipynb)")
    if not [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")]:
        raise Refused(f"{folder} holds no student folders: put each student's notebooks in "
                      f"{folder}/<student>/{assignment}.ipynb")


def gradebook(course):
    """(the gradebook's URL, {assignment: submissions} in it); nbgrader is imported only here (seconds)."""
    from .grade import _default_db, graded_assignments

    return course.db_url or _default_db(course), graded_assignments(course)


def check_graded(course, assignment):
    """Refused unless someone has been graded for ``assignment`` (nothing is created on the way)."""
    url, graded = gradebook(course)
    if not graded.get(assignment):
        raise Refused(f"nobody has been graded for {assignment} yet in the gradebook "
                      f"{url}: run rnnkit-course grade {assignment} FOLDER first")


def read_roster(path):
    """The roster's students, or Refused with what is wrong with the file."""
    from .export import ROSTER_COLUMNS
    from .export import read_roster as read

    header = ",".join(ROSTER_COLUMNS)
    if not path.is_file():
        raise Refused(f"the roster {path} " + ("is a folder" if path.is_dir() else "does not exist")
                      + f": give a CSV file whose first line is {header}")
    try:
        roster = read(path)
    except UnicodeDecodeError:
        raise Refused(f"the roster {path} is not UTF-8 text: save it as CSV (UTF-8)") from None
    except ValueError as err:
        raise Refused(str(err)) from None
    if not roster:
        raise Refused(f"the roster {path} lists no student: a line per student under the header {header}")
    return roster


def check_db_url(url):
    """A gradebook URL that SQLAlchemy can open here, or Refused with the fix."""
    if url is None:
        return
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise Refused(f"--db-url {url!r} is not a database URL (e.g. sqlite:////path/gradebook.db or "
                      "postgresql+psycopg://user@host/db)") from None
    backend, _, driver = parsed.drivername.partition("+")
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not Path(parsed.database).parent.is_dir():
            raise Refused(f"the folder of the SQLite gradebook {parsed.database} does not exist: create it "
                          "(nbgrader then makes the database)")
    elif backend in ("postgresql", "postgres"):
        module = {"psycopg2": "psycopg2", "": "psycopg"}.get(driver, driver)
        if importlib.util.find_spec(module) is None:
            raise Refused(f"--db-url needs the {module} driver, which is not installed: "
                          "pip install -e '.[postgres]' (or write postgresql+psycopg://…)")
    else:
        raise Refused(f"--db-url {url!r}: use SQLite or PostgreSQL for the gradebook")


def main(argv=None, root=None):
    args = parser(root).parse_args(argv)
    sandboxed = not getattr(args, "no_sandbox", False)
    course = Course(root=args.root.resolve(), db_url=args.db_url, timeout=args.timeout, sandbox=sandboxed)
    try:
        return run(args, course, sandboxed)
    except Refused as err:
        print(f"rnnkit-course {args.command}: {err}", file=sys.stderr)
        return 2


def run(args, course, sandboxed):
    if args.command == "release":
        from .release import release

        for a in args.assignments:
            check_assignment(course, a)
        diffs = release(course, args.assignments or None, check=args.check)
        if args.check and diffs:
            print("The committed release differs from solutions/; run `rnnkit-course release`:")
            print("\n".join(f"  {d}" for d in diffs))
            return 1
        print("release is up to date" if args.check
              else f"regenerated {len(args.assignments or course.assignments())} assignment(s)")
        return 0
    if args.command == "lint":
        from .lint import format_problems, lint

        for a in args.assignments:
            check_assignment(course, a)
        problems = lint(course.root, args.assignments or None)
        print(format_problems(problems))
        return 1 if problems else 0
    if args.command == "check":
        from .check import check, format_rows

        why = sandbox.available() if sandboxed else None
        if why:
            raise Refused(f"cannot sandbox the kernels: {why}. Install bubblewrap, or pass --no-sandbox")
        for a in args.assignments:
            check_assignment(course, a)
        failed = []
        for a in args.assignments or course.assignments():
            rows, problems = check(course, a, jobs=args.jobs)
            print(format_rows(a, rows))
            print("  " + ("; ".join(problems) if problems else "clean: full marks, blank release zero"), flush=True)
            failed += problems
        return 1 if failed else 0
    if args.command == "export":
        from .export import export, format_export

        check_db_url(args.db_url)
        roster = read_roster(args.roster)
        url, graded = gradebook(course)
        unknown = [a for a in args.assignments if a not in graded]
        if not graded or unknown:
            raise Refused((f"{unknown[0]} is not in the gradebook" if unknown else "nothing to export: no assignment "
                           "is in the gradebook") + f" {url} (graded: "
                          f"{', '.join(sorted(graded)) or 'none'}; rnnkit-course grade ASSIGNMENT FOLDER grades one)")
        print(format_export(export(course, roster, args.out or course.work / "reports", args.assignments), roster))
        return 0
    check_assignment(course, args.assignment)
    if args.command == "stats":
        from .stats import format_stats, stats

        check_db_url(args.db_url)
        check_graded(course, args.assignment)
        print(format_stats(stats(course, args.assignment, args.out or course.work / "reports")))
        return 0
    if args.command == "feedback":
        from .handback import check_out_dir, handback

        check_db_url(args.db_url)
        try:
            check_out_dir(course, args.out)
            check_graded(course, args.assignment)
            zips = handback(course, args.assignment, args.out)
        except ValueError as err:
            raise Refused(str(err)) from None
        if not zips:
            raise Refused(f"no feedback pages for {args.assignment} in {course.work / 'feedback'}: "
                          f"re-run rnnkit-course grade {args.assignment} FOLDER")
        print(f"{len(zips)} students, a folder and a zip each, in {args.out.resolve()}: "
              + ", ".join(z.stem for z in zips))
        return 0
    check_submissions(args.submissions, args.assignment)
    if args.command == "similarity":
        from .similarity import format_table, similarity

        found = similarity(course.root, args.assignment, args.submissions.resolve(), course.work / "reports",
                           threshold=args.threshold)
        print(format_table(found))
        return 0
    check_db_url(args.db_url)
    why = sandbox.available() if sandboxed else None
    if why:
        raise Refused(f"cannot sandbox the students' kernels: {why}. Install bubblewrap, or pass --no-sandbox "
                      "to grade without one (student code then runs with your rights)")
    from .grade import grade

    results = grade(course, args.assignment, args.submissions.resolve(), jobs=args.jobs,
                    use_file_time=args.use_file_time)
    width = max([len(r.student) for r in results] + [7])
    print(f"\n{'student':<{width}}  score  status")
    for r in results:
        notes = ": " + "; ".join(r.notes) if r.notes else ""
        print(f"{r.student:<{width}}  {r.score:g}/{r.max_score:g}  {r.status}{notes}")
    print(f"\nCSV: {course.work / 'reports' / f'{args.assignment}_grades.csv'}; feedback: {course.work / 'feedback'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
