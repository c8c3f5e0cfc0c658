//! The wire description of every function, as generated from the manifest.
//!
//! Each function of the manifest becomes a `static` [`Function`] (next to its builder, in the module of
//! its area), built with the `const` constructors below so that it reads like the manifest entry it comes
//! from. The request planner (`plan`, private) reads these descriptions to check arguments and lay out the
//! request, for typed calls and calls by name alike, so both always behave the same. Tools read them too:
//! [`crate::functions`] lists them all.
//!
//! The types are `#[non_exhaustive]`: their fields can be read, but only the generated code builds them.

/// How one function maps onto HTTP: its arguments, their rules and where each one goes.
#[derive(Debug)]
#[non_exhaustive]
pub struct Function {
    /// The manifest name, e.g. `getSingleUser`. Calls by name use it.
    pub name: &'static str,
    /// The name of the method on [`crate::Client`], e.g. `get_single_user`.
    pub method_name: &'static str,
    /// One sentence saying what the function does.
    pub description: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template; `{name}` placeholders are filled from [`Placement::Path`] arguments.
    pub path: &'static str,
    /// How the call is authenticated.
    pub auth: Auth,
    /// Whether sending the request twice has the effect of sending it once, so that it may be retried after a
    /// failure that may have reached Intercom (a timeout, a server error). `POST`s that create are not.
    pub idempotent: bool,
    /// How to walk the pages of a list function.
    pub paging: Option<Paging>,
    /// The model Intercom answers with; `None` when the manifest declares none (the answer is plain JSON).
    pub returns: Option<Returns>,
    /// The `Intercom-Version` this function always sends (an endpoint Intercom serves only from that version);
    /// `None` for the client's own.
    pub intercom_version: Option<&'static str>,
    /// Query parameters sent with every call.
    pub query: &'static [(&'static str, &'static str)],
    /// The constant JSON body that arguments are added to, if any.
    pub body: Option<&'static [(&'static str, Constant)]>,
    /// The arguments, in manifest order.
    pub fields: &'static [Field],
    /// Conditional rules between arguments.
    pub rules: &'static [Rule],
}

// Which of these constructors the generated code calls depends on the manifest.
#[allow(dead_code)]
impl Function {
    pub(crate) const fn new(
        name: &'static str,
        method_name: &'static str,
        description: &'static str,
        method: Method,
        path: &'static str,
    ) -> Self {
        Function {
            name,
            method_name,
            description,
            method,
            path,
            auth: Auth::Bearer,
            idempotent: !matches!(method, Method::Post),
            paging: None,
            returns: None,
            intercom_version: None,
            query: &[],
            body: None,
            fields: &[],
            rules: &[],
        }
    }

    pub(crate) const fn auth(self, auth: Auth) -> Self {
        Function { auth, ..self }
    }

    pub(crate) const fn idempotent(self, idempotent: bool) -> Self {
        Function { idempotent, ..self }
    }

    pub(crate) const fn paging(self, paging: Paging) -> Self {
        Function { paging: Some(paging), ..self }
    }

    pub(crate) const fn query(self, query: &'static [(&'static str, &'static str)]) -> Self {
        Function { query, ..self }
    }

    pub(crate) const fn returns(self, returns: Returns) -> Self {
        Function { returns: Some(returns), ..self }
    }

    pub(crate) const fn intercom_version(self, version: &'static str) -> Self {
        Function { intercom_version: Some(version), ..self }
    }

    pub(crate) const fn body(self, body: &'static [(&'static str, Constant)]) -> Self {
        Function { body: Some(body), ..self }
    }

    pub(crate) const fn fields(self, fields: &'static [Field]) -> Self {
        Function { fields, ..self }
    }

    pub(crate) const fn rules(self, rules: &'static [Rule]) -> Self {
        Function { rules, ..self }
    }

    /// The argument called `name` (manifest name).
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|field| field.name == name)
    }
}

/// Whether an argument value counts as not given: absent from the arguments, `null`, `""` or `[]`. Such an
/// optional argument is left out of the request entirely, and such a required one is missing. Tools that read
/// arguments by name (like `intercom-gen snippet`) use this rule to stay in step with the client.
pub fn is_blank(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Null => true,
        serde_json::Value::String(text) => text.is_empty(),
        serde_json::Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// The model a function answers with.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Returns {
    /// The model's name in [`crate::models`], e.g. `User`; `nothing` for an answer that carries nothing of use.
    pub model: &'static str,
    reencode: fn(&'static str, &str) -> Result<String, crate::DecodeError>,
}

// Which of these constructors the generated code calls depends on the manifest.
#[allow(dead_code)]
impl Returns {
    pub(crate) const fn new(
        model: &'static str,
        reencode: fn(&'static str, &str) -> Result<String, crate::DecodeError>,
    ) -> Self {
        Returns { model, reencode }
    }

    /// Decodes a JSON answer into the model and encodes the model again: what a typed call gives, as JSON (a
    /// `null` member may come back absent, an id sent as a number comes back as text).
    ///
    /// # Errors
    ///
    /// When `json` does not have the model's shape: where, and what was expected.
    pub fn reencode(&self, json: &str) -> Result<String, crate::DecodeError> {
        (self.reencode)(self.model, json)
    }
}

/// How the pages of a list function are walked (see [`crate::ItemStream`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Paging {
    /// Numbered pages: each response's `pages.next` is the URL of the next page, absent on the last.
    Pages {
        /// The key of the response's array of items, e.g. `users`.
        items: &'static str,
    },
    /// Intercom's scroll API: each response's `scroll_param` is sent back as the argument `cursor` to get the
    /// next page; an empty page ends the scroll.
    Scroll {
        /// The key of the response's array of items.
        items: &'static str,
        /// The argument (manifest name) that carries the `scroll_param`.
        cursor: &'static str,
    },
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method as it is written in a request line.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a call is authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Auth {
    /// `Authorization: Bearer` with the client's token (or the `accessToken` argument of a call by name).
    Bearer,
    /// No `Authorization` header.
    None,
}

/// One argument of a function.
#[derive(Debug)]
#[non_exhaustive]
pub struct Field {
    /// The manifest name, e.g. `lastSeenIp`. Calls by name use it.
    pub name: &'static str,
    /// The Rust parameter or setter name, e.g. `last_seen_ip`.
    pub rust_name: &'static str,
    /// What the argument means.
    pub description: &'static str,
    /// The values it takes.
    pub kind: Kind,
    /// Whether the call is refused without it.
    pub required: bool,
    /// Whether its value is kept out of `Debug` output and errors.
    pub secret: bool,
    /// A format each value (each item, for a list) must have.
    pub format: Option<Format>,
    /// For lists: the largest number of items.
    pub max_items: Option<usize>,
    /// For numbers: the smallest value accepted.
    pub minimum: Option<f64>,
    /// For numbers: the largest value accepted.
    pub maximum: Option<f64>,
    /// The value sent when it is not given.
    pub default: Option<Constant>,
    /// Where it goes in the request.
    pub placement: Placement,
    /// How it is reshaped before it is sent.
    pub transform: Option<Transform>,
}

// Which of these constructors the generated code calls depends on the manifest.
#[allow(dead_code)]
impl Field {
    pub(crate) const fn new(
        name: &'static str,
        rust_name: &'static str,
        kind: Kind,
        description: &'static str,
        placement: Placement,
    ) -> Self {
        Field {
            name,
            rust_name,
            description,
            kind,
            required: false,
            secret: false,
            format: None,
            max_items: None,
            minimum: None,
            maximum: None,
            default: None,
            placement,
            transform: None,
        }
    }

    pub(crate) const fn required(self) -> Self {
        Field { required: true, ..self }
    }

    pub(crate) const fn secret(self) -> Self {
        Field { secret: true, ..self }
    }

    pub(crate) const fn format(self, format: Format) -> Self {
        Field { format: Some(format), ..self }
    }

    pub(crate) const fn max_items(self, max_items: usize) -> Self {
        Field { max_items: Some(max_items), ..self }
    }

    pub(crate) const fn minimum(self, minimum: f64) -> Self {
        Field { minimum: Some(minimum), ..self }
    }

    pub(crate) const fn maximum(self, maximum: f64) -> Self {
        Field { maximum: Some(maximum), ..self }
    }

    pub(crate) const fn default_value(self, default: Constant) -> Self {
        Field { default: Some(default), ..self }
    }

    pub(crate) const fn transform(self, transform: Transform) -> Self {
        Field { transform: Some(transform), ..self }
    }
}

/// The values an argument takes, and how a call by name may give them.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Kind {
    /// Text. A number given by name is taken as its decimal text.
    String,
    /// A whole number, given as a JSON number or numeric text.
    Integer,
    /// A number, given as a JSON number or numeric text.
    Number,
    /// `true`/`false`, or the text `"true"`/`"false"`.
    Boolean,
    /// Any JSON value; text holding JSON is parsed.
    Json,
    /// A JSON object; text holding a JSON object is parsed.
    JsonObject,
    /// A list of text, given as a JSON array or as comma-separated text.
    ListOfStrings,
    /// A list of JSON objects; text holding such an array is parsed.
    ListOfObjects,
    /// A point in time: Unix seconds, RFC 3339, or `YYYY-MM-DD HH:MM:SS` (UTC). Sent as Unix seconds.
    DateTime,
    /// One value of a `Select` option set.
    Select(Select),
}

/// A `Select` option set: the name of its Rust enum and the values it allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Select {
    /// The enum's name, e.g. `UserIdType`.
    pub name: &'static str,
    /// The allowed wire values, in manifest order.
    pub values: &'static [&'static str],
    /// The enum's variant for each value, in the same order, e.g. `IntercomId` for `intercom_id`.
    pub variants: &'static [&'static str],
}

// Which of these constructors the generated code calls depends on the manifest.
#[allow(dead_code)]
impl Select {
    pub(crate) const fn new(
        name: &'static str,
        values: &'static [&'static str],
        variants: &'static [&'static str],
    ) -> Self {
        Select { name, values, variants }
    }

    /// The variant of the enum for a wire value.
    pub fn variant(&self, value: &str) -> Option<&'static str> {
        let index = self.values.iter().position(|known| *known == value)?;
        self.variants.get(index).copied()
    }
}

/// A format a textual value must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// An absolute `http` or `https` URL.
    Url,
    /// An email address.
    Email,
    /// An IPv4 or IPv6 address.
    Ip,
}

/// Where an argument goes in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Placement {
    /// Fills the `{name}` placeholder of the path, percent-encoded as one segment.
    Path,
    /// A form-encoded query parameter with this name.
    Query(&'static str),
    /// A member of the JSON body at this path of keys.
    Body(&'static [&'static str]),
    /// Identifier routing: the `Select` argument `by` decides where the value goes.
    Routed {
        /// The deciding argument (manifest name).
        by: &'static str,
        /// One case per option of `by`.
        cases: &'static [RouteCase],
    },
    /// Not sent: decides the route of another argument.
    Selector,
}

/// Where a routed argument goes for one option of its selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RouteCase {
    /// The selector's wire value.
    pub option: &'static str,
    /// Where the value goes.
    pub target: RouteTarget,
    /// Constant query parameters sent on this route only, before the arguments.
    pub query: &'static [(&'static str, &'static str)],
    /// When Intercom answers a list on this route: the member holding the one item the function returns.
    pub answer_list: Option<&'static str>,
}

// Which of these constructors the generated code calls depends on the manifest.
#[allow(dead_code)]
impl RouteCase {
    pub(crate) const fn new(option: &'static str, target: RouteTarget) -> Self {
        RouteCase { option, target, query: &[], answer_list: None }
    }

    pub(crate) const fn answer_list(self, key: &'static str) -> Self {
        RouteCase { answer_list: Some(key), ..self }
    }

    pub(crate) const fn query(self, query: &'static [(&'static str, &'static str)]) -> Self {
        RouteCase { query, ..self }
    }
}

/// The destination of a routed argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RouteTarget {
    /// This path template replaces the function's path, and the value fills its placeholder.
    Path(&'static str),
    /// This query parameter.
    Query(&'static str),
    /// This path of keys in the body.
    Body(&'static [&'static str]),
    /// The option is refused, for this reason.
    Reject(&'static str),
}

/// How a value is reshaped before it is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Transform {
    /// A URL becomes `{"type": "avatar", "image_url": <url>}`.
    Avatar,
    /// Every object of the list gets `"untag": true`.
    Untag,
    /// A list of ids becomes `{"type": "<kind>.list", "<kind>s": [{"id": <id>}, ...]}`.
    IdList(&'static str),
}

/// A conditional rule: when the condition holds, some arguments become required or forbidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Rule {
    /// When the rule applies.
    pub condition: Condition,
    /// Arguments that must be given when it applies.
    pub require: &'static [&'static str],
    /// Arguments that must not be given when it applies.
    pub forbid: &'static [&'static str],
}

// Which of these constructors the generated code calls depends on the manifest.
#[allow(dead_code)]
impl Rule {
    pub(crate) const fn new(
        condition: Condition,
        require: &'static [&'static str],
        forbid: &'static [&'static str],
    ) -> Self {
        Rule { condition, require, forbid }
    }
}

/// A test of a `Select` argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Condition {
    /// The argument tested (manifest name).
    pub field: &'static str,
    /// The values tested for.
    pub values: &'static [&'static str],
    /// When `true`, the condition holds if the argument is absent or not one of `values`.
    pub negated: bool,
}

// Which of these constructors the generated code calls depends on the manifest.
#[allow(dead_code)]
impl Condition {
    /// Holds when `field` is one of `values`.
    pub(crate) const fn is_in(field: &'static str, values: &'static [&'static str]) -> Self {
        Condition { field, values, negated: false }
    }

    /// Holds when `field` is absent or not one of `values`.
    pub(crate) const fn not_in(field: &'static str, values: &'static [&'static str]) -> Self {
        Condition { field, values, negated: true }
    }
}

/// A constant JSON value written in a `static`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Constant {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A number with a fraction.
    Float(f64),
    /// Text.
    Str(&'static str),
    /// An array.
    List(&'static [Constant]),
    /// An object, members in manifest order.
    Object(&'static [(&'static str, Constant)]),
}

impl Constant {
    /// The value as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match *self {
            Constant::Null => Value::Null,
            Constant::Bool(flag) => Value::Bool(flag),
            Constant::Int(number) => Value::from(number),
            Constant::Float(number) => serde_json::Number::from_f64(number).map_or(Value::Null, Value::Number),
            Constant::Str(text) => Value::from(text),
            Constant::List(items) => Value::Array(items.iter().map(Constant::to_json).collect()),
            Constant::Object(members) => Value::Object(object(members)),
        }
    }
}

/// The members of a constant object as a JSON map.
pub(crate) fn object(members: &[(&'static str, Constant)]) -> serde_json::Map<String, serde_json::Value> {
    members.iter().map(|(key, value)| ((*key).to_owned(), value.to_json())).collect()
}

/// A trigger: a list function polled for the items that are new (or updated) since the last poll.
#[derive(Debug)]
#[non_exhaustive]
pub struct Trigger {
    /// The manifest name, e.g. `newUsers`.
    pub name: &'static str,
    /// The `Client` method, e.g. `new_users`.
    pub method_name: &'static str,
    /// What it yields.
    pub description: &'static str,
    /// The list function polled; its pages come newest first with the `arguments`.
    pub function: &'static Function,
    /// Arguments of the list function sent with every poll, by manifest name.
    pub arguments: &'static [(&'static str, Constant)],
    /// The member that identifies an item, e.g. `id`.
    pub id: &'static str,
    /// The timestamp member that decides what is new, e.g. `created_at`.
    pub since: &'static str,
}

// Which of these constructors the generated code calls depends on the manifest.
#[allow(dead_code)]
impl Trigger {
    pub(crate) const fn new(
        name: &'static str,
        method_name: &'static str,
        description: &'static str,
        function: &'static Function,
        id: &'static str,
        since: &'static str,
    ) -> Self {
        Trigger { name, method_name, description, function, arguments: &[], id, since }
    }

    pub(crate) const fn arguments(self, arguments: &'static [(&'static str, Constant)]) -> Self {
        Trigger { arguments, ..self }
    }
}
