//! `POST /user_delete_requests`: permanently deleting a user or lead (GDPR), as opposed to archiving it.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use serde_json::{Value, json};

use crate::activity;
use crate::http::{Answer, ApiError, body, ok};
use crate::people::{self, Kind};
use crate::validate::Members;
use crate::world::{Shared, lock};

pub(crate) fn routes() -> Router<Shared> {
    Router::new().route("/user_delete_requests", post(request))
}

/// `POST /user_delete_requests` `{"intercom_user_id"}`: deletes the user (or lead) with this Intercom id for
/// good, and answers the delete request, `{"id": <integer>}`. Intercom hard-deletes the data within 90 days;
/// the simulator does it at once: the person is gone from lists, counts, segments, tags (which it carried) and
/// lookups, and its events and the notes about it go with it. A missing id is a `422 parameter_not_found`, a
/// wrong type a `400`, an unknown person a `404`. The deletion is logged (`app_data_deletion`) as done by the
/// admin the token belongs to.
async fn request(State(shared): State<Shared>, bytes: Bytes) -> Answer {
    let body = body(&bytes)?;
    let id = Members::of(&body).required_id("intercom_user_id")?.into_owned();
    let mut world = lock(&shared);
    let index = match people::find(&world, Kind::User, "id", &id)? {
        Some(index) => index,
        None => people::find(&world, Kind::Lead, "id", &id)?.ok_or_else(|| ApiError::not_found("User Not Found"))?,
    };
    people::remove(&mut world, index);
    world.events.retain(|event| event.get("intercom_user_id").and_then(Value::as_str) != Some(id.as_str()));
    world
        .notes
        .retain(|note| note.get("user").and_then(|user| user.get("id")).and_then(Value::as_str) != Some(id.as_str()));
    // Intercom's request ids are integers; the simulator's numeric ids are decimal text, so this always parses.
    let request_id: i64 = world.new_number().parse().unwrap_or_default();
    if let Some(admin_id) = activity::token_admin(&world) {
        let metadata = json!({ "intercom_user_id": id, "user_delete_request_id": request_id });
        activity::record(&mut world, &admin_id, "app_data_deletion", &format!("permanently deleted {id}."), metadata);
    }
    ok(json!({ "id": request_id }))
}
