//! Cooperative cancellation of long calls (Ctrl-C).
//!
//! A call that may run long (a batch of clips, an hour of audio, an EM fit, a training
//! run) runs inside [`scope`] with a fresh [`Token`] of its own, so no call ever sees a
//! cancellation meant for an earlier one. Its loops call [`check`] once per frame, chunk,
//! clip, iteration or epoch; `check` returns [`Error::Cancelled`] once the token is
//! cancelled, and the error unwinds the call through `?` like any other.
//!
//! Who cancels: the thread that made the call may carry a *poll* function (the Python
//! bindings give one on the interpreter's main thread, where signal handlers run). `check`
//! on that thread calls it at most every [`POLL_INTERVAL`]; when it reports a pending
//! signal (Ctrl-C), the token is cancelled. Work running on the worker pool sees the same
//! token ([`crate::parallel`] hands it to every job), while the calling thread, waiting
//! for the pool, keeps polling ([`poll_now`]). Threads without a poll (other Python
//! threads, Rust callers) are never cancelled unless their token is.
//!
//! Forked children inherit nothing that matters: a context lives only for the duration
//! of one call on one thread.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// How often the calling thread asks its poll function (the Python signal check): Ctrl-C
/// takes effect within this interval plus the time to the next [`check`].
pub const POLL_INTERVAL: Duration = Duration::from_millis(50);

/// A poll function: `true` when the call must stop (a signal handler raised).
pub type Poll = fn() -> bool;

/// The cancellation flag of one call, shared by the threads that work on it.
#[derive(Debug, Clone, Default)]
pub struct Token(Arc<AtomicBool>);

impl Token {
    /// A fresh, uncancelled token.
    pub fn new() -> Self {
        Token::default()
    }

    /// Asks every holder of the token to stop at its next [`check`].
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether [`Token::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

struct Context {
    token: Token,
    poll: Option<Poll>,
    next_poll: Cell<Instant>,
}

thread_local! {
    static CONTEXT: RefCell<Option<Rc<Context>>> = const { RefCell::new(None) };
}

/// Restores the context a [`scope`] replaced, also when the call unwinds.
struct Restore(Option<Rc<Context>>);

impl Drop for Restore {
    fn drop(&mut self) {
        let previous = self.0.take();
        CONTEXT.with(|c| *c.borrow_mut() = previous);
    }
}

/// Runs `f` with `token` (and, on the calling thread, `poll`) as this thread's context;
/// the previous context comes back afterwards, so scopes nest.
pub fn scope<R>(token: Token, poll: Option<Poll>, f: impl FnOnce() -> R) -> R {
    let ctx = Rc::new(Context {
        token,
        poll,
        next_poll: Cell::new(Instant::now() + POLL_INTERVAL),
    });
    let _restore = Restore(CONTEXT.with(|c| c.borrow_mut().replace(ctx)));
    f()
}

/// Runs `f` with `token` as this thread's context when there is one (a job on the
/// worker pool of a cancellable call), else just runs `f`.
pub fn within<R>(token: Option<Token>, f: impl FnOnce() -> R) -> R {
    match token {
        Some(t) => scope(t, None, f),
        None => f(),
    }
}

fn context() -> Option<Rc<Context>> {
    CONTEXT.with(|c| c.borrow().clone())
}

/// The token of the call running on this thread, if any.
pub fn current() -> Option<Token> {
    context().map(|c| c.token.clone())
}

/// Whether this thread can poll for signals itself (it made the call).
pub fn polls() -> bool {
    context().is_some_and(|c| c.poll.is_some())
}

/// Polls now (from the calling thread while it waits for the pool): cancels the token
/// when the poll says so. Returns whether the call is cancelled.
pub fn poll_now() -> bool {
    let Some(ctx) = context() else { return false };
    if let Some(poll) = ctx.poll {
        ctx.next_poll.set(Instant::now() + POLL_INTERVAL);
        if poll() {
            ctx.token.cancel();
        }
    }
    ctx.token.is_cancelled()
}

/// `Err(Error::Cancelled)` once the running call is cancelled. Cheap enough for every
/// frame: a thread-local read, a clock read on the calling thread, and a poll at most
/// every [`POLL_INTERVAL`].
pub fn check() -> Result<()> {
    // The context is cloned out before polling: the poll runs Python signal handlers,
    // which may make (and scope) calls of their own on this thread.
    let Some(ctx) = context() else { return Ok(()) };
    if let Some(poll) = ctx.poll {
        let now = Instant::now();
        if now >= ctx.next_poll.get() {
            ctx.next_poll.set(now + POLL_INTERVAL);
            if poll() {
                ctx.token.cancel();
            }
        }
    }
    if ctx.token.is_cancelled() {
        Err(Error::Cancelled)
    } else {
        Ok(())
    }
}

/// [`check`] every `every` calls of a loop counter `i` (for loops whose iterations cost
/// well under a microsecond).
#[inline]
pub fn check_every(i: usize, every: usize) -> Result<()> {
    if i % every == 0 {
        check()
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancelled_token_stops_its_call_only() {
        let t = Token::new();
        assert!(check().is_ok());
        scope(t.clone(), None, || {
            assert!(check().is_ok());
            t.cancel();
            assert_eq!(check(), Err(Error::Cancelled));
            // a nested call has a token of its own
            scope(Token::new(), None, || assert!(check().is_ok()));
            assert_eq!(check(), Err(Error::Cancelled));
        });
        assert!(check().is_ok());
        assert!(current().is_none());
    }

    #[test]
    fn the_poll_cancels_at_most_every_interval() {
        use std::sync::atomic::AtomicUsize;
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        fn poll() -> bool {
            CALLS.fetch_add(1, Ordering::Relaxed) >= 1
        }
        scope(Token::new(), Some(poll), || {
            assert!(polls());
            for _ in 0..1000 {
                assert!(check().is_ok()); // within the first interval: no poll yet
            }
            assert_eq!(CALLS.load(Ordering::Relaxed), 0);
            assert!(!poll_now());
            assert!(poll_now());
            assert_eq!(check(), Err(Error::Cancelled));
        });
        assert!(!polls());
    }

    #[test]
    fn a_panic_restores_the_previous_context() {
        let outer = Token::new();
        scope(outer.clone(), None, || {
            let r = std::panic::catch_unwind(|| scope(Token::new(), None, || panic!("x")));
            assert!(r.is_err());
            outer.cancel();
            assert_eq!(check(), Err(Error::Cancelled));
        });
    }
}
