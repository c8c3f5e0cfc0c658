//! `POST /conversations/{id}/reply` and `POST /conversations/last/reply`: a customer's comment, or an admin's
//! comment, note, assignment, opening, closing or snoozing, each added to the conversation as a part.
//!
//! A conversation's `state` is `open`, `closed` or `snoozed`; a snoozed one is still `open: true` (it is not
//! closed) and wakes up, `open` again, at its `snoozed_until`, or when the customer replies.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::conversations::{CUSTOMER_KEYS, admin, admin_ref, customer_ref, find, html, person, takes_part};
use super::teams;
use crate::activity;
use crate::http::{Answer, ApiError, body, ok};
use crate::validate::{Checks, Members};
use crate::webhooks;
use crate::world::{Object, Shared, World, lock, now, text};

/// The most attachments a reply may carry.
const MAX_ATTACHMENTS: usize = 5;

/// The `assignee_id` that leaves a conversation to nobody ("Unassigned").
const UNASSIGNED: &str = "0";

/// `POST /conversations/{id}/reply`: see [`add_reply`].
pub(super) async fn reply(State(shared): State<Shared>, Path(id): Path<String>, bytes: Bytes) -> Answer {
    let body = body(&bytes)?;
    let body = Members::of(&body);
    check_reply(&body)?;
    let mut world = lock(&shared);
    wake_snoozed(&mut world);
    let index = find(&world, &id)?;
    add_reply(&mut world, index, &body)
}

/// `POST /conversations/last/reply`: the same reply, to the last conversation started with the customer that
/// `intercom_user_id` (or `user_id`, or `email`) names; `404` when there is none.
pub(super) async fn reply_to_last(State(shared): State<Shared>, bytes: Bytes) -> Answer {
    let body = body(&bytes)?;
    let body = Members::of(&body);
    check_reply(&body)?;
    let mut world = lock(&shared);
    wake_snoozed(&mut world);
    let customer = person(&world, &body, &CUSTOMER_KEYS)?;
    let customer_id = text(&world.people[customer], "id").map(|id| id.into_owned()).unwrap_or_default();
    let index = world
        .conversations
        .iter()
        .rposition(|conversation| takes_part(conversation, &customer_id))
        .ok_or_else(|| ApiError::not_found("Conversation Not Found"))?;
    add_reply(&mut world, index, &body)
}

/// Reopens the snoozed conversations whose `snoozed_until` has come, as Intercom does.
pub(super) fn wake_snoozed(world: &mut World) {
    let at = now();
    for conversation in &mut world.conversations {
        let snoozed = conversation.get("state").and_then(Value::as_str) == Some("snoozed");
        let due = conversation.get("snoozed_until").and_then(Value::as_i64).is_none_or(|until| until <= at);
        if snoozed && due {
            set_state(conversation, Lifecycle::Open);
        }
    }
}

/// What a reply does to the conversation, besides adding its part.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PartType {
    /// A message to the other side; the customer's reopens the conversation.
    Comment,
    /// An admin's note, seen only by the team.
    Note,
    Open,
    Close,
    /// An admin gives the conversation to an admin, a team or nobody (`assignee_id`).
    Assignment,
    /// An admin puts the conversation aside until `snoozed_until`.
    Snoozed,
}

impl PartType {
    /// The `message_type` of a reply; an admin may send any, a customer only comments.
    fn of(body: &Members, by_admin: bool) -> Result<Self, ApiError> {
        let part_type = match body.text("message_type")?.filter(|message_type| !message_type.is_empty()) {
            Some("comment") => PartType::Comment,
            Some("note") if by_admin => PartType::Note,
            Some("open") if by_admin => PartType::Open,
            Some("close") if by_admin => PartType::Close,
            Some("assignment") if by_admin => PartType::Assignment,
            Some("snoozed") if by_admin => PartType::Snoozed,
            Some(_) if !by_admin => {
                return Err(ApiError::invalid("parameter_invalid", "message_type", "a user can only comment"));
            }
            Some(_) => {
                return Err(ApiError::invalid(
                    "parameter_invalid",
                    "message_type",
                    "message_type must be comment, note, open, close, assignment or snoozed",
                ));
            }
            None => return Err(ApiError::missing("message_type")),
        };
        Ok(part_type)
    }

    /// The webhook topic of a reply of this type, by an admin or by the customer.
    fn topic(self, by_admin: bool) -> &'static str {
        match (self, by_admin) {
            (_, false) => "conversation.user.replied",
            (PartType::Comment, true) => "conversation.admin.replied",
            (PartType::Note, true) => "conversation.admin.noted",
            (PartType::Open, true) => "conversation.admin.opened",
            (PartType::Close, true) => "conversation.admin.closed",
            (PartType::Assignment, true) => "conversation.admin.assigned",
            (PartType::Snoozed, true) => "conversation.admin.snoozed",
        }
    }

    fn name(self) -> &'static str {
        match self {
            PartType::Comment => "comment",
            PartType::Note => "note",
            PartType::Open => "open",
            PartType::Close => "close",
            PartType::Assignment => "assignment",
            PartType::Snoozed => "snoozed",
        }
    }
}

/// Checks the types of a reply, naming every wrong member: `type`, `message_type` and `body` are text,
/// `admin_id`, `assignee_id` and the customer's `intercom_user_id` and `user_id` identifiers, `email` text,
/// `snoozed_until` whole Unix seconds, and `attachment_urls` a list of texts. Nothing is looked up.
fn check_reply(body: &Members) -> Result<(), ApiError> {
    let mut checks = Checks::default();
    for key in ["type", "message_type", "body", "email"] {
        checks.check(body.text(key));
    }
    for key in ["admin_id", "assignee_id", "intercom_user_id", "user_id"] {
        checks.check(body.id(key));
    }
    checks.check(body.timestamp("snoozed_until"));
    checks.check(body.texts("attachment_urls"));
    checks.done()
}

/// What a reply asks for, besides its part type: whom it assigns the conversation to, until when it snoozes it.
#[derive(Default)]
struct Effect {
    assignee: Option<Value>,
    snoozed_until: Option<i64>,
}

/// Adds a reply to the conversation at `index` and answers the conversation with its parts. The reply is an
/// admin's (`type: "admin"`, `admin_id`) or the customer's (`type: "user"` and `intercom_user_id`, `user_id` or
/// `email`), of a `message_type`: `comment` and `note` need a `body` and may carry `attachment_urls`;
/// `assignment` needs an `assignee_id` (see [`assignee`]) and may carry a `body`, shown with it as a note;
/// `snoozed` needs a `snoozed_until` in the future; `close` closes the conversation, `open` (or a customer's
/// comment) reopens it. An admin's comment leaves it unread by the customer and no longer waiting; a
/// customer's makes it wait for an answer. What an admin does is logged in the activity log.
fn add_reply(world: &mut World, index: usize, body: &Members) -> Answer {
    check_reply(body)?;
    let author = author(world, body)?;
    let by_admin = author["type"] == "admin";
    let part_type = PartType::of(body, by_admin)?;
    let reply_body = body.text("body")?.filter(|reply| !reply.is_empty()).map(html);
    if reply_body.is_none() && matches!(part_type, PartType::Comment | PartType::Note) {
        return Err(ApiError::missing("body"));
    }
    let attachments = attachments(body)?;
    let effect = match part_type {
        PartType::Assignment => {
            Effect { assignee: Some(assignee(world, &body.required_id("assignee_id")?)?), ..Effect::default() }
        }
        PartType::Snoozed => Effect { snoozed_until: Some(snoozed_until(body)?), ..Effect::default() },
        _ => Effect::default(),
    };
    let part_id = world.new_number();
    let at = now();
    let part = json!({
        "type": "conversation_part",
        "id": part_id,
        "part_type": part_type.name(),
        "body": reply_body,
        "created_at": at,
        "updated_at": at,
        "notified_at": at,
        "assigned_to": effect.assignee,
        "author": author,
        "attachments": attachments,
        "external_id": null,
    });
    let conversation = &mut world.conversations[index];
    let state_before = conversation.get("state").cloned().unwrap_or_default();
    follow_up(conversation, part_type, by_admin, at, &effect);
    push_part(conversation, part);
    let answer = conversation.clone();
    if by_admin {
        log(world, &author, part_type, &answer, &state_before, &part_id);
    }
    let answer = Value::Object(answer);
    webhooks::notify(world, part_type.topic(by_admin), &answer);
    ok(answer)
}

/// The party `assignee_id` names: `"0"` nobody (`{"type": "nobody_admin", "id": null}`), else an admin
/// (`{"type": "admin", "id"}`) or a team (`{"type": "team", "id"}`). Intercom answers an id that is neither with
/// a `404 admin_not_found`, naming `assignee_id`.
fn assignee(world: &World, assignee_id: &str) -> Result<Value, ApiError> {
    if assignee_id == UNASSIGNED {
        return Ok(json!({ "type": "nobody_admin", "id": null }));
    }
    if admin(world, assignee_id).is_ok() {
        return Ok(json!({ "type": "admin", "id": assignee_id }));
    }
    if teams::find(world, assignee_id).is_some() {
        return Ok(json!({ "type": "team", "id": assignee_id }));
    }
    let message = format!("Assignee not found: no admin or team has the id {assignee_id}");
    Err(ApiError::new(StatusCode::NOT_FOUND, "admin_not_found", message).on("assignee_id"))
}

/// The `snoozed_until` of a snooze: required (`422 parameter_not_found`), whole Unix seconds (`400`), and in
/// the future (`422 parameter_invalid`): a conversation snoozed until a time gone by would be open already.
fn snoozed_until(body: &Members) -> Result<i64, ApiError> {
    let until = body.timestamp("snoozed_until")?.ok_or_else(|| ApiError::missing("snoozed_until"))?;
    if until <= now() {
        return Err(ApiError::invalid("parameter_invalid", "snoozed_until", "snoozed_until must be in the future"));
    }
    Ok(until)
}

/// What a reply of `part_type` does to the conversation at `at`, besides adding its part.
fn follow_up(conversation: &mut Object, part_type: PartType, by_admin: bool, at: i64, effect: &Effect) {
    match (part_type, by_admin) {
        (PartType::Close, _) => set_state(conversation, Lifecycle::Closed),
        (PartType::Open, _) => set_state(conversation, Lifecycle::Open),
        (PartType::Snoozed, _) => set_state(conversation, Lifecycle::Snoozed(effect.snoozed_until.unwrap_or(at))),
        (PartType::Assignment, _) => {
            if let Some(assignee) = &effect.assignee {
                conversation.insert("assignee".into(), assignee.clone());
            }
        }
        (PartType::Comment, true) => {
            conversation.insert("read".into(), false.into());
            conversation.insert("waiting_since".into(), Value::Null);
        }
        (PartType::Comment, false) => {
            set_state(conversation, Lifecycle::Open);
            conversation.insert("read".into(), true.into());
            if conversation.get("waiting_since").is_none_or(Value::is_null) {
                conversation.insert("waiting_since".into(), at.into());
            }
        }
        (PartType::Note, _) => {}
    }
    conversation.insert("updated_at".into(), at.into());
}

/// Logs what an admin's reply did (see [`crate::activity`]).
fn log(world: &mut World, author: &Value, part_type: PartType, conversation: &Object, before: &Value, part: &str) {
    let Some(admin_id) = author.get("id").and_then(Value::as_str).map(str::to_owned) else { return };
    let id = text(conversation, "id").map(|id| id.into_owned()).unwrap_or_default();
    let (activity_type, description, metadata) = match part_type {
        PartType::Comment => (
            "conversation_reply",
            format!("replied to conversation {id}."),
            json!({ "conversation_id": id, "part_id": part }),
        ),
        PartType::Note => (
            "conversation_note",
            format!("added a note to conversation {id}."),
            json!({ "conversation_id": id, "part_id": part }),
        ),
        PartType::Assignment => {
            let assignee = conversation.get("assignee").cloned().unwrap_or_default();
            let to = match assignee.get("id").and_then(Value::as_str) {
                Some(to) => format!("{} {to}", assignee["type"].as_str().unwrap_or("admin")),
                None => "nobody (Unassigned)".to_owned(),
            };
            let metadata = json!({ "conversation_id": id, "assignee": assignee });
            ("conversation_assignment", format!("assigned conversation {id} to {to}."), metadata)
        }
        PartType::Open | PartType::Close | PartType::Snoozed => {
            let after = conversation.get("state").cloned().unwrap_or_default();
            let metadata = json!({
                "conversation_id": id,
                "before": before,
                "after": after,
                "snoozed_until": conversation.get("snoozed_until"),
            });
            (
                "conversation_state_change",
                format!("changed the state of conversation {id} to {}.", after.as_str().unwrap_or("open")),
                metadata,
            )
        }
    };
    activity::record(world, &admin_id, activity_type, &description, metadata);
}

/// Appends a part to the conversation's `conversation_parts`, keeping `total_count` right.
pub(super) fn push_part(conversation: &mut Object, part: Value) {
    let Some(Value::Object(parts)) = conversation.get_mut("conversation_parts") else { return };
    if let Some(Value::Array(list)) = parts.get_mut("conversation_parts") {
        list.push(part);
    }
    let total = parts.get("conversation_parts").and_then(Value::as_array).map_or(0, Vec::len);
    parts.insert("total_count".into(), total.into());
}

/// Who replies: the admin `admin_id` names, or the customer; unknown ones are a `404`.
fn author(world: &World, body: &Members) -> Result<Value, ApiError> {
    match body.one_of("type", &["admin", "user"])? {
        Some("admin") => {
            let admin_id = body.required_id("admin_id")?;
            Ok(admin_ref(admin(world, &admin_id)?))
        }
        Some(_) => {
            let person = &world.people[person(world, body, &CUSTOMER_KEYS)?];
            let mut author = customer_ref(person);
            author["name"] = person.get("name").cloned().unwrap_or_default();
            author["email"] = person.get("email").cloned().unwrap_or_default();
            Ok(author)
        }
        None => Err(ApiError::missing("type")),
    }
}

/// The `attachment_urls` of a reply (at most five absolute http(s) URLs) as Intercom's attachments. A list of
/// anything but texts is a `400`; too many, or a text that is not such a URL, a `422`.
fn attachments(body: &Members) -> Result<Vec<Value>, ApiError> {
    let invalid = |message: &str| ApiError::invalid("parameter_invalid", "attachment_urls", message);
    let Some(urls) = body.texts("attachment_urls")? else { return Ok(Vec::new()) };
    if urls.len() > MAX_ATTACHMENTS {
        return Err(invalid("at most 5 attachment_urls are allowed"));
    }
    urls.iter()
        .map(|url| {
            let parsed = url::Url::parse(url)
                .ok()
                .filter(|url| ["http", "https"].contains(&url.scheme()))
                .ok_or_else(|| invalid("each attachment URL must be an absolute http(s) URL"))?;
            let name = parsed.path_segments().and_then(|mut segments| segments.next_back()).unwrap_or_default();
            Ok(json!({
                "type": "upfront_attachment",
                "name": name,
                "url": parsed.as_str(),
                "content_type": null,
                "filesize": null,
                "width": null,
                "height": null,
            }))
        })
        .collect()
}

/// The state a conversation can be put in.
#[derive(Clone, Copy)]
enum Lifecycle {
    Open,
    Closed,
    /// Until these Unix seconds.
    Snoozed(i64),
}

/// Puts a conversation in `state`: `open`, `state` and `snoozed_until` agree (a snoozed conversation is not
/// closed, so it stays `open: true`).
fn set_state(conversation: &mut Object, state: Lifecycle) {
    let (open, name, until) = match state {
        Lifecycle::Open => (true, "open", Value::Null),
        Lifecycle::Closed => (false, "closed", Value::Null),
        Lifecycle::Snoozed(until) => (true, "snoozed", until.into()),
    };
    conversation.insert("open".into(), open.into());
    conversation.insert("state".into(), name.into());
    conversation.insert("snoozed_until".into(), until);
}
