"""The gated recurrent unit (GRU): a cell and a sequence, forward and backward.

Taught in 06_gru. The lecture's form (Cho et al., 2014), ``*`` element-wise, hidden part first
in every concatenation:
    Γu     = σ(Wu [c<t-1>; x<t>] + bu)            update gate
    Γr     = σ(Wr [c<t-1>; x<t>] + br)            relevance gate
    c~<t>  = tanh(Wc [Γr * c<t-1>; x<t>] + bc)    candidate
    c<t>   = Γu * c~<t> + (1 − Γu) * c<t-1>,     a<t> = c<t>
    y_hat<t> = softmax(Wy a<t> + by)
The simplified GRU (``simplified=True``) has no Γr: c~<t> = tanh(Wc [c<t-1>; x<t>] + bc).

This is NOT PyTorch's ``nn.GRU``: PyTorch multiplies by its reset gate after the product,
r * (W_hn h + b_hn), and writes h<t> = (1 − z) * n + z * h<t-1>, so its update gate weighs the
OLD state. Weights do not carry over between the two forms.

The cell functions are the lecture's equations, line for line; the sequence functions compute the
same numbers faster (tests/test_sequence_paths.py proves the two agree).
"""

from itertools import repeat
from typing import NamedTuple

import numpy as np

from ._checks import Shapes, check_parameters
from .activations import sigmoid, sigmoid_grad, tanh_grad
from .output import output_forward
from .rnn import SequenceCaches, add_product, chunks, side_by_side, step_inputs, time_major, weights

GATES = {"Wu": "(n_a, n_a + n_x)", "bu": "(n_a, 1)", "Wc": "(n_a, n_a + n_x)", "bc": "(n_a, 1)"}
RELEVANCE = {"Wr": "(n_a, n_a + n_x)", "br": "(n_a, 1)"}
OUTPUT = {"Wy": "(n_y, n_a)", "by": "(n_y, 1)"}


class GRUCache(NamedTuple):
    """What gru_cell_backward needs from one step (nothing is recomputed)."""

    c_next: np.ndarray  # c<t> = a<t>             (n_a, m)
    c_prev: np.ndarray  # c<t-1>                  (n_a, m)
    xt: np.ndarray  # x<t>                        (n_x, m)
    concat: np.ndarray  # [c<t-1>; x<t>]          (n_a + n_x, m)
    concat_r: np.ndarray  # [Γr * c<t-1>; x<t>]   (n_a + n_x, m); = concat when simplified
    gamma_u: np.ndarray  # Γu                     (n_a, m)
    gamma_r: np.ndarray  # Γr                     (n_a, m); None when simplified
    c_tilde: np.ndarray  # c~<t>                  (n_a, m)
    parameters: dict  # the checked Wu, bu, Wc, bc (Wr, br unless simplified; Wy, by if given)
    simplified: bool  # True: no relevance gate


def check_gated(parameters, spec, **arrays):
    """Check a gated cell's ``parameters`` against ``spec``, then arrays given as name=(array, notation).

    n_a and n_x are read from parameters['Wc'] (n_a, n_a + n_x), as rnn.py reads them from Waa and
    Wax, so an input of the wrong size is blamed on the input. Wy, by are checked when present.
    Returns (p, arrays): the checked parameters (only the keys of ``spec`` and the output layer)
    and the arrays in the order given. Shared with lstm.py.
    """
    s = Shapes()
    if isinstance(parameters, dict):
        try:
            shape = np.shape(parameters.get("Wc"))
        except ValueError:  # ragged lists: check_parameters reports them
            shape = ()
        if len(shape) == 2:
            s.dims["n_a"] = shape[0]
            if shape[1] > shape[0]:
                s.dims["n_x"] = shape[1] - shape[0]
    p = check_parameters(parameters, spec, s)
    if "Wy" in parameters or "by" in parameters:
        p.update(check_parameters(parameters, OUTPUT, s))
    return p, [s(name, arr, notation) for name, (arr, notation) in arrays.items()]


def _spec(simplified):
    return GATES if simplified else {**GATES, **RELEVANCE}


def gru_cell_forward(xt, c_prev, parameters, simplified=False):
    """One GRU step (lecture form, see the module docstring).

    xt : (n_x, m);  c_prev : (n_a, m), the memory cell c<t-1> = a<t-1>
    parameters : Wu, Wr, Wc (n_a, n_a + n_x), bu, br, bc (n_a, 1), optionally Wy (n_y, n_a), by (n_y, 1).
        With ``simplified=True`` Wr and br are neither needed nor used.
    Returns c_next (n_a, m) (which is also a<t>), yt_pred (n_y, m) or None without Wy, cache (GRUCache).
    """
    simplified = bool(simplified)
    p, (xt, c_prev) = check_gated(
        parameters, _spec(simplified), xt=(xt, "(n_x, m)"), c_prev=(c_prev, "(n_a, m)")
    )
    concat = np.concatenate([c_prev, xt])  # [c<t-1>; x<t>]
    gamma_u = sigmoid(p["Wu"] @ concat + p["bu"])  # update gate
    if simplified:
        gamma_r, concat_r = None, concat
    else:
        gamma_r = sigmoid(p["Wr"] @ concat + p["br"])  # relevance gate
        concat_r = np.concatenate([gamma_r * c_prev, xt])  # [Γr * c<t-1>; x<t>]
    c_tilde = np.tanh(p["Wc"] @ concat_r + p["bc"])  # candidate
    c_next = gamma_u * c_tilde + (1 - gamma_u) * c_prev  # c<t> = a<t>
    yt_pred = output_forward(c_next, p["Wy"], p["by"]) if "Wy" in p else None
    cache = GRUCache(c_next, c_prev, xt, concat, concat_r, gamma_u, gamma_r, c_tilde, p, simplified)
    return c_next, yt_pred, cache


# Gate order of the stacked weights: Γr first and Γu next to c~ (the two that ∂L/∂c<t> scales).
ORDER = {False: "ruc", True: "uc"}


def gru_forward(x, c0, parameters, simplified=False):
    """The GRU over a whole sequence, starting from c<0> = a<0> = c0.

    x : (n_x, m, T_x);  c0 : (n_a, m);  parameters as in gru_cell_forward.
    Returns c (n_a, m, T_x) (which is also a), y_pred (n_y, m, T_x) or None, caches (list of T_x GRUCache).
    The dtype follows the inputs: all float32 in, float32 out.

    Same result as calling gru_cell_forward at every step (the loop that 06_gru writes), computed
    faster: the gates' weights are stacked, [Wr; Wu | br; bu] for one product and [Wc | bc] for the
    other, each step's input [c<t-1>; x<t>; 1] is one contiguous block of a whole-sequence buffer
    (rnn.step_inputs) and c<t> is written straight into the next one. σ(z) = (1 + tanh(z/2)) / 2,
    so the σ rows of the weights are halved (exactly) and one tanh serves both gates. The caches'
    arrays (and ``c``) are views of the buffers.
    """
    simplified = bool(simplified)
    p, (x, c0) = check_gated(parameters, _spec(simplified), x=(x, "(n_x, m, T_x)"), c0=(c0, "(n_a, m)"))
    T_x, m, n_a = x.shape[2], x.shape[1], c0.shape[0]
    dtype = np.result_type(x, c0, *p.values())
    order, n_g = ORDER[simplified], len(ORDER[simplified])
    W, b = stacked(p, order, dtype)  # (n_g n_a, n_a + n_x), (n_g n_a, 1)
    Wb = weights(W, b, dtype)  # (n_g n_a, n_a + n_x + 1)
    np.multiply(Wb[: (n_g - 1) * n_a], 0.5, out=Wb[: (n_g - 1) * n_a])  # the σ gates' rows: tanh(z/2)
    H = step_inputs(x, c0, dtype)  # H[t] = [c<t-1>; x<t>; 1]
    G = np.empty((T_x, n_g, n_a, m), dtype=dtype)  # (Γr,) Γu, c~<t> of every step, in ORDER
    if simplified:
        R = H
        _simplified_loop(H, G, Wb)
    else:
        R = np.empty((T_x, H.shape[1], m), dtype=dtype)  # R[t] = [Γr * c<t-1>; x<t>; 1]
        np.copyto(R[:, n_a:], H[:T_x, n_a:])
        _full_loop(H, R, G, Wb)
    caches = SequenceCaches(_caches(H, R, G, p, simplified), {"H": H, "R": R, "G": G, "W": W})
    c = H[1:, :n_a].transpose(1, 2, 0)  # (n_a, m, T_x), a view of H
    y_pred = output_forward(c, p["Wy"], p["by"]) if "Wy" in p else None
    return c, y_pred, caches


def stacked(p, order, dtype):
    """W = [Wr; Wu; Wc] ((n_g n_a, n_a + n_x), the keys of ``order``) and b = [br; bu; bc] alike, in ``dtype``."""
    return (np.concatenate([p[f"W{k}"] for k in order], dtype=dtype),
            np.concatenate([p[f"b{k}"] for k in order], dtype=dtype))


def _full_loop(H, R, G, Wb):
    """The full GRU's steps: two products (Γr and Γu; then c~<t>, which needs Γr), ten calls."""
    T_x, n_a = G.shape[0], G.shape[2]
    W_ru, W_c = Wb[: 2 * n_a], Wb[2 * n_a :]
    h, r, c = list(H), list(R), list(H[:, :n_a])
    z_ru = list(G[:, :2].reshape(T_x, 2 * n_a, -1))  # (2 n_a, m) blocks
    gamma_r, gamma_u, c_tilde = (list(G[:, k]) for k in range(3))
    for t in range(T_x):
        np.dot(W_ru, h[t], out=z_ru[t])  # [Wr; Wu | br; bu] [c<t-1>; x<t>; 1], halved
        np.tanh(z_ru[t], out=z_ru[t])
        np.multiply(z_ru[t], 0.5, out=z_ru[t])
        np.add(z_ru[t], 0.5, out=z_ru[t])  # Γr, Γu
        np.multiply(gamma_r[t], c[t], out=r[t][:n_a])  # Γr * c<t-1>
        np.dot(W_c, r[t], out=c_tilde[t])
        np.tanh(c_tilde[t], out=c_tilde[t])  # c~<t>
        _mix(gamma_u[t], c_tilde[t], c[t], c[t + 1])


def _simplified_loop(H, G, Wb):
    """The simplified GRU's steps: one product for Γu and c~<t>, eight calls."""
    T_x, n_a = G.shape[0], G.shape[2]
    h, c = list(H), list(H[:, :n_a])
    z, gamma_u, c_tilde = list(G.reshape(T_x, 2 * n_a, -1)), list(G[:, 0]), list(G[:, 1])
    for t in range(T_x):
        np.dot(Wb, h[t], out=z[t])
        np.tanh(z[t], out=z[t])
        np.multiply(gamma_u[t], 0.5, out=gamma_u[t])
        np.add(gamma_u[t], 0.5, out=gamma_u[t])  # Γu
        _mix(gamma_u[t], c_tilde[t], c[t], c[t + 1])


def _mix(gamma_u, c_tilde, c_prev, out):
    """c<t> = Γu * c~<t> + (1 − Γu) * c<t-1>, computed as c<t-1> + Γu * (c~<t> − c<t-1>): three calls."""
    np.subtract(c_tilde, c_prev, out=out)
    np.multiply(out, gamma_u, out=out)
    return np.add(out, c_prev, out=out)


def _caches(H, R, G, p, simplified):
    """The GRUCache of every step: (rows, m) views of the buffers, nothing copied."""
    T_x, n_a = G.shape[0], G.shape[2]
    h = list(H[:T_x, :-1])  # [c<t-1>; x<t>] of every step, (n_a + n_x, m)
    r = h if simplified else list(R[:, :-1])
    c, x = list(H[:, :n_a]), list(H[:T_x, n_a:-1])
    gates = [list(G[:, k]) for k in range(G.shape[1])]  # in ORDER
    gamma_r = repeat(None) if simplified else gates[0]
    return map(GRUCache, c[1:], c, x, h, r, gates[-2], gamma_r, gates[-1], repeat(p), repeat(simplified))


def gru_cell_backward(dc_next, cache):
    """Gradients of one GRU step from dc_next = ∂L/∂c<t> (n_a, m) (= ∂L/∂a<t>, since a<t> = c<t>).

    Returns dict dxt (n_x, m), dc_prev (n_a, m), dWu, dbu, dWr, dbr, dWc, dbc (shapes of their
    parameters; no dWr, dbr when the cache comes from the simplified GRU).
    """
    n_a, m = cache.c_next.shape
    dc_next = Shapes(n_a=n_a, m=m)("dc_next", dc_next, "(n_a, m)")
    return _cell_backward(dc_next, cache)


def _cell_backward(dc_next, cache):
    """gru_cell_backward without the check (gru_backward checks dc once for all steps)."""
    n_a = cache.c_next.shape[0]
    p = cache.parameters
    # c<t> = Γu * c~<t> + (1 − Γu) * c<t-1>
    dc_tilde = dc_next * cache.gamma_u
    dgamma_u = dc_next * (cache.c_tilde - cache.c_prev)
    dc_prev = dc_next * (1 - cache.gamma_u)
    # c~<t> = tanh(Wc [Γr * c<t-1>; x<t>] + bc)
    dz_c = dc_tilde * tanh_grad(cache.c_tilde)  # ∂L/∂(pre-activation of c~<t>), (n_a, m)
    dconcat_r = p["Wc"].T @ dz_c  # ∂L/∂[Γr * c<t-1>; x<t>], (n_a + n_x, m)
    dxt = dconcat_r[n_a:]
    # Γu = σ(Wu [c<t-1>; x<t>] + bu)
    dz_u = dgamma_u * sigmoid_grad(cache.gamma_u)
    dconcat = p["Wu"].T @ dz_u  # ∂L/∂[c<t-1>; x<t>] through the gates, (n_a + n_x, m)
    grads = {"dWu": dz_u @ cache.concat.T, "dbu": dz_u.sum(axis=1, keepdims=True)}
    if cache.simplified:
        dc_prev = dc_prev + dconcat_r[:n_a]
    else:
        # Γr = σ(Wr [c<t-1>; x<t>] + br), and Γr * c<t-1> inside c~<t>
        dc_prev = dc_prev + dconcat_r[:n_a] * cache.gamma_r
        dz_r = dconcat_r[:n_a] * cache.c_prev * sigmoid_grad(cache.gamma_r)
        dconcat = dconcat + p["Wr"].T @ dz_r
        grads.update(dWr=dz_r @ cache.concat.T, dbr=dz_r.sum(axis=1, keepdims=True))
    grads.update(dWc=dz_c @ cache.concat_r.T, dbc=dz_c.sum(axis=1, keepdims=True))
    return {"dxt": dxt + dconcat[n_a:], "dc_prev": dc_prev + dconcat[:n_a], **grads}


def gru_backward(dc, caches):
    """Backpropagation through time for the GRU.

    dc : (n_a, m, T_x), the upstream gradient on every c<t> = a<t> (from the outputs).
    At each step the gradient from step t+1 is added to dc<t>; the shared weights' gradients
    are summed over all steps.
    Returns dict dx (n_x, m, T_x), dc0 and da0 (n_a, m) (the same array: a<0> = c<0>),
    dWu, dbu, dWr, dbr, dWc, dbc (no dWr, dbr for the simplified GRU).
    """
    if not caches:
        raise ValueError("caches must hold one GRUCache per time step (from gru_forward), got none")
    n_a, m = caches[0].c_next.shape
    n_x, T_x = caches[0].xt.shape[0], len(caches)
    dc = Shapes(n_a=n_a, m=m, T_x=T_x)("dc", dc, "(n_a, m, T_x)")
    if isinstance(caches, SequenceCaches) and caches.intact():
        return _sequence_backward(dc, caches)
    p = caches[0].parameters
    grads = {f"d{k}": np.zeros_like(p[k]) for k in ("Wu", "bu", "Wr", "br", "Wc", "bc") if k in p}
    dtype = np.result_type(dc, caches[0].xt)
    dx = np.empty((n_x, m, T_x), dtype=dtype)
    dc_prev = np.zeros((n_a, m), dtype=dtype)
    for t in reversed(range(T_x)):
        step = _cell_backward(dc[:, :, t] + dc_prev, caches[t])
        dx[:, :, t] = step["dxt"]
        dc_prev = step["dc_prev"]
        for k in grads:
            grads[k] += step[k]
    return {"dx": dx, "dc0": dc_prev, "da0": dc_prev, **grads}


def _sequence_backward(dc, caches):
    """gru_backward for the caches of gru_forward: the same sums, in blocks of time steps.

    Per block, every factor of ∂L/∂z<t> that the forward fixed (σ', tanh', c~<t> − c<t-1>, ...)
    in a few whole-block calls; per step only what is sequential, ∂L/∂c<t> and the two products
    that carry it back to c<t-1>; per block, the weight gradient [dW | db] and dx as products.
    """
    H, R, G = (caches.buffers[k] for k in ("H", "R", "G"))
    p, simplified = caches[0].parameters, caches[0].simplified
    T_x, n_g, n_a, m = G.shape
    K = H.shape[1]
    dtype = np.result_type(dc, H)
    order = ORDER[simplified]
    W = caches.buffers["W"].astype(dtype, copy=False)  # the forward's [Wr; Wu; Wc], (n_g n_a, n_a + n_x)
    W_hT, W_xT = W[:, :n_a].T, W[:, n_a:].T  # the c<t-1> and x<t> columns, transposed
    dWb = np.zeros((n_g * n_a, K), dtype=dtype)  # [dW | db] in ORDER
    dx = np.empty((K - n_a - 1, T_x, m), dtype=dtype)  # returned as an (n_x, m, T_x) view
    blocks = chunks(T_x, m)
    steps = blocks[-1][1]  # the first block is the longest
    F_all = np.empty((steps, n_g, n_a, m), dtype=dtype)  # the forward's factors, then ∂L/∂z<t> in ORDER
    E_all = np.empty((steps, n_g - 1, n_a, m), dtype=dtype)  # 1 − Γu (and Γr)
    dc_all, diff_all = np.empty((2, steps, n_a, m), dtype=dtype)
    dZ_cols, H_cols = np.empty((n_g * n_a, steps * m), dtype=dtype), np.empty((K, steps * m), dtype=dtype)
    R_cols = None if simplified else np.empty((K, steps * m), dtype=dtype)
    S = np.empty((n_g - 1, n_a, m), dtype=dtype)  # this step's ∂L/∂c<t> (and ∂L/∂(Γr * c<t-1>))
    carry = np.zeros((n_a, m), dtype=dtype)  # ∂L/∂c<t-1> from step t
    for t0, t1 in blocks:
        s = t1 - t0
        dZ, E = F_all[:s], E_all[:s]
        _factors(G[t0:t1], H[t0:t1, :n_a], dZ, E, diff_all[:s])
        dc_block = time_major(dc[:, :, t0:t1], dc_all[:s])  # ∂L/∂c<t> from the outputs
        if simplified:
            _simplified_steps(dZ, E, dc_block, S, W_hT, carry)
        else:
            _full_steps(dZ, E, dc_block, S, W_hT[:, -n_a:], W_hT[:, :-n_a], carry)  # Wc^T; [Wr; Wu]^T
        dZ2 = side_by_side(dZ.reshape(s, n_g * n_a, m), dZ_cols[:, : s * m])  # (n_g n_a, steps * m)
        H2 = side_by_side(H[t0:t1], H_cols[:, : s * m]).T  # (steps * m, n_a + n_x + 1)
        if simplified:
            add_product(dWb, dZ2, H2)  # Σ dz<t> [c<t-1>; x<t>; 1]^T
        else:
            add_product(dWb[: 2 * n_a], dZ2[: 2 * n_a], H2)  # Γr, Γu: [c<t-1>; x<t>; 1]
            add_product(dWb[2 * n_a :], dZ2[2 * n_a :], side_by_side(R[t0:t1], R_cols[:, : s * m]).T)  # c~
        np.matmul(W_xT, dZ2, out=dx[:, t0:t1].reshape(K - n_a - 1, s * m))
    out_dtype = np.result_type(dc, caches[0].xt)
    dc0 = carry.astype(out_dtype, copy=False)
    grads = {"dx": dx.transpose(0, 2, 1).astype(out_dtype, copy=False), "dc0": dc0, "da0": dc0}
    for k in (k for k in "urc" if k in order):  # the order of gru_cell_backward's gradients
        rows = dWb[order.index(k) * n_a : (order.index(k) + 1) * n_a]
        grads[f"dW{k}"] = rows[:, :-1].astype(p[f"W{k}"].dtype, copy=False)  # views of dWb
        grads[f"db{k}"] = rows[:, -1:].astype(p[f"b{k}"].dtype, copy=False)
    return grads


def _factors(g, c_prev, F, E, diff):
    """The factors of ∂L/∂z<t> that the forward fixed, for a block of steps (few whole-block calls).

    g : (steps, n_g, n_a, m), the gates in ORDER;  c_prev : (steps, n_a, m).  Fills, in ORDER,
        F = [c<t-1> σ'(Γr),] (c~<t> − c<t-1>) σ'(Γu), Γu tanh'(c~<t>)    (σ' = Γ(1 − Γ), tanh' = 1 − c~²)
        E = 1 − Γu[, Γr]                                                  (c<t-1>'s direct paths)
    σ' is taken of the whole block, c~'s too (then overwritten): numpy runs a whole contiguous block
    faster than a part of it.
    """
    n_g = g.shape[1]
    gamma_u, c_tilde, F_c = g[:, -2], g[:, -1], F[:, -1]
    np.subtract(1.0, g, out=F)
    np.multiply(F, g, out=F)  # σ' of (Γr,) Γu
    np.subtract(c_tilde, c_prev, out=diff)
    np.multiply(F[:, -2], diff, out=F[:, -2])
    np.subtract(1.0, gamma_u, out=E[:, 0])
    if n_g == 3:
        np.multiply(F[:, 0], c_prev, out=F[:, 0])
        np.copyto(E[:, 1], g[:, 0])
    np.multiply(c_tilde, c_tilde, out=F_c)
    np.subtract(1.0, F_c, out=F_c)
    np.multiply(F_c, gamma_u, out=F_c)


def _full_steps(F, E, dc_block, S, W_cT, W_ruT, carry):
    """The full GRU's steps of one block, latest first: ∂L/∂z<t> into F, ∂L/∂c<t-1> into carry (8 calls).

    S (2, n_a, m) holds ∂L/∂c<t> and ∂L/∂(Γr * c<t-1>) one above the other, so that E = [1 − Γu, Γr]
    scales both in one call.
    """
    n_a, m = carry.shape
    dc, d_rc = S[0], S[1]
    dz_r, dz_uc, dz_c = list(F[:, 0]), list(F[:, 1:]), list(F[:, 2])
    dz_ru = list(F[:, :2].reshape(F.shape[0], 2 * n_a, m))
    e, dc_out = list(E), list(dc_block)
    for i in reversed(range(F.shape[0])):
        np.add(dc_out[i], carry, out=dc)  # ∂L/∂c<t>
        np.multiply(dz_uc[i], dc, out=dz_uc[i])  # ∂L/∂z of Γu and c~<t>
        np.matmul(W_cT, dz_c[i], out=d_rc)  # ∂L/∂(Γr * c<t-1>)
        np.multiply(dz_r[i], d_rc, out=dz_r[i])  # ∂L/∂z of Γr
        np.multiply(S, e[i], out=S)  # ∂L/∂c<t> (1 − Γu), ∂L/∂(Γr * c<t-1>) Γr
        np.matmul(W_ruT, dz_ru[i], out=carry)  # through Γr and Γu
        np.add(carry, dc, out=carry)
        np.add(carry, d_rc, out=carry)  # ∂L/∂c<t-1>


def _simplified_steps(F, E, dc_block, S, W_hT, carry):
    """The simplified GRU's steps of one block, latest first (5 calls)."""
    n_a, m = carry.shape
    dc = S[0]
    dz, dz2, e, dc_out = list(F), list(F.reshape(F.shape[0], 2 * n_a, m)), list(E[:, 0]), list(dc_block)
    for i in reversed(range(F.shape[0])):
        np.add(dc_out[i], carry, out=dc)  # ∂L/∂c<t>
        np.multiply(dz[i], dc, out=dz[i])  # ∂L/∂z of Γu and c~<t>
        np.multiply(dc, e[i], out=dc)  # ∂L/∂c<t> (1 − Γu)
        np.matmul(W_hT, dz2[i], out=carry)  # through Γu and c~<t>
        np.add(carry, dc, out=carry)  # ∂L/∂c<t-1>
