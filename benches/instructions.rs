//! Throughput in instructions: the work of one `getSingleUser` call in the calling process, counted by
//! callgrind, for the typed client (checks, retry and rate-limit policies, tracing span, decoding into
//! `models::User`) against raw `reqwest` with the same settings and hand-written `serde` structs.
//!
//! The `throughput` bench times many concurrent calls; on a small machine, where client and server share two
//! cores, that figure moves by several percent from run to run. Instructions do not: callgrind counts the
//! same for the same binary and input, whatever else the machine is doing. Each count runs in a child process
//! (this binary, started again under `valgrind --tool=callgrind`) making calls one after another to the
//! server in this process, and the cost of a call is the difference between 300 and 100 calls, divided by
//! 200, so that starting up is not counted. Without valgrind it says so and measures nothing; under
//! `cargo test --benches` each client makes a few calls once, without valgrind, to show that it works.

mod support;

use std::fmt::Write as _;
use std::process::Command;
use std::time::Duration;

use intercom_rest::Client;
use intercom_rest::selects::UserIdType;
use support::baseline;
use support::report::criterion_dir;
use support::server::Server;

/// Set in a child: which client calls, where, and how many times.
const CHILD_KIND: &str = "INTERCOM_BENCH_CALLS_KIND";
const CHILD_BASE_URL: &str = "INTERCOM_BENCH_CALLS_BASE_URL";
const CHILD_COUNT: &str = "INTERCOM_BENCH_CALLS_COUNT";

/// The most instructions a typed call may take, as a multiple of raw `reqwest`'s: the throughput target
/// (at least 0.95x) in instructions.
const TARGET: f64 = 1.0 / 0.95;

const USER_ID: &str = "5310d8e8598c9a0b00000007";

fn main() {
    if let (Ok(kind), Ok(base_url), Ok(count)) =
        (std::env::var(CHILD_KIND), std::env::var(CHILD_BASE_URL), std::env::var(CHILD_COUNT))
    {
        calls(&kind, &base_url, count.parse().expect("a count of calls"));
        return;
    }
    let server = Server::start(Duration::ZERO, 0);
    if !std::env::args().any(|arg| arg == "--bench") {
        for kind in ["raw_reqwest", "typed"] {
            calls(kind, &server.base_url, 3);
        }
        return;
    }
    if !Command::new("valgrind").arg("--version").output().is_ok_and(|output| output.status.success()) {
        println!("instructions: valgrind is not installed; nothing measured");
        return;
    }
    let per_call = |kind: &str| {
        let (few, many) =
            (count_instructions(kind, &server.base_url, 100), count_instructions(kind, &server.base_url, 300));
        many.saturating_sub(few) as f64 / 200.0
    };
    let (raw, typed) = (per_call("raw_reqwest"), per_call("typed"));
    report(typed, raw);
}

/// Makes `count` calls, one after another, on a runtime of one thread.
fn calls(kind: &str, base_url: &str, count: usize) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let client = Client::builder().access_token(support::TOKEN).base_url(base_url).build().expect("a client");
    let http = baseline::http_client();
    runtime.block_on(async {
        for _ in 0..count {
            let id = if kind == "typed" {
                client.get_single_user(USER_ID, UserIdType::IntercomId).send().await.expect("a user").id.into_string()
            } else {
                let response = baseline::get_user(&http, base_url, USER_ID).send().await.expect("an answer");
                assert!(response.status().is_success());
                response.json::<baseline::User>().await.expect("a user").id
            };
            assert!(!id.is_empty());
        }
    });
}

/// The instructions a child making `count` calls with the `kind` of client executes, start to end.
fn count_instructions(kind: &str, base_url: &str, count: usize) -> u64 {
    let exe = std::env::current_exe().expect("this benchmark's path");
    let output = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(exe)
        .env(CHILD_KIND, kind)
        .env(CHILD_BASE_URL, base_url)
        .env(CHILD_COUNT, count.to_string())
        .output()
        .expect("valgrind runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the {kind} calls failed under callgrind: {stderr}");
    // callgrind ends with "==pid== Collected : <instructions>".
    stderr
        .lines()
        .find_map(|line| line.split_once("Collected :").map(|(_, count)| count.trim().parse().ok()))
        .flatten()
        .expect("callgrind's count")
}

fn report(typed: f64, raw: f64) {
    let ratio = typed / raw;
    let met = if ratio <= TARGET { "yes" } else { "no" };
    let mut table = String::from("| figure | client | baseline | ratio | target | met |\n|---|---|---|---|---|---|\n");
    let _ = writeln!(
        table,
        "| instructions per get_single_user call: typed vs raw_reqwest | {typed:.0} | {raw:.0} | {ratio:.3}x | ≤ {TARGET:.3}x | {met} |"
    );
    println!("\ninstructions: counted by callgrind\n\n{table}");
    let path = criterion_dir().join("instructions.md");
    if let Err(error) = std::fs::create_dir_all(criterion_dir()).and_then(|()| std::fs::write(&path, &table)) {
        eprintln!("cannot write {}: {error}", path.display());
    }
}
