//! A response body as Intercom sent it: checked to be JSON, but not decoded into a tree.

use std::fmt;

use serde_json::Value;

/// The JSON body of a successful answer, as received (`null` when the body was empty).
///
/// Returned by [`crate::Client::execute_raw`]. It is checked to be well-formed UTF-8 JSON, and nothing more:
/// no tree of values is built, so a large answer costs its size and no more. Decode it into a
/// [`serde_json::Value`] ([`RawJson::to_value`]) or your own types ([`RawJson::decode`]), or copy it out as it is.
#[derive(Clone, PartialEq, Eq)]
pub struct RawJson(String);

impl RawJson {
    /// Wraps text already checked to be JSON.
    pub(crate) fn checked(text: String) -> Self {
        RawJson(text)
    }

    /// The body of an empty answer.
    pub(crate) fn null() -> Self {
        RawJson("null".to_owned())
    }

    /// The JSON text as bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// The JSON text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The JSON text, owned.
    pub fn into_string(self) -> String {
        self.0
    }

    /// The body as a tree of JSON values.
    ///
    /// # Errors
    ///
    /// None in practice: the body was checked to be JSON (the error is serde_json's, should it disagree).
    pub fn to_value(&self) -> Result<Value, serde_json::Error> {
        serde_json::from_str(&self.0)
    }

    /// The body decoded into `T`, straight from the bytes.
    ///
    /// # Errors
    ///
    /// When the JSON does not have the shape of `T` (serde_json's error says where).
    pub fn decode<'de, T: serde::Deserialize<'de>>(&'de self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.0)
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawJson({} bytes)", self.0.len())
    }
}

impl fmt::Display for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
