//! `/teams`: the workspace's teams of admins (seeded, read-only), which conversations can be assigned to.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use serde_json::{Value, json};

use crate::http::{Answer, ApiError, ok};
use crate::world::{Object, Shared, World, lock, text};

pub(crate) fn routes() -> Router<Shared> {
    Router::new().route("/teams", get(list)).route("/teams/{id}", get(fetch))
}

/// `GET /teams`: every team, unpaged (a workspace has few), as `{"type": "team.list", "teams": [...]}`.
async fn list(State(shared): State<Shared>) -> Answer {
    let world = lock(&shared);
    let teams: Vec<Value> = world.teams.iter().cloned().map(Value::Object).collect();
    ok(json!({ "type": "team.list", "teams": teams }))
}

/// `GET /teams/{id}`: the team, or `404 team_not_found` (one of the codes of Intercom's error-codes page).
async fn fetch(State(shared): State<Shared>, Path(id): Path<String>) -> Answer {
    let world = lock(&shared);
    ok(Value::Object(find(&world, &id).ok_or_else(team_not_found)?.clone()))
}

/// The team with this id.
pub(super) fn find<'a>(world: &'a World, id: &str) -> Option<&'a Object> {
    world.teams.iter().find(|team| text(team, "id").is_some_and(|found| found == id))
}

fn team_not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "team_not_found", "Team Not Found")
}
