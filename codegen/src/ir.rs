//! The checked intermediate form of the manifest.
//!
//! Everything here has been resolved and checked by [`crate::check`]: names are valid Rust identifiers that
//! do not collide, `Select` references point at a declared enum, every path placeholder has its field, every
//! route covers every option of its selector. The emitter relies on this and never has to fail.

use std::path::PathBuf;

use serde_json::{Map, Value};

pub use crate::manifest::{Auth, HttpMethod};

/// The whole API: the enums and the modules of functions.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// Every `Select` enum, shared ones first (sorted by name), then the inline ones in function order.
    pub selects: Vec<Select>,
    /// One module per manifest file that declares functions, in file name order.
    pub modules: Vec<Module>,
    /// The objects Intercom answers with, sorted by name.
    pub models: Vec<Model>,
    /// The closed value sets of their members, sorted by name.
    pub value_sets: Vec<ValueSet>,
    /// The webhook topics, sorted by name.
    pub topics: Vec<Topic>,
    /// The triggers, sorted by name.
    pub triggers: Vec<Trigger>,
}

/// A webhook topic and the model of its notifications' item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// The topic, e.g. `user.created`.
    pub name: String,
    /// The variant of `WebhookItem` (PascalCase).
    pub variant: String,
    /// The item's model.
    pub item: String,
    /// Its documentation.
    pub description: String,
}

/// A list function polled for what is new or updated.
#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    /// The manifest name, e.g. `newUsers`.
    pub name: String,
    /// The `Client` method, e.g. `new_users`.
    pub method_name: String,
    /// The name of its `static` wire description, e.g. `NEW_USERS`.
    pub static_name: String,
    /// Its documentation.
    pub description: String,
    /// The list function polled.
    pub function: String,
    /// The module of the list function.
    pub module: String,
    /// The `static` of the list function.
    pub function_static: String,
    /// The `Client` method of the list function.
    pub function_method: String,
    /// Arguments sent with every poll, by manifest name.
    pub arguments: Vec<(String, Value)>,
    /// The model of the items.
    pub item: String,
    /// The member that identifies an item, and whether it is required (not an `Option`).
    pub id: (String, bool),
    /// The Rust field of `id`.
    pub id_field: String,
    /// The timestamp member that decides what is new, its Rust field, and whether it is required.
    pub since: (String, String, bool),
}

impl Api {
    /// Every function, module by module, in manifest order.
    pub fn functions(&self) -> impl Iterator<Item = &Function> {
        self.modules.iter().flat_map(|module| module.functions.iter())
    }

    /// The enum called `name`.
    pub fn select(&self, name: &str) -> Option<&Select> {
        self.selects.iter().find(|select| select.name == name)
    }

    /// The module that holds the function called `name`.
    pub fn module_of(&self, function: &str) -> Option<&Module> {
        self.modules.iter().find(|module| module.functions.iter().any(|f| f.name == function))
    }
}

/// A `Select` option set, generated as a Rust enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Select {
    /// The enum's name (PascalCase).
    pub name: String,
    /// Its documentation.
    pub description: String,
    /// Its variants, in manifest order.
    pub options: Vec<SelectOption>,
}

/// One variant of a `Select` enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectOption {
    /// The value sent on the wire.
    pub value: String,
    /// The Rust variant name (PascalCase).
    pub variant: String,
    /// Its documentation, when the manifest gives one.
    pub description: Option<String>,
}

/// An object Intercom answers with, generated as a struct in `models`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// The struct's name (PascalCase).
    pub name: String,
    /// Its documentation.
    pub description: String,
    /// Its known members, in manifest order.
    pub members: Vec<Member>,
    /// Whether callers build it too: it then has a constructor and a chainable method per member.
    pub input: bool,
}

/// One member of a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The JSON member name.
    pub name: String,
    /// The Rust field name (snake_case).
    pub rust_name: String,
    /// What it holds (each item, for a list).
    pub ty: MemberType,
    /// Whether it is a list.
    pub list: bool,
    /// Whether it is always present and never `null` (not an `Option`).
    pub required: bool,
    /// Its documentation.
    pub description: String,
}

/// What a model's member holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberType {
    /// Text.
    String,
    /// An identifier: text, or a number taken as its text.
    Id,
    /// A 64-bit whole number.
    Integer,
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// Unix seconds, 64-bit.
    Timestamp,
    /// Any JSON value.
    Json,
    /// A JSON object of any members.
    Object,
    /// The named model.
    Model(String),
    /// The named value set.
    ValueSet(String),
}

/// A closed set of values, generated as an enum that keeps unknown values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueSet {
    /// The enum's name (PascalCase).
    pub name: String,
    /// Its documentation.
    pub description: String,
    /// The known values, in manifest order.
    pub options: Vec<SelectOption>,
}

/// What a function answers with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Returns {
    /// No model is declared: the JSON as it came.
    Json,
    /// Nothing of use (e.g. an empty `202`).
    Nothing,
    /// The named model; for a list function, `item` is the model of the items a stream yields.
    Model {
        /// The model of the whole answer.
        name: String,
        /// For a list function: the model of each item.
        item: Option<String>,
    },
}

/// The functions of one manifest file, generated as one Rust module.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    /// The module name (snake_case).
    pub name: String,
    /// The heading of its documentation.
    pub title: String,
    /// Its documentation.
    pub description: String,
    /// The manifest file it comes from.
    pub file: PathBuf,
    /// Its functions, in manifest order.
    pub functions: Vec<Function>,
}

/// One API function.
#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    /// The manifest (seed) name, e.g. `getSingleUser`.
    pub name: String,
    /// The method on `Client`, e.g. `get_single_user`.
    pub method_name: String,
    /// The builder type, e.g. `GetSingleUser`.
    pub builder_name: String,
    /// The static holding its wire description, e.g. `GET_SINGLE_USER`.
    pub static_name: String,
    /// One sentence saying what it does.
    pub description: String,
    /// Further documentation.
    pub notes: Option<String>,
    /// How it is authenticated.
    pub auth: Auth,
    /// Whether it may be sent again after a failure that may have reached Intercom.
    pub idempotent: bool,
    /// How to walk its pages, for list functions.
    pub paging: Option<Paging>,
    /// The `Intercom-Version` this function always sends, when it needs its own.
    pub intercom_version: Option<String>,
    /// What it answers with.
    pub returns: Returns,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The default path template.
    pub path: String,
    /// Constant query parameters, as text, sorted by name.
    pub query: Vec<(String, String)>,
    /// The constant body the arguments are added to.
    pub body: Option<Map<String, Value>>,
    /// The arguments, in manifest order.
    pub fields: Vec<Field>,
    /// Conditional rules between arguments.
    pub rules: Vec<Rule>,
}

impl Function {
    /// The arguments that become parameters of the Rust method.
    pub fn required_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|field| field.required)
    }

    /// The arguments that become setters of the builder.
    pub fn optional_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|field| !field.required)
    }
}

/// How a list function's pages are walked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paging {
    /// Follow `pages.next`; the items are under this key.
    Pages {
        /// The key of the items array.
        items: String,
    },
    /// Send `scroll_param` back as the argument `cursor` until a page is empty; the items are under `items`.
    Scroll {
        /// The key of the items array.
        items: String,
        /// The argument (manifest name) that carries the scroll parameter.
        cursor: String,
    },
}

/// One argument of a function.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The manifest (seed) name, e.g. `lastSeenIp`.
    pub name: String,
    /// The Rust parameter or setter name, e.g. `last_seen_ip`.
    pub rust_name: String,
    /// Its documentation.
    pub description: String,
    /// What values it takes.
    pub kind: Kind,
    /// Whether it must be given.
    pub required: bool,
    /// Whether it is hidden from `Debug` output and errors.
    pub secret: bool,
    /// A format each value (or each item) must have.
    pub format: Option<Format>,
    /// For lists: the largest number of items.
    pub max_items: Option<u64>,
    /// For a list of objects: the model of each item, which the typed setter takes.
    pub item_model: Option<String>,
    /// For numbers: the smallest value accepted.
    pub minimum: Option<f64>,
    /// For numbers: the largest value accepted.
    pub maximum: Option<f64>,
    /// The value sent when it is not given.
    pub default: Option<Value>,
    /// Where it goes in the request.
    pub placement: Placement,
    /// How it is reshaped before it is sent.
    pub transform: Option<Transform>,
}

/// What values an argument takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Text.
    String,
    /// A whole number.
    Integer,
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// Any JSON value.
    Json,
    /// A JSON object.
    JsonObject,
    /// A list of text.
    ListOfStrings,
    /// A list of JSON objects.
    ListOfObjects,
    /// A point in time, sent as Unix seconds.
    DateTime,
    /// One value of the named enum.
    Select(String),
}

/// A textual format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An absolute http(s) URL.
    Url,
    /// An email address.
    Email,
    /// An IP address.
    Ip,
}

/// Where an argument goes in the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// Fills the `{name}` placeholder of the path.
    Path,
    /// A query parameter with this name.
    Query(String),
    /// A member of the body at this path of keys.
    Body(Vec<String>),
    /// Identifier routing: the `Select` argument `by` decides where it goes.
    Routed(Route),
    /// Not sent: this `Select` decides the route of another argument.
    Selector,
}

/// Identifier routing of one argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The deciding `Select` argument (manifest name).
    pub by: String,
    /// One case per option, in the option order of the enum.
    pub cases: Vec<RouteCase>,
}

/// Where a routed argument goes for one option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteCase {
    /// The option's wire value.
    pub option: String,
    /// Where the argument goes.
    pub target: RouteTarget,
    /// Constant query parameters sent on this route only, before the arguments.
    pub query: Vec<(String, String)>,
    /// When the answer on this route is a list: the member holding the one item the function returns.
    pub answer_list: Option<String>,
}

/// The destination of a routed argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteTarget {
    /// This path template replaces the function's path; the argument fills its placeholder.
    Path(String),
    /// This query parameter.
    Query(String),
    /// This path of keys in the body.
    Body(Vec<String>),
    /// Refused with this explanation.
    Reject(String),
}

pub use crate::manifest::Transform;

/// A conditional rule between arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// When the rule applies.
    pub condition: Condition,
    /// Arguments that become required.
    pub require: Vec<String>,
    /// Arguments that must not be given.
    pub forbid: Vec<String>,
}

/// A test of a `Select` argument's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The argument tested (manifest name).
    pub field: String,
    /// The values tested for.
    pub values: Vec<String>,
    /// `true` when the condition holds if the value is *not* one of `values` (or absent).
    pub negated: bool,
}
