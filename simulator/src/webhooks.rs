//! Webhook notifications: what the simulator sends to its subscriptions when something they listen to
//! happens, signed as Intercom signs them, retried when they fail, and recorded in the subscriptions' feeds.
//!
//! A handler that changes the world calls [`notify`] (or [`ping`]) while it holds the lock: for each active
//! subscription to the topic a notification is made and queued, and the handler answers at once. A
//! dispatcher task ([`dispatch`]) takes the queue and delivers each notification on a task of its own: a
//! `POST` of the notification to the subscription's `url` with `Content-Type: application/json` and, when the
//! subscription has a `hub_secret`, `X-Hub-Signature: sha1=<hex HMAC-SHA1 of the exact body>`. Any `2xx` is a
//! delivery; anything else (no connection, a timeout, another status) is tried again after a backoff that
//! doubles, up to the configured attempts. A delivered notification goes to the subscription's sent feed
//! (`delivery_status: "success"`); one that failed every attempt to its error feed (`delivery_status:
//! "failed"`, with the last exchange under `http_request`, as Intercom shows it).
//!
//! Which URLs are really sent to is [`WebhookTargets`]: by default loopback hosts only, so that the simulator
//! sends nothing off the machine; a notification for another URL is recorded as delivered without being sent.

use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Map, Value, json};
use sha1::Sha1;
use tokio::sync::mpsc;

use crate::world::{Object, World, lock, now, text};

/// The `User-Agent` of Intercom's webhook deliveries.
const USER_AGENT: &str = "intercom-parrot-service-client/1.0";

/// What Intercom's ping notification says.
const PING_MESSAGE: &str = "something something interzen";

/// The most bytes of a failed delivery's answer kept in the error feed.
const MAX_RESPONSE_ENTITY: usize = 4096;

/// The longest wait between two attempts, however many there were.
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// Which subscription URLs the simulator sends its webhook notifications to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookTargets {
    /// `http` and `https` URLs on a loopback host (`127.0.0.0/8`, `::1`, `localhost`); a notification for any
    /// other URL is recorded in the sent feed as delivered, without being sent. The default: the simulator
    /// sends nothing off the machine, and tests run their receivers on 127.0.0.1.
    #[default]
    Loopback,
    /// Every `http` and `https` URL.
    Any,
    /// None: every notification is recorded as delivered without being sent.
    Nowhere,
}

/// How notifications are delivered.
#[derive(Debug, Clone)]
pub(crate) struct WebhookSettings {
    pub targets: WebhookTargets,
    /// The most times a notification is sent, the first included.
    pub max_attempts: u32,
    /// The wait before the first retry; it doubles for each later one (up to [`MAX_BACKOFF`]).
    pub backoff: Duration,
    /// How long one attempt may take, from sending to the end of the answer's headers.
    pub timeout: Duration,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            targets: WebhookTargets::Loopback,
            max_attempts: 4,
            backoff: Duration::from_secs(1),
            timeout: Duration::from_secs(10),
        }
    }
}

/// What the world keeps about notifications, besides the sent feeds.
#[derive(Default)]
pub(crate) struct Notifications {
    /// The notifications that failed every attempt, by subscription id (the error feeds), oldest first.
    pub error_feeds: Vec<(String, Vec<Value>)>,
    /// The dispatcher's queue; `None` when no server runs (the world of a unit test), and then notifications
    /// are recorded as delivered.
    pub outbox: Option<mpsc::UnboundedSender<Delivery>>,
    /// How many notifications were made (their own counter, so that they do not shift the other ids).
    issued: u64,
}

/// A notification to deliver.
pub(crate) struct Delivery {
    subscription_id: String,
    url: String,
    hub_secret: Option<String>,
    notification: Object,
}

/// Which feed a notification is recorded in.
#[derive(Clone, Copy)]
enum Feed {
    Sent,
    Error,
}

/// Notifies every active subscription to `topic` of `item` (the object as the API returns it). An
/// `event.created` subscription hears only of the events its `metadata.event_names` names.
pub(crate) fn notify(world: &mut World, topic: &str, item: &Value) {
    let subscribers: Vec<(String, String, Option<String>)> = world
        .subscriptions
        .iter()
        .filter(|subscription| listens(subscription, topic, item))
        .filter_map(|subscription| {
            let id = text(subscription, "id")?.into_owned();
            let url = text(subscription, "url")?.into_owned();
            Some((id, url, hub_secret(subscription)))
        })
        .collect();
    for (subscription_id, url, hub_secret) in subscribers {
        let notification = new_notification(world, topic, item.clone());
        queue(world, Delivery { subscription_id, url, hub_secret, notification });
    }
}

/// Pings the subscription at `index` (a ping goes to every subscription, whatever its topics): the
/// notification is queued like any other, and returned as the ping endpoint answers it (already marked
/// delivered when it is only recorded).
pub(crate) fn ping(world: &mut World, index: usize) -> Value {
    let subscription = &world.subscriptions[index];
    let subscription_id = text(subscription, "id").map(|id| id.into_owned()).unwrap_or_default();
    let url = text(subscription, "url").map(|url| url.into_owned()).unwrap_or_default();
    let hub_secret = hub_secret(subscription);
    let notification = new_notification(world, "ping", json!({ "type": "ping", "message": PING_MESSAGE }));
    let answer = queue(world, Delivery { subscription_id, url, hub_secret, notification });
    Value::Object(answer)
}

/// The error feed of subscription `id`, newest first.
pub(crate) fn error_feed(world: &World, id: &str) -> Vec<Value> {
    feed(&world.notifications.error_feeds, id)
}

/// The sent feed of subscription `id`, newest first.
pub(crate) fn sent_feed(world: &World, id: &str) -> Vec<Value> {
    feed(&world.sent_feeds, id)
}

/// Forgets the feeds of a deleted subscription.
pub(crate) fn forget(world: &mut World, id: &str) {
    world.sent_feeds.retain(|(subscription_id, _)| subscription_id != id);
    world.notifications.error_feeds.retain(|(subscription_id, _)| subscription_id != id);
}

fn feed(feeds: &[(String, Vec<Value>)], id: &str) -> Vec<Value> {
    let found = feeds.iter().find(|(subscription_id, _)| subscription_id == id);
    found.into_iter().flat_map(|(_, feed)| feed.iter().rev().cloned()).collect()
}

/// Whether `subscription` hears of `topic` for this item.
fn listens(subscription: &Object, topic: &str, item: &Value) -> bool {
    let active = subscription.get("active").and_then(Value::as_bool).unwrap_or(true);
    let topics = subscription.get("topics").and_then(Value::as_array);
    if !active || !topics.is_some_and(|topics| topics.iter().any(|listened| listened == topic)) {
        return false;
    }
    if topic != "event.created" {
        return true;
    }
    let names = subscription.get("metadata").and_then(|metadata| metadata.get("event_names"));
    let name = item.get("event_name");
    names.and_then(Value::as_array).is_some_and(|names| name.is_some_and(|name| names.contains(name)))
}

/// The subscription's `hub_secret`, when it has one (an empty one signs nothing).
fn hub_secret(subscription: &Object) -> Option<String> {
    subscription.get("hub_secret").and_then(Value::as_str).filter(|secret| !secret.is_empty()).map(str::to_owned)
}

/// A notification of `topic` about `item`, as Intercom makes it, not yet sent.
fn new_notification(world: &mut World, topic: &str, item: Value) -> Object {
    world.notifications.issued += 1;
    let id =
        format!("notif_{:08x}-0000-4000-9000-{:012x}", world.settings.seed & 0xffff_ffff, world.notifications.issued);
    let Value::Object(notification) = json!({
        "type": "notification_event",
        "id": id,
        "topic": topic,
        "app_id": world.app_id(),
        "data": { "type": "notification_event_data", "item": item },
        "delivery_status": null,
        "delivery_attempts": 0,
        "delivered_at": 0,
        "first_sent_at": null,
        "created_at": now(),
        "links": {},
        "self": null,
        "metadata": {},
    }) else {
        return Object::new();
    };
    notification
}

/// Queues `delivery` for the dispatcher when its URL is one to send to, or else records it as delivered at
/// once; gives back the notification as it stands.
fn queue(world: &mut World, delivery: Delivery) -> Object {
    let sendable = sendable(world.settings.webhooks.targets, &delivery.url);
    if let (true, Some(outbox)) = (sendable, &world.notifications.outbox) {
        let pending = delivery.notification.clone();
        // A closed queue means the simulator is stopping: the notification is dropped with it.
        let _ = outbox.send(delivery);
        return pending;
    }
    let at = now();
    let mut notification = delivery.notification;
    mark(&mut notification, "success", 1, at, at);
    record(world, Feed::Sent, &delivery.subscription_id, notification.clone());
    notification
}

/// Whether notifications for `url` are really sent.
fn sendable(targets: WebhookTargets, url: &str) -> bool {
    let Ok(url) = url::Url::parse(url) else { return false };
    if !matches!(url.scheme(), "http" | "https") {
        return false;
    }
    match (targets, url.host()) {
        (WebhookTargets::Nowhere, _) | (_, None) => false,
        (WebhookTargets::Any, Some(_)) => true,
        (WebhookTargets::Loopback, Some(url::Host::Ipv4(ip))) => ip.is_loopback(),
        (WebhookTargets::Loopback, Some(url::Host::Ipv6(ip))) => ip.is_loopback(),
        (WebhookTargets::Loopback, Some(url::Host::Domain(host))) => host.eq_ignore_ascii_case("localhost"),
    }
}

/// Sets the delivery members of a notification.
fn mark(notification: &mut Object, status: &str, attempts: u32, first_sent_at: i64, delivered_at: i64) {
    notification.insert("delivery_status".into(), status.into());
    notification.insert("delivery_attempts".into(), attempts.into());
    notification.insert("first_sent_at".into(), first_sent_at.into());
    notification.insert("delivered_at".into(), delivered_at.into());
}

/// Adds a notification to a feed of subscription `id`, unless the subscription is gone.
fn record(world: &mut World, feed: Feed, id: &str, notification: Object) {
    if !world.subscriptions.iter().any(|subscription| text(subscription, "id").is_some_and(|found| found == id)) {
        return;
    }
    let feeds = match feed {
        Feed::Sent => &mut world.sent_feeds,
        Feed::Error => &mut world.notifications.error_feeds,
    };
    match feeds.iter_mut().find(|(subscription_id, _)| subscription_id == id) {
        Some((_, feed)) => feed.push(Value::Object(notification)),
        None => feeds.push((id.to_owned(), vec![Value::Object(notification)])),
    }
}

/// `sha1=` and the lowercase hex HMAC-SHA1 of `body` keyed by `secret`: the `X-Hub-Signature` of a body.
pub(crate) fn signature(secret: &str, body: &[u8]) -> String {
    match <Hmac<Sha1> as KeyInit>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(body);
            format!("sha1={}", hex::encode(mac.finalize().into_bytes()))
        }
        // HMAC takes keys of any length.
        Err(_) => unreachable!("HMAC accepts keys of any length"),
    }
}

/// Takes the queued notifications and delivers each on a task of its own, until the world (and so the
/// queue's sender) is gone. The tasks hold the world weakly: a stopped simulator delivers nothing more.
pub(crate) async fn dispatch(
    world: Weak<Mutex<World>>,
    mut queue: mpsc::UnboundedReceiver<Delivery>,
    settings: WebhookSettings,
) {
    let client = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(settings.timeout)
        .build()
        .map_err(|error| error.to_string());
    let settings = Arc::new(settings);
    while let Some(delivery) = queue.recv().await {
        tokio::spawn(deliver(world.clone(), client.clone(), delivery, Arc::clone(&settings)));
    }
}

/// What came of one attempt, for the error feed.
struct Failure {
    status: Option<u16>,
    headers: Map<String, Value>,
    entity: String,
    error: Option<String>,
}

/// Sends one notification until it is delivered or the attempts run out, and records what came of it.
async fn deliver(
    world: Weak<Mutex<World>>,
    client: Result<reqwest::Client, String>,
    delivery: Delivery,
    settings: Arc<WebhookSettings>,
) {
    let Delivery { subscription_id, url, hub_secret, mut notification } = delivery;
    let first_sent_at = now();
    let attempts = settings.max_attempts.max(1);
    let mut last = None;
    for attempt in 1..=attempts {
        if attempt > 1 {
            let doublings = (attempt - 2).min(16);
            tokio::time::sleep(settings.backoff.saturating_mul(1 << doublings).min(MAX_BACKOFF)).await;
        }
        if !subscribed(&world, &subscription_id) {
            return;
        }
        notification.insert("delivery_status".into(), Value::Null);
        notification.insert("delivery_attempts".into(), attempt.into());
        notification.insert("first_sent_at".into(), first_sent_at.into());
        notification.insert("delivered_at".into(), 0.into());
        let body = Value::Object(notification.clone()).to_string();
        let signature = hub_secret.as_deref().map(|secret| signature(secret, body.as_bytes()));
        let outcome = match &client {
            Ok(client) => send(client, &url, &body, signature.as_deref()).await,
            Err(error) => Err(Failure {
                status: None,
                headers: Map::new(),
                entity: String::new(),
                error: Some(format!("the simulator cannot send requests: {error}")),
            }),
        };
        match outcome {
            Ok(()) => {
                mark(&mut notification, "success", attempt, first_sent_at, now());
                if let Some(world) = world.upgrade() {
                    record(&mut lock(&world), Feed::Sent, &subscription_id, notification);
                }
                return;
            }
            Err(failure) => last = Some((failure, body)),
        }
    }
    mark(&mut notification, "failed", attempts, first_sent_at, 0);
    if let Some((failure, body)) = last {
        notification.insert("http_request".into(), capture(&url, body, failure));
    }
    if let Some(world) = world.upgrade() {
        record(&mut lock(&world), Feed::Error, &subscription_id, notification);
    }
}

/// Whether subscription `id` still exists and is active (the world still running).
fn subscribed(world: &Weak<Mutex<World>>, id: &str) -> bool {
    let Some(world) = world.upgrade() else { return false };
    let world = lock(&world);
    world.subscriptions.iter().any(|subscription| {
        text(subscription, "id").is_some_and(|found| found == id)
            && subscription.get("active").and_then(Value::as_bool).unwrap_or(true)
    })
}

/// One `POST` of the notification; `Ok` for any `2xx`.
async fn send(client: &reqwest::Client, url: &str, body: &str, signature: Option<&str>) -> Result<(), Failure> {
    let mut request = client
        .post(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .header(reqwest::header::USER_AGENT, USER_AGENT)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body.to_owned());
    if let Some(signature) = signature {
        request = request.header("X-Hub-Signature", signature);
    }
    let mut response = match request.send().await {
        Ok(response) => response,
        Err(error) => {
            return Err(Failure {
                status: None,
                headers: Map::new(),
                entity: String::new(),
                error: Some(error.to_string()),
            });
        }
    };
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let headers = response
        .headers()
        .iter()
        .filter_map(|(name, value)| Some((name.to_string(), Value::from(value.to_str().ok()?))))
        .collect();
    let mut entity = Vec::new();
    while entity.len() < MAX_RESPONSE_ENTITY {
        match response.chunk().await {
            Ok(Some(chunk)) => entity.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    entity.truncate(MAX_RESPONSE_ENTITY);
    Err(Failure {
        status: Some(status.as_u16()),
        headers,
        entity: String::from_utf8_lossy(&entity).into_owned(),
        error: None,
    })
}

/// The last exchange of a failed delivery, as Intercom's error feed shows it (`http_request`).
fn capture(url: &str, body: String, failure: Failure) -> Value {
    let request_headers = json!({
        "Accept": "application/json",
        "User-Agent": USER_AGENT,
        "Content-Type": "application/json",
    });
    json!({
        "request_method": "POST",
        "request_uri": url,
        "request_headers": request_headers,
        "request_entity": body,
        "response_status_code": failure.status,
        "response_headers": failure.headers,
        "response_entity": failure.entity,
        "error": failure.error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_hmac_sha1_in_lowercase_hex() {
        // python3 -c "import hmac, hashlib; print(hmac.new(b'key', b'The quick brown fox jumps over the lazy
        // dog', hashlib.sha1).hexdigest())"
        let body = b"The quick brown fox jumps over the lazy dog";
        assert_eq!(signature("key", body), "sha1=de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9");
    }

    #[test]
    fn only_http_urls_of_the_allowed_hosts_are_sent_to() {
        for url in ["http://127.0.0.1:9/hook", "http://localhost/x", "https://[::1]:8443/", "http://127.9.9.9/"] {
            assert!(sendable(WebhookTargets::Loopback, url), "{url}");
            assert!(!sendable(WebhookTargets::Nowhere, url), "{url}");
        }
        for url in ["https://hooks.example.com/intercom", "http://10.0.0.1/"] {
            assert!(!sendable(WebhookTargets::Loopback, url), "{url}");
            assert!(sendable(WebhookTargets::Any, url), "{url}");
        }
        for url in ["ftp://127.0.0.1/", "not a url", "file:///etc/passwd"] {
            assert!(!sendable(WebhookTargets::Any, url), "{url}");
        }
    }

    #[test]
    fn event_subscriptions_hear_only_of_their_events() {
        let subscription = crate::world::object(json!({
            "topics": ["event.created", "user.created"],
            "metadata": { "event_names": ["ordered"] },
        }));
        assert!(listens(&subscription, "event.created", &json!({ "event_name": "ordered" })));
        assert!(!listens(&subscription, "event.created", &json!({ "event_name": "paid" })));
        assert!(listens(&subscription, "user.created", &json!({})));
        assert!(!listens(&subscription, "company.created", &json!({})));
    }
}
