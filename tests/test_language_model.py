"""rnnkit.language_model: batches with x<1> = 0 and x<t> = y<t-1>, exact gradients, training that
lowers the loss, and log-probabilities that follow the chain rule."""

import numpy as np
import pytest

from rnnkit import Adam, Vocab, gradient_check, initialize_rnn, rnn_cell_forward, softmax
from rnnkit.language_model import (
    lm_loss_and_grads,
    make_lm_batches,
    mean_token_loss,
    sequence_log_prob,
    train_lm,
)

WORDS = ["abba", "bab", "a", "cab", "abc", "ba"]


@pytest.fixture
def vocab():
    return Vocab(list("abc"))  # a b c <EOS> <UNK>: n_x = 5


def _params(n_x, n_a, seed):
    rng = np.random.default_rng(seed)
    p = initialize_rnn(n_x, n_a, n_x, seed=seed)
    p["ba"] += 0.3 * rng.standard_normal(p["ba"].shape)  # every term active
    p["by"] += 0.3 * rng.standard_normal(p["by"].shape)
    return p


def test_batches_shift_inputs_and_end_targets_with_eos(vocab):
    (x, y, mask), = make_lm_batches(["ab", "c", "bab"], vocab, batch_size=3)
    n_x = len(vocab)
    assert x.shape == y.shape == (n_x, 3, 4) and mask.shape == (3, 4)
    assert not x[:, :, 0].any(), "x<1> must be the zero vector"
    np.testing.assert_array_equal(x[:, :, 1:], y[:, :, :-1])  # x<t> = y<t-1>
    np.testing.assert_array_equal(mask, [[1, 1, 1, 0], [1, 1, 0, 0], [1, 1, 1, 1]])
    ends = [int(mask[i].sum()) - 1 for i in range(3)]
    assert all(y[vocab.eos, i, t] == 1 for i, t in enumerate(ends))
    np.testing.assert_array_equal(y.argmax(axis=0)[0, :3], [vocab.index("a"), vocab.index("b"), vocab.eos])
    assert not y[:, 1, 2:].any() and not x[:, 1, 3:].any(), "padding must be zero columns"


def test_batches_unknown_tokens_shuffle_and_sizes(vocab):
    (x, y, mask), = make_lm_batches(["axz"], vocab, batch_size=4)
    np.testing.assert_array_equal(y.argmax(axis=0)[0], [vocab.index("a"), vocab.unk, vocab.unk, vocab.eos])
    batches = make_lm_batches(WORDS, vocab, batch_size=4, rng=np.random.default_rng(0))
    assert [b[0].shape[1] for b in batches] == [4, 2]
    assert sum(b[2].sum() for b in batches) == sum(len(w) + 1 for w in WORDS)
    again = make_lm_batches(WORDS, vocab, batch_size=4, rng=np.random.default_rng(0))
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(batches, again))
    sorted_batches = make_lm_batches(WORDS, vocab, batch_size=2, rng=np.random.default_rng(1), by_length=True)
    assert sum(b[2].sum() for b in sorted_batches) == sum(len(w) + 1 for w in WORDS)
    assert all(b[2].all(axis=1).sum() >= 1 for b in sorted_batches)


def test_batches_reject_bad_arguments(vocab):
    with pytest.raises(ValueError, match="batch_size"):
        make_lm_batches(WORDS, vocab, batch_size=0)
    with pytest.raises(ValueError, match="single str"):
        make_lm_batches("abc", vocab, batch_size=2)
    with pytest.raises(ValueError, match="<EOS>"):
        make_lm_batches(WORDS, Vocab(list("abc"), specials=False), batch_size=2)


@pytest.mark.parametrize("batch_size", [1, 4])
def test_gradient_check_of_lm_loss_and_grads(vocab, batch_size):
    params = _params(len(vocab), 4, seed=batch_size)
    (x, y, mask), *_ = make_lm_batches(WORDS, vocab, batch_size)

    def J(p):
        return lm_loss_and_grads(p, x, y, mask)[0]

    L, grads = lm_loss_and_grads(params, x, y, mask)
    assert sorted(grads) == ["dWaa", "dWax", "dWya", "dba", "dby"]
    report = gradient_check(J, params, grads)
    assert report.ok, str(report)


def test_loss_sums_over_time_and_averages_over_examples(vocab):
    params = {k: np.zeros_like(v) for k, v in _params(len(vocab), 3, 0).items()}  # uniform predictions
    (x, y, mask), = make_lm_batches(["ab", "c"], vocab, batch_size=2)
    L, _ = lm_loss_and_grads(params, x, y, mask)
    assert L == pytest.approx(np.log(5) * (3 + 2) / 2)  # 5 real tokens, m = 2
    assert mean_token_loss(params, [(x, y, mask)]) == pytest.approx(np.log(5))


def test_training_lowers_the_loss_on_a_tiny_corpus(vocab):
    params = initialize_rnn(len(vocab), 8, len(vocab), seed=0)
    batches = make_lm_batches(WORDS * 4, vocab, 8, np.random.default_rng(0))
    before = mean_token_loss(params, batches)
    history = train_lm(params, batches, 150, lr=0.02)
    assert len(history) == 150 and all(np.isfinite(history))
    assert np.mean(history[-10:]) < 0.6 * np.mean(history[:10])
    assert mean_token_loss(params, batches) < 0.6 * before


def test_train_lm_callback_stops_and_optimizer_continues(vocab):
    params = initialize_rnn(len(vocab), 4, len(vocab), seed=0)
    batches = make_lm_batches(WORDS, vocab, 3)
    opt = Adam(0.01)
    history = train_lm(params, batches, 50, optimizer=opt, callback=lambda step, L: step == 4)
    assert len(history) == 5 and opt.t == 5


def test_sequence_log_prob_is_the_sum_of_per_step_log_probs(vocab):
    params = _params(len(vocab), 4, seed=3)
    ids = [vocab.index(c) for c in "abca"] + [vocab.eos]
    a, xt, expected = np.zeros((4, 1)), np.zeros((len(vocab), 1)), 0.0
    for k in ids:  # the chain rule, one step at a time: x<1> = 0, then x<t> = y<t-1>
        a, _, _ = rnn_cell_forward(xt, a, params)
        p = softmax(params["Wya"] @ a + params["by"])
        expected += np.log(p[k, 0])
        xt = np.zeros((len(vocab), 1))
        xt[k] = 1.0
    assert sequence_log_prob(params, vocab, "abca", add_eos=True) == pytest.approx(expected, rel=1e-12)
    assert sequence_log_prob(params, vocab, list("abca")) == pytest.approx(expected - np.log(p[vocab.eos, 0]))
    assert sequence_log_prob(params, vocab, "") == 0.0


def test_probabilities_of_all_one_token_sequences_sum_to_one(vocab):
    params = _params(len(vocab), 4, seed=5)
    total = sum(np.exp(sequence_log_prob(params, vocab, [tok])) for tok in vocab.tokens)
    assert total == pytest.approx(1.0)
    # and of every continuation of "a" to P("a")
    cont = sum(np.exp(sequence_log_prob(params, vocab, ["a", tok])) for tok in vocab.tokens)
    assert cont == pytest.approx(np.exp(sequence_log_prob(params, vocab, ["a"])))
