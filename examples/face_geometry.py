"""Face geometry from landmark sequences: expression measures, action-unit proxies
against each subject's neutral face, head pose and blink dynamics. The landmarks are the
synthetic corpus's 68-point iBUG sequences (any detector's 68 points work the same).

    python examples/face_geometry.py
"""

import numpy as np

import affectkit as ak

ds = ak.datasets.make_acted_corpus(60, n_speakers=4, seed=0)

G = [ak.face.geometry(lm, scheme="ibug68") for lm in ds.landmarks]      # (n_frames, 53) each
names = list(ak.face.GEOMETRY_NAMES)
print(f"{len(G)} sequences, e.g. {G[0].shape[0]} frames x {G[0].shape[1]} measures at {ds.fps:g} fps")

# AU proxies: change against the subject's neutral face. au_proxies takes the baseline from
# the frames `neutral` selects, so each clip goes after the subject's neutral-clip frames.
neutral = {s: np.vstack([g for g, spk, lab in zip(G, ds.speakers, ds.labels) if spk == s and lab == "neutral"])
           for s in set(ds.speakers)}


def au_of(g, speaker):
    base = neutral[speaker]
    rest = np.r_[np.ones(len(base), bool), np.zeros(len(g), bool)]
    return ak.face.au_proxies(np.vstack([base, g]), rest)[len(base):]


au = [au_of(g, s) for g, s in zip(G, ds.speakers)]
au12 = list(ak.face.AU_PROXY_NAMES).index("AU12_proxy")   # lip-corner puller: smiles
au04 = list(ak.face.AU_PROXY_NAMES).index("AU04_proxy")   # brow lowerer: anger, sadness, fear
print(f"{'emotion':<10} {'AU12 proxy':>10} {'AU04 proxy':>10}")
for c in ds.classes:
    rows = [a for a, lab in zip(au, ds.labels) if lab == c]
    print(f"{c:<10} {np.mean([np.nanmax(a[:, au12]) for a in rows]):10.3f} "
          f"{np.mean([np.nanmax(a[:, au04]) for a in rows]):10.3f}")

pose = ak.face.head_pose(ds.landmarks[0], image_size=(640, 480))      # yaw, pitch, roll (deg), tx, ty, tz
print("head pose of the first clip, median yaw/pitch/roll (deg):", np.round(np.median(pose[:, :3], axis=0), 1))

d = ak.face.dynamics(G[0], fps=ds.fps)
print("dynamics of the first clip:", ", ".join(sorted(d.__dict__)[:6]), "...")
