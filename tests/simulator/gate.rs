//! What the simulator does to every request before answering it: its rate limit and its injected faults,
//! seen through the client.

use std::time::{Duration, Instant};

use intercom_rest::simulator::Simulator;
use intercom_rest::{Client, Error, RateLimitPolicy, RetryPolicy};

fn client(simulator: &Simulator, retry: RetryPolicy, rate_limit: RateLimitPolicy) -> Client {
    Client::builder()
        .base_url(simulator.base_url())
        .access_token(simulator.access_token())
        .retry_policy(retry)
        .rate_limit_policy(rate_limit)
        .build()
        .unwrap()
}

#[tokio::test]
async fn past_its_limit_the_simulator_answers_429_with_the_reset_in_its_headers() {
    let simulator = Simulator::builder().rate_limit(3, Duration::from_secs(1)).start().await.unwrap();
    let client = client(&simulator, RetryPolicy::never(), RateLimitPolicy::never_wait());
    for remaining in [2, 1, 0] {
        client.get_admins().send_json().await.unwrap();
        let rate_limit = client.rate_limit().unwrap();
        assert_eq!((rate_limit.limit, rate_limit.remaining), (3, remaining));
    }
    let error = client.get_admins().send_json().await.unwrap_err();
    let Error::RateLimited { reset_at: Some(reset_at), error: Some(api), .. } = &error else { panic!("{error:?}") };
    assert_eq!((api.status, api.errors[0].code.as_str()), (429, "rate_limit_exceeded"));
    assert!(*reset_at > std::time::SystemTime::now(), "the reset is ahead");
}

#[tokio::test]
async fn a_client_that_paces_itself_never_meets_the_limit() {
    let simulator = Simulator::builder().rate_limit(2, Duration::from_millis(500)).start().await.unwrap();
    let client = client(&simulator, RetryPolicy::never(), RateLimitPolicy::default());
    let started = Instant::now();
    for _ in 0..4 {
        client.get_admins().send_json().await.expect("paced, not rate limited");
    }
    assert!(started.elapsed() >= Duration::from_millis(400), "the third call waited for the next window");
}

#[tokio::test]
async fn injected_failures_are_503s_that_retries_get_past() {
    let always = Simulator::builder().error_rate(1.0).start().await.unwrap();
    let error =
        client(&always, RetryPolicy::never(), RateLimitPolicy::default()).get_admins().send_json().await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert!(error.is_retryable());

    let flaky = Simulator::builder().error_rate(0.5).seed(7).start().await.unwrap();
    let retrying = RetryPolicy::default().max_attempts(10).initial_backoff(Duration::from_millis(1));
    let client = client(&flaky, retrying, RateLimitPolicy::default());
    for _ in 0..10 {
        client.get_current_admin().send_json().await.expect("a retried GET gets through");
    }
}

#[tokio::test]
async fn injected_latency_can_outlast_the_client_timeout() {
    let simulator = Simulator::builder().latency(Duration::from_millis(300)).start().await.unwrap();
    let client = Client::builder()
        .base_url(simulator.base_url())
        .access_token(simulator.access_token())
        .timeout(Duration::from_millis(100))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let error = client.get_admins().send_json().await.unwrap_err();
    assert!(matches!(error, Error::Timeout { function: "getAdmins", .. }), "{error:?}");
}
