//! Wire-level rules: path templates, query names, body paths, and collisions between them.

use std::fmt;

/// The `{name}` placeholders of a path template, in order, or why the template is malformed.
pub fn path_placeholders(template: &str) -> Result<Vec<&str>, String> {
    if !template.starts_with('/') {
        return Err(format!("the path `{template}` must start with `/`"));
    }
    if template.contains(['?', '#']) {
        return Err(format!("the path `{template}` must not contain a query or fragment; use \"query\" constants"));
    }
    if template.chars().any(char::is_whitespace) {
        return Err(format!("the path `{template}` contains white space"));
    }
    let mut placeholders = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(format!("the path `{template}` has a `}}` without its `{{`"));
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(format!("the path `{template}` has a `{{` without its `}}`"));
        };
        let name = &after[..close];
        if name.contains('{') {
            return Err(format!("the path `{template}` nests `{{` inside a placeholder"));
        }
        if !super::names::is_camel_case(name) {
            return Err(format!("the path placeholder `{{{name}}}` must name a field in camelCase"));
        }
        if placeholders.contains(&name) {
            return Err(format!("the path `{template}` uses `{{{name}}}` twice"));
        }
        placeholders.push(name);
        rest = &after[close + 1..];
    }
    Ok(placeholders)
}

/// A query parameter name, or why it cannot be one.
pub fn query_name(name: &str) -> Result<String, String> {
    if name.is_empty() {
        Err("a query parameter name cannot be empty".to_owned())
    } else if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Err(format!("the query parameter name `{name}` contains white space"))
    } else {
        Ok(name.to_owned())
    }
}

/// A dotted body path such as `contact.user_id`, split into its keys, or why it cannot be one.
pub fn body_path(path: &str) -> Result<Vec<String>, String> {
    let keys: Vec<String> = path.split('.').map(str::to_owned).collect();
    if keys.iter().any(String::is_empty) {
        Err(format!("the body path `{path}` has an empty key"))
    } else if path.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Err(format!("the body path `{path}` contains white space"))
    } else {
        Ok(keys)
    }
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
