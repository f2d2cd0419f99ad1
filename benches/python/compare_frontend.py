"""Front-end speed and memory, affectkit side by side with librosa, torchaudio (Kaldi) and
python_speech_features, on the same signals with matching settings.

Speech settings everywhere: 512-point FFT, 400-sample (25 ms) window, hop 160 (10 ms),
40 mel bands, 13 MFCCs, at 16 kHz. Each peer is compared with the affectkit preset that
reproduces it. Workloads: (a) 500 clips of 3 s, (b) one 10-minute file; single thread and
two threads (affectkit: its batch API on the pool, and `n_jobs` for the long file; peers: a
warm 2-process multiprocessing pool, their usual way to use two cores). Every measurement
runs in a fresh process (peak RSS is that process's): a warm-up, then five timed passes,
median reported.

    python benches/python/compare_frontend.py            # markdown table on stdout
    python benches/python/compare_frontend.py --quick    # fewer clips, one repeat
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

SR = 16000
SPEECH = dict(n_fft=512, win_length=400, hop_length=160, n_mels=40, n_mfcc=13)


def make_clips(n, seconds, seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * SR)) / SR
    clips = []
    for i in range(n):
        f0 = 100 + 150 * rng.random()
        y = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 20)) * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * t))
        y = y + 0.01 * rng.standard_normal(len(t))
        clips.append((0.1 * y).astype(np.float32))
    return clips


def feature_fn(lib):
    """A function clip -> MFCC matrix for `lib` with the speech settings."""
    if lib == "librosa":
        import librosa

        return lambda y: librosa.feature.mfcc(y=y, sr=SR, **SPEECH)
    if lib == "torchaudio":
        import torch
        import torchaudio.compliance.kaldi as kaldi

        torch.set_num_threads(1)
        return lambda y: kaldi.mfcc(torch.from_numpy(y)[None], sample_frequency=SR, num_mel_bins=40).numpy()
    if lib == "python_speech_features":
        import python_speech_features as psf

        return lambda y: psf.mfcc(y, SR, nfilt=40)
    import affectkit as ak

    preset, params = {
        "affectkit:librosa": ("librosa", SPEECH),
        "affectkit:kaldi": ("kaldi", dict(num_mel_bins=40)),
        "affectkit:htk": ("htk", dict(nfilt=40)),
    }[lib]
    return lambda y: ak.mfcc(y, SR, preset=preset, **params)


def _init_worker(lib):
    global _FN
    _FN = feature_fn(lib)


def _apply(y):
    return _FN(y).shape[0]


def worker(lib, workload, threads, n_clips, reps):
    """Runs one measurement in this process (warm-up, then `reps` timed passes, median);
    prints a JSON line."""
    import numpy as np

    if workload == "clips":
        clips = make_clips(n_clips, 3.0)
    elif workload == "long":
        clips = make_clips(1, 600.0, seed=1)
    else:  # "hour": memory of one 1-hour file
        # filled in blocks: a float64 temporary of the whole hour would set the peak
        rng = np.random.default_rng(2)
        y = np.empty(3600 * SR, np.float32)
        for i in range(0, len(y), 1 << 20):
            y[i:i + (1 << 20)] = 0.1 * rng.standard_normal(min(1 << 20, len(y) - i))
        clips = [y]
    in_bytes = sum(c.nbytes for c in clips)
    fn = feature_fn(lib)
    fn(clips[0][: SR])  # warm-up (plans, imports)
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # input exists now

    if lib.startswith("affectkit"):
        import affectkit as ak

        preset = lib.split(":")[1]
        params = {"librosa": SPEECH, "kaldi": dict(num_mel_bins=40), "htk": dict(nfilt=40)}[preset]

        def once():
            # the batch API on the pool; one long file splits its frames over the pool
            if len(clips) == 1:
                outs = [ak.mfcc(clips[0], SR, preset=preset, n_jobs=threads, **params)]
            else:
                outs = ak.mfcc_batch(clips, SR, n_jobs=threads, preset=preset, **params)
            return sum(o.shape[0] for o in outs), sum(o.nbytes for o in outs)

        pool = None
    elif threads > 1:
        import multiprocessing as mp

        pool = mp.get_context("fork").Pool(threads, initializer=_init_worker, initargs=(lib,))
        pool.map(_apply, clips[:threads])  # workers started and warm

        def once():
            return sum(pool.map(_apply, clips, chunksize=max(1, len(clips) // (4 * threads)))), 0

    else:
        pool = None

        def once():
            outs = [fn(y) for y in clips]
            return sum(o.shape[0] for o in outs), sum(np.asarray(o).nbytes for o in outs)

    times = []
    for _ in range(reps):
        start = time.perf_counter()
        frames, out_bytes = once()
        times.append(time.perf_counter() - start)
    if pool is not None:
        pool.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    audio_s = sum(len(c) for c in clips) / SR
    print(json.dumps(dict(lib=lib, workload=workload, threads=threads, seconds=statistics.median(times),
                          frames=frames, clips=len(clips), audio_s=audio_s, peak_rss_mb=peak / 1024,
                          extra_mb=(peak - base_rss) / 1024, in_mb=in_bytes / 2**20, out_mb=out_bytes / 2**20)))


def run(lib, workload, threads, n_clips, repeats):
    """One fresh process (so peak RSS is this measurement's), `repeats` timed passes."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
               NUMBA_NUM_THREADS="1", AFFECTKIT_NUM_THREADS=str(threads))
    cmd = [sys.executable, __file__, "--worker", lib, workload, str(threads), str(n_clips), str(repeats)]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1800)
    if out.returncode != 0:
        return None, out.stderr.strip().splitlines()[-1:]
    return json.loads(out.stdout.strip().splitlines()[-1]), None


def available(lib):
    mod = {"librosa": "librosa", "torchaudio": "torchaudio", "python_speech_features": "python_speech_features"}.get(lib)
    if mod is None:
        return True
    import importlib.util

    return importlib.util.find_spec(mod) is not None


def scaling(n_clips=500, rounds=9):
    """Batch-API throughput with 2 threads over 1 thread, measured in one process with the
    two settings interleaved (so slow drifts of a shared machine cancel)."""
    import affectkit as ak

    clips = make_clips(n_clips, 3.0)
    print("\n| preset | 1 thread clips/s | 2 threads clips/s | 2-thread speed-up (median of paired rounds) |")
    print("|---|---|---|---|")
    for preset, params in (("librosa", SPEECH), ("kaldi", dict(num_mel_bins=40)), ("htk", dict(nfilt=40))):
        for n in (1, 2):
            ak.mfcc_batch(clips[:8], SR, n_jobs=n, preset=preset, **params)  # pools and plans warm
        t1, t2 = [], []
        for _ in range(rounds):
            for n, acc in ((1, t1), (2, t2)):
                start = time.perf_counter()
                ak.mfcc_batch(clips, SR, n_jobs=n, preset=preset, **params)
                acc.append(time.perf_counter() - start)
        ratios = [a / b for a, b in zip(t1, t2)]
        print(f"| {preset} | {n_clips / statistics.median(t1):.0f} | {n_clips / statistics.median(t2):.0f} | "
              f"{statistics.median(ratios):.2f}x |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scaling", action="store_true", help="only the interleaved 1-vs-2-thread measurement")
    ap.add_argument("--worker", nargs=5)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--clips", type=int, default=500)
    args = ap.parse_args()
    if args.worker:
        lib, workload, threads, n, reps = args.worker
        worker(lib, workload, int(threads), int(n), int(reps))
        return
    if args.scaling:
        scaling()
        return
    n_clips = 100 if args.quick else args.clips
    repeats = 1 if args.quick else 5
    pairs = [("librosa", "affectkit:librosa"), ("torchaudio", "affectkit:kaldi"), ("python_speech_features", "affectkit:htk")]
    print(f"MFCC, speech settings, {n_clips} clips of 3 s and one 10-minute file at 16 kHz; median of {repeats} passes.\n")
    print("| workload | threads | library | clips/s | s per audio hour | peak RSS (MB) | speed-up |")
    print("|---|---|---|---|---|---|---|")
    for workload in ("clips", "long"):
        for threads in (1, 2):
            for peer, ours in pairs:
                if not available(peer):
                    print(f"| {workload} | {threads} | {peer} | not installed | | | |")
                    continue
                rp, err_p = run(peer, workload, threads, n_clips, repeats)
                ro, err_o = run(ours, workload, threads, n_clips, repeats)
                for r, err, name in ((rp, err_p, peer), (ro, err_o, ours)):
                    if r is None:
                        print(f"| {workload} | {threads} | {name} | failed: {err} | | | |")
                if rp is None or ro is None:
                    continue
                for r in (rp, ro):
                    cps = r["clips"] / r["seconds"]
                    per_hour = r["seconds"] / (r["audio_s"] / 3600)
                    speed = rp["seconds"] / r["seconds"]
                    print(f"| {workload} | {threads} | {r['lib']} | {cps:.1f} | {per_hour:.2f} | {r['peak_rss_mb']:.0f} | {speed:.1f}x |")
                sys.stdout.flush()
    print("\nOne 1-hour file (57.6 M float32 samples), single thread: memory beyond the input")
    print("array, as a multiple of (input + output) sizes; target <= 1.5 counts the input too.\n")
    print("| library | seconds | input MB | output MB | peak RSS - RSS with input (MB) | (input + extra) / (input + output) |")
    print("|---|---|---|---|---|---|")
    for lib in ("affectkit:kaldi", "affectkit:librosa", "librosa"):
        if not available(lib):
            continue
        r, err = run(lib, "hour", 1, 1, 1)  # one pass: the peak is what matters here
        if r is None:
            print(f"| {lib} | failed: {err} | | | | |")
            continue
        ratio = (r["in_mb"] + r["extra_mb"]) / (r["in_mb"] + r["out_mb"]) if r["out_mb"] else float("nan")
        print(f"| {lib} | {r['seconds']:.2f} | {r['in_mb']:.0f} | {r['out_mb']:.1f} | {r['extra_mb']:.0f} | {ratio:.2f} |")
    scaling(n_clips)


if __name__ == "__main__":
    main()
