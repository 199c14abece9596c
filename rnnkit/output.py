"""The output layer shared by every family: ``y_hat<t> = g(Wy a<t> + by)``.

Taught in 02_forward_pass (forward) and 03_bptt (backward).
"""

from .activations import sigmoid, softmax

OUTPUTS = {"softmax": softmax, "sigmoid": sigmoid}


def output_forward(a, Wy, by, g="softmax"):
    """y_hat = g(Wy a + by) for one step or a whole sequence.

    a : (n_a, m) or (n_a, m, T);  Wy : (n_y, n_a);  by : (n_y, 1)
    Returns y_hat : (n_y, m) or (n_y, m, T).
    """
    if g not in OUTPUTS:
        raise ValueError(f"g must be one of {sorted(OUTPUTS)}, got {g!r}")
    z = (Wy @ a.reshape(a.shape[0], -1)).reshape((Wy.shape[0],) + a.shape[1:])
    z += by if a.ndim == 2 else by[:, :, None]
    return OUTPUTS[g](z)


def output_backward(dz, a, Wy):
    """Gradients of the output layer from dz = ∂L/∂(Wy a + by).

    dz : (n_y, m, T);  a : (n_a, m, T);  Wy : (n_y, n_a)
    Returns (dWy (n_y, n_a), dby (n_y, 1), da (n_a, m, T)); dWy and dby are summed
    over every example and time step because the weights are shared.
    """
    n_y, n_a = Wy.shape
    dz2 = dz.reshape(n_y, -1)  # (n_y, m*T)
    dWy = dz2 @ a.reshape(n_a, -1).T
    dby = dz2.sum(axis=1, keepdims=True)
    da = (Wy.T @ dz2).reshape(a.shape)
    return dWy, dby, da
