//! Errors: every failure is a value that says which function, which argument, and what went wrong.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::wire::{Format, Select};

/// Everything that can go wrong when calling Intercom. Every case names the function called.
///
/// Intercom's error answers are sorted into the cases callers act on ([`Error::NotFound`],
/// [`Error::Unauthorized`], [`Error::Conflict`], [`Error::ScrollExists`], [`Error::RateLimited`]); the rest are
/// [`Error::Api`]. All of them keep the whole [`ApiError`]: status, `request_id` and every entry of `error.list`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The arguments were refused before anything was sent.
    #[error(transparent)]
    InvalidArguments(#[from] InvalidArguments),

    /// A call by name named no function of the manifest.
    #[error("unknown function `{name}`{}", suggestion_text(*suggestion))]
    UnknownFunction {
        /// The name given.
        name: String,
        /// The closest function name, when one is close.
        suggestion: Option<&'static str>,
    },

    /// A stream was asked of a function that is not a list.
    #[error("`{function}` is not a list function: it has no pages to stream")]
    NotAList {
        /// The function named.
        function: &'static str,
    },

    /// What was asked for does not exist (404, or a `*_not_found` code).
    #[error("{0}")]
    NotFound(Box<ApiError>),

    /// The access token was refused: missing, invalid, revoked, expired… (401, or a `token_*` code).
    #[error("{0}")]
    Unauthorized(Box<ApiError>),

    /// The request conflicts with existing data, e.g. several users share the email given (409, `conflict`).
    #[error("{0}")]
    Conflict(Box<ApiError>),

    /// A scroll is already open for this app (Intercom allows one; it expires a minute after its last use).
    #[error(
        "{0}: Intercom allows one open scroll per app; wait for the other to end or expire (a minute after its last page)"
    )]
    ScrollExists(Box<ApiError>),

    /// Intercom's rate limit was reached, and waiting for its reset was not allowed or would take too long.
    #[error("{function}: {}{}", rate_limited_by(error.is_some()), reset_text(*reset_at))]
    RateLimited {
        /// The function called.
        function: &'static str,
        /// When the limit resets, as Intercom said.
        reset_at: Option<SystemTime>,
        /// Intercom's answer; `None` when the client held the request back itself, the limit being spent.
        error: Option<Box<ApiError>>,
    },

    /// Intercom answered with another error status.
    #[error("{0}")]
    Api(Box<ApiError>),

    /// No answer came in time (the client's request timeout).
    #[error("{function}: no answer in time")]
    Timeout {
        /// The function called.
        function: &'static str,
        /// The transport's error, without URL.
        #[source]
        source: reqwest::Error,
    },

    /// No connection could be made, so the request was not sent.
    #[error("{function}: cannot connect to Intercom")]
    Connection {
        /// The function called.
        function: &'static str,
        /// The transport's error, without URL.
        #[source]
        source: reqwest::Error,
    },

    /// The exchange failed after the connection was made (e.g. it was reset), or the body could not be read.
    #[error("{function}: the request failed")]
    Transport {
        /// The function called.
        function: &'static str,
        /// The transport's error, without URL.
        #[source]
        source: reqwest::Error,
    },

    /// Intercom answered with a success status but a body that is not JSON.
    #[error("{function}: Intercom answered {status} with a body that is not JSON ({} bytes)", body.len())]
    UndecodableResponse {
        /// The function called.
        function: &'static str,
        /// The HTTP status.
        status: u16,
        /// The body as received (lossily decoded as UTF-8).
        body: String,
    },

    /// Intercom answered with JSON that does not have the shape of the function's model (a member of another
    /// type, a required member missing). The body is kept, so nothing is lost.
    #[error("{0}")]
    Decode(Box<DecodeError>),

    /// Intercom answered with a redirect (`3xx`). Intercom's API never redirects, so none is followed: the
    /// request, its token and its body go nowhere but the base URL.
    #[error("{function}: the server answered {status} redirecting to {}; redirects are not followed", location_text(location.as_deref()))]
    Redirect {
        /// The function called.
        function: &'static str,
        /// The HTTP status, e.g. 301.
        status: u16,
        /// Where the redirect pointed (its `Location` header), shortened when long.
        location: Option<String>,
    },

    /// The response body was larger than the client accepts.
    #[error("{function}: Intercom's answer ({status}) is larger than the {limit} bytes this client accepts")]
    ResponseTooLarge {
        /// The function called.
        function: &'static str,
        /// The HTTP status.
        status: u16,
        /// The client's limit, in bytes.
        limit: usize,
    },

    /// A page of a stream did not have the shape of the function's list.
    #[error("{function}: unexpected page: {detail}")]
    UnexpectedPage {
        /// The function streamed.
        function: &'static str,
        /// What was wrong with it.
        detail: String,
    },

    /// A stream was led back to a page it had already read; it stops instead of looping.
    #[error("{function}: the next page was already read (a repeated cursor); the stream stops here")]
    RepeatedCursor {
        /// The function streamed.
        function: &'static str,
    },

    /// The call needs an access token and neither the client nor the call has one.
    #[error("{function}: no access token: set one on the client, or give `accessToken` when calling by name")]
    MissingAccessToken {
        /// The function called.
        function: &'static str,
    },

    /// A trigger could not read or save its position.
    #[error("{trigger}: cannot keep the trigger's position: {detail}")]
    Cursor {
        /// The trigger, e.g. `newUsers`.
        trigger: &'static str,
        /// What went wrong.
        detail: String,
    },

    /// The client could not be built as configured.
    #[error("invalid client configuration: {0}")]
    Config(String),
}

impl Error {
    /// Whether the same request may succeed if sent again later: rate limits, timeouts, connection failures
    /// and server errors (5xx, 408). The client retries these itself where it is safe (see
    /// [`crate::RetryPolicy`]); this tells what is left when it gave up.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RateLimited { .. } | Error::Timeout { .. } | Error::Connection { .. } => true,
            // A request the HTTP library refused to build was never sent and never will be.
            Error::Transport { source, .. } => !source.is_builder(),
            Error::Api(error) => error.status == 408 || (500..600).contains(&error.status),
            _ => false,
        }
    }

    /// The function called, when the error concerns one.
    pub fn function(&self) -> Option<&'static str> {
        match self {
            Error::InvalidArguments(invalid) => Some(invalid.function()),
            Error::NotFound(error)
            | Error::Unauthorized(error)
            | Error::Conflict(error)
            | Error::ScrollExists(error)
            | Error::Api(error) => Some(error.function),
            Error::NotAList { function }
            | Error::RateLimited { function, .. }
            | Error::Timeout { function, .. }
            | Error::Connection { function, .. }
            | Error::Transport { function, .. }
            | Error::UndecodableResponse { function, .. }
            | Error::ResponseTooLarge { function, .. }
            | Error::Redirect { function, .. }
            | Error::UnexpectedPage { function, .. }
            | Error::RepeatedCursor { function }
            | Error::MissingAccessToken { function } => Some(function),
            Error::Decode(error) => Some(error.function),
            Error::Cursor { trigger, .. } => Some(trigger),
            Error::UnknownFunction { .. } | Error::Config(_) => None,
        }
    }

    /// Intercom's error answer, when there is one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::NotFound(error)
            | Error::Unauthorized(error)
            | Error::Conflict(error)
            | Error::ScrollExists(error)
            | Error::Api(error) => Some(error),
            Error::RateLimited { error, .. } => error.as_deref(),
            _ => None,
        }
    }

    /// The HTTP status Intercom answered with, when it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::UndecodableResponse { status, .. }
            | Error::ResponseTooLarge { status, .. }
            | Error::Redirect { status, .. } => Some(*status),
            other => other.api_error().map(|error| error.status),
        }
    }

    /// Sorts Intercom's error answer into the case callers act on: by error code first (the more specific),
    /// then by status.
    pub(crate) fn from_api(error: ApiError, reset_at: Option<SystemTime>) -> Self {
        let error = Box::new(error);
        let has_code = |codes: &[&str]| error.errors.iter().any(|detail| codes.contains(&detail.code.as_str()));
        let says = |text: &str| {
            error.errors.iter().any(|detail| detail.message.as_deref().is_some_and(|message| message.contains(text)))
        };
        if error.status == 429 || has_code(&["rate_limit_exceeded", "too_many_requests"]) {
            Error::RateLimited { function: error.function, reset_at, error: Some(error) }
        } else if has_code(&["scroll_exists"]) || says("scroll already exists") {
            Error::ScrollExists(error)
        } else if error.status == 409
            || has_code(&["conflict", "unique_user_constraint", "resource_conflict"])
            || says("Multiple existing users match")
        {
            Error::Conflict(error)
        } else if error.status == 401 || has_code(TOKEN_CODES) {
            Error::Unauthorized(error)
        } else if error.status == 404 || has_code(NOT_FOUND_CODES) {
            Error::NotFound(error)
        } else {
            Error::Api(error)
        }
    }
}

/// Codes of something that does not exist. (`parameter_not_found` is not one: it names a missing argument.)
const NOT_FOUND_CODES: &[&str] = &[
    "not_found",
    "admin_not_found",
    "company_not_found",
    "conversation_part_or_message_not_found",
    "field_not_found",
    "tag_not_found",
    "team_not_found",
    "user_not_found",
];

/// Codes of a refused access token (Intercom's error-code list and what its SDKs map to authentication).
const TOKEN_CODES: &[&str] = &[
    "unauthorized",
    "missing_authorization",
    "token_unauthorized",
    "token_not_found",
    "token_revoked",
    "token_blocked",
    "token_expired",
    "token_suspended",
];

fn suggestion_text(suggestion: Option<&str>) -> String {
    suggestion.map(|name| format!(" (did you mean `{name}`?)")).unwrap_or_default()
}

/// Who refused: Intercom (it answered `429`), or the client, which held the call back (the window was spent).
fn rate_limited_by(intercom: bool) -> &'static str {
    if intercom { "rate limited by Intercom" } else { "rate limit reached; the client held the call back" }
}

fn location_text(location: Option<&str>) -> String {
    location.map_or_else(|| "nowhere (no Location header)".to_owned(), |location| format!("{location:?}"))
}

fn reset_text(reset_at: Option<SystemTime>) -> String {
    let Some(reset_at) = reset_at else { return String::new() };
    let unix = reset_at.duration_since(UNIX_EPOCH).map(|since| since.as_secs()).unwrap_or_default();
    match reset_at.duration_since(SystemTime::now()) {
        Ok(wait) => format!(" until Unix time {unix} (in {} s)", wait.as_secs() + 1),
        Err(_) => format!(" until Unix time {unix}"),
    }
}

/// The arguments of a call were refused: every problem, each naming its argument.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidArguments {
    function: &'static str,
    problems: Vec<ArgumentProblem>,
}

impl InvalidArguments {
    pub(crate) fn new(function: &'static str, problems: Vec<ArgumentProblem>) -> Self {
        InvalidArguments { function, problems }
    }

    /// The function called (manifest name).
    pub fn function(&self) -> &'static str {
        self.function
    }

    /// Every problem found, in argument order.
    pub fn problems(&self) -> &[ArgumentProblem] {
        &self.problems
    }

    /// The same problems, each also naming the Rust parameter or setter of its argument: what a typed caller
    /// wrote (`per_page` for `perPage`).
    pub(crate) fn with_rust_names(mut self, spec: &crate::wire::Function) -> Self {
        for problem in &mut self.problems {
            problem.rust_name =
                spec.field(&problem.argument).map(|field| field.rust_name).filter(|name| *name != problem.argument);
        }
        self
    }
}

impl fmt::Display for InvalidArguments {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid arguments for `{}`: ", self.function)?;
        for (index, problem) in self.problems.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidArguments {}

/// What is wrong with one argument.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ArgumentProblem {
    /// The argument (manifest name, as given in a call by name).
    pub argument: String,
    /// For a typed call: the Rust parameter or setter of the argument, when its name differs (`per_page`).
    pub rust_name: Option<&'static str>,
    /// What is wrong with it.
    pub problem: Problem,
}

impl fmt::Display for ArgumentProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.rust_name {
            Some(rust_name) => write!(f, "`{}` (`{rust_name}` in Rust) {}", self.argument, self.problem),
            None => write!(f, "`{}` {}", self.argument, self.problem),
        }
    }
}

/// Why an argument was refused. Values are quoted (shortened when long), except those of secret arguments.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Problem {
    /// A required argument is absent (or `null`, `""` or `[]`).
    Missing,
    /// The function has no argument by this name.
    Unknown {
        /// The closest argument name, when one is close.
        suggestion: Option<&'static str>,
    },
    /// The value has the wrong JSON type.
    WrongType {
        /// What was expected, e.g. "a number".
        expected: &'static str,
        /// What was given, e.g. "an array".
        found: &'static str,
    },
    /// One item of a list has the wrong JSON type.
    WrongItemType {
        /// The position of the item in its list, counting from 1.
        item: usize,
        /// What was expected, e.g. "text".
        expected: &'static str,
        /// What was given, e.g. "an object".
        found: &'static str,
    },
    /// The value is not one of a `Select`'s options.
    NotAllowed {
        /// The value given.
        value: String,
        /// The allowed values.
        allowed: &'static [&'static str],
    },
    /// The value (or one item of a list) is not a JSON object.
    NotAnObject {
        /// The position of the item in its list, counting from 1.
        item: Option<usize>,
    },
    /// Text that should hold JSON does not parse.
    InvalidJson {
        /// The parser's explanation.
        detail: String,
    },
    /// A list has more items than allowed.
    TooManyItems {
        /// The most allowed.
        max: usize,
        /// How many were given.
        actual: usize,
    },
    /// The value (or one item) does not have the required format.
    InvalidFormat {
        /// The format required.
        format: Format,
        /// The value given.
        value: String,
        /// The position of the item in its list, counting from 1.
        item: Option<usize>,
    },
    /// The value is not a point in time in an accepted form.
    InvalidDate {
        /// The value given.
        value: String,
    },
    /// A rule requires the argument in this situation.
    RequiredWhen {
        /// When, e.g. "`messageType` is `email`".
        condition: String,
    },
    /// A rule forbids the argument in this situation.
    ForbiddenWhen {
        /// When, e.g. "`messageType` is not `email`".
        condition: String,
    },
    /// A number outside the range the function accepts.
    OutOfRange {
        /// The value given, as written.
        value: String,
        /// The smallest value allowed, if there is one.
        minimum: Option<f64>,
        /// The largest value allowed, if there is one.
        maximum: Option<f64>,
    },
    /// The value would be a path segment of its own that changes the endpoint called (`.` or `..`).
    NotAPathSegment {
        /// The value given.
        value: String,
    },
    /// The value would make the request's URL longer than can be sent.
    TooLongForUrl {
        /// The length of the URL (path and query) it makes, in bytes.
        length: usize,
        /// The longest URL (path and query) the client sends, in bytes.
        limit: usize,
    },
    /// The value cannot be sent in an HTTP header (the `accessToken` of a call by name).
    NotAHeaderValue,
    /// This option is refused by this function.
    Refused {
        /// The option given.
        value: String,
        /// Why.
        reason: &'static str,
    },
}

impl fmt::Display for Problem {
    /// Continues a sentence that starts with the argument's name, e.g. "`userId` is required but missing".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Missing => f.write_str("is required but missing"),
            Problem::Unknown { suggestion } => {
                write!(f, "is not an argument of this function{}", suggestion_text(*suggestion))
            }
            Problem::WrongType { expected, found } => write!(f, "must be {expected}, not {found}"),
            Problem::WrongItemType { item, expected, found } => {
                write!(f, "must hold {expected} in every item; item {item} is {found}")
            }
            Problem::NotAllowed { value, allowed } => {
                write!(f, "is {value:?}, which is not one of the allowed values: {}", allowed.join(", "))
            }
            Problem::NotAnObject { item: None } => f.write_str("must be a JSON object"),
            Problem::NotAnObject { item: Some(item) } => {
                write!(f, "must hold JSON objects; item {item} is not one")
            }
            Problem::InvalidJson { detail } => write!(f, "is text that is not valid JSON ({detail})"),
            Problem::TooManyItems { max, actual } => write!(f, "has {actual} items; at most {max} are allowed"),
            Problem::InvalidFormat { format, value, item } => {
                let expected = match format {
                    Format::Url => "an absolute http(s) URL",
                    Format::Email => "an email address",
                    Format::Ip => "an IPv4 or IPv6 address",
                };
                match item {
                    Some(item) => write!(f, "has item {item} {value:?}, which is not {expected}"),
                    None => write!(f, "is {value:?}, which is not {expected}"),
                }
            }
            Problem::InvalidDate { value } => write!(
                f,
                "is {value:?}, which is not a date: give Unix seconds, RFC 3339 (2024-05-01T10:00:00Z) \
                 or YYYY-MM-DD HH:MM:SS (UTC)"
            ),
            Problem::RequiredWhen { condition } => write!(f, "is required when {condition}"),
            Problem::ForbiddenWhen { condition } => write!(f, "is not allowed when {condition}"),
            Problem::Refused { value, reason } => write!(f, "is {value:?}, which is refused here: {reason}"),
            Problem::OutOfRange { value, minimum, maximum } => {
                write!(f, "is {value}, which is out of range: it must be ")?;
                match (minimum, maximum) {
                    (Some(minimum), Some(maximum)) => write!(f, "from {minimum} to {maximum}"),
                    (Some(minimum), None) => write!(f, "at least {minimum}"),
                    (None, Some(maximum)) => write!(f, "at most {maximum}"),
                    (None, None) => f.write_str("a whole number of at most 64 bits"),
                }
            }
            Problem::NotAPathSegment { value } => {
                write!(f, "is {value:?}, which cannot be an identifier in a path: it would change the endpoint called")
            }
            Problem::TooLongForUrl { length, limit } => write!(
                f,
                "makes the request URL {length} bytes long; at most {limit} bytes can be sent (send less, or page)"
            ),
            Problem::NotAHeaderValue => {
                f.write_str("cannot be sent as a token: it must be printable ASCII without spaces or line breaks")
            }
        }
    }
}

/// Intercom answered with an error status.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The function called.
    pub function: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// Intercom's `request_id`, for its support.
    pub request_id: Option<String>,
    /// Every entry of Intercom's `error.list`.
    pub errors: Vec<ApiErrorDetail>,
    /// The body, when it was not an `error.list`.
    pub body: Option<String>,
    /// How long Intercom asked the client to wait before trying again (`Retry-After`), if it said.
    pub retry_after: Option<std::time::Duration>,
}

/// One entry of Intercom's `error.list`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiErrorDetail {
    /// The error code, e.g. `not_found` (empty when Intercom sent none).
    pub code: String,
    /// The explanation.
    pub message: Option<String>,
    /// The field concerned.
    pub field: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: Intercom answered {}", self.function, self.status)?;
        for (index, detail) in self.errors.iter().enumerate() {
            f.write_str(if index == 0 { ": " } else { "; " })?;
            f.write_str(if detail.code.is_empty() { "(no code)" } else { &detail.code })?;
            if let Some(message) = &detail.message {
                write!(f, " ({message})")?;
            }
            if let Some(field) = &detail.field {
                write!(f, " [field {field}]")?;
            }
        }
        if let Some(request_id) = &self.request_id {
            write!(f, " [request {request_id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// An answer that does not decode into its model: where in the JSON, what was wrong, and the body as received.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// The function called (empty when the JSON was decoded on its own, e.g. by a tool).
    pub function: &'static str,
    /// The model it should have been, e.g. `User`.
    pub model: &'static str,
    /// Where in the JSON decoding failed, e.g. `users[3].created_at` (`.` for the whole body).
    pub path: String,
    /// What was wrong there, e.g. "invalid type: string \"x\", expected a whole number".
    pub detail: String,
    /// The body as received.
    pub body: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.function.is_empty() {
            write!(f, "{}: ", self.function)?;
        }
        write!(f, "the answer does not decode as `{}`: at `{}`: {}", self.model, self.path, self.detail)
    }
}

impl std::error::Error for DecodeError {}

/// A text is not one of a `Select`'s values (from the `FromStr` of the generated enums).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a {} value; allowed: {}", select.name, select.values.join(", "))]
pub struct UnknownOption {
    value: String,
    select: Select,
}

impl UnknownOption {
    pub(crate) fn new(value: &str, select: Select) -> Self {
        UnknownOption { value: value.to_owned(), select }
    }

    /// The text that was given.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The allowed values.
    pub fn allowed(&self) -> &'static [&'static str] {
        self.select.values
    }
}
