"""Submissions made from the 01_notation solution: typical mistakes and correct alternatives."""

from course_harness import Edit, Variant

VARIANTS = [
    Variant(
        "vocab_specials_first",
        (Edit("01_build_vocabulary",
              "    word_to_index = {token: i for i, token in enumerate(tokens)}\n"
              "    word_to_index[\"<EOS>\"] = len(word_to_index)\n    word_to_index[\"<UNK>\"] = len(word_to_index)\n",
              "    word_to_index = {\"<EOS>\": 0, \"<UNK>\": 1}\n"
              "    word_to_index.update({token: i + 2 for i, token in enumerate(tokens)})\n"),),
        frozenset({"01_build_vocabulary_tests"}),
    ),
    Variant(
        "vocab_unsorted",
        (Edit("01_build_vocabulary", "sorted({token for s in sentences for token in tokenize(s)})",
              "list(dict.fromkeys(token for s in sentences for token in tokenize(s)))"),),
        frozenset({"01_build_vocabulary_tests"}),
    ),
    Variant(
        "encode_drops_unknown",
        (Edit("01_encode", "[word_to_index.get(token, unk) for token in tokenize(sentence)]",
              "[word_to_index[token] for token in tokenize(sentence) if token in word_to_index]"),),
        frozenset({"01_encode_tests"}),
    ),
    Variant(
        "encode_no_eos",
        (Edit("01_encode", " + [word_to_index[\"<EOS>\"]]", ""),),
        frozenset({"01_encode_tests"}),
    ),
    Variant(
        "one_hot_transposed",
        (Edit("01_one_hot", "x = np.zeros((n_x, 1, len(indices)))", "x = np.zeros((len(indices), 1, n_x))"),
         Edit("01_one_hot", "x[index, 0, t] = 1.0", "x[t, 0, index] = 1.0")),
        frozenset({"01_one_hot_tests"}),
    ),
    Variant(
        "pad_with_zero",
        (Edit("01_pad_batch", "np.full((m, T_x), -1, dtype=int)", "np.zeros((m, T_x), dtype=int)"),),
        frozenset({"01_pad_batch_tests"}),
    ),
    Variant(
        "one_hot_batch_padding_in_last_row",
        (Edit("01_one_hot_batch", "            if ids[i, t] >= 0:\n                x[ids[i, t], i, t] = 1.0",
              "            x[ids[i, t], i, t] = 1.0"),),
        frozenset({"01_one_hot_batch_tests"}),
    ),
    Variant(
        "ner_off_by_one",
        (Edit("01_ner_targets", "return [1 if w in name_words else 0 for w in words]",
              "return ([0] + [1 if w in name_words else 0 for w in words])[: len(words)]"),),
        frozenset({"01_ner_targets_tests"}),
    ),
    Variant(
        "targets_not_shifted",
        (Edit("01_char_training_pair", "return x, indices[1:]", "return x, indices[:-1]"),),
        frozenset({"01_char_training_pair_tests"}),
    ),
    # Fools the visible checks by patching what they use; the hidden tests must not be fooled.
    Variant(
        "monkeypatch_checks",
        (Edit("01_encode", " + [word_to_index[\"<EOS>\"]]",
              "\n\n\nimport rnnkit.testing\n"
              "np.testing.assert_allclose = lambda *a, **k: None\n"
              "np.testing.assert_array_equal = lambda *a, **k: None\n"
              "vars(rnnkit.testing)['check_equal'] = lambda *a, **k: None  # around the module's guard\n"
              "check_equal = check_close = lambda *a, **k: None\n"
              "sealed = lambda: rnnkit.testing\n"),),
        frozenset({"01_encode_tests"}),
    ),
    # Correct, written differently: vectorized numpy instead of loops.
    Variant(
        "vectorized_alternative",
        (Edit("01_one_hot",
              "    x = np.zeros((n_x, 1, len(indices)))\n    for t, index in enumerate(indices):\n"
              "        x[index, 0, t] = 1.0\n    return x",
              "    return np.eye(n_x)[list(indices)].T[:, None, :].reshape(n_x, 1, len(indices))"),
         Edit("01_one_hot_batch",
              "    m, T_x = ids.shape\n    x = np.zeros((n_x, m, T_x))\n    for i in range(m):\n"
              "        for t in range(T_x):\n            if ids[i, t] >= 0:\n                x[ids[i, t], i, t] = 1.0\n"
              "    return x",
              "    ids = np.asarray(ids)\n    x = (np.arange(n_x)[:, None, None] == ids[None]).astype(float)\n"
              "    return x"),
         Edit("01_build_vocabulary", "word_to_index = {token: i for i, token in enumerate(tokens)}",
              "word_to_index = dict(zip(tokens, range(len(tokens))))")),
    ),
]
