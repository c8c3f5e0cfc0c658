//! Errors: every failure is a value that says which function, which argument, and what went wrong.

use std::fmt;

use crate::spec::{Format, Select};

/// Everything that can go wrong when calling Intercom.
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

    /// Intercom answered with an error status.
    #[error(transparent)]
    Api(#[from] ApiError),

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

    /// The request could not be sent or its response could not be read.
    #[error("{function}: the request failed: {source}")]
    Transport {
        /// The function called.
        function: &'static str,
        /// What failed. URLs are removed from it, so no argument value shows.
        #[source]
        source: reqwest::Error,
    },

    /// The call needs an access token and neither the client nor the call has one.
    #[error("{function}: no access token: set one on the client, or give `accessToken` when calling by name")]
    MissingAccessToken {
        /// The function called.
        function: &'static str,
    },

    /// The client could not be built as configured.
    #[error("invalid client configuration: {0}")]
    Config(String),
}

fn suggestion_text(suggestion: Option<&str>) -> String {
    suggestion.map(|name| format!(" (did you mean `{name}`?)")).unwrap_or_default()
}

/// The arguments of a call were refused: every problem, each naming its argument.
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgumentProblem {
    /// The argument (manifest name, as given in a call by name).
    pub argument: String,
    /// What is wrong with it.
    pub problem: Problem,
}

impl fmt::Display for ArgumentProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.argument, self.problem)
    }
}

/// Why an argument was refused. Values are quoted (shortened when long), except those of secret arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
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
