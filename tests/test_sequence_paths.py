"""The sequence layers' fast path: validated once per call, same messages, same numbers as step by step."""

import numpy as np
import pytest

from rnnkit import (
    _checks,
    gru_backward,
    gru_cell_forward,
    gru_forward,
    lstm_backward,
    lstm_cell_forward,
    lstm_forward,
    rnn_backward,
    rnn_cell_forward,
    rnn_forward,
)

N_X, N_A, M = 3, 4, 2


def params(family, rng, dtype=np.float64):
    if family == "rnn":
        p = {"Waa": rng.normal(0, 0.5, (N_A, N_A)), "Wax": rng.normal(0, 0.5, (N_A, N_X)),
             "ba": rng.normal(0, 0.3, (N_A, 1))}
    else:
        keys = "urc" if family == "gru" else "fuoc"
        p = {}
        for k in keys:
            p[f"W{k}"], p[f"b{k}"] = rng.normal(0, 0.5, (N_A, N_A + N_X)), rng.normal(0, 0.3, (N_A, 1))
    return {k: v.astype(dtype) for k, v in p.items()}


def run(family, p, x, a0, da, caches=None):
    """Forward, then backward (on ``caches`` if given, else the forward's); returns (a, grads, caches)."""
    forward = {"rnn": rnn_forward, "gru": gru_forward, "lstm": lstm_forward}[family]
    backward = {"rnn": rnn_backward, "gru": gru_backward, "lstm": lstm_backward}[family]
    out = forward(x, a0, p)
    a, fwd_caches = out[0], out[-1]
    return a, backward(da, fwd_caches if caches is None else caches), fwd_caches


@pytest.mark.parametrize("family", ["rnn", "gru", "lstm"])
def test_inputs_are_validated_once_per_sequence_call(family, monkeypatch):
    """The number of shape checks of a forward + backward does not grow with T_x."""
    calls = []
    original = _checks.Shapes.__call__

    def counting(self, *args, **kwargs):
        calls.append(args[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(_checks.Shapes, "__call__", counting)
    rng = np.random.default_rng(0)
    p = params(family, rng)
    counts = []
    for T_x in (2, 9):
        calls.clear()
        x, a0, da = rng.normal(size=(N_X, M, T_x)), rng.normal(size=(N_A, M)), rng.normal(size=(N_A, M, T_x))
        run(family, p, x, a0, da)
        counts.append(len(calls))
    assert counts[0] == counts[1], f"shape checks for T_x = 2 and 9: {counts} (names: {calls})"


BAD = {  # call -> the message it gave before the sequence layers were restructured
    "rnn x": (lambda p, x, a0: rnn_forward(np.zeros((5, M, 5)), a0, p), "rnn",
              "x must have shape (n_x, m, T_x) = (3, m, T_x), got (5, 2, 5)"),
    "rnn a0": (lambda p, x, a0: rnn_forward(x, np.zeros((N_A, 3)), p), "rnn",
               "a0 must have shape (n_a, m) = (4, 2), got (4, 3)"),
    "rnn x 2-d": (lambda p, x, a0: rnn_forward(x[:, :, 0], a0, p), "rnn",
                  "x must have shape (n_x, m, T_x) = (3, m, T_x), got 2-d array of shape (3, 2)"),
    "rnn key": (lambda p, x, a0: rnn_forward(x, a0, {"Waa": p["Waa"]}), "rnn",
                "parameters is missing Wax (n_a, n_x), ba (n_a, 1)"),
    "rnn activation": (lambda p, x, a0: rnn_forward(x, a0, p, activation="soft"), "rnn",
                       "activation must be one of ['relu', 'sigmoid', 'tanh'], got 'soft'"),
    "gru c0": (lambda p, x, a0: gru_forward(x, np.zeros((5, M)), p), "gru",
               "c0 must have shape (n_a, m) = (4, 2), got (5, 2)"),
    "gru Wr": (lambda p, x, a0: gru_forward(x, a0, {**p, "Wr": np.zeros((N_A, 6))}), "gru",
               "parameters['Wr'] must have shape (n_a, n_a + n_x) = (4, 7), got (4, 6)"),
    "lstm x": (lambda p, x, a0: lstm_forward(np.zeros((5, M, 5)), a0, p), "lstm",
               "x must have shape (n_x, m, T_x) = (3, m, T_x), got (5, 2, 5)"),
    "lstm c0": (lambda p, x, a0: lstm_forward(x, a0, p, c0=np.zeros((N_A, 3))), "lstm",
                "c0 must have shape (n_a, m) = (4, 2), got (4, 3)"),
    "lstm key": (lambda p, x, a0: lstm_forward(x, a0, {k: v for k, v in p.items() if k != "bo"}), "lstm",
                 "parameters is missing bo (n_a, 1)"),
    "lstm dtype": (lambda p, x, a0: lstm_forward(x.astype(complex), a0, p), "lstm",
                   "x must hold real numbers (float64 or float32), got dtype complex128"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_gives_the_same_message_as_before(case):
    call, family, message = BAD[case]
    rng = np.random.default_rng(1)
    x, a0 = rng.normal(size=(N_X, M, 5)), rng.normal(size=(N_A, M))
    with pytest.raises(ValueError) as info:
        call(params(family, rng), x, a0)
    assert str(info.value) == message


@pytest.mark.parametrize("family", ["rnn", "gru", "lstm"])
def test_fast_backward_equals_step_by_step_backward(family):
    """A plain list of the same caches (or an edited one) takes the step-by-step path: same gradients."""
    rng = np.random.default_rng(2)
    p, T_x = params(family, rng), 6
    x, a0, da = rng.normal(size=(N_X, M, T_x)), rng.normal(size=(N_A, M)), rng.normal(size=(N_A, M, T_x))
    _, fast, caches = run(family, p, x, a0, da)
    assert isinstance(caches, list) and len(caches) == T_x
    _, slow, _ = run(family, p, x, a0, da, caches=list(caches))
    assert set(fast) == set(slow)
    for k in fast:
        np.testing.assert_allclose(fast[k], slow[k], rtol=1e-12, atol=1e-14, err_msg=f"{family} {k}")
    assert caches.intact()
    caches[0] = caches[0]._replace()  # a cache replaced (by an equal one): no longer the forward's own list
    assert not caches.intact()
    _, again, _ = run(family, p, x, a0, da, caches=caches)
    np.testing.assert_allclose(again["dx"], fast["dx"], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("family", ["rnn", "gru", "lstm"])
def test_float32_end_to_end(family):
    """float32 in: every cache array and every gradient is float32 (nothing computed in float64)."""
    rng = np.random.default_rng(3)
    p, T_x = params(family, rng, np.float32), 4
    f32 = lambda shape: rng.normal(size=shape).astype(np.float32)  # noqa: E731
    a, grads, caches = run(family, p, f32((N_X, M, T_x)), f32((N_A, M)), f32((N_A, M, T_x)))
    arrays = [v for c in caches for v in c if isinstance(v, np.ndarray)]
    assert a.dtype == np.float32 and all(v.dtype == np.float32 for v in arrays)
    assert all(g.dtype == np.float32 for g in grads.values()), {k: g.dtype for k, g in grads.items()}


def cell_loop(family, x, a0, p, simplified=False, activation="tanh"):
    """The lecture's loop: the reference cell at every step. Returns a (n_a, m, T_x) and the plain list of caches."""
    a_prev, c_prev, states, caches = a0, np.zeros_like(a0), [], []
    for t in range(x.shape[2]):
        if family == "rnn":
            a_prev, _, cache = rnn_cell_forward(x[:, :, t], a_prev, p, activation)
        elif family == "gru":
            a_prev, _, cache = gru_cell_forward(x[:, :, t], a_prev, p, simplified)
        else:
            a_prev, c_prev, _, cache = lstm_cell_forward(x[:, :, t], a_prev, c_prev, p)
        states.append(a_prev)
        caches.append(cache)
    return np.stack(states, axis=2), caches


FORMS = [("rnn", {"activation": "tanh"}), ("rnn", {"activation": "relu"}), ("rnn", {"activation": "sigmoid"}),
         ("gru", {"simplified": False}), ("gru", {"simplified": True}), ("lstm", {})]


@pytest.mark.parametrize(("family", "form"), FORMS, ids=[f"{f}-{next(iter(o.values()), '')}" for f, o in FORMS])
def test_sequence_functions_agree_with_the_reference_cells(family, form):
    """The fast sequence functions against the lecture's cells, step by step, forward and backward.

    m = 64 makes blocks of 16 steps in the backward, so T_x = 37 has three of them, one partial; n_a = 11 is
    more rows than the step-major copies move at once (8) and not a multiple of 8.
    """
    rng = np.random.default_rng(4)
    n_x, n_a, m, T_x = 10, 11, 64, 37
    if family == "rnn":
        p = {"Waa": rng.normal(0, 0.4, (n_a, n_a)), "Wax": rng.normal(0, 0.4, (n_a, n_x)),
             "ba": rng.normal(0, 0.3, (n_a, 1))}
    else:
        keys = ("uc" if form["simplified"] else "urc") if family == "gru" else "fuoc"
        p = {}
        for k in keys:
            p[f"W{k}"], p[f"b{k}"] = rng.normal(0, 0.4, (n_a, n_a + n_x)), rng.normal(0, 0.3, (n_a, 1))
    x, a0, da = rng.normal(size=(n_x, m, T_x)), rng.normal(0, 0.5, (n_a, m)), rng.normal(size=(n_a, m, T_x))
    if family == "lstm":
        a, _, _, caches = lstm_forward(x, a0, p)
    else:
        a, _, caches = {"rnn": rnn_forward, "gru": gru_forward}[family](x, a0, p, *form.values())
    a_cells, cell_caches = cell_loop(family, x, a0, p, **form)
    np.testing.assert_allclose(a, a_cells, rtol=1e-12, atol=1e-13)
    backward = {"rnn": rnn_backward, "gru": gru_backward, "lstm": lstm_backward}[family]
    fast, slow = backward(da, caches), backward(da, cell_caches)  # the sequence path; the cells' step by step
    assert list(fast) == list(slow)
    for k in fast:
        np.testing.assert_allclose(fast[k], slow[k], rtol=1e-11, atol=1e-12, err_msg=f"{family} {k}")
    if family == "lstm":  # with an upstream gradient on the memory cell too
        dc = rng.normal(size=(n_a, m, T_x))
        fast, slow = lstm_backward(da, caches, dc), lstm_backward(da, cell_caches, dc)
        for k in fast:
            np.testing.assert_allclose(fast[k], slow[k], rtol=1e-11, atol=1e-12, err_msg=f"lstm with dc {k}")
