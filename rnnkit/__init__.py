"""rnnkit: a small numpy library for learning recurrent neural networks by doing.

Shapes follow the lecture: x (n_x, m, T_x), a (n_a, m, T_x), y_hat (n_y, m, T_y).
"""

from .activations import relu, sigmoid, softmax, tanh
from .output import output_backward, output_forward
from .rnn import rnn_backward, rnn_cell_backward, rnn_cell_forward, rnn_forward

__all__ = [
    "relu",
    "sigmoid",
    "softmax",
    "tanh",
    "output_backward",
    "output_forward",
    "rnn_backward",
    "rnn_cell_backward",
    "rnn_cell_forward",
    "rnn_forward",
]
