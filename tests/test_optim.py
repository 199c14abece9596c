"""Tests for rnnkit.optim: hand-computed steps, optimizer state, clipping, nesting, validation."""

import numpy as np
import pytest

from rnnkit.gradcheck import gradient_check
from rnnkit.optim import SGD, Adagrad, Adam, clip_by_norm, clip_by_value


def params():
    return {"Waa": np.array([[1.0, -2.0], [0.5, 0.0]]), "ba": np.array([[0.1], [-0.1]])}


def grads():
    return {"dWaa": np.array([[0.5, 1.0], [-2.0, 0.0]]), "dba": np.array([[4.0], [-0.25]]),
            "dx": np.ones((3, 1, 1))}  # extra gradients are ignored by the optimizers


def test_sgd_step_in_place():
    p = params()
    Waa = p["Waa"]
    out = SGD(lr=0.1).step(p, grads())
    assert out is p and p["Waa"] is Waa  # the very arrays were updated
    np.testing.assert_allclose(p["Waa"], [[0.95, -2.1], [0.7, 0.0]])
    np.testing.assert_allclose(p["ba"], [[-0.3], [-0.075]])


def test_adam_first_step_is_bias_corrected():
    # Step 1: m = (1 − β1) g, v = (1 − β2) g²; corrected m̂ = g, v̂ = g²,
    # so θ moves by lr · g / (|g| + eps), about lr per entry whatever the gradient's size
    p, g = params(), grads()
    opt = Adam(lr=0.01)
    opt.step(p, g)
    assert opt.t == 1
    np.testing.assert_allclose(opt.m["dWaa"], 0.1 * g["dWaa"])
    np.testing.assert_allclose(opt.v["dba"], 0.001 * g["dba"] ** 2)
    expected = params()["Waa"] - 0.01 * g["dWaa"] / (np.abs(g["dWaa"]) + 1e-8)
    np.testing.assert_allclose(p["Waa"], expected, rtol=1e-12)
    np.testing.assert_allclose(p["Waa"], [[0.99, -2.01], [0.51, 0.0]], rtol=1e-6)
    assert set(opt.m) == {"dWaa", "dba"}


def test_adam_second_step_by_hand():
    b1, b2, lr, eps = 0.9, 0.999, 0.1, 1e-8
    p = {"w": np.array([1.0])}
    opt = Adam(lr=lr)
    g1, g2 = 2.0, -1.0
    opt.step(p, {"dw": np.array([g1])})
    opt.step(p, {"dw": np.array([g2])})
    m = b1 * (1 - b1) * g1 + (1 - b1) * g2
    v = b2 * (1 - b2) * g1**2 + (1 - b2) * g2**2
    step2 = lr * (m / (1 - b1**2)) / (np.sqrt(v / (1 - b2**2)) + eps)
    assert opt.t == 2
    assert p["w"][0] == pytest.approx(1.0 - lr * g1 / (abs(g1) + eps) - step2, rel=1e-12)


def test_adagrad_accumulates_squared_gradients():
    p = {"w": np.array([1.0, 1.0])}
    opt = Adagrad(lr=0.5)
    opt.step(p, {"dw": np.array([3.0, 0.0])})
    np.testing.assert_allclose(p["w"], [1.0 - 0.5 * 3 / (3 + 1e-8), 1.0])
    opt.step(p, {"dw": np.array([4.0, 1.0])})
    np.testing.assert_allclose(opt.G["dw"], [25.0, 1.0])  # 3² + 4², 0² + 1²
    np.testing.assert_allclose(p["w"], [0.5 - 0.5 * 4 / 5, 1.0 - 0.5], rtol=1e-7)


def test_optimizers_walk_nested_parameters():
    p = {"forward": {"Waa": np.ones((2, 2))}, "layers": [{"Wu": np.ones(3)}, {"Wu": np.ones(3)}]}
    g = {"forward": {"dWaa": np.ones((2, 2))}, "layers": [{"dWu": np.full(3, 2.0)}, {"dWu": np.zeros(3)}]}
    SGD(lr=0.5).step(p, g)
    np.testing.assert_allclose(p["layers"][0]["Wu"], 0.0)
    np.testing.assert_allclose(p["layers"][1]["Wu"], 1.0)
    np.testing.assert_allclose(p["forward"]["Waa"], 0.5)
    opt = Adam()
    opt.step(p, g)
    assert set(opt.m) == {"forward.dWaa", "layers.0.dWu", "layers.1.dWu"}


def test_optimizers_keep_float32_parameters():
    p = {"W": np.ones((2, 2), dtype=np.float32)}
    for opt in (SGD(0.1), Adam(), Adagrad()):
        opt.step(p, {"dW": np.ones((2, 2))})
    assert p["W"].dtype == np.float32 and np.all(p["W"] < 1)


def test_sgd_descends_a_quadratic():
    # J(w) = ½ ||w − 3||²: its gradient w − 3 checked numerically, then 50 steps reach the minimum
    p = {"w": np.array([0.0, 10.0])}
    assert gradient_check(lambda q: 0.5 * np.sum((q["w"] - 3) ** 2), p, {"dw": p["w"] - 3}).ok
    for opt in (SGD(0.5), Adam(lr=0.5), Adagrad(lr=2.0)):
        p = {"w": np.array([0.0, 10.0])}
        for _ in range(200):
            opt.step(p, {"dw": p["w"] - 3})
        np.testing.assert_allclose(p["w"], 3.0, atol=1e-2)


@pytest.mark.parametrize("opt", [SGD(0.1), Adam(), Adagrad()])
def test_missing_or_misshaped_gradient_names_it(opt):
    p = params()
    before = {k: v.copy() for k, v in p.items()}
    with pytest.raises(ValueError, match="dba"):
        opt.step(p, {"dWaa": np.zeros((2, 2))})
    wrong_shape = r"gradients\['dWaa'\] must have the shape of its parameter \(2, 2\)"
    with pytest.raises(ValueError, match=wrong_shape):
        opt.step(p, {"dWaa": np.zeros((2, 1)), "dba": np.zeros((2, 1))})
    for k in p:  # nothing was updated by the failed steps
        np.testing.assert_array_equal(p[k], before[k])
    nested = {"layers": [{"Wu": np.ones(2)}]}
    with pytest.raises(ValueError, match=r"\['layers'\]\[0\]\['dWu'\]"):
        opt.step(nested, {"layers": [{}]})


def test_clip_by_value_clips_elementwise_into_a_new_dict():
    g = {"dWaa": np.array([[7.0, -0.5], [-12.0, 3.0]]), "layers": [{"db": np.array([-6.0])}]}
    clipped = clip_by_value(g, 5)
    np.testing.assert_array_equal(clipped["dWaa"], [[5.0, -0.5], [-5.0, 3.0]])
    np.testing.assert_array_equal(clipped["layers"][0]["db"], [-5.0])
    assert g["dWaa"][0, 0] == 7.0  # the input is untouched


def test_clip_by_norm_rescales_large_gradients_keeping_direction():
    g = {"dW": np.array([3.0, 0.0]), "db": np.array([[4.0]])}  # global norm 5
    clipped, norm = clip_by_norm(g, 1.0)
    assert norm == pytest.approx(5.0)
    np.testing.assert_allclose(clipped["dW"], [0.6, 0.0])
    np.testing.assert_allclose(clipped["db"], [[0.8]])
    total = np.sqrt(sum(np.sum(v**2) for v in clipped.values()))
    assert total == pytest.approx(1.0)
    assert g["dW"][0] == 3.0


def test_clip_by_norm_leaves_small_gradients_untouched():
    g = {"dW": np.array([0.3, -0.4]), "nested": [{"db": np.array([0.0])}]}
    clipped, norm = clip_by_norm(g, 1.0)
    assert norm == pytest.approx(0.5)
    np.testing.assert_array_equal(clipped["dW"], g["dW"])
    assert clipped["dW"] is not g["dW"]  # a copy, safe to modify


def test_clipping_rejects_bad_arguments_naming_them():
    g = {"dW": np.ones(2)}
    for fn, name in ((clip_by_value, "max_value"), (clip_by_norm, "max_norm")):
        with pytest.raises(ValueError, match=name):
            fn(g, 0)
        with pytest.raises(ValueError, match=name):
            fn(g, -1.0)
        with pytest.raises(ValueError, match="gradients"):
            fn({"dW": [1.0, 2.0]}, 1.0)
    with pytest.raises(ValueError, match="gradients"):
        clip_by_norm({"dW": np.array([np.inf])}, 1.0)


@pytest.mark.parametrize(
    "make, name",
    [
        (lambda: SGD(0), "lr"),
        (lambda: Adam(lr=-1), "lr"),
        (lambda: Adam(beta1=1.0), "beta1"),
        (lambda: Adam(beta2=-0.1), "beta2"),
        (lambda: Adam(eps=0), "eps"),
        (lambda: Adagrad(lr=float("nan")), "lr"),
        (lambda: Adagrad(eps=-1), "eps"),
    ],
)
def test_bad_hyperparameters_raise_naming_them(make, name):
    with pytest.raises(ValueError, match=name):
        make()
