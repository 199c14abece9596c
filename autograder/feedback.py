"""Feedback that returns no hidden test to the student.

nbgrader's feedback HTML shows each test cell as it ran, hidden tests included (nbgrader
issues #917, #1363). This preprocessor, run by generate_feedback (see nbgrader_config.py),
removes the hidden region from every test cell and reduces a failed test's traceback to its
message, which is written for the learner and names no hidden code.
"""

from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


def strip_hidden(source):
    """``source`` without the lines from BEGIN HIDDEN TESTS to END HIDDEN TESTS."""
    kept, hidden = [], False
    for line in source.split("\n"):
        if BEGIN in line:
            hidden = True
        elif END in line:
            hidden = False
        elif not hidden:
            kept.append(line)
    return "\n".join(kept)


class HideHiddenTests(NbGraderPreprocessor):
    """Strip hidden tests and their tracebacks from graded test cells."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell):
            cell.source = strip_hidden(cell.source)
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources
