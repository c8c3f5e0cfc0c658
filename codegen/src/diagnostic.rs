//! Problems found in a manifest, with where they are.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::chars::shown;

/// One problem in the manifest: which file, function and field, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The manifest file, as it was named when loaded.
    pub file: PathBuf,
    /// The function concerned, when there is one.
    pub function: Option<String>,
    /// The field (argument) concerned, when there is one.
    pub field: Option<String>,
    /// What is wrong, and what would be right.
    pub message: String,
}

impl Diagnostic {
    /// A problem with a file as a whole.
    pub fn file(file: &Path, message: impl Into<String>) -> Self {
        Diagnostic { file: file.to_path_buf(), function: None, field: None, message: message.into() }
    }
}

/// Names and messages quote the manifest, which may hold any character: control characters are shown
/// escaped, so that each problem stays on its line and reads as it is stored.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", shown(&self.file.display().to_string()))?;
        match (&self.function, &self.field) {
            (Some(function), Some(field)) => write!(f, "{}.{}: ", shown(function), shown(field))?,
            (Some(function), None) => write!(f, "{}: ", shown(function))?,
            (None, Some(field)) => write!(f, "{}: ", shown(field))?,
            (None, None) => {}
        }
        f.write_str(&shown(&self.message))
    }
}

/// Every problem found in a manifest. Displayed one per line, in a stable order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// A report of these problems. Identical problems are kept once.
    pub fn new(mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.dedup();
        Report { diagnostics }
    }

    /// The problems, in the order they were found (file by file, function by function).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.diagnostics.len();
        writeln!(f, "{count} problem{} in the manifest:", if count == 1 { "" } else { "s" })?;
        for diagnostic in &self.diagnostics {
            writeln!(f, "  {diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Report {}
