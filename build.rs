//! Generates the client from the manifest in `spec/` (or in `$INTERCOM_REST_SPEC_DIR`, to build the crate
//! with a manifest of your own). A broken manifest fails the build with every problem the checker finds.

use std::path::{Path, PathBuf};

const SPEC_DIR_VARIABLE: &str = "INTERCOM_REST_SPEC_DIR";

fn main() {
    println!("cargo::rerun-if-env-changed={SPEC_DIR_VARIABLE}");
    // Build scripts run in the package's directory, so a relative path keeps diagnostics short.
    let spec_dir = std::env::var_os(SPEC_DIR_VARIABLE).map_or_else(|| PathBuf::from("spec"), PathBuf::from);
    // Cargo scans a directory named here for changes to any file inside it.
    println!("cargo::rerun-if-changed={}", spec_dir.display());

    let source = match intercom_codegen::generate(&spec_dir) {
        Ok(source) => source,
        Err(report) => {
            eprintln!("error: the manifest in {} is broken\n{report}", spec_dir.display());
            std::process::exit(1);
        }
    };
    let Some(out_dir) = std::env::var_os("OUT_DIR") else {
        eprintln!("error: cargo did not set OUT_DIR");
        std::process::exit(1);
    };
    let out_file = Path::new(&out_dir).join("intercom_generated.rs");
    // Rewriting an unchanged file would make cargo recompile the crate for nothing.
    if std::fs::read_to_string(&out_file).ok().as_deref() != Some(source.as_str()) {
        if let Err(error) = std::fs::write(&out_file, source) {
            eprintln!("error: cannot write {}: {error}", out_file.display());
            std::process::exit(1);
        }
    }
}
