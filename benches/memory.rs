//! Memory while scrolling: the peak memory of a process that scrolls through 10k and 100k users with the
//! typed client's stream, against one that does it with raw `reqwest` and hand-written structs. A scroll
//! holds one page at a time, so 100k users must cost what 10k cost.
//!
//! Each scroll runs in a child process of its own (this binary, started again), so that its peak resident
//! memory (`VmHWM`) is its own; the server runs in this process. Under `cargo test --benches` it scrolls a
//! few hundred users once, to show that it works.

mod support;

use std::fmt::Write as _;
use std::process::Command;
use std::time::Duration;

use futures::StreamExt;
use support::baseline;
use support::server::Server;

/// Set in a child: which client scrolls, and where.
const CHILD_KIND: &str = "INTERCOM_BENCH_SCROLL_KIND";
const CHILD_BASE_URL: &str = "INTERCOM_BENCH_SCROLL_BASE_URL";

/// The most the peak at 100k users may be, as a multiple of the peak at 10k.
const FLAT_TARGET: f64 = 1.10;

fn main() {
    if let (Ok(kind), Ok(base_url)) = (std::env::var(CHILD_KIND), std::env::var(CHILD_BASE_URL)) {
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
        let count = runtime.block_on(scroll(&kind, &base_url));
        println!("{count} {}", peak_kib());
        return;
    }
    let measuring = std::env::args().any(|arg| arg == "--bench");
    let sizes: &[usize] = if measuring { &[10_000, 100_000] } else { &[300] };
    let mut peaks = Vec::new();
    for &users in sizes {
        let server = Server::start(Duration::ZERO, users);
        for kind in ["raw_reqwest", "typed"] {
            let peak = child(kind, &server.base_url, users);
            println!("scroll {users} users, {kind}: peak {peak} KiB");
            peaks.push((users, kind, peak));
        }
    }
    if measuring {
        report(&peaks);
    }
}

/// Scrolls through every user with the `kind` of client and returns how many there were.
async fn scroll(kind: &str, base_url: &str) -> usize {
    match kind {
        "typed" => {
            let client = intercom_rest::Client::builder()
                .access_token(support::TOKEN)
                .base_url(base_url)
                .build()
                .expect("a client");
            let users = client.scroll_users().stream();
            users
                .fold(
                    0,
                    |count, user| async move { count + usize::from(!user.expect("a user").id.as_str().is_empty()) },
                )
                .await
        }
        _ => {
            let http = baseline::http_client();
            let mut count = 0;
            let mut scroll_param: Option<String> = None;
            loop {
                let mut request = http
                    .get(format!("{base_url}/users/scroll"))
                    .header("Accept", "application/json")
                    .header("Intercom-Version", baseline::INTERCOM_VERSION)
                    .bearer_auth(support::TOKEN);
                if let Some(param) = &scroll_param {
                    request = request.query(&[("scroll_param", param)]);
                }
                let page: baseline::ScrollPage = request.send().await.expect("an answer").json().await.expect("a page");
                if page.users.is_empty() {
                    return count;
                }
                count += page.users.iter().filter(|user| !user.id.is_empty()).count();
                scroll_param = page.scroll_param;
            }
        }
    }
}

/// This process's peak resident memory, in KiB (Linux's `VmHWM`); 0 where it cannot be read.
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Runs one scroll in a child process; its peak memory in KiB.
fn child(kind: &str, base_url: &str, users: usize) -> u64 {
    let exe = std::env::current_exe().expect("this benchmark's path");
    let output = Command::new(exe).env(CHILD_KIND, kind).env(CHILD_BASE_URL, base_url).output().expect("a child");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "the {kind} scroll failed: {stdout}{}", String::from_utf8_lossy(&output.stderr));
    let mut words = stdout.split_whitespace();
    let count: usize = words.next().and_then(|word| word.parse().ok()).expect("a count");
    assert_eq!(count, users, "the {kind} scroll saw every user once");
    words.next().and_then(|word| word.parse().ok()).expect("a peak")
}

fn report(peaks: &[(usize, &str, u64)]) {
    let peak = |users: usize, kind: &str| {
        peaks.iter().find(|(n, k, _)| *n == users && *k == kind).map_or(0.0, |(_, _, peak)| *peak as f64)
    };
    let mib = |kib: f64| format!("{:.1} MiB", kib / 1024.0);
    let mut table = String::from("| figure | client | baseline | ratio | target | met |\n|---|---|---|---|---|---|\n");
    for kind in ["typed", "raw_reqwest"] {
        let (small, large) = (peak(10_000, kind), peak(100_000, kind));
        let ratio = large / small;
        let met = if ratio <= FLAT_TARGET { "yes" } else { "no" };
        let _ = writeln!(
            table,
            "| scroll peak, {kind}: 100k vs 10k users | {} | {} | {ratio:.2}x | ≤ {FLAT_TARGET:.2}x | {met} |",
            mib(large),
            mib(small)
        );
    }
    for users in [10_000, 100_000] {
        let (typed, raw) = (peak(users, "typed"), peak(users, "raw_reqwest"));
        let _ = writeln!(
            table,
            "| scroll peak, {users} users: typed vs raw_reqwest | {} | {} | {:.2}x | - | - |",
            mib(typed),
            mib(raw),
            typed / raw
        );
    }
    println!("\nmemory: peaks of this run\n\n{table}");
    let path = support::report::criterion_dir().join("memory.md");
    if std::fs::create_dir_all(support::report::criterion_dir()).and_then(|()| std::fs::write(&path, &table)).is_err() {
        eprintln!("cannot write {}", path.display());
    }
}
