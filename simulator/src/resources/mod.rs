//! The endpoints of Intercom's v1 REST API, one module per area, as `http-mapping.md` lists them.

mod users;

use axum::Router;
use axum::middleware;

use crate::world::Shared;

/// Every endpoint, behind the gate (faults, token, rate limit); unknown routes are Intercom's `404`.
pub(crate) fn router(shared: Shared) -> Router {
    Router::new()
        .merge(users::routes())
        .fallback(crate::http::unknown_route)
        .layer(middleware::from_fn_with_state(shared.clone(), crate::http::gate))
        .with_state(shared)
}
