"""autograder/similarity.py: winnowed fingerprints of the answer cells, student against student
and against rnnkit's reference code (fast: no nbgrader, no kernel)."""

import inspect
import re

import nbformat
import numpy as np
import pytest
from course_harness import REPO, Edit, answer_cells, fill

from autograder import similarity as sim
from rnnkit.vocab import one_hot as rnnkit_one_hot

ASSIGNMENT = "01_notation"
RELEASE = nbformat.read(REPO / "notebooks" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
SOLUTION = nbformat.read(REPO / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)

# The solution with every variable and parameter renamed, comments added and lines re-wrapped.
RENAMED = {
    "01_build_vocabulary": '''def build_vocabulary(corpus):
    """dict token -> index: sorted tokens of all sentences, then <EOS>, then <UNK>."""
    # collect every distinct word of the corpus, sorted
    vocab_list = sorted({w
                         for line in corpus
                         for w in tokenize(line)})
    mapping = {w: k for k, w in enumerate(vocab_list)}  # word -> position
    mapping["<EOS>"] = len(mapping)   # end of sentence
    mapping["<UNK>"] = len(mapping)   # unknown words last
    return mapping
''',
    "01_encode": '''def encode(text, vocabulary):
    """Indices of the sentence's tokens (unknown ones as <UNK>), then <EOS>."""
    unknown_id = vocabulary["<UNK>"]  # fallback index
    # look every token up, then close the sentence
    return [vocabulary.get(w, unknown_id)
            for w in tokenize(text)] + \\
        [vocabulary["<EOS>"]]
''',
    "01_one_hot": '''def one_hot(seq, vocab_size):
    """(n_x, 1, T_x) one-hot encoding of one sequence of indices."""
    # one column per time step
    out = np.zeros((vocab_size, 1,
                    len(seq)))
    for step, k in enumerate(seq):
        out[k, 0, step] = 1.0  # switch on the row of this index
    return out
''',
    "01_pad_batch": '''def pad_batch(batch):
    """(ids (m, T_x) with -1 as padding, mask (m, T_x) True on real tokens)."""
    n_rows = len(batch)  # m
    longest = max((len(b) for b in batch),
                  default=0)  # T_x
    padded = np.full((n_rows, longest), -1, dtype=int)
    real = np.zeros((n_rows, longest), dtype=bool)
    # copy each row and mark its real steps
    for r, row in enumerate(batch):
        padded[r, : len(row)] = row
        real[r, : len(row)] = True
    return padded, real
''',
    "01_one_hot_batch": '''def one_hot_batch(batch_ids, vocab_size):
    """(n_x, m, T_x) one-hot tensor of padded ids (m, T_x); -1 gives a zero column."""
    rows, steps = batch_ids.shape
    tensor = np.zeros((vocab_size, rows, steps))
    for r in range(rows):
        for s in range(steps):
            # padding (-1) stays a zero column
            if batch_ids[r, s] >= 0:
                tensor[batch_ids[r, s], r, s] = 1.0
    return tensor
''',
    "01_ner_targets": '''def ner_targets(tokens, names):
    """[1 if words[t] is part of a name else 0 for each t]."""
    # 1 for a name word, 0 otherwise
    return [1 if tok in names else 0
            for tok in tokens]
''',
    "01_char_training_pair": '''def char_training_pair(text, alphabet):
    """(x (n_x, 1, T_x) one-hot of word[:-1], y list of indices of word[1:])."""
    codes = [alphabet.index(ch) for ch in text]  # character indices
    inputs = np.zeros((len(alphabet), 1,
                       len(codes) - 1))
    for step, k in enumerate(codes[:-1]):
        inputs[k, 0, step] = 1.0
    # targets are the next characters
    return inputs, codes[1:]
''',
}

# A second, independently written solution of every exercise: other algorithms, other idioms.
INDEPENDENT = {
    "01_build_vocabulary": '''def build_vocabulary(sentences):
    """dict token -> index: sorted tokens of all sentences, then <EOS>, then <UNK>."""
    seen = set()
    for sentence in sentences:
        seen.update(tokenize(sentence))
    ordered = sorted(seen) + ["<EOS>", "<UNK>"]
    return dict(zip(ordered, range(len(ordered))))
''',
    "01_encode": '''def encode(sentence, word_to_index):
    """Indices of the sentence's tokens (unknown ones as <UNK>), then <EOS>."""
    result = []
    for token in tokenize(sentence):
        if token in word_to_index:
            result.append(word_to_index[token])
        else:
            result.append(word_to_index["<UNK>"])
    result.append(word_to_index["<EOS>"])
    return result
''',
    "01_one_hot": '''def one_hot(indices, n_x):
    """(n_x, 1, T_x) one-hot encoding of one sequence of indices."""
    return np.eye(n_x)[np.asarray(indices, dtype=int)].T[:, np.newaxis, :]
''',
    "01_pad_batch": '''def pad_batch(sequences):
    """(ids (m, T_x) with -1 as padding, mask (m, T_x) True on real tokens)."""
    lengths = np.array([len(s) for s in sequences], dtype=int)
    width = int(lengths.max()) if lengths.size else 0
    mask = np.arange(width)[None, :] < lengths[:, None]
    flat = [i for s in sequences for i in s]
    ids = -np.ones(mask.shape, dtype=int)
    ids[mask] = flat
    return ids, mask
''',
    "01_one_hot_batch": '''def one_hot_batch(ids, n_x):
    """(n_x, m, T_x) one-hot tensor of padded ids (m, T_x); -1 gives a zero column."""
    ids = np.asarray(ids)
    valid = ids >= 0
    table = np.vstack([np.eye(n_x), np.zeros((1, n_x))])
    return np.transpose(table[np.where(valid, ids, n_x)], (2, 0, 1))
''',
    "01_ner_targets": '''def ner_targets(words, name_words):
    """[1 if words[t] is part of a name else 0 for each t]."""
    y = []
    for word in words:
        y.append(int(word in name_words))
    return y
''',
    "01_char_training_pair": '''def char_training_pair(word, chars):
    """(x (n_x, 1, T_x) one-hot of word[:-1], y list of indices of word[1:])."""
    lookup = {c: i for i, c in enumerate(chars)}
    targets = list(map(lookup.get, word[1:]))
    inputs = np.eye(len(chars))[:, [lookup[c] for c in word[:-1]]]
    return inputs.reshape(len(chars), 1, -1), targets
''',
}

CALLS = {  # one call per exercise, to check that the rewritten cells still solve it
    "01_build_vocabulary": ("build_vocabulary", (["The cat sat.", "A cat ran, fast!"],)),
    "01_encode": ("encode", ("the dog sat.", {"the": 0, "cat": 1, "sat": 2, ".": 3, "<EOS>": 4, "<UNK>": 5})),
    "01_one_hot": ("one_hot", ([2, 0, 1, 2], 3)),
    "01_pad_batch": ("pad_batch", ([[4, 2, 7], [1], [], [3, 3]],)),
    "01_one_hot_batch": ("one_hot_batch", (np.array([[1, 4, 4, 0], [2, -1, -1, -1], [0, 3, -1, -1]]), 5)),
    "01_ner_targets": ("ner_targets", ("Harry met Hermione at noon".split(), {"Harry", "Hermione"})),
    "01_char_training_pair": ("char_training_pair", ("abracadabra", list("abcdr"))),
}


def replace_cells(cells):
    """Edits that replace the whole filled answer cell of each grade_id by ``cells[grade_id]``."""
    filled = answer_cells(fill(RELEASE, SOLUTION))
    return [Edit(gid, filled[gid].source, new) for gid, new in cells.items()]


def run_cell(code, name, args):
    """``name(*args)`` after running ``code`` with the notebook's setup (np and tokenize)."""
    scope = {"np": np, "tokenize": lambda s: re.findall(r"[a-z0-9']+|[^\sa-z0-9']", s.lower())}
    exec(code, scope)
    return scope[name](*args)


def same(a, b):
    if isinstance(a, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return np.array_equal(np.asarray(a), np.asarray(b))


def write(folder, student, nb, nested=True):
    path = folder / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb" if nested else folder / student / f"{ASSIGNMENT}.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("similarity")
    folder = tmp / "submitted"
    write(folder, "alice", fill(RELEASE, SOLUTION))
    write(folder, "bob", fill(RELEASE, SOLUTION, replace_cells(RENAMED)), nested=False)
    write(folder, "carol", fill(RELEASE, SOLUTION, replace_cells(INDEPENDENT)))
    write(folder, "dave", nbformat.from_dict(RELEASE))
    write(folder, "erin", nbformat.from_dict(RELEASE))
    pasted = fill(RELEASE, SOLUTION, replace_cells(INDEPENDENT))
    answer_cells(pasted)["01_one_hot"].source = inspect.getsource(rnnkit_one_hot)
    write(folder, "frank", pasted)
    (folder / "gina" / ASSIGNMENT).mkdir(parents=True)
    (folder / "gina" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").write_text('{"cells": [{"cell_type": "code", "sou')
    (folder / "hugo").mkdir()
    return sim.similarity(REPO, ASSIGNMENT, folder, tmp / "reports", threshold=0.8)


def pair(report, a, b, exercise=sim.OVERALL):
    return next(p.score for p in report.pairs if {p.a, p.b} == {a, b} and p.exercise == exercise)


def test_the_rewritten_cells_still_solve_the_exercises():
    solution = answer_cells(fill(RELEASE, SOLUTION))
    for gid, (name, args) in CALLS.items():
        expected = run_cell(solution[gid].source, name, args)
        assert same(run_cell(RENAMED[gid], name, args), expected), gid
        assert same(run_cell(INDEPENDENT[gid], name, args), expected), gid


def test_normalizing_drops_names_comments_docstrings_and_layout():
    a = 'def f(x, y):\n    """Doc."""\n    z = np.zeros((x, 3))  # c\n    return z.sum() + len("s")\n'
    b = ("def g(p,\n      q):\n    # another comment\n    out = np.zeros((p,\n                    4))\n\n"
         "    return out.sum() + len('t')\n")
    assert sim.normalize(a) == sim.normalize(b)
    assert sim.normalize(a) == ["def", "V", "(", "V", ",", "V", ")", ":", "V", "=", "np", ".", "zeros", "(", "(",
                                "V", ",", "N", ")", ")", "return", "V", ".", "sum", "(", ")", "+", "len", "(", "S",
                                ")"]


def test_winnowing_keeps_the_rightmost_minimum_of_every_window():
    # the example of Schleimer et al. (2003), windows of 4: the minima 17 (positions 3, 6, 15), 8 and 39
    hashes = [77, 74, 42, 17, 98, 50, 17, 98, 8, 88, 67, 39, 77, 74, 42, 17, 98]
    assert sim.winnow(hashes, 4) == {17, 8, 39}
    assert sim.winnow([5, 3], 4) == {3}
    assert sim.winnow([], 4) == set()


def test_a_renamed_rewrapped_commented_copy_scores_high(report):
    assert pair(report, "alice", "bob") >= 0.9
    assert ("alice", "bob", sim.OVERALL) in {(p.a, p.b, p.exercise) for p in report.flagged}


def test_an_independent_implementation_scores_low(report):
    assert pair(report, "alice", "carol") < 0.5
    for gid in sim.answer_cells(RELEASE):
        score = pair(report, "alice", "carol", gid)
        assert score is None or score < 0.5, (gid, score)


def test_blank_releases_are_not_similar_to_anything(report):
    for blank in ("dave", "erin"):
        for p in report.pairs:
            if blank in (p.a, p.b):
                assert p.score is None
        assert all(r.score is None for r in report.reference if r.student == blank)
    assert not {"dave", "erin"} & {s for p in report.flagged for s in (p.a, p.b)}


def test_pasted_reference_code_is_reported(report):
    matches = {(r.student, r.exercise) for r in report.reference_matches}
    assert ("frank", "01_one_hot") in matches
    frank = next(r for r in report.reference if (r.student, r.exercise) == ("frank", "01_one_hot"))
    assert frank.reference == ("one_hot",) and frank.score >= 0.9
    assert not {s for s, _ in matches} & {"alice", "bob", "carol"}
    assert "frank" in sim.format_table(report) and "one_hot" in sim.format_table(report)


def test_flagged_pairs_are_sorted_high_to_low(report):
    scores = [p.score for p in report.flagged]
    assert scores == sorted(scores, reverse=True) and all(s >= 0.8 for s in scores)


def test_corrupt_and_missing_notebooks_are_skipped_with_a_note(report):
    assert "gina" not in report.students and "hugo" not in report.students
    assert any(n.startswith("gina: skipped") for n in report.notes)
    assert any(n.startswith("hugo: skipped") for n in report.notes)
    assert set(report.students) == {"alice", "bob", "carol", "dave", "erin", "frank"}


def test_the_csv_and_the_heatmap_are_written(report):
    rows = report.csv_path.read_text().splitlines()
    assert report.csv_path.name == f"{ASSIGNMENT}_similarity.csv"
    assert rows[0].startswith("kind,student_a,student_b,exercise,score")
    n_pairs = 6 * 5 // 2
    assert sum(r.startswith("pair,") for r in rows) == n_pairs * 7
    assert sum(r.startswith("overall,") for r in rows) == n_pairs
    assert report.png_path.name == f"{ASSIGNMENT}_similarity.png"
    assert report.png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    with Image.open(report.png_path) as image:
        assert image.width > 200 and image.height > 200


def test_without_trusted_checks_students_are_still_compared(tmp_path):
    root = tmp_path / "course"
    (root / "notebooks" / "99_new").mkdir(parents=True)
    nbformat.write(RELEASE, root / "notebooks" / "99_new" / "99_new.ipynb")
    for student in ("ann", "ben"):
        path = tmp_path / "in" / student / "99_new.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(fill(RELEASE, SOLUTION), path)
    report = sim.similarity(root, "99_new", tmp_path / "in", tmp_path / "out")
    assert report.reference == [] and any("no trusted checks" in n for n in report.notes)
    assert pair(report, "ann", "ben") == 1.0
