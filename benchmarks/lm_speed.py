"""Benchmark (not a test): time to train a character language model on the names corpus.

Two models learn rnnkit's names (rnnkit.datasets.load_names) until the loss per character on
300 held-out names falls to TARGET nats:

(a) rnnkit's batched model (rnnkit.language_model): minibatches of m names padded to the
    longest, x<1> = 0, x<t> = y<t-1>, Adam and clip_by_norm;
(b) a baseline written here in the style of the classic "minimal character-level RNN" script:
    one example at a time (batch 1), the names joined by newlines into one stream read in
    windows of 25 characters, hidden size 100, Adagrad (lr 0.1) and every gradient entry
    clipped to [-5, 5].

Both are scored on the same characters: the loss −log P of every character of every held-out
name and of its end (<EOS> for (a), the newline for (b)), averaged. Each is evaluated the way it
was trained: (a) reads every name from a<0> = 0 and x<1> = 0; (b) reads the held-out names as one
stream, carrying its state from training and from name to name (started from a zero state, a
stream-trained model does much worse). The clock runs only while training (evaluation pauses it).
BLAS runs single-threaded for both, so the comparison is about the algorithm (batching), not about
how many cores each one grabs. The baseline has hidden size 100; rnnkit's model is run with hidden
size 100 (the same model) and 64.

Run:  python benchmarks/lm_speed.py        (about 1–3 minutes; writes benchmarks/results/lm_speed.md)
"""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # before numpy is imported

import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import blas  # noqa: E402
import numpy as np  # noqa: E402

from rnnkit import Adam, Vocab, initialize_rnn  # noqa: E402
from rnnkit.datasets import load_names  # noqa: E402
from rnnkit.language_model import make_lm_batches, mean_token_loss, train_lm  # noqa: E402

TARGET = 2.40  # nats per character on the held-out names (uniform guessing: log 27 = 3.30)
N_HELD_OUT = 300
HIDDEN = 100
MAX_SECONDS = 90.0  # training-time budget per model
RESULTS = Path(__file__).resolve().parent / "results" / "lm_speed.md"

# rnnkit's model: (hidden size, batch size m, Adam's learning rate); clipping norm; steps between evaluations
RNNKIT_CONFIGS = [(HIDDEN, 32, 0.01), (64, 32, 0.02)]
MAX_NORM, EVAL_EVERY = 5.0, 2


class Clock:
    """A stopwatch that runs only between start() and stop()."""

    def __init__(self):
        self.total, self._t0 = 0.0, None

    def start(self):
        self._t0 = time.perf_counter()

    def stop(self):
        self.total += time.perf_counter() - self._t0


def run_rnnkit(train, held_out, vocab, n_a, batch, lr, seed=0):
    rng = np.random.default_rng(seed)
    params = initialize_rnn(len(vocab), n_a, len(vocab), seed=seed)
    eval_batches = make_lm_batches(held_out, vocab, len(held_out))
    optimizer = Adam(lr)
    clock, chars, curve = Clock(), 0, []
    batches = []
    while clock.total < MAX_SECONDS:
        if not batches:
            batches = make_lm_batches(train, vocab, batch, rng, by_length=True)  # a new epoch
        chunk, batches = batches[:EVAL_EVERY], batches[EVAL_EVERY:]
        clock.start()
        train_lm(params, chunk, len(chunk), max_norm=MAX_NORM, optimizer=optimizer)
        clock.stop()
        chars += int(sum(mask.sum() for _, _, mask in chunk))
        loss = mean_token_loss(params, eval_batches)
        curve.append((clock.total, chars, loss))
        if loss <= TARGET:
            break
    return curve


def run_baseline(train, held_out, seed=0):
    """The batch-1 baseline: min-char-rnn's algorithm, written out here."""
    data = "\n".join(train) + "\n"
    chars_ = sorted(set(data))
    V, H, S = len(chars_), HIDDEN, 25
    ix = {c: i for i, c in enumerate(chars_)}
    stream = np.array([ix[c] for c in data])
    rng = np.random.default_rng(seed)
    Wxh = rng.standard_normal((H, V)) * 0.01
    Whh = rng.standard_normal((H, H)) * 0.01
    Why = rng.standard_normal((V, H)) * 0.01
    bh, by = np.zeros((H, 1)), np.zeros((V, 1))
    params = [Wxh, Whh, Why, bh, by]
    memory = [np.zeros_like(p) for p in params]

    def loss_and_grads(inputs, targets, hprev):
        xs, hs, ps = {}, {-1: hprev}, {}
        loss = 0.0
        for t in range(len(inputs)):
            xs[t] = np.zeros((V, 1))
            xs[t][inputs[t]] = 1
            hs[t] = np.tanh(Wxh @ xs[t] + Whh @ hs[t - 1] + bh)
            z = Why @ hs[t] + by
            e = np.exp(z - z.max())
            ps[t] = e / e.sum()
            loss += -np.log(ps[t][targets[t], 0])
        dWxh, dWhh, dWhy = np.zeros_like(Wxh), np.zeros_like(Whh), np.zeros_like(Why)
        dbh, dby, dhnext = np.zeros_like(bh), np.zeros_like(by), np.zeros_like(hprev)
        for t in reversed(range(len(inputs))):
            dy = ps[t].copy()
            dy[targets[t]] -= 1
            dWhy += dy @ hs[t].T
            dby += dy
            dh = Why.T @ dy + dhnext
            dhraw = (1 - hs[t] * hs[t]) * dh
            dbh += dhraw
            dWxh += dhraw @ xs[t].T
            dWhh += dhraw @ hs[t - 1].T
            dhnext = Whh.T @ dhraw
        grads = [dWxh, dWhh, dWhy, dbh, dby]
        for d in grads:
            np.clip(d, -5, 5, out=d)
        return loss, grads, hs[len(inputs) - 1]

    # evaluation as it was trained: the held-out names as one stream, the state carried over from
    # training and from name to name; the loss of every character and of every newline (a name's end)
    held_stream = np.array([ix[c] for c in "\n" + "\n".join(held_out) + "\n"])
    eye = np.eye(V)

    def evaluate(h):
        total = 0.0
        for t in range(len(held_stream) - 1):
            h = np.tanh(Wxh @ eye[:, held_stream[t], None] + Whh @ h + bh)
            z = Why @ h + by
            z = z - z.max()
            total -= float(z[held_stream[t + 1], 0] - np.log(np.exp(z).sum()))
        return total / (len(held_stream) - 1)

    clock, chars, curve = Clock(), 0, []
    p, hprev, n = 0, np.zeros((H, 1)), 0
    while clock.total < MAX_SECONDS:
        clock.start()
        for _ in range(100):  # 100 windows of 25 characters between evaluations
            if p + S + 1 > len(stream):
                p, hprev = 0, np.zeros((H, 1))  # back to the start of the data
            inputs, targets = stream[p: p + S], stream[p + 1: p + S + 1]
            _, grads, hprev = loss_and_grads(inputs, targets, hprev)
            for param, d, mem in zip(params, grads, memory):
                mem += d * d
                param += -0.1 * d / np.sqrt(mem + 1e-8)
            p, n, chars = p + S, n + 1, chars + S
        clock.stop()
        loss = evaluate(hprev)
        curve.append((clock.total, chars, loss))
        if loss <= TARGET:
            break
    return curve


def summary(curve):
    seconds, chars, loss = curve[-1]
    reached = loss <= TARGET
    return {"chars_per_s": chars / seconds, "seconds": seconds if reached else None, "chars": chars,
            "loss": loss, "reached": reached}


def main():
    names = load_names()
    train, held_out = names[:-N_HELD_OUT], names[-N_HELD_OUT:]
    vocab = Vocab.from_texts(names)
    print(f"names: {len(train)} for training, {len(held_out)} held out; target {TARGET} nats/char "
          f"(uniform over {len(vocab)} tokens: {np.log(len(vocab)):.2f})")
    runs = [(f"rnnkit batched, hidden {n_a}, m = {m}, Adam {lr}, clip_by_norm {MAX_NORM:g}",
             lambda n_a=n_a, m=m, lr=lr: run_rnnkit(train, held_out, vocab, n_a, m, lr))
            for n_a, m, lr in RNNKIT_CONFIGS]
    runs.append((f"baseline min-char-rnn style, hidden {HIDDEN}, batch 1, windows of 25, Adagrad 0.1, clip 5",
                 lambda: run_baseline(train, held_out)))
    results = {}
    for label, run in runs:
        print(f"training: {label} ...", flush=True)
        results[label] = summary(run())
        r = results[label]
        print(f"  {r['chars_per_s']:,.0f} chars/s, loss {r['loss']:.3f} after {r['chars']:,} chars",
              flush=True)
    base = results[runs[-1][0]]
    lines = [
        "# Language model training speed (benchmarks/lm_speed.py)",
        "",
        f"Names corpus: {len(train)} training names, {len(held_out)} held out; "
        f"target: held-out loss <= {TARGET} nats per character (uniform: {np.log(len(vocab)):.2f}). "
        "Training time only (evaluation paused the clock); BLAS single-threaded.",
        "",
        "| model | characters / s | time to target (s) | characters to target | final held-out loss |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, r in results.items():
        t = f"{r['seconds']:.1f}" if r["reached"] else f"not reached in {MAX_SECONDS:.0f}"
        lines.append(f"| {label} | {r['chars_per_s']:,.0f} | {t} | {r['chars']:,} | {r['loss']:.3f} |")
    lines.append("")
    for label, r in list(results.items())[:-1]:
        speed = r["chars_per_s"] / base["chars_per_s"]
        if r["reached"] and base["reached"]:
            verdict = f"reaches the target {base['seconds'] / r['seconds']:.1f}× faster"
        else:
            verdict = "time to target not compared (a model missed the target within its budget)"
        lines.append(f"- {label}: {speed:.1f}× the baseline's characters per second; {verdict}.")
    lines += ["", f"Python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}, "
              f"{os.cpu_count()} CPUs; measured {time.strftime('%Y-%m-%d')}. {blas.describe()}"]
    text = "\n".join(lines) + "\n"
    print()
    print(text)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
