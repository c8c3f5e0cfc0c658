//! The build: generating the code for the whole manifest, and building the client crate alone (its
//! dependencies built), clean and after a one-line spec edit, with the shipped manifest and with one of ten
//! times as many functions (each function copied nine times under new names).
//!
//! Code generation is timed by criterion against reading the manifest's JSON (the least any generator does).
//! The builds run `cargo build -p intercom-rest` in `target/bench-build` with the manifest copied to a
//! temporary directory (`INTERCOM_REST_SPEC_DIR`), so neither the repository nor its target is touched; they
//! run under `cargo bench` only, not under `cargo test --benches`.

mod support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use criterion::Criterion;
use serde_json::Value;
use support::report::{Figure, Target};

const FIGURES: &[Figure] = &[
    Figure::new("codegen_whole_manifest", "read_json", "generate", Target::None),
    Figure::new("codegen_ten_times_the_functions", "generate_shipped", "generate", Target::TimeAtMost(10.0)),
];

/// The most a rebuild after a spec edit may take.
const REBUILD_TARGET: Duration = Duration::from_secs(1);

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the shipped manifest to `to`, each function of each area copied `copies` more times under new names
/// (`getUsers` → `getUsersCopy1`, ...).
fn manifest_copy(to: &Path, copies: usize) {
    let from = workspace().join("spec");
    copy_dir(&from, to);
    if copies == 0 {
        return;
    }
    for entry in std::fs::read_dir(to).expect("the copy") {
        let path = entry.expect("an entry").path();
        if path.extension().is_none_or(|extension| extension != "json") || path.ends_with("manifest.schema.json") {
            continue;
        }
        let mut area: Value = serde_json::from_slice(&std::fs::read(&path).expect("a file")).expect("JSON");
        let Some(functions) = area.get_mut("functions").and_then(Value::as_array_mut) else { continue };
        let originals = functions.clone();
        for copy in 1..=copies {
            for function in &originals {
                let mut function = function.clone();
                let name = format!("{}Copy{copy}", function["name"].as_str().expect("a name"));
                function["name"] = Value::String(name);
                functions.push(function);
            }
        }
        std::fs::write(&path, serde_json::to_vec_pretty(&area).expect("JSON")).expect("written");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a directory");
    for entry in std::fs::read_dir(from).expect("the manifest") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copied");
        }
    }
}

/// Every JSON file of the manifest, parsed: the baseline of code generation.
fn read_json(dir: &Path) -> usize {
    let mut count = 0;
    for path in intercom_codegen::load::manifest_paths(dir).expect("the manifest") {
        let value: Value = serde_json::from_slice(&std::fs::read(path).expect("a file")).expect("JSON");
        count += usize::from(value.is_object());
    }
    count
}

fn count_functions(dir: &Path) -> usize {
    intercom_codegen::check_dir(dir).expect("a good manifest").functions().count()
}

/// `cargo build -p intercom-rest --lib` with the manifest in `spec`: how long it took.
fn cargo_build(spec: &Path) -> Duration {
    let started = Instant::now();
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--locked", "-p", "intercom-rest", "--lib"])
        .current_dir(workspace())
        .env("CARGO_TARGET_DIR", workspace().join("target").join("bench-build"))
        .env("INTERCOM_REST_SPEC_DIR", spec)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the build with {} failed", spec.display());
    started.elapsed()
}

fn cargo_clean_client() {
    let status = Command::new(env!("CARGO"))
        .args(["clean", "--quiet", "-p", "intercom-rest"])
        .current_dir(workspace())
        .env("CARGO_TARGET_DIR", workspace().join("target").join("bench-build"))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo clean failed");
}

/// Changes one description of `spec/users.json` (a different text each time, so that every edit is news).
fn edit_one_line(spec: &Path, round: usize) {
    let path = spec.join("users.json");
    let text = std::fs::read_to_string(&path).expect("users.json");
    let edited = text.replacen("\"description\": \"", &format!("\"description\": \"Edit {round}. "), 1);
    std::fs::write(&path, edited).expect("written");
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

struct Builds {
    functions: usize,
    clean: Duration,
    rebuild: Duration,
}

fn measure_builds(spec: &Path, clean_runs: usize) -> Builds {
    cargo_build(spec); // the dependencies, once
    let clean = (0..clean_runs)
        .map(|_| {
            cargo_clean_client();
            cargo_build(spec)
        })
        .collect();
    let rebuild = (0..3)
        .map(|round| {
            edit_one_line(spec, round);
            cargo_build(spec)
        })
        .collect();
    Builds { functions: count_functions(spec), clean: median(clean), rebuild: median(rebuild) }
}

fn report_builds(shipped: &Builds, ten_times: &Builds) {
    let seconds = |duration: Duration| format!("{:.2} s", duration.as_secs_f64());
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    let mut table = String::from("| figure | time | ratio | target | met |\n|---|---|---|---|---|\n");
    for (label, builds) in [("shipped", shipped), ("10x", ten_times)] {
        let _ = writeln!(
            table,
            "| clean build, {label} manifest ({} functions) | {} | - | - | - |",
            builds.functions,
            seconds(builds.clean)
        );
        let met = if builds.rebuild <= REBUILD_TARGET { "yes" } else { "no" };
        let _ = writeln!(
            table,
            "| rebuild after a one-line spec edit, {label} manifest | {} | - | ≤ {} | {met} |",
            seconds(builds.rebuild),
            seconds(REBUILD_TARGET)
        );
    }
    let _ = writeln!(
        table,
        "| clean build: 10x vs shipped | - | {:.2}x | - | - |\n| rebuild after an edit: 10x vs shipped | - | {:.2}x | - | - |",
        ratio(ten_times.clean, shipped.clean),
        ratio(ten_times.rebuild, shipped.rebuild)
    );
    println!("\nbuilds: medians of this run\n\n{table}");
    let path = support::report::criterion_dir().join("builds.md");
    if std::fs::create_dir_all(support::report::criterion_dir()).and_then(|()| std::fs::write(&path, &table)).is_err() {
        eprintln!("cannot write {}", path.display());
    }
}

fn main() {
    let since = SystemTime::now();
    let scratch = tempfile::tempdir().expect("a temporary directory");
    let shipped = scratch.path().join("shipped");
    let ten_times = scratch.path().join("ten-times");
    manifest_copy(&shipped, 0);
    manifest_copy(&ten_times, 9);
    assert_eq!(count_functions(&ten_times), 10 * count_functions(&shipped));

    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("codegen_whole_manifest");
    group.bench_function("read_json", |b| b.iter(|| read_json(&shipped)));
    group.bench_function("generate", |b| b.iter(|| intercom_codegen::generate(&shipped).expect("generated")));
    group.finish();
    let mut group = criterion.benchmark_group("codegen_ten_times_the_functions");
    group.sample_size(10);
    group.bench_function("generate_shipped", |b| b.iter(|| intercom_codegen::generate(&shipped).expect("generated")));
    group.bench_function("generate", |b| b.iter(|| intercom_codegen::generate(&ten_times).expect("generated")));
    group.finish();
    criterion.final_summary();
    support::report::report("codegen", FIGURES, since);

    if std::env::args().any(|arg| arg == "--bench") {
        let shipped_builds = measure_builds(&shipped, 3);
        let ten_times_builds = measure_builds(&ten_times, 1);
        report_builds(&shipped_builds, &ten_times_builds);
    }
}
