//! Intercom's OAuth flow: `GET /oauth`, the authorize page, which redirects the user back to the app with a
//! code, and `POST /auth/eagle/token`, which exchanges that code (once) for an access token. The gate lets
//! both through without a bearer token; the tokens handed out are then accepted by the gate like the
//! configured one.

use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use serde_json::json;
use url::Url;

use crate::http::{Answer, ApiError, Query, body, ok};
use crate::validate::Members;
use crate::world::{Object, Shared, World, lock};
use crate::{OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET};

pub(crate) fn routes() -> Router<Shared> {
    Router::new().route("/oauth", get(authorize)).route("/auth/eagle/token", post(exchange))
}

/// `GET /oauth?client_id=…&state=…&redirect_uri=…`: the authorize page, as if the admin were signed in and
/// agreed at once. For [`OAUTH_CLIENT_ID`] it answers `302 Found` to the redirect URI with a fresh `code` and
/// the `state` it was given (unchanged; none when none was given), or, when the simulator was told that the
/// admin declines, with `error=access_denied`, an `error_description` and the `state`. The redirect URI is
/// `redirect_uri`, or the first registered one when it is left out; it must be a registered one when some
/// were registered, and otherwise any `https://` URL or `http://` on a loopback host.
///
/// Nothing is redirected when the request is wrong: a missing `client_id` is a `400 parameter_not_found`, an
/// unknown one a `404 not_found`, and a missing, malformed, non-https or unregistered `redirect_uri` a `400`.
async fn authorize(State(shared): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let query = Query::parse(raw.as_deref());
    let client_id = query
        .get("client_id")
        .ok_or_else(|| ApiError::bad_request("parameter_not_found", "client_id is required").on("client_id"))?;
    if client_id != OAUTH_CLIENT_ID {
        return Err(ApiError::not_found("No app has this client_id").on("client_id"));
    }
    let mut world = lock(&shared);
    let registered = world.settings.oauth.redirect_uris.clone();
    let given = match query.get("redirect_uri") {
        Some(uri) => uri,
        None => registered.first().map(String::as_str).ok_or_else(|| {
            ApiError::bad_request("parameter_not_found", "redirect_uri is required: the app registered none")
                .on("redirect_uri")
        })?,
    };
    let mut location = redirect_target(given)?;
    let is_registered = |uri: &String| Url::parse(uri).is_ok_and(|uri| uri == location);
    if !registered.is_empty() && !registered.iter().any(is_registered) {
        return Err(ApiError::malformed("redirect_uri", "redirect_uri is not one of the app's redirect URLs"));
    }
    let denied = world.settings.oauth.deny;
    {
        let mut pairs = location.query_pairs_mut();
        if denied {
            pairs
                .append_pair("error", "access_denied")
                .append_pair("error_description", "The admin declined to authorize the app");
        } else {
            pairs.append_pair("code", &new_code(&mut world));
        }
        if let Some(state) = query.get("state") {
            pairs.append_pair("state", state);
        }
    }
    let location = HeaderValue::from_str(location.as_str())
        .map_err(|_| ApiError::malformed("redirect_uri", "redirect_uri cannot be sent back in a header"))?;
    Ok((StatusCode::FOUND, [(header::LOCATION, location)]).into_response())
}

/// `uri` as a URL the authorize page may redirect to: absolute, `https://` (or `http://` on a loopback host),
/// without a fragment or credentials; otherwise a `400 parameter_invalid` naming `redirect_uri`.
fn redirect_target(uri: &str) -> Result<Url, ApiError> {
    let refuse = |why: &str| ApiError::malformed("redirect_uri", format!("redirect_uri {why}"));
    let url = Url::parse(uri).map_err(|_| refuse("is not an absolute URL"))?;
    if url.fragment().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err(refuse("must not have a fragment or credentials"));
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(address)) => address.is_loopback(),
        Some(url::Host::Ipv6(address)) => address.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" if url.host().is_some() => Ok(url),
        "http" if loopback => Ok(url),
        _ => Err(refuse("must use https (http only on a loopback host)")),
    }
}

/// A fresh code, remembered until it is exchanged or expires. Codes that expired unexchanged are forgotten
/// here, so that a long run does not keep them all.
fn new_code(world: &mut World) -> String {
    let lifetime = world.settings.oauth.code_lifetime;
    world.oauth_codes.retain(|(_, issued)| issued.elapsed() <= lifetime);
    world.oauth_codes_issued += 1;
    let code = format!("sim-code-{:08x}-{:08x}", world.settings.seed & 0xffff_ffff, world.oauth_codes_issued);
    world.oauth_codes.push((code.clone(), Instant::now()));
    code
}

/// `POST /auth/eagle/token` `{client_id, client_secret, code}`, as JSON or as a form (clients send either):
/// for the simulator's OAuth client ([`OAUTH_CLIENT_ID`], [`OAUTH_CLIENT_SECRET`]) and a code its authorize
/// page handed out less than its code lifetime ago (5 minutes by default), a new token, given under both
/// `token` and `access_token` as Intercom does (it has no expiry and no refresh token). A code is taken once.
/// A missing code is a `422`; any other client, or a wrong secret, a `401` (and the code stays usable); an
/// unknown, already exchanged or expired code a `401 unauthorized`.
async fn exchange(State(shared): State<Shared>, headers: HeaderMap, bytes: Bytes) -> Answer {
    let request = if is_form(&headers) { form(&bytes) } else { body(&bytes)? };
    let request = Members::of(&request);
    // All three are text (a form's always are; a JSON body's must be strings).
    let (client_id, client_secret) = (request.text("client_id")?, request.text("client_secret")?);
    let code = request.required_text("code")?;
    let known_client = client_id == Some(OAUTH_CLIENT_ID) && client_secret == Some(OAUTH_CLIENT_SECRET);
    if !known_client {
        return Err(ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "Invalid client_id or client_secret"));
    }
    let mut world = lock(&shared);
    let Some(index) = world.oauth_codes.iter().position(|(issued, _)| issued == code) else {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Invalid code: it was not issued, or was already exchanged",
        ));
    };
    let (_, issued) = world.oauth_codes.swap_remove(index);
    if issued.elapsed() > world.settings.oauth.code_lifetime {
        return Err(ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "Invalid code: it has expired"));
    }
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
