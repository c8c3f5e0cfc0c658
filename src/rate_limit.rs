//! Intercom's rate limit: what its headers say, and pacing calls so as not to run into it.
//!
//! Nothing here knows a limit or a window: every figure comes from the `X-RateLimit-*` headers of the
//! latest response (Intercom has changed both over the years).

use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;

/// Intercom's rate-limit state, as the latest response reported it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// `X-RateLimit-Limit`: the requests allowed in the current window.
    pub limit: u64,
    /// `X-RateLimit-Remaining`: the requests left in the current window.
    pub remaining: u64,
    /// `X-RateLimit-Reset`: when the window resets.
    pub reset_at: SystemTime,
}

impl RateLimit {
    /// The state from a response's headers, when all three are present and well-formed.
    pub(crate) fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let number = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse::<u64>().ok();
        Some(RateLimit {
            limit: number("x-ratelimit-limit")?,
            remaining: number("x-ratelimit-remaining")?,
            reset_at: UNIX_EPOCH.checked_add(Duration::from_secs(number("x-ratelimit-reset")?))?,
        })
    }
}

/// How the client deals with Intercom's rate limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimitPolicy {
    wait_on_429: bool,
    pace: bool,
    max_wait: Duration,
}

impl Default for RateLimitPolicy {
    /// Wait out a `429` until the reset, and hold calls back while the window is spent, each for at most
    /// 60 seconds.
    fn default() -> Self {
        RateLimitPolicy { wait_on_429: true, pace: true, max_wait: Duration::from_secs(60) }
    }
}

impl RateLimitPolicy {
    /// Never wait: a `429` is returned as [`crate::Error::RateLimited`] at once, and calls are not paced.
    pub fn never_wait() -> Self {
        RateLimitPolicy { wait_on_429: false, pace: false, max_wait: Duration::ZERO }
    }

    /// Whether a `429` is waited out until `X-RateLimit-Reset` and the request sent again (default `true`).
    /// It counts as an attempt of the [`crate::RetryPolicy`].
    #[must_use]
    pub fn wait_on_too_many_requests(mut self, wait: bool) -> Self {
        self.wait_on_429 = wait;
        self
    }

    /// Whether calls are held back until the reset once `X-RateLimit-Remaining` reaches 0, instead of
    /// provoking a `429` (default `true`).
    #[must_use]
    pub fn pace(mut self, pace: bool) -> Self {
        self.pace = pace;
        self
    }

    /// The longest a call waits for a reset (default 60 seconds). When the reset is further away, the call
    /// fails with [`crate::Error::RateLimited`] instead.
    #[must_use]
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }

    /// Whether a `429` is waited out.
    pub(crate) fn waits_on_429(&self) -> bool {
        self.wait_on_429
    }

    /// How long to wait for `reset_at` after a `429`, if the policy allows it.
    pub(crate) fn wait_after_429(&self, reset_at: SystemTime, now: SystemTime) -> Option<Duration> {
        let wait = reset_at.duration_since(now).unwrap_or(Duration::ZERO);
        (self.wait_on_429 && wait <= self.max_wait).then_some(wait)
    }
}

/// What the client must do before sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pace {
    /// Send now.
    Go,
    /// Wait this long (the window is spent until `reset_at`), then ask again.
    Wait(Duration),
    /// The window is spent until `reset_at`, further away than the policy's longest wait.
    Refuse(SystemTime),
}

/// The client's view of the limit, shared by its clones: the latest observed state, and how many requests
/// were sent since that observation (each takes one of the remaining requests).
#[derive(Debug, Default)]
pub(crate) struct Limiter {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    observed: Option<RateLimit>,
    sent_since: u64,
}

impl Limiter {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is two plain numbers: a panic elsewhere cannot leave it half-written.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The latest state Intercom reported.
    pub(crate) fn latest(&self) -> Option<RateLimit> {
        self.state().observed
    }

    /// Records what a response said.
    pub(crate) fn observe(&self, rate_limit: RateLimit) {
        let mut state = self.state();
        state.observed = Some(rate_limit);
        state.sent_since = 0;
    }

    /// Takes one request of the window, or says how long to wait for the next window.
    pub(crate) fn reserve(&self, policy: &RateLimitPolicy, now: SystemTime) -> Pace {
        let mut state = self.state();
        let Some(observed) = state.observed else { return Pace::Go };
        let until_reset = observed.reset_at.duration_since(now).unwrap_or(Duration::ZERO);
        if until_reset.is_zero() {
            // The window the observation spoke of is over: nothing is known about the new one.
            state.observed = None;
            return Pace::Go;
        }
        if !policy.pace || observed.remaining > state.sent_since {
            state.sent_since += 1;
            return Pace::Go;
        }
        if until_reset > policy.max_wait { Pace::Refuse(observed.reset_at) } else { Pace::Wait(until_reset) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn reads_the_three_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-limit", "167".parse().unwrap());
        headers.insert("x-ratelimit-remaining", "0".parse().unwrap());
        assert_eq!(RateLimit::from_headers(&headers), None);
        headers.insert("x-ratelimit-reset", "1714557600".parse().unwrap());
        assert_eq!(
            RateLimit::from_headers(&headers),
            Some(RateLimit { limit: 167, remaining: 0, reset_at: at(1_714_557_600) })
        );
        headers.insert("x-ratelimit-reset", "soon".parse().unwrap());
        assert_eq!(RateLimit::from_headers(&headers), None);
    }

    #[test]
    fn paces_once_the_remaining_requests_are_taken() {
        let limiter = Limiter::default();
        let policy = RateLimitPolicy::default();
        assert_eq!(limiter.reserve(&policy, at(100)), Pace::Go, "nothing observed yet");
        limiter.observe(RateLimit { limit: 10, remaining: 2, reset_at: at(105) });
        assert_eq!(limiter.reserve(&policy, at(100)), Pace::Go);
        assert_eq!(limiter.reserve(&policy, at(100)), Pace::Go);
        assert_eq!(limiter.reserve(&policy, at(101)), Pace::Wait(Duration::from_secs(4)));
        assert_eq!(limiter.reserve(&policy, at(105)), Pace::Go, "the window reset");
        limiter.observe(RateLimit { limit: 10, remaining: 0, reset_at: at(1_000) });
        assert_eq!(limiter.reserve(&policy, at(100)), Pace::Refuse(at(1_000)), "further than the longest wait");
        assert_eq!(limiter.reserve(&RateLimitPolicy::never_wait(), at(100)), Pace::Go, "pacing off");
    }

    #[test]
    fn waits_after_a_429_only_within_the_policy() {
        let policy = RateLimitPolicy::default().max_wait(Duration::from_secs(10));
        assert_eq!(policy.wait_after_429(at(105), at(100)), Some(Duration::from_secs(5)));
        assert_eq!(policy.wait_after_429(at(99), at(100)), Some(Duration::ZERO));
        assert_eq!(policy.wait_after_429(at(200), at(100)), None);
        assert_eq!(RateLimitPolicy::never_wait().wait_after_429(at(100), at(100)), None);
    }
}
