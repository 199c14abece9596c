"""Embeddings: a learned matrix E whose columns are the vectors of the tokens.

Taught in 04_language_model. With a one-hot x<t> (1 at the index k of the token), the
product Wax x<t> is the column k of Wax: a lookup. An embedding layer makes that lookup
its own learned matrix E (n_e, n_x) and feeds the looked-up vector to the RNN:

    e<t> = E[:, k<t>]          (n_e,)  the same as E x<t>, without the product
    a<t> = tanh(Waa a<t-1> + Wax e<t> + ba)      with Wax (n_a, n_e)

The index −1 (the zero input x<1> = 0 of a language model, and padding) looks up a zero
column. Backward, dE = Σ_t de<t> x<t>ᵀ: only the columns of the tokens that were looked up
get a gradient, and a token looked up twice gets the sum of both.
"""

import numpy as np

from .losses import cross_entropy, cross_entropy_grad
from .output import output_backward, output_forward
from .rnn import rnn_backward, rnn_forward

__all__ = ["embedding_backward", "embedding_forward", "embedding_lm_loss_and_grads", "initialize_embedding_lm"]

PARAMETER_KEYS = ("E", "Waa", "Wax", "ba", "Wya", "by")


def _check_ids(ids, n_x):
    arr = np.asarray(ids)
    if arr.ndim != 2 or (arr.size and arr.dtype.kind not in "iu"):
        raise ValueError(f"ids must be integer indices of shape (m, T_x), got shape {arr.shape} and dtype {arr.dtype}")
    if arr.size and (arr.min() < -1 or arr.max() >= n_x):
        raise ValueError(f"ids must lie in [0, n_x) = [0, {n_x}) or be -1 (zero input, padding)")
    return arr.astype(np.int64)


def embedding_forward(ids, E):
    """e (n_e, m, T_x): e[:, i, t] = E[:, ids[i, t]], a zero column where ids[i, t] = −1.

    ids : (m, T_x) integer indices in [−1, n_x);  E : (n_e, n_x).
    The result equals E @ one_hot(ids, n_x) along the first axis, without the product.
    """
    E = np.asarray(E)
    if E.ndim != 2:
        raise ValueError(f"E must have shape (n_e, n_x), got {E.shape}")
    ids = _check_ids(ids, E.shape[1])
    e = E[:, np.maximum(ids, 0)]  # (n_e, m, T_x), a copy
    e[:, ids < 0] = 0.0  # x<1> = 0 and padding look up nothing
    return e


def embedding_backward(de, ids, n_x):
    """dE (n_e, n_x) from de = ∂L/∂e (n_e, m, T_x): column k sums de[:, i, t] over every ids[i, t] = k.

    Columns of tokens that were not looked up (and the index −1) get nothing.
    """
    de = np.asarray(de)
    if de.ndim != 3:
        raise ValueError(f"de must have shape (n_e, m, T_x), got {de.shape}")
    ids = _check_ids(ids, n_x)
    if ids.shape != de.shape[1:]:
        raise ValueError(f"ids must have shape (m, T_x) = {de.shape[1:]} like de, got {ids.shape}")
    dE = np.zeros((de.shape[0], n_x), dtype=de.dtype)  # (n_e, n_x)
    real = ids >= 0
    np.add.at(dE.T, ids[real], de[:, real].T)  # repeated indices add up (dE[:, ids] += would not)
    return dE


def initialize_embedding_lm(n_x, n_e, n_a, seed=0):
    """Parameters E (n_e, n_x), Waa (n_a, n_a), Wax (n_a, n_e), ba (n_a, 1), Wya (n_x, n_a), by (n_x, 1).

    E ~ N(0, 0.1²) (small, so what training puts in it stands out), the other weights N(0, 1/fan_in),
    biases 0.
    """
    rng = np.random.default_rng(seed)
    return {"E": 0.1 * rng.standard_normal((n_e, n_x)),
            "Waa": rng.standard_normal((n_a, n_a)) / np.sqrt(n_a),
            "Wax": rng.standard_normal((n_a, n_e)) / np.sqrt(n_e), "ba": np.zeros((n_a, 1)),
            "Wya": rng.standard_normal((n_x, n_a)) / np.sqrt(n_a), "by": np.zeros((n_x, 1))}


def embedding_lm_loss_and_grads(parameters, ids, y, mask=None):
    """The language model with an embedding: L (Σ_t L<t>, averaged over m, masked) and its six gradients.

    parameters : E (n_e, n_x), Waa (n_a, n_a), Wax (n_a, n_e), ba (n_a, 1), Wya (n_x, n_a), by (n_x, 1)
    ids : (m, T_x) input indices, −1 for x<1> = 0 and padding;  y : (n_x, m, T_x) one-hot targets;
    mask : (m, T_x) or None. The state starts at a<0> = 0. Returns (L, dict dE, dWaa, dWax, dba, dWya, dby).
    """
    missing = [k for k in PARAMETER_KEYS if k not in parameters]
    if missing:
        raise ValueError(f"parameters must hold {', '.join(PARAMETER_KEYS)}; missing {', '.join(missing)}")
    n_x = parameters["E"].shape[1]
    e = embedding_forward(ids, parameters["E"])  # (n_e, m, T_x)
    if np.shape(y) != (n_x, *e.shape[1:]):
        raise ValueError(f"y must have shape (n_x, m, T_x) = {(n_x, *e.shape[1:])}, got {np.shape(y)}")
    mask = np.ones(e.shape[1:]) if mask is None else mask
    hidden = {k: parameters[k] for k in ("Waa", "Wax", "ba")}
    a, _, caches = rnn_forward(e, np.zeros((parameters["Waa"].shape[0], e.shape[1])), hidden)
    y_hat = output_forward(a, parameters["Wya"], parameters["by"])  # (n_x, m, T_x)
    L = cross_entropy(y_hat, y, mask)
    dWya, dby, da = output_backward(cross_entropy_grad(y_hat, y, mask), a, parameters["Wya"])
    g = rnn_backward(da, caches)
    dE = embedding_backward(g["dx"], ids, n_x)  # g["dx"] is ∂L/∂e, (n_e, m, T_x)
    return L, {"dE": dE, "dWaa": g["dWaa"], "dWax": g["dWax"], "dba": g["dba"], "dWya": dWya, "dby": dby}
