"""A batched character- or word-level RNN language model, built on rnnkit's layers.

Taught in 04_language_model (and used by 05_sampling). The model reads a sequence one token
at a time and predicts the next one; in training its input is the true previous token
(teacher forcing), in sampling its own (05):

    x<1> = 0,   x<t> = y<t-1>                       (the input is the previous target)
    a<t> = tanh(Waa a<t-1> + Wax x<t> + ba),        a<0> = 0
    y_hat<t> = softmax(Wya a<t> + by)               = P(y<t> | y<1>, ..., y<t-1>)

The targets y<1..T> are the tokens followed by <EOS>, so the model also learns where a
sequence ends. The loss is the lecture's L = Σ_t L<t>, averaged over the m examples of a batch
(``rnnkit.cross_entropy``); padded steps are masked out. By the chain rule

    log P(y<1>, ..., y<T>) = Σ_t log P(y<t> | y<1..t-1>) = −Σ_t L<t>.

Inputs and targets share the vocabulary: n_x = n_y = len(vocab).
"""

import numbers

import numpy as np

from .losses import cross_entropy, cross_entropy_grad, cross_entropy_steps
from .optim import Adam, clip_by_norm
from .output import output_backward, output_forward
from .rnn import rnn_backward, rnn_forward
from .vocab import Vocab, one_hot, pad_sequences

PARAMETER_KEYS = ("Waa", "Wax", "ba", "Wya", "by")


def _check_vocab(vocab):
    if not isinstance(vocab, Vocab):
        raise ValueError(f"vocab must be an rnnkit.Vocab, got {type(vocab).__name__}")
    if vocab.eos is None:
        raise ValueError("vocab must hold <EOS> (build it with specials=True): the targets end with <EOS>")
    return vocab


def lm_targets(sequence, vocab):
    """The target indices y<1..T> of one sequence: its tokens (unknown ones as <UNK>), then <EOS>.

    sequence : a str (tokenized at the vocabulary's level) or a list of tokens.
    """
    _check_vocab(vocab)
    return vocab.encode(sequence, add_eos=True)


def lm_inputs_targets(targets, n_x):
    """One-hot inputs and targets of a batch of target index lists.

    targets : m lists of indices y<1..T(i)> (each ending with <EOS>).
    Returns x (n_x, m, T) with x<1> = 0 and x<t> = y<t-1>, y (n_x, m, T) and mask (m, T)
    (float 0/1, 1 at real steps). Padded steps of y are zero columns; x is y shifted one step,
    so the first padded step of a shorter example holds its <EOS> in x (a masked step: what x
    holds there changes no loss and no gradient).
    """
    ids, mask = pad_sequences(targets)  # (m, T), (m, T)
    y = one_hot(ids, n_x)  # (n_x, m, T)
    x = np.zeros_like(y)  # (n_x, m, T); x<1> = 0
    x[:, :, 1:] = y[:, :, :-1]  # x<t> = y<t-1>
    return x, y, mask.astype(np.float64)


def make_lm_batches(sequences, vocab, batch_size, rng=None, by_length=False):
    """Minibatches (x, y, mask) for training a language model.

    sequences : list of str (or of token lists); vocab : Vocab with <EOS> (and <UNK> for unknown tokens).
    batch_size : the number m of sequences per batch (the last batch may be smaller).
    rng : a numpy Generator to shuffle the sequences first, or None to keep their order.
    by_length : put sequences of similar length together (less padding, faster); the order of
        the batches is then shuffled with ``rng``.
    Returns a list of (x (n_x, m, T), y (n_x, m, T), mask (m, T)), T being the longest target in the
    batch; x<1> = 0 and x<t> = y<t-1>; y ends with <EOS> in every row; padding has mask 0.
    """
    _check_vocab(vocab)
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if isinstance(sequences, str):
        raise ValueError("sequences must be a list of sequences, got a single str (wrap it in a list)")
    sequences = list(sequences)
    if not sequences:
        raise ValueError("sequences must hold at least one sequence, got none")
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator or None, got {type(rng).__name__}")
    order = rng.permutation(len(sequences)) if rng is not None else np.arange(len(sequences))
    targets = [lm_targets(sequences[i], vocab) for i in order]
    if by_length:
        targets.sort(key=len)  # stable: equal lengths keep the shuffled order
    n_x = len(vocab)
    batches = [lm_inputs_targets(targets[k: k + batch_size], n_x) for k in range(0, len(targets), batch_size)]
    if by_length and rng is not None:
        batches = [batches[i] for i in rng.permutation(len(batches))]
    return batches


def _check_batch(parameters, x, y, mask):
    missing = [k for k in PARAMETER_KEYS if k not in parameters]
    if missing:
        raise ValueError(f"parameters must hold {', '.join(PARAMETER_KEYS)}; missing {', '.join(missing)}")
    if np.ndim(x) != 3 or np.shape(x) != np.shape(y):
        raise ValueError(f"x and y must both have shape (n_x, m, T_x), got {np.shape(x)} and {np.shape(y)}")
    if mask is None:
        mask = np.ones(np.shape(x)[1:])
    return mask


def _forward(parameters, x, a0):
    """a (n_a, m, T_x), y_hat (n_x, m, T_x) and the caches.

    The recurrence runs on the hidden parameters only, and the output layer once on all steps
    (rnn_forward with Wya would also compute every y_hat<t> inside the loop, a second time).
    """
    hidden = {k: parameters[k] for k in ("Waa", "Wax", "ba")}
    a, _, caches = rnn_forward(x, a0, hidden)
    return a, output_forward(a, parameters["Wya"], parameters["by"]), caches


def lm_loss_and_grads(parameters, x, y, mask=None):
    """The loss L = Σ_t L<t> (averaged over m, masked) of a batch and its gradients.

    parameters : Waa (n_a, n_a), Wax (n_a, n_x), ba (n_a, 1), Wya (n_x, n_a), by (n_x, 1)
    x, y : (n_x, m, T_x) from make_lm_batches;  mask : (m, T_x) or None.
    The state starts at a<0> = 0. Returns (L, dict dWaa, dWax, dba, dWya, dby).
    """
    mask = _check_batch(parameters, x, y, mask)
    n_a, m = parameters["Waa"].shape[0], x.shape[1]
    a0 = np.zeros((n_a, m))  # (n_a, m)
    a, y_hat, caches = _forward(parameters, x, a0)  # a (n_a, m, T_x), y_hat (n_x, m, T_x)
    L = cross_entropy(y_hat, y, mask)
    dz = cross_entropy_grad(y_hat, y, mask)  # (y_hat − y) * mask / m, (n_x, m, T_x)
    dWya, dby, da = output_backward(dz, a, parameters["Wya"])
    grads = rnn_backward(da, caches)
    return L, {"dWaa": grads["dWaa"], "dWax": grads["dWax"], "dba": grads["dba"], "dWya": dWya, "dby": dby}


def train_lm(parameters, batches, n_steps, lr=0.01, max_norm=5.0, optimizer=None, callback=None):
    """Train with Adam and gradient clipping; the parameters are updated in place.

    batches : list of (x, y, mask) from make_lm_batches, used in turn (cycling).
    Each step: L, grads = lm_loss_and_grads(...); grads = clip_by_norm(grads, max_norm); optimizer.step.
    optimizer : an rnnkit optimizer (default Adam(lr)); pass the same one to continue training.
    callback : called as callback(step, L) after every step; training stops early if it returns True.
    Returns the loss history, a list of L (one float per step).
    """
    if isinstance(n_steps, bool) or not isinstance(n_steps, numbers.Integral) or n_steps < 0:
        raise ValueError(f"n_steps must be a non-negative integer, got {n_steps!r}")
    batches = list(batches)
    if not batches:
        raise ValueError("batches must hold at least one (x, y, mask) batch, got none")
    optimizer = Adam(lr) if optimizer is None else optimizer
    history = []
    for step in range(n_steps):
        x, y, mask = batches[step % len(batches)]
        L, grads = lm_loss_and_grads(parameters, x, y, mask)
        grads, _ = clip_by_norm(grads, max_norm)
        optimizer.step(parameters, grads)
        history.append(L)
        if callback is not None and callback(step, L):
            break
    return history


def token_losses(parameters, x, y, mask=None):
    """L<t> of every example and step, (m, T_x), zero at padded steps (a<0> = 0)."""
    mask = _check_batch(parameters, x, y, mask)
    a0 = np.zeros((parameters["Waa"].shape[0], x.shape[1]))
    _, y_hat, _ = _forward(parameters, x, a0)
    return cross_entropy_steps(y_hat, y, mask)


def mean_token_loss(parameters, batches):
    """The loss per real token over all batches, Σ L<t> / (number of tokens), in nats.

    exp of it is the perplexity; a uniform guess over n_x tokens gives log(n_x).
    """
    total, count = 0.0, 0.0
    for x, y, mask in batches:
        total += float(token_losses(parameters, x, y, mask).sum())
        count += float(np.sum(mask))
    if count == 0:
        raise ValueError("batches must hold at least one real token, got none")
    return total / count


def sequence_log_prob(parameters, vocab, tokens, add_eos=False):
    """log P(y<1>, ..., y<T>) = Σ_t log P(y<t> | y<1..t-1>) by the chain rule (natural log).

    tokens : a str (tokenized at the vocabulary's level) or a list of tokens; unknown ones count as <UNK>.
    add_eos : also count P(<EOS> | the whole sequence), the probability that it ends there.
    """
    _check_vocab(vocab)
    ids = vocab.encode(tokens, add_eos=add_eos)
    if not ids:
        return 0.0
    x, y, mask = lm_inputs_targets([ids], len(vocab))
    return -float(token_losses(parameters, x, y, mask).sum())
