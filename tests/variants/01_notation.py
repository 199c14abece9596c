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
    # ---------------------------------------------------------------- added: more typical mistakes
    Variant(
        "vocab_counts_from_one",  # the lecture's dictionary starts at a = 1; numpy indices start at 0
        (Edit("01_build_vocabulary", "for i, token in enumerate(tokens)}", "for i, token in enumerate(tokens, 1)}"),),
        frozenset({"01_build_vocabulary_tests"}),
    ),
    Variant(
        "one_hot_without_batch_axis",
        (Edit("01_one_hot", "x = np.zeros((n_x, 1, len(indices)))", "x = np.zeros((n_x, len(indices)))"),
         Edit("01_one_hot", "x[index, 0, t] = 1.0", "x[index, t] = 1.0")),
        frozenset({"01_one_hot_tests"}),
    ),
    Variant(
        "one_hot_one_based_rows",  # index 1 taken as the first row
        (Edit("01_one_hot", "x[index, 0, t] = 1.0", "x[index - 1, 0, t] = 1.0"),),
        frozenset({"01_one_hot_tests"}),
    ),
    Variant(
        "pad_on_the_left",
        (Edit("01_pad_batch", "        ids[i, : len(seq)] = seq\n        mask[i, : len(seq)] = True\n",
              "        ids[i, T_x - len(seq):] = seq\n        mask[i, T_x - len(seq):] = True\n"),),
        frozenset({"01_pad_batch_tests"}),
    ),
    Variant(
        "mask_from_positive_ids",  # index 0 is a real token too
        (Edit("01_pad_batch", "    return ids, mask", "    mask = ids > 0\n    return ids, mask"),),
        frozenset({"01_pad_batch_tests"}),
    ),
    Variant(
        "mask_not_boolean",
        (Edit("01_pad_batch", "mask = np.zeros((m, T_x), dtype=bool)", "mask = np.zeros((m, T_x), dtype=int)"),
         Edit("01_pad_batch", "mask[i, : len(seq)] = True", "mask[i, : len(seq)] = 1")),
        frozenset({"01_pad_batch_tests"}),
    ),
    Variant(
        "one_hot_batch_drops_index_zero",  # > 0 where the padding test is >= 0
        (Edit("01_one_hot_batch", "if ids[i, t] >= 0:", "if ids[i, t] > 0:"),),
        frozenset({"01_one_hot_batch_tests"}),
    ),
    Variant(
        "one_hot_batch_time_and_batch_swapped",  # (n_x, T_x, m)
        (Edit("01_one_hot_batch", "x = np.zeros((n_x, m, T_x))", "x = np.zeros((n_x, T_x, m))"),
         Edit("01_one_hot_batch", "x[ids[i, t], i, t] = 1.0", "x[ids[i, t], t, i] = 1.0")),
        frozenset({"01_one_hot_batch_tests"}),
    ),
    Variant(
        "ner_lowercases_the_words",  # tokenize() lower-cases, but the name set is capitalized
        (Edit("01_ner_targets", "1 if w in name_words else 0", "1 if w.lower() in name_words else 0"),),
        frozenset({"01_ner_targets_tests"}),
    ),
    Variant(
        "ner_substring_of_the_names",  # "a" is found inside "Harry Potter ..."
        (Edit("01_ner_targets", "1 if w in name_words else 0", "1 if w in \" \".join(name_words) else 0"),),
        frozenset({"01_ner_targets_tests"}),
    ),
    Variant(
        "inputs_include_the_last_char",
        (Edit("01_char_training_pair", "x = np.zeros((len(chars), 1, len(indices) - 1))",
              "x = np.zeros((len(chars), 1, len(indices)))"),
         Edit("01_char_training_pair", "for t, index in enumerate(indices[:-1]):",
              "for t, index in enumerate(indices):")),
        frozenset({"01_char_training_pair_tests"}),
    ),
    Variant(
        "inputs_shifted_like_the_targets",  # x from word[1:] too
        (Edit("01_char_training_pair", "for t, index in enumerate(indices[:-1]):",
              "for t, index in enumerate(indices[1:]):"),),
        frozenset({"01_char_training_pair_tests"}),
    ),
    # Correct, written differently: explicit loops, a vectorized mask, np.eye rows.
    Variant(
        "more_correct_alternatives",
        (Edit("01_encode",
              "    unk = word_to_index[\"<UNK>\"]\n"
              "    return [word_to_index.get(token, unk) for token in tokenize(sentence)] + [word_to_index[\"<EOS>\"]]",
              "    result = []\n    for token in tokenize(sentence):\n"
              "        result.append(word_to_index[token] if token in word_to_index else word_to_index[\"<UNK>\"])\n"
              "    result.append(word_to_index[\"<EOS>\"])\n    return result"),
         Edit("01_pad_batch",
              "    mask = np.zeros((m, T_x), dtype=bool)\n    for i, seq in enumerate(sequences):\n"
              "        ids[i, : len(seq)] = seq\n        mask[i, : len(seq)] = True\n",
              "    lengths = np.array([len(s) for s in sequences], dtype=int).reshape(m)\n"
              "    mask = np.arange(T_x)[None, :] < lengths[:, None]\n"
              "    ids[mask] = [index for s in sequences for index in s]\n"),
         Edit("01_ner_targets", "return [1 if w in name_words else 0 for w in words]",
              "names = set(name_words)\n    return [int(w in names) for w in words]"),
         Edit("01_char_training_pair",
              "    x = np.zeros((len(chars), 1, len(indices) - 1))\n    for t, index in enumerate(indices[:-1]):\n"
              "        x[index, 0, t] = 1.0\n    return x, indices[1:]",
              "    x = np.eye(len(chars))[indices[:-1]].T.reshape(len(chars), 1, len(word) - 1)\n"
              "    return x, [chars.index(c) for c in word[1:]]")),
    ),
]
