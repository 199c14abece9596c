"""Submissions made from the 04_language_model solution: typical mistakes and correct alternatives."""

from course_harness import Edit, Variant

VARIANTS = [
    Variant(
        "targets_without_eos",
        (Edit("04_lm_targets", "    targets.append(vocab.eos)\n", ""),),
        frozenset({"04_lm_targets_tests"}),
    ),
    Variant(
        "targets_drop_unknown_tokens",
        (Edit("04_lm_targets", "        targets.append(vocab.index(token) if token in vocab else vocab.unk)",
              "        if token in vocab:\n            targets.append(vocab.index(token))"),),
        frozenset({"04_lm_targets_tests"}),
    ),
    # The first mistake: the inputs are the targets themselves, x<t> = y<t>.
    Variant(
        "inputs_not_shifted",
        (Edit("04_lm_batch",
              "    x = np.zeros_like(y)  # x<1> = 0\n    x[:, :, 1:] = y[:, :, :-1]  # x<t> = y<t-1>\n",
              "    x = y.copy()\n"),),
        frozenset({"04_lm_batch_tests"}),
    ),
    Variant(
        "first_input_is_first_target",
        (Edit("04_lm_batch", "    x = np.zeros_like(y)  # x<1> = 0\n",
              "    x = np.zeros_like(y)\n    x[:, :, 0] = y[:, :, 0]\n"),),
        frozenset({"04_lm_batch_tests"}),
    ),
    # The second mistake: the loss averaged over the tokens where the lecture sums over time.
    Variant(
        "loss_averaged_over_tokens",
        (Edit("04_lm_loss", "return float(np.sum(steps * mask) / m)",
              "return float(np.sum(steps * mask) / np.sum(mask))"),),
        frozenset({"04_lm_loss_tests"}),
    ),
    Variant(
        "loss_ignores_batch_average",
        (Edit("04_lm_loss", "return float(np.sum(steps * mask) / m)", "return float(np.sum(steps * mask))"),),
        frozenset({"04_lm_loss_tests"}),
    ),
    # The same mistake in the gradient: dz averaged over the real tokens instead of divided by m.
    Variant(
        "gradient_averaged_over_tokens",
        (Edit("04_lm_loss_and_grads", "dz = (y_hat - y) * mask[None, :, :] / m",
              "dz = (y_hat - y) * mask[None, :, :] / np.sum(mask)"),),
        frozenset({"04_lm_loss_and_grads_tests"}),
    ),
    Variant(
        "gradient_not_masked",
        (Edit("04_lm_loss_and_grads", "dz = (y_hat - y) * mask[None, :, :] / m", "dz = (y_hat - y) / m"),),
        frozenset({"04_lm_loss_and_grads_tests"}),
    ),
    Variant(
        "train_without_clipping",
        (Edit("04_train", "        gradients, _ = clip_by_norm(gradients, max_norm)  # global norm at most max_norm\n",
              ""),),
        frozenset({"04_train_tests"}),
    ),
    Variant(
        "train_always_first_batch",
        (Edit("04_train", "batches[k % len(batches)]", "batches[0]"),),
        frozenset({"04_train_tests"}),
    ),
    Variant(
        "log_prob_first_token_as_input",
        (Edit("04_log_prob", "    xt = np.zeros((n_x, 1))  # x<1> = 0\n",
              "    xt = np.zeros((n_x, 1))\n    if len(ids):\n        xt[ids[0], 0] = 1.0\n"),),
        frozenset({"04_log_prob_tests"}),
    ),
    Variant(
        "log_prob_skips_first_factor",
        (Edit("04_log_prob", "        total += float(np.log(y_hat_t[k, 0]))",
              "        total += float(np.log(y_hat_t[k, 0])) if xt.any() else 0.0"),),
        frozenset({"04_log_prob_tests"}),
    ),
    # The product of the probabilities, then its logarithm: 0, then -inf, on a long sequence.
    Variant(
        "log_prob_log_of_product",
        (Edit("04_log_prob", "    total = 0.0\n", "    total = 1.0\n"),
         Edit("04_log_prob", "        total += float(np.log(y_hat_t[k, 0]))", "        total *= float(y_hat_t[k, 0])"),
         Edit("04_log_prob", "    return total\n", "    return float(np.log(total))\n")),
        frozenset({"04_log_prob_tests"}),
    ),
    # No clip before the log: y_hat with exact zeros gives 0 · log 0 = nan.
    Variant(
        "lm_loss_no_clip",
        (Edit("04_lm_loss", "np.log(np.clip(y_hat, 1e-12, 1.0))", "np.log(y_hat)"),),
        frozenset({"04_lm_loss_tests"}),
    ),
    Variant(
        "perplexity_per_sequence",
        (Edit("04_perplexity_of", "        n_tokens += float(np.sum(mask))",
              "        n_tokens += x.shape[1]"),),
        frozenset({"04_perplexity_of_tests"}),
    ),
    Variant(
        "perplexity_counts_padding",
        (Edit("04_perplexity_of", "        n_tokens += float(np.sum(mask))",
              "        n_tokens += float(mask.size)"),),
        frozenset({"04_perplexity_of_tests"}),
    ),
    # Calls the reference it should replace: the hidden test catches it.
    Variant(
        "calls_the_reference",
        (Edit("04_lm_loss_and_grads", "    n_a, m = parameters[\"Waa\"].shape[0], x.shape[1]\n",
              "    import rnnkit.language_model\n"
              "    return rnnkit.language_model.lm_loss_and_grads(parameters, x, y, mask)\n"
              "    n_a, m = parameters[\"Waa\"].shape[0], x.shape[1]\n"),),
        frozenset({"04_lm_loss_and_grads_tests"}),
    ),
    # Correct, written differently: loops over examples and steps, a product of probabilities in
    # log space via rnn_forward, the loss with a boolean index.
    Variant(
        "loops_alternative",
        (Edit("04_lm_batch",
              "    ids, mask = pad_sequences(targets)  # (m, T_x) each\n"
              "    y = one_hot(ids, n_x)  # (n_x, m, T_x)\n"
              "    x = np.zeros_like(y)  # x<1> = 0\n"
              "    x[:, :, 1:] = y[:, :, :-1]  # x<t> = y<t-1>\n    return x, y, mask",
              "    m, T_x = len(targets), max(len(t) for t in targets)\n"
              "    x, y, mask = np.zeros((n_x, m, T_x)), np.zeros((n_x, m, T_x)), np.zeros((m, T_x))\n"
              "    for i, seq in enumerate(targets):\n        for t, k in enumerate(seq):\n"
              "            y[k, i, t] = 1.0\n            mask[i, t] = 1.0\n            if t + 1 < T_x:\n"
              "                x[k, i, t + 1] = 1.0\n    return x, y, mask"),
         Edit("04_lm_loss",
              "    steps = -np.sum(y * np.log(np.clip(y_hat, 1e-12, 1.0)), axis=0)  # L<t>, (m, T_x)\n"
              "    m = y.shape[1]\n    return float(np.sum(steps * mask) / m)",
              "    real = np.asarray(mask, dtype=bool)\n"
              "    picked = np.sum(y * y_hat, axis=0)  # y_hat of the target\n"
              "    return float(-np.log(np.maximum(picked[real], 1e-12)).sum() / y.shape[1])"),
         Edit("04_log_prob",
              "    n_a, n_x = parameters[\"Wax\"].shape\n",
              "    n_a, n_x = parameters[\"Wax\"].shape\n    if len(ids):\n"
              "        x = np.zeros((n_x, 1, len(ids)))\n        for t in range(1, len(ids)):\n"
              "            x[ids[t - 1], 0, t] = 1.0\n"
              "        y_hat = rnn_forward(x, np.zeros((n_a, 1)), parameters)[1]\n"
              "        return float(sum(np.log(y_hat[k, 0, t]) for t, k in enumerate(ids)))\n")),
    ),
]

# Further typical mistakes, so that every test cell is broken by at least three, and further correct
# alternatives, so that every answer cell is rewritten by at least one.
VARIANTS += [
    # An unknown token looked up without the `in` test: vocab.index raises ValueError on it.
    Variant(
        "targets_unknown_not_mapped_to_unk",
        (Edit("04_lm_targets", "vocab.index(token) if token in vocab else vocab.unk", "vocab.index(token)"),),
        frozenset({"04_lm_targets_tests"}),
    ),
    # The shift done over the examples axis instead of the time axis.
    Variant(
        "inputs_shifted_over_examples",
        (Edit("04_lm_batch", "x[:, :, 1:] = y[:, :, :-1]", "x[:, 1:, :] = y[:, :-1, :]"),),
        frozenset({"04_lm_batch_tests"}),
    ),
    # m read from the wrong axis of y (n_x, m, T_x): the loss is divided by n_x.
    Variant(
        "loss_m_from_the_wrong_axis",
        (Edit("04_lm_loss", "    m = y.shape[1]\n", "    m = y.shape[0]\n"),),
        frozenset({"04_lm_loss_tests"}),
    ),
    # One pass over the batches, whatever n_steps says.
    Variant(
        "train_one_epoch_only",
        (Edit("04_train", "    for k in range(n_steps):\n", "    for k in range(len(batches)):\n"),),
        frozenset({"04_train_tests"}),
    ),
    # The token is scored but never fed back: x<t> stays the zero vector.
    Variant(
        "log_prob_token_not_fed_back",
        (Edit("04_log_prob", "        xt = np.zeros((n_x, 1))\n        xt[k, 0] = 1.0  # x<t+1> = y<t>\n", ""),),
        frozenset({"04_log_prob_tests"}),
    ),
    # The mean of the per-batch losses per token: batches with fewer tokens weigh as much as big ones.
    Variant(
        "perplexity_mean_of_batch_means",
        (Edit("04_perplexity_of",
              "        total += float(np.sum(steps * mask))\n        n_tokens += float(np.sum(mask))\n",
              "        total += float(np.sum(steps * mask)) / float(np.sum(mask))\n        n_tokens += 1\n"),),
        frozenset({"04_perplexity_of_tests"}),
    ),
    # Correct, written differently: a list comprehension, the loss and dz by hand with a weight array,
    # itertools.cycle over the batches, the perplexity from the picked probabilities at the real steps.
    Variant(
        "comprehension_and_cycle_alternative",
        (Edit("04_lm_targets",
              "    targets = []\n    for token in vocab.tokenize(text):\n"
              "        targets.append(vocab.index(token) if token in vocab else vocab.unk)\n"
              "    targets.append(vocab.eos)\n    return targets",
              "    return [vocab.index(t) if t in vocab else vocab.unk for t in vocab.tokenize(text)] + [vocab.eos]"),
         Edit("04_lm_loss_and_grads",
              "    loss = cross_entropy(y_hat, y, mask)  # Σ_t L<t> over the real steps, averaged over m\n"
              "    dz = (y_hat - y) * mask[None, :, :] / m  # (n_x, m, T_x)\n",
              "    w = np.asarray(mask, dtype=float)[np.newaxis]  # (1, m, T_x)\n"
              "    loss = float(-np.sum(w * y * np.log(np.clip(y_hat, 1e-12, 1.0))) / m)\n"
              "    dz = w * (y_hat - y) / m\n"),
         Edit("04_train",
              "    for k in range(n_steps):\n"
              "        x, y, mask = batches[k % len(batches)]  # the minibatches in turn\n",
              "    import itertools\n"
              "    for x, y, mask in itertools.islice(itertools.cycle(batches), n_steps):\n"),
         Edit("04_perplexity_of",
              "        steps = -np.sum(y * np.log(np.clip(y_hat, 1e-12, 1.0)), axis=0)  # L<t>, (m, T_x)\n"
              "        total += float(np.sum(steps * mask))\n        n_tokens += float(np.sum(mask))\n",
              "        picked = np.sum(y * y_hat, axis=0)[mask > 0]  # y_hat of the target at the real steps\n"
              "        total += float(-np.log(np.maximum(picked, 1e-12)).sum())\n"
              "        n_tokens += picked.size\n")),
    ),
]

# Padded steps: what x holds there is not graded (the notebook says so), so a zero column is right too.
VARIANTS += [
    Variant(
        "inputs_zero_at_padding",
        (Edit("04_lm_batch", "    x[:, :, 1:] = y[:, :, :-1]  # x<t> = y<t-1>\n",
              "    x[:, :, 1:] = y[:, :, :-1]  # x<t> = y<t-1>\n"
              "    x = x * mask[None, :, :]  # nothing at the padding\n"),),
    ),
]

# ------------------------------------------------------------------------------ embeddings
EMB_LOOKUP = ("    e = E[:, np.maximum(ids, 0)]  # (n_e, m, T_x): one column of E per step (-1 read as 0 for now)\n"
              "    e[:, ids < 0] = 0.0  # x<1> = 0 and padding look up nothing\n")
EMB_ADD = "    np.add.at(dE.T, ids[real], de[:, real].T)  # a token looked up twice gets both gradients\n"
VARIANTS += [
    # E[:, -1] is numpy's last column: x<1> = 0 and the padding look up the last token.
    Variant(
        "embedding_minus_one_is_the_last_column",
        (Edit("04_embedding_forward", EMB_LOOKUP, "    e = E[:, ids]\n"),),
        frozenset({"04_embedding_forward_tests"}),
    ),
    # Rows instead of columns: E[ids] is (m, T_x, n_x).
    Variant(
        "embedding_rows_not_columns",
        (Edit("04_embedding_forward", "E[:, np.maximum(ids, 0)]", "E[np.maximum(ids, 0)]"),),
        frozenset({"04_embedding_forward_tests"}),
    ),
    # Time before examples: (n_e, T_x, m).
    Variant(
        "embedding_time_major",
        (Edit("04_embedding_forward", EMB_LOOKUP,
              "    e = E[:, np.maximum(ids, 0).T]  # (n_e, T_x, m)\n    e[:, ids.T < 0] = 0.0\n"),),
        frozenset({"04_embedding_forward_tests"}),
    ),
    # "-1 reads the last column, so zero that column": the caller's E loses its last token.
    Variant(
        "embedding_zeroes_the_last_column_of_E",
        (Edit("04_embedding_forward", EMB_LOOKUP, "    E[:, -1] = 0.0\n    e = E[:, ids]\n"),),
        frozenset({"04_embedding_forward_tests"}),
    ),
    # The flagged shortcut: rnnkit's own lookup.
    Variant(
        "embedding_calls_rnnkit",
        (Edit("04_embedding_forward", EMB_LOOKUP,
              "    from rnnkit.embedding import embedding_forward as lookup\n    e = lookup(ids, E)\n"),),
        frozenset({"04_embedding_forward_tests"}),
    ),
    # Fancy-index addition: a repeated index is written once.
    Variant(
        "embedding_grad_repeats_counted_once",
        (Edit("04_embedding_backward", EMB_ADD, "    dE[:, ids[real]] += de[:, real]\n"),),
        frozenset({"04_embedding_backward_tests"}),
    ),
    # -1 taken as an index: the gradient of x<1> = 0 goes to the last column.
    Variant(
        "embedding_grad_minus_one_to_the_last_column",
        (Edit("04_embedding_backward", "    real = ids >= 0  # (m, T_x): -1 looked up nothing\n",
              "    real = ids >= -1\n"),),
        frozenset({"04_embedding_backward_tests"}),
    ),
    # An average per token instead of the sum of its gradients.
    Variant(
        "embedding_grad_averaged_per_token",
        (Edit("04_embedding_backward", EMB_ADD,
              EMB_ADD + "    dE /= np.maximum(np.bincount(ids[real], minlength=n_x), 1)\n"),),
        frozenset({"04_embedding_backward_tests"}),
    ),
    # (n_x, n_e): the transpose of dE.
    Variant(
        "embedding_grad_transposed",
        (Edit("04_embedding_backward", EMB_ADD, EMB_ADD + "    dE = dE.T\n"),),
        frozenset({"04_embedding_backward_tests"}),
    ),
    # Correct, written differently: E times the one-hot columns, and dE as de times their transpose.
    Variant(
        "embedding_as_products",
        (Edit("04_embedding_forward", EMB_LOOKUP,
              "    e = np.einsum(\"ex,xmt->emt\", E, one_hot(ids, E.shape[1]))  # E x<t> at every step\n"),
         Edit("04_embedding_backward", "    real = ids >= 0  # (m, T_x): -1 looked up nothing\n" + EMB_ADD,
              "    X = one_hot(ids, n_x).reshape(n_x, -1)  # (n_x, m T_x), zero columns for -1\n"
              "    dE += de.reshape(de.shape[0], -1) @ X.T  # Σ de<t> x<t>ᵀ\n")),
    ),
    # Correct: a plain loop over the steps.
    Variant(
        "embedding_loops",
        (Edit("04_embedding_backward", "    real = ids >= 0  # (m, T_x): -1 looked up nothing\n" + EMB_ADD,
              "    for i in range(ids.shape[0]):\n        for t in range(ids.shape[1]):\n"
              "            if ids[i, t] >= 0:\n                dE[:, ids[i, t]] += de[:, i, t]\n"),),
    ),
]

# ------------------------------------------------------------------------------ truncated BPTT
TBPTT_CALL = "        L, gradients, a = chunk_loss_and_grads(parameters, ids[:, s:e], ids[:, s + 1:e + 1], a)"
VARIANTS += [
    # Every chunk from a<0> = 0: the chunks are independent, nothing is carried.
    Variant(
        "tbptt_state_not_carried",
        (Edit("04_train_tbptt", TBPTT_CALL,
              "        L, gradients, _ = chunk_loss_and_grads(parameters, ids[:, s:e], ids[:, s + 1:e + 1], "
              "np.zeros((n_a, m)))"),),
        frozenset({"04_train_tbptt_tests"}),
    ),
    # The targets are the inputs.
    Variant(
        "tbptt_targets_not_shifted",
        (Edit("04_train_tbptt", "ids[:, s + 1:e + 1], a)", "ids[:, s:e], a)"),),
        frozenset({"04_train_tbptt_tests"}),
    ),
    # s:s+k for the inputs: the last chunk's inputs are one longer than its targets.
    Variant(
        "tbptt_last_chunk_one_too_long",
        (Edit("04_train_tbptt", TBPTT_CALL,
              "        L, gradients, a = chunk_loss_and_grads(parameters, ids[:, s:s + k], "
              "ids[:, s + 1:s + k + 1], a)"),),
        frozenset({"04_train_tbptt_tests"}),
    ),
    # Only whole chunks: the last T mod k steps are never trained on (and T < k trains on nothing).
    Variant(
        "tbptt_drops_the_last_chunk",
        (Edit("04_train_tbptt", "    for s in range(0, T, k):\n", "    for s in range(0, T - k + 1, k):\n"),),
        frozenset({"04_train_tbptt_tests"}),
    ),
    Variant(
        "tbptt_without_clipping",
        (Edit("04_train_tbptt", "        gradients, _ = clip_by_norm(gradients, max_norm)  # one update per chunk, "
                                "clipped as in Exercise 5\n", ""),),
        frozenset({"04_train_tbptt_tests"}),
    ),
    # The flagged shortcut: rnnkit's own pass.
    Variant(
        "tbptt_calls_rnnkit",
        (Edit("04_train_tbptt", "    a = np.zeros((n_a, m))  # a<0> = 0 at the start of the streams\n",
              "    import rnnkit.tbptt\n    return rnnkit.tbptt.train_tbptt(parameters, ids, k, optimizer, max_norm, "
              "chunk_loss_and_grads)\n"),),
        frozenset({"04_train_tbptt_tests"}),
    ),
    # Correct, written differently: a while loop that trims the last chunk's inputs to its targets.
    Variant(
        "tbptt_while_loop",
        (Edit("04_train_tbptt",
              "    for s in range(0, T, k):\n        e = min(s + k, T)  # the last chunk may be shorter\n" + TBPTT_CALL,
              "    s = 0\n    while s < T:\n        y_ids = ids[:, s + 1:s + k + 1]\n"
              "        x_ids = ids[:, s:s + y_ids.shape[1]]\n        s += k\n"
              "        L, gradients, a = chunk_loss_and_grads(parameters, x_ids, y_ids, a)"),),
    ),
]
