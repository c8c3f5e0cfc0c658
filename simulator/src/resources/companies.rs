//! `/companies`: upsert, list and filter, fetch one by either id, list its users, and scroll over companies.

use std::borrow::Cow;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::routing::get;
use serde_json::Value;

use crate::companies;
use crate::http::{Answer, ApiError, Query, body, ok};
use crate::paging;
use crate::people;
use crate::validate::Members;
use crate::version;
use crate::webhooks;
use crate::world::{Object, Shared, World, lock, text};

use super::segments;

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/companies", get(list).post(upsert))
        .route("/companies/scroll", get(scroll))
        .route("/companies/{id}", get(fetch).delete(delete))
        .route("/companies/{id}/users", get(users))
}

/// `POST /companies`: Intercom creates the company, or updates the one it has with this `company_id`, and
/// answers the whole company. A new company is notified to the `company.created` subscriptions.
async fn upsert(State(shared): State<Shared>, bytes: Bytes) -> Answer {
    let body = body(&bytes)?;
    let mut world = lock(&shared);
    let known = world.companies.len();
    let reference = companies::upsert(&mut world, &Members::of(&body))?;
    let index = reference
        .get("id")
        .and_then(Value::as_str)
        .and_then(|id| companies::find(&world, "id", id))
        .ok_or_else(|| ApiError::not_found("Company Not Found"))?;
    let company = companies::render(&world, &world.companies[index]);
    if world.companies.len() > known {
        webhooks::notify(&mut world, "company.created", &company);
    }
    ok(company)
}

/// `GET /companies`: one company by `company_id` (or `name`), its users with `type=user`, or else every
/// company, filtered by `tag_id` or `segment_id`, ordered by creation and paged.
async fn list(State(shared): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let query = Query::parse(raw.as_deref());
    let world = lock(&shared);
    // `type=user` (a company's users) is the only listing by type.
    let users_of_company = query.one_of("type", &["user"])?.is_some();
    match (named(&world, &query)?, users_of_company) {
        (Some(index), false) => ok(companies::render(&world, &world.companies[index])),
        (Some(index), true) => users_page(&world, index, "/companies", &query),
        (None, true) => Err(ApiError::missing("company_id")),
        (None, false) => {
            let listed = filtered(&world, &query)?;
            ok(paging::page(&world, listed, "company", "companies", "/companies", &query)?)
        }
    }
}

/// The company the query names by `company_id` or `name`: `None` when it names none, a `404` when it names an
/// unknown one.
fn named(world: &World, query: &Query) -> Result<Option<usize>, ApiError> {
    let found = match (query.get("company_id"), query.get("name")) {
        (Some(company_id), _) => companies::find(world, "company_id", company_id),
        (None, Some(name)) => companies::find(world, "name", name),
        (None, None) => return Ok(None),
    };
    found.map(Some).ok_or_else(|| ApiError::not_found("Company Not Found"))
}

/// Every company in the listing's `order` (by creation, newest first unless `asc`), keeping those with the tag
/// `tag_id` and those in the segment `segment_id`.
fn filtered(world: &World, query: &Query) -> Result<Vec<Value>, ApiError> {
    let descending = query.one_of("order", &["asc", "desc"])? != Some("asc");
    let segment = query.get("segment_id").map(|id| segments::find(world, id)).transpose()?;
    let tag_id = query.get("tag_id");
    let mut listed: Vec<(usize, &Object)> = world
        .companies
        .iter()
        .enumerate()
        .filter(|(_, company)| tag_id.is_none_or(|tag_id| people::has_tag(company, tag_id)))
        .filter(|(_, company)| segment.is_none_or(|segment| segments::holds_company(segment, company)))
        .collect();
    let created = |company: &Object| company.get("created_at").and_then(Value::as_i64).unwrap_or(0);
    listed.sort_by(|(a_index, a), (b_index, b)| created(a).cmp(&created(b)).then(a_index.cmp(b_index)));
    if descending {
        listed.reverse();
    }
    Ok(listed.into_iter().map(|(_, company)| companies::render(world, company)).collect())
}

/// A page of the users of the company at `index`, as a `user.list` whose `pages.next` leads back to `path`.
fn users_page(world: &World, index: usize, path: &str, query: &Query) -> Answer {
    let id = text(&world.companies[index], "id").map(Cow::into_owned).unwrap_or_default();
    let users: Vec<Value> = companies::users_of(world, &id).map(|user| people::render(world, user)).collect();
    ok(paging::page(world, users, "user", "users", path, query)?)
}

/// `GET /companies/{id}`: the company with this Intercom id.
async fn fetch(State(shared): State<Shared>, Path(id): Path<String>) -> Answer {
    let world = lock(&shared);
    let index = companies::find(&world, "id", &id).ok_or_else(|| ApiError::not_found("Company Not Found"))?;
    ok(companies::render(&world, &world.companies[index]))
}

/// `DELETE /companies/{id}`: deletes the company with this Intercom id and answers `{"type": "company", "id",
/// "deleted": true}`; it is gone from lists, lookups and counts, and from its people's `companies`. Intercom
/// serves this endpoint from API 2.1 only: a request whose `Intercom-Version` is older (or absent: the app is
/// on 1.4) is answered as Intercom answers a resource its version does not have, `400
/// intercom_version_invalid` "Requested resource is not available in current API version" (see
/// [`crate::version`]), rather than a `404 not_found`, which would say the company is unknown. An unknown
/// company is a `404`.
async fn delete(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Answer {
    version::require(&headers, (2, 1), None)?;
    let mut world = lock(&shared);
    let index = companies::find(&world, "id", &id).ok_or_else(|| ApiError::not_found("Company Not Found"))?;
    companies::remove(&mut world, index);
    ok(serde_json::json!({ "type": "company", "id": id, "deleted": true }))
}

/// `GET /companies/{id}/users`: the users of the company with this Intercom id, paged.
async fn users(State(shared): State<Shared>, Path(id): Path<String>, RawQuery(raw): RawQuery) -> Answer {
    let query = Query::parse(raw.as_deref());
    let world = lock(&shared);
    let index = companies::find(&world, "id", &id).ok_or_else(|| ApiError::not_found("Company Not Found"))?;
    users_page(&world, index, &format!("/companies/{id}/users"), &query)
}

/// `GET /companies/scroll`: the next page of the app's one scroll, over every company.
async fn scroll(State(shared): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let query = Query::parse(raw.as_deref());
    let mut world = lock(&shared);
    let all: Vec<Value> = world.companies.iter().map(|company| companies::render(&world, company)).collect();
    ok(paging::scroll(&mut world, "companies", all, "company", &query)?)
}
