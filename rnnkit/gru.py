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
"""

from typing import NamedTuple

import numpy as np

from ._checks import Shapes, check_parameters
from .activations import sigmoid_grad, tanh_grad
from .output import output_forward
from .rnn import SequenceCaches, chunks, sigmoid_, steps_of, time_ordered

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
    n_a, m = c_prev.shape
    dtype = np.result_type(xt, c_prev, *p.values())
    concat = np.concatenate([c_prev, xt]).astype(dtype, copy=False)  # [c<t-1>; x<t>], (n_a + n_x, m)
    concat_r = concat if simplified else concat.copy()  # [Γr * c<t-1>; x<t>] once _step has run
    gates = np.empty(((2 if simplified else 3) * n_a, m), dtype=dtype)  # Γu, (Γr,) c~<t> stacked
    c_next = np.empty((n_a, m), dtype=dtype)
    _step(*stacked(p, simplified, dtype), concat, concat_r, gates, c_next, simplified)
    gamma_u, gamma_r, c_tilde = _split(gates, simplified)
    yt_pred = output_forward(c_next, p["Wy"], p["by"]) if "Wy" in p else None
    cache = GRUCache(c_next, c_prev, xt, concat, concat_r, gamma_u, gamma_r, c_tilde, p, simplified)
    return c_next, yt_pred, cache


def gru_forward(x, c0, parameters, simplified=False):
    """The GRU over a whole sequence, starting from c<0> = a<0> = c0.

    x : (n_x, m, T_x);  c0 : (n_a, m);  parameters as in gru_cell_forward.
    Returns c (n_a, m, T_x) (which is also a), y_pred (n_y, m, T_x) or None, caches (list of T_x GRUCache).
    The dtype follows the inputs: all float32 in, float32 out.

    Same result as calling gru_cell_forward at every step (the loop that 06_gru writes), bit for
    bit, computed faster: the gates' weights are stacked (one product for Γu and Γr, one for c~<t>),
    and everything lives in whole-sequence buffers in time order (rows, T_x, m): the caches' arrays
    (and ``c``) are views of them, nothing is copied.
    """
    simplified = bool(simplified)
    p, (x, c0) = check_gated(parameters, _spec(simplified), x=(x, "(n_x, m, T_x)"), c0=(c0, "(n_a, m)"))
    n_x, m, T_x = x.shape
    n_a = c0.shape[0]
    dtype = np.result_type(x, c0, *p.values())
    W, b = stacked(p, simplified, dtype)  # ((2 or 3) n_a, n_a + n_x), ((2 or 3) n_a, 1)
    H = np.empty((n_a + n_x, T_x + 1, m), dtype=dtype)  # H[:, t] = [c<t-1>; x<t>], the concat of step t
    H[:n_a, 0], H[n_a:, :T_x], H[n_a:, T_x] = c0, x.transpose(0, 2, 1), 0  # H[n_a:, T_x] is unused
    R = H if simplified else np.empty((n_a + n_x, T_x, m), dtype=dtype)  # R[:, t] = [Γr * c<t-1>; x<t>]
    if not simplified:
        R[n_a:] = H[n_a:, :T_x]
    G = np.empty((W.shape[0], T_x, m), dtype=dtype)  # Γu, (Γr,) c~ of every step
    for t in range(T_x):
        _step(W, b, H[:, t], R[:, t], G[:, t], H[:n_a, t + 1], simplified)
    h, r, g = steps_of(H), steps_of(R), [_split(gt, simplified) for gt in steps_of(G)]
    caches = SequenceCaches(
        [GRUCache(h[t + 1][:n_a], h[t][:n_a], h[t][n_a:], h[t], r[t], *g[t], p, simplified)
         for t in range(T_x)],
        {"H": H, "R": R, "G": G},
    )
    c = H[:n_a, 1:].transpose(0, 2, 1)  # (n_a, m, T_x), a view of H
    y_pred = output_forward(c, p["Wy"], p["by"]) if "Wy" in p else None
    return c, y_pred, caches


def _step(W, b, concat, concat_r, gates, c_next, simplified):
    """One step, shared by gru_cell_forward and gru_forward: fills gates, concat_r[:n_a] and c_next.

    W, b : the stacked weights [Wu; Wr; Wc] and biases ([Wu; Wc] when simplified, then concat_r
    is concat);  concat (n_a + n_x, m): [c<t-1>; x<t>];  concat_r[n_a:] already holds x<t>.
    """
    n_a = c_next.shape[0]
    c_prev = concat[:n_a]
    if simplified:  # Γu and c~<t> both read [c<t-1>; x<t>] (concat_r is concat): one product
        np.matmul(W, concat, out=gates)
        gates += b
        sigmoid_(gates[:n_a])
    else:
        np.matmul(W[: 2 * n_a], concat, out=gates[: 2 * n_a])
        gates[: 2 * n_a] += b[: 2 * n_a]
        sigmoid_(gates[: 2 * n_a])  # Γu, Γr
        np.multiply(gates[n_a : 2 * n_a], c_prev, out=concat_r[:n_a])  # Γr * c<t-1>
        np.matmul(W[2 * n_a :], concat_r, out=gates[2 * n_a :])
        gates[2 * n_a :] += b[2 * n_a :]
    c_tilde = gates[-n_a:]
    np.tanh(c_tilde, out=c_tilde)
    gamma_u = gates[:n_a]
    np.multiply(gamma_u, c_tilde, out=c_next)
    c_next += (1 - gamma_u) * c_prev  # c<t> = Γu * c~<t> + (1 − Γu) * c<t-1>


def _split(gates, simplified):
    """(Γu, Γr, c~<t>) views of stacked gates; Γr is None when simplified."""
    n_a = gates.shape[0] // (2 if simplified else 3)
    if simplified:
        return gates[:n_a], None, gates[n_a:]
    return gates[:n_a], gates[n_a : 2 * n_a], gates[2 * n_a :]


def stacked(p, simplified, dtype):
    """W = [Wu; Wr; Wc] ((3 n_a, n_a + n_x); [Wu; Wc] when simplified) and the biases alike, in ``dtype``."""
    keys = "uc" if simplified else "urc"
    W = np.concatenate([p[f"W{k}"] for k in keys]).astype(dtype, copy=False)
    b = np.concatenate([p[f"b{k}"] for k in keys]).astype(dtype, copy=False)
    return W, b


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
    """gru_backward for the caches of gru_forward: the same sums, in blocks of time steps."""
    H, R, G = (caches.buffers[k] for k in ("H", "R", "G"))
    p, simplified = caches[0].parameters, caches[0].simplified
    n_a, T_x, m = caches[0].c_next.shape[0], G.shape[1], G.shape[2]
    n_x = H.shape[0] - n_a
    dtype = np.result_type(dc, H)
    W, _ = stacked(p, simplified, dtype)
    k_rec = n_a if simplified else 2 * n_a  # rows of W whose product with c<t-1> runs step by step
    WaT, WcT, WxT = W[:k_rec, :n_a].T, W[-n_a:, :n_a].T, W[:, n_a:].T
    dW, db = np.zeros(W.shape, dtype=dtype), np.zeros((W.shape[0], 1), dtype=dtype)
    dx = np.empty((n_x, T_x, m), dtype=dtype)  # in time order; returned as a (n_x, m, T_x) view
    dc_prev = np.zeros((n_a, m), dtype=dtype)
    for t0, t1 in chunks(T_x, m):
        gates = G[:, t0:t1]  # Γu, (Γr,) c~ of these steps
        dZ = gates * (1 - gates)  # σ' = s (1 − s) for the gates; the c~ rows are replaced below
        dZ[-n_a:] = tanh_grad(gates[-n_a:])
        dc_block = time_ordered(dc, t0, t1)
        for t in reversed(range(t0, t1)):
            i = t - t0
            gamma_u, gamma_r, c_tilde = _split(G[:, t], simplified)
            dz_u, dz_r, dz_c = _split(dZ[:, i], simplified)  # σ'/tanh' now, ∂L/∂(pre-activation) after
            c_prev = H[:n_a, t]
            dc_next = dc_block[:, i] + dc_prev
            dz_c *= dc_next * gamma_u
            dz_u *= dc_next * (c_tilde - c_prev)
            dc_prev = dc_next * (1 - gamma_u)
            if simplified:
                dc_prev += WcT @ dz_c
            else:
                d_rc = WcT @ dz_c  # ∂L/∂(Γr * c<t-1>), (n_a, m)
                dc_prev += d_rc * gamma_r
                dz_r *= d_rc * c_prev
            dc_prev += WaT @ dZ[:k_rec, i]  # through Γu (and Γr) back to c<t-1>
        dZ2 = dZ.reshape(dZ.shape[0], -1)  # (rows, steps * m)
        concat, concat_r = H[:, t0:t1].reshape(n_a + n_x, -1), R[:, t0:t1].reshape(n_a + n_x, -1)
        if simplified:
            dW += dZ2 @ concat.T
        else:
            dW[: 2 * n_a] += dZ2[: 2 * n_a] @ concat.T  # Σ dz<t> [c<t-1>; x<t>]^T for Γu, Γr
            dW[2 * n_a :] += dZ2[2 * n_a :] @ concat_r.T  # Σ dz_c<t> [Γr * c<t-1>; x<t>]^T
        db += dZ2.sum(axis=1, keepdims=True)
        dx[:, t0:t1] = (WxT @ dZ2).reshape(n_x, t1 - t0, m)
    keys = "uc" if simplified else "urc"
    dW_parts = dict(zip(keys, np.split(dW, len(keys)), strict=True))
    db_parts = dict(zip(keys, np.split(db, len(keys)), strict=True))
    out_dtype = np.result_type(dc, caches[0].xt)
    dc0 = dc_prev.astype(out_dtype, copy=False)
    grads = {"dx": dx.transpose(0, 2, 1).astype(out_dtype, copy=False), "dc0": dc0, "da0": dc0}
    for k in "urc":
        if k in dW_parts:
            grads[f"dW{k}"] = dW_parts[k].astype(p[f"W{k}"].dtype, copy=False)
            grads[f"db{k}"] = db_parts[k].astype(p[f"b{k}"].dtype, copy=False)
    return grads
