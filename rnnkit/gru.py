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
from .activations import sigmoid, sigmoid_grad, tanh, tanh_grad
from .output import output_forward

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
    concat = np.concatenate([c_prev, xt])  # [c<t-1>; x<t>], (n_a + n_x, m)
    gamma_u = sigmoid(p["Wu"] @ concat + p["bu"])  # (n_a, m)
    if simplified:
        gamma_r, concat_r = None, concat
    else:
        gamma_r = sigmoid(p["Wr"] @ concat + p["br"])  # (n_a, m)
        concat_r = np.concatenate([gamma_r * c_prev, xt])  # [Γr * c<t-1>; x<t>], (n_a + n_x, m)
    c_tilde = tanh(p["Wc"] @ concat_r + p["bc"])  # (n_a, m)
    c_next = gamma_u * c_tilde + (1 - gamma_u) * c_prev
    yt_pred = output_forward(c_next, p["Wy"], p["by"]) if "Wy" in p else None
    cache = GRUCache(c_next, c_prev, xt, concat, concat_r, gamma_u, gamma_r, c_tilde, p, simplified)
    return c_next, yt_pred, cache


def gru_forward(x, c0, parameters, simplified=False):
    """The GRU over a whole sequence, starting from c<0> = a<0> = c0.

    x : (n_x, m, T_x);  c0 : (n_a, m);  parameters as in gru_cell_forward.
    Returns c (n_a, m, T_x) (which is also a), y_pred (n_y, m, T_x) or None, caches (list of T_x GRUCache).
    The dtype follows the inputs: all float32 in, float32 out.
    """
    simplified = bool(simplified)
    p, (x, c0) = check_gated(parameters, _spec(simplified), x=(x, "(n_x, m, T_x)"), c0=(c0, "(n_a, m)"))
    n_a, (m, T_x) = c0.shape[0], x.shape[1:]
    c = np.empty((n_a, m, T_x), dtype=np.result_type(x, c0, *p.values()))
    caches = []
    c_next = c0
    for t in range(T_x):
        c_next, _, cache = gru_cell_forward(x[:, :, t], c_next, p, simplified)
        c[:, :, t] = c_next
        caches.append(cache)
    y_pred = output_forward(c, p["Wy"], p["by"]) if "Wy" in p else None
    return c, y_pred, caches


def gru_cell_backward(dc_next, cache):
    """Gradients of one GRU step from dc_next = ∂L/∂c<t> (n_a, m) (= ∂L/∂a<t>, since a<t> = c<t>).

    Returns dict dxt (n_x, m), dc_prev (n_a, m), dWu, dbu, dWr, dbr, dWc, dbc (shapes of their
    parameters; no dWr, dbr when the cache comes from the simplified GRU).
    """
    n_a, m = cache.c_next.shape
    dc_next = Shapes(n_a=n_a, m=m)("dc_next", dc_next, "(n_a, m)")
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
    p = caches[0].parameters
    grads = {f"d{k}": np.zeros_like(p[k]) for k in ("Wu", "bu", "Wr", "br", "Wc", "bc") if k in p}
    dtype = np.result_type(dc, caches[0].xt)
    dx = np.empty((n_x, m, T_x), dtype=dtype)
    dc_prev = np.zeros((n_a, m), dtype=dtype)
    for t in reversed(range(T_x)):
        step = gru_cell_backward(dc[:, :, t] + dc_prev, caches[t])
        dx[:, :, t] = step["dxt"]
        dc_prev = step["dc_prev"]
        for k in grads:
            grads[k] += step[k]
    return {"dx": dx, "dc0": dc_prev, "da0": dc_prev, **grads}
