"""Tests for rnnkit.losses: hand-computed values, masking, gradients, perplexity, validation."""

import numpy as np
import pytest

from rnnkit.activations import sigmoid, softmax
from rnnkit.gradcheck import gradient_check
from rnnkit.losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    cross_entropy,
    cross_entropy_grad,
    cross_entropy_steps,
    perplexity,
)


def one_hot_targets(classes, n_y):
    """classes (m, T_y) -> y (n_y, m, T_y)."""
    classes = np.asarray(classes)
    return (np.arange(n_y)[:, None, None] == classes[None]).astype(float)


def two_step_example():
    # m = 2 examples, T_y = 2 steps, n_y = 3 classes; columns are y_hat<t> of one example.
    y_hat = np.empty((3, 2, 2))
    y_hat[:, 0, 0], y_hat[:, 0, 1] = [0.7, 0.2, 0.1], [0.1, 0.3, 0.6]
    y_hat[:, 1, 0], y_hat[:, 1, 1] = [0.25, 0.5, 0.25], [0.2, 0.2, 0.6]
    y = one_hot_targets([[0, 2], [1, 0]], 3)
    return y_hat, y


def test_steps_follow_the_lecture_formula():
    y_hat, y = two_step_example()
    # L<t> = −Σ_i y_i<t> log y_hat_i<t> picks −log of the target's probability
    expected = -np.log([[0.7, 0.6], [0.5, 0.2]])
    np.testing.assert_allclose(cross_entropy_steps(y_hat, y), expected, rtol=1e-12)


def test_loss_sums_over_time_and_averages_over_examples():
    y_hat, y = two_step_example()
    example0 = -np.log(0.7) - np.log(0.6)  # L = L<1> + L<2> = log(1 / 0.42)
    example1 = -np.log(0.5) - np.log(0.2)
    assert cross_entropy(y_hat, y) == pytest.approx((example0 + example1) / 2, rel=1e-12)
    assert cross_entropy(y_hat[:, :1], y[:, :1]) == pytest.approx(np.log(1 / 0.42), rel=1e-12)
    assert isinstance(cross_entropy(y_hat, y), float)


def test_soft_targets_use_the_whole_sum():
    y_hat = np.array([0.5, 0.25, 0.25]).reshape(3, 1, 1)
    y = np.array([0.5, 0.5, 0.0]).reshape(3, 1, 1)
    assert cross_entropy(y_hat, y) == pytest.approx(-0.5 * np.log(0.5) - 0.5 * np.log(0.25), rel=1e-12)


def test_masked_steps_contribute_nothing():
    y_hat, y = two_step_example()
    mask = np.array([[1, 1], [1, 0]])
    steps = cross_entropy_steps(y_hat, y, mask)
    assert steps[1, 1] == 0
    assert cross_entropy(y_hat, y, mask) == pytest.approx((-np.log(0.42) - np.log(0.5)) / 2, rel=1e-12)
    # the padded step's values do not matter at all, and bool masks work the same
    garbage = y_hat.copy()
    garbage[:, 1, 1] = [0.0, 1.0, 0.0]  # target 0 has probability 0: huge loss if counted
    assert cross_entropy(garbage, y, mask.astype(bool)) == cross_entropy(y_hat, y, mask)
    dz = cross_entropy_grad(garbage, y, mask)
    assert np.all(dz[:, 1, 1] == 0)


def test_zero_probability_is_clipped_to_a_finite_loss():
    y_hat = np.array([0.0, 1.0]).reshape(2, 1, 1)
    y = np.array([1.0, 0.0]).reshape(2, 1, 1)
    loss = cross_entropy(y_hat, y)
    assert np.isfinite(loss) and loss == pytest.approx(-np.log(1e-12))
    assert cross_entropy(y[::-1], y[::-1]) == pytest.approx(0.0, abs=1e-11)  # a perfect prediction


def test_cross_entropy_grad_matches_numerical_gradient_through_softmax():
    rng = np.random.default_rng(0)
    z = rng.standard_normal((4, 3, 2))  # (n_y, m, T_y)
    y = one_hot_targets(rng.integers(0, 4, size=(3, 2)), 4)
    mask = np.array([[1, 1], [1, 0], [0, 1]])
    parameters = {"z": z}
    analytic = {"dz": cross_entropy_grad(softmax(z), y, mask)}
    report = gradient_check(lambda p: cross_entropy(softmax(p["z"]), y, mask), parameters, analytic)
    assert report.ok, str(report)
    np.testing.assert_allclose(analytic["dz"], (softmax(z) - y) * mask / 3)


def test_binary_cross_entropy_values_and_gradient():
    y_hat = np.array([[[0.9, 0.2], [0.4, 0.5]]])  # (1, m=2, T_y=2)
    y = np.array([[[1.0, 0.0], [0.0, 1.0]]])
    expected = (-np.log(0.9) - np.log(0.8) - np.log(0.6) - np.log(0.5)) / 2
    assert binary_cross_entropy(y_hat, y) == pytest.approx(expected, rel=1e-12)
    mask = np.array([[1, 0], [1, 1]])
    assert binary_cross_entropy(y_hat, y, mask) == pytest.approx(expected + np.log(0.8) / 2, rel=1e-12)

    z = np.random.default_rng(1).standard_normal((1, 2, 2))
    analytic = {"dz": binary_cross_entropy_grad(sigmoid(z), y, mask)}
    report = gradient_check(lambda p: binary_cross_entropy(sigmoid(p["z"]), y, mask), {"z": z}, analytic)
    assert report.ok, str(report)
    assert analytic["dz"][0, 0, 1] == 0


def test_binary_requires_a_single_output():
    y = np.full((2, 1, 1), 0.5)
    with pytest.raises(ValueError, match=r"y_hat must have shape \(n_y, m, T_y\) = \(1, m, T_y\)"):
        binary_cross_entropy(y, y)


def test_perplexity_of_a_uniform_prediction_is_the_vocabulary_size():
    n_y = 7
    y_hat = np.full((n_y, 2, 3), 1 / n_y)
    y = one_hot_targets([[0, 3, 6], [1, 1, 2]], n_y)
    assert perplexity(y_hat, y) == pytest.approx(n_y, rel=1e-12)
    assert perplexity(y_hat, y, mask=[[1, 1, 0], [1, 0, 0]]) == pytest.approx(n_y, rel=1e-12)


def test_perplexity_counts_only_real_tokens():
    y_hat, y = two_step_example()
    mask = np.array([[1, 1], [1, 0]])
    # three real tokens with probabilities 0.7, 0.6, 0.5: exp of the mean of −log p
    assert perplexity(y_hat, y, mask) == pytest.approx((0.7 * 0.6 * 0.5) ** (-1 / 3), rel=1e-12)
    with pytest.raises(ValueError, match="mask"):
        perplexity(y_hat, y, np.zeros((2, 2)))


def test_float32_inputs_give_float32_gradients():
    y_hat, y = two_step_example()
    dz = cross_entropy_grad(y_hat.astype(np.float32), y.astype(np.float32))
    assert dz.dtype == np.float32
    assert cross_entropy(y_hat.astype(np.float32), y) == pytest.approx(cross_entropy(y_hat, y), rel=1e-6)


@pytest.mark.parametrize(
    "fn", [cross_entropy_steps, cross_entropy, cross_entropy_grad, perplexity]
)
def test_shape_errors_name_the_argument(fn):
    y_hat, y = two_step_example()
    with pytest.raises(ValueError, match=r"y must have shape \(n_y, m, T_y\) = \(3, 2, 2\), got \(3, 2, 1\)"):
        fn(y_hat, y[:, :, :1])
    with pytest.raises(ValueError, match=r"y_hat must have shape \(n_y, m, T_y\)"):
        fn(y_hat[:, :, 0], y)
    with pytest.raises(ValueError, match=r"mask must have shape \(m, T_y\) = \(2, 2\), got \(2, 3\)"):
        fn(y_hat, y, np.ones((2, 3)))
    with pytest.raises(ValueError, match="mask must hold only 0/1"):
        fn(y_hat, y, np.full((2, 2), 0.5))
    with pytest.raises(ValueError, match="y_hat must hold probabilities"):
        fn(y_hat - 1.0, y)
