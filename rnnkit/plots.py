"""Figures for the notebooks, in lecture notation (t, a<t>, y_hat<t>).

Used from 02_forward_pass on (hidden states), 03_bptt (gradient norms), 04/05 (losses,
next-character distributions), 06/07 (gates) and 08/09 (curves). matplotlib is imported
inside the functions, never when rnnkit is imported. Every function returns a Figure and
never calls ``plt.show()``: the figure is closed in pyplot before it is returned, so a
notebook shows it exactly once, as the cell's value (or ``display(fig)`` / ``fig.savefig``).
"""

import numpy as np

from ._checks import Shapes, as_float_array


def _figure(ncols=1, nrows=1, **kw):
    """A new (fig, axes) that pyplot no longer tracks (no second copy at the end of a cell)."""
    import matplotlib.pyplot as plt  # imported here: also sets up notebook display of figures

    fig, axes = plt.subplots(nrows, ncols, squeeze=False, layout="constrained", **kw)
    plt.close(fig)
    return fig, axes.ravel()


def _token_text(token):
    """A token as a readable tick label: a space is shown as '␣', a newline as '\\n'."""
    return {" ": "␣", "\n": "\\n", "\t": "\\t"}.get(str(token), str(token))


def _time_ticks(ax, T, tokens, name="tokens"):
    """Label the time axis t = 1..T, with the tokens as tick labels when given."""
    if tokens is not None:
        tokens = list(tokens)
        if len(tokens) != T:
            raise ValueError(f"{name} must have one entry per time step (T_x = {T}), got {len(tokens)}")
        ax.set_xticks(range(T), [_token_text(tok) for tok in tokens])
        ax.set_xlabel("t (token x<t>)")
    else:
        step = max(1, T // 10)
        ax.set_xticks(range(0, T, step), [str(t + 1) for t in range(0, T, step)])
        ax.set_xlabel("t")


def _sequence(name, values):
    """A 1-d float array from a sequence; ValueError naming ``name`` otherwise."""
    arr = as_float_array(name, values)
    if arr.size == 0 or arr.ndim > 2 or (arr.ndim == 2 and 1 not in arr.shape):
        raise ValueError(
            f"{name} must be a non-empty 1-d sequence of numbers (or a column), got shape {arr.shape}"
        )
    return arr.reshape(-1)


def plot_hidden_states(a, example=0, tokens=None, title=None, state="a<t>"):
    """Heatmap of the hidden states a<t> of one example: units × time.

    a : (n_a, m, T_x) (or (n_a, T_x) for one example); tokens : T_x labels for the time axis;
    state : what ``a`` holds, for the labels (e.g. ``"c<t>"``, an LSTM's memory cell).
    Returns a Figure with 2 axes (the heatmap and its colour bar).
    """
    a = as_float_array("a", a)
    if a.ndim == 2:
        a = a[:, None, :]
    a = Shapes()("a", a, "(n_a, m, T_x)")
    n_a, m, T_x = a.shape
    if not 0 <= example < m:
        raise ValueError(f"example must be an index in 0..m-1 = 0..{m - 1}, got {example}")
    states = a[:, example, :]  # (n_a, T_x)
    limit = float(np.abs(states).max()) or 1.0
    fig, (ax,) = _figure(figsize=(max(4.0, 0.35 * T_x + 2), max(2.5, 0.25 * n_a + 1)))
    image = ax.imshow(states, aspect="auto", cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
    _time_ticks(ax, T_x, tokens)
    ax.set_ylabel(f"unit of {state}")
    ax.set_title(title or f"hidden states {state}, example (i) = {example}")
    fig.colorbar(image, ax=ax, label=state)
    return fig


def plot_losses(losses, title=None, log=False):
    """The loss L against the iteration; ``log=True`` puts the loss on a log scale. One axis."""
    losses = _sequence("losses", losses)
    if log and (losses <= 0).any():
        raise ValueError("losses must all be positive for log=True")
    fig, (ax,) = _figure(figsize=(5, 3))
    ax.plot(np.arange(1, losses.size + 1), losses)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("iteration")
    ax.set_ylabel("loss L")
    ax.set_title(title or "training loss")
    ax.grid(alpha=0.3)
    return fig


def plot_gradient_norms(norms, title=None):
    """||∂L/∂a<t>|| against the distance from the loss, one line per label, log y-axis. One axis.

    norms : {label: sequence}, entry k is the norm k time steps before the loss.
    Zero norms (a gradient that vanished entirely) are left out of the log plot.
    """
    if not isinstance(norms, dict) or not norms:
        raise ValueError("norms must be a non-empty dict {label: sequence of ||∂L/∂a<t>||}")
    fig, (ax,) = _figure(figsize=(5, 3.2))
    for label, values in norms.items():
        values = _sequence(f"norms[{label!r}]", values)
        steps = np.arange(values.size)
        keep = values > 0
        ax.plot(steps[keep], values[keep], marker=".", label=str(label))
    ax.set_yscale("log")
    ax.set_xlabel("distance from the loss (time steps)")
    ax.set_ylabel("||∂L/∂a<t>||")
    ax.set_title(title or "gradient norm through time")
    ax.legend()
    ax.grid(alpha=0.3, which="both")
    return fig


def plot_gates(gates, tokens=None):
    """One heatmap per gate, on the gate's range [0, 1], sharing one colour bar.

    gates : {"Γu": (n_a, T_x), "Γf": (n_a, T_x), ...}; tokens : T_x labels for the time axis.
    Returns a Figure with len(gates) + 1 axes.
    """
    if not isinstance(gates, dict) or not gates:
        raise ValueError("gates must be a non-empty dict {name: array (n_a, T_x)}")
    s = Shapes()
    arrays = {name: s(f"gates[{name!r}]", values, "(n_a, T_x)") for name, values in gates.items()}
    n_a, T_x = s.dims["n_a"], s.dims["T_x"]
    size = (len(arrays) * max(3.0, 0.3 * T_x + 1.5), max(2.5, 0.25 * n_a + 1))
    fig, axes = _figure(ncols=len(arrays), figsize=size)
    for ax, (name, values) in zip(axes, arrays.items()):
        image = ax.imshow(values, aspect="auto", cmap="viridis", vmin=0.0, vmax=1.0, interpolation="nearest")
        _time_ticks(ax, T_x, tokens)
        ax.set_title(f"{name}<t>")
    axes[0].set_ylabel("unit of a<t>")
    fig.colorbar(image, ax=list(axes), label="gate value")
    return fig


def plot_distribution(probs, labels, title=None):
    """Bar chart of a distribution, e.g. the next-character probabilities y_hat<t>. One axis.

    probs : (n_y,) or a column (n_y, 1); labels : n_y labels (characters are shown readably).
    """
    probs = _sequence("probs", probs)
    labels = list(labels)
    if len(labels) != probs.size:
        raise ValueError(
            f"labels must have one entry per probability (n_y = {probs.size}), got {len(labels)}"
        )
    fig, (ax,) = _figure(figsize=(max(4.0, 0.25 * probs.size + 1), 3))
    ax.bar(range(probs.size), probs)
    ax.set_xticks(range(probs.size), [_token_text(label) for label in labels])
    ax.set_ylabel("probability")
    ax.set_title(title or "y_hat<t>: next-token probabilities")
    return fig


def plot_curves(x, ys, xlabel, ylabel, title=None):
    """Several labelled lines over the same x, e.g. accuracy against k. One axis.

    ys : {label: sequence with one value per entry of x}.
    """
    x = _sequence("x", x)
    if not isinstance(ys, dict) or not ys:
        raise ValueError("ys must be a non-empty dict {label: sequence}")
    fig, (ax,) = _figure(figsize=(5, 3.2))
    for label, values in ys.items():
        values = _sequence(f"ys[{label!r}]", values)
        if values.size != x.size:
            raise ValueError(f"ys[{label!r}] must have one value per x ({x.size}), got {values.size}")
        ax.plot(x, values, marker=".", label=str(label))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend()
    ax.grid(alpha=0.3)
    return fig
