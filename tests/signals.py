"""Synthetic test signals with known content, shared by the test modules."""

from __future__ import annotations

import numpy as np

SR = 16000


def sine(f=440.0, seconds=1.0, sr=SR, amp=0.5):
    t = np.arange(int(seconds * sr)) / sr
    return amp * np.sin(2 * np.pi * f * t)


def chirp(f0=100.0, f1=7000.0, seconds=1.0, sr=SR, amp=0.5):
    """Linear sweep from f0 to f1 Hz."""
    t = np.arange(int(seconds * sr)) / sr
    k = (f1 - f0) / seconds
    return amp * np.sin(2 * np.pi * (f0 * t + 0.5 * k * t * t))


def noise(seconds=1.0, sr=SR, seed=0, amp=0.1):
    return amp * np.random.default_rng(seed).standard_normal(int(seconds * sr))


def silence(seconds=0.5, sr=SR):
    return np.zeros(int(seconds * sr))


def clipped(seconds=1.0, sr=SR):
    """A 220 Hz sine at twice full scale, hard-clipped to [-1, 1]."""
    return np.clip(sine(220.0, seconds, sr, amp=2.0), -1.0, 1.0)


SYNTHETIC = {
    "sine": sine,
    "chirp": chirp,
    "noise": noise,
    "silence": silence,
    "clipped": clipped,
}


def rel_error(ours, ref):
    """max |ours - ref| / max |ref|, the parity measure.

    When the whole reference is below 1 in magnitude the error is absolute instead: such
    outputs (e.g. mean-normalised features of silence) are zero up to the reference's own
    float32 roundoff, and dividing by that roundoff measures nothing.
    """
    ours = np.asarray(ours, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    assert ours.shape == ref.shape, f"shape {ours.shape} != reference {ref.shape}"
    if ref.size == 0:
        return 0.0
    scale = max(float(np.max(np.abs(ref))), 1.0)
    return float(np.max(np.abs(ours - ref)) / scale)
