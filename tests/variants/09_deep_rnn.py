"""Submissions made from the 09_deep_rnn solution: typical mistakes and correct alternatives."""

from course_harness import Edit, Variant

COUNT = frozenset({"09_count_parameters_tests"})
FORWARD = frozenset({"09_deep_rnn_forward_tests"})
BACKWARD = frozenset({"09_deep_rnn_backward_tests"})
LOSS = frozenset({"09_deep_loss_and_gradients_tests"})
WIDTH = frozenset({"09_matching_width_tests"})

CELL = "rnn_cell_forward(below, a_next[l - 1], layers[l - 1])"
FORWARD_BODY = """\
    if a0 is None:
        a0 = [np.zeros((layer["Waa"].shape[0], m)) for layer in layers]
    a = [np.zeros((layer["Waa"].shape[0], m, T_x)) for layer in layers]  # a[l - 1] holds a[l]
    layer_caches = [[] for _ in range(L)]
    a_next = list(a0)  # a_next[l - 1] = a[l]<t-1>, then a[l]<t>
    for t in range(T_x):
        below = x[:, :, t]  # a[0]<t> = x<t>, (n_x, m)
        for l in range(1, L + 1):
            a_next[l - 1], _, cache = rnn_cell_forward(below, a_next[l - 1], layers[l - 1])  # a[l]<t>
            a[l - 1][:, :, t] = a_next[l - 1]
            layer_caches[l - 1].append(cache)
            below = a_next[l - 1]  # a[l]<t> is the input of layer l + 1
    y_pred = output_forward(a[-1], parameters["Wy"], parameters["by"]) if "Wy" in parameters else None
"""
CARRY_DOWN = "        da_l = g[\"dx\"]  # ∂L/∂a[l-1]<t>, (n_a[l-1], m, T_x): the upstream gradient of layer l - 1\n"

VARIANTS = [
    # ---- counting
    Variant(
        "count_without_biases",
        (Edit("09_count_parameters", " + widths[l]  # Waa[l], Wax[l], ba[l]", "  # Waa[l], Wax[l]"),
         Edit("09_count_parameters", "total += n_y * widths[-1] + n_y  # Wy, by", "total += n_y * widths[-1]  # Wy")),
        COUNT,
    ),
    Variant(
        "count_every_wax_reads_x",  # Wax[l] taken as (n_a[l], n_x) in every layer
        (Edit("09_count_parameters", "widths[l] * widths[l - 1]", "widths[l] * n_x"),),
        COUNT,
    ),
    # ---- the forward pass
    Variant(
        "layer_fed_its_own_state",  # layer l fed a[l]<t-1> in place of a[l-1]<t>: wrong values or a shape error
        (Edit("09_deep_rnn_forward", CELL, "rnn_cell_forward(a_next[l - 1], a_next[l - 1], layers[l - 1])"),),
        FORWARD,
    ),
    Variant(
        "every_layer_reads_x",  # the input is not passed up the stack
        (Edit("09_deep_rnn_forward", "            below = a_next[l - 1]  # a[l]<t> is the input of layer l + 1\n",
              ""),),
        FORWARD,
    ),
    Variant(
        "a0_ignored",
        (Edit("09_deep_rnn_forward", "    if a0 is None:\n", "    if True:  # a0 ignored\n"),),
        FORWARD,
    ),
    Variant(
        "output_from_the_first_layer",
        (Edit("09_deep_rnn_forward", "output_forward(a[-1], ", "output_forward(a[0], "),),
        FORWARD,
    ),
    Variant(
        "forward_calls_the_reference",  # right numbers, so the visible checks pass; the hidden test sees the call
        (Edit("09_deep_rnn_forward", "    if a0 is None:\n",
              "    return rnnkit.deep_rnn_forward(x, a0, parameters)\n    if a0 is None:\n"),),
        FORWARD,
    ),
    # ---- the backward pass
    Variant(
        "gradient_into_lower_layer_dropped",  # layer l - 1 gets no upstream gradient from layer l
        (Edit("09_deep_rnn_backward", CARRY_DOWN, "        da_l = np.zeros_like(g[\"dx\"])\n"),),
        BACKWARD,
    ),
    Variant(
        "every_layer_gets_the_top_da",  # wrong values with equal widths, a shape error otherwise
        (Edit("09_deep_rnn_backward", "g = rnn_backward(da_l, caches.layer_caches[l - 1])",
              "g = rnn_backward(da, caches.layer_caches[l - 1])"),),
        BACKWARD,
    ),
    Variant(
        "da0_of_the_top_layer_only",
        (Edit("09_deep_rnn_backward", "    return {\"layers\": layers, \"dx\": da_l, \"da0\": da0}",
              "    return {\"layers\": layers, \"dx\": da_l, \"da0\": [da0[-1]] * L}"),),
        BACKWARD,
    ),
    Variant(
        "backward_calls_the_reference",
        (Edit("09_deep_rnn_backward", "    L = len(caches.layer_caches)\n",
              "    return rnnkit.deep_rnn_backward(da, caches)\n"),),
        BACKWARD,
    ),
    # ---- the whole model
    Variant(
        "output_error_not_divided_by_m",
        (Edit("09_deep_loss_and_gradients", "dz = cross_entropy_grad(y_hat, y, mask)",
              "dz = (y_hat - y) * (1.0 if mask is None else mask)"),),
        LOSS,
    ),
    Variant(
        "hidden_layers_get_no_gradient",  # the output's gradient on a[L] never sent down the stack
        (Edit("09_deep_loss_and_gradients", "hidden = deep_rnn_backward(da_top, caches)",
              "hidden = deep_rnn_backward(np.zeros_like(da_top), caches)"),),
        LOSS,
    ),
    # ---- the budget
    Variant(
        "width_always_rounded_down",  # the largest w within the budget, even when w + 1 is closer
        (Edit("09_matching_width",
              "    if abs(count([w + 1] * L) - budget) < abs(count([w] * L) - budget):\n        return w + 1\n", ""),),
        WIDTH,
    ),
    Variant(
        "width_ties_to_the_larger",
        (Edit("09_matching_width", "abs(count([w + 1] * L) - budget) < abs(",
              "abs(count([w + 1] * L) - budget) <= abs("),),
        WIDTH,
    ),
    # Fools the visible checks by rebinding what they use; the hidden tests must not be fooled.
    Variant(
        "monkeypatch_checks",
        (Edit("09_deep_rnn_backward", CARRY_DOWN, "        da_l = np.zeros_like(g[\"dx\"])\n"),
         Edit("09_deep_rnn_backward", "    return {\"layers\": layers, \"dx\": da_l, \"da0\": da0}\n",
              "    return {\"layers\": layers, \"dx\": da_l, \"da0\": da0}\n\n\n"
              "import rnnkit.testing\n"
              "np.testing.assert_allclose = lambda *a, **k: None\n"
              "vars(rnnkit.testing)['check_close'] = lambda *a, **k: None  # around the module's guard\n"
              "check_equal = check_close = check_shape = check_type = lambda *a, **k: None\n"
              "sealed = lambda: rnnkit.testing\n")),
        BACKWARD,
    ),
    # Correct, written differently: layer by layer with rnn_forward, a closed loop over the count, the
    # backward pass with Python's 0-based layer index, the output error by hand, a linear scan of widths.
    Variant(
        "correct_alternative",
        (Edit("09_count_parameters",
              "    widths = [n_x] + list(n_as)  # [n_a[0] = n_x, n_a[1], ..., n_a[L]]\n"
              "    total = 0\n"
              "    for l in range(1, len(widths)):\n"
              "        total += widths[l] * widths[l] + widths[l] * widths[l - 1] + widths[l]"
              "  # Waa[l], Wax[l], ba[l]\n"
              "    total += n_y * widths[-1] + n_y  # Wy, by\n"
              "    return int(total)\n",
              "    below = [n_x, *n_as][:-1]\n"
              "    hidden = sum(n * (n + b + 1) for n, b in zip(n_as, below))\n"
              "    return hidden + n_y * (list(n_as)[-1] + 1)\n"),
         Edit("09_deep_rnn_forward", FORWARD_BODY,
              "    a, layer_caches, below = [], [], x\n"
              "    for i, layer in enumerate(layers):  # layer i + 1 runs over the whole sequence\n"
              "        start = np.zeros((layer[\"Waa\"].shape[0], m)) if a0 is None else a0[i]\n"
              "        states, _, steps = rnn_forward(below, start, layer)\n"
              "        a.append(states)\n"
              "        layer_caches.append(steps)\n"
              "        below = states\n"
              "    Wy, by = parameters.get(\"Wy\"), parameters.get(\"by\")\n"
              "    y_pred = None if Wy is None else output_forward(below, Wy, by)\n"),
         Edit("09_deep_rnn_backward",
              "    L = len(caches.layer_caches)\n",
              "    upstream, out = da, []\n"
              "    for steps in caches.layer_caches[::-1]:\n"
              "        g = rnn_backward(upstream, steps)\n"
              "        out.insert(0, g)\n"
              "        upstream = g[\"dx\"]\n"
              "    return {\"layers\": [{k: g[k] for k in (\"dWaa\", \"dWax\", \"dba\")} for g in out],\n"
              "            \"dx\": upstream, \"da0\": [g[\"da0\"] for g in out]}\n"),
         Edit("09_deep_loss_and_gradients",
              "    dz = cross_entropy_grad(y_hat, y, mask)  # (n_y, m, T_x)\n",
              "    m = x.shape[1]\n"
              "    dz = (y_hat - y) * (np.ones((m, x.shape[2])) if mask is None else mask)[None] / m\n"),
         Edit("09_matching_width",
              "    w = 1\n",
              "    best = min(range(1, 1000), key=lambda w: (abs(count([w] * L) - budget), w))\n"
              "    return best\n"
              "    w = 1\n")),
    ),
]

VARIANTS += [
    # ---- counting
    Variant(
        "count_without_output_layer",
        (Edit("09_count_parameters", "    total += n_y * widths[-1] + n_y  # Wy, by\n", ""),),
        COUNT,
    ),
    Variant(
        "count_wax_square",  # Wax[l] taken as (n_a[l], n_a[l]), like Waa[l]
        (Edit("09_count_parameters", "widths[l] * widths[l - 1]", "widths[l] * widths[l]"),),
        COUNT,
    ),
    # ---- the whole model
    Variant(
        "gradient_mask_forgotten",  # the loss masked, its gradient not: padding steps send gradients
        (Edit("09_deep_loss_and_gradients", "dz = cross_entropy_grad(y_hat, y, mask)",
              "dz = cross_entropy_grad(y_hat, y)"),),
        LOSS,
    ),
    Variant(
        "output_backward_on_first_layer",
        (Edit("09_deep_loss_and_gradients", "output_backward(dz, a[-1], ", "output_backward(dz, a[0], "),),
        LOSS,
    ),
    # ---- the budget
    Variant(
        "width_starts_at_zero",  # the scan starts at w = 0, which may be returned
        (Edit("09_matching_width", "    w = 1\n", "    w = 0\n"),),
        WIDTH,
    ),
    Variant(
        "width_counts_one_layer",  # count([w]) in place of count([w] * L): the budget of a single layer
        (Edit("09_matching_width", "] * L", "]"),),
        WIDTH,
    ),
]

VARIANTS += [
    # The count taken from the public stand-in of matching_width's check: the grader flags it for review.
    Variant(
        "count_calls_the_standin",
        (Edit("09_count_parameters", "    widths = [n_x] + list(n_as)",
              "    from rnnkit.standins import deep_rnn_parameter_count\n"
              "    return deep_rnn_parameter_count(n_x, n_y)(n_as)\n"
              "    widths = [n_x] + list(n_as)"),),
        COUNT,
    ),
]
