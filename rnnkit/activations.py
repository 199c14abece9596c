"""Activations and the derivatives the backward passes need.

Taught in 02_forward_pass (tanh, softmax, sigmoid) and 03_bptt (derivatives, ReLU).
Derivatives are written in terms of the activation's OUTPUT, as the backward passes
have it in their caches: ``tanh'(z) = 1 - a**2`` with ``a = tanh(z)``.
"""

import numpy as np


def sigmoid(z):
    """σ(z) = 1 / (1 + e^-z), element-wise, without overflow for large |z|."""
    e = np.exp(-np.abs(z))  # never exp of a large positive number
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(s):
    """σ'(z) written with s = σ(z): s (1 - s)."""
    return s * (1.0 - s)


def tanh(z):
    """tanh(z), element-wise."""
    return np.tanh(z)


def tanh_grad(a):
    """tanh'(z) written with a = tanh(z): 1 - a²."""
    return 1.0 - a * a


def relu(z):
    """max(0, z), element-wise."""
    return np.maximum(z, 0.0)


def relu_grad(a):
    """relu'(z) written with a = relu(z): 1 where a > 0, else 0."""
    return (a > 0).astype(a.dtype)


def softmax(z):
    """Softmax over axis 0 (the class axis of column vectors).

    z : (n_y, m) or (n_y, m, T_y). Subtracting the column maximum keeps exp finite.
    """
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


# The hidden-state nonlinearities a layer may use, with their derivatives.
ACTIVATIONS = {"tanh": (tanh, tanh_grad), "relu": (relu, relu_grad), "sigmoid": (sigmoid, sigmoid_grad)}


def get_activation(name):
    """(g, g') for ``name`` in ACTIVATIONS; ValueError otherwise."""
    if name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {name!r}")
    return ACTIVATIONS[name]
