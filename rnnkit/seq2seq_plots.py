"""The picture of 10_seq2seq: the encoder–decoder unrolled, in the lecture's notation.

matplotlib is imported inside the function, never when rnnkit is imported; as in rnnkit.plots, the
function returns a Figure that pyplot no longer tracks, and never calls ``plt.show()``.
"""

ENCODER, DECODER, CONTEXT = "#cfe3f5", "#f9dcc4", "tab:red"


def _token(token):
    return {" ": "␣", "": "∅"}.get(str(token), str(token))


def draw_encoder_decoder(source, target, title=None):
    """The encoder over ``source`` (T_x tokens), its last state handed to the decoder, which writes ``target``.

    source : the T_x input tokens x<1..T_x>;  target : the T_y output tokens y<1..T_y> (<EOS> included).
    Encoder cells a_enc<t> (blue) read x<t>; the decoder cells a_dec<t> (orange) start from
    a_dec<0> = a_enc<T_x> (the red arrow: the one vector that carries the input) and read
    x_dec<1> = 0, x_dec<t> = y<t-1> (dashed: the true token in training, the model's own at test time).
    Returns a Figure with one axis.
    """
    import matplotlib.pyplot as plt  # imported here: also sets up notebook display of figures
    from matplotlib.patches import FancyBboxPatch

    source, target = [_token(s) for s in source], [_token(t) for t in target]
    if not source or not target:
        raise ValueError(f"source and target must each hold at least one token, got {len(source)} and {len(target)}")
    T_x, T_y = len(source), len(target)
    gap = 1.6  # between the last encoder cell and the first decoder cell
    width = T_x + T_y + gap + 1.2
    fig = plt.figure(figsize=(min(1.05 * width + 0.6, 16), 3.6), layout="constrained")
    plt.close(fig)  # pyplot forgets it: a notebook shows it once, as the cell's value
    ax = fig.subplots()
    arrow = dict(arrowstyle="->", color="black", lw=1)

    def cell(x, label, colour):
        ax.add_patch(FancyBboxPatch((x - 0.34, 0.75), 0.68, 0.5, boxstyle="round,pad=0.02", facecolor=colour,
                                    edgecolor="black"))
        ax.text(x, 1.0, label, ha="center", va="center", fontsize=8)

    for t in range(1, T_x + 1):  # the encoder: x<t> below, a_enc<t> to the right
        cell(t, f"a_enc<{t}>", ENCODER)
        ax.annotate("", xy=(t, 0.73), xytext=(t, 0.28), arrowprops=arrow)
        ax.text(t, 0.12, source[t - 1], ha="center", va="center", fontsize=9)
        ax.text(t, -0.12, f"x<{t}>", ha="center", va="center", fontsize=7, color="grey")
        if t > 1:
            ax.annotate("", xy=(t - 0.36, 1.0), xytext=(t - 0.64, 1.0), arrowprops=arrow)
    ax.annotate("", xy=(0.64, 1.0), xytext=(0.2, 1.0), arrowprops=arrow)
    ax.text(0.15, 1.0, "0", ha="right", va="center", fontsize=8)
    start = T_x + gap + 1  # the first decoder cell
    ax.annotate("", xy=(start - 0.36, 1.0), xytext=(T_x + 0.36, 1.0),
                arrowprops=dict(arrowstyle="->", color=CONTEXT, lw=2.5))
    ax.text((T_x + start) / 2, 1.1, f"a_dec<0> = a_enc<{T_x}>", ha="center", va="bottom", fontsize=8,
            color=CONTEXT)
    for t in range(1, T_y + 1):  # the decoder: x_dec<t> below, y_hat<t> above
        x = start + t - 1
        cell(x, f"a_dec<{t}>", DECODER)
        ax.annotate("", xy=(x, 0.73), xytext=(x, 0.28), arrowprops=arrow)
        ax.text(x, 0.12, "0" if t == 1 else target[t - 2], ha="center", va="center", fontsize=9)
        ax.text(x, -0.12, f"x_dec<{t}>", ha="center", va="center", fontsize=7, color="grey")
        ax.annotate("", xy=(x, 1.72), xytext=(x, 1.27), arrowprops=arrow)
        ax.text(x, 1.86, target[t - 1], ha="center", va="center", fontsize=9)
        ax.text(x, 2.08, f"y_hat<{t}>", ha="center", va="center", fontsize=7, color="grey")
        if t > 1:
            ax.annotate("", xy=(x - 0.36, 1.0), xytext=(x - 0.64, 1.0), arrowprops=arrow)
        if t < T_y:  # y<t> becomes the next input
            ax.annotate("", xy=(x + 0.9, 0.3), xytext=(x + 0.12, 1.78),
                        arrowprops=dict(arrowstyle="->", color="grey", lw=0.8, ls="--",
                                        connectionstyle="arc3,rad=-0.25"))
    ax.text((1 + T_x) / 2, 2.38, f"encoder: reads T_x = {T_x}", ha="center", fontsize=9, color="tab:blue")
    ax.text(start + (T_y - 1) / 2, 2.38, f"decoder: writes T_y = {T_y}", ha="center", fontsize=9,
            color="tab:orange")
    ax.set_xlim(-0.2, start + T_y - 0.3)
    ax.set_ylim(-0.3, 2.6)
    ax.axis("off")
    ax.set_title(title or "the encoder–decoder: one vector a_enc<T_x> carries the whole input", fontsize=10)
    return fig
