"""A one-line counter for the notebooks' longer cells: how far a loop has come and how long it has run.

Used by the cells that train for more than a few seconds (05_sampling, 10_seq2seq and others). In a
notebook the line is one output that is rewritten in place (an IPython display handle, which JupyterLab,
nbclient and nbgrader follow); outside a notebook the last line is printed when the count is complete.
IPython is imported when the line is first shown, never when rnnkit is imported.
"""

import numbers
import time


def _kernel_display(text):
    """A display handle showing ``text`` in a notebook's output, or None outside an IPython kernel."""
    try:
        from IPython import get_ipython
        from IPython.display import Pretty, display
    except ImportError:
        return None
    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):  # a terminal or a plain Python: no output to rewrite
        return None
    return display(Pretty(text), display_id=True)


class Progress:
    """``counter = Progress(600, "updates")``, then ``counter.update(done)`` in the loop.

    Shows one line, "updates: 300 of 600 · 4 s (about 4 s to go)", rewritten at most every ``every``
    seconds and when ``done`` reaches ``total``. The line appears at the first update, so a cell that
    stops before its loop shows none. ``counter(done, L)`` does the same and returns None: it can be
    the ``callback`` of ``train_lm`` or ``train_tbptt`` without stopping them.
    """

    def __init__(self, total, what="updates", every=0.25):
        if isinstance(total, bool) or not isinstance(total, numbers.Integral) or total < 1:
            raise ValueError(f"total must be a positive int (the number of steps to count), got {total!r}")
        self.total, self.what, self.every = int(total), what, every
        self.start = time.perf_counter()
        self._handle = None  # the display handle; False outside a kernel
        self._shown_at = None  # when the line was last written
        self._ended = False  # the complete count has been shown

    def text(self, done):
        """The line for ``done`` of ``total`` steps: the count, the seconds so far, an estimate of the rest."""
        seconds = time.perf_counter() - self.start
        line = f"{self.what}: {done} of {self.total} · {seconds:.0f} s"
        if 0 < done < self.total:
            line += f" (about {seconds * (self.total - done) / done:.0f} s to go)"
        return line

    def update(self, done):
        """Show that ``done`` of the ``total`` steps are done (no more often than every ``every`` seconds)."""
        now, complete = time.perf_counter(), done >= self.total
        if self._ended or (not complete and self._shown_at is not None and now - self._shown_at < self.every):
            return
        self._shown_at, line = now, self.text(done)
        if self._handle is None:
            self._handle = _kernel_display(line) or False
        elif self._handle:
            from IPython.display import Pretty

            self._handle.update(Pretty(line))
        if complete and self._handle is False:
            print(line)
        self._ended = complete

    def __call__(self, done, *_):
        self.update(done)
