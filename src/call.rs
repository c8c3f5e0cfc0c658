//! The core every generated builder wraps: the function's spec and the arguments given so far.

use std::fmt;

use serde_json::Value;

use crate::client::Client;
use crate::error::Error;
use crate::plan::arguments::{Argument, Arguments, ObjectList};
use crate::plan::request::PreparedRequest;
use crate::wire::Function;

/// A call being built: one slot per argument, as the planner reads them. It owns a handle of the client (a
/// clone shares everything), so a builder or its stream can move to another task.
#[derive(Clone)]
pub(crate) struct Call {
    client: Client,
    spec: &'static Function,
    arguments: Arguments,
}

impl Call {
    pub(crate) fn new(client: &Client, spec: &'static Function) -> Self {
        Call { client: client.clone(), spec, arguments: Arguments::new(spec) }
    }

    /// Sets the argument of the field at `index` (the generator knows it), called `name` in the manifest.
    pub(crate) fn set(&mut self, index: usize, name: &'static str, value: impl Into<Argument>) {
        debug_assert_eq!(self.spec.fields.get(index).map(|field| field.name), Some(name), "field {index}");
        self.arguments.set(index, value.into());
    }

    /// Checks the arguments; a problem names the Rust parameter or setter as well as the argument.
    pub(crate) fn prepare(&self) -> Result<PreparedRequest, Error> {
        crate::plan::prepare(self.spec, &self.arguments).map_err(|invalid| invalid.with_rust_names(self.spec).into())
    }

    #[allow(dead_code, reason = "called by the builders of list functions, when the manifest has some")]
    pub(crate) fn stream<T: serde::de::DeserializeOwned + Send + 'static>(self) -> crate::ItemStream<T> {
        crate::stream::items(self.client, self.spec, self.arguments)
    }

    /// Sends the call and returns the JSON answer.
    pub(crate) async fn send(self) -> Result<Value, Error> {
        let request = self.prepare()?;
        self.client.execute(request).await
    }

    /// Sends the call and decodes the answer into the function's model, straight from the bytes.
    #[allow(dead_code, reason = "called by the builders of functions that declare a model")]
    pub(crate) async fn send_as<T: serde::de::DeserializeOwned>(self) -> Result<T, Error> {
        let request = self.prepare()?;
        let function = self.spec.name;
        let model = self.spec.returns.map_or("JSON", |returns| returns.model);
        let received = self.client.execute_to_decode(&request).await?;
        let decoded = match request.answer_list {
            None => crate::decode::decode(function, model, &received.body),
            Some(items) => crate::stream::single_item(function, model, items, &received.body),
        };
        // A body that did not decode may not be JSON at all, which the transport did not check.
        decoded.map_err(|error| match error {
            Error::Decode(_) => received.undecodable(function, |_| error),
            other => other,
        })
    }
}

impl fmt::Debug for Call {
    /// The arguments given, secret ones hidden.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct(self.spec.name);
        for (index, argument) in self.arguments.given() {
            let Some(field) = self.spec.fields.get(index) else { continue };
            match argument {
                _ if field.secret => debug.field(field.name, &"<redacted>"),
                Argument::Json(value) | Argument::Typed(value) => debug.field(field.name, value),
                Argument::Objects(list) => debug.field(field.name, &list.json),
            };
        }
        debug.finish()
    }
}

#[allow(dead_code, reason = "called by generated setters when the manifest has such arguments")]
/// A `Number` argument as JSON. A whole value is sent as an integer (`500.0` as `500`, as a call by name with
/// `500` sends it). A NaN or infinite value has no JSON form, so it is passed as text for the planner to
/// refuse, instead of silently becoming `null` (which would mean "not given").
pub(crate) fn number(value: f64) -> Value {
    // Within ±2^53 every whole f64 converts to i64 exactly.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if value.fract() == 0.0 && value.abs() <= EXACT {
        return Value::from(value as i64);
    }
    serde_json::Number::from_f64(value).map_or_else(|| Value::String(value.to_string()), Value::Number)
}

#[allow(dead_code, reason = "called by generated setters when the manifest has such arguments")]
/// A `List` of model items, encoded once as a JSON array of objects. A model always encodes (its maps have
/// text keys); should one not, it becomes `null`, which the planner refuses as "not an object" instead of
/// sending.
pub(crate) fn objects<T: serde::Serialize>(items: impl IntoIterator<Item = T>) -> Argument {
    let items = items.into_iter();
    // Room for small items up front, so that a list of many is not copied as it grows (the hint is the
    // caller's iterator's, and only sizes the first allocation).
    let mut json = Vec::with_capacity(2 + items.size_hint().0.min(4096) * 32);
    json.push(b'[');
    let mut count = 0;
    for item in items {
        if count > 0 {
            json.push(b',');
        }
        count += 1;
        let start = json.len();
        if serde_json::to_writer(&mut json, &item).is_err() {
            json.truncate(start);
            return Argument::Json(Value::Array(vec![Value::Null; count]));
        }
    }
    json.push(b']');
    // serde_json writes UTF-8.
    match String::from_utf8(json) {
        Ok(json) => Argument::Objects(ObjectList { json, count }),
        Err(_) => Argument::Json(Value::Null),
    }
}

#[allow(dead_code, reason = "called by generated setters when the manifest has such arguments")]
/// The JSON of a value whose Rust type has the field's format already (a `url::Url`, an `IpAddr`).
pub(crate) fn typed(value: Value) -> Argument {
    Argument::Typed(value)
}

#[allow(dead_code, reason = "called by generated setters when the manifest has such arguments")]
/// A `List` of text argument as JSON.
pub(crate) fn strings(items: impl IntoIterator<Item = impl Into<String>>) -> Value {
    Value::Array(items.into_iter().map(|item| Value::String(item.into())).collect())
}
