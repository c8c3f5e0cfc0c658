//! The admins' activity log: what teammates did in the workspace, as `GET /admins/activity_logs` lists it.
//!
//! An entry is `{"id", "performed_by": {"type": "admin", "id", "email", "ip"}, "metadata": {...},
//! "created_at", "activity_type", "activity_description"}` (facts §5, "Activity log"). The simulator logs what
//! admins do through it: changing their away mode (`admin_away_mode_change`, Intercom's own type and metadata
//! names), acting on conversations (assigning, opening, closing, snoozing, replying and writing notes), and
//! permanently deleting people (`app_data_deletion`).

use serde_json::{Value, json};

use crate::world::{Object, World, now, object};

/// Where the simulated teammates work from: the simulator only serves loopback.
const ADMIN_IP: &str = "127.0.0.1";

/// Logs that the admin `admin_id` did `activity_type` now, described as `description` (which follows the
/// admin's name, as Intercom's descriptions do), with `metadata`. An admin the workspace does not have logs
/// nothing: every caller has found the admin already.
pub(crate) fn record(world: &mut World, admin_id: &str, activity_type: &str, description: &str, metadata: Value) {
    let Some(admin) = world.admins.iter().find(|admin| admin.get("id").and_then(Value::as_str) == Some(admin_id))
    else {
        return;
    };
    let name = admin.get("name").and_then(Value::as_str).unwrap_or("A teammate").to_owned();
    let email = admin.get("email").cloned().unwrap_or(Value::Null);
    let id = world.new_number();
    world.activity_logs.push(object(json!({
        "id": id,
        "performed_by": { "type": "admin", "id": admin_id, "email": email, "ip": ADMIN_IP },
        "metadata": metadata,
        "created_at": now(),
        "activity_type": activity_type,
        "activity_description": format!("{name} {description}"),
    })));
}

/// The id of the admin the access token belongs to (`GET /me`): the one who does what a request does on no
/// admin's behalf, such as a permanent deletion.
pub(crate) fn token_admin(world: &World) -> Option<String> {
    world.admins.first().and_then(|admin| admin.get("id")).and_then(Value::as_str).map(str::to_owned)
}

/// The entries created from `after` to `before` (both Unix seconds, both included), newest first.
pub(crate) fn between(world: &World, after: i64, before: Option<i64>) -> Vec<Value> {
    let created = |entry: &Object| entry.get("created_at").and_then(Value::as_i64).unwrap_or(0);
    world
        .activity_logs
        .iter()
        .rev()
        .filter(|entry| created(entry) >= after && before.is_none_or(|before| created(entry) <= before))
        .map(|entry| Value::Object(entry.clone()))
        .collect()
}
