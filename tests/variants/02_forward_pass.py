"""Submissions made from the 02_forward_pass solution: typical mistakes and correct alternatives.

rnn_forward calls the learner's own rnn_cell_forward, but the grader judges rnn_forward on
rnnkit's cell, so a mistake inside the cell costs only the cell's points; mistakes of the loop
itself break only rnn_forward's.
"""

from course_harness import Edit, Variant

CELL = "02_rnn_cell_forward"
FORWARD = "02_rnn_forward"
CELL_BREAKS = frozenset({"02_rnn_cell_forward_tests"})  # rnn_forward is judged on rnnkit's cell
A_NEXT = "a_next = np.tanh(Waa @ a_prev + Wax @ xt + ba)"


def cell_mistake(name, new):
    """A mistake in the a<t> line of rnn_cell_forward."""
    return Variant(name, (Edit(CELL, A_NEXT, new),), CELL_BREAKS)


VARIANTS = [
    # ---------------------------------------------------------------- rnn_cell_forward
    # With n_x != n_a the product fails; the hidden case n_x == n_a gives wrong values instead.
    cell_mistake("wax_transposed", "a_next = np.tanh(Waa @ a_prev + Wax.T @ xt + ba)"),
    cell_mistake("bias_left_out", "a_next = np.tanh(Waa @ a_prev + Wax @ xt)"),
    cell_mistake("sigmoid_instead_of_tanh", "a_next = sigmoid(Waa @ a_prev + Wax @ xt + ba)"),
    cell_mistake("each_term_squashed", "a_next = np.tanh(Waa @ a_prev) + np.tanh(Wax @ xt) + np.tanh(ba)"),
    cell_mistake("no_recurrence_in_cell", "a_next = np.tanh(Wax @ xt + ba)"),
    Variant(
        "softmax_over_the_batch",
        (Edit(CELL, "e = np.exp(z_y - z_y.max(axis=0, keepdims=True))",
              "e = np.exp(z_y - z_y.max(axis=1, keepdims=True))"),
         Edit(CELL, "yt_pred = e / e.sum(axis=0, keepdims=True)", "yt_pred = e / e.sum(axis=1, keepdims=True)")),
        CELL_BREAKS,
    ),
    Variant(
        "softmax_left_out",
        (Edit(CELL, "yt_pred = e / e.sum(axis=0, keepdims=True)", "yt_pred = z_y"),),
        CELL_BREAKS,
    ),
    # ---------------------------------------------------------------- rnn_forward
    Variant(
        "a_prev_not_carried",
        (Edit(FORWARD, "rnn_cell_forward(x[:, :, t], a_next, parameters)",
              "rnn_cell_forward(x[:, :, t], a0, parameters)"),),
        frozenset({"02_rnn_forward_tests"}),
    ),
    Variant(
        "a0_replaced_by_zeros",
        (Edit(FORWARD, "a_next = a0\n", "a_next = np.zeros((n_a, m))\n"),),
        frozenset({"02_rnn_forward_tests"}),
    ),
    Variant(
        "outputs_one_step_late",
        (Edit(FORWARD, "y_pred[:, :, t] = yt_pred", "y_pred[:, :, t - 1] = yt_pred"),),
        frozenset({"02_rnn_forward_tests"}),
    ),
    # ---------------------------------------------------------------- the other exercises
    Variant(
        "output_softmax_over_the_batch",
        (Edit("02_output_probabilities", "scores.max(axis=0, keepdims=True)", "scores.max(axis=1, keepdims=True)"),
         Edit("02_output_probabilities", "e / e.sum(axis=0, keepdims=True)", "e / e.sum(axis=1, keepdims=True)")),
        frozenset({"02_output_probabilities_tests"}),
    ),
    Variant(
        "output_softmax_overflows",
        (Edit("02_output_probabilities", "scores = scores - scores.max(axis=0, keepdims=True)", "scores = scores"),),
        frozenset({"02_output_probabilities_tests"}),
    ),
    Variant(
        "output_bias_left_out",
        (Edit("02_output_probabilities", "scores = Wya @ a_t + by", "scores = Wya @ a_t"),),
        frozenset({"02_output_probabilities_tests"}),
    ),
    Variant(
        "predicted_argmin",
        (Edit("02_predicted_chars", "np.argmax(y_hat, axis=0)", "np.argmin(y_hat, axis=0)"),),
        frozenset({"02_predicted_chars_tests"}),
    ),
    Variant(
        "stacked_in_the_wrong_order",
        (Edit("02_simplified_notation", "return np.hstack([Waa, Wax])", "return np.hstack([Wax, Waa])"),),
        frozenset({"02_simplified_notation_tests"}),
    ),
    Variant(
        "concat_input_first",
        (Edit("02_simplified_notation", "np.vstack([a_prev, xt])", "np.vstack([xt, a_prev])"),),
        frozenset({"02_simplified_notation_tests"}),
    ),
    Variant(
        "many_to_one_from_first_step",
        (Edit("02_many_to_one", "a_last = a[:, :, -1]", "a_last = a[:, :, 0]"),),
        frozenset({"02_many_to_one_tests"}),
    ),
    Variant(
        "many_to_one_tanh_output",
        (Edit("02_many_to_one", "return sigmoid(Wya @ a_last + by)", "return np.tanh(Wya @ a_last + by)"),),
        frozenset({"02_many_to_one_tests"}),
    ),
    Variant(
        "encoder_decoder_steps_t_y_only",
        (Edit("02_rnn_shapes", '"steps": T_x + T_y}', '"steps": T_y}'),),
        frozenset({"02_rnn_shapes_tests"}),
    ),
    Variant(
        "one_to_many_with_time_axis_on_x",
        (Edit("02_rnn_shapes", 'return {"x": (n_x, m), "y_hat": (n_y, m, T_y), "steps": T_y}',
              'return {"x": (n_x, m, 1), "y_hat": (n_y, m, T_y), "steps": T_y}'),),
        frozenset({"02_rnn_shapes_tests"}),
    ),
    # Calls the reference it should replace: flagged by the own-work review (autograder/ownwork.py).
    Variant(
        "calls_the_reference_cell",
        (Edit(CELL, A_NEXT + "  # (n_a, m)\n",
              A_NEXT + "\n    a_next = __import__('rnnkit').rnn_cell_forward(xt, a_prev, parameters)[0]\n"),),
        CELL_BREAKS,
    ),
    # Fools the visible checks by patching what they use; the hidden tests must not be fooled.
    Variant(
        "monkeypatch_checks",
        (Edit(CELL, A_NEXT, "a_next = np.tanh(Waa @ a_prev + Wax @ xt)"),
         Edit(CELL, "    cache = (a_next, a_prev, xt, parameters)\n    return a_next, yt_pred, cache",
              "    cache = (a_next, a_prev, xt, parameters)\n    return a_next, yt_pred, cache\n\n\n"
              "import rnnkit.testing\n"
              "np.testing.assert_allclose = lambda *a, **k: None\n"
              "check_equal = check_close = check_shape = lambda *a, **k: None\n"
              "sealed = lambda: rnnkit.testing\n")),
        CELL_BREAKS,
    ),
    # ---------------------------------------------------------------- correct, written differently
    Variant(
        "cell_with_concatenated_wa_and_own_cache",
        (Edit(CELL, A_NEXT,
              "Wa = np.concatenate([Waa, Wax], axis=1)  # the lecture's [Waa | Wax]\n"
              "    a_next = np.tanh(Wa @ np.concatenate([a_prev, xt], axis=0) + ba)"),
         Edit(CELL, "    cache = (a_next, a_prev, xt, parameters)\n",
              "    cache = {'a_next': a_next, 'a_prev': a_prev, 'xt': xt, 'parameters': parameters,"
              " 'yt_pred': yt_pred}\n"),
         Edit(CELL, "e = np.exp(z_y - z_y.max(axis=0, keepdims=True))\n    yt_pred = e / e.sum(axis=0, keepdims=True)",
              "yt_pred = np.exp(z_y - z_y.max(0)) / np.exp(z_y - z_y.max(0)).sum(0)")),
    ),
    Variant(
        "forward_loop_over_examples",
        (Edit(FORWARD,
              "    caches = []\n    a_next = a0\n    for t in range(T_x):\n"
              "        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)\n"
              "        a[:, :, t] = a_next\n        y_pred[:, :, t] = yt_pred\n        caches.append(cache)\n",
              "    caches = [[] for _ in range(T_x)]  # step t holds the caches of the m examples\n"
              "    for i in range(m):\n"
              "        a_i = a0[:, i:i + 1]  # (n_a, 1)\n"
              "        for t in range(T_x):\n"
              "            a_i, y_i, cache = rnn_cell_forward(x[:, i:i + 1, t], a_i, parameters)\n"
              "            a[:, i, t] = a_i[:, 0]\n"
              "            y_pred[:, i, t] = y_i[:, 0]\n"
              "            caches[t].append(cache)\n"),),
    ),
    Variant(
        "other_correct_writings",
        (Edit("02_output_probabilities", "scores = scores - scores.max(axis=0, keepdims=True)",
              "scores = scores - scores.max(axis=0)[None, :]"),
         Edit("02_predicted_chars", "return [chars[k] for k in np.argmax(y_hat, axis=0)]",
              "return [chars[int(np.argmax(y_hat[:, i]))] for i in range(y_hat.shape[1])]"),
         Edit("02_simplified_notation", "concat = np.vstack([a_prev, xt])", "concat = np.concatenate([a_prev, xt])"),
         Edit("02_many_to_one", "return sigmoid(Wya @ a_last + by)", "return 1 / (1 + np.exp(-(Wya @ a_last + by)))"),
         Edit("02_rnn_shapes", '    if kind == "one-to-one":',
              '    x = (n_x, m) if kind in ("one-to-one", "one-to-many") else (n_x, m, T_x)\n'
              '    T = {"one-to-one": None, "many-to-one": None, "one-to-many": T_y, "many-to-many": T_x,\n'
              '         "encoder-decoder": T_y}[kind]\n'
              '    steps = {"one-to-one": 1, "one-to-many": T_y, "many-to-one": T_x, "many-to-many": T_x,\n'
              '             "encoder-decoder": T_x + T_y}[kind]\n'
              '    return {"x": list(x), "y_hat": [n_y, m] if T is None else [n_y, m, T], "steps": steps}\n'
              '    if kind == "one-to-one":')),
    ),
    # ---------------------------------------------------------------- added: more typical mistakes
    Variant(
        "predicted_argmax_over_the_batch",
        (Edit("02_predicted_chars", "np.argmax(y_hat, axis=0)", "np.argmax(y_hat, axis=1)"),),
        frozenset({"02_predicted_chars_tests"}),
    ),
    Variant(
        "predicted_flat_argmax",  # one character for the whole batch
        (Edit("02_predicted_chars", "return [chars[k] for k in np.argmax(y_hat, axis=0)]",
              "return [chars[np.argmax(y_hat)]]"),),
        frozenset({"02_predicted_chars_tests"}),
    ),
    Variant(
        "simplified_bias_left_out",
        (Edit("02_simplified_notation", "return np.tanh(Wa @ concat + ba)", "return np.tanh(Wa @ concat)"),),
        frozenset({"02_simplified_notation_tests"}),
    ),
    Variant(
        "many_to_one_last_example_not_last_step",  # the wrong axis of a (n_a, m, T_x)
        (Edit("02_many_to_one", "a_last = a[:, :, -1]", "a_last = a[:, -1, :]"),),
        frozenset({"02_many_to_one_tests"}),
    ),
    Variant(
        "many_to_one_output_with_time_axis",
        (Edit("02_rnn_shapes", 'return {"x": (n_x, m, T_x), "y_hat": (n_y, m), "steps": T_x}',
              'return {"x": (n_x, m, T_x), "y_hat": (n_y, m, T_y), "steps": T_x}'),),
        frozenset({"02_rnn_shapes_tests"}),
    ),
]
