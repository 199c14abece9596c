"""Trusted checks of 10_seq2seq: the visible cases and the hidden ones, judged in the grader."""

import numpy as np

from autograder.trusted import Checks, Ref
from rnnkit import gru_backward, gru_cell_forward, gru_forward, output_backward, output_forward
from rnnkit.seq2seq import seq2seq_backward, seq2seq_forward
from rnnkit.testing import check_close, check_equal, check_shape, check_type

checks = Checks()

GRU_KEYS = ("Wu", "Wr", "Wc", "bu", "br", "bc")
LIBRARY = "rnnkit.seq2seq."


def random_seq2seq(n_x, n_a, n_y, m, T_x, T_y, seed, lengths=None):
    """The notebook's random_seq2seq (its setup cell): parameters, one-hot x, lengths, one-hot y."""
    rng = np.random.default_rng(seed)

    def gru(n_in):
        p = {k: 0.8 * rng.normal(size=(n_a, n_a + n_in)) for k in ("Wu", "Wr", "Wc")}
        p.update({k: 0.5 * rng.normal(size=(n_a, 1)) for k in ("bu", "br", "bc")})
        return p

    parameters = {"encoder": gru(n_x), "decoder": gru(n_y), "Wy": 2.0 * rng.normal(size=(n_y, n_a)),
                  "by": 0.5 * rng.normal(size=(n_y, 1))}
    lengths = np.full(m, T_x) if lengths is None else np.array(lengths)
    ids = np.where(np.arange(T_x) < lengths[:, None], rng.integers(0, n_x, size=(m, T_x)), -1)
    x = np.zeros((n_x, m, T_x))
    i, t = np.nonzero(ids >= 0)
    x[ids[i, t], i, t] = 1.0
    y = np.eye(n_y)[:, rng.integers(0, n_y, size=(m, T_y))]
    return parameters, x, lengths, y


# ---------------------------------------------------------------------------------- the mistakes, computed here


def encode(p, x):
    """a_enc (n_a, m, T_x) from a_enc<0> = 0."""
    n_a, m = p["Wy"].shape[1], x.shape[1]
    return gru_forward(x, np.zeros((n_a, m)), p["encoder"])[0]


def handed_over(a_enc, lengths, how):
    """The decoder's a_dec<0>: the right one ("final"), a_enc[:, :, -1] ("last") or zeros ("zero")."""
    m = a_enc.shape[1]
    if how == "zero":
        return np.zeros(a_enc.shape[:2])
    if how == "last":
        return a_enc[:, :, -1]
    return a_enc[:, np.arange(m), np.asarray(lengths) - 1]


def forward_with(p, x, lengths, y, context="final", shift=True, decoder="decoder"):
    """y_hat of the forward pass with one thing changed (the defaults give the right y_hat)."""
    x_dec = np.concatenate([np.zeros_like(y[:, :, :1]), y[:, :, :-1]], axis=2) if shift else y
    a_dec = gru_forward(x_dec, handed_over(encode(p, x), lengths, context), p[decoder])[0]
    return output_forward(a_dec, p["Wy"], p["by"])


def decode_with(p, x, lengths, eos, max_len, context="final", feedback="one-hot", start="zero", stop="before"):
    """greedy decoding with one thing changed (the defaults give the right lists).

    feedback: "one-hot" (the chosen token), "none" (x_dec<t> = 0 always) or "probabilities" (y_hat<t>);
    start: "zero" (x_dec<1> = 0) or "eos" (one-hot <EOS>); stop: "before" (<EOS> ends a list, left out),
    "after" (<EOS> kept, then the list ends) or "never" (<EOS> ignored: every list has max_len tokens).
    """
    n_y, m = p["Wy"].shape[0], x.shape[1]
    a_prev = handed_over(encode(p, x), lengths, context)
    xt = np.zeros((n_y, m))
    if start == "eos":
        xt[eos] = 1.0
    outputs, done = [[] for _ in range(m)], np.zeros(m, dtype=bool)
    for _ in range(max_len):
        a_prev = gru_cell_forward(xt, a_prev, p["decoder"])[0]
        y_hat_t = output_forward(a_prev, p["Wy"], p["by"])
        tokens = y_hat_t.argmax(axis=0)
        for i in np.flatnonzero(~done):
            if tokens[i] == eos and stop != "never":
                done[i] = True
                if stop == "after":
                    outputs[i].append(int(eos))
            else:
                outputs[i].append(int(tokens[i]))
        if done.all():
            break
        xt = np.zeros((n_y, m))
        if feedback == "one-hot":
            xt[tokens, np.arange(m)] = 1.0
        elif feedback == "probabilities":
            xt = y_hat_t
    return outputs


# ---------------------------------------------------------------------------------- Exercise 1


@checks("10_final_states_tests", functions=("final_states",), reference=("final_states",))
def final_states(student):
    """context[:, i] = a[:, i, lengths[i] - 1], on batches with and without padding."""
    a = np.arange(2 * 3 * 4, dtype=float).reshape(2, 3, 4)
    rng = np.random.default_rng(1001)
    cases = [(a, np.array([4, 1, 3]))]
    for n_a, m, T_x, lengths in ((3, 5, 6, [6, 2, 5, 1, 3]), (4, 1, 3, [2]), (2, 4, 4, [4, 4, 4, 4]),
                                 (5, 3, 7, [1, 1, 1]), (3, 6, 5, [5, 3, 4, 1, 2, 5])):
        cases.append((rng.normal(size=(n_a, m, T_x)), np.array(lengths)))
    for a, lengths in cases:
        n_a, m, T_x = a.shape
        case = f"(n_a={n_a}, m={m}, T_x={T_x}, lengths={lengths.tolist()})"
        got = student.final_states(a, lengths)
        check_shape(f"context {case}", got, (n_a, m), notation="(n_a, m)",
                    hint="one column per example: context[:, i] = a[:, i, lengths[i] - 1]")
        shifted = np.minimum(lengths, T_x - 1)  # one step late, where that step exists
        mistakes = {"a[:, :, -1], the state after the padding: take each example's own last step": a[:, :, -1],
                    "the first state a<1> of every example": a[:, :, 0],
                    "a[:, :, lengths - 1], which takes every example's step for every column (n_a, m, m)":
                    a[:, :, lengths - 1]}
        if (lengths < T_x).all():
            mistakes["a<T_x(i) + 1>, one step late: step lengths[i] is index lengths[i] - 1"] = \
                a[:, np.arange(m), shifted]
        # exact: entries are copied; tolerance 1e-6 relative (the default)
        check_close(f"context {case}", got, a[:, np.arange(m), lengths - 1], notation="(n_a, m)", mistakes=mistakes,
                    hint="context[:, i] = a<T_x(i)> = a[:, i, lengths[i] - 1]")


# ---------------------------------------------------------------------------------- Exercise 2


@checks("10_decoder_inputs_tests", functions=("decoder_inputs",), reference=("decoder_inputs", "lm_inputs_targets"))
def decoder_inputs(student):
    """x_dec<1> = 0, x_dec<t> = y<t-1>, and y unchanged."""
    rng = np.random.default_rng(1002)
    cases = [np.eye(4)[:, [[2, 0, 3], [1, 1, 3]]]]
    for n_y, m, T_y in ((5, 3, 4), (3, 1, 5), (6, 4, 1), (12, 2, 7)):
        cases.append(np.eye(n_y)[:, rng.integers(0, n_y, size=(m, T_y))])
    for y in cases:
        n_y, m, T_y = y.shape
        case = f"(n_y={n_y}, m={m}, T_y={T_y})"
        run = student.run("decoder_inputs", y.copy())
        x_dec = run.value
        check_shape(f"x_dec {case}", x_dec, y.shape, notation="(n_y, m, T_y)")
        expected = np.concatenate([np.zeros_like(y[:, :, :1]), y[:, :, :-1]], axis=2)
        mistakes = {"y itself: the input must be the PREVIOUS token, or the decoder copies its answer": y,
                    "np.roll(y, 1, axis=2): x_dec<1> must be 0, not the wrapped-around y<T_y>": np.roll(y, 1, axis=2),
                    "x_dec<1> = y<1>: nothing has been written before step 1, so x_dec<1> = 0":
                    np.concatenate([y[:, :, :1], y[:, :, :-1]], axis=2),
                    "x_dec<t> = y<t+1>, shifted the wrong way":
                    np.concatenate([y[:, :, 1:], np.zeros_like(y[:, :, :1])], axis=2)}
        # exact: entries are copied; tolerance 1e-6 relative (the default)
        check_close(f"x_dec {case}", x_dec, expected, notation="(n_y, m, T_y)",
                    mistakes={k: v for k, v in mistakes.items() if not np.array_equal(v, expected)},
                    hint="x_dec<1> = 0 and x_dec<t> = y<t-1>: x_dec[:, :, 1:] = y[:, :, :-1]")
        check_close(f"y after decoder_inputs(y) {case}", run.args[0], y,
                    hint="build a new array (np.zeros_like(y)); do not shift y itself")


# ---------------------------------------------------------------------------------- Exercise 3

EARLIER = {"final_states": Ref(LIBRARY + "final_states"), "decoder_inputs": Ref(LIBRARY + "decoder_inputs")}


@checks("10_seq2seq_forward_tests", functions=("seq2seq_forward",),
        reference=("seq2seq_forward", "seq2seq_loss_and_gradients"))
def forward(student):
    """y_hat and the cache, on the library's final_states and decoder_inputs (a mistake there is not counted twice)."""
    cases = [random_seq2seq(4, 3, 5, 3, 4, 3, seed=10, lengths=[4, 2, 3]),
             random_seq2seq(5, 4, 5, 4, 5, 4, seed=1003, lengths=[5, 1, 3, 4]),  # n_x = n_y
             random_seq2seq(3, 6, 4, 1, 3, 5, seed=1004),  # m = 1, T_y > T_x
             random_seq2seq(6, 2, 3, 5, 6, 2, seed=1005, lengths=[6, 6, 6, 6, 6])]  # no padding
    for p, x, lengths, y in cases:
        (n_x, m, T_x), (n_y, _, T_y), n_a = x.shape, y.shape, p["Wy"].shape[1]
        case = f"(n_x={n_x}, n_a={n_a}, n_y={n_y}, m={m}, T_x={T_x}, T_y={T_y})"
        y_hat, cache = student.run("seq2seq_forward", x, lengths, y, p, standins=EARLIER).value
        ref_y_hat, ref_cache = seq2seq_forward(x, lengths, y, p)
        check_shape(f"y_hat {case}", y_hat, (n_y, m, T_y), notation="(n_y, m, T_y)",
                    hint="the decoder runs T_y steps over x_dec; y_hat = output_forward(a_dec, Wy, by)")
        mistakes = {"the decoder started from zeros: a_dec<0> must be the context a_enc<T_x(i)>":
                    forward_with(p, x, lengths, y, context="zero"),
                    "the decoder fed y<t> in place of y<t-1>: teacher forcing reads the PREVIOUS token":
                    forward_with(p, x, lengths, y, shift=False),
                    "the decoder started from a_enc[:, :, -1], after the padding: hand over final_states(a_enc, "
                    "lengths)": forward_with(p, x, lengths, y, context="last")}
        if n_x == n_y:
            mistakes["the decoder run with parameters['encoder']: it has its own parameters['decoder']"] = \
                forward_with(p, x, lengths, y, decoder="encoder")
        # tolerance 1e-6 relative, 1e-8 absolute (the defaults): float64, the same operations
        check_close(f"y_hat {case}", y_hat, ref_y_hat, notation="(n_y, m, T_y)",
                    mistakes={k: v for k, v in mistakes.items() if not np.allclose(v, ref_y_hat)},
                    hint="encoder from zeros, a_dec<0> = final_states(a_enc, lengths), the decoder over "
                         "decoder_inputs(y), then y_hat = output_forward(a_dec, Wy, by)")
        check_equal(f"len(cache.encoder_caches) {case}", len(cache.encoder_caches), T_x,
                    hint="the encoder's caches, one per input step")
        check_equal(f"len(cache.decoder_caches) {case}", len(cache.decoder_caches), T_y,
                    hint="the decoder's caches, one per output step")
        check_close(f"cache.a_dec {case}", cache.a_dec, ref_cache.a_dec, notation="(n_a, m, T_y)",
                    hint="a_dec: the decoder's states, from gru_forward")


# ---------------------------------------------------------------------------------- Exercise 4


def encoder_gradients(cache, da0, where):
    """The encoder's gradients when the decoder's da0 lands on the right steps or somewhere else."""
    n_a, m, T_x = da0.shape[0], da0.shape[1], len(cache.encoder_caches)
    da_enc = np.zeros((n_a, m, T_x))
    if where == "last":
        da_enc[:, :, -1] = da0
    elif where == "every":
        da_enc[:] = da0[:, :, None]
    else:
        da_enc[:, np.arange(m), cache.lengths - 1] = da0
    return gru_backward(da_enc, cache.encoder_caches)


@checks("10_seq2seq_backward_tests", functions=("seq2seq_backward",),
        reference=("seq2seq_backward", "seq2seq_loss_and_gradients"))
def backward(student):
    """Every gradient against rnnkit's (itself tested against centred differences), on rnnkit's cache."""
    cases = [random_seq2seq(2, 3, 4, 3, 4, 3, seed=11, lengths=[4, 2, 3]),
             random_seq2seq(4, 3, 5, 4, 5, 3, seed=1006, lengths=[2, 5, 1, 4]),
             random_seq2seq(5, 5, 5, 1, 3, 4, seed=1007),  # m = 1
             random_seq2seq(3, 2, 4, 3, 3, 2, seed=1008, lengths=[3, 3, 3])]  # no padding
    for k, (p, x, lengths, y) in enumerate(cases):
        (n_x, m, T_x), (n_y, _, T_y), n_a = x.shape, y.shape, p["Wy"].shape[1]
        case = f"(n_x={n_x}, n_a={n_a}, n_y={n_y}, m={m}, T_x={T_x}, T_y={T_y})"
        y_hat, cache = seq2seq_forward(x, lengths, y, p)
        dz = (y_hat - y) / m if k != 1 else np.random.default_rng(1009).normal(size=y.shape)  # any upstream dz
        expected = seq2seq_backward(dz, cache)
        got = student.seq2seq_backward(dz, cache)
        check_type(f"seq2seq_backward's result {case}", got, dict)
        for key in ("dWy", "dby"):
            # tolerance 1e-6 relative, 1e-8 absolute (the defaults): float64, the same operations
            check_close(f"gradients['{key}'] {case}", got.get(key), expected[key],
                        hint="dWy, dby, da_dec = output_backward(dz, cache.a_dec, cache.Wy)")
        for part in ("decoder", "encoder"):
            check_type(f"gradients['{part}'] {case}", got.get(part), dict, hint="a dict dWu, dWr, dWc, dbu, dbr, dbc")
        da0 = gru_backward(output_backward(dz, cache.a_dec, cache.Wy)[2], cache.decoder_caches)["da0"]
        wrong = {"zero: the encoder got no gradient; the decoder's da0 is its upstream gradient": None,
                 "the gradient of da0 put at the last step T_x of every example, after the padding":
                 encoder_gradients(cache, da0, "last"),
                 "the gradient of da0 put at every step of the encoder: it belongs only to the state handed over":
                 encoder_gradients(cache, da0, "every")}
        for key in GRU_KEYS:
            d = "d" + key
            check_close(f"gradients['decoder']['{d}'] {case}", got["decoder"].get(d), expected["decoder"][d],
                        hint="gru_backward(da_dec, cache.decoder_caches): BPTT through the decoder")
            mistakes = {why: (np.zeros_like(expected["encoder"][d]) if g is None else g[d]) for why, g in wrong.items()}
            check_close(f"gradients['encoder']['{d}'] {case}", got["encoder"].get(d), expected["encoder"][d],
                        mistakes={k: v for k, v in mistakes.items() if not np.allclose(v, expected["encoder"][d])},
                        hint="da_enc is zero except da_enc[:, i, lengths[i] - 1] = da0[:, i], the state example i "
                             "handed over; then gru_backward(da_enc, cache.encoder_caches)")


# ---------------------------------------------------------------------------------- Exercise 5


@checks("10_greedy_decode_tests", functions=("greedy_decode",), reference=("greedy_decode",))
def greedy(student):
    """The lists of tokens, on the library's final_states; cases chosen so that each named mistake shows."""
    cases = [(random_seq2seq(4, 3, 5, 4, 4, 1, seed=18, lengths=[4, 2, 3, 1])[:3], 4, 5),
             (random_seq2seq(5, 4, 6, 5, 5, 1, seed=1015, lengths=[5, 1, 3, 4, 2])[:3], 1, 7),
             (random_seq2seq(3, 5, 4, 1, 4, 1, seed=1023)[:3], 2, 6),  # m = 1, no padding
             (random_seq2seq(6, 3, 7, 6, 6, 1, seed=1011, lengths=[6, 2, 5, 1, 3, 4])[:3], 2, 8)]
    standins = {"final_states": Ref(LIBRARY + "final_states")}
    for (p, x, lengths), eos, max_len in cases:
        (n_x, m, T_x), n_y = x.shape, p["Wy"].shape[0]
        case = f"(n_x={n_x}, n_y={n_y}, m={m}, T_x={T_x}, eos={eos}, max_len={max_len})"
        got = student.run("greedy_decode", p, x, lengths, eos, max_len, standins=standins).value
        expected = decode_with(p, x, lengths, eos, max_len)
        check_type(f"greedy_decode's result {case}", got, list, hint="a list of m lists of ints")
        check_equal(f"len(outputs) {case}", len(got), m, hint="one list per example")
        named = {
            "the decoder started from zeros: a_dec<0> must be a_enc<T_x(i)>": dict(context="zero"),
            "the decoder started from a_enc[:, :, -1], after the padding": dict(context="last"),
            "x_dec<t> = 0 at every step: feed the token written at step t - 1 back in": dict(feedback="none"),
            "x_dec<t+1> = y_hat<t>, the probabilities: feed the one-hot of the chosen token": dict(
                feedback="probabilities"),
            "x_dec<1> = <EOS>: in training x_dec<1> = 0, so decode the same way": dict(start="eos"),
            "<EOS> kept in the list: a list ends just before its first <EOS>": dict(stop="after"),
            "<EOS> did not stop the example: its list ends at the first <EOS>": dict(stop="never"),
        }
        why = next((w for w, kw in named.items() if decode_with(p, x, lengths, eos, max_len, **kw) == got
                    and got != expected), None)
        check_equal(f"outputs {case}", got, expected,
                    hint=f"your outputs are those of a decoder where {why}" if why else
                    "x_dec<1> = 0 and a_dec<0> = a_enc<T_x(i)>; then y<t> = argmax y_hat<t> and x_dec<t+1> = "
                    "one-hot(y<t>) until <EOS>, which ends the list and is not in it")


# ---------------------------------------------------------------------------------- Exercise 6


@checks("10_exact_match_tests", functions=("exact_match",), reference=("exact_match",))
def exact_match(student):
    """The fraction of whole sequences equal to their targets."""
    cases = [([[2, 0, 0, 7]], [[2, 0, 0, 7]]),
             ([[2, 0, 7, 0]], [[2, 0, 0, 7]]),  # half the tokens right, the sets equal: neither is a match
             ([[2, 0, 0, 7], [7], [3, 4], [5, 1]], [[2, 0, 7, 0], [7], [3, 4], [5]]),
             (["200"], ["2007"]),
             (["2007", "70", "7"], ["2007", "70", "70"]),
             ([[1, 2, 3], [4], [], [9, 9]], [[1, 2], [4], [], [9, 9, 9]]),
             (["342607", "40016", "70", "2007", "8"], ["342607", "40160", "70", "2007", "8"]),
             ([[3, 1]], [[1, 3]])]
    for predicted, targets in cases:
        m = len(targets)
        same = [list(p) == list(t) for p, t in zip(predicted, targets)]
        prefix = [all(a == b for a, b in zip(p, t)) for p, t in zip(predicted, targets)]
        tokens = sum(a == b for p, t in zip(predicted, targets) for a, b in zip(p, t))
        expected = sum(same) / m
        mistakes = {"the share of examples that agree as far as both go (zip stops at the shorter sequence): "
                    "a prefix or a sequence with extra tokens is wrong": sum(prefix) / m,
                    "a percentage: return a fraction from 0 to 1": 100.0 * expected,
                    "the number of exact matches: divide by m": float(sum(same)),
                    "the share of equal tokens: exact match counts whole sequences":
                    tokens / max(1, sum(len(t) for t in targets)),
                    "a match of the sets of tokens: the order counts": sum(set(p) == set(t) for p, t in
                                                                          zip(predicted, targets)) / m}
        # tolerance 1e-6 relative (the default): one division. Where two mistakes give the same value, the
        # first one listed is named (the case before the visible one names the share of equal tokens).
        check_close(f"exact_match({predicted}, {targets})", student.exact_match(predicted, targets), expected,
                    mistakes={k: v for k, v in mistakes.items() if v != expected},
                    hint="count the examples i with predicted[i] == targets[i] (as lists), divide by m")
