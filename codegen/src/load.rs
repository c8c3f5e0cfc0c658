//! Reading manifest files from disk (or from memory, for tests) into [`ManifestFile`]s.

use std::path::{Path, PathBuf};

use serde_json::error::Category;

use crate::diagnostic::Diagnostic;
use crate::manifest::ManifestFile;

/// A parsed manifest file and the name it was loaded under.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    /// The file's path, used in diagnostics.
    pub path: PathBuf,
    /// Its contents.
    pub manifest: ManifestFile,
}

/// Files in the manifest directory whose names end like this are JSON Schemas, not manifest files.
const SCHEMA_SUFFIX: &str = ".schema.json";

/// The folder of `dir` whose manifest files declare the models, read with the others.
pub const MODELS_DIR: &str = "models";

/// The manifest files of `dir`: every `*.json` directly inside it and inside its `models/` folder, except
/// `*.schema.json`, sorted by path so that the generated code does not depend on the order the file system lists
/// them in.
pub fn manifest_paths(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut paths = json_files(dir)?;
    let models = dir.join(MODELS_DIR);
    if models.is_dir() {
        paths.extend(json_files(&models)?);
    }
    paths.sort();
    if paths.is_empty() {
        return Err(Diagnostic::file(dir, "no manifest files (*.json) in this directory"));
    }
    Ok(paths)
}

/// The manifest files directly inside `dir`.
fn json_files(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
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
    let parsed = serde_json::from_str::<ManifestFile>(text);
    // serde's derived `Deserialize` also reads a struct from a JSON array, field by field, so `[]` would be a
    // manifest file with nothing in it and the functions of `[{"module": ...}]` would silently vanish. Only
    // an object is a manifest file; a syntax error is still reported as such, where it is.
    if let Some((line, column, found)) = top_level_non_object(text) {
        if parsed.as_ref().err().is_none_or(|error| error.classify() == Category::Data) {
            let message = format!("line {line}, column {column}: a manifest file must hold a JSON object, not {found}");
            return Err(Diagnostic::file(path, message));
        }
    }
    parsed
        .map(|manifest| LoadedFile { path: path.to_path_buf(), manifest })
        .map_err(|error| Diagnostic::file(path, describe_json_error(&error)))
}

/// Where the top-level value of `text` starts (line and column, from 1) and what it is, when it is not an
/// object. Only the first character matters: whether the rest is valid JSON is serde's to say.
fn top_level_non_object(text: &str) -> Option<(usize, usize, &'static str)> {
    // JSON's white space, which may precede the value.
    let start = text.find(|c: char| !matches!(c, ' ' | '\t' | '\n' | '\r'))?;
    let found = match text[start..].chars().next()? {
        '{' => return None,
        '[' => "an array",
        '"' => "a string",
        't' | 'f' => "a boolean",
        'n' => "null",
        '-' | '0'..='9' => "a number",
        // Not JSON at all: serde reports it.
        _ => return None,
    };
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |last| last.chars().count()) + 1;
    Some((line, column, found))
}

fn describe_json_error(error: &serde_json::Error) -> String {
    // serde_json's Display already ends in "at line L column C"; keep its wording but lead with the position,
    // which is what a reader looks for first.
    let text = error.to_string();
    let message = text.rsplit_once(" at line ").map_or(text.as_str(), |(message, _)| message);
    format!("line {}, column {}: {message}", error.line(), error.column())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> String {
        parse_file(Path::new("a.json"), text).map(|_| ()).unwrap_err().message
    }

    #[test]
    fn only_an_object_is_a_manifest_file() {
        assert_eq!(problem("[]"), "line 1, column 1: a manifest file must hold a JSON object, not an array");
        assert_eq!(
            problem("\n  [{\"module\": \"things\", \"functions\": []}]"),
            "line 2, column 3: a manifest file must hold a JSON object, not an array"
        );
        assert_eq!(problem("\"x\""), "line 1, column 1: a manifest file must hold a JSON object, not a string");
        assert_eq!(problem("3"), "line 1, column 1: a manifest file must hold a JSON object, not a number");
        assert_eq!(problem("null"), "line 1, column 1: a manifest file must hold a JSON object, not null");
        assert!(parse_file(Path::new("a.json"), " {} ").is_ok());
    }

    #[test]
    fn a_syntax_error_is_reported_as_such() {
        assert_eq!(problem("{\"module\": "), "line 1, column 11: EOF while parsing a value");
        // An array that serde reads as far as the syntax error is still an array: that is said first.
        assert_eq!(problem("[1,"), "line 1, column 1: a manifest file must hold a JSON object, not an array");
        assert_eq!(problem("[] x"), "line 1, column 4: trailing characters");
        assert_eq!(problem(""), "line 1, column 0: EOF while parsing a value");
    }
}
