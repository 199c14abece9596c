"""Subject–verb agreement across a clause of chosen length: a long-range task of our own.

Taught in 06_gru and 07_lstm. It is modelled on the lecture's pair
    "The cat, which already ate …, was full."   /   "The cats, which already ate …, were full."
The number of the subject decides the verb many steps later; a clause of ``k`` words stands
between them. A sentence is the token sequence

    the  <subject>  which  w_1 … w_k  ,          T_x = k + 4 tokens

and the task (many-to-one) is to predict, at the last step t = T_x (the verb slot after the
comma), whether the verb is "was" (label 0, singular subject) or "were" (label 1, plural subject).
The subject is x<2>; the label is read T_x − 2 = k + 2 steps later.

The clause words w_1 … w_k are drawn at random:
    mixed=False  from NEUTRAL words that carry no number ("already", "ate", "quickly", ...);
    mixed=True   each word is, with probability 1/2, a noun of random number ("mouse"/"mice",
                 "bone"/"bones", ...) drawn independently of the subject: an attractor that a
                 model which only remembers "the last noun" gets wrong half of the time.
The vocabulary (VOCAB, n_x = 23 tokens) is the same in both forms, so models can be compared.
Everything is deterministic given ``seed``; labels are balanced (exactly ⌊m/2⌋ plural when
``balanced=True``, the default).

Also here: ``accuracy``, and a small trainer for a many-to-one classifier on top of rnnkit's
reference layers (``train_agreement``, ``predict_agreement``): the prediction is
y_hat = σ(Wy a<T_x> + by) (n_y = 1), the loss the binary cross-entropy averaged over m, the
optimizer Adam with the gradients clipped by norm.
"""

import numbers
from typing import NamedTuple

import numpy as np

from ._checks import Shapes
from ._families import get_family
from .activations import sigmoid
from .init import initialize_gru, initialize_lstm, initialize_rnn
from .optim import Adam, clip_by_norm
from .vocab import one_hot

SINGULAR = ("cat", "dog", "bird")
PLURAL = ("cats", "dogs", "birds")
NEUTRAL = ("already", "ate", "slept", "ran", "then", "quickly", "outside", "again")
ATTRACTORS_SINGULAR = ("mouse", "bone", "toy")
ATTRACTORS_PLURAL = ("mice", "bones", "toys")
VOCAB = ("the", *SINGULAR, *PLURAL, "which", *NEUTRAL, *ATTRACTORS_SINGULAR, *ATTRACTORS_PLURAL, ",")
VERBS = ("was", "were")  # label 0, label 1

_INDEX = {tok: i for i, tok in enumerate(VOCAB)}


class AgreementData(NamedTuple):
    """One data set of the agreement task (unpacks as ``x, y, vocab, ids = make_agreement(...)``)."""

    x: np.ndarray  # one-hot inputs                     (n_x, m, T_x), T_x = k + 4
    y: np.ndarray  # labels at the last step, 0 = was, 1 = were   (1, m) float64
    vocab: tuple  # the n_x tokens; x[i, :, t] is 1 where token vocab[i] stands
    ids: np.ndarray  # token indices                    (m, T_x) int64


def _nonnegative_int(name, value, minimum=0):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _rng(seed):
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(_nonnegative_int("seed", seed))


def make_agreement(m, k, seed=0, mixed=False, balanced=True):
    """m sentences "the <subject> which w_1 … w_k ," and their verb labels (was = 0, were = 1).

    m : number of examples (≥ 1);  k : clause length (≥ 0), so T_x = k + 4;  seed : int or Generator.
    mixed : False for number-free clause words, True for attractor nouns of random number.
    balanced : True for exactly ⌊m/2⌋ plural subjects (in random order), False for independent draws.
    Returns AgreementData(x (n_x, m, T_x), y (1, m), vocab (n_x tokens), ids (m, T_x)).
    For rnnkit.binary_cross_entropy (which wants (1, m, T_y)) use y[:, :, None].
    """
    m = _nonnegative_int("m", m, minimum=1)
    k = _nonnegative_int("k", k)
    rng = _rng(seed)
    if balanced:
        labels = rng.permutation(np.arange(m) < m // 2).astype(np.int64)  # (m,)
    else:
        labels = rng.integers(0, 2, size=m)
    nouns = rng.integers(0, len(SINGULAR), size=m)
    subjects = np.where(labels == 1, [_INDEX[PLURAL[i]] for i in nouns], [_INDEX[SINGULAR[i]] for i in nouns])
    clause = np.array([_INDEX[w] for w in NEUTRAL])[rng.integers(0, len(NEUTRAL), size=(m, k))]  # (m, k)
    if mixed:
        attractors = np.array([[_INDEX[w] for w in ATTRACTORS_SINGULAR],
                               [_INDEX[w] for w in ATTRACTORS_PLURAL]])  # (number, noun)
        number = rng.integers(0, 2, size=(m, k))
        which = rng.integers(0, len(ATTRACTORS_SINGULAR), size=(m, k))
        clause = np.where(rng.random((m, k)) < 0.5, attractors[number, which], clause)
    ids = np.empty((m, k + 4), dtype=np.int64)  # (m, T_x)
    ids[:, 0] = _INDEX["the"]
    ids[:, 1] = subjects
    ids[:, 2] = _INDEX["which"]
    ids[:, 3 : 3 + k] = clause
    ids[:, -1] = _INDEX[","]
    x = one_hot(ids, len(VOCAB))  # (n_x, m, T_x)
    y = labels.astype(np.float64)[None, :]  # (1, m)
    return AgreementData(x, y, VOCAB, ids)


def sentence(ids, label=None):
    """The tokens of one example as text, e.g. ``sentence(data.ids[0], data.y[0, 0])``.

    ids : (T_x,) indices; label : 0, 1 or None (then the verb is shown as "___").
    """
    words = [VOCAB[int(i)] for i in np.asarray(ids).reshape(-1)]
    verb = "___" if label is None else VERBS[int(label)]
    return " ".join(words) + " " + verb + " full."


def accuracy(y_hat, y):
    """Fraction of examples whose prediction (y_hat > 0.5) equals the label y.

    y_hat : (1, m) probabilities of "were" (or (1, m, T_y) / (m,)); y : labels 0/1 of the same size.
    """
    y_hat = np.asarray(y_hat, dtype=np.float64).reshape(-1)
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    if y_hat.shape != y.shape or y.size == 0:
        raise ValueError(
            f"y_hat and y must hold the same number (≥ 1) of entries, got {y_hat.size} and {y.size}"
        )
    return float(((y_hat > 0.5) == (y > 0.5)).mean())


# ----------------------------------------------------------------------------- a small trainer

_INIT = {"rnn": initialize_rnn, "gru": initialize_gru, "lstm": initialize_lstm}


def _head_key(cell):
    return "Wya" if cell == "rnn" else "Wy"


def predict_agreement(cell, parameters, x):
    """y_hat = σ(Wy a<T_x> + by), the probability of "were", for each example.

    cell : "rnn", "gru" or "lstm" (rnnkit's reference layers, a<0> = 0);
    parameters : that family's hidden keys plus the output layer (Wya for "rnn", Wy otherwise) and by;
    x : (n_x, m, T_x).  Returns y_hat (1, m).
    """
    return _forward(cell, parameters, x)[0]


def _forward(cell, parameters, x):
    family = get_family(cell)
    x = Shapes()("x", x, "(n_x, m, T_x)")
    hidden = {key: parameters[key] for key in family.hidden}
    a0 = np.zeros((hidden["Wc" if cell != "rnn" else "Waa"].shape[0], x.shape[1]))  # (n_a, m)
    a, caches = family.forward(x, a0, hidden)  # (n_a, m, T_x)
    Wy, by = parameters[_head_key(cell)], parameters["by"]
    y_hat = sigmoid(Wy @ a[:, :, -1] + by)  # (1, m)
    return y_hat, a, caches


def _loss_and_gradients(cell, parameters, x, y):
    """The binary cross-entropy of σ(Wy a<T_x> + by) averaged over m, and its gradients (d + key)."""
    head = _head_key(cell)
    y_hat, a, caches = _forward(cell, parameters, x)  # (1, m), (n_a, m, T_x)
    p = np.clip(y_hat, 1e-12, 1 - 1e-12)
    loss = float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean())
    dz = (y_hat - y) / y.shape[1]  # ∂L/∂(Wy a<T_x> + by), (1, m)
    da = np.zeros_like(a)  # (n_a, m, T_x): only a<T_x> feeds the loss
    da[:, :, -1] = parameters[head].T @ dz
    _, _, grads = get_family(cell).backward(da, caches)
    grads[f"d{head}"] = dz @ a[:, :, -1].T
    grads["dby"] = dz.sum(axis=1, keepdims=True)
    return loss, grads


class TrainResult(NamedTuple):
    """What train_agreement returns."""

    parameters: dict  # the trained parameters (hidden keys + output layer)
    losses: list  # the mini-batch losses, one per update


def train_agreement(cell, x, y, n_a=8, epochs=5, batch_size=32, lr=0.02, max_norm=5.0, seed=0,
                    update_bias=-2.0):
    """Train a many-to-one classifier y_hat = σ(Wy a<T_x> + by) on (x, y) with Adam.

    cell : "rnn", "gru" or "lstm"; x : (n_x, m, T_x); y : (1, m) labels 0/1.
    Parameters come from rnnkit.initialize_<cell>(n_x, n_a, n_y=1, seed); each epoch visits the
    examples in a new random order in mini-batches; gradients are clipped to a global norm ``max_norm``.
    update_bias : GRU only, the starting value of bu. The default −2 gives Γu ≈ σ(−2) ≈ 0.12, so
        c<t> ≈ c<t-1>: the cell keeps its memory until it learns to overwrite it (the GRU's
        counterpart of the LSTM's forget bias of 1, which initialize_lstm already sets). With 0,
        Γu ≈ 0.5 halves the memory at every step and long clauses are hard to learn.
    Returns TrainResult(parameters, losses).
    """
    get_family(cell)
    x = Shapes()("x", x, "(n_x, m, T_x)")
    n_x, m, _ = x.shape
    y = Shapes(m=m)("y", y, "(1, m)")
    rng = np.random.default_rng(_nonnegative_int("seed", seed))
    parameters = _INIT[cell](n_x, n_a, n_y=1, seed=rng)
    if cell == "gru":
        parameters["bu"][:] = float(update_bias)
    optimizer = Adam(lr=lr)
    losses = []
    for _ in range(_nonnegative_int("epochs", epochs)):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            batch = order[start : start + batch_size]
            loss, grads = _loss_and_gradients(cell, parameters, x[:, batch, :], y[:, batch])
            losses.append(loss)
            grads, _ = clip_by_norm(grads, max_norm)
            optimizer.step(parameters, grads)
    return TrainResult(parameters, losses)
