//! Throughput: many concurrent calls against a minimal local server, the typed client (with its checks, retry
//! and rate-limit policies and tracing span) against raw `reqwest` with the same settings, the same headers
//! and `serde` decoding into hand-written structs; without and with server latency. Both clients make their
//! calls concurrently on a runtime of one thread.

mod support;

use std::time::{Duration, SystemTime};

use criterion::{Criterion, Throughput};
use futures::stream::{self, StreamExt};
use intercom_rest::Client;
use intercom_rest::selects::UserIdType;
use support::baseline;
use support::report::{Figure, Target};
use support::server::Server;

/// Calls per measured iteration, and how many are in flight at once.
const CALLS: usize = 256;
const CONCURRENCY: usize = 32;

const FIGURES: &[Figure] = &[
    Figure::new("concurrent_get_user_no_latency", "raw_reqwest", "typed", Target::ThroughputAtLeast(0.95)),
    Figure::new("concurrent_get_user_2ms_latency", "raw_reqwest", "typed", Target::ThroughputAtLeast(0.95)),
];

const USER_ID: &str = "5310d8e8598c9a0b00000007";

async fn typed(client: &Client) {
    let calls = stream::iter(0..CALLS)
        .map(|_| async { client.get_single_user(USER_ID, UserIdType::IntercomId).send().await.expect("a user") })
        .buffer_unordered(CONCURRENCY);
    let count = calls.fold(0, |count, user| async move { count + usize::from(!user.id.as_str().is_empty()) }).await;
    assert_eq!(count, CALLS);
}

async fn raw_reqwest(http: &reqwest::Client, base_url: &str) {
    let calls = stream::iter(0..CALLS)
        .map(|_| async {
            let response = baseline::get_user(http, base_url, USER_ID).send().await.expect("an answer");
            assert!(response.status().is_success());
            response.json::<baseline::User>().await.expect("a user")
        })
        .buffer_unordered(CONCURRENCY);
    let count = calls.fold(0, |count, user| async move { count + usize::from(!user.id.is_empty()) }).await;
    assert_eq!(count, CALLS);
}

fn main() {
    let since = SystemTime::now();
    let mut criterion = Criterion::default().configure_from_args();
    // The clients run on one thread and the server on another (its own runtime): on two cores each has one,
    // and the figure does not depend on how the scheduler happens to share them (with a multi-threaded
    // runtime here, the same build measured from 0.93x to 1.10x from one run to the next).
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    for (group_name, latency) in [
        ("concurrent_get_user_no_latency", Duration::ZERO),
        ("concurrent_get_user_2ms_latency", Duration::from_millis(2)),
    ] {
        let server = Server::start(latency, 0);
        let client =
            Client::builder().access_token(support::TOKEN).base_url(&server.base_url).build().expect("a client");
        let http = baseline::http_client();
        let mut group = criterion.benchmark_group(group_name);
        group.throughput(Throughput::Elements(CALLS as u64));
        group.bench_function("raw_reqwest", |b| b.to_async(&runtime).iter(|| raw_reqwest(&http, &server.base_url)));
        group.bench_function("typed", |b| b.to_async(&runtime).iter(|| typed(&client)));
        group.finish();
    }
    criterion.final_summary();
    support::report::report("throughput", FIGURES, since);
}
