//! Points in time as a `DatePicker` accepts them, turned into Unix seconds.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

/// Unix seconds from whole-number text, RFC 3339 (any offset), or `YYYY-MM-DD HH:MM:SS` taken as UTC.
pub(crate) fn parse(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<i64>() {
        return Some(seconds);
    }
    if let Ok(moment) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(moment.unix_timestamp());
    }
    let plain = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    PrimitiveDateTime::parse(text, &plain).ok().map(|moment| moment.assume_utc().unix_timestamp())
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn the_three_accepted_forms() {
        assert_eq!(parse("1714557600"), Some(1_714_557_600));
        assert_eq!(parse("2024-05-01T10:00:00Z"), Some(1_714_557_600));
        assert_eq!(parse("2024-05-01T12:00:00+02:00"), Some(1_714_557_600));
        assert_eq!(parse("2024-05-01T10:00:00.750Z"), Some(1_714_557_600));
        assert_eq!(parse("2024-05-01 10:00:00"), Some(1_714_557_600));
    }

    #[test]
    fn anything_else_is_refused() {
        assert_eq!(parse("yesterday"), None);
        assert_eq!(parse("2024-05-01"), None);
        assert_eq!(parse("2024-13-01 10:00:00"), None);
        assert_eq!(parse("2024-05-01T10:00:00"), None);
    }
}
