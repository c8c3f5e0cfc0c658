//! The client's own rate limit (`ClientBuilder::client_rate_limit`), seen from outside: shared by clones and
//! tasks, pacing rather than failing, bounded by the policy's `max_wait`, freed by cancellation, and, on the
//! simulator, keeping concurrent calls clear of Intercom's `429`.
//!
//! Windows are a few hundred milliseconds, so that each test takes well under two seconds, except the
//! issue's acceptance test (200 calls through 100 per 60 s), which needs a real minute.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures::future::join_all;
use intercom_rest::simulator::Simulator;
use intercom_rest::{Client, ClientBuilder, ClientRateLimit, Error, RateLimitPolicy, RetryPolicy};
use intercom_testkit::{Recorder, Reply};
use serde_json::json;

fn ms(milliseconds: u64) -> Duration {
    Duration::from_millis(milliseconds)
}

/// A client of the simulator, without retries (a `429` would be an error), limited to `calls` per `window`.
fn on(simulator: &Simulator, calls: u32, window: Duration) -> ClientBuilder {
    Client::builder()
        .base_url(simulator.base_url())
        .access_token(simulator.access_token())
        .retry_policy(RetryPolicy::never())
        .client_rate_limit(ClientRateLimit::new(calls, window))
}

fn recording(server: &Recorder, calls: u32, window: Duration) -> ClientBuilder {
    Client::builder()
        .base_url(server.base_url())
        .access_token("limiter-test-token")
        .client_rate_limit(ClientRateLimit::new(calls, window))
}

#[tokio::test]
async fn there_is_no_client_rate_limit_unless_one_is_set_and_an_empty_one_is_refused() {
    assert_eq!(Client::new("token").client_rate_limit(), None);
    let limit = ClientRateLimit::new(100, Duration::from_secs(60));
    let client = Client::builder().access_token("token").client_rate_limit(limit).build().unwrap();
    assert_eq!(client.client_rate_limit(), Some(limit));
    assert_eq!((limit.calls(), limit.window()), (100, Duration::from_secs(60)));
    assert!(format!("{client:?}").contains("client_rate_limit: Some(ClientRateLimit { calls: 100"));
    for empty in [ClientRateLimit::new(0, Duration::from_secs(60)), ClientRateLimit::new(10, Duration::ZERO)] {
        let error = Client::builder().client_rate_limit(empty).build().unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{error:?}");
    }
}

#[tokio::test]
async fn a_window_lets_its_calls_through_at_once_and_paces_the_next_until_it_allows_it() {
    let simulator = Simulator::start().await.unwrap();
    let client = on(&simulator, 5, ms(300)).build().unwrap();
    let started = Instant::now();
    for result in join_all((0..5).map(|_| client.get_admins().send_json())).await {
        result.unwrap();
    }
    assert!(started.elapsed() < ms(250), "the first five went at once: {:?}", started.elapsed());
    client.get_admins().send_json().await.unwrap();
    let elapsed = started.elapsed();
    // It went a window after the first of the five ended, which was after `started`.
    assert!(elapsed >= ms(300) && elapsed < ms(700), "the sixth waited for the window: {elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn clones_and_tasks_share_one_budget() {
    let simulator = Simulator::start().await.unwrap();
    let client = on(&simulator, 3, ms(400)).build().unwrap();
    let clone = client.clone();
    let started = Instant::now();
    let tasks: Vec<_> = (0..6)
        .map(|task| {
            let client = if task % 2 == 0 { client.clone() } else { clone.clone() };
            tokio::spawn(async move {
                client.get_admins().send_json().await.unwrap();
                started.elapsed()
            })
        })
        .collect();
    let mut done = Vec::new();
    for task in tasks {
        done.push(task.await.unwrap());
    }
    done.sort();
    assert!(done[2] < ms(300), "three went at once: {done:?}");
    assert!(done[3] >= ms(400), "the other three waited for the window, whichever clone and task: {done:?}");
    assert!(done[5] < ms(1_000), "{done:?}");
}

#[tokio::test]
async fn concurrent_calls_through_the_limiter_meet_no_429_even_without_pacing_on_the_headers() {
    // The simulator's window starts at the first request after the last one ended: the limiter alone (headers
    // ignored, no retries) keeps every such window to its limit, whatever the order calls arrive in.
    let simulator = Simulator::builder().rate_limit(4, ms(300)).start().await.unwrap();
    let client = on(&simulator, 4, ms(300))
        .rate_limit_policy(RateLimitPolicy::default().pace(false).wait_on_too_many_requests(false))
        .build()
        .unwrap();
    let started = Instant::now();
    for result in join_all((0..12).map(|_| client.get_admins().send_json())).await {
        result.expect("paced by the client's limit, not refused by the server");
    }
    assert!(started.elapsed() >= ms(600), "three windows: {:?}", started.elapsed());
}

#[tokio::test]
async fn cancelled_waiting_calls_give_back_their_place_in_line() {
    let simulator = Simulator::start().await.unwrap();
    // A wait of one window fits in the longest wait, a wait of two (one more call ahead in line) does not.
    let client =
        on(&simulator, 1, ms(300)).rate_limit_policy(RateLimitPolicy::default().max_wait(ms(450))).build().unwrap();
    client.get_admins().send_json().await.unwrap();
    let ended = Instant::now();
    // The head of the line and a call behind it, both dropped while they wait.
    let cancelled = tokio::time::timeout(ms(50), async {
        tokio::join!(client.get_admins().send_json(), client.get_current_admin().send_json())
    });
    assert!(cancelled.await.is_err(), "both were waiting");
    // Had either kept its place or a slot, this call would be refused (a wait of two windows) or late.
    client.get_admins().send_json().await.expect("first in line again");
    let waited = ended.elapsed();
    // The window counts from the end of the first call, a moment before `ended`.
    assert!(waited >= ms(290) && waited < ms(450), "one window after the first call: {waited:?}");
}

#[tokio::test]
async fn a_wait_longer_than_max_wait_is_rate_limited_at_once_without_sending() {
    let server = Recorder::start();
    let client = recording(&server, 1, Duration::from_secs(60))
        .rate_limit_policy(RateLimitPolicy::default().max_wait(Duration::from_secs(5)))
        .build()
        .unwrap();
    client.get_admins().send_json().await.unwrap();
    let started = Instant::now();
    let error = client.get_admins().send_json().await.unwrap_err();
    assert!(started.elapsed() < ms(100), "refused at once: {:?}", started.elapsed());
    let Error::RateLimited { function: "getAdmins", reset_at: Some(reset_at), error: None } = &error else {
        panic!("{error:?}")
    };
    let resumes_in = reset_at.duration_since(SystemTime::now()).unwrap();
    assert!(resumes_in > Duration::from_secs(58) && resumes_in <= Duration::from_secs(60), "{resumes_in:?}");
    assert!(error.is_retryable());
    assert_eq!(server.take_requests().len(), 1, "the second call was not sent");
}

#[tokio::test]
async fn a_wait_that_a_slow_answer_makes_too_long_fails_at_max_wait() {
    let server = Recorder::start();
    server.reply(Reply::json(200, &json!({})).delayed(ms(600)));
    let client =
        recording(&server, 1, ms(100)).rate_limit_policy(RateLimitPolicy::default().max_wait(ms(300))).build().unwrap();
    let slow = client.get_admins().send_json();
    let next = async {
        tokio::time::sleep(ms(50)).await;
        let started = Instant::now();
        (client.get_admins().send_json().await, started.elapsed())
    };
    let (slow, (next, waited)) = tokio::join!(slow, next);
    slow.unwrap();
    assert!(matches!(next, Err(Error::RateLimited { error: None, .. })), "{next:?}");
    assert!(waited >= ms(300) && waited < ms(500), "it waited max_wait, no more: {waited:?}");
    assert_eq!(server.take_requests().len(), 1);
}

#[tokio::test]
async fn every_attempt_takes_a_slot_retries_included() {
    let server = Recorder::start();
    server.reply(Reply::json(503, &json!({ "type": "error.list", "errors": [{ "code": "service_unavailable" }] })));
    let client = recording(&server, 2, ms(300))
        .retry_policy(RetryPolicy::default().initial_backoff(ms(10)).max_backoff(ms(20)))
        .build()
        .unwrap();
    let started = Instant::now();
    client.get_admins().send_json().await.unwrap();
    assert!(started.elapsed() < ms(250));
    client.get_admins().send_json().await.unwrap();
    assert!(started.elapsed() >= ms(300), "the retry took the second slot: {:?}", started.elapsed());
    assert_eq!(server.take_requests().len(), 3);
}

#[tokio::test]
async fn both_limits_apply_and_share_the_longest_wait() {
    let server = Recorder::start();
    let reset = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() + 5;
    // Intercom says its window is spent for about five more seconds.
    server.reply(
        Reply::json(200, &json!({}))
            .header("x-ratelimit-limit", "1000")
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-reset", &reset.to_string()),
    );
    let client = recording(&server, 1, ms(200))
        .rate_limit_policy(RateLimitPolicy::default().max_wait(Duration::from_secs(1)))
        .build()
        .unwrap();
    client.get_admins().send_json().await.unwrap();
    let started = Instant::now();
    let error = client.get_admins().send_json().await.unwrap_err();
    let waited = started.elapsed();
    // First the client's slot (200 ms), then Intercom's reset, which would end past the longest wait.
    assert!(waited >= ms(150) && waited < ms(500), "it waited for the slot, then gave up: {waited:?}");
    let Error::RateLimited { reset_at, error: None, .. } = &error else { panic!("{error:?}") };
    assert_eq!(*reset_at, Some(UNIX_EPOCH + Duration::from_secs(reset)), "Intercom's reset");
    assert_eq!(server.take_requests().len(), 1);
}

/// Issue 10's acceptance test: 200 concurrent calls through a limiter of 100 per 60 s, on a simulator that
/// allows 100 per 60 s, meet no `429`. Retries are off, so a `429` would be an error. It takes a minute.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_calls_through_a_limiter_of_100_per_60_s_meet_no_429() {
    let minute = Duration::from_secs(60);
    let simulator = Simulator::builder().rate_limit(100, minute).start().await.unwrap();
    let client = on(&simulator, 100, minute)
        // Pacing on Intercom's headers too (the default); a wait of a window must fit in the longest wait.
        .rate_limit_policy(RateLimitPolicy::default().max_wait(Duration::from_secs(90)))
        .build()
        .unwrap();
    let started = Instant::now();
    let results = join_all((0..200).map(|_| client.get_admins().send_json())).await;
    let elapsed = started.elapsed();
    let failed: Vec<&Error> = results.iter().filter_map(|result| result.as_ref().err()).collect();
    assert!(failed.is_empty(), "{} of 200 failed, e.g. {:?}", failed.len(), failed.first());
    assert!(elapsed >= minute, "the second hundred waited for the next window: {elapsed:?}");
    let rate_limit = client.rate_limit().unwrap();
    assert_eq!((rate_limit.limit, rate_limit.remaining), (100, 0), "the second window took exactly 100");
    eprintln!("200 calls through 100 per 60 s: {elapsed:?}");
}
