"""The worker pool: batch = single, thread counts, GIL release, forked workers."""

import os
import pickle
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest

import affectkit as ak

CLIPS = [np.random.default_rng(i).standard_normal(16000 + 1000 * i).astype(np.float32) for i in range(8)]


@pytest.mark.parametrize("preset", ["librosa", "kaldi", "htk"])
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_batch_equals_single(preset, n_jobs):
    batch = ak.mfcc_batch(CLIPS, 16000, n_jobs=n_jobs, preset=preset, deltas=1)
    for y, b in zip(CLIPS, batch):
        np.testing.assert_array_equal(b, ak.mfcc(y, 16000, preset=preset, deltas=1))
    mel = ak.melspectrogram_batch(CLIPS, 16000, n_jobs=n_jobs, preset=preset)
    for y, m in zip(CLIPS, mel):
        np.testing.assert_array_equal(m, ak.melspectrogram(y, 16000, preset=preset))


@pytest.mark.parametrize("preset", ["librosa", "kaldi", "htk"])
def test_long_clip_split_over_threads_is_identical(preset):
    y = np.random.default_rng(5).standard_normal(16000 * 180).astype(np.float32)
    one = ak.mfcc(y, 16000, preset=preset, deltas=1)
    assert one.shape[0] > 4096  # long enough to be split into blocks
    np.testing.assert_array_equal(ak.mfcc(y, 16000, preset=preset, deltas=1, n_jobs=2), one)
    np.testing.assert_array_equal(ak.mfcc_batch([y, y[:8000]], 16000, n_jobs=2, preset=preset, deltas=1)[0], one)


def test_empty_batch():
    assert ak.mfcc_batch([], 16000) == []


def test_n_jobs_resolution():
    assert ak._core.resolve_n_jobs(3) == 3
    # -1 is every core this process may use (Rust's available_parallelism: affinity and
    # cgroup quota), the same as no n_jobs at all; -2 all but one (joblib's rule)
    all_cores = ak._core.resolve_n_jobs(-1)
    assert 1 <= all_cores <= (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count())
    if not os.environ.get("AFFECTKIT_NUM_THREADS"):
        assert ak._core.resolve_n_jobs(None) == all_cores
    assert ak._core.resolve_n_jobs(-2) == max(1, all_cores - 1)
    with pytest.raises(ak.ParameterError, match="n_jobs"):
        ak.mfcc_batch(CLIPS, 16000, n_jobs=0)


def test_environment_variable_sets_the_default():
    code = "import affectkit as ak; print(ak._core.resolve_n_jobs(None))"
    env = dict(os.environ, AFFECTKIT_NUM_THREADS="3")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "3"
    env["AFFECTKIT_NUM_THREADS"] = "lots"
    code = "import affectkit as ak, numpy as np; ak.mfcc_batch([np.zeros(1000)], 16000)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "AFFECTKIT_NUM_THREADS" in out.stderr


def test_compute_releases_the_gil():
    """A Python thread keeps running while a long MFCC computation is in Rust."""
    y = np.random.default_rng(0).standard_normal(16000 * 600).astype(np.float32)
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    time.sleep(0.01)
    before = len(ticks)
    start = time.perf_counter()
    ak.mfcc(y, 16000, preset="kaldi")
    took = time.perf_counter() - start
    during = len([x for x in ticks if start <= x <= start + took])
    stop.set()
    t.join()
    assert before > 0
    assert took > 0.05 and during >= 5, f"{during} ticks in {took:.3f} s"


FORK_SCRIPT = textwrap.dedent(
    """
    import multiprocessing as mp
    import numpy as np
    import affectkit as ak

    clips = [np.random.default_rng(i).standard_normal(16000).astype(np.float32) for i in range(6)]

    def work(i):
        # the child uses the pool too: it must build its own, not wait on the parent's
        out = ak.mfcc_batch(clips, 16000, n_jobs=2, preset="kaldi")
        return float(sum(o.sum() for o in out)), i

    if __name__ == "__main__":
        parent = ak.mfcc_batch(clips, 16000, n_jobs=2, preset="kaldi")   # parent pool exists now
        expected = float(sum(o.sum() for o in parent))
        with mp.get_context("fork").Pool(2) as pool:
            results = pool.map(work, range(4))
        assert all(abs(r - expected) < 1e-3 * abs(expected) for r, _ in results), results
        print("fork ok")
    """
)


def test_forked_workers_do_not_hang(tmp_path):
    script = tmp_path / "fork_check.py"
    script.write_text(FORK_SCRIPT)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    assert "fork ok" in out.stdout


def test_transformers_pickle_and_clone():
    m = ak.audio.MFCC(sr=16000, preset="kaldi", deltas=1)
    m2 = pickle.loads(pickle.dumps(m))
    np.testing.assert_array_equal(m.fit_transform(CLIPS[:2]), m2.fit_transform(CLIPS[:2]))
