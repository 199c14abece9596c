"""rnnkit.diagrams: the pictures of the models hold the lecture's labels, draw cleanly, check their inputs."""

import io

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from rnnkit import diagrams  # noqa: E402


def drawn(fig):
    """Every text of ``fig`` after drawing it to a PNG (warnings are errors: a missing glyph fails)."""
    assert isinstance(fig, Figure)
    assert not plt.get_fignums()  # pyplot does not keep it: a notebook shows it once
    fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)
    return [t.get_text() for ax in fig.axes for t in [*ax.texts, ax.title] if t.get_text()]


def test_unrolled_rnn_shows_the_same_weights_at_every_step():
    texts = drawn(diagrams.unrolled_rnn(T_x=3))
    assert {"a<1>", "a<2>", "a<3>", "x<3>", "y_hat<3>", "a<0>"} <= set(texts)
    for weight in ("Waa", "Wax", "Wya"):
        assert texts.count(weight) == 3 + 1  # every step, and the folded cell
    assert "a<4>" not in texts


def test_rnn_types_has_the_five_kinds():
    titles = " ".join(drawn(diagrams.rnn_types()))
    for kind in ("one-to-one", "one-to-many", "many-to-one", "many-to-many, T_x = T_y",
                 "encoder–decoder, T_x = 3 ≠ T_y = 4"):
        assert kind in titles


def test_bptt_graph_names_the_two_paths_and_the_sums():
    texts = drawn(diagrams.bptt_graph(T_x=4, t_shown=3))
    assert "∂L/∂a<3> = ① + ②:\n① through y_hat<3>\n② through a<4>" in texts
    assert any("dWaa = Σ_t dz<t> a<t-1>ᵀ" in t for t in texts)
    assert {"L<4>", "y_hat<4>", "L = Σ_t L<t>"} <= set(texts)
    with pytest.raises(ValueError, match="t_shown"):
        diagrams.bptt_graph(T_x=3, t_shown=3)  # a<T_x> has no step after it


def test_gru_cell_simplified_and_full():
    full, simple = drawn(diagrams.gru_cell()), drawn(diagrams.gru_cell(simplified=True))
    for texts in (full, simple):
        assert "c<t> = Γu * c~<t>\n+ (1 − Γu) * c<t-1>" in texts and "Γu = σ(…)" in texts
    assert "Γr = σ(…)" in full and "Γr * c<t-1>" in full
    assert not any("Γr" in t for t in simple)


def test_lstm_cell_shows_the_memory_path():
    texts = drawn(diagrams.lstm_cell())
    assert any("∂c<t>/∂c<t-1> = Γf" in t for t in texts)
    assert {"Γf = σ(…)", "Γu = σ(…)", "Γo = σ(…)", "c~<t> = tanh(…)", "tanh", "c<t-1>", "a<t>"} <= set(texts)


def test_brnn_graph_both_directions_and_tokens():
    texts = drawn(diagrams.brnn_graph(T_x=3, tokens=["he", "said", "teddy"]))
    assert {"a→<1>", "a←<3>", "a→<0>", "a←<4>", "x<3>\nteddy"} <= set(texts)
    with pytest.raises(ValueError, match="tokens"):
        diagrams.brnn_graph(T_x=3, tokens=["he"])


def test_deep_rnn_grid_and_its_highlight():
    fig = diagrams.deep_rnn(L=2, T_x=3, highlight=(2, 3))
    texts = drawn(fig)
    assert {"a[1]<1>", "a[2]<3>", "a[2]<0>", "layer 2: Wa[2], ba[2]"} <= set(texts)
    assert fig.axes[0].get_title() == "a[2]<3> (orange) = g(Wa[2] [a[2]<2> (blue); a[1]<3> (green)] + ba[2])"
    assert "x<1> (green)" in drawn(diagrams.deep_rnn(highlight=(1, 1))).pop()  # layer 1 reads x<t>
    with pytest.raises(ValueError, match="highlight"):
        diagrams.deep_rnn(L=2, highlight=(3, 1))


def test_encoder_decoder_names_the_handed_over_state():
    texts = drawn(diagrams.encoder_decoder(["two", "thousand", "and", "seven"], [*"2007", "<EOS>"]))
    assert "a_dec<0> =\na_enc<4>" in texts  # the one vector handed over: the encoder's last state
    assert {"a_enc<1>", "a_enc<4>", "a_dec<5>", "x<4>", "x_dec<1>", "y_hat<5>", "<EOS>", "thousand"} <= set(texts)
    assert {"encoder: reads T_x = 4", "decoder: writes T_y = 5"} <= set(texts)
    assert "a_enc<5>" not in texts and "a_dec<6>" not in texts
    inputs = [texts[texts.index(f"x_dec<{t}>") - 1] for t in range(1, 6)]
    assert inputs == ["0", "2", "0", "0", "7"]  # x_dec<1> = 0, then x_dec<t> = y<t-1>
    assert "␣" in drawn(diagrams.encoder_decoder([" "], ["1"]))  # a space is drawn as a visible mark
    with pytest.raises(ValueError, match="source and target"):
        diagrams.encoder_decoder([], ["1"])


@pytest.mark.parametrize("call", [lambda: diagrams.unrolled_rnn(T_x=0), lambda: diagrams.brnn_graph(T_x=2.5),
                                  lambda: diagrams.deep_rnn(L=0), lambda: diagrams.bptt_graph(T_x=1, t_shown=1)])
def test_sizes_are_checked(call):
    with pytest.raises(ValueError, match=r"(T_x|L) must be an int >= "):
        call()
