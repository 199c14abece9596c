"""Notebooks are stored as JupyterLab writes them, so that opening one changes nothing (no "modified" tab,
no autosave diff, no git conflict for a learner who pulls). What JupyterLab writes is checked in a real
browser in tests/test_browser.py; here: nbformat keeps every committed notebook byte for byte, and
autograder.release's canonical form is a fixed point that the release pipeline keeps."""

import json
import shutil

import nbformat
import pytest
from course_harness import REPO, Course

from autograder.release import canonical, generate, kernel_language_info, main, write_canonical

NOTEBOOKS = sorted((REPO / "solutions").glob("[0-9]*/*.ipynb")) + sorted((REPO / "notebooks").glob("[0-9]*/*.ipynb"))
IDS = [str(p.relative_to(REPO)) for p in NOTEBOOKS]


def numbers(value):
    """Every number in a JSON value."""
    if isinstance(value, dict):
        return [n for v in value.values() for n in numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in numbers(v)]
    return [value] if isinstance(value, int | float) and not isinstance(value, bool) else []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_nbformat_load_and_save_keeps_the_bytes(path):
    text = path.read_text(encoding="utf-8")
    assert nbformat.writes(nbformat.reads(text, 4), 4) + "\n" == text, f"{path} is not stored as nbformat writes it"


def test_canonical_form_of_every_notebook(tmp_path):
    """On copies: the rewrite changes only numbers' form and language_info, and is a fixed point of
    both itself and nbformat's load and save."""
    info = kernel_language_info()
    for folder in ("solutions", "notebooks"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    assert main(["--canonical", str(tmp_path / "solutions"), str(tmp_path / "notebooks")]) == 0
    assert main(["--canonical", "--check", str(tmp_path / "solutions"), str(tmp_path / "notebooks")]) == 0
    for path in NOTEBOOKS:
        copy = tmp_path / path.relative_to(REPO)
        text = copy.read_text(encoding="utf-8")
        new, old = json.loads(text), json.loads(path.read_text(encoding="utf-8"))
        assert new["metadata"].pop("language_info") == info
        old["metadata"].pop("language_info", None)
        assert new == old  # the same content (2 == 2.0 for Python)
        assert [c["id"] for c in new["cells"]] == [c["id"] for c in old["cells"]]
        assert not [n for n in numbers(new) if isinstance(n, float) and n.is_integer()], copy
        assert nbformat.writes(nbformat.reads(text, 4), 4) + "\n" == text
        assert not write_canonical(copy, info, check=True)


def test_canonical_turns_whole_floats_into_ints_only():
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": {"points": 2.0, "share": 0.5}}))
    out = canonical(nb, {"name": "python"})
    assert out.cells[0].metadata.nbgrader == {"points": 2, "share": 0.5}
    assert type(out.cells[0].metadata.nbgrader.points) is int and out.metadata.language_info == {"name": "python"}
    assert nb.cells[0].metadata.nbgrader.points == 2.0 and "language_info" not in nb.metadata  # not changed


@pytest.mark.slow
def test_release_of_a_canonical_source_is_canonical(tmp_path):
    """nbgrader writes the release (2.0 for points); generate() rewrites it as JupyterLab would,
    with the source's language_info."""
    assignment = "01_notation"
    shutil.copytree(REPO / "solutions" / assignment, tmp_path / "solutions" / assignment)
    (source,) = (tmp_path / "solutions" / assignment).glob("*.ipynb")
    write_canonical(source, kernel_language_info())
    course = Course(root=tmp_path, db_url=f"sqlite:///{tmp_path / 'gradebook.db'}")
    release = generate(course, assignment, tmp_path / "notebooks", course.db_url)
    (released,) = release.glob("*.ipynb")
    assert not write_canonical(released, kernel_language_info(), check=True)


def test_rewrite_command_usage_and_check(tmp_path, capsys):
    assert main([]) == 2 and "usage" in capsys.readouterr().err
    shutil.copy(NOTEBOOKS[0], tmp_path / "a.ipynb")
    changed = write_canonical(tmp_path / "a.ipynb", kernel_language_info(), check=True)
    assert main(["--canonical", "--check", str(tmp_path)]) == int(changed)
