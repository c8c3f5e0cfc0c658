//! Decoding Intercom's answers into the generated models, and what the models need to read messy data.

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

/// A 64-bit whole number: a JSON integer, a float with no fraction, or text holding a whole number (Intercom
/// has sent timestamps and counts in each of these forms).
struct Integer;

impl Visitor<'_> for Integer {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a whole number")
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<i64, E> {
        Ok(number)
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<i64, E> {
        i64::try_from(number).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(number), &self))
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<i64, E> {
        // Within ±2^53 every whole f64 is an exact i64.
        if number.fract() == 0.0 && number.abs() <= 9_007_199_254_740_992.0 {
            Ok(number as i64)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(number), &self))
        }
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<i64, E> {
        text.trim().parse().map_err(|_| E::invalid_value(de::Unexpected::Str(text), &self))
    }
}

/// A number: a JSON number, or text holding one (Intercom has sent coordinates as text).
struct Number;

impl Visitor<'_> for Number {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<f64, E> {
        Ok(number as f64)
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<f64, E> {
        Ok(number as f64)
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<f64, E> {
        Ok(number)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<f64, E> {
        text.trim()
            .parse::<f64>()
            .ok()
            .filter(|number| number.is_finite())
            .ok_or_else(|| E::invalid_value(de::Unexpected::Str(text), &self))
    }
}

/// `true` or `false`, also as the text `"true"`/`"false"` (Intercom has sent `"deleted": "true"`).
struct Boolean;

impl Visitor<'_> for Boolean {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean")
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<bool, E> {
        Ok(flag)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<bool, E> {
        match text.trim() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(E::invalid_value(de::Unexpected::Str(text), &self)),
        }
    }
}

/// A scalar read leniently, or `None` for `null`.
struct Optional<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for Optional<V> {
    type Value = Option<V::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)?;
        f.write_str(" or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self.0).map(Some)
    }
}

/// Reads a whole number leniently (see [`Integer`]); for required members of the models.
#[allow(dead_code, reason = "called by the generated models that have such members")]
pub fn integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    deserializer.deserialize_any(Integer)
}

/// Reads an optional whole number leniently; `null` is `None`.
#[allow(dead_code, reason = "called by the generated models that have such members")]
pub fn optional_integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    deserializer.deserialize_option(Optional(Integer))
}

/// Reads a number leniently (see [`Number`]).
#[allow(dead_code, reason = "called by the generated models that have such members")]
pub fn number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    deserializer.deserialize_any(Number)
}

/// Reads an optional number leniently; `null` is `None`.
#[allow(dead_code, reason = "called by the generated models that have such members")]
pub fn optional_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    deserializer.deserialize_option(Optional(Number))
}

/// Reads a boolean leniently (see [`Boolean`]).
#[allow(dead_code, reason = "called by the generated models that have such members")]
pub fn boolean<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    deserializer.deserialize_any(Boolean)
}

/// Reads an optional boolean leniently; `null` is `None`.
#[allow(dead_code, reason = "called by the generated models that have such members")]
pub fn optional_boolean<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    deserializer.deserialize_option(Optional(Boolean))
}

/// Writes a number as Intercom and a call by name write it: a whole value as an integer (`500`, not `500.0`).
#[doc(hidden)]
#[allow(dead_code, reason = "called by the generated models that have such members")]
pub fn write_number<S: Serializer>(number: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    // Within ±2^53 every whole f64 is an exact i64.
    if number.fract() == 0.0 && number.abs() <= 9_007_199_254_740_992.0 {
        serializer.serialize_i64(*number as i64)
    } else {
        serializer.serialize_f64(*number)
    }
}

/// Writes an optional number as [`write_number`] does (a `None` member is skipped before it gets here).
#[doc(hidden)]
#[allow(dead_code, reason = "called by the generated models that have such members")]
pub fn write_optional_number<S: Serializer>(number: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
    match number {
        Some(number) => write_number(number, serializer),
        None => serializer.serialize_none(),
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
    body: RawJson,
) -> Result<T, Error> {
    from_json(model, body.as_str()).map_err(|error| Error::Decode(Box::new(error.into_error(function, body))))
}

/// Why a JSON text is not a `model`: where, and what was wrong.
#[derive(Debug)]
pub(crate) struct ShapeError {
    model: &'static str,
    path: String,
    detail: String,
}

impl ShapeError {
    fn into_error(self, function: &'static str, body: RawJson) -> DecodeError {
        DecodeError { function, model: self.model, path: self.path, detail: self.detail, body: body.into_string() }
    }
}

fn from_json<T: DeserializeOwned>(model: &'static str, json: &str) -> Result<T, ShapeError> {
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
    let value: T = from_json(model, json).map_err(|error| DecodeError {
        function: "",
        model: error.model,
        path: error.path,
        detail: error.detail,
        body: String::new(),
    })?;
    serde_json::to_string(&value).map_err(|error| DecodeError {
        function: "",
        model,
        path: ".".to_owned(),
        detail: format!("cannot be encoded again: {error}"),
        body: String::new(),
    })
}
