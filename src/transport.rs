//! One HTTP exchange: sending a prepared request and decoding Intercom's answer, whatever it is.

use reqwest::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE};
use serde::Deserialize;
use serde_json::Value;

use crate::client::AccessToken;
use crate::error::{ApiError, ApiErrorDetail, Error};
use crate::rate_limit::{Limiter, RateLimit};
use crate::request::PreparedRequest;
use crate::spec::Method;

/// Where and how requests are sent.
#[derive(Debug)]
pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    /// Without a trailing `/`.
    pub(crate) base_url: String,
    pub(crate) intercom_version: String,
    pub(crate) max_response_bytes: usize,
}

impl Transport {
    /// Sends `request` once and decodes the answer; the rate-limit headers of any answer go to `limiter`.
    pub(crate) async fn attempt(
        &self,
        token: Option<&AccessToken>,
        request: &PreparedRequest,
        limiter: &Limiter,
    ) -> Result<Value, Error> {
        let function = request.function;
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        };
        let url = format!("{}{}", self.base_url, request.path_and_query());
        let mut builder = self
            .http
            .request(method, url)
            .header(ACCEPT, "application/json")
            .header("Intercom-Version", &self.intercom_version);
        if let Some(token) = token {
            // reqwest marks this header sensitive, so it is never logged.
            builder = builder.bearer_auth(token.secret());
        }
        if let Some(body) = &request.body {
            builder = builder.header(CONTENT_TYPE, "application/json").body(body.to_string());
        }
        let mut response = builder.send().await.map_err(|source| transport_error(function, source))?;
        let status = response.status().as_u16();
        let rate_limit = RateLimit::from_headers(response.headers());
        if let Some(rate_limit) = rate_limit {
            limiter.observe(rate_limit);
        }
        let too_large = || Error::ResponseTooLarge { function, status, limit: self.max_response_bytes };
        let announced =
            response.headers().get(CONTENT_LENGTH).and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
        if announced.is_some_and(|length| length > self.max_response_bytes as u64) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|source| transport_error(function, source))? {
            if body.len() + chunk.len() > self.max_response_bytes {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        decode(function, status, &body, rate_limit)
    }
}

/// Sorts a transport failure: no connection (nothing sent), no answer in time, or a broken exchange. URLs are
/// removed: their query could hold argument values.
fn transport_error(function: &'static str, source: reqwest::Error) -> Error {
    let source = source.without_url();
    if source.is_connect() {
        Error::Connection { function, source }
    } else if source.is_timeout() {
        Error::Timeout { function, source }
    } else {
        Error::Transport { function, source }
    }
}

/// Decodes an answer: JSON (`null` for an empty body) on success, the matching [`Error`] otherwise. Any body
/// is handled: empty, not JSON, not UTF-8, or JSON of an unexpected shape.
pub(crate) fn decode(
    function: &'static str,
    status: u16,
    body: &[u8],
    rate_limit: Option<RateLimit>,
) -> Result<Value, Error> {
    let blank = body.iter().all(u8::is_ascii_whitespace);
    let parsed = if blank { Ok(Value::Null) } else { serde_json::from_slice::<Value>(body) };
    // Intercom marks errors by their shape, and has been seen to send an `error.list` with a success status.
    let error_list = parsed.as_ref().ok().and_then(ErrorList::from_value);
    if (200..300).contains(&status) && error_list.is_none() {
        return parsed.map_err(|_| Error::UndecodableResponse {
            function,
            status,
            body: String::from_utf8_lossy(body).into_owned(),
        });
    }
    let error = match error_list {
        Some(list) => ApiError {
            function,
            status,
            request_id: list.request_id,
            errors: list.errors.into_iter().map(ErrorEntry::into_detail).collect(),
            body: None,
        },
        None => ApiError {
            function,
            status,
            request_id: None,
            errors: Vec::new(),
            body: (!blank).then(|| String::from_utf8_lossy(body).into_owned()),
        },
    };
    Err(Error::from_api(error, rate_limit.map(|rate_limit| rate_limit.reset_at)))
}

/// Intercom's error body: `{"type": "error.list", "request_id": "...", "errors": [{"code", "message", "field"}]}`.
#[derive(Deserialize)]
struct ErrorList {
    request_id: Option<String>,
    #[serde(default)]
    errors: Vec<ErrorEntry>,
}

impl ErrorList {
    fn from_value(value: &Value) -> Option<Self> {
        if value.get("type")?.as_str()? != "error.list" {
            return None;
        }
        // A malformed list (e.g. `errors` not an array of objects) still counts as an error with no details.
        let list = ErrorList::deserialize(value).unwrap_or(ErrorList { request_id: None, errors: Vec::new() });
        let request_id = list.request_id.or_else(|| value.get("request_id")?.as_str().map(str::to_owned));
        Some(ErrorList { request_id, errors: list.errors })
    }
}

#[derive(Deserialize)]
struct ErrorEntry {
    code: Option<String>,
    /// Very old responses put the code here instead.
    #[serde(rename = "type")]
    kind: Option<String>,
    message: Option<String>,
    field: Option<String>,
}

impl ErrorEntry {
    fn into_detail(self) -> ApiErrorDetail {
        ApiErrorDetail { code: self.code.or(self.kind).unwrap_or_default(), message: self.message, field: self.field }
    }
}

#[cfg(test)]
mod tests {
    use super::decode;
    use crate::Error;

    #[test]
    fn no_body_can_make_decoding_panic() {
        let bodies: [&[u8]; 12] = [
            b"",
            b"   ",
            b"null",
            b"<html>oops</html>",
            b"\xff\xfe\x00",
            br#"{"type": "error.list"}"#,
            br#"{"type": "error.list", "errors": "nope", "request_id": 7}"#,
            br#"{"type": "error.list", "errors": [1, null, {"code": 5}]}"#,
            br#"{"type": 3}"#,
            b"[1, 2",
            b"{\"a\":",
            &[b'['; 100_000],
        ];
        for status in [200, 202, 204, 301, 400, 401, 404, 409, 429, 500, 503, 999] {
            for body in bodies {
                let _ = decode("getAdmins", status, body, None);
            }
        }
    }

    #[test]
    fn an_error_list_with_a_success_status_is_an_error() {
        let body =
            br#"{"type": "error.list", "request_id": "r", "errors": [{"code": "not_found", "message": "gone"}]}"#;
        let error = decode("getAdmins", 200, body, None).unwrap_err();
        assert!(matches!(error, Error::NotFound(_)), "{error:?}");
    }

    #[test]
    fn a_malformed_error_list_keeps_its_status() {
        let error = decode("getAdmins", 500, br#"{"type": "error.list", "errors": "nope"}"#, None).unwrap_err();
        assert_eq!(error.status(), Some(500));
        assert!(error.is_retryable());
    }
}
