"""Counting models of text: the baselines an RNN language model is measured against.

Taught in 04_language_model (the unigram baseline) and 05_sampling (a 5-gram as an
independent judge of samples). An n-gram model predicts a token from the n − 1 tokens
before it, by counting. With Witten–Bell smoothing every order falls back on the order
below it, down to the uniform distribution over the n_x tokens:

    P_0(c)     = 1 / n_x
    P_j(c | h) = (C(h c) + N(h) · P_(j-1)(c | h')) / (C(h) + N(h))

where h is the last j − 1 tokens, h' the last j − 2, C counts in the training text and
N(h) is the number of distinct tokens seen after h (N = 0 and C = 0 for an unseen h, which
gives P_j = P_(j-1)). For n = 1 this is a unigram model whose counts are nudged towards
uniform, so a token never seen in training still has a probability above 0.
"""

import numbers

import numpy as np

__all__ = ["NgramModel"]


def _ids(name, ids, n_x):
    arr = np.asarray(ids)
    if arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iu"):
        raise ValueError(f"{name} must be a 1-d sequence of integer indices, got shape {arr.shape}")
    if arr.size and (arr.min() < 0 or arr.max() >= n_x):
        raise ValueError(f"{name} must lie in [0, n_x) = [0, {n_x})")
    return arr.astype(np.int64)


def _history(ids, n):
    """(len(ids), n − 1): the n − 1 indices before each position, oldest first, −1 before the start."""
    H = np.full((len(ids), n - 1), -1, dtype=np.int64)
    for d in range(1, n):  # column n − 1 − d holds the index d steps back
        H[d:, n - 1 - d] = ids[: len(ids) - d]
    return H


def _codes(H, j, n_x):
    """The code of the last j columns of H (the j most recent indices) per row, −1 where one is missing."""
    if j == 0:
        return np.zeros(len(H), dtype=np.int64)
    recent = H[:, H.shape[1] - j:]
    codes = np.zeros(len(H), dtype=np.int64)
    for col in range(j):  # the oldest index is the most significant digit
        codes = codes * n_x + np.maximum(recent[:, col], 0)
    return np.where((recent >= 0).all(axis=1), codes, -1)


class NgramModel:
    """A Witten–Bell smoothed n-gram model over token indices 0 … n_x − 1.

    ``NgramModel(n, n_x).fit(ids)`` counts a 1-d sequence of indices; ``token_losses(ids)`` is
    −log P(y<t> | the n − 1 tokens before it) of every position (nats; the first positions use
    the shorter context they have); ``loss(ids)`` their mean; ``losses_after(history, tokens)``
    scores tokens after contexts given row by row.
    """

    def __init__(self, n, n_x):
        for name, v in (("n", n), ("n_x", n_x)):
            if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 1:
                raise ValueError(f"{name} must be a positive integer, got {v!r}")
        if n_x ** (n - 1) * n_x >= 2**62:
            raise ValueError(f"n = {n} is too large for n_x = {n_x}: the contexts cannot be counted")
        self.n, self.n_x = int(n), int(n_x)
        self.tables = None

    def fit(self, ids):
        """Count the j-grams of ``ids`` for j = 1 … n; returns self."""
        ids = _ids("ids", ids, self.n_x)
        if ids.size == 0:
            raise ValueError("ids must hold at least one index")
        H = _history(ids, self.n)
        self.tables = []
        for j in range(self.n):  # j = the context length
            ctx = _codes(H, j, self.n_x)
            keep = ctx >= 0
            keys = np.unique(ctx[keep] * self.n_x + ids[keep], return_counts=True)  # (h c) and C(h c)
            contexts, totals = np.unique(ctx[keep], return_counts=True)  # h and C(h)
            seen_ctx, distinct = np.unique(keys[0] // self.n_x, return_counts=True)  # h and N(h)
            self.tables.append((keys[0], keys[1], contexts, totals, seen_ctx, distinct))
        return self

    def token_losses(self, ids):
        """−log P(y<t> | context) for every position of ``ids``, shape (len(ids),), in nats."""
        ids = _ids("ids", ids, self.n_x)
        return self.losses_after(_history(ids, self.n), ids)

    def losses_after(self, history, tokens):
        """−log P(token | history) row by row, in nats.

        history : (N, n − 1) the indices before each token, oldest first, −1 where there is none
        (a shorter context);  tokens : (N,). Scores tokens in contexts of your choosing, e.g. a
        model's sample after the true text.
        """
        if self.tables is None:
            raise ValueError("the model is not fitted yet: call fit(ids) first")
        tokens = _ids("tokens", tokens, self.n_x)
        H = np.asarray(history, dtype=np.int64).reshape(len(tokens), self.n - 1)
        if H.size and (H.min() < -1 or H.max() >= self.n_x):
            raise ValueError(f"history must lie in [0, n_x) = [0, {self.n_x}) or be -1")
        p = np.full(len(tokens), 1.0 / self.n_x)  # P_0
        for j, (keys, counts, contexts, totals, seen_ctx, distinct) in enumerate(self.tables):
            ctx = _codes(H, j, self.n_x)
            C_hc = _lookup(keys, counts, np.where(ctx >= 0, ctx * self.n_x + tokens, -1))
            C_h = _lookup(contexts, totals, ctx)
            N_h = _lookup(seen_ctx, distinct, ctx)
            p = np.where(C_h > 0, (C_hc + N_h * p) / np.maximum(C_h + N_h, 1), p)
        return -np.log(p)

    def loss(self, ids):
        """The mean of token_losses(ids): nats per token."""
        return float(np.mean(self.token_losses(ids)))


def _lookup(sorted_keys, values, queries):
    """values[k] where sorted_keys[k] == query, else 0 (negative queries give 0)."""
    pos = np.clip(np.searchsorted(sorted_keys, queries), 0, max(len(sorted_keys) - 1, 0))
    if len(sorted_keys) == 0:
        return np.zeros(len(queries))
    hit = (sorted_keys[pos] == queries) & (queries >= 0)
    return np.where(hit, values[pos], 0).astype(np.float64)
