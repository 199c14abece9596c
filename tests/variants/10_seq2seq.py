"""Submissions made from the 10_seq2seq solution: typical mistakes and correct alternatives."""

from course_harness import Edit, Variant

FINAL = frozenset({"10_final_states_tests"})
INPUTS = frozenset({"10_decoder_inputs_tests"})
FORWARD = frozenset({"10_seq2seq_forward_tests"})
BACKWARD = frozenset({"10_seq2seq_backward_tests"})
GREEDY = frozenset({"10_greedy_decode_tests"})
MATCH = frozenset({"10_exact_match_tests"})

STATE = "context[:, i] = a[:, i, lengths[i] - 1]"
GATHER_LOOP = """\
    context = np.zeros((n_a, m))
    for i in range(m):
        context[:, i] = a[:, i, lengths[i] - 1]  # a<T_x(i)>: time step lengths[i] is index lengths[i] - 1
"""
SHIFT = """\
    x_dec = np.zeros_like(y)  # x_dec<1> = 0: nothing has been written yet
    x_dec[:, :, 1:] = y[:, :, :-1]  # x_dec<t> = y<t-1>, t = 2..T_y
"""
DECODER = 'gru_forward(x_dec, context, parameters["decoder"])'
HAND_OVER = 'da_enc[:, np.arange(m), cache.lengths - 1] = g_dec["da0"]'
FEEDBACK = """\
        xt = np.zeros((n_y, m))
        xt[tokens, np.arange(m)] = 1.0  # x_dec<t+1> = the model's own y<t>, one-hot
"""
COUNT = """\
    correct = 0
    for p, t in zip(predicted, targets):
        if list(p) == list(t):
            correct += 1
    return correct / len(targets)
"""

VARIANTS = [
    # ---- Exercise 1: the hand-over
    Variant("context_after_the_padding", (Edit("10_final_states", STATE, "context[:, i] = a[:, i, -1]"),), FINAL),
    Variant(  # an IndexError for an example with T_x real steps, a<T_x(i) + 1> for the others
        "context_one_step_late", (Edit("10_final_states", STATE, "context[:, i] = a[:, i, lengths[i]]"),), FINAL),
    Variant("context_from_the_first_step", (Edit("10_final_states", STATE, "context[:, i] = a[:, i, 0]"),), FINAL),
    Variant(  # fancy indexing on the time axis alone: (n_a, m, m), every example's step for every column
        "context_indexed_on_time_only",
        (Edit("10_final_states", GATHER_LOOP, "    context = a[:, :, np.asarray(lengths) - 1]\n"),), FINAL),
    # ---- Exercise 2: teacher forcing
    Variant("decoder_reads_its_own_target", (Edit("10_decoder_inputs", SHIFT, "    x_dec = y.copy()\n"),), INPUTS),
    Variant(  # x_dec<1> = y<T_y>: np.roll wraps the last token around
        "decoder_inputs_rolled", (Edit("10_decoder_inputs", SHIFT, "    x_dec = np.roll(y, 1, axis=2)\n"),), INPUTS),
    Variant("decoder_inputs_shifted_the_wrong_way",
            (Edit("10_decoder_inputs", "x_dec[:, :, 1:] = y[:, :, :-1]", "x_dec[:, :, :-1] = y[:, :, 1:]"),), INPUTS),
    Variant(  # the shift done in y itself: y is changed, and x_dec<1> = y<1>
        "decoder_inputs_shift_y_in_place",
        (Edit("10_decoder_inputs", "    x_dec = np.zeros_like(y)  #", "    x_dec = y  #"),), INPUTS),
    # ---- Exercise 3: the forward pass
    Variant("decoder_starts_from_zeros",
            (Edit("10_seq2seq_forward", DECODER, 'gru_forward(x_dec, np.zeros((n_a, m)), parameters["decoder"])'),),
            FORWARD),
    Variant("decoder_reads_y_not_the_previous_token",
            (Edit("10_seq2seq_forward", "x_dec = decoder_inputs(y)", "x_dec = y"),), FORWARD),
    Variant("forward_hands_over_the_padded_last_state",
            (Edit("10_seq2seq_forward", "context = final_states(a_enc, lengths)", "context = a_enc[:, :, -1]"),),
            FORWARD),
    Variant(  # a shape error when n_x != n_y, wrong values when n_x = n_y
        "decoder_with_the_encoders_parameters",
        (Edit("10_seq2seq_forward", DECODER, 'gru_forward(x_dec, context, parameters["encoder"])'),), FORWARD),
    Variant(  # right numbers; the grader sees the call
        "forward_calls_the_reference",
        (Edit("10_seq2seq_forward", '    n_a, m = parameters["Wy"].shape[1], x.shape[1]\n',
              '    return rnnkit.seq2seq.seq2seq_forward(x, lengths, y, parameters)\n'),), FORWARD),
    # ---- Exercise 4: the backward pass
    Variant("encoder_gets_no_gradient", (Edit("10_seq2seq_backward", HAND_OVER, "pass"),), BACKWARD),
    Variant("encoder_gradient_after_the_padding",
            (Edit("10_seq2seq_backward", HAND_OVER, 'da_enc[:, :, -1] = g_dec["da0"]'),), BACKWARD),
    Variant("encoder_gradient_at_every_step",
            (Edit("10_seq2seq_backward", HAND_OVER, 'da_enc[:] = g_dec["da0"][:, :, None]'),), BACKWARD),
    Variant(  # dz (n_y, m, T_y) fed to the decoder's BPTT as if it were da_dec (n_a, m, T_y)
        "output_layer_skipped_in_backward",
        (Edit("10_seq2seq_backward", "g_dec = gru_backward(da_dec, cache.decoder_caches)",
              "g_dec = gru_backward(dz, cache.decoder_caches)"),), BACKWARD),
    Variant("backward_calls_the_reference",
            (Edit("10_seq2seq_backward", "    n_a, m, T_y = cache.a_dec.shape\n",
                  "    return rnnkit.seq2seq.seq2seq_backward(dz, cache)\n"),), BACKWARD),
    # Fools the visible checks by rebinding what they use; the trusted checks must not be fooled.
    Variant(
        "monkeypatch_checks",
        (Edit("10_seq2seq_backward", HAND_OVER, "pass"),
         Edit("10_seq2seq_backward", '"dWy": dWy, "dby": dby}',
              '"dWy": dWy, "dby": dby}\n\n\n'
              "import rnnkit.testing\n"
              "np.testing.assert_allclose = lambda *a, **k: None\n"
              "vars(rnnkit.testing)['check_close'] = lambda *a, **k: None\n"
              "check_equal = check_close = check_shape = check_type = lambda *a, **k: None\n")),
        BACKWARD,
    ),
    # ---- Exercise 5: greedy decoding
    Variant("greedy_starts_from_zeros",
            (Edit("10_greedy_decode", "a_prev = final_states(a_enc, lengths)", "a_prev = np.zeros((n_a, m))"),),
            GREEDY),
    Variant("greedy_hands_over_the_padded_last_state",
            (Edit("10_greedy_decode", "a_prev = final_states(a_enc, lengths)", "a_prev = a_enc[:, :, -1]"),), GREEDY),
    Variant(  # x_dec<t> = 0 at every step: the decoder never sees what it wrote
        "greedy_without_feedback", (Edit("10_greedy_decode", FEEDBACK, "        xt = np.zeros((n_y, m))\n"),), GREEDY),
    Variant("greedy_feeds_probabilities", (Edit("10_greedy_decode", FEEDBACK, "        xt = y_hat_t\n"),), GREEDY),
    Variant("greedy_starts_with_eos",
            (Edit("10_greedy_decode", "    xt = np.zeros((n_y, m))  # x_dec<1> = 0, as in training\n",
                  "    xt = np.zeros((n_y, m))\n    xt[eos] = 1.0\n"),), GREEDY),
    Variant("greedy_keeps_eos",
            (Edit("10_greedy_decode", "                    finished[i] = True\n",
                  "                    finished[i] = True\n                    outputs[i].append(int(tokens[i]))\n"),),
            GREEDY),
    Variant("greedy_never_stops", (Edit("10_greedy_decode", "if tokens[i] == eos:", "if False:"),), GREEDY),
    Variant("greedy_calls_the_reference",
            (Edit("10_greedy_decode", "    outputs = [[] for _ in range(m)]\n",
                  "    return rnnkit.seq2seq.greedy_decode(parameters, x, lengths, eos, max_len)\n"),), GREEDY),
    # ---- Exercise 6: exact match
    Variant(  # zip stops at the shorter sequence: a prefix, or extra tokens, count as right
        "exact_match_of_prefixes",
        (Edit("10_exact_match", "if list(p) == list(t):", "if all(a == b for a, b in zip(p, t)):"),), MATCH),
    Variant("exact_match_in_percent",
            (Edit("10_exact_match", "return correct / len(targets)", "return 100 * correct / len(targets)"),), MATCH),
    Variant("exact_match_counts", (Edit("10_exact_match", "return correct / len(targets)", "return correct"),), MATCH),
    Variant("exact_match_of_tokens",
            (Edit("10_exact_match", COUNT,
                  "    pairs = [(a, b) for p, t in zip(predicted, targets) for a, b in zip(p, t)]\n"
                  "    return sum(a == b for a, b in pairs) / max(1, sum(len(t) for t in targets))\n"),), MATCH),
    # Correct, written differently: a gather by fancy indexing, the shift by concatenation, the decoder step by
    # step with gru_cell_forward, the hand-over gradient in a loop and the parameter gradients picked by name,
    # greedy decoding one example at a time, and exact match as a mean.
    Variant(
        "correct_alternative",
        (Edit("10_final_states", GATHER_LOOP, "    context = a[:, np.arange(m), np.asarray(lengths) - 1]\n"),
         Edit("10_decoder_inputs", SHIFT,
              "    x_dec = np.concatenate([np.zeros_like(y[:, :, :1]), y[:, :, :-1]], axis=2)\n"),
         Edit("10_seq2seq_forward",
              "    a_dec, _, decoder_caches = gru_forward(x_dec, context, parameters[\"decoder\"])  # (n_a, m, T_y)\n",
              "    a_dec, decoder_caches, a_prev = np.zeros((n_a, m, y.shape[2])), [], context\n"
              "    for t in range(y.shape[2]):\n"
              "        a_prev, _, step = gru_cell_forward(x_dec[:, :, t], a_prev, parameters[\"decoder\"])\n"
              "        a_dec[:, :, t] = a_prev\n"
              "        decoder_caches.append(step)\n"),
         Edit("10_seq2seq_backward", HAND_OVER,
              "for i in range(m):\n        da_enc[:, i, cache.lengths[i] - 1] = g_dec[\"da0\"][:, i]"),
         Edit("10_seq2seq_backward",
              'return {"encoder": {k: g_enc[k] for k in keys}, "decoder": {k: g_dec[k] for k in keys},',
              'return {"encoder": {k: v for k, v in g_enc.items() if k[:2] in ("dW", "db")},\n'
              '            "decoder": {k: v for k, v in g_dec.items() if k[:2] in ("dW", "db")},'),
         Edit("10_greedy_decode",
              "    a_enc, _, _ = gru_forward(x, np.zeros((n_a, m)), parameters[\"encoder\"])\n",
              "    for i in range(m):\n"
              "        a_enc, _, _ = gru_forward(x[:, i:i + 1], np.zeros((n_a, 1)), parameters[\"encoder\"])\n"
              "        a_prev, xt = a_enc[:, :, lengths[i] - 1], np.zeros((n_y, 1))\n"
              "        while len(outputs[i]) < max_len:\n"
              "            a_prev, _, _ = gru_cell_forward(xt, a_prev, parameters[\"decoder\"])\n"
              "            k = int(np.argmax(output_forward(a_prev, parameters[\"Wy\"], parameters[\"by\"])))\n"
              "            if k == eos:\n"
              "                break\n"
              "            outputs[i].append(k)\n"
              "            xt = np.zeros((n_y, 1))\n"
              "            xt[k] = 1.0\n"
              "    return outputs\n"),
         Edit("10_exact_match", COUNT,
              "    return float(np.mean([list(p) == list(t) for p, t in zip(predicted, targets)]))\n")),
    ),
]
