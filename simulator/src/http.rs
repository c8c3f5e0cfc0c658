//! What every endpoint shares: Intercom-shaped errors, reading queries and bodies, and the gate every
//! request passes (injected faults, bearer-token check, rate limit and its headers).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::world::{Object, Shared, lock, now};

/// What a handler returns.
pub(crate) type Answer = Result<Response, ApiError>;

/// A JSON answer with status 200.
pub(crate) fn ok(value: Value) -> Answer {
    Ok(json_response(StatusCode::OK, &value))
}

/// An answer with this status and no body (e.g. `202 Accepted` for events).
pub(crate) fn empty(status: StatusCode) -> Answer {
    Ok(status.into_response())
}

fn json_response(status: StatusCode, value: &Value) -> Response {
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], value.to_string()).into_response()
}

/// An error answer, shaped as Intercom's `error.list`.
///
/// The codes follow Intercom's error-codes page: `type_mismatch` ("The JSON value type is incorrect for the
/// field") for a body member of the wrong JSON type, `parameter_invalid` ("A parameter's value is invalid") for a
/// value of the right type that is not acceptable, `parameter_not_found` ("A required parameter was not
/// supplied") for a missing one.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    field: Option<String>,
    /// Further errors answered in the same list (a body with several wrong members names them all).
    also: Vec<ApiError>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into(), field: None, also: Vec::new() }
    }

    /// `404 not_found`, e.g. "User Not Found".
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// `422` for data Intercom cannot process, naming the field.
    pub(crate) fn invalid(code: &'static str, field: &str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message).on(field)
    }

    /// `422 parameter_not_found`: a required parameter is missing.
    pub(crate) fn missing(field: &str) -> Self {
        ApiError::invalid("parameter_not_found", field, format!("{field} is required"))
    }

    /// `400 type_mismatch`: the body member `field` has the wrong JSON type; `expected` says what it must be,
    /// e.g. "a string".
    pub(crate) fn type_mismatch(field: &str, expected: &str) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "type_mismatch", format!("{field} must be {expected}")).on(field)
    }

    /// `400 parameter_invalid` naming the field: a malformed value (a query parameter that is not a number, a
    /// boolean or one of its values; an email address without `@`; a per_page out of range, ...).
    pub(crate) fn malformed(field: &str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "parameter_invalid", message).on(field)
    }

    /// `400`, e.g. for a body that is not JSON.
    pub(crate) fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// `409 conflict`.
    pub(crate) fn conflict(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::CONFLICT, "conflict", message)
    }

    /// The same error, naming `field`.
    pub(crate) fn on(mut self, field: &str) -> Self {
        self.field = Some(field.to_owned());
        self
    }

    /// One answer for several errors, or `Ok` when there are none: the first decides the status, and the list
    /// names them all, in order.
    pub(crate) fn all(errors: Vec<ApiError>) -> Result<(), ApiError> {
        let mut errors = errors.into_iter();
        let Some(mut first) = errors.next() else { return Ok(()) };
        first.also.extend(errors);
        Err(first)
    }

    /// Its entry in an `error.list`: `{"code", "message", "field"?}` (also how a bulk job's error feed says why
    /// an item failed).
    pub(crate) fn entry(&self) -> Value {
        let mut error = json!({ "code": self.code, "message": self.message });
        if let Some(field) = &self.field {
            error["field"] = Value::String(field.clone());
        }
        error
    }

    /// Its entries in an `error.list`: its own, then those answered with it.
    fn entries(&self) -> Vec<Value> {
        std::iter::once(self.entry()).chain(self.also.iter().flat_map(ApiError::entries)).collect()
    }
}

/// Each error answer gets a request id, as Intercom's do.
static REQUEST_IDS: AtomicU64 = AtomicU64::new(1);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let request_id = format!("sim-{:012x}", REQUEST_IDS.fetch_add(1, Ordering::Relaxed));
        let body = json!({ "type": "error.list", "request_id": request_id, "errors": self.entries() });
        let mut response = json_response(self.status, &body);
        if let Ok(value) = HeaderValue::from_str(&request_id) {
            response.headers_mut().insert("x-request-id", value);
        }
        response
    }
}

/// The query parameters of a request, decoded.
pub(crate) struct Query(Vec<(String, String)>);

impl Query {
    pub(crate) fn parse(raw: Option<&str>) -> Self {
        Query(url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()).into_owned().collect())
    }

    /// The first value of `name`, if it is given and not empty.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(key, value)| key == name && !value.is_empty()).map(|(_, value)| value.as_str())
    }

    /// The value of `name`, or a `422 parameter_not_found`.
    pub(crate) fn require(&self, name: &str) -> Result<&str, ApiError> {
        self.get(name).ok_or_else(|| ApiError::missing(name))
    }

    /// A whole number parameter; absent gives `None`, anything else but a whole number is a `400
    /// parameter_invalid` naming it (a query carries only text, so a wrong type is a malformed value).
    pub(crate) fn number(&self, name: &str) -> Result<Option<i64>, ApiError> {
        self.get(name)
            .map(|value| value.parse().map_err(|_| ApiError::malformed(name, format!("{name} must be a whole number"))))
            .transpose()
    }

    /// A whole number parameter of at least `min` (e.g. `page` from 1, `created_since` from 0 days).
    pub(crate) fn number_from(&self, name: &str, min: i64) -> Result<Option<i64>, ApiError> {
        match self.number(name)? {
            Some(number) if number < min => {
                Err(ApiError::malformed(name, format!("{name} must be a whole number of at least {min}")))
            }
            number => Ok(number),
        }
    }

    /// A `true`/`false` parameter; any other value is a `400 parameter_invalid` rather than a silent `false`.
    pub(crate) fn flag(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(_) => Err(ApiError::malformed(name, format!("{name} must be true or false"))),
        }
    }

    /// A parameter that takes one of `allowed` (e.g. `order`: `asc` or `desc`); any other value is a `400
    /// parameter_invalid` listing them, rather than being taken for the default.
    pub(crate) fn one_of(&self, name: &str, allowed: &[&'static str]) -> Result<Option<&'static str>, ApiError> {
        let Some(value) = self.get(name) else { return Ok(None) };
        allowed.iter().find(|allowed| **allowed == value).map(|allowed| Some(*allowed)).ok_or_else(|| {
            ApiError::malformed(name, format!("{name} must be one of {}, not {value}", allowed.join(", ")))
        })
    }

    /// Every parameter but the named ones, to carry into a `pages.next` URL.
    pub(crate) fn without(&self, names: &[&str]) -> Vec<(String, String)> {
        self.0.iter().filter(|(key, _)| !names.contains(&key.as_str())).cloned().collect()
    }
}

/// The JSON object body of a request; an empty body is an empty object, anything but an object is a `400`.
pub(crate) fn body(bytes: &Bytes) -> Result<Object, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Object::new());
    }
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(ApiError::bad_request("parameter_invalid", "The body must be a JSON object")),
        Err(_) => Err(ApiError::bad_request("parameter_invalid", "The body is not valid JSON")),
    }
}

/// The gate before every handler: injected latency and faults, then (except for the OAuth authorize page and
/// exchange, which a browser and an app without a token reach) the bearer token and the rate limit, whose
/// `X-RateLimit-*` headers go on every authenticated answer.
pub(crate) async fn gate(State(shared): State<Shared>, request: Request, next: Next) -> Response {
    let (latency, fault) = {
        let mut world = lock(&shared);
        let faults = world.settings.faults;
        let fault = faults.error_rate > 0.0 && world.faults.f64() < faults.error_rate;
        (faults.latency, fault)
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if fault {
        return ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "service_unavailable", "Injected fault: try again")
            .into_response();
    }
    if matches!(request.uri().path(), "/auth/eagle/token" | "/oauth") {
        return next.run(request).await;
    }
    if !authorized(&shared, request.headers()) {
        let mut response =
            ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "Access Token Invalid").into_response();
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"intercom.io\""));
        return response;
    }
    let (limit, remaining, reset, allowed) = take_from_window(&shared);
    let mut response = if allowed {
        next.run(request).await
    } else {
        ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limit_exceeded", format!("Exceeded rate limit of {limit}"))
            .into_response()
    };
    let headers = response.headers_mut();
    for (name, value) in [
        ("x-ratelimit-limit", limit.to_string()),
        ("x-ratelimit-remaining", remaining.to_string()),
        ("x-ratelimit-reset", reset.to_string()),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response
}

fn authorized(shared: &Shared, headers: &HeaderMap) -> bool {
    let Some(token) = headers.get(header::AUTHORIZATION).and_then(|value| value.to_str().ok()?.strip_prefix("Bearer "))
    else {
        return false;
    };
    let world = lock(shared);
    token == world.settings.access_token || world.issued_tokens.iter().any(|issued| issued == token)
}

/// Counts the request in the current window: (limit, remaining, reset in Unix seconds, allowed).
fn take_from_window(shared: &Shared) -> (u64, u64, i64, bool) {
    let mut world = lock(shared);
    let (limit, window) = (world.settings.rate_limit, world.settings.rate_window);
    let now_instant = Instant::now();
    if now_instant.duration_since(world.window.0) >= window {
        world.window = (now_instant, 0);
    }
    let left_in_window = window.saturating_sub(now_instant.duration_since(world.window.0));
    // Intercom's reset is a whole Unix second; round up so that a client waiting for it is not early.
    let reset =
        now() + i64::try_from(left_in_window.as_secs()).unwrap_or(0) + i64::from(left_in_window.subsec_nanos() > 0);
    let allowed = world.window.1 < limit;
    if allowed {
        world.window.1 += 1;
    }
    (limit, limit - world.window.1.min(limit), reset, allowed)
}

/// A known route called with a method it does not take.
pub(crate) async fn wrong_method() -> Response {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "This method is not allowed on this resource")
        .into_response()
}

/// Any route this simulator does not know: Intercom's `404`.
pub(crate) async fn unknown_route() -> Response {
    ApiError::not_found("Resource Not Found").into_response()
}
