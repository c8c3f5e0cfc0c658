//! `/counts`: how many users, companies, segments, tags and conversations the app has, computed from what the
//! simulated workspace holds at the moment of the call.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::routing::get;
use serde_json::{Value, json};

use crate::http::{Answer, ApiError, Query, ok};
use crate::people::{self, Kind};
use crate::world::{Object, Shared, World, lock, text};

use super::segments;

pub(crate) fn routes() -> Router<Shared> {
    Router::new().route("/counts", get(counts))
}

/// `GET /counts`: without parameters, the app's totals (`count.hash`); with `type` (`user`, `company` or
/// `conversation`) that kind's total, broken down by `count` (`segment`, `tag`, `user` for companies, `admin`
/// for conversations). Any other `type` or `count` is a `400 parameter_invalid`.
async fn counts(State(shared): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let query = Query::parse(raw.as_deref());
    let world = lock(&shared);
    let Some(kind) = query.one_of("type", &["user", "company", "conversation"])? else {
        return match query.get("count") {
            None => ok(totals(&world)),
            Some(_) => Err(ApiError::malformed("count", "count needs a type")),
        };
    };
    let counted = match (kind, query.get("count")) {
        ("user", None) => json!({ "count": users(&world).count() }),
        ("user", Some("segment")) => json!({ "segment": segment_sizes(&world, false) }),
        ("user", Some("tag")) => json!({ "tag": tag_counts(&world, users(&world)) }),
        ("company", None) => json!({ "count": world.companies.len() }),
        ("company", Some("segment")) => json!({ "segment": segment_sizes(&world, true) }),
        ("company", Some("tag")) => json!({ "tag": tag_counts(&world, world.companies.iter()) }),
        ("company", Some("user")) => json!({ "user": company_sizes(&world) }),
        ("conversation", None) => conversation_states(&world),
        ("conversation", Some("admin")) => json!({ "admin": admin_conversations(&world) }),
        (_, count) => {
            let count = count.unwrap_or_default();
            return Err(ApiError::malformed("count", format!("{kind} cannot be counted by {count}")));
        }
    };
    ok(json!({ "type": "count", kind: counted }))
}

/// `{"type": "count.hash", "company": {"count"}, "segment": {"count"}, "tag": {"count"}, "user": {"count"}}`.
fn totals(world: &World) -> Value {
    json!({
        "type": "count.hash",
        "company": { "count": world.companies.len() },
        "segment": { "count": world.segments.len() },
        "tag": { "count": world.tags.len() },
        "user": { "count": users(world).count() },
    })
}

/// The users (not leads nor visitors).
fn users(world: &World) -> impl Iterator<Item = &Object> {
    people::all(world, Kind::User).map(|(_, user)| user)
}

/// `[{"<segment name>": size}, ...]` for the segments of companies, or else of users.
fn segment_sizes(world: &World, of_companies: bool) -> Vec<Value> {
    let person_type = if of_companies { "company" } else { "user" };
    world
        .segments
        .iter()
        .filter(|segment| segment.object.get("person_type").and_then(Value::as_str) == Some(person_type))
        .map(|segment| named_count(&segment.object, segments::size(world, segment)))
        .collect()
}

/// `[{"<tag name>": n}, ...]`: how many of `holders` carry each tag of the app.
fn tag_counts<'a>(world: &World, holders: impl Iterator<Item = &'a Object>) -> Vec<Value> {
    let holders: Vec<&Object> = holders.collect();
    world
        .tags
        .iter()
        .map(|tag| {
            let id = text(tag, "id").unwrap_or_default();
            named_count(tag, holders.iter().filter(|holder| people::has_tag(holder, &id)).count())
        })
        .collect()
}

/// `[{"<company name>": user count, "remote_company_id": "<company_id>"}, ...]`, a company without a name
/// going by its `company_id`.
fn company_sizes(world: &World) -> Vec<Value> {
    world
        .companies
        .iter()
        .map(|company| {
            let company_id = company.get("company_id").cloned().unwrap_or(Value::Null);
            let name = text(company, "name").or_else(|| text(company, "company_id")).unwrap_or_default();
            let id = text(company, "id").unwrap_or_default();
            json!({ name: crate::companies::users_of(world, &id).count(), "remote_company_id": company_id })
        })
        .collect()
}

/// `{"<name>": count}` for a segment or tag.
fn named_count(named: &Object, count: usize) -> Value {
    let name = text(named, "name").unwrap_or_default();
    json!({ name: count })
}

/// `{"assigned", "closed", "open", "unassigned"}`: the open conversations, those of them assigned to an admin
/// or a team and those assigned to nobody (the Unassigned inbox), and the closed ones.
fn conversation_states(world: &World) -> Value {
    let open: Vec<&Object> = world.conversations.iter().filter(|conversation| is_open(conversation)).collect();
    let assigned = open.iter().filter(|conversation| assigned(conversation)).count();
    json!({
        "assigned": assigned,
        "closed": world.conversations.len() - open.len(),
        "open": open.len(),
        "unassigned": open.len() - assigned,
    })
}

/// `[{"id", "name", "open", "closed"}, ...]`: for each admin, the open and the closed conversations assigned
/// to them.
fn admin_conversations(world: &World) -> Vec<Value> {
    world
        .admins
        .iter()
        .map(|admin| {
            let id = admin.get("id").and_then(Value::as_str);
            let theirs = || {
                world
                    .conversations
                    .iter()
                    .filter(move |conversation| assignee(conversation).is_some_and(|by| Some(by) == id))
            };
            json!({
                "id": admin.get("id"),
                "name": admin.get("name"),
                "open": theirs().filter(|conversation| is_open(conversation)).count(),
                "closed": theirs().filter(|conversation| !is_open(conversation)).count(),
            })
        })
        .collect()
}

fn is_open(conversation: &Object) -> bool {
    conversation.get("open").and_then(Value::as_bool).unwrap_or(false)
}

/// Whether the conversation is assigned to an admin or a team.
fn assigned(conversation: &Object) -> bool {
    let kind = conversation.get("assignee").and_then(|assignee| assignee.get("type")).and_then(Value::as_str);
    matches!(kind, Some("admin" | "team"))
}

/// The id of the admin the conversation is assigned to, if it is assigned to one.
fn assignee(conversation: &Object) -> Option<&str> {
    let assignee = conversation.get("assignee")?;
    if assignee.get("type").and_then(Value::as_str) != Some("admin") {
        return None;
    }
    assignee.get("id").and_then(Value::as_str)
}
