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

The cell functions are the lecture's equations, line for line; the sequence functions compute the
same numbers faster (tests/test_sequence_paths.py proves the two agree).
"""

from itertools import repeat
from typing import NamedTuple

import numpy as np

from ._checks import Shapes
from .activations import sigmoid, sigmoid_grad, tanh_grad
from .gru import check_gated
from .output import output_forward
from .rnn import SequenceCaches, add_product, chunks, side_by_side, step_inputs, time_major, weights

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
    concat = np.concatenate([a_prev, xt])  # [a<t-1>; x<t>]
    c_tilde = np.tanh(p["Wc"] @ concat + p["bc"])  # candidate
    gamma_f = sigmoid(p["Wf"] @ concat + p["bf"])  # forget gate
    gamma_u = sigmoid(p["Wu"] @ concat + p["bu"])  # update gate
    gamma_o = sigmoid(p["Wo"] @ concat + p["bo"])  # output gate
    c_next = gamma_u * c_tilde + gamma_f * c_prev
    tanh_c_next = np.tanh(c_next)
    a_next = gamma_o * tanh_c_next
    yt_pred = output_forward(a_next, p["Wy"], p["by"]) if "Wy" in p else None
    cache = LSTMCache(a_next, c_next, a_prev, c_prev, xt, concat, gamma_f, gamma_u, gamma_o, c_tilde, tanh_c_next, p)
    return a_next, c_next, yt_pred, cache


def lstm_forward(x, a0, parameters, c0=None):
    """The LSTM over a whole sequence, starting from a<0> = a0 and c<0> = c0 (zeros by default).

    x : (n_x, m, T_x);  a0 : (n_a, m);  c0 : (n_a, m) or None;  parameters as in lstm_cell_forward.
    Returns a (n_a, m, T_x), y_pred (n_y, m, T_x) or None, c (n_a, m, T_x), caches (list of T_x LSTMCache).
    The dtype follows the inputs: all float32 in, float32 out.

    Same result as calling lstm_cell_forward at every step (the loop that 07_lstm writes), computed
    faster: see _forward. The caches' arrays (and ``a``, ``c``) are views of whole-sequence buffers,
    nothing is copied.
    """
    arrays = {"x": (x, "(n_x, m, T_x)"), "a0": (a0, "(n_a, m)")}
    if c0 is not None:
        arrays["c0"] = (c0, "(n_a, m)")
    p, checked = check_gated(parameters, GATES, **arrays)
    x, a0 = checked[:2]
    c0 = checked[2] if c0 is not None else np.zeros_like(a0)
    n_a = a0.shape[0]
    dtype = np.result_type(x, a0, c0, *p.values())
    H, C, G, TC, W = buffers = _forward(x, a0, c0, p, dtype)
    caches = SequenceCaches(_caches(H, C, G, TC, p), dict(zip(("H", "C", "G", "TC", "W"), buffers, strict=True)))
    a, c = H[1:, :n_a].transpose(1, 2, 0), C[1:].transpose(1, 2, 0)  # (n_a, m, T_x) views
    y_pred = output_forward(a, p["Wy"], p["by"]) if "Wy" in p else None
    return a, y_pred, c, caches


# Gate order of the stacked weights: the three σ gates first (one block to turn tanh into σ in the
# forward), the three blocks that ∂L/∂c<t> multiplies last (one block to scale in the backward).
ORDER = ("o", "f", "u", "c")


def stacked(p, dtype):
    """W = [Wo; Wf; Wu; Wc] (4 n_a, n_a + n_x) and b = [bo; bf; bu; bc] (4 n_a, 1) in ``dtype``."""
    W = np.concatenate([p[f"W{g}"] for g in ORDER], dtype=dtype)
    return W, np.concatenate([p[f"b{g}"] for g in ORDER], dtype=dtype)


def _forward(x, a0, c0, p, dtype):
    """The buffers of a forward pass over x (n_x, m, T_x) from a<0> = a0 and c<0> = c0 (n_a, m).

    Each step's arrays are contiguous blocks (so the element-wise work runs on whole blocks):
        H  (T_x + 1, n_a + n_x + 1, m)  H[t] = [a<t-1>; x<t>; 1] (rnn.step_inputs)
        C  (T_x + 1, n_a, m)            c<0> .. c<T_x>
        G  (T_x, 4, n_a, m)             Γo, Γf, Γu, c~<t> of every step (in ORDER)
        TC (T_x, n_a, m)                tanh(c<t>)
    and W, the stacked weights (stacked) that the backward needs.
    A step is one matrix product for the four pre-activations and one tanh for all four, because
    σ(z) = (1 + tanh(z/2)) / 2: the σ gates' rows of [W | b] are halved (exactly, a power of two).
    Nine calls a step.
    """
    T_x, m, n_a = x.shape[2], x.shape[1], a0.shape[0]
    W, b = stacked(p, dtype)
    Wb = weights(W, b, dtype)  # (4 n_a, n_a + n_x + 1)
    np.multiply(Wb[: 3 * n_a], 0.5, out=Wb[: 3 * n_a])
    H = step_inputs(x, a0, dtype)
    C = np.empty((T_x + 1, n_a, m), dtype=dtype)
    G = np.empty((T_x, 4, n_a, m), dtype=dtype)
    TC = np.empty((T_x, n_a, m), dtype=dtype)
    np.copyto(C[0], c0)
    fc = np.empty((n_a, m), dtype=dtype)  # Γf * c<t-1>
    h, a, c, tc = list(H), list(H[1:, :n_a]), list(C), list(TC)
    z, sigma = list(G.reshape(T_x, 4 * n_a, m)), list(G[:, :3])
    gamma_o, gamma_f, gamma_u, c_tilde = (list(G[:, k]) for k in range(4))
    for t in range(T_x):
        np.dot(Wb, h[t], out=z[t])  # [W | b] [a<t-1>; x<t>; 1], σ rows halved
        np.tanh(z[t], out=z[t])
        np.multiply(sigma[t], 0.5, out=sigma[t])
        np.add(sigma[t], 0.5, out=sigma[t])  # Γo, Γf, Γu
        np.multiply(gamma_u[t], c_tilde[t], out=c[t + 1])
        np.multiply(gamma_f[t], c[t], out=fc)
        np.add(c[t + 1], fc, out=c[t + 1])  # c<t> = Γu * c~<t> + Γf * c<t-1>
        np.tanh(c[t + 1], out=tc[t])
        np.multiply(gamma_o[t], tc[t], out=a[t])  # a<t> = Γo * tanh(c<t>)
    return H, C, G, TC, W


def _caches(H, C, G, TC, p):
    """The LSTMCache of every step of _forward's buffers: (n_a, m) views, nothing copied."""
    T_x, n_a = TC.shape[0], C.shape[1]
    concat, a, x = list(H[:T_x, :-1]), list(H[:, :n_a]), list(H[:T_x, n_a:-1])  # [a<t-1>; x<t>], a<t>, x<t>
    gamma_o, gamma_f, gamma_u, c_tilde = (list(G[:, k]) for k in range(4))
    return map(LSTMCache, a[1:], list(C[1:]), a, list(C), x, concat, gamma_f, gamma_u, gamma_o, c_tilde,
               list(TC), repeat(p))


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
    """lstm_backward for the caches of lstm_forward: the same sums, in blocks of time steps.

    Every factor of ∂L/∂z<t> known from the forward is computed once per block (_factors); the
    loop multiplies by ∂L/∂a<t> (Γo's block) or ∂L/∂c<t> (the other three) and runs the one product
    that is sequential, ∂L/∂a<t-1> = Wa^T ∂L/∂z<t>: seven calls a step. The weight and input
    gradients are products over a block; H's row of ones turns the bias gradient into one more
    column of dW.
    """
    H, C, G, TC = (caches.buffers[k] for k in ("H", "C", "G", "TC"))
    p = caches[0].parameters
    T_x, n_a, m = TC.shape
    K = H.shape[1]
    dtype = np.result_type(da, H) if dc is None else np.result_type(da, dc, H)
    W = caches.buffers["W"].astype(dtype, copy=False)  # the forward's [Wo; Wf; Wu; Wc]
    WaT, WxT = W[:, :n_a].T, W[:, n_a:].T  # (n_a, 4 n_a), (n_x, 4 n_a)
    dWb = np.zeros((4 * n_a, K), dtype=dtype)  # [dW | db] in ORDER
    dx = np.empty((K - n_a - 1, T_x, m), dtype=dtype)  # returned as an (n_x, m, T_x) view
    blocks = chunks(T_x, m)
    steps = blocks[-1][1]  # the first block is the longest
    F_all = np.empty((steps, 4, n_a, m), dtype=dtype)  # the forward's factors, then ∂L/∂z<t>, in ORDER
    P_all, da_all, dc_all = np.empty((3, steps, n_a, m), dtype=dtype)
    dZ_cols, H_cols = np.empty((4 * n_a, steps * m), dtype=dtype), np.empty((K, steps * m), dtype=dtype)
    dc_t, carry = np.empty((n_a, m), dtype=dtype), np.zeros((2, n_a, m), dtype=dtype)  # ∂L/∂c<t>; ∂L/∂a, ∂L/∂c
    for t0, t1 in blocks:
        s = t1 - t0
        dZ, P = F_all[:s], P_all[:s]
        _factors(G[t0:t1], C[t0:t1], TC[t0:t1], dZ, P)
        da_block = time_major(da[:, :, t0:t1], da_all[:s])  # ∂L/∂a<t> from the outputs
        dc_block = None if dc is None else time_major(dc[:, :, t0:t1], dc_all[:s])
        _steps(dZ, P, G[t0:t1, 1], da_block, dc_block, WaT, dc_t, carry)
        dZ2 = side_by_side(dZ.reshape(s, 4 * n_a, m), dZ_cols[:, : s * m])  # (4 n_a, steps * m)
        add_product(dWb, dZ2, side_by_side(H[t0:t1], H_cols[:, : s * m]).T)  # Σ dz<t> [a<t-1>; x<t>; 1]^T
        np.matmul(WxT, dZ2, out=dx[:, t0:t1].reshape(K - n_a - 1, s * m))
    out_dtype = np.result_type(da, H.dtype if dc is None else dc, caches[0].xt)
    grads = {"dx": dx.transpose(0, 2, 1).astype(out_dtype, copy=False),
             "da0": carry[0].astype(out_dtype, copy=False), "dc0": carry[1].astype(out_dtype, copy=False)}
    for g in "fuoc":  # the order of lstm_cell_backward's gradients
        rows = dWb[ORDER.index(g) * n_a : (ORDER.index(g) + 1) * n_a]
        grads[f"dW{g}"] = rows[:, :-1].astype(p[f"W{g}"].dtype, copy=False)  # views of dWb
        grads[f"db{g}"] = rows[:, -1:].astype(p[f"b{g}"].dtype, copy=False)
    return grads


def _factors(g, c_prev, tanh_c, F, P):
    """The factors of ∂L/∂z<t> that the forward fixed, for a block of steps (eleven whole-block calls).

    g : (steps, 4, n_a, m), Γo, Γf, Γu, c~<t>;  c_prev, tanh_c : (steps, n_a, m), c<t-1> and tanh(c<t>).
    Fills F = tanh(c<t>) σ'(Γo), c<t-1> σ'(Γf), c~<t> σ'(Γu), Γu tanh'(c~<t>)   (σ' = Γ(1 − Γ), tanh' = 1 − v²)
    and P = Γo tanh'(c<t>) = ∂a<t>/∂c<t>. σ' is taken of the whole block, c~'s too (then overwritten):
    numpy runs a whole contiguous block faster than three quarters of it.
    """
    np.subtract(1.0, g, out=F)
    np.multiply(F, g, out=F)  # σ' of Γo, Γf, Γu
    np.multiply(F[:, 0], tanh_c, out=F[:, 0])  # a<t> = Γo * tanh(c<t>)
    np.multiply(F[:, 1], c_prev, out=F[:, 1])  # c<t> = Γu * c~<t> + Γf * c<t-1>
    np.multiply(F[:, 2], g[:, 3], out=F[:, 2])
    for out, v, gate in ((F[:, 3], g[:, 3], g[:, 2]), (P, tanh_c, g[:, 0])):
        np.multiply(v, v, out=out)
        np.subtract(1.0, out, out=out)
        np.multiply(out, gate, out=out)  # Γu (1 − c~²), Γo (1 − tanh²(c<t>))


def _steps(F, P, gamma_f, da_block, dc_block, WaT, dc_t, carry):
    """One block's steps, latest first: ∂L/∂z<t> into F, (∂L/∂a<t-1>, ∂L/∂c<t-1>) into carry.

    Seven calls a step (eight with an upstream dc): ∂L/∂a<t>, ∂L/∂c<t>, the four ∂L/∂z in two calls,
    the product, and the memory cell's own path c<t-1> → c<t> (× Γf).
    """
    n_a, m = dc_t.shape
    da_prev, dc_prev = carry[0], carry[1]
    dz, dz_o, dz_fuc = list(F.reshape(F.shape[0], 4 * n_a, m)), list(F[:, 0]), list(F[:, 1:])
    p, gf, da_out = list(P), list(gamma_f), list(da_block)
    dc_out = None if dc_block is None else list(dc_block)
    for i in reversed(range(F.shape[0])):
        da_next = np.add(da_out[i], da_prev, out=da_out[i])  # ∂L/∂a<t>
        np.multiply(da_next, p[i], out=dc_t)
        np.add(dc_t, dc_prev, out=dc_t)  # ∂L/∂c<t>
        if dc_out is not None:
            np.add(dc_t, dc_out[i], out=dc_t)
        np.multiply(dz_o[i], da_next, out=dz_o[i])
        np.multiply(dz_fuc[i], dc_t, out=dz_fuc[i])  # ∂L/∂z of Γo; of Γf, Γu, c~<t>
        np.matmul(WaT, dz[i], out=da_prev)  # ∂L/∂a<t-1> = Wa^T ∂L/∂z<t>
        np.multiply(dc_t, gf[i], out=dc_prev)  # ∂L/∂c<t-1> along the memory cell
