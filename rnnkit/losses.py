"""Cross-entropy losses, their gradients, and perplexity.

Taught in 03_bptt (loss and gradient) and 04_language_model (masking, perplexity).
The lecture's loss for one step and for the sequence:
    L<t>(y_hat<t>, y<t>) = −Σ_i y_i<t> log y_hat_i<t>,      L = Σ_t L<t>
(binary form for a single sigmoid output: −[y log y_hat + (1 − y) log(1 − y_hat)]).

Reductions: ``cross_entropy`` sums L<t> over time, as the lecture does, and AVERAGES over
the m examples of the batch, so the loss and the step size it implies do not grow with m.
The gradients below are of that averaged loss. A ``mask`` (m, T_y) of 0/1 or bool marks
the real steps of padded sequences: a masked step contributes nothing to loss or gradient.
"""

import numpy as np

from ._checks import Shapes

# Predictions are clipped to [EPS, 1 − EPS] before the log: a probability that underflowed
# to exactly 0 would make log give −inf, and 0 · log 0 = nan for every class that is not the
# target; clipped, such a step costs a large but finite −log(1e-12) ≈ 27.6.
EPS = 1e-12


def _check(y_hat, y, mask, binary=False):
    """Validate y_hat, y (n_y, m, T_y) and mask (m, T_y); return them with mask as 0/1 floats."""
    s = Shapes(n_y=1) if binary else Shapes()
    y_hat = s("y_hat", y_hat, "(n_y, m, T_y)")
    y = s("y", y, "(n_y, m, T_y)")
    if np.any(y_hat < 0) or np.any(y_hat > 1):
        out = "sigmoid" if binary else "softmax"
        raise ValueError(
            f"y_hat must hold probabilities in [0, 1] (the {out} outputs, not the scores z), "
            f"got values in [{y_hat.min():.3g}, {y_hat.max():.3g}]"
        )
    if mask is None:
        mask = np.ones(y.shape[1:])
    else:
        mask = s("mask", mask, "(m, T_y)")
        if not np.all((mask == 0) | (mask == 1)):
            raise ValueError("mask must hold only 0/1 (or False/True): 1 for a real step, 0 for padding")
    return y_hat, y, mask


def _log(p):
    return np.log(np.clip(p.astype(np.float64), EPS, 1.0 - EPS))


def cross_entropy_steps(y_hat, y, mask=None):
    """L<t> for every example and step, zero at masked steps.

    y_hat : (n_y, m, T_y) softmax outputs;  y : (n_y, m, T_y) targets (one-hot columns);
    mask : (m, T_y) or None.  Returns (m, T_y) float64.
    """
    y_hat, y, mask = _check(y_hat, y, mask)
    return -(y * _log(y_hat)).sum(axis=0) * mask  # (m, T_y)


def cross_entropy(y_hat, y, mask=None):
    """L = Σ_t L<t>, averaged over the m examples (a float).

    y_hat, y : (n_y, m, T_y);  mask : (m, T_y) or None.
    """
    steps = cross_entropy_steps(y_hat, y, mask)
    return float(steps.sum() / steps.shape[0])


def cross_entropy_grad(y_hat, y, mask=None):
    """dz = ∂L/∂z for y_hat = softmax(z) and the averaged loss of ``cross_entropy``.

    Softmax and cross-entropy together differentiate to y_hat − y; masked steps get 0 and
    every step is divided by m. Returns dz (n_y, m, T_y), ready for output_backward.
    """
    y_hat, y, mask = _check(y_hat, y, mask)
    dz = (y_hat - y) * mask / y.shape[1]  # (n_y, m, T_y)
    return dz.astype(np.result_type(y_hat, y), copy=False)


def binary_cross_entropy(y_hat, y, mask=None):
    """The binary loss for one sigmoid output, summed over time and averaged over m (a float).

    y_hat : (1, m, T_y) sigmoid outputs;  y : (1, m, T_y) targets in {0, 1};  mask : (m, T_y) or None.
    """
    y_hat, y, mask = _check(y_hat, y, mask, binary=True)
    steps = -(y * _log(y_hat) + (1 - y) * _log(1 - y_hat))[0] * mask  # (m, T_y)
    return float(steps.sum() / y.shape[1])


def binary_cross_entropy_grad(y_hat, y, mask=None):
    """dz = ∂L/∂z for y_hat = σ(z) and ``binary_cross_entropy``.

    σ and the binary loss together differentiate to y_hat − y:
    dz = (y_hat − y) * mask / m, shape (1, m, T_y).
    """
    y_hat, y, mask = _check(y_hat, y, mask, binary=True)
    dz = (y_hat - y) * mask / y.shape[1]  # (1, m, T_y)
    return dz.astype(np.result_type(y_hat, y), copy=False)


def perplexity(y_hat, y, mask=None):
    """exp(total loss / number of real tokens): the model's average branching factor.

    A model that spreads its probability uniformly over n_y tokens has perplexity n_y.
    y_hat, y : (n_y, m, T_y);  mask : (m, T_y) or None (then every step is a real token).
    """
    steps = cross_entropy_steps(y_hat, y, mask)
    n_tokens = steps.size if mask is None else float(np.asarray(mask, dtype=np.float64).sum())
    if n_tokens == 0:
        raise ValueError("mask must keep at least one real token to compute a perplexity, got all zeros")
    return float(np.exp(steps.sum() / n_tokens))
