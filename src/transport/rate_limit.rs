//! Intercom's rate limit: what its headers say, and pacing calls so as not to run into it.
//!
//! Nothing here knows a limit or a window: every figure comes from the `X-RateLimit-*` headers of the
//! latest response (Intercom has changed both over the years).
//!
//! When the window ends is read against the server's clock, not the client's: `X-RateLimit-Reset` is a Unix
//! time on the server's clock, and the answer's `Date` says what time it was there, so the wait is their
//! difference, counted on the client's monotonic clock from when the answer arrived. A client whose clock is
//! minutes off still waits the right time. Both headers carry whole seconds while a window ends inside a
//! second, so the wait is one second longer than the difference: a paced client is never early.

use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

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
    ///
    /// With a [`crate::ClientRateLimit`], it bounds the wait for a slot and for Intercom's reset together:
    /// for calls past the client's limit to be paced rather than refused, make it longer than that window.
    #[must_use]
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }

    /// The longest a call waits for a reset, or for a slot of the client's own rate limit.
    pub(crate) fn longest_wait(&self) -> Duration {
        self.max_wait
    }

    /// Whether a call may wait this long before it is sent again after a `429`.
    pub(crate) fn allows_wait_after_429(&self, wait: Duration) -> bool {
        self.wait_on_429 && wait <= self.max_wait
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

/// How much later than the stated reset the client resumes: `X-RateLimit-Reset` and `Date` are whole seconds,
/// so the window may end up to a second after the difference between them says.
const ROUNDING_MARGIN: Duration = Duration::from_secs(1);

/// The client's view of the limit, shared by its clones: the latest observed state, when the client may
/// resume after its window, and how many requests were sent since that observation (each takes one of the
/// remaining requests).
#[derive(Debug, Default)]
pub(crate) struct Limiter {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    observed: Option<Observed>,
    sent_since: u64,
}

#[derive(Debug, Clone, Copy)]
struct Observed {
    rate_limit: RateLimit,
    /// When the window is surely over, on the client's monotonic clock.
    resume_at: Instant,
}

impl Limiter {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is plain numbers: a panic elsewhere cannot leave it half-written.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The latest state Intercom reported.
    pub(crate) fn latest(&self) -> Option<RateLimit> {
        self.state().observed.map(|observed| observed.rate_limit)
    }

    /// Records what an answer said, received now; `server_time` is its `Date`. A `429` (`refused`) spends the
    /// window whatever `Remaining` says.
    pub(crate) fn observe(&self, rate_limit: RateLimit, server_time: Option<SystemTime>, refused: bool) {
        self.observe_at(rate_limit, server_time, refused, Instant::now(), SystemTime::now());
    }

    fn observe_at(
        &self,
        rate_limit: RateLimit,
        server_time: Option<SystemTime>,
        refused: bool,
        now: Instant,
        client_time: SystemTime,
    ) {
        // Without a `Date`, the client's clock is all there is.
        let server_now = server_time.unwrap_or(client_time);
        let left = match rate_limit.reset_at.duration_since(server_now) {
            Ok(left) => left + ROUNDING_MARGIN,
            // The reset is a whole second before the server's clock: that window is over.
            Err(_) => Duration::ZERO,
        };
        let mut state = self.state();
        // Concurrent answers arrive in any order: one that speaks of an earlier window, or of more requests
        // left in the same window, is older than what is known and would hand out requests already spent.
        // A 429 is news whatever it says.
        if let Some(known) = state.observed.map(|observed| observed.rate_limit) {
            let stale = (rate_limit.reset_at, std::cmp::Reverse(rate_limit.remaining))
                < (known.reset_at, std::cmp::Reverse(known.remaining));
            if stale && !refused {
                return;
            }
        }
        state.observed = Some(Observed { rate_limit, resume_at: now + left });
        state.sent_since = if refused { rate_limit.remaining.max(1) } else { 0 };
    }

    /// How long until the observed window is surely over; `None` when nothing is known of one.
    pub(crate) fn until_resume(&self, now: Instant) -> Option<Duration> {
        let observed = self.state().observed?;
        Some(observed.resume_at.saturating_duration_since(now))
    }

    /// Takes one request of the window, or says how long to wait for the next window.
    pub(crate) fn reserve(&self, policy: &RateLimitPolicy, now: Instant) -> Pace {
        let mut state = self.state();
        let Some(observed) = state.observed else { return Pace::Go };
        let until_resume = observed.resume_at.saturating_duration_since(now);
        if until_resume.is_zero() {
            // The window the observation spoke of is over: nothing is known about the new one.
            state.observed = None;
            return Pace::Go;
        }
        if !policy.pace || observed.rate_limit.remaining > state.sent_since {
            state.sent_since += 1;
            return Pace::Go;
        }
        if until_resume > policy.max_wait {
            Pace::Refuse(observed.rate_limit.reset_at)
        } else {
            Pace::Wait(until_resume)
        }
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

    /// A limiter that observed `rate_limit` at `start` on the client, whose clock reads `client_time`, with
    /// a server whose `Date` said `server_time`.
    fn observed(
        rate_limit: RateLimit,
        server_time: Option<SystemTime>,
        client_time: SystemTime,
        start: Instant,
    ) -> Limiter {
        let limiter = Limiter::default();
        limiter.observe_at(rate_limit, server_time, false, start, client_time);
        limiter
    }

    #[test]
    fn paces_once_the_remaining_requests_are_taken() {
        let start = Instant::now();
        let policy = RateLimitPolicy::default();
        assert_eq!(Limiter::default().reserve(&policy, start), Pace::Go, "nothing observed yet");
        let limiter = observed(RateLimit { limit: 10, remaining: 2, reset_at: at(105) }, Some(at(100)), at(100), start);
        assert_eq!(limiter.reserve(&policy, start), Pace::Go);
        assert_eq!(limiter.reserve(&policy, start), Pace::Go);
        let later = start + Duration::from_secs(1);
        assert_eq!(
            limiter.reserve(&policy, later),
            Pace::Wait(Duration::from_secs(5)),
            "4 s to the stated reset, and a second for its rounding"
        );
        assert_eq!(limiter.reserve(&policy, start + Duration::from_secs(6)), Pace::Go, "the window reset");
        let far = observed(RateLimit { limit: 10, remaining: 0, reset_at: at(1_000) }, Some(at(100)), at(100), start);
        assert_eq!(far.reserve(&policy, start), Pace::Refuse(at(1_000)), "further than the longest wait");
        assert_eq!(far.reserve(&RateLimitPolicy::never_wait(), start), Pace::Go, "pacing off");
    }

    /// `X-RateLimit-Reset` and `Date` are whole seconds while the server's window ends inside a second: a
    /// client that resumed at the stated second could be up to a second early, and meet a `429`.
    #[test]
    fn resumes_no_earlier_than_a_window_that_ends_inside_the_stated_second() {
        let start = Instant::now();
        let spent = RateLimit { limit: 2, remaining: 0, reset_at: at(101) };
        // The server's clock read 100.9 (sent as 100), and its window ends at 101.8 (stated as 101, rounded
        // down): 0.9 s after the answer. Resuming 1 s after it would be early; the client waits 2 s.
        let limiter = observed(spent, Some(at(100)), at(100), start);
        assert_eq!(limiter.until_resume(start), Some(Duration::from_secs(2)));
        assert_eq!(limiter.reserve(&RateLimitPolicy::default(), start), Pace::Wait(Duration::from_secs(2)));
        assert_eq!(
            limiter.reserve(&RateLimitPolicy::default(), start + Duration::from_millis(1_999)),
            Pace::Wait(Duration::from_millis(1))
        );
        assert_eq!(limiter.reserve(&RateLimitPolicy::default(), start + Duration::from_secs(2)), Pace::Go);
    }

    /// The wait is the difference between the server's reset and the server's clock, whatever the client's
    /// clock says.
    #[test]
    fn a_skewed_client_clock_changes_nothing() {
        let start = Instant::now();
        let spent = RateLimit { limit: 2, remaining: 0, reset_at: at(10_003) };
        for client_time in [at(10_000), at(10_000 - 3_600), at(10_000 + 3_600)] {
            let limiter = observed(spent, Some(at(10_000)), client_time, start);
            assert_eq!(limiter.until_resume(start), Some(Duration::from_secs(4)), "client clock {client_time:?}");
        }
        // Without a `Date`, the client's own clock is used.
        let limiter = observed(spent, None, at(10_001), start);
        assert_eq!(limiter.until_resume(start), Some(Duration::from_secs(3)));
        // A reset already past on the server's clock: the window is over.
        let limiter = observed(spent, Some(at(10_005)), at(0), start);
        assert_eq!(limiter.reserve(&RateLimitPolicy::default(), start), Pace::Go);
    }

    #[test]
    fn an_answer_overtaken_by_a_later_one_changes_nothing() {
        let start = Instant::now();
        let later = RateLimit { limit: 10, remaining: 0, reset_at: at(105) };
        let limiter = observed(later, Some(at(100)), at(100), start);
        // Sent before the last one, answered after it: more left in the same window, or an earlier window.
        for stale in [RateLimit { remaining: 1, ..later }, RateLimit { remaining: 5, reset_at: at(104), ..later }] {
            limiter.observe_at(stale, Some(at(100)), false, start, at(100));
            assert_eq!(limiter.latest(), Some(later));
            assert!(matches!(limiter.reserve(&RateLimitPolicy::default(), start), Pace::Wait(_)));
        }
        // The next window is news.
        let next = RateLimit { limit: 10, remaining: 9, reset_at: at(110) };
        limiter.observe_at(next, Some(at(106)), false, start, at(106));
        assert_eq!(limiter.latest(), Some(next));
    }

    #[test]
    fn a_429_spends_the_window_whatever_remaining_says() {
        let start = Instant::now();
        let limiter = Limiter::default();
        let odd = RateLimit { limit: 10, remaining: 3, reset_at: at(105) };
        limiter.observe_at(odd, Some(at(100)), true, start, at(100));
        assert_eq!(limiter.reserve(&RateLimitPolicy::default(), start), Pace::Wait(Duration::from_secs(6)));
    }

    #[test]
    fn waits_after_a_429_only_within_the_policy() {
        let policy = RateLimitPolicy::default().max_wait(Duration::from_secs(10));
        assert!(policy.allows_wait_after_429(Duration::from_secs(5)));
        assert!(policy.allows_wait_after_429(Duration::ZERO));
        assert!(!policy.allows_wait_after_429(Duration::from_secs(100)));
        assert!(!RateLimitPolicy::never_wait().allows_wait_after_429(Duration::ZERO));
    }
}
