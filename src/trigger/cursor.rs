//! Where a trigger keeps its position: the newest timestamp it delivered, and the items it delivered recently,
//! so that none is delivered twice. Stores are pluggable; a file store and an in-memory one are provided.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

/// A trigger's position. It is written after every item the consumer has taken (see [`crate::Trigger`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// The trigger it belongs to, e.g. `newUsers`: a store is refused by another trigger.
    pub trigger: String,
    /// The newest timestamp of an item delivered (Unix seconds); `None` before the first poll.
    pub since: Option<i64>,
    /// The items delivered within the de-duplication window before `since`: id, and the timestamp each was
    /// delivered with (an update is a later timestamp of the same id).
    pub recent: BTreeMap<String, i64>,
}

/// Why a cursor could not be loaded or saved.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StoreError(String);

impl StoreError {
    /// A store's error, in words (what failed and where).
    pub fn new(message: impl Into<String>) -> Self {
        StoreError(message.into())
    }
}

/// Where a trigger keeps its [`Cursor`]. Implement it to keep cursors elsewhere (a database row, a key of a
/// shared store); `save` must be durable when it returns, and never leave a cursor half-written.
pub trait CursorStore: Send + Sync {
    /// The saved cursor, or `None` when nothing was saved yet.
    ///
    /// # Errors
    ///
    /// When the cursor cannot be read, or what is stored is not a cursor.
    fn load(&self) -> Result<Option<Cursor>, StoreError>;

    /// Replaces the saved cursor.
    ///
    /// # Errors
    ///
    /// When the cursor cannot be written.
    fn save(&self, cursor: &Cursor) -> Result<(), StoreError>;
}

/// A cursor kept in memory: it lasts as long as the store (clones share it), e.g. to restart a trigger in the
/// same process, or in tests.
#[derive(Debug, Clone, Default)]
pub struct MemoryCursorStore {
    cursor: Arc<Mutex<Option<Cursor>>>,
}

impl MemoryCursorStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryCursorStore::default()
    }

    /// What is saved now.
    pub fn cursor(&self) -> Option<Cursor> {
        self.cursor.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }
}

impl CursorStore for MemoryCursorStore {
    fn load(&self) -> Result<Option<Cursor>, StoreError> {
        Ok(self.cursor())
    }

    fn save(&self, cursor: &Cursor) -> Result<(), StoreError> {
        *self.cursor.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(cursor.clone());
        Ok(())
    }
}

/// A cursor kept in a JSON file, written atomically: the new cursor goes to a temporary file beside it,
/// which is flushed to disk and renamed over the old one (then the folder is flushed), so a crash at any
/// point leaves either the old cursor or the new one, never a mix.
#[derive(Clone)]
pub struct FileCursorStore {
    path: PathBuf,
}

impl FileCursorStore {
    /// A store in the file `path` (created on the first save; its folder must exist).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        FileCursorStore { path: path.into() }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn temporary(&self) -> PathBuf {
        let mut name = self.path.file_name().map(std::ffi::OsString::from).unwrap_or_default();
        name.push(".tmp");
        self.path.with_file_name(name)
    }
}

impl fmt::Debug for FileCursorStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileCursorStore").field("path", &self.path).finish()
    }
}

/// The largest cursor file read: a cursor is small, and a store must not read an unbounded file.
const MAX_CURSOR_BYTES: u64 = 16 * 1024 * 1024;

impl CursorStore for FileCursorStore {
    fn load(&self) -> Result<Option<Cursor>, StoreError> {
        let shown = self.path.display();
        let file = match std::fs::File::open(&self.path) {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(StoreError::new(format!("cannot read the cursor {shown}: {error}"))),
        };
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::Read::take(file, MAX_CURSOR_BYTES + 1), &mut text)
            .map_err(|error| StoreError::new(format!("cannot read the cursor {shown}: {error}")))?;
        if text.len() as u64 > MAX_CURSOR_BYTES {
            return Err(StoreError::new(format!("the cursor {shown} is larger than a cursor can be")));
        }
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|error| StoreError::new(format!("the cursor {shown} is not a cursor: {error}")))
    }

    fn save(&self, cursor: &Cursor) -> Result<(), StoreError> {
        let shown = self.path.display();
        let failed = |error: std::io::Error| StoreError::new(format!("cannot save the cursor {shown}: {error}"));
        let text = serde_json::to_vec(cursor).map_err(|error| StoreError::new(error.to_string()))?;
        let temporary = self.temporary();
        let mut file = std::fs::File::create(&temporary).map_err(failed)?;
        file.write_all(&text).map_err(failed)?;
        file.sync_all().map_err(failed)?;
        drop(file);
        std::fs::rename(&temporary, &self.path).map_err(failed)?;
        // The rename is durable once the folder that holds the name is.
        if let Some(folder) = self.path.parent().filter(|folder| !folder.as_os_str().is_empty()) {
            if let Ok(folder) = std::fs::File::open(folder) {
                let _ = folder.sync_all();
            }
        }
        Ok(())
    }
}
