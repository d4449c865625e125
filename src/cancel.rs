//! Cooperative cancellation: a deadline for a piece of work, checked at
//! [`checkpoint`]s that layout and the PDF writer pass often (per word,
//! per breakpoint, per page), so that a render that runs too long stops
//! and frees its thread instead of holding it for minutes.
//!
//! The deadline belongs to the thread that runs the work ([`within`]), or
//! to the whole process ([`set_process_deadline`], for the command line,
//! whose layout also runs on rayon's threads). A checkpoint past the
//! deadline unwinds to [`within`] with a [`Cancelled`] payload: every
//! value on the way is dropped as usual, and no stage needs a `Result` for
//! it. The unwinding goes through rayon's joins like any panic, and no
//! panic message is printed (it is resumed, not raised).

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use thiserror::Error;

/// The work ran past its deadline and was stopped.
#[derive(Clone, Copy, Debug, Error, PartialEq, Eq)]
#[error("stopped after the time limit of {0:?}")]
pub struct Cancelled(pub Duration);

/// Checkpoints between two looks at the clock: a checkpoint costs a
/// counter, and a look at the clock some 25 ns.
const CLOCK_EVERY: u32 = 64;

thread_local! {
    static DEADLINE: Cell<Option<(Instant, Duration)>> = const { Cell::new(None) };
    static SINCE_CLOCK: Cell<u32> = const { Cell::new(0) };
}

static PROCESS_DEADLINE: OnceLock<(Instant, Duration)> = OnceLock::new();

/// Gives the whole process `limit` from now: checkpoints on any thread
/// past it cancel (once set, it stays).
pub fn set_process_deadline(limit: Duration) {
    let _ = PROCESS_DEADLINE.set((Instant::now() + limit, limit));
}

/// Runs `work` on this thread with `limit` from now; `Err` when it was
/// cancelled at a checkpoint past it. Other panics go on unwinding.
pub fn within<T>(limit: Duration, work: impl FnOnce() -> T) -> Result<T, Cancelled> {
    let outer = DEADLINE.replace(Some((Instant::now() + limit, limit)));
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    DEADLINE.set(outer);
    caught(result)
}

/// Runs `work` where the process deadline (if any) applies; `Err` when it
/// was cancelled.
pub fn under_process_deadline<T>(work: impl FnOnce() -> T) -> Result<T, Cancelled> {
    caught(panic::catch_unwind(AssertUnwindSafe(work)))
}

fn caught<T>(result: std::thread::Result<T>) -> Result<T, Cancelled> {
    match result {
        Ok(value) => Ok(value),
        Err(payload) => match payload.downcast::<Cancelled>() {
            Ok(cancelled) => Err(*cancelled),
            Err(other) => panic::resume_unwind(other),
        },
    }
}

/// Stops the work (unwinding to [`within`]) if its deadline has passed.
/// Cheap enough for inner loops: the clock is read every 64th call.
pub fn checkpoint() {
    let deadline = DEADLINE.get().or_else(|| PROCESS_DEADLINE.get().copied());
    let Some((at, limit)) = deadline else {
        return;
    };
    let calls = SINCE_CLOCK.get() + 1;
    if calls < CLOCK_EVERY {
        SINCE_CLOCK.set(calls);
        return;
    }
    SINCE_CLOCK.set(0);
    stop_if_past(at, limit);
}

/// [`checkpoint`] for a step that takes far longer than a look at the
/// clock (an image converted, a file compressed): it always looks.
pub fn checkpoint_now() {
    if let Some((at, limit)) = DEADLINE.get().or_else(|| PROCESS_DEADLINE.get().copied()) {
        stop_if_past(at, limit);
    }
}

fn stop_if_past(at: Instant, limit: Duration) {
    if Instant::now() >= at {
        panic::resume_unwind(Box::new(Cancelled(limit)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_past_its_deadline_is_cancelled_at_a_checkpoint() {
        let limit = Duration::from_millis(20);
        let result = within(limit, || {
            loop {
                checkpoint();
            }
        });
        assert_eq!(result, Err::<(), _>(Cancelled(limit)));
        // The deadline ends with the work.
        for _ in 0..1000 {
            checkpoint();
        }
    }

    #[test]
    fn work_within_its_deadline_gives_its_value_and_other_panics_go_on() {
        assert_eq!(within(Duration::from_secs(60), || 7), Ok(7));
        assert_eq!(
            within(Duration::ZERO, checkpoint_now),
            Err(Cancelled(Duration::ZERO))
        );
        let other = panic::catch_unwind(|| within(Duration::from_secs(60), || panic!("a bug")));
        assert!(other.is_err());
    }
}
