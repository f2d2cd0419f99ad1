//! The per-process worker pool.
//!
//! Batch functions run on rayon pools owned by this module, never on rayon's global pool:
//! a pool's threads do not survive `fork()`, and PyTorch's DataLoader forks its workers
//! on Linux. The pools remember the pid that built them; a forked child finds a pid that
//! is not its own, forgets the parent's pools without touching their (absent) threads,
//! and builds its own.
//!
//! The size comes from `n_jobs`, else `AFFECTKIT_NUM_THREADS`, else the number of
//! available cores, and is bounded: [`resolve_n_jobs`] caps it at [`MAX_THREADS_PER_CORE`]
//! times the cores (with a warning), and the idle pools kept for reuse hold at most
//! [`MAX_THREADS_PER_CORE`] x 2 x cores threads in all (least recently used pools are
//! dropped first), so no sequence of calls can exhaust the process's thread limit.

use std::cell::RefCell;
use std::sync::{Arc, Condvar, Mutex};

use rayon::{ThreadPool, ThreadPoolBuilder};

use crate::cancel::{self, Token};
use crate::error::{Error, Result};

struct Pools {
    pid: u32,
    /// Most recently used last.
    by_size: Vec<(usize, Arc<ThreadPool>)>,
}

static POOLS: Mutex<Option<Pools>> = Mutex::new(None);

/// Environment variable that sets the default number of threads.
pub const NUM_THREADS_ENV: &str = "AFFECTKIT_NUM_THREADS";

/// `n_jobs` above this many threads per available core is capped (with a warning).
pub const MAX_THREADS_PER_CORE: usize = 4;

thread_local! {
    /// Warnings raised on this thread (an `n_jobs` that was capped) that the Python
    /// bindings turn into `UserWarning`s when the call returns.
    static WARNINGS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Records a warning for the caller on this thread (see [`take_warnings`]).
pub fn warn(message: String) {
    WARNINGS.with(|w| {
        let mut w = w.borrow_mut();
        if !w.contains(&message) {
            w.push(message);
        }
    });
}

/// The warnings recorded on this thread since the last call, oldest first.
pub fn take_warnings() -> Vec<String> {
    WARNINGS.with(|w| std::mem::take(&mut *w.borrow_mut()))
}

/// Number of available cores.
pub fn cores() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// The most threads one pool may have: [`MAX_THREADS_PER_CORE`] x the cores.
pub fn max_threads() -> usize {
    MAX_THREADS_PER_CORE * cores()
}

/// Number of threads for `n_jobs`, as joblib counts them: `None` -> `AFFECTKIT_NUM_THREADS`
/// or all cores; a positive count as given; `-1` all cores, `-2` all but one, and in
/// general `cores + 1 + n_jobs` for negative values, at least 1 (joblib's rule; a
/// warning says so when the value asked for fewer than one thread). 0 is a
/// `ParameterError`. More than [`max_threads`] is capped there with a warning.
pub fn resolve_n_jobs(n_jobs: Option<i64>) -> Result<usize> {
    let cores = cores();
    let (requested, name) = match n_jobs {
        Some(n) => (n, "n_jobs"),
        None => match std::env::var(NUM_THREADS_ENV) {
            Ok(v) if !v.trim().is_empty() => (
                v.trim().parse::<i64>().map_err(|_| {
                    Error::param(NUM_THREADS_ENV, format!("expected an integer, got {v:?}"))
                })?,
                NUM_THREADS_ENV,
            ),
            _ => return Ok(cores),
        },
    };
    let n = match requested {
        0 => {
            return Err(Error::param(
                name,
                "expected a positive number of threads, or -1 for all cores (-2 all but one,                  ...), got 0",
            ))
        }
        n if n > 0 => n as u64,
        n => {
            let left = cores as i64 + 1 + n;
            if left < 1 {
                warn(format!(
                    "{name}={n} asks for all but {} of the {cores} cores; using 1 thread",
                    -n - 1
                ));
            }
            left.max(1) as u64
        }
    };
    let cap = max_threads();
    if n > cap as u64 {
        warn(format!(
            "{name}={requested} is more than {MAX_THREADS_PER_CORE} threads per core;              using {cap} threads ({cores} cores)"
        ));
        return Ok(cap);
    }
    Ok(n as usize)
}

/// The pool of `n_threads` threads for this process, built on first use (and again in
/// a forked child). `n_threads` is capped at [`max_threads`]; idle pools beyond the
/// process's thread budget are dropped, least recently used first.
pub fn pool(n_threads: usize) -> Result<Arc<ThreadPool>> {
    let n_threads = n_threads.clamp(1, max_threads());
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
    if let Some(i) = pools.by_size.iter().position(|(n, _)| *n == n_threads) {
        let entry = pools.by_size.remove(i);
        let p = Arc::clone(&entry.1);
        pools.by_size.push(entry);
        return Ok(p);
    }
    // Keep the idle pools within budget before adding this one.
    let budget = 2 * max_threads();
    while !pools.by_size.is_empty()
        && pools.by_size.iter().map(|(n, _)| n).sum::<usize>() + n_threads > budget
    {
        // Dropping our handle ends the pool's threads once no running call holds it.
        pools.by_size.remove(0);
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

/// Sizes of the pools kept for reuse in this process, least recently used first.
pub fn pool_sizes() -> Vec<usize> {
    let guard = POOLS.lock().unwrap_or_else(|e| e.into_inner());
    match guard.as_ref() {
        Some(p) if p.pid == std::process::id() => p.by_size.iter().map(|(n, _)| *n).collect(),
        _ => Vec::new(),
    }
}

/// Runs `f` inside the pool chosen by `n_jobs`; rayon calls made by `f` use that pool.
///
/// The running call's cancellation token ([`crate::cancel`]) goes with `f` onto the pool.
/// When the calling thread polls for signals (the Python main thread), it does not block
/// in the pool: it waits beside it and keeps polling, so Ctrl-C cancels the work; the
/// call then returns [`Error::Cancelled`] once the work has stopped.
pub fn install<R: Send>(n_jobs: Option<i64>, f: impl FnOnce() -> R + Send) -> Result<R> {
    let n = resolve_n_jobs(n_jobs)?;
    let pool = pool(n)?;
    let token = cancel::current();
    let out = match token {
        Some(token) if cancel::polls() => run_polling(&pool, token, f),
        token => pool.install(|| cancel::within(token, f)),
    };
    cancel::check()?;
    Ok(out)
}

/// Runs `f` on `pool` while this thread waits and polls for signals every
/// [`cancel::POLL_INTERVAL`] (cancelling `token` when one arrives).
fn run_polling<R: Send>(pool: &ThreadPool, token: Token, f: impl FnOnce() -> R + Send) -> R {
    let slot: Mutex<Option<R>> = Mutex::new(None);
    let done = (Mutex::new(false), Condvar::new());
    /// Marks the job done also when it panics (the scope re-raises the panic after).
    struct Done<'a>(&'a (Mutex<bool>, Condvar));
    impl Drop for Done<'_> {
        fn drop(&mut self) {
            *self.0 .0.lock().unwrap_or_else(|e| e.into_inner()) = true;
            self.0 .1.notify_all();
        }
    }
    pool.in_place_scope(|s| {
        s.spawn(|_| {
            let _done = Done(&done);
            let r = cancel::within(Some(token), f);
            *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
        });
        let (lock, cv) = &done;
        let mut finished = lock.lock().unwrap_or_else(|e| e.into_inner());
        while !*finished {
            finished = cv
                .wait_timeout(finished, cancel::POLL_INTERVAL)
                .unwrap_or_else(|e| e.into_inner())
                .0;
            if !*finished {
                drop(finished);
                cancel::poll_now();
                finished = lock.lock().unwrap_or_else(|e| e.into_inner());
            }
        }
    });
    // The job ran to its end (a panic would have resumed out of the scope above).
    slot.into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .expect("the pool job stored its result")
}

/// Maps `f` over `items` in parallel on the `n_jobs` pool, keeping order; the first error
/// (in item order) wins. Items not started when the call is cancelled are skipped.
pub fn map_batch<I, O, F>(items: &[I], n_jobs: Option<i64>, f: F) -> Result<Vec<O>>
where
    I: Sync,
    O: Send,
    F: Fn(usize, &I) -> Result<O> + Sync + Send,
{
    use rayon::prelude::*;
    let token = cancel::current();
    install(n_jobs, || {
        items
            .par_iter()
            .enumerate()
            .map(|(i, x)| {
                cancel::within(token.clone(), || {
                    cancel::check()?;
                    f(i, x)
                })
            })
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
        take_warnings();
        assert!(resolve_n_jobs(Some(-1000)).unwrap() == 1);
        assert!(take_warnings()[0].contains("using 1 thread"));
        assert_eq!(resolve_n_jobs(Some(1_000_000)).unwrap(), max_threads());
        assert!(take_warnings()[0].contains("threads per core"));
        assert!(take_warnings().is_empty());
    }

    fn idle_pools_stay_within_the_thread_budget() {
        for n in 1..=3 * max_threads() {
            pool(n).unwrap();
        }
        let sizes = pool_sizes();
        assert!(
            sizes.iter().sum::<usize>() <= 2 * max_threads(),
            "{sizes:?}"
        );
        assert!(sizes.iter().all(|&n| n <= max_threads()));
    }

    #[test]
    fn pools_are_cached_per_size() {
        let a = pool(2).unwrap();
        let b = pool(2).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(a.current_num_threads(), 2);
        assert_eq!(pool(1).unwrap().current_num_threads(), 1);
        // (in the same test: the budget check below evicts pools)
        idle_pools_stay_within_the_thread_budget();
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
