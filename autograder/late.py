"""Due dates and the late policy of a course: autograder/course.toml, applied by nbgrader.

    [late]
    policy = "per_day"   # none | zero | per_hour | per_day
    rate = 10            # percent of the score taken per started hour (per_hour) or day (per_day) late
    cap = 50             # never more than this percent of the score

    [due]                # in UTC
    01_notation = "2026-09-15 23:59"

A submission's time is nbgrader's ``timestamp.txt`` in the student's folder (the exchange
writes it), or the notebook file's time with ``rnnkit-course grade --use-file-time``.
nbgrader computes how late it is against the due date; ``LatePolicy`` turns that into the
penalty (nbgrader's AssignLatePenalties plugin), and the report shows both.
"""

import math
from datetime import datetime, timezone

import tomllib
from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Enum, Float

from .nbgrader_run import Refused

POLICIES = ("none", "zero", "per_hour", "per_day")


class LatePolicy(LateSubmissionPlugin):
    """zero, or ``rate`` percent of the score per started hour or day late, at most ``cap`` percent."""

    policy = Enum(POLICIES, default_value="none").tag(config=True)
    rate = Float(10.0).tag(config=True)
    cap = Float(100.0).tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        if total_seconds_late <= 0 or self.policy == "none":
            return None
        if self.policy == "zero":
            return score
        periods = math.ceil(total_seconds_late / (3600 if self.policy == "per_hour" else 86400))
        return score * min(self.cap, self.rate * periods) / 100


def settings(path):
    """(due dates {assignment: aware datetime}, late policy {policy, rate, cap}) of a course.toml (or none)."""
    if not path.is_file():
        return {}, {"policy": "none", "rate": 10.0, "cap": 100.0}
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as err:
        raise Refused(f"{path} is not valid TOML: {err}") from None
    late = {"policy": "none", "rate": 10.0, "cap": 100.0, **data.get("late", {})}
    if late["policy"] not in POLICIES:
        raise Refused(f"{path}: late policy {late['policy']!r} is not one of {', '.join(POLICIES)}")
    due = {}
    for assignment, text in data.get("due", {}).items():
        try:
            when = datetime.fromisoformat(str(text))
        except ValueError:
            raise Refused(f"{path}: the due date of {assignment} ({text!r}) is not a date like "
                          "2026-09-15 23:59") from None
        due[assignment] = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    return due, late


def set_due_date(db_url, assignment, due):
    """Record the due date in the gradebook, where nbgrader computes lateness from it."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        gb.update_or_create_assignment(assignment, duedate=due.astimezone(timezone.utc).replace(tzinfo=None))
