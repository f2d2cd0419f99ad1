"""ak.face: geometry, alignment, head pose, dynamics and the OpenFace reader, tested on
synthetic faces with known truth (the reference shape rotated and projected with known
intrinsics)."""

import pickle
import warnings

import numpy as np
import pytest

import affectkit as ak
from affectkit.errors import ParameterError

REF = ak.face.REFERENCE_SHAPE_3D
W, H = 1280, 720
FX = FY = float(W)
CX, CY = W / 2, H / 2


def rot(yaw, pitch, roll):
    """R = Rx(pitch) @ Ry(yaw) @ Rz(roll), degrees (OpenFace's convention)."""
    y, p, r = np.radians([yaw, pitch, roll])
    rx = np.array([[1, 0, 0], [0, np.cos(p), -np.sin(p)], [0, np.sin(p), np.cos(p)]])
    ry = np.array([[np.cos(y), 0, np.sin(y)], [0, 1, 0], [-np.sin(y), 0, np.cos(y)]])
    rz = np.array([[np.cos(r), -np.sin(r), 0], [np.sin(r), np.cos(r), 0], [0, 0, 1]])
    return rx @ ry @ rz


def euler(R):
    return np.degrees([np.arcsin(np.clip(R[0, 2], -1, 1)), np.arctan2(-R[1, 2], R[2, 2]), np.arctan2(-R[0, 1], R[0, 0])])


def project(yaw, pitch, roll, t=(30.0, -20.0, 650.0), shape=REF):
    c = shape @ rot(yaw, pitch, roll).T + np.asarray(t)
    return np.stack([FX * c[:, 0] / c[:, 2] + CX, FY * c[:, 1] / c[:, 2] + CY], axis=1)


def random_poses(rng, n):
    return np.column_stack([rng.uniform(-40, 40, n), rng.uniform(-25, 25, n), rng.uniform(-20, 20, n)])


def face_2d(rng=None, noise=0.0):
    """A frontal 2-D face in pixels, optionally jittered (an 'expression')."""
    f = REF[:, :2] * 3.0 + [400.0, 300.0]
    if rng is not None and noise:
        f = f + rng.normal(0, noise, f.shape)
    return f


def col(name):
    return ak.face.GEOMETRY_NAMES.index(name)


# ---------------------------------------------------------------- head pose


def test_pose_exact_points():
    rng = np.random.default_rng(0)
    poses = random_poses(rng, 40)
    lm = np.stack([project(*p) for p in poses])
    P = ak.face.head_pose(lm, image_size=(W, H))
    assert P.shape == (40, 6)
    err = np.abs(P[:, :3] - poses)
    assert err.max() < 0.5, err.max()
    assert err.max() < 1e-5  # exact points: the solver converges to the truth
    np.testing.assert_allclose(P[:, 3:], np.tile([30.0, -20.0, 650.0], (40, 1)), atol=1e-3)


def test_pose_with_one_pixel_noise():
    rng = np.random.default_rng(1)
    poses = random_poses(rng, 100)
    lm = np.stack([project(*p) for p in poses]) + rng.normal(0, 1.0, (100, 68, 2))
    P = ak.face.head_pose(lm, image_size=(W, H))
    err = np.abs(P[:, :3] - poses)
    assert err.max() < 2.0, err.max()


def test_pose_matches_opencv_solvepnp():
    cv2 = pytest.importorskip("cv2")
    rng = np.random.default_rng(2)
    poses = random_poses(rng, 30)
    lm = np.stack([project(*p) for p in poses]) + rng.normal(0, 1.0, (30, 68, 2))
    P = ak.face.head_pose(lm, image_size=(W, H))
    K = np.array([[FX, 0, CX], [0, FY, CY], [0, 0, 1]])
    for i in range(30):
        ok, rvec, tvec = cv2.solvePnP(REF.astype(np.float64), lm[i].astype(np.float64), K, None,
                                      flags=cv2.SOLVEPNP_ITERATIVE)
        assert ok
        R, _ = cv2.Rodrigues(rvec)
        np.testing.assert_allclose(P[i, :3], euler(R), atol=0.05)
        np.testing.assert_allclose(P[i, 3:], tvec.ravel(), rtol=1e-3, atol=0.5)


def test_pose_intrinsics_are_overridable():
    lm = project(10, -5, 3)
    a = ak.face.head_pose(lm, image_size=(W, H))
    b = ak.face.head_pose(lm, focal=(FX, FY), principal_point=(CX, CY))
    np.testing.assert_allclose(a, b)
    c = ak.face.head_pose(lm, image_size=(W, H), focal=2 * FX)
    assert np.abs(c[:3] - a[:3]).max() > 0.01  # the wrong focal length changes the answer


def test_pose_from_3d_landmarks():
    R = rot(25, -10, 8)
    pts = 0.5 * REF @ R.T + [1.0, 2.0, 3.0]
    P = ak.face.head_pose(pts)
    np.testing.assert_allclose(P[:3], [25, -10, 8], atol=1e-8)
    np.testing.assert_allclose(P[3:], [1.0, 2.0, 3.0], atol=1e-8)


def test_pose_needs_image_size_for_2d():
    with pytest.raises(ValueError, match="image_size"):
        ak.face.head_pose(project(0, 0, 0))


def test_pose_nan_frames_are_nan_rows():
    lm = np.stack([project(10, 0, 0), project(0, 0, 0), project(-10, 5, 0)])
    lm[1, 30] = np.nan
    P = ak.face.head_pose(lm, image_size=(W, H))
    assert np.isnan(P[1]).all()
    np.testing.assert_allclose(P[0, :3], [10, 0, 0], atol=1e-5)
    np.testing.assert_allclose(P[2, :3], [-10, 5, 0], atol=1e-5)


# ---------------------------------------------------------------- geometry


def np_ear(p, e):
    d = lambda a, b: np.linalg.norm(p[a] - p[b])  # noqa: E731
    return (d(e + 1, e + 5) + d(e + 2, e + 4)) / (2 * d(e, e + 3))


def test_eye_and_mouth_ratios_follow_their_formulas():
    rng = np.random.default_rng(3)
    faces = np.stack([face_2d(rng, 2.0) for _ in range(20)])
    G = ak.face.geometry(faces)
    assert G.shape == (20, len(ak.face.GEOMETRY_NAMES))
    for f, g in zip(faces, G):
        d = lambda a, b: np.linalg.norm(f[a] - f[b])  # noqa: E731
        iod = d(36, 45)
        assert g[col("eye_aspect_ratio_left")] == pytest.approx(np_ear(f, 42), rel=1e-10)
        assert g[col("eye_aspect_ratio_right")] == pytest.approx(np_ear(f, 36), rel=1e-10)
        mar = (d(61, 67) + d(62, 66) + d(63, 65)) / (2 * d(60, 64))
        assert g[col("mouth_aspect_ratio")] == pytest.approx(mar, rel=1e-10)
        assert g[col("mouth_width")] == pytest.approx(d(48, 54) / iod, rel=1e-10)
        assert g[col("brow_furrow")] == pytest.approx(d(21, 22) / iod, rel=1e-10)
        assert g[col("distance_27_8")] == pytest.approx(d(27, 8) / iod, rel=1e-10)
        v1, v2 = f[53] - f[54], f[55] - f[54]
        ang = np.degrees(np.arccos(v1 @ v2 / np.linalg.norm(v1) / np.linalg.norm(v2)))
        assert g[col("angle_mouth_corner_left")] == pytest.approx(ang, abs=1e-8)


def test_left_is_the_subjects_left():
    f = face_2d()
    closed = f.copy()
    closed[[43, 44], 1] = closed[[47, 46], 1]  # close the subject's left eye (42-47)
    g = ak.face.geometry(closed)
    assert g[col("eye_aspect_ratio_left")] < 0.05
    assert g[col("eye_aspect_ratio_right")] > 0.25


def test_geometry_invariant_to_translation_scale_and_rotation():
    rng = np.random.default_rng(4)
    faces = np.stack([face_2d(rng, 2.0) for _ in range(10)])
    G = ak.face.geometry(faces)
    for angle, scale, shift in [(0.3, 2.5, (100, -50)), (-1.2, 0.2, (5, 5)), (np.pi, 7.0, (-300, 0))]:
        c, s = np.cos(angle), np.sin(angle)
        R = np.array([[c, -s], [s, c]])
        moved = scale * faces @ R.T + shift
        np.testing.assert_allclose(ak.face.geometry(moved), G, atol=1e-6)


def test_geometry_3d_invariant_to_rigid_motion():
    rng = np.random.default_rng(5)
    f = REF + rng.normal(0, 1.0, REF.shape)
    g0 = ak.face.geometry(f)
    moved = 3.0 * f @ rot(30, 20, -10).T + [5, 6, 700]
    np.testing.assert_allclose(ak.face.geometry(moved), g0, atol=1e-6)


def test_nan_frames_give_nan_rows_without_shifting():
    rng = np.random.default_rng(6)
    faces = np.stack([face_2d(rng, 2.0) for _ in range(5)])
    faces[2, 7] = np.nan
    faces[4] = np.nan
    G = ak.face.geometry(faces)
    assert np.isnan(G[2]).all() and np.isnan(G[4]).all()
    for i in (0, 1, 3):
        np.testing.assert_array_equal(G[i], ak.face.geometry(faces[i]))


def test_as_frame():
    pytest.importorskip("pandas")
    df = ak.face.geometry(np.stack([face_2d()] * 3), as_frame=True)
    assert list(df.columns) == list(ak.face.GEOMETRY_NAMES)
    assert len(df) == 3


def test_float32_and_integer_input():
    f = face_2d()
    np.testing.assert_allclose(ak.face.geometry(f.astype(np.float32)), ak.face.geometry(f), rtol=1e-5)
    g = ak.face.geometry(np.round(f).astype(np.int32))
    assert np.isfinite(g).all()


# ---------------------------------------------------------------- schemes


PUBLISHED_MAP = [
    127, 234, 93, 132, 58, 172, 136, 150, 176, 148, 152, 377, 400, 379, 365, 397, 356,
    70, 63, 105, 66, 107, 336, 296, 334, 293, 300,
    168, 6, 195, 4, 240, 75, 1, 305, 460,
    33, 160, 158, 133, 153, 144, 362, 385, 387, 263, 373, 380,
    61, 39, 37, 0, 267, 269, 291, 405, 314, 17, 84, 181,
    78, 82, 13, 312, 308, 317, 14, 87,
]


def test_mediapipe_map_is_the_published_one():
    assert list(ak.face.MEDIAPIPE_TO_IBUG68) == PUBLISHED_MAP


@pytest.mark.parametrize("scheme,n", [("mediapipe478", 478), ("mediapipe468", 468)])
def test_mediapipe_mesh_maps_onto_68(scheme, n):
    rng = np.random.default_rng(7)
    faces = np.stack([REF + rng.normal(0, 0.5, REF.shape) for _ in range(4)])
    mesh = rng.uniform(-80, 80, (4, n, 3))  # the other mesh points are irrelevant
    mesh[:, PUBLISHED_MAP] = faces
    np.testing.assert_allclose(ak.face.geometry(mesh, scheme=scheme), ak.face.geometry(faces), atol=1e-12)
    np.testing.assert_allclose(ak.face.head_pose(mesh, scheme=scheme), ak.face.head_pose(faces), atol=1e-9)
    # 2-D mesh too; alignment moves every mesh point with the face
    A = ak.face.align(mesh[..., :2], scheme=scheme)
    assert A.shape == (4, n, 2)
    np.testing.assert_allclose(A[:, PUBLISHED_MAP], ak.face.align(faces[..., :2]), atol=1e-12)


RIGHT_LIDS = [(246, 7), (161, 163), (160, 144), (159, 145), (158, 153), (157, 154), (173, 155)]
LEFT_LIDS = [(466, 249), (388, 390), (387, 373), (386, 374), (385, 380), (384, 381), (398, 382)]


def synthetic_mesh(rng, n_points=478, gaze=(0.1, -0.05)):
    """A 2-D MediaPipe-layout mesh: the reference face on the mapped points, eyelids on an
    ellipse between the corners, the iris centres offset by `gaze` eye widths."""
    mesh = rng.uniform(0, 500, (n_points, 2))
    face = REF[:, :2] * 3.0 + [250.0, 250.0]
    mesh[PUBLISHED_MAP] = face
    truth = {}
    for side, lids, (outer, inner), iris in (("left", LEFT_LIDS, (263, 362), 473),
                                              ("right", RIGHT_LIDS, (33, 133), 468)):
        a, b = mesh[outer], mesh[inner]
        width = np.linalg.norm(a - b)
        mid = (a + b) / 2
        heights = rng.uniform(0.2, 0.35, 7) * width
        for k, (u, lo) in enumerate(lids):
            t = (k + 1) / 8
            x = a + (b - a) * t
            mesh[u] = x - [0, heights[k] / 2]
            mesh[lo] = x + [0, heights[k] / 2]
        truth[side] = heights.mean() / width
        if n_points == 478:
            mesh[iris] = mid + np.array([gaze[0], -gaze[1]]) * width
    return mesh, truth


def test_mesh_geometry_on_a_synthetic_mesh():
    rng = np.random.default_rng(13)
    mesh, truth = synthetic_mesh(rng)
    g = ak.face.mesh_geometry(mesh)
    names = ak.face.MESH_GEOMETRY_NAMES
    assert g[names.index("mesh_eye_aspect_ratio_left")] == pytest.approx(truth["left"], rel=1e-9)
    assert g[names.index("mesh_eye_aspect_ratio_right")] == pytest.approx(truth["right"], rel=1e-9)
    # the reference eye line is nearly horizontal, so the aligned offsets are close to the given gaze
    np.testing.assert_allclose(g[2:4], [0.1, 0.1], atol=0.01)
    np.testing.assert_allclose(g[4:6], [-0.05, -0.05], atol=0.01)
    c, s = np.cos(0.8), np.sin(0.8)
    moved = 0.3 * mesh @ np.array([[c, -s], [s, c]]).T + [7, 9]
    np.testing.assert_allclose(ak.face.mesh_geometry(moved), g, atol=1e-9)
    mesh468, _ = synthetic_mesh(rng, 468)
    g468 = ak.face.mesh_geometry(mesh468, scheme="mediapipe468")
    assert np.isfinite(g468[:2]).all() and np.isnan(g468[2:]).all()
    with pytest.raises(ValueError, match="mediapipe"):
        ak.face.mesh_geometry(face_2d(), scheme="ibug68")


def test_user_scheme_from_regions():
    rng = np.random.default_rng(8)
    perm = rng.permutation(80)  # 80 points, the 68 scattered among them
    f = face_2d(rng, 1.0)
    data = rng.normal(0, 1, (80, 2))
    data[perm[:68]] = f
    scheme = {"n_points": 80}
    start = 0
    for name, count in ak.face.REGIONS:
        scheme[name] = perm[start:start + count].tolist()
        start += count
    np.testing.assert_allclose(ak.face.geometry(data, scheme=scheme), ak.face.geometry(f), atol=1e-12)
    bad = dict(scheme)
    del bad["inner_lips"]
    with pytest.raises(ValueError, match="inner_lips"):
        ak.face.geometry(data, scheme=bad)


# ---------------------------------------------------------------- alignment


def test_align_procrustes_and_interocular():
    rng = np.random.default_rng(9)
    f = face_2d(rng, 1.0)
    c, s = np.cos(0.5), np.sin(0.5)
    moved = 4 * f @ np.array([[c, -s], [s, c]]).T + [10, 20]
    np.testing.assert_allclose(ak.face.align(moved), ak.face.align(f), atol=1e-9)
    A = ak.face.align(moved, method="interocular")
    np.testing.assert_allclose(A[45] - A[36], [1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose((A[36] + A[45]) / 2, [0.0, 0.0], atol=1e-12)
    with pytest.raises(ValueError, match="method"):
        ak.face.align(f, method="affine")


# ---------------------------------------------------------------- bad input


def test_wrong_point_count_or_dimension():
    with pytest.raises(ValueError, match=r"68.*\(5, 67, 2\)"):
        ak.face.geometry(np.zeros((5, 67, 2)))
    with pytest.raises(ValueError, match=r"\(2, 68, 4\)"):
        ak.face.geometry(np.zeros((2, 68, 4)))
    with pytest.raises(ValueError, match="478"):
        ak.face.geometry(np.zeros((2, 68, 3)), scheme="mediapipe478")
    with pytest.raises(ValueError, match="shape"):
        ak.face.geometry(np.zeros(68))
    with pytest.raises(TypeError):
        ak.face.geometry(np.array([["a"] * 2] * 68))
    with pytest.raises(ValueError, match="scheme"):
        ak.face.geometry(face_2d(), scheme="dlib5")


def test_degenerate_faces_warn_with_a_count():
    faces = np.stack([face_2d(), np.zeros((68, 2)), np.ones((68, 2)), face_2d()])
    with pytest.warns(RuntimeWarning, match="2 frame"):
        G = ak.face.geometry(faces)
    assert np.isnan(G[1:3]).all() and np.isfinite(G[[0, 3]]).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ak.face.geometry(np.full((2, 68, 2), np.nan))  # no face: NaN, not degenerate


def test_degenerate_pose_frames_warn():
    lm = np.stack([project(5, 0, 0), np.zeros((68, 2)), project(-5, 0, 0)])
    with pytest.warns(RuntimeWarning, match="1 frame"):
        P = ak.face.head_pose(lm, image_size=(W, H))
    assert np.isnan(P[1]).all() and np.isfinite(P[[0, 2]]).all()
    with pytest.warns(RuntimeWarning, match="1 frame"):
        assert np.isnan(ak.face.head_pose(np.ones((1, 68, 3)))).all()


def test_empty_and_parallel():
    assert ak.face.geometry(np.zeros((0, 68, 2))).shape == (0, len(ak.face.GEOMETRY_NAMES))
    assert ak.face.head_pose(np.zeros((0, 68, 2)), image_size=(W, H)).shape == (0, 6)
    rng = np.random.default_rng(12)
    poses = random_poses(rng, 64)
    lm = np.stack([project(*p) for p in poses]) + rng.normal(0, 0.5, (64, 68, 2))
    np.testing.assert_array_equal(ak.face.geometry(lm, n_jobs=2), ak.face.geometry(lm, n_jobs=1))
    np.testing.assert_array_equal(ak.face.head_pose(lm, image_size=(W, H), n_jobs=2),
                                  ak.face.head_pose(lm, image_size=(W, H), n_jobs=1))


def test_bad_camera():
    with pytest.raises(ValueError, match="image_size"):
        ak.face.head_pose(project(0, 0, 0), image_size=(0, 720))
    with pytest.raises(ValueError, match="focal"):
        ak.face.head_pose(project(0, 0, 0), image_size=(W, H), focal=-1.0)


# ---------------------------------------------------------------- AU proxies and baselines


def test_au_proxies_respond_to_their_actions():
    base = face_2d()
    smile = base.copy()
    smile[[48, 54], 1] -= 6  # raise the mouth corners (image y is down)
    brows = base.copy()
    brows[17:27, 1] -= 8  # raise both brows
    G = ak.face.geometry(np.stack([base, base, base, smile, brows]))
    au = ak.face.au_proxies(G, neutral=slice(0, 3))
    assert au.shape == (5, len(ak.face.AU_PROXY_NAMES))
    i = ak.face.AU_PROXY_NAMES.index
    np.testing.assert_allclose(au[:3], 0.0, atol=1e-12)
    assert au[3, i("AU12_proxy")] > 0.01 and au[3, i("AU15_proxy")] < -0.01
    assert au[4, i("AU01_proxy")] > 0.01 and au[4, i("AU02_proxy")] > 0.01
    assert abs(au[4, i("AU12_proxy")]) < 1e-9
    with pytest.raises(ValueError, match="columns"):
        ak.face.au_proxies(G[:, :10])


def test_baseline_median_and_neutral_segment():
    x = np.array([[1.0, 10.0], [3.0, np.nan], [2.0, 30.0], [100.0, 40.0]])
    np.testing.assert_allclose(ak.face.baseline(x), [2.5, 30.0])
    np.testing.assert_allclose(ak.face.baseline(x, neutral=slice(0, 3)), [2.0, 20.0])
    np.testing.assert_allclose(ak.face.subtract_baseline(x, neutral=[0])[3], [99.0, 30.0])
    with pytest.raises(ValueError, match="neutral"):
        ak.face.baseline(x, neutral=np.ones(3, dtype=bool))


# ---------------------------------------------------------------- dynamics


def test_dynamics_blinks_velocity_and_windows():
    fps = 30.0
    n = 300
    base = face_2d()
    faces = np.repeat(base[None], n, axis=0)
    for start in (40, 150, 250):  # three blinks of 4 frames: both eyes closed
        for eye in (36, 42):
            faces[start:start + 4, [eye + 1, eye + 2], 1] = faces[start:start + 4, [eye + 5, eye + 4], 1]
    faces[100:102] = np.nan  # two frames without a face
    G = ak.face.geometry(faces)
    D = ak.face.dynamics(G, fps=fps, max_gap=2)
    assert D.blinks["onsets"].tolist() == [40, 150, 250]
    assert D.blinks["durations"].tolist() == [4, 4, 4]
    assert D.blinks["rate_per_minute"] == pytest.approx(3 / (n / fps / 60))
    assert D.blinks["mean_duration_s"] == pytest.approx(4 / fps)
    assert np.isfinite(D.features[100:102]).all()  # the gap was filled
    assert D.velocity.shape == G.shape and D.acceleration.shape == G.shape
    e = col("eye_aspect_ratio_left")
    assert D.velocity[39, e] < 0 and abs(D.velocity[20, e]) < 1e-9
    # 2 s windows every 1 s
    assert D.windows.shape == (9, len(ak.face.GEOMETRY_NAMES) * 4)
    assert D.window_names[:4] == ["eye_aspect_ratio_left_mean", "eye_aspect_ratio_left_std",
                                  "eye_aspect_ratio_left_min", "eye_aspect_ratio_left_max"]
    np.testing.assert_allclose(D.window_times, np.arange(9.0))
    w0 = G[:60, e]
    np.testing.assert_allclose(D.windows[0, :4], [w0.mean(), w0.std(), w0.min(), w0.max()])


def test_dynamics_nan_stays_local():
    x = np.arange(10.0)[:, None] ** 2
    x[5] = np.nan
    D = ak.face.dynamics(x, fps=1.0, window=None)
    assert D.blinks is None and D.windows is None
    np.testing.assert_allclose(D.velocity[[0, 1, 2, 3, 7, 8, 9], 0], np.gradient(x[:, 0])[[0, 1, 2, 3, 7, 8, 9]])
    assert np.isnan(D.velocity[[4, 6], 0]).all()
    with pytest.raises(ValueError, match="fps"):
        ak.face.dynamics(x, fps=0)
    with pytest.raises(ValueError, match="functionals"):
        ak.face.dynamics(x, fps=1.0, window=3, functionals=("kurtosis",))


def test_dynamics_windows_are_ak_functionals():
    # one implementation: window statistics equal ak.functionals on each window, slopes
    # included (per second at the given fps)
    rng = np.random.default_rng(3)
    x = np.cumsum(rng.normal(size=(90, 2)), axis=0)
    x[10:14, 0] = np.nan
    which = ("amean", "stddevNorm", "percentile20", "pctlrange0-2", "meanRisingSlope", "stddevFallingSlope")
    D = ak.face.dynamics(x, fps=30.0, window=1.0, hop=0.5, functionals=which)
    assert D.windows.shape == (5, 2 * len(which))
    for w, t in enumerate(D.window_times):
        s = int(round(t * 30))
        for j in range(2):
            expected = ak.functionals(x[s:s + 30, j], which=which, frame_rate=30.0)
            got = D.windows[w, j * len(which):(j + 1) * len(which)]
            np.testing.assert_allclose(got, list(expected.values()))


# ---------------------------------------------------------------- OpenFace CSV


AUS_R = ["01", "02", "04", "05", "06", "07", "09", "10", "12", "14", "15", "17", "20", "23", "25", "26", "45"]
AUS_C = ["01", "02", "04", "05", "06", "07", "09", "10", "12", "14", "15", "17", "20", "23", "25", "26", "28", "45"]


def openface_header():
    h = ["frame", "face_id", "timestamp", "confidence", "success"]
    h += ["gaze_0_x", "gaze_0_y", "gaze_0_z", "gaze_1_x", "gaze_1_y", "gaze_1_z", "gaze_angle_x", "gaze_angle_y"]
    for ax in ("x", "y"):
        h += [f"eye_lmk_{ax}_{i}" for i in range(56)]
    for ax in ("X", "Y", "Z"):
        h += [f"eye_lmk_{ax}_{i}" for i in range(56)]
    h += ["pose_Tx", "pose_Ty", "pose_Tz", "pose_Rx", "pose_Ry", "pose_Rz"]
    h += [f"x_{i}" for i in range(68)] + [f"y_{i}" for i in range(68)]
    h += [f"{ax}_{i}" for ax in "XYZ" for i in range(68)]
    h += ["p_scale", "p_rx", "p_ry", "p_rz", "p_tx", "p_ty"] + [f"p_{i}" for i in range(34)]
    h += [f"AU{a}_r" for a in AUS_R] + [f"AU{a}_c" for a in AUS_C]
    return h


def write_openface(path, rng, n=6, failed=(2,)):
    header = openface_header()
    lm2 = np.stack([face_2d(rng, 1.0) for _ in range(n)])
    lm3 = np.stack([REF + rng.normal(0, 1, REF.shape) for _ in range(n)])
    rows = []
    truth = {}
    for i in range(n):
        ok = i not in failed
        vals = {"frame": i + 1, "face_id": 0, "timestamp": i / 30, "confidence": 0.98 if ok else 0.0,
                "success": int(ok)}
        for j, h in enumerate(header[5:13]):
            vals[h] = rng.normal() if ok else 0.0
        for h in header:
            if h.startswith("eye_lmk_") or h.startswith("p_"):
                vals[h] = rng.normal() if ok else 0.0
        pose = [12.0 + i, -3.0, 600.0, 0.1, -0.2 * i, 0.05]
        for h, v in zip(["pose_Tx", "pose_Ty", "pose_Tz", "pose_Rx", "pose_Ry", "pose_Rz"], pose):
            vals[h] = v if ok else 0.0
        for k in range(68):
            vals[f"x_{k}"], vals[f"y_{k}"] = (lm2[i, k] if ok else (0.0, 0.0))
            for d, ax in enumerate("XYZ"):
                vals[f"{ax}_{k}"] = lm3[i, k, d] if ok else 0.0
        for a in AUS_R:
            vals[f"AU{a}_r"] = round(rng.uniform(0, 5), 2) if ok else 0.0
        for a in AUS_C:
            vals[f"AU{a}_c"] = float(rng.integers(0, 2)) if ok else 0.0
        rows.append([vals[h] for h in header])
        truth[i] = vals
    with open(path, "w") as fh:
        fh.write(", ".join(header) + "\n")
        for r in rows:
            fh.write(", ".join(repr(float(v)) if not isinstance(v, int) else str(v) for v in r) + "\n")
    return lm2, lm3, truth


def test_openface_round_trip(tmp_path):
    rng = np.random.default_rng(10)
    p = tmp_path / "video.csv"
    lm2, lm3, truth = write_openface(p, rng)
    of = ak.face.read_openface(p)
    assert len(of) == 6
    np.testing.assert_array_equal(of.frame, np.arange(1, 7))
    np.testing.assert_array_equal(of.success, [1, 1, 0, 1, 1, 1])
    ok = [0, 1, 3, 4, 5]
    np.testing.assert_allclose(of.landmarks[ok], lm2[ok])
    np.testing.assert_allclose(of.landmarks_3d[ok], lm3[ok])
    assert np.isnan(of.landmarks[2]).all() and np.isnan(of.landmarks_3d[2]).all()
    assert of.gaze.shape == (6, 8) and of.eye_landmarks.shape == (6, 280)
    assert of.shape_params.shape == (6, 40)
    assert of.au_intensity_names == [f"AU{a}_r" for a in AUS_R]
    assert of.au_presence_names == [f"AU{a}_c" for a in AUS_C]
    assert of.aus["AU12_r"][0] == truth[0]["AU12_r"]
    assert np.isnan(of.au_intensity[2]).all() and np.isnan(of.pose[2]).all()
    assert of.other is None
    hp = of.head_pose
    np.testing.assert_allclose(hp[4], [np.degrees(-0.8), np.degrees(0.1), np.degrees(0.05), 16.0, -3.0, 600.0])
    # geometry straight from the reader: the failed frame is a NaN row, the others are unmoved
    G = ak.face.geometry(of.landmarks)
    assert np.isnan(G[2]).all()
    np.testing.assert_allclose(G[ok], ak.face.geometry(lm2[ok]))
    pd = pytest.importorskip("pandas")
    df = of.to_frame()
    assert isinstance(df, pd.DataFrame)
    assert set(openface_header()) == set(df.columns)
    df.to_csv(tmp_path / "again.csv", index=False)
    again = ak.face.read_openface(tmp_path / "again.csv")
    np.testing.assert_allclose(again.landmarks[ok], of.landmarks[ok])


def test_pyfeat_style_columns(tmp_path):
    p = tmp_path / "feat.csv"
    f = face_2d()
    header = ["frame", "FaceRectX", "input"] + [f"x_{i}" for i in range(68)] + [f"y_{i}" for i in range(68)]
    row = ["0", "12.5", "img.png"] + [repr(float(v)) for v in f[:, 0]] + [repr(float(v)) for v in f[:, 1]]
    p.write_text(",".join(header) + "\n" + ",".join(row) + "\n")
    d = ak.face.read_openface(p)
    np.testing.assert_allclose(d.landmarks[0], f)
    assert d.landmarks_3d is None and d.other_names == ["FaceRectX"]


def test_openface_bad_files(tmp_path):
    p = tmp_path / "aus.csv"
    p.write_text("frame, success, AU01_r\n1, 1, 0.5\n")
    with pytest.raises(ak.ReadError, match=r"aus\.csv: .*x_0"):
        ak.face.read_openface(p)
    p.write_text("frame, success, x_0, y_0\n1, 1, abc, 3\n")
    with pytest.raises(ak.ReadError, match=r"aus\.csv: line 2, column \"x_0\": expected a number"):
        ak.face.read_openface(p)
    with pytest.raises(ak.ReadError, match="missing.csv") as e:
        ak.face.read_openface(tmp_path / "missing.csv")
    assert isinstance(e.value, OSError) and not isinstance(e.value, ak.AudioLoadError)


# ---------------------------------------------------------------- transformer


def test_face_geometry_transformer():
    sklearn = pytest.importorskip("sklearn")
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    rng = np.random.default_rng(11)
    seqs, labels = [], []
    for k in range(20):
        smile = k % 2
        seq = np.stack([face_2d(rng, 0.5) for _ in range(15)])
        if smile:
            seq[:, [48, 54], 1] -= 5
        seq[3] = np.nan  # a frame without a face does not poison the pooled statistics
        seqs.append(seq)
        labels.append(smile)
    t = ak.face.FaceGeometry()
    X = t.fit_transform(seqs)
    assert X.shape == (20, 2 * len(ak.face.GEOMETRY_NAMES))
    assert np.isfinite(X).all()
    assert len(t.get_feature_names_out()) == X.shape[1]
    model = make_pipeline(ak.face.FaceGeometry(), LogisticRegression(max_iter=1000)).fit(seqs, labels)
    assert model.score(seqs, labels) == 1.0
    c = clone(ak.face.FaceGeometry(pooling=None, neutral="median"))
    frames = c.fit_transform(seqs[:2])
    assert isinstance(frames, list) and frames[0].shape == (15, len(ak.face.GEOMETRY_NAMES))
    assert pickle.loads(pickle.dumps(t)).get_params() == t.get_params()
    with pytest.raises(ValueError, match="pooling"):
        ak.face.FaceGeometry(pooling=("mode",)).fit(seqs)
    assert sklearn is not None
