//! Scalars read as Intercom has sent them, not only as JSON types them: whole numbers and timestamps also as
//! floats without a fraction or as text, numbers and booleans also as text. The generated models read their
//! scalar members through the seeds below ([`INTEGER`], [`OPTIONAL_INTEGER`], ...).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};
use serde::{Serialize, Serializer};

/// A 64-bit whole number: a JSON integer, a float with no fraction, or text holding a whole number (Intercom
/// has sent timestamps and counts in each of these forms).
#[derive(Clone, Copy)]
pub struct Integer;

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
#[derive(Clone, Copy)]
pub struct Number;

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
#[derive(Clone, Copy)]
pub struct Boolean;

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

/// Reads a value with a lenient visitor: `Lenient(Integer)` is a whole number in any of its forms.
#[derive(Clone, Copy)]
pub struct Lenient<V>(V);

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for Lenient<V> {
    type Value = V::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        deserializer.deserialize_any(self.0)
    }
}

/// Reads an optional value with a lenient visitor: `null` (or nothing) is `None`.
#[derive(Clone, Copy)]
pub struct LenientOption<V>(V);

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for LenientOption<V> {
    type Value = Option<V::Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_option(Optional(self.0))
    }
}

/// A required whole number or timestamp.
#[allow(dead_code, reason = "read by the generated models that have such members")]
pub const INTEGER: Lenient<Integer> = Lenient(Integer);
/// An optional whole number or timestamp.
#[allow(dead_code, reason = "read by the generated models that have such members")]
pub const OPTIONAL_INTEGER: LenientOption<Integer> = LenientOption(Integer);
/// A required number.
#[allow(dead_code, reason = "read by the generated models that have such members")]
pub const NUMBER: Lenient<Number> = Lenient(Number);
/// An optional number.
#[allow(dead_code, reason = "read by the generated models that have such members")]
pub const OPTIONAL_NUMBER: LenientOption<Number> = LenientOption(Number);
/// A required boolean.
#[allow(dead_code, reason = "read by the generated models that have such members")]
pub const BOOLEAN: Lenient<Boolean> = Lenient(Boolean);
/// An optional boolean.
#[allow(dead_code, reason = "read by the generated models that have such members")]
pub const OPTIONAL_BOOLEAN: LenientOption<Boolean> = LenientOption(Boolean);

/// A number written as Intercom and a call by name write it: a whole value as an integer (`500`, not
/// `500.0`). The generated models write their number members through it.
#[derive(Clone, Copy)]
pub struct WrittenNumber(pub f64);

impl Serialize for WrittenNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let number = self.0;
        // Within ±2^53 every whole f64 is an exact i64.
        if number.fract() == 0.0 && number.abs() <= 9_007_199_254_740_992.0 {
            serializer.serialize_i64(number as i64)
        } else {
            serializer.serialize_f64(number)
        }
    }
}
