"""Label fusion side by side with the reference tools, single thread.

    python benches/python/compare_labels.py [--quick]
    python benches/python/compare_labels.py --scaling   # affectkit alone, 1M and 10M answers

Dawid-Skene: crowd-kit ``DawidSkene`` vs ``ak.labels.dawid_skene`` on a simulated crowd of
1M answers (200k items x 5 annotators, 5 classes), both from the same DataFrame, plus the
label agreement and the largest posterior difference. Krippendorff's alpha: the
``krippendorff`` package vs ``ak.labels.krippendorff_alpha`` on 10,000 units x 20 coders
(ordinal 1-7 ratings with 10 % missing) at every level. Dawid-Skene and majority vote:
best of ``--repeat`` runs; Krippendorff (milliseconds): median of at least 15 runs
alternating with the reference.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "AFFECTKIT_NUM_THREADS"):
    os.environ[var] = "1"

import numpy as np  # noqa: E402

import affectkit as ak  # noqa: E402


def best(f, repeat):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t0)
    return min(times), out


def interleaved_medians(ref, ours, repeat):
    """Millisecond timings: the two alternate, so background load hits both alike, and
    the medians are reported."""
    t_ref, t_ours = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        a = ref()
        t1 = time.perf_counter()
        b = ours()
        t2 = time.perf_counter()
        t_ref.append(t1 - t0)
        t_ours.append(t2 - t1)
    return float(np.median(t_ref)), a, float(np.median(t_ours)), b


def crowd(n_items, n_annotators, per_item, k, seed=0):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, k, n_items)
    acc = rng.uniform(0.5, 0.9, n_annotators)
    items = np.repeat(np.arange(n_items), per_item)
    if per_item == n_annotators:
        workers = np.tile(np.arange(n_annotators), n_items)
    else:
        workers = np.concatenate([rng.choice(n_annotators, per_item, replace=False) for _ in range(n_items)])
    correct = rng.random(len(items)) < acc[workers]
    wrong = (truth[items] + rng.integers(1, k, len(items))) % k
    labels = np.where(correct, truth[items], wrong)
    return items, workers, labels, truth


def scaling(n: int) -> None:
    """Dawid-Skene on 1M and 10M answers from NumPy arrays (5 per item, 50 annotators,
    5 classes): wall time of one cold call (as a user makes it), time per answer and per
    answer-iteration, and the process's peak resident memory. Each size runs in a fresh
    process so that it reads its own peak and gets no memory freed by a previous run."""
    import subprocess
    import sys

    if n > 0:
        it, wk, lb, _ = crowd(n // 5, 50, 5, 5)

        def vm(key: str) -> float:
            with open("/proc/self/status") as f:
                return next(int(line.split()[1]) for line in f if line.startswith(key)) / 1024

        try:  # reset the peak (Linux >= 4.0) so that it covers the call alone
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")
        except OSError:
            pass
        before = vm("VmRSS")
        t0 = time.perf_counter()
        r = ak.labels.dawid_skene(it, wk, lb, n_jobs=1)
        t = time.perf_counter() - t0
        print(f"{n} {t} {r.n_iter_} {vm('VmHWM')} {before}")
        return
    print("Dawid-Skene scaling, single thread, one cold call per fresh process")
    print(f"{'answers':>11}  {'time s':>7}  {'iters':>5}  {'ns/answer':>9}  {'ns/answer/iter':>14}  {'peak RSS MiB':>12}  "
          f"{'inputs MiB':>10}")
    per_answer = []
    for n in (1_000_000, 10_000_000):
        out = subprocess.run([sys.executable, __file__, "--scaling", str(n)], check=True, capture_output=True, text=True)
        _, t, iters, peak, inputs = out.stdout.split()
        t, iters = float(t), int(iters)
        per_answer.append(t / n)
        print(f"{n:>11,}  {t:7.3f}  {iters:5d}  {t / n * 1e9:9.1f}  {t / n / iters * 1e9:14.1f}  {float(peak):12.0f}  "
              f"{float(inputs):10.0f}")
    print(f"time per answer, 10M / 1M: {per_answer[1] / per_answer[0]:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="10x smaller problems")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scaling", nargs="?", const=0, type=int, metavar="N",
                    help="affectkit alone on 1M and 10M answers (or N): time, peak memory")
    args = ap.parse_args()
    if args.scaling is not None:
        scaling(args.scaling)
        return
    scale = 10 if args.quick else 1
    rows = []

    import pandas as pd
    from crowdkit.aggregation import DawidSkene

    n_items = 200_000 // scale
    it, wk, lb, truth = crowd(n_items, 5, 5, 5)
    df = pd.DataFrame({"task": it, "worker": wk, "label": lb})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_ck, ck = best(lambda: (lambda m: (m, m.fit_predict_proba(df)))(DawidSkene(n_iter=100, tol=1e-5)), args.repeat)
    model, p_ck = ck
    t_ak, r = best(lambda: ak.labels.dawid_skene(df, n_jobs=1), args.repeat)
    p_ck = p_ck.sort_index()[sorted(p_ck.columns)]
    same = (r.labels == model.labels_.sort_index().to_numpy()).mean()
    diff = np.abs(r.posterior - p_ck.to_numpy()).max()
    rows.append(
        (f"Dawid-Skene, {len(df):,} answers ({n_items:,} items x 5, 5 classes)", "crowd-kit 1.4", t_ck, t_ak,
         f"{len(model.loss_history_)}/{r.n_iter_} iters, labels equal {100 * same:.3f} %, max |dp| {diff:.1e}")
    )
    t_mv_ck = None
    try:
        from crowdkit.aggregation import MajorityVote

        t_mv_ck, _ = best(lambda: MajorityVote().fit_predict_proba(df), args.repeat)
        t_mv, _ = best(lambda: ak.labels.majority(df, ties="first"), args.repeat)
        rows.append((f"Majority vote, {len(df):,} answers", "crowd-kit 1.4", t_mv_ck, t_mv, ""))
    except ImportError:
        pass

    import krippendorff

    rng = np.random.default_rng(1)
    n_units = 10_000 // scale
    truth = rng.integers(1, 8, n_units)
    data = np.clip(truth + rng.integers(-1, 2, (20, n_units)), 1, 7).astype(float)
    data[rng.random(data.shape) < 0.1] = np.nan
    for level in ("nominal", "ordinal", "interval", "ratio"):
        t_kd, a_kd, t_ak2, a_ak = interleaved_medians(
            lambda: krippendorff.alpha(reliability_data=data, level_of_measurement=level),
            lambda: ak.labels.krippendorff_alpha(data, level=level),
            max(15, 5 * args.repeat),
        )
        rows.append((f"Krippendorff alpha {level}, {n_units:,} units x 20 coders", "krippendorff 0.9", t_kd, t_ak2,
                     f"|d alpha| {abs(a_kd - a_ak):.1e}"))

    w = max(len(r[0]) for r in rows)
    print(f"{'task':<{w}}  {'reference':<16} {'ref s':>8} {'affectkit s':>11} {'speed-up':>8}  notes")
    for name, ref, t_ref, t_ours, note in rows:
        print(f"{name:<{w}}  {ref:<16} {t_ref:8.3f} {t_ours:11.4f} {t_ref / t_ours:7.1f}x  {note}")


if __name__ == "__main__":
    main()
