//! `/visitors`: the anonymous people of the Messenger. No API creates them (the seed holds two); they are
//! fetched, updated, deleted, and converted into leads or users.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::routing::{get, post};

use super::leads;
use crate::http::{Answer, ApiError, Query, body, ok};
use crate::people::{self, Kind};
use crate::validate::Members;
use crate::world::{Shared, World, lock};

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/visitors", get(fetch_by_query).put(update).delete(delete_by_query))
        .route("/visitors/convert", post(convert))
        .route("/visitors/{id}", get(fetch).delete(delete))
}

/// `GET /visitors/{id}`.
async fn fetch(State(shared): State<Shared>, Path(id): Path<String>) -> Answer {
    let world = lock(&shared);
    let index = find(&world, "id", &id)?;
    ok(people::render(&world, &world.people[index]))
}

/// `GET /visitors?user_id=`: the visitor with this `user_id` (the one the Messenger gave it).
async fn fetch_by_query(State(shared): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let query = Query::parse(raw.as_deref());
    let world = lock(&shared);
    let index = find(&world, "user_id", query.require("user_id")?)?;
    ok(people::render(&world, &world.people[index]))
}

/// `PUT /visitors`: updates the visitor the body's `id` or `user_id` names, as a user or lead is updated (the
/// fields given replace the stored ones, custom attributes and location merge; `phone` and the `utm_*` members
/// too). Visitors are never created this way: an unknown one is a `404`. An `email` converts the visitor to a
/// lead ("Including an email address in the PUT request will result in converting the Visitor to a Lead", the
/// 1.x reference): it keeps its id and `user_id`, and the answer is that lead (`type: "contact"`).
async fn update(State(shared): State<Shared>, bytes: Bytes) -> Answer {
    let body = body(&bytes)?;
    let members = Members::of(&body);
    // The types first: a malformed body is refused whichever visitor it names.
    people::check(&members)?;
    let mut world = lock(&shared);
    let index = match (members.id("id")?, members.id("user_id")?) {
        (Some(id), _) => find(&world, "id", &id)?,
        (None, Some(user_id)) => find(&world, "user_id", &user_id)?,
        (None, None) => return Err(ApiError::missing("user_id")),
    };
    people::update(&mut world, index, &body)?;
    let index = match members.email("email")? {
        Some(email) if !email.is_empty() => leads::become_kind(&mut world, index, Kind::Lead, None)?,
        _ => index,
    };
    ok(people::render(&world, &world.people[index]))
}

/// `DELETE /visitors/{id}`: deletes the visitor and returns it.
async fn delete(State(shared): State<Shared>, Path(id): Path<String>) -> Answer {
    let mut world = lock(&shared);
    let index = find(&world, "id", &id)?;
    ok(people::remove(&mut world, index))
}

/// `DELETE /visitors?user_id=`: deletes the visitor and returns it.
async fn delete_by_query(State(shared): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let query = Query::parse(raw.as_deref());
    let mut world = lock(&shared);
    let index = find(&world, "user_id", query.require("user_id")?)?;
    ok(people::remove(&mut world, index))
}

/// `POST /visitors/convert` `{"type": "lead"|"user", "visitor": {"id"|"user_id"|"email"}, "contact"|"user":
/// {...}}`: with `type: "lead"` the visitor becomes a lead (keeping its id, taking `contact.user_id` when given,
/// or merging into the lead that `user_id` already names); with `type: "user"` it becomes, or merges into, the
/// user `user` names (by `id`, which must exist, `user_id` or `email`; `user` is required then, as a user needs
/// an identity: a `422` without it). Answers the lead or user.
async fn convert(State(shared): State<Shared>, bytes: Bytes) -> Answer {
    let body = body(&bytes)?;
    let body = Members::of(&body);
    let (into, target_key) = match body.one_of("type", &["lead", "user"])? {
        Some("lead") => (Kind::Lead, "contact"),
        Some(_) => (Kind::User, "user"),
        None => return Err(ApiError::missing("type")),
    };
    let visitor = body.required_member("visitor")?;
    let target = body.member(target_key)?;
    people::check_identifiers(&visitor)?;
    if let Some(target) = &target {
        leads::check_target(target)?;
    }
    if into == Kind::User {
        let target = target.as_ref().ok_or_else(|| ApiError::missing("user"))?;
        super::conversations::identifier(target, &["id", "user_id", "email"])?;
    }
    let mut world = lock(&shared);
    let visitor = people::identify(&world, Kind::Visitor, &visitor)?;
    let converted = leads::become_kind(&mut world, visitor, into, target.as_ref().map(Members::object))?;
    ok(people::render(&world, &world.people[converted]))
}

/// The index of the visitor whose `key` is `value`, or a `404`.
fn find(world: &World, key: &str, value: &str) -> Result<usize, ApiError> {
    people::find(world, Kind::Visitor, key, value)?.ok_or_else(|| ApiError::not_found("Visitor Not Found"))
}
