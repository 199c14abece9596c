"""Name tagging where the future decides: the lecture's "Teddy bears" / "Teddy Roosevelt" pair.

Taught in 08_brnn (and may be used again in 09_deep_rnn). The lecture's two sentences

    He said, "Teddy bears are on sale!"            teddy is not part of a name
    He said, "Teddy Roosevelt was a great President!"   teddy is part of a name

start with the same words: whether "teddy" belongs to a person's name can only be told from
the word AFTER it. This module generates many such sentences from a small grammar. Each
sentence is a frame (``he said , " … ! "``, ``i think … .``, ...) around a subject and a
predicate; the subject is one of

    an AMBIGUOUS word used as a first name   "teddy roosevelt was a great president"   1 1 0 0 0 0
    the same word used as a noun modifier    "teddy bears are on sale"                  0 0 0 0 0
    a plain first name and a surname         "harry potter is late"                     1 1 0 0
    a plain noun phrase                      "the bears are cheap"                      0 0 0 0

and a predicate may mention a second name or noun phrase ("… saw rose parker", "… saw rose
petals": either use, whatever the subject). The task is
many-to-many, T_y = T_x: at every word, y<t> = 1 if x<t> is part of a person's name, else 0.
The ambiguous words (AMBIGUOUS: "teddy", "rose", "april", "jack", "sandy", "bill") are names
exactly half of the time (``make_tagging`` draws both uses with probability 1/2, independently
of the frame), and nothing BEFORE them tells which: a left-to-right model can only guess, a
bidirectional one sees the next word. ``ambiguous`` flags their positions so accuracy can be
reported on them separately.

Sentences have different lengths: they are padded at the end (``rnnkit.vocab.pad_sequences``)
and a mask says which steps are real. Everything is deterministic given ``seed`` (a numpy
Generator drives every draw).
"""

import numbers
from typing import NamedTuple

import numpy as np

from ._checks import as_generator
from .vocab import Vocab, one_hot, pad_sequences, tokenize

# word -> the nouns it modifies when it is NOT a name ("teddy bears", "rose petals", ...)
AMBIGUOUS = {
    "teddy": ("bears",),
    "rose": ("petals", "bushes"),
    "april": ("showers",),
    "jack": ("rabbits",),
    "sandy": ("beaches",),
    "bill": ("payments",),
}
FIRST_NAMES = ("harry", "hermione", "emma", "oscar")  # always names
SURNAMES = ("roosevelt", "potter", "granger", "parker", "smith", "lee")
NOUNS = ("bears", "cookies", "tickets", "apples")  # plain nouns, after "the"
FRAMES = (  # (words before the subject, words after the predicate)
    (("he", "said", ",", '"'), ("!", '"')),
    (("she", "said", ",", '"'), (".", '"')),
    (("i", "think",), (".",)),
    (("look", ","), ("!",)),
    (("yesterday", ","), (".",)),
    ((), (".",)),
)
NAME_PREDICATES = (("was", "a", "great", "president"), ("is", "on", "the", "phone"), ("was", "late"),
                   ("is", "here"), ("saw",))
NOUN_PREDICATES = (("are", "on", "sale"), ("are", "cheap"), ("were", "here"), ("are", "next", "to"))
LABELS = ("not a name", "name")  # class 0, class 1 (n_y = 2)

_WORDS = sorted(
    {w for word, nouns in AMBIGUOUS.items() for w in (word, *nouns)}
    | set(FIRST_NAMES) | set(SURNAMES) | set(NOUNS) | {"the"}
    | {w for before, after in FRAMES for w in before + after}
    | {w for p in NAME_PREDICATES + NOUN_PREDICATES for w in p}
    | {w for s in ('He said, "Teddy bears are on sale!"', 'He said, "Teddy Roosevelt was a great President!"')
       for w in tokenize(s, level="word")}
)
VOCAB = Vocab(_WORDS, level="word", specials=False)  # n_x = len(VOCAB)


class TaggingData(NamedTuple):
    """A batch of the tagging task; every array has the examples on axis ``m``."""

    x: np.ndarray  # one-hot words, zero columns at padding         (n_x, m, T_x)
    y: np.ndarray  # one-hot targets [not a name; name], 0 at padding (2, m, T_x)
    labels: np.ndarray  # 1 = part of a name, 0 = not, −1 at padding   (m, T_x) int64
    mask: np.ndarray  # True at real words, False at padding          (m, T_x) bool
    ambiguous: np.ndarray  # True at the ambiguous words (AMBIGUOUS)     (m, T_x) bool
    lengths: np.ndarray  # number of real words of each sentence       (m,) int64
    ids: np.ndarray  # word indices in VOCAB, −1 at padding          (m, T_x) int64
    words: list  # the m sentences as lists of words




def make_batch(sentences, labels):
    """A TaggingData from tokenized sentences and their per-word labels.

    sentences : m lists of words (each word in VOCAB) or m strings (tokenized at word level);
    labels : m lists of 0/1, one per word.
    """
    words = [tokenize(s, level="word") if isinstance(s, str) else list(s) for s in sentences]
    labels = [list(lab) for lab in labels]
    if len(words) != len(labels) or not words:
        raise ValueError(f"sentences and labels must hold the same number (≥ 1) of sentences, "
                         f"got {len(words)} and {len(labels)}")
    for i, (w, lab) in enumerate(zip(words, labels)):
        if len(w) != len(lab):
            raise ValueError(f"sentence {i} has {len(w)} words but {len(lab)} labels")
        if any(v not in (0, 1) for v in lab):
            raise ValueError(f"labels[{i}] must hold only 0 and 1, got {lab}")
        unknown = [t for t in w if t not in VOCAB]
        if unknown:
            raise ValueError(f"sentence {i} has words outside the vocabulary: {unknown}")
    ids, mask = pad_sequences([VOCAB.encode(w) for w in words])  # (m, T_x), (m, T_x)
    label_ids, _ = pad_sequences(labels)  # (m, T_x), −1 at padding
    x = one_hot(ids, len(VOCAB))  # (n_x, m, T_x)
    y = one_hot(label_ids, len(LABELS))  # (2, m, T_x)
    amb_ids = [VOCAB.index(w) for w in AMBIGUOUS]
    ambiguous = np.isin(ids, amb_ids) & mask  # (m, T_x)
    return TaggingData(x, y, label_ids, mask, ambiguous, mask.sum(axis=1).astype(np.int64), ids, words)


def lecture_examples():
    """The lecture's two sentences as a TaggingData with m = 2 (teddy is a name only in the second)."""
    return make_batch(
        ['He said, "Teddy bears are on sale!"', 'He said, "Teddy Roosevelt was a great President!"'],
        [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0]],
    )


def _pick(rng, items):
    return items[int(rng.integers(len(items)))]


def _phrase(rng, kind):
    """(words, labels) of a subject or object of the given kind."""
    if kind == "ambiguous name":
        return [_pick(rng, tuple(AMBIGUOUS)), _pick(rng, SURNAMES)], [1, 1]
    if kind == "ambiguous noun":
        word = _pick(rng, tuple(AMBIGUOUS))
        return [word, _pick(rng, AMBIGUOUS[word])], [0, 0]
    if kind == "plain name":
        return [_pick(rng, FIRST_NAMES), _pick(rng, SURNAMES)], [1, 1]
    return ["the", _pick(rng, NOUNS)], [0, 0]


def _kind(rng, p_ambiguous):
    """Half of the ambiguous phrases are names, half are not."""
    if rng.random() < p_ambiguous:
        return "ambiguous name" if rng.random() < 0.5 else "ambiguous noun"
    return "plain name" if rng.random() < 0.5 else "plain noun"


def _sentence(rng, p_ambiguous):
    before, after = _pick(rng, FRAMES)
    kind = _kind(rng, p_ambiguous)
    words, labels = _phrase(rng, kind)
    is_name = kind.endswith("name")
    predicate = list(_pick(rng, NAME_PREDICATES if is_name else NOUN_PREDICATES))
    words, labels = list(before) + words + predicate, [0] * len(before) + labels + [0] * len(predicate)
    if predicate[-1] in ("saw", "to"):  # "… saw rose parker", "… are next to the bears"
        obj, obj_labels = _phrase(rng, _kind(rng, p_ambiguous))  # any kind: the verb tells nothing
        words, labels = words + obj, labels + obj_labels
    return words + list(after), labels + [0] * len(after)


def make_tagging(m, seed=0, p_ambiguous=0.6):
    """m generated sentences with a name/not-name label per word.

    m : number of sentences (≥ 1);  seed : int or numpy Generator;
    p_ambiguous : the probability that a subject (or object) starts with an ambiguous word,
        which is then a name or a noun modifier with probability 1/2 each.
    Returns TaggingData: x (n_x, m, T_x), y (2, m, T_x), labels, mask, ambiguous, ids (m, T_x),
    lengths (m,), words; T_x is the longest sentence of the batch.
    """
    if isinstance(m, bool) or not isinstance(m, numbers.Integral) or m < 1:
        raise ValueError(f"m must be a positive integer, got {m!r}")
    is_real = isinstance(p_ambiguous, numbers.Real) and not isinstance(p_ambiguous, bool)
    if not is_real or not 0 <= p_ambiguous <= 1:
        raise ValueError(f"p_ambiguous must be a number in [0, 1], got {p_ambiguous!r}")
    rng = as_generator(seed)
    pairs = [_sentence(rng, float(p_ambiguous)) for _ in range(int(m))]
    return make_batch([w for w, _ in pairs], [lab for _, lab in pairs])


def show(data, i, predictions=None):
    """Example i as text, each name word in capitals (and, with predictions (m, T_x) 0/1, a
    second line with the predicted names in capitals and ✗ after each wrong word)."""
    words, labels = data.words[i], data.labels[i, : data.lengths[i]]
    line = " ".join(w.upper() if lab == 1 else w for w, lab in zip(words, labels))
    if predictions is None:
        return line
    pred = np.asarray(predictions)[i, : data.lengths[i]]
    shown = " ".join((w.upper() if p == 1 else w) + ("✗" if p != lab else "")
                     for w, p, lab in zip(words, pred, labels))
    return line + "\n" + shown
