"""Front-end speed and memory, affectkit side by side with librosa, torchaudio (Kaldi) and
python_speech_features, on the same signals with matching settings.

Speech settings everywhere: 512-point FFT, 400-sample (25 ms) window, hop 160 (10 ms),
40 mel bands, 13 MFCCs, at 16 kHz. Each peer is compared with the affectkit preset that
reproduces it. Workloads: (a) 500 clips of 3 s, (b) one 10-minute file; single thread and
two threads (affectkit: its batch API on the pool; peers: a 2-process multiprocessing pool,
their usual way to use two cores). Every measurement runs in a fresh process (peak RSS is
that process's), three repeats, median reported.

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


def worker(lib, workload, threads, n_clips):
    """Runs one measurement in this process; prints a JSON line."""
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
    start = time.perf_counter()
    if lib.startswith("affectkit") and (threads > 1 or workload == "clips"):
        import affectkit as ak

        preset = lib.split(":")[1]
        params = {"librosa": SPEECH, "kaldi": dict(num_mel_bins=40), "htk": dict(nfilt=40)}[preset]
        outs = ak.mfcc_batch(clips, SR, n_jobs=threads, preset=preset, **params)
        frames = sum(o.shape[0] for o in outs)
        out_bytes = sum(o.nbytes for o in outs)
    elif threads > 1:
        import multiprocessing as mp

        with mp.get_context("fork").Pool(threads, initializer=_init_worker, initargs=(lib,)) as pool:
            frames = sum(pool.map(_apply, clips, chunksize=max(1, len(clips) // (4 * threads))))
        out_bytes = 0
    else:
        outs = [fn(y) for y in clips]
        frames = sum(o.shape[0] for o in outs)
        out_bytes = sum(np.asarray(o).nbytes for o in outs)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    audio_s = sum(len(c) for c in clips) / SR
    print(json.dumps(dict(lib=lib, workload=workload, threads=threads, seconds=elapsed, frames=frames,
                          clips=len(clips), audio_s=audio_s, peak_rss_mb=peak / 1024,
                          extra_mb=(peak - base_rss) / 1024, in_mb=in_bytes / 2**20, out_mb=out_bytes / 2**20)))


def run(lib, workload, threads, n_clips, repeats):
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
               NUMBA_NUM_THREADS="1", AFFECTKIT_NUM_THREADS=str(threads))
    results = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, __file__, "--worker", lib, workload, str(threads), str(n_clips)],
                             capture_output=True, text=True, env=env, timeout=1800)
        if out.returncode != 0:
            return None, out.stderr.strip().splitlines()[-1:]
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    best = sorted(results, key=lambda r: r["seconds"])[len(results) // 2]
    return best, None


def available(lib):
    mod = {"librosa": "librosa", "torchaudio": "torchaudio", "python_speech_features": "python_speech_features"}.get(lib)
    if mod is None:
        return True
    import importlib.util

    return importlib.util.find_spec(mod) is not None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--worker", nargs=4)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--clips", type=int, default=500)
    args = ap.parse_args()
    if args.worker:
        lib, workload, threads, n = args.worker
        worker(lib, workload, int(threads), int(n))
        return
    n_clips = 100 if args.quick else args.clips
    repeats = 1 if args.quick else 3
    pairs = [("librosa", "affectkit:librosa"), ("torchaudio", "affectkit:kaldi"), ("python_speech_features", "affectkit:htk")]
    print(f"MFCC, speech settings, {n_clips} clips of 3 s and one 10-minute file at 16 kHz; median of {repeats}.\n")
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
        r, err = run(lib, "hour", 1, 1, 1)
        if r is None:
            print(f"| {lib} | failed: {err} | | | | |")
            continue
        ratio = (r["in_mb"] + r["extra_mb"]) / (r["in_mb"] + r["out_mb"]) if r["out_mb"] else float("nan")
        print(f"| {lib} | {r['seconds']:.2f} | {r['in_mb']:.0f} | {r['out_mb']:.1f} | {r['extra_mb']:.0f} | {ratio:.2f} |")


if __name__ == "__main__":
    main()
