//! The endpoints of Intercom's v1 REST API, one module per area, as `http-mapping.md` lists them.

mod activity_logs;
mod admins;
mod bulk;
mod companies;
mod conversation_customers;
mod conversations;
mod counts;
mod data_attributes;
mod events;
mod leads;
mod messages;
mod notes;
mod oauth;
mod replies;
mod segments;
mod subscriptions;
mod tags;
mod teams;
mod user_delete_requests;
mod users;
mod visitors;

use axum::Router;
use axum::middleware;

use crate::world::Shared;

/// Every endpoint, behind the gate (faults, token, rate limit). Unknown routes are Intercom's `404`, and a
/// known route called with another method a `405`, both as an `error.list`.
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
        .merge(conversation_customers::routes())
        .merge(notes::routes())
        .merge(events::routes())
        .merge(admins::routes())
        .merge(activity_logs::routes())
        .merge(teams::routes())
        .merge(data_attributes::routes())
        .merge(user_delete_requests::routes())
        .merge(oauth::routes())
        .merge(subscriptions::routes())
        .merge(bulk::routes())
        .fallback(crate::http::unknown_route)
        .method_not_allowed_fallback(crate::http::wrong_method)
        .layer(middleware::from_fn_with_state(shared.clone(), crate::http::gate))
        .with_state(shared)
}
