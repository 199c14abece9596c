"""Vocabularies, one-hot vectors and padded batches.

Taught in 01_notation. A vocabulary of n_x tokens turns a token into the one-hot column
x<t> of shape (n_x, 1); a batch of m sequences becomes x of shape (n_x, m, T_x). Inputs
and outputs can have different lengths in different examples: shorter sequences are padded
up to the longest, T_x, and a mask (m, T_x) says which steps are real.
"""

import numbers
import re
from collections import Counter

import numpy as np

EOS = "<EOS>"
UNK = "<UNK>"
LEVELS = ("char", "word")

# Word level: the special markers whole, then runs of letters/digits, then any single
# punctuation mark ("don't" gives "don", "'", "t"; "3.5" gives "3", ".", "5").
_WORD = re.compile(rf"{re.escape(EOS)}|{re.escape(UNK)}|\w+|[^\w\s]")


def _check_level(level):
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    return level


def tokenize(text, level="char"):
    """Split ``text`` into tokens: characters, or lowercase words and punctuation marks.

    >>> tokenize("Cats average 15 hours.", level="word")
    ['cats', 'average', '15', 'hours', '.']
    """
    _check_level(level)
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}")
    if level == "char":
        return list(text)
    return [w if w in (EOS, UNK) else w.lower() for w in _WORD.findall(text)]


class Vocab:
    """A fixed list of tokens and their indices 0 .. n_x − 1.

    Vocab(tokens, level="char" | "word", specials=True): the tokens keep the order given;
    with ``specials`` "<EOS>" (end of sentence) and then "<UNK>" (unknown token) are appended
    unless already present, so <UNK> comes last as in the lecture's [a, aaron, ..., zulu, <UNK>].
    ``len(vocab)`` is n_x.
    """

    def __init__(self, tokens, level="char", specials=True):
        self.level = _check_level(level)
        if isinstance(tokens, str):
            raise ValueError("tokens must be a list of tokens, got a str (use Vocab.from_texts or list(...))")
        tokens = list(tokens)
        for tok in tokens:
            if not isinstance(tok, str) or not tok:
                raise ValueError(f"tokens must be non-empty strings, got {tok!r}")
            if level == "char" and len(tok) != 1 and tok not in (EOS, UNK):
                raise ValueError(f"tokens of a char-level Vocab must be single characters, got {tok!r}")
        duplicates = sorted(t for t, c in Counter(tokens).items() if c > 1)
        if duplicates:
            raise ValueError(f"tokens must be unique, got duplicates {duplicates}")
        if specials:
            tokens += [s for s in (EOS, UNK) if s not in tokens]
        if not tokens:
            raise ValueError("tokens must hold at least one token, got none")
        self.specials = bool(specials)
        self._tokens = tuple(tokens)
        self._index = {t: i for i, t in enumerate(tokens)}

    @classmethod
    def from_texts(cls, texts, level="char", min_count=1, specials=True):
        """The sorted unique tokens of ``texts`` seen at least ``min_count`` times."""
        _check_level(level)
        if isinstance(min_count, bool) or not isinstance(min_count, numbers.Integral) or min_count < 1:
            raise ValueError(f"min_count must be a positive integer, got {min_count!r}")
        if isinstance(texts, str):
            texts = [texts]
        counts = Counter(tok for text in texts for tok in tokenize(text, level))
        return cls(sorted(t for t, c in counts.items() if c >= min_count), level, specials)

    def __len__(self):
        return len(self._tokens)

    def __contains__(self, token):
        return token in self._index

    def __repr__(self):
        shown = ", ".join(map(repr, self._tokens[:5])) + (", ..." if len(self) > 5 else "")
        return f"Vocab([{shown}], level={self.level!r}, n_x={len(self)})"

    @property
    def tokens(self):
        """All tokens, in index order (a tuple)."""
        return self._tokens

    @property
    def eos(self):
        """Index of "<EOS>", or None if the vocabulary has none."""
        return self._index.get(EOS)

    @property
    def unk(self):
        """Index of "<UNK>", or None if the vocabulary has none."""
        return self._index.get(UNK)

    def index(self, token):
        """The index of ``token``; ValueError if it is not in the vocabulary."""
        if token not in self._index:
            raise ValueError(f"token {token!r} is not in the vocabulary")
        return self._index[token]

    def token(self, i):
        """The token at index ``i`` (0 <= i < n_x)."""
        if isinstance(i, bool) or not isinstance(i, numbers.Integral) or not 0 <= i < len(self):
            raise ValueError(f"i must be an integer index in [0, n_x) = [0, {len(self)}), got {i!r}")
        return self._tokens[i]

    def tokenize(self, text):
        """``text`` split at this vocabulary's level (see rnnkit.vocab.tokenize)."""
        return tokenize(text, self.level)

    def encode(self, text_or_tokens, add_eos=False):
        """Indices of a text (tokenized first) or of a list of tokens.

        An unknown token becomes <UNK>; without <UNK> in the vocabulary it raises ValueError.
        ``add_eos`` appends <EOS>, marking the end of the sentence.
        """
        tokens = self.tokenize(text_or_tokens) if isinstance(text_or_tokens, str) else list(text_or_tokens)
        ids = []
        for tok in tokens:
            if tok in self._index:
                ids.append(self._index[tok])
            elif self.unk is not None:
                ids.append(self.unk)
            else:
                raise ValueError(f"token {tok!r} is not in the vocabulary and it has no <UNK>")
        if add_eos:
            if self.eos is None:
                raise ValueError("add_eos needs <EOS> in the vocabulary (build it with specials=True)")
            ids.append(self.eos)
        return ids

    def decode(self, indices):
        """The text of ``indices``: tokens joined with "" (char) or " " (word).

        Special tokens are shown as "<EOS>" / "<UNK>" (decoding does not stop at <EOS>);
        padding (−1, from pad_sequences) is skipped.
        """
        ids = _int_array("indices", indices)
        if ids.ndim != 1:
            raise ValueError(f"indices must be a 1-d sequence of integers, got shape {ids.shape}")
        bad = ids[(ids < -1) | (ids >= len(self))]
        if bad.size:
            raise ValueError(
                f"indices must lie in [0, n_x) = [0, {len(self)}) (or -1 for padding), got {bad[0]}"
            )
        return ("" if self.level == "char" else " ").join(self._tokens[i] for i in ids if i >= 0)


def _int_array(name, x):
    """``x`` as an int64 array; ValueError naming ``name`` for ragged or non-integer input."""
    try:
        arr = np.asarray(x)
    except ValueError:  # ragged lists
        raise ValueError(f"{name} must be integers in a regular array (pad ragged sequences with "
                         "pad_sequences)") from None
    if arr.size and arr.dtype.kind not in "iu":
        raise ValueError(f"{name} must be integers, got dtype {arr.dtype}")
    return arr.astype(np.int64)


def pad_sequences(sequences):
    """Pad sequences of indices to the longest length T_x.

    sequences : a list of m lists of indices (a single flat list counts as m = 1).
    Returns ids (m, T_x) int64 with −1 at padding, and mask (m, T_x) bool, True at real steps.
    """
    seqs = list(sequences)
    if seqs and all(isinstance(s, numbers.Integral) for s in seqs):
        seqs = [seqs]  # one sequence
    if not seqs:
        raise ValueError("sequences must hold at least one sequence, got none")
    rows = []
    for i, s in enumerate(seqs):
        if isinstance(s, (str, numbers.Number)) or not hasattr(s, "__iter__"):
            raise ValueError(f"sequences[{i}] must be a list of integer indices, got {type(s).__name__}")
        row = list(s)
        if not all(isinstance(k, numbers.Integral) and not isinstance(k, bool) and k >= 0 for k in row):
            raise ValueError(f"sequences[{i}] must hold non-negative integer indices, got {row}")
        rows.append(row)
    T_x = max(len(r) for r in rows)
    if T_x == 0:
        raise ValueError("sequences must hold at least one token, got only empty sequences")
    ids = np.full((len(rows), T_x), -1, dtype=np.int64)  # (m, T_x)
    mask = np.zeros((len(rows), T_x), dtype=bool)  # (m, T_x)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = r
        mask[i, : len(r)] = True
    return ids, mask


def one_hot(ids, n_x):
    """One-hot columns for indices: ids (m, T_x) → x (n_x, m, T_x) float64.

    ``x[:, i, t]`` is the one-hot vector of ``ids[i, t]``; a padding index −1 gives a zero
    column. A single sequence (a list or 1-d array of T_x indices) gives m = 1.
    """
    if isinstance(n_x, bool) or not isinstance(n_x, numbers.Integral) or n_x < 1:
        raise ValueError(f"n_x must be a positive integer, got {n_x!r}")
    arr = _int_array("ids", ids)
    if arr.ndim == 1:
        arr = arr[None, :]  # (1, T_x)
    if arr.ndim != 2:
        raise ValueError(f"ids must have shape (m, T_x) (or (T_x,) for one sequence), got {arr.shape}")
    bad = arr[(arr < -1) | (arr >= n_x)]
    if bad.size:
        raise ValueError(f"ids must lie in [0, n_x) = [0, {n_x}) or be -1 for padding, got {bad[0]}")
    m, T_x = arr.shape
    x = np.zeros((n_x, m, T_x))  # (n_x, m, T_x)
    i, t = np.nonzero(arr >= 0)
    x[arr[i, t], i, t] = 1.0
    return x
