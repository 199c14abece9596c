"""Tests of rnnkit.tbptt: streams, one chunk's loss and gradients from a carried state, the training
pass (boundaries, carry, clipping) and the held-out loss; and the grader's stand-in RecordingChunks."""

import numpy as np
import pytest

from rnnkit import SGD, Adam, gradient_check, initialize_rnn, one_hot, rnn_forward
from rnnkit.language_model import lm_loss_and_grads
from rnnkit.losses import cross_entropy
from rnnkit.standins import RecordingChunks, RecordingSGD
from rnnkit.tbptt import chunk_loss_and_grads, stream_loss, text_streams, train_tbptt

N_X, N_A = 5, 4


def params(seed=0):
    p = initialize_rnn(N_X, N_A, N_X, seed=seed)
    p["ba"] += 0.3 * np.random.default_rng(seed).standard_normal((N_A, 1))
    return p


def test_text_streams_cuts_contiguous_rows_and_drops_the_rest():
    streams = text_streams(np.arange(23), 4)
    assert streams.shape == (4, 5) and streams.dtype == np.int64
    np.testing.assert_array_equal(streams[1], [5, 6, 7, 8, 9])
    for bad, message in (([[1, 2]], "1-d"), (np.array([0.5, 1.5]), "integer")):
        with pytest.raises(ValueError, match=message):
            text_streams(bad, 1)
    with pytest.raises(ValueError, match="at least 2 indices per stream"):
        text_streams(np.arange(5), 3)
    with pytest.raises(ValueError, match="m must be a positive integer"):
        text_streams(np.arange(5), 0)


def test_chunk_from_a_carried_state_is_the_rnn_from_that_state():
    rng = np.random.default_rng(1)
    p = params()
    x_ids, y_ids = rng.integers(0, N_X, (3, 6)), rng.integers(0, N_X, (3, 6))
    a0 = 0.5 * rng.standard_normal((N_A, 3))
    L, grads, a_last = chunk_loss_and_grads(p, x_ids, y_ids, a0)
    a, y_hat, _ = rnn_forward(one_hot(x_ids, N_X), a0, p)
    assert L == pytest.approx(cross_entropy(y_hat, one_hot(y_ids, N_X)), rel=1e-12)
    np.testing.assert_allclose(a_last, a[:, :, -1], rtol=1e-12)

    def J(q):  # a0 is a constant input: the gradient is the parameters' only
        return cross_entropy(rnn_forward(one_hot(x_ids, N_X), a0, q)[1], one_hot(y_ids, N_X))

    assert gradient_check(J, p, grads).ok
    a_last[:] = 0.0  # a copy: the caller may change it
    assert chunk_loss_and_grads(p, x_ids, y_ids, a0)[2].any()


def test_a_chunk_from_a_zero_state_is_the_language_model_loss():
    rng = np.random.default_rng(2)
    p = params(3)
    ids = rng.integers(0, N_X, (2, 8))
    L, grads, _ = chunk_loss_and_grads(p, ids[:, :-1], ids[:, 1:], np.zeros((N_A, 2)))
    want_L, want = lm_loss_and_grads(p, one_hot(ids[:, :-1], N_X), one_hot(ids[:, 1:], N_X))
    assert L == pytest.approx(want_L, rel=1e-12)
    for k in want:
        np.testing.assert_allclose(grads[k], want[k], rtol=1e-10, atol=1e-12)


def test_chunk_refuses_bad_input():
    p = params()
    ok = np.zeros((2, 3), dtype=int)
    with pytest.raises(ValueError, match="a0 must have shape"):
        chunk_loss_and_grads(p, ok, ok, np.zeros((N_A, 3)))
    with pytest.raises(ValueError, match="x_ids and y_ids must both have shape"):
        chunk_loss_and_grads(p, ok, ok[:, :2], np.zeros((N_A, 2)))
    with pytest.raises(ValueError, match="missing Wya"):
        chunk_loss_and_grads({k: v for k, v in p.items() if k != "Wya"}, ok, ok, np.zeros((N_A, 2)))


@pytest.mark.parametrize(("T", "k", "lengths"), [(10, 4, [4, 4, 2]), (8, 4, [4, 4]), (3, 5, [3]), (5, 1, [1] * 5)])
def test_train_tbptt_walks_the_chunks_carries_the_state_and_clips(T, k, lengths):
    ids = np.arange(2 * (T + 1)).reshape(2, T + 1) % N_X
    chunks, opt = RecordingChunks(), RecordingSGD()
    p = {"w": np.full((N_A, N_A), 10.0), "Waa": np.zeros((N_A, N_A))}
    history = train_tbptt(p, ids, k, opt, 1.0, chunks)
    assert history == [float(i + 1) for i in range(len(lengths))]
    assert [c["x"].shape[1] for c in chunks.calls] == lengths
    starts = np.cumsum([0] + lengths[:-1])
    for s, c in zip(starts, chunks.calls):
        np.testing.assert_array_equal(c["x"], ids[:, s:s + c["x"].shape[1]])
        np.testing.assert_array_equal(c["y"], ids[:, s + 1:s + 1 + c["x"].shape[1]])  # y<t> = x<t+1>
    np.testing.assert_array_equal([c["a0"][0, 0] for c in chunks.calls], np.arange(len(lengths)))  # carried
    np.testing.assert_allclose(opt.norms, np.ones(len(lengths)))  # clipped to max_norm = 1


def test_train_tbptt_learns_and_the_callback_stops_it():
    ids = text_streams(np.tile([0, 1, 2, 3, 4, 3, 2, 1], 100), 4)  # a rhythm that needs the state
    p = params(5)
    before = stream_loss(p, ids)
    history = train_tbptt(p, ids, 10, Adam(0.05), 5.0)
    assert len(history) == 20 and stream_loss(p, ids) < 0.3 * before
    stopped = train_tbptt(p, ids, 10, SGD(1e-3), 5.0, callback=lambda update, L: update == 3)
    assert len(stopped) == 3
    with pytest.raises(ValueError, match="ids must have shape"):
        train_tbptt(p, np.arange(5), 2, SGD(0.1))
    with pytest.raises(ValueError, match="k must be a positive integer"):
        train_tbptt(p, ids, 0, SGD(0.1))


def test_stream_loss_scores_every_target_once_whatever_the_chunk_size():
    rng = np.random.default_rng(6)
    p = params(7)
    ids = rng.integers(0, N_X, (3, 12))
    x, y = one_hot(ids[:, :-1], N_X), one_hot(ids[:, 1:], N_X)
    want = cross_entropy(rnn_forward(x, np.zeros((N_A, 3)), p)[1], y) / 11  # L averaged over m, per step
    for k in (1, 4, 11, 256):
        assert stream_loss(p, ids, k) == pytest.approx(want, rel=1e-12)
    # without carrying, each chunk of 4 starts from a<0> = 0 (the last chunk has 3 steps)
    pieces = [cross_entropy(rnn_forward(x[:, :, s:s + 4], np.zeros((N_A, 3)), p)[1], y[:, :, s:s + 4]) * 3
              for s in (0, 4, 8)]
    assert stream_loss(p, ids, 4, carry=False) == pytest.approx(sum(pieces) / 33, rel=1e-12)
    assert stream_loss(p, ids, 11, carry=False) == pytest.approx(want, rel=1e-12)
    with pytest.raises(ValueError, match="ids must have shape"):
        stream_loss(p, ids[:, :1])
