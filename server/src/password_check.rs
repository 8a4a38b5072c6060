//! Password checks on a few threads of their own, a bounded number at a time.
//!
//! Each Argon2 check takes ~19 MiB and tens of milliseconds of one core. Unbounded, 100
//! simultaneous sign-ins took the server from 88 MB to 1.9 GB and kept most of it (each
//! blocking thread's allocator arena holds on to what it used). Here at most one check per
//! worker runs at once, on the same threads every time, so memory stays at workers × 19 MiB;
//! a sign-in that cannot start within `queue_wait` is answered "busy, retry" instead of
//! piling up.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Semaphore, oneshot};

use crate::credentials::{hash_password, verify_password};

type Job = Box<dyn FnOnce() + Send>;

/// Makes the allocator give large blocks back to the system when they are freed.
///
/// glibc raises its mmap threshold after the first large free, so each further Argon2 block
/// (19 MiB) comes from a thread's heap and stays there: measured, every sequential sign-in added
/// 19.5 MB that was never returned. A fixed threshold keeps large blocks on mmap, freed at once
/// (the same 100 sign-ins then leave the server where it started). Called once at start-up.
pub fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt only sets an allocator parameter; called before heavy allocation.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
        }
    }
}

#[derive(Clone)]
pub struct PasswordChecker {
    jobs: mpsc::Sender<Job>,
    slots: Arc<Semaphore>,
    queue_wait: Duration,
}

/// No worker became free in time.
#[derive(Debug)]
pub struct Busy;

impl PasswordChecker {
    /// `workers` threads (e.g. one per core); a check waits at most `queue_wait` for one.
    pub fn new(workers: usize, queue_wait: Duration) -> Self {
        let workers = workers.max(1);
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..workers {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("password-check-{n}"))
                .spawn(move || {
                    loop {
                        // The lock is held only while taking a job, never while running it.
                        let job = match queue.lock() {
                            Ok(q) => q.recv(),
                            Err(_) => return,
                        };
                        match job {
                            // A panic ends the check (its caller hears "busy"), not the thread.
                            Ok(job) => {
                                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                            }
                            Err(_) => return, // the checker is gone
                        }
                    }
                })
                .expect("a password-check thread starts");
        }
        PasswordChecker {
            jobs,
            // One slot per worker: a check holds its slot from queueing until it is done,
            // so no more than `workers` hashes' memory is ever in use.
            slots: Arc::new(Semaphore::new(workers)),
            queue_wait,
        }
    }

    /// Whether `password` matches `hash`, or `Busy` if no worker was free within the wait.
    pub async fn verify(&self, hash: String, password: String) -> Result<bool, Busy> {
        self.run(move || verify_password(&hash, &password)).await
    }

    /// An Argon2id hash of a new password, on the same workers (same cost, same limits).
    pub async fn hash(&self, password: String) -> Result<String, Busy> {
        self.run(move || hash_password(&password)).await
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let slot = tokio::time::timeout(self.queue_wait, self.slots.clone().acquire_owned())
            .await
            .map_err(|_| Busy)?
            .map_err(|_| Busy)?;
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move || {
            let result = work();
            drop(slot);
            let _ = reply.send(result);
        });
        self.jobs.send(job).map_err(|_| Busy)?;
        // A dropped request leaves the work to finish on its thread and free its slot.
        answer.await.map_err(|_| Busy)
    }

    /// Seconds a refused client should wait before trying again.
    pub fn retry_after_seconds(&self) -> u64 {
        self.queue_wait.as_secs().max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn checks_run_and_excess_waits_then_is_refused() {
        let hash = hash_password("right");
        let checker = PasswordChecker::new(1, Duration::from_secs(30));
        assert!(checker.verify(hash.clone(), "right".into()).await.unwrap());
        assert!(!checker.verify(hash.clone(), "wrong".into()).await.unwrap());

        // One worker, no waiting: of many at once, some are refused, none is lost.
        let impatient = PasswordChecker::new(1, Duration::from_millis(0));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (checker, hash) = (impatient.clone(), hash.clone());
                tokio::spawn(async move { checker.verify(hash, "right".into()).await })
            })
            .collect();
        let mut results = Vec::new();
        for t in tasks {
            results.push(t.await.expect("task"));
        }
        assert!(results.iter().any(|r| matches!(r, Ok(true))));
        assert!(results.iter().any(|r| r.is_err()), "{results:?}");
    }
}
