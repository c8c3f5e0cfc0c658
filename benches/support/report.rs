//! The suite's figures as ratios: each one reads the medians criterion estimated for the client and for its
//! baseline in the same run, and says whether the target is met. The table printed is the one in
//! `BENCHMARKS.md`; it is also written to `target/criterion/<bench>.md`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::SystemTime;

/// What a figure must reach.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// The client's time per operation is at most this multiple of the baseline's.
    TimeAtMost(f64),
    /// The client's throughput is at least this fraction of the baseline's (the same work, timed).
    ThroughputAtLeast(f64),
    /// Shown for information.
    None,
}

/// One figure: the client's benchmark `subject` against `baseline`, both in criterion group `group`.
#[derive(Debug, Clone, Copy)]
pub struct Figure {
    pub group: &'static str,
    pub baseline: &'static str,
    pub subject: &'static str,
    pub target: Target,
}

impl Figure {
    pub const fn new(group: &'static str, baseline: &'static str, subject: &'static str, target: Target) -> Self {
        Figure { group, baseline, subject, target }
    }
}

/// Where criterion keeps its results: `$CARGO_TARGET_DIR/criterion`, else the workspace's `target/criterion`.
pub fn criterion_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"), PathBuf::from)
        .join("criterion")
}

/// The median time criterion estimated for `group/function` since `since` (in this run), in nanoseconds.
fn median_ns(group: &str, function: &str, since: SystemTime) -> Option<f64> {
    let path = criterion_dir().join(group).join(function).join("new").join("estimates.json");
    if std::fs::metadata(&path).and_then(|metadata| metadata.modified()).ok()? < since {
        return None;
    }
    let estimates: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    estimates["median"]["point_estimate"].as_f64()
}

fn duration(ns: f64) -> String {
    match ns {
        ns if ns >= 1e9 => format!("{:.2} s", ns / 1e9),
        ns if ns >= 1e6 => format!("{:.2} ms", ns / 1e6),
        ns if ns >= 1e3 => format!("{:.2} µs", ns / 1e3),
        ns => format!("{ns:.0} ns"),
    }
}

/// Prints the figures of bench `bench` measured since `since` as a Markdown table and writes it beside
/// criterion's results. Figures without results of this run (criterion ran each benchmark once, as a test, or
/// a filter left them out) are left out.
pub fn report(bench: &str, figures: &[Figure], since: SystemTime) {
    let mut table = String::from("| figure | client | baseline | ratio | target | met |\n|---|---|---|---|---|---|\n");
    let mut rows = 0;
    for figure in figures {
        let (Some(subject), Some(baseline)) =
            (median_ns(figure.group, figure.subject, since), median_ns(figure.group, figure.baseline, since))
        else {
            continue;
        };
        rows += 1;
        let (ratio, target, met) = match figure.target {
            Target::TimeAtMost(most) => {
                let ratio = subject / baseline;
                (format!("{ratio:.2}x time"), format!("≤ {most:.2}x"), if ratio <= most { "yes" } else { "no" })
            }
            Target::ThroughputAtLeast(least) => {
                let ratio = baseline / subject;
                (format!("{ratio:.2}x throughput"), format!("≥ {least:.2}x"), if ratio >= least { "yes" } else { "no" })
            }
            Target::None => (format!("{:.2}x time", subject / baseline), "-".to_owned(), "-"),
        };
        let _ = writeln!(
            table,
            "| {}: {} vs {} | {} | {} | {ratio} | {target} | {met} |",
            figure.group,
            figure.subject,
            figure.baseline,
            duration(subject),
            duration(baseline)
        );
    }
    if rows == 0 {
        return;
    }
    println!("\n{bench}: medians of this run\n\n{table}");
    let path = criterion_dir().join(format!("{bench}.md"));
    if let Err(error) = std::fs::write(&path, &table) {
        eprintln!("cannot write {}: {error}", path.display());
    }
}
