//! Text of the manifest that reaches the generated code: descriptions, notes, titles, reject reasons, option
//! values, defaults and the like, which become rustdoc comments (and string literals).
//!
//! String literals escape anything, but prettyplease prints a doc attribute as a `///` comment verbatim, so
//! a bare carriage return there is a lex error in rustc, and a text-direction control is a deny-by-default
//! lint. And rustdoc reads the comments as Markdown: a code block opened by a description would be compiled
//! as a doctest of the client. So such text is refused here, with where it is, rather than left to break the
//! build of the client.

use serde_json::Value;

use super::{Context, Site};
use crate::chars;
use crate::manifest;

/// Why `text` cannot go into the generated documentation, if it cannot: words that follow its name.
pub(super) fn code_text_problem(text: &str) -> Option<String> {
    if let Some((position, c)) = chars::first(text, chars::is_forbidden_in_code_text) {
        let what = chars::describe(c);
        return Some(if chars::is_text_direction_control(c) {
            format!("holds {what} at character {position}, which rustc refuses in generated code")
        } else {
            format!(
                "holds {what} at character {position}; text that goes into the generated code may hold no control \
                 characters but line feeds and tabs"
            )
        });
    }
    code_block_problem(text)
}

/// Whether a line of `text` would start a Markdown code block wherever the text is put in a doc comment: a
/// fence (```` ``` ```` or `~~~`), or a line indented by four columns at the start of the text or after a blank
/// line. rustdoc compiles such a block as a doctest, as Rust.
fn code_block_problem(text: &str) -> Option<String> {
    let mut after_blank = true;
    for (index, line) in text.lines().enumerate() {
        let indent = line
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .fold(0, |width, c| if c == '\t' { width + 4 - width % 4 } else { width + 1 });
        let rest = line.trim_start_matches([' ', '\t']);
        let number = index + 1;
        if indent < 4 && (rest.starts_with("```") || rest.starts_with("~~~")) {
            return Some(format!(
                "opens a code block on its line {number}, which rustdoc would compile as a doctest of the client; \
                 quote code inline, in `backticks`"
            ));
        }
        if after_blank && indent >= 4 && !rest.is_empty() {
            return Some(format!(
                "has its line {number} indented by four spaces (or a tab) at the start of a paragraph, which makes \
                 it a code block that rustdoc would compile as a doctest of the client; remove the indentation"
            ));
        }
        after_blank = rest.is_empty();
    }
    None
}

impl Context {
    /// Reports `text` (named `what`, e.g. "the description") if it cannot go into the generated code.
    /// Returns whether it can.
    pub(super) fn check_code_text(&mut self, site: Site<'_>, what: &str, text: &str) -> bool {
        match code_text_problem(text) {
            Some(problem) => {
                self.report(site, format!("{what} {problem}"));
                false
            }
            None => true,
        }
    }

    /// The text of a function that reaches its documentation, apart from its arguments.
    pub(super) fn check_function_texts(&mut self, site: Site<'_>, function: &manifest::Function) {
        self.check_code_text(site, "the description", &function.description);
        if let Some(notes) = &function.notes {
            self.check_code_text(site, "the text of \"notes\"", notes);
        }
        if let Some(paging) = &function.paging {
            self.check_code_text(site, "the paging items key", &paging.items);
        }
        for (name, value) in &function.http.query {
            if let Value::String(text) = value {
                self.check_code_text(site, &format!("the value of the constant query parameter `{name}`"), text);
            }
        }
    }

    /// The text of an argument that reaches the documentation. Its inline options are checked with the
    /// other option sets.
    pub(super) fn check_field_texts(&mut self, site: Site<'_>, field: &manifest::Field) {
        self.check_code_text(site, "the description", &field.description);
        // Non-string defaults are shown as JSON, which escapes control characters.
        if let Some(Value::String(default)) = &field.default {
            self.check_code_text(site, "the default", default);
        }
        let cases = field.route.iter().flat_map(|route| &route.cases);
        for (option, case) in cases {
            if let Some(reason) = &case.reject {
                self.check_code_text(site, &format!("the reason the route case `{option}` rejects"), reason);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_passes() {
        assert_eq!(code_text_problem("One line.\n\nAnother,\twith a tab.\n    continued"), None);
        assert_eq!(code_text_problem("Inline `code` and ``` in the middle."), None);
    }

    #[test]
    fn control_characters_are_refused() {
        let problem = code_text_problem("bare\rCR").unwrap();
        assert!(problem.starts_with("holds a carriage return (U+000D) at character 5;"), "{problem}");
        assert!(code_text_problem("a\r\nb").is_some());
        assert!(code_text_problem("nul\0").is_some());
        assert!(code_text_problem("rtl \u{202e}").unwrap().contains("text-direction control U+202E"));
    }

    #[test]
    fn code_blocks_are_refused() {
        assert!(
            code_text_problem("Example:\n```\nlet x = 1;\n```")
                .unwrap()
                .starts_with("opens a code block on its line 2")
        );
        assert!(code_text_problem("  ~~~").is_some());
        assert!(code_text_problem("    indented first line").is_some());
        assert!(code_text_problem("Text.\n\n\tcode").unwrap().contains("its line 3"));
        assert_eq!(code_text_problem("    "), None);
    }
}
