//! Checking one argument's value against its kind, format and limits.
//!
//! The typed methods and calls by name both hand the planner JSON values, so this is the one place where the
//! wire conventions are applied: strings stay strings, numbers may be given as numeric text, booleans as
//! `"true"`/`"false"`, lists of text as comma-separated text, JSON as JSON text, dates in three forms.

use std::borrow::Cow;

use serde_json::{Number, Value};

use super::arguments::{Argument, ObjectList};
use super::format;
use super::time;
use crate::error::Problem;
use crate::wire::{Field, Kind};

/// A checked argument value, ready to be laid out; it borrows from the argument where it can.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Checked<'a> {
    Text(Cow<'a, str>),
    Number(Number),
    Bool(bool),
    Json(Cow<'a, Value>),
    List(Cow<'a, [Value]>),
    /// A list of model items, already encoded.
    Objects(&'a ObjectList),
    /// Unix seconds.
    Time(i64),
    /// A `Select` value.
    Option(&'static str),
}

impl Checked<'_> {
    /// The value as JSON, for the rare layouts that need a tree (a transform).
    pub fn to_json(&self) -> Value {
        match self {
            Checked::Text(text) => Value::String(text.as_ref().to_owned()),
            Checked::Number(number) => Value::Number(number.clone()),
            Checked::Bool(flag) => Value::Bool(*flag),
            Checked::Json(value) => value.as_ref().clone(),
            Checked::List(items) => Value::Array(items.to_vec()),
            Checked::Objects(list) => serde_json::from_str(&list.json).unwrap_or(Value::Null),
            Checked::Time(seconds) => Value::from(*seconds),
            Checked::Option(value) => Value::from(*value),
        }
    }

    /// The value as text, for a path segment or a query parameter.
    pub fn to_text(&self) -> Cow<'_, str> {
        match self {
            Checked::Text(text) => Cow::Borrowed(text.as_ref()),
            Checked::Number(number) => Cow::Owned(number.to_string()),
            Checked::Bool(flag) => Cow::Borrowed(if *flag { "true" } else { "false" }),
            Checked::Time(seconds) => Cow::Owned(seconds.to_string()),
            Checked::Option(value) => Cow::Borrowed(value),
            // The checker keeps JSON and lists out of paths and queries; should one get there, send JSON text.
            Checked::Json(_) | Checked::List(_) | Checked::Objects(_) => Cow::Owned(self.to_json().to_string()),
        }
    }

    pub fn as_option(&self) -> Option<&'static str> {
        match self {
            Checked::Option(value) => Some(value),
            _ => None,
        }
    }

    /// The same value, owning what it borrowed.
    pub fn into_owned(self) -> Checked<'static> {
        match self {
            Checked::Text(text) => Checked::Text(Cow::Owned(text.into_owned())),
            Checked::Number(number) => Checked::Number(number),
            Checked::Bool(flag) => Checked::Bool(flag),
            Checked::Json(value) => Checked::Json(Cow::Owned(value.into_owned())),
            Checked::List(items) => Checked::List(Cow::Owned(items.into_owned())),
            Checked::Objects(list) => Checked::Json(Cow::Owned(Checked::Objects(list).to_json())),
            Checked::Time(seconds) => Checked::Time(seconds),
            Checked::Option(value) => Checked::Option(value),
        }
    }
}

/// Checks a given (non-blank) argument. `Ok(None)` means it turned out blank, e.g. `" , "` for a list.
pub(crate) fn check<'a>(field: &Field, argument: &'a Argument) -> Result<Option<Checked<'a>>, Problem> {
    let (raw, typed) = match argument {
        Argument::Json(raw) => (raw, false),
        Argument::Typed(raw) => (raw, true),
        // Encoded from models: a list of objects, as the field wants.
        Argument::Objects(list) if field.kind == Kind::ListOfObjects => {
            if list.count == 0 {
                return Ok(None);
            }
            if let Some(max) = field.max_items.filter(|max| list.count > *max) {
                return Err(Problem::TooManyItems { max, actual: list.count });
            }
            return Ok(Some(Checked::Objects(list)));
        }
        // Only list-of-objects fields have model-list setters; anything else is checked as the JSON it is.
        Argument::Objects(_) => {
            return check(field, &Argument::Json(argument.to_value())).map(|checked| checked.map(Checked::into_owned));
        }
    };
    let checked = match field.kind {
        Kind::String => Checked::Text(text(raw)?),
        Kind::Integer => Checked::Number(integer(raw).map_err(|problem| with_declared_range(field, problem))?),
        Kind::Number => Checked::Number(number(raw)?),
        Kind::Boolean => Checked::Bool(boolean(raw)?),
        Kind::Json => Checked::Json(json(raw)),
        Kind::JsonObject => Checked::Json(json_object(raw)?),
        Kind::ListOfStrings => Checked::List(strings(raw)?),
        Kind::ListOfObjects => Checked::List(objects(raw)?),
        Kind::DateTime => Checked::Time(date_time(raw)?),
        Kind::Select(select) => {
            let given = raw.as_str().map_or_else(|| Cow::Owned(raw.to_string()), Cow::Borrowed);
            match select.values.iter().find(|value| **value == given) {
                Some(value) => Checked::Option(value),
                None => return Err(Problem::NotAllowed { value: shorten(&given), allowed: select.values }),
            }
        }
    };
    if let Checked::Number(number) = &checked {
        check_range(field, number)?;
    }
    if let Checked::List(items) = &checked {
        if items.is_empty() {
            return Ok(None);
        }
        if let Some(max) = field.max_items.filter(|max| items.len() > *max) {
            return Err(Problem::TooManyItems { max, actual: items.len() });
        }
    }
    if let Some(format) = field.format {
        let check = if typed { format::check_typed } else { format::check };
        match &checked {
            Checked::Text(text) => check(format, text, None)?,
            Checked::List(items) => {
                for (index, item) in items.iter().enumerate() {
                    check(format, item.as_str().unwrap_or_default(), Some(index + 1))?;
                }
            }
            _ => {}
        }
    }
    Ok(Some(checked))
}

/// Long values are cut in problem reports, so that an error stays readable.
pub(crate) fn shorten(value: &str) -> String {
    const LIMIT: usize = 80;
    match value.char_indices().nth(LIMIT) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_owned(),
    }
}

/// How a JSON value's type is named in problem reports, e.g. "an array".
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn wrong_type(expected: &'static str, raw: &Value) -> Problem {
    Problem::WrongType { expected, found: type_name(raw) }
}

/// Text; a number is taken as its decimal text (ids are often typed as numbers by hand).
fn text(raw: &Value) -> Result<Cow<'_, str>, Problem> {
    match raw {
        Value::String(text) => Ok(Cow::Borrowed(text)),
        Value::Number(number) => Ok(Cow::Owned(number.to_string())),
        other => Err(wrong_type("text", other)),
    }
}

fn integer(raw: &Value) -> Result<Number, Problem> {
    const EXPECTED: &str = "a whole number";
    let too_large = |value: String| Problem::OutOfRange { value, minimum: None, maximum: None };
    match raw {
        Value::Number(number) if number.is_i64() => Ok(number.clone()),
        // Above i64::MAX: no Intercom argument takes such a number.
        Value::Number(number) if number.is_u64() => Err(too_large(number.to_string())),
        Value::Number(number) => match number.as_f64() {
            // Within ±2^53 every whole f64 converts to i64 exactly.
            Some(float) if float.fract() == 0.0 && float.abs() <= 9_007_199_254_740_992.0 => {
                Ok(Number::from(float as i64))
            }
            // A whole number too large for a JSON integer (e.g. 2^64) arrives as a float.
            Some(float) if float.fract() == 0.0 => Err(too_large(format!("{float:.0}"))),
            _ => Err(Problem::WrongType { expected: EXPECTED, found: "a number with a fraction" }),
        },
        Value::String(text) => {
            let text = text.trim();
            match text.parse::<i64>() {
                Ok(number) => Ok(Number::from(number)),
                Err(_) if is_whole_number_text(text) => Err(too_large(shorten(text))),
                Err(_) => Err(Problem::WrongType { expected: EXPECTED, found: "text that is not a whole number" }),
            }
        }
        other => Err(wrong_type(EXPECTED, other)),
    }
}

/// Text of a whole number, however large: an optional sign and decimal digits.
fn is_whole_number_text(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|byte| byte.is_ascii_digit())
}

/// A number too large for 64 bits is out of the field's declared range too, when it has one: say that range.
fn with_declared_range(field: &Field, problem: Problem) -> Problem {
    match problem {
        Problem::OutOfRange { value, .. } if field.minimum.is_some() || field.maximum.is_some() => {
            Problem::OutOfRange { value, minimum: field.minimum, maximum: field.maximum }
        }
        other => other,
    }
}

/// A number outside the field's declared `minimum`/`maximum`.
fn check_range(field: &Field, number: &Number) -> Result<(), Problem> {
    if field.minimum.is_none() && field.maximum.is_none() {
        return Ok(());
    }
    // Every JSON number has an f64 value (never NaN); the declared bounds are small enough to compare exactly.
    let Some(value) = number.as_f64() else { return Ok(()) };
    let below = field.minimum.is_some_and(|minimum| value < minimum);
    let above = field.maximum.is_some_and(|maximum| value > maximum);
    if below || above {
        return Err(Problem::OutOfRange { value: number.to_string(), minimum: field.minimum, maximum: field.maximum });
    }
    Ok(())
}

fn number(raw: &Value) -> Result<Number, Problem> {
    const EXPECTED: &str = "a number";
    match raw {
        Value::Number(number) => Ok(number.clone()),
        Value::String(text) => {
            let text = text.trim();
            text.parse::<i64>()
                .map(Number::from)
                .ok()
                .or_else(|| text.parse::<f64>().ok().and_then(Number::from_f64))
                .ok_or(Problem::WrongType { expected: EXPECTED, found: "text that is not a number" })
        }
        other => Err(wrong_type(EXPECTED, other)),
    }
}

fn boolean(raw: &Value) -> Result<bool, Problem> {
    const EXPECTED: &str = "true or false";
    match raw {
        Value::Bool(flag) => Ok(*flag),
        Value::String(text) if text.trim().eq_ignore_ascii_case("true") => Ok(true),
        Value::String(text) if text.trim().eq_ignore_ascii_case("false") => Ok(false),
        Value::String(_) => Err(Problem::WrongType { expected: EXPECTED, found: "other text" }),
        other => Err(wrong_type(EXPECTED, other)),
    }
}

/// Any JSON; text that holds JSON is parsed, other text stays text.
fn json(raw: &Value) -> Cow<'_, Value> {
    match raw {
        Value::String(text) => serde_json::from_str(text).map_or(Cow::Borrowed(raw), Cow::Owned),
        other => Cow::Borrowed(other),
    }
}

/// A JSON object, given as one or as text holding one.
fn json_object(raw: &Value) -> Result<Cow<'_, Value>, Problem> {
    let value = parse_if_text(raw)?;
    if value.is_object() { Ok(value) } else { Err(Problem::NotAnObject { item: None }) }
}

fn parse_if_text(raw: &Value) -> Result<Cow<'_, Value>, Problem> {
    match raw {
        Value::String(text) => serde_json::from_str(text)
            .map(Cow::Owned)
            .map_err(|error| Problem::InvalidJson { detail: error.to_string() }),
        other => Ok(Cow::Borrowed(other)),
    }
}

/// A list of text: a JSON array (numbers become text), or comma-separated text (items trimmed, empties dropped).
fn strings(raw: &Value) -> Result<Cow<'_, [Value]>, Problem> {
    match raw {
        Value::String(text) => Ok(Cow::Owned(
            text.split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(|item| Value::String(item.to_owned()))
                .collect(),
        )),
        // Text items are taken as they are; numbers become their text.
        Value::Array(items) if items.iter().all(Value::is_string) => Ok(Cow::Borrowed(items)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(index, item)| match item {
                Value::String(_) => Ok(item.clone()),
                Value::Number(number) => Ok(Value::String(number.to_string())),
                other => Err(Problem::WrongItemType { item: index + 1, expected: "text", found: type_name(other) }),
            })
            .collect::<Result<Vec<Value>, Problem>>()
            .map(Cow::Owned),
        other => Err(wrong_type("a list of text or comma-separated text", other)),
    }
}

/// A list of JSON objects, given as an array or as text holding one.
fn objects(raw: &Value) -> Result<Cow<'_, [Value]>, Problem> {
    let items = match parse_if_text(raw)? {
        Cow::Borrowed(Value::Array(items)) => Cow::Borrowed(items.as_slice()),
        Cow::Owned(Value::Array(items)) => Cow::Owned(items),
        other => return Err(wrong_type("a list of JSON objects", &other)),
    };
    if let Some(index) = items.iter().position(|item| !item.is_object()) {
        return Err(Problem::NotAnObject { item: Some(index + 1) });
    }
    Ok(items)
}

/// Unix seconds (a whole number, or text of one), RFC 3339, or `YYYY-MM-DD HH:MM:SS` in UTC.
fn date_time(raw: &Value) -> Result<i64, Problem> {
    match raw {
        Value::Number(number) => number.as_i64().ok_or_else(|| Problem::InvalidDate { value: number.to_string() }),
        Value::String(text) => time::parse(text).ok_or_else(|| Problem::InvalidDate { value: shorten(text) }),
        other => Err(wrong_type("a date", other)),
    }
}
