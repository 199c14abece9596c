"""Submissions made from the 07_lstm solution: typical mistakes and correct alternatives."""

from course_harness import Edit, Variant

FORWARD = "07_lstm_cell_forward_tests"
SEQUENCE = "07_lstm_forward_tests"
CELL_BACKWARD = "07_lstm_cell_backward_tests"
BACKWARD = "07_lstm_backward_tests"
NUMERIC = "07_numerical_dc_dc_prev_tests"
PYTORCH = "07_to_pytorch_lstm_tests"

VARIANTS = [
    # The lecture slide's a<t> = Γo * c<t>, without the tanh.
    Variant(
        "a_without_tanh",
        (Edit("07_lstm_cell_forward", "a_next = gamma_o * tanh_c_next", "a_next = gamma_o * c_next"),),
        frozenset({FORWARD}),
    ),
    # [x<t>; a<t-1>] in place of [a<t-1>; x<t>].
    Variant(
        "concat_x_first",
        (Edit("07_lstm_cell_forward", "np.concatenate([a_prev, xt], axis=0)", "np.concatenate([xt, a_prev], axis=0)"),),
        frozenset({FORWARD}),
    ),
    # The forget gate multiplies the candidate and the update gate the old memory.
    Variant(
        "gates_swapped_in_c",
        (Edit("07_lstm_cell_forward", "c_next = gamma_u * c_tilde + gamma_f * c_prev",
              "c_next = gamma_f * c_tilde + gamma_u * c_prev"),),
        frozenset({FORWARD}),
    ),
    # The memory cell is not carried: every step starts from c<t-1> = 0.
    Variant(
        "forward_c_not_carried",
        (Edit("07_lstm_forward", "lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)",
              "lstm_cell_forward(x[:, :, t], a_next, np.zeros((n_a, m)), parameters)"),),
        frozenset({SEQUENCE}),
    ),
    # The forget gate's gradient dropped from the gradient of [a<t-1>; x<t>].
    Variant(
        "forget_gate_gradient_dropped",
        (Edit("07_lstm_cell_backward", 'dconcat = p["Wf"].T @ dz_f + p["Wu"].T @ dz_u',
              'dconcat = p["Wu"].T @ dz_u'),),
        frozenset({CELL_BACKWARD}),
    ),
    # The forget gate's gradient dropped from its own weights (dWf, dbf = 0).
    Variant(
        "forget_gate_weights_not_updated",
        (Edit("07_lstm_cell_backward", "dz_f = dc * cache.c_prev * cache.gamma_f * (1 - cache.gamma_f)",
              "dz_f = 0 * dc"),),
        frozenset({CELL_BACKWARD}),
    ),
    # dc_prev = dc, without the factor Γf.
    Variant(
        "dc_prev_without_gamma_f",
        (Edit("07_lstm_cell_backward", '"dc_prev": dc * cache.gamma_f', '"dc_prev": dc'),),
        frozenset({CELL_BACKWARD}),
    ),
    # dc forgets the path through a<t> (only dc_next).
    Variant(
        "dc_without_a_path",
        (Edit("07_lstm_cell_backward", "dc = dc_next + da_next * cache.gamma_o * (1 - cache.tanh_c_next ** 2)",
              "dc = dc_next"),),
        frozenset({CELL_BACKWARD}),
    ),
    # The cell backward handed to the library's reference: the hidden test must notice.
    Variant(
        "cell_backward_calls_reference",
        (Edit("07_lstm_cell_backward", "    n_a = cache.a_next.shape[0]\n",
              "    return rnnkit.lstm_cell_backward(da_next, dc_next, cache)\n    n_a = cache.a_next.shape[0]\n"),),
        frozenset({CELL_BACKWARD}),
    ),
    # dc not carried to the previous step in backpropagation through time.
    Variant(
        "dc_not_carried",
        (Edit("07_lstm_backward", "lstm_cell_backward(da[:, :, t] + da_prev, dc_prev, caches[t])",
              "lstm_cell_backward(da[:, :, t] + da_prev, np.zeros((n_a, m)), caches[t])"),),
        frozenset({BACKWARD}),
    ),
    # da_prev not carried: only the output's gradient reaches each step.
    Variant(
        "da_not_carried",
        (Edit("07_lstm_backward", "lstm_cell_backward(da[:, :, t] + da_prev, dc_prev, caches[t])",
              "lstm_cell_backward(da[:, :, t], dc_prev, caches[t])"),),
        frozenset({BACKWARD}),
    ),
    # The centred difference divided by eps instead of 2 eps: 2 Γf.
    Variant(
        "numeric_divides_by_eps",
        (Edit("07_numerical_dc_dc_prev", "/ (2 * eps)", "/ eps"),),
        frozenset({NUMERIC}),
    ),
    # The derivative of a<t> (the first result) instead of c<t>.
    Variant(
        "numeric_reads_a",
        (Edit("07_numerical_dc_dc_prev", "c_next_plus = cell_forward(xt, a_prev, c_plus, parameters)[1]",
              "c_next_plus = cell_forward(xt, a_prev, c_plus, parameters)[0]"),
         Edit("07_numerical_dc_dc_prev", "c_next_minus = cell_forward(xt, a_prev, c_minus, parameters)[1]",
              "c_next_minus = cell_forward(xt, a_prev, c_minus, parameters)[0]")),
        frozenset({NUMERIC}),
    ),
    # Returns Γf from the cache instead of measuring it: fails on a cell where ∂c<t>/∂c<t-1> is not Γf.
    Variant(
        "numeric_returns_gamma_f",
        (Edit("07_numerical_dc_dc_prev", "    n_a, m = c_prev.shape\n",
              "    return cell_forward(xt, a_prev, c_prev, parameters)[3].gamma_f\n    n_a, m = c_prev.shape\n"),),
        frozenset({NUMERIC}),
    ),
    # The gates stacked in rnnkit's key order f, u, o, c instead of PyTorch's i, f, g, o.
    Variant(
        "pytorch_wrong_gate_order",
        (Edit("07_to_pytorch_lstm", 'order = ("u", "f", "c", "o")', 'order = ("f", "u", "o", "c")'),),
        frozenset({PYTORCH}),
    ),
    # The x<t> columns taken from the start of W, as if the concatenation were [x<t>; a<t-1>].
    Variant(
        "pytorch_x_columns_first",
        (Edit("07_to_pytorch_lstm", '{"weight_ih_l0": W[:, n_a:], "weight_hh_l0": W[:, :n_a],',
              '{"weight_ih_l0": W[:, :W.shape[1] - n_a], "weight_hh_l0": W[:, W.shape[1] - n_a:],'),),
        frozenset({PYTORCH}),
    ),
    # Correct, written differently: one stacked product for the four gates; the sequence with lists and
    # np.stack; the backward with each gate's share of da_prev and dxt split before summing; the
    # derivative from all units perturbed at once (the Jacobian is diagonal); the biases in bias_hh_l0.
    Variant(
        "correct_alternative",
        (Edit("07_lstm_cell_forward",
              '''    gamma_f = sigmoid(parameters["Wf"] @ concat + parameters["bf"])  # (n_a, m)
    gamma_u = sigmoid(parameters["Wu"] @ concat + parameters["bu"])
    gamma_o = sigmoid(parameters["Wo"] @ concat + parameters["bo"])
    c_tilde = tanh(parameters["Wc"] @ concat + parameters["bc"])
''',
              '''    W = np.vstack([parameters["Wf"], parameters["Wu"], parameters["Wo"], parameters["Wc"]])
    b = np.vstack([parameters["bf"], parameters["bu"], parameters["bo"], parameters["bc"]])
    z = W @ concat + b  # (4 n_a, m)
    n_a = a_prev.shape[0]
    gamma_f, gamma_u, gamma_o = (1 / (1 + np.exp(-z[i * n_a:(i + 1) * n_a])) for i in range(3))
    c_tilde = np.tanh(z[3 * n_a:])
'''),
         Edit("07_lstm_forward",
              '''    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    n_y = parameters["Wy"].shape[0]
    a = np.zeros((n_a, m, T_x))
    c = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_next, c_next = a0, np.zeros((n_a, m))
    for t in range(T_x):
        a_next, c_next, yt_pred, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    return a, y_pred, c, caches''',
              '''    a_t, c_t = a0, 0 * a0
    steps = []
    for t in range(x.shape[2]):
        a_t, c_t, y_t, cache = lstm_cell_forward(x[..., t], a_t, c_t, parameters)
        steps.append((a_t, y_t, c_t, cache))
    a_list, y_list, c_list, caches = zip(*steps)
    return np.stack(a_list, axis=-1), np.stack(y_list, axis=-1), np.stack(c_list, axis=-1), list(caches)'''),
         Edit("07_lstm_cell_backward",
              '    dconcat = p["Wf"].T @ dz_f + p["Wu"].T @ dz_u + p["Wo"].T @ dz_o + p["Wc"].T @ dz_c'
              '  # (n_a + n_x, m)\n'
              '    gradients = {"dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc * cache.gamma_f}',
              '''    pairs = ((p["Wf"], dz_f), (p["Wu"], dz_u), (p["Wo"], dz_o), (p["Wc"], dz_c))
    da_prev = sum(W[:, :n_a].T @ dz for W, dz in pairs)
    dxt = sum(W[:, n_a:].T @ dz for W, dz in pairs)
    gradients = {"dxt": dxt, "da_prev": da_prev, "dc_prev": cache.gamma_f * dc}'''),
         Edit("07_numerical_dc_dc_prev",
              '''    n_a, m = c_prev.shape
    D = np.zeros((n_a, m))
    for j in range(n_a):
        c_plus, c_minus = c_prev.copy(), c_prev.copy()
        c_plus[j] += eps
        c_minus[j] -= eps
        c_next_plus = cell_forward(xt, a_prev, c_plus, parameters)[1]
        c_next_minus = cell_forward(xt, a_prev, c_minus, parameters)[1]
        D[j] = (c_next_plus[j] - c_next_minus[j]) / (2 * eps)
    return D''',
              '''    up = cell_forward(xt, a_prev, c_prev + eps, parameters)[1]
    down = cell_forward(xt, a_prev, c_prev - eps, parameters)[1]
    return (up - down) / (2 * eps)'''),
         Edit("07_to_pytorch_lstm",
              '"bias_ih_l0": b, "bias_hh_l0": np.zeros_like(b)}',
              '"bias_ih_l0": 0 * b, "bias_hh_l0": b.copy()}')),
    ),
]

VARIANTS += [
    # c<0> taken as a0 (the same start as a<0>) instead of zeros.
    Variant(
        "forward_c0_is_a0",
        (Edit("07_lstm_forward", "a_next, c_next = a0, np.zeros((n_a, m))", "a_next, c_next = a0, a0"),),
        frozenset({SEQUENCE}),
    ),
    # a<t-1> not carried: every step reads a0.
    Variant(
        "forward_a_not_carried",
        (Edit("07_lstm_forward", "lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)",
              "lstm_cell_forward(x[:, :, t], a0, c_next, parameters)"),),
        frozenset({SEQUENCE}),
    ),
    # The weight gradients of each step overwrite the previous ones instead of being summed over time.
    Variant(
        "backward_gradients_overwritten",
        (Edit("07_lstm_backward", "gradients[key] += step[key]", "gradients[key] = step[key]"),),
        frozenset({BACKWARD}),
    ),
    # BPTT run from t = 1 to T_x instead of backwards in time.
    Variant(
        "backward_in_forward_time_order",
        (Edit("07_lstm_backward", "for t in reversed(range(T_x)):", "for t in range(T_x):"),),
        frozenset({BACKWARD}),
    ),
    # The biases put in both bias_ih_l0 and bias_hh_l0: PyTorch adds them, so 2 b.
    Variant(
        "pytorch_bias_in_both",
        (Edit("07_to_pytorch_lstm", '"bias_hh_l0": np.zeros_like(b)}', '"bias_hh_l0": b}'),),
        frozenset({PYTORCH}),
    ),
    # weight_ih_l0 and weight_hh_l0 swapped: the a<t-1> columns given to the input.
    Variant(
        "pytorch_ih_hh_swapped",
        (Edit("07_to_pytorch_lstm", '{"weight_ih_l0": W[:, n_a:], "weight_hh_l0": W[:, :n_a],',
              '{"weight_ih_l0": W[:, :n_a], "weight_hh_l0": W[:, n_a:],'),),
        frozenset({PYTORCH}),
    ),
    # The biases kept as (4 n_a, 1) columns: PyTorch's are 1-d.
    Variant(
        "pytorch_bias_column",
        (Edit("07_to_pytorch_lstm", "for g in order], axis=0).reshape(-1)", "for g in order], axis=0)"),),
        frozenset({PYTORCH}),
    ),
    # Correct, written differently: BPTT with an explicit index loop, the weight gradients accumulated
    # with dict.get and dx stacked from a list; the biases split half and half between PyTorch's two vectors.
    Variant(
        "correct_alternative_2",
        (Edit("07_lstm_backward",
              """    n_a, m, T_x = da.shape
    n_x = caches[0].xt.shape[0]
    p = caches[0].parameters
    gradients = {"d" + k: np.zeros_like(p[k]) for k in ("Wf", "bf", "Wu", "bu", "Wo", "bo", "Wc", "bc")}
    dx = np.zeros((n_x, m, T_x))
    da_prev = np.zeros((n_a, m))
    dc_prev = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        step = lstm_cell_backward(da[:, :, t] + da_prev, dc_prev, caches[t])
        dx[:, :, t] = step["dxt"]
        da_prev, dc_prev = step["da_prev"], step["dc_prev"]
        for key in gradients:
            gradients[key] += step[key]
    gradients.update(dx=dx, da0=da_prev, dc0=dc_prev)
    return gradients""",
              """    grads, dx_steps = {}, []
    da_next = np.zeros_like(da[:, :, 0])
    dc_next = np.zeros_like(da_next)
    for t in range(da.shape[2] - 1, -1, -1):
        step = lstm_cell_backward(da_next + da[:, :, t], dc_next, caches[t])
        dx_steps.insert(0, step["dxt"])
        da_next, dc_next = step["da_prev"], step["dc_prev"]
        for key, value in step.items():
            if key.startswith(("dW", "db")):
                grads[key] = grads.get(key, 0) + value
    grads["dx"] = np.stack(dx_steps, axis=2)
    grads["da0"], grads["dc0"] = da_next, dc_next
    return grads"""),
         Edit("07_to_pytorch_lstm",
              '"bias_ih_l0": b, "bias_hh_l0": np.zeros_like(b)}',
              '"bias_ih_l0": b / 2, "bias_hh_l0": b - b / 2}')),
    ),
]

# Caught only by the hidden cases (sizes other than the visible test's).
VARIANTS += [
    # n_a read as the columns of Wc minus the visible test's n_x = 2: right only when n_x = 2.
    Variant(
        "pytorch_n_x_hard_coded",
        (Edit("07_to_pytorch_lstm", 'n_a = parameters["Wc"].shape[0]', 'n_a = parameters["Wc"].shape[1] - 2'),),
        frozenset({PYTORCH}),
    ),
]
