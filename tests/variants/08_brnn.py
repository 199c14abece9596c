"""Submissions made from the 08_brnn solution: typical mistakes and correct alternatives."""

from course_harness import Edit, Variant

REVERSE = "08_reverse_in_time_tests"
FORWARD = "08_brnn_forward_tests"
BACKWARD = "08_brnn_backward_tests"
INIT = "08_initialize_brnn_tests"
ACCURACY = "08_tag_accuracy_tests"

VARIANTS = [
    # The whole padded row reversed: the padding moves to the front.
    Variant(
        "reverse_ignores_lengths",
        (Edit("08_reverse_in_time", "    if lengths is None:\n        return x[..., ::-1].copy()\n",
              "    return x[..., ::-1].copy()\n"),),
        frozenset({REVERSE}),
    ),
    # Reversed in place: the caller's x is changed.
    Variant(
        "reverse_modifies_x",
        (Edit("08_reverse_in_time", "    x_reversed = x.copy()\n", "    x_reversed = x\n    x = x.copy()\n"),
         Edit("08_reverse_in_time", "        return x[..., ::-1].copy()\n",
              "        x[...] = x[..., ::-1].copy()\n        return x\n")),
        frozenset({REVERSE}),
    ),
    # The backward direction is never reversed in time: a second left-to-right RNN.
    Variant(
        "backward_not_reversed_in_time",
        (Edit("08_brnn_forward", 'rnn_forward(x[:, :, ::-1], a0, parameters["backward"])',
              'rnn_forward(x, a0, parameters["backward"])'),
         Edit("08_brnn_forward", "a_backward = a_reversed[:, :, ::-1]", "a_backward = a_reversed")),
        frozenset({FORWARD}),
    ),
    # The backward direction runs on x reversed, but its states are not reversed back before the
    # concatenation.
    Variant(
        "backward_not_reversed_back",
        (Edit("08_brnn_forward", "a_backward = a_reversed[:, :, ::-1]", "a_backward = a_reversed"),),
        frozenset({FORWARD}),
    ),
    # [a←; a→] against Wy: the stacked order does not match Wy's columns.
    Variant(
        "concatenation_backward_first",
        (Edit("08_brnn_forward", "np.concatenate([a_forward, a_backward], axis=0)",
              "np.concatenate([a_backward, a_forward], axis=0)"),),
        frozenset({FORWARD}),
    ),
    # Both directions use the forward direction's parameters.
    Variant(
        "backward_uses_forward_parameters",
        (Edit("08_brnn_forward", 'rnn_forward(x[:, :, ::-1], a0, parameters["backward"])',
              'rnn_forward(x[:, :, ::-1], a0, parameters["forward"])'),),
        frozenset({FORWARD}),
    ),
    # The forward pass handed to the library's reference: the hidden test must notice.
    Variant(
        "forward_calls_reference",
        (Edit("08_brnn_forward", "    a_forward, _, forward_caches = rnn_forward(",
              "    return rnnkit.brnn_forward(x, a0, parameters)\n"
              "    a_forward, _, forward_caches = rnn_forward("),),
        frozenset({FORWARD}),
    ),
    # The backward direction's BPTT gets da← in the original time order.
    Variant(
        "backward_pass_da_not_reversed",
        (Edit("08_brnn_backward", "rnn_backward(da[n_a:, :, ::-1], caches.backward_caches)",
              "rnn_backward(da[n_a:], caches.backward_caches)"),),
        frozenset({BACKWARD}),
    ),
    # The backward direction's dx added in reversed time.
    Variant(
        "backward_pass_dx_not_reversed_back",
        (Edit("08_brnn_backward", 'g_forward["dx"] + g_backward["dx"][:, :, ::-1]',
              'g_forward["dx"] + g_backward["dx"]'),),
        frozenset({BACKWARD}),
    ),
    # The rows of da split the wrong way round: da← into the forward RNN, da→ into the backward one.
    Variant(
        "backward_pass_da_split_swapped",
        (Edit("08_brnn_backward", "g_forward = rnn_backward(da[:n_a], caches.forward_caches)",
              "g_forward = rnn_backward(da[n_a:], caches.forward_caches)"),
         Edit("08_brnn_backward", "rnn_backward(da[n_a:, :, ::-1], caches.backward_caches)",
              "rnn_backward(da[:n_a, :, ::-1], caches.backward_caches)")),
        frozenset({BACKWARD}),
    ),
    # a0 starts both directions, but only the forward direction's da0 is returned.
    Variant(
        "backward_pass_da0_forward_only",
        (Edit("08_brnn_backward", '"da0": g_forward["da0"] + g_backward["da0"]', '"da0": g_forward["da0"]'),),
        frozenset({BACKWARD}),
    ),
    # One dict for both directions: shared weights that the optimizer would update twice.
    Variant(
        "initialize_shared_direction",
        (Edit("08_initialize_brnn", "    backward = initialize(n_x, n_a, seed=rng)\n",
              "    backward = forward\n"),),
        frozenset({INIT}),
    ),
    # Wy of shape (n_y, n_a), as in a one-directional RNN.
    Variant(
        "initialize_wy_for_one_direction",
        (Edit("08_initialize_brnn", "Wy = rng.normal(size=(n_y, 2 * n_a)) / np.sqrt(2 * n_a)",
              "Wy = rng.normal(size=(n_y, n_a)) / np.sqrt(n_a)"),),
        frozenset({INIT}),
    ),
    # The accuracy on the other words counts the padding steps.
    Variant(
        "accuracy_counts_padding",
        (Edit("08_tag_accuracy", "    others = mask & ~ambiguous\n", "    others = ~ambiguous\n"),),
        frozenset({ACCURACY}),
    ),
    # The accuracy on the other words includes the ambiguous ones.
    Variant(
        "accuracy_other_includes_ambiguous",
        (Edit("08_tag_accuracy", "    others = mask & ~ambiguous\n", "    others = mask\n"),),
        frozenset({ACCURACY}),
    ),
    # Correct, written differently: the reversal by fancy indexing; the BRNN with explicit loops over the
    # library's cell (both directions, the backward one from t = T_x down to 1) and your reverse_in_time; the
    # backward pass with reverse_in_time; the initializer chosen by a conditional expression; the accuracy by counting.
    Variant(
        "correct_alternative",
        (Edit("08_reverse_in_time",
              '''    if lengths is None:
        return x[..., ::-1].copy()
    x_reversed = x.copy()
    for i, length in enumerate(lengths):
        x_reversed[..., i, :length] = x[..., i, :length][..., ::-1]
    return x_reversed''',
              '''    m, T = x.shape[-2:]
    lengths = np.full(m, T) if lengths is None else np.asarray(lengths)
    t = np.arange(T)[None, :]  # (1, T)
    source = np.where(t < lengths[:, None], lengths[:, None] - 1 - t, t)  # (m, T)
    return x[..., np.arange(m)[:, None], source]'''),
         Edit("08_brnn_forward",
              '''    a_forward, _, forward_caches = rnn_forward(x, a0, parameters["forward"])  # (n_a, m, T_x)
    a_reversed, _, backward_caches = rnn_forward(x[:, :, ::-1], a0, parameters["backward"])
    a_backward = a_reversed[:, :, ::-1]  # a←<t> back at step t, (n_a, m, T_x)
    a = np.concatenate([a_forward, a_backward], axis=0)  # (2 n_a, m, T_x)
    z = (parameters["Wy"] @ a.reshape(2 * n_a, m * T_x)).reshape(-1, m, T_x) + parameters["by"][:, :, None]
    y_pred = softmax(z)  # (n_y, m, T_x)''',
              '''    a = np.zeros((2 * n_a, m, T_x))
    forward_caches, backward_caches = [], []
    a_t = a0
    for t in range(T_x):
        a_t, _, cache = rnn_cell_forward(x[:, :, t], a_t, parameters["forward"])
        a[:n_a, :, t] = a_t
        forward_caches.append(cache)
    x_reversed = reverse_in_time(x)
    a_t = a0
    for t in range(T_x):
        a_t, _, cache = rnn_cell_forward(x_reversed[:, :, t], a_t, parameters["backward"])
        a[n_a:, :, T_x - 1 - t] = a_t
        backward_caches.append(cache)
    y_pred = np.zeros((parameters["Wy"].shape[0], m, T_x))
    for t in range(T_x):
        y_pred[:, :, t] = softmax(parameters["Wy"][:, :n_a] @ a[:n_a, :, t]
                                  + parameters["Wy"][:, n_a:] @ a[n_a:, :, t] + parameters["by"])'''),
         Edit("08_brnn_backward",
              "    g_backward = rnn_backward(da[n_a:, :, ::-1], caches.backward_caches)"
              "  # in the order a← was computed",
              '''    g_backward = rnn_backward(reverse_in_time(da[n_a:]), caches.backward_caches)'''),
         Edit("08_brnn_backward",
              '''"dx": g_forward["dx"] + g_backward["dx"][:, :, ::-1],''',
              '''"dx": reverse_in_time(g_backward["dx"]) + g_forward["dx"],'''),
         Edit("08_initialize_brnn",
              '    initialize = {"rnn": initialize_rnn, "gru": initialize_gru, '
              '"lstm": initialize_lstm}[cell]',
              '''    initialize = (rnnkit.initialize_rnn if cell == "rnn"
                  else rnnkit.initialize_gru if cell == "gru" else rnnkit.initialize_lstm)'''),
         Edit("08_tag_accuracy",
              '''    correct = y_hat.argmax(axis=0) == labels  # (m, T_x)
    others = mask & ~ambiguous
    return float(correct[ambiguous & mask].mean()), float(correct[others].mean())''',
              '''    predicted = (y_hat[1] > y_hat[0]).astype(int)
    right_amb = right_other = n_amb = n_other = 0
    for i in range(labels.shape[0]):
        for t in range(labels.shape[1]):
            if not mask[i, t]:
                continue
            if ambiguous[i, t]:
                n_amb += 1
                right_amb += int(predicted[i, t] == labels[i, t])
            else:
                n_other += 1
                right_other += int(predicted[i, t] == labels[i, t])
    return right_amb / n_amb, right_other / n_other''')),
    ),
]

VARIANTS += [
    # Reversed along the first axis (the features) instead of time.
    Variant(
        "reverse_wrong_axis",
        (Edit("08_reverse_in_time", "        return x[..., ::-1].copy()\n", "        return x[::-1].copy()\n"),),
        frozenset({REVERSE}),
    ),
    # Off by one in the slice: x[..., i, length::-1] takes one step of padding too.
    Variant(
        "reverse_off_by_one",
        (Edit("08_reverse_in_time", "x[..., i, :length][..., ::-1]", "x[..., i, length::-1]"),),
        frozenset({REVERSE}),
    ),
    # Two generators with the same seed: both directions start from the same numbers.
    Variant(
        "initialize_same_seed_both_directions",
        (Edit("08_initialize_brnn",
              "    forward = initialize(n_x, n_a, seed=rng)\n    backward = initialize(n_x, n_a, seed=rng)\n",
              "    forward = initialize(n_x, n_a, seed=seed)\n    backward = initialize(n_x, n_a, seed=seed)\n"),),
        frozenset({INIT}),
    ),
    # Wy scaled by 1 / sqrt(n_a) instead of 1 / sqrt(2 n_a).
    Variant(
        "initialize_wy_scaled_by_n_a",
        (Edit("08_initialize_brnn", "/ np.sqrt(2 * n_a)", "/ np.sqrt(n_a)"),),
        frozenset({INIT}),
    ),
    # Row 0 of y_hat read as P(name): every tag inverted.
    Variant(
        "accuracy_reads_row_0_as_name",
        (Edit("08_tag_accuracy", "correct = y_hat.argmax(axis=0) == labels",
              "correct = (y_hat[0] > 0.5).astype(int) == labels"),),
        frozenset({ACCURACY}),
    ),
    # The argmax over the last axis (time) instead of the classes.
    Variant(
        "accuracy_argmax_wrong_axis",
        (Edit("08_tag_accuracy", "y_hat.argmax(axis=0)", "y_hat.argmax(axis=-1)"),),
        frozenset({ACCURACY}),
    ),
]

VARIANTS += [
    # Correct values, but the initializer is looked up with getattr: dynamic access that the grader's
    # reading of the code cannot follow, so the exercise goes to the instructor for review.
    Variant(
        "initialize_getattr_needs_review",
        (Edit("08_initialize_brnn",
              '    initialize = {"rnn": initialize_rnn, "gru": initialize_gru, '
              '"lstm": initialize_lstm}[cell]',
              '    initialize = getattr(rnnkit, f"initialize_{cell}")'),),
        frozenset({INIT}),
    ),
]
