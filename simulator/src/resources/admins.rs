//! `/admins` and `/me`: the workspace's teammates (seeded, read-only), and the one the token belongs to.

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use serde_json::{Value, json};

use crate::http::{Answer, ApiError, ok};
use crate::world::{Shared, lock, text};

pub(crate) fn routes() -> Router<Shared> {
    Router::new().route("/admins", get(list)).route("/admins/{id}", get(fetch)).route("/me", get(me))
}

/// `GET /admins`: every admin, unpaged, as Intercom lists them.
async fn list(State(shared): State<Shared>) -> Answer {
    let world = lock(&shared);
    let admins: Vec<Value> = world.admins.iter().cloned().map(Value::Object).collect();
    ok(json!({ "type": "admin.list", "admins": admins }))
}

/// `GET /admins/{id}`.
async fn fetch(State(shared): State<Shared>, Path(id): Path<String>) -> Answer {
    let world = lock(&shared);
    let admin = world
        .admins
        .iter()
        .find(|admin| text(admin, "id").is_some_and(|found| found == id))
        .ok_or_else(|| ApiError::not_found("Admin Not Found"))?;
    ok(Value::Object(admin.clone()))
}

/// `GET /me`: the admin the access token belongs to (here always the first seeded one, whichever token was
/// used), with what Intercom adds for it: whether its email is verified, and the app (workspace) it is in.
async fn me(State(shared): State<Shared>) -> Answer {
    let world = lock(&shared);
    let mut admin = world.admins.first().cloned().ok_or_else(|| ApiError::not_found("Admin Not Found"))?;
    admin.insert("email_verified".into(), true.into());
    admin.insert(
        "app".into(),
        json!({
            "type": "app",
            "id_code": world.app_id(),
            "name": "Simulated workspace",
            "created_at": world.created_at,
            "secure": false,
            "identity_verification": false,
            "timezone": "Europe/Dublin",
        }),
    );
    ok(Value::Object(admin))
}
