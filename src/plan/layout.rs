//! Laying checked arguments out as an HTTP request: path, query and JSON body.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value, json};

use super::value::Checked;
use super::{Outcome, Problems};
use crate::client::AccessToken;
use crate::error::Problem;
use crate::plan::request::PreparedRequest;
use crate::wire::{Field, Function, Placement, RouteCase, RouteTarget, Transform};

/// What a path segment keeps unencoded: RFC 3986's unreserved characters. Everything else, `/` included, is
/// percent-encoded, so a value is always exactly one segment (`a/b c` becomes `a%2Fb%20c`).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The longest path and query the client sends, in bytes. Servers refuse longer request lines (commonly at
/// 8 KiB) and the HTTP library fails on much longer ones only after the checks, so a longer URL is refused
/// here, as an argument problem, before anything is sent.
pub(crate) const MAX_URL_BYTES: usize = 8 * 1024;

/// The route case of a routed argument, given its selector's value.
fn route_case(placement: &Placement, selector: &Checked) -> Option<&'static RouteCase> {
    let Placement::Routed { cases, .. } = placement else { return None };
    let option = selector.as_option()?;
    cases.iter().find(|case| case.option == option)
}

/// The destination of a routed argument, given its selector's value.
pub(super) fn route_target(placement: &Placement, selector: &Checked) -> Option<RouteTarget> {
    route_case(placement, selector).map(|case| case.target)
}

/// The routes the arguments take, with their selectors' values resolved.
fn taken_routes(spec: &'static Function, values: &[Outcome]) -> Vec<&'static RouteCase> {
    spec.fields
        .iter()
        .zip(values)
        .filter(|(_, outcome)| outcome.value().is_some())
        .filter_map(|(field, _)| {
            let Placement::Routed { by, .. } = field.placement else { return None };
            let selector = super::value_of(spec, values, by).and_then(Outcome::value)?;
            route_case(&field.placement, selector)
        })
        .collect()
}

/// Builds the request from checked values (one per field of `spec`). The checks before guarantee that every
/// path placeholder has a value; should one not, it is reported rather than sent empty.
pub(super) fn lay_out(
    spec: &'static Function,
    values: &[Outcome],
    access_token: Option<AccessToken>,
    problems: &mut Problems,
) -> PreparedRequest {
    let mut template = spec.path;
    let mut segments: Vec<(&str, String)> = Vec::new();
    // Constants first: the function's, then those of the routes taken; the arguments follow.
    let route_constants = taken_routes(spec, values).into_iter().flat_map(|case| case.query.iter());
    let mut query: Vec<(String, String)> = spec
        .query
        .iter()
        .chain(route_constants)
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    let mut body = sends_body(spec).then(|| spec.body.map(crate::wire::object).unwrap_or_default());
    let mut secret_query = Vec::new();
    let mut secret_body = Vec::new();
    // The arguments that went into the URL, with their length, to name the one that makes it too long.
    let mut in_url: Vec<(&'static str, usize)> = Vec::new();

    for (field, outcome) in spec.fields.iter().zip(values) {
        let Some(value) = outcome.value() else { continue };
        let target = match field.placement {
            Placement::Path => RouteTarget::Path(spec.path),
            Placement::Query(name) => RouteTarget::Query(name),
            Placement::Body(path) => RouteTarget::Body(path),
            Placement::Routed { by, .. } => {
                let selector = super::value_of(spec, values, by).and_then(Outcome::value);
                match selector.and_then(|selector| route_target(&field.placement, selector)) {
                    Some(target) => target,
                    None => continue,
                }
            }
            Placement::Selector => continue,
        };
        match target {
            RouteTarget::Path(route_template) => {
                template = route_template;
                let text = value.to_text();
                in_url.push((field.name, text.len()));
                segments.push((field.name, text));
            }
            RouteTarget::Query(name) => {
                let text = value.to_text();
                in_url.push((field.name, text.len()));
                query.push((name.to_owned(), text));
                if field.secret {
                    secret_query.push(name);
                }
            }
            RouteTarget::Body(path) => {
                insert(body.get_or_insert_with(Map::new), path, wire_json(field, value));
                if field.secret {
                    secret_body.push(path);
                }
            }
            RouteTarget::Reject(_) => {}
        }
    }

    let request = PreparedRequest {
        function: spec.name,
        method: spec.method,
        path: fill(template, &segments, problems),
        query,
        body: body.map(Value::Object),
        auth: spec.auth,
        idempotent: spec.idempotent,
        intercom_version: spec.intercom_version,
        answer_list: taken_routes(spec, values).into_iter().find_map(|case| case.answer_list),
        access_token,
        secret_query,
        secret_body,
    };
    let length = request.path_and_query().len();
    if length > MAX_URL_BYTES {
        // The longest argument in the URL is the one to shorten.
        if let Some((name, _)) = in_url.iter().max_by_key(|(_, length)| *length) {
            problems.push(name, Problem::TooLongForUrl { length, limit: MAX_URL_BYTES });
        }
    }
    request
}

/// Whether the function has a body at all: a constant one, or an argument that can go in it. A function that
/// has one sends it even when every argument is absent (`{}`); one that has none sends no body.
fn sends_body(spec: &Function) -> bool {
    spec.body.is_some()
        || spec.fields.iter().any(|field| match field.placement {
            Placement::Body(_) => true,
            Placement::Routed { cases, .. } => cases.iter().any(|case| matches!(case.target, RouteTarget::Body(_))),
            Placement::Path | Placement::Query(_) | Placement::Selector => false,
        })
}

/// The template with each `{name}` replaced by its value, percent-encoded as one segment.
fn fill(template: &str, segments: &[(&str, String)], problems: &mut Problems) -> String {
    let mut path = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        path.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        match segments.iter().find(|(field, _)| *field == name) {
            // URL parsers resolve these segments (even percent-encoded, as `%2E%2E`), so `..` as a tag id
            // would turn `DELETE /tags/..` into `DELETE /`: no encoding keeps them one segment.
            Some((_, value)) if value == "." || value == ".." => {
                problems.push(name, Problem::NotAPathSegment { value: value.clone() });
            }
            Some((_, value)) => path.extend(utf8_percent_encode(value, SEGMENT)),
            // An argument refused already (e.g. missing) is not reported twice.
            None if problems.0.iter().any(|problem| problem.argument == name) => {}
            None => problems.push(name, Problem::Missing),
        }
        rest = &after[close + 1..];
    }
    path.push_str(rest);
    path
}

/// The JSON sent for a checked value, after the field's transform.
fn wire_json(field: &Field, value: &Checked) -> Value {
    let json = value.to_json();
    match field.transform {
        None => json,
        Some(Transform::Avatar) => json!({ "type": "avatar", "image_url": json }),
        Some(Transform::Untag) => match json {
            Value::Array(items) => Value::Array(
                items
                    .into_iter()
                    .map(|mut item| {
                        if let Value::Object(members) = &mut item {
                            members.insert("untag".to_owned(), Value::Bool(true));
                        }
                        item
                    })
                    .collect(),
            ),
            other => other,
        },
        Some(Transform::IdList(kind)) => {
            let ids: Vec<Value> = match json {
                Value::Array(items) => items.into_iter().map(|id| json!({ "id": id })).collect(),
                other => vec![json!({ "id": other })],
            };
            let mut list = Map::new();
            list.insert("type".to_owned(), Value::String(format!("{kind}.list")));
            list.insert(format!("{kind}s"), Value::Array(ids));
            Value::Object(list)
        }
    }
}

/// Puts `value` at the path of keys `path` in `body`, creating the objects on the way.
fn insert(body: &mut Map<String, Value>, path: &[&str], value: Value) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut object = body;
    for key in parents {
        let entry = object.entry((*key).to_owned()).or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        let Value::Object(inner) = entry else { return };
        object = inner;
    }
    object.insert((*last).to_owned(), value);
}
