"""Sampling new sequences from a trained RNN language model.

Taught in 05_sampling. The model is the vanilla RNN of 02-04 trained as a language model:
the input at step 1 is the zero vector, x<1> = 0 (nothing has been read yet), the state
starts at a<0> = 0, and afterwards x<t> = y<t-1>. Sampling starts in exactly the same way:

    a<t>     = tanh(Waa a<t-1> + Wax x<t> + ba)          (n_a, 1)
    z<t>     = Wya a<t> + by                              (n_y, 1), the logits
    y_hat<t> = softmax(z<t> / temperature)                (n_y, 1)
    y<t>     ~ y_hat<t>        one draw: rng.choice(n_y, p=y_hat<t>)
    x<t+1>   = one_hot(y<t>)   the sample is fed back as the next input

until <EOS> is drawn or max_length tokens have been drawn. The temperature divides the
LOGITS before the softmax: T < 1 sharpens the distribution (T -> 0 is the argmax), T > 1
flattens it (T -> infinity is uniform). ``top_k`` keeps only the k largest logits.

Randomness comes only from a ``numpy.random.Generator`` passed in by the caller, one
``rng.choice(n_y, p=probs)`` per step, so the same Generator state gives the same sample
and a sample can be reproduced by re-creating the Generator (never by re-seeding inside
the loop, which would make every step draw the same random number).
"""

import numbers

import numpy as np

from ._checks import Shapes, check_parameters
from .rnn import HIDDEN, OUTPUT
from .vocab import Vocab

__all__ = [
    "continue_text",
    "next_token_distribution",
    "next_token_logits",
    "sample_sequence",
    "softmax_with_temperature",
    "top_k_logits",
]


# ----------------------------------------------------------------------------- checks


def _check_temperature(temperature):
    ok = isinstance(temperature, numbers.Real) and not isinstance(temperature, bool)
    if not ok or not np.isfinite(temperature) or temperature <= 0:
        raise ValueError(f"temperature must be a finite number > 0 (T -> 0 is the argmax), got {temperature!r}")
    return float(temperature)


def _check_top_k(top_k, n_y):
    if top_k is None:
        return None
    if isinstance(top_k, bool) or not isinstance(top_k, numbers.Integral) or not 1 <= top_k <= n_y:
        raise ValueError(f"top_k must be None or an integer in [1, n_y] = [1, {n_y}], got {top_k!r}")
    return int(top_k)


def _check_rng(rng):
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            "rng must be a numpy.random.Generator, e.g. numpy.random.default_rng(0), "
            f"got {type(rng).__name__} {rng!r}: create the Generator once and pass it in"
        )
    return rng


def _check_model(parameters):
    """The RNN language model's arrays; n_x must equal n_y (the output is the next input)."""
    s = Shapes()
    p = check_parameters(parameters, {**HIDDEN, **OUTPUT}, s)
    n_x, n_y = p["Wax"].shape[1], p["Wya"].shape[0]
    if n_x != n_y:
        raise ValueError(f"a language model feeds its output back as input: n_x = {n_x} must equal n_y = {n_y}")
    return p


def _logits_1d(name, z):
    z = np.asarray(z, dtype=np.float64)
    if z.ndim == 2 and z.shape[1] == 1:
        z = z[:, 0]  # a column (n_y, 1) -> (n_y,)
    if z.ndim != 1 or z.size == 0:
        raise ValueError(f"{name} must have shape (n_y,) or (n_y, 1), got {z.shape}")
    return z


# ----------------------------------------------------------------------------- one step


def softmax_with_temperature(z, temperature=1.0):
    """softmax(z / temperature) over axis 0.

    z : (n_y,) or (n_y, m) logits (-inf allowed for excluded tokens).
    The temperature divides the logits BEFORE the softmax; the result sums to 1 per column.
    """
    temperature = _check_temperature(temperature)
    z = np.asarray(z, dtype=np.float64) / temperature
    e = np.exp(z - z.max(axis=0, keepdims=True))  # the max is finite unless every logit is -inf
    return e / e.sum(axis=0, keepdims=True)


def top_k_logits(z, k):
    """The logits with all but the k largest set to -inf (ties broken towards the higher index).

    z : (n_y,) logits. k=None returns a copy of z unchanged. softmax of the result is the
    distribution restricted to the k most likely tokens and renormalised.
    """
    z = _logits_1d("z", z)
    k = _check_top_k(k, z.size)
    out = z.copy()
    if k is not None:
        keep = np.argsort(z, kind="stable")[-k:]  # indices of the k largest logits
        mask = np.ones(z.size, dtype=bool)
        mask[keep] = False
        out[mask] = -np.inf
    return out


def _step(p, a_prev, xt):
    """One step of the language model: (a<t> (n_a, 1), z<t> (n_y,))."""
    a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])  # (n_a, 1)
    z = (p["Wya"] @ a_next + p["by"])[:, 0].astype(np.float64)  # (n_y,)
    return a_next, z


def _one_hot_column(index, n_x, dtype):
    xt = np.zeros((n_x, 1), dtype=dtype)
    xt[index, 0] = 1.0
    return xt


def next_token_logits(parameters, prefix_indices):
    """The logits z<t> (n_y,) of the token that follows ``prefix_indices``.

    The model reads x<1> = 0 from a<0> = 0, then the prefix's tokens as x<2>, x<3>, ...;
    an empty prefix gives the logits of the first token y<1>.
    """
    p = _check_model(parameters)
    n_x = p["Wax"].shape[1]
    prefix = [int(i) for i in np.asarray(prefix_indices, dtype=np.int64).reshape(-1)]
    bad = [i for i in prefix if not 0 <= i < n_x]
    if bad:
        raise ValueError(f"prefix_indices must lie in [0, n_x) = [0, {n_x}), got {bad[0]}")
    dtype = np.result_type(p["Waa"], p["Wax"])
    a = np.zeros((p["Waa"].shape[0], 1), dtype=dtype)  # a<0> = 0, as in training
    a, z = _step(p, a, np.zeros((n_x, 1), dtype=dtype))  # x<1> = 0, as in training
    for index in prefix:
        a, z = _step(p, a, _one_hot_column(index, n_x, dtype))
    return z


def next_token_distribution(parameters, prefix_indices, temperature=1.0, top_k=None):
    """y_hat (n_y,): the distribution of the token after ``prefix_indices``.

    softmax(z / temperature) of next_token_logits, restricted to the top_k logits when given.
    """
    temperature = _check_temperature(temperature)
    z = next_token_logits(parameters, prefix_indices)
    return softmax_with_temperature(top_k_logits(z, top_k), temperature)


# ----------------------------------------------------------------------------- a sequence


def sample_sequence(parameters, vocab, rng, temperature=1.0, top_k=None, max_length=50):
    """Sample one sequence of token indices from an RNN language model.

    parameters : Waa (n_a, n_a), Wax (n_a, n_x), ba (n_a, 1), Wya (n_y, n_a), by (n_y, 1), n_x = n_y
    vocab : the rnnkit.vocab.Vocab the model was trained with (it must hold <EOS>; len(vocab) = n_y)
    rng : a numpy.random.Generator; each step makes exactly one draw ``rng.choice(n_y, p=probs)``
    temperature : > 0, divides the logits before the softmax
    top_k : None, or draw only among the k most likely tokens
    max_length : the largest number of tokens drawn

    Starts like training (a<0> = 0, x<1> = 0) and feeds each sample back as the next input.
    Returns the list of drawn indices. **<EOS> is included** as the last index when it was
    drawn; a list of max_length indices without <EOS> at the end was cut by max_length.
    Decode with ``vocab.decode(indices[:-1])`` to drop the <EOS>.
    """
    p = _check_model(parameters)
    rng = _check_rng(rng)
    temperature = _check_temperature(temperature)
    n_x, n_y = p["Wax"].shape[1], p["Wya"].shape[0]
    if not isinstance(vocab, Vocab):
        raise ValueError(f"vocab must be an rnnkit Vocab, got {type(vocab).__name__}")
    if vocab.eos is None:
        raise ValueError("vocab must hold <EOS> (build it with specials=True): sampling stops at <EOS>")
    if len(vocab) != n_y:
        raise ValueError(f"vocab has {len(vocab)} tokens but the model has n_y = {n_y} outputs")
    top_k = _check_top_k(top_k, n_y)
    if isinstance(max_length, bool) or not isinstance(max_length, numbers.Integral) or max_length < 1:
        raise ValueError(f"max_length must be a positive integer, got {max_length!r}")

    dtype = np.result_type(p["Waa"], p["Wax"])
    a = np.zeros((p["Waa"].shape[0], 1), dtype=dtype)  # a<0> = 0, as in training
    xt = np.zeros((n_x, 1), dtype=dtype)  # x<1> = 0, as in training
    indices = []
    while len(indices) < max_length:
        a, z = _step(p, a, xt)
        probs = softmax_with_temperature(top_k_logits(z, top_k), temperature)  # (n_y,)
        index = int(rng.choice(n_y, p=probs))  # the one random draw of this step
        indices.append(index)
        if index == vocab.eos:
            break
        xt = _one_hot_column(index, n_x, dtype)  # feed the sample back: x<t+1> = y<t>
    return indices


# ----------------------------------------------------------------------------- continuing a text


def continue_text(parameters, vocab, rng, prefix, length, temperature=1.0):
    """``length`` characters drawn from a model trained on continuous text, after reading ``prefix``.

    Such a model (05's Shakespeare, trained by rnnkit.tbptt) starts each stream from a<0> = 0 with
    x<1> = its first character, not a zero input, and has no <EOS>: so the prefix (a non-empty str
    of the vocabulary's tokens) is read from a<0> = 0 as x<1>, x<2>, …, then every drawn character
    is fed back, one ``rng.choice(n_y, p=probs)`` per character. Returns the drawn text (a str).
    """
    p = _check_model(parameters)
    rng = _check_rng(rng)
    temperature = _check_temperature(temperature)
    if not isinstance(vocab, Vocab) or len(vocab) != p["Wya"].shape[0]:
        raise ValueError(f"vocab must be the rnnkit Vocab of the model's n_y = {p['Wya'].shape[0]} tokens")
    if not isinstance(prefix, str) or not prefix:
        raise ValueError(f"prefix must be a non-empty str, got {prefix!r}")
    if isinstance(length, bool) or not isinstance(length, numbers.Integral) or length < 0:
        raise ValueError(f"length must be a non-negative integer, got {length!r}")
    n_x, n_y = p["Wax"].shape[1], p["Wya"].shape[0]
    dtype = np.result_type(p["Waa"], p["Wax"])
    a = np.zeros((p["Waa"].shape[0], 1), dtype=dtype)  # a<0> = 0, as at the start of a stream
    for index in vocab.encode(prefix):
        a, z = _step(p, a, _one_hot_column(index, n_x, dtype))
    drawn = []
    for _ in range(length):
        index = int(rng.choice(n_y, p=softmax_with_temperature(z, temperature)))
        drawn.append(index)
        a, z = _step(p, a, _one_hot_column(index, n_x, dtype))
    return vocab.decode(drawn)
