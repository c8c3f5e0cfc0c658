//! `/conversations`: list them (all, one admin's or team's, the unassigned ones, one customer's), fetch one with
//! its parts, and mark one read. Replies (comments, notes, assignment, opening, closing, snoozing) are in
//! [`super::replies`], adding and removing customers in [`super::conversation_customers`].
//!
//! Conversations are opened by `POST /messages` through [`open`]. This module also holds what messages, notes
//! and events share with it: finding an admin or the person a request names, and HTML bodies.

use std::borrow::Cow;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::{replies, teams};
use crate::http::{Answer, ApiError, Query, body, ok};
use crate::paging;
use crate::people::{self, Kind};
use crate::validate::Members;
use crate::world::{Object, Shared, World, lock, now, object, text};

/// Intercom's page size for conversations, smaller than for other lists.
const DEFAULT_PER_PAGE: &str = "20";

/// The keys that name a customer in conversation requests, in the order they are looked at.
pub(super) const CUSTOMER_KEYS: [&str; 3] = ["intercom_user_id", "user_id", "email"];

/// What `admin_id` is for the conversations assigned to nobody (`type=admin&admin_id=nobody`).
const NOBODY: &str = "nobody";

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/conversations", get(list))
        .route("/conversations/last/reply", post(replies::reply_to_last))
        .route("/conversations/{id}", get(fetch).put(update))
        .route("/conversations/{id}/reply", post(replies::reply))
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
    let (key, value) = identifier(ids, keys)?;
    let key = if key == "intercom_user_id" { "id" } else { key };
    match people::find(world, Kind::User, key, &value)? {
        Some(index) => Ok(index),
        None => people::find(world, Kind::Lead, key, &value)?.ok_or_else(|| ApiError::not_found("User Not Found")),
    }
}

/// The first of `keys` that `ids` gives, with its value: a `400` when one of them has the wrong type, a `422`
/// naming the first key when none is given.
pub(super) fn identifier<'a>(ids: &Members<'a>, keys: &[&'a str]) -> Result<(&'a str, Cow<'a, str>), ApiError> {
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
    given.ok_or_else(|| {
        let field = ids.field(keys.first().copied().unwrap_or("user_id"));
        ApiError::invalid("parameter_not_found", &field, format!("One of {} is required", keys.join(", ")))
    })
}

/// The identifying parameters of a query (e.g. `email`), as an object for [`person`].
pub(super) fn ids_of_query(query: &Query, keys: &[&str]) -> Object {
    keys.iter().filter_map(|key| Some(((*key).to_owned(), Value::from(query.get(key)?)))).collect()
}

/// A body as Intercom stores it, in HTML: plain text becomes a paragraph, HTML is kept as it is.
pub(super) fn html(body: &str) -> String {
    if body.trim_start().starts_with('<') { body.to_owned() } else { format!("<p>{body}</p>") }
}

/// `GET /conversations`: every conversation; with `type=admin&admin_id=` those assigned to that admin (or to
/// that team, or with `admin_id=nobody` to nobody); with `type=user` and `intercom_user_id`, `user_id` or `email`
/// those that customer takes part in. `open=true|false` and `unread=true` narrow them. Sorted by `updated_at`
/// (the default), `created_at` or `waiting_since` (not for a customer's), newest first unless `asc` (see
/// [`Ordering`] for which parameter says which), 20 to a page, without their parts; `display_as=plaintext`
/// gives their messages as plain text.
async fn list(State(shared): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let query = with_default_per_page(raw.as_deref());
    let filter = query.one_of("type", &["admin", "user"])?;
    let (open, unread) = (query.flag("open")?, query.flag("unread")?);
    let ordering = Ordering::of(&query, filter)?;
    let plain = plaintext(&query)?;
    let mut world = lock(&shared);
    replies::wake_snoozed(&mut world);
    let world = &*world;
    let selected: Vec<(usize, &Object)> = match filter {
        None => world.conversations.iter().enumerate().collect(),
        Some("admin") => {
            let assignee = assignee_named(world, query.require("admin_id")?)?;
            with(world, |conversation| conversation.get("assignee").is_some_and(|found| same_party(found, &assignee)))
        }
        Some(_) => {
            let index = person(world, &Members::of(&ids_of_query(&query, &CUSTOMER_KEYS)), &CUSTOMER_KEYS)?;
            let person_id = text(&world.people[index], "id").map(Cow::into_owned).unwrap_or_default();
            with(world, |conversation| takes_part(conversation, &person_id))
        }
    };
    let selected = narrowed(selected, open, unread == Some(true));
    let items = ordering.sorted(selected).into_iter().map(|conversation| summary(conversation, plain)).collect();
    ok(paging::page(world, items, "conversation", "conversations", "/conversations", &query)?)
}

/// The assignee `admin_id` names in a list by admin: an admin, a team, or nobody (`nobody`). Anything else is
/// the `404` of an unknown admin.
fn assignee_named(world: &World, admin_id: &str) -> Result<Value, ApiError> {
    if admin_id == NOBODY {
        return Ok(json!({ "type": "nobody_admin", "id": null }));
    }
    if teams::find(world, admin_id).is_some() {
        return Ok(json!({ "type": "team", "id": admin_id }));
    }
    admin(world, admin_id)?;
    Ok(json!({ "type": "admin", "id": admin_id }))
}

/// Whether two `{"type", "id"}` references name the same party.
fn same_party(a: &Value, b: &Value) -> bool {
    a.get("type") == b.get("type") && a.get("id") == b.get("id")
}

/// Whether the person `id` is one of the conversation's customers (its first, `user`, or one added later).
pub(super) fn takes_part(conversation: &Object, id: &str) -> bool {
    let is_them = |reference: &Value| reference.get("id").and_then(Value::as_str) == Some(id);
    conversation.get("user").is_some_and(is_them)
        || conversation.get("customers").and_then(Value::as_array).is_some_and(|list| list.iter().any(is_them))
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
    /// The ordering a query asks for: by `updated_at` (or `created_at`, or `waiting_since` except for a
    /// customer's conversations, whose documented fields are only the first two), newest first (or `asc`).
    /// Intercom swaps the two parameters' names on filtered lists (`type=admin` or `type=user`): there `order`
    /// names the field and `sort` the direction, while the unfiltered list takes `sort` for the field and
    /// `order` for the direction ("When you are using filters such as admin/customers 'order' refers to the
    /// fields ... The reverse is true when listing conversation without any filtering"). A value that is not
    /// one of its parameter's is a `400`.
    fn of(query: &Query, filter: Option<&str>) -> Result<Self, ApiError> {
        let (field, direction) = if filter.is_some() { ("order", "sort") } else { ("sort", "order") };
        let fields: &[&'static str] = if filter == Some("user") {
            &["created_at", "updated_at"]
        } else {
            &["created_at", "updated_at", "waiting_since"]
        };
        let field = query.one_of(field, fields)?.unwrap_or("updated_at");
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

/// Whether the query asks for plain-text bodies: `display_as=plaintext`, the one other way Intercom displays
/// them (any other value is a `400`).
fn plaintext(query: &Query) -> Result<bool, ApiError> {
    Ok(query.one_of("display_as", &["plaintext"])?.is_some())
}

/// A conversation as lists show it: without its parts.
fn summary(conversation: &Object, plain: bool) -> Value {
    let mut shown = conversation.clone();
    shown.remove("conversation_parts");
    if plain {
        as_plain_text(&mut shown);
    }
    Value::Object(shown)
}

/// Turns the HTML bodies of a conversation (its message and its parts) into plain text.
fn as_plain_text(conversation: &mut Object) {
    let to_plain = |body: &mut Value| {
        if let Value::String(html) = body {
            *html = plain_text(html);
        }
    };
    if let Some(body) = conversation.get_mut("conversation_message").and_then(|message| message.get_mut("body")) {
        to_plain(body);
    }
    let parts = conversation.get_mut("conversation_parts").and_then(|parts| parts.get_mut("conversation_parts"));
    for part in parts.and_then(Value::as_array_mut).into_iter().flatten() {
        if let Some(body) = part.get_mut("body") {
            to_plain(body);
        }
    }
}

/// HTML as plain text: tags dropped, a paragraph, list item or `<br>` ending a line, the common entities
/// decoded.
fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut tag: Option<String> = None;
    for character in html.chars() {
        match (&mut tag, character) {
            (None, '<') => tag = Some(String::new()),
            (Some(inside), '>') => {
                let name: String = inside
                    .trim_start_matches('/')
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect::<String>()
                    .to_ascii_lowercase();
                let closing = inside.starts_with('/');
                if name == "br" || (closing && ["p", "div", "li"].contains(&name.as_str())) {
                    text.push('\n');
                }
                tag = None;
            }
            (Some(inside), character) => inside.push(character),
            (None, character) => text.push(character),
        }
    }
    let decoded = [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&nbsp;", " "), ("&amp;", "&")]
        .iter()
        .fold(text, |text, (entity, character)| text.replace(entity, character));
    decoded.trim_end_matches('\n').to_owned()
}

/// The position of the conversation with this id, or Intercom's `404`.
pub(super) fn find(world: &World, id: &str) -> Result<usize, ApiError> {
    world
        .conversations
        .iter()
        .position(|conversation| text(conversation, "id").is_some_and(|found| found == id))
        .ok_or_else(|| ApiError::not_found("Conversation Not Found"))
}

/// `GET /conversations/{id}`: the conversation with its parts (`display_as=plaintext`: as plain text).
async fn fetch(State(shared): State<Shared>, Path(id): Path<String>, RawQuery(raw): RawQuery) -> Answer {
    let plain = plaintext(&Query::parse(raw.as_deref()))?;
    let mut world = lock(&shared);
    replies::wake_snoozed(&mut world);
    let mut conversation = world.conversations[find(&world, &id)?].clone();
    if plain {
        as_plain_text(&mut conversation);
    }
    ok(Value::Object(conversation))
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

#[cfg(test)]
mod tests {
    use super::plain_text;

    #[test]
    fn html_bodies_read_as_plain_text() {
        assert_eq!(plain_text("<p>Hello <b>there</b></p>"), "Hello there");
        assert_eq!(plain_text("<p>One</p><p>Two &amp; three</p>"), "One\nTwo & three");
        assert_eq!(plain_text("a<br>b<br/>c &lt;d&gt;"), "a\nb\nc <d>");
        assert_eq!(plain_text("no tags"), "no tags");
    }
}
