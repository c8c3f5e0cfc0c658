//! Sending a request until it succeeds or should not be tried again.
//!
//! A failed attempt is sent again only when that is safe: idempotent functions (`GET`, `PUT`, `DELETE`, and
//! the `POST`s the manifest marks idempotent) after a timeout, a broken exchange or a server error; any
//! function after a `429` (Intercom did not process it) or when no connection could be made (nothing was
//! sent). A `POST` that creates is never sent twice once it may have reached Intercom.

use std::time::{Duration, Instant};

use tracing::Instrument;

use crate::client::{AccessToken, Inner};
use crate::error::Error;
use crate::plan::request::PreparedRequest;
use crate::transport::exchange::{Expect, Received};
use crate::transport::limiter::{self, Slot};
use crate::transport::rate_limit::Pace;

/// When and how often a failed request is sent again: exponential backoff with jitter, bounded by a
/// number of attempts and a total time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
}

impl Default for RetryPolicy {
    /// Up to 4 attempts, backing off from 200 ms (doubling, at most 5 s between attempts), within 60 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Send every request once: no retries, not even after a `429`.
    pub fn never() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// The most times a request is sent, the first included (at least 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry; each further retry waits twice as long, up to `max_backoff`. The
    /// actual wait is drawn between half of it and all of it, so that clients do not retry in step.
    #[must_use]
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest wait between two attempts (before jitter).
    #[must_use]
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest a call may take, retries and their waits included: no retry is started that would end its
    /// wait later.
    #[must_use]
    pub fn max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// The wait before retry number `retry` (1 for the first): exponential, capped, with "equal jitter".
    fn backoff(&self, retry: u32) -> Duration {
        let exponential = self.initial_backoff.saturating_mul(1 << retry.saturating_sub(1).min(16));
        let capped = exponential.min(self.max_backoff);
        capped / 2 + capped.mul_f64(fastrand::f64() / 2.0)
    }
}

/// Sends `request` under the client's retry and rate-limit policies, in a `tracing` span that names the
/// function, method and path (ids in the path are fine to log; query values and tokens are never logged).
pub(crate) async fn send(
    inner: &Inner,
    token: Option<&AccessToken>,
    request: &PreparedRequest,
    expect: Expect,
) -> Result<Received, Error> {
    let span = tracing::info_span!(
        "intercom",
        function = request.function,
        method = %request.method,
        path = %request.path,
        status = tracing::field::Empty,
        attempts = tracing::field::Empty,
        elapsed_ms = tracing::field::Empty,
    );
    // Recorded through a handle of its own: `Span::current()` depends on the subscriber tracking spans.
    let outcome_span = span.clone();
    async move {
        let started = Instant::now();
        let mut attempt = 0;
        let outcome = loop {
            attempt += 1;
            let mut slot = match pace(inner, request.function).await {
                Ok(slot) => slot,
                Err(error) => break Err(error),
            };
            if let Some(slot) = &mut slot {
                slot.mark_sent();
            }
            let result = inner.transport.attempt(token, request, &inner.limiter, expect).await;
            // The request has ended: the slot of the client's rate limit cools from now, not during a backoff.
            drop(slot);
            let status = result.as_ref().map_or_else(Error::status, |received| Some(received.status));
            tracing::debug!(attempt, status, elapsed_ms = elapsed_ms(started), "attempt");
            let Err(error) = result else { break result };
            let Some(wait) = retry_wait(inner, &error, request.idempotent, attempt, started.elapsed()) else {
                break Err(error);
            };
            tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, error = %error, "retrying");
            tokio::time::sleep(wait).await;
        };
        outcome_span.record("attempts", attempt);
        outcome_span.record("elapsed_ms", elapsed_ms(started));
        match &outcome {
            Ok(_) => outcome_span.record("status", "ok"),
            Err(error) => outcome_span.record("status", tracing::field::display(error.status().unwrap_or(0))),
        };
        outcome
    }
    .instrument(span)
    .await
}

fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// Holds the request back until it may be sent: first until the client's own rate limit (if any) has a slot
/// for it, then, holding that slot, while Intercom's window is spent. With a client rate limit, both waits
/// together last at most the policy's `max_wait`; without, Intercom's reset is waited for as before.
async fn pace<'a>(inner: &'a Inner, function: &'static str) -> Result<Option<Slot<'a>>, Error> {
    let refused = |reset_at| Error::RateLimited { function, reset_at, error: None };
    let (slot, deadline) = match &inner.call_limiter {
        Some(call_limiter) => {
            let deadline = limiter::deadline(Instant::now(), inner.rate_limit_policy.longest_wait());
            let slot =
                call_limiter.acquire(deadline).await.map_err(|resume_at| refused(limiter::system_time(resume_at)))?;
            (Some(slot), Some(deadline))
        }
        None => (None, None),
    };
    loop {
        match inner.limiter.reserve(&inner.rate_limit_policy, Instant::now()) {
            Pace::Go => return Ok(slot),
            Pace::Wait(wait) => {
                if deadline.is_some_and(|deadline| limiter::deadline(Instant::now(), wait) > deadline) {
                    // The slot is given back unsent: it is free again at once.
                    let reset_at = inner.limiter.latest().map(|rate_limit| rate_limit.reset_at);
                    return Err(refused(reset_at));
                }
                tracing::debug!(wait_ms = wait.as_millis() as u64, "rate limit spent: waiting for the reset");
                tokio::time::sleep(wait).await;
            }
            Pace::Refuse(reset_at) => return Err(refused(Some(reset_at))),
        }
    }
}

/// How long to wait before sending the request again, or `None` to give up with this error. A wait the
/// server asked for (`X-RateLimit-Reset`, `Retry-After`) is honoured: when the policy does not allow that
/// long a wait, the call gives up rather than try again early.
fn retry_wait(inner: &Inner, error: &Error, idempotent: bool, attempt: u32, elapsed: Duration) -> Option<Duration> {
    let policy = &inner.retry_policy;
    if attempt >= policy.max_attempts || !error.is_retryable() {
        return None;
    }
    let asked = error.api_error().and_then(|api| api.retry_after);
    let wait = match error {
        // Intercom did not process a rate-limited request: waiting for the reset is safe for any function. The
        // limiter knows when the window is surely over (the 429's own headers); without them, `Retry-After`.
        Error::RateLimited { .. } => {
            let known = [inner.limiter.until_resume(Instant::now()), asked].into_iter().flatten().max();
            let wait = known.unwrap_or_else(|| policy.backoff(attempt));
            if !inner.rate_limit_policy.allows_wait_after_429(wait) {
                return None;
            }
            // A reset already past (clocks differ) still gets a short wait, so that retries cannot spin.
            wait.max(policy.initial_backoff)
        }
        // No connection was made, so nothing was sent.
        Error::Connection { .. } => policy.backoff(attempt),
        // The request may have reached Intercom: only an idempotent one is sent again, and no sooner than
        // the server asked.
        _ if idempotent => asked.map_or_else(|| policy.backoff(attempt), |asked| asked.max(policy.backoff(attempt))),
        _ => return None,
    };
    (elapsed + wait <= policy.max_elapsed).then_some(wait)
}

#[cfg(test)]
mod tests {
    use super::RetryPolicy;
    use std::time::Duration;

    #[test]
    fn backoff_doubles_within_its_jitter_and_is_capped() {
        let policy =
            RetryPolicy::default().initial_backoff(Duration::from_millis(100)).max_backoff(Duration::from_millis(350));
        for _ in 0..200 {
            let first = policy.backoff(1);
            assert!((Duration::from_millis(50)..=Duration::from_millis(100)).contains(&first), "{first:?}");
            let second = policy.backoff(2);
            assert!((Duration::from_millis(100)..=Duration::from_millis(200)).contains(&second), "{second:?}");
            let capped = policy.backoff(30);
            assert!((Duration::from_millis(175)..=Duration::from_millis(350)).contains(&capped), "{capped:?}");
        }
    }

    #[test]
    fn at_least_one_attempt() {
        assert_eq!(RetryPolicy::default().max_attempts(0), RetryPolicy::never());
    }
}
