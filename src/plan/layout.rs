//! Laying checked arguments out as an HTTP request: path, query and JSON body.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::value::Checked;
use super::{Outcome, Problems};
use crate::client::AccessToken;
use crate::error::Problem;
use crate::plan::request::PreparedRequest;
use crate::wire::{Constant, Field, Function, Placement, RouteCase, RouteTarget, Transform};

/// What a path segment keeps unencoded: RFC 3986's unreserved characters. Everything else, `/` included, is
/// percent-encoded, so a value is always exactly one segment (`a/b c` becomes `a%2Fb%20c`).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The longest path and query the client sends, in bytes. Servers refuse longer request lines (commonly at
/// 8 KiB) and the HTTP library fails on much longer ones only after the checks, so a longer URL is refused
/// here, as an argument problem, before anything is sent.
pub(crate) const MAX_URL_BYTES: usize = 8 * 1024;

/// The route case of a routed argument, given its selector's value.
fn route_case(placement: &Placement, selector: &Checked<'_>) -> Option<&'static RouteCase> {
    let Placement::Routed { cases, .. } = placement else { return None };
    let option = selector.as_option()?;
    cases.iter().find(|case| case.option == option)
}

/// The destination of a routed argument, given its selector's value.
pub(super) fn route_target(placement: &Placement, selector: &Checked<'_>) -> Option<RouteTarget> {
    route_case(placement, selector).map(|case| case.target)
}

/// The routes the arguments take, with their selectors' values resolved.
fn taken_routes<'s>(
    spec: &'static Function,
    values: &'s [Outcome<'_>],
) -> impl Iterator<Item = &'static RouteCase> + 's {
    spec.fields.iter().zip(values).filter(|(_, outcome)| outcome.value().is_some()).filter_map(|(field, _)| {
        let Placement::Routed { by, .. } = field.placement else { return None };
        let selector = super::value_of(spec, values, by).and_then(Outcome::value)?;
        route_case(&field.placement, selector)
    })
}

/// Builds the request from checked values (one per field of `spec`). The checks before guarantee that every
/// path placeholder has a value; should one not, it is reported rather than sent empty.
pub(super) fn lay_out(
    spec: &'static Function,
    values: &[Outcome<'_>],
    access_token: Option<AccessToken>,
    problems: &mut Problems,
) -> PreparedRequest {
    let mut template = spec.path;
    let mut segments: Vec<(&str, Cow<'_, str>)> = Vec::new();
    // Constants first: the function's, then those of the routes taken; the arguments follow.
    let route_constants = taken_routes(spec, values).flat_map(|case| case.query.iter());
    let mut query: Vec<(String, String)> = spec
        .query
        .iter()
        .chain(route_constants)
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    let mut body: Option<Vec<Member<'_, '_>>> = sends_body(spec).then(|| {
        let mut members = Vec::new();
        for (key, constant) in spec.body.unwrap_or_default() {
            constant_members(Cow::Borrowed(std::slice::from_ref(key)), constant, &mut members);
        }
        members
    });
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
                let text = value.to_text().into_owned();
                in_url.push((field.name, text.len()));
                query.push((name.to_owned(), text));
                if field.secret {
                    secret_query.push(name);
                }
            }
            RouteTarget::Body(path) => {
                body.get_or_insert_with(Vec::new).push((Cow::Borrowed(path), Part::Argument(field, value)));
                if field.secret {
                    secret_body.push(path);
                }
            }
            RouteTarget::Reject(_) => {}
        }
    }

    let request = PreparedRequest::new(
        spec,
        fill(template, &segments, problems),
        query,
        body.map(|mut members| encode_body(&mut members)),
        taken_routes(spec, values).find_map(|case| case.answer_list),
        access_token,
        secret_query,
        secret_body,
    );
    let length = request.path_and_query().len();
    if length > MAX_URL_BYTES {
        // The longest argument in the URL is the one to shorten.
        if let Some((name, _)) = in_url.iter().max_by_key(|(_, length)| *length) {
            problems.push(name, Problem::TooLongForUrl { length, limit: MAX_URL_BYTES });
        }
    }
    request
}

/// One member of a body: where it goes (a path of keys) and what it is.
type Member<'v, 'a> = (Cow<'static, [&'static str]>, Part<'v, 'a>);

/// The members of a constant at `path`: an object's members each at their own path, so that arguments can
/// add to the object (`from: {type: "user"}` and the argument at `from.id`); an empty object as it is.
fn constant_members(
    path: Cow<'static, [&'static str]>,
    constant: &'static Constant,
    members: &mut Vec<Member<'_, '_>>,
) {
    match constant {
        Constant::Object(inner) if !inner.is_empty() => {
            for (key, value) in inner.iter() {
                let mut inner_path = path.to_vec();
                inner_path.push(key);
                constant_members(Cow::Owned(inner_path), value, members);
            }
        }
        _ => members.push((path, Part::Constant(constant))),
    }
}

/// What a body member holds.
enum Part<'v, 'a> {
    Constant(&'static Constant),
    Argument(&'static Field, &'v Checked<'a>),
}

/// The body as JSON text, written straight from the members: objects along the paths, members in key order
/// (as a `serde_json::Map` orders them). The checker guarantees that no argument's path begins another's or a
/// constant's, so the objects on the way are never values themselves; an argument at a constant's path
/// replaces it.
fn encode_body(members: &mut Vec<Member<'_, '_>>) -> String {
    // Slices of keys compare key by key: the members of one object come together, in key order. The sort is
    // stable, so of two members at one path the later (the argument) is kept.
    if !members.is_sorted_by(|(a, _), (b, _)| a < b) {
        members.sort_by(|(a, _), (b, _)| a.cmp(b));
        members.reverse();
        members.dedup_by(|later, earlier| later.0 == earlier.0);
        members.reverse();
    }
    let mut out =
        Vec::with_capacity(members.iter().map(|(path, part)| estimated_length(path, part)).sum::<usize>() + 2);
    out.push(b'{');
    // The keys of the objects open below the top, and whether each has a member yet.
    let mut open: &[&str] = &[];
    let mut has_members = vec![false];
    for (path, part) in members.iter() {
        let path: &[&str] = path;
        let Some((leaf, parents)) = path.split_last() else { continue };
        let shared = open.iter().zip(parents.iter()).take_while(|(a, b)| a == b).count();
        // Close the objects this member is not in; the top level is `has_members[0]`.
        out.extend(std::iter::repeat_n(b'}', open.len() - shared));
        has_members.truncate(shared + 1);
        for key in &parents[shared..] {
            write_key(&mut out, &mut has_members, key);
            out.push(b'{');
            has_members.push(false);
        }
        open = parents;
        write_key(&mut out, &mut has_members, leaf);
        match part {
            Part::Constant(constant) => write_json(&mut out, &constant.to_json()),
            Part::Argument(field, value) => write_argument(&mut out, field, value),
        }
    }
    out.extend(std::iter::repeat_n(b'}', open.len() + 1));
    // Only serde_json wrote between the braces: the text is UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// About how many bytes a member takes in the body, so that the body is written without growing: its keys and
/// its value's text, with their quotes and separators (escapes and nested objects may still need more).
fn estimated_length(path: &[&str], part: &Part<'_, '_>) -> usize {
    let keys: usize = path.iter().map(|key| key.len() + 4).sum();
    let value = match part {
        Part::Argument(_, Checked::Text(text)) => text.len() + 2,
        Part::Argument(_, Checked::Objects(list)) => list.json.len(),
        Part::Argument(_, Checked::Json(_) | Checked::List(_)) => 64,
        Part::Argument(..) | Part::Constant(_) => 16,
    };
    keys + value
}

/// Writes `"key":`, after a comma when the object has members already.
fn write_key(out: &mut Vec<u8>, has_members: &mut [bool], key: &str) {
    if let Some(has) = has_members.last_mut() {
        if *has {
            out.push(b',');
        }
        *has = true;
    }
    write_json(out, key);
    out.push(b':');
}

/// Writes one value as compact JSON. Writing to memory cannot fail, nor can encoding these values (their map
/// keys are text); were it to, `null` keeps the body JSON and the planner's checks have already passed.
fn write_json<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    let start = out.len();
    if serde_json::to_writer(&mut *out, value).is_err() {
        out.truncate(start);
        out.extend_from_slice(b"null");
    }
}

/// Writes a checked argument as the field sends it.
fn write_argument(out: &mut Vec<u8>, field: &Field, value: &Checked<'_>) {
    match (field.transform, value) {
        (None, Checked::Text(text)) => write_json(out, text.as_ref()),
        (None, Checked::Number(number)) => write_json(out, number),
        (None, Checked::Bool(flag)) => write_json(out, flag),
        (None, Checked::Json(json)) => write_json(out, json.as_ref()),
        (None, Checked::List(items)) => write_json(out, items.as_ref()),
        (None, Checked::Objects(list)) => out.extend_from_slice(list.json.as_bytes()),
        (None, Checked::Time(seconds)) => write_json(out, seconds),
        (None, Checked::Option(option)) => write_json(out, option),
        (Some(_), _) => write_json(out, &wire_json(field, value)),
    }
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
fn fill(template: &str, segments: &[(&str, Cow<'_, str>)], problems: &mut Problems) -> String {
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
                problems.push(name, Problem::NotAPathSegment { value: value.to_string() });
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
fn wire_json(field: &Field, value: &Checked<'_>) -> Value {
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::Client;

    fn body(function: &str, arguments: serde_json::Value) -> String {
        let client = Client::builder().access_token("t").build().unwrap();
        let request = client.prepare_call(function, &arguments).unwrap();
        request.body_text().unwrap().to_owned()
    }

    #[test]
    fn members_are_written_in_key_order_inside_the_objects_of_their_paths() {
        // `from` is a constant object (`type`) that the routed sender id adds to; `body` sorts before it.
        let text =
            body("createUserMessage", json!({ "senderId": "u-1", "senderIdType": "user_id", "body": "Hi \"there\"" }));
        assert_eq!(text, r#"{"body":"Hi \"there\"","from":{"type":"user","user_id":"u-1"}}"#);
    }

    #[test]
    fn transforms_and_lists_are_written_as_json() {
        let text = body(
            "createLead",
            json!({ "avatarImageUrl": "https://example.com/a.png", "tags": "t1, t2", "companies": [{ "name": "A" }] }),
        );
        assert_eq!(
            text,
            r#"{"avatar":{"image_url":"https://example.com/a.png","type":"avatar"},"companies":[{"name":"A"}],"tags":{"tags":[{"id":"t1"},{"id":"t2"}],"type":"tag.list"}}"#
        );
    }

    #[test]
    fn a_function_with_a_body_and_no_argument_for_it_sends_an_empty_object() {
        assert_eq!(body("createLead", json!({})), "{}");
    }
}
