"""Submissions made from the 05_sampling solution: typical mistakes and correct alternatives."""

from course_harness import Edit, Variant

SAMPLE_CELLS = frozenset({"05_sample_tests", "05_sample_distribution_tests"})
SOFTMAX_T = ("    scaled = np.asarray(z, dtype=float) / temperature\n"  # the solution: softmax(z / T)
             "    e = np.exp(scaled - scaled.max(axis=0, keepdims=True))\n"
             "    return e / e.sum(axis=0, keepdims=True)")
SOFTMAX_THEN = ("    z = np.asarray(z, dtype=float)\n"  # the mistakes: softmax(z) first, T applied after
                "    e = np.exp(z - z.max(axis=0, keepdims=True))\n"
                "    return ")

VARIANTS = [
    # ------------------------------------------------------------------ temperature
    Variant(
        "temperature_after_softmax_power_not_renormalised",
        (Edit("05_softmax_with_temperature",
              SOFTMAX_T, SOFTMAX_THEN +
              "(e / e.sum(axis=0, keepdims=True)) ** (1 / temperature)"),),
        frozenset({"05_softmax_with_temperature_tests"}),
    ),
    Variant(
        "temperature_after_softmax_divided",
        (Edit("05_softmax_with_temperature",
              SOFTMAX_T, SOFTMAX_THEN +
              "e / e.sum(axis=0, keepdims=True) / temperature"),),
        frozenset({"05_softmax_with_temperature_tests"}),
    ),
    Variant(
        "softmax_without_max_subtraction",
        (Edit("05_softmax_with_temperature", "np.exp(scaled - scaled.max(axis=0, keepdims=True))", "np.exp(scaled)"),),
        frozenset({"05_softmax_with_temperature_tests"}),
    ),
    Variant(
        "softmax_over_the_wrong_axis",
        (Edit("05_softmax_with_temperature", "    return e / e.sum(axis=0, keepdims=True)",
              "    return e / e.sum()"),),
        frozenset({"05_softmax_with_temperature_tests"}),
    ),
    # ------------------------------------------------------------------ top-k
    Variant(
        "top_k_keeps_the_smallest",
        (Edit("05_top_k_logits", "out[np.argsort(out)[: out.size - k]] = -np.inf",
              "out[np.argsort(out)[k:]] = -np.inf"),),
        frozenset({"05_top_k_logits_tests"}),
    ),
    Variant(
        "top_k_modifies_z_in_place",
        (Edit("05_top_k_logits", "    out = np.array(z, dtype=float)", "    out = z"),),
        frozenset({"05_top_k_logits_tests"}),
    ),
    # ------------------------------------------------------------------ the start
    Variant(
        "prefix_without_the_zero_first_input",
        (Edit("05_next_char_logits",
              "    x = np.zeros((n_x, 1))\n    a, _, _ = rnn_cell_forward(x, a, parameters)\n    for index in prefix:",
              "    if not prefix:\n        a, _, _ = rnn_cell_forward(np.zeros((n_x, 1)), a, parameters)\n"
              "    for index in prefix:"),),
        frozenset({"05_next_char_logits_tests"}),
    ),
    Variant(
        "prefix_returns_probabilities",
        (Edit("05_next_char_logits", "    return (parameters[\"Wya\"] @ a + parameters[\"by\"])[:, 0]",
              "    return softmax(parameters[\"Wya\"] @ a + parameters[\"by\"])[:, 0]"),),
        frozenset({"05_next_char_logits_tests"}),
    ),
    # ------------------------------------------------------------------ sampling
    Variant(
        "sample_takes_the_argmax",
        (Edit("05_sample", "index = int(rng.choice(n_y, p=probs))", "index = int(np.argmax(probs))"),),
        SAMPLE_CELLS,
    ),
    Variant(
        "sample_not_fed_back",  # x<t+1> stays the first input, the zero vector
        (Edit("05_sample", "        x = np.zeros((n_x, 1))\n"
                           "        x[index] = 1.0  # x<t+1> = y<t>: the sample is fed back\n",
              ""),),
        SAMPLE_CELLS,
    ),
    Variant(
        "sample_fed_back_the_first_draw_only",  # x<t+1> stays x<2>, the first sample
        (Edit("05_sample", "        x = np.zeros((n_x, 1))\n"
                           "        x[index] = 1.0  # x<t+1> = y<t>: the sample is fed back\n",
              "        if len(indices) == 1:\n            x = np.zeros((n_x, 1))\n            x[index] = 1.0\n"),),
        SAMPLE_CELLS,
    ),
    Variant(
        "sample_no_stop_at_eos",
        (Edit("05_sample", "        if index == eos_index:\n            break\n", ""),),
        SAMPLE_CELLS,
    ),
    Variant(
        "sample_eos_left_out",  # stops at <EOS> but does not return it (the notebook says: include it)
        (Edit("05_sample", "        indices.append(index)\n        if index == eos_index:\n            break\n",
              "        if index == eos_index:\n            break\n        indices.append(index)\n"),),
        SAMPLE_CELLS,
    ),
    Variant(
        "sample_temperature_after_softmax",  # p ** (1/T) not renormalised: rng.choice rejects it when T != 1
        (Edit("05_sample", "        z = (Wya @ a + by)[:, 0] / temperature  # z<t> / T, (n_y,)",
              "        z = (Wya @ a + by)[:, 0]"),
         Edit("05_sample", "        probs = probs / probs.sum()  # softmax(z<t> / T)",
              "        probs = (probs / probs.sum()) ** (1 / temperature)")),
        SAMPLE_CELLS,
    ),
    Variant(
        "sample_state_not_carried",  # a<t-1> reset to 0 at every step
        (Edit("05_sample", "        a = np.tanh(Waa @ a + Wax @ x + ba)  # a<t>, (n_a, 1)",
              "        a = np.tanh(Wax @ x + ba)"),),
        SAMPLE_CELLS,
    ),
    Variant(
        "sample_reseeds_inside_the_loop",
        (Edit("05_sample", "        index = int(rng.choice(n_y, p=probs))  # the one draw of this step",
              "        index = int(np.random.default_rng(0).choice(n_y, p=probs))"),),
        SAMPLE_CELLS,
    ),
    # Ignores the instructions' draw rule (rng.multinomial): the samples follow the right distribution but
    # differ from the reference's for the same Generator, so only the exact comparison loses its points.
    Variant(
        "sample_draws_with_multinomial",
        (Edit("05_sample", "        index = int(rng.choice(n_y, p=probs))  # the one draw of this step",
              "        index = int(np.argmax(rng.multinomial(1, probs)))"),),
        frozenset({"05_sample_tests"}),
    ),
    # ------------------------------------------------------------------ statistics
    Variant(
        "statistics_share_in_corpus",
        (Edit("05_sample_statistics", "sum(s not in known for s in samples)", "sum(s in known for s in samples)"),),
        frozenset({"05_sample_statistics_tests"}),
    ),
    Variant(
        "statistics_distinct_samples",
        (Edit("05_sample_statistics", "share_new = sum(s not in known for s in samples) / len(samples)",
              "share_new = len(set(samples) - known) / len(set(samples))"),),
        frozenset({"05_sample_statistics_tests"}),
    ),
    # Fools the visible checks by patching what they use; the hidden tests must not be fooled.
    Variant(
        "monkeypatch_checks",
        (Edit("05_sample", "        if index == eos_index:\n            break\n",
              ""),
         Edit("05_sample", "    return indices\n",
              "    return indices\n\n\nimport rnnkit.testing\n"
              "check_equal = check_close = lambda *a, **k: None\n"
              "sealed = lambda: rnnkit.testing\n"),),
        SAMPLE_CELLS,
    ),
    # ------------------------------------------------------------------ correct alternatives
    Variant(
        "correct_alternatives",
        (
            # T after the softmax, but renormalised: p ** (1/T) / sum = softmax(z / T)
            Edit("05_softmax_with_temperature",
                 "    scaled = np.asarray(z, dtype=float) / temperature\n"
                 "    e = np.exp(scaled - scaled.max(axis=0, keepdims=True))\n"
                 "    return e / e.sum(axis=0, keepdims=True)",
                 "    z = np.asarray(z, dtype=float)\n"
                 "    log_p = z - z.max(axis=0, keepdims=True)\n"
                 "    log_p = log_p - np.log(np.exp(log_p).sum(axis=0, keepdims=True))\n"
                 "    p = np.exp(log_p / temperature)\n"
                 "    return p / p.sum(axis=0, keepdims=True)"),
            Edit("05_top_k_logits",
                 "    out = np.array(z, dtype=float)\n    if k is not None:\n"
                 "        out[np.argsort(out)[: out.size - k]] = -np.inf\n    return out",
                 "    z = np.asarray(z, dtype=float)\n    if k is None:\n        return z.copy()\n"
                 "    threshold = np.sort(z)[-k]\n    return np.where(z >= threshold, z, -np.inf)"),
            Edit("05_next_char_logits",
                 "    a = np.zeros((n_a, 1))\n    x = np.zeros((n_x, 1))\n"
                 "    a, _, _ = rnn_cell_forward(x, a, parameters)\n    for index in prefix:\n"
                 "        x = np.zeros((n_x, 1))\n        x[index] = 1.0\n"
                 "        a, _, _ = rnn_cell_forward(x, a, parameters)\n",
                 "    a = np.zeros(n_a)\n    for x in [np.zeros(n_x)] + [np.eye(n_x)[i] for i in prefix]:\n"
                 "        a = np.tanh(parameters[\"Waa\"] @ a + parameters[\"Wax\"] @ x + parameters[\"ba\"][:, 0])\n"
                 "    a = a[:, None]\n"),
            # rnn_cell_forward and softmax for the step; inverse-CDF draw from the same one random number
            Edit("05_sample",
                 "        a = np.tanh(Waa @ a + Wax @ x + ba)  # a<t>, (n_a, 1)\n"
                 "        z = (Wya @ a + by)[:, 0] / temperature  # z<t> / T, (n_y,)\n",
                 "        a, _, _ = rnn_cell_forward(x, a, parameters)\n"
                 "        z = (Wya @ a + by)[:, 0] / temperature\n"),
            Edit("05_sample",
                 "        probs = np.exp(z - z.max())\n        probs = probs / probs.sum()  # softmax(z<t> / T)\n"
                 "        index = int(rng.choice(n_y, p=probs))  # the one draw of this step\n",
                 "        probs = softmax(z[:, None])[:, 0]\n"
                 "        index = int(np.searchsorted(np.cumsum(probs), rng.random(), side=\"right\"))\n"),
            Edit("05_sample_statistics",
                 "    share_new = sum(s not in known for s in samples) / len(samples)\n"
                 "    mean_length = sum(len(s) for s in samples) / len(samples)\n",
                 "    flags = np.array([s not in known for s in samples], dtype=float)\n"
                 "    share_new = flags.mean()\n    mean_length = np.mean([len(s) for s in samples])\n"),
        ),
    ),
]

# Further typical mistakes, so that every test cell is broken by at least three.
VARIANTS += [
    # Off by one in the slice: k + 1 logits survive.
    Variant(
        "top_k_keeps_one_too_many",
        (Edit("05_top_k_logits", "out[np.argsort(out)[: out.size - k]] = -np.inf",
              "out[np.argsort(out)[: out.size - k - 1]] = -np.inf"),),
        frozenset({"05_top_k_logits_tests"}),
    ),
    # The prefix is read, but every step starts again from a<0> = 0 instead of the previous state.
    Variant(
        "prefix_state_not_carried",
        (Edit("05_next_char_logits", "        x[index] = 1.0\n        a, _, _ = rnn_cell_forward(x, a, parameters)",
              "        x[index] = 1.0\n        a, _, _ = rnn_cell_forward(x, np.zeros((n_a, 1)), parameters)"),),
        frozenset({"05_next_char_logits_tests"}),
    ),
    # The length counts the <EOS> as one more character.
    Variant(
        "statistics_length_counts_eos",
        (Edit("05_sample_statistics", "sum(len(s) for s in samples)", "sum(len(s) + 1 for s in samples)"),),
        frozenset({"05_sample_statistics_tests"}),
    ),
]
