"""rnnkit.progress: the counter of the notebooks' longer cells: its line, how often it is rewritten, and
what it shows outside a notebook."""

import re

import pytest

from rnnkit import progress
from rnnkit.progress import Progress


class Handle:
    """A stand-in for IPython's display handle: it records every text shown."""

    def __init__(self, text):
        self.shown = [text]

    def update(self, obj):
        self.shown.append(obj.data)


@pytest.fixture
def kernel(monkeypatch):
    """Progress as in a notebook: the line goes to a display handle, which is returned for inspection."""
    handles = []

    def display(text):
        handles.append(Handle(text))
        return handles[-1]

    monkeypatch.setattr(progress, "_kernel_display", display)
    return handles


def test_the_line_counts_times_and_estimates():
    counter = Progress(4, "updates")
    assert re.fullmatch(r"updates: 2 of 4 · \d+ s \(about \d+ s to go\)", counter.text(2))
    assert re.fullmatch(r"updates: 4 of 4 · \d+ s", counter.text(4))  # complete: nothing to go
    assert re.fullmatch(r"runs: 0 of 4 · \d+ s", Progress(4, "runs").text(0))


def test_in_a_notebook_one_line_is_rewritten(kernel):
    counter = Progress(3, "updates", every=0)
    for done in (1, 2, 3):
        assert counter(done, 0.5) is None  # as a training callback: None lets training go on
    (handle,) = kernel  # one output, rewritten
    assert [line.split(" ·")[0] for line in handle.shown] == ["updates: 1 of 3", "updates: 2 of 3", "updates: 3 of 3"]
    counter.update(3)
    assert len(handle.shown) == 3  # the end is shown once


def test_rewrites_are_spaced_but_the_end_is_always_shown(kernel):
    counter = Progress(100, "steps", every=60)
    for done in range(1, 101):
        counter.update(done)
    assert [line.split(" ·")[0] for line in kernel[0].shown] == ["steps: 1 of 100", "steps: 100 of 100"]


def test_nothing_is_shown_before_the_first_update(kernel):
    Progress(5)
    assert kernel == []


def test_outside_a_notebook_the_end_is_printed_once(capsys):
    counter = Progress(2, "updates")
    counter.update(1)
    assert capsys.readouterr().out == ""
    counter.update(2)
    counter.update(2)
    assert re.fullmatch(r"updates: 2 of 2 · \d+ s\n", capsys.readouterr().out)


@pytest.mark.parametrize("total", [0, -3, 2.5, True, "10"])
def test_total_is_checked(total):
    with pytest.raises(ValueError, match="total must be a positive int"):
        Progress(total)
