//! Reading manifest files from disk (or from memory, for tests) into [`SpecFile`]s.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::manifest::SpecFile;

/// A parsed manifest file and the name it was loaded under.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    /// The file's path, used in diagnostics.
    pub path: PathBuf,
    /// Its contents.
    pub spec: SpecFile,
}

/// Files in the manifest directory whose names end like this are JSON Schemas, not manifest files.
const SCHEMA_SUFFIX: &str = ".schema.json";

/// The manifest files of `dir`: every `*.json` directly inside it except `*.schema.json`, sorted by name so
/// that the generated code does not depend on the order the file system lists them in.
pub fn manifest_paths(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let entries = std::fs::read_dir(dir)
        .map_err(|error| Diagnostic::file(dir, format!("cannot read the manifest directory: {error}")))?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry =
            entry.map_err(|error| Diagnostic::file(dir, format!("cannot list the manifest directory: {error}")))?;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.ends_with(".json") && !name.ends_with(SCHEMA_SUFFIX) && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    if paths.is_empty() {
        return Err(Diagnostic::file(dir, "no manifest files (*.json) in this directory"));
    }
    Ok(paths)
}

/// Reads and parses every manifest file of `dir`. All unreadable or malformed files are reported at once.
pub fn load_dir(dir: &Path) -> Result<Vec<LoadedFile>, Vec<Diagnostic>> {
    let paths = manifest_paths(dir).map_err(|diagnostic| vec![diagnostic])?;
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        match std::fs::read_to_string(&path) {
            Ok(text) => match parse_file(&path, &text) {
                Ok(file) => files.push(file),
                Err(diagnostic) => problems.push(diagnostic),
            },
            Err(error) => problems.push(Diagnostic::file(&path, format!("cannot read: {error}"))),
        }
    }
    if problems.is_empty() { Ok(files) } else { Err(problems) }
}

/// Parses one manifest file's text. Unknown keys, wrong types and malformed JSON are reported with the
/// line and column where serde found them.
pub fn parse_file(path: &Path, text: &str) -> Result<LoadedFile, Diagnostic> {
    serde_json::from_str::<SpecFile>(text)
        .map(|spec| LoadedFile { path: path.to_path_buf(), spec })
        .map_err(|error| Diagnostic::file(path, describe_json_error(&error)))
}

fn describe_json_error(error: &serde_json::Error) -> String {
    // serde_json's Display already ends in "at line L column C"; keep its wording but lead with the position,
    // which is what a reader looks for first.
    let text = error.to_string();
    let message = text.rsplit_once(" at line ").map_or(text.as_str(), |(message, _)| message);
    format!("line {}, column {}: {message}", error.line(), error.column())
}
