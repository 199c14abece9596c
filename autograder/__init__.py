"""Instructor tooling for the RNN course: release, autograde, feedback, grade export.

Not part of the `rnnkit` wheel. Run it through `rnnkit-course` from a checkout of the course.
"""
