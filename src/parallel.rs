//! The per-process worker pool.
//!
//! Batch functions run on a rayon pool owned by this module, never on rayon's global pool:
//! a pool's threads do not survive `fork()`, and PyTorch's DataLoader forks its workers
//! on Linux. Each pool remembers the pid that built it; a forked child finds a pid that is
//! not its own, forgets the parent's pools without touching their (absent) threads, and
//! builds its own. The size comes from `n_jobs`, else `AFFECTKIT_NUM_THREADS`, else the
//! number of available cores.

use std::sync::{Arc, Mutex};

use rayon::{ThreadPool, ThreadPoolBuilder};

use crate::error::{Error, Result};

struct Pools {
    pid: u32,
    by_size: Vec<(usize, Arc<ThreadPool>)>,
}

static POOLS: Mutex<Option<Pools>> = Mutex::new(None);

/// Environment variable that sets the default number of threads.
pub const NUM_THREADS_ENV: &str = "AFFECTKIT_NUM_THREADS";

/// Number of threads for `n_jobs`: `None` -> `AFFECTKIT_NUM_THREADS` or all cores;
/// a positive count as given; `-1` all cores, `-2` all but one, as in joblib.
pub fn resolve_n_jobs(n_jobs: Option<i64>) -> Result<usize> {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1) as i64;
    let requested = match n_jobs {
        Some(n) => n,
        None => match std::env::var(NUM_THREADS_ENV) {
            Ok(v) if !v.trim().is_empty() => v.trim().parse::<i64>().map_err(|_| {
                Error::param(NUM_THREADS_ENV, format!("expected an integer, got {v:?}"))
            })?,
            _ => cores,
        },
    };
    match requested {
        0 => Err(Error::param(
            "n_jobs",
            "expected a positive count or a negative joblib-style count, got 0",
        )),
        n if n > 0 => Ok(n as usize),
        n => Ok((cores + 1 + n).max(1) as usize),
    }
}

/// The pool of `n_threads` threads for this process, built on first use (and again in
/// a forked child).
pub fn pool(n_threads: usize) -> Result<Arc<ThreadPool>> {
    let n_threads = n_threads.max(1);
    let pid = std::process::id();
    // A poisoned lock only means another thread panicked while holding it; the data is a
    // cache and stays consistent, so carry on.
    let mut guard = POOLS.lock().unwrap_or_else(|e| e.into_inner());
    if guard.as_ref().is_some_and(|p| p.pid != pid) {
        // Forked child: the parent's worker threads do not exist here. Dropping the pools
        // would try to signal those threads, so leak them instead.
        if let Some(old) = guard.take() {
            std::mem::forget(old);
        }
    }
    let pools = guard.get_or_insert_with(|| Pools {
        pid,
        by_size: Vec::new(),
    });
    if let Some((_, p)) = pools.by_size.iter().find(|(n, _)| *n == n_threads) {
        return Ok(Arc::clone(p));
    }
    let p = ThreadPoolBuilder::new()
        .num_threads(n_threads)
        .thread_name(|i| format!("affectkit-{i}"))
        .build()
        .map_err(|e| Error::Internal(format!("cannot start {n_threads} worker threads: {e}")))?;
    let p = Arc::new(p);
    pools.by_size.push((n_threads, Arc::clone(&p)));
    Ok(p)
}

/// Runs `f` inside the pool chosen by `n_jobs`; rayon calls made by `f` use that pool.
pub fn install<R: Send>(n_jobs: Option<i64>, f: impl FnOnce() -> R + Send) -> Result<R> {
    let n = resolve_n_jobs(n_jobs)?;
    Ok(pool(n)?.install(f))
}

/// Maps `f` over `items` in parallel on the `n_jobs` pool, keeping order; the first error
/// (in item order) wins.
pub fn map_batch<I, O, F>(items: &[I], n_jobs: Option<i64>, f: F) -> Result<Vec<O>>
where
    I: Sync,
    O: Send,
    F: Fn(usize, &I) -> Result<O> + Sync + Send,
{
    use rayon::prelude::*;
    install(n_jobs, || {
        items
            .par_iter()
            .enumerate()
            .map(|(i, x)| f(i, x))
            .collect::<Vec<_>>()
    })?
    .into_iter()
    .collect()
}

/// [`map_batch`] over clips: a parameter error names the clip it came from
/// (`clip 3: y: sample 17 is NaN ...`).
pub fn map_clips<I, O, F>(clips: &[I], n_jobs: Option<i64>, f: F) -> Result<Vec<O>>
where
    I: Sync,
    O: Send,
    F: Fn(&I) -> Result<O> + Sync + Send,
{
    map_batch(clips, n_jobs, |i, clip| {
        f(clip).map_err(|e| match e {
            Error::Parameter(m) => Error::Parameter(format!("clip {i}: {m}")),
            other => other,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n_jobs_resolution() {
        assert_eq!(resolve_n_jobs(Some(3)).unwrap(), 3);
        assert!(resolve_n_jobs(Some(0)).is_err());
        assert!(resolve_n_jobs(Some(-1)).unwrap() >= 1);
        assert!(resolve_n_jobs(Some(-1000)).unwrap() == 1);
    }

    #[test]
    fn pools_are_cached_per_size() {
        let a = pool(2).unwrap();
        let b = pool(2).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(a.current_num_threads(), 2);
        assert_eq!(pool(1).unwrap().current_num_threads(), 1);
    }

    #[test]
    fn map_batch_keeps_order_and_reports_first_error() {
        let xs: Vec<usize> = (0..100).collect();
        let ys = map_batch(&xs, Some(2), |_, &x| Ok(x * 2)).unwrap();
        assert_eq!(ys, xs.iter().map(|x| x * 2).collect::<Vec<_>>());
        let err = map_batch(&xs, Some(2), |i, _| {
            if i >= 10 {
                Err(Error::param("x", format!("bad {i}")))
            } else {
                Ok(i)
            }
        })
        .unwrap_err();
        assert_eq!(err, Error::param("x", "bad 10"));
        let err = map_clips(&xs, Some(2), |&x| {
            if x == 7 {
                Err(Error::param("y", "NaN"))
            } else {
                Ok(x)
            }
        })
        .unwrap_err();
        assert_eq!(err, Error::Parameter("clip 7: y: NaN".into()));
    }
}
