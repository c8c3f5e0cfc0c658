//! `POST /messages`: a message from an admin to a user or lead, or from a user or lead to the team. Either
//! opens a conversation, as Intercom does.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use serde_json::{Value, json};

use super::conversations::{admin, admin_ref, customer_ref, html, open};
use crate::http::{Answer, ApiError, body, ok};
use crate::people::{self, Kind};
use crate::world::{Object, Shared, World, lock, now, text};

pub(crate) fn routes() -> Router<Shared> {
    Router::new().route("/messages", post(create))
}

/// `POST /messages`: `from.type` says who writes: an `admin` (see [`from_admin`]), or a `user` or `contact`
/// (see [`from_customer`]).
async fn create(State(shared): State<Shared>, bytes: Bytes) -> Answer {
    let body = body(&bytes)?;
    let from = party(&body, "from")?;
    let mut world = lock(&shared);
    match text(from, "type").as_deref() {
        Some("admin") => from_admin(&mut world, &body, from),
        Some("user") => from_customer(&mut world, &body, from, Kind::User),
        Some("contact") => from_customer(&mut world, &body, from, Kind::Lead),
        Some(_) => Err(ApiError::invalid("parameter_invalid", "from", "from.type must be admin, user or contact")),
        None => Err(ApiError::missing("from.type")),
    }
}

/// The object `body[key]` (`from` or `to`), or a `422`.
fn party<'a>(body: &'a Object, key: &str) -> Result<&'a Object, ApiError> {
    match body.get(key) {
        Some(Value::Object(party)) => Ok(party),
        Some(_) => Err(ApiError::invalid("parameter_invalid", key, format!("{key} must be an object"))),
        None => Err(ApiError::missing(key)),
    }
}

/// An admin's message (`message_type` `inapp` or `email`; an email needs a `subject` and may have a
/// `template`, `plain` by default) to the user or lead (`to.type` `user` or `contact`) that `to` names. It opens
/// a conversation assigned to that admin, unread by the customer, and answers the `admin_message`.
fn from_admin(world: &mut World, body: &Object, from: &Object) -> Answer {
    let admin_id = text(from, "id").ok_or_else(|| ApiError::missing("from.id"))?;
    let owner = admin_ref(admin(world, &admin_id)?);
    let message_type = text(body, "message_type").ok_or_else(|| ApiError::missing("message_type"))?;
    let email = match message_type.as_ref() {
        "email" => true,
        "inapp" => false,
        _ => return Err(ApiError::invalid("parameter_invalid", "message_type", "message_type must be inapp or email")),
    };
    let message_body = text(body, "body").ok_or_else(|| ApiError::missing("body"))?;
    let subject = text(body, "subject");
    if email && subject.is_none() {
        return Err(ApiError::missing("subject"));
    }
    let template = template(body, email)?;
    let receiver = &world.people[receiver(world, body)?];
    let (customer, receiver_ref) =
        (customer_ref(receiver), json!({ "type": receiver.get("type"), "id": receiver.get("id") }));
    let (id, created) = (world.new_number(), now());
    let message = json!({
        "type": "conversation_message",
        "id": id,
        "subject": subject,
        "body": html(&message_body),
        "author": { "type": "admin", "id": admin_id },
        "attachments": [],
        "url": null,
        "delivered_as": "admin_initiated",
    });
    open(world, customer, json!({ "type": "admin", "id": admin_id }), message);
    ok(json!({
        "type": "admin_message",
        "id": id,
        "created_at": created,
        "message_type": message_type,
        "subject": subject,
        "body": message_body,
        "template": template,
        "owner": owner,
        "to": receiver_ref,
    }))
}

/// The position of the user or lead an admin's message goes to: `to.type` is `user` or `contact`, and `to` has
/// its `id`, `user_id` or `email`.
fn receiver(world: &World, body: &Object) -> Result<usize, ApiError> {
    let to = party(body, "to")?;
    let kind = match text(to, "type").as_deref() {
        Some("user") => Kind::User,
        Some("contact") => Kind::Lead,
        Some(_) => return Err(ApiError::invalid("parameter_invalid", "to", "to.type must be user or contact")),
        None => return Err(ApiError::missing("to.type")),
    };
    people::identify(world, kind, to)
}

/// The `template` of an admin's message: `plain` or `personal`, for emails only.
fn template(body: &Object, email: bool) -> Result<Value, ApiError> {
    match (text(body, "template").as_deref(), email) {
        (None, false) => Ok(Value::Null),
        (None, true) => Ok("plain".into()),
        (Some(template @ ("plain" | "personal")), true) => Ok(template.into()),
        (Some(_), true) => {
            Err(ApiError::invalid("parameter_invalid", "template", "template must be plain or personal"))
        }
        (Some(_), false) => {
            Err(ApiError::invalid("parameter_invalid", "template", "template is only allowed for email messages"))
        }
    }
}

/// A message from the user or lead that `from` names (`id`, `user_id` or `email`) to the team: it opens an
/// unassigned conversation waiting for an answer, and answers the `user_message` with that conversation's id.
fn from_customer(world: &mut World, body: &Object, from: &Object, kind: Kind) -> Answer {
    let message_body = text(body, "body").ok_or_else(|| ApiError::missing("body"))?;
    let customer = customer_ref(&world.people[people::identify(world, kind, from)?]);
    let (id, created) = (world.new_number(), now());
    let message = json!({
        "type": "conversation_message",
        "id": id,
        "subject": null,
        "body": html(&message_body),
        "author": customer,
        "attachments": [],
        "url": null,
        "delivered_as": "customer_initiated",
    });
    let conversation_id = open(world, customer, json!({ "type": "nobody_admin", "id": null }), message);
    ok(json!({
        "type": "user_message",
        "id": id,
        "created_at": created,
        "body": message_body,
        "message_type": "inapp",
        "conversation_id": conversation_id,
    }))
}
