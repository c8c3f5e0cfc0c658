//! The `Intercom-Version` a request asks for, for the few endpoints that exist only in some versions.
//!
//! Without the header Intercom uses the version the app is set to; the simulated app is set to 1.4, the newest
//! v1 version (and the client's default). A value that is not one of Intercom's versions, or an endpoint the
//! requested version does not have, is a `400 intercom_version_invalid`: that is what Intercom answers, e.g.
//! `{"code": "intercom_version_invalid", "message": "Requested resource is not available in current API
//! version"}` for a 1.x app calling a 2.x-only resource (python-intercom issue #234, airbyte issue #6351), and
//! the code the SDKs map a bad version to (facts §1.3).

use axum::http::{HeaderMap, StatusCode};

use crate::http::ApiError;

/// An API version, `(major, minor)`: 1.0 to 1.4, 2.0 and later; `Unstable` and `Preview` are newer than all.
pub(crate) type Version = (u16, u16);

/// The version the simulated app is set to: what a request without the header gets.
pub(crate) const APP_VERSION: Version = (1, 4);

/// The newest numbered version Intercom's `intercom_version` enum lists (facts §1.3).
const NEWEST_2X_MINOR: u16 = 16;

/// What `Unstable` and `Preview` stand for: after every numbered version.
const UNRELEASED: Version = (u16::MAX, 0);

const HEADER: &str = "intercom-version";

/// The version a request asks for: its `Intercom-Version`, or the app's. A value that is not one of Intercom's
/// versions is a `400 intercom_version_invalid`.
pub(crate) fn requested(headers: &HeaderMap) -> Result<Version, ApiError> {
    let Some(value) = headers.get(HEADER) else { return Ok(APP_VERSION) };
    let text = value.to_str().unwrap_or_default().trim();
    if text == "Unstable" || text == "Preview" {
        return Ok(UNRELEASED);
    }
    let parsed = text.split_once('.').and_then(|(major, minor)| {
        let digits = |part: &str| !part.is_empty() && part.chars().all(|digit| digit.is_ascii_digit());
        if !digits(major) || !digits(minor) {
            return None;
        }
        Some((major.parse::<u16>().ok()?, minor.parse::<u16>().ok()?))
    });
    match parsed {
        Some((1, minor)) if minor <= 4 => Ok((1, minor)),
        Some((2, minor)) if minor <= NEWEST_2X_MINOR => Ok((2, minor)),
        _ => Err(invalid(format!(
            "Intercom-Version {text:?} is not a version: use 1.0 to 1.4, 2.0 to 2.{NEWEST_2X_MINOR}, Unstable or Preview"
        ))),
    }
}

/// Checks that the requested version has the resource: it must be from `first` (and, when given, at most
/// `last`). Otherwise Intercom's `400 intercom_version_invalid`.
pub(crate) fn require(headers: &HeaderMap, first: Version, last: Option<Version>) -> Result<(), ApiError> {
    let version = requested(headers)?;
    if version < first || last.is_some_and(|last| version > last) {
        return Err(invalid("Requested resource is not available in current API version"));
    }
    Ok(())
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "intercom_version_invalid", message)
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn with(version: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(HEADER, HeaderValue::from_str(version).unwrap());
        headers
    }

    #[test]
    fn versions_are_intercoms() {
        assert_eq!(requested(&HeaderMap::new()).unwrap(), APP_VERSION);
        assert_eq!(requested(&with("2.1")).unwrap(), (2, 1));
        assert_eq!(requested(&with("1.0")).unwrap(), (1, 0));
        assert!(requested(&with("Unstable")).unwrap() > (2, NEWEST_2X_MINOR));
        for bad in ["1.5", "2", "v2.1", "2.x", "3.0", "", "2.99"] {
            assert!(requested(&with(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_resource_needs_its_versions() {
        assert!(require(&with("2.1"), (2, 1), None).is_ok());
        assert!(require(&with("2.0"), (2, 1), None).is_err());
        assert!(require(&HeaderMap::new(), (2, 1), None).is_err(), "the app is on 1.4");
        assert!(require(&with("1.3"), (1, 2), Some((1, 3))).is_ok());
        assert!(require(&with("1.4"), (1, 2), Some((1, 3))).is_err());
    }
}
