"""Tests of rnnkit.sampling: reproducibility, temperature, top-k, <EOS>, the distribution of draws, errors."""

import numpy as np
import pytest

from rnnkit.sampling import (
    next_token_distribution,
    next_token_logits,
    sample_sequence,
    softmax_with_temperature,
    top_k_logits,
)
from rnnkit.vocab import Vocab

N_A = 6
VOCAB = Vocab(list("abcd"))  # a b c d <EOS> <UNK>: n_x = n_y = 6
N = len(VOCAB)


def model(seed=0, scale=1.0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    p = {"Waa": rng.normal(0, 0.5, (N_A, N_A)), "Wax": rng.normal(0, 1.0, (N_A, N)),
         "ba": rng.normal(0, 0.3, (N_A, 1)), "Wya": rng.normal(0, scale, (N, N_A)), "by": rng.normal(0, 0.5, (N, 1))}
    return {k: v.astype(dtype) for k, v in p.items()}


def counter_model():
    """x<1> = 0 -> 'a' -> 'b' -> 'c' -> <EOS>, almost surely (large weights, Waa = 0)."""
    n_a = 4  # unit j fires on input char j (a, b, c); unit 3 fires on the zero input (the start)
    Wax, ba = np.zeros((n_a, N)), np.array([[-5.0], [-5.0], [-5.0], [5.0]])
    for j in range(3):
        Wax[j, j], Wax[3, j] = 10.0, -10.0
    Wya = np.zeros((N, n_a))
    Wya[0, 3] = Wya[1, 0] = Wya[2, 1] = Wya[4, 2] = 10.0  # start->a, a->b, b->c, c-><EOS>
    return {"Waa": np.zeros((n_a, n_a)), "Wax": Wax, "ba": ba, "Wya": Wya, "by": np.zeros((N, 1))}


def oracle_logits(p, prefix):
    """Step by step with plain numpy: a<0> = 0, x<1> = 0, then the prefix one-hot."""
    a, x = np.zeros(N_A), np.zeros(N)
    for t in range(len(prefix) + 1):
        if t > 0:
            x = np.eye(N)[prefix[t - 1]]
        a = np.tanh(p["Waa"] @ a + p["Wax"] @ x + p["ba"][:, 0])
    return p["Wya"] @ a + p["by"][:, 0]


def test_same_generator_state_gives_the_same_sample():
    p = model()
    first = [sample_sequence(p, VOCAB, np.random.default_rng(7), max_length=30) for _ in range(2)]
    assert first[0] == first[1]
    rng = np.random.default_rng(7)
    a, b = sample_sequence(p, VOCAB, rng), sample_sequence(p, VOCAB, rng)  # the Generator moves on
    assert a == first[0]
    many = {tuple(sample_sequence(p, VOCAB, rng)) for _ in range(20)}
    assert len(many) > 5, "samples from one Generator must differ (no re-seeding inside)"
    assert all(isinstance(i, int) for i in a + b)


def test_one_choice_per_step_from_the_generator():
    """Each step is exactly rng.choice(n_y, p=probs) with the softmax of the logits so far."""
    p = model(1)
    rng, replay = np.random.default_rng(3), np.random.default_rng(3)
    got = sample_sequence(p, VOCAB, rng, temperature=0.8, top_k=4, max_length=12)
    want = []
    while len(want) < 12:
        probs = next_token_distribution(p, want, temperature=0.8, top_k=4)
        want.append(int(replay.choice(N, p=probs)))
        if want[-1] == VOCAB.eos:
            break
    assert got == want
    assert rng.random() == replay.random()  # both Generators were moved by the same amount


def test_logits_start_from_zero_input_and_state():
    p = model(2)
    for prefix in ([], [0], [3, 1, 2, 2]):
        np.testing.assert_allclose(next_token_logits(p, prefix), oracle_logits(p, prefix), rtol=1e-12, atol=1e-14)


def test_samples_feed_back_and_stop_at_eos():
    p = counter_model()
    for seed in range(5):
        out = sample_sequence(p, VOCAB, np.random.default_rng(seed), max_length=50)
        assert out == [0, 1, 2, VOCAB.eos]  # 'abc' then <EOS>, included
        assert VOCAB.decode(out[:-1]) == "abc"
    assert sample_sequence(p, VOCAB, np.random.default_rng(0), max_length=2) == [0, 1]  # cut, no <EOS>


def test_max_length_and_eos_on_a_random_model():
    p = model(3)
    rng = np.random.default_rng(0)
    for _ in range(50):
        out = sample_sequence(p, VOCAB, rng, max_length=8)
        assert 1 <= len(out) <= 8
        assert VOCAB.eos not in out[:-1]


def test_temperature_to_zero_approaches_argmax():
    p = model(4, scale=2.0)
    z = next_token_logits(p, [])
    probs = next_token_distribution(p, [], temperature=1e-3)
    assert probs.argmax() == z.argmax() and probs.max() > 1 - 1e-9
    greedy = []
    while len(greedy) < 10:
        greedy.append(int(np.argmax(next_token_logits(p, greedy))))
        if greedy[-1] == VOCAB.eos:
            break
    for seed in range(3):
        assert sample_sequence(p, VOCAB, np.random.default_rng(seed), temperature=1e-4, max_length=10) == greedy
        assert sample_sequence(p, VOCAB, np.random.default_rng(seed), top_k=1, max_length=10) == greedy


def test_temperature_divides_logits_before_softmax():
    z = np.array([2.0, 1.0, 0.0, -1.0])
    for T in (0.5, 1.0, 2.0, 7.0):
        e = np.exp(z / T)
        np.testing.assert_allclose(softmax_with_temperature(z, T), e / e.sum(), rtol=1e-12)
    p1 = softmax_with_temperature(z, 1.0)
    np.testing.assert_allclose(softmax_with_temperature(z, 0.5), p1**2 / (p1**2).sum(), rtol=1e-12)
    assert softmax_with_temperature(z, 100.0).max() - softmax_with_temperature(z, 100.0).min() < 0.05  # ~uniform
    cols = softmax_with_temperature(np.stack([z, -z], axis=1), 2.0)  # (n_y, m)
    np.testing.assert_allclose(cols.sum(axis=0), [1.0, 1.0])


def test_top_k_keeps_the_k_largest_and_renormalises():
    z = np.array([0.5, 3.0, -1.0, 2.0, 1.0])
    kept = top_k_logits(z, 2)
    assert np.isneginf(kept[[0, 2, 4]]).all() and kept[1] == 3.0 and kept[3] == 2.0
    probs = softmax_with_temperature(kept)
    np.testing.assert_allclose(probs[[1, 3]], np.exp([3.0, 2.0]) / np.exp([3.0, 2.0]).sum())
    np.testing.assert_array_equal(top_k_logits(z, None), z)
    np.testing.assert_array_equal(top_k_logits(z, 5), z)
    p = model(5)
    for _ in range(3):
        rng = np.random.default_rng(11)
        allowed = set(np.argsort(next_token_logits(p, []))[-2:].tolist())
        firsts = {sample_sequence(p, VOCAB, rng, top_k=2, max_length=1)[0] for _ in range(200)}
        assert firsts == allowed


def chi_square(draws, probs):
    """Pearson's statistic over the tokens expected more than 5 times, and the count of the others."""
    counts = np.bincount(draws, minlength=probs.size)
    expected = probs * len(draws)
    big = expected > 5
    return (((counts - expected) ** 2)[big] / expected[big]).sum(), counts[~big].sum(), expected[~big].sum()


@pytest.mark.parametrize(("temperature", "top_k"), [(1.0, None), (0.6, None), (1.8, None), (1.0, 3)])
def test_draws_follow_the_softmax(temperature, top_k):
    """Chi-square of 3000 samples: y<1> against y_hat<1>, and y<2> given the most common y<1>."""
    p = model(6)
    rng = np.random.default_rng(42)
    samples = [sample_sequence(p, VOCAB, rng, temperature, top_k, max_length=2) for _ in range(3000)]
    firsts = [s[0] for s in samples]
    first_probs = next_token_distribution(p, [], temperature, top_k)
    f = int(np.argmax(first_probs))
    seconds = [s[1] for s in samples if s[0] == f and len(s) == 2]
    for draws, probs in ((firsts, first_probs), (seconds, next_token_distribution(p, [f], temperature, top_k))):
        chi2, rare, rare_expected = chi_square(draws, probs)
        # at most 5 degrees of freedom: P(chi2 > 25) < 2e-4 when the draws follow probs
        assert chi2 < 25, (np.bincount(draws, minlength=N), probs * len(draws))
        assert rare <= max(15, 3 * rare_expected)
        if top_k is not None:
            assert set(draws) <= set(np.flatnonzero(probs).tolist())


def test_float32_parameters_are_accepted():
    p32 = model(8, dtype=np.float32)
    out = sample_sequence(p32, VOCAB, np.random.default_rng(0), max_length=20)
    assert all(0 <= i < N for i in out)
    assert next_token_distribution(p32, [1]).dtype == np.float64


def test_errors():
    p = model()
    rng = np.random.default_rng(0)
    for bad in (0, -1.0, float("nan"), float("inf"), True, "1"):
        with pytest.raises(ValueError, match="temperature"):
            sample_sequence(p, VOCAB, rng, temperature=bad)
        with pytest.raises(ValueError, match="temperature"):
            softmax_with_temperature(np.zeros(3), bad)
    for bad in (0, N + 1, 2.0, True, -1):
        with pytest.raises(ValueError, match="top_k"):
            sample_sequence(p, VOCAB, rng, top_k=bad)
    for bad in (0, 1.5, None, True):
        with pytest.raises(ValueError, match="max_length"):
            sample_sequence(p, VOCAB, rng, max_length=bad)
    for bad in (0, 42, None, np.random.RandomState(0)):
        with pytest.raises(ValueError, match="numpy.random.Generator"):
            sample_sequence(p, VOCAB, bad)
    with pytest.raises(ValueError, match="Vocab"):
        sample_sequence(p, ["a", "b"], rng)
    with pytest.raises(ValueError, match="<EOS>"):
        sample_sequence(p, Vocab(list("abcdef"), specials=False), rng)
    with pytest.raises(ValueError, match="n_y"):
        sample_sequence(p, Vocab(list("abc")), rng)
    with pytest.raises(ValueError, match="Wya"):
        sample_sequence({k: v for k, v in p.items() if k != "Wya"}, VOCAB, rng)
    with pytest.raises(ValueError, match="n_x"):
        sample_sequence({**p, "Wax": np.zeros((N_A, N + 1))}, VOCAB, rng)
    with pytest.raises(ValueError, match="prefix_indices"):
        next_token_logits(p, [N])
    with pytest.raises(ValueError, match=r"\(n_y,\)"):
        top_k_logits(np.zeros((2, 3)), 1)


def test_continue_text_reads_the_prefix_from_a_zero_state_and_feeds_back_its_draws():
    from rnnkit.sampling import continue_text

    p = model(3)
    text = continue_text(p, VOCAB, np.random.default_rng(5), "ab", 40)
    assert text == continue_text(p, VOCAB, np.random.default_rng(5), "ab", 40)
    # the same draws by hand: a<0> = 0, x<1> = 'a', x<2> = 'b', then every draw fed back
    rng, a, drawn = np.random.default_rng(5), np.zeros((N_A, 1)), []
    inputs = [0, 1]
    for t in range(41):
        x = np.eye(N)[:, [inputs[t]]]
        a = np.tanh(p["Waa"] @ a + p["Wax"] @ x + p["ba"])
        if t >= 1:
            z = (p["Wya"] @ a + p["by"])[:, 0]
            q = np.exp(z - z.max())
            drawn.append(int(rng.choice(N, p=q / q.sum())))
            inputs.append(drawn[-1])
    assert text == VOCAB.decode(drawn[:40])
    for bad, message in (({"prefix": ""}, "prefix must be a non-empty str"), ({"length": -1}, "length must be"),
                         ({"vocab": Vocab(list("ab"))}, "vocab must be the rnnkit Vocab")):
        kwargs = {"vocab": VOCAB, "prefix": "ab", "length": 3} | bad
        with pytest.raises(ValueError, match=message):
            continue_text(p, kwargs["vocab"], np.random.default_rng(0), kwargs["prefix"], kwargs["length"])
