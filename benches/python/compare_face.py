"""ak.face side by side with NumPy and OpenCV, single thread.

- geometry: ak.face.geometry (similarity alignment + all measures) against a vectorised
  NumPy implementation of the same alignment and the same measures (checked equal first);
- head pose: ak.face.head_pose against cv2.solvePnP (SOLVEPNP_ITERATIVE) called per frame
  on the same points and intrinsics.

Run: OMP_NUM_THREADS=1 python benches/python/compare_face.py [--frames 20000]
Prints frames/s and the ratio. Timings are the best of --repeat runs.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np  # noqa: E402

import affectkit as ak  # noqa: E402

REF = ak.face.REFERENCE_SHAPE_3D

MIRROR = [(0, 16), (1, 15), (2, 14), (3, 13), (4, 12), (5, 11), (6, 10), (7, 9), (17, 26), (18, 25), (19, 24),
          (20, 23), (21, 22), (36, 45), (37, 44), (38, 43), (39, 42), (40, 47), (41, 46), (31, 35), (32, 34),
          (48, 54), (49, 53), (50, 52), (59, 55), (58, 56), (60, 64), (61, 63), (67, 65)]
MIDLINE = [8, 27, 28, 29, 30, 33, 51, 57, 62, 66]
PAIRS = [tuple(int(v) for v in n.split("_")[1:]) for n in ak.face.GEOMETRY_NAMES if n.startswith("distance_")]
VERTEX = [("mouth_corner_left", 54, 53, 55), ("mouth_corner_right", 48, 49, 59), ("eye_corner_left", 45, 44, 46),
          ("eye_corner_right", 36, 37, 41), ("chin", 8, 6, 10), ("nose_tip", 30, 31, 35)]


def numpy_geometry(P: np.ndarray) -> np.ndarray:
    """The same measures as ak.face.geometry for 2-D ibug68 input, vectorised over frames."""
    n = P.shape[0]
    M = REF[:, :2] - REF.mean(axis=0)[:2]
    M = M / np.linalg.norm(M[45] - M[36])
    mu = P.mean(axis=1, keepdims=True)
    A = P - mu
    mM = M.mean(axis=0)
    Mc = M - mM
    cov = np.einsum("kj,nki->nji", Mc, A) / 68.0
    U, S, Vt = np.linalg.svd(cov)
    d = np.sign(np.linalg.det(U) * np.linalg.det(Vt))
    D = np.zeros((n, 2, 2))
    D[:, 0, 0] = 1.0
    D[:, 1, 1] = d
    R = U @ D @ Vt
    var = (A ** 2).sum(axis=(1, 2)) / 68.0
    scale = (S[:, 0] + d * S[:, 1]) / var
    Q = scale[:, None, None] * np.einsum("nij,nkj->nki", R, A) + mM
    x, y = Q[..., 0], Q[..., 1]

    def dist(i, j):
        return np.linalg.norm(Q[:, i] - Q[:, j], axis=-1)

    def angle(v, a, b):
        u, w = Q[:, a] - Q[:, v], Q[:, b] - Q[:, v]
        cross = np.abs(u[:, 0] * w[:, 1] - u[:, 1] * w[:, 0])
        return np.degrees(np.arctan2(cross, (u * w).sum(-1)))

    iod = dist(36, 45)
    with np.errstate(invalid="ignore", divide="ignore"):
        def ear(e):
            return (dist(e + 1, e + 5) + dist(e + 2, e + 4)) / (2 * dist(e, e + 3))

        def opn(e):
            return (dist(e + 1, e + 5) + dist(e + 2, e + 4)) / (2 * iod)

        mid = x[:, MIDLINE].mean(axis=1)
        r = np.array([p[0] for p in MIRROR])
        left = np.array([p[1] for p in MIRROR])
        mx = 2 * mid[:, None] - x[:, left]
        asym = np.sqrt((mx - x[:, r]) ** 2 + (y[:, left] - y[:, r]) ** 2).mean(axis=1) / iod
        cols = [
            ear(42), ear(36), opn(42), opn(36),
            (dist(61, 67) + dist(62, 66) + dist(63, 65)) / (2 * dist(60, 64)),
            dist(48, 54) / iod, dist(51, 57) / iod, dist(62, 66) / iod,
            (y[:, 42] - y[:, 22]) / iod, (y[:, 39] - y[:, 21]) / iod,
            (y[:, 45] - y[:, 26]) / iod, (y[:, 36] - y[:, 17]) / iod,
            dist(21, 22) / iod,
            (y[:, 33] - y[:, 54]) / iod, (y[:, 33] - y[:, 48]) / iod,
            (x[:, 54] - x[:, 33]) / iod, (x[:, 33] - x[:, 48]) / iod,
            dist(60, 64) / iod, (y[:, 33] - y[:, 51]) / iod, (y[:, 8] - y[:, 33]) / iod,
            -(dist(31, 39) + dist(35, 42)) / (2 * iod), asym,
            np.degrees(np.arctan2(y[:, 22] - y[:, 26], np.abs(x[:, 26] - x[:, 22]))),
            np.degrees(np.arctan2(y[:, 21] - y[:, 17], np.abs(x[:, 17] - x[:, 21]))),
            np.degrees(np.arctan2(y[:, 48] - y[:, 54], x[:, 54] - x[:, 48])),
            angle(51, 48, 54),
        ]
        cols += [dist(a, b) / iod for a, b in PAIRS]
        cols += [angle(v, a, b) for _, v, a, b in VERTEX]
    return np.stack(cols, axis=1)


def best(f, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return min(times), out


def rot(yaw, pitch, roll):
    y, p, r = np.radians([yaw, pitch, roll])
    rx = np.array([[1, 0, 0], [0, np.cos(p), -np.sin(p)], [0, np.sin(p), np.cos(p)]])
    ry = np.array([[np.cos(y), 0, np.sin(y)], [0, 1, 0], [-np.sin(y), 0, np.cos(y)]])
    rz = np.array([[np.cos(r), -np.sin(r), 0], [np.sin(r), np.cos(r), 0], [0, 0, 1]])
    return rx @ ry @ rz


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--frames", type=int, default=20000)
    ap.add_argument("--pose-frames", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    w, h = 1280, 720
    f = float(w)

    # synthetic video: the reference face under random poses, projected, 1 px noise
    n = args.frames
    poses = np.column_stack([rng.uniform(-40, 40, n), rng.uniform(-25, 25, n), rng.uniform(-20, 20, n)])
    lm = np.empty((n, 68, 2))
    for i, p in enumerate(poses):
        c = REF @ rot(*p).T + [0.0, 0.0, 650.0]
        lm[i] = f * c[:, :2] / c[:, 2:] + [w / 2, h / 2]
    lm += rng.normal(0, 1.0, lm.shape)

    print(f"ak.face benchmark, single thread, {n} frames of 68 2-D points")
    ours = ak.face.geometry(lm, n_jobs=1)
    ref = numpy_geometry(lm)
    err = np.nanmax(np.abs(ours - ref))
    print(f"geometry: ak vs NumPy max abs difference {err:.2e} over {ours.shape[1]} measures")
    t_ak, _ = best(lambda: ak.face.geometry(lm, n_jobs=1), args.repeat)
    t_np, _ = best(lambda: numpy_geometry(lm), args.repeat)
    rows = [("geometry (align + all measures)", "ak.face.geometry", n / t_ak, "NumPy vectorised", n / t_np)]

    m = args.pose_frames
    t_pose, P = best(lambda: ak.face.head_pose(lm[:m], image_size=(w, h), n_jobs=1), args.repeat)
    pose_err = np.abs(P[:, :3] - poses[:m]).max()
    print(f"head pose: ak max angle error {pose_err:.3f} deg with 1 px noise")
    try:
        import cv2

        cv2.setNumThreads(1)
        K = np.array([[f, 0, w / 2], [0, f, h / 2], [0, 0, 1]])
        obj = np.ascontiguousarray(REF, dtype=np.float64)
        k = min(m, 2000)
        pts = [np.ascontiguousarray(lm[i]) for i in range(k)]

        def cv_all():
            return [cv2.solvePnP(obj, p, K, None, flags=cv2.SOLVEPNP_ITERATIVE) for p in pts]

        t_cv, _ = best(cv_all, args.repeat)
        rows.append(("head pose (PnP)", "ak.face.head_pose", m / t_pose, "cv2.solvePnP per frame", k / t_cv))
    except ImportError:
        rows.append(("head pose (PnP)", "ak.face.head_pose", m / t_pose, "cv2 not installed", float("nan")))

    print()
    print(f"{'task':34s} {'affectkit':>20s} {'frames/s':>12s} {'peer':>24s} {'frames/s':>12s} {'ratio':>7s}")
    for task, a, fa, b, fb in rows:
        print(f"{task:34s} {a:>20s} {fa:12,.0f} {b:>24s} {fb:12,.0f} {fa / fb:7.1f}")


if __name__ == "__main__":
    main()
