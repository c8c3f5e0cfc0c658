//! Random structural mutations of a JSON document: hostile strings, odd numbers, deleted and added keys,
//! values of the wrong type, objects turned into arrays and back, duplicated and copied nodes.

use fastrand::Rng;
use serde_json::{Map, Value, json};

/// One step from a node to one of its children.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// Applies one random mutation to `document` and says what it did, for the report of a failure.
pub fn mutate(rng: &mut Rng, document: &mut Value) -> String {
    let paths = paths(document);
    let strings = strings(document);
    let string_paths: Vec<&Vec<Step>> =
        paths.iter().filter(|path| node_ref(document, path).is_some_and(Value::is_string)).collect();
    let from = &paths[rng.usize(..paths.len())];
    let copy = node_ref(document, from).cloned().unwrap_or_default();
    let operation = rng.u8(..100);
    // Most mutations change a string: the loader refuses most other changes outright, and it is text that
    // reaches the generated code.
    let path = if operation < 55 && !string_paths.is_empty() {
        string_paths[rng.usize(..string_paths.len())]
    } else {
        &paths[rng.usize(..paths.len())]
    };
    let shown = format!("{path:?}");
    let Some(node) = node_mut(document, path) else { return "nothing".to_owned() };
    match operation {
        0..=44 => {
            let value = hostile_string(rng, &strings);
            let done = format!("{shown} = {value:?}");
            *node = Value::String(value);
            done
        }
        45..=54 => match node {
            Value::String(text) => {
                let mut chars: Vec<char> = text.chars().collect();
                let at = rng.usize(..=chars.len());
                let inserted = pick(rng, HOSTILE_CHARS);
                chars.insert(at, inserted);
                *text = chars.into_iter().collect();
                format!("{shown}: inserted {inserted:?} at {at}")
            }
            _ => replace_with_other_type(rng, node, &shown, &strings),
        },
        55..=62 => match node {
            Value::Object(members) if !members.is_empty() => {
                let key = members.keys().nth(rng.usize(..members.len())).cloned().unwrap_or_default();
                members.remove(&key);
                format!("{shown}: removed {key:?}")
            }
            Value::Array(items) if !items.is_empty() => {
                let index = rng.usize(..items.len());
                items.remove(index);
                format!("{shown}: removed item {index}")
            }
            _ => replace_with_other_type(rng, node, &shown, &strings),
        },
        63..=69 => replace_with_other_type(rng, node, &shown, &strings),
        70..=73 => match node {
            Value::Object(members) => {
                let values = std::mem::take(members).into_iter().map(|(_, value)| value).collect();
                *node = Value::Array(values);
                format!("{shown}: object made an array")
            }
            _ => replace_with_other_type(rng, node, &shown, &strings),
        },
        74..=77 => match node {
            Value::Array(items) => {
                let members = std::mem::take(items).into_iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect();
                *node = Value::Object(members);
                format!("{shown}: array made an object")
            }
            _ => replace_with_other_type(rng, node, &shown, &strings),
        },
        78..=87 => match node {
            Value::Array(items) if !items.is_empty() => {
                let index = rng.usize(..items.len());
                let mut copy = items[index].clone();
                let renamed = rng.bool();
                if renamed {
                    if let Some(Value::String(name)) = copy.get_mut("name") {
                        *name = variant_of(rng, name);
                    }
                }
                items.insert(rng.usize(..=items.len()), copy);
                format!("{shown}: item {index} duplicated{}", if renamed { ", renamed" } else { "" })
            }
            _ => replace_with_other_type(rng, node, &shown, &strings),
        },
        88..=91 => {
            let number = odd_number(rng);
            let done = format!("{shown} = {number}");
            *node = number;
            done
        }
        92..=95 => match node {
            Value::Object(members) => {
                let key = pick(rng, KEYS).to_owned();
                let value = random_value(rng, &strings);
                let done = format!("{shown}: added {key:?}: {value}");
                members.insert(key, value);
                done
            }
            _ => replace_with_other_type(rng, node, &shown, &strings),
        },
        _ => {
            // Well-formed pieces in the wrong place.
            let done = format!("{shown} = copy of {from:?}");
            *node = copy;
            done
        }
    }
}

fn replace_with_other_type(rng: &mut Rng, node: &mut Value, shown: &str, strings: &[String]) -> String {
    let value = loop {
        let value = random_value(rng, strings);
        if std::mem::discriminant(&value) != std::mem::discriminant(node) {
            break value;
        }
    };
    let done = format!("{shown} = {value}");
    *node = value;
    done
}

/// A value of any type: mostly hostile strings and odd numbers, sometimes an empty or small structure.
fn random_value(rng: &mut Rng, strings: &[String]) -> Value {
    match rng.u8(..10) {
        0..=3 => Value::String(hostile_string(rng, strings)),
        4 | 5 => odd_number(rng),
        6 => Value::Bool(rng.bool()),
        7 => Value::Null,
        8 => json!([hostile_string(rng, strings)]),
        _ => {
            let mut members = Map::new();
            members.insert(pick(rng, KEYS).to_owned(), Value::String(hostile_string(rng, strings)));
            Value::Object(members)
        }
    }
}

fn odd_number(rng: &mut Rng) -> Value {
    match rng.u8(..12) {
        0 => json!(-1),
        1 => json!(0),
        2 => json!(1),
        3 => json!(9_007_199_254_740_993_u64),
        4 => json!(u64::MAX),
        5 => json!(i64::MIN),
        6 => json!(1.5),
        7 => json!(-0.25),
        8 => json!(1e300),
        9 => json!(-1e300),
        10 => json!(5e-324),
        _ => json!(rng.i64(..)),
    }
}

/// Text that has broken generators: control characters, comment and literal delimiters, Markdown that
/// rustdoc compiles, Rust keywords and names the generated code uses, names that differ only in case or
/// underscores, path tricks, very long and empty text.
fn hostile_string(rng: &mut Rng, strings: &[String]) -> String {
    match rng.u8(..12) {
        0..=2 => pick(rng, HOSTILE_STRINGS).to_owned(),
        3..=5 => pick(rng, ODD_TEXT).to_owned(),
        6 if !strings.is_empty() => {
            let other = &strings[rng.usize(..strings.len())];
            variant_of(rng, other)
        }
        7 => "word ".repeat(rng.usize(1..3000)),
        9 | 10 if !strings.is_empty() => {
            // Odd but printable text around a string of the document, which descriptions accept.
            let other = &strings[rng.usize(..strings.len())];
            format!("{}{other}{}", pick(rng, ODD_TEXT), pick(rng, ODD_TEXT))
        }
        8 => {
            let length = rng.usize(1..12);
            (0..length).map(|_| if rng.bool() { pick(rng, HOSTILE_CHARS) } else { rng.alphanumeric() }).collect()
        }
        _ => pick(rng, NAMES).to_owned(),
    }
}

/// `name` changed a little: its case, an underscore, a digit.
fn variant_of(rng: &mut Rng, name: &str) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    if chars.is_empty() {
        return "_".to_owned();
    }
    match rng.u8(..7) {
        0 => {
            chars[0] =
                if chars[0].is_uppercase() { chars[0].to_ascii_lowercase() } else { chars[0].to_ascii_uppercase() }
        }
        1 => return name.to_lowercase(),
        2 => return name.to_uppercase(),
        3 => chars.insert(rng.usize(..=chars.len()), '_'),
        4 => chars.retain(|c| *c != '_'),
        5 => chars.push('2'),
        _ => {
            let at = rng.usize(..chars.len());
            chars[at] =
                if chars[at].is_uppercase() { chars[at].to_ascii_lowercase() } else { chars[at].to_ascii_uppercase() };
        }
    }
    chars.into_iter().collect()
}

fn pick<T: Copy>(rng: &mut Rng, items: &[T]) -> T {
    items[rng.usize(..items.len())]
}

const HOSTILE_CHARS: &[char] = &[
    '\r', '\n', '\t', '\0', '\u{1b}', '\u{7f}', '\u{85}', '\u{202e}', '\u{2066}', '\u{200b}', '\u{feff}', '\u{2028}',
    '"', '\\', '\'', '`', '{', '}', '/', '*', '#', '%', '?', '.', ' ', 'é', '日', '😀',
];

const HOSTILE_STRINGS: &[&str] = &[
    "",
    " ",
    "\r",
    "bare\rCR",
    "crlf\r\nline",
    "nul\0",
    "esc\u{1b}[31m",
    "line\nbreak",
    "tab\there",
    "*/",
    "/*",
    "/* unclosed",
    "//",
    "///",
    "//!",
    "/",
    "\"",
    "\\",
    "\\\"",
    "'",
    "`",
    "```",
    "```\nfn main() { oops }\n```",
    "text\n\n    indented code",
    "\tstarts with a tab",
    "~~~",
    "# heading",
    "#![deny(warnings)]",
    "<div>",
    "[link]",
    "\u{202e}reversed",
    "zero\u{200b}width",
    "é",
    "日本語",
    "😀",
    "1",
    "-1",
    "1.5",
    "1e999",
    "NaN",
    "true",
    "null",
    "{}",
    "[]",
    "{x}",
    "/a/{b}/{b}",
    "/a/{b}{c}",
    "/a/../b",
    "/a/./b",
    "/a//b",
    "/a/",
    "/a?b=c",
    "/a#b",
    "/%2e%2e",
    "/{shopId}",
    "a.b",
    "a..b",
    ".",
    "..",
    "x y",
];

/// Printable text that breaks naive code generators: comment and literal delimiters, escapes, Markdown,
/// non-ASCII, line breaks.
const ODD_TEXT: &[&str] = &[
    "*/",
    "/*",
    "/**",
    "//",
    "/// x",
    "//! x",
    "/",
    "\"",
    "\\",
    "\\\"",
    "'",
    "`",
    "``",
    "#",
    "# Errors",
    "#[doc]",
    "<div>",
    "</div>",
    "[link]",
    "[`x`](y)",
    "&amp;",
    "{}",
    "{0}",
    "%s",
    "$x",
    "r#\"x\"#",
    "\"#",
    "'static",
    "é",
    "日本語",
    "😀",
    "zero\u{200b}width",
    "line\nbreak",
    "two\n\nparagraphs",
    "tab\there",
    "   ",
    "x ",
    "   three spaces",
    "* item",
    "1. item",
    "| a | b |",
    "---",
    "> quote",
    "\u{2028}",
    "\u{feff}",
    "\u{a0}",
];

/// Names that Rust or the generated code already uses, in the forms the manifest spells names in.
const NAMES: &[&str] = &[
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "r#x",
    "r#type",
    "_",
    "__",
    "a__b",
    "a_",
    "A",
    "a",
    "a1",
    "ALL",
    "All",
    "SELECT",
    "Select",
    "Err",
    "err",
    "Ok",
    "String",
    "string",
    "into",
    "Into",
    "intoIterator",
    "IntoIterator",
    "stream",
    "call",
    "send",
    "prepare",
    "fmt",
    "new",
    "builder",
    "spec",
    "selects",
    "std",
    "core",
    "clone",
    "rateLimit",
    "streamCall",
    "executeRaw",
    "prepareCall",
    "baseUrl",
    "accessToken",
    "gen",
    "async",
    "dyn",
    "try",
    "union",
    "macro_rules",
    "Item",
    "Value",
    "Option",
    "Result",
    "Some",
    "None",
    "i64",
    "f64",
    "bool",
    "str",
    "Vec",
    "Box",
    "UserIdType",
    "WidgetIdType",
    "getWidget",
    "getSingleUser",
    "widgets",
    "users",
    "id",
    "sku",
    "name",
    "userId",
];

/// Keys of the manifest, added with odd values.
const KEYS: &[&str] = &[
    "name",
    "description",
    "notes",
    "rust_name",
    "auth",
    "idempotent",
    "paging",
    "http",
    "fields",
    "rules",
    "style",
    "items",
    "cursor",
    "method",
    "path",
    "query",
    "body",
    "type",
    "select",
    "options",
    "required",
    "format",
    "max_items",
    "minimum",
    "maximum",
    "default",
    "secret",
    "in",
    "wire",
    "route",
    "transform",
    "by",
    "cases",
    "if",
    "then",
    "field",
    "not_in",
    "require",
    "forbid",
    "value",
    "module",
    "title",
    "selects",
    "functions",
    "$schema",
    "reject",
    "avatar",
    "untag",
    "id_list",
];

fn paths(value: &Value) -> Vec<Vec<Step>> {
    let mut found = vec![Vec::new()];
    let mut index = 0;
    while index < found.len() {
        let path = found[index].clone();
        match node_ref(value, &path) {
            Some(Value::Object(members)) => {
                for key in members.keys() {
                    let mut child = path.clone();
                    child.push(Step::Key(key.clone()));
                    found.push(child);
                }
            }
            Some(Value::Array(items)) => {
                for i in 0..items.len() {
                    let mut child = path.clone();
                    child.push(Step::Index(i));
                    found.push(child);
                }
            }
            _ => {}
        }
        index += 1;
    }
    found
}

/// Every string and key of the document, to make near-duplicates of.
fn strings(value: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::String(text) => found.push(text.clone()),
            Value::Object(members) => {
                for (key, child) in members {
                    found.push(key.clone());
                    stack.push(child);
                }
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    found
}

fn node_ref<'v>(value: &'v Value, path: &[Step]) -> Option<&'v Value> {
    path.iter().try_fold(value, |node, step| match step {
        Step::Key(key) => node.get(key),
        Step::Index(index) => node.get(index),
    })
}

fn node_mut<'v>(value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |node, step| match step {
        Step::Key(key) => node.get_mut(key),
        Step::Index(index) => node.get_mut(index),
    })
}
