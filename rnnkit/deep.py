"""The deep (stacked) RNN: L recurrent layers, each reading the states of the layer below.

Taught in 09_deep_rnn. With a[0]<t> = x<t>, for l = 1..L:
    a[l]<t>  = g(Wa[l] [a[l]<t-1>; a[l-1]<t>] + ba[l])   layer l's own parameters
    y_hat<t> = softmax(Wy a[L]<t> + by)                    from the top layer
Layer l is the RNN, the GRU or the LSTM (``cell``) with input size n_a[l-1] (n_a[0] = n_x):
for the RNN, Waa[l] (n_a[l], n_a[l]) and Wax[l] (n_a[l], n_a[l-1]).
In Python the layers are a list, so layer l is ``parameters["layers"][l - 1]``.
"""

import re
from typing import NamedTuple

import numpy as np

from ._checks import Shapes, check_parameters
from ._families import get_family
from .output import output_forward

OUTPUT = {"Wy": "(n_y, n_a)", "by": "(n_y, 1)"}

_N_A = re.compile(r"\bn_a\b")
_N_X = re.compile(r"\bn_x\b")


class DeepRNNCache(NamedTuple):
    """What deep_rnn_backward needs: the family's caches of every layer."""

    cell: str  # "rnn", "gru" or "lstm"
    layer_caches: list  # layer_caches[l - 1]: the caches of layer l, steps t = 1..T_x
    n_a: tuple  # (n_a[0] = n_x, n_a[1], ..., n_a[L])
    m: int
    T_x: int


def _in_layer(layer, check, *args, say_input=True, **kwargs):
    """check(*args, **kwargs), its ValueError written with n_a[l] for n_a and n_a[l-1] for n_x.

    The family's shapes are written for one layer, (n_a, n_x); in a stack they are
    (n_a[l], n_a[l-1]), and the message says so (and, with say_input, which layer it is).
    """
    try:
        return check(*args, **kwargs)
    except ValueError as err:
        message = _N_X.sub(f"n_a[{layer - 1}]", _N_A.sub(f"n_a[{layer}]", str(err)))
        if say_input:
            below = "x" if layer == 1 else f"the states of layer {layer - 1}"
            message += f" (layer l = {layer}, whose input is a[{layer - 1}] = {below})"
        raise ValueError(message) from None


def _layers(parameters):
    if not isinstance(parameters, dict):
        raise ValueError(f"parameters must be a dict with 'layers', got {type(parameters).__name__}")
    if "layers" not in parameters:
        raise ValueError("parameters is missing 'layers': the list of the L layers' dicts, layer l = 1..L")
    layers = parameters["layers"]
    if not isinstance(layers, (list, tuple)) or len(layers) == 0:
        raise ValueError(f"parameters['layers'] must be a non-empty list of L dicts, got {layers!r:.80}")
    return layers


def _initial_states(a0, L):
    if a0 is None:
        return [None] * L
    if not isinstance(a0, (list, tuple)) or len(a0) != L:
        shown = len(a0) if isinstance(a0, (list, tuple)) else type(a0).__name__
        raise ValueError(f"a0 must be None or a list of L = {L} arrays a[l]<0> (n_a[l], m), got {shown}")
    return list(a0)


def deep_rnn_forward(x, a0, parameters, cell="rnn"):
    """The stacked layers over a whole sequence.

    x : (n_x, m, T_x)
    a0 : list of L arrays a[l]<0> (n_a[l], m) (an entry may be None), or None: all zeros.
    parameters : "layers", a list of L dicts of the family's hidden parameters, layer l acting on
        [a[l]<t-1>; a[l-1]<t>] (RNN: Waa (n_a[l], n_a[l]), Wax (n_a[l], n_a[l-1]), ba (n_a[l], 1)),
        optionally Wy (n_y, n_a[L]), by (n_y, 1) for the output layer on top.
    cell : "rnn", "gru" or "lstm".
    Returns a (list of L arrays a[l] (n_a[l], m, T_x)), y_pred (n_y, m, T_x) or None,
    caches (DeepRNNCache).
    """
    family = get_family(cell)
    x = Shapes()("x", x, "(n_x, m, T_x)")
    n_x, m, T_x = x.shape
    layers = _layers(parameters)
    L = len(layers)
    a0 = _initial_states(a0, L)
    a, layer_caches, n_a = [], [], [n_x]
    a_below = x  # a[0] = x
    for layer in range(1, L + 1):  # layer = l
        s = Shapes(n_x=n_a[layer - 1], m=m)
        name = f"parameters['layers'][{layer - 1}]"
        p = _in_layer(layer, check_parameters, layers[layer - 1], family.hidden, s, name=name)
        n_a.append(s.dims["n_a"])
        a_prev = a0[layer - 1]
        if a_prev is None:
            a_prev = np.zeros((n_a[layer], m), dtype=np.result_type(x, *p.values()))
        a_prev = _in_layer(layer, s, f"a0[{layer - 1}]", a_prev, "(n_a, m)", say_input=False)
        a_l, caches_l = family.forward(a_below, a_prev, p)  # a[l] (n_a[l], m, T_x)
        a.append(a_l)
        layer_caches.append(caches_l)
        a_below = a_l  # the input of layer l + 1
    y_pred = None
    if "Wy" in parameters or "by" in parameters:
        out = _in_layer(L, check_parameters, parameters, OUTPUT, Shapes(n_a=n_a[L]), say_input=False)
        y_pred = output_forward(a[-1], out["Wy"], out["by"])
    return a, y_pred, DeepRNNCache(cell, layer_caches, tuple(n_a), m, T_x)


def deep_rnn_backward(da, caches):
    """Gradients of the stacked layers.

    da : (n_a[L], m, T_x), the upstream gradient on the top layer's states (from the outputs).
    caches : the DeepRNNCache of deep_rnn_forward.
    From l = L down to 1, layer l's backward gives its parameters' gradients and the gradient on
    its input a[l-1], which is layer l-1's upstream gradient.
    Returns dict "layers" (list of L dicts {dW.., db..}), dx (n_x, m, T_x), da0 (list of L (n_a[l], m)).
    """
    if not isinstance(caches, DeepRNNCache):
        got = type(caches).__name__
        raise ValueError(f"caches must be the DeepRNNCache returned by deep_rnn_forward, got {got}")
    family = get_family(caches.cell)
    L = len(caches.layer_caches)
    s = Shapes(n_a=caches.n_a[L], m=caches.m, T_x=caches.T_x)
    da_l = _in_layer(L, s, "da", da, "(n_a, m, T_x)", say_input=False)
    grads, da0 = [None] * L, [None] * L
    for layer in range(L, 0, -1):
        da_l, da0[layer - 1], grads[layer - 1] = family.backward(da_l, caches.layer_caches[layer - 1])
        # da_l is now ∂L/∂a[l-1], (n_a[l-1], m, T_x): carried down to layer l-1
    return {"layers": grads, "dx": da_l, "da0": da0}
