"""The vanilla RNN: a cell and a sequence, forward and backward.

Taught in 02_forward_pass (forward) and 03_bptt (backward). Equations:
    a<t>     = g(Waa a<t-1> + Wax x<t> + ba)        g = tanh (or relu)
    y_hat<t> = softmax(Wya a<t> + by)

The cell functions are the lecture's equations, line for line. The sequence functions compute the
same numbers faster (see ``step_inputs``); tests/test_sequence_paths.py proves the two agree.
"""

from itertools import repeat
from operator import is_
from typing import NamedTuple

import numpy as np

from ._checks import Shapes, check_parameters
from .activations import get_activation
from .output import output_forward

HIDDEN = {"Waa": "(n_a, n_a)", "Wax": "(n_a, n_x)", "ba": "(n_a, 1)"}
OUTPUT = {"Wya": "(n_y, n_a)", "by": "(n_y, 1)"}


class RNNCache(NamedTuple):
    """What rnn_cell_backward needs from one step."""

    a_next: np.ndarray  # a<t>   (n_a, m)
    a_prev: np.ndarray  # a<t-1> (n_a, m)
    xt: np.ndarray  # x<t>   (n_x, m)
    parameters: dict  # Waa, Wax, ba (and Wya, by)
    activation: str  # "tanh" or "relu"


def _check(parameters, **arrays):
    """Validate parameters, then the arrays given as name=(array, notation)."""
    s = Shapes()
    p = check_parameters(parameters, HIDDEN, s)
    if "Wya" in parameters or "by" in parameters:
        p.update(check_parameters(parameters, OUTPUT, s))
    return p, [s(name, arr, notation) for name, (arr, notation) in arrays.items()]


def _has_output(p):
    return "Wya" in p


def rnn_cell_forward(xt, a_prev, parameters, activation="tanh"):
    """One RNN step.

    xt : (n_x, m);  a_prev : (n_a, m)
    parameters : Waa (n_a, n_a), Wax (n_a, n_x), ba (n_a, 1), optionally Wya (n_y, n_a), by (n_y, 1)
    Returns a_next (n_a, m), yt_pred (n_y, m) or None without Wya, cache (RNNCache).
    """
    p, (xt, a_prev) = _check(parameters, xt=(xt, "(n_x, m)"), a_prev=(a_prev, "(n_a, m)"))
    g, _ = get_activation(activation)
    a_next = g(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
    yt_pred = output_forward(a_next, p["Wya"], p["by"]) if _has_output(p) else None
    return a_next, yt_pred, RNNCache(a_next, a_prev, xt, p, activation)


# ----------------------------------------------------------------------------- the sequence layers' tools
# Shared by the three families (rnn, gru, lstm): time-major buffers, stacked weights, blocks of steps.
# The forward loops call np.dot for a step's product (contiguous operands and output): its call costs
# less than np.matmul's, which matters at m = 1 (0.3-0.6 µs of a 2-5 µs product). np.dot copies a strided
# operand first, so the backward, whose weights are column slices, calls np.matmul.

class SequenceCaches(list):
    """The list of per-step caches that a sequence forward returns, plus the buffers behind them.

    To every reader it is the plain list of T_x caches (RNNCache, GRUCache or LSTMCache). The
    per-step arrays in those caches are views into a few whole-sequence buffers (see step_inputs);
    ``buffers`` keeps them so the sequence backward can run the weight and input gradients as a few
    large matrix products instead of T_x small ones. A list that was edited (a cache replaced, added
    or removed) is no longer ``intact`` and takes the step-by-step path.
    """

    def __init__(self, steps, buffers):
        super().__init__(steps)
        self.buffers = buffers
        self.seal()

    def seal(self):
        """Remember the caches as they are now; ``intact`` compares with them."""
        self._steps = tuple(self)

    def intact(self):
        return len(self) == len(self._steps) and all(map(is_, self, self._steps))


def time_major(v, out):
    """out[t] = v[:, :, t]: an (n, m, T) array in lecture order into a (T, n, m) buffer, 8 rows at a time.

    Each value written comes from another row of v, a whole (m, T) block apart; in blocks of 8 rows
    the lines read stay in cache. A small array is one copy.
    """
    if v.size <= 1 << 14:
        np.copyto(out, v.transpose(2, 0, 1))
        return out
    for j in range(0, v.shape[0], 8):
        np.copyto(out[:, j : j + 8], v[j : j + 8].transpose(2, 0, 1))
    return out


def step_inputs(x, a0, dtype):
    """H (T_x + 1, n_a + n_x + 1, m) with H[t] = [a<t-1>; x<t>; 1], the input of step t (0-based).

    x : (n_x, m, T_x);  a0 : (n_a, m). The a rows of H[1:] are left for the forward loop to fill
    (a<t> is written straight into the next step's input); the x of the unused H[T_x] is 0.
    Every step's input is one contiguous (n_a + n_x + 1, m) block, so a step is one matrix product
    [W | b] H[t] (the 1 multiplies the bias) whose gates come out as contiguous (n_a, m) blocks:
    numpy's element-wise loops run up to four times faster on whole blocks than on strided rows.
    """
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    H = np.empty((T_x + 1, n_a + n_x + 1, m), dtype=dtype)
    np.copyto(H[0, :n_a], a0)
    np.copyto(H[T_x, n_a:-1], 0)
    np.copyto(H[:, -1], 1)
    time_major(x, H[:T_x, n_a:-1])
    return H


def weights(W, b, dtype):
    """[W | b] as one contiguous (rows, n_a + n_x + 1) array: the left operand of a step's product."""
    Wb = np.empty((W.shape[0], W.shape[1] + 1), dtype=dtype)
    np.copyto(Wb[:, :-1], W)
    np.copyto(Wb[:, -1:], b)
    return Wb


def side_by_side(block, out):
    """A block of steps (steps, rows, m) as one (rows, steps * m) matrix: its steps side by side.

    A weight gradient Σ_t dz<t> h<t>^T over a block is then one large product (the copy costs
    a few percent of it).
    """
    np.copyto(out.reshape(block.shape[1], block.shape[0], block.shape[2]), block.transpose(1, 0, 2))
    return out


def add_product(acc, A, B):
    """acc += A @ B (a block's share of a weight gradient)."""
    return np.add(acc, np.matmul(A, B), out=acc)


def chunks(T_x, m, columns=1024):
    """(t0, t1) blocks of time steps with about ``columns`` = steps * m columns each, latest first."""
    size = max(1, columns // max(m, 1))
    return [(t0, min(t0 + size, T_x)) for t0 in range(0, T_x, size)][::-1]


def sigmoid_(z):
    """σ(z) in place: 1 / (1 + e^-z); e^-z may overflow to inf, which gives the right 0."""
    with np.errstate(over="ignore"):
        np.negative(z, out=z)
        np.exp(z, out=z)
    np.add(z, 1.0, out=z)
    return np.reciprocal(z, out=z)


def _relu_(z):
    return np.maximum(z, 0.0, out=z)


def _tanh_(z):
    return np.tanh(z, out=z)


def _tanh_grad_(a, out):
    np.multiply(a, a, out=out)
    return np.subtract(1.0, out, out=out)  # 1 − a²


def _relu_grad_(a, out):
    return np.greater(a, 0.0, out=out)  # 1 where a > 0, else 0


def _sigmoid_grad_(a, out):
    np.subtract(1.0, a, out=out)
    return np.multiply(out, a, out=out)  # a (1 − a)


# name: (g in place, g'(z) from a = g(z) into ``out``), the in-place forms of activations.ACTIVATIONS
_INPLACE = {"tanh": (_tanh_, _tanh_grad_), "relu": (_relu_, _relu_grad_), "sigmoid": (sigmoid_, _sigmoid_grad_)}


# ----------------------------------------------------------------------------- the sequence

def rnn_forward(x, a0, parameters, activation="tanh"):
    """The RNN over a whole sequence, starting from a<0> = a0.

    x : (n_x, m, T_x);  a0 : (n_a, m)
    Returns a (n_a, m, T_x), y_pred (n_y, m, T_x) or None, caches (list of T_x RNNCache).

    Same result as calling rnn_cell_forward at every step (the loop that 02_forward_pass
    writes), computed faster: a step is one matrix product [Waa | Wax | ba] H[t] written
    straight into the next step's input, and g in place (see step_inputs). ``a`` and the
    caches' arrays are views of that one buffer.
    """
    p, (x, a0) = _check(parameters, x=(x, "(n_x, m, T_x)"), a0=(a0, "(n_a, m)"))
    get_activation(activation)  # a ValueError for an unknown name, before any work
    g = _INPLACE[activation][0]
    T_x, n_a = x.shape[2], a0.shape[0]
    dtype = np.result_type(x, a0, *(p[k] for k in HIDDEN))
    Wb = weights(np.concatenate([p["Waa"], p["Wax"]], axis=1), p["ba"], dtype)  # (n_a, n_a + n_x + 1)
    H = step_inputs(x, a0, dtype)
    h, a = list(H), list(H[:, :n_a])  # h[t] = [a<t-1>; x<t>; 1], a[t] = a<t> once computed
    for t in range(T_x):
        np.dot(Wb, h[t], out=a[t + 1])  # Waa a<t-1> + Wax x<t> + ba, (n_a, m)
        np.tanh(a[t + 1], out=a[t + 1]) if g is _tanh_ else g(a[t + 1])
    caches = SequenceCaches(map(RNNCache, a[1:], a, list(H[:T_x, n_a:-1]), repeat(p), repeat(activation)), {"H": H})
    a = H[1:, :n_a].transpose(1, 2, 0)  # (n_a, m, T_x), a view of H
    y_pred = output_forward(a, p["Wya"], p["by"]) if _has_output(p) else None
    return a, y_pred, caches


def rnn_cell_backward(da_next, cache):
    """Gradients of one step from da_next = ∂L/∂a<t> (n_a, m).

    Returns dict dxt (n_x, m), da_prev (n_a, m), dWax, dWaa, dba (shapes of their parameters).
    """
    Shapes(n_a=cache.a_next.shape[0], m=cache.a_next.shape[1])("da_next", da_next, "(n_a, m)")
    return _cell_backward(da_next, cache)


def _cell_backward(da_next, cache):
    """rnn_cell_backward without the check (rnn_backward checks da once for all steps)."""
    _, g_grad = get_activation(cache.activation)
    p = cache.parameters
    dz = da_next * g_grad(cache.a_next)  # ∂L/∂(Waa a<t-1> + Wax x<t> + ba), (n_a, m)
    return {
        "dxt": p["Wax"].T @ dz,
        "da_prev": p["Waa"].T @ dz,
        "dWax": dz @ cache.xt.T,
        "dWaa": dz @ cache.a_prev.T,
        "dba": dz.sum(axis=1, keepdims=True),
    }


def rnn_backward(da, caches):
    """Backpropagation through time.

    da : (n_a, m, T_x), the upstream gradient on every a<t> (from the outputs).
    At each step the gradient from step t+1 is added to da<t>; the shared weights'
    gradients are summed over all steps.
    Returns dict dx (n_x, m, T_x), da0 (n_a, m), dWax, dWaa, dba.

    With the caches of rnn_forward the loop keeps only what is sequential (da<t-1> = Waa^T dz<t>)
    and the weight and input gradients are a few large products over blocks of steps;
    any other list of RNNCache is walked step by step with rnn_cell_backward's equations.
    """
    if not caches:
        raise ValueError("caches must hold one RNNCache per time step, got none")
    n_a, m = caches[0].a_next.shape
    n_x = caches[0].xt.shape[0]
    da = Shapes(n_a=n_a, m=m, T_x=len(caches))("da", da, "(n_a, m, T_x)")
    if isinstance(caches, SequenceCaches) and caches.intact():
        return _sequence_backward(da, caches)
    p = caches[0].parameters
    grads = {k: np.zeros_like(p[k[1:]]) for k in ("dWax", "dWaa", "dba")}
    dx = np.empty((n_x, m, len(caches)), dtype=da.dtype)
    da_prev = np.zeros((n_a, m), dtype=da.dtype)
    for t in reversed(range(len(caches))):
        step = _cell_backward(da[:, :, t] + da_prev, caches[t])
        dx[:, :, t] = step["dxt"]
        da_prev = step["da_prev"]
        for k in grads:
            grads[k] += step[k]
    return {"dx": dx, "da0": da_prev, **grads}


def _sequence_backward(da, caches):
    """rnn_backward for the caches of rnn_forward: the same sums, in blocks of time steps.

    Per step only what is sequential: dz<t> = (da<t> + Waa^T dz<t+1>) * g'(z<t>), three calls.
    Per block of steps, g'(z) for all of them, and the weight gradient [dWaa | dWax | dba] and dx
    as one product each (H's row of ones makes the bias gradient a column of the product).
    """
    H = caches.buffers["H"]  # (T_x + 1, n_a + n_x + 1, m)
    p, g_grad = caches[0].parameters, _INPLACE[caches[0].activation][1]
    T_x, K, m = H.shape[0] - 1, H.shape[1], H.shape[2]
    n_a = p["Waa"].shape[0]
    dtype = np.result_type(da, H)
    WaaT, WaxT = np.asarray(p["Waa"], dtype=dtype).T, np.asarray(p["Wax"], dtype=dtype).T
    dWb = np.zeros((n_a, K), dtype=dtype)  # [dWaa | dWax | dba]
    dx = np.empty((K - n_a - 1, T_x, m), dtype=dtype)  # returned as an (n_x, m, T_x) view
    blocks = chunks(T_x, m)
    steps = blocks[-1][1]  # the first block is the longest
    dZ_all, D_all = np.empty((2, steps, n_a, m), dtype=dtype)
    dZ_cols, H_cols = np.empty((n_a, steps * m), dtype=dtype), np.empty((K, steps * m), dtype=dtype)
    da_prev = np.zeros((n_a, m), dtype=dtype)  # Waa^T dz<t+1>, added to da<t>
    for t0, t1 in blocks:
        s = t1 - t0
        dZ, D = dZ_all[:s], D_all[:s]
        g_grad(H[t0 + 1 : t1 + 1, :n_a], out=D)  # g'(z<t>) from a<t>
        time_major(da[:, :, t0:t1], dZ)  # da<t> from the outputs
        dz, d = list(dZ), list(D)
        for i in reversed(range(s)):
            np.add(dz[i], da_prev, out=dz[i])
            np.multiply(dz[i], d[i], out=dz[i])  # dz<t>, (n_a, m)
            np.matmul(WaaT, dz[i], out=da_prev)
        dZ2 = side_by_side(dZ, dZ_cols[:, : s * m])  # (n_a, steps * m)
        add_product(dWb, dZ2, side_by_side(H[t0:t1], H_cols[:, : s * m]).T)  # Σ dz<t> [a<t-1>; x<t>; 1]^T
        np.matmul(WaxT, dZ2, out=dx[:, t0:t1].reshape(K - n_a - 1, s * m))
    grads = {"dWaa": dWb[:, :n_a], "dWax": dWb[:, n_a:-1], "dba": dWb[:, -1:]}  # views of dWb
    grads = {k: g.astype(p[k[1:]].dtype, copy=False) for k, g in grads.items()}
    out = da.dtype
    return {"dx": dx.transpose(0, 2, 1).astype(out, copy=False), "da0": da_prev.astype(out, copy=False),
            **{k: grads[k] for k in ("dWax", "dWaa", "dba")}}
