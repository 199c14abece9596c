"""rnnkit: a small numpy library for learning recurrent neural networks by doing.

Shapes follow the lecture: x (n_x, m, T_x), a (n_a, m, T_x), y_hat (n_y, m, T_y).
matplotlib and ipywidgets are imported only when a plot or a widget is made.
"""

from . import testing
from .activations import relu, sigmoid, softmax, tanh
from .brnn import brnn_backward, brnn_forward, reverse_in_time
from .deep import deep_rnn_backward, deep_rnn_forward
from .gradcheck import gradient_check, numerical_gradients, relative_error
from .gru import gru_backward, gru_cell_backward, gru_cell_forward, gru_forward
from .init import initialize_gru, initialize_lstm, initialize_rnn
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    cross_entropy,
    cross_entropy_grad,
    cross_entropy_steps,
    perplexity,
)
from .lstm import lstm_backward, lstm_cell_backward, lstm_cell_forward, lstm_forward
from .optim import SGD, Adagrad, Adam, clip_by_norm, clip_by_value
from .output import output_backward, output_forward
from .rnn import rnn_backward, rnn_cell_backward, rnn_cell_forward, rnn_forward
from .vocab import Vocab, one_hot, pad_sequences, tokenize

__all__ = [
    "Adagrad", "Adam", "SGD", "Vocab",
    "binary_cross_entropy", "binary_cross_entropy_grad", "brnn_backward", "brnn_forward",
    "clip_by_norm", "clip_by_value", "cross_entropy", "cross_entropy_grad", "cross_entropy_steps",
    "deep_rnn_backward", "deep_rnn_forward", "gradient_check",
    "gru_backward", "gru_cell_backward", "gru_cell_forward", "gru_forward",
    "initialize_gru", "initialize_lstm", "initialize_rnn",
    "lstm_backward", "lstm_cell_backward", "lstm_cell_forward", "lstm_forward",
    "numerical_gradients", "one_hot", "output_backward", "output_forward", "pad_sequences", "perplexity",
    "relative_error", "relu", "reverse_in_time",
    "rnn_backward", "rnn_cell_backward", "rnn_cell_forward", "rnn_forward",
    "sigmoid", "softmax", "tanh", "testing", "tokenize",
]
