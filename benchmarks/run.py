"""Benchmark (not a test): rnnkit's RNN, GRU and LSTM layers against PyTorch on the CPU.

For every family (rnn, gru, lstm), shape, dtype and mode (forward; forward + backward) this times:

- rnnkit: ``rnn_forward`` / ``gru_forward`` / ``lstm_forward`` (+ the matching ``*_backward``, which
  also returns dx and da0), numpy's BLAS with 2 threads and with 1 (switched through numpy's
  bundled OpenBLAS between the runs);
- PyTorch with 1 and with 2 threads, the same weights: ``nn.RNN`` (tanh) and ``nn.LSTM`` (gates
  reordered to PyTorch's i, f, g, o; b_hh = 0), and for the GRU the lecture's form written in
  PyTorch operations (``nn.GRU`` is a different GRU: its reset gate acts after the product and
  its update gate weighs the old state). Its input projection for all steps is one product too.
  The backward is autograd's, with gradients for the input and a<0> as rnnkit computes them.

Before any timing the outputs and gradients of both sides are checked to agree. The repeats of
rnnkit and PyTorch, each with 1 and with 2 threads, are interleaved, so machine noise (the machine is
small and shared) hits them alike; the median, min and max are reported.

Also measured in the same run:
- the fraction of the machine's matrix-multiply rate: the layer's matrix-product FLOPs divided by
  its time, over the rate numpy reaches on ONE product of the same total size and the same
  weight shape, (gates n_a, n_a + n_x) @ (n_a + n_x, T_x m), measured right before the case;
- memory: the peak traced memory (tracemalloc, which numpy reports its arrays to) of one LSTM
  forward + backward at the larger shape, against the size of what the backward pass must keep.

Run:  python benchmarks/run.py            (several minutes on 2 shared cores)
      python benchmarks/run.py --quick    (a smoke run: one repeat, shorter sequences)
Writes benchmarks/results/layers.md and benchmarks/results/layers.png. Needs PyTorch:
pip install -e ".[bench]".
"""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "2"  # rnnkit's numpy runs with 2 threads; set before numpy is imported
# PyTorch's OpenMP threads and OpenBLAS's threads spin while idle; on 2 cores the spinning side slows
# the other down by 10x or more. Passive waiting makes the interleaved timings measure the layers.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402

import blas  # noqa: E402
import numpy as np  # noqa: E402

from rnnkit import gru_backward, gru_forward, lstm_backward, lstm_forward, rnn_backward, rnn_forward  # noqa: E402

try:
    import torch
except ImportError:  # pragma: no cover - an optional benchmark dependency
    raise SystemExit('PyTorch is needed for this benchmark: pip install -e ".[bench]"') from None

RESULTS = Path(__file__).resolve().parent / "results"
SHAPES = {"large": dict(n_x=128, n_a=256, m=64, T_x=100), "char": dict(n_x=27, n_a=100, m=1, T_x=25)}
GATES = {"rnn": 1, "gru": 3, "lstm": 4}  # rows of the stacked weights, in units of n_a
SIDES = ("rnnkit", "torch")
SETTLE = 0.12  # seconds of sleep before each timed call (OpenBLAS threads spin ~0.1 s after a call)
DTYPES = {"float64": (np.float64, torch.float64), "float32": (np.float32, torch.float32)}


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
    def run():
        if family == "rnn":
            a, _, caches = rnn_forward(x, a0, p)
            return a, (rnn_backward(da, caches) if backward else None)
        if family == "gru":
            a, _, caches = gru_forward(x, a0, p)
            return a, (gru_backward(da, caches) if backward else None)
        a, _, _, caches = lstm_forward(x, a0, p)
        return a, (lstm_backward(da, caches) if backward else None)
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
        for t in range(x.shape[0]):
            ur = torch.sigmoid(zx[t, :, : 2 * n_a] + c @ W_ur)
            gamma_u, gamma_r = ur[:, :n_a], ur[:, n_a:]
            c_tilde = torch.tanh(zx[t, :, 2 * n_a :] + (gamma_r * c) @ W_c)
            c = gamma_u * c_tilde + (1 - gamma_u) * c
            out.append(c)
        return torch.stack(out)


def torch_module(family, p, n_x, n_a, tdtype):
    """PyTorch's module holding the same weights as rnnkit's parameters p."""
    t = lambda v: torch.tensor(v, dtype=tdtype)  # noqa: E731
    if family == "gru":
        return LectureGRU(p, n_a, tdtype)
    if family == "rnn":
        mod = torch.nn.RNN(n_x, n_a, nonlinearity="tanh").to(tdtype)
        W, b = np.concatenate([p["Waa"], p["Wax"]], axis=1), p["ba"]
    else:  # PyTorch's gate order is i (Γu), f (Γf), g (c~), o (Γo)
        mod = torch.nn.LSTM(n_x, n_a).to(tdtype)
        W = np.concatenate([p["Wu"], p["Wf"], p["Wc"], p["Wo"]])
        b = np.concatenate([p["bu"], p["bf"], p["bc"], p["bo"]])
    with torch.no_grad():
        mod.weight_hh_l0.copy_(t(W[:, :n_a]))
        mod.weight_ih_l0.copy_(t(W[:, n_a:]))
        mod.bias_ih_l0.copy_(t(b[:, 0]))
        mod.bias_hh_l0.zero_()
    return mod


def torch_runner(family, mod, x, a0, da, backward):
    """A no-argument function running PyTorch's layer; returns (out (T_x, m, n_a), grads or None)."""
    xt = torch.tensor(np.ascontiguousarray(x.transpose(2, 1, 0)))  # (T_x, m, n_x)
    h0 = torch.tensor(np.ascontiguousarray(a0.T))  # (m, n_a)
    dat = torch.tensor(np.ascontiguousarray(da.transpose(2, 1, 0)))

    def run():
        mod.zero_grad(set_to_none=True)
        xg, hg = xt.detach().requires_grad_(backward), h0.detach().requires_grad_(backward)
        with torch.set_grad_enabled(backward):
            if family == "gru":
                out = mod(xg, hg)
            elif family == "rnn":
                out, _ = mod(xg, hg[None])
            else:
                out, _ = mod(xg, (hg[None], torch.zeros_like(hg)[None]))
            if backward:
                out.backward(dat)
                return out, {"dx": xg.grad, "da0": hg.grad}
        return out, None
    return run


def check_agreement(family, p, x, a0, da, mod, tol):
    """rnnkit and PyTorch give the same a, dx, da0 and recurrent-weight gradient (same weights)."""
    a, g = rnnkit_runner(family, p, x, a0, da, True)()
    torch.set_num_threads(2)
    out, tg = torch_runner(family, mod, x, a0, da, True)()
    n_a = a0.shape[0]
    check = [("a", a, out.detach().numpy().transpose(2, 1, 0)),
             ("dx", g["dx"], tg["dx"].numpy().transpose(2, 1, 0)), ("da0", g["da0"], tg["da0"].numpy().T)]
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
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def gemm_rate(rows, k, cols, dtype, repeats):
    """GFLOP/s numpy reaches on one (rows, k) @ (k, cols) product (best of ``repeats``)."""
    rng = np.random.default_rng(1)
    A, B = rng.normal(size=(rows, k)).astype(dtype), rng.normal(size=(k, cols)).astype(dtype)
    out = np.empty((rows, cols), dtype=dtype)
    best = min(seconds(lambda: np.matmul(A, B, out=out)) for _ in range(repeats))
    return 2 * rows * k * cols / best / 1e9


def layer_flops(family, n_x, n_a, m, T_x, backward):
    """Matrix-product FLOPs: 2 G n_a (n_a + n_x) m T_x forward, twice that more backward."""
    forward = 2 * GATES[family] * n_a * (n_a + n_x) * m * T_x
    return forward * (3 if backward else 1)


def time_case(family, shape, dtype_name, repeats):
    """Timings (seconds lists) of rnnkit, torch 1 thread, torch 2 threads, for fwd and fwd+bwd."""
    s = SHAPES[shape] if isinstance(shape, str) else shape
    ndtype, tdtype = DTYPES[dtype_name]
    p, x, a0, da = make_case(family, s["n_x"], s["n_a"], s["m"], s["T_x"], ndtype)
    mod = torch_module(family, p, s["n_x"], s["n_a"], tdtype)
    check_agreement(family, p, x, a0, da, mod, tol=1e-9 if dtype_name == "float64" else 2e-3)
    rows = []
    for backward in (False, True):
        runs = {"rnnkit": rnnkit_runner(family, p, x, a0, da, backward),
                "torch": torch_runner(family, mod, x, a0, da, backward)}
        for fn in runs.values():  # warm-up
            fn()
        times = {f"{side} {n} thread{'s' if n > 1 else ''}": [] for n in (1, 2) for side in SIDES}
        for _ in range(repeats):  # interleaved, so noise hits all four alike
            for n in (1, 2):
                threads = f"{n} thread{'s' if n > 1 else ''}"
                blas.set_threads(n)
                times[f"rnnkit {threads}"].append(seconds(runs["rnnkit"], SETTLE))
                torch.set_num_threads(n)
                times[f"torch {threads}"].append(seconds(runs["torch"], SETTLE))
        blas.set_threads(2)
        peak = gemm_rate(GATES[family] * s["n_a"], s["n_a"] + s["n_x"], s["m"] * s["T_x"], ndtype, 3)
        rows.append(dict(family=family, shape=shape, dtype=dtype_name, mode="fwd+bwd" if backward else "fwd",
                         times=times, peak=peak,
                         flops=layer_flops(family, s["n_x"], s["n_a"], s["m"], s["T_x"], backward)))
    return rows


def lstm_memory(n_x, n_a, m, T_x):
    """(peak bytes of one LSTM forward + backward, bytes the backward must keep), float64."""
    p, x, a0, da = make_case("lstm", n_x, n_a, m, T_x, np.float64)
    lstm_backward(da, lstm_forward(x, a0, p)[3])  # warm-up outside the trace
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        a, _, c, caches = lstm_forward(x, a0, p)
        grads = lstm_backward(da, caches)
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    del a, c, caches, grads
    # per step: [a<t-1>; x<t>], c<t-1>, Γf, Γu, Γo, c~<t>, tanh(c<t>) -- (7 n_a + n_x) m values
    keep = (7 * n_a + n_x) * m * T_x * 8
    return peak, keep


# ----------------------------------------------------------------------------- report

def summary(ts):
    return statistics.median(ts), min(ts), max(ts)


def fmt_ms(ts):
    med, lo, hi = summary(ts)
    return f"{med * 1e3:.2f} ({lo * 1e3:.2f}–{hi * 1e3:.2f})"


def ratio(row, threads):
    """rnnkit's median time over PyTorch's, both with ``threads`` ("1 thread" or "2 threads")."""
    return summary(row["times"][f"rnnkit {threads}"])[0] / summary(row["times"][f"torch {threads}"])[0]


def markdown(rows, memory, args, elapsed):
    lines = [
        "# rnnkit's layers against PyTorch (CPU)",
        "",
        f"Written by `python benchmarks/run.py{' --quick' if args.quick else ''}` in {elapsed:.0f} s on "
        f"{platform.machine()}, {os.cpu_count()} cores shared with other work; Python "
        f"{platform.python_version()}, numpy {np.__version__}, torch {torch.__version__}. {blas.describe()}",
        "",
        "Times in ms: median (min–max) over the repeats, rnnkit and PyTorch interleaved. **ratio** = rnnkit's "
        "median over PyTorch's with the same number of threads (numpy's BLAS threads for rnnkit, "
        "torch.set_num_threads for PyTorch; below 1: rnnkit is faster). GRU: the lecture's GRU in PyTorch operations "
        "(PyTorch's nn.GRU is another GRU). Outputs and gradients were checked to agree before timing "
        "(relative 1e-9 in float64, 2e-3 in float32).",
        "",
        "**of peak** = the layer's matrix-product FLOPs / its time, over the GFLOP/s numpy reached in the same "
        "run on one product of the same total size ((gates·n_a, n_a+n_x) @ (n_a+n_x, T_x·m), shown as **GEMM**). The "
        "char-level shape (m = 1) is bound by per-call overhead, not by arithmetic.",
        "",
        "| family | shape | dtype | mode | rnnkit 2 thr ms | torch 2 thr ms | **ratio 2 thr** | rnnkit 1 thr ms"
        " | torch 1 thr ms | **ratio 1 thr** | GEMM GFLOP/s (2 thr) | rnnkit 2 thr of peak"
        " | torch 2 thr of peak |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        shape = r["shape"] if isinstance(r["shape"], str) else "quick"
        t = r["times"]
        rate = {k: r["flops"] / summary(t[k])[0] / 1e9 / r["peak"] for k in ("rnnkit 2 threads", "torch 2 threads")}
        lines.append(
            f"| {r['family']} | {shape} | {r['dtype']} | {r['mode']} | {fmt_ms(t['rnnkit 2 threads'])} | "
            f"{fmt_ms(t['torch 2 threads'])} | **{ratio(r, '2 threads'):.2f}** | "
            f"{fmt_ms(r['times']['rnnkit 1 thread'])} | {fmt_ms(r['times']['torch 1 thread'])} | "
            f"**{ratio(r, '1 thread'):.2f}** | {r['peak']:.1f} | "
            f"{rate['rnnkit 2 threads']:.0%} | {rate['torch 2 threads']:.0%} |"
        )
    shapes = ", ".join(f"{k}: " + ", ".join(f"{d}={v}" for d, v in s.items()) for k, s in SHAPES.items())
    lines += ["", f"Shapes: {shapes}."]
    if memory:
        peak, keep = memory
        lines += [
            "",
            "## Memory: LSTM forward + backward, larger shape, float64",
            "",
            f"Peak traced memory (tracemalloc) of `lstm_forward` + `lstm_backward`: **{peak / 2**20:.1f} MiB**. "
            f"What the backward must keep, per step [a<t-1>; x<t>], c<t-1>, Γf, Γu, Γo, c~<t> and tanh(c<t>), "
            f"(7 n_a + n_x) m T_x values: **{keep / 2**20:.1f} MiB**. "
            f"Ratio **{peak / keep:.2f}×** (target ≤ 1.5×). "
            "The peak includes the returned a, c (views of the caches' buffers), dx and the weight gradients.",
        ]
    return "\n".join(lines) + "\n"


def plot(rows, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [f"{r['family']} {r['shape'] if isinstance(r['shape'], str) else 'quick'} "
              f"{r['dtype'][5:]} {r['mode']}" for r in rows]
    fig, ax = plt.subplots(figsize=(9, 0.28 * len(rows) + 1.5))
    y = np.arange(len(rows))
    for dy, key, color in ((-0.2, "1 thread", "tab:blue"), (0.2, "2 threads", "tab:orange")):
        ax.barh(y + dy, [ratio(r, key) for r in rows], height=0.4, color=color, label=f"rnnkit / torch, {key}")
    ax.axvline(1.0, color="black", lw=1)
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("time ratio rnnkit / PyTorch (median; < 1: rnnkit faster)")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: one repeat, short sequences, no memory")
    parser.add_argument("--repeats", type=int, default=None, help="repeats per case (default 9; 15 at m = 1)")
    args = parser.parse_args(argv)
    torch.manual_seed(0)
    start = time.perf_counter()
    rows = []
    for shape in SHAPES:
        for dtype_name in DTYPES:
            for family in GATES:
                if args.quick:
                    s, repeats = dict(SHAPES[shape], T_x=5), 1
                else:
                    s, repeats = shape, args.repeats or (9 if SHAPES[shape]["m"] > 1 else 15)
                case = time_case(family, s, dtype_name, repeats)
                for r in case:
                    r["shape"] = shape if not args.quick else f"{shape}, T_x=5"
                    print(f"{r['family']:>4} {r['shape']:>12} {r['dtype']} {r['mode']:>7}: rnnkit "
                          f"{fmt_ms(r['times']['rnnkit 2 threads'])} ms, ratio {ratio(r, '2 threads'):.2f} (2 thr) "
                          f"{ratio(r, '1 thread'):.2f} (1 thr)", flush=True)
                rows += case
    memory = None if args.quick else lstm_memory(**SHAPES["large"])
    if memory:
        print(f"LSTM memory: peak {memory[0] / 2**20:.1f} MiB, must keep {memory[1] / 2**20:.1f} MiB, "
              f"ratio {memory[0] / memory[1]:.2f}")
    RESULTS.mkdir(exist_ok=True)
    text = markdown(rows, memory, args, time.perf_counter() - start)
    (RESULTS / "layers.md").write_text(text)
    plot(rows, RESULTS / "layers.png")
    print(f"wrote {RESULTS / 'layers.md'} and {RESULTS / 'layers.png'}")


if __name__ == "__main__":
    main()
