"""The bidirectional RNN (BRNN), composed from one family's sequence layer run twice.

Taught in 08_brnn. With a→ running over t = 1..T_x and a← over t = T_x..1,
both from a0:
    a→<t>    = layer(x<t>, a→<t-1>)            forward direction, its own parameters
    a←<t>    = layer(x<t>, a←<t+1>)            backward direction, its own parameters
    y_hat<t> = softmax(Wy [a→<t>; a←<t>] + by)  so y_hat<t> sees the whole sentence
The backward direction is the family's plain forward pass on the time-reversed input,
reversed back. ``layer`` is the RNN, the GRU or the LSTM (``cell="rnn" | "gru" | "lstm"``).
"""

from typing import NamedTuple

import numpy as np

from ._checks import Shapes, check_parameters
from ._families import get_family
from .output import output_forward

OUTPUT = {"Wy": "(n_y, 2 * n_a)", "by": "(n_y, 1)"}


class BRNNCache(NamedTuple):
    """What brnn_backward needs: the caches of both directions and the padding."""

    cell: str  # "rnn", "gru" or "lstm"
    forward_caches: list  # the family's caches of a→, steps t = 1..T_x
    backward_caches: list  # the family's caches of a←, steps in reversed time
    lengths: object  # (m,) ints, or None for sequences without padding
    mask: object  # (m, T_x) bool, True on real steps and False on padding, or None
    n_a: int
    m: int
    T_x: int


def _check_lengths(lengths, m, T_x):
    """``lengths`` as an (m,) int array with 1 <= lengths[i] <= T_x, or None."""
    if lengths is None:
        return None
    arr = np.asarray(lengths)
    if arr.dtype.kind not in "iu" or arr.shape != (m,):
        raise ValueError(
            f"lengths must be an integer array of shape (m,) = ({m},), one length per example, "
            f"got {arr.dtype} array of shape {arr.shape}"
        )
    if arr.min() < 1 or arr.max() > T_x:
        raise ValueError(f"lengths must lie between 1 and T_x = {T_x}, got {arr.tolist()}")
    return arr.astype(np.int64)


def reverse_in_time(x, lengths=None):
    """x with each example's time axis reversed: x<t> ↔ x<T_x + 1 - t>.

    x : (..., m, T), the last two axes being examples and time (x, a, da, dx ...).
    lengths : (m,) ints or None. With lengths, example i is reversed within its first
    lengths[i] steps and its padding stays where it is, at the end. Its own inverse.
    Returns an array of x's shape.
    """
    x = np.asarray(x)
    if x.ndim < 2:
        raise ValueError(f"x must be an array of shape (..., m, T), got shape {x.shape}")
    m, T = x.shape[-2:]
    lengths = _check_lengths(lengths, m, T)
    if lengths is None:
        return x[..., ::-1].copy()
    t = np.arange(T)
    idx = np.where(t < lengths[:, None], lengths[:, None] - 1 - t, t)  # (m, T): source step of each step
    return np.take_along_axis(x, np.broadcast_to(idx, x.shape), axis=-1)


def _directions(parameters):
    if not isinstance(parameters, dict):
        got = type(parameters).__name__
        raise ValueError(f"parameters must be a dict with 'forward' and 'backward', got {got}")
    for key in ("forward", "backward"):
        if key not in parameters:
            raise ValueError(
                f"parameters is missing '{key}': the dict of the {key} direction's parameters "
                f"(a{'→' if key == 'forward' else '←'})"
            )
    return parameters["forward"], parameters["backward"]


def brnn_forward(x, a0, parameters, cell="rnn", lengths=None):
    """The bidirectional layer over a whole sequence.

    x : (n_x, m, T_x);  a0 : (n_a, m), the start of both directions
    parameters : "forward" and "backward", each a dict of the family's hidden parameters
        (RNN: Waa (n_a, n_a), Wax (n_a, n_x), ba (n_a, 1); GRU/LSTM: W.. (n_a, n_a + n_x), b.. (n_a, 1)),
        optionally Wy (n_y, 2 n_a), by (n_y, 1) for the output layer on top.
    cell : "rnn", "gru" or "lstm".
    lengths : (m,) ints or None. Sequences are padded at the end; a← of example i starts at its
        own last real step t = lengths[i]. Padded inputs are read as 0 (so even NaN padding is
        harmless) and states on padded steps are set to 0 (and get no gradient).
    Returns a (2 n_a, m, T_x) = [a→<t>; a←<t>] stacked on axis 0, y_pred (n_y, m, T_x) or None,
    caches (BRNNCache).
    """
    family = get_family(cell)
    s = Shapes()
    x = s("x", x, "(n_x, m, T_x)")
    forward, backward = _directions(parameters)
    p_forward = check_parameters(forward, family.hidden, s, name="parameters['forward']")
    p_backward = check_parameters(backward, family.hidden, s, name="parameters['backward']")
    a0 = s("a0", a0, "(n_a, m)")
    has_output = "Wy" in parameters or "by" in parameters
    out = check_parameters(parameters, OUTPUT, s) if has_output else None
    n_a, m, T_x = s.dims["n_a"], s.dims["m"], s.dims["T_x"]
    lengths = _check_lengths(lengths, m, T_x)
    mask = None
    if lengths is not None:
        mask = np.arange(T_x) < lengths[:, None]  # (m, T_x), True on real steps
        x = np.where(mask, x, 0).astype(x.dtype, copy=False)  # (n_x, m, T_x), padding read as 0

    a_forward, forward_caches = family.forward(x, a0, p_forward)  # (n_a, m, T_x)
    a_reversed, backward_caches = family.forward(reverse_in_time(x, lengths), a0, p_backward)
    a_backward = reverse_in_time(a_reversed, lengths)  # (n_a, m, T_x), a←<t> at step t
    a = np.concatenate([a_forward, a_backward], axis=0)  # (2 n_a, m, T_x)
    if mask is not None:
        a = np.where(mask, a, 0).astype(a.dtype, copy=False)  # no state on padded steps
    y_pred = output_forward(a, out["Wy"], out["by"]) if has_output else None
    cache = BRNNCache(cell, forward_caches, backward_caches, lengths, mask, n_a, m, T_x)
    return a, y_pred, cache


def brnn_backward(da, caches):
    """Gradients of the bidirectional layer.

    da : (2 n_a, m, T_x), the upstream gradient on [a→<t>; a←<t>] (from the outputs).
    caches : the BRNNCache of brnn_forward.
    Returns dict "forward" and "backward" (each {dW.., db..} of that direction's parameters),
    dx (n_x, m, T_x), the sum of both directions' contributions, and da0 (n_a, m), likewise.
    """
    if not isinstance(caches, BRNNCache):
        got = type(caches).__name__
        raise ValueError(f"caches must be the BRNNCache returned by brnn_forward, got {got}")
    family = get_family(caches.cell)
    da = Shapes(n_a=caches.n_a, m=caches.m, T_x=caches.T_x)("da", da, "(2 * n_a, m, T_x)")
    if caches.mask is not None:
        da = np.where(caches.mask, da, 0).astype(da.dtype, copy=False)  # padded states were set to 0
    n_a, lengths = caches.n_a, caches.lengths
    dx_forward, da0_forward, g_forward = family.backward(da[:n_a], caches.forward_caches)
    da_reversed = reverse_in_time(da[n_a:], lengths)  # (n_a, m, T_x) in the order a← was computed
    dx_reversed, da0_backward, g_backward = family.backward(da_reversed, caches.backward_caches)
    return {
        "forward": g_forward,
        "backward": g_backward,
        "dx": dx_forward + reverse_in_time(dx_reversed, lengths),  # (n_x, m, T_x)
        "da0": da0_forward + da0_backward,  # (n_a, m)
    }
