"""Public stand-ins that the grader's trusted checks hand to a student's function in the kernel.

A trusted check (``autograder/checks/``) may only pass the kernel objects that rnnkit makes
public (``Ref("rnnkit.standins.NAME")``): a cell or a loss that the student's function calls,
chosen so that a correct answer and a typical mistake give different results. Nothing here is
a solution of an exercise, and nothing here decides a grade.
"""

import numpy as np

from .activations import sigmoid, tanh


def peephole_lstm_cell_forward(xt, a_prev, c_prev, parameters):
    """An LSTM step whose forget and update gates also read c<t-1> through diagonal peepholes.

        Γf = σ(Wf [a<t-1>; x<t>] + pf * c<t-1> + bf),  Γu = σ(Wu [a<t-1>; x<t>] + pu * c<t-1> + bu)
        c<t> = Γu * c~<t> + Γf * c<t-1>,  a<t> = Γo * tanh(c<t>)   (Γo, c~<t> as in the plain LSTM)

    parameters : the LSTM's Wf, Wu, Wo, Wc (n_a, n_a + n_x), bf, bu, bo, bc (n_a, 1) and the
    peepholes pf, pu (n_a, 1). Returns a_next, c_next (n_a, m), None (no output layer) and the dict
    {"gamma_f", "gamma_u", "gamma_o", "c_tilde"}. Here ∂c<t>/∂c<t-1> is not Γf alone:
    Γf + c<t-1> Γf (1 − Γf) pf + c~<t> Γu (1 − Γu) pu, element-wise.
    """
    p = parameters
    concat = np.concatenate([a_prev, xt], axis=0)  # [a<t-1>; x<t>], (n_a + n_x, m)
    gamma_f = sigmoid(p["Wf"] @ concat + p["pf"] * c_prev + p["bf"])
    gamma_u = sigmoid(p["Wu"] @ concat + p["pu"] * c_prev + p["bu"])
    gamma_o = sigmoid(p["Wo"] @ concat + p["bo"])
    c_tilde = tanh(p["Wc"] @ concat + p["bc"])
    c_next = gamma_u * c_tilde + gamma_f * c_prev
    gates = {"gamma_f": gamma_f, "gamma_u": gamma_u, "gamma_o": gamma_o, "c_tilde": c_tilde}
    return gamma_o * tanh(c_next), c_next, None, gates


class RecordingSGD:
    """A stand-in optimizer: θ ← θ − dθ (a learning rate of 1), remembering the global norm of every update.

    ``norms`` : the list of √(Σ over the gradient arrays of Σ dθ²), one float per ``step``, so a
    training loop can be seen to clip (every norm at most max_norm) or not.
    """

    def __init__(self):
        self.norms = []

    def step(self, parameters, gradients):
        """Update every parameter array in place by its gradient ``d<key>``; return ``parameters``."""
        self.norms.append(float(np.sqrt(sum(np.sum(g**2) for g in gradients.values()))))
        for key in parameters:
            parameters[key] -= gradients["d" + key]
        return parameters


class RecordingChunks:
    """A stand-in chunk_loss_and_grads for 04's train_tbptt: it records every call and carries a count.

    Called as (parameters, x_ids, y_ids, a0), it appends {"x": x_ids, "y": y_ids, "a0": a0} (copies)
    to ``calls`` and returns (L, gradients, a_last): L is the number of the call (1, 2, …), every
    gradient is 10 · θ, and a_last = a0 + 1, so a state that is carried counts the chunks.
    """

    def __init__(self):
        self.calls = []

    def __call__(self, parameters, x_ids, y_ids, a0):
        self.calls.append({"x": np.array(x_ids), "y": np.array(y_ids), "a0": np.array(a0, dtype=float)})
        return float(len(self.calls)), {"d" + k: 10 * v for k, v in parameters.items()}, np.array(a0) + 1.0


def batch_id_loss(parameters, x, y, mask):
    """A stand-in loss_and_grads: L is the batch's number x[0, 0, 0], and every gradient is 10 · θ.

    With batches whose x is np.full((1, 1, 1), b), the history of L shows which batch each step used.
    """
    return float(x[0, 0, 0]), {"d" + k: 10 * v for k, v in parameters.items()}


def rnn_loss(y_hat, y):
    """A correct stand-in for 03's rnn_loss: (L<t> of every example (m, T_y), L = Σ_t L<t> averaged over m)."""
    from .losses import cross_entropy, cross_entropy_steps

    return cross_entropy_steps(y_hat, y), cross_entropy(y_hat, y)


def rnn_loss_and_gradients(x, a0, y, parameters):
    """A correct stand-in for 03's loss_and_gradients, from rnnkit's reference layers.

    Returns (L, {dWaa, dWax, dba, dWya, dby}) of the many-to-many RNN with softmax outputs.
    """
    from .losses import cross_entropy, cross_entropy_grad
    from .output import output_backward
    from .rnn import rnn_backward, rnn_forward

    a, y_hat, caches = rnn_forward(x, a0, parameters)
    dWya, dby, da = output_backward(cross_entropy_grad(y_hat, y), a, parameters["Wya"])
    g = rnn_backward(da, caches)
    return cross_entropy(y_hat, y), {"dWaa": g["dWaa"], "dWax": g["dWax"], "dba": g["dba"], "dWya": dWya, "dby": dby}


def half_squares(x, a0, y, parameters):
    """A stand-in loss: L = ½ Σ θ² over Waa, Wax, ba, Wya, by, whose gradient is dθ = θ."""
    keys = ("Waa", "Wax", "ba", "Wya", "by")
    return 0.5 * sum(float((parameters[k] ** 2).sum()) for k in keys), {"d" + k: parameters[k].copy() for k in keys}


def deep_rnn_parameter_count(n_x, n_y):
    """A count function for 09's matching_width: n_as -> parameters of a deep RNN from n_x to n_y.

    Waa[l] (n_a[l], n_a[l]), Wax[l] (n_a[l], n_a[l-1]), ba[l] (n_a[l], 1) per layer, then Wy, by.
    """
    def count(n_as):
        widths = [n_x, *n_as]
        hidden = sum(widths[k] * (widths[k] + widths[k - 1] + 1) for k in range(1, len(widths)))
        return hidden + n_y * (widths[-1] + 1)

    return count


def squared_sum_count(scale, offset=0):
    """A made-up count function for 09's matching_width: n_as -> scale · (Σ n_a[l])² + offset."""
    return lambda n_as: scale * sum(n_as) ** 2 + offset


def samples_from_one_generator(sample, n, parameters, eos_index, seed, **kwargs):
    """n samples of 05's ``sample`` drawn from ONE Generator, then that Generator's next random().

    (The grader calls this in the student's kernel with their ``sample``: a Generator cannot cross
    between processes, so the draws happen here.) Returns (list of n lists of indices, float).
    """
    rng = np.random.default_rng(seed)
    return [sample(parameters, eos_index, rng, **kwargs) for _ in range(n)], float(rng.random())
