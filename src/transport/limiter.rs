//! The client's own rate limit: at most `calls` requests per `window`, shared by every clone of a client and
//! every task that uses it. A call waits for a slot rather than fail, in the order calls arrived, and no
//! longer than [`RateLimitPolicy`](crate::RateLimitPolicy)'s `max_wait`.
//!
//! # The model: `calls` slots, each busy until a window after the request it carried ended
//!
//! A slot is taken just before a request is sent and stays taken while the request is in flight; once the
//! answer has been read (or the attempt failed or was dropped), the slot cools for one `window`, counted
//! from that moment, before it can carry another request. So, whatever the network does, no span of
//! `window` at the server sees more than `calls` requests of this client: take the requests that reached the
//! server within one such span, and the latest moment one of them took its slot; at that moment each of them
//! held its slot (it took it no later, and reached the server before its answer, so its slot cools until at
//! least `window` after it arrived, which is after the span ends). There are only `calls` slots. Counting
//! from when a request was *sent* would not do: a request slow to arrive would share the server's window with
//! the ones sent a window after it. The price is that a slot serves one request per `window` plus the
//! request's own duration.
//!
//! A slot taken but given back unsent (the call was refused or dropped while it waited for Intercom's own
//! window) is free again at once.
//!
//! # Concurrency
//!
//! The numbers live in a [`std::sync::Mutex`] held for a few comparisons and never across an `.await`. A call
//! that finds a slot free and nobody waiting takes it with one lock; marking it sent and giving it back take
//! one lock each (and a [`Notify`]); none allocates (the queue of cooling slots grows to the limit once, then
//! is reused). Calls that must wait queue on a one-permit [`Semaphore`], which is first come, first served:
//! the holder of the permit (the head of the queue) is the only call that waits for slots, and a call that
//! arrives while others wait never takes a slot ahead of them. A call dropped while it waits leaves the queue
//! (tokio removes it) and its place in the count of waiting calls (a guard's `Drop`); it never held a slot, so
//! none can leak. A slot is held by a guard whose `Drop` gives it back, so a call dropped in flight or after
//! a panic gives it back too. The head checks the slots after it gets the permit and before each wait, and a
//! slot given back while it is not yet waiting leaves a stored notification, so no release is missed.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use tokio::sync::{Notify, Semaphore};

/// A client-side rate limit: at most `calls` requests per `window`, for every clone of the client together.
///
/// Set it with [`ClientBuilder::client_rate_limit`](crate::ClientBuilder::client_rate_limit); there is none
/// by default, since Intercom states its own limit on every answer (`X-RateLimit-*`) and the client already
/// paces on that (see [`RateLimitPolicy`](crate::RateLimitPolicy)). Set one to keep a client to a budget
/// smaller than the app's, e.g. the 100 calls per minute of a connection of the low-code connector this
/// client replaces, or a share of the app's limit when several processes use the same app:
///
/// ```
/// use std::time::Duration;
/// use intercom_rest::{Client, ClientRateLimit, RateLimitPolicy};
///
/// let client = Client::builder()
///     .access_token("my-access-token")
///     .client_rate_limit(ClientRateLimit::new(100, Duration::from_secs(60)))
///     // Waits for a slot (and for Intercom's reset) count against `max_wait`: allow more than a window.
///     .rate_limit_policy(RateLimitPolicy::default().max_wait(Duration::from_secs(90)))
///     .build()?;
/// # Ok::<(), intercom_rest::Error>(())
/// ```
///
/// Every attempt takes a slot, retries included. A call waits for a slot in the order calls arrived; when
/// its wait would end later than the policy's `max_wait`, it fails with [`crate::Error::RateLimited`]
/// (`error: None`, and when it could have gone as `reset_at`) without being sent.
///
/// A slot is busy while its request is in flight and for one `window` after the request ended, so `calls`
/// requests go out at once, and the next one a `window` after the first of them ended. That way no span of
/// `window` at Intercom sees more than `calls` requests of this client, whatever the network delays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientRateLimit {
    calls: u32,
    window: Duration,
}

impl ClientRateLimit {
    /// At most `calls` requests per `window`. Both must be more than zero, or
    /// [`ClientBuilder::build`](crate::ClientBuilder::build) fails with [`crate::Error::Config`].
    pub const fn new(calls: u32, window: Duration) -> Self {
        ClientRateLimit { calls, window }
    }

    /// The requests allowed per window.
    pub const fn calls(&self) -> u32 {
        self.calls
    }

    /// The window.
    pub const fn window(&self) -> Duration {
        self.window
    }

    /// Why this limit cannot be used, if it cannot.
    pub(crate) fn problem(&self) -> Option<&'static str> {
        if self.calls == 0 {
            Some("a client rate limit of 0 calls would hold back every call: allow at least one")
        } else if self.window.is_zero() {
            Some("a client rate limit needs a window longer than zero")
        } else {
            None
        }
    }
}

/// The shared state of a [`ClientRateLimit`] (it lives in the client's `Inner`).
#[derive(Debug)]
pub(crate) struct CallLimiter {
    limit: ClientRateLimit,
    slots: Mutex<Slots>,
    /// One permit, held by the call at the head of the queue: the only one waiting for slots.
    queue: Semaphore,
    /// Told when a slot is given back, to wake the head of the queue.
    released: Notify,
}

impl CallLimiter {
    pub(crate) fn new(limit: ClientRateLimit) -> Self {
        CallLimiter {
            limit,
            slots: Mutex::new(Slots::new(limit.calls as usize, limit.window)),
            queue: Semaphore::new(1),
            released: Notify::new(),
        }
    }

    pub(crate) fn limit(&self) -> ClientRateLimit {
        self.limit
    }

    fn slots(&self) -> MutexGuard<'_, Slots> {
        // The state is plain numbers, each change made whole under the lock: a panic cannot leave it half-done.
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes a slot, waiting in line for one until `deadline` at the latest; or, when the wait would end
    /// later, the instant the call could have gone (as well as it can be known: a slot still in flight is
    /// counted as ending now).
    pub(crate) async fn acquire(&self, deadline: Instant) -> Result<Slot<'_>, Instant> {
        let now = Instant::now();
        let resume = {
            let mut slots = self.slots();
            if slots.waiting == 0 && slots.take(now) {
                return Ok(Slot { limiter: self, sent: false });
            }
            let ahead = slots.waiting;
            let resume = slots.resume(now, ahead);
            if resume.is_after(deadline) {
                return Err(resume.at);
            }
            slots.waiting += 1;
            resume
        };
        let mut waiting = Waiting { limiter: self, counted: true };
        let wait_ms = u64::try_from(resume.at.saturating_duration_since(now).as_millis()).unwrap_or(u64::MAX);
        tracing::debug!(wait_ms, "client rate limit spent: waiting for a slot");
        let _head = match tokio::time::timeout_at(deadline.into(), self.queue.acquire()).await {
            Ok(Ok(permit)) => permit,
            // The semaphore is never closed; the other case is the deadline.
            Ok(Err(_)) | Err(_) => {
                let mut slots = self.slots();
                let now = Instant::now();
                let behind = slots.waiting.saturating_sub(1);
                return Err(slots.resume(now, behind).at);
            }
        };
        loop {
            let now = Instant::now();
            let wake = {
                let mut slots = self.slots();
                if slots.take(now) {
                    slots.waiting -= 1;
                    waiting.counted = false;
                    return Ok(Slot { limiter: self, sent: false });
                }
                let resume = slots.resume(now, 0);
                if resume.is_after(deadline) {
                    return Err(resume.at);
                }
                // A slot cools until then; otherwise only a slot given back can change anything.
                slots.next_cooled().map_or(deadline, |cooled| cooled.min(deadline))
            };
            // A release between the check above and this wait stores its notification: it is not missed.
            let _ = tokio::time::timeout_at(wake.into(), self.released.notified()).await;
        }
    }

    /// Gives a slot back: it cools for a window from now when its request was sent, it is free at once
    /// otherwise.
    fn release(&self, sent: bool) {
        self.slots().release(Instant::now(), sent);
        self.released.notify_one();
    }
}

/// A slot of the client's rate limit, held from just before a request is sent until its answer has been read.
/// Dropping it gives the slot back.
#[must_use = "the slot is given back when dropped"]
#[derive(Debug)]
pub(crate) struct Slot<'a> {
    limiter: &'a CallLimiter,
    sent: bool,
}

impl Slot<'_> {
    /// The request is being sent: from now on the slot cools for a window once given back.
    pub(crate) fn mark_sent(&mut self) {
        if !self.sent {
            self.sent = true;
            self.limiter.slots().send();
        }
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.limiter.release(self.sent);
    }
}

/// A call counted among those waiting for a slot; uncounted when it leaves the queue without one (a deadline,
/// or the call was dropped).
struct Waiting<'a> {
    limiter: &'a CallLimiter,
    counted: bool,
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        if self.counted {
            self.limiter.slots().waiting -= 1;
        }
    }
}

/// The earliest a call can go, and whether that is known (a slot that cools until then) or only a lower
/// bound (the slot is in flight, so it will cool until a window after some moment still to come).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Resume {
    at: Instant,
    exact: bool,
}

impl Resume {
    /// Whether the call surely cannot go by `deadline`.
    fn is_after(self, deadline: Instant) -> bool {
        self.at > deadline || (!self.exact && self.at >= deadline)
    }
}

/// The slots, counted: `free + held + in_flight + cooling.len() == capacity` at all times.
#[derive(Debug)]
struct Slots {
    capacity: usize,
    window: Duration,
    /// Slots free now.
    free: usize,
    /// Slots taken by a call that has not sent its request yet (it waits for Intercom's window): they may be
    /// given back unsent, and be free at once.
    held: usize,
    /// When each slot given back after a request is free again, earliest first (slots are given back in
    /// order of time, and each cools for the same window).
    cooling: VecDeque<Instant>,
    /// Slots whose request was sent and has not ended yet.
    in_flight: usize,
    /// Calls waiting in line for a slot.
    waiting: usize,
}

impl Slots {
    fn new(capacity: usize, window: Duration) -> Self {
        // Grown as slots cool (so an enormous limit costs nothing up front), then reused without allocating.
        Slots {
            capacity,
            window,
            free: capacity,
            held: 0,
            cooling: VecDeque::with_capacity(capacity.min(1024)),
            in_flight: 0,
            waiting: 0,
        }
    }

    /// Frees the slots whose window has passed.
    fn refresh(&mut self, now: Instant) {
        while self.cooling.front().is_some_and(|&free_at| free_at <= now) {
            self.cooling.pop_front();
            self.free += 1;
        }
    }

    /// Takes a slot if one is free.
    fn take(&mut self, now: Instant) -> bool {
        self.refresh(now);
        if self.free == 0 {
            return false;
        }
        self.free -= 1;
        self.held += 1;
        true
    }

    /// The request of a slot taken is being sent.
    fn send(&mut self) {
        self.held -= 1;
        self.in_flight += 1;
    }

    /// Gives a slot back.
    fn release(&mut self, now: Instant, sent: bool) {
        if sent {
            self.in_flight -= 1;
            // `now` only grows, so the queue stays in order; `max` keeps it so whatever the clock does.
            let free_at = later(now, self.window).max(self.cooling.back().copied().unwrap_or(now));
            self.cooling.push_back(free_at);
        } else {
            self.held -= 1;
            self.free += 1;
        }
    }

    /// When the next cooling slot is free.
    fn next_cooled(&self) -> Option<Instant> {
        self.cooling.front().copied()
    }

    /// The earliest the call with `ahead` calls before it in line can take a slot, if they all take theirs
    /// first.
    ///
    /// Sorted, the slots are free at: now (the free ones), from now on (those held unsent: they may come back
    /// at any time), the cooling ones' times (all within a window from now), and a window after their request
    /// ends for those in flight (after `now + window`). Each slot, once taken, is next free no sooner than a
    /// window later. So the `k`-th call in line (from 0) goes no sooner than the `k mod capacity`-th of these
    /// times plus `k div capacity` windows, and exactly then when that is a free or cooling slot in this round.
    fn resume(&mut self, now: Instant, ahead: usize) -> Resume {
        self.refresh(now);
        let round = u32::try_from(ahead / self.capacity).unwrap_or(u32::MAX);
        let index = ahead % self.capacity;
        let (first, known) = if index < self.free {
            (now, true)
        } else if index < self.free + self.held {
            (now, false)
        } else if let Some(&free_at) = self.cooling.get(index - self.free - self.held) {
            (free_at, true)
        } else {
            (later(now, self.window), false)
        };
        Resume { at: later(first, self.window.saturating_mul(round)), exact: known && round == 0 }
    }
}

/// `instant + duration`, or as far as the clock goes.
fn later(instant: Instant, duration: Duration) -> Instant {
    instant.checked_add(duration).unwrap_or_else(|| {
        // A century is further than any wait; halve until the platform's clock can represent it.
        let mut far = Duration::from_secs(100 * 365 * 24 * 3600);
        loop {
            if let Some(at) = instant.checked_add(far.min(duration)) {
                return at;
            }
            far /= 2;
        }
    })
}

/// The deadline of a wait that may last `max_wait` from `now`.
pub(crate) fn deadline(now: Instant, max_wait: Duration) -> Instant {
    later(now, max_wait)
}

/// An instant of the monotonic clock on the system clock, for errors (`None` past what it can represent).
pub(crate) fn system_time(at: Instant) -> Option<SystemTime> {
    let now = Instant::now();
    SystemTime::now().checked_add(at.saturating_duration_since(now))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    const WINDOW: Duration = Duration::from_secs(10);

    fn ms(milliseconds: u64) -> Duration {
        Duration::from_millis(milliseconds)
    }

    fn assert_counted(slots: &Slots) {
        let counted = slots.free + slots.held + slots.in_flight + slots.cooling.len();
        assert_eq!(counted, slots.capacity, "{slots:?}");
    }

    /// Takes a slot and sends its request.
    fn send(slots: &mut Slots, now: Instant) -> bool {
        let taken = slots.take(now);
        if taken {
            slots.send();
        }
        taken
    }

    #[test]
    fn a_window_lets_its_calls_through_at_once_then_the_next_when_the_first_slot_cools() {
        let start = Instant::now();
        let mut slots = Slots::new(3, WINDOW);
        for _ in 0..3 {
            assert!(send(&mut slots, start));
        }
        assert!(!slots.take(start), "the fourth call waits");
        assert_eq!(slots.resume(start, 0), Resume { at: start + WINDOW, exact: false }, "every slot is in flight");
        slots.release(start + ms(200), true);
        slots.release(start + ms(300), true);
        assert_counted(&slots);
        assert_eq!(slots.resume(start + ms(300), 0), Resume { at: start + ms(200) + WINDOW, exact: true });
        assert!(!slots.take(start + ms(200) + WINDOW - ms(1)), "a window after the first request ended");
        assert!(send(&mut slots, start + ms(200) + WINDOW));
        assert!(!slots.take(start + ms(200) + WINDOW), "the second slot cools 100 ms longer");
        assert!(send(&mut slots, start + ms(300) + WINDOW));
        assert_counted(&slots);
    }

    #[test]
    fn a_slot_given_back_unsent_is_free_at_once() {
        let start = Instant::now();
        let mut slots = Slots::new(1, WINDOW);
        assert!(slots.take(start));
        assert_eq!(slots.resume(start, 0), Resume { at: start, exact: false }, "it may come back at any time");
        slots.release(start, false);
        assert!(slots.take(start));
        assert_counted(&slots);
    }

    #[test]
    fn the_wait_of_a_call_in_line_counts_the_calls_before_it() {
        let start = Instant::now();
        let mut slots = Slots::new(4, WINDOW);
        assert!(send(&mut slots, start) && send(&mut slots, start));
        assert!(slots.take(start) && slots.take(start));
        slots.release(start + ms(100), true);
        slots.release(start + ms(400), false);
        assert_eq!((slots.free, slots.held, slots.cooling.len(), slots.in_flight), (1, 1, 1, 1));
        let now = start + ms(500);
        // Sorted: free now, held (back at any time), cooling until 100 ms + a window, in flight (after now + a
        // window).
        assert_eq!(slots.resume(now, 0), Resume { at: now, exact: true });
        assert_eq!(slots.resume(now, 1), Resume { at: now, exact: false });
        assert_eq!(slots.resume(now, 2), Resume { at: start + ms(100) + WINDOW, exact: true });
        assert_eq!(slots.resume(now, 3), Resume { at: now + WINDOW, exact: false });
        // The fifth in line reuses the free slot once the call before it has ended, a window later at least.
        assert_eq!(slots.resume(now, 4), Resume { at: now + WINDOW, exact: false });
        assert_eq!(slots.resume(now, 10), Resume { at: start + ms(100) + 3 * WINDOW, exact: false });
        assert_counted(&slots);
    }

    #[test]
    fn a_lower_bound_at_the_deadline_is_already_too_late() {
        let start = Instant::now();
        let exact = Resume { at: start + WINDOW, exact: true };
        let bound = Resume { at: start + WINDOW, exact: false };
        assert!(!exact.is_after(start + WINDOW), "a slot that cools until the deadline makes it");
        assert!(bound.is_after(start + WINDOW), "a slot in flight cools until after it");
        assert!(!bound.is_after(start + WINDOW + ms(1)));
    }

    #[test]
    fn enormous_durations_saturate_and_empty_limits_are_refused() {
        let start = Instant::now();
        assert!(later(start, Duration::MAX) > start + Duration::from_secs(3600 * 24 * 365));
        let mut slots = Slots::new(1, Duration::MAX);
        assert!(send(&mut slots, start));
        slots.release(start, true);
        assert!(slots.resume(start, 5).is_after(start + Duration::from_secs(3600)));
        assert!(ClientRateLimit::new(0, WINDOW).problem().is_some());
        assert!(ClientRateLimit::new(1, Duration::ZERO).problem().is_some());
        assert!(ClientRateLimit::new(1, WINDOW).problem().is_none());
    }

    fn limiter(calls: u32, window: Duration) -> Arc<CallLimiter> {
        Arc::new(CallLimiter::new(ClientRateLimit::new(calls, window)))
    }

    /// (free, held, in flight, cooling, waiting)
    fn counts(limiter: &CallLimiter) -> (usize, usize, usize, usize, usize) {
        let slots = limiter.slots();
        (slots.free, slots.held, slots.in_flight, slots.cooling.len(), slots.waiting)
    }

    fn far() -> Instant {
        Instant::now() + Duration::from_secs(5)
    }

    #[tokio::test]
    async fn a_waiting_call_dropped_leaves_no_trace() {
        let limiter = limiter(1, ms(300));
        let mut first = limiter.acquire(far()).await.unwrap();
        first.mark_sent();
        // The head of the line, waiting for the slot in flight, and a call behind it: both dropped.
        let both = tokio::time::timeout(ms(30), async { tokio::join!(limiter.acquire(far()), limiter.acquire(far())) });
        assert!(both.await.is_err());
        assert_eq!(counts(&limiter), (0, 0, 1, 0, 0), "nobody waits any more");
        let ended = Instant::now();
        drop(first);
        let second = limiter.acquire(far()).await.unwrap();
        let waited = ended.elapsed();
        assert!(waited >= ms(300) && waited < ms(450), "it went when the one slot cooled, after {waited:?}");
        drop(second);
        assert_eq!(counts(&limiter), (1, 0, 0, 0, 0), "the slot given back unsent is free");
    }

    #[tokio::test]
    async fn a_slot_given_back_unsent_goes_at_once_to_the_call_waiting_for_it() {
        let limiter = limiter(1, Duration::from_secs(60));
        // Taken, then given back without sending (a call dropped while it waited for Intercom's window).
        let slot = limiter.acquire(far()).await.unwrap();
        let waiter = tokio::spawn({
            let limiter = limiter.clone();
            async move {
                let started = Instant::now();
                limiter.acquire(far()).await.map(drop).unwrap();
                started.elapsed()
            }
        });
        tokio::time::sleep(ms(20)).await;
        assert_eq!(counts(&limiter), (0, 1, 0, 0, 1));
        drop(slot);
        let waited = waiter.await.unwrap();
        assert!(waited >= ms(20) && waited < ms(200), "woken when the slot came back, after {waited:?}");
        assert_eq!(counts(&limiter), (1, 0, 0, 0, 0));
    }

    #[tokio::test]
    async fn calls_are_served_in_the_order_they_came() {
        let limiter = limiter(1, ms(30));
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut slot = limiter.acquire(far()).await.unwrap();
        slot.mark_sent();
        let mut tasks = Vec::new();
        for call in 0..5 {
            let (limiter, order) = (limiter.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                let mut slot = limiter.acquire(far()).await.unwrap();
                slot.mark_sent();
                order.lock().unwrap().push(call);
            }));
            // Each call is in line before the next one comes.
            tokio::time::sleep(ms(5)).await;
        }
        drop(slot);
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), [0, 1, 2, 3, 4]);
    }

    #[tokio::test]
    async fn a_wait_past_the_deadline_is_refused_at_once_when_it_is_known() {
        let limiter = limiter(1, Duration::from_secs(60));
        let mut slot = limiter.acquire(far()).await.unwrap();
        slot.mark_sent();
        drop(slot);
        let started = Instant::now();
        let resume = limiter.acquire(started + Duration::from_secs(30)).await.unwrap_err();
        assert!(started.elapsed() < ms(50));
        assert!(resume >= started + Duration::from_secs(59) && resume <= started + Duration::from_secs(60));
        assert_eq!(counts(&limiter), (0, 0, 0, 1, 0), "the refused call took nothing and does not wait");
    }

    #[tokio::test]
    async fn a_wait_that_a_slow_request_makes_too_long_ends_at_the_deadline() {
        let limiter = limiter(1, ms(50));
        let mut slow = limiter.acquire(far()).await.unwrap();
        slow.mark_sent();
        let started = Instant::now();
        // At least 50 ms after the slow request ends: within 100 ms if it ended now, but it does not.
        let resume = limiter.acquire(started + ms(100)).await.unwrap_err();
        let waited = started.elapsed();
        assert!(waited >= ms(100) && waited < ms(200), "{waited:?}");
        assert!(resume >= started + ms(150), "a window after now at least");
        assert_eq!(counts(&limiter), (0, 0, 1, 0, 0));
    }

    /// Many tasks on many threads: at every moment a slot was taken, no more than `calls` slots were busy,
    /// counting each from when its call had it to a window after its request ended (as measured outside the
    /// lock, so within the true spans).
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn many_tasks_never_hold_more_slots_than_the_limit() {
        const CALLS: usize = 3;
        let window = ms(20);
        let limiter = limiter(CALLS as u32, window);
        let spans = Arc::new(Mutex::new(Vec::new()));
        let tasks: Vec<_> = (0..6)
            .map(|task| {
                let (limiter, spans) = (limiter.clone(), spans.clone());
                tokio::spawn(async move {
                    for call in 0..6 {
                        let mut slot = limiter.acquire(far()).await.unwrap();
                        let took = Instant::now();
                        if (task + call) % 4 == 0 {
                            // Given back unsent: it does not count.
                            continue;
                        }
                        slot.mark_sent();
                        tokio::time::sleep(ms(((task * call) % 3) as u64)).await;
                        spans.lock().unwrap().push((took, Instant::now() + window));
                        drop(slot);
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        let spans = spans.lock().unwrap();
        for &(took, _) in spans.iter() {
            let busy = spans.iter().filter(|&&(from, until)| from <= took && took < until).count();
            assert!(busy <= CALLS, "{busy} slots busy at once");
        }
        assert_eq!(counts(&limiter).4, 0);
        let (free, held, in_flight, cooling, _) = counts(&limiter);
        assert_eq!((free + cooling, held, in_flight), (CALLS, 0, 0));
    }
}
