"""Pictures of what a character model learned: a unit over a passage, word vectors, TBPTT chunks.

Taught in 04_language_model (the embedding picture, the chunks of truncated BPTT) and
05_sampling (a hidden unit coloured over Shakespeare). Like ``rnnkit.plots``, every function
returns a Figure (closed in pyplot, so a notebook shows it once, as the cell's value) and
matplotlib is imported only when a figure is made.
"""

import re

import numpy as np

from .plots import _figure

__all__ = ["plot_embedding_2d", "plot_tbptt_chunks", "plot_unit_over_text", "text_features", "unit_correlations"]

SPEAKER = re.compile(r"[A-Z][A-Z' ]+\.")  # "MACBETH." on a line of its own


# ----------------------------------------------------------------------------- reading the units


def text_features(text):
    """Indicator features of every character of a play, {name: (T,) float array}.

    "speaker name": the character belongs to a line "NAME." (its newline included);
    "inside [ ]": a stage direction, from "[" to "]";
    "position in line": how many characters of the line come before it;
    "end of line next": the next character is a newline;
    "upper case": the character is a capital letter.
    """
    T = len(text)
    speaker, inside, position = np.zeros(T), np.zeros(T), np.zeros(T)
    start, depth = 0, 0.0
    for line in text.split("\n"):
        end = min(start + len(line) + 1, T)  # the line and its newline
        speaker[start:end] = bool(SPEAKER.fullmatch(line))
        position[start:end] = np.arange(end - start)
        start = end
    for t, ch in enumerate(text):
        depth = 1.0 if ch == "[" else depth
        inside[t] = depth
        depth = 0.0 if ch == "]" else depth
    end_next = np.array([text[t + 1] == "\n" if t + 1 < T else False for t in range(T)], dtype=float)
    upper = np.array([ch.isupper() for ch in text], dtype=float)
    return {"speaker name": speaker, "inside [ ]": inside, "position in line": position,
            "end of line next": end_next, "upper case": upper}


def unit_correlations(a, features):
    """For each feature, the hidden unit whose activation correlates best with it.

    a : (n_a, T) the states a<t> over a text;  features : {name: (T,) array} (text_features).
    Returns {name: (unit, r)}: r is Pearson's correlation of a[unit] with the feature, the
    largest in absolute value over all n_a units (a constant unit or feature counts as r = 0).
    """
    a = np.asarray(a, dtype=np.float64)
    if a.ndim != 2:
        raise ValueError(f"a must have shape (n_a, T), got {a.shape}")
    centred = a - a.mean(axis=1, keepdims=True)
    norms = np.linalg.norm(centred, axis=1)
    out = {}
    for name, f in features.items():
        f = np.asarray(f, dtype=np.float64)
        if f.shape != (a.shape[1],):
            raise ValueError(f"feature {name!r} must have shape (T,) = ({a.shape[1]},), got {f.shape}")
        f = f - f.mean()
        denominator = norms * np.linalg.norm(f)
        r = np.divide(centred @ f, denominator, out=np.zeros(a.shape[0]), where=denominator > 0)
        unit = int(np.argmax(np.abs(r)))
        out[name] = (unit, float(r[unit]))
    return out


def plot_unit_over_text(text, values, title=None, width=64, vmax=1.0):
    """The characters of ``text`` on a grid, each on a background coloured by ``values``.

    text : T characters (a newline starts a new row and is drawn as "⏎");  values : (T,), e.g.
    one hidden unit a_j<t> after reading each character, red > 0 > blue, ±vmax saturated.
    Rows longer than ``width`` wrap. Returns a Figure.
    """
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    if len(values) != len(text):
        raise ValueError(f"values must have one entry per character of text ({len(text)}), got {len(values)}")
    import matplotlib as mpl

    cells, row, col = [], 0, 0
    for ch, v in zip(text, values):
        cells.append((row, col, "⏎" if ch == "\n" else ch, v))
        col += 1
        if ch == "\n" or col == width:
            row, col = row + 1, 0
    n_rows = row + 1
    fig, (ax,) = _figure(figsize=(0.14 * width + 0.4, 0.24 * n_rows + 0.6))
    cmap, norm = mpl.colormaps["RdBu_r"], mpl.colors.Normalize(-vmax, vmax)
    grid = np.full((n_rows, width), np.nan)  # one coloured cell per character, blank elsewhere
    for r, c, _, v in cells:
        grid[r, c] = v
    ax.imshow(grid, cmap=cmap, norm=norm, alpha=0.8, aspect="auto", interpolation="nearest",
              extent=(0, width, n_rows, 0))
    for r, c, ch, _ in cells:
        ax.text(c + 0.5, r + 0.55, ch, ha="center", va="center", family="monospace", fontsize=8,
                color="0.45" if ch == "⏎" else "black")
    ax.set_xlim(0, width)
    ax.set_ylim(n_rows, 0)
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=10, loc="left")
    fig.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6, pad=0.01)
    return fig


# ----------------------------------------------------------------------------- word vectors


def plot_embedding_2d(E, labels, groups=None, title=None):
    """The columns of an embedding matrix E (n_e, n_x), projected on their two main directions.

    The projection is PCA: the columns minus their mean, onto the first two right singular
    directions. labels : n_x names of the columns (tokens); groups : {label: group name} to colour
    the points (labels without a group are grey and not written). Returns a Figure.
    """
    E = np.asarray(E, dtype=np.float64)
    if E.ndim != 2 or E.shape[1] != len(labels):
        raise ValueError(f"E must have shape (n_e, n_x) with n_x = len(labels) = {len(labels)}, got {E.shape}")
    X = (E - E.mean(axis=1, keepdims=True)).T  # (n_x, n_e): one row per token
    U, S, _ = np.linalg.svd(X, full_matrices=False)
    P = U[:, :2] * S[:2]  # (n_x, 2)
    share = (S[:2] ** 2).sum() / max((S**2).sum(), 1e-300)
    groups = groups or {}
    fig, (ax,) = _figure(figsize=(7, 5.5))
    names = sorted(set(groups.values()))
    colours = {g: f"C{i}" for i, g in enumerate(names)}
    grey = [i for i, label in enumerate(labels) if label not in groups]
    ax.scatter(P[grey, 0], P[grey, 1], s=14, color="0.75")
    for g in names:
        rows = [i for i, label in enumerate(labels) if groups.get(label) == g]
        ax.scatter(P[rows, 0], P[rows, 1], s=14, color=colours[g], label=g)
        for i in rows:
            ax.annotate(labels[i], P[i], fontsize=8, color=colours[g], xytext=(3, 2), textcoords="offset points")
    if names:
        ax.legend(fontsize=8, loc="best")
    ax.set_xlabel("first principal direction")
    ax.set_ylabel("second principal direction")
    ax.set_title(title or f"the columns of E in 2-D ({100 * share:.0f} % of their variance)", fontsize=10)
    return fig


# ----------------------------------------------------------------------------- truncated BPTT


def plot_tbptt_chunks(T=12, k=4):
    """A picture of truncated BPTT over T steps in chunks of k.

    The forward pass (black arrows) runs through every step, across chunk boundaries: a<k> of
    a chunk is a<0> of the next. The backward pass (red dashed arrows) runs inside each chunk
    only; no gradient crosses a boundary. Returns a Figure.
    """
    if not (isinstance(T, int) and isinstance(k, int) and 1 <= k <= T):
        raise ValueError(f"T and k must be integers with 1 <= k <= T, got T = {T!r}, k = {k!r}")
    fig, (ax,) = _figure(figsize=(min(0.85 * T + 1.5, 14), 2.6))
    for t in range(T):
        ax.add_patch(_box(t, 1.0, "0.9"))
        ax.text(t + 0.4, 1.4, f"a<{t + 1}>", ha="center", va="center", fontsize=8)
        ax.text(t + 0.4, 0.35, f"x<{t + 1}>", ha="center", va="center", fontsize=8, color="0.3")
        ax.annotate("", (t + 0.4, 1.0), (t + 0.4, 0.55), arrowprops={"arrowstyle": "->", "color": "0.4"})
        if t + 1 < T:
            ax.annotate("", (t + 1.0, 1.55), (t + 0.8, 1.55), arrowprops={"arrowstyle": "->", "color": "black"})
            if (t + 1) % k:  # the gradient flows back only inside a chunk
                ax.annotate("", (t + 0.8, 1.25), (t + 1.0, 1.25),
                            arrowprops={"arrowstyle": "->", "color": "tab:red", "linestyle": "--"})
    for s in range(0, T, k):
        e = min(s + k, T)
        ax.add_patch(_box(s - 0.1, 0.85, "none", width=e - s, height=1.0, edge="tab:blue"))
        ax.text((s + e) / 2 - 0.1, 2.05, f"chunk {s // k + 1}: update {s // k + 1}", ha="center", fontsize=8,
                color="tab:blue")
    ax.set_xlim(-0.4, T + 0.1)
    ax.set_ylim(0.1, 2.3)
    ax.set_axis_off()
    ax.set_title(f"truncated BPTT, k = {k}: the state crosses chunk boundaries (black), "
                 "the gradient does not (red, dashed)", fontsize=9, loc="left")
    return fig


def _box(x, y, face, width=0.8, height=0.8, edge="0.3"):
    import matplotlib as mpl

    return mpl.patches.Rectangle((x, y), width, height, facecolor=face, edgecolor=edge, linewidth=1)
