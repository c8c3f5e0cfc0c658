//! What the tool prints: JSON written straight from the bytes received, and text that cannot drive a
//! terminal.
//!
//! Whatever came from the network (a response, an error message, a header) may hold control sequences: an
//! `ESC [2J` in an error message would clear the user's terminal, a bidirectional override would make text
//! read other than it is. Text is printed with such characters escaped; JSON is printed with them escaped as
//! `\uXXXX` inside its strings, which is the same JSON value.

use std::borrow::Cow;
use std::io::{self, Write};

use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

/// Characters a terminal may act on: C0 and C1 controls, DEL, and the invisible bidirectional controls.
fn is_unsafe(character: char) -> bool {
    character.is_control()
        || matches!(character, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every character a terminal may act on escaped as `\u{1b}` (line breaks and tabs included, so
/// that a message cannot fake lines of the tool's own output).
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len() + 16);
    for character in text.chars() {
        if is_unsafe(character) {
            safe.extend(character.escape_unicode());
        } else {
            safe.push(character);
        }
    }
    Cow::Owned(safe)
}

/// Writes the JSON text `json` to `out`, indented, without building a tree of its values: a large answer
/// costs its size once. Ends with a line break.
pub fn write_pretty_json(json: &[u8], out: &mut impl Write) -> io::Result<()> {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, Safe(PrettyFormatter::new()));
    serde_transcode::transcode(&mut deserializer, &mut serializer).map_err(io::Error::other)?;
    deserializer.end().map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// Writes `value` to `out` on one line, followed by a line break.
pub fn write_json_line(value: &impl serde::Serialize, out: &mut impl Write) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, Safe(CompactFormatter));
    value.serialize(&mut serializer).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// Writes `value` to `out` indented, followed by a line break.
pub fn write_pretty_value(value: &impl serde::Serialize, out: &mut impl Write) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, Safe(PrettyFormatter::new()));
    value.serialize(&mut serializer).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// A JSON formatter that escapes, inside strings, the characters serde_json leaves as they are but a terminal
/// may act on (DEL, C1 controls, bidirectional controls; serde_json already escapes C0 controls). Everything
/// else is the wrapped formatter's.
struct Safe<F>(F);

impl<F: Formatter> Formatter for Safe<F> {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
        let mut rest = fragment;
        while let Some((index, character)) = rest.char_indices().find(|(_, character)| is_unsafe(*character)) {
            self.0.write_string_fragment(writer, &rest[..index])?;
            let mut units = [0u16; 2];
            for unit in character.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            rest = &rest[index + character.len_utf8()..];
        }
        self.0.write_string_fragment(writer, rest)
    }

    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_key(writer)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_could_drive_a_terminal_is_escaped() {
        assert_eq!(terminal_safe("plain text, é"), "plain text, é");
        assert_eq!(terminal_safe("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(terminal_safe("one\ntwo\r"), "one\\u{a}two\\u{d}");
        assert_eq!(terminal_safe("\u{9b}31m \u{202e}txt"), "\\u{9b}31m \\u{202e}txt");
    }

    #[test]
    fn json_is_printed_as_the_same_value_without_terminal_controls() {
        let json = "{\"a\": [1, 2.5, \"x\\u001b[2J\\u009b\u{7f}\u{202e}y\", null, true], \"b\": {}, \"c\": []}";
        let mut out = Vec::new();
        write_pretty_json(json.as_bytes(), &mut out).unwrap();
        let printed = String::from_utf8(out).unwrap();
        assert!(!printed.chars().any(|c| is_unsafe(c) && c != '\n'), "{printed:?}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&printed).unwrap(),
            serde_json::from_str::<serde_json::Value>(json).unwrap()
        );
        assert_eq!(
            printed,
            "{\n  \"a\": [\n    1,\n    2.5,\n    \"x\\u001b[2J\\u009b\\u007f\\u202ey\",\n    null,\n    true\n  ],\n  \"b\": {},\n  \"c\": []\n}\n"
        );
    }

    #[test]
    fn json_that_does_not_parse_is_an_error() {
        for bad in ["{", "[1,]", "{} {}", ""] {
            assert!(write_pretty_json(bad.as_bytes(), &mut Vec::new()).is_err(), "{bad}");
        }
    }
}
