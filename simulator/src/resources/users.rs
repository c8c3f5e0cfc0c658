//! `/users`: upsert, list and filter, fetch, archive and scroll over users.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::routing::get;
use serde_json::Value;

use crate::http::{Answer, ApiError, Query, body, ok};
use crate::paging;
use crate::people::{self, Kind};
use crate::validate::Members;
use crate::webhooks;
use crate::world::{Object, Shared, World, lock, text};

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/users", get(list).post(upsert).delete(archive_by_query))
        .route("/users/scroll", get(scroll))
        .route("/users/{id}", get(fetch).delete(archive))
}

/// `POST /users`: creates or updates a user (see [`upsert_user`]) and returns it. A new user is notified to
/// the `user.created` subscriptions.
async fn upsert(State(shared): State<Shared>, bytes: Bytes) -> Answer {
    let body = body(&bytes)?;
    let mut world = lock(&shared);
    let known = world.people.len();
    let index = upsert_user(&mut world, &body)?;
    let user = people::render(&world, &world.people[index]);
    if world.people.len() > known {
        webhooks::notify(&mut world, "user.created", &user);
    }
    ok(user)
}

/// Creates or updates a user from a `POST /users` body, as Intercom does, matching on `id`, then `user_id`,
/// then `email` (a user found by email is the one meant only if it has no other `user_id`); gives back its
/// position in `world.people`. The whole body is checked before anything is looked up or stored (see
/// [`people::check_update`]). Bulk user jobs upsert their items the same way.
pub(crate) fn upsert_user(world: &mut World, body: &Object) -> Result<usize, ApiError> {
    let members = Members::of(body);
    people::check_update(world, &members)?;
    let user_id = members.id("user_id")?;
    let email = members.text("email")?.filter(|email| !email.is_empty());
    let found = if let Some(id) = members.id("id")? {
        Some(people::find(world, Kind::User, "id", &id)?.ok_or_else(|| ApiError::not_found("User Not Found"))?)
    } else if user_id.is_none() && email.is_none() {
        return Err(ApiError::invalid("parameter_not_found", "user_id", "A user_id or email is required"));
    } else {
        let by_user_id = match &user_id {
            Some(user_id) => people::find(world, Kind::User, "user_id", user_id)?,
            None => None,
        };
        let by_email = match (&by_user_id, email) {
            (None, Some(email)) => people::find(world, Kind::User, "email", email)?.filter(|index| {
                let stored = text(&world.people[*index], "user_id");
                stored.is_none() || stored == user_id
            }),
            _ => None,
        };
        by_user_id.or(by_email)
    };
    let index = match found {
        Some(index) => index,
        None => {
            let person = people::new_person(world, Kind::User);
            world.people.push(person);
            world.people.len() - 1
        }
    };
    people::update(world, index, body)?;
    Ok(index)
}

/// `GET /users`: one user by `user_id`; the users with an `email` (a list, as since API 1.1); or every user,
/// filtered by `tag_id` or `segment_id`, sorted and paged.
async fn list(State(shared): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let query = Query::parse(raw.as_deref());
    let world = lock(&shared);
    if let Some(user_id) = query.get("user_id") {
        let index = people::find(&world, Kind::User, "user_id", user_id)?
            .ok_or_else(|| ApiError::not_found("User Not Found"))?;
        return ok(people::render(&world, &world.people[index]));
    }
    let mut users = people::listed(&world, Kind::User, &query)?;
    if let Some(email) = query.get("email") {
        users.retain(|user| {
            user.get("email").and_then(Value::as_str).is_some_and(|found| found.eq_ignore_ascii_case(email))
        });
    }
    if let Some(tag_id) = query.get("tag_id") {
        users.retain(|user| user.as_object().is_some_and(|user| people::has_tag(user, tag_id)));
    }
    if let Some(segment_id) = query.get("segment_id") {
        let segment = world
            .segments
            .iter()
            .find(|segment| text(&segment.object, "id").is_some_and(|id| id == segment_id))
            .ok_or_else(|| ApiError::not_found("Segment Not Found"))?;
        users.retain(|user| {
            user.as_object().is_some_and(|user| people::in_segment(segment.rule, &segment.members, user))
        });
    }
    ok(paging::page(&world, users, "user", "users", "/users", &query)?)
}

/// `GET /users/{id}`.
async fn fetch(State(shared): State<Shared>, Path(id): Path<String>) -> Answer {
    let world = lock(&shared);
    let index = people::find(&world, Kind::User, "id", &id)?.ok_or_else(|| ApiError::not_found("User Not Found"))?;
    ok(people::render(&world, &world.people[index]))
}

/// `DELETE /users/{id}`: archives the user and returns it.
async fn archive(State(shared): State<Shared>, Path(id): Path<String>) -> Answer {
    let mut world = lock(&shared);
    let index = people::find(&world, Kind::User, "id", &id)?.ok_or_else(|| ApiError::not_found("User Not Found"))?;
    ok(people::remove(&mut world, index))
}

/// `DELETE /users?user_id=` or `?email=`.
async fn archive_by_query(State(shared): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let query = Query::parse(raw.as_deref());
    let mut world = lock(&shared);
    let index = match (query.get("user_id"), query.get("email")) {
        (Some(user_id), _) => people::find(&world, Kind::User, "user_id", user_id)?,
        (None, Some(email)) => people::find(&world, Kind::User, "email", email)?,
        (None, None) => return Err(ApiError::missing("user_id")),
    };
    let index = index.ok_or_else(|| ApiError::not_found("User Not Found"))?;
    ok(people::remove(&mut world, index))
}

/// `GET /users/scroll`.
async fn scroll(State(shared): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let query = Query::parse(raw.as_deref());
    let mut world = lock(&shared);
    let users: Vec<Value> = people::all(&world, Kind::User).map(|(_, user)| people::render(&world, user)).collect();
    ok(paging::scroll(&mut world, "users", users, "user", &query)?)
}
