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
    if a.ndim == 3 and _time_ordered(a):  # the layers' own (n_a, T, m) buffers: no copy
        a_tm = a.transpose(0, 2, 1)  # (n_a, T, m)
        z = (Wy @ a_tm.reshape(a.shape[0], -1)).reshape(Wy.shape[0], *a_tm.shape[1:]).transpose(0, 2, 1)
    else:
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
    if _time_ordered(a):  # a is a view of a layer's (n_a, T, m) buffer: work in that order
        a2 = a.transpose(0, 2, 1).reshape(n_a, -1)  # (n_a, T*m), no copy
        dz2 = dz.transpose(0, 2, 1).reshape(n_y, -1)  # (n_y, T*m)
        da = (Wy.T @ dz2).reshape(n_a, a.shape[2], a.shape[1]).transpose(0, 2, 1)
    else:
        a2, dz2 = a.reshape(n_a, -1), dz.reshape(n_y, -1)  # (n_a, m*T), (n_y, m*T)
        da = (Wy.T @ dz2).reshape(a.shape)
    dWy = dz2 @ a2.T
    dby = dz2.sum(axis=1, keepdims=True)
    return dWy, dby, da


def _time_ordered(a):
    """True for an (n, m, T) array stored as (n, T, m) with T and m adjacent (a layer's buffer view)."""
    if a.ndim != 3:
        return False
    n, m, T = a.shape
    steps_after_examples = a.strides[1] == a.itemsize and a.strides[2] == m * a.itemsize
    return m > 1 and T > 1 and not a.flags.c_contiguous and steps_after_examples
