"""The table of recurrent families that the bidirectional and stacked layers compose.

Used by 08_brnn (brnn) and 09_deep_rnn (deep). Each family gives the keys and
lecture shapes of its hidden-state parameters (no output layer: Wya/Wy live on top of the
composed layer), a sequence forward and a sequence backward with one common signature:

    forward(x, a0, p)     x : (n_x, m, T_x), a0 : (n_a, m)  ->  a (n_a, m, T_x), caches
    backward(da, caches)  da : (n_a, m, T_x)                ->  dx (n_x, m, T_x), da0 (n_a, m), {dW.., db..}

The LSTM's memory cell starts at c<0> = 0 and its gradient dc0 is not passed on; the GRU is
the full (lecture) GRU, whose state is c<t> = a<t>.
"""

from collections.abc import Callable
from typing import NamedTuple

from . import gru, lstm, rnn


class Family(NamedTuple):
    """One recurrent family: its hidden parameters {key: notation}, forward and backward."""

    hidden: dict
    forward: Callable
    backward: Callable


def _grads(family, grads):
    """The parameter gradients (d + key) of a family's backward result."""
    return {f"d{k}": grads[f"d{k}"] for k in FAMILIES[family].hidden}


def _rnn_forward(x, a0, p):
    a, _, caches = rnn.rnn_forward(x, a0, p)
    return a, caches


def _rnn_backward(da, caches):
    g = rnn.rnn_backward(da, caches)
    return g["dx"], g["da0"], _grads("rnn", g)


def _gru_forward(x, a0, p):
    c, _, caches = gru.gru_forward(x, a0, p)
    return c, caches  # a<t> = c<t>


def _gru_backward(da, caches):
    g = gru.gru_backward(da, caches)
    return g["dx"], g["dc0"], _grads("gru", g)


def _lstm_forward(x, a0, p):
    a, _, _, caches = lstm.lstm_forward(x, a0, p)  # c<0> = 0
    return a, caches


def _lstm_backward(da, caches):
    g = lstm.lstm_backward(da, caches)
    return g["dx"], g["da0"], _grads("lstm", g)


FAMILIES = {
    "rnn": Family(dict(rnn.HIDDEN), _rnn_forward, _rnn_backward),
    "gru": Family({**gru.GATES, **gru.RELEVANCE}, _gru_forward, _gru_backward),
    "lstm": Family(dict(lstm.GATES), _lstm_forward, _lstm_backward),
}


def get_family(cell):
    """The Family for ``cell`` in FAMILIES; ValueError otherwise."""
    if not isinstance(cell, str) or cell not in FAMILIES:
        raise ValueError(f"cell must be one of {sorted(FAMILIES)}, got {cell!r}")
    return FAMILIES[cell]
