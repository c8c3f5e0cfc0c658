//! The request planner: checks a call's arguments against its generated [`Function`] and lays out the
//! HTTP request.
//!
//! Typed methods and calls by name both end here, with the arguments as JSON values keyed by their manifest
//! names, so both are checked by the same rules and make the same request. Every problem is collected before
//! anything is reported, and nothing is sent unless there is none.

mod format;
mod layout;
pub(crate) mod request;
mod time;
mod value;

use serde_json::{Map, Value};

pub(crate) use value::type_name as json_type;

use crate::client::AccessToken;
use crate::error::{ArgumentProblem, InvalidArguments, Problem};
use crate::plan::request::PreparedRequest;
use crate::wire::{Auth, Condition, Function, Placement, is_blank};
use value::Checked;

/// The argument of every seed function that, here, belongs to the client; a call by name may still give it.
pub(crate) const ACCESS_TOKEN: &str = "accessToken";

/// Checks `args` (keyed by manifest name) and returns the request they make.
pub(crate) fn prepare(spec: &'static Function, args: &Map<String, Value>) -> Result<PreparedRequest, InvalidArguments> {
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
enum Outcome {
    Given(Checked),
    Absent,
    /// Refused; the problem is already reported, so rules and routes do not look at it again.
    Failed,
}

impl Outcome {
    fn value(&self) -> Option<&Checked> {
        match self {
            Outcome::Given(value) => Some(value),
            Outcome::Absent | Outcome::Failed => None,
        }
    }
}

fn access_token_argument(spec: &Function, args: &Map<String, Value>, problems: &mut Problems) -> Option<AccessToken> {
    if spec.auth != Auth::Bearer {
        return None;
    }
    match args.get(ACCESS_TOKEN)? {
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

fn report_unknown_arguments(spec: &'static Function, args: &Map<String, Value>, problems: &mut Problems) {
    for name in args.keys() {
        let token_is_an_argument = spec.auth == Auth::Bearer && name == ACCESS_TOKEN;
        if spec.field(name).is_none() && !token_is_an_argument {
            let suggestion = crate::suggest::closest(name, spec.fields.iter().map(|field| field.name));
            problems.push(name, Problem::Unknown { suggestion });
        }
    }
}

fn check_fields(spec: &Function, args: &Map<String, Value>, problems: &mut Problems) -> Vec<Outcome> {
    spec.fields
        .iter()
        .map(|field| {
            let given = args.get(field.name).filter(|value| !is_blank(value));
            let default = field.default.as_ref().map(|constant| constant.to_json());
            let Some(raw) = given.or(default.as_ref()) else {
                if field.required {
                    problems.push(field.name, Problem::Missing);
                    return Outcome::Failed;
                }
                return Outcome::Absent;
            };
            match value::check(field, raw) {
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

fn value_of<'v>(spec: &Function, values: &'v [Outcome], name: &str) -> Option<&'v Outcome> {
    spec.fields.iter().position(|field| field.name == name).and_then(|index| values.get(index))
}

fn check_rules(spec: &Function, values: &[Outcome], problems: &mut Problems) {
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
fn check_routes(spec: &Function, args: &Map<String, Value>, values: &[Outcome], problems: &mut Problems) {
    for (field, outcome) in spec.fields.iter().zip(values) {
        if let (Placement::Routed { by, .. }, Outcome::Absent) = (&field.placement, outcome) {
            if args.get(*by).is_some_and(|given| !is_blank(given)) {
                problems.push(field.name, Problem::RequiredWhen { condition: format!("`{by}` is given") });
            }
        }
        let (Placement::Routed { by, .. }, Outcome::Given(_)) = (&field.placement, outcome) else { continue };
        let Some(Outcome::Given(selector)) = value_of(spec, values, by) else { continue };
        if let Some(crate::wire::RouteTarget::Reject(reason)) = layout::route_target(&field.placement, selector) {
            problems.push(by, Problem::Refused { value: selector.to_text(), reason });
        }
    }
}
