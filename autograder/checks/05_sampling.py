"""Trusted checks of 05_sampling: the visible cases and the hidden ones, judged in the grader."""

import numpy as np

from autograder.trusted import Checks, Make, Own, StudentError
from rnnkit import rnn_forward
from rnnkit.sampling import next_token_distribution, next_token_logits, sample_sequence, softmax_with_temperature
from rnnkit.sampling import top_k_logits as ref_top_k
from rnnkit.testing import check_close, check_equal, check_shape, check_type
from rnnkit.vocab import Vocab

checks = Checks()
SAMPLING = ("sample_sequence", "next_token_distribution", "next_token_logits", "softmax_with_temperature",
            "top_k_logits")


def raises(student, name, *args):
    """The name of the exception ``student.name(*args)`` raised, or None."""
    try:
        student.run(name, *args)
    except StudentError as err:
        return err.type
    return None


def generator(seed):
    return Make.of("numpy.random.default_rng", seed)


@checks("05_softmax_with_temperature_tests", functions=("softmax_with_temperature",),
        reference=("softmax_with_temperature",))
def temperature(student):
    """The temperature divides the logits before the softmax; stable for large logits; T <= 0 refused."""
    z = np.array([2.0, 1.0, 0.0, -1.0])
    p1 = np.exp(z) / np.exp(z).sum()
    for T in (1.0, 0.5, 2.0):
        expected = np.exp(z / T) / np.exp(z / T).sum()
        # tolerance: 1e-10 relative, float64 round-off only
        check_close(f"softmax_with_temperature(z, {T})", student.softmax_with_temperature(z, T), expected, rtol=1e-10,
                    mistakes={"p ** (1/T) with p = softmax(z), not renormalised (T applied after the softmax)":
                              p1 ** (1 / T),
                              "p / T with p = softmax(z) (T applied after the softmax)": p1 / T,
                              "softmax(z * T) (multiplied by T instead of divided)":
                              np.exp(z * T) / np.exp(z * T).sum()},
                    hint="divide the LOGITS by T, then take the softmax: exp(z/T) / sum(exp(z/T))")
    Z = np.array([[1000.0, 0.0], [999.0, 1.0]])
    # tolerance: 1e-10 relative
    check_close("softmax_with_temperature(Z, 1.0) for Z = [[1000, 0], [999, 1]]",
                student.softmax_with_temperature(Z, 1.0), softmax_with_temperature(Z, 1.0), rtol=1e-10,
                hint="subtract each column's maximum before np.exp (exp(1000) overflows); softmax over axis 0")
    rng = np.random.default_rng(501)
    for shape, T in (((7,), 0.3), ((5, 3), 1.0), ((6, 1), 2.5), ((9,), 0.02), ((4, 2), 1.7)):
        z = rng.normal(0.0, 20.0 if T == 0.02 else 2.0, shape)
        # tolerance: 1e-8 relative, 1e-12 absolute (float64 round-off, tiny probabilities)
        check_close(f"softmax_with_temperature(z {shape}, {T})", student.softmax_with_temperature(z, T),
                    softmax_with_temperature(z, T), rtol=1e-8, atol=1e-12)
    for bad in (0.0, -1.0, 0):
        check_equal(f"softmax_with_temperature(z, {bad}) raises", raises(student, "softmax_with_temperature",
                                                                         np.zeros(3), bad), "ValueError",
                    hint="T <= 0 is not a temperature: raise ValueError")


@checks("05_top_k_logits_tests", functions=("top_k_logits",), reference=("top_k_logits",))
def top_k(student):
    """The k largest logits stay, the others become -inf; the caller's z unchanged."""
    z = np.array([0.5, 3.0, -1.0, 2.0, 1.0])
    inf = np.inf
    run = student.run("top_k_logits", z, 2)
    # tolerance: exact up to 1e-12 (values are copied, not computed)
    check_close("top_k_logits(z, 2)", run.value, np.array([-inf, 3.0, -inf, 2.0, -inf]), atol=1e-12,
                mistakes={"the 2 SMALLEST logits kept": np.array([0.5, -inf, -1.0, -inf, -inf]),
                          "3 logits kept instead of 2": np.array([-inf, 3.0, -inf, 2.0, 1.0]),
                          "the others set to 0 instead of -inf": np.array([0.0, 3.0, 0.0, 2.0, 0.0])},
                hint="np.argsort(z) runs from the smallest to the largest: the last k indices are the ones to keep")
    check_close("z after top_k_logits(z, 2)", run.args[0], z, hint="work on a copy: the caller's z must not change")
    check_close("top_k_logits(z, None)", student.top_k_logits(z, None), z, hint="k = None keeps every logit")
    rng = np.random.default_rng(502)
    for n, k in ((8, 1), (8, 3), (8, 8), (5, 4), (27, 5), (6, None)):
        z = rng.normal(0.0, 2.0, n)
        run = student.run("top_k_logits", z, k)
        # tolerance: 1e-12 absolute, the kept logits are copies
        check_close(f"top_k_logits(z ({n},), {k})", run.value, ref_top_k(z, k), atol=1e-12)
        check_close("z after top_k_logits (unchanged)", run.args[0], z, atol=0.0, rtol=0.0)


def random_lm(rng, n_a, n_x, scale=0.5):
    return {"Waa": rng.normal(0, scale, (n_a, n_a)), "Wax": rng.normal(0, 1, (n_a, n_x)),
            "ba": rng.normal(0, 0.5, (n_a, 1)), "Wya": rng.normal(0, 1, (n_x, n_a)), "by": rng.normal(0, 0.5, (n_x, 1))}


@checks("05_next_char_logits_tests", functions=("next_char_logits",),
        reference=("next_token_logits", "next_token_distribution", "sample_sequence"))
def next_char(student):
    """a<0> = 0, x<1> = 0, then the prefix; the logits of the next character."""
    params = random_lm(np.random.default_rng(5), 5, 6)
    n_a, n_x = 5, 6
    prefix = [2, 0, 4]
    expected = next_token_logits(params, prefix)
    x_no_zero = np.zeros((n_x, 1, 3))
    x_no_zero[prefix, 0, [0, 1, 2]] = 1.0
    a_no_zero, _, _ = rnn_forward(x_no_zero, np.zeros((n_a, 1)), params)
    no_zero = params["Wya"] @ a_no_zero[:, 0, -1] + params["by"][:, 0]
    z = student.next_char_logits(params, prefix)
    check_shape("next_char_logits(params, [2, 0, 4])", z, (n_x,), notation="(n_y,)",
                hint="return a 1-d array: (Wya a + by)[:, 0]")
    # tolerance: 1e-10 relative, 1e-12 absolute
    check_close("next_char_logits(params, [2, 0, 4])", z, expected, rtol=1e-10, atol=1e-12,
                mistakes={"the prefix read from x<1> on, without the zero input x<1> = 0 first": no_zero,
                          "softmax(z) returned instead of the logits z": np.exp(expected) / np.exp(expected).sum()},
                hint="x<1> = 0 (as in training), then x<2> = one_hot(2), x<3> = one_hot(0), x<4> = one_hot(4); "
                     "return Wya a + by")
    check_close("next_char_logits(params, []) (z<1>)", student.next_char_logits(params, []),
                next_token_logits(params, []), rtol=1e-10, atol=1e-12,
                hint="an empty prefix: one step with x<1> = 0 from a<0> = 0")
    rng = np.random.default_rng(503)
    for n_a, n_x, prefix in ((7, 5, []), (7, 5, [3]), (4, 9, [1, 8, 8, 0, 6]), (10, 6, [5, 5, 2, 1, 0, 3, 4])):
        p = random_lm(rng, n_a, n_x, 0.4)
        # tolerance: 1e-9 relative, 1e-12 absolute
        check_close(f"next_char_logits (n_a={n_a}, n_x={n_x}, prefix={prefix})",
                    student.next_char_logits(p, list(prefix)), next_token_logits(p, prefix), rtol=1e-9, atol=1e-12)


COUNTER = {"Waa": np.zeros((4, 4)), "ba": np.array([[-5.0], [-5.0], [-5.0], [5.0]]),
           "Wax": np.array([[10.0, 0, 0, 0], [0, 10.0, 0, 0], [0, 0, 10.0, 0], [-10.0, -10.0, -10.0, 0]]),
           "Wya": 10.0 * np.array([[0, 0, 0, 1.0], [1.0, 0, 0, 0], [0, 1.0, 0, 0], [0, 0, 1.0, 0]]),
           "by": np.zeros((4, 1))}


def chain_model():
    """Over 5 indices (<EOS> = 2): zero input -> 4 -> 0 -> 3 -> <EOS>, each with probability > 1 - 1e-8."""
    c = {"Waa": np.zeros((6, 6)), "Wax": np.zeros((6, 5)), "ba": np.full((6, 1), -6.0), "Wya": np.zeros((5, 6)),
         "by": np.zeros((5, 1))}
    c["ba"][5, 0] = 6.0
    for j in range(5):
        c["Wax"][j, j], c["Wax"][5, j] = 12.0, -12.0
    c["Wya"][4, 5] = 12.0
    for j, nxt in {4: 0, 0: 3, 3: 2}.items():
        c["Wya"][nxt, j] = 12.0
    return c


def many(student, n, parameters, eos_index, seed, **kwargs):
    """n samples of the student's sample from one Generator (drawn in their kernel), and its next random()."""
    return student.run("rnnkit.standins.samples_from_one_generator", Own("sample"), n, parameters, eos_index, seed,
                       **kwargs).value


@checks("05_sample_tests", functions=("sample",), reference=SAMPLING)
def sample(student):
    """Feeds the sample back, stops at <EOS>, draws with rng.choice(n_y, p=probs) once per step."""
    check_equal("sample(counter, 3, rng)", student.sample(COUNTER, 3, generator(0), max_length=10), [0, 1, 2, 3],
                hint="'abc' then <EOS>: is x<t+1> the one-hot of the index you just drew (not 0 or x<1>)? "
                     "do you stop right after appending <EOS>?")
    check_equal("sample(counter, 3, rng, max_length=2)", student.sample(COUNTER, 3, generator(0), max_length=2),
                [0, 1], hint="at most max_length indices")
    flat = {"Waa": np.eye(3) * 0.5, "Wax": np.ones((3, 6)), "ba": np.ones((3, 1)), "Wya": np.zeros((6, 3)),
            "by": np.zeros((6, 1))}
    replay, expected = np.random.default_rng(0), []
    while len(expected) < 12:
        expected.append(int(replay.choice(6, p=np.full(6, 1 / 6))))
        if expected[-1] == 5:
            break
    got = student.sample(flat, 5, generator(0), max_length=12)
    check_equal("sample(flat, 5, np.random.default_rng(0), max_length=12)", got, expected,
                hint="draw with rng.choice(n_y, p=probs) exactly once per step; not the argmax, and no re-seeding")
    check_equal("the type of sample's result", type(got).__name__, "list")
    rng = np.random.default_rng(504)
    vocab = Vocab(list("abcd"))  # a b c d <EOS> <UNK>: n_y = 6, <EOS> = 4
    p = {"Waa": rng.normal(0, 0.6, (7, 7)), "Wax": rng.normal(0, 1.2, (7, 6)), "ba": rng.normal(0, 0.5, (7, 1)),
         "Wya": rng.normal(0, 1.0, (6, 7)), "by": rng.normal(0, 0.3, (6, 1))}
    p["by"][4, 0] -= 2.0
    for seed, T, k, L in ((0, 1.0, None, 30), (1, 0.5, None, 30), (2, 1.7, None, 30), (3, 1.0, 3, 30),
                          (4, 0.8, 2, 30), (5, 1.0, None, 1), (6, 1.3, None, 4)):
        want = sample_sequence(p, vocab, np.random.default_rng(seed), temperature=T, top_k=k, max_length=L)
        check_equal(f"sample(..., rng=default_rng({seed}), temperature={T}, top_k={k}, max_length={L})",
                    student.sample(p, 4, generator(seed), temperature=T, top_k=k, max_length=L), want)
    got, after = many(student, 20, p, 4, 99, max_length=15)
    r2 = np.random.default_rng(99)
    check_equal("20 samples from one Generator", got, [sample_sequence(p, vocab, r2, max_length=15) for _ in range(20)])
    check_equal("the Generator moved exactly as the reference's", after, float(r2.random()))
    c = chain_model()
    check_equal("sample(chain model, eos_index=2)", student.sample(c, 2, generator(7)), [4, 0, 3, 2])
    check_equal("sample(chain model, eos_index=2, max_length=3)", student.sample(c, 2, generator(7), max_length=3),
                [4, 0, 3])


def residuals(values, p, n):
    """Standardised residuals (frequency − p) / sqrt(p (1 − p) / n) of the 6 indices."""
    f = (np.asarray(values)[:, None] == np.arange(6)[None, :]).mean(axis=0)
    return (f - p) / ((p * (1 - p) / n) ** 0.5 + 1e-12)


@checks("05_sample_distribution_tests", functions=("sample",), reference=SAMPLING)
def distribution(student):
    """Over many draws, y<1>, y<2>, y<3> follow softmax(z / T) and samples stop at <EOS>."""
    flat = {"Waa": np.eye(3) * 0.5, "Wax": np.ones((3, 4)), "ba": np.ones((3, 1)), "Wya": np.zeros((4, 3)),
            "by": np.zeros((4, 1))}
    samples, _ = many(student, 800, flat, 3, 11, max_length=6)
    check_type("samples", samples, list)
    freq = np.bincount([s[0] for s in samples], minlength=4)[:4] / len(samples)
    # tolerance: 0.08 absolute, about 4.5 standard deviations of a frequency over 800 draws with p = 1/4
    check_close("the frequencies of y<1> in 800 samples of a uniform model", freq, np.full(4, 0.25), atol=0.08,
                hint="draw at random with rng.choice(n_y, p=probs): the argmax always gives the same index")
    check_equal("samples with <EOS> (3) before their end", [s for s in samples if 3 in s[:-1]][:3], [],
                hint="stop the loop as soon as the drawn index is eos_index")
    rng = np.random.default_rng(505)
    p = {"Waa": rng.normal(0, 0.6, (7, 7)), "Wax": rng.normal(0, 1.5, (7, 6)), "ba": rng.normal(0, 0.5, (7, 1)),
         "Wya": rng.normal(0, 1.0, (6, 7)), "by": rng.normal(0, 0.3, (6, 1))}
    p["by"][4, 0] += 0.5
    T, n = 0.8, 3000
    samples, _ = many(student, n, p, 4, 12345, temperature=T, max_length=3)
    p1 = next_token_distribution(p, [], T)
    # standardised residuals of y<1>: within ±4.5 (a chi-square-like test)
    check_close("standardised residuals of the y<1> frequencies", residuals([s[0] for s in samples], p1, n),
                np.zeros(6), atol=4.5)
    stop = float(np.mean([len(s) == 1 for s in samples]))
    # tolerance: 4.5 standard deviations of the share of samples of length 1, which must be P(y<1> = <EOS>)
    check_close("the share of samples that stop at y<1> = <EOS>", stop, p1[4],
                atol=4.5 * (p1[4] * (1 - p1[4]) / n) ** 0.5)
    top = int(np.argmax(np.where(np.arange(6) == 4, 0, p1)))
    second = [s[1] for s in samples if s[0] == top]
    p2 = next_token_distribution(p, [top], T)
    # the same test for y<2> given the most likely y<1>: it checks that the sample is fed back
    check_close(f"standardised residuals of y<2> given y<1> = {top} ({len(second)} samples)",
                residuals(second, p2, len(second)), np.zeros(6), atol=4.5)
    top2 = int(np.argmax(np.where(np.arange(6) == 4, 0, p2)))
    third = [s[2] for s in samples if s[:2] == [top, top2] and len(s) == 3]
    p3 = next_token_distribution(p, [top, top2], T)
    # and for y<3> given the most likely (y<1>, y<2>): every sample is fed back, not only the first
    check_close(f"standardised residuals of y<3> given (y<1>, y<2>) = ({top}, {top2}) ({len(third)} samples)",
                residuals(third, p3, len(third)), np.zeros(6), atol=4.5)


@checks("05_sample_statistics_tests", functions=("sample_statistics",))
def statistics(student):
    """The share of new samples and their mean length."""
    share_new, mean_length = student.sample_statistics(["ana", "bobby", "ana", "zed", "ana"], ["ana", "eve", "mila"])
    # tolerance: 1e-12
    check_close("share_new for samples ['ana', 'bobby', 'ana', 'zed', 'ana'], corpus ['ana', 'eve', 'mila']",
                share_new, 0.4, atol=1e-12, mistakes={"the share of samples IN the corpus (3 / 5)": 0.6,
                                                      "the share of DISTINCT samples that are new (2 / 3)": 2 / 3},
                hint="'bobby' and 'zed' are new: 2 of the 5 samples (the repeated 'ana' counts three times)")
    check_close("mean_length", mean_length, 3.4, atol=1e-12,
                mistakes={"the length counted with one extra character (<EOS>)": 4.4},
                hint="(3 + 5 + 3 + 3 + 3) / 5 characters")
    rng = np.random.default_rng(506)
    letters = list("abcde")
    corpus = sorted({"".join(rng.choice(letters, rng.integers(1, 4))) for _ in range(40)})
    samples = ["".join(rng.choice(letters, rng.integers(1, 6))) for _ in range(57)] + corpus[:3] + corpus[:3]
    new = [s for s in samples if s not in set(corpus)]
    got_share, got_len = student.sample_statistics(list(samples), list(corpus))
    check_close("share_new", got_share, len(new) / len(samples), atol=1e-12)
    check_close("mean_length", got_len, sum(len(s) for s in samples) / len(samples), atol=1e-12)
    got_share, got_len = student.sample_statistics(["x", "yy"], ["x", "yy", "z"])
    check_close("share_new when every sample is known", got_share, 0.0, atol=1e-12)
    check_close("mean_length of ['x', 'yy']", got_len, 1.5, atol=1e-12)
