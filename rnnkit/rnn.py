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


def rnn_forward(x, a0, parameters, activation="tanh"):
    """The RNN over a whole sequence, starting from a<0> = a0.

    x : (n_x, m, T_x);  a0 : (n_a, m)
    Returns a (n_a, m, T_x), y_pred (n_y, m, T_x) or None, caches (list of T_x RNNCache).
    """
    p, (x, a0) = _check(parameters, x=(x, "(n_x, m, T_x)"), a0=(a0, "(n_a, m)"))
    n_a, (m, T_x) = a0.shape[0], x.shape[1:]
    a = np.empty((n_a, m, T_x), dtype=np.result_type(x, a0, p["Waa"]))
    caches = []
    a_next = a0
    for t in range(T_x):
        a_next, _, cache = rnn_cell_forward(x[:, :, t], a_next, p, activation)
        a[:, :, t] = a_next
        caches.append(cache)
    y_pred = output_forward(a, p["Wya"], p["by"]) if _has_output(p) else None
    return a, y_pred, caches


def rnn_cell_backward(da_next, cache):
    """Gradients of one step from da_next = ∂L/∂a<t> (n_a, m).

    Returns dict dxt (n_x, m), da_prev (n_a, m), dWax, dWaa, dba (shapes of their parameters).
    """
    Shapes(n_a=cache.a_next.shape[0], m=cache.a_next.shape[1])("da_next", da_next, "(n_a, m)")
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
    """
    if not caches:
        raise ValueError("caches must hold one RNNCache per time step, got none")
    n_a, m = caches[0].a_next.shape
    n_x = caches[0].xt.shape[0]
    da = Shapes(n_a=n_a, m=m, T_x=len(caches))("da", da, "(n_a, m, T_x)")
    p = caches[0].parameters
    grads = {k: np.zeros_like(p[k[1:]]) for k in ("dWax", "dWaa", "dba")}
    dx = np.empty((n_x, m, len(caches)), dtype=da.dtype)
    da_prev = np.zeros((n_a, m), dtype=da.dtype)
    for t in reversed(range(len(caches))):
        step = rnn_cell_backward(da[:, :, t] + da_prev, caches[t])
        dx[:, :, t] = step["dxt"]
        da_prev = step["da_prev"]
        for k in grads:
            grads[k] += step[k]
    return {"dx": dx, "da0": da_prev, **grads}
