//! `/notes`: notes the team writes about a user, listed per user and fetched one by one.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::routing::get;
use serde_json::{Value, json};

use super::conversations::{admin, admin_ref, html, ids_of_query, person};
use crate::http::{Answer, ApiError, Query, body, ok};
use crate::people;
use crate::validate::Members;
use crate::world::{Object, Shared, lock, now, object, text};

/// The keys that name the user a note is about, in the order they are looked at.
const USER_KEYS: [&str; 3] = ["id", "user_id", "email"];

pub(crate) fn routes() -> Router<Shared> {
    Router::new().route("/notes", get(list).post(create)).route("/notes/{id}", get(fetch))
}

/// `POST /notes`: a note about the user that `user` names (`id`, `user_id` or `email`), written by the admin
/// `admin_id` names (or by nobody in particular). The body is kept as HTML. Unknown users and admins are a
/// `404`.
async fn create(State(shared): State<Shared>, bytes: Bytes) -> Answer {
    let body = body(&bytes)?;
    let body = Members::of(&body);
    let user = body.required_member("user")?;
    people::check_identifiers(&user)?;
    let note_body = body.required_text("body")?;
    // Admin ids are text, but come as numbers in places: a whole number is taken as its text.
    let admin_id = body.id("admin_id")?;
    let mut world = lock(&shared);
    let author = match admin_id {
        Some(admin_id) => admin_ref(admin(&world, &admin_id)?),
        None => Value::Null,
    };
    let person = &world.people[person(&world, &user, &USER_KEYS)?];
    let about = json!({ "type": "user", "id": person.get("id") });
    let id = world.new_number();
    let note = object(json!({
        "type": "note",
        "id": id,
        "created_at": now(),
        "body": html(note_body),
        "author": author,
        "user": about,
    }));
    world.notes.push(note.clone());
    ok(Value::Object(note))
}

/// `GET /notes?id=|user_id=|email=`: the notes about that user, newest first, in one `note.list`.
async fn list(State(shared): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let query = Query::parse(raw.as_deref());
    let world = lock(&shared);
    let index = person(&world, &Members::of(&ids_of_query(&query, &USER_KEYS)), &USER_KEYS)?;
    let user_id = world.people[index].get("id");
    let notes: Vec<Value> = world
        .notes
        .iter()
        .rev()
        .filter(|note| note.get("user").and_then(|user| user.get("id")) == user_id)
        .map(|note| Value::Object(note.clone()))
        .collect();
    ok(json!({ "type": "note.list", "notes": notes, "pages": {} }))
}

/// `GET /notes/{id}`.
async fn fetch(State(shared): State<Shared>, Path(id): Path<String>) -> Answer {
    let world = lock(&shared);
    let note: &Object = world
        .notes
        .iter()
        .find(|note| text(note, "id").is_some_and(|found| found == id))
        .ok_or_else(|| ApiError::not_found("Note Not Found"))?;
    ok(Value::Object(note.clone()))
}
