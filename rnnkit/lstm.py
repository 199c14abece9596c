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
from .activations import sigmoid, sigmoid_grad, tanh, tanh_grad
from .gru import check_gated
from .output import output_forward

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
    concat = np.concatenate([a_prev, xt])  # [a<t-1>; x<t>], (n_a + n_x, m)
    gamma_f = sigmoid(p["Wf"] @ concat + p["bf"])  # (n_a, m)
    gamma_u = sigmoid(p["Wu"] @ concat + p["bu"])
    gamma_o = sigmoid(p["Wo"] @ concat + p["bo"])
    c_tilde = tanh(p["Wc"] @ concat + p["bc"])
    c_next = gamma_u * c_tilde + gamma_f * c_prev
    tanh_c_next = tanh(c_next)
    a_next = gamma_o * tanh_c_next
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
    """
    arrays = {"x": (x, "(n_x, m, T_x)"), "a0": (a0, "(n_a, m)")}
    if c0 is not None:
        arrays["c0"] = (c0, "(n_a, m)")
    p, checked = check_gated(parameters, GATES, **arrays)
    x, a0 = checked[:2]
    c0 = checked[2] if c0 is not None else np.zeros_like(a0)
    n_a, (m, T_x) = a0.shape[0], x.shape[1:]
    dtype = np.result_type(x, a0, c0, *p.values())
    a = np.empty((n_a, m, T_x), dtype=dtype)
    c = np.empty((n_a, m, T_x), dtype=dtype)
    caches = []
    a_next, c_next = a0, c0
    for t in range(T_x):
        a_next, c_next, _, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, p)
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        caches.append(cache)
    y_pred = output_forward(a, p["Wy"], p["by"]) if "Wy" in p else None
    return a, y_pred, c, caches


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
    """
    if not caches:
        raise ValueError("caches must hold one LSTMCache per time step (from lstm_forward), got none")
    n_a, m = caches[0].a_next.shape
    n_x, T_x = caches[0].xt.shape[0], len(caches)
    s = Shapes(n_a=n_a, m=m, T_x=T_x)
    da = s("da", da, "(n_a, m, T_x)")
    dc = np.zeros_like(da) if dc is None else s("dc", dc, "(n_a, m, T_x)")
    p = caches[0].parameters
    grads = {f"d{k}": np.zeros_like(p[k]) for k in GATES}
    dtype = np.result_type(da, dc, caches[0].xt)
    dx = np.empty((n_x, m, T_x), dtype=dtype)
    da_prev = np.zeros((n_a, m), dtype=dtype)
    dc_prev = np.zeros((n_a, m), dtype=dtype)
    for t in reversed(range(T_x)):
        step = lstm_cell_backward(da[:, :, t] + da_prev, dc[:, :, t] + dc_prev, caches[t])
        dx[:, :, t] = step["dxt"]
        da_prev, dc_prev = step["da_prev"], step["dc_prev"]
        for k in grads:
            grads[k] += step[k]
    return {"dx": dx, "da0": da_prev, "dc0": dc_prev, **grads}
