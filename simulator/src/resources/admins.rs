//! `/admins` and `/me`: the workspace's teammates (seeded), the one the token belongs to, and their away mode.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use serde_json::{Value, json};

use crate::activity;
use crate::http::{Answer, ApiError, body, ok};
use crate::validate::{Checks, Members};
use crate::world::{Shared, World, lock, text};

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/admins", get(list))
        .route("/admins/{id}", get(fetch))
        .route("/admins/{id}/away", put(set_away))
        .route("/me", get(me))
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
    let admin = position(&world, &id).ok_or_else(|| ApiError::not_found("Admin Not Found"))?;
    ok(Value::Object(world.admins[admin].clone()))
}

/// `PUT /admins/{id}/away` `{"away_mode_enabled": bool, "away_mode_reassign": bool}`: sets the admin away (or
/// back) and whether new replies to its conversations go to the default inbox meanwhile; answers the admin. Both
/// members are required booleans, as the only documented request sends them and Intercom's schema requires
/// them: a wrong type is a `400 type_mismatch`, a missing one a `422 parameter_not_found`, each named. An
/// unknown admin is a `404 admin_not_found` ("Admin not found", the code of Intercom's error-codes page).
async fn set_away(State(shared): State<Shared>, Path(id): Path<String>, bytes: Bytes) -> Answer {
    let body = body(&bytes)?;
    let body = Members::of(&body);
    let mut checks = Checks::default();
    let [enabled, reassign] = ["away_mode_enabled", "away_mode_reassign"]
        .map(|key| checks.check(body.boolean(key).and_then(|flag| flag.ok_or_else(|| ApiError::missing(key)))));
    checks.done()?;
    let (Some(enabled), Some(reassign)) = (enabled, reassign) else {
        return Err(ApiError::missing("away_mode_enabled"));
    };
    let mut world = lock(&shared);
    let index = position(&world, &id)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "admin_not_found", "Admin not found"))?;
    let admin = &mut world.admins[index];
    admin.insert("away_mode_enabled".into(), enabled.into());
    admin.insert("away_mode_reassign".into(), reassign.into());
    let answer = Value::Object(admin.clone());
    let description = match (enabled, reassign) {
        (false, _) => "changed their away mode to Active.".to_owned(),
        (true, false) => "changed their away mode to Away.".to_owned(),
        (true, true) => "changed their away mode to Away, reassigning new conversation replies.".to_owned(),
    };
    let metadata = json!({ "away_mode": enabled, "reassign_conversations": reassign, "auto_changed": false });
    activity::record(&mut world, &id, "admin_away_mode_change", &description, metadata);
    ok(answer)
}

/// The position of the admin with this id.
fn position(world: &World, id: &str) -> Option<usize> {
    world.admins.iter().position(|admin| text(admin, "id").is_some_and(|found| found == id))
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
