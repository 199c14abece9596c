"""Submissions made from the 03_bptt solution: typical mistakes and correct alternatives."""

from course_harness import Edit, Variant

LOSS = frozenset({"03_rnn_loss_tests"})
CELL = frozenset({"03_rnn_cell_backward_tests"})
BPTT = frozenset({"03_rnn_backward_tests"})
MODEL = frozenset({"03_loss_and_gradients_tests"})
NORMS = frozenset({"03_gradient_norms_tests"})
BY_VALUE = frozenset({"03_clip_by_value_tests"})
BY_NORM = frozenset({"03_clip_by_norm_tests"})
TRAIN = frozenset({"03_train_tests"})

TANH_DZ = "        dz = da_next * (1 - cache.a_next**2)  # (n_a, m)\n"

VARIANTS = [
    # ---- the loss
    Variant(
        "loss_averaged_over_time",
        (Edit("03_rnn_loss", "L = float(np.sum(L_steps) / m)", "L = float(np.sum(np.mean(L_steps, axis=1)) / m)"),),
        LOSS,
    ),
    Variant(
        "loss_summed_over_the_batch",
        (Edit("03_rnn_loss", "L = float(np.sum(L_steps) / m)", "L = float(np.sum(L_steps))"),),
        LOSS,
    ),
    Variant(
        "loss_log_not_clipped",  # 0 · log 0 = nan once a probability underflows
        (Edit("03_rnn_loss", "np.log(np.clip(y_hat, 1e-12, 1.0))", "np.log(y_hat)"),),
        LOSS,
    ),
    # ---- one step
    Variant(
        "tanh_derivative_without_square",
        (Edit("03_rnn_cell_backward", TANH_DZ, "        dz = da_next * (1 - cache.a_next)\n"),),
        CELL,
    ),
    Variant(
        "tanh_derivative_at_preactivation",
        (Edit("03_rnn_cell_backward", TANH_DZ,
              "        z = Waa @ cache.a_prev + Wax @ cache.xt + cache.parameters[\"ba\"]\n"
              "        dz = da_next * (1 - z**2)\n"),),
        CELL,
    ),
    Variant(
        "relu_cell_with_tanh_derivative",
        (Edit("03_rnn_cell_backward",
              "    else:  # relu\n        dz = da_next * (cache.a_next > 0)  # (n_a, m)\n",
              "    else:\n        dz = da_next * (1 - cache.a_next**2)\n"),),
        CELL,
    ),
    Variant(
        "dba_without_keepdims",
        (Edit("03_rnn_cell_backward", "np.sum(dz, axis=1, keepdims=True)", "np.sum(dz, axis=1)"),),
        CELL,
    ),
    Variant(
        "loss_calls_the_graders_standin",  # a correct answer, but the grader's own stand-in: flagged for review
        (Edit("03_rnn_loss", "    log_y_hat = np.log(np.clip(y_hat, 1e-12, 1.0))  # (n_y, m, T_y)\n",
              "    import rnnkit.standins\n    return rnnkit.standins.rnn_loss(y_hat, y)\n"),),
        LOSS,
    ),
    Variant(
        "cell_calls_the_reference",  # passes the visible checks; the hidden test sees the call
        (Edit("03_rnn_cell_backward", "    Waa, Wax = cache.parameters[\"Waa\"], cache.parameters[\"Wax\"]\n",
              "    return rnnkit.rnn_cell_backward(da_next, cache)\n"),),
        CELL,
    ),
    # ---- through time
    Variant(
        "bptt_with_da_alone",  # the gradient from step t+1 is not added to da<t>
        (Edit("03_rnn_backward", "rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])",
              "rnn_cell_backward(da[:, :, t], caches[t])"),),
        BPTT,
    ),
    Variant(
        "shared_gradients_overwritten",  # not summed over time
        (Edit("03_rnn_backward",
              "        dWax += step[\"dWax\"]\n        dWaa += step[\"dWaa\"]\n        dba += step[\"dba\"]\n",
              "        dWax = step[\"dWax\"]\n        dWaa = step[\"dWaa\"]\n        dba = step[\"dba\"]\n"),),
        BPTT,
    ),
    Variant(
        "bptt_runs_forward_in_time",
        (Edit("03_rnn_backward", "for t in reversed(range(T_x)):", "for t in range(T_x):"),),
        BPTT,
    ),
    # Fools the visible checks by rebinding what they use; the hidden tests must not be fooled.
    Variant(
        "monkeypatch_checks",
        (Edit("03_rnn_backward", "rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])",
              "rnn_cell_backward(da[:, :, t], caches[t])"),
         Edit("03_rnn_backward",
              "    return {\"dx\": dx, \"da0\": da_prevt, \"dWax\": dWax, \"dWaa\": dWaa, \"dba\": dba}\n",
              "    return {\"dx\": dx, \"da0\": da_prevt, \"dWax\": dWax, \"dWaa\": dWaa, \"dba\": dba}\n\n\n"
              "import rnnkit.testing\n"
              "np.testing.assert_allclose = lambda *a, **k: None\n"
              "vars(rnnkit.testing)['check_close'] = lambda *a, **k: None  # around the module's guard\n"
              "check_equal = check_close = check_shape = check_type = lambda *a, **k: None\n"
              "sealed = lambda: rnnkit.testing\n")),
        BPTT,
    ),
    # ---- the model's gradients
    Variant(
        "output_error_not_divided_by_m",
        (Edit("03_loss_and_gradients", "dz = (y_hat - y) / m", "dz = y_hat - y"),),
        MODEL,
    ),
    Variant(
        "gradients_keep_dx_and_da0",
        (Edit("03_loss_and_gradients",
              "gradients = {\"dWaa\": hidden[\"dWaa\"], \"dWax\": hidden[\"dWax\"], \"dba\": hidden[\"dba\"], "
              "\"dWya\": dWya, \"dby\": dby}",
              "gradients = dict(hidden, dWya=dWya, dby=dby)"),),
        MODEL,
    ),
    # ---- vanishing and exploding
    Variant(
        "norms_in_time_order",
        (Edit("03_gradient_norms", "return np.array(norms)", "return np.array(norms[::-1])"),),
        NORMS,
    ),
    Variant(
        "norms_down_to_a0",
        (Edit("03_gradient_norms", "range(len(caches) - 1, 0, -1)", "range(len(caches) - 1, -1, -1)"),),
        NORMS,
    ),
    # ---- clipping
    Variant(
        "clip_by_value_in_place",
        (Edit("03_clip_by_value",
              "    return {key: np.clip(value, -max_value, max_value) for key, value in gradients.items()}",
              "    for value in gradients.values():\n        np.clip(value, -max_value, max_value, out=value)\n"
              "    return gradients"),),
        BY_VALUE,
    ),
    Variant(
        "clip_by_norm_each_array_separately",  # not the global norm
        (Edit("03_clip_by_norm",
              "    scale = max_norm / norm if norm > max_norm else 1.0\n"
              "    clipped = {key: value * scale for key, value in gradients.items()}\n",
              "    clipped = {}\n    for key, value in gradients.items():\n"
              "        own = np.sqrt(np.sum(value**2))\n"
              "        clipped[key] = value * (max_norm / own if own > max_norm else 1.0)\n"),),
        BY_NORM,
    ),
    Variant(
        "clip_by_norm_always_rescales",
        (Edit("03_clip_by_norm", "scale = max_norm / norm if norm > max_norm else 1.0", "scale = max_norm / norm"),),
        BY_NORM,
    ),
    # ---- training
    Variant(
        "train_ignores_max_norm",
        (Edit("03_train",
              "        if max_norm is not None:\n            gradients, _ = clip_by_norm(gradients, max_norm)"
              "  # global norm at most max_norm\n",
              ""),),
        TRAIN,
    ),
    Variant(
        "train_gradient_ascent",
        (Edit("03_train", "parameters[key] - learning_rate", "parameters[key] + learning_rate"),),
        TRAIN,
    ),
    # Correct, written differently: [a<t-1>; x<t>] stacked, lists summed at the end, einsum, one flat norm.
    Variant(
        "correct_alternative",
        (Edit("03_rnn_loss",
              "    log_y_hat = np.log(np.clip(y_hat, 1e-12, 1.0))  # (n_y, m, T_y)\n"
              "    L_steps = -np.sum(y * log_y_hat, axis=0)  # (m, T_y)\n"
              "    m = y.shape[1]\n    L = float(np.sum(L_steps) / m)\n",
              "    L_steps = -np.einsum(\"kmt,kmt->mt\", y, np.log(np.maximum(y_hat, 1e-12)))\n"
              "    L = float(L_steps.sum(axis=1).mean())\n"),
         Edit("03_rnn_cell_backward",
              "    Waa, Wax = cache.parameters[\"Waa\"], cache.parameters[\"Wax\"]\n",
              "    p = cache.parameters\n    n_a = p[\"Waa\"].shape[0]\n"
              "    W = np.hstack([p[\"Waa\"], p[\"Wax\"]])  # (n_a, n_a + n_x)\n"
              "    concat = np.vstack([cache.a_prev, cache.xt])  # [a<t-1>; x<t>]\n"
              "    z = W @ concat + p[\"ba\"]\n"
              "    g_prime = 1 - np.tanh(z) ** 2 if cache.activation == \"tanh\" else (z > 0).astype(float)\n"
              "    dz = da_next * g_prime\n    dW, dconcat = dz @ concat.T, W.T @ dz\n"
              "    return {\"dxt\": dconcat[n_a:], \"da_prev\": dconcat[:n_a], \"dWax\": dW[:, n_a:], "
              "\"dWaa\": dW[:, :n_a], \"dba\": dz.sum(axis=1).reshape(-1, 1)}\n"),
         Edit("03_rnn_backward",
              "    n_a, m, T_x = da.shape\n",
              "    steps, carried = [None] * len(caches), np.zeros_like(da[:, :, 0])\n"
              "    for t in range(len(caches) - 1, -1, -1):\n"
              "        steps[t] = rnn_cell_backward(da[:, :, t] + carried, caches[t])\n"
              "        carried = steps[t][\"da_prev\"]\n"
              "    return {\"dx\": np.stack([s[\"dxt\"] for s in steps], axis=2), \"da0\": carried,\n"
              "            **{k: sum(s[k] for s in steps) for k in (\"dWax\", \"dWaa\", \"dba\")}}\n"),
         Edit("03_gradient_norms",
              "    norms = [np.linalg.norm(da_last)]\n",
              "    ds = [da_last]\n    for cache in caches[:0:-1]:\n"
              "        ds.append(rnn_cell_backward(ds[-1], cache)[\"da_prev\"])\n"
              "    return np.array([np.sqrt((d**2).sum()) for d in ds])\n"),
         Edit("03_clip_by_value",
              "np.clip(value, -max_value, max_value)", "np.minimum(np.maximum(value, -max_value), max_value)"),
         Edit("03_clip_by_norm",
              "    norm = float(np.sqrt(sum(np.sum(value**2) for value in gradients.values())))\n",
              "    norm = float(np.linalg.norm(np.concatenate([g.ravel() for g in gradients.values()])))\n"
              "    if norm <= max_norm:\n        return {k: v.copy() for k, v in gradients.items()}, norm\n"
              "    return {k: v * (max_norm / norm) for k, v in gradients.items()}, norm\n"),
         Edit("03_train",
              "        for key in PARAMETER_KEYS:\n"
              "            parameters[key] = parameters[key] - learning_rate * gradients[\"d\" + key]\n",
              "        parameters = {k: v - learning_rate * gradients[\"d\" + k] for k, v in parameters.items()}\n")),
    ),
    # ---- added: more typical mistakes
    Variant(
        "output_error_sign_flipped",
        (Edit("03_loss_and_gradients", "dz = (y_hat - y) / m", "dz = (y - y_hat) / m"),),
        MODEL,
    ),
    Variant(
        "m_read_from_the_time_axis",
        (Edit("03_loss_and_gradients", "m = x.shape[1]", "m = x.shape[2]"),),
        MODEL,
    ),
    Variant(
        "norms_squared",
        (Edit("03_gradient_norms", "        norms.append(np.linalg.norm(da_t))\n",
              "        norms.append(np.sum(da_t**2))\n"),
         Edit("03_gradient_norms", "norms = [np.linalg.norm(da_last)]", "norms = [np.sum(da_last**2)]")),
        NORMS,
    ),
    Variant(
        "norms_with_the_previous_cache",  # caches[t - 1] for the step that produced a<t>
        (Edit("03_gradient_norms", "rnn_cell_backward(da_t, caches[t])", "rnn_cell_backward(da_t, caches[t - 1])"),),
        NORMS,
    ),
    Variant(
        "clip_by_value_upper_bound_only",
        (Edit("03_clip_by_value", "np.clip(value, -max_value, max_value)", "np.minimum(value, max_value)"),),
        BY_VALUE,
    ),
    Variant(
        "clip_by_value_bounds_reversed",
        (Edit("03_clip_by_value", "np.clip(value, -max_value, max_value)", "np.clip(value, max_value, -max_value)"),),
        BY_VALUE,
    ),
    Variant(
        "clip_by_norm_squared_norm",  # the square root is forgotten
        (Edit("03_clip_by_norm", "norm = float(np.sqrt(sum(np.sum(value**2) for value in gradients.values())))",
              "norm = float(sum(np.sum(value**2) for value in gradients.values()))"),),
        BY_NORM,
    ),
    Variant(
        "train_clip_result_not_unpacked",  # clip_by_norm returns (clipped, norm)
        (Edit("03_train", "gradients, _ = clip_by_norm(gradients, max_norm)",
              "gradients = clip_by_norm(gradients, max_norm)"),),
        TRAIN,
    ),
    Variant(
        "train_output_layer_not_updated",
        (Edit("03_train", "for key in PARAMETER_KEYS:", "for key in (\"Waa\", \"Wax\", \"ba\"):"),),
        TRAIN,
    ),
    # Correct, written differently: the model's gradients picked by a comprehension, m from y.
    Variant(
        "loss_and_gradients_written_differently",
        (Edit("03_loss_and_gradients",
              "    _, L = rnn_loss(y_hat, y)\n    m = x.shape[1]\n    dz = (y_hat - y) / m  # (n_y, m, T_y)\n",
              "    L = rnn_loss(y_hat, y)[1]\n    dz = (y_hat - y) / y.shape[1]\n"),
         Edit("03_loss_and_gradients",
              "    gradients = {\"dWaa\": hidden[\"dWaa\"], \"dWax\": hidden[\"dWax\"], \"dba\": hidden[\"dba\"], "
              "\"dWya\": dWya, \"dby\": dby}\n",
              "    gradients = {k: v for k, v in hidden.items() if k not in (\"dx\", \"da0\")}\n"
              "    gradients.update(dWya=dWya, dby=dby)\n")),
    ),
]
