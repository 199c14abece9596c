"""Gradient checking with centred differences.

Taught in 03_bptt. For a scalar loss J(θ), the numerical gradient of one entry is
    (J(θ + ε) − J(θ − ε)) / 2ε,
and an analytic gradient is trusted when its relative error
    ||d_analytic − d_numeric|| / (||d_analytic|| + ||d_numeric||)
is small (below 1e-7 in float64 for these layers).

Parameters may be a dict of arrays, or nest dicts and lists of such dicts (the
bidirectional and stacked layers do). Gradients mirror the nesting, with a ``d`` in
front of every array's key: ``{"Waa": ...}`` → ``{"dWaa": ...}``.
"""

from typing import NamedTuple

import numpy as np

from ._tree import get as _get
from ._tree import grad_path as _grad_path
from ._tree import label as _label
from ._tree import leaves as _leaves


def numerical_gradients(J, parameters, eps=1e-6):
    """Centred-difference gradient of J(parameters) for every parameter array.

    J : callable taking the parameters and returning a scalar loss.
    Returns gradients nested like ``parameters``, keys prefixed with ``d``.
    Each array is perturbed in place and restored, so J sees the very objects it was given.
    """
    def build(tree):
        if isinstance(tree, dict):
            return {(f"d{k}" if isinstance(v, np.ndarray) else k): build(v) for k, v in tree.items()}
        if isinstance(tree, (list, tuple)):
            return [build(v) for v in tree]
        return np.zeros_like(tree, dtype=np.float64)

    grads = build(parameters)
    for path, theta in _leaves(parameters):
        g = _get(grads, _grad_path(path), "gradients")
        for i in np.ndindex(theta.shape):
            old = theta[i]
            theta[i] = old + eps
            plus = float(J(parameters))
            theta[i] = old - eps
            minus = float(J(parameters))
            theta[i] = old
            g[i] = (plus - minus) / (2 * eps)
    return grads


def relative_error(analytic, numeric):
    """||analytic − numeric|| / (||analytic|| + ||numeric||); 0 when both are zero."""
    analytic, numeric = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    if analytic.shape != numeric.shape:
        raise ValueError(f"gradient shapes differ: analytic {analytic.shape}, numerical {numeric.shape}")
    denom = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return 0.0 if denom == 0 else float(np.linalg.norm(analytic - numeric) / denom)


class GradCheckReport(NamedTuple):
    """Relative error per parameter (keyed like the gradients) and the verdict."""

    errors: dict
    threshold: float

    @property
    def ok(self):
        return all(e < self.threshold for e in self.errors.values())

    @property
    def worst(self):
        return max(self.errors.values(), default=0.0)

    def __str__(self):
        width = max((len(k) for k in self.errors), default=4)
        lines = [f"{'gradient':<{width}}  relative error"]
        for k, e in self.errors.items():
            lines.append(f"{k:<{width}}  {e:.2e}  {'ok' if e < self.threshold else 'WRONG?'}")
        lines.append(f"{'all ok' if self.ok else 'some gradients disagree'} (threshold {self.threshold:.0e})")
        return "\n".join(lines)


def gradient_check(J, parameters, gradients, eps=1e-6, threshold=1e-7):
    """Compare analytic ``gradients`` with centred differences of ``J`` for every parameter.

    Returns a GradCheckReport; ``print(report)`` shows a table, ``report.ok`` the verdict.
    A missing gradient raises ValueError naming it.
    """
    numeric = numerical_gradients(J, parameters, eps)
    errors = {}
    for path, _ in _leaves(parameters):
        gpath = _grad_path(path)
        name = _label(gpath)
        errors[name] = relative_error(_get(gradients, gpath, "gradients"), _get(numeric, gpath, "numeric"))
    return GradCheckReport(errors, threshold)
