//! The manifest as written in `spec/*.json`.
//!
//! These are plain serde types that reject unknown keys; nothing here is checked beyond the JSON shape
//! (see [`crate::check`] for meaning). The JSON Schema published as `spec/manifest.schema.json` is
//! derived from these same types, so an editor and the generator always agree on what is allowed.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value};

/// One manifest file: shared `Select` option sets, functions of one API area, or both.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "intercom-rest manifest file")]
pub struct ManifestFile {
    /// Path or URL of this schema, for editors. Ignored by the generator.
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    /// The Rust module the functions of this file are generated into (snake_case, e.g. `users`).
    /// Required when the file declares functions.
    #[serde(default)]
    pub module: Option<String>,
    /// A short title of the area, used as the heading of the module's documentation.
    #[serde(default)]
    pub title: Option<String>,
    /// What the area covers; becomes the module's documentation.
    #[serde(default)]
    pub description: Option<String>,
    /// Named `Select` option sets that any function of any file can use with `"select": "<name>"`.
    #[serde(default)]
    pub selects: Vec<SelectSet>,
    /// The functions of this area, in the order they are documented.
    #[serde(default)]
    pub functions: Vec<Function>,
    /// Objects Intercom answers with, generated as structs in `intercom_rest::models` (usually declared in
    /// `spec/models/`).
    #[serde(default)]
    pub models: Vec<Model>,
    /// Closed sets of values Intercom answers with, generated as enums in `intercom_rest::models` that keep a
    /// value this client does not know instead of failing.
    #[serde(default)]
    pub value_sets: Vec<ValueSet>,
    /// Webhook topics and the model of their notifications' item, generated as the enum
    /// `intercom_rest::models::WebhookItem` (which keeps topics this client does not know).
    #[serde(default)]
    pub topics: Vec<Topic>,
    /// Triggers: list functions polled for what is new or updated, generated as `Client` methods that return a
    /// stream of the items.
    #[serde(default)]
    pub triggers: Vec<Trigger>,
}

/// A webhook topic.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    /// The topic exactly as Intercom names it, e.g. `user.created`.
    pub name: String,
    /// The model of a notification's `data.item` for this topic, e.g. `User`.
    pub item: String,
    /// What happened; becomes the variant's documentation.
    pub description: String,
    /// The variant's name when the PascalCase form of `name` is not a good one.
    #[serde(default)]
    pub rust_name: Option<String>,
}

/// A trigger: a list function polled for the items that are new (or updated) since the last poll.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// The name in camelCase, e.g. `newUsers`. The `Client` method is its snake_case form.
    pub name: String,
    /// What it yields; becomes the method's documentation.
    pub description: String,
    /// The list function polled (a paged function whose items are a model).
    pub function: String,
    /// Arguments of the list function, by manifest name, sent with every poll. They must make the list come
    /// newest first by `since`, e.g. `{"sort": "created_at", "order": "desc"}`.
    #[serde(default)]
    pub arguments: BTreeMap<String, Value>,
    /// The member of an item that identifies it.
    #[serde(default = "default_id_member")]
    pub id: String,
    /// The `Timestamp` member of an item that decides what is new, e.g. `created_at` (or `updated_at` for a
    /// trigger of updates).
    pub since: String,
    /// The Rust method name when the snake_case form of `name` is not a good one.
    #[serde(default)]
    pub rust_name: Option<String>,
}

fn default_id_member() -> String {
    "id".to_owned()
}

/// An object Intercom answers with. Every member is optional (`None` when Intercom leaves it out or sends
/// `null`) unless it is `required`; members Intercom sends that the model does not declare are kept too.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// The struct's name in PascalCase, e.g. `User`.
    pub name: String,
    /// What the object is; becomes the struct's documentation.
    pub description: String,
    /// The members the client knows, in the order Intercom documents them.
    pub members: Vec<Member>,
    /// Whether callers build it too (the items of an argument): the struct then gets a constructor and a
    /// chainable method per member.
    #[serde(default)]
    pub input: bool,
}

/// One member of a model.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// The member's name exactly as in Intercom's JSON, e.g. `custom_attributes`.
    pub name: String,
    /// `String`, `Id` (text or a number, kept as text), `Integer` (64-bit), `Number`, `Boolean`, `Timestamp`
    /// (Unix seconds, 64-bit), `JSON` (any value), `Object` (a JSON object), or the name of a model or value set.
    #[serde(rename = "type")]
    pub ty: String,
    /// A list of `type`.
    #[serde(default)]
    pub list: bool,
    /// Always present and never `null`: the field is not an `Option`. A body without it does not decode.
    #[serde(default)]
    pub required: bool,
    /// What the member means; becomes the field's documentation.
    pub description: String,
    /// The Rust field name when the member's name is not a good one (e.g. `type`, a keyword).
    #[serde(default)]
    pub rust_name: Option<String>,
}

/// A closed set of values of a model's member, e.g. a conversation's `state`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueSet {
    /// The enum's name in PascalCase, e.g. `ConversationState`.
    pub name: String,
    /// What the values are; becomes the enum's documentation.
    pub description: String,
    /// The known values, in the order they are documented.
    pub values: Vec<SelectOption>,
}

/// A named set of allowed values, generated as one Rust enum shared by every field that uses it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SelectSet {
    /// The enum's name in PascalCase, e.g. `UserIdType`.
    pub name: String,
    /// What the values choose between; becomes the enum's documentation.
    pub description: String,
    /// The allowed values, in the order they are documented.
    pub options: Vec<SelectOption>,
}

/// One allowed value of a `Select`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SelectOption {
    /// The value exactly as it is sent to Intercom, e.g. `intercom_id`.
    pub value: String,
    /// What the value means; becomes the variant's documentation.
    #[serde(default)]
    pub description: Option<String>,
    /// The variant's name when the PascalCase form of `value` is not a good one.
    #[serde(default)]
    pub rust_name: Option<String>,
}

/// One function of the API: its arguments and how they are sent.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Function {
    /// The seed name in camelCase, e.g. `createUserByEmail`. The Rust method is its snake_case form.
    pub name: String,
    /// One sentence saying what the function does.
    pub description: String,
    /// Further documentation, e.g. how this differs from the original package.
    #[serde(default)]
    pub notes: Option<String>,
    /// The Rust method name when the snake_case form of `name` is not a good one.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// How the call is authenticated. Defaults to the client's bearer token.
    #[serde(default)]
    pub auth: Auth,
    /// Whether sending the request twice has the same effect as sending it once, so that it may be retried
    /// after a timeout or a server error. Defaults to `true` for `GET`, `PUT` and `DELETE` and `false` for
    /// `POST`; mark the `POST`s that upsert (e.g. on `/users`) `true`. A `POST` that creates is never retried
    /// once it may have reached Intercom.
    #[serde(default)]
    pub idempotent: Option<bool>,
    /// The model Intercom answers with, e.g. `User`, or `nothing` when the answer carries nothing of use (an
    /// empty `202`). For a list function, the model of the whole page: its `paging.items` member is the list
    /// of items a stream yields.
    #[serde(default)]
    pub returns: Option<String>,
    /// For list functions: how to walk every page, so that the client can stream the items.
    #[serde(default)]
    pub paging: Option<Paging>,
    /// The API version this function needs, sent as `Intercom-Version` whatever the client's version is, e.g.
    /// `"2.1"` for an endpoint Intercom serves only from 2.1. Every other function sends the client's version.
    #[serde(default)]
    pub intercom_version: Option<String>,
    /// The HTTP request the function makes.
    pub http: Http,
    /// The arguments, in the order they are documented. `accessToken` is never listed: it belongs to the client.
    #[serde(default)]
    pub fields: Vec<Field>,
    /// Conditional rules between arguments, checked before anything is sent.
    #[serde(default)]
    pub rules: Vec<Rule>,
}

/// How a list function's pages are walked.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Paging {
    /// `pages` follows the absolute URL in `pages.next` until it is absent; `scroll` sends the response's
    /// `scroll_param` back as the `cursor` argument until a page comes back empty.
    pub style: PagingStyle,
    /// The key of the response's array of items, e.g. `users`.
    pub items: String,
    /// For `scroll`: the argument that carries the `scroll_param` of the previous page.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// How pages follow each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PagingStyle {
    /// Numbered pages: each response's `pages.next` is the URL of the next one.
    Pages,
    /// Intercom's scroll API: each response's `scroll_param` asks for the next page; an empty page ends it.
    Scroll,
}

/// How a call is authenticated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Auth {
    /// `Authorization: Bearer <token>` with the client's access token.
    #[default]
    Bearer,
    /// No `Authorization` header (the OAuth token exchange).
    None,
}

/// The HTTP request of a function.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Http {
    /// The HTTP method. `GET` and `DELETE` send arguments in the query by default, `POST` and `PUT` in a JSON body.
    pub method: HttpMethod,
    /// The path, with `{fieldName}` placeholders filled from `"in": "path"` fields, e.g. `/tags/{tagId}`.
    pub path: String,
    /// Constant query parameters sent with every call, e.g. `{"type": "user"}`.
    #[serde(default)]
    pub query: BTreeMap<String, Value>,
    /// A constant JSON body that the arguments are added to, e.g. `{"type": "admin", "message_type": "close"}`.
    #[serde(default)]
    pub body: Option<Map<String, Value>>,
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum HttpMethod {
    /// Reads; arguments go in the query.
    #[serde(rename = "GET")]
    Get,
    /// Creates or updates; arguments go in a JSON body.
    #[serde(rename = "POST")]
    Post,
    /// Updates; arguments go in a JSON body.
    #[serde(rename = "PUT")]
    Put,
    /// Deletes; arguments go in the query.
    #[serde(rename = "DELETE")]
    Delete,
}

/// One argument of a function.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The seed name in camelCase, e.g. `lastSeenIp`. This is the name used when calling by name.
    pub name: String,
    /// The type, as the seeds name it.
    #[serde(rename = "type")]
    pub ty: FieldType,
    /// For `List`: the type of each item.
    #[serde(default)]
    pub items: Option<ItemType>,
    /// For `Select`: the name of a shared option set declared under `selects`.
    #[serde(default)]
    pub select: Option<String>,
    /// For `Select`: options used by this field only (the enum is named after the function and field).
    #[serde(default)]
    pub options: Option<Vec<SelectOption>>,
    /// Whether the call is rejected without it. Required arguments become parameters of the Rust method.
    #[serde(default)]
    pub required: bool,
    /// What the argument means; becomes the documentation of its parameter or setter.
    pub description: String,
    /// A format the value must have.
    #[serde(default)]
    pub format: Option<Format>,
    /// For `List`: the largest number of items allowed.
    #[serde(default)]
    pub max_items: Option<u64>,
    /// For a `List` of `JSON`: the model each item has (an `input` model). The typed setter takes these
    /// structs; a call by name still gives JSON objects.
    #[serde(default)]
    pub model: Option<String>,
    /// For `Number`: the smallest value accepted (a whole number when `"format": "integer"`).
    #[serde(default)]
    pub minimum: Option<f64>,
    /// For `Number`: the largest value accepted (a whole number when `"format": "integer"`).
    #[serde(default)]
    pub maximum: Option<f64>,
    /// The value sent when the argument is not given.
    #[serde(default)]
    pub default: Option<Value>,
    /// Whether the value is a secret that must never appear in `Debug` output or errors. `credentials` always are.
    #[serde(default)]
    pub secret: bool,
    /// The Rust parameter or setter name when the snake_case form of `name` is not a good one.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// Where the value goes. Defaults to `query` for `GET`/`DELETE` and `body` for `POST`/`PUT`.
    #[serde(rename = "in", default)]
    pub placement: Option<Placement>,
    /// The wire name: a query parameter, or a dotted path into the body such as `contact.user_id`.
    /// Defaults to the snake_case form of `name`. Not used with `"in": "path"`.
    #[serde(default)]
    pub wire: Option<String>,
    /// Identifier routing: another `Select` argument decides where this value goes.
    #[serde(default)]
    pub route: Option<Route>,
    /// How the value is reshaped before it is sent.
    #[serde(default)]
    pub transform: Option<Transform>,
}

/// The type of an argument, named as in the seed documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum FieldType {
    /// Text.
    String,
    /// A number; accepted as a JSON number or numeric text and always sent as a number.
    Number,
    /// `true` or `false`; also accepted as the text `"true"`/`"false"`.
    Boolean,
    /// A JSON value (an object when `"format": "object"`); also accepted as JSON text.
    #[serde(rename = "JSON")]
    Json,
    /// A list; see `items`. A list of `String` is also accepted as comma-separated text.
    List,
    /// A point in time: Unix seconds, RFC 3339 or `YYYY-MM-DD HH:MM:SS` (UTC); always sent as Unix seconds.
    DatePicker,
    /// One of a fixed set of values; see `select` or `options`.
    Select,
    /// A credential such as a client secret: text that is never shown in `Debug` output or errors.
    #[serde(rename = "credentials")]
    Credentials,
}

/// The type of the items of a `List`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum ItemType {
    /// Each item is text.
    String,
    /// Each item is a JSON object.
    #[serde(rename = "JSON")]
    Json,
}

/// A format a value must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// An absolute `http` or `https` URL (each item, for a list).
    Url,
    /// An email address (each item, for a list).
    Email,
    /// An IPv4 or IPv6 address.
    Ip,
    /// A JSON object (for `JSON`).
    Object,
    /// A whole number (for `Number`).
    Integer,
}

/// Where an argument goes in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Placement {
    /// Fills the `{name}` placeholder of the path, percent-encoded as one segment.
    Path,
    /// A form-encoded query parameter.
    Query,
    /// A member of the JSON body.
    Body,
}

/// Identifier routing: the value of the `Select` argument `by` decides where this argument goes.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// The `Select` argument that decides the route; it is not sent itself.
    pub by: String,
    /// One case for every option of `by`.
    pub cases: BTreeMap<String, RouteCase>,
}

/// Where a routed argument goes for one option of its selector: exactly one of `path`, `query`, `body` and
/// `reject`, and constant query parameters of this route.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteCase {
    /// Use this path instead of `http.path`; it must contain the routed argument's placeholder.
    #[serde(default)]
    pub path: Option<String>,
    /// Send the value as this query parameter.
    #[serde(default)]
    pub query: Option<String>,
    /// Send the value at this dotted path in the body.
    #[serde(default)]
    pub body: Option<String>,
    /// Refuse this option with this explanation; nothing is sent.
    #[serde(default)]
    pub reject: Option<String>,
    /// Constant query parameters sent on this route only, before the arguments, e.g. `{"type": "user"}`
    /// (where `http.query` would send them on every route).
    #[serde(default)]
    pub constant_query: BTreeMap<String, Value>,
    /// On this route Intercom answers a list instead of one object (e.g. `GET /users?email=` answers a
    /// `user.list`): the function still returns its model, the one item of this member of the list; none is
    /// `NotFound`, several are a `Conflict`.
    #[serde(default)]
    pub answer_list: Option<String>,
}

/// How a value is reshaped before it is sent.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Transform {
    /// A URL becomes `{"type": "avatar", "image_url": <url>}`.
    Avatar,
    /// Every object of the list gets `"untag": true`.
    Untag,
    /// A list of ids becomes `{"type": "<kind>.list", "<kind>s": [{"id": <id>}, ...]}`, e.g. with kind `tag`.
    IdList(String),
}

/// A conditional rule: when `if` holds, `then` applies.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The condition, on a `Select` argument.
    #[serde(rename = "if")]
    pub condition: Condition,
    /// What the condition implies.
    pub then: Consequence,
}

/// A condition on the value of a `Select` argument. Give exactly one of `in` and `not_in`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The `Select` argument tested.
    pub field: String,
    /// Holds when the argument is one of these values.
    #[serde(rename = "in", default)]
    pub is_in: Option<Vec<String>>,
    /// Holds when the argument is absent or not one of these values.
    #[serde(default)]
    pub not_in: Option<Vec<String>>,
}

/// What a rule implies when its condition holds.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Consequence {
    /// These optional arguments become required.
    #[serde(default)]
    pub require: Vec<String>,
    /// These arguments must not be given.
    #[serde(default)]
    pub forbid: Vec<String>,
}

/// The JSON Schema of a manifest file, as published in `spec/manifest.schema.json`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(ManifestFile);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
