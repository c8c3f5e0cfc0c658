//! The endpoints of Intercom's v1 REST API, one module per area, as `http-mapping.md` lists them.

mod admins;
mod bulk;
mod companies;
mod conversations;
mod counts;
mod events;
mod leads;
mod messages;
mod notes;
mod oauth;
mod segments;
mod subscriptions;
mod tags;
mod users;
mod visitors;

use axum::Router;
use axum::middleware;

use crate::world::Shared;

/// Every endpoint, behind the gate (faults, token, rate limit); unknown routes are Intercom's `404`.
pub(crate) fn router(shared: Shared) -> Router {
    Router::new()
        .merge(users::routes())
        .merge(leads::routes())
        .merge(visitors::routes())
        .merge(companies::routes())
        .merge(tags::routes())
        .merge(segments::routes())
        .merge(counts::routes())
        .merge(messages::routes())
        .merge(conversations::routes())
        .merge(notes::routes())
        .merge(events::routes())
        .merge(admins::routes())
        .merge(oauth::routes())
        .merge(subscriptions::routes())
        .merge(bulk::routes())
        .fallback(crate::http::unknown_route)
        .layer(middleware::from_fn_with_state(shared.clone(), crate::http::gate))
        .with_state(shared)
}
