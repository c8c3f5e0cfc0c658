//! The commands that work on the manifest: `generate`, `check`, `list` and `schema`.

use std::path::Path;
use std::process::ExitCode;

pub fn generate(spec: &Path, out: Option<&Path>) -> ExitCode {
    let source = match intercom_codegen::generate(spec) {
        Ok(source) => source,
        Err(report) => {
            eprint!("{report}");
            return ExitCode::FAILURE;
        }
    };
    match out {
        None => out!("{source}"),
        Some(out) => {
            if let Err(error) = std::fs::write(out, source) {
                eprintln!("error: cannot write {}: {error}", out.display());
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}

pub fn check(spec: &Path) -> ExitCode {
    match intercom_codegen::check_dir(spec) {
        Ok(api) => {
            let functions = api.functions().count();
            outln!(
                "{}: {functions} functions in {} modules, {} Select enums: no problems",
                spec.display(),
                api.modules.len(),
                api.selects.len()
            );
            ExitCode::SUCCESS
        }
        Err(report) => {
            eprint!("{report}");
            ExitCode::FAILURE
        }
    }
}

pub fn list() -> ExitCode {
    let functions = intercom_rest::functions();
    let width = functions.iter().map(|spec| spec.name.len()).max().unwrap_or(0);
    for spec in functions {
        outln!("{:width$}  {}", spec.name, spec.description);
    }
    ExitCode::SUCCESS
}

pub fn schema() -> ExitCode {
    out!("{}", intercom_codegen::manifest::json_schema());
    ExitCode::SUCCESS
}

/// Writes the Markdown reference of the manifest in `spec` to `out`, replacing the Markdown files there.
pub fn docs(spec: &Path, out: &Path) -> ExitCode {
    let api = match intercom_codegen::check_dir(spec) {
        Ok(api) => api,
        Err(report) => {
            eprint!("{report}");
            return ExitCode::FAILURE;
        }
    };
    let pages = intercom_codegen::reference::render(&api);
    if let Err(error) = write_pages(out, &pages) {
        eprintln!("error: cannot write the reference to {}: {error}", out.display());
        return ExitCode::FAILURE;
    }
    outln!("{}: {} pages", out.display(), pages.len());
    ExitCode::SUCCESS
}

/// Writes the pages, and removes Markdown files of an earlier reference that no longer has them.
fn write_pages(out: &Path, pages: &[intercom_codegen::reference::Page]) -> std::io::Result<()> {
    std::fs::create_dir_all(out)?;
    for entry in std::fs::read_dir(out)? {
        let path = entry?.path();
        let stale = path.extension().is_some_and(|extension| extension == "md")
            && !pages.iter().any(|page| path.file_name().is_some_and(|name| name == page.file.as_str()));
        if stale {
            std::fs::remove_file(&path)?;
        }
    }
    for page in pages {
        std::fs::write(out.join(&page.file), &page.text)?;
    }
    Ok(())
}
