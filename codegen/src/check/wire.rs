//! Wire-level rules: path templates, query names, body paths, and collisions between them.

use std::fmt;

/// What a path may hold besides `{name}` placeholders, for diagnostics.
const PATH_CHARACTERS: &str = "a path may hold only ASCII letters and digits, `-._~!$&'()*+,;=:@`, `/` between \
                               segments and `{name}` placeholders";

/// Whether `c` may stand for itself in a URL path (RFC 3986: unreserved characters, sub-delimiters, `:`
/// and `@`). Anything else would be percent-encoded or reinterpreted by the URL parser, so the request
/// would not go where the manifest says.
fn is_path_character(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/".contains(c)
}

/// The `{name}` placeholders of a path template, in order, or why the template is malformed.
///
/// A template is `/` followed by segments separated by `/`, each a run of literal path characters or one
/// whole placeholder. Empty, `.` and `..` segments are refused: the URL parser would merge or resolve them,
/// so `/users/../admins` would request `/admins`.
pub fn path_placeholders(template: &str) -> Result<Vec<&str>, String> {
    let shown = crate::chars::shown(template);
    if !template.starts_with('/') {
        return Err(format!("the path `{shown}` must start with `/`"));
    }
    if template.contains(['?', '#']) {
        return Err(format!("the path `{shown}` must not contain a query or fragment; use \"query\" constants"));
    }
    if let Some((position, c)) = crate::chars::first(template, |c| !is_path_character(c) && c != '{' && c != '}') {
        let what = crate::chars::describe(c);
        return Err(format!("the path `{shown}` contains {what} at character {position}; {PATH_CHARACTERS}"));
    }
    let mut placeholders = Vec::new();
    for segment in template[1..].split('/') {
        if let Some(placeholder) = segment_placeholder(template, segment)? {
            if placeholders.contains(&placeholder) {
                return Err(format!("the path `{template}` uses `{{{placeholder}}}` twice"));
            }
            placeholders.push(placeholder);
        }
    }
    Ok(placeholders)
}

/// The placeholder a segment of `template` consists of, if it is one, or why the segment is malformed.
fn segment_placeholder<'t>(template: &str, segment: &'t str) -> Result<Option<&'t str>, String> {
    if segment.is_empty() {
        return Err(format!(
            "the path `{template}` has an empty segment (`//`, or `/` at the end); every `/` must be followed by a \
             segment"
        ));
    }
    if segment == "." || segment == ".." {
        return Err(format!(
            "the path `{template}` has the segment `{segment}`, which URL parsers resolve away; write the path it \
             stands for"
        ));
    }
    let Some(open) = segment.find(['{', '}']) else { return Ok(None) };
    if segment[open..].starts_with('}') {
        return Err(format!("the path `{template}` has a `}}` without its `{{`"));
    }
    let after = &segment[open + 1..];
    let Some(close) = after.find('}') else {
        return Err(if after.contains('{') {
            format!("the path `{template}` nests `{{` inside a placeholder")
        } else {
            format!("the path `{template}` has a `{{` without its `}}`")
        });
    };
    let name = &after[..close];
    if name.contains('{') {
        return Err(format!("the path `{template}` nests `{{` inside a placeholder"));
    }
    if !super::names::is_camel_case(name) {
        return Err(format!("the path placeholder `{{{name}}}` must name a field in camelCase"));
    }
    // The runtime refuses `.` and `..` as the value of a placeholder, which only keeps the request in its
    // place if nothing else is in the segment (`{id}.` with the value `.` would make `..`).
    if open != 0 || close + 2 != segment.len() {
        return Err(format!(
            "the path `{template}` has `{{{name}}}` inside the segment `{segment}`; a placeholder must be a whole \
             segment, like `/things/{{thingId}}`"
        ));
    }
    Ok(Some(name))
}

/// A query parameter name, or why it cannot be one.
pub fn query_name(name: &str) -> Result<String, String> {
    if name.is_empty() {
        Err("a query parameter name cannot be empty".to_owned())
    } else if let Some(problem) = control_character(name) {
        Err(format!("the query parameter name `{}` {problem}", crate::chars::shown(name)))
    } else if name.chars().any(char::is_whitespace) {
        Err(format!("the query parameter name `{name}` contains white space"))
    } else {
        Ok(name.to_owned())
    }
}

/// A dotted body path such as `contact.user_id`, split into its keys, or why it cannot be one.
pub fn body_path(path: &str) -> Result<Vec<String>, String> {
    let keys: Vec<String> = path.split('.').map(str::to_owned).collect();
    if let Some(problem) = control_character(path) {
        Err(format!("the body path `{}` {problem}", crate::chars::shown(path)))
    } else if keys.iter().any(String::is_empty) {
        Err(format!("the body path `{path}` has an empty key"))
    } else if path.chars().any(char::is_whitespace) {
        Err(format!("the body path `{path}` contains white space"))
    } else {
        Ok(keys)
    }
}

/// Why a wire name cannot hold what it holds, when it has a control character: words that follow the name.
fn control_character(name: &str) -> Option<String> {
    let (position, c) = crate::chars::first(name, |c| c.is_control() || crate::chars::is_text_direction_control(c))?;
    Some(format!(
        "contains {} at character {position}; a wire name may hold no control characters",
        crate::chars::describe(c)
    ))
}

/// Where a value ends up on the wire, for collision checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Query(String),
    Body(Vec<String>),
}

impl fmt::Display for Destination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Destination::Query(name) => write!(f, "the query parameter `{name}`"),
            Destination::Body(path) => write!(f, "the body member `{}`", path.join(".")),
        }
    }
}

/// One thing that writes to a destination: a field (possibly only for one route case) or a constant.
#[derive(Debug, Clone)]
pub struct WireUse {
    /// The field that writes it, or `None` for a constant.
    pub field: Option<String>,
    /// For a routed field: the option of its selector under which it writes here.
    pub case: Option<String>,
    pub destination: Destination,
}

impl fmt::Display for WireUse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.field, &self.case) {
            (Some(field), Some(case)) => write!(f, "`{field}` (route `{case}`)"),
            (Some(field), None) => write!(f, "`{field}`"),
            (None, _) => f.write_str("a constant"),
        }
    }
}

/// Pairs of uses that would write the same query parameter, or overlapping body members (one path equal to,
/// or a prefix of, the other). Two route cases of one field never meet, and constants never clash with each
/// other (they are the leaves of one JSON object).
pub fn collisions(uses: &[WireUse]) -> Vec<String> {
    let mut found = Vec::new();
    for (i, a) in uses.iter().enumerate() {
        for b in &uses[i + 1..] {
            let same_owner = a.field.is_some() && a.field == b.field;
            let both_constants = a.field.is_none() && b.field.is_none();
            if same_owner || both_constants {
                continue;
            }
            let clash = match (&a.destination, &b.destination) {
                (Destination::Query(x), Destination::Query(y)) => x == y,
                (Destination::Body(x), Destination::Body(y)) => x.starts_with(y) || y.starts_with(x),
                _ => false,
            };
            if clash {
                found.push(format!("{a} and {b} both write {}", a.destination));
            }
        }
    }
    found
}

/// The leaves of a constant body: every scalar, array or empty object, with its path of keys.
pub fn constant_leaves(body: &serde_json::Map<String, serde_json::Value>) -> Vec<Vec<String>> {
    let mut leaves = Vec::new();
    for (key, value) in body {
        match value {
            serde_json::Value::Object(inner) if !inner.is_empty() => {
                for mut leaf in constant_leaves(inner) {
                    leaf.insert(0, key.clone());
                    leaves.push(leaf);
                }
            }
            _ => leaves.push(vec![key.clone()]),
        }
    }
    leaves
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_in_order() {
        assert_eq!(path_placeholders("/conversations/{conversationId}/reply"), Ok(vec!["conversationId"]));
        assert_eq!(path_placeholders("/admins"), Ok(vec![]));
    }

    #[test]
    fn malformed_templates_are_explained() {
        assert_eq!(path_placeholders("users").unwrap_err(), "the path `users` must start with `/`");
        assert_eq!(path_placeholders("/users/{id").unwrap_err(), "the path `/users/{id` has a `{` without its `}`");
        assert_eq!(path_placeholders("/users/id}").unwrap_err(), "the path `/users/id}` has a `}` without its `{`");
        assert_eq!(path_placeholders("/a/{x}/{x}").unwrap_err(), "the path `/a/{x}/{x}` uses `{x}` twice");
        assert_eq!(
            path_placeholders("/a/{user_id}").unwrap_err(),
            "the path placeholder `{user_id}` must name a field in camelCase"
        );
        assert!(path_placeholders("/a?b=c").is_err());
    }

    #[test]
    fn body_paths_split_on_dots() {
        assert_eq!(body_path("contact.user_id"), Ok(vec!["contact".to_owned(), "user_id".to_owned()]));
        assert!(body_path("contact..id").is_err());
        assert!(body_path("").is_err());
    }

    #[test]
    fn overlapping_body_members_collide() {
        let use_of = |field: &str, path: &str| WireUse {
            field: Some(field.to_owned()),
            case: None,
            destination: Destination::Body(body_path(path).unwrap()),
        };
        let uses = [use_of("to", "to"), use_of("receiverType", "to.type"), use_of("body", "body")];
        assert_eq!(collisions(&uses), ["`to` and `receiverType` both write the body member `to`"]);
    }
}
