"""Seeded parameter initialization for the RNN, GRU and LSTM.

Taught in 02_forward_pass (RNN), 06_gru and 07_lstm. Keys and shapes are those of the
conventions; the same seed always gives the same parameters.

Weights are drawn from N(0, 1/fan_in), fan_in being the number of columns of the matrix
(``n_a`` for Waa, ``n_x`` for Wax, ``n_a + n_x`` for a gate acting on ``[a<t-1>; x<t>]``).
Why: a pre-activation ``W v`` then has about the variance of one entry of ``v`` whatever the
layer's width, so tanh and σ start in their sensitive range (not saturated at ±1, where their
derivatives vanish) and the repeated products of backpropagation through time neither blow up
nor die out in the first steps of training. Biases start at zero, except the LSTM's forget
bias: starting it at 1 keeps Γf ≈ σ(1) ≈ 0.73, so the memory cell remembers by default.
"""

import numbers

import numpy as np

from ._checks import as_generator


def _positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _dims(n_x, n_a, n_y):
    """n_x, n_a, n_y checked (n_y may be None), before any random number is drawn."""
    n_x, n_a = _positive_int("n_x", n_x), _positive_int("n_a", n_a)
    return n_x, n_a, (None if n_y is None else _positive_int("n_y", n_y))




def _dtype(dtype):
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt not in (np.dtype(np.float64), np.dtype(np.float32)):
        raise ValueError(f"dtype must be float64 or float32, got {dtype!r}")
    return dt


def _scale(scale):
    if scale is None:
        return None
    if isinstance(scale, bool) or not isinstance(scale, numbers.Real) or not np.isfinite(scale) or scale <= 0:
        raise ValueError(f"scale must be None or a positive number, got {scale!r}")
    return float(scale)


def _draw(rng, spec, dtype, scale, biases=None):
    """Parameters for ``spec`` = {key: shape}; keys starting with 'W' are weights, 'b' biases.

    Weights ~ N(0, scale²), scale defaulting to 1/sqrt(fan_in); biases zero or ``biases[key]``.
    Drawn in float64 in the order of ``spec`` and then cast, so float32 holds the float64 values rounded.
    """
    biases = biases or {}
    out = {}
    for key, shape in spec.items():
        if key.startswith("W"):
            std = scale if scale is not None else 1.0 / np.sqrt(shape[1])  # fan_in = columns
            out[key] = (std * rng.standard_normal(shape)).astype(dtype)
        else:
            out[key] = np.full(shape, biases.get(key, 0.0), dtype=dtype)
    return out


def _output(rng, n_y, n_a, dtype, scale, weight="Wy"):
    """The output layer Wy (n_y, n_a), by (n_y, 1), drawn after the hidden parameters."""
    return _draw(rng, {weight: (n_y, n_a), "by": (n_y, 1)}, dtype, scale)


def initialize_rnn(n_x, n_a, n_y=None, seed=0, dtype=np.float64, scale=None):
    """Parameters of a vanilla RNN.

    Returns dict Waa (n_a, n_a), Wax (n_a, n_x), ba (n_a, 1), and with ``n_y`` also
    Wya (n_y, n_a), by (n_y, 1). ``scale``: None for N(0, 1/fan_in) weights, or a fixed
    standard deviation (e.g. 0.01). The hidden parameters do not depend on ``n_y``.
    """
    n_x, n_a, n_y = _dims(n_x, n_a, n_y)
    rng, dtype, scale = as_generator(seed), _dtype(dtype), _scale(scale)
    parameters = _draw(rng, {"Waa": (n_a, n_a), "Wax": (n_a, n_x), "ba": (n_a, 1)}, dtype, scale)
    if n_y is not None:
        parameters.update(_output(rng, n_y, n_a, dtype, scale, weight="Wya"))
    return parameters


def initialize_gru(n_x, n_a, n_y=None, seed=0, simplified=False, dtype=np.float64, scale=None):
    """Parameters of a GRU in the lecture's form (gates act on ``[c<t-1>; x<t>]``).

    Returns dict Wu, Wr, Wc (n_a, n_a + n_x), bu, br, bc (n_a, 1), and with ``n_y`` also
    Wy (n_y, n_a), by (n_y, 1). ``simplified=True`` leaves out the relevance gate (no Wr, br).
    """
    n_x, n_a, n_y = _dims(n_x, n_a, n_y)
    rng, dtype, scale = as_generator(seed), _dtype(dtype), _scale(scale)
    gates = ("u", "c") if simplified else ("u", "r", "c")
    spec = {f"W{g}": (n_a, n_a + n_x) for g in gates}
    spec.update({f"b{g}": (n_a, 1) for g in gates})
    parameters = _draw(rng, spec, dtype, scale)
    if n_y is not None:
        parameters.update(_output(rng, n_y, n_a, dtype, scale))
    return parameters


def initialize_lstm(n_x, n_a, n_y=None, seed=0, dtype=np.float64, forget_bias=1.0, scale=None):
    """Parameters of an LSTM (gates act on ``[a<t-1>; x<t>]``).

    Returns dict Wf, Wu, Wo, Wc (n_a, n_a + n_x), bf, bu, bo, bc (n_a, 1), and with ``n_y``
    also Wy (n_y, n_a), by (n_y, 1). bf is filled with ``forget_bias``, the other biases are 0.
    """
    n_x, n_a, n_y = _dims(n_x, n_a, n_y)
    rng, dtype, scale = as_generator(seed), _dtype(dtype), _scale(scale)
    is_real = isinstance(forget_bias, numbers.Real) and not isinstance(forget_bias, bool)
    if not is_real or not np.isfinite(forget_bias):
        raise ValueError(f"forget_bias must be a finite number, got {forget_bias!r}")
    gates = ("f", "u", "o", "c")
    spec = {f"W{g}": (n_a, n_a + n_x) for g in gates}
    spec.update({f"b{g}": (n_a, 1) for g in gates})
    parameters = _draw(rng, spec, dtype, scale, biases={"bf": float(forget_bias)})
    if n_y is not None:
        parameters.update(_output(rng, n_y, n_a, dtype, scale))
    return parameters
