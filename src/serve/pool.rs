//! The render pool: at most `workers` renders run at once (on blocking
//! threads, one per core by default) and at most `queue` more wait for a
//! worker. A render that finds every place taken is refused at once, so a
//! flood of requests costs a 503, never unbounded memory or latency.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinError;

/// Running renders and the queue in front of them.
#[derive(Debug)]
pub struct Pool {
    workers: Arc<Semaphore>,
    worker_count: usize,
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

/// A place in the pool holding a worker.
#[derive(Debug)]
pub struct Started {
    admission: Admission,
    /// Held for as long as the place is: the worker is free again when
    /// it drops.
    _worker: Option<OwnedSemaphorePermit>,
}

/// A place in the pool, waiting for a worker or holding one.
#[derive(Debug)]
pub enum Place {
    /// Admitted; waits for a worker.
    Waiting(Admission),
    /// Holds a worker already.
    Working(Started),
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
            worker_count: workers,
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

    /// A place with a worker already taken, if one is free and nothing
    /// waits for one (for background work that must never queue ahead of
    /// requests).
    pub fn try_start(self: &Arc<Self>) -> Option<Started> {
        if self.queued() > 0 {
            return None;
        }
        let worker = Arc::clone(&self.workers).try_acquire_owned().ok()?;
        let Some(admission) = self.admit() else {
            return None; // the permit is given back as it drops
        };
        Some(Started {
            admission,
            _worker: Some(worker),
        })
    }

    /// Runs `work` on a blocking thread, first waiting for a worker if the
    /// place has none; the place is held until `work` has returned, even if
    /// nobody awaits the result any more.
    pub async fn run<T, F>(place: Place, work: F) -> Result<T, JoinError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let started = match place {
            Place::Waiting(admission) => Pool::start(admission).await,
            Place::Working(started) => started,
        };
        let running = Running::start(Arc::clone(&started.admission.pool));
        tokio::task::spawn_blocking(move || {
            // Dropped after `work`, also when it panics: first the running
            // count, then the place and worker (so that the queue never
            // looks emptier than it is).
            let _held = (running, started);
            work()
        })
        .await
    }

    /// Waits for a worker for an admitted place.
    async fn start(admission: Admission) -> Started {
        let workers = Arc::clone(&admission.pool.workers);
        // The semaphore is never closed; without a permit, run anyway
        // rather than panic.
        let worker = workers.acquire_owned().await.ok();
        Started {
            admission,
            _worker: worker,
        }
    }

    /// Renders that can run at once.
    pub fn workers(&self) -> usize {
        self.worker_count
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn background_work_starts_only_on_an_idle_worker_with_no_request_waiting() {
        let pool = Pool::new(1, 1);
        let started = pool.try_start().expect("the worker is idle");
        assert!(pool.try_start().is_none(), "the only worker is taken");
        drop(started);
        let waiting = pool.admit().expect("a place");
        assert!(pool.try_start().is_none(), "a request waits");
        drop(waiting);
        assert!(pool.try_start().is_some(), "idle again");
    }

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
