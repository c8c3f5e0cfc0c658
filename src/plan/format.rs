//! The textual formats an argument can be required to have.

use std::net::IpAddr;

use super::value::shorten;
use crate::error::Problem;
use crate::wire::Format;

/// Checks `text` against `format`; `item` is the position of the value in its list, if it is in one.
pub(crate) fn check(format: Format, text: &str, item: Option<usize>) -> Result<(), Problem> {
    let valid = match format {
        Format::Url => is_web_url(text),
        Format::Email => is_email(text),
        Format::Ip => text.parse::<IpAddr>().is_ok(),
    };
    if valid { Ok(()) } else { Err(Problem::InvalidFormat { format, value: shorten(text), item }) }
}

/// Checks `text`, written by a Rust type that has the syntax of `format` (a `url::Url`, an `IpAddr`), against
/// what that type does not guarantee: a URL's scheme. A `url::Url` writes its scheme in lower case, and an
/// `http(s)` URL always has a host.
pub(crate) fn check_typed(format: Format, text: &str, item: Option<usize>) -> Result<(), Problem> {
    match format {
        Format::Url if text.starts_with("https://") || text.starts_with("http://") => Ok(()),
        Format::Ip => Ok(()),
        _ => check(format, text, item),
    }
}

/// An absolute `http` or `https` URL with a host.
fn is_web_url(text: &str) -> bool {
    url::Url::parse(text).is_ok_and(|url| {
        matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|host| !host.is_empty())
    })
}

/// A pragmatic email check: one `@` between a non-empty local part and a dotted domain, no spaces.
/// Intercom has the final word; this only catches what is clearly not an address (a name, an id, a typo).
fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else { return false };
    let labels_ok = domain.split('.').all(|label| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    });
    !local.is_empty()
        && !local.contains('@')
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        && domain.contains('.')
        && labels_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_urls() {
        assert!(is_web_url("https://example.com/a.png"));
        assert!(is_web_url("http://127.0.0.1:8080/x"));
        assert!(!is_web_url("ftp://example.com/a"));
        assert!(!is_web_url("example.com/a"));
        assert!(!is_web_url("https://"));
    }

    #[test]
    fn emails() {
        assert!(is_email("ann@example.com"));
        assert!(is_email("a+b@x.io"));
        assert!(is_email("o'brien@mail.example.co.uk"));
        assert!(!is_email("ann"));
        assert!(!is_email("ann@example"));
        assert!(!is_email("ann@@example.com"));
        assert!(!is_email("ann smith@example.com"));
        assert!(!is_email("@example.com"));
        assert!(!is_email("ann@example..com"));
    }

    #[test]
    fn ip_addresses() {
        assert!(check(Format::Ip, "192.168.0.1", None).is_ok());
        assert!(check(Format::Ip, "::1", None).is_ok());
        assert_eq!(
            check(Format::Ip, "999.1.1.1", None),
            Err(Problem::InvalidFormat { format: Format::Ip, value: "999.1.1.1".into(), item: None })
        );
    }
}
