"""The encoder–decoder (sequence to sequence): read T_x inputs, then write T_y outputs, T_x ≠ T_y allowed.

Taught in 10_seq2seq: the lecture's fifth RNN type (machine translation; Cho et al., 2014). Two
recurrent layers of one family and one width n_a, each with its own parameters:

    encoder   a_enc<t> = layer(x<t>, a_enc<t-1>)                    t = 1..T_x,   a_enc<0> = 0
    context   a_enc<T_x>, the encoder's last state (for example i: its last real step, a_enc<T_x(i)>)
    decoder   a_dec<0> = a_enc<T_x>,   a_dec<t> = layer(x_dec<t>, a_dec<t-1>)      t = 1..T_y
              y_hat<t> = softmax(Wy a_dec<t> + by)

In training the decoder reads the true previous token: x_dec<1> = 0, x_dec<t> = y<t-1> (teacher
forcing). At test time it reads its own, the argmax of y_hat<t-1> (greedy decoding). The targets
y<1..T_y> end with <EOS>, so the decoder also learns where to stop.

    parameters = {"encoder": the layer's hidden parameters on [a_enc<t-1>; x<t>]      (n_x inputs),
                  "decoder": the same keys on [a_dec<t-1>; x_dec<t>]                (n_y inputs),
                  "Wy": (n_y, n_a), "by": (n_y, 1)}

``cell`` is "gru" (the lecture's full GRU, assignment 06) or "rnn" (02, 03). The LSTM is left out:
its state is the pair (a<t>, c<t>), and handing over only a<t> would be another model.
"""

import numbers
from typing import NamedTuple

import numpy as np

from ._checks import Shapes, as_generator, check_parameters
from ._families import get_family
from .brnn import _check_lengths
from .gru import gru_cell_forward
from .init import initialize_gru, initialize_rnn
from .losses import cross_entropy, cross_entropy_grad
from .output import output_backward, output_forward
from .rnn import rnn_cell_forward
from .vocab import Vocab, one_hot, pad_sequences

CELLS = {"rnn": (rnn_cell_forward, initialize_rnn), "gru": (gru_cell_forward, initialize_gru)}
OUTPUT = {"Wy": "(n_y, n_a)", "by": "(n_y, 1)"}


class Seq2SeqCache(NamedTuple):
    """What seq2seq_backward needs from seq2seq_forward (nothing is recomputed)."""

    cell: str  # "gru" or "rnn"
    encoder_caches: list  # the layer's caches of a_enc<1>, ..., a_enc<T_x>
    decoder_caches: list  # the layer's caches of a_dec<1>, ..., a_dec<T_y>
    a_dec: np.ndarray  # the decoder's states a_dec<1..T_y>, (n_a, m, T_y)
    lengths: np.ndarray  # T_x(i) of every example, (m,) ints
    Wy: np.ndarray  # (n_y, n_a)


def _cell(cell):
    if not isinstance(cell, str) or cell not in CELLS:
        raise ValueError(f"cell must be one of {sorted(CELLS)} (the LSTM's state (a, c) is not handed over), "
                         f"got {cell!r}")
    return cell


def _check(parameters, cell, x=None, y=None):
    """(encoder, decoder, Wy, by, shapes) checked; x (n_x, m, T_x) and y (n_y, m, T_y) too when given."""
    family = get_family(_cell(cell))
    if not isinstance(parameters, dict) or not {"encoder", "decoder"} <= parameters.keys():
        raise ValueError("parameters must be a dict with 'encoder' and 'decoder' (each the layer's hidden "
                         "parameters), 'Wy' (n_y, n_a) and 'by' (n_y, 1)")
    s = Shapes()
    if x is not None:
        s("x", x, "(n_x, m, T_x)")
    encoder = check_parameters(parameters["encoder"], family.hidden, s, name="parameters['encoder']")
    out = check_parameters(parameters, OUTPUT, s)
    if y is not None:
        s("y", y, "(n_y, m, T_y)")
    # the decoder reads x_dec<t>, one-hot over the n_y outputs: its "n_x" is n_y
    spec = {k: v.replace("n_x", "n_y") for k, v in family.hidden.items()}
    decoder = check_parameters(parameters["decoder"], spec, s, name="parameters['decoder']")
    return encoder, decoder, out["Wy"], out["by"], s


def final_states(a, lengths=None):
    """The state each example ends its input on: column i is a<T_x(i)> = a[:, i, lengths[i] - 1].

    a : (n_a, m, T_x), the encoder's states;  lengths : (m,) ints in 1..T_x, or None (every example
    has all T_x steps). Padded steps come after an example's last real one; the encoder runs on over
    them and changes its state, so a[:, :, -1] is the context of the longest examples only.
    Returns (n_a, m).
    """
    a = Shapes()("a", a, "(n_a, m, T_x)")
    n_a, m, T_x = a.shape
    lengths = np.full(m, T_x) if lengths is None else _check_lengths(lengths, m, T_x)
    return a[:, np.arange(m), lengths - 1]  # (n_a, m)


def decoder_inputs(y):
    """Teacher forcing: the decoder's inputs are the true previous tokens, x_dec<1> = 0, x_dec<t> = y<t-1>.

    y : (n_y, m, T_y) one-hot targets. Returns x_dec (n_y, m, T_y).
    """
    y = Shapes()("y", y, "(n_y, m, T_y)")
    x_dec = np.zeros_like(y)  # x_dec<1> = 0: nothing has been written yet
    x_dec[:, :, 1:] = y[:, :, :-1]  # x_dec<t> = y<t-1>
    return x_dec


def seq2seq_forward(x, lengths, y, parameters, cell="gru"):
    """The encoder–decoder in training, with teacher forcing.

    x : (n_x, m, T_x) one-hot inputs, padded after each example's lengths[i] real steps;
    lengths : (m,) ints, or None for no padding;  y : (n_y, m, T_y) one-hot targets (ending with <EOS>).
    Returns y_hat (n_y, m, T_y), y_hat<t> = P(y<t> | x, y<1..t-1>), and a Seq2SeqCache.
    """
    encoder, decoder, Wy, by, s = _check(parameters, cell, x, y)
    family = get_family(cell)
    m, T_x = s.dims["m"], s.dims["T_x"]
    lengths = np.full(m, T_x) if lengths is None else _check_lengths(lengths, m, T_x)
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    a0 = np.zeros((s.dims["n_a"], m), dtype=np.result_type(x, Wy))  # a_enc<0> = 0
    a_enc, encoder_caches = family.forward(x, a0, encoder)  # (n_a, m, T_x)
    context = final_states(a_enc, lengths)  # a_enc<T_x(i)>, (n_a, m)
    a_dec, decoder_caches = family.forward(decoder_inputs(y), context, decoder)  # (n_a, m, T_y)
    y_hat = output_forward(a_dec, Wy, by)  # (n_y, m, T_y)
    return y_hat, Seq2SeqCache(cell, encoder_caches, decoder_caches, a_dec, lengths, Wy)


def seq2seq_backward(dz, cache):
    """Gradients of the encoder–decoder from dz = ∂L/∂(Wy a_dec<t> + by), (n_y, m, T_y).

    The decoder is backpropagated through time as any layer; the gradient on its first state,
    ∂L/∂a_dec<0>, is the ONLY gradient the encoder receives, and it lands on the state that was
    handed over, a_enc<T_x(i)> of each example (BPTT inside the encoder carries it further back).
    Returns {"encoder": {dW.., db..}, "decoder": {dW.., db..}, "dWy", "dby"}, shaped like the parameters.
    """
    if not isinstance(cache, Seq2SeqCache):
        raise ValueError(f"cache must be the Seq2SeqCache returned by seq2seq_forward, got {type(cache).__name__}")
    family = get_family(cache.cell)
    n_a, m, T_y = cache.a_dec.shape
    dz = Shapes(n_y=cache.Wy.shape[0], m=m, T_y=T_y)("dz", dz, "(n_y, m, T_y)")
    dWy, dby, da_dec = output_backward(dz, cache.a_dec, cache.Wy)  # da_dec (n_a, m, T_y)
    _, da_context, decoder = family.backward(da_dec, cache.decoder_caches)  # ∂L/∂a_dec<0>, (n_a, m)
    da_enc = np.zeros((n_a, m, len(cache.encoder_caches)), dtype=da_context.dtype)  # (n_a, m, T_x)
    da_enc[:, np.arange(m), cache.lengths - 1] = da_context  # onto a_enc<T_x(i)>, nowhere else
    _, _, encoder = family.backward(da_enc, cache.encoder_caches)
    return {"encoder": encoder, "decoder": decoder, "dWy": dWy, "dby": dby}


def seq2seq_loss_and_gradients(parameters, x, lengths, y, mask=None, cell="gru"):
    """L = Σ_t L<t> over the real steps of y, averaged over the m examples, and its gradients.

    x, lengths, y as in seq2seq_forward;  mask : (m, T_y) 1 at real target steps, or None.
    Returns (L, gradients) with gradients shaped like ``parameters`` (see seq2seq_backward).
    """
    y_hat, cache = seq2seq_forward(x, lengths, y, parameters, cell)
    return cross_entropy(y_hat, y, mask), seq2seq_backward(cross_entropy_grad(y_hat, y, mask), cache)


def greedy_decode(parameters, x, lengths, eos, max_len, cell="gru"):
    """Test time: the decoder feeds itself its own most likely token, until <EOS> or max_len tokens.

    x_dec<1> = 0, then x_dec<t+1> = one-hot of argmax y_hat<t> (the model's token, not the truth).
    x : (n_x, m, T_x);  lengths : (m,) or None;  eos : the index of <EOS> among the n_y outputs.
    Returns a list of m lists of output indices, each ending before its first <EOS> (or after
    max_len tokens if <EOS> never comes).
    """
    encoder, decoder, Wy, by, s = _check(parameters, cell, x)
    family, (cell_forward, _) = get_family(cell), CELLS[cell]
    n_a, m, T_x, n_y = s.dims["n_a"], s.dims["m"], s.dims["T_x"], s.dims["n_y"]
    if isinstance(eos, bool) or not isinstance(eos, numbers.Integral) or not 0 <= eos < n_y:
        raise ValueError(f"eos must be an index in [0, n_y) = [0, {n_y}), got {eos!r}")
    if isinstance(max_len, bool) or not isinstance(max_len, numbers.Integral) or max_len < 1:
        raise ValueError(f"max_len must be a positive integer, got {max_len!r}")
    lengths = np.full(m, T_x) if lengths is None else _check_lengths(lengths, m, T_x)
    a_enc, _ = family.forward(np.asarray(x, dtype=float), np.zeros((n_a, m)), encoder)
    a_prev = final_states(a_enc, lengths)  # a_dec<0> = a_enc<T_x(i)>, (n_a, m)
    xt = np.zeros((n_y, m))  # x_dec<1> = 0
    outputs, done = [[] for _ in range(m)], np.zeros(m, dtype=bool)
    for _ in range(max_len):
        a_prev, _, _ = cell_forward(xt, a_prev, decoder)  # a_dec<t>, (n_a, m)
        tokens = output_forward(a_prev, Wy, by).argmax(axis=0)  # the most likely y<t>, (m,)
        for i in np.flatnonzero(~done):
            if tokens[i] == eos:
                done[i] = True
            else:
                outputs[i].append(int(tokens[i]))
        if done.all():
            break
        xt = np.zeros((n_y, m))
        xt[tokens, np.arange(m)] = 1.0  # x_dec<t+1>: the model's own token
    return outputs


def exact_match(predicted, targets):
    """The fraction of the m examples whose predicted sequence equals the target, every token and the length.

    predicted, targets : m sequences each (lists of indices or str). Returns a float in [0, 1].
    """
    predicted, targets = list(predicted), list(targets)
    if not targets or len(predicted) != len(targets):
        raise ValueError(f"predicted and targets must hold the same number m >= 1 of sequences, "
                         f"got {len(predicted)} and {len(targets)}")
    return sum(list(p) == list(t) for p, t in zip(predicted, targets, strict=True)) / len(targets)


def make_seq2seq_batch(sources, targets, source_vocab, target_vocab):
    """One padded batch from m source and m target sequences (str or lists of tokens).

    Each target gets <EOS> at its end. Returns x (n_x, m, T_x), lengths (m,), y (n_y, m, T_y) and
    mask (m, T_y) (float 0/1, 1 at real target steps); T_x and T_y are the longest in the batch.
    """
    for name, vocab in (("source_vocab", source_vocab), ("target_vocab", target_vocab)):
        if not isinstance(vocab, Vocab):
            raise ValueError(f"{name} must be an rnnkit.Vocab, got {type(vocab).__name__}")
    if target_vocab.eos is None:
        raise ValueError("target_vocab must hold <EOS> (build it with specials=True): every target ends with it")
    sources, targets = list(sources), list(targets)
    if not sources or len(sources) != len(targets):
        raise ValueError(f"sources and targets must hold the same number m >= 1 of sequences, "
                         f"got {len(sources)} and {len(targets)}")
    x_ids, x_mask = pad_sequences([source_vocab.encode(s) for s in sources])  # (m, T_x)
    y_ids, y_mask = pad_sequences([target_vocab.encode(t, add_eos=True) for t in targets])  # (m, T_y)
    lengths = x_mask.sum(axis=1)  # (m,)
    return one_hot(x_ids, len(source_vocab)), lengths, one_hot(y_ids, len(target_vocab)), y_mask.astype(float)


def initialize_seq2seq(n_x, n_a, n_y, seed=0, cell="gru"):
    """Parameters of an encoder–decoder: the layer's initialization for the encoder (n_x inputs)
    and for the decoder (n_y inputs), then Wy ~ N(0, 1/n_a) and by = 0. See rnnkit.init."""
    _, initialize = CELLS[_cell(cell)]
    rng = as_generator(seed)
    encoder, decoder = initialize(n_x, n_a, seed=rng), initialize(n_y, n_a, seed=rng)
    Wy = rng.standard_normal((n_y, n_a)) / np.sqrt(n_a)  # n_y was checked by initialize
    return {"encoder": encoder, "decoder": decoder, "Wy": Wy, "by": np.zeros((n_y, 1))}
