//! Characters that cannot be carried as they are: into generated code (where rustc refuses them) or into a
//! report (where they would break its one-problem-per-line layout or reorder what a terminal shows).

use std::borrow::Cow;

/// Whether rustc refuses `c` in comments and literals: the Unicode controls that change the visible
/// direction of text (its `text_direction_codepoint_in_*` lints are errors by default).
pub fn is_text_direction_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` may not appear in text that reaches the generated code: control characters other than line
/// feed and tab (a carriage return not followed by a line feed is an error in a doc comment), and
/// text-direction controls.
pub fn is_forbidden_in_code_text(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_text_direction_control(c)
}

/// How a character is named in a diagnostic, e.g. "a carriage return (U+000D)" or "`%`".
pub fn describe(c: char) -> String {
    let code = c as u32;
    match c {
        ' ' => "a space".to_owned(),
        '\0' => "NUL (U+0000)".to_owned(),
        '\t' => "a tab (U+0009)".to_owned(),
        '\n' => "a line feed (U+000A)".to_owned(),
        '\r' => "a carriage return (U+000D)".to_owned(),
        c if c.is_control() => format!("the control character U+{code:04X}"),
        c if is_text_direction_control(c) => format!("the text-direction control U+{code:04X}"),
        c if c.is_ascii() => format!("`{c}`"),
        c if c.is_whitespace() => format!("the non-ASCII space U+{code:04X}"),
        c => format!("the non-ASCII character `{c}` (U+{code:04X})"),
    }
}

/// The first character of `text` that `forbidden` matches, with its position (counted in characters, from 1).
pub fn first(text: &str, forbidden: impl Fn(char) -> bool) -> Option<(usize, char)> {
    text.chars().enumerate().find(|(_, c)| forbidden(*c)).map(|(index, c)| (index + 1, c))
}

/// `text` with every control character and text-direction control written as an escape (`\r`, `\u{202e}`),
/// so that it shows on one line and as it is stored.
pub fn shown(text: &str) -> Cow<'_, str> {
    let hidden = |c: char| c.is_control() || is_text_direction_control(c);
    if !text.contains(hidden) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            c if hidden(c) => escaped.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters() {
        assert!(is_forbidden_in_code_text('\r'));
        assert!(is_forbidden_in_code_text('\0'));
        assert!(is_forbidden_in_code_text('\u{7f}'));
        assert!(is_forbidden_in_code_text('\u{85}'));
        assert!(is_forbidden_in_code_text('\u{202e}'));
        assert!(!is_forbidden_in_code_text('\n'));
        assert!(!is_forbidden_in_code_text('\t'));
        assert!(!is_forbidden_in_code_text('é'));
    }

    #[test]
    fn characters_are_named() {
        assert_eq!(describe('\r'), "a carriage return (U+000D)");
        assert_eq!(describe('\u{1b}'), "the control character U+001B");
        assert_eq!(describe('\u{2067}'), "the text-direction control U+2067");
        assert_eq!(describe('%'), "`%`");
        assert_eq!(describe('é'), "the non-ASCII character `é` (U+00E9)");
        assert_eq!(first("ab\rc", |c| c == '\r'), Some((3, '\r')));
    }

    #[test]
    fn hidden_characters_are_shown_escaped() {
        assert_eq!(shown("plain `text`"), "plain `text`");
        assert_eq!(shown("a\rb\0c\u{202e}d\ne"), "a\\rb\\u{0}c\\u{202e}d\\ne");
    }
}
