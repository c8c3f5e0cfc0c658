//! Test support: an HTTP server on 127.0.0.1 that records every request exactly as it arrived and answers
//! with scripted replies.
//!
//! The server runs on a thread of its own, so it serves async tests and child processes (the CLI) alike.
//! It stops when the [`Recorder`] is dropped.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The method, e.g. `GET`.
    pub method: String,
    /// The path exactly as sent (still percent-encoded).
    pub path: String,
    /// The raw query string, if there was one.
    pub raw_query: Option<String>,
    /// Every header, names in lower case, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
    /// When it arrived, for tests of waits (that a retry came no earlier than asked).
    pub received_at: std::time::Instant,
}

impl Recorded {
    /// The query parameters, decoded, in order.
    pub fn query(&self) -> Vec<(String, String)> {
        let raw = self.raw_query.as_deref().unwrap_or_default();
        url::form_urlencoded::parse(raw.as_bytes()).into_owned().collect()
    }

    /// The body parsed as JSON; `None` when there is no body.
    ///
    /// # Panics
    ///
    /// When there is a body that is not JSON (a test failure).
    pub fn json(&self) -> Option<Value> {
        if self.body.is_empty() {
            return None;
        }
        Some(
            serde_json::from_slice(&self.body).unwrap_or_else(|error| {
                panic!("the body is not JSON ({error}): {}", String::from_utf8_lossy(&self.body))
            }),
        )
    }

    /// The first value of a header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(key, _)| *key == name).map(|(_, value)| value.as_str())
    }
}

/// A scripted reply.
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Duration,
}

impl Reply {
    /// A reply with this status and JSON body.
    pub fn json(status: u16, body: &Value) -> Self {
        Reply::raw(status, body.to_string()).header("content-type", "application/json")
    }

    /// A reply with this status and body, as given.
    pub fn raw(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply { status, headers: Vec::new(), body: body.into(), delay: Duration::ZERO }
    }

    /// Adds a header.
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Waits this long before answering.
    #[must_use]
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

#[derive(Default)]
struct Shared {
    requests: Mutex<Vec<Recorded>>,
    replies: Mutex<VecDeque<Reply>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A test that panicked while holding the lock has failed already; keep serving the others.
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A recording server on 127.0.0.1. Unscripted requests get `200` with `{"type": "ok"}`.
pub struct Recorder {
    base_url: String,
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Recorder {
    /// Starts a server on a free port of 127.0.0.1.
    ///
    /// # Panics
    ///
    /// When no port can be bound (the test cannot run).
    pub fn start() -> Recorder {
        let shared = Arc::new(Shared::default());
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener.set_nonblocking(true).expect("non-blocking listener");
        let address = listener.local_addr().expect("local address");
        let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
        let state = Arc::clone(&shared);
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                let app = axum::Router::new().fallback(record).with_state(state);
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await;
            });
        });
        Recorder { base_url: format!("http://{address}"), shared, shutdown: Some(shutdown), thread: Some(thread) }
    }

    /// `http://127.0.0.1:<port>`
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Queues a reply for the next unanswered request.
    pub fn reply(&self, reply: Reply) {
        lock(&self.shared.replies).push_back(reply);
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared.requests).clone()
    }

    /// The requests received so far, forgetting them.
    pub fn take_requests(&self) -> Vec<Recorded> {
        std::mem::take(&mut *lock(&self.shared.requests))
    }

    /// The one request received since the last `take`.
    ///
    /// # Panics
    ///
    /// When there was not exactly one.
    pub fn single_request(&self) -> Recorded {
        let mut requests = self.take_requests();
        assert_eq!(requests.len(), 1, "expected exactly one request, got {requests:#?}");
        requests.remove(0)
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn record(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let recorded = Recorded {
        method: method.to_string(),
        path: uri.path().to_owned(),
        raw_query: uri.query().map(str::to_owned),
        headers: headers
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
            .collect(),
        body: body.to_vec(),
        received_at: std::time::Instant::now(),
    };
    lock(&shared.requests).push(recorded);
    let reply = lock(&shared.replies).pop_front();
    let reply = reply.unwrap_or_else(|| Reply::json(200, &serde_json::json!({ "type": "ok" })));
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut response =
        (StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), reply.body).into_response();
    for (name, value) in &reply.headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name.as_str()), HeaderValue::from_str(value)) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// One call and the exact request it must make (see `tests/wire/README.md`).
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireCase {
    /// The function's manifest name.
    pub function: String,
    /// The arguments of a call by name.
    pub args: Value,
    /// The expected HTTP method.
    pub method: String,
    /// The expected path, percent-encoded as sent.
    pub path: String,
    /// The expected query parameters, decoded, in order.
    #[serde(default)]
    pub query: Vec<(String, String)>,
    /// The expected raw query string, when the case pins the encoding.
    #[serde(default)]
    pub raw_query: Option<String>,
    /// The expected JSON body; `None` when no body may be sent.
    pub body: Option<Value>,
    /// The expected `Intercom-Version` header, for a function that pins its own API version; `None` means
    /// the client's default ([`DEFAULT_INTERCOM_VERSION`]).
    #[serde(default)]
    pub intercom_version: Option<String>,
    /// What the case shows.
    #[serde(default)]
    pub note: Option<String>,
}

/// The `Intercom-Version` a client sends when it is not configured otherwise.
pub const DEFAULT_INTERCOM_VERSION: &str = "1.4";

impl WireCase {
    /// The `Intercom-Version` header the request must carry: the case's own, or the client's default.
    pub fn expected_intercom_version(&self) -> &str {
        self.intercom_version.as_deref().unwrap_or(DEFAULT_INTERCOM_VERSION)
    }

    /// Every difference between `request` and what this case expects (empty when they match).
    pub fn differences(&self, request: &Recorded) -> Vec<String> {
        let mut differences = Vec::new();
        if request.method != self.method {
            differences.push(format!("method {} instead of {}", request.method, self.method));
        }
        if request.path != self.path {
            differences.push(format!("path {} instead of {}", request.path, self.path));
        }
        if request.query() != self.query {
            differences.push(format!("query {:?} instead of {:?}", request.query(), self.query));
        }
        if let Some(raw) = &self.raw_query {
            if request.raw_query.as_deref() != Some(raw.as_str()) {
                differences.push(format!("raw query {:?} instead of {raw:?}", request.raw_query));
            }
        }
        let body = request.json();
        if body != self.body {
            let shown = |body: &Option<Value>| body.as_ref().map_or("no body".to_owned(), Value::to_string);
            differences.push(format!("body {} instead of {}", shown(&body), shown(&self.body)));
        }
        let content_type = request.header("content-type");
        match (&self.body, content_type) {
            (Some(_), Some("application/json")) | (None, None) => {}
            (_, content_type) => differences.push(format!("content-type {content_type:?} with this body")),
        }
        differences
    }
}

/// The wire cases of `tests/wire/cases.json`.
///
/// # Panics
///
/// When the file is missing or malformed (a test failure).
pub fn wire_cases() -> Vec<WireCase> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/wire/cases.json");
    let text = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{path}: {error}"));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{path}: {error}"))
}
