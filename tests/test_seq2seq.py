"""The encoder–decoder (rnnkit.seq2seq) against its layers run by hand, numerical gradients, and its data."""

import numpy as np
import pytest
from checks import expect_error

from rnnkit import Vocab, cross_entropy, gru_forward, one_hot, rnn_forward
from rnnkit.gradcheck import numerical_gradients
from rnnkit.number_words import (
    WORDS,
    digits_to_words,
    make_digit_strings,
    make_numbers,
    number_to_words,
)
from rnnkit.seq2seq import (
    Seq2SeqCache,
    decoder_inputs,
    exact_match,
    final_states,
    greedy_decode,
    initialize_seq2seq,
    make_seq2seq_batch,
    seq2seq_backward,
    seq2seq_forward,
    seq2seq_loss_and_gradients,
)

CELLS = ["gru", "rnn"]
LAYER = {"gru": gru_forward, "rnn": rnn_forward}


def make(cell, n_x=4, n_a=3, n_y=5, m=3, T_x=4, T_y=3, seed=0):
    """Random parameters (biases non-zero), one-hot x and y, and lengths with padding in some examples."""
    rng = np.random.default_rng(seed)
    p = initialize_seq2seq(n_x, n_a, n_y, seed=seed, cell=cell)
    for part in ("encoder", "decoder"):
        p[part] = {k: v + 0.3 * rng.standard_normal(v.shape) for k, v in p[part].items()}
    p["by"] = 0.3 * rng.standard_normal((n_y, 1))
    lengths = rng.integers(1, T_x + 1, size=m)
    lengths[0] = T_x
    x = one_hot(np.where(np.arange(T_x) < lengths[:, None], rng.integers(0, n_x, (m, T_x)), -1), n_x)
    y = one_hot(rng.integers(0, n_y, (m, T_y)), n_y)
    return p, x, lengths, y


@pytest.mark.parametrize("cell", CELLS)
def test_forward_is_the_two_layers_run_by_hand(cell):
    """y_hat: the decoder's layer over x_dec<t> = y<t-1>, from the encoder's state at each example's last step."""
    p, x, lengths, y = make(cell)
    y_hat, cache = seq2seq_forward(x, lengths, y, p, cell)
    n_a, m = p["Wy"].shape[1], x.shape[1]
    a_enc = LAYER[cell](x, np.zeros((n_a, m)), p["encoder"])[0]
    context = np.stack([a_enc[:, i, lengths[i] - 1] for i in range(m)], axis=1)
    x_dec = np.concatenate([np.zeros_like(y[:, :, :1]), y[:, :, :-1]], axis=2)
    a_dec = LAYER[cell](x_dec, context, p["decoder"])[0]
    z = np.einsum("ya,amt->ymt", p["Wy"], a_dec) + p["by"][:, :, None]
    oracle = np.exp(z) / np.exp(z).sum(axis=0)
    np.testing.assert_allclose(y_hat, oracle, rtol=1e-12, atol=1e-14, err_msg="y_hat (ours vs by hand)")
    assert isinstance(cache, Seq2SeqCache) and len(cache.encoder_caches) == x.shape[2]


def test_padding_after_the_last_step_changes_nothing():
    """Example i's outputs depend only on its first lengths[i] inputs; a later target never changes y_hat<t>."""
    p, x, lengths, y = make("gru", m=3, T_x=5, T_y=4, seed=3)
    lengths[1] = 2
    y_hat = seq2seq_forward(x, lengths, y, p)[0]
    noisy = x.copy()
    noisy[:, 1, 2:] = 1.0  # whatever sits in the padding
    np.testing.assert_allclose(seq2seq_forward(noisy, lengths, y, p)[0], y_hat, rtol=0, atol=0)
    later = y.copy()
    later[:, :, -1] = np.roll(later[:, :, -1], 1, axis=0)  # change y<T_y>
    np.testing.assert_allclose(seq2seq_forward(x, lengths, later, p)[0], y_hat, rtol=0, atol=0)


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("masked", [False, True])
def test_gradients_match_centred_differences(cell, masked):
    """Every gradient of L = cross_entropy(y_hat, y, mask), the encoder's included, against centred differences."""
    p, x, lengths, y = make(cell, n_x=3, n_a=4, n_y=3, m=3, T_x=4, T_y=3, seed=7)
    mask = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0]], dtype=float) if masked else None
    L, grads = seq2seq_loss_and_gradients(p, x, lengths, y, mask, cell)
    numeric = numerical_gradients(lambda q: cross_entropy(seq2seq_forward(x, lengths, y, q, cell)[0], y, mask), p)
    assert L == pytest.approx(cross_entropy(seq2seq_forward(x, lengths, y, p, cell)[0], y, mask))
    for part in ("encoder", "decoder"):
        assert grads[part].keys() == numeric[part].keys()
        for k, g in grads[part].items():
            np.testing.assert_allclose(g, numeric[part][k], rtol=1e-5, atol=1e-8, err_msg=f"{part} {k}")
            assert np.abs(g).max() > 1e-6, f"{part} {k} is zero: the gradient did not arrive"
    for k in ("dWy", "dby"):
        np.testing.assert_allclose(grads[k], numeric[k], rtol=1e-5, atol=1e-8, err_msg=k)


def test_backward_sends_the_encoder_gradient_to_each_examples_last_step():
    """Example i's encoder gradient is that of a loss on example i alone, so padding gets none."""
    p, x, lengths, y = make("gru", m=2, T_x=4, T_y=2, seed=11)
    lengths[:] = [4, 2]
    grads = seq2seq_loss_and_gradients(p, x, lengths, y)[1]
    alone = [seq2seq_loss_and_gradients(p, x[:, i:i + 1, :lengths[i]], lengths[i:i + 1], y[:, i:i + 1])[1]
             for i in range(2)]
    for k, g in grads["encoder"].items():  # the batch loss is the mean of the examples' losses
        np.testing.assert_allclose(g, (alone[0]["encoder"][k] + alone[1]["encoder"][k]) / 2, rtol=1e-10, atol=1e-13)


def test_final_states_and_decoder_inputs():
    a = np.arange(2 * 3 * 4, dtype=float).reshape(2, 3, 4)
    np.testing.assert_array_equal(final_states(a, np.array([4, 1, 2])), a[:, [0, 1, 2], [3, 0, 1]])
    np.testing.assert_array_equal(final_states(a), a[:, :, -1])
    y = one_hot(np.array([[2, 0, 1]]), 3)
    x_dec = decoder_inputs(y)
    np.testing.assert_array_equal(x_dec[:, 0, 0], [0, 0, 0])  # x_dec<1> = 0
    np.testing.assert_array_equal(x_dec[:, :, 1:], y[:, :, :-1])  # x_dec<t> = y<t-1>


@pytest.mark.parametrize("cell", CELLS)
def test_greedy_decode_feeds_back_its_own_tokens(cell):
    """Run with its own tokens as targets, the teacher-forced forward's argmax gives those tokens back."""
    n_y, eos = 4, 3
    p, x, lengths, _ = make(cell, n_y=n_y, m=6, seed=5)
    p["Wy"] *= 4.0  # confident outputs: several tokens, not a constant
    out = greedy_decode(p, x, lengths, eos, max_len=6, cell=cell)
    assert len(out) == 6 and all(eos not in o and len(o) <= 6 for o in out)
    for i, tokens in enumerate(out):
        written = tokens + [eos] if len(tokens) < 6 else tokens
        y = one_hot(np.array([written]), n_y)
        y_hat = seq2seq_forward(x[:, i:i + 1, :lengths[i]], lengths[i:i + 1], y, p, cell)[0]
        assert y_hat[:, 0].argmax(axis=0).tolist() == written


def test_exact_match_counts_whole_sequences():
    assert exact_match([[1, 2], [3], [4, 5]], [[1, 2], [3, 0], [4, 5]]) == pytest.approx(2 / 3)
    assert exact_match(["2007"], ["200"]) == 0.0  # a prefix is not a match
    expect_error(lambda: exact_match([[1]], [[1], [2]]), "predicted", "targets")


def test_batch_of_numbers():
    words, digits = Vocab(WORDS, level="word"), Vocab(list("0123456789"))
    numbers = [7, 2007, 342607]
    x, lengths, y, mask = make_seq2seq_batch([number_to_words(n) for n in numbers], [str(n) for n in numbers],
                                             words, digits)
    assert x.shape == (len(words), 3, 10) and y.shape == (len(digits), 3, 7)
    assert lengths.tolist() == [1, 4, 10] and mask.sum(axis=1).tolist() == [2, 5, 7]
    assert words.decode(x[:, 1, :4].argmax(axis=0)) == "two thousand and seven"
    assert y[digits.eos, 0, 1] == 1  # "7" then <EOS>


@pytest.mark.parametrize(("n", "words"), [
    (0, "zero"), (13, "thirteen"), (40, "forty"), (42, "forty two"), (100, "one hundred"),
    (107, "one hundred and seven"), (1000, "one thousand"), (2007, "two thousand and seven"),
    (12_345, "twelve thousand three hundred and forty five"), (100_001, "one hundred thousand and one"),
    (342_607, "three hundred and forty two thousand six hundred and seven")])
def test_number_to_words(n, words):
    assert " ".join(number_to_words(n)) == words


def test_every_number_has_its_own_words():
    """No two numbers up to 999 999 share their words, so the digits can be read back from them."""
    seen = {" ".join(number_to_words(n)) for n in range(0, 1_000_000, 7)}
    assert len(seen) == len(range(0, 1_000_000, 7))
    assert {w for n in range(0, 1_000_000, 997) for w in number_to_words(n)} <= set(WORDS)


def test_generators_are_seeded_and_spread_over_lengths():
    assert make_numbers(50, seed=1) == make_numbers(50, seed=1) != make_numbers(50, seed=2)
    sizes = [len(str(n)) for n in make_numbers(600, seed=0)]
    assert set(sizes) == {1, 2, 3, 4, 5, 6} and min(sizes.count(d) for d in range(1, 7)) > 60
    strings = make_digit_strings(300, seed=0, max_length=8)
    assert {len(s) for s in strings} == set(range(1, 9)) and all(s.isdigit() for s in strings)
    assert digits_to_words("407") == ["four", "zero", "seven"]


def test_bad_input_names_the_argument_and_its_shape():
    p, x, lengths, y = make("gru")
    expect_error(lambda: seq2seq_forward(x[:, :, 0], lengths, y, p), "x", "(n_x, m, T_x)")
    expect_error(lambda: seq2seq_forward(x, lengths, y[:-1], p), "y", "(n_y, m, T_y)")
    expect_error(lambda: seq2seq_forward(x, lengths + 10, y, p), "lengths")
    expect_error(lambda: seq2seq_forward(x, lengths, y, {**p, "decoder": p["encoder"]}),
                 "parameters['decoder']", "n_y")
    expect_error(lambda: seq2seq_forward(x, lengths, y, p, cell="lstm"), "cell", "gru")
    expect_error(lambda: seq2seq_backward(np.zeros((5, 3, 3)), "cache"), "Seq2SeqCache")
    expect_error(lambda: greedy_decode(p, x, lengths, eos=9, max_len=3), "eos", "n_y")
    expect_error(lambda: final_states(np.zeros((2, 3)), None), "a", "(n_a, m, T_x)")
    expect_error(lambda: number_to_words(1_000_000), "n", "999999")
    expect_error(lambda: digits_to_words("4a"), "digits")
    expect_error(lambda: make_numbers(5, seed=0, max_digits=7), "max_digits")
