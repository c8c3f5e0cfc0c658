//! A call's arguments as the planner reads them: one slot per field of the function, so that finding an
//! argument is an index, not a search by name.
//!
//! Typed builders fill the slots by index (the generator knows each field's place); a call by name is sorted
//! into slots once, keeping the names that are no field of the function to report them.

use serde_json::{Map, Value};

use crate::wire::Function;

/// One argument's value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Argument {
    /// As JSON: what a call by name gives, and what typed setters give for text, numbers and the like.
    Json(Value),
    /// As JSON, from a Rust type that has the field's format already (a `url::Url`, an `IpAddr`): the planner
    /// checks what the type does not guarantee (a URL's scheme) without parsing it again.
    Typed(Value),
    /// A list of model items, encoded once by the typed setter: `[{...}, ...]`. Models always encode as
    /// objects, so the planner need not look inside.
    Objects(ObjectList),
}

/// A JSON array of objects, already encoded, and how many objects it holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ObjectList {
    pub(crate) json: String,
    pub(crate) count: usize,
}

impl From<Value> for Argument {
    fn from(value: Value) -> Self {
        Argument::Json(value)
    }
}

impl Argument {
    /// The argument as JSON (a copy), for the rare paths that need a tree.
    pub(crate) fn to_value(&self) -> Value {
        match self {
            Argument::Json(value) | Argument::Typed(value) => value.clone(),
            // The list was encoded from models by serde_json; should it not read back, the planner refuses it.
            Argument::Objects(list) => serde_json::from_str(&list.json).unwrap_or(Value::Null),
        }
    }
}

/// The arguments of one call of one function.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Arguments {
    /// One per field of the function, in its order.
    slots: Vec<Option<Argument>>,
    /// The `accessToken` of a call by name.
    pub(crate) access_token: Option<Value>,
    /// The names given that are no field of the function (nor `accessToken`), in the order given.
    pub(crate) unknown: Vec<String>,
}

impl Arguments {
    /// No arguments yet, for `spec`.
    pub(crate) fn new(spec: &Function) -> Self {
        Arguments { slots: vec![None; spec.fields.len()], access_token: None, unknown: Vec::new() }
    }

    /// The arguments of a call by name, keyed by manifest name.
    pub(crate) fn from_map(spec: &Function, given: &Map<String, Value>) -> Self {
        let mut arguments = Arguments::new(spec);
        for (name, value) in given {
            if !arguments.set_named(spec, name, value.clone()) {
                if name == super::ACCESS_TOKEN {
                    arguments.access_token = Some(value.clone());
                } else {
                    arguments.unknown.push(name.clone());
                }
            }
        }
        arguments
    }

    /// Sets the argument of the field at `index`, replacing what was there.
    pub(crate) fn set(&mut self, index: usize, value: Argument) {
        if let Some(slot) = self.slots.get_mut(index) {
            *slot = Some(value);
        }
    }

    /// Sets the argument of the field called `name`; `false` when the function has no such field.
    pub(crate) fn set_named(&mut self, spec: &Function, name: &str, value: Value) -> bool {
        match spec.fields.iter().position(|field| field.name == name) {
            Some(index) => {
                self.set(index, Argument::Json(value));
                true
            }
            None => false,
        }
    }

    /// The argument of the field at `index`, if given.
    pub(crate) fn get(&self, index: usize) -> Option<&Argument> {
        self.slots.get(index)?.as_ref()
    }

    /// The argument of the field called `name`, if given.
    pub(crate) fn get_named(&self, spec: &Function, name: &str) -> Option<&Argument> {
        self.get(spec.fields.iter().position(|field| field.name == name)?)
    }

    /// The given arguments with the index of their field.
    pub(crate) fn given(&self) -> impl Iterator<Item = (usize, &Argument)> {
        self.slots.iter().enumerate().filter_map(|(index, slot)| Some((index, slot.as_ref()?)))
    }
}
