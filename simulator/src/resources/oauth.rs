//! `POST /auth/eagle/token`: the last step of Intercom's OAuth flow, exchanging the code the redirect carried
//! for an access token. The gate lets it through without a bearer token; the tokens it hands out are then
//! accepted by the gate like the configured one.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::post;
use serde_json::json;

use crate::http::{Answer, ApiError, body, ok};
use crate::validate::Members;
use crate::world::{Object, Shared, lock};
use crate::{OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET};

pub(crate) fn routes() -> Router<Shared> {
    Router::new().route("/auth/eagle/token", post(exchange))
}

/// `POST /auth/eagle/token` `{client_id, client_secret, code}`, as JSON or as a form (clients send either):
/// for the simulator's OAuth client ([`OAUTH_CLIENT_ID`], [`OAUTH_CLIENT_SECRET`]) and any code, a new token,
/// given under both `token` and `access_token` as Intercom does (it has no expiry and no refresh token). A
/// missing code is a `422`; any other client, or a wrong secret, a `401`.
async fn exchange(State(shared): State<Shared>, headers: HeaderMap, bytes: Bytes) -> Answer {
    let request = if is_form(&headers) { form(&bytes) } else { body(&bytes)? };
    let request = Members::of(&request);
    // All three are text (a form's always are; a JSON body's must be strings).
    let (client_id, client_secret) = (request.text("client_id")?, request.text("client_secret")?);
    request.required_text("code")?;
    let known_client = client_id == Some(OAUTH_CLIENT_ID) && client_secret == Some(OAUTH_CLIENT_SECRET);
    if !known_client {
        return Err(ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "Invalid client_id or client_secret"));
    }
    let mut world = lock(&shared);
    let token = format!("sim-oauth-{}", world.new_uuid());
    world.issued_tokens.push(token.clone());
    ok(json!({ "token_type": "Bearer", "token": token, "access_token": token }))
}

/// Whether the body is `application/x-www-form-urlencoded`.
fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"))
}

/// A form body's fields, as a JSON object of text.
fn form(bytes: &Bytes) -> Object {
    url::form_urlencoded::parse(bytes).map(|(key, value)| (key.into_owned(), value.into_owned().into())).collect()
}
