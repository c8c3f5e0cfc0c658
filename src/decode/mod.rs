//! Decoding Intercom's answers into the generated models, and what the models need to read messy data.

mod lenient;
mod model;

#[allow(unused_imports, reason = "the generated models use those their members need")]
pub use lenient::{BOOLEAN, INTEGER, NUMBER, OPTIONAL_BOOLEAN, OPTIONAL_INTEGER, OPTIONAL_NUMBER, WrittenNumber};
pub use model::{InPlace, Members, OptionalInPlace, read as read_model};

use std::borrow::Borrow;
use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::error::{DecodeError, Error};
use crate::raw::RawJson;

/// An Intercom identifier. Intercom sends most ids as text and some as numbers (tag, admin and team ids); both
/// are kept as text, and written back as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id(String);

impl Id {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id as owned text.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::ops::Deref for Id {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<String> for Id {
    fn from(id: String) -> Self {
        Id(id)
    }
}

impl From<&str> for Id {
    fn from(id: &str) -> Self {
        Id(id.to_owned())
    }
}

impl From<Id> for String {
    fn from(id: Id) -> Self {
        id.0
    }
}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;

        impl Visitor<'_> for IdVisitor {
            type Value = Id;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an id (text or a whole number)")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Id, E> {
                Ok(Id(text.to_owned()))
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<Id, E> {
                Ok(Id(text))
            }

            fn visit_u64<E: de::Error>(self, number: u64) -> Result<Id, E> {
                Ok(Id(number.to_string()))
            }

            fn visit_i64<E: de::Error>(self, number: i64) -> Result<Id, E> {
                Ok(Id(number.to_string()))
            }
        }

        deserializer.deserialize_any(IdVisitor)
    }
}

/// The answer of a function that returns nothing of use (e.g. an empty `202`): any body is accepted, and it
/// encodes as `null`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Nothing;

impl<'de> Deserialize<'de> for Nothing {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        IgnoredAny::deserialize(deserializer).map(|_| Nothing)
    }
}

impl Serialize for Nothing {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit()
    }
}

/// Decodes a function's answer into its model, straight from the bytes. A body that does not decode is an
/// error that names where in the JSON and what was expected, and keeps the body.
pub(crate) fn decode<T: DeserializeOwned>(
    function: &'static str,
    model: &'static str,
    body: &RawJson,
) -> Result<T, Error> {
    from_json(model, body.as_str())
        .map_err(|error| Error::Decode(Box::new(error.into_error(function, body.as_str().to_owned()))))
}

/// Why a JSON text is not a `model`: where, and what was wrong.
#[derive(Debug)]
pub(crate) struct ShapeError {
    model: &'static str,
    path: String,
    detail: String,
}

impl ShapeError {
    /// The error of `function` (empty when the caller knows it) for a `body` (empty when it is not kept).
    fn into_error(self, function: &'static str, body: String) -> DecodeError {
        DecodeError { function, model: self.model, path: self.path, detail: self.detail, body }
    }
}

fn from_json<T: DeserializeOwned>(model: &'static str, json: &str) -> Result<T, ShapeError> {
    // Tracking the path costs on every member; it is only needed to report a failure, so it is done then.
    if let Ok(value) = serde_json::from_str(json) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| ShapeError {
        model,
        path: error.path().to_string(),
        detail: error.inner().to_string(),
    })?;
    deserializer.end().map_err(|error| ShapeError { model, path: ".".to_owned(), detail: error.to_string() })?;
    Ok(value)
}

/// Decodes `json` into `T` and encodes it again: what a typed caller would see, as JSON. Used by tools
/// (`intercom-gen call --typed`) through each function's [`crate::wire::Returns`].
///
/// # Errors
///
/// A [`DecodeError`] (without a function: the caller knows it) when `json` is not a `T`.
pub fn reencode<T: DeserializeOwned + Serialize>(model: &'static str, json: &str) -> Result<String, DecodeError> {
    let value: T = from_json(model, json).map_err(|error| error.into_error("", String::new()))?;
    serde_json::to_string(&value).map_err(|error| DecodeError {
        function: "",
        model,
        path: ".".to_owned(),
        detail: format!("cannot be encoded again: {error}"),
        body: String::new(),
    })
}
