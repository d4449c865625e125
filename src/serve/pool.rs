//! The render pool: at most `workers` renders run at once (on blocking
//! threads, one per core by default) and at most `queue` more wait for a
//! worker. A render that finds every place taken is refused at once, so a
//! flood of requests costs a 503, never unbounded memory or latency.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Semaphore;
use tokio::task::JoinError;

/// Running renders and the queue in front of them.
#[derive(Debug)]
pub struct Pool {
    workers: Arc<Semaphore>,
    places: usize,
    admitted: AtomicUsize,
    running: AtomicUsize,
}

/// A place in the pool (queued or running), given back when dropped.
#[derive(Debug)]
pub struct Admission {
    pool: Arc<Pool>,
}

impl Drop for Admission {
    fn drop(&mut self) {
        self.pool.admitted.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Counts a render as running for as long as it lives.
#[derive(Debug)]
struct Running(Arc<Pool>);

impl Running {
    fn start(pool: Arc<Pool>) -> Running {
        pool.running.fetch_add(1, Ordering::AcqRel);
        Running(pool)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Pool {
    /// A pool of `workers` (at least one) with `queue` waiting places.
    pub fn new(workers: usize, queue: usize) -> Arc<Pool> {
        let workers = workers.max(1);
        Arc::new(Pool {
            workers: Arc::new(Semaphore::new(workers)),
            places: workers + queue,
            admitted: AtomicUsize::new(0),
            running: AtomicUsize::new(0),
        })
    }

    /// A place for one more render, or `None` when workers and queue are full.
    pub fn admit(self: &Arc<Self>) -> Option<Admission> {
        self.admitted
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.places).then_some(n + 1)
            })
            .ok()
            .map(|_| Admission {
                pool: Arc::clone(self),
            })
    }

    /// Waits for a worker, then runs `work` on a blocking thread; the place
    /// is held until `work` has returned, even if nobody awaits the result
    /// any more.
    pub async fn run<T, F>(admission: Admission, work: F) -> Result<T, JoinError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let pool = Arc::clone(&admission.pool);
        let Ok(worker) = Arc::clone(&pool.workers).acquire_owned().await else {
            // The semaphore is never closed; run anyway rather than panic.
            return tokio::task::spawn_blocking(work).await;
        };
        let running = Running::start(pool);
        tokio::task::spawn_blocking(move || {
            // Dropped after `work`, also when it panics.
            let _held = (admission, running, worker);
            work()
        })
        .await
    }

    /// Renders waiting for a worker.
    pub fn queued(&self) -> usize {
        self.admitted
            .load(Ordering::Acquire)
            .saturating_sub(self.running())
    }

    /// Renders on a worker now.
    pub fn running(&self) -> usize {
        self.running.load(Ordering::Acquire)
    }

    /// True when a render admitted now would start at once: a worker is
    /// free and nothing waits for one.
    pub fn has_idle_worker(&self) -> bool {
        self.workers.available_permits() > 0 && self.queued() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_workers_plus_queue() {
        let pool = Pool::new(1, 1);
        let a = pool.admit();
        let b = pool.admit();
        assert!(a.is_some() && b.is_some());
        assert!(pool.admit().is_none(), "full");
        drop(a);
        assert!(pool.admit().is_some(), "a place came free");
        let none_waiting = Pool::new(2, 0);
        let _x = none_waiting.admit();
        let _y = none_waiting.admit();
        assert!(none_waiting.admit().is_none());
    }
}
