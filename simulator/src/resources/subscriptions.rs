//! `/subscriptions`: webhook subscriptions, their notification feeds and pings.
//!
//! Notifications (a ping, and whatever the subscription's topics hear of) are delivered by
//! [`crate::webhooks`]: the sent feed lists those delivered, the error feed those that failed every attempt.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::http::{Answer, ApiError, body, ok};
use crate::validate::{Checks, Members};
use crate::webhooks;
use crate::world::{Object, Shared, World, lock, now, object, text};

/// The fields of a subscription a create or update body may set; the others are Intercom's.
const SETTABLE: [&str; 5] = ["service_type", "topics", "url", "hub_secret", "metadata"];

/// The topic whose notifications are limited to named events, which it therefore needs.
const EVENT_CREATED: &str = "event.created";

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/subscriptions", get(list).post(create))
        .route("/subscriptions/{id}", get(fetch).post(update).delete(delete))
        .route("/subscriptions/{id}/ping", post(ping))
        .route("/subscriptions/{id}/sent", get(sent_feed))
        .route("/subscriptions/{id}/error", get(error_feed))
}

/// `POST /subscriptions` `{service_type, topics, url, hub_secret, metadata: {event_names}}`: a new, active
/// subscription (see [`validate`] for what is refused).
async fn create(State(shared): State<Shared>, bytes: Bytes) -> Answer {
    let body = body(&bytes)?;
    check(&Members::of(&body))?;
    let mut world = lock(&shared);
    let mut subscription = new_subscription(&mut world);
    apply(&mut subscription, &body);
    validate(&subscription)?;
    world.subscriptions.push(subscription.clone());
    ok(Value::Object(subscription))
}

/// `GET /subscriptions`: every subscription, unpaged, under `items` as Intercom lists them.
async fn list(State(shared): State<Shared>) -> Answer {
    let world = lock(&shared);
    let items: Vec<Value> = world.subscriptions.iter().cloned().map(Value::Object).collect();
    ok(json!({ "type": "notification_subscription.list", "items": items }))
}

/// `GET /subscriptions/{id}`.
async fn fetch(State(shared): State<Shared>, Path(id): Path<String>) -> Answer {
    let world = lock(&shared);
    ok(Value::Object(world.subscriptions[position(&world, &id)?].clone()))
}

/// `POST /subscriptions/{id}`: changes the fields given; `topics` and `metadata` (so its `event_names`) replace
/// the old ones wholesale, as Intercom does. The result must be as valid as a new subscription.
async fn update(State(shared): State<Shared>, Path(id): Path<String>, bytes: Bytes) -> Answer {
    let body = body(&bytes)?;
    check(&Members::of(&body))?;
    let mut world = lock(&shared);
    let index = position(&world, &id)?;
    let mut subscription = world.subscriptions[index].clone();
    apply(&mut subscription, &body);
    validate(&subscription)?;
    subscription.insert("updated_at".into(), now().into());
    world.subscriptions[index] = subscription.clone();
    ok(Value::Object(subscription))
}

/// `DELETE /subscriptions/{id}`: removes it and its feed, and returns it.
async fn delete(State(shared): State<Shared>, Path(id): Path<String>) -> Answer {
    let mut world = lock(&shared);
    let index = position(&world, &id)?;
    let subscription = world.subscriptions.remove(index);
    webhooks::forget(&mut world, &id);
    ok(Value::Object(subscription))
}

/// `POST /subscriptions/{id}/ping`: sends the subscription a ping notification (see [`webhooks::ping`]) and
/// answers it, without waiting for its delivery.
async fn ping(State(shared): State<Shared>, Path(id): Path<String>) -> Answer {
    let mut world = lock(&shared);
    let index = position(&world, &id)?;
    ok(webhooks::ping(&mut world, index))
}

/// `GET /subscriptions/{id}/sent`: the notifications delivered to it, newest first.
async fn sent_feed(State(shared): State<Shared>, Path(id): Path<String>) -> Answer {
    let world = lock(&shared);
    position(&world, &id)?;
    ok(notification_list(webhooks::sent_feed(&world, &id)))
}

/// `GET /subscriptions/{id}/error`: the notifications that failed every delivery attempt, newest first, each
/// with its attempts and its last exchange (`http_request`).
async fn error_feed(State(shared): State<Shared>, Path(id): Path<String>) -> Answer {
    let world = lock(&shared);
    position(&world, &id)?;
    ok(notification_list(webhooks::error_feed(&world, &id)))
}

/// The position of subscription `id` in `world.subscriptions`, or a `404`.
fn position(world: &World, id: &str) -> Result<usize, ApiError> {
    world
        .subscriptions
        .iter()
        .position(|subscription| text(subscription, "id").is_some_and(|found| found == id))
        .ok_or_else(|| ApiError::not_found("Subscription Not Found"))
}

/// A subscription with Intercom's defaults, its id and its absolute links, before the request's fields.
fn new_subscription(world: &mut World) -> Object {
    let id = format!("nsub_{}", world.new_uuid());
    let this = format!("{}/subscriptions/{id}", world.base_url);
    let created = now();
    object(json!({
        "type": "notification_subscription",
        "id": id,
        "created_at": created,
        "updated_at": created,
        "service_type": "web",
        "app_id": world.app_id(),
        "url": null,
        "self": this,
        "topics": [],
        "metadata": {},
        "active": true,
        "hub_secret": null,
        "mode": "point",
        "links": { "sent": format!("{this}/sent"), "retry": format!("{this}/retry"), "errors": format!("{this}/error") },
        "notes": [],
    }))
}

/// Checks the types of a create or update body, naming every wrong member: `url`, `service_type` and
/// `hub_secret` are text, `topics` a list of texts, `metadata` an object whose `event_names` is a list of texts.
/// Whether the values are acceptable is [`validate`]'s business, once they are applied.
fn check(body: &Members) -> Result<(), ApiError> {
    let mut checks = Checks::default();
    for key in ["url", "service_type", "hub_secret"] {
        checks.check(body.text(key));
    }
    checks.check(body.texts("topics"));
    if let Some(metadata) = checks.check(body.member("metadata")).flatten() {
        checks.check(metadata.texts("event_names"));
    }
    checks.done()
}

/// Copies the settable fields the body gives onto the subscription, replacing what was there (`metadata: null`
/// empties the metadata: the model's metadata is always an object).
fn apply(subscription: &mut Object, body: &Object) {
    for key in SETTABLE {
        match (key, body.get(key)) {
            ("metadata", Some(Value::Null)) => {
                subscription.insert(key.to_owned(), json!({}));
            }
            (_, Some(value)) => {
                subscription.insert(key.to_owned(), value.clone());
            }
            (_, None) => {}
        }
    }
}

/// Refuses, with a `422`, a subscription Intercom would not take (its body's types were checked already, see
/// [`check`]): a `url` that is not an absolute http(s) URL, `topics` that are not a non-empty list of names, a
/// `service_type` other than `web` (the only one Intercom has), or `event.created` without
/// `metadata.event_names`.
fn validate(subscription: &Object) -> Result<(), ApiError> {
    let url = subscription.get("url").filter(|url| !url.is_null()).ok_or_else(|| ApiError::missing("url"))?;
    let web_url = url
        .as_str()
        .and_then(|url| url::Url::parse(url).ok())
        .is_some_and(|url| ["http", "https"].contains(&url.scheme()) && url.host().is_some());
    if !web_url {
        return Err(ApiError::invalid("parameter_invalid", "url", "url must be an absolute http or https URL"));
    }
    let topics = names(subscription.get("topics"))
        .filter(|topics| !topics.is_empty())
        .ok_or_else(|| ApiError::invalid("parameter_invalid", "topics", "topics must be a non-empty list of topics"))?;
    if subscription.get("service_type").and_then(Value::as_str) != Some("web") {
        return Err(ApiError::invalid("parameter_invalid", "service_type", "service_type must be web"));
    }
    if !subscription.get("hub_secret").is_some_and(|secret| secret.is_null() || secret.is_string()) {
        return Err(ApiError::invalid("parameter_invalid", "hub_secret", "hub_secret must be text"));
    }
    let metadata = subscription.get("metadata");
    if metadata.is_some_and(|metadata| !metadata.is_object()) {
        return Err(ApiError::invalid("parameter_invalid", "metadata", "metadata must be an object"));
    }
    let event_names = metadata.and_then(|metadata| metadata.get("event_names"));
    if event_names.is_some_and(|names_given| names(Some(names_given)).is_none()) {
        return Err(ApiError::invalid(
            "parameter_invalid",
            "metadata.event_names",
            "metadata.event_names must be a list of event names",
        ));
    }
    if topics.contains(&EVENT_CREATED) && names(event_names).is_none_or(|names| names.is_empty()) {
        return Err(ApiError::invalid(
            "parameter_not_found",
            "metadata.event_names",
            "the event.created topic needs the event names to notify in metadata.event_names",
        ));
    }
    Ok(())
}

/// The items of a list of non-empty texts, or `None` when the value is anything else.
fn names(value: Option<&Value>) -> Option<Vec<&str>> {
    value?.as_array()?.iter().map(|item| item.as_str().filter(|name| !name.is_empty())).collect()
}

/// A notification feed.
fn notification_list(notifications: Vec<Value>) -> Value {
    json!({ "type": "notification_event.list", "notifications": notifications })
}
