"""Benchmark (not a test): how close rnnkit's LSTM is to what numpy allows, next to PyTorch.

At the larger shape of run.py (n_x=128, n_a=256, m=64, T_x=100), 2 threads, float32 and float64,
interleaved repeats (median, min, max) of:

- rnnkit: ``lstm_forward`` + ``lstm_backward``;
- products only: the matrix products that those two calls run, with the same shapes, in the same
  order, and nothing else (per step [W | b] [a<t-1>; x<t>; 1] forward and Wa^T dz<t> backward; per
  block of steps the weight (and bias) and input gradients), i.e. rnnkit's time if every
  element-wise operation and all Python work cost nothing;
- PyTorch: ``nn.LSTM`` forward + autograd backward, the same weights (as in run.py).

``products only / torch`` is the lowest ratio rnnkit could reach with numpy's matrix products;
``rnnkit - products`` is what the element-wise work (gates, memory cell, derivatives) costs.

Run:  python benchmarks/lstm_floor.py [--repeats N]    (about a minute)
Writes benchmarks/results/lstm_floor.md. Needs PyTorch: pip install -e ".[bench]".
"""

import run  # first: it sets the BLAS thread count before numpy is imported

# isort: split
import argparse
import platform
import statistics
import time

import blas
import numpy as np
import torch

from rnnkit.rnn import chunks


def products_runner(n_x, n_a, m, T_x, dtype):
    """A no-argument function running only the matrix products of lstm_forward + lstm_backward."""
    rng = np.random.default_rng(2)
    W = rng.normal(size=(4 * n_a, n_a + n_x)).astype(dtype)  # [Wo; Wf; Wu; Wc]
    WbT = rng.normal(size=(n_a + n_x + 1, 4 * n_a)).astype(dtype)  # [W | b]^T
    H = rng.normal(size=(T_x + 1, m, n_a + n_x + 1)).astype(dtype)  # [a<t-1>; x<t>; 1]^T of every step
    G = np.empty((T_x, m, 4 * n_a), dtype=dtype)
    dZ = rng.normal(size=(T_x, m, 4 * n_a)).astype(dtype)
    dx = np.empty((T_x, m, n_x), dtype=dtype)
    Wa, Wx = W[:, :n_a], W[:, n_a:]

    def run():
        for t in range(T_x):  # forward: one product per step
            np.matmul(H[t], WbT, out=G[t])
        dWb = np.zeros((4 * n_a, n_a + n_x + 1), dtype=dtype)
        for t0, t1 in chunks(T_x, m):  # backward: one product per step, two per block of steps
            for t in reversed(range(t0, t1)):
                dZ[t] @ Wa
            dZ2 = dZ[t0:t1].reshape(-1, 4 * n_a)
            dWb += dZ2.T @ H[t0:t1].reshape(-1, n_a + n_x + 1)
            np.matmul(dZ2, Wx, out=dx[t0:t1].reshape(-1, n_x))
    return run


def measure(dtype_name, repeats):
    ndtype, tdtype = run.DTYPES[dtype_name]
    s = run.SHAPES["large"]
    p, x, a0, da = run.make_case("lstm", s["n_x"], s["n_a"], s["m"], s["T_x"], ndtype)
    runs = {"rnnkit": run.rnnkit_runner("lstm", p, x, a0, da, True),
            "products only": products_runner(s["n_x"], s["n_a"], s["m"], s["T_x"], ndtype),
            "torch": run.torch_runner("lstm", run.torch_module("lstm", p, s["n_x"], s["n_a"], tdtype),
                                      x, a0, da, True)}
    blas.set_threads(2)
    torch.set_num_threads(2)
    for fn in runs.values():  # warm-up
        fn()
    times = {k: [] for k in runs}
    for _ in range(repeats):  # interleaved, so noise hits all three alike
        for k, fn in runs.items():
            times[k].append(run.seconds(fn, run.SETTLE))
    return {k: [v * 1e3 for v in ts] for k, ts in times.items()}


def fmt(ts):
    return f"{statistics.median(ts):.1f} ({min(ts):.1f}–{max(ts):.1f})"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    lines = []
    for dtype_name in ("float32", "float64"):
        t = measure(dtype_name, args.repeats)
        med = {k: statistics.median(v) for k, v in t.items()}
        lines.append(f"| {dtype_name} | {fmt(t['rnnkit'])} | {fmt(t['products only'])} | {fmt(t['torch'])} | "
                     f"{med['rnnkit'] - med['products only']:.1f} | **{med['rnnkit'] / med['torch']:.2f}** | "
                     f"**{med['products only'] / med['torch']:.2f}** |")
        print(lines[-1], flush=True)
    s = run.SHAPES["large"]
    text = "\n".join([
        "# The LSTM's floor: rnnkit against its own matrix products and PyTorch",
        "",
        f"Written by `python benchmarks/lstm_floor.py` in {time.perf_counter() - start:.0f} s on "
        f"{platform.machine()}, 2 cores shared with other work; numpy {np.__version__}, torch {torch.__version__}. "
        f"{blas.describe()} "
        f"Shape n_x={s['n_x']}, n_a={s['n_a']}, m={s['m']}, T_x={s['T_x']}; forward + backward; 2 threads on "
        f"both sides; times in ms, median (min–max) over {args.repeats} interleaved repeats.",
        "",
        "**products only** runs just the matrix products of `lstm_forward` + `lstm_backward` (same shapes, same "
        "order): rnnkit's time if the element-wise work were free. Its ratio to PyTorch is the lowest that numpy's "
        "products allow; PyTorch fuses its element-wise work into a few kernels, numpy runs one pass per operation.",
        "",
        "| dtype | rnnkit ms | products only ms | torch ms | rnnkit − products ms | rnnkit / torch | "
        "products only / torch |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *lines,
        "",
    ])
    run.RESULTS.mkdir(exist_ok=True)
    (run.RESULTS / "lstm_floor.md").write_text(text)
    print(f"wrote {run.RESULTS / 'lstm_floor.md'}")


if __name__ == "__main__":
    main()
