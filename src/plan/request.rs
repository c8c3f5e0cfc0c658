//! A checked request, ready to be sent: what the planner produces and the transport sends.

use std::fmt;

use bytes::Bytes;
use serde_json::Value;

use crate::client::AccessToken;
use crate::wire::{Auth, Function, Method};

/// The HTTP request a call makes, after its arguments were checked.
///
/// Get one from a builder's `prepare()` (or [`crate::Client::prepare_call`]) to see exactly what would be
/// sent, without sending it. Its `Debug` output hides secret arguments and the access token.
#[derive(Clone)]
pub struct PreparedRequest {
    pub(crate) function: &'static str,
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    /// The path followed by `?` and the encoded query, when there is one: what goes after the base URL.
    path_and_query: String,
    /// The JSON body, as the text sent (shared, not copied, by every attempt).
    pub(crate) body: Option<Bytes>,
    pub(crate) auth: Auth,
    pub(crate) idempotent: bool,
    /// The function's own `Intercom-Version`, when it needs one.
    pub(crate) intercom_version: Option<&'static str>,
    /// When Intercom answers this request with a list: the member holding the one item the function returns.
    pub(crate) answer_list: Option<&'static str>,
    pub(crate) access_token: Option<AccessToken>,
    pub(crate) secret_query: Vec<&'static str>,
    pub(crate) secret_body: Vec<&'static [&'static str]>,
}

impl PreparedRequest {
    /// A request of `spec` to `path` (filled and encoded) with these query parameters and body.
    #[allow(clippy::too_many_arguments, reason = "the planner's one call, naming each part")]
    pub(crate) fn new(
        spec: &'static Function,
        path: String,
        query: Vec<(String, String)>,
        body: Option<String>,
        answer_list: Option<&'static str>,
        access_token: Option<AccessToken>,
        secret_query: Vec<&'static str>,
        secret_body: Vec<&'static [&'static str]>,
    ) -> Self {
        PreparedRequest {
            function: spec.name,
            method: spec.method,
            path_and_query: join(&path, &query),
            path,
            query,
            body: body.map(Bytes::from),
            auth: spec.auth,
            idempotent: spec.idempotent,
            intercom_version: spec.intercom_version,
            answer_list,
            access_token,
            secret_query,
            secret_body,
        }
    }

    /// A `GET` of the next page of `first`'s list, at `path` with `query` (read from a `pages.next` URL).
    pub(crate) fn next_page(first: &PreparedRequest, path: String, query: Vec<(String, String)>) -> Self {
        PreparedRequest {
            function: first.function,
            method: Method::Get,
            path_and_query: join(&path, &query),
            path,
            query,
            body: None,
            auth: first.auth,
            idempotent: true,
            intercom_version: first.intercom_version,
            answer_list: None,
            access_token: first.access_token.clone(),
            secret_query: Vec::new(),
            secret_body: Vec::new(),
        }
    }

    /// The function called (manifest name).
    pub fn function(&self) -> &'static str {
        self.function
    }

    /// The HTTP method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The path, with its placeholders filled and percent-encoded.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query parameters as (name, value) pairs, not yet encoded, in the order they are sent.
    pub fn query(&self) -> &[(String, String)] {
        &self.query
    }

    /// The form-encoded query string (without `?`), empty when there are no parameters.
    pub fn query_string(&self) -> &str {
        self.path_and_query.split_once('?').map_or("", |(_, query)| query)
    }

    /// The path followed by `?` and the query string, when there is one.
    pub fn path_and_query(&self) -> &str {
        &self.path_and_query
    }

    /// The JSON body, if the function sends one (read from the text sent, so a new value each time).
    pub fn body(&self) -> Option<Value> {
        // The planner wrote the text with serde_json, so it reads back.
        self.body.as_deref().map(|text| serde_json::from_slice(text).unwrap_or(Value::Null))
    }

    /// The JSON body exactly as it is sent, if the function sends one.
    pub fn body_text(&self) -> Option<&str> {
        // The planner wrote it with serde_json: UTF-8.
        self.body.as_deref().and_then(|bytes| std::str::from_utf8(bytes).ok())
    }

    /// How the request is authenticated.
    pub fn auth(&self) -> Auth {
        self.auth
    }

    /// Whether the request may be sent again after a failure that may have reached Intercom.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    /// The `Intercom-Version` this request is sent with instead of the client's, when the function needs its
    /// own (an endpoint Intercom serves only from that version).
    pub fn intercom_version(&self) -> Option<&'static str> {
        self.intercom_version
    }

    /// When Intercom answers this request with a list instead of one object (e.g. `GET /users?email=`): the
    /// member of the list holding the one item the typed call returns.
    pub fn answer_list(&self) -> Option<&'static str> {
        self.answer_list
    }

    /// Whether the call brings its own access token (the `accessToken` argument of a call by name).
    pub fn has_own_access_token(&self) -> bool {
        self.access_token.is_some()
    }

    /// The query parameters with the values of secret arguments replaced by `<redacted>`, for display.
    pub fn redacted_query(&self) -> Vec<(&str, &str)> {
        self.query
            .iter()
            .map(|(name, value)| {
                let shown = if self.secret_query.contains(&name.as_str()) { REDACTED } else { value.as_str() };
                (name.as_str(), shown)
            })
            .collect()
    }

    /// [`path_and_query`](Self::path_and_query) with the values of secret arguments replaced by
    /// `<redacted>`, for display.
    pub fn redacted_path_and_query(&self) -> String {
        join(&self.path, &self.redacted_query())
    }

    /// The body with the values of secret arguments (such as `clientSecret`) replaced by `<redacted>`, for
    /// display.
    pub fn redacted_body(&self) -> Option<Value> {
        let mut body = self.body()?;
        for path in &self.secret_body {
            let target = path.iter().try_fold(&mut body, |value, key| value.get_mut(*key));
            if let Some(target) = target {
                *target = Value::from(REDACTED);
            }
        }
        Some(body)
    }
}

const REDACTED: &str = "<redacted>";

/// `path`, then `?` and the form-encoded `query` when there is one.
fn join<N: AsRef<str>, V: AsRef<str>>(path: &str, query: &[(N, V)]) -> String {
    if query.is_empty() {
        return path.to_owned();
    }
    let encoded = query.iter().map(|(name, value)| name.as_ref().len() + value.as_ref().len() + 2).sum::<usize>();
    let mut joined = String::with_capacity(path.len() + 1 + encoded);
    joined.push_str(path);
    joined.push('?');
    let start = joined.len();
    let mut encoder = url::form_urlencoded::Serializer::for_suffix(joined, start);
    encoder.extend_pairs(query.iter().map(|(name, value)| (name.as_ref(), value.as_ref())));
    encoder.finish()
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let query = self.redacted_query();
        f.debug_struct("PreparedRequest")
            .field("function", &self.function)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &query)
            .field("body", &self.redacted_body())
            .field("auth", &self.auth)
            .field("idempotent", &self.idempotent)
            .field("intercom_version", &self.intercom_version)
            .field("access_token", &self.access_token)
            .finish()
    }
}
