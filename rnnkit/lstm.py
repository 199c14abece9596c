"""The long short-term memory (LSTM): a cell and a sequence, forward and backward.

Taught in 07_lstm. Equations (``*`` element-wise, hidden part first in the concatenation):
    c~<t>  = tanh(Wc [a<t-1>; x<t>] + bc)           candidate
    Γf     = σ(Wf [a<t-1>; x<t>] + bf)              forget gate
    Γu     = σ(Wu [a<t-1>; x<t>] + bu)              update gate
    Γo     = σ(Wo [a<t-1>; x<t>] + bo)              output gate
    c<t>   = Γu * c~<t> + Γf * c<t-1>
    a<t>   = Γo * tanh(c<t>)
    y_hat<t> = softmax(Wy a<t> + by)
The lecture slide writes a<t> = Γo * c<t>; the standard LSTM (and this module) squashes the
memory cell first, a<t> = Γo * tanh(c<t>), so a<t> stays in (−1, 1) however large c<t> grows.
"""

from typing import NamedTuple

import numpy as np

from ._checks import Shapes
from .activations import sigmoid_grad, tanh_grad
from .gru import check_gated
from .output import output_forward
from .rnn import SequenceCaches, chunks, sigmoid_, steps_of, time_ordered

_W = "(n_a, n_a + n_x)"
GATES = {
    "Wf": _W, "bf": "(n_a, 1)", "Wu": _W, "bu": "(n_a, 1)",
    "Wo": _W, "bo": "(n_a, 1)", "Wc": _W, "bc": "(n_a, 1)",
}


class LSTMCache(NamedTuple):
    """What lstm_cell_backward needs from one step (nothing is recomputed)."""

    a_next: np.ndarray  # a<t>                (n_a, m)
    c_next: np.ndarray  # c<t>                (n_a, m)
    a_prev: np.ndarray  # a<t-1>              (n_a, m)
    c_prev: np.ndarray  # c<t-1>              (n_a, m)
    xt: np.ndarray  # x<t>                    (n_x, m)
    concat: np.ndarray  # [a<t-1>; x<t>]      (n_a + n_x, m)
    gamma_f: np.ndarray  # Γf                 (n_a, m)
    gamma_u: np.ndarray  # Γu                 (n_a, m)
    gamma_o: np.ndarray  # Γo                 (n_a, m)
    c_tilde: np.ndarray  # c~<t>              (n_a, m)
    tanh_c_next: np.ndarray  # tanh(c<t>)     (n_a, m)
    parameters: dict  # the checked Wf, bf, Wu, bu, Wo, bo, Wc, bc (Wy, by if given)


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    """One LSTM step.

    xt : (n_x, m);  a_prev : (n_a, m), the hidden state a<t-1>;  c_prev : (n_a, m), the memory cell c<t-1>
    parameters : Wf, Wu, Wo, Wc (n_a, n_a + n_x), bf, bu, bo, bc (n_a, 1),
        optionally Wy (n_y, n_a), by (n_y, 1).
    Returns a_next (n_a, m), c_next (n_a, m), yt_pred (n_y, m) or None without Wy, cache (LSTMCache).
    """
    p, (xt, a_prev, c_prev) = check_gated(
        parameters, GATES, xt=(xt, "(n_x, m)"), a_prev=(a_prev, "(n_a, m)"), c_prev=(c_prev, "(n_a, m)")
    )
    n_a, m = a_prev.shape
    dtype = np.result_type(xt, a_prev, c_prev, *p.values())
    concat = np.concatenate([a_prev, xt]).astype(dtype, copy=False)  # [a<t-1>; x<t>], (n_a + n_x, m)
    gates = np.empty((4 * n_a, m), dtype=dtype)  # Γf, Γu, Γo, c~<t> stacked
    c_next, tanh_c_next, a_next = (np.empty((n_a, m), dtype=dtype) for _ in range(3))
    _step(*stacked(p, dtype), concat, c_prev, gates, c_next, tanh_c_next, a_next)
    gamma_f, gamma_u, gamma_o, c_tilde = _split(gates, n_a)
    yt_pred = output_forward(a_next, p["Wy"], p["by"]) if "Wy" in p else None
    cache = LSTMCache(
        a_next, c_next, a_prev, c_prev, xt, concat, gamma_f, gamma_u, gamma_o, c_tilde, tanh_c_next, p
    )
    return a_next, c_next, yt_pred, cache


def lstm_forward(x, a0, parameters, c0=None):
    """The LSTM over a whole sequence, starting from a<0> = a0 and c<0> = c0 (zeros by default).

    x : (n_x, m, T_x);  a0 : (n_a, m);  c0 : (n_a, m) or None;  parameters as in lstm_cell_forward.
    Returns a (n_a, m, T_x), y_pred (n_y, m, T_x) or None, c (n_a, m, T_x), caches (list of T_x LSTMCache).
    The dtype follows the inputs: all float32 in, float32 out.

    Same result as calling lstm_cell_forward at every step (the loop that 07_lstm writes),
    computed faster: the four weights are stacked into W = [Wf; Wu; Wo; Wc] (4 n_a, n_a + n_x), so
    each step is one matrix product W [a<t-1>; x<t>] (the same arithmetic as lstm_cell_forward, so
    the two agree bit for bit), and everything lives in whole-sequence buffers in time order
    (rows, T_x, m): the caches' arrays (and ``a``, ``c``) are views of them, nothing is copied.
    """
    arrays = {"x": (x, "(n_x, m, T_x)"), "a0": (a0, "(n_a, m)")}
    if c0 is not None:
        arrays["c0"] = (c0, "(n_a, m)")
    p, checked = check_gated(parameters, GATES, **arrays)
    x, a0 = checked[:2]
    c0 = checked[2] if c0 is not None else np.zeros_like(a0)
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    dtype = np.result_type(x, a0, c0, *p.values())
    W, b = stacked(p, dtype)  # (4 n_a, n_a + n_x), (4 n_a, 1)
    H = np.empty((n_a + n_x, T_x + 1, m), dtype=dtype)  # H[:, t] = [a<t-1>; x<t>], the concat of step t
    C = np.empty((n_a, T_x + 1, m), dtype=dtype)  # c<0> .. c<T_x>
    G = np.empty((4 * n_a, T_x, m), dtype=dtype)  # Γf, Γu, Γo, c~ of every step
    TC = np.empty((n_a, T_x, m), dtype=dtype)  # tanh(c<t>)
    H[:n_a, 0], H[n_a:, :T_x], H[n_a:, T_x], C[:, 0] = a0, x.transpose(0, 2, 1), 0, c0  # H[n_a:, T_x] unused
    for t in range(T_x):
        _step(W, b, H[:, t], C[:, t], G[:, t], C[:, t + 1], TC[:, t], H[:n_a, t + 1])
    h, c_, g, tc = steps_of(H), steps_of(C), [_split(gt, n_a) for gt in steps_of(G)], steps_of(TC)
    caches = SequenceCaches(
        [LSTMCache(h[t + 1][:n_a], c_[t + 1], h[t][:n_a], c_[t], h[t][n_a:], h[t], *g[t], tc[t], p)
         for t in range(T_x)],
        {"H": H, "C": C, "G": G, "TC": TC},
    )
    a, c = H[:n_a, 1:].transpose(0, 2, 1), C[:, 1:].transpose(0, 2, 1)  # (n_a, m, T_x) views
    y_pred = output_forward(a, p["Wy"], p["by"]) if "Wy" in p else None
    return a, y_pred, c, caches


def _step(W, b, concat, c_prev, gates, c_next, tanh_c_next, a_next):
    """One step, shared by lstm_cell_forward and lstm_forward: fills gates, c_next, tanh_c_next, a_next.

    W (4 n_a, n_a + n_x), b (4 n_a, 1): the stacked weights;  concat (n_a + n_x, m): [a<t-1>; x<t>].
    One matrix product gives the pre-activations of all four gates; the rest is element-wise, in place.
    """
    n_a = c_prev.shape[0]
    np.matmul(W, concat, out=gates)
    gates += b
    sigmoid_(gates[: 3 * n_a])  # Γf, Γu, Γo
    np.tanh(gates[3 * n_a :], out=gates[3 * n_a :])  # c~<t>
    gamma_f, gamma_u, gamma_o, c_tilde = _split(gates, n_a)
    np.multiply(gamma_u, c_tilde, out=c_next)
    c_next += gamma_f * c_prev  # c<t> = Γu * c~<t> + Γf * c<t-1>
    np.tanh(c_next, out=tanh_c_next)
    np.multiply(gamma_o, tanh_c_next, out=a_next)  # a<t> = Γo * tanh(c<t>)


def _split(gates, n_a):
    """The four (n_a, m) row blocks Γf, Γu, Γo, c~<t> of stacked gates (4 n_a, m), as views."""
    return gates[:n_a], gates[n_a : 2 * n_a], gates[2 * n_a : 3 * n_a], gates[3 * n_a :]


def stacked(p, dtype):
    """W = [Wf; Wu; Wo; Wc] (4 n_a, n_a + n_x) and b = [bf; bu; bo; bc] (4 n_a, 1) in ``dtype``."""
    W = np.concatenate([p[k] for k in ("Wf", "Wu", "Wo", "Wc")]).astype(dtype, copy=False)
    b = np.concatenate([p[k] for k in ("bf", "bu", "bo", "bc")]).astype(dtype, copy=False)
    return W, b


def lstm_cell_backward(da_next, dc_next, cache):
    """Gradients of one LSTM step.

    da_next : (n_a, m), ∂L/∂a<t>;  dc_next : (n_a, m), ∂L/∂c<t> from everything but a<t>
    (in a sequence: the memory cell's gradient coming back from step t+1).
    Returns dict dxt (n_x, m), da_prev (n_a, m), dc_prev (n_a, m), dWf, dbf, dWu, dbu, dWo, dbo,
    dWc, dbc (shapes of their parameters).
    """
    n_a, m = cache.a_next.shape
    s = Shapes(n_a=n_a, m=m)
    da_next, dc_next = s("da_next", da_next, "(n_a, m)"), s("dc_next", dc_next, "(n_a, m)")
    return _cell_backward(da_next, dc_next, cache)


def _cell_backward(da_next, dc_next, cache):
    """lstm_cell_backward without the checks (lstm_backward checks da and dc once for all steps)."""
    n_a = cache.a_next.shape[0]
    p = cache.parameters
    # a<t> = Γo * tanh(c<t>): c<t> reaches the loss directly (dc_next) and through a<t>
    dgamma_o = da_next * cache.tanh_c_next
    dc = dc_next + da_next * cache.gamma_o * tanh_grad(cache.tanh_c_next)  # ∂L/∂c<t>, (n_a, m)
    # c<t> = Γu * c~<t> + Γf * c<t-1>
    dz = {  # ∂L/∂(pre-activation) of each gate and of c~<t>, (n_a, m)
        "f": dc * cache.c_prev * sigmoid_grad(cache.gamma_f),
        "u": dc * cache.c_tilde * sigmoid_grad(cache.gamma_u),
        "o": dgamma_o * sigmoid_grad(cache.gamma_o),
        "c": dc * cache.gamma_u * tanh_grad(cache.c_tilde),
    }
    dconcat = sum(p[f"W{g}"].T @ dz[g] for g in dz)  # ∂L/∂[a<t-1>; x<t>], (n_a + n_x, m)
    grads = {"dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc * cache.gamma_f}
    for g in dz:
        grads[f"dW{g}"] = dz[g] @ cache.concat.T
        grads[f"db{g}"] = dz[g].sum(axis=1, keepdims=True)
    return grads


def lstm_backward(da, caches, dc=None):
    """Backpropagation through time for the LSTM.

    da : (n_a, m, T_x), the upstream gradient on every a<t> (from the outputs).
    dc : (n_a, m, T_x) or None, an upstream gradient on every c<t> (zeros by default).
    At each step the gradients from step t+1 are added: da_prev to da<t> and dc_prev to dc<t>
    (the memory cell's own path back through time). The shared weights' gradients are summed.
    Returns dict dx (n_x, m, T_x), da0 (n_a, m), dc0 (n_a, m), dWf, dbf, dWu, dbu, dWo, dbo, dWc, dbc.

    With the caches of lstm_forward the loop keeps only what is sequential (one product
    W[:, :n_a]^T dz<t> per step) and the weight and input gradients are a few large products
    over blocks of steps; any other list of LSTMCache is walked step by step.
    """
    if not caches:
        raise ValueError("caches must hold one LSTMCache per time step (from lstm_forward), got none")
    n_a, m = caches[0].a_next.shape
    n_x, T_x = caches[0].xt.shape[0], len(caches)
    s = Shapes(n_a=n_a, m=m, T_x=T_x)
    da = s("da", da, "(n_a, m, T_x)")
    dc = None if dc is None else s("dc", dc, "(n_a, m, T_x)")
    if isinstance(caches, SequenceCaches) and caches.intact():
        return _sequence_backward(da, dc, caches)
    dc = np.zeros_like(da) if dc is None else dc
    p = caches[0].parameters
    grads = {f"d{k}": np.zeros_like(p[k]) for k in GATES}
    dtype = np.result_type(da, dc, caches[0].xt)
    dx = np.empty((n_x, m, T_x), dtype=dtype)
    da_prev = np.zeros((n_a, m), dtype=dtype)
    dc_prev = np.zeros((n_a, m), dtype=dtype)
    for t in reversed(range(T_x)):
        step = _cell_backward(da[:, :, t] + da_prev, dc[:, :, t] + dc_prev, caches[t])
        dx[:, :, t] = step["dxt"]
        da_prev, dc_prev = step["da_prev"], step["dc_prev"]
        for k in grads:
            grads[k] += step[k]
    return {"dx": dx, "da0": da_prev, "dc0": dc_prev, **grads}


def _sequence_backward(da, dc, caches):
    """lstm_backward for the caches of lstm_forward: the same sums, in blocks of time steps."""
    H, C, G, TC = (caches.buffers[k] for k in ("H", "C", "G", "TC"))
    p = caches[0].parameters
    n_a, T_x, m = TC.shape
    n_x = H.shape[0] - n_a
    dtype = np.result_type(da, H) if dc is None else np.result_type(da, dc, H)
    W, _ = stacked(p, dtype)
    WaT, WxT = W[:, :n_a].T, W[:, n_a:].T  # (n_a, 4 n_a), (n_x, 4 n_a)
    dW, db = np.zeros(W.shape, dtype=dtype), np.zeros((4 * n_a, 1), dtype=dtype)
    dx = np.empty((n_x, T_x, m), dtype=dtype)  # in time order; returned as a (n_x, m, T_x) view
    da_prev, dc_prev = np.zeros((n_a, m), dtype=dtype), np.zeros((n_a, m), dtype=dtype)
    for t0, t1 in chunks(T_x, m):
        gates = G[:, t0:t1]  # Γf, Γu, Γo, c~ of these steps, (4 n_a, steps, m)
        dZ = gates * (1 - gates)  # σ' = s (1 − s) for the gates; the c~ rows are replaced below
        dZ[3 * n_a :] = tanh_grad(gates[3 * n_a :])
        k = gates[2 * n_a : 3 * n_a] * tanh_grad(TC[:, t0:t1])  # ∂a<t>/∂c<t> = Γo (1 − tanh²c<t>)
        da_block = time_ordered(da, t0, t1)
        dc_block = None if dc is None else time_ordered(dc, t0, t1)
        for t in reversed(range(t0, t1)):
            i = t - t0
            gamma_f, gamma_u, _, c_tilde = _split(G[:, t], n_a)
            dz_f, dz_u, dz_o, dz_c = _split(dZ[:, i], n_a)  # σ'/tanh' now, ∂L/∂(pre-activation) after
            da_next = da_block[:, i] + da_prev
            dc_t = da_next * k[:, i]  # ∂L/∂c<t>, (n_a, m)
            dc_t += dc_prev
            if dc is not None:
                dc_t += dc_block[:, i]
            dz_f *= dc_t * C[:, t]
            dz_u *= dc_t * c_tilde
            dz_o *= da_next * TC[:, t]
            dz_c *= dc_t * gamma_u
            da_prev = WaT @ dZ[:, i]
            dc_prev = dc_t * gamma_f
        dZ2 = dZ.reshape(4 * n_a, -1)  # (4 n_a, steps * m)
        dW += dZ2 @ H[:, t0:t1].reshape(n_a + n_x, -1).T  # Σ dz<t> [a<t-1>; x<t>]^T
        db += dZ2.sum(axis=1, keepdims=True)
        dx[:, t0:t1] = (WxT @ dZ2).reshape(n_x, t1 - t0, m)
    out_dtype = np.result_type(da, H.dtype if dc is None else dc, caches[0].xt)
    grads = {"dx": dx.transpose(0, 2, 1).astype(out_dtype, copy=False),
             "da0": da_prev.astype(out_dtype, copy=False), "dc0": dc_prev.astype(out_dtype, copy=False)}
    for g, dW_g, db_g in zip("fuoc", np.split(dW, 4), np.split(db, 4), strict=True):
        grads[f"dW{g}"] = dW_g.astype(p[f"W{g}"].dtype, copy=False)
        grads[f"db{g}"] = db_g.astype(p[f"b{g}"].dtype, copy=False)
    return grads
