//! Points in time for `DatePicker` arguments.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;

/// A point in time for a `DatePicker` argument; always sent as Unix seconds.
///
/// Make one from Unix seconds (`1714557600`), a [`SystemTime`], or text in one of the accepted forms:
/// Unix seconds, RFC 3339 with any offset (`2024-05-01T10:00:00Z`), or `YYYY-MM-DD HH:MM:SS` taken as UTC.
/// Text is checked with the other arguments, so a bad date is reported by `prepare`/`send` naming its argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timestamp(Repr);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Repr {
    Seconds(i64),
    Text(String),
}

impl Timestamp {
    /// The moment `seconds` after 1970-01-01T00:00:00Z.
    pub const fn from_unix_seconds(seconds: i64) -> Self {
        Timestamp(Repr::Seconds(seconds))
    }

    /// The argument as the planner reads it: a number, or text it parses.
    pub(crate) fn to_json(&self) -> Value {
        match &self.0 {
            Repr::Seconds(seconds) => Value::from(*seconds),
            Repr::Text(text) => Value::String(text.clone()),
        }
    }
}

impl From<i64> for Timestamp {
    fn from(seconds: i64) -> Self {
        Timestamp::from_unix_seconds(seconds)
    }
}

impl From<i32> for Timestamp {
    fn from(seconds: i32) -> Self {
        Timestamp::from_unix_seconds(i64::from(seconds))
    }
}

impl From<u32> for Timestamp {
    fn from(seconds: u32) -> Self {
        Timestamp::from_unix_seconds(i64::from(seconds))
    }
}

impl From<SystemTime> for Timestamp {
    /// Whole seconds; moments before 1970 are negative.
    fn from(moment: SystemTime) -> Self {
        let seconds = match moment.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
            Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |seconds| -seconds),
        };
        Timestamp::from_unix_seconds(seconds)
    }
}

impl From<&str> for Timestamp {
    fn from(text: &str) -> Self {
        Timestamp(Repr::Text(text.to_owned()))
    }
}

impl From<String> for Timestamp {
    fn from(text: String) -> Self {
        Timestamp(Repr::Text(text))
    }
}
