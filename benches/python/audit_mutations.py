"""The fresh audit of issue 15: mutated audio files and model files, each loaded in a
forked child with a 4 GB address-space cap and a 20 s limit (tests/isolated.py).

Audio: WAV and FLAC seeds (the bundled samples, cut to 1 s, and generated files in every
soundfile subtype affectkit reads), each mutated by 1-5 random bytes (most in the first
64 bytes, where the header is) and sometimes truncated. ``ak.load(path)`` runs in the
child; soundfile (libsndfile) reads the same bytes in this process. Counted: signals
(the child died), hangs (over the limit), foreign exceptions (not an
``affectkit.errors`` class), and for files both read, silently different decodes
(another shape, or a sample differing by more than 1e-6).

Models: a small MLP file and a late-fusion bundle, mutated the same way; half of them
with the CRC-32 recomputed so the mutation reaches the header and weight parsers.
``ak.load_model(path)`` runs in the child. Counted: signals, hangs, foreign exceptions,
and files with a stale checksum that loaded anyway (must be 0).

    python benches/python/audit_mutations.py                      # 10,000 audio, 1,000 models
    python benches/python/audit_mutations.py --audio 2000 --models 300 --seed 1

Not run in CI (minutes). Prints the counts as a markdown table.
"""

from __future__ import annotations

import argparse
import collections
import io
import os
import sys
import tempfile
import warnings
import zlib

import numpy as np
import soundfile as sf

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests"))
from isolated import outcome  # noqa: E402

import affectkit as ak  # noqa: E402

LIMIT_S = 20.0
CAP = 4 << 30
KEEP = ""  # --keep: a folder for the files that decode differently
OURS = {c.__name__ for c in vars(ak.errors).values() if isinstance(c, type) and issubclass(c, BaseException)}


def audio_seeds() -> "list[tuple[str, bytes]]":
    seeds = []
    rng = np.random.default_rng(0)
    x = 0.5 * np.sin(2 * np.pi * 440 * np.arange(4000) / 8000) + 0.01 * rng.standard_normal(4000)
    for subtype in ("PCM_U8", "PCM_16", "PCM_24", "PCM_32", "FLOAT", "DOUBLE", "ULAW", "ALAW"):
        for channels in (1, 2):
            b = io.BytesIO()
            sf.write(b, np.repeat(x[:, None], channels, 1), 8000, format="WAV", subtype=subtype)
            seeds.append(("wav", b.getvalue()))
    for subtype in ("PCM_16", "PCM_24"):
        b = io.BytesIO()
        sf.write(b, x, 8000, format="FLAC", subtype=subtype)
        seeds.append(("flac", b.getvalue()))
    for p in ak.datasets.sample_paths()[:2]:
        y, sr = sf.read(p, frames=16000)
        b = io.BytesIO()
        sf.write(b, y, sr, format="FLAC", subtype="PCM_16")
        seeds.append(("flac", b.getvalue()))
    return seeds


def mutate(data: bytes, rng: np.random.Generator) -> bytes:
    b = bytearray(data)
    for _ in range(int(rng.integers(1, 6))):
        i = int(rng.integers(0, min(64, len(b)))) if rng.random() < 0.7 else int(rng.integers(0, len(b)))
        b[i] = int(rng.integers(0, 256))
    if rng.random() < 0.1:
        b = b[: int(rng.integers(0, len(b) + 1))]
    return bytes(b)


def same_decode(mine: np.ndarray, ref: np.ndarray) -> bool:
    ref = ref.astype(np.float32)
    if ref.ndim == 2 and ref.shape[1] == 1:
        ref = ref[:, 0]
    if ref.ndim == 2:  # ak.load mixes down to mono: compare against the same mixdown
        ref = ref.mean(axis=1, dtype=np.float64).astype(np.float32)
    # NaN and infinite samples (a float file's mutated data) compare equal to themselves
    return mine.shape == ref.shape and bool(np.allclose(mine, ref, rtol=0.0, atol=1e-6, equal_nan=True))


def load_audio(path: str) -> np.ndarray:
    y, _ = ak.load(path)
    return y


def audit_audio(n: int, rng: np.random.Generator, tmp: str) -> "collections.Counter[str]":
    seeds = audio_seeds()
    c: "collections.Counter[str]" = collections.Counter()
    for k in range(n):
        ext, seed = seeds[int(rng.integers(0, len(seeds)))]
        data = mutate(seed, rng)
        path = os.path.join(tmp, f"a{k % 16}.{ext}")
        with open(path, "wb") as f:
            f.write(data)
        o = outcome(load_audio, path, timeout=LIMIT_S, memory=CAP)
        c["files"] += 1
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ref, _ = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
        except Exception:  # noqa: BLE001 -- libsndfile refuses it
            ref = None
        if o.kind == "signal":
            c["signals"] += 1
        elif o.kind in ("timeout", "exit"):
            c["hangs" if o.kind == "timeout" else "exits"] += 1
        elif o.kind == "raised":
            if o.exc_type not in OURS:
                c["foreign exceptions"] += 1
                print(f"foreign {o.exc_type}: {o.message[:120]} ({ext})", file=sys.stderr)
            elif o.exc_type == "InternalError":
                c["internal errors"] += 1
            c["refused, libsndfile read" if ref is not None else "refused by both"] += 1
        else:
            if ref is None:
                c["read, libsndfile refused"] += 1
            elif same_decode(np.asarray(o.value), ref):
                c["identical decodes"] += 1
            else:
                c["silently different decodes"] += 1
                if KEEP:
                    with open(os.path.join(KEEP, f"different{c['silently different decodes']}.{ext}"), "wb") as f:
                        f.write(data)
    return c


def model_seeds(tmp: str) -> "list[bytes]":
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 4))
    y = np.arange(60) % 3
    clf = ak.EmotionClassifier((5,), max_epochs=2, random_state=0).fit(X, y)
    clf.save(os.path.join(tmp, "m.akm"))
    mm = ak.MultimodalClassifier(ak.EmotionClassifier((5,), max_epochs=2, random_state=0))
    mm.fit({"a": X[:, :2], "b": X[:, 2:]}, y)
    mm.save(os.path.join(tmp, "mm.akm"))
    return [open(os.path.join(tmp, n), "rb").read() for n in ("m.akm", "mm.akm")]


def load_model(path: str) -> str:
    return type(ak.load_model(path)).__name__


def audit_models(n: int, rng: np.random.Generator, tmp: str) -> "collections.Counter[str]":
    seeds = model_seeds(tmp)
    c: "collections.Counter[str]" = collections.Counter()
    for k in range(n):
        seed = seeds[int(rng.integers(0, len(seeds)))]
        data = bytearray(mutate(seed, rng))
        fixed = rng.random() < 0.5 and len(data) > 4
        if fixed:  # the checksum made right again: the parsers see the mutation
            data[-4:] = zlib.crc32(bytes(data[:-4])).to_bytes(4, "little")
        changed = bytes(data) != seed
        path = os.path.join(tmp, f"m{k % 16}.akm")
        with open(path, "wb") as f:
            f.write(data)
        o = outcome(load_model, path, timeout=LIMIT_S, memory=CAP)
        c["files"] += 1
        if o.kind == "signal":
            c["signals"] += 1
        elif o.kind in ("timeout", "exit"):
            c["hangs" if o.kind == "timeout" else "exits"] += 1
        elif o.kind == "raised":
            if o.exc_type not in OURS:
                c["foreign exceptions"] += 1
                print(f"foreign {o.exc_type}: {o.message[:120]}", file=sys.stderr)
            elif os.path.basename(path) not in o.message:
                c["errors not naming the file"] += 1
            c["ReadError" if "ReadError" in o.exc_mro else o.exc_type] += 1
        elif changed and not fixed:
            c["loaded with a stale checksum"] += 1
        else:
            c["loaded (checksum recomputed)" if changed else "loaded (unchanged)"] += 1
    return c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--audio", type=int, default=10000)
    ap.add_argument("--models", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", default="", help="a folder to keep the files that decode differently in")
    a = ap.parse_args()
    global KEEP
    KEEP = a.keep
    if KEEP:
        os.makedirs(KEEP, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    with tempfile.TemporaryDirectory() as tmp:
        audio = audit_audio(a.audio, rng, tmp)
        models = audit_models(a.models, rng, tmp)
    for title, c in (("audio (WAV/FLAC)", audio), ("model files", models)):
        print(f"\n| {title} | count |\n|---|---:|")
        for key in ("files", "signals", "hangs", "exits", "foreign exceptions", "internal errors"):
            print(f"| {key} | {c.get(key, 0)} |")
        for key, v in sorted(c.items()):
            if key not in ("files", "signals", "hangs", "exits", "foreign exceptions", "internal errors"):
                print(f"| {key} | {v} |")


if __name__ == "__main__":
    main()
