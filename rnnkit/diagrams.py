"""Pictures of the models, drawn in the lecture's notation: cells, states and the arrows between them.

Used by 02_forward_pass (the unrolled RNN, the RNN types), 03_bptt (the backward graph), 06_gru,
07_lstm (the cells), 08_brnn and 09_deep_rnn (the graphs), 10_seq2seq (the encoder–decoder). Like
``rnnkit.plots``, matplotlib is imported only when a picture is made, and every function returns a
Figure without calling ``plt.show()``: a notebook shows it once, as the cell's value.
"""

from .plots import _figure

FORWARD, BACKWARD, SHARED, MEMORY = "black", "tab:red", "tab:blue", "tab:orange"
CELL, OUTPUT, GATE = "#fde9c9", "#dde8f6", "#ece2f4"  # box colours: cells, outputs and losses, gates


def _canvas(xlim, ylim, scale=0.62, title=None):
    """(fig, ax): one axis without frame, equal units in x and y, ``scale`` inches per unit."""
    fig, (ax,) = _figure(figsize=(scale * (xlim[1] - xlim[0]), scale * (ylim[1] - ylim[0]) + (0.4 if title else 0)))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    return fig, ax


def _box(ax, x, y, text, colour=CELL, w=1.1, h=0.6, size=9, edge="black", lw=1.0):
    """A rounded box centred at (x, y) with ``text`` inside."""
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0,rounding_size=0.12",
                                facecolor=colour, edgecolor=edge, linewidth=lw))
    ax.text(x, y, text, ha="center", va="center", fontsize=size)


def _arrow(ax, start, end, colour=FORWARD, label=None, side=(0.0, 0.18), size=8, lw=1.2, rad=0.0, style="-|>",
           dashed=False):
    """An arrow from ``start`` to ``end``; ``label`` is written at its middle, moved by ``side``."""
    ax.annotate("", xy=end, xytext=start,
                arrowprops=dict(arrowstyle=style, color=colour, lw=lw, shrinkA=0, shrinkB=0,
                                linestyle="--" if dashed else "-", connectionstyle=f"arc3,rad={rad}"))
    if label:
        ax.text((start[0] + end[0]) / 2 + side[0], (start[1] + end[1]) / 2 + side[1], label, color=colour,
                ha="center", va="center", fontsize=size)


def _count(name, value, least=1):
    """``value`` as an int of at least ``least``; ValueError naming ``name`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ValueError(f"{name} must be an int >= {least}, got {value!r}")
    return value


def _line(ax, points, colour=FORWARD, lw=1.2):
    """A polyline through ``points`` (a wire that splits or turns, no arrow head)."""
    xs, ys = zip(*points)
    ax.plot(xs, ys, color=colour, lw=lw, solid_capstyle="round")


# ----------------------------------------------------------------------------- 02: the RNN


def unrolled_rnn(T_x=4):
    """The RNN unrolled over ``T_x`` steps, left of it the same network folded into one cell.

    a<t> = tanh(Waa a<t-1> + Wax x<t> + ba), y_hat<t> = softmax(Wya a<t> + by): the weights
    (blue) are the same at every step.
    """
    T_x = _count("T_x", T_x)
    fig, ax = _canvas((-1.2, 3.0 * T_x + 4.9), (-0.9, 4.0), title="one cell, applied at every step: "
                      "the same Waa, Wax, ba, Wya, by for t = 1, …, T_x")
    # folded: one cell with a loop
    _box(ax, 0.5, 1.5, "a<t>")
    ax.text(0.5, -0.45, "x<t>", ha="center", va="center", fontsize=9)
    ax.text(0.5, 3.45, "y_hat<t>", ha="center", va="center", fontsize=9)
    _arrow(ax, (0.5, -0.2), (0.5, 1.2), SHARED, "Wax", side=(-0.45, 0))
    _arrow(ax, (0.5, 1.8), (0.5, 3.2), SHARED, "Wya", side=(-0.45, 0))
    _arrow(ax, (1.05, 1.65), (1.05, 1.35), SHARED, "Waa", side=(0.75, 0), rad=-2.6)
    ax.text(2.45, 1.5, "=", ha="center", va="center", fontsize=18)
    # unrolled
    x0 = 4.6
    ax.text(x0 - 1.3, 1.5, "a<0>", ha="center", va="center", fontsize=9)
    for t in range(1, T_x + 1):
        x = x0 + 3.0 * t - 1.3
        _box(ax, x, 1.5, f"a<{t}>")
        ax.text(x, -0.45, f"x<{t}>", ha="center", va="center", fontsize=9)
        ax.text(x, 3.45, f"y_hat<{t}>", ha="center", va="center", fontsize=9)
        _arrow(ax, (x, -0.2), (x, 1.2), SHARED, "Wax", side=(-0.45, 0))
        _arrow(ax, (x, 1.8), (x, 3.2), SHARED, "Wya", side=(-0.45, 0))
        _arrow(ax, (x - 3.0 + 0.55, 1.5), (x - 0.55, 1.5), SHARED, "Waa")
    return fig


def _types_panel(ax, x0, y0, title, inputs, outputs, fed_back=False, split=None):
    """One RNN type at (x0, y0): cells in a row, inputs below and outputs above the steps listed (from 0).

    split : the first decoder step of an encoder-decoder (its cells drawn in another colour).
    """
    steps = max(max(inputs, default=0), max(outputs, default=0)) + 1
    for t in range(steps):
        x = x0 + 1.2 * t
        _box(ax, x, y0 + 1.0, "", w=0.6, h=0.5, colour=CELL if split is None or t < split else "#f6d5d5")
        if t in inputs:
            label = "x" if len(inputs) == 1 else f"x<{inputs.index(t) + 1}>"
            ax.text(x, y0 - 0.2, label, ha="center", va="center", fontsize=7.5)
            _arrow(ax, (x, y0 + 0.02), (x, y0 + 0.75), lw=1.0)
        if t in outputs:
            label = "y_hat" if len(outputs) == 1 else f"y_hat<{outputs.index(t) + 1}>"
            ax.text(x, y0 + 2.25, label, ha="center", va="center", fontsize=7.5)
            _arrow(ax, (x, y0 + 1.25), (x, y0 + 2.02), lw=1.0)
        if t:
            _arrow(ax, (x - 0.9, y0 + 1.0), (x - 0.3, y0 + 1.0), lw=1.0)
        if fed_back and t:
            _arrow(ax, (x - 1.0, y0 + 2.05), (x - 0.3, y0 + 0.9), lw=0.8, dashed=True)
    ax.text(x0 + 1.2 * (steps - 1) / 2, y0 + 3.05, title, ha="center", va="center", fontsize=8.5)


def rnn_types():
    """The lecture's summary of RNN types: which steps read an input and which give an output."""
    fig, ax = _canvas((-0.9, 13.7), (-4.4, 3.5), scale=0.72)
    _types_panel(ax, 0.0, 0.0, "one-to-one\n(a standard network)", [0], [0])
    _types_panel(ax, 3.0, 0.0, "one-to-many (music generation):\neach y_hat<t> is fed back (dashed)", [0],
                 [0, 1, 2], fed_back=True)
    _types_panel(ax, 8.6, 0.0, "many-to-one\n(sentiment classification)", [0, 1, 2], [2])
    _types_panel(ax, 0.0, -4.0, "many-to-many, T_x = T_y\n(named-entity recognition)", [0, 1, 2, 3], [0, 1, 2, 3])
    _types_panel(ax, 5.6, -4.0, "encoder–decoder, T_x = 3 ≠ T_y = 4 (machine translation):\n"
                 "the encoder reads every x<t>, then the decoder (red) writes every y_hat<t>", [0, 1, 2],
                 [3, 4, 5, 6], split=3)
    return fig


# ----------------------------------------------------------------------------- 03: backpropagation through time


def bptt_graph(T_x=3, t_shown=2):
    """The forward graph (black) and the backward one (red) of a many-to-many RNN, T_x steps.

    The loss reaches a<t_shown> by two paths, through y_hat<t> and through a<t+1>; the gradients of
    the shared weights are the sums over the steps.
    """
    T_x = _count("T_x", T_x, 2)
    if not 1 <= t_shown < T_x:
        raise ValueError(f"t_shown must be a step with a step after it, 1 <= t_shown < T_x = {T_x}, got {t_shown}")
    fig, ax = _canvas((-0.4, 3.0 * T_x + 3.3), (-1.8, 6.6), scale=0.66,
                      title="forward (black) and backward (red) through time")
    centre = 1.5 * (T_x + 1)  # the middle of the steps: where L and the sums are drawn
    _box(ax, centre, 6.0, "L = Σ_t L<t>", OUTPUT, w=1.9)
    ax.text(0.15, 1.5, "a<0>", ha="center", va="center", fontsize=9)
    for t in range(1, T_x + 1):
        x, bold = 3.0 * t, 2.0 if t == t_shown else 1.2
        _box(ax, x, 1.5, f"a<{t}>")
        _box(ax, x, 3.0, f"y_hat<{t}>", OUTPUT, w=1.3)
        _box(ax, x, 4.5, f"L<{t}>", OUTPUT, w=0.9)
        ax.text(x, 0.0, f"x<{t}>", ha="center", va="center", fontsize=9)
        _arrow(ax, (x - 0.15, 0.25), (x - 0.15, 1.2))
        for y0, y1 in ((1.8, 2.7), (3.3, 4.2)):
            _arrow(ax, (x - 0.15, y0), (x - 0.15, y1))
            _arrow(ax, (x + 0.15, y1), (x + 0.15, y0), BACKWARD, lw=bold if y0 == 1.8 else 1.2)
        at = centre + 0.45 * (t - (T_x + 1) / 2)  # where this step's arrows meet the box of L
        _arrow(ax, (x - 0.2, 4.8), (at - 0.08, 5.7), lw=0.8)
        _arrow(ax, (at + 0.08, 5.7), (x + 0.2, 4.8), BACKWARD, lw=0.8)
        left = x - 2.45
        _arrow(ax, (left, 1.62), (x - 0.55, 1.62))
        _arrow(ax, (x - 0.55, 1.38), (left, 1.38), BACKWARD, lw=2.0 if t == t_shown + 1 else 1.2)
        _arrow(ax, (x + 0.4, 1.2), (x + 0.8, -0.95), BACKWARD, lw=0.8, dashed=True)
    x = 3.0 * t_shown
    ax.text(x + 0.25, 2.25, "①", color=BACKWARD, ha="left", va="center", fontsize=10)
    ax.text(x + 1.5, 1.05, "②", color=BACKWARD, ha="center", va="center", fontsize=10)
    ax.text(3.0 * T_x + 0.8, 2.4, f"∂L/∂a<{t_shown}> = ① + ②:\n① through y_hat<{t_shown}>\n"
            f"② through a<{t_shown + 1}>", color=BACKWARD, ha="left", va="center", fontsize=8.5)
    _box(ax, centre, -1.3, "the weights are shared, so their gradients are sums over t:\n"
         "dWaa = Σ_t dz<t> a<t-1>ᵀ,   dWax = Σ_t dz<t> x<t>ᵀ,   dba = Σ_t dz<t>   (and dWya, dby)",
         "#fbe3e3", w=3.0 * T_x + 1.2, h=0.75, size=8.5, edge=BACKWARD)
    return fig


# ----------------------------------------------------------------------------- 06, 07: the gated cells


def _node(ax, x, y, text="×", r=0.28):
    """A small circle with an operation inside: ×, +, tanh."""
    from matplotlib.patches import Circle

    ax.add_patch(Circle((x, y), r, facecolor="white", edgecolor="black", linewidth=1.0, zorder=3))
    ax.text(x, y, text, ha="center", va="center", fontsize=9 if len(text) == 1 else 7, zorder=4)


def gru_cell(simplified=False):
    """One GRU step: c<t-1> and x<t> in, c<t> = a<t> out; the gates read [c<t-1>; x<t>].

    simplified : leave out the relevance gate Γr (the lecture's first form).
    """
    title = "simplified GRU: one gate, Γu" if simplified else "full GRU: the update gate Γu and the relevance gate Γr"
    fig, ax = _canvas((-1.0, 14.2), (-2.0, 5.5), scale=0.55, title=title)
    memory, bus = 4.2, -0.5
    ax.text(-0.3, memory, "c<t-1>", ha="center", va="center", fontsize=9)
    _arrow(ax, (0.4, memory), (6.8, memory), MEMORY, lw=2.2)
    ax.text(2.5, memory + 0.32, "where Γu ≈ 0 the memory is kept", color=MEMORY, ha="center", va="center", fontsize=8)
    _box(ax, 8.6, memory, "c<t> = Γu * c~<t>\n+ (1 − Γu) * c<t-1>", CELL, w=3.6, h=0.9)
    _arrow(ax, (10.4, memory), (11.8, memory), MEMORY, lw=2.2)
    ax.text(12.6, memory, "c<t> = a<t>", ha="center", va="center", fontsize=9)
    _arrow(ax, (11.1, memory + 0.05), (11.1, memory + 0.8), lw=1.0)
    ax.text(11.6, memory + 1.1, "y_hat<t> = softmax(Wy a<t> + by)", ha="center", va="center", fontsize=8)
    # the inputs of the gates: [c<t-1>; x<t>] on a bus along the bottom
    _line(ax, [(0.9, memory), (0.9, bus), (8.6, bus)])
    ax.text(0.9, bus - 1.25, "x<t>", ha="center", va="center", fontsize=9)
    _arrow(ax, (0.9, bus - 1.0), (0.9, bus))
    ax.text(4.6, bus - 0.38, "[c<t-1>; x<t>]", ha="center", va="center", fontsize=8)
    _box(ax, 8.6, 1.6, "Γu = σ(…)", GATE, w=1.5)
    _arrow(ax, (8.6, bus), (8.6, 1.3))
    _arrow(ax, (8.6, 1.9), (8.6, memory - 0.45), label="Γu", side=(0.3, 0))
    _box(ax, 5.7, 1.0, "c~<t> = tanh(…)", CELL, w=2.5)
    _arrow(ax, (6.2, 1.3), (7.4, memory - 0.45), label="c~<t>", side=(-0.45, 0.1))
    if simplified:
        _arrow(ax, (5.7, bus), (5.7, 0.7))
        return fig
    _box(ax, 2.6, 1.0, "Γr = σ(…)", GATE, w=1.5)
    _arrow(ax, (2.6, bus), (2.6, 0.7))
    _node(ax, 4.0, 2.5)
    _arrow(ax, (4.0, memory), (4.0, 2.78))
    _arrow(ax, (3.0, 1.3), (3.8, 2.3), label="Γr", side=(-0.25, 0.1))
    _arrow(ax, (4.2, 2.3), (5.2, 1.3), label="Γr * c<t-1>", side=(1.05, 0.3), size=7.5)
    _arrow(ax, (5.7, bus), (5.7, 0.7), label="x<t>", side=(0.3, 0.0))
    return fig


def lstm_cell():
    """One LSTM step: along the memory cell (orange) c<t-1> is only scaled by Γf and added to.

    c<t> = Γf * c<t-1> + Γu * c~<t>, a<t> = Γo * tanh(c<t>); the gates read [a<t-1>; x<t>].
    """
    fig, ax = _canvas((-1.0, 13.4), (-2.0, 5.6), scale=0.55,
                      title="LSTM: the memory cell c<t> runs along the top; the gates read [a<t-1>; x<t>]")
    memory, bus = 4.2, -0.5
    ax.text(-0.3, memory, "c<t-1>", ha="center", va="center", fontsize=9)
    _arrow(ax, (0.4, memory), (2.92, memory), MEMORY, lw=2.2)
    _node(ax, 3.2, memory)
    _arrow(ax, (3.48, memory), (5.72, memory), MEMORY, lw=2.2)
    _node(ax, 6.0, memory, "+")
    _arrow(ax, (6.28, memory), (11.6, memory), MEMORY, lw=2.2)
    ax.text(12.2, memory, "c<t>", ha="center", va="center", fontsize=9)
    ax.text(6.0, memory + 0.75, "along the memory cell: c<t> = Γf * c<t-1> + Γu * c~<t>, so ∂c<t>/∂c<t-1> = Γf",
            color=MEMORY, ha="center", va="center", fontsize=8)
    # the inputs of the gates: [a<t-1>; x<t>] on a bus along the bottom
    ax.text(-0.3, bus, "a<t-1>", ha="center", va="center", fontsize=9)
    _line(ax, [(0.4, bus), (9.8, bus)])
    ax.text(1.2, bus - 1.25, "x<t>", ha="center", va="center", fontsize=9)
    _arrow(ax, (1.2, bus - 1.0), (1.2, bus))
    ax.text(5.6, bus - 0.38, "[a<t-1>; x<t>]", ha="center", va="center", fontsize=8)
    for x, text, w in ((3.2, "Γf = σ(…)", 1.5), (5.0, "Γu = σ(…)", 1.5), (7.2, "c~<t> = tanh(…)", 2.4),
                       (9.8, "Γo = σ(…)", 1.5)):
        _box(ax, x, 1.2, text, CELL if x == 7.2 else GATE, w=w)
        _arrow(ax, (x, bus), (x, 0.9))
    _arrow(ax, (3.2, 1.5), (3.2, memory - 0.28), label="Γf", side=(0.3, 0))
    _node(ax, 6.0, 2.7)
    _arrow(ax, (5.0, 1.5), (5.8, 2.5), label="Γu", side=(-0.3, 0.1))
    _arrow(ax, (7.0, 1.5), (6.2, 2.5), label="c~<t>", side=(0.45, 0.1))
    _arrow(ax, (6.0, 2.98), (6.0, memory - 0.28), label="Γu * c~<t>", side=(0.75, 0), size=7.5)
    _node(ax, 9.8, 3.3, "tanh", r=0.36)
    _arrow(ax, (9.8, memory), (9.8, 3.66))
    _node(ax, 9.8, 2.35)
    _arrow(ax, (9.8, 2.94), (9.8, 2.63))
    _arrow(ax, (9.8, 1.5), (9.8, 2.07), label="Γo", side=(0.3, 0))
    _arrow(ax, (10.08, 2.35), (11.6, 2.35))
    ax.text(12.2, 2.35, "a<t>", ha="center", va="center", fontsize=9)
    ax.text(12.2, 1.75, "(to y_hat<t>\nand step t+1)", ha="center", va="center", fontsize=7)
    return fig


# ----------------------------------------------------------------------------- 08, 09: bidirectional and deep


def brnn_graph(T_x=4, tokens=None):
    """The bidirectional RNN: a→ reads x<1>, …, x<T_x> left to right, a← right to left, and
    y_hat<t> reads both, [a→<t>; a←<t>].

    tokens : T_x words shown under x<t> (e.g. the lecture's "he said teddy bears").
    """
    T_x = _count("T_x", T_x)
    if tokens is not None and len(tokens) != T_x:
        raise ValueError(f"tokens must have one word per step (T_x = {T_x}), got {len(tokens)}")
    right, left = SHARED, MEMORY  # the two directions' colours
    fig, ax = _canvas((-1.4, 2.6 * T_x + 1.6), (-0.9, 5.5), scale=0.7,
                      title="y_hat<t> = g(Wy [a→<t>; a←<t>] + by): a→ runs left to right, a← right to left")
    for t in range(1, T_x + 1):
        x = 2.6 * t - 1.2
        _box(ax, x - 0.5, 1.5, f"a→<{t}>", w=1.0, edge=right)
        _box(ax, x + 0.5, 2.9, f"a←<{t}>", w=1.0, edge=left)
        ax.text(x, 0.0, f"x<{t}>" + (f"\n{tokens[t - 1]}" if tokens is not None else ""), ha="center",
                va="center", fontsize=9)
        ax.text(x, 4.5, f"y_hat<{t}>", ha="center", va="center", fontsize=9)
        _arrow(ax, (x - 0.15, 0.3), (x - 0.45, 1.2), lw=1.0)
        _arrow(ax, (x + 0.15, 0.3), (x + 0.45, 2.6), lw=1.0)
        _arrow(ax, (x - 0.5, 1.8), (x - 0.15, 4.25), right, lw=1.0)
        _arrow(ax, (x + 0.5, 3.2), (x + 0.15, 4.25), left, lw=1.0)
        _arrow(ax, (x - 2.6 if t > 1 else -0.35, 1.5), (x - 1.0, 1.5), right, lw=1.4)
        _arrow(ax, (x + 2.6 if t < T_x else x + 1.55, 2.9), (x + 1.0, 2.9), left, lw=1.4)
    ax.text(-0.85, 1.5, "a→<0>", color=right, ha="center", va="center", fontsize=9)
    ax.text(2.6 * T_x + 0.95, 2.9, f"a←<{T_x + 1}>", color=left, ha="center", va="center", fontsize=9)
    return fig


def deep_rnn(L=3, T_x=4, highlight=(2, 3)):
    """The grid of cells a[l]<t> of a deep RNN: time to the right, layers upwards.

    highlight : (l, t) of one cell, drawn in orange with its two inputs, a[l]<t-1> (blue, its own
    layer one step earlier) and a[l-1]<t> (green, the layer below at the same step).
    """
    L, T_x = _count("L", L), _count("T_x", T_x)
    l_hi, t_hi = highlight
    if not (1 <= l_hi <= L and 1 <= t_hi <= T_x):
        raise ValueError(f"highlight must be (l, t) with 1 <= l <= L = {L} and 1 <= t <= T_x = {T_x}, got {highlight}")
    below = f"a[{l_hi - 1}]<{t_hi}>" if l_hi > 1 else f"x<{t_hi}>"
    fig, ax = _canvas((-0.9, T_x + 2.5), (-0.3, L + 1.3), scale=1.15,
                      title=f"a[{l_hi}]<{t_hi}> (orange) = g(Wa[{l_hi}] [a[{l_hi}]<{t_hi - 1}> (blue); "
                            f"{below} (green)] + ba[{l_hi}])")
    colours = {(l_hi, t_hi): "#f7c68f", (l_hi, t_hi - 1): "#a9c8ec", (l_hi - 1, t_hi): "#b5dcb0"}
    for t in range(1, T_x + 1):
        ax.text(t, 0, f"x<{t}>", ha="center", va="center", fontsize=9,
                bbox=dict(boxstyle="round", facecolor=colours.get((0, t), "none"), edgecolor="none"))
        _arrow(ax, (t, 0.15), (t, 0.72), "grey", lw=1.0)
        ax.text(t, L + 1.0, f"y_hat<{t}>", ha="center", va="center", fontsize=9)
        _arrow(ax, (t, L + 0.28), (t, L + 0.85), "grey", lw=1.0)
        for layer in range(1, L + 1):
            _box(ax, t, layer, f"a[{layer}]<{t}>", colours.get((layer, t), "white"), w=0.72, h=0.52)
            if layer < L:
                _arrow(ax, (t, layer + 0.28), (t, layer + 0.72), lw=1.0)
            if t < T_x:
                _arrow(ax, (t + 0.38, layer), (t + 0.62, layer), lw=1.0)
    for layer in range(1, L + 1):
        _arrow(ax, (0.2, layer), (0.62, layer), lw=1.0)
        ax.text(0.12, layer, f"a[{layer}]<0>", ha="right", va="center", fontsize=9,
                bbox=dict(boxstyle="round", facecolor=colours.get((layer, 0), "none"), edgecolor="none"))
        ax.text(T_x + 0.5, layer, f"layer {layer}: Wa[{layer}], ba[{layer}]", va="center", fontsize=9)
    return fig


# ----------------------------------------------------------------------------- 10: sequence to sequence


def _shown(token):
    """A token as a picture shows it: a space as ␣, an empty string as ∅."""
    return {" ": "␣", "": "∅"}.get(str(token), str(token))


def encoder_decoder(source, target, title=None):
    """The encoder–decoder unrolled on one example: ``source`` in (T_x tokens), ``target`` out (T_y tokens).

    The encoder (blue) reads x<1>, …, x<T_x> from a_enc<0> = 0 and writes nothing; its last state starts
    the decoder (orange), a_dec<0> = a_enc<T_x> (red: the one vector that carries the input), which reads
    x_dec<1> = 0, then each token it wrote (dashed: the true one in training, its own at test time).
    source, target : sequences of tokens (strings), e.g. words in and digits with <EOS> out.
    """
    source, target = [_shown(s) for s in source], [_shown(t) for t in target]
    if not source or not target:
        raise ValueError(f"source and target must each hold at least one token, got {len(source)} and {len(target)}")
    T_x, T_y, step = len(source), len(target), 1.8
    start = step * (T_x - 1) + 3.6  # the first decoder cell; the encoder's cells are at 0, step, 2 step, ...
    fig, ax = _canvas((-1.5, max(start + step * (T_y - 1) + 0.9, 9.5)), (-1.0, 4.3), scale=0.6,
                      title=title or "the encoder–decoder: one vector a_enc<T_x> carries the whole input")
    ax.text(-1.2, 1.5, "0", ha="center", va="center", fontsize=9)
    for t in range(1, T_x + 1):
        x = step * (t - 1)
        _box(ax, x, 1.5, f"a_enc<{t}>", w=1.3, size=8.5, edge=SHARED, lw=1.6)
        ax.text(x, 0.0, source[t - 1], ha="center", va="center", fontsize=9)
        ax.text(x, -0.5, f"x<{t}>", ha="center", va="center", fontsize=7.5, color="grey")
        _arrow(ax, (x, 0.25), (x, 1.2))
        _arrow(ax, (x - step + 0.65 if t > 1 else -1.0, 1.5), (x - 0.65, 1.5))
    ax.text(-0.65, 3.9, f"encoder: reads T_x = {T_x}", color=SHARED, ha="left", va="center", fontsize=8.5)
    _arrow(ax, (step * (T_x - 1) + 0.65, 1.5), (start - 0.65, 1.5), BACKWARD, lw=2.4)
    ax.text(step * (T_x - 1) / 2 + start / 2, 1.7, f"a_dec<0> =\na_enc<{T_x}>", color=BACKWARD, ha="center",
            va="bottom", fontsize=8)
    for t in range(1, T_y + 1):
        x = start + step * (t - 1)
        _box(ax, x, 1.5, f"a_dec<{t}>", w=1.3, size=8.5, edge=MEMORY, lw=1.6)
        ax.text(x, 0.0, "0" if t == 1 else target[t - 2], ha="center", va="center", fontsize=9)
        ax.text(x, -0.5, f"x_dec<{t}>", ha="center", va="center", fontsize=7.5, color="grey")
        _arrow(ax, (x, 0.25), (x, 1.2))
        _arrow(ax, (x, 1.8), (x, 2.75))
        ax.text(x, 3.0, target[t - 1], ha="center", va="center", fontsize=9)
        ax.text(x, 3.4, f"y_hat<{t}>", ha="center", va="center", fontsize=7.5, color="grey")
        if t > 1:
            _arrow(ax, (x - step + 0.65, 1.5), (x - 0.65, 1.5))
        if t < T_y:  # the token written at step t is the input of step t + 1
            _arrow(ax, (x + 0.3, 2.8), (x + step - 0.3, 0.25), "grey", lw=0.9, dashed=True)
    ax.text(start - 0.65, 3.9, f"decoder: writes T_y = {T_y}", color=MEMORY, ha="left", va="center", fontsize=8.5)
    return fig
