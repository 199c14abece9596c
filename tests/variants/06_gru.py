"""Submissions made from the 06_gru solution: typical mistakes and correct alternatives."""

from course_harness import Edit, Variant

SWAP = ("c_next = gamma_u * c_tilde + (1 - gamma_u) * c_prev", "c_next = (1 - gamma_u) * c_tilde + gamma_u * c_prev")

VARIANTS = [
    # Γu and 1 − Γu swapped: the gate weighs the OLD memory (PyTorch's z, taken for the lecture's Γu).
    Variant("simplified_gates_swapped", (Edit("06_gru_simplified_cell_forward", *SWAP),),
            frozenset({"06_gru_simplified_cell_forward_tests"})),
    Variant("full_gates_swapped", (Edit("06_gru_cell_forward", *SWAP),), frozenset({"06_gru_cell_forward_tests"})),
    # Γr left out of the candidate: c~<t> = tanh(Wc [c<t-1>; x<t>] + bc).
    Variant(
        "relevance_left_out",
        (Edit("06_gru_cell_forward", "np.tanh(parameters[\"Wc\"] @ concat_r + parameters[\"bc\"])",
              "np.tanh(parameters[\"Wc\"] @ concat + parameters[\"bc\"])"),),
        frozenset({"06_gru_cell_forward_tests"}),
    ),
    # [x<t>; c<t-1>] in place of [c<t-1>; x<t>].
    Variant(
        "input_first_simplified",
        (Edit("06_gru_simplified_cell_forward", "np.concatenate([c_prev, xt], axis=0)",
              "np.concatenate([xt, c_prev], axis=0)"),),
        frozenset({"06_gru_simplified_cell_forward_tests"}),
    ),
    Variant(
        "input_first_full",
        (Edit("06_gru_cell_forward", "np.concatenate([c_prev, xt], axis=0)", "np.concatenate([xt, c_prev], axis=0)"),
         Edit("06_gru_cell_forward", "np.concatenate([gamma_r * c_prev, xt], axis=0)",
              "np.concatenate([xt, gamma_r * c_prev], axis=0)")),
        frozenset({"06_gru_cell_forward_tests"}),
    ),
    # The candidate reads [Γr * c<t-1>; x<t>] but the gates read [x<t>; c<t-1>]: only half the order is wrong.
    Variant(
        "input_first_in_gates_only",
        (Edit("06_gru_cell_forward", "np.concatenate([c_prev, xt], axis=0)", "np.concatenate([xt, c_prev], axis=0)"),),
        frozenset({"06_gru_cell_forward_tests"}),
    ),
    # The forward loop never feeds c<t> forward.
    Variant(
        "forward_state_not_carried",
        (Edit("06_gru_forward", "gru_cell_forward(x[:, :, t], c_next, parameters)",
              "gru_cell_forward(x[:, :, t], c0, parameters)"),),
        frozenset({"06_gru_forward_tests"}),
    ),
    # Backward of one step: the direct path (1 − Γu) * dc_next to c<t-1> forgotten.
    Variant(
        "backward_no_direct_path",
        (Edit("06_gru_cell_backward", "dc_prev = dc_next * (1 - gamma_u) + dconcat_r[:n_a] * gamma_r",
              "dc_prev = dconcat_r[:n_a] * gamma_r"),),
        frozenset({"06_gru_cell_backward_tests"}),
    ),
    # Backward of one step: dWc from [c<t-1>; x<t>] instead of [Γr * c<t-1>; x<t>].
    Variant(
        "backward_dWc_from_concat",
        (Edit("06_gru_cell_backward", "\"dWc\": dz_c @ cache.concat_r.T", "\"dWc\": dz_c @ cache.concat.T"),),
        frozenset({"06_gru_cell_backward_tests"}),
    ),
    # Backward of one step: the factor Γr on the way from Γr * c<t-1> to c<t-1> forgotten.
    Variant(
        "backward_no_gamma_r_factor",
        (Edit("06_gru_cell_backward", "dconcat_r[:n_a] * gamma_r + dconcat[:n_a]", "dconcat_r[:n_a] + dconcat[:n_a]"),),
        frozenset({"06_gru_cell_backward_tests"}),
    ),
    # BPTT: dc not carried to the previous step.
    Variant(
        "bptt_dc_not_carried",
        (Edit("06_gru_backward", "gru_cell_backward(dc[:, :, t] + dc_prev, caches[t])",
              "gru_cell_backward(dc[:, :, t], caches[t])"),),
        frozenset({"06_gru_backward_tests"}),
    ),
    # BPTT: the weight gradients of the last step only (overwritten instead of summed).
    Variant(
        "bptt_weights_not_summed",
        (Edit("06_gru_backward", "grads[key] += step[key]", "grads[key] = step[key]"),),
        frozenset({"06_gru_backward_tests"}),
    ),
    # Retention: the product includes the step's own 1 − Γu<t>.
    Variant(
        "retention_off_by_one",
        (Edit("06_memory_retention", "r[:, :, t] = r[:, :, t + 1] * keep[:, :, t + 1]",
              "r[:, :, t] = r[:, :, t + 1] * keep[:, :, t]"),),
        frozenset({"06_memory_retention_tests"}),
    ),
    # Calls rnnkit's reference instead of writing the cell.
    Variant(
        "calls_reference_cell",
        (Edit("06_gru_cell_forward", "    concat = np.concatenate([c_prev, xt], axis=0)",
              "    import rnnkit\n    return rnnkit.gru_cell_forward(xt, c_prev, parameters)\n"
              "    concat = np.concatenate([c_prev, xt], axis=0)"),),
        frozenset({"06_gru_cell_forward_tests"}),
    ),
    # Correct, written differently: split weights instead of concatenation, an explicit cumulative product,
    # a BPTT loop that carries the gradient in a separate variable, and a cache built by keyword.
    Variant(
        "split_weights_alternative",
        (Edit("06_gru_simplified_cell_forward",
              "    concat = np.concatenate([c_prev, xt], axis=0)  # [c<t-1>; x<t>], (n_a + n_x, m)\n"
              "    gamma_u = sigmoid(parameters[\"Wu\"] @ concat + parameters[\"bu\"])\n"
              "    c_tilde = np.tanh(parameters[\"Wc\"] @ concat + parameters[\"bc\"])\n",
              "    n_a = c_prev.shape[0]\n    Wu, Wc = parameters[\"Wu\"], parameters[\"Wc\"]\n"
              "    gamma_u = 1 / (1 + np.exp(-(Wu[:, :n_a] @ c_prev + Wu[:, n_a:] @ xt + parameters[\"bu\"])))\n"
              "    c_tilde = np.tanh(Wc[:, :n_a] @ c_prev + Wc[:, n_a:] @ xt + parameters[\"bc\"])\n"),
         Edit("06_gru_cell_forward",
              "    c_tilde = np.tanh(parameters[\"Wc\"] @ concat_r + parameters[\"bc\"])\n",
              "    n_a = c_prev.shape[0]\n    Wc = parameters[\"Wc\"]\n"
              "    c_tilde = np.tanh(Wc[:, :n_a] @ (gamma_r * c_prev) + Wc[:, n_a:] @ xt + parameters[\"bc\"])\n"),
         Edit("06_gru_cell_forward",
              "    cache = GRUCache(c_next, c_prev, xt, concat, concat_r, gamma_u, gamma_r, c_tilde, parameters, "
              "False)\n",
              "    cache = GRUCache(c_next=c_next, c_prev=c_prev, xt=xt, concat=concat, concat_r=concat_r,\n"
              "                     gamma_u=gamma_u, gamma_r=gamma_r, c_tilde=c_tilde, parameters=parameters,\n"
              "                     simplified=False)\n"),
         Edit("06_gru_backward",
              "    for t in reversed(range(T_x)):\n"
              "        step = gru_cell_backward(dc[:, :, t] + dc_prev, caches[t])\n",
              "    for t in range(T_x - 1, -1, -1):\n        total = dc[:, :, t] + dc_prev\n"
              "        step = gru_cell_backward(total, caches[t])\n"),
         Edit("06_memory_retention",
              "    keep = 1 - gamma_u\n    r = np.ones_like(gamma_u, dtype=float)\n"
              "    for t in range(gamma_u.shape[2] - 2, -1, -1):\n"
              "        r[:, :, t] = r[:, :, t + 1] * keep[:, :, t + 1]\n"
              "    return r",
              "    later = np.concatenate([1 - gamma_u[:, :, 1:], np.ones_like(gamma_u[:, :, :1])], axis=2)\n"
              "    return np.cumprod(later[:, :, ::-1], axis=2)[:, :, ::-1]")),
    ),
]

# Further typical mistakes, so that every test cell is broken by at least three, and further correct
# alternatives, so that every answer cell is rewritten by at least one.
VARIANTS += [
    # The update gate squashed with tanh instead of the sigmoid.
    Variant(
        "simplified_gate_with_tanh",
        (Edit("06_gru_simplified_cell_forward", "gamma_u = sigmoid(parameters[\"Wu\"] @ concat + parameters[\"bu\"])",
              "gamma_u = np.tanh(parameters[\"Wu\"] @ concat + parameters[\"bu\"])"),),
        frozenset({"06_gru_simplified_cell_forward_tests"}),
    ),
    # Off by one: c[:, :, t] stores c<t-1>, the state the step started from.
    Variant(
        "forward_stores_the_previous_state",
        (Edit("06_gru_forward",
              "        c_next, yt_pred, cache = gru_cell_forward(x[:, :, t], c_next, parameters)\n"
              "        c[:, :, t] = c_next\n",
              "        c[:, :, t] = c_next\n"
              "        c_next, yt_pred, cache = gru_cell_forward(x[:, :, t], c_next, parameters)\n"),),
        frozenset({"06_gru_forward_tests"}),
    ),
    # x<t> sliced on the examples axis instead of the time axis.
    Variant(
        "forward_x_sliced_on_the_wrong_axis",
        (Edit("06_gru_forward", "gru_cell_forward(x[:, :, t], c_next, parameters)",
              "gru_cell_forward(x[:, t, :], c_next, parameters)"),),
        frozenset({"06_gru_forward_tests"}),
    ),
    # BPTT run forward in time: dc_prev is carried to the wrong neighbour.
    Variant(
        "bptt_forward_in_time",
        (Edit("06_gru_backward", "    for t in reversed(range(T_x)):\n", "    for t in range(T_x):\n"),),
        frozenset({"06_gru_backward_tests"}),
    ),
    # Retention as a product of Γu (the gate that WRITES) instead of 1 − Γu.
    Variant(
        "retention_product_of_gamma_u",
        (Edit("06_memory_retention", "    keep = 1 - gamma_u\n", "    keep = gamma_u\n"),),
        frozenset({"06_memory_retention_tests"}),
    ),
    # Retention accumulated forward in time (the earlier steps) instead of over the later ones.
    Variant(
        "retention_cumprod_forward",
        (Edit("06_memory_retention",
              "    r = np.ones_like(gamma_u, dtype=float)\n"
              "    for t in range(gamma_u.shape[2] - 2, -1, -1):\n"
              "        r[:, :, t] = r[:, :, t + 1] * keep[:, :, t + 1]\n    return r",
              "    return np.cumprod(keep, axis=2)"),),
        frozenset({"06_memory_retention_tests"}),
    ),
    # Correct, written differently: the forward loop over np.moveaxis with lists stacked at the end;
    # the step's backward with stacked gate weights, np.sum and einsum.
    Variant(
        "stacked_lists_alternative",
        (Edit("06_gru_forward",
              "    c = np.zeros((n_a, m, T_x))\n    y_pred = np.zeros((n_y, m, T_x))\n    caches = []\n"
              "    c_next = c0\n    for t in range(T_x):\n"
              "        c_next, yt_pred, cache = gru_cell_forward(x[:, :, t], c_next, parameters)\n"
              "        c[:, :, t] = c_next\n        y_pred[:, :, t] = yt_pred\n        caches.append(cache)\n"
              "    return c, y_pred, caches",
              "    cs, ys, caches = [], [], []\n    c_t = c0\n    for xt in np.moveaxis(x, 2, 0):\n"
              "        c_t, y_t, cache = gru_cell_forward(xt, c_t, parameters)\n"
              "        cs.append(c_t)\n        ys.append(y_t)\n        caches.append(cache)\n"
              "    return np.stack(cs, axis=2), np.stack(ys, axis=2), caches"),
         Edit("06_gru_cell_backward", "    dconcat = p[\"Wu\"].T @ dz_u + p[\"Wr\"].T @ dz_r",
              "    dconcat = np.vstack([p[\"Wu\"], p[\"Wr\"]]).T @ np.vstack([dz_u, dz_r])"),
         Edit("06_gru_cell_backward", "\"dbu\": dz_u.sum(axis=1, keepdims=True)",
              "\"dbu\": np.sum(dz_u, axis=1)[:, np.newaxis]"),
         Edit("06_gru_cell_backward", "\"dWc\": dz_c @ cache.concat_r.T",
              "\"dWc\": np.einsum(\"im,jm->ij\", dz_c, cache.concat_r)")),
    ),
]

# Caught only by the hidden cases (every field of the cache, and rnnkit's backward run on it).
VARIANTS += [
    # The cache stores [c<t-1>; x<t>] where [Γr * c<t-1>; x<t>] belongs: the outputs are right, the cache is not.
    Variant(
        "cache_concat_r_is_concat",
        (Edit("06_gru_cell_forward", "GRUCache(c_next, c_prev, xt, concat, concat_r,",
              "GRUCache(c_next, c_prev, xt, concat, concat,"),),
        frozenset({"06_gru_cell_forward_tests"}),
    ),
]
