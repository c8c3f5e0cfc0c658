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
        None => print!("{source}"),
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
            println!(
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
        println!("{:width$}  {}", spec.name, spec.description);
    }
    ExitCode::SUCCESS
}

pub fn schema() -> ExitCode {
    print!("{}", intercom_codegen::manifest::json_schema());
    ExitCode::SUCCESS
}
