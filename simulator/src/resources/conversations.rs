//! `/conversations`: list them (all, one admin's, one customer's), fetch one with its parts, mark one read, and
//! reply to one (a comment, a note, opening or closing it), or to a customer's last one.
//!
//! Conversations are opened by `POST /messages` through [`open`]. This module also holds what messages, notes
//! and events share with it: finding an admin or the person a request names, and HTML bodies.

use std::borrow::Cow;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::http::{Answer, ApiError, Query, body, ok};
use crate::paging;
use crate::people::{self, Kind};
use crate::validate::{Checks, Members};
use crate::world::{Object, Shared, World, lock, now, object, text};

/// Intercom's page size for conversations, smaller than for other lists.
const DEFAULT_PER_PAGE: &str = "20";

/// The most attachments a reply may carry.
const MAX_ATTACHMENTS: usize = 5;

/// The keys that name a customer in conversation requests, in the order they are looked at.
const CUSTOMER_KEYS: [&str; 3] = ["intercom_user_id", "user_id", "email"];

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/conversations", get(list))
        .route("/conversations/last/reply", post(reply_to_last))
        .route("/conversations/{id}", get(fetch).put(update))
        .route("/conversations/{id}/reply", post(reply))
}

/// Stores a new, open conversation that `message` (a `conversation_message`) starts between `customer`
/// (`{"type": "user"|"lead", "id"}`) and `assignee`, and returns its id. One the customer started waits for an
/// answer; one an admin started is unread until the customer reads it.
pub(super) fn open(world: &mut World, customer: Value, assignee: Value, message: Value) -> String {
    let id = world.new_number();
    let created = now();
    let customer_initiated = message["delivered_as"] == "customer_initiated";
    world.conversations.push(object(json!({
        "type": "conversation",
        "id": id,
        "created_at": created,
        "updated_at": created,
        "waiting_since": customer_initiated.then_some(created),
        "snoozed_until": null,
        "open": true,
        "state": "open",
        "read": customer_initiated,
        "user": customer,
        "customers": [customer],
        "assignee": assignee,
        "conversation_message": message,
        "tags": { "type": "tag.list", "tags": [] },
        "conversation_parts": { "type": "conversation_part.list", "conversation_parts": [], "total_count": 0 },
    })));
    id
}

/// The admin with this id, or Intercom's `404`.
pub(super) fn admin<'a>(world: &'a World, id: &str) -> Result<&'a Object, ApiError> {
    world
        .admins
        .iter()
        .find(|admin| text(admin, "id").is_some_and(|found| found == id))
        .ok_or_else(|| ApiError::not_found("Admin Not Found"))
}

/// An admin as the author of a part or the owner of a message: `{"type": "admin", "id", "name", "email"}`.
pub(super) fn admin_ref(admin: &Object) -> Value {
    json!({ "type": "admin", "id": admin.get("id"), "name": admin.get("name"), "email": admin.get("email") })
}

/// A person as a conversation's customer: `{"type": "user"|"lead", "id"}` (a lead's own `type` is `contact`).
pub(super) fn customer_ref(person: &Object) -> Value {
    let kind = if person.get("type").and_then(Value::as_str) == Some("user") { "user" } else { "lead" };
    json!({ "type": kind, "id": person.get("id") })
}

/// The user, or else the lead, that the first of `keys` present in `ids` names (`intercom_user_id` and `id` are
/// Intercom's id, `user_id` and `email` the person's own): a `400` when one of them has the wrong type, a `422`
/// when none is given, a `404` when nobody matches.
pub(super) fn person(world: &World, ids: &Members, keys: &[&str]) -> Result<usize, ApiError> {
    let mut given = None;
    for key in keys {
        // Every key is read, so that a malformed one is refused even when an earlier one names someone.
        let value = if *key == "email" {
            ids.text(key)?.filter(|email| !email.is_empty()).map(Cow::Borrowed)
        } else {
            ids.id(key)?
        };
        if given.is_none() {
            given = value.map(|value| (*key, value));
        }
    }
    let Some((key, value)) = given else {
        let field = ids.field(keys.first().copied().unwrap_or("user_id"));
        return Err(ApiError::invalid(
            "parameter_not_found",
            &field,
            format!("One of {} is required", keys.join(", ")),
        ));
    };
    let key = if key == "intercom_user_id" { "id" } else { key };
    match people::find(world, Kind::User, key, &value)? {
        Some(index) => Ok(index),
        None => people::find(world, Kind::Lead, key, &value)?.ok_or_else(|| ApiError::not_found("User Not Found")),
    }
}

/// The identifying parameters of a query (e.g. `email`), as an object for [`person`].
pub(super) fn ids_of_query(query: &Query, keys: &[&str]) -> Object {
    keys.iter().filter_map(|key| Some(((*key).to_owned(), Value::from(query.get(key)?)))).collect()
}

/// A body as Intercom stores it, in HTML: plain text becomes a paragraph, HTML is kept as it is.
pub(super) fn html(body: &str) -> String {
    if body.trim_start().starts_with('<') { body.to_owned() } else { format!("<p>{body}</p>") }
}

/// `GET /conversations`: every conversation, or with `type=admin&admin_id=` those assigned to that admin, or
/// with `type=user` and `intercom_user_id`, `user_id` or `email` those with that customer; `open=true|false`
/// and `unread=true` narrow them. Sorted by `updated_at` (the default), `created_at` or `waiting_since`, newest
/// first unless `asc` (see [`Ordering`] for which parameter says which), 20 to a page, without their parts.
async fn list(State(shared): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let query = with_default_per_page(raw.as_deref());
    let filter = query.one_of("type", &["admin", "user"])?;
    let (open, unread) = (query.flag("open")?, query.flag("unread")?);
    let ordering = Ordering::of(&query, filter.is_some())?;
    // `plaintext` is the one way Intercom can display bodies other than as HTML.
    query.one_of("display_as", &["plaintext"])?;
    let world = lock(&shared);
    let selected: Vec<(usize, &Object)> = match filter {
        None => world.conversations.iter().enumerate().collect(),
        Some("admin") => {
            let admin_id = query.require("admin_id")?;
            admin(&world, admin_id)?;
            with(&world, |conversation| field_id(conversation, "assignee").and_then(Value::as_str) == Some(admin_id))
        }
        Some(_) => {
            let index = person(&world, &Members::of(&ids_of_query(&query, &CUSTOMER_KEYS)), &CUSTOMER_KEYS)?;
            let person_id = world.people[index].get("id");
            with(&world, |conversation| field_id(conversation, "user") == person_id)
        }
    };
    let selected = narrowed(selected, open, unread == Some(true));
    let items = ordering.sorted(selected).into_iter().map(summary).collect();
    ok(paging::page(&world, items, "conversation", "conversations", "/conversations", &query)?)
}

/// The query, with Intercom's page size for conversations unless one is asked for.
fn with_default_per_page(raw: Option<&str>) -> Query {
    let query = Query::parse(raw);
    if query.get("per_page").is_some() {
        return query;
    }
    let raw = raw.unwrap_or_default();
    let separator = if raw.is_empty() { "" } else { "&" };
    Query::parse(Some(&format!("{raw}{separator}per_page={DEFAULT_PER_PAGE}")))
}

/// The conversations that `keep` accepts, with their positions.
fn with(world: &World, keep: impl Fn(&Object) -> bool) -> Vec<(usize, &Object)> {
    world.conversations.iter().enumerate().filter(|(_, conversation)| keep(conversation)).collect()
}

/// The `id` of a conversation's `user` or `assignee`.
fn field_id<'a>(conversation: &'a Object, field: &str) -> Option<&'a Value> {
    conversation.get(field)?.get("id")
}

/// Only the open (or closed) ones with `open=`, only those the customer has not read with `unread=true`.
fn narrowed(conversations: Vec<(usize, &Object)>, open: Option<bool>, unread_only: bool) -> Vec<(usize, &Object)> {
    conversations
        .into_iter()
        .filter(|(_, conversation)| open.is_none_or(|open| conversation.get("open") == Some(&Value::Bool(open))))
        .filter(|(_, conversation)| !unread_only || conversation.get("read") == Some(&Value::Bool(false)))
        .collect()
}

/// How a conversation list is ordered: by which time, and in which direction.
struct Ordering {
    field: &'static str,
    descending: bool,
}

impl Ordering {
    /// The ordering a query asks for: by `updated_at` (or `created_at`, or `waiting_since`), newest first (or
    /// `asc`). Intercom swaps the two parameters' names on filtered lists (`type=admin` or `type=user`): there
    /// `order` names the field and `sort` the direction, while the unfiltered list takes `sort` for the field
    /// and `order` for the direction ("When you are using filters such as admin/customers 'order' refers to the
    /// fields ... The reverse is true when listing conversation without any filtering"). A value that is not
    /// one of its parameter's is a `400`.
    fn of(query: &Query, filtered: bool) -> Result<Self, ApiError> {
        let (field, direction) = if filtered { ("order", "sort") } else { ("sort", "order") };
        let field = query.one_of(field, &["created_at", "updated_at", "waiting_since"])?.unwrap_or("updated_at");
        let descending = query.one_of(direction, &["asc", "desc"])? != Some("asc");
        Ok(Ordering { field, descending })
    }

    /// The conversations in this order; ties keep the order they were started in (newest first when
    /// descending). One that has no time of this kind (e.g. not waiting) counts as the oldest.
    fn sorted<'a>(&self, mut conversations: Vec<(usize, &'a Object)>) -> Vec<&'a Object> {
        let key = |conversation: &Object| conversation.get(self.field).and_then(Value::as_i64).unwrap_or(0);
        conversations.sort_by(|(a_index, a), (b_index, b)| key(a).cmp(&key(b)).then(a_index.cmp(b_index)));
        if self.descending {
            conversations.reverse();
        }
        conversations.into_iter().map(|(_, conversation)| conversation).collect()
    }
}

/// A conversation as lists show it: without its parts.
fn summary(conversation: &Object) -> Value {
    let mut shown = conversation.clone();
    shown.remove("conversation_parts");
    Value::Object(shown)
}

/// The position of the conversation with this id, or Intercom's `404`.
fn find(world: &World, id: &str) -> Result<usize, ApiError> {
    world
        .conversations
        .iter()
        .position(|conversation| text(conversation, "id").is_some_and(|found| found == id))
        .ok_or_else(|| ApiError::not_found("Conversation Not Found"))
}

/// `GET /conversations/{id}`: the conversation with its parts.
async fn fetch(State(shared): State<Shared>, Path(id): Path<String>) -> Answer {
    let world = lock(&shared);
    let index = find(&world, &id)?;
    ok(Value::Object(world.conversations[index].clone()))
}

/// `PUT /conversations/{id}`: `{"read": true}` marks it read by the customer; it answers the conversation.
async fn update(State(shared): State<Shared>, Path(id): Path<String>, bytes: Bytes) -> Answer {
    let body = body(&bytes)?;
    let read = Members::of(&body).boolean("read")?;
    let mut world = lock(&shared);
    let index = find(&world, &id)?;
    let conversation = &mut world.conversations[index];
    if let Some(read) = read {
        conversation.insert("read".into(), read.into());
    }
    ok(Value::Object(conversation.clone()))
}

/// `POST /conversations/{id}/reply`: see [`add_reply`].
async fn reply(State(shared): State<Shared>, Path(id): Path<String>, bytes: Bytes) -> Answer {
    let body = body(&bytes)?;
    let body = Members::of(&body);
    check_reply(&body)?;
    let mut world = lock(&shared);
    let index = find(&world, &id)?;
    add_reply(&mut world, index, &body)
}

/// `POST /conversations/last/reply`: the same reply, to the last conversation started with the customer that
/// `intercom_user_id` (or `user_id`, or `email`) names; `404` when there is none.
async fn reply_to_last(State(shared): State<Shared>, bytes: Bytes) -> Answer {
    let body = body(&bytes)?;
    let body = Members::of(&body);
    check_reply(&body)?;
    let mut world = lock(&shared);
    let customer = person(&world, &body, &CUSTOMER_KEYS)?;
    let customer_id = world.people[customer].get("id");
    let index = world
        .conversations
        .iter()
        .rposition(|conversation| field_id(conversation, "user") == customer_id)
        .ok_or_else(|| ApiError::not_found("Conversation Not Found"))?;
    add_reply(&mut world, index, &body)
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
}

impl PartType {
    /// The `message_type` of a reply; an admin may send any, a customer only comments.
    fn of(body: &Members, by_admin: bool) -> Result<Self, ApiError> {
        let part_type = match body.text("message_type")?.filter(|message_type| !message_type.is_empty()) {
            Some("comment") => PartType::Comment,
            Some("note") if by_admin => PartType::Note,
            Some("open") if by_admin => PartType::Open,
            Some("close") if by_admin => PartType::Close,
            Some(_) if !by_admin => {
                return Err(ApiError::invalid("parameter_invalid", "message_type", "a user can only comment"));
            }
            Some(_) => {
                return Err(ApiError::invalid(
                    "parameter_invalid",
                    "message_type",
                    "message_type must be comment, note, open or close",
                ));
            }
            None => return Err(ApiError::missing("message_type")),
        };
        Ok(part_type)
    }

    fn name(self) -> &'static str {
        match self {
            PartType::Comment => "comment",
            PartType::Note => "note",
            PartType::Open => "open",
            PartType::Close => "close",
        }
    }
}

/// Checks the types of a reply, naming every wrong member: `type`, `message_type` and `body` are text,
/// `admin_id` and the customer's `intercom_user_id` and `user_id` identifiers, `email` text, and
/// `attachment_urls` a list of texts. Nothing is looked up.
fn check_reply(body: &Members) -> Result<(), ApiError> {
    let mut checks = Checks::default();
    for key in ["type", "message_type", "body", "email"] {
        checks.check(body.text(key));
    }
    for key in ["admin_id", "intercom_user_id", "user_id"] {
        checks.check(body.id(key));
    }
    checks.check(body.texts("attachment_urls"));
    checks.done()
}

/// Adds a reply to the conversation at `index` and answers the conversation with its parts. The reply is an
/// admin's (`type: "admin"`, `admin_id`) or the customer's (`type: "user"` and `intercom_user_id`, `user_id` or
/// `email`), of a `message_type`: `comment` and `note` need a `body` and may carry `attachment_urls`; `close`
/// closes the conversation, `open` (or a customer's comment) reopens it. An admin's comment leaves it unread by
/// the customer and no longer waiting; a customer's makes it wait for an answer.
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
        "assigned_to": null,
        "author": author,
        "attachments": attachments,
        "external_id": null,
    });
    let conversation = &mut world.conversations[index];
    follow_up(conversation, part_type, by_admin, at);
    push_part(conversation, part);
    ok(Value::Object(conversation.clone()))
}

/// What a reply of `part_type` does to the conversation at `at`, besides adding its part.
fn follow_up(conversation: &mut Object, part_type: PartType, by_admin: bool, at: i64) {
    match (part_type, by_admin) {
        (PartType::Close, _) => set_open(conversation, false),
        (PartType::Open, _) => set_open(conversation, true),
        (PartType::Comment, true) => {
            conversation.insert("read".into(), false.into());
            conversation.insert("waiting_since".into(), Value::Null);
        }
        (PartType::Comment, false) => {
            set_open(conversation, true);
            conversation.insert("read".into(), true.into());
            if conversation.get("waiting_since").is_none_or(Value::is_null) {
                conversation.insert("waiting_since".into(), at.into());
            }
        }
        (PartType::Note, _) => {}
    }
    conversation.insert("updated_at".into(), at.into());
}

/// Appends a part to the conversation's `conversation_parts`, keeping `total_count` right.
fn push_part(conversation: &mut Object, part: Value) {
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

/// Opens or closes a conversation: `open` and `state` agree.
fn set_open(conversation: &mut Object, open: bool) {
    conversation.insert("open".into(), open.into());
    conversation.insert("state".into(), if open { "open" } else { "closed" }.into());
}
