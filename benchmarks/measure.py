"""What one column of benchmarks/run.py measures, in a process of its own (not a test).

run.py starts this file twice, once per column of kernels (blas.environment), and sends it one
request per line on stdin ({"call": name, "args": {...}}); each answer is one JSON line on stdout
(anything printed goes to stderr). numpy's BLAS and PyTorch each run on 2 threads, timed by the wall clock;
``measure.py --threads 1 --clock cpu`` runs both on 1 thread and times the CPU time of the one thread that
works (time.thread_time), which other processes on a shared machine barely change.

The requests (functions below): ``info`` (versions, kernels), ``setup`` a case (its arrays, the
PyTorch modules, the check that both sides agree, a warm-up), ``once`` (each side timed once),
``peak`` (the GEMM rate of the case's size), ``breakdown`` (where rnnkit's time goes), ``floor``
(the cost of one numpy call and the calls a layer makes per step) and ``memory`` (the LSTM's peak).
"""

import argparse
import os
import time

_parser = argparse.ArgumentParser(description="one column of benchmarks/run.py (not run by hand)")
_parser.add_argument("--threads", type=int, default=2)
_parser.add_argument("--clock", choices=("wall", "cpu"), default="wall")
OPTIONS = _parser.parse_args()
THREADS = OPTIONS.threads
CLOCK = time.thread_time if OPTIONS.clock == "cpu" else time.perf_counter  # cpu: this thread's CPU time
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = str(THREADS)  # set before numpy is imported
# PyTorch's OpenMP threads and OpenBLAS's threads spin while idle; on 2 cores the spinning side slows
# the other down by 10x or more. Passive waiting makes the interleaved timings measure the layers.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import contextlib  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import traceback  # noqa: E402
import tracemalloc  # noqa: E402
import types  # noqa: E402
from pathlib import Path  # noqa: E402

import blas  # noqa: E402
import numpy as np  # noqa: E402

import rnnkit  # noqa: E402
from rnnkit import gru, lstm, rnn  # noqa: E402

try:
    import torch
except ImportError:  # pragma: no cover - an optional benchmark dependency
    raise SystemExit('PyTorch is needed for this benchmark: pip install -e ".[bench]"') from None

SHAPES = {"large": dict(n_x=128, n_a=256, m=64, T_x=100), "char": dict(n_x=27, n_a=100, m=1, T_x=25)}
GATES = {"rnn": 1, "gru": 3, "lstm": 4}  # rows of the stacked weights, in units of n_a
DTYPES = {"float64": (np.float64, torch.float64), "float32": (np.float32, torch.float32)}
SETTLE = 0.12  # seconds of sleep before each timed call (OpenBLAS threads spin ~0.1 s after a call)


# ----------------------------------------------------------------------------- the two sides

def make_case(family, n_x, n_a, m, T_x, dtype, seed=0):
    """Random parameters in rnnkit's keys, x (n_x, m, T_x), a0 (n_a, m) and an upstream da."""
    rng = np.random.default_rng(seed)
    k = 1 / np.sqrt(n_a)
    if family == "rnn":
        p = {"Waa": rng.uniform(-k, k, (n_a, n_a)), "Wax": rng.uniform(-k, k, (n_a, n_x)),
             "ba": rng.uniform(-k, k, (n_a, 1))}
    else:
        p = {}
        for g in ("urc" if family == "gru" else "fuoc"):
            p[f"W{g}"], p[f"b{g}"] = rng.uniform(-k, k, (n_a, n_a + n_x)), rng.uniform(-k, k, (n_a, 1))
    x, a0, da = rng.normal(size=(n_x, m, T_x)), rng.normal(0, 0.5, (n_a, m)), rng.normal(size=(n_a, m, T_x))
    if family == "lstm":
        a0[:] = 0.0  # nn.LSTM and rnnkit both start from c<0> = 0; a<0> = 0 keeps it the usual zero state
    cast = lambda v: v.astype(dtype)  # noqa: E731
    return {k: cast(v) for k, v in p.items()}, cast(x), cast(a0), cast(da)


def rnnkit_runner(family, p, x, a0, da, backward):
    """A no-argument function running rnnkit's layer; returns (a, grads or None)."""
    forward, backward_fn = getattr(rnnkit, f"{family}_forward"), getattr(rnnkit, f"{family}_backward")

    def run():
        out = forward(x, a0, p)
        return out[0], (backward_fn(da, out[-1]) if backward else None)
    return run


class LectureGRU(torch.nn.Module):
    """The lecture's GRU in PyTorch operations: Γu, Γr = σ(W[c; x] + b), c~ = tanh(Wc[Γr c; x] + bc)."""

    def __init__(self, p, n_a, dtype):
        super().__init__()
        W = np.concatenate([p["Wu"], p["Wr"], p["Wc"]])  # (3 n_a, n_a + n_x)
        self.n_a = n_a
        self.W_h = torch.nn.Parameter(torch.tensor(W[:, :n_a], dtype=dtype))
        self.W_x = torch.nn.Parameter(torch.tensor(W[:, n_a:], dtype=dtype))
        b = np.concatenate([p["bu"], p["br"], p["bc"]])[:, 0]
        self.b = torch.nn.Parameter(torch.tensor(b, dtype=dtype))

    def forward(self, x, c):  # x (T_x, m, n_x), c (m, n_a)
        n_a = self.n_a
        zx = torch.addmm(self.b, x.reshape(-1, x.shape[-1]), self.W_x.t()).view(x.shape[0], x.shape[1], -1)
        W_ur, W_c = self.W_h[: 2 * n_a].t(), self.W_h[2 * n_a :].t()
        out = []
        # unbind: indexing zx[t] would make autograd add a zero-filled gradient of the whole zx per step
        # (10x slower in float64), which no one writing this in PyTorch would keep
        for z in zx.unbind(0):
            ur = torch.sigmoid(z[:, : 2 * n_a] + c @ W_ur)
            gamma_u, gamma_r = ur[:, :n_a], ur[:, n_a:]
            c_tilde = torch.tanh(z[:, 2 * n_a :] + (gamma_r * c) @ W_c)
            c = gamma_u * c_tilde + (1 - gamma_u) * c
            out.append(c)
        return torch.stack(out)


TORCH_SIDES = {"rnn": ("nn.RNN",), "gru": ("lecture GRU in PyTorch ops", "nn.GRU"), "lstm": ("nn.LSTM",)}


def torch_module(side, p, n_x, n_a, tdtype):
    """PyTorch's module for ``side`` (a name of TORCH_SIDES) with rnnkit's weights p (nn.GRU: its own)."""
    t = lambda v: torch.tensor(v, dtype=tdtype)  # noqa: E731
    if side == "lecture GRU in PyTorch ops":
        return LectureGRU(p, n_a, tdtype)
    if side == "nn.GRU":  # another GRU (its reset gate acts after the product): weights do not carry over
        return torch.nn.GRU(n_x, n_a).to(tdtype)
    if side == "nn.RNN":
        mod = torch.nn.RNN(n_x, n_a, nonlinearity="tanh").to(tdtype)
        W, b = np.concatenate([p["Waa"], p["Wax"]], axis=1), p["ba"]
    else:  # nn.LSTM; PyTorch's gate order is i (Γu), f (Γf), g (c~), o (Γo)
        mod = torch.nn.LSTM(n_x, n_a).to(tdtype)
        W = np.concatenate([p["Wu"], p["Wf"], p["Wc"], p["Wo"]])
        b = np.concatenate([p["bu"], p["bf"], p["bc"], p["bo"]])
    with torch.no_grad():
        mod.weight_hh_l0.copy_(t(W[:, :n_a]))
        mod.weight_ih_l0.copy_(t(W[:, n_a:]))
        mod.bias_ih_l0.copy_(t(b[:, 0]))
        mod.bias_hh_l0.zero_()
    return mod


def torch_runner(side, mod, x, a0, da, backward):
    """A no-argument function running PyTorch's layer; returns (out (T_x, m, n_a), grads or None)."""
    xt = torch.tensor(np.ascontiguousarray(x.transpose(2, 1, 0)))  # (T_x, m, n_x)
    h0 = torch.tensor(np.ascontiguousarray(a0.T))  # (m, n_a)
    dat = torch.tensor(np.ascontiguousarray(da.transpose(2, 1, 0)))

    def run():
        mod.zero_grad(set_to_none=True)
        xg, hg = xt.detach().requires_grad_(backward), h0.detach().requires_grad_(backward)
        with torch.set_grad_enabled(backward):
            if side == "lecture GRU in PyTorch ops":
                out = mod(xg, hg)
            elif side == "nn.LSTM":
                out, _ = mod(xg, (hg[None], torch.zeros_like(hg)[None]))
            else:
                out, _ = mod(xg, hg[None])
            if backward:
                out.backward(dat)
                return out, {"dx": xg.grad, "da0": hg.grad}
        return out, None
    return run


def check_agreement(family, side, p, x, a0, da, mod, tol):
    """rnnkit and PyTorch give the same a, dx, da0 and recurrent-weight gradient (same weights).

    nn.GRU is another GRU: only its output's shape and finiteness are checked.
    """
    out, tg = torch_runner(side, mod, x, a0, da, True)()
    theirs_a = out.detach().numpy().transpose(2, 1, 0)
    if side == "nn.GRU":
        if theirs_a.shape != (*a0.shape, x.shape[2]) or not np.isfinite(theirs_a).all():
            raise SystemExit("nn.GRU: unexpected output")
        return
    a, g = rnnkit_runner(family, p, x, a0, da, True)()
    n_a = a0.shape[0]
    check = [("a", a, theirs_a), ("dx", g["dx"], tg["dx"].numpy().transpose(2, 1, 0)),
             ("da0", g["da0"], tg["da0"].numpy().T)]
    if family == "rnn":
        check.append(("dWaa", g["dWaa"], mod.weight_hh_l0.grad.numpy()))
    elif family == "gru":
        ours = np.concatenate([g["dWu"], g["dWr"], g["dWc"]])[:, :n_a]
        check.append(("dW (hidden part)", ours, mod.W_h.grad.numpy()))
    else:
        ours = np.concatenate([g["dWu"], g["dWf"], g["dWc"], g["dWo"]])[:, :n_a]
        check.append(("dW (hidden part)", ours, mod.weight_hh_l0.grad.numpy()))
    for name, ours, theirs in check:
        scale = max(np.abs(theirs).max(), 1e-30)
        err = np.abs(ours - theirs).max() / scale
        if not err < tol:
            raise SystemExit(f"{family}: {name} disagrees with PyTorch: max |diff| / max |value| = {err:.2e}")


# ----------------------------------------------------------------------------- measuring

def seconds(fn, settle=0.0):
    time.sleep(settle)  # lets the other side's idle BLAS/OpenMP threads stop spinning first
    t0 = CLOCK()
    fn()
    return CLOCK() - t0


def gemm_rate(rows, k, cols, dtype, repeats=7):
    """GFLOP/s numpy reaches on one (rows, k) @ (k, cols) product (best of ``repeats``)."""
    rng = np.random.default_rng(1)
    A, B = rng.normal(size=(rows, k)).astype(dtype), rng.normal(size=(k, cols)).astype(dtype)
    out = np.empty((rows, cols), dtype=dtype)
    time.sleep(SETTLE)  # the other column's idle BLAS threads stop spinning first
    best = min(seconds(lambda: np.matmul(A, B, out=out)) for _ in range(repeats))
    return 2 * rows * k * cols / best / 1e9


def layer_flops(family, n_x, n_a, m, T_x, backward):
    """Matrix-product FLOPs: 2 G n_a (n_a + n_x) m T_x forward, twice that more backward."""
    forward = 2 * GATES[family] * n_a * (n_a + n_x) * m * T_x
    return forward * (3 if backward else 1)


class Ledger:
    """A stand-in for numpy inside rnnkit's layer modules that times and counts each numpy call by kind.

    products: np.matmul, np.dot;  element-wise: every other ufunc (np.tanh, np.multiply, ...);
    copies: np.copyto, np.concatenate, np.ascontiguousarray and the buffers (np.empty, np.zeros).
    The sequence functions call numpy only through such functions in their loops, so what the
    ledger does not see (views, the input checks, Python) is the rest of the wall time.
    """

    COPIES = {"copyto", "concatenate", "ascontiguousarray", "empty", "zeros", "zeros_like", "empty_like"}
    KINDS = ("products", "element-wise", "copies")

    def __init__(self):
        self.seconds, self.calls = dict.fromkeys(self.KINDS, 0.0), dict.fromkeys(self.KINDS, 0)
        self.module = types.SimpleNamespace(**{k: self._wrap(k, v) for k, v in vars(np).items()})

    def _wrap(self, name, fn):
        kind = ("products" if name in ("matmul", "dot") else "element-wise" if isinstance(fn, np.ufunc)
                else "copies" if name in self.COPIES else None)
        if kind is None:
            return fn
        # the run's own clock, so that the kinds add up to its wall (with --clock cpu each reading is a
        # system call, under a µs: it inflates the m = 1 split a little, not the larger shape)
        spent, calls, clock = self.seconds, self.calls, CLOCK

        def call(*args, **kwargs):
            t0 = clock()
            out = fn(*args, **kwargs)
            spent[kind] += clock() - t0
            calls[kind] += 1
            return out
        return call

    @contextlib.contextmanager
    def installed(self):
        modules = (rnn, gru, lstm)
        for mod in modules:
            mod.np = self.module
        try:
            yield self
        finally:
            for mod in modules:
                mod.np = np


# ----------------------------------------------------------------------------- the requests

STATE = {}


def info():
    """Versions, the CPU, and the kernels numpy runs here (with the environment's variables)."""
    lines = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    cpu = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), platform.processor())
    return {"python": platform.python_version(), "numpy": np.__version__, "torch": torch.__version__,
            "machine": platform.machine(), "cpu": cpu, "cores": os.cpu_count(), "kernels": blas.kernels(),
            "describe": blas.describe()}


def setup(family, shape, dtype, backward, T_x=None):
    """Build one case (both sides), check that they agree, warm them up."""
    s = dict(SHAPES[shape], **({"T_x": T_x} if T_x else {}))
    ndtype, tdtype = DTYPES[dtype]
    torch.manual_seed(0)
    p, x, a0, da = make_case(family, s["n_x"], s["n_a"], s["m"], s["T_x"], ndtype)
    runs = {"rnnkit": rnnkit_runner(family, p, x, a0, da, backward)}
    for side in TORCH_SIDES[family]:
        mod = torch_module(side, p, s["n_x"], s["n_a"], tdtype)
        check_agreement(family, side, p, x, a0, da, mod, tol=1e-9 if dtype == "float64" else 2e-3)
        runs[side] = torch_runner(side, mod, x, a0, da, backward)
    for fn in runs.values():  # warm-up
        fn()
    STATE.update(runs=runs, shape=s, family=family, dtype=ndtype, backward=backward, warm=WARM[shape])
    return {"sides": list(runs), "flops": layer_flops(family, s["n_x"], s["n_a"], s["m"], s["T_x"], backward)}


WARM = {"large": 1, "char": 10}  # back-to-back calls per timing, the fastest kept


def once():
    """Each side of the case timed once (seconds), in a fixed order.

    After SETTLE's sleep a call starts cold (caches, sleeping threads): at the char-level shape that
    costs more than the call itself (rnnkit's RNN 0.70 ms cold against 0.26 ms warm), so there each
    side is the fastest of WARM back-to-back calls, as in a training loop; at the larger shape
    (10-500 ms a call) the first call is kept.
    """
    out = {}
    for name, fn in STATE["runs"].items():
        first = seconds(fn, SETTLE)
        out[name] = min([first] + [seconds(fn) for _ in range(STATE["warm"] - 1)])
    return out


def peak():
    """GFLOP/s of one product of the case's total size, (G n_a, n_a + n_x) @ (n_a + n_x, T_x m)."""
    s = STATE["shape"]
    return gemm_rate(GATES[STATE["family"]] * s["n_a"], s["n_a"] + s["n_x"], s["m"] * s["T_x"], STATE["dtype"])


def breakdown(family, shape, dtype, repeats, T_x=None):
    """Where rnnkit's forward + backward spends its time: seconds and calls by kind (the fastest repeat)."""
    s = dict(SHAPES[shape], **({"T_x": T_x} if T_x else {}))
    p, x, a0, da = make_case(family, s["n_x"], s["n_a"], s["m"], s["T_x"], DTYPES[dtype][0])
    run = rnnkit_runner(family, p, x, a0, da, True)
    run()
    samples = []
    for _ in range(repeats):
        ledger = Ledger()
        time.sleep(SETTLE)
        with ledger.installed():
            t0 = CLOCK()
            run()
            wall = CLOCK() - t0
        samples.append({"wall": wall, **ledger.seconds, **{f"{k} calls": n for k, n in ledger.calls.items()}})
    return min(samples, key=lambda v: v["wall"])  # the fastest: other processes only add time


def floor(family, dtype, calls=500, T_x=None):
    """The char-level shape: one numpy call's cost in a Python loop, and the calls rnnkit makes per step.

    The call: np.multiply(v, b, out=v) on (m, n_a) views taken in turn from a list, as the layers' loops
    do; seconds per call, the best of 60 loops of ``calls`` (short loops: one catches a quiet moment).
    The count: every numpy function the layer modules call in one forward + backward (Ledger), divided
    by T_x; and the seconds by kind (the fastest of 15).
    """
    s = dict(SHAPES["char"], **({"T_x": T_x} if T_x else {}))
    ndtype = DTYPES[dtype][0]
    buf, b = np.ones((calls, s["m"], s["n_a"]), dtype=ndtype), np.ones((s["m"], s["n_a"]), dtype=ndtype)
    views = list(buf)

    def loop():
        for v in views:
            np.multiply(v, b, out=v)
    per_call = min(seconds(loop) for _ in range(60)) / calls
    p, x, a0, da = make_case(family, s["n_x"], s["n_a"], s["m"], s["T_x"], ndtype)
    run, samples = rnnkit_runner(family, p, x, a0, da, True), []
    for _ in range(15):
        ledger = Ledger()
        with ledger.installed():
            t0 = CLOCK()
            run()
            samples.append({"wall": CLOCK() - t0, **ledger.seconds})
    return {"per_call": per_call, "calls_per_step": sum(ledger.calls.values()) / s["T_x"], "calls": ledger.calls,
            "seconds": min(samples, key=lambda v: v["wall"])}


def memory():
    """(peak bytes of one LSTM forward + backward at the larger shape, float64, bytes the backward must keep)."""
    s = SHAPES["large"]
    n_x, n_a, m, T_x = s["n_x"], s["n_a"], s["m"], s["T_x"]
    p, x, a0, da = make_case("lstm", n_x, n_a, m, T_x, np.float64)
    rnnkit.lstm_backward(da, rnnkit.lstm_forward(x, a0, p)[3])  # warm-up outside the trace
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        a, _, c, caches = rnnkit.lstm_forward(x, a0, p)
        grads = rnnkit.lstm_backward(da, caches)
        peak_bytes = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    del a, c, caches, grads
    # per step: [a<t-1>; x<t>], c<t-1>, Γf, Γu, Γo, c~<t>, tanh(c<t>) -- (7 n_a + n_x) m values
    return {"peak": peak_bytes, "keep": (7 * n_a + n_x) * m * T_x * 8}


REQUESTS = {f.__name__: f for f in (info, setup, once, peak, breakdown, floor, memory)}


def serve():
    """Answer run.py's requests, one JSON line each, until stdin closes."""
    answers = sys.stdout
    sys.stdout = sys.stderr  # a stray print must not break the protocol
    blas.set_threads(THREADS)
    torch.set_num_threads(THREADS)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            answer = {"ok": REQUESTS[request["call"]](**request.get("args", {}))}
        except (Exception, SystemExit) as err:
            answer = {"error": "".join(traceback.format_exception(err))}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


if __name__ == "__main__":
    serve()
