"""Tests of rnnkit.ngram: Witten–Bell n-gram models are distributions, match the formula, back off
to shorter contexts, and refuse bad input."""

import numpy as np
import pytest

from rnnkit.ngram import NgramModel

TEXT = np.array([0, 1, 2, 0, 1, 3, 0, 1, 2, 2, 0, 1])  # n_x = 5: the index 4 is never seen


def probabilities(model, context):
    """P(c | context) for every c, from token_losses of context + [c]."""
    return np.array([np.exp(-model.token_losses(np.array([*context, c]))[-1]) for c in range(model.n_x)])


@pytest.mark.parametrize("n", [1, 2, 3, 4])
@pytest.mark.parametrize("context", [[], [0], [2, 2], [4, 4, 4], [1, 0, 3]])
def test_every_context_gives_a_distribution(n, context):
    p = probabilities(NgramModel(n, 5).fit(TEXT), context)
    assert np.all(p > 0) and p.sum() == pytest.approx(1.0, abs=1e-12)


def test_unigram_is_the_counts_nudged_towards_uniform():
    counts = np.bincount(TEXT, minlength=5)  # C(c); N = 12 tokens, 4 distinct
    want = (counts + 4 / 5) / (12 + 4)
    np.testing.assert_allclose(probabilities(NgramModel(1, 5).fit(TEXT), []), want, rtol=1e-12)
    assert NgramModel(1, 5).fit(TEXT).loss(TEXT) == pytest.approx(-np.mean(np.log(want[TEXT])), rel=1e-12)


def test_bigram_uses_its_context_and_backs_off_when_it_is_unseen():
    m2, m1 = NgramModel(2, 5).fit(TEXT), NgramModel(1, 5).fit(TEXT)
    after0 = probabilities(m2, [0])  # 0 is always followed by 1: C(0 1) = 4, C(0) = 4, N(0) = 1
    assert after0[1] == pytest.approx((4 + 1 * probabilities(m1, [])[1]) / (4 + 1), rel=1e-12)
    np.testing.assert_allclose(probabilities(m2, [4]), probabilities(m1, []), rtol=1e-12)  # 4 never seen
    assert m2.loss(TEXT) < m1.loss(TEXT)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="n must be a positive integer"):
        NgramModel(0, 5)
    with pytest.raises(ValueError, match="too large"):
        NgramModel(12, 80)
    with pytest.raises(ValueError, match="not fitted"):
        NgramModel(1, 5).loss(TEXT)
    with pytest.raises(ValueError, match=r"\[0, n_x\) = \[0, 3\)"):
        NgramModel(1, 3).fit(TEXT)
    with pytest.raises(ValueError, match="1-d sequence of integer"):
        NgramModel(1, 5).fit(TEXT.reshape(3, 4))
    with pytest.raises(ValueError, match="at least one index"):
        NgramModel(1, 5).fit(np.array([], dtype=int))


def test_losses_after_scores_tokens_in_given_contexts():
    m3 = NgramModel(3, 5).fit(TEXT)
    history = np.array([[-1, -1], [-1, 0], [0, 1], [1, 2]])  # the contexts of TEXT[:4] position by position
    np.testing.assert_allclose(m3.losses_after(history, TEXT[:4]), m3.token_losses(TEXT)[:4], rtol=1e-12)
    # another token after the true context: 3 after "0 1" (seen once) is likelier than 4 (never seen)
    assert m3.losses_after([[0, 1]], [3])[0] < m3.losses_after([[0, 1]], [4])[0]
    with pytest.raises(ValueError, match=r"history must lie in \[0, n_x\)"):
        m3.losses_after([[0, 7]], [1])
