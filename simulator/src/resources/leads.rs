//! `/contacts`: leads (people of `type: "contact"`): create and update, list and filter by email, fetch,
//! delete, scroll, and conversion into users.
//!
//! Conversion lives here for visitors too: a lead or visitor becomes a user (or a visitor a lead) either in
//! place, or by merging into the person of that kind it names.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::routing::{get, post};
use serde_json::Value;

use crate::http::{Answer, ApiError, Query, body, ok};
use crate::paging;
use crate::people::{self, Kind};
use crate::validate::Members;
use crate::webhooks;
use crate::world::{Object, Shared, World, lock, now, text};

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/contacts", get(list).post(upsert).put(update).delete(delete_by_query))
        .route("/contacts/scroll", get(scroll))
        .route("/contacts/convert", post(convert))
        .route("/contacts/{id}", get(fetch).delete(delete))
}

/// `POST /contacts`: creates a lead, or updates the one the body's `id` or `user_id` names (that is how
/// Intercom updates leads). A new lead is anonymous, with a generated UUID `user_id` unless one is given and a
/// pseudonym such as "Lime Camel from Dublin". An email never picks a lead: several may share it. A new lead
/// is notified to the `contact.created` subscriptions.
async fn upsert(State(shared): State<Shared>, bytes: Bytes) -> Answer {
    let body = body(&bytes)?;
    let mut world = lock(&shared);
    let known = world.people.len();
    let index = upsert_lead(&mut world, &body)?;
    let lead = people::render(&world, &world.people[index]);
    if world.people.len() > known {
        webhooks::notify(&mut world, "contact.created", &lead);
    }
    ok(lead)
}

/// `PUT /contacts`: updates the lead the body names by `id` (Intercom's) or `user_id` ("passing identifiers
/// (user_id or id) in the body", the 1.x Update Lead reference). Unlike `POST`, it never creates one: a body
/// naming no lead is a `422 parameter_not_found`, an unknown one a `404`. The body is checked whole first.
async fn update(State(shared): State<Shared>, bytes: Bytes) -> Answer {
    let body = body(&bytes)?;
    let mut world = lock(&shared);
    people::check_update(&world, &Members::of(&body))?;
    let index = match named_lead(&world, &body)? {
        Some(index) => index,
        None if Members::of(&body).id("user_id")?.is_some() => return Err(lead_not_found()),
        None => return Err(ApiError::missing("user_id")),
    };
    people::update(&mut world, index, &body)?;
    ok(people::render(&world, &world.people[index]))
}

/// Updates the lead `body` names, or creates one, and gives its index (`POST /contacts` and bulk lead jobs).
pub(super) fn upsert_lead(world: &mut World, body: &Object) -> Result<usize, ApiError> {
    // Everything is checked before a lead is looked up or created: a refused body changes nothing.
    people::check_update(world, &Members::of(body))?;
    let index = match named_lead(world, body)? {
        Some(index) => index,
        None => new_lead(world),
    };
    people::update(world, index, body)?;
    Ok(index)
}

/// The lead `body` names by `id` (a `404` when unknown) or by `user_id`; an email never names one, since
/// several leads may share it. `None` when it names none, or no lead has its `user_id`.
pub(super) fn named_lead(world: &World, body: &Object) -> Result<Option<usize>, ApiError> {
    let body = Members::of(body);
    match (body.id("id")?, body.id("user_id")?) {
        (Some(id), _) => Ok(Some(people::find(world, Kind::Lead, "id", &id)?.ok_or_else(lead_not_found)?)),
        (None, Some(user_id)) => people::find(world, Kind::Lead, "user_id", &user_id),
        (None, None) => Ok(None),
    }
}

/// Adds an empty lead, as Intercom creates it, and gives its index.
pub(super) fn new_lead(world: &mut World) -> usize {
    let mut lead = people::new_person(world, Kind::Lead);
    lead.insert("user_id".into(), world.new_uuid().into());
    lead.insert("pseudonym".into(), pseudonym(world.people.len()).into());
    world.people.push(lead);
    world.people.len() - 1
}

/// The made-up name Intercom gives an anonymous lead: a colour, an animal and a city.
fn pseudonym(seed: usize) -> String {
    const COLOURS: [&str; 8] = ["Lime", "Amber", "Coral", "Indigo", "Olive", "Teal", "Rose", "Slate"];
    const ANIMALS: [&str; 7] = ["Camel", "Heron", "Otter", "Lynx", "Badger", "Falcon", "Koala"];
    const CITIES: [&str; 5] = ["Dublin", "Lisbon", "Oslo", "Tallinn", "Porto"];
    format!("{} {} from {}", COLOURS[seed % COLOURS.len()], ANIMALS[seed % ANIMALS.len()], CITIES[seed % CITIES.len()])
}

/// `GET /contacts`: one lead by `user_id`; the leads with an `email` (a list: several leads may share one), or
/// with a `phone` (a list too: the reference says leads can be "looked up ... with a phone parameter" and shows
/// no answer, so it is answered as the email lookup is); or every lead. Lists are sorted and paged as users
/// are.
async fn list(State(shared): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let query = Query::parse(raw.as_deref());
    let world = lock(&shared);
    if let Some(user_id) = query.get("user_id") {
        let index = people::find(&world, Kind::Lead, "user_id", user_id)?.ok_or_else(lead_not_found)?;
        return ok(people::render(&world, &world.people[index]));
    }
    let mut leads = people::listed(&world, Kind::Lead, &query)?;
    if let Some(email) = query.get("email") {
        leads.retain(|lead| {
            lead.get("email").and_then(Value::as_str).is_some_and(|found| found.eq_ignore_ascii_case(email))
        });
    }
    if let Some(phone) = query.get("phone") {
        leads.retain(|lead| lead.get("phone").and_then(Value::as_str) == Some(phone));
    }
    ok(paging::page(&world, leads, "contact", "contacts", "/contacts", &query)?)
}

/// `GET /contacts/{id}`.
async fn fetch(State(shared): State<Shared>, Path(id): Path<String>) -> Answer {
    let world = lock(&shared);
    let index = people::find(&world, Kind::Lead, "id", &id)?.ok_or_else(lead_not_found)?;
    ok(people::render(&world, &world.people[index]))
}

/// `DELETE /contacts/{id}`: deletes the lead and returns it.
async fn delete(State(shared): State<Shared>, Path(id): Path<String>) -> Answer {
    let mut world = lock(&shared);
    let index = people::find(&world, Kind::Lead, "id", &id)?.ok_or_else(lead_not_found)?;
    ok(people::remove(&mut world, index))
}

/// `DELETE /contacts?user_id=`: deletes the lead and returns it. Only `user_id` identifies a lead here: an email
/// may be shared by several.
async fn delete_by_query(State(shared): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let query = Query::parse(raw.as_deref());
    let mut world = lock(&shared);
    let user_id = query.require("user_id")?;
    let index = people::find(&world, Kind::Lead, "user_id", user_id)?.ok_or_else(lead_not_found)?;
    ok(people::remove(&mut world, index))
}

/// `GET /contacts/scroll`: the scroll API over every lead.
async fn scroll(State(shared): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let query = Query::parse(raw.as_deref());
    let mut world = lock(&shared);
    let leads: Vec<Value> = people::all(&world, Kind::Lead).map(|(_, lead)| people::render(&world, lead)).collect();
    ok(paging::scroll(&mut world, "contacts", leads, "contact", &query)?)
}

/// `POST /contacts/convert` `{"contact": {"id"|"user_id"|"email"}, "user": {"user_id"|"email"|"id"}}`: the lead
/// merges into the user `user` names when that user exists; otherwise it becomes that user (keeping its own
/// `user_id` when `user` gives none). Answers the user.
async fn convert(State(shared): State<Shared>, bytes: Bytes) -> Answer {
    let body = body(&bytes)?;
    let body = Members::of(&body);
    let contact = body.required_member("contact")?;
    let user = body.member("user")?;
    people::check_identifiers(&contact)?;
    if let Some(user) = &user {
        check_target(user)?;
    }
    let mut world = lock(&shared);
    let lead = people::identify(&world, Kind::Lead, &contact)?;
    let user = become_kind(&mut world, lead, Kind::User, user.as_ref().map(Members::object))?;
    ok(people::render(&world, &world.people[user]))
}

/// Checks the person a conversion turns into (`user`, or `contact` when a visitor becomes a lead): its `id` and
/// `user_id` are identifiers, and its `email`, which the converted person takes, an email address.
pub(super) fn check_target(target: &Members) -> Result<(), ApiError> {
    people::check_identifiers(target)?;
    target.email("email").map(drop)
}

fn lead_not_found() -> ApiError {
    ApiError::not_found("Lead Not Found")
}

/// Turns the person at `index` into a person of kind `into`, as Intercom's conversions do. When `target`
/// names an existing person of that kind (by `id`, which must exist, then `user_id`, then for users an `email`
/// whose user has no other `user_id`), the person merges into it and is removed; otherwise it changes kind in
/// place, keeping its id and taking `target`'s `user_id` and `email`. Gives the index of the resulting person.
pub(super) fn become_kind(
    world: &mut World,
    index: usize,
    into: Kind,
    target: Option<&Object>,
) -> Result<usize, ApiError> {
    let existing = match target {
        Some(target) => find_target(world, into, target)?,
        None => None,
    };
    let from_id = text(&world.people[index], "id").map(|id| id.into_owned()).unwrap_or_default();
    people::leave_segments(world, &from_id);
    let result = match existing {
        Some(existing) => merge(world, index, existing),
        None => {
            change_kind(&mut world.people[index], into, target);
            index
        }
    };
    let to_id = text(&world.people[result], "id").map(|id| id.into_owned()).unwrap_or_default();
    let to_type = if into == Kind::User { "user" } else { "lead" };
    for record in world.conversations.iter_mut().chain(world.notes.iter_mut()) {
        for value in record.values_mut() {
            repoint(value, &from_id, to_type, &to_id);
        }
    }
    Ok(result)
}

/// The existing person of kind `kind` that `target` names, if any.
fn find_target(world: &World, kind: Kind, target: &Object) -> Result<Option<usize>, ApiError> {
    if let Some(id) = text(target, "id") {
        let index = people::find(world, kind, "id", &id)?;
        return index.map(Some).ok_or_else(|| ApiError::not_found(format!("{} Not Found", kind.noun())));
    }
    let user_id = text(target, "user_id");
    let by_user_id = match &user_id {
        Some(user_id) => people::find(world, kind, "user_id", user_id)?,
        None => None,
    };
    if by_user_id.is_some() {
        return Ok(by_user_id);
    }
    // By email, the user meant is the one with that email, unless `target` also gives a `user_id` that user
    // does not have (then the person becomes a new user with that `user_id` and email).
    match text(target, "email") {
        Some(email) if kind == Kind::User => Ok(people::find(world, kind, "email", &email)?.filter(|index| {
            let stored = text(&world.people[*index], "user_id");
            user_id.is_none() || stored.is_none() || stored == user_id
        })),
        _ => Ok(None),
    }
}

/// Makes `person` a person of kind `into`, with the `user_id` and `email` that `target` gives.
fn change_kind(person: &mut Object, into: Kind, target: Option<&Object>) {
    person.insert("type".into(), into.type_name().into());
    for key in ["user_id", "email"] {
        if let Some(value) = target.and_then(|target| text(target, key)) {
            person.insert(key.into(), value.into_owned().into());
        }
    }
    if into == Kind::User {
        person.insert("anonymous".into(), false.into());
    }
    person.insert("updated_at".into(), now().into());
}

/// Merges the person at `from` into the one at `into` and removes it; gives the merged person's index (which
/// the removal may have shifted). The target keeps what it has and gains what it lacks: empty fields, custom
/// attributes and location fields it has not set, and the tags, companies and social profiles it does not carry.
fn merge(world: &mut World, from: usize, into: usize) -> usize {
    let source = world.people.remove(from);
    let into = if from < into { into - 1 } else { into };
    let target = &mut world.people[into];
    for (key, value) in &source {
        if !["type", "id", "user_id", "anonymous", "pseudonym", "created_at", "segments"].contains(&key.as_str()) {
            fill(target, key, value);
        }
    }
    target.insert("updated_at".into(), now().into());
    into
}

/// Gives `target[key]` the parts of `value` it lacks: the whole value when it is missing or null, the members
/// of an object it does not have (recursively), the items of a list it does not hold.
fn fill(target: &mut Object, key: &str, value: &Value) {
    match (target.get_mut(key), value) {
        (None | Some(Value::Null), _) => {
            target.insert(key.to_owned(), value.clone());
        }
        (Some(Value::Object(held)), Value::Object(given)) => {
            for (key, value) in given {
                fill(held, key, value);
            }
        }
        (Some(Value::Array(held)), Value::Array(given)) => {
            for item in given {
                let same = |existing: &Value| match item.get("id") {
                    Some(id) => existing.get("id") == Some(id),
                    None => existing == item,
                };
                if !held.iter().any(same) {
                    held.push(item.clone());
                }
            }
        }
        _ => {}
    }
}

/// Rewrites every reference to the person `from` inside `value` (an object with a person's `type` and that
/// `id`, e.g. a conversation's `user`, `customers` or a part's `author`) to name the person it became.
fn repoint(value: &mut Value, from: &str, to_type: &str, to_id: &str) {
    match value {
        Value::Object(object) => {
            let names_from = object.get("id").and_then(Value::as_str) == Some(from)
                && object
                    .get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|kind| ["user", "lead", "contact", "visitor"].contains(&kind));
            if names_from {
                object.insert("type".into(), to_type.into());
                object.insert("id".into(), to_id.into());
            }
            object.values_mut().for_each(|child| repoint(child, from, to_type, to_id));
        }
        Value::Array(items) => items.iter_mut().for_each(|item| repoint(item, from, to_type, to_id)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::world::object;

    fn world() -> World {
        World::new(crate::SimulatorBuilder::default().settings, "http://127.0.0.1:1".into())
    }

    fn add(world: &mut World, kind: Kind, fields: Value) -> usize {
        let mut person = people::new_person(world, kind);
        person.extend(object(fields));
        world.people.push(person);
        world.people.len() - 1
    }

    #[test]
    fn a_merged_lead_fills_what_the_user_lacks_and_its_conversations_follow() {
        let mut world = world();
        let lead = add(
            &mut world,
            Kind::Lead,
            json!({ "name": "Lee", "phone": "+353 1", "custom_attributes": { "plan": "free", "seats": 2 } }),
        );
        let user = add(
            &mut world,
            Kind::User,
            json!({ "user_id": "u-1", "phone": "+1 555", "custom_attributes": { "plan": "pro" } }),
        );
        let lead_id = text(&world.people[lead], "id").map(|id| id.into_owned()).unwrap_or_default();
        let user_id = text(&world.people[user], "id").map(|id| id.into_owned()).unwrap_or_default();
        world.conversations.push(object(json!({
            "type": "conversation",
            "user": { "type": "lead", "id": lead_id },
            "customers": [{ "type": "lead", "id": lead_id }],
        })));

        let merged = become_kind(&mut world, lead, Kind::User, Some(&object(json!({ "user_id": "u-1" })))).unwrap();

        let merged = &world.people[merged];
        assert_eq!(merged["id"], user_id.as_str());
        assert_eq!((merged["name"].as_str(), merged["phone"].as_str()), (Some("Lee"), Some("+1 555")));
        assert_eq!(merged["custom_attributes"], json!({ "plan": "pro", "seats": 2 }));
        assert!(people::find(&world, Kind::Lead, "id", &lead_id).unwrap().is_none(), "the lead is gone");
        let conversation = &world.conversations[0];
        assert_eq!(conversation["user"], json!({ "type": "user", "id": user_id }));
        assert_eq!(conversation["customers"][0], json!({ "type": "user", "id": user_id }));
    }

    #[test]
    fn a_visitor_becomes_a_user_in_place_when_no_user_matches() {
        let mut world = world();
        let visitor = people::find(&world, Kind::Visitor, "user_id", "visitor-0001").unwrap().unwrap();
        let id = world.people[visitor]["id"].clone();
        let target = object(json!({ "user_id": "signed-up", "email": "new@example.com" }));

        let user = become_kind(&mut world, visitor, Kind::User, Some(&target)).unwrap();

        let user = &world.people[user];
        assert_eq!((&user["type"], &user["id"], &user["anonymous"]), (&json!("user"), &id, &json!(false)));
        assert_eq!((user["user_id"].as_str(), user["email"].as_str()), (Some("signed-up"), Some("new@example.com")));
    }

    #[test]
    fn a_target_named_by_an_unknown_id_is_not_found() {
        let mut world = world();
        let lead = add(&mut world, Kind::Lead, json!({}));
        let error = become_kind(&mut world, lead, Kind::User, Some(&object(json!({ "id": "nope" })))).unwrap_err();
        assert!(format!("{error:?}").contains("User Not Found"), "{error:?}");
        assert_eq!(world.people[lead]["type"], "contact", "nothing changed");
    }

    #[test]
    fn pseudonyms_read_like_intercoms() {
        assert_eq!(pseudonym(0), "Lime Camel from Dublin");
        assert!((0..100).map(pseudonym).all(|name| name.split(' ').count() == 4));
    }
}
