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


def _context_codes(ids, j, n_x):
    """code of the j tokens before each position t (the context of y<t>), −1 where t < j."""
    codes = np.full(len(ids), -1, dtype=np.int64)
    if j == 0:
        codes[:] = 0
        return codes
    if len(ids) <= j:
        return codes
    c = np.zeros(len(ids) - j, dtype=np.int64)
    for d in range(j, 0, -1):  # the oldest token is the most significant digit
        c = c * n_x + ids[j - d: len(ids) - d]
    codes[j:] = c
    return codes


class NgramModel:
    """A Witten–Bell smoothed n-gram model over token indices 0 … n_x − 1.

    ``NgramModel(n, n_x).fit(ids)`` counts a 1-d sequence of indices; ``token_losses(ids)`` is
    −log P(y<t> | the n − 1 tokens before it) of every position (nats; the first positions use
    the shorter context they have); ``loss(ids)`` their mean.
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
        self.tables = []
        for j in range(self.n):  # j = the context length
            ctx = _context_codes(ids, j, self.n_x)
            keep = ctx >= 0
            keys = np.unique(ctx[keep] * self.n_x + ids[keep], return_counts=True)  # (h c) and C(h c)
            contexts, totals = np.unique(ctx[keep], return_counts=True)  # h and C(h)
            seen_ctx, distinct = np.unique(keys[0] // self.n_x, return_counts=True)  # h and N(h)
            self.tables.append((keys[0], keys[1], contexts, totals, seen_ctx, distinct))
        return self

    def token_losses(self, ids):
        """−log P(y<t> | context) for every position of ``ids``, shape (len(ids),), in nats."""
        if self.tables is None:
            raise ValueError("the model is not fitted yet: call fit(ids) first")
        ids = _ids("ids", ids, self.n_x)
        p = np.full(len(ids), 1.0 / self.n_x)  # P_0
        for j, (keys, counts, contexts, totals, seen_ctx, distinct) in enumerate(self.tables):
            ctx = _context_codes(ids, j, self.n_x)
            C_hc = _lookup(keys, counts, ctx * self.n_x + ids)
            C_h = _lookup(contexts, totals, ctx)
            N_h = _lookup(seen_ctx, distinct, ctx)
            known = (ctx >= 0) & (C_h > 0)
            p = np.where(known, (C_hc + N_h * p) / np.maximum(C_h + N_h, 1), p)
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
