//! The request planner: checks a call's arguments against its generated [`Function`] and lays out the
//! HTTP request.
//!
//! Typed methods and calls by name both end here, with the arguments as JSON values keyed by their manifest
//! names, so both are checked by the same rules and make the same request. Every problem is collected before
//! anything is reported, and nothing is sent unless there is none.

pub(crate) mod arguments;
mod format;
mod layout;
pub(crate) mod request;
mod time;
mod value;

use serde_json::Value;

pub(crate) use value::type_name as json_type;

use crate::client::AccessToken;
use crate::error::{ArgumentProblem, InvalidArguments, Problem};
use crate::plan::request::PreparedRequest;
use crate::wire::{Auth, Condition, Function, Placement, is_blank};
use arguments::{Argument, Arguments};
use value::Checked;

/// The argument of every seed function that, here, belongs to the client; a call by name may still give it.
pub(crate) const ACCESS_TOKEN: &str = "accessToken";

/// Checks `args` and returns the request they make.
pub(crate) fn prepare(spec: &'static Function, args: &Arguments) -> Result<PreparedRequest, InvalidArguments> {
    let mut problems = Problems::default();
    let access_token = access_token_argument(spec, args, &mut problems);
    report_unknown_arguments(spec, args, &mut problems);
    let values = check_fields(spec, args, &mut problems);
    check_rules(spec, &values, &mut problems);
    check_routes(spec, args, &values, &mut problems);
    let request = layout::lay_out(spec, &values, access_token, &mut problems);
    if problems.0.is_empty() { Ok(request) } else { Err(InvalidArguments::new(spec.name, problems.0)) }
}

#[derive(Default)]
struct Problems(Vec<ArgumentProblem>);

impl Problems {
    fn push(&mut self, argument: &str, problem: Problem) {
        self.0.push(ArgumentProblem { argument: argument.to_owned(), rust_name: None, problem });
    }
}

/// The outcome of checking one argument.
#[derive(Debug)]
enum Outcome<'a> {
    Given(Checked<'a>),
    Absent,
    /// Refused; the problem is already reported, so rules and routes do not look at it again.
    Failed,
}

impl<'a> Outcome<'a> {
    fn value(&self) -> Option<&Checked<'a>> {
        match self {
            Outcome::Given(value) => Some(value),
            Outcome::Absent | Outcome::Failed => None,
        }
    }
}

fn access_token_argument(spec: &Function, args: &Arguments, problems: &mut Problems) -> Option<AccessToken> {
    if spec.auth != Auth::Bearer {
        return None;
    }
    match args.access_token.as_ref()? {
        Value::String(token) if !token.is_empty() && !crate::client::is_sendable_token(token) => {
            problems.push(ACCESS_TOKEN, Problem::NotAHeaderValue);
            None
        }
        Value::String(token) if !token.is_empty() => Some(AccessToken::new(token.clone())),
        value if is_blank(value) => None,
        _ => {
            problems.push(ACCESS_TOKEN, Problem::WrongType { expected: "text", found: "another JSON type" });
            None
        }
    }
}

fn report_unknown_arguments(spec: &'static Function, args: &Arguments, problems: &mut Problems) {
    // The access token is an argument of functions that authenticate with it, and of no other.
    if spec.auth != Auth::Bearer && args.access_token.is_some() {
        problems.push(ACCESS_TOKEN, unknown(spec, ACCESS_TOKEN));
    }
    for name in &args.unknown {
        problems.push(name, unknown(spec, name));
    }
}

fn unknown(spec: &Function, name: &str) -> Problem {
    Problem::Unknown { suggestion: crate::suggest::closest(name, spec.fields.iter().map(|field| field.name)) }
}

fn check_fields<'a>(spec: &'static Function, args: &'a Arguments, problems: &mut Problems) -> Vec<Outcome<'a>> {
    spec.fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let given = args.get(index).filter(|argument| !is_blank_argument(argument));
            let checked = match (given, &field.default) {
                (Some(argument), _) => value::check(field, argument),
                (None, Some(default)) => value::check(field, &Argument::Json(default.to_json()))
                    .map(|checked| checked.map(Checked::into_owned)),
                (None, None) if field.required => {
                    problems.push(field.name, Problem::Missing);
                    return Outcome::Failed;
                }
                (None, None) => return Outcome::Absent,
            };
            match checked {
                Ok(Some(checked)) => Outcome::Given(checked),
                Ok(None) if field.required => {
                    problems.push(field.name, Problem::Missing);
                    Outcome::Failed
                }
                Ok(None) => Outcome::Absent,
                Err(problem) => {
                    problems.push(field.name, if field.secret { redact(problem) } else { problem });
                    Outcome::Failed
                }
            }
        })
        .collect()
}

/// A problem about a secret argument, without its value.
fn redact(problem: Problem) -> Problem {
    match problem {
        Problem::NotAllowed { allowed, .. } => Problem::NotAllowed { value: "<redacted>".to_owned(), allowed },
        Problem::InvalidFormat { format, item, .. } => {
            Problem::InvalidFormat { format, value: "<redacted>".to_owned(), item }
        }
        Problem::InvalidDate { .. } => Problem::InvalidDate { value: "<redacted>".to_owned() },
        other => other,
    }
}

/// Whether an argument counts as not given (`null`, empty text, an empty list).
fn is_blank_argument(argument: &Argument) -> bool {
    match argument {
        Argument::Json(value) | Argument::Typed(value) => is_blank(value),
        Argument::Objects(list) => list.count == 0,
    }
}

fn value_of<'v, 'a>(spec: &Function, values: &'v [Outcome<'a>], name: &str) -> Option<&'v Outcome<'a>> {
    spec.fields.iter().position(|field| field.name == name).and_then(|index| values.get(index))
}

fn check_rules(spec: &Function, values: &[Outcome<'_>], problems: &mut Problems) {
    for rule in spec.rules {
        let condition = &rule.condition;
        let holds = match value_of(spec, values, condition.field) {
            Some(Outcome::Given(value)) => {
                value.as_option().is_some_and(|v| condition.values.contains(&v)) != condition.negated
            }
            Some(Outcome::Absent) => condition.negated,
            // Nothing to say about a rule whose condition could not be read.
            Some(Outcome::Failed) | None => continue,
        };
        if !holds {
            continue;
        }
        let when = describe(condition);
        for name in rule.require {
            if matches!(value_of(spec, values, name), Some(Outcome::Absent)) {
                problems.push(name, Problem::RequiredWhen { condition: when.clone() });
            }
        }
        for name in rule.forbid {
            if matches!(value_of(spec, values, name), Some(Outcome::Given(_))) {
                problems.push(name, Problem::ForbiddenWhen { condition: when.clone() });
            }
        }
    }
}

/// A condition as words, e.g. "`messageType` is `email`" or "`messageType` is not `email`".
fn describe(condition: &Condition) -> String {
    let values: Vec<String> = condition.values.iter().map(|value| format!("`{value}`")).collect();
    let relation = match (condition.negated, values.len() > 1) {
        (false, false) => "is",
        (false, true) => "is one of",
        (true, false) => "is not",
        (true, true) => "is none of",
    };
    format!("`{}` {relation} {}", condition.field, values.join(", "))
}

/// A routed argument's selector may name an option the function refuses; and a selector given without the
/// argument it routes says nothing (an optional one with a default is never needed alone).
fn check_routes(spec: &Function, args: &Arguments, values: &[Outcome<'_>], problems: &mut Problems) {
    for (field, outcome) in spec.fields.iter().zip(values) {
        if let (Placement::Routed { by, .. }, Outcome::Absent) = (&field.placement, outcome) {
            if args.get_named(spec, by).is_some_and(|given| !is_blank_argument(given)) {
                problems.push(field.name, Problem::RequiredWhen { condition: format!("`{by}` is given") });
            }
        }
        let (Placement::Routed { by, .. }, Outcome::Given(_)) = (&field.placement, outcome) else { continue };
        let Some(Outcome::Given(selector)) = value_of(spec, values, by) else { continue };
        if let Some(crate::wire::RouteTarget::Reject(reason)) = layout::route_target(&field.placement, selector) {
            problems.push(by, Problem::Refused { value: selector.to_text().into_owned(), reason });
        }
    }
}
