"""Trusted checks of 06_gru: the visible cases and the hidden ones, judged in the grader."""

import numpy as np

from autograder import wire
from autograder.trusted import Checks, Ref
from rnnkit import gru_backward, gru_cell_backward, gru_cell_forward, gru_forward
from rnnkit.testing import check_close, check_equal, check_shape, check_type

checks = Checks()

GATE_KEYS = ("Wu", "bu", "Wr", "br", "Wc", "bc")
CACHE_FIELDS = ("c_next", "c_prev", "xt", "concat", "concat_r", "gamma_u", "gamma_r", "c_tilde")
ROUND_OFF = {"rtol": 1e-7, "atol": 1e-10}  # float64 round-off only


def example_gru(n_x=3, n_a=2, n_y=2, m=2, T_x=4, seed=0):
    """The notebook's example_gru (its setup cell): parameters, x (n_x, m, T_x) and c0 (n_a, m)."""
    rng = np.random.default_rng(seed)
    parameters = {key: rng.normal(0, 0.8, (n_a, n_a + n_x)) for key in ("Wu", "Wr", "Wc")}
    parameters.update({key: rng.normal(0, 0.5, (n_a, 1)) for key in ("bu", "br", "bc")})
    parameters.update(Wy=rng.normal(0, 0.8, (n_y, n_a)), by=rng.normal(0, 0.5, (n_y, 1)))
    return parameters, rng.normal(0, 1, (n_x, m, T_x)), rng.normal(0, 0.5, (n_a, m))


def input_first(parameters, n_x):
    """The notebook's input_first: weights that make the correct cell compute a [x<t>; c<t-1>] cell."""
    return {key: np.concatenate([value[:, n_x:], value[:, :n_x]], axis=1) if key[0] == "W" and key != "Wy"
            else value for key, value in parameters.items()}


def random_gru(rng, n_x, n_a, n_y=None, keys=("Wu", "Wr", "Wc")):
    """Parameters of the hidden cases, drawn from ``rng`` in the order the old hidden tests drew them."""
    p = {key: rng.normal(0, 0.9, (n_a, n_a + n_x)) for key in keys}
    if keys == ("Wu", "Wc"):
        p.update(bu=rng.normal(0, 0.5, (n_a, 1)), bc=rng.normal(0, 0.5, (n_a, 1)))
    else:
        p.update({key: rng.normal(0, 0.5, (n_a, 1)) for key in ("bu", "br", "bc")})
    if n_y is not None:
        p.update(Wy=rng.normal(0, 0.9, (n_y, n_a)), by=rng.normal(0, 0.5, (n_y, 1)))
    return p


def type_name(value):
    """The class name of what the student returned (a named tuple comes back as a wire.Record)."""
    if isinstance(value, wire.Record):
        return value._type
    if isinstance(value, wire.Opaque):
        return value.type.rpartition(".")[2]
    return type(value).__name__


@checks("06_gru_simplified_cell_forward_tests", functions=("gru_simplified_cell_forward",),
        reference=("gru_cell_forward", "gru_forward"))
def simplified_cell_forward(student):
    """c<t> = Γu * c~<t> + (1 − Γu) * c<t-1> and Γu of the simplified GRU (no Γr)."""
    example, x, c0 = example_gru(n_x=3, n_a=2, m=4)
    simple = {key: example[key] for key in ("Wu", "bu", "Wc", "bc")}
    c_next, gamma_u = student.gru_simplified_cell_forward(x[:, :, 0], c0, simple)
    expected, _, expected_cache = gru_cell_forward(x[:, :, 0], c0, simple, simplified=True)
    check_close("gamma_u (Γu)", gamma_u, expected_cache.gamma_u, notation="(n_a, m)",
                mistakes={"Γu computed from [x<t>; c<t-1>] (the input first)":
                          gru_cell_forward(x[:, :, 0], c0, input_first(simple, 3), simplified=True)[2].gamma_u},
                hint="Γu = σ(Wu [c<t-1>; x<t>] + bu): the hidden part c<t-1> comes first in the concatenation")
    check_close("c_next (c<t>)", c_next, expected, notation="(n_a, m)",
                mistakes={"Γu * c<t-1> + (1 − Γu) * c~<t>: Γu and 1 − Γu are swapped":
                          expected_cache.c_tilde + c0 - expected,
                          "c~<t>: the candidate alone, without the gate": expected_cache.c_tilde},
                hint="c<t> = Γu * c~<t> + (1 − Γu) * c<t-1>: Γu weighs the NEW candidate, 1 − Γu the old memory")
    rng = np.random.default_rng(601)
    for n_x, n_a, m in ((4, 3, 1), (2, 5, 6)):
        p = random_gru(rng, n_x, n_a, keys=("Wu", "Wc"))
        xt, c_prev = rng.normal(0, 1, (n_x, m)), rng.normal(0, 0.7, (n_a, m))
        got_c, got_gamma_u = student.gru_simplified_cell_forward(xt, c_prev, p)
        want, _, cache = gru_cell_forward(xt, c_prev, p, simplified=True)
        # tolerance: float64 round-off only
        check_close("c_next", got_c, want, **ROUND_OFF)
        check_close("gamma_u", got_gamma_u, cache.gamma_u, **ROUND_OFF)


@checks("06_gru_cell_forward_tests", functions=("gru_cell_forward",), reference=("gru_cell_forward", "gru_forward"))
def full_cell_forward(student):
    """Γu, Γr, c~<t> = tanh(Wc [Γr * c<t-1>; x<t>] + bc), c<t>, y_hat<t>, and a cache rnnkit's backward can use."""
    example, x, c0 = example_gru(n_x=3, n_a=2, n_y=2, m=3)
    xt = x[:, :, 1]
    c_next, yt_pred, cache = student.gru_cell_forward(xt, c0, example)
    expected, expected_y, expected_cache = gru_cell_forward(xt, c0, example)
    check_equal("the type of the cache", type_name(cache), "GRUCache",
                hint="return GRUCache(c_next, c_prev, xt, concat, concat_r, gamma_u, gamma_r, c_tilde, parameters, "
                     "False)")
    check_close("cache.gamma_r (Γr)", cache.gamma_r, expected_cache.gamma_r, notation="(n_a, m)",
                hint="Γr = σ(Wr [c<t-1>; x<t>] + br)")
    check_close("cache.c_tilde (c~<t>)", cache.c_tilde, expected_cache.c_tilde, notation="(n_a, m)",
                mistakes={"tanh(Wc [c<t-1>; x<t>] + bc): Γr is left out of c~<t>":
                          gru_cell_forward(xt, c0, example, simplified=True)[2].c_tilde},
                hint="c~<t> = tanh(Wc [Γr * c<t-1>; x<t>] + bc): the relevance gate scales c<t-1> inside the "
                     "candidate")
    check_close("c_next (c<t>)", c_next, expected, notation="(n_a, m)",
                mistakes={"Γu * c<t-1> + (1 − Γu) * c~<t>: Γu and 1 − Γu are swapped":
                          expected_cache.c_tilde + c0 - expected,
                          "c<t> of a cell that stacks [x<t>; c<t-1>] (the input first)":
                          gru_cell_forward(xt, c0, input_first(example, 3))[0],
                          "c<t> without Γr in c~<t>": gru_cell_forward(xt, c0, example, simplified=True)[0]},
                hint="c<t> = Γu * c~<t> + (1 − Γu) * c<t-1>, every concatenation [c<t-1>; x<t>] hidden part first")
    check_close("yt_pred (y_hat<t>)", yt_pred, expected_y, notation="(n_y, m)",
                hint="y_hat<t> = softmax(Wy c<t> + by)")
    rng = np.random.default_rng(602)
    for n_x, n_a, n_y, m in ((4, 3, 5, 1), (2, 5, 3, 6)):
        p = random_gru(rng, n_x, n_a, n_y)
        xt, c_prev = rng.normal(0, 1, (n_x, m)), rng.normal(0, 0.7, (n_a, m))
        got_c, got_y, got_cache = student.gru_cell_forward(xt, c_prev, p)
        want_c, want_y, want_cache = gru_cell_forward(xt, c_prev, p)
        # tolerance: float64 round-off only
        check_close("c_next", got_c, want_c, **ROUND_OFF)
        check_close("yt_pred", got_y, want_y, **ROUND_OFF)
        check_equal("the type of the cache", type_name(got_cache), "GRUCache")
        for field in CACHE_FIELDS:
            check_close(f"cache.{field}", getattr(got_cache, field), getattr(want_cache, field), **ROUND_OFF)
        # the cache drives rnnkit's backward exactly as rnnkit's own cache does
        dc = rng.normal(0, 1, (n_a, m))
        got_back, want_back = gru_cell_backward(dc, got_cache), gru_cell_backward(dc, want_cache)
        for key in ("dxt", "dc_prev", "dWu", "dWr", "dWc"):
            check_close(f"gru_cell_backward from your cache: {key}", got_back[key], want_back[key], **ROUND_OFF)


@checks("06_gru_forward_tests", functions=("gru_forward",), reference=("gru_forward",))
def sequence_forward(student):
    """c<t> of every step fed forward from c<0>, y_hat<t>, and the caches in time order (on rnnkit's cell)."""
    own_cell = {"gru_cell_forward": Ref("rnnkit.gru_cell_forward")}  # your loop, rnnkit's cell
    example, x, c0 = example_gru(n_x=3, n_a=2, n_y=2, m=2, T_x=5)
    c, y_pred, caches = student.run("gru_forward", x, c0, example, standins=own_cell).value
    expected_c, expected_y, _ = gru_forward(x, c0, example)
    check_shape("c", c, (2, 2, 5), notation="(n_a, m, T_x)")
    check_close("c", c, expected_c, notation="(n_a, m, T_x)",
                mistakes={"every step started from c<0> (c<t-1> not fed forward)":
                          np.stack([gru_cell_forward(x[:, :, t], c0, example)[0] for t in range(5)], axis=2)},
                hint="step t starts from c<t-1>, the c_next of the step before, and only step 1 from c0")
    check_close("y_pred", y_pred, expected_y, notation="(n_y, m, T_x)")
    check_equal("len(caches)", len(caches), 5, hint="one cache per time step, T_x = 5")
    rng = np.random.default_rng(603)
    for n_x, n_a, n_y, m, T in ((4, 3, 5, 1, 6), (2, 5, 3, 4, 3)):
        p = random_gru(rng, n_x, n_a, n_y)
        x, c0 = rng.normal(0, 1, (n_x, m, T)), rng.normal(0, 0.7, (n_a, m))
        got_c, got_y, got_caches = student.run("gru_forward", x, c0, p, standins=own_cell).value
        want_c, want_y, want_caches = gru_forward(x, c0, p)
        # tolerance: float64 round-off only
        check_close("c", got_c, want_c, **ROUND_OFF)
        check_close("y_pred", got_y, want_y, **ROUND_OFF)
        check_equal("len(caches)", len(got_caches), T)
        dc = rng.normal(0, 1, (n_a, m, T))
        got_back, want_back = gru_backward(dc, list(got_caches)), gru_backward(dc, want_caches)
        for key in ("dx", "dc0", "dWu", "dWr", "dWc"):
            check_close(f"gru_backward from your caches: {key}", got_back[key], want_back[key], **ROUND_OFF)


@checks("06_gru_cell_backward_tests", functions=("gru_cell_backward",),
        reference=("gru_cell_backward", "gru_backward"))
def cell_backward(student):
    """The gradients of one full-GRU step, against rnnkit's chain rule."""
    example, x, c0 = example_gru(n_x=3, n_a=2, m=3)
    _, _, step_cache = gru_cell_forward(x[:, :, 0], c0, example)
    dc_next = np.array([[1.0, -0.5, 0.2], [0.3, 0.8, -1.0]])
    grads = student.gru_cell_backward(dc_next, step_cache)
    check_type("gru_cell_backward(...)", grads, dict)
    expected = gru_cell_backward(dc_next, step_cache)
    for key, notation in (("dWu", "(n_a, n_a + n_x)"), ("dbu", "(n_a, 1)"), ("dWc", "(n_a, n_a + n_x)"),
                          ("dbc", "(n_a, 1)"), ("dWr", "(n_a, n_a + n_x)"), ("dbr", "(n_a, 1)")):
        check_close(key, grads.get(key), expected[key], notation=notation,
                    hint="dW = dz [the W's input]^T: [c<t-1>; x<t>] for Wu, Wr and [Γr * c<t-1>; x<t>] for Wc; "
                         "db sums dz over the examples (axis=1, keepdims=True)")
    check_close("dc_prev (∂L/∂c<t-1>)", grads.get("dc_prev"), expected["dc_prev"], notation="(n_a, m)",
                mistakes={"dc_prev without the direct path dc_next * (1 − Γu)":
                          expected["dc_prev"] - dc_next * (1 - step_cache.gamma_u)},
                hint="c<t-1> collects four terms: the direct (1 − Γu) path, the path through Γr * c<t-1> inside "
                     "c~<t>, and the paths through Γu and Γr")
    check_close("dxt (∂L/∂x<t>)", grads.get("dxt"), expected["dxt"], notation="(n_x, m)",
                hint="x<t> enters c~<t>, Γu and Γr: add the bottom n_x rows of all three")
    rng = np.random.default_rng(604)
    for n_x, n_a, m in ((4, 3, 1), (2, 5, 6)):
        p = random_gru(rng, n_x, n_a)
        xt, c_prev = rng.normal(0, 1, (n_x, m)), rng.normal(0, 0.7, (n_a, m))
        _, _, cache = gru_cell_forward(xt, c_prev, p)
        dc = rng.normal(0, 1, (n_a, m))
        got = student.gru_cell_backward(dc, cache)
        check_type("gru_cell_backward(...)", got, dict)
        want = gru_cell_backward(dc, cache)
        for key in ("dxt", "dc_prev", "dWu", "dbu", "dWr", "dbr", "dWc", "dbc"):
            # tolerance: float64 round-off only
            check_close(key, got.get(key), want[key], **ROUND_OFF)


@checks("06_gru_backward_tests", functions=("gru_backward",), reference=("gru_backward",))
def sequence_backward(student):
    """BPTT: dc<t> plus the gradient carried back from step t+1; weight gradients summed (on rnnkit's step)."""
    own_step = {"gru_cell_backward": Ref("rnnkit.gru_cell_backward")}  # your loop, rnnkit's step
    example, x, c0 = example_gru(n_x=3, n_a=2, m=2, T_x=4)
    _, _, sequence_caches = gru_forward(x, c0, example)
    dc = np.random.default_rng(6).normal(0, 1, (2, 2, 4))
    grads = student.run("gru_backward", dc, sequence_caches, standins=own_step).value
    check_type("gru_backward(...)", grads, dict)
    expected = gru_backward(dc, sequence_caches)
    check_close("dc0 (∂L/∂c<0>)", grads.get("dc0"), expected["dc0"], notation="(n_a, m)",
                mistakes={"∂L/∂c<0> from dc<1> alone: the gradient from later steps is not carried back":
                          gru_cell_backward(dc[:, :, 0], sequence_caches[0])["dc_prev"]},
                hint="at step t pass dc<t> + (the dc_prev returned by step t+1) to the step's backward")
    check_close("dx", grads.get("dx"), expected["dx"], notation="(n_x, m, T_x)")
    for key in ("dWu", "dWr", "dWc", "dbu", "dbr", "dbc"):
        check_close(key, grads.get(key), expected[key], hint="sum the step's gradients over t = 1, …, T_x")
    rng = np.random.default_rng(605)
    for n_x, n_a, m, T in ((4, 3, 1, 6), (2, 5, 4, 3)):
        p = random_gru(rng, n_x, n_a)
        x, c0 = rng.normal(0, 1, (n_x, m, T)), rng.normal(0, 0.7, (n_a, m))
        _, _, caches = gru_forward(x, c0, p)
        dc = rng.normal(0, 1, (n_a, m, T))
        got = student.run("gru_backward", dc, caches, standins=own_step).value
        check_type("gru_backward(...)", got, dict)
        want = gru_backward(dc, caches)
        for key in ("dx", "dc0", "dWu", "dbu", "dWr", "dbr", "dWc", "dbc"):
            # tolerance: float64 round-off only
            check_close(key, got.get(key), want[key], **ROUND_OFF)


@checks("06_memory_retention_tests", functions=("memory_retention",))
def memory_retention(student):
    """r<t> = Π_{s > t} (1 − Γu<s>), r<T_x> = 1."""
    gates = np.array([0.5, 0.0, 0.5, 0.9]).reshape(1, 1, 4)
    r = student.memory_retention(gates)
    check_shape("r", r, (1, 1, 4), notation="(n_a, m, T_x)")
    check_close("r for Γu = [0.5, 0, 0.5, 0.9]", r, np.array([0.05, 0.05, 0.1, 1.0]).reshape(1, 1, 4),
                mistakes={"a product that includes the step's own (1 − Γu<t>)":
                          np.array([0.025, 0.05, 0.05, 0.1]).reshape(1, 1, 4),
                          "a product of Γu instead of 1 − Γu": np.array([0.0, 0.45, 0.9, 1.0]).reshape(1, 1, 4)},
                hint="r<T_x> = 1, and r<t> = r<t+1> * (1 − Γu<t+1>): the product runs over the LATER steps only")
    rng = np.random.default_rng(606)
    for shape in ((3, 1, 7), (2, 4, 1), (5, 2, 3)):
        g = rng.uniform(0, 1, shape)
        want = g.copy()
        for t in range(shape[2]):
            want[:, :, t] = (1 - g[:, :, t + 1:]).prod(axis=2)
        # tolerance: float64 round-off only
        check_close("r", student.memory_retention(g), want, rtol=1e-7, atol=1e-12)
