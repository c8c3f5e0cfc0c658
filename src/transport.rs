//! Sending a prepared request over HTTP and decoding Intercom's answer.

use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde::Deserialize;
use serde_json::Value;

use crate::client::AccessToken;
use crate::error::{ApiError, ApiErrorDetail, Error};
use crate::request::PreparedRequest;
use crate::spec::Method;

/// Sends `request` to `base_url` and decodes the response.
pub(crate) async fn send(
    http: &reqwest::Client,
    base_url: &str,
    intercom_version: &str,
    token: Option<&AccessToken>,
    request: &PreparedRequest,
) -> Result<Value, Error> {
    let function = request.function;
    let method = match request.method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Delete => reqwest::Method::DELETE,
    };
    let url = format!("{base_url}{}", request.path_and_query());
    let mut builder =
        http.request(method, url).header(ACCEPT, "application/json").header("Intercom-Version", intercom_version);
    if let Some(token) = token {
        // reqwest marks this header sensitive, so it is never logged.
        builder = builder.bearer_auth(token.secret());
    }
    if let Some(body) = &request.body {
        builder = builder.header(CONTENT_TYPE, "application/json").body(body.to_string());
    }
    let transport = |source: reqwest::Error| Error::Transport { function, source: source.without_url() };
    let response = builder.send().await.map_err(transport)?;
    let status = response.status().as_u16();
    let bytes = response.bytes().await.map_err(transport)?;
    decode(function, status, &bytes)
}

/// Decodes a response: JSON (or `null` for an empty body) on success, an [`ApiError`] otherwise.
pub(crate) fn decode(function: &'static str, status: u16, body: &[u8]) -> Result<Value, Error> {
    let blank = body.iter().all(u8::is_ascii_whitespace);
    if (200..300).contains(&status) {
        if blank {
            return Ok(Value::Null);
        }
        return serde_json::from_slice(body).map_err(|_| Error::UndecodableResponse {
            function,
            status,
            body: String::from_utf8_lossy(body).into_owned(),
        });
    }
    let error_list =
        serde_json::from_slice::<ErrorList>(body).ok().filter(|list| list.kind.as_deref() == Some("error.list"));
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
    Err(Error::Api(error))
}

/// Intercom's error body: `{"type": "error.list", "request_id": "...", "errors": [{"code", "message", "field"}]}`.
#[derive(Deserialize)]
struct ErrorList {
    #[serde(rename = "type")]
    kind: Option<String>,
    request_id: Option<String>,
    #[serde(default)]
    errors: Vec<ErrorEntry>,
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
