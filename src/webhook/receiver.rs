//! The webhook receiver (the `webhook-receiver` feature): an axum `Router` that refuses what is not a
//! notification signed with the subscription's secret and hands the others to user code, answering at once.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use futures::StreamExt;
use futures::future::BoxFuture;
use tokio::sync::mpsc;

use super::{HubSecret, MAX_BODY_BYTES, SIGNATURE_HEADER, Webhook, WebhookError, verify_and_parse_bytes};

/// A receiver of Intercom's webhooks for the subscription whose `hub_secret` is `secret`, answering `POST /`
/// (mount it elsewhere with [`Router::nest`], or set a path with [`ReceiverBuilder::path`]).
///
/// For each request it answers, in this order:
///
/// * `413 Payload Too Large` to a body over [`MAX_BODY_BYTES`] (see [`ReceiverBuilder::max_body_bytes`]),
///   refused from its `Content-Length` or as soon as it grows past the limit, before any verification;
/// * `401 Unauthorized` to a missing, malformed or wrong `X-Hub-Signature` (a changed body, another secret);
/// * `400 Bad Request` to a signed body that is not a notification (the answer says where and why);
/// * `200 OK` once the [`Webhook`] is handed to `handler` (see [`Handler`]): the handler's work never delays
///   the answer, so Intercom's delivery does not time out on a slow handler;
/// * `503 Service Unavailable` when a channel handler is full or closed: the notification was not taken, and
///   Intercom sends it again later.
///
/// Refusals are logged (`tracing`, at debug level) without the secret or the expected signature.
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// use intercom_rest::webhook::{self, Webhook};
///
/// let (sender, mut webhooks) = tokio::sync::mpsc::channel::<Webhook>(256);
/// let app = webhook::receiver(std::env::var("INTERCOM_HUB_SECRET").unwrap_or_default(), sender);
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
/// tokio::spawn(async move { axum::serve(listener, app).await });
/// while let Some(hook) = webhooks.recv().await {
///     println!("{} {:?}", hook.topic(), hook.id());
/// }
/// # Ok(()) }
/// ```
pub fn receiver(secret: impl Into<HubSecret>, handler: impl Into<Handler>) -> Router {
    ReceiverBuilder::new(secret, handler).build()
}

/// What the receiver does with each verified [`Webhook`]: send it on a bounded channel, or run a callback on a
/// task of its own. Either way the `200` is answered without waiting for it to be processed.
#[derive(Clone)]
pub struct Handler(Kind);

#[derive(Clone)]
enum Kind {
    Channel(mpsc::Sender<Webhook>),
    Spawn(Arc<dyn Fn(Webhook) -> BoxFuture<'static, ()> + Send + Sync>),
}

impl Handler {
    /// Sends each webhook on `sender` without waiting (`try_send`). When the channel is full (the consumer is
    /// behind) or closed, the request is answered `503 Service Unavailable`: the notification is not lost, since
    /// Intercom delivers it again later. The channel's bound is thus how many notifications may wait.
    pub fn channel(sender: mpsc::Sender<Webhook>) -> Self {
        Handler(Kind::Channel(sender))
    }

    /// Runs `callback` with each webhook on a new tokio task, then answers `200` without waiting for it. Every
    /// webhook gets its own task, so a slow callback delays neither the answer nor the next webhook; a callback
    /// that panics ends only its task. Nothing bounds how many run at once: prefer [`Handler::channel`] when
    /// the work is slow and the traffic heavy.
    pub fn spawn<F, Fut>(callback: F) -> Self
    where
        F: Fn(Webhook) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        Handler(Kind::Spawn(Arc::new(move |webhook| Box::pin(callback(webhook)))))
    }

    /// Hands `webhook` over; `Err` with why when it could not be taken (it is then answered `503`).
    fn hand_over(&self, webhook: Webhook) -> Result<(), &'static str> {
        match &self.0 {
            Kind::Channel(sender) => sender.try_send(webhook).map_err(|error| match error {
                mpsc::error::TrySendError::Full(_) => "the receiver is busy; send it again later",
                mpsc::error::TrySendError::Closed(_) => "the receiver is shutting down; send it again later",
            }),
            Kind::Spawn(callback) => {
                tokio::spawn(callback(webhook));
                Ok(())
            }
        }
    }
}

impl From<mpsc::Sender<Webhook>> for Handler {
    fn from(sender: mpsc::Sender<Webhook>) -> Self {
        Handler::channel(sender)
    }
}

impl fmt::Debug for Handler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Kind::Channel(sender) => f.debug_tuple("Handler::Channel").field(&sender.capacity()).finish(),
            Kind::Spawn(_) => f.write_str("Handler::Spawn"),
        }
    }
}

/// Configures a webhook receiver (see [`receiver`]).
#[derive(Debug, Clone)]
pub struct ReceiverBuilder {
    secret: HubSecret,
    handler: Handler,
    max_body_bytes: usize,
    path: String,
}

impl ReceiverBuilder {
    /// A receiver for the subscription whose `hub_secret` is `secret`, handing webhooks to `handler` (a
    /// `tokio::sync::mpsc::Sender<Webhook>`, or a [`Handler`]).
    pub fn new(secret: impl Into<HubSecret>, handler: impl Into<Handler>) -> Self {
        ReceiverBuilder {
            secret: secret.into(),
            handler: handler.into(),
            max_body_bytes: MAX_BODY_BYTES,
            path: "/".to_owned(),
        }
    }

    /// The largest body accepted (default [`MAX_BODY_BYTES`], 1 MiB); a larger one is answered `413` before
    /// its signature is computed.
    #[must_use]
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// The path notifications are POSTed to (default `/`), e.g. `/hooks/intercom`.
    #[must_use]
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// The `Router`: serve it with `axum::serve`, or merge it into an app.
    pub fn build(self) -> Router {
        let path = if self.path.starts_with('/') { self.path.clone() } else { format!("/{}", self.path) };
        Router::new().route(&path, post(receive)).with_state(Arc::new(self))
    }
}

/// One delivery: see [`receiver`] for the answers.
async fn receive(State(receiver): State<Arc<ReceiverBuilder>>, request: Request) -> Response {
    let limit = receiver.max_body_bytes;
    let (parts, body) = request.into_parts();
    let declared =
        parts.headers.get(header::CONTENT_LENGTH).and_then(|length| length.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return refuse(&WebhookError::TooLarge { limit });
    }
    let body = match read_bounded(body, limit).await {
        Ok(body) => body,
        Err(Some(error)) => return refuse(&error),
        Err(None) => return (StatusCode::BAD_REQUEST, "the body could not be read").into_response(),
    };
    let signature = parts.headers.get(SIGNATURE_HEADER).map(HeaderValue::as_bytes);
    match verify_and_parse_bytes(receiver.secret.as_bytes(), &body, signature, limit) {
        Ok(webhook) => match receiver.handler.hand_over(webhook) {
            Ok(()) => (StatusCode::OK, "ok").into_response(),
            Err(reason) => {
                tracing::debug!(reason, "webhook not taken");
                let retry = [(header::RETRY_AFTER, HeaderValue::from_static("1"))];
                (StatusCode::SERVICE_UNAVAILABLE, retry, reason).into_response()
            }
        },
        Err(error) => refuse(&error),
    }
}

/// The body, read until it is whole or grows past `limit` (`Err(Some(TooLarge))`); `Err(None)` when the
/// connection broke.
async fn read_bounded(body: Body, limit: usize) -> Result<Vec<u8>, Option<WebhookError>> {
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| None)?;
        if bytes.len() + chunk.len() > limit {
            return Err(Some(WebhookError::TooLarge { limit }));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// The answer to a refused request: its status and why, in a line of text.
fn refuse(error: &WebhookError) -> Response {
    let status = StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
    tracing::debug!(status = status.as_u16(), reason = %error, "webhook refused");
    (status, format!("{error}\n")).into_response()
}
