//! One HTTP exchange: sending a prepared request and decoding Intercom's answer, whatever it is.

use std::fmt;
use std::time::{Duration, SystemTime};

use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, DATE, HeaderMap, HeaderName, HeaderValue, LOCATION,
    RETRY_AFTER,
};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;
use url::Url;

use crate::client::AccessToken;
use crate::error::{ApiError, ApiErrorDetail, Error};
use crate::plan::request::PreparedRequest;
use crate::raw::RawJson;
use crate::transport::rate_limit::{Limiter, RateLimit};
use crate::wire::Method;

/// The header of the API version every request names.
const INTERCOM_VERSION: HeaderName = HeaderName::from_static("intercom-version");

/// Where and how requests are sent.
#[derive(Debug)]
pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    /// The base URL, parsed once: each request's URL is this with its own path and query, which saves parsing
    /// (and IDNA-mapping) the host on every call.
    pub(crate) base: Url,
    pub(crate) intercom_version: String,
    /// `intercom_version` as a header value, made once.
    pub(crate) intercom_version_header: HeaderValue,
    pub(crate) max_response_bytes: usize,
}

/// What the caller does with a successful answer's body, which decides how much the transport checks of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expect {
    /// The body is handed on as it is: it is checked to be JSON.
    Json,
    /// The caller decodes the body into a model straight away, which checks it as it goes: reading it once
    /// more here would only cost. A body that does not decode is checked then ([`Received::undecodable`]).
    Decoded,
}

/// A successful answer: its status and body.
#[derive(Debug)]
pub(crate) struct Received {
    pub(crate) status: u16,
    pub(crate) body: RawJson,
}

impl Received {
    /// The error for a body that did not decode into its model: not JSON at all, as a transport-checked body
    /// would have been refused, or JSON of another shape (`otherwise`).
    pub(crate) fn undecodable(self, function: &'static str, otherwise: impl FnOnce(RawJson) -> Error) -> Error {
        if serde_json::from_str::<IgnoredAny>(self.body.as_str()).is_ok() {
            otherwise(self.body)
        } else {
            Error::UndecodableResponse { function, status: self.status, body: self.body.into_string() }
        }
    }
}

/// What an answer's headers say beyond its status: the rate limit, and how long to wait before trying again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Meta {
    pub(crate) rate_limit: Option<RateLimit>,
    pub(crate) retry_after: Option<Duration>,
}

impl Transport {
    /// The base URL as text, without a trailing `/`.
    pub(crate) fn base_url(&self) -> &str {
        base_url_text(&self.base)
    }

    /// The HTTP request `request` makes: URL, headers and body, ready for reqwest to send.
    pub(crate) fn http_request(
        &self,
        token: Option<&AccessToken>,
        request: &PreparedRequest,
    ) -> Result<reqwest::Request, Error> {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        };
        let url = request_url(&self.base, request.path_and_query());
        let version = match request.intercom_version {
            // The checker allows versions like `2.1` only, which are header values.
            Some(own) => {
                HeaderValue::from_str(own).map_err(|_| Error::Config(format!("{own:?} is not an Intercom-Version")))?
            }
            None => self.intercom_version_header.clone(),
        };
        let mut builder = self
            .http
            .request(method, url)
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(INTERCOM_VERSION, version);
        builder = match token.map(|token| (token, token.header())) {
            // Made once, marked sensitive: never logged.
            Some((_, Some(header))) => builder.header(AUTHORIZATION, header.clone()),
            // Refused before sending; should one get here, reqwest refuses it with a builder error.
            Some((token, None)) => builder.bearer_auth(token.secret()),
            None => builder,
        };
        if let Some(body) = &request.body {
            builder = builder.header(CONTENT_TYPE, HeaderValue::from_static("application/json")).body(body.clone());
        }
        builder.build().map_err(|source| transport_error(request.function, source))
    }

    /// Sends `request` once and returns the body of a successful answer; the rate-limit headers of any answer
    /// go to `limiter`.
    pub(crate) async fn attempt(
        &self,
        token: Option<&AccessToken>,
        request: &PreparedRequest,
        limiter: &Limiter,
        expect: Expect,
    ) -> Result<Received, Error> {
        let function = request.function;
        let http_request = self.http_request(token, request)?;
        let mut response = self.http.execute(http_request).await.map_err(|source| transport_error(function, source))?;
        let status = response.status().as_u16();
        let headers = response.headers();
        let server_time = server_time(headers);
        let meta =
            Meta { rate_limit: RateLimit::from_headers(headers), retry_after: retry_after(headers, server_time) };
        if let Some(rate_limit) = meta.rate_limit {
            limiter.observe(rate_limit, server_time, status == 429);
        }
        if (300..400).contains(&status) {
            // Not followed, and its body is not read: nothing more is exchanged with where it points.
            let location = headers.get(LOCATION).map(|value| shorten(&String::from_utf8_lossy(value.as_bytes())));
            return Err(Error::Redirect { function, status, location });
        }
        let too_large = || Error::ResponseTooLarge { function, status, limit: self.max_response_bytes };
        let announced = headers.get(CONTENT_LENGTH).and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
        if announced.is_some_and(|length| length > self.max_response_bytes as u64) {
            return Err(too_large());
        }
        // Sized by the announced length when there is one, so that a large body is not copied as it grows.
        let mut body = Vec::with_capacity(announced.map_or(0, |length| length as usize));
        while let Some(chunk) = response.chunk().await.map_err(|source| transport_error(function, source))? {
            if body.len() + chunk.len() > self.max_response_bytes {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        decode(function, status, body, meta, expect)
    }
}

/// A base URL as text, without a trailing `/`: what a request's path and query are written after.
pub(crate) fn base_url_text(base: &Url) -> &str {
    base.as_str().trim_end_matches('/')
}

/// The URL of `path_and_query` under the parsed base URL: the URL `{base_url}{path_and_query}` parses to (its
/// path and query are parsed as a whole URL's would be), without parsing the scheme and host again.
fn request_url(base: &Url, path_and_query: &str) -> Url {
    let (path, query) = match path_and_query.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path_and_query, None),
    };
    let mut url = base.clone();
    // A base path (`https://proxy.example/intercom`) comes before the request's.
    match base.path().trim_end_matches('/') {
        "" => url.set_path(path),
        base_path => url.set_path(&format!("{base_path}{path}")),
    }
    url.set_query(query);
    url
}

/// The server's clock, from its `Date` header (whole seconds), if it sent a readable one.
fn server_time(headers: &HeaderMap) -> Option<SystemTime> {
    httpdate::parse_http_date(headers.get(DATE)?.to_str().ok()?.trim()).ok()
}

/// `Retry-After`: whole seconds, or an HTTP date read against the server's own clock (so that a skewed client
/// clock does not matter) or, without one, the client's.
fn retry_after(headers: &HeaderMap, server_time: Option<SystemTime>) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(text).ok()?;
    Some(at.duration_since(server_time.unwrap_or_else(SystemTime::now)).unwrap_or(Duration::ZERO))
}

/// A header value from the network, cut to a readable length.
fn shorten(text: &str) -> String {
    const LIMIT: usize = 200;
    match text.char_indices().nth(LIMIT) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
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

/// Decodes an answer: the JSON body (`null` for an empty one) on success, the matching [`Error`] otherwise.
/// Any body is handled: empty, not JSON, not UTF-8, or JSON of an unexpected shape. A successful body is
/// checked, not decoded into a tree, so that a large answer costs no more than its size.
pub(crate) fn decode(
    function: &'static str,
    status: u16,
    body: Vec<u8>,
    meta: Meta,
    expect: Expect,
) -> Result<Received, Error> {
    let blank = body.iter().all(u8::is_ascii_whitespace);
    let success = (200..300).contains(&status);
    if success && blank {
        return Ok(Received { status, body: RawJson::null() });
    }
    // Intercom marks errors by their shape, and has been seen to send an `error.list` with a success status.
    let body = if success {
        let text = match String::from_utf8(body) {
            Ok(text) => text,
            Err(error) => {
                let body = String::from_utf8_lossy(error.as_bytes()).into_owned();
                return Err(Error::UndecodableResponse { function, status, body });
            }
        };
        match shape(&text, expect) {
            Shape::Json => return Ok(Received { status, body: RawJson::checked(text) }),
            Shape::NotJson => return Err(Error::UndecodableResponse { function, status, body: text }),
            Shape::ErrorList => text.into_bytes(),
        }
    } else {
        body
    };
    let parsed = if blank { None } else { serde_json::from_slice::<Value>(&body).ok() };
    let error = match parsed.as_ref().and_then(ErrorList::from_value) {
        Some(list) => ApiError {
            function,
            status,
            request_id: list.request_id,
            errors: list.errors.into_iter().map(ErrorEntry::into_detail).collect(),
            body: None,
            retry_after: meta.retry_after,
        },
        None => ApiError {
            function,
            status,
            request_id: None,
            errors: Vec::new(),
            body: (!blank).then(|| String::from_utf8_lossy(&body).into_owned()),
            retry_after: meta.retry_after,
        },
    };
    let reset_at =
        meta.rate_limit.map(|rate_limit| rate_limit.reset_at).or_else(|| Some(SystemTime::now() + meta.retry_after?));
    Err(Error::from_api(error, reset_at))
}

/// What a successful answer's body is.
#[derive(Debug, PartialEq, Eq)]
enum Shape {
    /// An object whose `type` is `error.list`.
    ErrorList,
    /// Any other JSON (or, for [`Expect::Decoded`], a body whose decoder will check the rest).
    Json,
    NotJson,
}

/// Reads a body at most once, without building a tree of it: whether it is JSON, and whether it is an error
/// list. Intercom writes `type` first: when it does, that member says which it is, and a body to be decoded
/// is not read further here.
fn shape(text: &str, expect: Expect) -> Shape {
    match (first_type(text), expect) {
        (Some("error.list"), _) => return Shape::ErrorList,
        (Some(_), Expect::Decoded) => return Shape::Json,
        _ => {}
    }
    if text.trim_start().starts_with('{') {
        if let Ok(is_error_list) = serde_json::from_str::<ErrorListProbe>(text) {
            return if is_error_list.0 { Shape::ErrorList } else { Shape::Json };
        }
    }
    // Not an object, or one the probe cannot read (not well-formed, a `type` that is not text): JSON all the
    // same (an array, text), or not JSON at all.
    if serde_json::from_str::<IgnoredAny>(text).is_ok() { Shape::Json } else { Shape::NotJson }
}

/// Whether an object has a `type` member that is `error.list`, reading nothing else (every other member is
/// skipped, and so checked to be JSON). A `type` given twice counts if either is `error.list`: an answer that
/// may be an error is not taken for a result.
struct ErrorListProbe(bool);

impl<'de> Deserialize<'de> for ErrorListProbe {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ErrorListProbeVisitor)
    }
}

struct ErrorListProbeVisitor;

impl<'de> Visitor<'de> for ErrorListProbeVisitor {
    type Value = ErrorListProbe;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ErrorListProbe, A::Error> {
        let mut is_error_list = false;
        while let Some(is_type) = map.next_key_seed(IsType)? {
            if is_type {
                // Text, or anything else (which is not `error.list`).
                let kind = map.next_value::<Value>()?;
                is_error_list |= kind.as_str() == Some("error.list");
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(ErrorListProbe(is_error_list))
    }
}

/// Whether a member's key is `type`, without copying it.
struct IsType;

impl<'de> DeserializeSeed<'de> for IsType {
    type Value = bool;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for IsType {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(key == "type")
    }
}

/// The `type` of an object whose first member it is, written without escapes (`{"type":"user",...`), read
/// from the first bytes only; `None` for anything else.
fn first_type(text: &str) -> Option<&str> {
    let rest = text.trim_start().strip_prefix('{')?.trim_start().strip_prefix("\"type\"")?;
    let rest = rest.trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
    let (kind, _) = rest.split_once('"')?;
    // An escape would need reading: leave it to the full read.
    (!kind.contains('\\')).then_some(kind)
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
    use super::{Expect, Meta, Shape, base_url_text, decode, first_type, request_url, shape};
    use crate::Error;

    #[test]
    fn a_request_url_is_the_url_its_text_parses_to() {
        // As the builder keeps them: parsed as given, a trailing `/` included.
        let bases = [
            "https://api.intercom.io",
            "https://api.intercom.io/",
            "http://127.0.0.1:8080",
            "http://localhost:1/mock",
            "http://localhost:1/mock/",
            "https://[::1]/a/b",
        ];
        let paths = [
            "/users",
            "/users?email=wash%40serenity.io&per_page=50",
            "/users/a%2Fb%20c",
            "/users/%2E%2E/x",
            "/users/..%2F/x?q=%3F%23",
            "/tags?name=a+b&x=%E2%80%AE",
            "/users?",
            "/users?a=b?c",
            "/users/caf\u{e9}?n=\u{1F600}",
            "/users/a\\b",
        ];
        for base in bases {
            let parsed = url::Url::parse(base).unwrap();
            for path in paths {
                let expected = url::Url::parse(&format!("{}{path}", base_url_text(&parsed))).unwrap();
                assert_eq!(request_url(&parsed, path), expected, "{base} {path}");
            }
        }
    }

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
                for expect in [Expect::Json, Expect::Decoded] {
                    let _ = decode("getAdmins", status, body.to_vec(), Meta::default(), expect);
                }
            }
        }
    }

    #[test]
    fn an_error_list_with_a_success_status_is_an_error() {
        let body =
            br#"{"type": "error.list", "request_id": "r", "errors": [{"code": "not_found", "message": "gone"}]}"#;
        let error = decode("getAdmins", 200, body.to_vec(), Meta::default(), Expect::Json).unwrap_err();
        assert!(matches!(error, Error::NotFound(_)), "{error:?}");
    }

    #[test]
    fn a_malformed_error_list_keeps_its_status() {
        let body = br#"{"type": "error.list", "errors": "nope"}"#.to_vec();
        let error = decode("getAdmins", 500, body, Meta::default(), Expect::Json).unwrap_err();
        assert_eq!(error.status(), Some(500));
        assert!(error.is_retryable());
    }

    #[test]
    fn the_first_member_says_the_type_when_it_is_type() {
        assert_eq!(first_type(r#"{"type":"user","id":"1"}"#), Some("user"));
        assert_eq!(first_type(" {\n  \"type\" : \"error.list\", \"errors\": []}"), Some("error.list"));
        for other in
            [r#"{"id":"1","type":"user"}"#, r#"{"type":"us\u0065r"}"#, r#"{"type":3}"#, "[]", "", r#"{"type":"#]
        {
            assert_eq!(first_type(other), None, "{other}");
        }
    }

    #[test]
    fn a_body_is_read_whole_unless_its_decoder_will() {
        // Broken after a leading `type`: refused when handed on as JSON, left to the decoder otherwise.
        let broken = r#"{"type":"user","id":"#;
        assert_eq!(shape(broken, Expect::Json), Shape::NotJson);
        assert_eq!(shape(broken, Expect::Decoded), Shape::Json);
        // An error list is one whichever member comes first.
        for list in [r#"{"type":"error.list","errors":[]}"#, r#"{"errors":[],"type":"error.list"}"#] {
            assert_eq!(shape(list, Expect::Json), Shape::ErrorList);
            assert_eq!(shape(list, Expect::Decoded), Shape::ErrorList);
        }
        assert_eq!(shape("[1, 2]", Expect::Decoded), Shape::Json);
        assert_eq!(shape("<html>", Expect::Decoded), Shape::NotJson);
        assert_eq!(shape(r#"{"id": 1, "type": 3}"#, Expect::Json), Shape::Json);
    }

    #[test]
    fn a_type_given_twice_is_an_error_list_if_either_says_so() {
        for list in [
            r#"{"type":"user","id":"1","type":"error.list","errors":[]}"#,
            r#"{"id":"1","type":"error.list","type":"user"}"#,
            r#"{"id":"1","typ\u0065":"error.list"}"#,
        ] {
            assert_eq!(shape(list, Expect::Json), Shape::ErrorList, "{list}");
        }
        // Trailing bytes make a body not JSON, whatever it starts with.
        let trailing = r#"{"type":"user.list","users":[]}<html>oops"#;
        assert_eq!(shape(trailing, Expect::Json), Shape::NotJson);
        let two_documents = r#"{"type":"user.list","users":[]}{"type":"error.list","errors":[]}"#;
        assert_eq!(shape(two_documents, Expect::Json), Shape::NotJson);
    }
}
