//! Name rules: what the manifest may call things, and the Rust names derived from them.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Rust's strict and reserved keywords (2024 edition): none may be used as a generated identifier.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Methods the hand-written `Client` already has; a generated method must not take one of these names.
pub const CLIENT_METHODS: &[&str] = &[
    "builder",
    "call",
    "prepare_call",
    "stream_call",
    "new",
    "base_url",
    "intercom_version",
    "rate_limit",
    "has_access_token",
    "execute",
    "execute_raw",
    "trigger",
    "client_rate_limit",
    "token_for",
    "__http_request",
    "execute_to_decode",
    "clone",
    "fmt",
];

/// Methods every generated builder has; an argument's setter must not take one of these names.
pub const BUILDER_METHODS: &[&str] = &["send", "send_json", "prepare", "fmt", "call", "clone"];

/// The method a paged function's builder has besides [`BUILDER_METHODS`].
pub const STREAM_METHOD: &str = "stream";

/// The types, traits and variants of Rust's prelude. The generated modules name some of them without a path
/// (`impl Into<String>`), and so does the crate root, where the `Select` enums are imported with a glob: a
/// generated type of the same name would stand for the prelude's there, and the crate would not compile.
pub const PRELUDE_NAMES: &[&str] = &[
    "AsMut",
    "AsRef",
    "AsyncFn",
    "AsyncFnMut",
    "AsyncFnOnce",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Future",
    "Into",
    "IntoFuture",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// Associated items every generated `Select` enum has (`ALL`, `SELECT`, and `Err` of `FromStr`): a variant of
/// the same name would make `Self::ALL` ambiguous, which rustc refuses.
pub const ENUM_ITEMS: &[&str] = &["ALL", "SELECT", "Err"];

/// Names the crate root already uses (its modules, and the crates it names in `use`); a generated module
/// must not take one of these names. A test compares this with the client's `src/lib.rs`.
pub const CRATE_ROOT_NAMES: &[&str] = &[
    "selects",
    "models",
    "wire",
    "call",
    "client",
    "decode",
    "error",
    "plan",
    "prelude",
    "raw",
    "stream",
    "suggest",
    "timestamp",
    "transport",
    "simulator",
    "intercom_simulator",
    "functions",
    "std",
    "core",
    "serde_json",
    "reqwest",
    "url",
    "object",
    "trigger",
    "triggers",
    "find_trigger",
    "webhook",
    "oauth_flow",
];

/// The argument every seed function has; here it belongs to the client, not to a function.
pub const ACCESS_TOKEN: &str = "accessToken";

pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// `camelCase`: an ASCII letter in lower case, then ASCII letters and digits.
pub fn is_camel_case(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}

/// `PascalCase`: an ASCII letter in upper case, then ASCII letters and digits.
pub fn is_pascal_case(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}

/// `snake_case`: lower-case ASCII letters, digits and single underscores, starting with a letter.
pub fn is_snake_case(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.contains("__")
        && !name.ends_with('_')
}

pub fn snake_case(name: &str) -> String {
    name.to_snake_case()
}

pub fn pascal_case(name: &str) -> String {
    name.to_upper_camel_case()
}

pub fn shouty_snake_case(name: &str) -> String {
    name.to_shouty_snake_case()
}

/// Why `name` cannot be a snake_case Rust identifier, if it cannot: words that follow the name in a sentence.
pub fn snake_identifier_problem(name: &str) -> Option<&'static str> {
    if !is_snake_case(name) {
        Some("is not a snake_case identifier")
    } else if is_keyword(name) {
        Some("is a Rust keyword")
    } else {
        None
    }
}

/// Why `name` cannot be a PascalCase Rust identifier, if it cannot: words that follow the name in a sentence.
pub fn pascal_identifier_problem(name: &str) -> Option<&'static str> {
    if !is_pascal_case(name) {
        Some("is not a PascalCase identifier")
    } else if is_keyword(name) {
        Some("is a Rust keyword")
    } else {
        None
    }
}

/// Why `name` cannot name a generated type (an enum or a builder), if it cannot.
pub fn type_name_problem(name: &str) -> Option<&'static str> {
    pascal_identifier_problem(name).or_else(|| {
        PRELUDE_NAMES.contains(&name).then_some("is a name of Rust's prelude, which the generated code uses")
    })
}

/// The closest of `candidates` to `name`, when one is close enough to be a likely typo. The client runtime
/// suggests argument names by the same rule (`src/suggest.rs`); it cannot depend on the generator that builds it.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let normalized = normalize(name);
    candidates
        .into_iter()
        .map(|candidate| (strsim::levenshtein(&normalized, &normalize(candidate)), candidate))
        .filter(|(distance, candidate)| *distance <= (candidate.len() / 3).max(2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

fn normalize(name: &str) -> String {
    name.chars().filter(|c| *c != '_' && *c != '-').flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_rules() {
        assert!(is_camel_case("getUserSegmensCount"));
        assert!(!is_camel_case("GetUsers"));
        assert!(!is_camel_case("get_users"));
        assert!(is_pascal_case("UserIdType"));
        assert!(is_snake_case("get_single_user"));
        assert!(!is_snake_case("get__user"));
        assert_eq!(snake_case("createUserBulkJobs"), "create_user_bulk_jobs");
        assert_eq!(pascal_case("intercom_id"), "IntercomId");
        assert_eq!(shouty_snake_case("get_single_user"), "GET_SINGLE_USER");
    }

    #[test]
    fn keywords_are_refused() {
        assert_eq!(snake_identifier_problem("type"), Some("is a Rust keyword"));
        assert_eq!(pascal_identifier_problem("Self"), Some("is a Rust keyword"));
        assert_eq!(snake_identifier_problem("getThing"), Some("is not a snake_case identifier"));
        assert_eq!(snake_identifier_problem("count_type"), None);
    }

    #[test]
    fn closest_name_ignores_case_and_underscores() {
        let names = ["userId", "userIdType", "email"];
        assert_eq!(closest("user_id", names), Some("userId"));
        assert_eq!(closest("userIdTyp", names), Some("userIdType"));
        assert_eq!(closest("emial", names), Some("email"));
        assert_eq!(closest("companies", names), None);
    }
}
