"""Optimizers and gradient clipping over parameter dicts.

Taught in 03_bptt (clipping: the lecture's cure for exploding gradients) and
04_language_model (training with SGD, Adam, Adagrad).

Gradients mirror the parameters with a ``d`` in front of each key (``Waa`` → ``dWaa``), and
may nest dicts and lists the same way (bidirectional and stacked layers): see rnnkit.gradcheck.
Extra gradients such as ``dx`` or ``da0`` are ignored by the optimizers. ``step`` updates the
parameter arrays IN PLACE and returns the same dict; an optimizer's state (Adam's t, m, v;
Adagrad's running sum of squares) is kept in plain attributes, keyed by the gradient's name
(``"dWaa"``, or ``"0.dWu"`` inside a list), so it can be printed and inspected.
"""

import numbers

import numpy as np

from ._tree import get, grad_path, label, leaves, map_leaves


def _positive(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return float(value)


def _beta(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}")
    return float(value)


def _pairs(parameters, gradients):
    """[(name, θ, dθ)] for every parameter array, all checked before anything is updated."""
    if not isinstance(parameters, (dict, list, tuple)):
        raise ValueError(f"parameters must be a dict of arrays, got {type(parameters).__name__}")
    pairs = []
    for path, theta in leaves(parameters):
        gpath = grad_path(path)
        name = label(gpath)
        dtheta = get(gradients, gpath, "gradients")
        if not isinstance(dtheta, np.ndarray) or dtheta.shape != theta.shape:
            shape = getattr(dtheta, "shape", type(dtheta).__name__)
            raise ValueError(
                f"gradients['{name}'] must have the shape of its parameter {theta.shape}, got {shape}"
            )
        pairs.append((name, theta, dtheta))
    return pairs


class SGD:
    """Plain gradient descent: θ ← θ − lr · dθ."""

    def __init__(self, lr):
        self.lr = _positive("lr", lr)

    def step(self, parameters, gradients):
        """Update every array of ``parameters`` in place from ``gradients``; return ``parameters``."""
        for _, theta, dtheta in _pairs(parameters, gradients):
            theta -= self.lr * dtheta
        return parameters


class Adam:
    """Adam (Kingma & Ba, 2015): momentum on the gradient and on its square, bias-corrected.

    At step t (counted from 1), for each parameter θ with gradient dθ:
        m ← β1 m + (1 − β1) dθ,        v ← β2 v + (1 − β2) dθ²
        m̂ = m / (1 − β1^t),           v̂ = v / (1 − β2^t)
        θ ← θ − lr · m̂ / (√v̂ + eps)
    m and v start at 0, so without the correction the first steps would be too small.
    State: ``t`` (int), ``m`` and ``v`` (dicts of arrays keyed by gradient name).
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr = _positive("lr", lr)
        self.beta1 = _beta("beta1", beta1)
        self.beta2 = _beta("beta2", beta2)
        self.eps = _positive("eps", eps)
        self.t = 0
        self.m = {}
        self.v = {}

    def step(self, parameters, gradients):
        """Update every array of ``parameters`` in place from ``gradients``; return ``parameters``."""
        pairs = _pairs(parameters, gradients)
        self.t += 1
        correct1 = 1.0 - self.beta1**self.t
        correct2 = 1.0 - self.beta2**self.t
        for name, theta, dtheta in pairs:
            m = self.m.setdefault(name, np.zeros(theta.shape))
            v = self.v.setdefault(name, np.zeros(theta.shape))
            m *= self.beta1
            m += (1.0 - self.beta1) * dtheta
            v *= self.beta2
            v += (1.0 - self.beta2) * dtheta**2
            theta -= self.lr * (m / correct1) / (np.sqrt(v / correct2) + self.eps)
        return parameters


class Adagrad:
    """Adagrad (Duchi et al., 2011): each entry's step shrinks with its history of gradients.

        G ← G + dθ²,        θ ← θ − lr · dθ / (√G + eps)
    State: ``G`` (dict of arrays keyed by gradient name), starting at 0.
    """

    def __init__(self, lr=1e-1, eps=1e-8):
        self.lr = _positive("lr", lr)
        self.eps = _positive("eps", eps)
        self.G = {}

    def step(self, parameters, gradients):
        """Update every array of ``parameters`` in place from ``gradients``; return ``parameters``."""
        for name, theta, dtheta in _pairs(parameters, gradients):
            G = self.G.setdefault(name, np.zeros(theta.shape))
            G += dtheta**2
            theta -= self.lr * dtheta / (np.sqrt(G) + self.eps)
        return parameters


def _check_gradients(gradients):
    if not isinstance(gradients, (dict, list, tuple)):
        raise ValueError(f"gradients must be a dict of arrays, got {type(gradients).__name__}")
    return [g for _, g in leaves(gradients, name="gradients")]


def clip_by_value(gradients, max_value):
    """A new gradient dict with every entry clipped to [−max_value, max_value].

    Simple, but it can change the gradient's direction; see clip_by_norm.
    """
    max_value = _positive("max_value", max_value)
    _check_gradients(gradients)
    return map_leaves(lambda g: np.clip(g, -max_value, max_value), gradients)


def clip_by_norm(gradients, max_norm):
    """Rescale all gradients together so their global L2 norm is at most ``max_norm``.

    The global norm is √(Σ over every array of Σ dθ²). When it exceeds ``max_norm`` every
    array is multiplied by max_norm / norm, which keeps the direction of the update;
    otherwise the gradients are copied unchanged.
    Returns (new gradient dict, the global norm before clipping).
    """
    max_norm = _positive("max_norm", max_norm)
    arrays = _check_gradients(gradients)
    norm = float(np.sqrt(sum(float(np.sum(np.square(g, dtype=np.float64))) for g in arrays)))
    if not np.isfinite(norm):
        raise ValueError("gradients have a non-finite global norm (inf or nan): lower the learning rate "
                         "or clip_by_value first")
    if norm <= max_norm:
        return map_leaves(np.copy, gradients), norm
    scale = max_norm / norm
    return map_leaves(lambda g: (g * scale).astype(g.dtype, copy=False), gradients), norm
