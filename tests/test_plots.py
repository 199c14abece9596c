"""rnnkit.plots and rnnkit.widgets: figures with the right axes and labels; lazy imports (diagrams too)."""

import io
import subprocess
import sys
import textwrap

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from rnnkit import plots  # noqa: E402


@pytest.fixture
def close():
    """Collect figures and close them after the test."""
    made = []
    yield made.append
    for fig in made:
        plt.close(fig)


def test_plot_hidden_states(close):
    a = np.tanh(np.arange(5 * 2 * 4, dtype=float).reshape(5, 2, 4) - 20)  # (n_a, m, T_x)
    fig = plots.plot_hidden_states(a, example=1, tokens="hell")
    close(fig)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 2  # heatmap + colour bar
    ax = fig.axes[0]
    assert ax.get_ylabel() == "unit of a<t>" and ax.get_xlabel().startswith("t")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["h", "e", "l", "l"]
    assert np.array_equal(ax.images[0].get_array(), a[:, 1, :])
    assert not plt.get_fignums()  # pyplot does not keep it: a notebook shows it once
    memory = plots.plot_hidden_states(a, state="c<t>")  # an LSTM's memory cell
    close(memory)
    assert memory.axes[0].get_ylabel() == "unit of c<t>" and memory.axes[1].get_ylabel() == "c<t>"


def test_plot_hidden_states_checks_its_inputs():
    with pytest.raises(ValueError, match="example"):
        plots.plot_hidden_states(np.zeros((3, 2, 4)), example=2)
    with pytest.raises(ValueError, match="tokens"):
        plots.plot_hidden_states(np.zeros((3, 2, 4)), tokens="abc")
    with pytest.raises(ValueError, match=r"\(n_a, m, T_x\)"):
        plots.plot_hidden_states(np.zeros(3))


def test_plot_losses(close):
    fig = plots.plot_losses([3.0, 2.0, 1.5, 1.2], title="loss", log=True)
    close(fig)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and ax.get_ylabel() == "loss L" and ax.get_title() == "loss"
    assert np.array_equal(ax.lines[0].get_ydata(), [3.0, 2.0, 1.5, 1.2])
    with pytest.raises(ValueError, match="positive"):
        plots.plot_losses([1.0, 0.0], log=True)


def test_plot_gradient_norms(close):
    norms = {"tanh RNN": 0.5 ** np.arange(6), "LSTM": np.r_[np.ones(5), 0.0]}
    fig = plots.plot_gradient_norms(norms)
    close(fig)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and ax.get_ylabel() == "||∂L/∂a<t>||"
    assert [line.get_label() for line in ax.lines] == ["tanh RNN", "LSTM"]
    assert len(ax.lines[1].get_xdata()) == 5  # the vanished (zero) norm is left out of the log plot
    fig.savefig(io.BytesIO(), format="png")  # the ∂ of the label draws


def test_plot_gates(close):
    rng = np.random.default_rng(0)
    gates = {"Γu": rng.random((4, 3)), "Γf": rng.random((4, 3)), "Γo": rng.random((4, 3))}
    fig = plots.plot_gates(gates, tokens=["a", " ", "\n"])
    close(fig)
    assert isinstance(fig, Figure) and len(fig.axes) == 4  # one per gate + a shared colour bar
    assert [ax.get_title() for ax in fig.axes[:3]] == ["Γu<t>", "Γf<t>", "Γo<t>"]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["a", "␣", "\\n"]
    fig.savefig(io.BytesIO(), format="png")  # draws: no missing-glyph warning for Γ, ␣ (warnings fail)
    with pytest.raises(ValueError, match=r"gates\['Γf'\]"):
        plots.plot_gates({"Γu": np.zeros((4, 3)), "Γf": np.zeros((5, 3))})


def test_plot_distribution(close):
    probs = np.array([[0.1], [0.6], [0.3]])  # y_hat<t> as a column (n_y, 1)
    fig = plots.plot_distribution(probs, ["a", "b", " "], title="next character")
    close(fig)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    assert [p.get_height() for p in ax.patches] == pytest.approx([0.1, 0.6, 0.3])
    assert ax.get_ylabel() == "probability" and ax.get_title() == "next character"
    with pytest.raises(ValueError, match="labels"):
        plots.plot_distribution(probs, ["a", "b"])


def test_plot_curves(close):
    k = [1, 2, 3]
    ys = {"RNN": [0.5, 0.6, 0.7], "BRNN": [0.6, 0.8, 0.9]}
    fig = plots.plot_curves(k, ys, "k", "accuracy", title="acc")
    close(fig)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("k", "accuracy", "acc")
    assert len(ax.lines) == 2 and ax.get_legend() is not None
    with pytest.raises(ValueError, match=r"ys\['RNN'\]"):
        plots.plot_curves(k, {"RNN": [0.5]}, "k", "accuracy")


def test_importing_plots_diagrams_and_widgets_does_not_import_matplotlib_or_ipywidgets():
    code = textwrap.dedent(
        """
        import sys
        import rnnkit, rnnkit.diagrams, rnnkit.plots, rnnkit.widgets
        heavy = [m for m in ("matplotlib", "ipywidgets") if m in sys.modules]
        print(",".join(heavy) or "none")
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "none"


def test_controls_builds_sliders_and_dropdowns_and_shows_text():
    pytest.importorskip("ipywidgets")
    from rnnkit.widgets import controls

    calls = []

    def describe(temperature, n, model):
        calls.append((temperature, n, model))
        return f"{model} at T={temperature} for {n}"

    panel = controls(describe, temperature=(0.1, 2.0, 0.1, 1.0), n=(1, 10, 1, 3), model=["RNN", "GRU"])
    kinds = [type(w).__name__ for w in panel.children]
    assert kinds == ["FloatSlider", "IntSlider", "Dropdown", "Output"]
    assert calls == [(1.0, 3, "RNN")]  # drawn once at start
    panel.children[2].value = "GRU"
    assert calls[-1] == (1.0, 3, "GRU")
    with pytest.raises(ValueError, match="min, max, step, value"):
        controls(describe, temperature=(0.1, 2.0))
    with pytest.raises(ValueError, match=r"\[min, max\]"):
        controls(describe, temperature=(0.1, 2.0, 0.1, 3.0))
