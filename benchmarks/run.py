"""Benchmark (not a test): rnnkit's RNN, GRU and LSTM layers against PyTorch on the CPU, in two columns.

The two columns are numpy's kernels "as the machine is" (the environment as found) and "best kernels"
(without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, see blas.py): one process of benchmarks/measure.py
each, started here, and their repeats interleaved (a repeat of one column, then of the other), so the
machine's noise (it is small and shared) hits both alike. Within a column rnnkit and PyTorch are
interleaved too, so every ratio is measured in one run. numpy's BLAS and PyTorch each have 2 threads, timed
by the wall clock; on a busy machine ``--threads 1 --clock cpu`` times the CPU time of the one working
thread instead (written to layers_1thread_cpu.md), which the other processes barely change.

For every family (rnn, gru, lstm), shape, dtype and mode (forward; forward + backward) it times:
- rnnkit: ``rnn_forward`` / ``gru_forward`` / ``lstm_forward`` (+ the matching ``*_backward``, which
  also returns dx and da0);
- PyTorch, the same weights: ``nn.RNN`` (tanh) and ``nn.LSTM`` (gates reordered to PyTorch's i, f, g,
  o; b_hh = 0); for the GRU both the lecture's GRU written in PyTorch operations (same weights) and
  ``nn.GRU``, the GRU a user would pick instead (PyTorch's form, its own weights: the same three gate
  products a step). The backward is autograd's, with gradients for the input and a<0>.
Before any timing the outputs and gradients of both sides are checked to agree.

Also measured, in each column:
- the fraction of the matrix-product rate: the layer's matrix-product FLOPs over its time, divided by
  the rate numpy reaches in the same run on ONE product of the same total size and weight shape,
  (gates n_a, n_a + n_x) @ (n_a + n_x, T_x m);
- where rnnkit's time goes at the larger shape (forward + backward): its numpy calls timed by kind
  (matrix products, element-wise passes, copies and buffers; measure.Ledger) and the rest;
- at the char-level shape (m = 1): microseconds per time step, the numpy calls rnnkit makes per step,
  and the cost of one numpy call in a Python loop (the floor of any numpy loop);
- memory (best kernels only): the peak traced memory of an LSTM forward + backward at the larger
  shape against what the backward must keep.

Run:  python benchmarks/run.py            (5–6 minutes on 2 quiet cores)
      python benchmarks/run.py --quick    (a smoke run: one repeat, shorter sequences; prints, writes nothing)
      --repeats N  repeats per case;  --wait M  first wait up to M minutes for a 1-minute load below 1;
      --threads 1 --clock cpu  one thread each, CPU time (a busy machine)
Writes benchmarks/results/layers.md and layers.png. Needs PyTorch and threadpoolctl: pip install -e ".[bench]".
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import blas

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
FAMILIES = ("rnn", "gru", "lstm")
DTYPES = ("float64", "float32")
SHAPES = {"large": "n_x=128, n_a=256, m=64, T_x=100", "char": "n_x=27, n_a=100, m=1, T_x=25"}
T_X = {"large": 100, "char": 25}
TARGETS = {"ratio": 0.7, "of GEMM": 0.70, "per call": 2.0}


class Worker:
    """A measure.py process for one column of kernels; ``call`` sends a request and returns its answer."""

    def __init__(self, column, threads=2, clock="wall"):
        self.column = column
        command = [sys.executable, str(HERE / "measure.py"), "--threads", str(threads), "--clock", clock]
        self.proc = subprocess.Popen(command, cwd=HERE, text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     env=blas.environment(column))

    def call(self, name, **args):
        self.proc.stdin.write(json.dumps({"call": name, "args": args}) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline() or '{"error": "the worker stopped"}')
        if "error" in answer:
            raise SystemExit(f"[{self.column}] {name} failed:\n{answer['error']}")
        return answer["ok"]

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def wait_for_quiet(minutes, limit=1.0):
    """Wait up to ``minutes`` for the 1-minute load average to fall below ``limit``; return the wait in s."""
    start = time.monotonic()
    while os.getloadavg()[0] >= limit and time.monotonic() - start < 60 * minutes:
        time.sleep(15)
    return time.monotonic() - start


def measure(workers, args):
    """Every measurement, both columns interleaved; returns the rows and the extras for the report."""
    rows = []
    for shape in SHAPES:
        for dtype in DTYPES:
            for family in FAMILIES:
                for backward in (False, True):
                    T_x = 5 if args.quick else None
                    for w in workers.values():
                        case = w.call("setup", family=family, shape=shape, dtype=dtype, backward=backward, T_x=T_x)
                    repeats = 1 if args.quick else args.repeats or (11 if shape == "large" else 15)
                    times = {c: {s: [] for s in case["sides"]} for c in workers}
                    for _ in range(repeats):
                        for c, w in workers.items():
                            for side, sec in w.call("once").items():
                                times[c][side].append(sec)
                    peaks = {c: w.call("peak") for c, w in workers.items()}
                    row = dict(family=family, shape=shape, dtype=dtype, mode="fwd+bwd" if backward else "fwd",
                               times=times, peaks=peaks, T_x=T_x or T_X[shape], flops=case["flops"])
                    rows.append(row)
                    print(summary_line(row), flush=True)
    extras = {"breakdown": {}, "floor": {}}
    short = {"T_x": 5} if args.quick else {}  # the smoke run's rows are 5 steps long
    for c, w in workers.items():
        for dtype in DTYPES:
            for family in FAMILIES:
                extras["breakdown"][c, family, dtype] = w.call("breakdown", family=family, shape="large", dtype=dtype,
                                                              repeats=1 if args.quick else 5, **short)
                extras["floor"][c, family, dtype] = w.call("floor", family=family, dtype=dtype, **short)
    extras["memory"] = workers["best"].call("memory") if "best" in workers else None
    return rows, extras


# ----------------------------------------------------------------------------- numbers

def best(ts):
    """The statistic of a list of timings: its minimum. Other processes on a shared machine only ever add
    time (and two threads of BLAS on two shared cores can take ten times longer), so the best of the
    interleaved repeats is the layer's own time; the medians are shown beside it."""
    return min(ts)


def find(rows, family, shape, dtype, mode):
    return next(r for r in rows if (r["family"], r["shape"], r["dtype"], r["mode"]) == (family, shape, dtype, mode))


def torch_sides(row):
    return [s for s in next(iter(row["times"].values())) if s != "rnnkit"]


def ratio(row, column, side):
    t = row["times"][column]
    return best(t["rnnkit"]) / best(t[side])


def of_peak(row, column, side):
    """The side's matrix-product FLOPs per second over the GEMM rate of the same run."""
    return row["flops"] / best(row["times"][column][side]) / 1e9 / row["peaks"][column]


def summary_line(row):
    parts = []
    for c in row["times"]:
        r = ", ".join(f"{s} {ratio(row, c, s):.2f}" for s in torch_sides(row))
        parts.append(f"[{c}] rnnkit {best(row['times'][c]['rnnkit']) * 1e3:.2f} ms, ratio {r}")
    return f"{row['family']:>4} {row['shape']:>5} {row['dtype']} {row['mode']:>7}: " + "; ".join(parts)


def fmt_ms(ts):
    return f"{min(ts) * 1e3:.2f} (median {statistics.median(ts) * 1e3:.2f})"


def mark(ok):
    return "met" if ok else "**missed**"


# ----------------------------------------------------------------------------- report

def markdown(rows, extras, info, meta):
    columns = list(info)
    lines = [
        "# rnnkit's layers against PyTorch (CPU), as the machine is and on the best kernels",
        "",
        f"Written by `{meta['command']}` in {meta['elapsed']:.0f} s on {meta['date']}: {info[columns[0]]['cpu']}, "
        f"{info[columns[0]]['cores']} cores shared with other work; Python {info[columns[0]]['python']}, numpy "
        f"{info[columns[0]]['numpy']}, torch {info[columns[0]]['torch']}. Load average (1, 5, 15 min) before: "
        f"{meta['load_before']}, after: {meta['load_after']}"
        + (f" (waited {meta['waited']:.0f} s for the 1-minute load to fall below 1)." if meta["waited"] else ".")
        + f" numpy's BLAS and PyTorch each on {meta['threads']} thread(s); "
        + ("times are wall-clock." if meta["clock"] == "wall" else
           "times are the CPU time of the one thread that works (time.thread_time): other processes on the "
           "machine barely change them, though they share its caches and memory."),
        "",
        "## The two columns of kernels",
        "",
        "| column | environment of its process | numpy's BLAS (threadpoolctl) |",
        "| --- | --- | --- |",
    ]
    found = ", ".join(f"{n}={v}" if v is not None else f"{n} not set" for n, v in meta["found"].items())
    for c in columns:
        k = info[c]["kernels"]
        how = f"as found ({found})" if c == "machine" else \
            f"as found less {' and '.join(blas.MACHINE_VARIABLES)} (found: {found})"
        lines.append(f"| {blas.COLUMNS[c]} | {how} | {k['library']} {k['version']}, **{k['architecture']}** "
                     f"kernels, {k['threading']}, {k['threads']} threads |")
    same = len({info[c]["kernels"]["architecture"] for c in columns}) == 1 and len(columns) > 1
    if same and all(v is None for c in columns for v in info[c]["kernels"]["variables"].values()):
        lines += ["", "The environment set neither variable, so both columns ran the same kernels; the difference "
                      "between them is the machine's noise."]
    lines += ["", *targets(rows, extras, "best" if "best" in columns else columns[0], meta), ""]
    lines += layer_table(rows, columns)
    if extras.get("breakdown"):
        lines += ["", *breakdown_table(rows, extras["breakdown"], columns)]
    if extras.get("floor"):
        lines += ["", *floor_table(rows, extras["floor"], columns)]
    if extras.get("memory"):
        mem = extras["memory"]
        lines += [
            "",
            "## Memory: LSTM forward + backward, larger shape, float64",
            "",
            f"Peak traced memory (tracemalloc) of `lstm_forward` + `lstm_backward`: **{mem['peak'] / 2**20:.1f} MiB**. "
            f"What the backward must keep, per step [a<t-1>; x<t>], c<t-1>, Γf, Γu, Γo, c~<t> and tanh(c<t>), "
            f"(7 n_a + n_x) m T_x values: **{mem['keep'] / 2**20:.1f} MiB**. "
            f"Ratio **{mem['peak'] / mem['keep']:.2f}×** (target ≤ 1.5×). "
            "The peak includes the returned a, c (views of the caches' buffers), dx and the weight gradients.",
        ]
    return "\n".join(lines) + "\n"


def targets(rows, extras, c, meta):
    """The issue's targets on the best kernels, each with its measured value."""
    out = [f"## Targets ({blas.COLUMNS[c]}; forward + backward, larger shape, {meta['threads']} thread(s), "
           f"{meta['clock']} clock)", "",
           "| target | family | dtype | measured | |", "| --- | --- | --- | --- | --- |"]
    for r in rows:
        if r["shape"] != "large" or r["mode"] != "fwd+bwd":
            continue
        for side in torch_sides(r):
            q = ratio(r, c, side)
            out.append(f"| rnnkit / {side} ≤ {TARGETS['ratio']} | {r['family']} | {r['dtype']} | {q:.2f} | "
                       f"{mark(q <= TARGETS['ratio'])} |")
    for r in rows:
        if r["shape"] == "large" and r["mode"] == "fwd+bwd":
            f = of_peak(r, c, "rnnkit")
            b = extras.get("breakdown", {}).get((c, r["family"], r["dtype"]))
            ceiling = f" (its products alone: {products_of_peak(r, c, b):.0%})" if b else ""
            out.append(f"| ≥ {TARGETS['of GEMM']:.0%} of the GEMM rate | {r['family']} | {r['dtype']} | "
                       f"{f:.0%}{ceiling} | {mark(f >= TARGETS['of GEMM'])} |")
    for (col, family, dtype), fl in extras.get("floor", {}).items():
        if col == c:
            q = per_call_ratio(rows, c, family, dtype, fl)
            q0 = per_call_ratio(rows, c, family, dtype, fl, products=False)
            out.append(f"| char shape: µs per call ≤ {TARGETS['per call']:g} × one numpy call | {family} | {dtype} | "
                       f"{q:.2f} × (without the products: {q0:.2f} ×; lowest possible with these products: "
                       f"{per_call_bound(rows, family, dtype, fl):.2f} ×) | {mark(q <= TARGETS['per call'])} |")
    out += ["", "In brackets, what bounds each figure: **its products alone** = the rate of the layer's matrix "
            "products (timed by the ledger, see below) over the GEMM rate, the fraction the layer would reach if "
            "everything else took no time (a step's product, (G n_a, n_a + n_x + 1) @ (n_a + n_x + 1, m), runs "
            "slower than the one large GEMM, having only m columns for a whole weight matrix); "
            "**lowest possible with these products** = the per-call figure if every call but the "
            "products cost exactly one numpy call: above the target, no numpy loop that makes these products "
            "reaches it."]
    return out


def products_rate(row, b):
    """GFLOP/s of the layer's products alone: its FLOPs over the ledger's time in np.matmul and np.dot."""
    return row["flops"] / b["products"] / 1e9


def products_of_peak(row, c, b):
    """products_rate over the GEMM rate of the same column."""
    return products_rate(row, b) / row["peaks"][c]


def per_call_bound(rows, family, dtype, fl):
    """per_call_ratio's lowest value with these products: every other call at one call's cost."""
    T_x = find(rows, family, "char", dtype, "fwd+bwd")["T_x"]
    products, others = fl["seconds"]["products"] / T_x, fl["calls_per_step"] - fl["calls"]["products"] / T_x
    return (products + others * fl["per_call"]) / fl["calls_per_step"] / fl["per_call"]


def layer_table(rows, columns):
    head = "| family | PyTorch side | shape | dtype | mode |"
    rule = "| --- | --- | --- | --- | --- |"
    for c in columns:
        head += f" rnnkit ms ({c}) | PyTorch ms ({c}) | **ratio ({c})** | rnnkit of GEMM ({c}) | " \
                f"PyTorch of GEMM ({c}) | GEMM GFLOP/s ({c}) |"
        rule += " --- | --- | --- | --- | --- | --- |"
    out = [
        "## Times",
        "",
        "Times in ms: the best (minimum) of the interleaved repeats, the median beside it (at the char-level "
        "shape each repeat is the fastest of 10 back-to-back calls, warm as in a training loop; see "
        "measure.once); every ratio and "
        "fraction uses the best (see run.best). **ratio** = rnnkit's best over PyTorch's (below 1: rnnkit is "
        "faster). **of GEMM** = the layer's matrix-product FLOPs "
        "(2 G n_a (n_a + n_x) m T_x forward, three times that forward + backward) per second, over the rate "
        "numpy reached in the same process on one product of the same total size ((G n_a, n_a + n_x) @ "
        "(n_a + n_x, T_x m), **GEMM**); at the char-level shape (m = 1) time goes to calls, not arithmetic, "
        "so it is not shown. Outputs and gradients were checked to agree with PyTorch before timing "
        "(relative 1e-9 in float64, 2e-3 in float32); nn.GRU, another GRU with its own weights, only for "
        "its output's shape.",
        "",
        head,
        rule,
    ]
    for r in rows:
        for side in torch_sides(r):
            line = f"| {r['family']} | {side} | {r['shape']} | {r['dtype']} | {r['mode']} |"
            for c in columns:
                t = r["times"][c]
                large = r["shape"] == "large"
                line += (f" {fmt_ms(t['rnnkit'])} | {fmt_ms(t[side])} | **{ratio(r, c, side):.2f}** | "
                         + (f"{of_peak(r, c, 'rnnkit'):.0%} | {of_peak(r, c, side):.0%} | {r['peaks'][c]:.0f} |"
                            if large else "– | – | – |"))
            out.append(line)
    return out


def breakdown_table(rows, breakdown, columns):
    out = [
        "## Where rnnkit's time goes (larger shape, forward + backward)",
        "",
        "One forward + backward with every numpy call of the layer modules timed by kind (measure.Ledger; "
        "the fastest of 5): **products** (np.matmul, np.dot; their rate, and that rate over the GEMM rate of the same "
        "run), **element-wise** passes (every other ufunc: tanh, multiply, add, ...), **copies** (np.copyto, "
        "concatenate, ascontiguousarray, and new buffers), and the **rest**: the wall time less those "
        "(Python, views, the input checks, the ledger's own clock).",
        "",
        "| column | family | dtype | wall ms | products ms | products GFLOP/s (of GEMM) | element-wise ms (calls) "
        "| copies ms (calls) | rest ms | rnnkit of GEMM |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for (c, family, dtype), b in breakdown.items():
        row = find(rows, family, "large", dtype, "fwd+bwd")
        rate = products_rate(row, b)
        rest = b["wall"] - b["products"] - b["element-wise"] - b["copies"]
        out.append(f"| {c} | {family} | {dtype} | {b['wall'] * 1e3:.1f} | {b['products'] * 1e3:.1f} | {rate:.0f} "
                   f"({rate / row['peaks'][c]:.0%}) | "
                   f"{b['element-wise'] * 1e3:.1f} ({b['element-wise calls']:.0f}) | "
                   f"{b['copies'] * 1e3:.1f} ({b['copies calls']:.0f}) | {rest * 1e3:.1f} | "
                   f"{of_peak(row, c, 'rnnkit'):.0%} |")
    return out


def per_call_ratio(rows, c, family, dtype, fl, products=True):
    """rnnkit's µs per step per numpy call it makes, over one numpy call's cost (char shape, fwd+bwd).

    products=False: the time outside the matrix products per remaining call (the products' own time,
    timed by the ledger, taken off the step), over one call's cost.
    """
    row = find(rows, family, "char", dtype, "fwd+bwd")
    per_step = best(row["times"][c]["rnnkit"]) / row["T_x"]
    calls = fl["calls_per_step"]
    if not products:
        per_step -= fl["seconds"]["products"] / row["T_x"]
        calls -= fl["calls"]["products"] / row["T_x"]
    return per_step / calls / fl["per_call"]


def floor_table(rows, floors, columns):
    out = [
        "## The char-level shape (m = 1): per time step, against the cost of one numpy call",
        "",
        "At m = 1 a step is a few small calls, so time goes to calls. **one call** = np.multiply(v, b, out=v) on "
        "a (1, n_a) view (100 values) taken in turn from a list, the pattern of the layers' loops (best of 60 loops "
        "of 500 calls): what calling numpy costs when the arithmetic is negligible, the floor of any numpy loop. "
        "**calls / step** = the numpy calls rnnkit's forward + backward make (measure.Ledger), over T_x. "
        "**per call** = µs per step / calls per step / one call (the issue's figure, target ≤ "
        f"{TARGETS['per call']:g}). It compares rnnkit's average call with a call that does no work, so it is not "
        "the loop's overhead alone: a step's matrix products multiply a matrix by a vector (the forward's "
        "[W | b] is (G n_a, n_a + n_x + 1), 51 200 multiply-adds and 400 KB of float64 weights for the LSTM; "
        "the backward's W_a^T nearly as large) and cost several µs each in arithmetic and memory traffic, which no "
        "numpy loop avoids. **without products** = (µs per step less the products' own time) / the other "
        "calls per step / one call: what the element-wise passes, copies and the loop's Python cost per call. "
        "Where a step's time goes: the same forward + backward with its calls timed by kind (the fastest of 15); "
        "**rest** = the timed µs per step less the three kinds (Python, views, the input checks, the caches; "
        "the kinds are timed by the wall clock in the ledger's run, so on a busy machine the rest can come out "
        "negative). "
        "PyTorch's µs per step for comparison (nn.GRU for the GRU).",
        "",
        "| column | family | dtype | rnnkit µs / step (fwd+bwd) | calls / step (products, element-wise, copies) "
        "| one call µs | **per call** | without products | in products / element-wise / copies / rest, µs / step "
        "| PyTorch µs / step |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for (c, family, dtype), fl in floors.items():
        row = find(rows, family, "char", dtype, "fwd+bwd")
        side = torch_sides(row)[-1]
        t = row["times"][c]
        n = ", ".join(f"{fl['calls'][k] / row['T_x']:.1f}" for k in ("products", "element-wise", "copies"))
        sec = fl["seconds"]
        kinds = [sec[k] for k in ("products", "element-wise", "copies")]
        timed = best(t["rnnkit"])
        split = " / ".join(f"{v / row['T_x'] * 1e6:.1f}" for v in (*kinds, timed - sum(kinds)))
        out.append(f"| {c} | {family} | {dtype} | {timed / row['T_x'] * 1e6:.1f} | "
                   f"{fl['calls_per_step']:.1f} ({n}) | {fl['per_call'] * 1e6:.2f} | "
                   f"**{per_call_ratio(rows, c, family, dtype, fl):.2f}** | "
                   f"{per_call_ratio(rows, c, family, dtype, fl, products=False):.2f} | {split} | "
                   f"{best(t[side]) / row['T_x'] * 1e6:.1f} |")
    return out


def plot(rows, columns, path, meta):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    bars = [(r, s) for r in rows for s in torch_sides(r)]
    labels = [f"{r['family']} {r['shape']} {r['dtype'][5:]} {r['mode']}" + (" nn.GRU" if s == "nn.GRU" else "")
              for r, s in bars]
    fig, ax = plt.subplots(figsize=(9, 0.28 * len(bars) + 1.5))
    y = np.arange(len(bars))
    for k, (c, color) in enumerate(zip(columns, ("tab:blue", "tab:orange"), strict=False)):
        dy = 0.4 * k - 0.2 * (len(columns) - 1)
        ax.barh(y + dy, [ratio(r, c, s) for r, s in bars], height=0.4, color=color,
                label=f"rnnkit / PyTorch, {blas.COLUMNS[c]}")
    ax.axvline(1.0, color="black", lw=1)
    ax.axvline(TARGETS["ratio"], color="gray", lw=1, ls="--")
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel(f"time ratio rnnkit / PyTorch (best of the repeats, {meta['threads']} thread(s), "
                  f"{meta['clock']} clock; < 1: rnnkit faster; dashed: 0.7)")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: one repeat, short sequences; writes no file")
    parser.add_argument("--repeats", type=int, default=None, help="repeats per case (default 11; 15 at m = 1)")
    parser.add_argument("--columns", default="machine,best", help="which columns (machine, best)")
    parser.add_argument("--wait", type=float, default=0.0, help="minutes to wait for a quiet machine first")
    parser.add_argument("--threads", type=int, default=2, help="threads of numpy's BLAS and of PyTorch (2)")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="cpu: the working thread's CPU time (with --threads 1), for a busy machine")
    args = parser.parse_args(argv)
    if args.clock == "cpu" and args.threads != 1:
        parser.error("--clock cpu times one thread: use it with --threads 1")
    columns = [c.strip() for c in args.columns.split(",")]
    if set(columns) - set(blas.COLUMNS):
        parser.error(f"--columns must name {sorted(blas.COLUMNS)}")
    waited = wait_for_quiet(args.wait) if args.wait else 0.0
    load_before = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    start = time.perf_counter()
    workers = {c: Worker(c, args.threads, args.clock) for c in columns}
    try:
        info = {c: w.call("info") for c, w in workers.items()}
        for c in columns:
            print(f"[{c}] {info[c]['describe']}", flush=True)
        rows, extras = measure(workers, args)
    finally:
        for w in workers.values():
            w.close()
    meta = {"command": "python benchmarks/run.py" + "".join(f" {a}" for a in (argv or sys.argv[1:])),
            "found": blas.variables(), "threads": args.threads, "clock": args.clock,
            "elapsed": time.perf_counter() - start, "date": time.strftime("%Y-%m-%d %H:%M"), "waited": waited,
            "load_before": load_before, "load_after": ", ".join(f"{v:.2f}" for v in os.getloadavg())}
    report = markdown(rows, extras, info, meta)
    if args.quick:  # a smoke run's figures are no result: printed, not written
        print("\n" + report)
        return
    RESULTS.mkdir(exist_ok=True)
    name = "layers" if (args.threads, args.clock) == (2, "wall") else f"layers_{args.threads}thread_{args.clock}"
    (RESULTS / f"{name}.md").write_text(report, encoding="utf-8")
    plot(rows, columns, RESULTS / f"{name}.png", meta)
    print(f"wrote {RESULTS / name}.md and .png")


if __name__ == "__main__":
    main()
