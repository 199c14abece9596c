"""Tests for rnnkit.init: keys, shapes, dtypes, seeding, scale, validation."""

import numpy as np
import pytest

from rnnkit.init import initialize_gru, initialize_lstm, initialize_rnn

N_X, N_A, N_Y = 3, 5, 2


def shapes(parameters):
    return {k: v.shape for k, v in parameters.items()}


def test_rnn_keys_and_shapes():
    assert shapes(initialize_rnn(N_X, N_A)) == {"Waa": (5, 5), "Wax": (5, 3), "ba": (5, 1)}
    assert shapes(initialize_rnn(N_X, N_A, N_Y)) == {
        "Waa": (5, 5), "Wax": (5, 3), "ba": (5, 1), "Wya": (2, 5), "by": (2, 1)}


def test_gru_keys_and_shapes():
    full = initialize_gru(N_X, N_A, N_Y)
    assert shapes(full) == {"Wu": (5, 8), "Wr": (5, 8), "Wc": (5, 8), "bu": (5, 1), "br": (5, 1),
                            "bc": (5, 1), "Wy": (2, 5), "by": (2, 1)}
    simple = initialize_gru(N_X, N_A, simplified=True)
    assert shapes(simple) == {"Wu": (5, 8), "Wc": (5, 8), "bu": (5, 1), "bc": (5, 1)}


def test_lstm_keys_shapes_and_forget_bias():
    p = initialize_lstm(N_X, N_A, N_Y)
    assert set(p) == {"Wf", "Wu", "Wo", "Wc", "bf", "bu", "bo", "bc", "Wy", "by"}
    for g in "fuoc":
        assert p[f"W{g}"].shape == (5, 8)
        assert p[f"b{g}"].shape == (5, 1)
    assert np.all(p["bf"] == 1.0)
    assert np.all(p["bu"] == 0) and np.all(p["bo"] == 0) and np.all(p["bc"] == 0)
    assert np.all(initialize_lstm(N_X, N_A, forget_bias=-2.5)["bf"] == -2.5)


@pytest.mark.parametrize("init", [initialize_rnn, initialize_gru, initialize_lstm])
def test_biases_zero_and_weights_nonzero(init):
    p = init(N_X, N_A, N_Y)
    assert np.all(p["by"] == 0)
    for k, v in p.items():
        assert v.dtype == np.float64
        if k.startswith("W"):
            assert np.all(v != 0), k


@pytest.mark.parametrize("init", [initialize_rnn, initialize_gru, initialize_lstm])
def test_float32_holds_the_float64_values_rounded(init):
    p64, p32 = init(N_X, N_A, N_Y, seed=3), init(N_X, N_A, N_Y, seed=3, dtype=np.float32)
    for k in p64:
        assert p32[k].dtype == np.float32
        np.testing.assert_array_equal(p32[k], p64[k].astype(np.float32))


@pytest.mark.parametrize("init", [initialize_rnn, initialize_gru, initialize_lstm])
def test_same_seed_same_parameters_other_seed_different(init):
    a, b, c = init(N_X, N_A, N_Y, seed=7), init(N_X, N_A, N_Y, seed=7), init(N_X, N_A, N_Y, seed=8)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
    assert any(not np.array_equal(a[k], c[k]) for k in a if k.startswith("W"))


def test_generator_seed_is_used_and_advanced():
    rng = np.random.default_rng(11)
    first, second = initialize_rnn(N_X, N_A, seed=rng), initialize_rnn(N_X, N_A, seed=rng)
    np.testing.assert_array_equal(first["Waa"], initialize_rnn(N_X, N_A, seed=11)["Waa"])
    assert not np.array_equal(first["Waa"], second["Waa"])


def test_hidden_parameters_do_not_depend_on_n_y():
    with_y, without = initialize_rnn(N_X, N_A, N_Y, seed=1), initialize_rnn(N_X, N_A, seed=1)
    for k in without:
        np.testing.assert_array_equal(with_y[k], without[k])


def test_variance_is_one_over_fan_in():
    # fan_in = 50 + 30 = 80 columns: std 1/sqrt(80) ≈ 0.112; 4000 samples give ~1% precision
    p = initialize_gru(30, 50, seed=0)
    assert p["Wu"].std() == pytest.approx(1 / np.sqrt(80), rel=0.05)
    p = initialize_rnn(400, 10, seed=0)
    assert p["Wax"].std() == pytest.approx(1 / np.sqrt(400), rel=0.05)
    assert p["Waa"].std() > 3 * p["Wax"].std()  # fan_in 10 vs 400


def test_scale_fixes_the_standard_deviation():
    p = initialize_rnn(40, 50, scale=0.01, seed=0)
    assert p["Wax"].std() == pytest.approx(0.01, rel=0.05)
    np.testing.assert_allclose(p["Waa"], initialize_rnn(40, 50, seed=0)["Waa"] * 0.01 * np.sqrt(50))


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"n_x": 0}, "n_x"),
        ({"n_x": 2.0}, "n_x"),
        ({"n_a": -1}, "n_a"),
        ({"n_a": True}, "n_a"),
        ({"n_y": 0}, "n_y"),
        ({"seed": -1}, "seed"),
        ({"seed": "abc"}, "seed"),
        ({"dtype": np.int64}, "dtype"),
        ({"scale": 0}, "scale"),
    ],
)
@pytest.mark.parametrize("init", [initialize_rnn, initialize_gru, initialize_lstm])
def test_bad_arguments_raise_naming_them(init, kwargs, name):
    args = {"n_x": 2, "n_a": 3, "n_y": 1, **kwargs}
    with pytest.raises(ValueError, match=name):
        init(**args)


def test_bad_forget_bias_raises_naming_it():
    with pytest.raises(ValueError, match="forget_bias"):
        initialize_lstm(2, 3, forget_bias=float("nan"))
