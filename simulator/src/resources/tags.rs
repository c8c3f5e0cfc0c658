//! `/tags`: create, rename, tag and untag people and companies, delete, and list the app's tags.
//!
//! A tag is `{"type": "tag", "id", "name"}`; names are unique regardless of case. People, companies and
//! conversations carry copies of their tags in `"tags": {"type": "tag.list", "tags": [...]}`, so a rename or a
//! deletion reaches every copy.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use serde_json::{Value, json};

use crate::companies;
use crate::http::{Answer, ApiError, body, empty, ok};
use crate::people::{self, Kind};
use crate::validate::Members;
use crate::webhooks;
use crate::world::{Object, Shared, World, lock, object, text};

pub(crate) fn routes() -> Router<Shared> {
    Router::new().route("/tags", get(list).post(apply)).route("/tags/{id}", delete(remove))
}

/// Who a tagging request names.
#[derive(Clone, Copy)]
enum Targets {
    /// `users`: users by `id`, `user_id` or `email`, and leads by `id`.
    People,
    /// `companies`: by `id` or `company_id`.
    Companies,
}

/// `POST /tags`, whose body says what to do: `{name}` creates the tag (or finds the one with that name),
/// `{id, name}` renames it, and `{name, users: [...]}` or `{name, companies: [...]}` tags them (creating the tag
/// if needed), or untags the items that carry `"untag": true`. Answers the tag.
async fn apply(State(shared): State<Shared>, bytes: Bytes) -> Answer {
    let body = body(&bytes)?;
    let body = Members::of(&body);
    // A tag's name is text; only its `id` may come as a whole number (tag ids are numbers in `GET /tags`).
    let name = body.required_text("name")?;
    let id = body.id("id")?;
    let (users, companies) = (body.list("users")?, body.list("companies")?);
    let mut world = lock(&shared);
    let tag = match (users, companies) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request("parameter_invalid", "Tag users or companies, not both at once"));
        }
        (Some(items), None) => tag_targets(&mut world, name, Targets::People, &items)?,
        (None, Some(items)) => tag_targets(&mut world, name, Targets::Companies, &items)?,
        (None, None) => match id {
            Some(id) => rename(&mut world, &id, name)?,
            None => find_or_create(&mut world, name),
        },
    };
    ok(Value::Object(tag))
}

/// `GET /tags`: every tag of the app, unpaged.
async fn list(State(shared): State<Shared>) -> Answer {
    let world = lock(&shared);
    ok(json!({ "type": "tag.list", "tags": world.tags }))
}

/// `DELETE /tags/{id}`: removes the tag from the app and from everything that carries it. Intercom answers
/// `200` with no body.
async fn remove(State(shared): State<Shared>, Path(id): Path<String>) -> Answer {
    let mut world = lock(&shared);
    let index = by_id(&world, &id).ok_or_else(|| ApiError::not_found("Tag Not Found"))?;
    world.tags.remove(index);
    for tags in tag_lists(&mut world) {
        tags.retain(|tag| !has_id(tag, &id));
    }
    empty(StatusCode::OK)
}

/// The position of the tag `id`.
fn by_id(world: &World, id: &str) -> Option<usize> {
    world.tags.iter().position(|tag| text(tag, "id").is_some_and(|found| found == id))
}

/// The position of the tag called `name`, whatever the case.
fn named(world: &World, name: &str) -> Option<usize> {
    let name = name.to_lowercase();
    world.tags.iter().position(|tag| text(tag, "name").is_some_and(|found| found.to_lowercase() == name))
}

/// The tag called `name`, created if the app has none.
fn find_or_create(world: &mut World, name: &str) -> Object {
    if let Some(index) = named(world, name) {
        return world.tags[index].clone();
    }
    let id = world.new_number();
    let tag = object(json!({ "type": "tag", "id": id, "name": name }));
    world.tags.push(tag.clone());
    tag
}

/// Renames the tag `id` to `name`, in the app and on everything that carries it. A name another tag has is a
/// `409`.
fn rename(world: &mut World, id: &str, name: &str) -> Result<Object, ApiError> {
    let index = by_id(world, id).ok_or_else(|| ApiError::not_found("Tag Not Found"))?;
    if named(world, name).is_some_and(|other| other != index) {
        return Err(ApiError::conflict(format!("A tag named {name} already exists")));
    }
    world.tags[index].insert("name".into(), name.into());
    for tags in tag_lists(world) {
        for tag in tags.iter_mut().filter(|tag| has_id(tag, id)) {
            tag["name"] = name.into();
        }
    }
    Ok(world.tags[index].clone())
}

/// Tags (or, for items with `"untag": true`, untags) the people or companies `items` names. Every item is
/// checked (the types of its identifiers and of `untag`) and looked up before anything changes, so a malformed
/// item (`400`) or an unknown one (`404`) leaves everything as it was. Untagging with a tag the app does not
/// have is a `404` too, rather than creating the tag.
fn tag_targets(world: &mut World, name: &str, targets: Targets, items: &[Members]) -> Result<Object, ApiError> {
    let mut flags = Vec::with_capacity(items.len());
    for item in items {
        match targets {
            Targets::People => people::check_identifiers(item)?,
            Targets::Companies => {
                item.id("id")?;
                item.id("company_id")?;
            }
        }
        flags.push(item.boolean("untag")?.unwrap_or(false));
    }
    let mut found = Vec::with_capacity(items.len());
    for (item, untag) in items.iter().zip(flags) {
        let index = match targets {
            Targets::People => person(world, item)?,
            Targets::Companies => company(world, item)?,
        };
        found.push((index, untag));
    }
    let tag = if found.iter().all(|(_, untag)| *untag) {
        let index = named(world, name).ok_or_else(|| ApiError::not_found("Tag Not Found"))?;
        world.tags[index].clone()
    } else {
        find_or_create(world, name)
    };
    let holders = match targets {
        Targets::People => &mut world.people,
        Targets::Companies => &mut world.companies,
    };
    for &(index, untag) in &found {
        people::set_membership(&mut holders[index], "tags", "tags", Value::Object(tag.clone()), untag);
    }
    if matches!(targets, Targets::People) {
        notify_tagged(world, &tag, &found);
    }
    Ok(tag)
}

/// Notifies each person tagged or untagged to the subscriptions of `user.tag.created` (or `.deleted`) for
/// users, `contact.tag.created` (or `.deleted`) for leads, with the tag and the person as they are now.
fn notify_tagged(world: &mut World, tag: &Object, people_found: &[(usize, bool)]) {
    let at = crate::world::now();
    for &(index, untag) in people_found {
        let person = people::render(world, &world.people[index]);
        let (kind, member) = match person.get("type").and_then(Value::as_str) {
            Some("user") => ("user", "user"),
            Some("contact") => ("contact", "contact"),
            _ => continue,
        };
        let topic = format!("{kind}.tag.{}", if untag { "deleted" } else { "created" });
        let item = json!({ "type": format!("{kind}_tag"), "created_at": at, "tag": tag, member: person });
        webhooks::notify(world, &topic, &item);
    }
}

/// The person a tagging item names: a user or a lead by `id`, a user by `user_id` or `email`.
fn person(world: &World, item: &Members) -> Result<usize, ApiError> {
    let Some(id) = item.id("id")? else {
        return people::identify(world, Kind::User, item);
    };
    for kind in [Kind::User, Kind::Lead] {
        if let Some(index) = people::find(world, kind, "id", &id)? {
            return Ok(index);
        }
    }
    Err(ApiError::not_found("User Not Found"))
}

/// The company a tagging item names, by `id` or `company_id`.
fn company(world: &World, item: &Members) -> Result<usize, ApiError> {
    let found = match (item.id("id")?, item.id("company_id")?) {
        (Some(id), _) => companies::find(world, "id", &id),
        (None, Some(company_id)) => companies::find(world, "company_id", &company_id),
        (None, None) => return Err(ApiError::missing(&item.field("company_id"))),
    };
    found.ok_or_else(|| ApiError::not_found("Company Not Found"))
}

/// The tag lists of every person, company and conversation.
fn tag_lists(world: &mut World) -> impl Iterator<Item = &mut Vec<Value>> {
    world
        .people
        .iter_mut()
        .chain(world.companies.iter_mut())
        .chain(world.conversations.iter_mut())
        .filter_map(|holder| holder.get_mut("tags")?.get_mut("tags")?.as_array_mut())
}

/// Whether this tag in a tag list is the tag `id`.
fn has_id(tag: &Value, id: &str) -> bool {
    tag.get("id").and_then(Value::as_str) == Some(id)
}
