//! `GET /admins/activity_logs`: what the workspace's admins did (see [`crate::activity`]), between two times.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::routing::get;

use crate::activity;
use crate::http::{Answer, ApiError, Query, ok};
use crate::paging;
use crate::world::{Shared, lock};

pub(crate) fn routes() -> Router<Shared> {
    Router::new().route("/admins/activity_logs", get(list))
}

/// `GET /admins/activity_logs?created_at_after=&created_at_before=`: the entries created from
/// `created_at_after` to `created_at_before` (Unix seconds, both included; no end without it), newest first,
/// as an `activity_log.list` paged with `pages.next` (items under `activity_logs`). `created_at_after` is
/// required: without it Intercom answers `404 parameter_not_found` (facts §5, "Activity log"); a value that is
/// not a whole number is a `400 parameter_invalid`.
async fn list(State(shared): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let query = Query::parse(raw.as_deref());
    let after = query.number("created_at_after")?.ok_or_else(|| {
        ApiError::new(StatusCode::NOT_FOUND, "parameter_not_found", "created_at_after is required")
            .on("created_at_after")
    })?;
    let before = query.number("created_at_before")?;
    let world = lock(&shared);
    let entries = activity::between(&world, after, before);
    ok(paging::page(&world, entries, "activity_log", "activity_logs", "/admins/activity_logs", &query)?)
}
