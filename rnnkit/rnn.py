"""The vanilla RNN: a cell and a sequence, forward and backward.

Taught in 02_forward_pass (forward) and 03_bptt (backward). Equations:
    a<t>     = g(Waa a<t-1> + Wax x<t> + ba)        g = tanh (or relu)
    y_hat<t> = softmax(Wya a<t> + by)
"""

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


def rnn_cell_forward(xt, a_prev, parameters, activation="tanh", *, _into=None):
    """One RNN step.

    xt : (n_x, m);  a_prev : (n_a, m)
    parameters : Waa (n_a, n_a), Wax (n_a, n_x), ba (n_a, 1), optionally Wya (n_y, n_a), by (n_y, 1)
    Returns a_next (n_a, m), yt_pred (n_y, m) or None without Wya, cache (RNNCache).
    (``_into`` is rnn_forward's private path: the (n_a, m) slice of its state buffer that already
    holds Wax x<t> + ba; a<t> is computed there in place and nothing is checked again.)
    """
    if _into is not None:
        a_next = _into
        a_next += parameters["Waa"] @ a_prev
        _INPLACE[activation](a_next)
        return a_next, None, RNNCache(a_next, a_prev, xt, parameters, activation)
    p, (xt, a_prev) = _check(parameters, xt=(xt, "(n_x, m)"), a_prev=(a_prev, "(n_a, m)"))
    g, _ = get_activation(activation)
    a_next = g(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
    yt_pred = output_forward(a_next, p["Wya"], p["by"]) if _has_output(p) else None
    return a_next, yt_pred, RNNCache(a_next, a_prev, xt, p, activation)


class SequenceCaches(list):
    """The list of per-step caches that a sequence forward returns, plus the buffers behind them.

    To every reader it is the plain list of T_x caches (RNNCache, GRUCache or LSTMCache). The
    per-step arrays in those caches are views into a few whole-sequence buffers in time order
    ((rows, T_x, m) for the RNN and the GRU, step-major for the LSTM, see lstm._forward); ``buffers``
    keeps them so the sequence backward can run the weight and input gradients as a few large matrix
    products instead of T_x small ones. A list that was edited
    (a cache replaced, added or removed) is no longer ``intact`` and takes the step-by-step path.
    """

    def __init__(self, steps, buffers):
        super().__init__(steps)
        self.buffers = buffers
        self.seal()

    def seal(self):
        """Remember the caches as they are now; ``intact`` compares with them."""
        self._steps = tuple(self)

    def intact(self):
        return len(self) == len(self._steps) and all(a is b for a, b in zip(self, self._steps, strict=True))


def steps_of(buffer):
    """The T views buffer[:, t, :] (rows, m) of a (rows, T, m) buffer, in time order."""
    return list(buffer.transpose(1, 0, 2))


def sigmoid_(z):
    """σ(z) in place: 1 / (1 + e^-z); e^-z may overflow to inf, which gives the right 0."""
    with np.errstate(over="ignore"):
        np.negative(z, out=z)
        np.exp(z, out=z)
    z += 1.0
    return np.reciprocal(z, out=z)


_INPLACE = {
    "tanh": lambda z: np.tanh(z, out=z),
    "relu": lambda z: np.maximum(z, 0.0, out=z),
    "sigmoid": sigmoid_,
}


def time_ordered(d, t0, t1):
    """d[:, :, t0:t1] of an (n, m, T_x) upstream gradient as a contiguous (n, t1 - t0, m) block.

    Read once per block of steps, so the loop reads contiguous (n, m) slices, not stride-T_x ones.
    """
    return np.ascontiguousarray(d[:, :, t0:t1].transpose(0, 2, 1))


def chunks(T_x, m, columns=1024):
    """(t0, t1) blocks of time steps with about ``columns`` = steps * m columns each, latest first."""
    size = max(1, columns // max(m, 1))
    return [(t0, min(t0 + size, T_x)) for t0 in range(0, T_x, size)][::-1]


def rnn_forward(x, a0, parameters, activation="tanh"):
    """The RNN over a whole sequence, starting from a<0> = a0.

    x : (n_x, m, T_x);  a0 : (n_a, m)
    Returns a (n_a, m, T_x), y_pred (n_y, m, T_x) or None, caches (list of T_x RNNCache).

    Same result as calling rnn_cell_forward at every step (the loop that 02_forward_pass
    writes), computed faster: the input term Wax x<t> + ba of every step is one matrix
    product before the loop, and the states live in one buffer A (n_a, T_x + 1, m) in time
    order, whose slices A[:, t, :] are the caches' a_prev and a_next (``a`` is a view of it).
    """
    p, (x, a0) = _check(parameters, x=(x, "(n_x, m, T_x)"), a0=(a0, "(n_a, m)"))
    get_activation(activation)  # a ValueError for an unknown name, before any work
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    X = np.ascontiguousarray(x.transpose(0, 2, 1))  # x in time order, (n_x, T_x, m)
    A = np.empty((n_a, T_x + 1, m), dtype=np.result_type(x, a0, p["Waa"]))  # a<0> .. a<T_x>
    A[:, 0] = a0
    Z = A[:, 1:]  # (n_a, T_x, m): the input terms Wax x<t> + ba of every step, then (in place) a<t>
    np.matmul(p["Wax"], X.reshape(n_x, -1), out=Z.reshape(n_a, -1))
    Z += p["ba"][:, :, None]
    a_steps, x_steps = steps_of(A), steps_of(X)
    caches = SequenceCaches([], {"A": A, "X": X})
    for t in range(T_x):
        _, _, cache = rnn_cell_forward(x_steps[t], a_steps[t], p, activation, _into=a_steps[t + 1])
        caches.append(cache)
    caches.seal()
    a = Z.transpose(0, 2, 1)  # (n_a, m, T_x), a view of A
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
    """rnn_backward for the caches of rnn_forward: the same sums, in blocks of time steps."""
    A, X = caches.buffers["A"], caches.buffers["X"]  # (n_a, T_x + 1, m), (n_x, T_x, m)
    p, (_, g_grad) = caches[0].parameters, get_activation(caches[0].activation)
    (n_a, _, m), (n_x, T_x, _) = A.shape, X.shape
    dtype = np.result_type(da, A)
    dx = np.empty((n_x, T_x, m), dtype=dtype)  # in time order; returned as a (n_x, m, T_x) view
    dWaa, dWax, dba = (np.zeros(p[k].shape, dtype=dtype) for k in ("Waa", "Wax", "ba"))
    da_prev = np.zeros((n_a, m), dtype=dtype)
    WaaT = p["Waa"].T
    for t0, t1 in chunks(T_x, m):
        dZ = np.empty((n_a, t1 - t0, m), dtype=dtype)  # dz<t> for t in [t0, t1)
        da_block = time_ordered(da, t0, t1)
        for t in reversed(range(t0, t1)):
            dz = dZ[:, t - t0]
            np.add(da_block[:, t - t0], da_prev, out=dz)
            dz *= g_grad(A[:, t + 1])  # ∂L/∂(Waa a<t-1> + Wax x<t> + ba), (n_a, m)
            da_prev = WaaT @ dz
        dZ2 = dZ.reshape(n_a, -1)  # (n_a, steps * m)
        dWaa += dZ2 @ A[:, t0:t1].reshape(n_a, -1).T
        dWax += dZ2 @ X[:, t0:t1].reshape(n_x, -1).T
        dba += dZ2.sum(axis=1, keepdims=True)
        dx[:, t0:t1] = (p["Wax"].T @ dZ2).reshape(n_x, t1 - t0, m)
    grads = {"dWax": dWax, "dWaa": dWaa, "dba": dba}
    grads = {k: g.astype(p[k[1:]].dtype, copy=False) for k, g in grads.items()}
    dx = dx.transpose(0, 2, 1).astype(da.dtype, copy=False)  # (n_x, m, T_x)
    return {"dx": dx, "da0": da_prev.astype(da.dtype, copy=False), **grads}
