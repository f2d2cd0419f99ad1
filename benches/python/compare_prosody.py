"""F0 speed side by side: ak.f0(method="pyin") vs librosa.pyin, "yin" vs librosa.yin,
"praat" vs parselmouth's Sound.to_pitch_ac (when parselmouth is installed).

4-second clips at 16 kHz (cut from the bundled LibriVox speech, plus synthetic harmonic
clips with a moving F0), fmin=75, fmax=600, librosa's defaults otherwise
(frame_length=2048, hop 512). Single thread on both sides: BLAS/OpenMP pools are pinned to
one thread before numpy loads and affectkit runs one clip at a time. Prints clips/s, the
speed ratio, and the agreement of the two tracks on the same clips.

    python benches/python/compare_prosody.py            # markdown table on stdout
    python benches/python/compare_prosody.py --quick    # fewer clips
    python benches/python/compare_prosody.py --only voice   # the voice table alone

The voice table: parselmouth's pitch + "To PointProcess (periodic, cc)" + jitter (local)
+ shimmer (local) + to_harmonicity_cc + "Get mean" per clip against ak.voice_quality
(all 14 values from one call), to_formant_burg against ak.formants, and the 2-thread
scaling of ak.voice_quality_batch (n_jobs=2 against n_jobs=1, same clips).
"""

from __future__ import annotations

import argparse
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(var, "1")
os.environ.setdefault("AFFECTKIT_NUM_THREADS", "1")

import time  # noqa: E402

import numpy as np  # noqa: E402

SR = 16000
SECONDS = 4.0
FMIN, FMAX = 75.0, 600.0


def make_clips(n_synthetic: int):
    import affectkit as ak

    n = int(SR * SECONDS)
    speech = np.concatenate([ak.load(p, sr=SR)[0] for p in ak.datasets.sample_paths()])
    clips = [speech[i : i + n] for i in range(0, len(speech) - n + 1, n)]
    rng = np.random.default_rng(0)
    t = np.arange(n) / SR
    for _ in range(n_synthetic):
        f = (100 + 150 * rng.random()) * 2 ** (2 / 12 * np.sin(2 * np.pi * rng.uniform(0.3, 2) * t))
        phase = 2 * np.pi * np.cumsum(f) / SR
        y = sum(np.sin(k * phase) / k for k in range(1, 15)) * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * t))
        clips.append((0.1 * y + 0.005 * rng.standard_normal(n)).astype(np.float32))
    return [c.astype(np.float32) for c in clips]


def rate(fn, clips, min_seconds):
    fn(clips[0])  # warm-up (numba compilation, FFT plans)
    done, start = 0, time.perf_counter()
    while True:
        for c in clips:
            fn(c)
            done += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return done / elapsed


def batch_rate(fn, clips, min_seconds):
    fn(clips)
    done, start = 0, time.perf_counter()
    while True:
        fn(clips)
        done += len(clips)
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return done / elapsed


def voice_table(clips, quick: bool) -> None:
    import parselmouth
    from parselmouth.praat import call

    import affectkit as ak

    def praat_set(y):
        snd = parselmouth.Sound(y.astype(np.float64), SR)
        snd.to_pitch_ac()
        pp = call(snd, "To PointProcess (periodic, cc)", 75, 600)
        call(pp, "Get jitter (local)", 0, 0, 0.0001, 0.02, 1.3)
        call([snd, pp], "Get shimmer (local)", 0, 0, 0.0001, 0.02, 1.3, 1.6)
        call(snd.to_harmonicity_cc(), "Get mean", 0, 0)

    t = 2.0 if quick else 6.0
    rows = []
    # Interleaved: peer, ours, peer, ours; the median of the repeats is reported.
    reps = 1 if quick else 3
    pm, ours, pf, of = [], [], [], []
    for _ in range(reps):
        pm.append(rate(praat_set, clips, t))
        ours.append(rate(lambda y: ak.voice_quality(y, SR), clips, t))
        pf.append(rate(lambda y: parselmouth.Sound(y.astype(np.float64), SR).to_formant_burg(), clips, t))
        of.append(rate(lambda y: ak.formants(y, SR), clips, t))
    r_pm, r_ours, r_pf, r_of = (float(np.median(v)) for v in (pm, ours, pf, of))
    rows += [
        (f"parselmouth {parselmouth.__version__}: pitch + pulses (cc) + jitter + shimmer + HNR (cc)", r_pm, r_pm),
        ("affectkit voice_quality (all 14 values)", r_ours, r_pm),
        ("parselmouth to_formant_burg", r_pf, r_pf),
        ("affectkit formants", r_of, r_pf),
    ]
    one, two = [], []
    for _ in range(reps):
        one.append(batch_rate(lambda c: ak.voice_quality_batch(c, SR, n_jobs=1), clips, t))
        two.append(batch_rate(lambda c: ak.voice_quality_batch(c, SR, n_jobs=2), clips, t))
    r1, r2 = float(np.median(one)), float(np.median(two))
    rows += [("affectkit voice_quality_batch, n_jobs=1", r1, r1), ("affectkit voice_quality_batch, n_jobs=2", r2, r1)]
    print(f"\n{len(clips)} clips of {SECONDS:g} s at {SR} Hz; single thread unless stated; median of {reps} interleaved runs\n")
    print("| voice measures | clips/s | vs first row of its pair |")
    print("|---|---:|---:|")
    for name, r, base in rows:
        print(f"| {name} | {r:.1f} | {r / base:.2f}x |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", choices=["f0", "voice"], default=None)
    args = ap.parse_args()
    if args.only == "voice":
        voice_table(make_clips(4 if args.quick else 8), args.quick)
        return

    import librosa

    import affectkit as ak

    clips = make_clips(4 if args.quick else 8)
    ours = lambda y: ak.f0(y, SR, method="pyin", fmin=FMIN, fmax=FMAX)  # noqa: E731
    ref = lambda y: librosa.pyin(y, fmin=FMIN, fmax=FMAX, sr=SR)  # noqa: E731

    # Agreement on these clips (both computed once, float32 input on both sides).
    agree, close = [], []
    for c in clips:
        tr = ours(c)
        f, v, _ = ref(c)
        agree.append(np.mean(tr.voiced == v))
        both = tr.voiced & v
        if both.any():
            close.append(np.mean(np.abs(tr.f0[both] / f[both] - 1) <= 0.01))

    r_ref = rate(ref, clips[:3] if args.quick else clips[:6], 2.0 if args.quick else 5.0)
    r_ours = rate(ours, clips, 1.0 if args.quick else 3.0)
    t_short = 1.0 if args.quick else 3.0
    rows = [
        ("librosa.pyin " + librosa.__version__, r_ref, r_ref),
        (f'affectkit f0(method="pyin") {ak.__version__}', r_ours, r_ref),
    ]
    r_yin_ref = rate(lambda y: librosa.yin(y, fmin=FMIN, fmax=FMAX, sr=SR), clips, t_short)
    r_yin = rate(lambda y: ak.f0(y, SR, method="yin", fmin=FMIN, fmax=FMAX), clips, t_short)
    rows += [("librosa.yin", r_yin_ref, r_yin_ref), ('affectkit f0(method="yin")', r_yin, r_yin_ref)]
    try:
        import parselmouth
    except ImportError:
        parselmouth = None
    if parselmouth is not None:
        r_pm = rate(lambda y: parselmouth.Sound(y.astype(np.float64), SR).to_pitch_ac(), clips, t_short)
        r_pr = rate(lambda y: ak.f0(y, SR, method="praat"), clips, t_short)
        rows += [
            (f"parselmouth {parselmouth.__version__} to_pitch_ac", r_pm, r_pm),
            ('affectkit f0(method="praat")', r_pr, r_pm),
        ]
    print(f"{len(clips)} clips of {SECONDS:g} s at {SR} Hz, fmin={FMIN:g}, fmax={FMAX:g}, single thread\n")
    print("| F0 tracker | clips/s | vs its reference |")
    print("|---|---:|---:|")
    for name, r, base in rows:
        print(f"| {name} | {r:.1f} | {r / base:.0f}x |")
    print(
        f"\nagreement with librosa.pyin: voicing {100 * np.mean(agree):.2f} % of frames "
        f"(worst clip {100 * np.min(agree):.2f} %); f0 within 1 % on "
        f"{100 * np.mean(close):.2f} % of frames both call voiced (worst clip {100 * np.min(close):.2f} %)"
    )
    if parselmouth is not None and args.only != "f0":
        voice_table(clips, args.quick)


if __name__ == "__main__":
    main()
