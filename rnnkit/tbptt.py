"""Truncated backpropagation through time: a long text in chunks of k steps, the state carried.

Taught in 04_language_model (and used by 05_sampling to train on Shakespeare). A text of N
characters is one very long sequence; BPTT through all of it would keep N steps of caches and
make one update per pass. Instead the text is cut into m contiguous streams (one per example
of the batch) and each stream into chunks of k steps:

    ids (m, T + 1):  stream i is ids[i]; at step t its input is ids[i, t] and its target ids[i, t+1]
    chunk s:         x<1..k> = ids[:, s : s+k],  y<1..k> = ids[:, s+1 : s+k+1]
    a<0> of chunk s  = a<k> of chunk s − k  (the state is carried; a<0> = 0 for the first chunk)

Inside a chunk the forward pass and BPTT are the ones of 02 and 03; the gradient that
reaches a<0> (da0) is dropped, so no gradient flows into the previous chunk: a<0> is a
constant input. One update per chunk, the cost of an update grows with k, not with N, and
the model can still *carry* information further than k steps (it cannot *learn* to through
the gradient). In continuous text there is no start token: the first character of a stream
is only an input.
"""

import numbers

import numpy as np

from .language_model import PARAMETER_KEYS
from .losses import cross_entropy, cross_entropy_grad, cross_entropy_steps
from .optim import clip_by_norm
from .output import output_backward, output_forward
from .rnn import rnn_backward, rnn_forward
from .vocab import one_hot

__all__ = ["chunk_loss_and_grads", "stream_loss", "text_streams", "train_tbptt"]


def _positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def text_streams(ids, m):
    """The indices of a text as m contiguous streams: (m, L) with L = len(ids) // m.

    Stream i is ids[i·L : (i+1)·L]; the last len(ids) − m·L indices are dropped.
    """
    ids = np.asarray(ids)
    m = _positive_int("m", m)
    if ids.ndim != 1 or ids.dtype.kind not in "iu":
        raise ValueError(f"ids must be a 1-d array of integer indices, got shape {ids.shape} and dtype {ids.dtype}")
    L = len(ids) // m
    if L < 2:
        raise ValueError(f"ids must hold at least 2 indices per stream, got {len(ids)} for m = {m}")
    return ids[: m * L].reshape(m, L).astype(np.int64)


def _check_chunk(parameters, x_ids, y_ids, a0):
    missing = [k for k in PARAMETER_KEYS if k not in parameters]
    if missing:
        raise ValueError(f"parameters must hold {', '.join(PARAMETER_KEYS)}; missing {', '.join(missing)}")
    x_ids, y_ids = np.asarray(x_ids), np.asarray(y_ids)
    if x_ids.ndim != 2 or x_ids.shape != y_ids.shape:
        raise ValueError(f"x_ids and y_ids must both have shape (m, k), got {x_ids.shape} and {y_ids.shape}")
    n_a, m = parameters["Waa"].shape[0], x_ids.shape[0]
    if np.shape(a0) != (n_a, m):
        raise ValueError(f"a0 must have shape (n_a, m) = ({n_a}, {m}), got {np.shape(a0)}")
    return x_ids, y_ids


def chunk_loss_and_grads(parameters, x_ids, y_ids, a0):
    """Forward from the carried a<0>, the loss L = Σ_t L<t> (averaged over m) and BPTT inside the chunk.

    parameters : Waa (n_a, n_a), Wax (n_a, n_x), ba (n_a, 1), Wya (n_x, n_a), by (n_x, 1)
    x_ids, y_ids : (m, k) input and target indices;  a0 : (n_a, m), the state the chunk starts from.
    Returns (L, {dWaa, dWax, dba, dWya, dby}, a<k> (n_a, m)). The gradient on a0 is dropped:
    the previous chunk gets none.
    """
    x_ids, y_ids = _check_chunk(parameters, x_ids, y_ids, a0)
    n_x = parameters["Wax"].shape[1]
    x, y = one_hot(x_ids, n_x), one_hot(y_ids, n_x)  # (n_x, m, k) each
    hidden = {k: parameters[k] for k in ("Waa", "Wax", "ba")}
    a, _, caches = rnn_forward(x, a0, hidden)  # a (n_a, m, k)
    y_hat = output_forward(a, parameters["Wya"], parameters["by"])  # (n_x, m, k)
    L = cross_entropy(y_hat, y)
    dWya, dby, da = output_backward(cross_entropy_grad(y_hat, y), a, parameters["Wya"])
    g = rnn_backward(da, caches)  # g["da0"] is not passed on: the truncation
    grads = {"dWaa": g["dWaa"], "dWax": g["dWax"], "dba": g["dba"], "dWya": dWya, "dby": dby}
    return L, grads, a[:, :, -1].copy()


def train_tbptt(parameters, ids, k, optimizer, max_norm=5.0, chunk_loss_and_grads=chunk_loss_and_grads,
                callback=None):
    """One pass of truncated BPTT over the streams ``ids`` (m, T + 1); parameters updated in place.

    For s = 0, k, 2k, … < T, with e = min(s + k, T): L, grads, a = chunk_loss_and_grads(parameters,
    ids[:, s:e], ids[:, s+1:e+1], a) from a = 0 (n_a, m) at the first chunk; grads clipped by norm
    to max_norm; optimizer.step. The last chunk is shorter when k does not divide T.
    callback : called as callback(update, L) after every update; returning True stops the pass.
    Returns the list of L, one per chunk.
    """
    ids = np.asarray(ids)
    if ids.ndim != 2 or ids.shape[1] < 2:
        raise ValueError(f"ids must have shape (m, T + 1) with T >= 1 (from text_streams), got {ids.shape}")
    k = _positive_int("k", k)
    a = np.zeros((parameters["Waa"].shape[0], ids.shape[0]))  # a<0> = 0 at the start of every stream
    T = ids.shape[1] - 1
    history = []
    for s in range(0, T, k):
        e = min(s + k, T)  # the last chunk may be shorter
        L, grads, a = chunk_loss_and_grads(parameters, ids[:, s:e], ids[:, s + 1:e + 1], a)
        grads, _ = clip_by_norm(grads, max_norm)
        optimizer.step(parameters, grads)
        history.append(L)
        if callback is not None and callback(len(history), L):
            break
    return history


def stream_loss(parameters, ids, k=256, carry=True):
    """The loss per character of the streams ids (m, T + 1), in nats.

    Forward only, in chunks of k steps: every target ids[:, 1:] is scored once, from a<0> = 0
    at the start of each stream. With ``carry`` the state goes on from chunk to chunk (k then
    changes nothing but the memory used); without it every chunk starts again from a<0> = 0,
    as a model trained without carrying the state was trained.
    """
    ids = np.asarray(ids)
    if ids.ndim != 2 or ids.shape[1] < 2:
        raise ValueError(f"ids must have shape (m, T + 1) with T >= 1 (from text_streams), got {ids.shape}")
    k = _positive_int("k", k)
    n_x, (m, T1) = parameters["Wax"].shape[1], ids.shape
    hidden = {key: parameters[key] for key in ("Waa", "Wax", "ba")}
    a, total = np.zeros((parameters["Waa"].shape[0], m)), 0.0
    for s in range(0, T1 - 1, k):
        e = min(s + k, T1 - 1)
        x, y = one_hot(ids[:, s:e], n_x), one_hot(ids[:, s + 1:e + 1], n_x)
        states, _, _ = rnn_forward(x, a, hidden)
        total += float(cross_entropy_steps(output_forward(states, parameters["Wya"], parameters["by"]), y).sum())
        a = states[:, :, -1] if carry else np.zeros_like(a)
    return total / (m * (T1 - 1))
