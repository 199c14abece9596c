"""`rnnkit-course`: the instructor command (release, grade with feedback and CSV)."""

import argparse
import sys
from pathlib import Path

from . import sandbox
from .grade import grade
from .nbgrader_run import Course
from .release import release


def main(argv=None, root=None):
    parser = argparse.ArgumentParser(prog="rnnkit-course", description=__doc__)
    parser.add_argument("--root", type=Path, default=root or Path.cwd(), help="the course checkout (default: here)")
    parser.add_argument("--db-url", help="gradebook URL (default: sqlite autograder/gradebook.db, or $RNNKIT_DB_URL)")
    parser.add_argument("--timeout", type=int, help="seconds a cell may run before it is interrupted")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("release", help="regenerate notebooks/ from solutions/")
    p.add_argument("assignments", nargs="*", help="default: all")
    p.add_argument("--check", action="store_true", help="only compare; exit 1 if the committed release differs")
    p = sub.add_parser("grade", help="autograde a folder of submissions, write feedback and a CSV")
    p.add_argument("assignment")
    p.add_argument("submissions", type=Path, help="a folder with one sub-folder of notebooks per student")
    p.add_argument("--jobs", type=int, help="students graded at once (default: number of cores)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="grade without bubblewrap (student code then runs with your rights: only where no sandbox exists)")
    args = parser.parse_args(argv)

    sandboxed = not getattr(args, "no_sandbox", False)
    course = Course(root=args.root.resolve(), db_url=args.db_url, timeout=args.timeout, sandbox=sandboxed)
    if args.command == "release":
        diffs = release(course, args.assignments or None, check=args.check)
        if args.check and diffs:
            print("The committed release differs from solutions/; run `rnnkit-course release`:")
            print("\n".join(f"  {d}" for d in diffs))
            return 1
        print(
            "release is up to date"
            if args.check
            else f"regenerated {len(args.assignments or course.assignments())} assignment(s)"
        )
        return 0
    if args.command == "grade":
        why = sandbox.available() if sandboxed else None
        if why:
            print(f"rnnkit-course grade: cannot sandbox the students' kernels: {why}. Install bubblewrap, or pass "
                  "--no-sandbox to grade without one (student code then runs with your rights).", file=sys.stderr)
            return 2
        results = grade(course, args.assignment, args.submissions, jobs=args.jobs)
        width = max([len(r.student) for r in results] + [7])
        print(f"\n{'student':<{width}}  score  status")
        for r in results:
            notes = ": " + "; ".join(r.notes) if r.notes else ""
            print(f"{r.student:<{width}}  {r.score:g}/{r.max_score:g}  {r.status}{notes}")
        csv_path = course.work / "reports" / f"{args.assignment}_grades.csv"
        print(f"\nCSV: {csv_path}; feedback: {course.work / 'feedback'}")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
