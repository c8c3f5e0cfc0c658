//! Triggers: a list function polled for what is new or updated, as a stream of its items.
//!
//! Each poll reads the list newest first (the manifest's arguments sort it by the trigger's timestamp) down to
//! the newest timestamp delivered so far, minus a de-duplication window, and delivers what it had not
//! delivered, oldest first (see `select` for the rules). The position (a [`Cursor`]) is kept in a
//! [`CursorStore`] and saved as items are taken, so a trigger restarted with the same store goes on where it
//! stopped.
//!
//! What is guaranteed: an item is *taken* when the consumer asks for the next one after it (or calls
//! [`TriggerStream::commit`]); the position saved is that of the items taken. A restart delivers every item
//! that was not taken, once, and none that was: a restart in the middle of a page, or after a crash between
//! reading a page and saving, loses and repeats nothing. The one item that can come twice is the last one
//! handed out before a crash, if the crash came after the consumer acted on it but before it asked for the
//! next: Intercom's API gives no way to make acting and saving one step, so that is at-least-once, and a
//! consumer that must not act twice keeps the ids it acted on (the de-duplication window bounds how long).
//! Items are deduplicated within the window: an item missed by one poll because the list shifted is delivered
//! by a later one if its timestamp is within the window.

mod cursor;
mod select;

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use futures::stream::{BoxStream, Stream, StreamExt};
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use cursor::{Cursor, CursorStore, FileCursorStore, MemoryCursorStore, StoreError};

use crate::client::Client;
use crate::error::Error;
use crate::plan::arguments::Arguments;
use crate::wire;
use select::{Read, Selection};

/// What a trigger needs of an item: its id, and when it became new or was updated (`None`: never new).
pub(crate) type Key<T> = fn(&T, &wire::Trigger) -> (String, Option<i64>);

/// How often a trigger polls unless told otherwise (the low-code connector polls every 120 s).
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(120);

/// How far back each poll reads again unless told otherwise.
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(10 * 60);

/// A trigger of the manifest, e.g. `client.new_users()`: configure it, then [`stream`](Self::stream) it.
///
/// ```no_run
/// # async fn run(client: intercom_rest::Client) -> Result<(), intercom_rest::Error> {
/// use futures::TryStreamExt;
/// use intercom_rest::trigger::FileCursorStore;
///
/// let mut users = client.new_users().store(FileCursorStore::new("new-users.cursor")).stream();
/// while let Some(user) = users.try_next().await? {
///     println!("welcome, {}", user.email.unwrap_or_default());
/// }
/// # Ok(()) }
/// ```
pub struct Trigger<T> {
    client: Client,
    spec: &'static wire::Trigger,
    key: Key<T>,
    interval: Duration,
    window: Duration,
    store: Arc<dyn CursorStore>,
}

impl<T> Trigger<T> {
    pub(crate) fn new(client: &Client, spec: &'static wire::Trigger, key: Key<T>) -> Self {
        Trigger {
            client: client.clone(),
            spec,
            key,
            interval: DEFAULT_INTERVAL,
            window: DEFAULT_WINDOW,
            store: Arc::new(MemoryCursorStore::new()),
        }
    }

    /// The time between two polls (default two minutes).
    #[must_use]
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// How far before the newest timestamp delivered each poll reads again (default ten minutes): an item
    /// that a poll missed (the list shifted while it was read) is still delivered if it is this recent.
    #[must_use]
    pub fn dedup_window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    /// Where the position is kept (default: in memory, for as long as the stream lives).
    #[must_use]
    pub fn store(mut self, store: impl CursorStore + 'static) -> Self {
        self.store = Arc::new(store);
        self
    }

    /// The manifest's description of the trigger.
    pub fn spec(&self) -> &'static wire::Trigger {
        self.spec
    }
}

impl<T: DeserializeOwned + Send + 'static> Trigger<T> {
    /// Polls now and then every interval, yielding each new item once, oldest first. A failed poll is an
    /// error item; the stream goes on with the next poll.
    pub fn stream(self) -> TriggerStream<T> {
        let shared = Arc::new(Shared {
            store: self.store,
            spec: self.spec,
            window: seconds(self.window),
            state: Mutex::new(State::default()),
        });
        let walk = Walk {
            client: self.client,
            spec: self.spec,
            key: self.key,
            interval: self.interval,
            shared: Arc::clone(&shared),
            buffer: VecDeque::new(),
            polls: 0,
        };
        let inner = futures::stream::unfold(walk, |mut walk| async move {
            let item = walk.next().await;
            Some((item, walk))
        });
        TriggerStream { spec: self.spec, shared, inner: inner.boxed() }
    }
}

impl<T> fmt::Debug for Trigger<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Trigger")
            .field("trigger", &self.spec.name)
            .field("interval", &self.interval)
            .field("window", &self.window)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A trigger of the manifest by its name (e.g. `newUsers`), yielding its items as JSON.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownFunction`] when the manifest has no such trigger.
    pub fn trigger(&self, name: &str) -> Result<Trigger<Value>, Error> {
        let spec = crate::find_trigger(name).ok_or_else(|| Error::UnknownFunction {
            name: name.to_owned(),
            suggestion: crate::suggest::closest(name, crate::triggers().iter().map(|trigger| trigger.name)),
        })?;
        Ok(Trigger::new(self, spec, |item, spec| {
            let id = match &item[spec.id] {
                Value::String(id) => id.clone(),
                Value::Number(id) => id.to_string(),
                _ => String::new(),
            };
            (id, item[spec.since].as_i64())
        }))
    }
}

/// The items of a trigger; see [`Trigger::stream`]. The position is saved as items are taken: when the
/// consumer asks for the next item, or calls [`commit`](Self::commit).
#[must_use = "a stream does nothing until it is polled"]
pub struct TriggerStream<T> {
    spec: &'static wire::Trigger,
    shared: Arc<Shared>,
    inner: BoxStream<'static, Result<T, Error>>,
}

impl<T> TriggerStream<T> {
    /// Saves the position after every item handed out so far, e.g. before stopping: a restart then delivers
    /// none of them again.
    ///
    /// # Errors
    ///
    /// [`Error::Cursor`] when the store cannot save.
    pub fn commit(&self) -> Result<(), Error> {
        self.shared.take_pending()
    }

    /// The position as it stands (what is saved, plus the item handed out last, if it was not yet taken).
    pub fn cursor(&self) -> Option<Cursor> {
        self.shared.lock().cursor.clone()
    }
}

impl<T> Stream for TriggerStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(context)
    }
}

impl<T> fmt::Debug for TriggerStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TriggerStream").field("trigger", &self.spec.name).finish_non_exhaustive()
    }
}

/// What the stream and its handle share: the position and the store.
struct Shared {
    store: Arc<dyn CursorStore>,
    spec: &'static wire::Trigger,
    window: i64,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// `None` until the store was read.
    cursor: Option<Cursor>,
    /// The item handed out last, not yet taken.
    pending: Option<(String, i64)>,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is replaced whole under the lock: a panic elsewhere cannot leave it half-written.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Records the pending item as taken, and saves.
    fn take_pending(&self) -> Result<(), Error> {
        let mut state = self.lock();
        let Some((id, since)) = state.pending.take() else { return Ok(()) };
        let Some(cursor) = state.cursor.as_mut() else { return Ok(()) };
        select::deliver(cursor, id, since, self.window);
        let cursor = cursor.clone();
        drop(state);
        self.save(&cursor)
    }

    fn save(&self, cursor: &Cursor) -> Result<(), Error> {
        self.store.save(cursor).map_err(|error| self.error(error))
    }

    fn error(&self, error: StoreError) -> Error {
        Error::Cursor { trigger: self.spec.name, detail: error.to_string() }
    }
}

/// Where a trigger's stream is.
struct Walk<T> {
    client: Client,
    spec: &'static wire::Trigger,
    key: Key<T>,
    interval: Duration,
    shared: Arc<Shared>,
    /// The new items of the last poll not yet handed out, oldest first.
    buffer: VecDeque<(String, i64, T)>,
    polls: u64,
}

impl<T: DeserializeOwned + Send + 'static> Walk<T> {
    /// The next item: from the last poll, or from the next ones.
    async fn next(&mut self) -> Result<T, Error> {
        // Asking for the next item takes the one handed out before.
        self.shared.take_pending()?;
        loop {
            if let Some((id, since, item)) = self.buffer.pop_front() {
                self.shared.lock().pending = Some((id, since));
                return Ok(item);
            }
            if self.polls > 0 {
                tokio::time::sleep(self.interval).await;
            }
            self.polls += 1;
            self.poll().await?;
        }
    }

    /// One poll: reads the list newest first down to the window, and buffers what is new.
    async fn poll(&mut self) -> Result<(), Error> {
        let cursor = self.cursor()?;
        let mut selection = Selection::new(&cursor, self.shared.window);
        let function = self.spec.function;
        let mut arguments = Arguments::new(function);
        for (name, value) in self.spec.arguments {
            // The checker made sure that each is an argument of the function.
            arguments.set_named(function, name, value.to_json());
        }
        let mut items = crate::stream::items::<T>(self.client.clone(), self.spec.function, arguments);
        while let Some(item) = items.next().await {
            let item = item?;
            let (id, since) = (self.key)(&item, self.spec);
            if selection.offer(id, since, item) == Read::Stop {
                break;
            }
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| i64::try_from(since.as_secs()).unwrap_or(i64::MAX));
        let (new, start) = selection.finish(self.spec.name, now);
        if let Some(start) = start {
            // The first poll marks where "from now on" starts, and it is kept across restarts.
            self.shared.save(&start)?;
            self.shared.lock().cursor = Some(start);
        }
        self.buffer = new.into();
        Ok(())
    }

    /// The position: read from the store once, then kept.
    fn cursor(&self) -> Result<Cursor, Error> {
        if let Some(cursor) = self.shared.lock().cursor.clone() {
            return Ok(cursor);
        }
        let loaded = self.shared.store.load().map_err(|error| self.shared.error(error))?;
        let cursor = match loaded {
            Some(cursor) if cursor.trigger != self.spec.name => {
                return Err(Error::Cursor {
                    trigger: self.spec.name,
                    detail: format!("the store holds the cursor of `{}`", cursor.trigger),
                });
            }
            Some(cursor) => cursor,
            None => Cursor { trigger: self.spec.name.to_owned(), ..Cursor::default() },
        };
        // A cursor with no start yet is not kept: the poll that finds one keeps it.
        if cursor.since.is_some() {
            self.shared.lock().cursor = Some(cursor.clone());
        }
        Ok(cursor)
    }
}

/// A duration in whole seconds, as the timestamps are.
fn seconds(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX)
}
