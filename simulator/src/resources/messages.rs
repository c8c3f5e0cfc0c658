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
use crate::validate::{Checks, Members};
use crate::webhooks;
use crate::world::{Shared, World, lock, now};

pub(crate) fn routes() -> Router<Shared> {
    Router::new().route("/messages", post(create))
}

/// `POST /messages`: `from.type` says who writes: an `admin` (see [`from_admin`]), or a `user` or `contact`
/// (see [`from_customer`]). The types of the whole message are checked before anyone is looked up.
async fn create(State(shared): State<Shared>, bytes: Bytes) -> Answer {
    let body = body(&bytes)?;
    let body = Members::of(&body);
    check(&body)?;
    let from = body.required_member("from")?;
    let mut world = lock(&shared);
    match from.one_of("type", &["admin", "user", "contact"])? {
        Some("admin") => from_admin(&mut world, &body, &from),
        Some("user") => from_customer(&mut world, &body, &from, Kind::User),
        Some(_) => from_customer(&mut world, &body, &from, Kind::Lead),
        None => Err(ApiError::missing("from.type")),
    }
}

/// Checks the types of a message, naming every wrong member: `message_type`, `subject`, `body` and `template`
/// are text; `from` and `to` are objects whose `type` is text and whose `id`, `user_id` and `email` name a
/// person (or, for `from.id`, an admin) as identifiers do.
fn check(body: &Members) -> Result<(), ApiError> {
    let mut checks = Checks::default();
    for key in ["message_type", "subject", "body", "template"] {
        checks.check(body.text(key));
    }
    for key in ["from", "to"] {
        if let Some(party) = checks.check(body.member(key)).flatten() {
            checks.check(party.text("type"));
            checks.check(people::check_identifiers(&party));
        }
    }
    checks.done()
}

/// An admin's message (`message_type` `inapp` or `email`; an email needs a `subject` and may have a
/// `template`, `plain` by default) to the user or lead (`to.type` `user` or `contact`) that `to` names. It opens
/// a conversation assigned to that admin, unread by the customer, and answers the `admin_message`.
fn from_admin(world: &mut World, body: &Members, from: &Members) -> Answer {
    let admin_id = from.required_id("id")?;
    let owner = admin_ref(admin(world, &admin_id)?);
    let message_type =
        body.one_of("message_type", &["inapp", "email"])?.ok_or_else(|| ApiError::missing("message_type"))?;
    let email = message_type == "email";
    let message_body = body.required_text("body")?;
    let subject = body.text("subject")?.filter(|subject| !subject.is_empty());
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
        "body": html(message_body),
        "author": { "type": "admin", "id": admin_id },
        "attachments": [],
        "url": null,
        "delivered_as": "admin_initiated",
    });
    open(world, customer, json!({ "type": "admin", "id": admin_id }), message);
    notify_opened(world, "conversation.admin.single.created");
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
fn receiver(world: &World, body: &Members) -> Result<usize, ApiError> {
    let to = body.required_member("to")?;
    let kind = match to.one_of("type", &["user", "contact"])? {
        Some("user") => Kind::User,
        Some(_) => Kind::Lead,
        None => return Err(ApiError::missing("to.type")),
    };
    people::identify(world, kind, &to)
}

/// The `template` of an admin's message: `plain` or `personal`, for emails only.
fn template(body: &Members, email: bool) -> Result<Value, ApiError> {
    match (body.one_of("template", &["plain", "personal"])?, email) {
        (None, false) => Ok(Value::Null),
        (None, true) => Ok("plain".into()),
        (Some(template), true) => Ok(template.into()),
        (Some(_), false) => {
            Err(ApiError::invalid("parameter_invalid", "template", "template is only allowed for email messages"))
        }
    }
}

/// A message from the user or lead that `from` names (`id`, `user_id` or `email`) to the team: it opens an
/// unassigned conversation waiting for an answer, and answers the `user_message` with that conversation's id.
fn from_customer(world: &mut World, body: &Members, from: &Members, kind: Kind) -> Answer {
    let message_body = body.required_text("body")?;
    let customer = customer_ref(&world.people[people::identify(world, kind, from)?]);
    let (id, created) = (world.new_number(), now());
    let message = json!({
        "type": "conversation_message",
        "id": id,
        "subject": null,
        "body": html(message_body),
        "author": customer,
        "attachments": [],
        "url": null,
        "delivered_as": "customer_initiated",
    });
    let conversation_id = open(world, customer, json!({ "type": "nobody_admin", "id": null }), message);
    notify_opened(world, "conversation.user.created");
    ok(json!({
        "type": "user_message",
        "id": id,
        "created_at": created,
        "body": message_body,
        "message_type": "inapp",
        "conversation_id": conversation_id,
    }))
}

/// Notifies the conversation just opened (the last one) to the subscriptions of `topic`.
fn notify_opened(world: &mut World, topic: &str) {
    if let Some(conversation) = world.conversations.last().cloned() {
        webhooks::notify(world, topic, &Value::Object(conversation));
    }
}
