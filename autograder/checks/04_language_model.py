"""Trusted checks of 04_language_model: the visible cases and the hidden ones, judged in the grader."""

import numpy as np

from autograder.trusted import Checks, Make, Ref
from rnnkit import Adam, Vocab, cross_entropy, gradient_check, initialize_rnn, one_hot, rnn_forward, softmax
from rnnkit.datasets import load_census_names
from rnnkit.embedding import embedding_backward, embedding_forward
from rnnkit.language_model import lm_inputs_targets, lm_loss_and_grads, mean_token_loss, token_losses, train_lm
from rnnkit.tbptt import chunk_loss_and_grads
from rnnkit.tbptt import train_tbptt as ref_train_tbptt
from rnnkit.testing import check_close, check_equal, check_shape, check_type

checks = Checks()

GRAD_KEYS = ["dWaa", "dWax", "dWya", "dba", "dby"]


def char_vocab():
    """The notebook's char_vocab (its setup cell): a … z, <EOS>, <UNK>, here and in the kernel."""
    return Vocab.from_texts(load_census_names(), level="char"), Make.of(
        "rnnkit.Vocab.from_texts", Make.of("rnnkit.datasets.load_census_names"), level="char")


def random_targets(rng, n_x, lengths):
    """Target lists of the given lengths ending with <EOS> = n_x − 1, drawn as the old hidden tests drew them."""
    return [[int(i) for i in rng.integers(0, n_x - 1, size=k - 1)] + [n_x - 1] for k in lengths]


def random_lm(rng, n_x, n_a, scale):
    """initialize_rnn with a random seed, then ba and by moved by scale · N(0, 1)."""
    p = initialize_rnn(n_x, n_a, n_x, seed=int(rng.integers(1000)))
    for k in ("ba", "by"):
        p[k] = p[k] + scale * rng.standard_normal(p[k].shape)
    return p


@checks("04_lm_targets_tests", functions=("lm_targets",), reference=("encode", "lm_targets"))
def lm_targets(student):
    """Token indices, <UNK> for an unknown token (not dropped), and <EOS> at the end."""
    tokens = ["a", "and", "apple", "cat", "is", "pear", "salad", "the", "."]
    small = Make.of("rnnkit.Vocab", tokens, level="word")
    check_equal("lm_targets('The apple and pear salad.')", student.lm_targets("The apple and pear salad.", small),
                [7, 2, 1, 5, 6, 8, 9], hint="one index per token of vocab.tokenize(text), then <EOS> (index 9)")
    check_equal("lm_targets('The Mau is a cat.')", student.lm_targets("The Mau is a cat.", small),
                [7, 10, 4, 0, 3, 8, 9], hint="'mau' is not in the vocabulary: it becomes <UNK> (10), it is not dropped")
    chars, chars_in_kernel = char_vocab()
    a_, n_ = chars.index("a"), chars.index("n")
    check_equal("lm_targets('anna', char_vocab)", student.lm_targets("anna", chars_in_kernel),
                [a_, n_, n_, a_, chars.eos], hint="at the character level every letter is a token")
    v = Vocab(list("zyxabc"), level="char")
    for text in ["abcxyz", "q", "", "aqqz"]:
        got = student.lm_targets(text, Make.of("rnnkit.Vocab", list("zyxabc"), level="char"))
        check_type(f"lm_targets({text!r})", got, (list, tuple, np.ndarray))
        check_equal(f"lm_targets({text!r})", list(got), v.encode(text, add_eos=True))
    texts = ["she eats a pear .", "a pair of shoes ."]
    w = Vocab.from_texts(texts, level="word")
    got = student.lm_targets("She eats a pair of salads.", Make.of("rnnkit.Vocab.from_texts", texts, level="word"))
    check_type("lm_targets('She eats a pair of salads.')", got, (list, tuple, np.ndarray))
    check_equal("lm_targets('She eats a pair of salads.')", list(got), w.encode("She eats a pair of salads.",
                                                                                 add_eos=True))


@checks("04_lm_batch_tests", functions=("lm_batch",), reference=("lm_inputs_targets", "make_lm_batches"))
def lm_batch(student):
    """x<1> = 0 and x<t> = y<t-1> at the real steps, one-hot targets y with zero padding, and the mask.

    What x holds at a padded step is not graded (the notebook says so): the step is masked out of the loss.
    """
    x, y, mask = student.lm_batch([[0, 1, 2, 3], [2, 3]], 4)  # <EOS> = 3, n_x = 4
    check_shape("x", x, (4, 2, 4), notation="(n_x, m, T_x)")
    check_shape("y", y, (4, 2, 4), notation="(n_x, m, T_x)")
    y_expected = one_hot(np.array([[0, 1, 2, 3], [2, 3, -1, -1]]), 4)
    check_close("y (the targets y<t>)", y, y_expected,
                hint="y[:, i, t] is the one-hot of targets[i][t]; padding is zero")
    check_close("mask", mask, np.array([[1, 1, 1, 1], [1, 1, 0, 0]]), notation="(m, T_x)",
                hint="1 at the T_y(i) real steps of example i, 0 after")
    real = np.array([[1.0, 1, 1, 1], [1, 1, 0, 0]])[None]
    x_expected = one_hot(np.array([[-1, 0, 1, 2], [-1, 2, -1, -1]]), 4)
    # tolerance: exact 0/1 values (the default rtol 1e-6)
    check_close("x (the inputs x<t>) at the real steps", np.asarray(x, dtype=float) * real, x_expected,
                mistakes={"x<t> = y<t> (the inputs are not shifted: the model would see the answer it must predict)":
                          y_expected * real,
                          "x<t> = y<t+1> (shifted the wrong way)":
                          one_hot(np.array([[1, 2, 3, -1], [3, -1, -1, -1]]), 4),
                          "x<1> = y<1> instead of the zero vector":
                          one_hot(np.array([[0, 0, 1, 2], [2, 2, -1, -1]]), 4)},
                hint="x<1> is a zero column and x<t> = y<t-1>: x[:, :, 1:] = y[:, :, :-1]")
    rng = np.random.default_rng(4002)
    for n_x, lengths in [(5, [3]), (7, [1, 4, 2]), (3, [2, 2, 5, 1, 3])]:
        targets = random_targets(rng, n_x, lengths)
        x, y, mask = student.lm_batch(targets, n_x)
        ex, ey, emask = lm_inputs_targets(targets, n_x)
        # tolerance: exact 0/1 values, compared with rtol 1e-6
        check_close(f"mask (lengths {lengths})", np.asarray(mask, dtype=float), emask)
        check_close(f"y (n_x={n_x}, lengths {lengths})", y, ey)
        check_shape(f"x (n_x={n_x}, lengths {lengths})", x, ex.shape, notation="(n_x, m, T_x)")
        check_close(f"x at the real steps (n_x={n_x}, lengths {lengths})", np.asarray(x, dtype=float) * emask[None],
                    ex * emask[None])


@checks("04_lm_loss_tests", functions=("lm_loss",), reference=("cross_entropy", "cross_entropy_steps"))
def lm_loss(student):
    """L = Σ_t L<t> over the real steps, averaged over m; y_hat with exact zeros gives a finite L."""
    p_right = np.array([[0.5, 0.25, 0.8], [0.1, 0.9, 0.3]])  # P of the right token at each step (m = 2, T_x = 3)
    mask = np.array([[1, 1, 1], [1, 1, 0]])  # the second example has 2 real steps
    y = one_hot(np.array([[0, 2, 1], [1, 1, -1]]), 3)
    y_hat = y * p_right + (1 - y) * (1 - p_right) / 2
    y_hat[:, 1, 2] = [0.2, 0.5, 0.3]  # a padded step: the model predicts something, but it must not count
    L_steps = -np.log(p_right) * mask
    # tolerance: rtol 1e-6 (the default)
    check_close("L", student.lm_loss(y_hat, y, mask), L_steps.sum() / 2,
                mistakes={"L averaged over the 5 real tokens (the lecture SUMS over time: L = Σ_t L<t>; divide by m "
                          "only)": L_steps.sum() / 5,
                          "L averaged over every step, padding included (divide by m only, and sum over t)":
                          L_steps.sum() / 6,
                          "L summed over the m examples too (average over the batch)": L_steps.sum()},
                hint="sum L<t> over t and over the examples, then divide by m = 2")
    rng = np.random.default_rng(4003)
    for n_x, lengths in [(4, [5]), (6, [2, 5, 3]), (3, [1, 4, 4, 2])]:
        targets = [[int(i) for i in rng.integers(0, n_x, size=k)] for k in lengths]
        _, y, mask = lm_inputs_targets(targets, n_x)
        y_hat = softmax(2.0 * rng.standard_normal(y.shape))
        # tolerance: rtol 1e-6, atol 1e-10 (float64)
        check_close(f"L (lengths {lengths})", student.lm_loss(y_hat, y, mask), cross_entropy(y_hat, y, mask),
                    atol=1e-10)
        check_close(f"L with a boolean mask (lengths {lengths})", student.lm_loss(y_hat, y, mask.astype(bool)),
                    cross_entropy(y_hat, y, mask), atol=1e-10)
    # a confident model: y_hat holds exact zeros (0 · log 0 must count as 0, which the clip before the log gives)
    y_hat0 = 0.9 * y + 0.1 * np.roll(y, 1, axis=0)
    check_close("L when y_hat has exact zeros", student.lm_loss(y_hat0, y, mask), cross_entropy(y_hat0, y, mask),
                atol=1e-10, hint="log 0 = -inf and 0 · (-inf) = nan: clip y_hat to [1e-12, 1] before the log")


@checks("04_lm_loss_and_grads_tests", functions=("lm_loss_and_grads",), reference=("lm_loss_and_grads", "train_lm"))
def loss_and_grads(student):
    """The loss of a padded batch (a<0> = 0) and the five gradients: the gradient check, then rnnkit's values."""
    rng = np.random.default_rng(40)
    params = initialize_rnn(n_x=4, n_a=3, n_y=4, seed=4)
    params["ba"] += 0.2 * rng.standard_normal((3, 1))
    params["by"] += 0.2 * rng.standard_normal((4, 1))
    # a padded batch of three sequences of lengths 3, 2 and 4 (<EOS> = 3), built by hand
    y = one_hot(np.array([[0, 1, 3, -1], [2, 3, -1, -1], [1, 1, 0, 3]]), 4)  # (n_x, m, T_x)
    x = one_hot(np.array([[-1, 0, 1, -1], [-1, 2, -1, -1], [-1, 1, 1, 0]]), 4)  # x<1> = 0, x<t> = y<t-1>
    mask = np.array([[1.0, 1, 1, 0], [1, 1, 0, 0], [1, 1, 1, 1]])

    def J(parameters):
        """The loss as a function of the parameters only, for the numerical gradient."""
        a0 = np.zeros((parameters["Waa"].shape[0], x.shape[1]))
        return cross_entropy(rnn_forward(x, a0, parameters)[1], y, mask)

    L, gradients = student.lm_loss_and_grads(params, x, y, mask)
    check_type("gradients", gradients, dict)
    check_equal("the keys of the gradients", sorted(gradients), GRAD_KEYS,
                hint="only the five parameters' gradients (no dx, no da0)")
    # tolerance: rtol 1e-6 (the default)
    check_close("L", L, J(params), hint="a<0> = 0, and L = cross_entropy(y_hat, y, mask)")
    for k in GRAD_KEYS:
        check_shape(f"gradients[{k!r}]", gradients[k], params[k[1:]].shape)
    report = gradient_check(J, params, gradients)
    check_equal("the gradients whose relative error is above 1e-7", [k for k, e in report.errors.items() if e >= 1e-7],
                [], hint="is dz = (y_hat − y) · mask / m? Without the mask the padded steps push the weights; "
                         "without / m the gradient is m times too large")
    rng = np.random.default_rng(4004)
    for n_x, n_a, lengths in [(5, 3, [4]), (4, 6, [2, 5, 3]), (6, 4, [1, 3, 3, 2, 4])]:
        p = random_lm(rng, n_x, n_a, 0.3)
        x, y, mask = lm_inputs_targets(random_targets(rng, n_x, lengths), n_x)
        eL, eg = lm_loss_and_grads(p, x, y, mask)
        L, g = student.lm_loss_and_grads(p, x, y, mask)
        # tolerance: rtol 1e-6, atol 1e-10 (float64)
        check_close(f"L (n_x={n_x}, n_a={n_a}, lengths {lengths})", L, eL, atol=1e-10)
        check_type("gradients", g, dict)
        check_equal("the keys of the gradients", sorted(g), GRAD_KEYS)
        for k in ("dWaa", "dWax", "dba", "dWya", "dby"):
            check_close(f"{k} (n_x={n_x}, n_a={n_a}, lengths {lengths})", g[k], eg[k], rtol=1e-6, atol=1e-10)


@checks("04_train_tests", functions=("train",), reference=("train_lm",))
def train(student):
    """One step per batch in turn (cycling), clipping by norm, then the optimizer's step; L of every step."""
    toy_batches = [(np.full((1, 1, 1), float(b)), None, None) for b in range(3)]
    toy_params = {"w": np.full((2, 2), 10.0)}  # |θ| = 20: its gradient 10 θ has norm 200
    run = student.run("train", toy_params, toy_batches, 5, Make.of("rnnkit.standins.RecordingSGD"), 1.0,
                      Ref("rnnkit.standins.batch_id_loss"))
    history, norms = run.value, run.args[3].norms
    check_type("history", history, (list, tuple, np.ndarray))
    check_equal("history (the batch used at each step)", [float(h) for h in history], [0.0, 1.0, 2.0, 0.0, 1.0],
                hint="step k uses batches[k % len(batches)], and L is appended at every step")
    # tolerance: rtol 1e-6 (the default)
    check_close("the norm of every update", np.array(norms, dtype=float), np.ones(5),
                mistakes={"the gradients are not clipped": 200.0 * 99.0 ** np.arange(5)},
                hint="gradients, _ = clip_by_norm(gradients, max_norm) before optimizer.step")
    rng = np.random.default_rng(4005)
    n_x, n_a = 5, 4
    p0 = initialize_rnn(n_x, n_a, n_x, seed=45)
    seqs = [[int(i) for i in rng.integers(0, n_x - 1, size=k)] + [n_x - 1] for k in (3, 1, 4, 2, 5, 2, 3)]
    batches = [lm_inputs_targets(seqs[k:k + 3], n_x) for k in (0, 3, 6)]
    for lr, max_norm in [(0.05, 0.5), (0.01, 100.0)]:
        expected_p = {k: v.copy() for k, v in p0.items()}
        expected = train_lm(expected_p, batches, 7, max_norm=max_norm, optimizer=Adam(lr))
        run = student.run("train", p0, batches, 7, Make.of("rnnkit.Adam", lr), max_norm,
                          Ref("rnnkit.language_model.lm_loss_and_grads"))
        history, p = run.value, run.args[0]
        check_type("history", history, (list, tuple, np.ndarray))
        # tolerance: rtol 1e-6, atol 1e-10 (float64, 7 Adam steps)
        check_close(f"history (lr={lr}, max_norm={max_norm})", np.array(history, dtype=float), np.array(expected),
                    atol=1e-10)
        for k in p0:
            check_close(f"{k} after 7 steps (lr={lr}, max_norm={max_norm})", p[k], expected_p[k], atol=1e-10)


@checks("04_log_prob_tests", functions=("log_prob",), reference=("sequence_log_prob", "token_losses"))
def log_prob(student):
    """Σ_t log P(y<t> | y<1..t-1>) from x<1> = 0, every factor included, summed as logarithms."""
    toy = {"Waa": np.zeros((1, 1)), "Wax": np.zeros((1, 3)), "ba": np.zeros((1, 1)),
           "Wya": np.zeros((3, 1)), "by": np.log(np.array([[0.5], [0.3], [0.2]]))}  # the same P at every step
    # tolerance: rtol 1e-6 (the default)
    check_close("log_prob(toy, [0, 2, 2])", student.log_prob(toy, [0, 2, 2]), np.log(0.5 * 0.2 * 0.2),
                hint="a model that ignores its input gives P(y<1>, y<2>, y<3>) = 0.5 · 0.2 · 0.2")
    rng = np.random.default_rng(41)
    params = initialize_rnn(4, 3, 4, seed=41)
    params["by"] += rng.standard_normal((4, 1))
    ids = [2, 0, 3, 1]
    x = one_hot([-1, 2, 0, 3], 4)  # x<1> = 0, x<t> = y<t-1>: shape (n_x, 1, T)
    steps = np.log(rnn_forward(x, np.zeros((3, 1)), params)[1][:, 0, :])[ids, range(4)]  # log y_hat<t>[y<t>]
    y_hat_first_in = rnn_forward(one_hot([2, 2, 0, 3], 4), np.zeros((3, 1)), params)[1][:, 0, :]
    y_hat_unshifted = rnn_forward(one_hot(ids, 4), np.zeros((3, 1)), params)[1][:, 0, :]
    check_close("log_prob(params, [2, 0, 3, 1])", student.log_prob(params, ids), steps.sum(),
                mistakes={"x<1> = y<1> (the first token read as the first input, not the zero vector)":
                          np.log(y_hat_first_in)[ids, range(4)].sum(),
                          "x<t> = y<t> (the token fed in BEFORE it is scored: the model sees the answer)":
                          np.log(y_hat_unshifted)[ids, range(4)].sum(),
                          "the first factor P(y<1>) left out": steps[1:].sum()},
                hint="x<1> = 0, then x<t+1> = one-hot of y<t>; add log y_hat<t>[y<t>] for EVERY t, the first included")
    rng = np.random.default_rng(4006)
    for n_x, n_a, T in [(5, 3, 1), (4, 6, 6), (7, 4, 9)]:
        p = random_lm(rng, n_x, n_a, 0.5)
        ids = [int(i) for i in rng.integers(0, n_x, size=T)]
        x, y, mask = lm_inputs_targets([ids], n_x)
        expected = -float(token_losses(p, x, y, mask).sum())
        # tolerance: rtol 1e-6, atol 1e-10 (float64)
        check_close(f"log_prob (n_x={n_x}, n_a={n_a}, T={T})", student.log_prob(p, ids), expected, atol=1e-10)
    check_close("log_prob(params, [])", student.log_prob(p, []), 0.0)
    # 300 tokens of a model with P = 1/27 at every step: the product (27^-300 ≈ 1e-429) underflows to 0
    uniform = {"Waa": np.zeros((2, 2)), "Wax": np.zeros((2, 27)), "ba": np.zeros((2, 1)),
               "Wya": np.zeros((27, 2)), "by": np.zeros((27, 1))}
    check_close("log_prob of 300 tokens, P(y<t> | ...) = 1/27 each", student.log_prob(uniform, [5] * 300),
                300 * np.log(1 / 27), hint="a product of 300 probabilities underflows to 0: add logarithms")


@checks("04_perplexity_of_tests", functions=("perplexity_of",),
        reference=("perplexity", "mean_token_loss", "token_losses"))
def perplexity_of(student):
    """exp(the loss per REAL token over all batches): a uniform model gives n_x."""
    uniform = {k: np.zeros_like(v) for k, v in initialize_rnn(5, 3, 5, seed=0).items()}  # y_hat<t> = 1/5 everywhere
    # two batches built by hand (<EOS> = 4): sequences [0, 1, 4] and [2, 4], then [3, 3, 3, 4]
    toy_batches = [(one_hot(np.array([[-1, 0, 1], [-1, 2, -1]]), 5), one_hot(np.array([[0, 1, 4], [2, 4, -1]]), 5),
                    np.array([[1.0, 1, 1], [1, 1, 0]])),
                   (one_hot(np.array([[-1, 3, 3, 3]]), 5), one_hot(np.array([[3, 3, 3, 4]]), 5), np.ones((1, 4)))]
    # tolerance: rtol 1e-6 (the default)
    check_close("perplexity_of(uniform model)", student.perplexity_of(uniform, toy_batches), 5.0,
                mistakes={"exp of the loss per sequence (divide by the number of real tokens, not of examples)":
                          5.0 ** (9 / 3),
                          "the padded steps counted as tokens": 5.0 ** (9 / 10)},
                hint="uniform guessing among n_x = 5 tokens must give perplexity 5")
    params = initialize_rnn(5, 3, 5, seed=7)
    params["by"] += np.array([[2.0], [0.0], [0.0], [0.0], [1.0]])
    pp = student.perplexity_of(params, toy_batches)
    check_type("perplexity_of(...)", float(pp), float)
    rng = np.random.default_rng(4007)
    for n_x, n_a, groups in [(6, 4, [[3, 1, 4]]), (4, 5, [[2, 5], [1, 1, 3, 2]]), (5, 3, [[4], [2, 6, 1]])]:
        p = random_lm(rng, n_x, n_a, 0.5)
        batches = [lm_inputs_targets(random_targets(rng, n_x, lengths), n_x) for lengths in groups]
        expected = float(np.exp(mean_token_loss(p, batches)))
        # tolerance: rtol 1e-6 (float64)
        check_close(f"perplexity_of (n_x={n_x}, batches of lengths {groups})", student.perplexity_of(p, batches),
                    expected)


# ----------------------------------------------------------------------------- embeddings


@checks("04_embedding_forward_tests", functions=("embedding_forward",),
        reference=("embedding_forward", "embedding_lm_loss_and_grads"))
def embedding_forward_check(student):
    """e[:, i, t] = E[:, ids[i, t]], a zero column for -1; E unchanged; n_e != n_x and n_e == n_x, m = 1 and m > 1."""
    rng = np.random.default_rng(4010)
    for n_e, n_x, m, T in ((2, 4, 2, 3), (3, 3, 1, 5), (5, 7, 4, 2), (4, 6, 3, 4)):
        E = rng.standard_normal((n_e, n_x))
        ids = rng.integers(-1, n_x, size=(m, T))
        ids[:, 0] = -1  # x<1> = 0, as in a language model
        ids[0, -1] = ids[0, 1]  # a repeated token
        case = f"(n_e={n_e}, n_x={n_x}, m={m}, T_x={T})"
        run = student.run("embedding_forward", ids, E)
        check_shape(f"e {case}", run.value, (n_e, m, T), notation="(n_e, m, T_x)",
                    hint="E[:, ids] has shape (n_e, m, T_x): the columns of E, in the order of ids")
        # tolerance: copies of E's entries (the default rtol 1e-6)
        check_close(f"e {case}", run.value, embedding_forward(ids, E),
                    mistakes={"the index -1 looked up as E's last column, not a zero column": E[:, ids]},
                    hint="e[:, i, t] = E[:, ids[i, t]]; where ids is -1 the column is zero (x<1> = 0 has no token)")
        check_close(f"E after embedding_forward {case} (unchanged)", run.args[1], E, rtol=0, atol=0,
                    hint="fancy indexing E[:, ids] gives a copy; zero the -1 steps in that copy, not in E")


def _add_once(de, ids, n_x):
    """The mistake dE[:, ids] += de: a repeated index gets one of its gradients (the last one numpy writes)."""
    dE = np.zeros((de.shape[0], n_x))
    real = ids >= 0
    dE[:, ids[real]] += de[:, real]
    return dE


@checks("04_embedding_backward_tests", functions=("embedding_backward",),
        reference=("embedding_backward", "embedding_lm_loss_and_grads"))
def embedding_backward_check(student):
    """dE[:, k] sums de over the steps that looked k up (repeats added), -1 adds nothing, the rest is zero."""
    rng = np.random.default_rng(4011)
    for n_e, n_x, m, T in ((2, 4, 2, 3), (3, 3, 1, 6), (4, 6, 3, 4), (5, 8, 5, 2)):
        ids = rng.integers(-1, n_x, size=(m, T))
        ids[:, 0] = -1  # x<1> = 0: its gradient must go nowhere
        ids[-1, -1] = ids[0, 1] = n_x - 2  # a repeated token
        de = rng.standard_normal((n_e, m, T))
        case = f"(n_e={n_e}, n_x={n_x}, m={m}, T_x={T})"
        dE = student.embedding_backward(de, ids, n_x)
        check_shape(f"dE {case}", dE, (n_e, n_x), notation="(n_e, n_x)")
        as_last = embedding_backward(de, np.where(ids < 0, n_x - 1, ids), n_x)
        # tolerance: rtol 1e-6, atol 1e-12 (sums of a few float64 numbers in another order)
        check_close(f"dE {case}", dE, embedding_backward(de, ids, n_x), atol=1e-12,
                    mistakes={"dE[:, ids] += de: a token looked up twice gets only one of its gradients":
                              _add_once(de, ids, n_x),
                              "the index -1 counted as the last column (x<1> = 0 looked up nothing)": as_last},
                    hint="dE[:, k] = sum of de[:, i, t] over every (i, t) with ids[i, t] = k; -1 steps add nothing")


# ----------------------------------------------------------------------------- truncated BPTT


def _chunks(student, ids, k, params):
    """The student's train_tbptt with RecordingChunks and RecordingSGD: (history, calls, norms)."""
    run = student.run("train_tbptt", params, ids, k, Make.of("rnnkit.standins.RecordingSGD"), 1.0,
                      Make.of("rnnkit.standins.RecordingChunks"))
    return run.value, run.args[5].calls, run.args[3].norms


@checks("04_train_tbptt_tests", functions=("train_tbptt",), reference=("train_tbptt",))
def train_tbptt(student):
    """Chunks of k steps (the last shorter), targets one step later, a<k> carried as the next a<0>, clipping;
    then rnnkit's chunk_loss_and_grads and Adam: the same losses and parameters as rnnkit's pass."""
    rng = np.random.default_rng(4012)
    for m, T, k in ((2, 10, 4), (1, 8, 4), (3, 3, 5), (2, 7, 1), (4, 9, 3)):
        ids = rng.integers(0, 6, size=(m, T + 1))
        n_a = 3  # θ = Waa = 10: the stand-in's gradients 10 θ have norm 300, clipped to 1 at every step
        history, calls, norms = _chunks(student, ids, k, {"Waa": np.full((n_a, n_a), 10.0)})
        starts = list(range(0, T, k))
        lengths = [min(s + k, T) - s for s in starts]
        case = f"(m={m}, T={T}, k={k})"
        check_type(f"history {case}", history, (list, tuple, np.ndarray))
        check_equal(f"chunk lengths {case}", [np.shape(c["x"])[1] if np.ndim(c["x"]) == 2 else None
                                                  for c in calls], lengths,
                    hint="chunks of k steps from s = 0, k, 2k, … while s < T; the last has e − s = min(s + k, T) − s")
        for s, c in zip(starts, calls):
            e = min(s + k, T)
            check_equal(f"inputs of the chunk at s = {s} {case}", np.asarray(c["x"]).tolist(),
                        ids[:, s:e].tolist(), hint="x_ids = ids[:, s:e]")
            check_close(f"targets of the chunk at s = {s} {case}", np.asarray(c["y"], dtype=float),
                        ids[:, s + 1:e + 1].astype(float),
                        mistakes={"the targets are the inputs (y = x): the model would see the answer":
                                  ids[:, s:e].astype(float)},
                        hint="the targets are one step later than the inputs: ids[:, s+1:e+1]")
        # RecordingChunks returns a<k> = a<0> + 1: a carried state counts the chunks 0, 1, 2, …
        a0 = np.array([np.asarray(c["a0"], dtype=float)[0, 0] for c in calls])
        for c in calls:
            check_shape(f"a<0> {case}", np.asarray(c["a0"]), (n_a, m), notation="(n_a, m)")
        # tolerance: exact small integers (the default rtol 1e-6)
        check_close(f"a<0> of each chunk (entry [0, 0]) {case}", a0, np.arange(len(starts), dtype=float),
                    mistakes={"a<0> = 0 for every chunk: the state is not carried": np.zeros(len(starts))},
                    hint="start from a = np.zeros((n_a, m)) once, then pass the a that chunk_loss_and_grads returned")
        check_close(f"history {case}", np.asarray(history, dtype=float), np.arange(1.0, len(starts) + 1),
                    hint="append the L of every chunk, in order")
        check_close(f"norm of every update {case}", np.asarray(norms, dtype=float), np.ones(len(starts)),
                    mistakes={"the gradients are not clipped": 300.0 * 9.0 ** np.arange(len(starts))},
                    hint="gradients, _ = clip_by_norm(gradients, max_norm) before optimizer.step")
    # the real thing: rnnkit's chunk_loss_and_grads and Adam, compared with rnnkit's pass
    n_x = 5
    for m, T, k, lr in ((3, 14, 4, 0.05), (2, 9, 9, 0.01), (1, 11, 2, 0.02)):
        ids = rng.integers(0, n_x, size=(m, T + 1))
        p0 = initialize_rnn(n_x, 4, n_x, seed=int(rng.integers(1000)))
        want_p = {key: v.copy() for key, v in p0.items()}
        want = ref_train_tbptt(want_p, ids, k, Adam(lr), 0.5, chunk_loss_and_grads)
        run = student.run("train_tbptt", p0, ids, k, Make.of("rnnkit.Adam", lr), 0.5,
                          Ref("rnnkit.tbptt.chunk_loss_and_grads"))
        case = f"(m={m}, T={T}, k={k}, rnnkit's chunk_loss_and_grads and Adam({lr}))"
        # tolerance: rtol 1e-6, atol 1e-10 (float64, a few Adam steps)
        check_close(f"history {case}", np.asarray(run.value, dtype=float), np.array(want), atol=1e-10)
        for key in p0:
            check_close(f"{key} after the pass {case}", run.args[0][key], want_p[key], atol=1e-10)
