//! The generator of the `intercom-rest` client.
//!
//! It reads the declarative manifest in `spec/` and emits the typed client as Rust source, in four stages:
//!
//! 1. [`load`]: read every `spec/*.json` into [`manifest`] types (serde; unknown keys are rejected);
//! 2. [`check`]: check the manifest and lower it into the intermediate form [`ir`], reporting every problem
//!    at once as [`Diagnostic`]s with file, function and field;
//! 3. [`emit`]: turn the IR into tokens with `quote` and format them with `prettyplease`.
//!
//! The client crate's `build.rs` calls [`generate`]; the `intercom-gen` tool calls it too, to print the code
//! or report on a manifest. Nothing here panics on any input, and the output is byte-for-byte deterministic.

mod chars;
pub mod check;
pub mod diagnostic;
pub mod emit;
pub mod ir;
pub mod load;
pub mod manifest;
pub mod reference;

use std::path::Path;

pub use diagnostic::{Diagnostic, Report};

/// Loads and checks the manifest in `dir`.
///
/// # Errors
///
/// Every problem found: unreadable or malformed files, and everything the checker rejects.
pub fn check_dir(dir: &Path) -> Result<ir::Api, Report> {
    let files = load::load_dir(dir).map_err(Report::new)?;
    check::check(&files).map_err(Report::new)
}

/// Loads and checks the manifest in `dir`, and returns the generated Rust source of the client.
///
/// # Errors
///
/// Every problem found in the manifest.
pub fn generate(dir: &Path) -> Result<String, Report> {
    render(&check_dir(dir)?, dir)
}

/// The generated Rust source of a checked API. `dir` names the manifest in the (never expected) report of
/// generated code that does not parse.
pub fn render(api: &ir::Api, dir: &Path) -> Result<String, Report> {
    emit::render(api).map_err(|error| {
        let message = format!("internal error: the generated code does not parse ({error}); please report this");
        Report::new(vec![Diagnostic::file(dir, message)])
    })
}
