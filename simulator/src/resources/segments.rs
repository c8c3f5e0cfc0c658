//! `/segments`: the app's segments, which are seeded (the API cannot create them), with their sizes on request.

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::routing::get;
use serde_json::{Value, json};

use crate::http::{Answer, ApiError, Query, ok};
use crate::people;
use crate::world::{Object, Segment, Shared, World, lock, text};

pub(crate) fn routes() -> Router<Shared> {
    Router::new().route("/segments", get(list)).route("/segments/{id}", get(fetch))
}

/// `GET /segments`: the segments of people, or with `type=company` those of companies (none is seeded);
/// `include_count=true` adds each one's `count`.
async fn list(State(shared): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let query = Query::parse(raw.as_deref());
    let of_companies = query.one_of("type", &["user", "company"])? == Some("company");
    let with_count = query.flag("include_count")? == Some(true);
    let world = lock(&shared);
    let segments: Vec<Value> = world
        .segments
        .iter()
        .filter(|segment| is_of_companies(segment) == of_companies)
        .map(|segment| render(&world, segment, with_count))
        .collect();
    ok(json!({ "type": "segment.list", "segments": segments }))
}

/// `GET /segments/{id}` (`include_count=true` adds its `count`).
async fn fetch(State(shared): State<Shared>, Path(id): Path<String>, RawQuery(raw): RawQuery) -> Answer {
    let with_count = Query::parse(raw.as_deref()).flag("include_count")? == Some(true);
    let world = lock(&shared);
    ok(render(&world, find(&world, &id)?, with_count))
}

/// The segment `id`, or a `404`.
pub(super) fn find<'a>(world: &'a World, id: &str) -> Result<&'a Segment, ApiError> {
    world
        .segments
        .iter()
        .find(|segment| text(&segment.object, "id").is_some_and(|found| found == id))
        .ok_or_else(|| ApiError::not_found("Segment Not Found"))
}

/// The segment's object, with its current `count` when asked.
fn render(world: &World, segment: &Segment, with_count: bool) -> Value {
    let mut shown = segment.object.clone();
    if with_count {
        shown.insert("count".into(), size(world, segment).into());
    }
    Value::Object(shown)
}

/// Whether the segment is of companies (its `person_type` is `company`) rather than of people.
pub(super) fn is_of_companies(segment: &Segment) -> bool {
    segment.object.get("person_type").and_then(Value::as_str) == Some("company")
}

/// Whether the company belongs to the segment: companies belong to one only as its explicit members (the
/// seeded segments, of people, hold none).
pub(super) fn holds_company(segment: &Segment, company: &Object) -> bool {
    text(company, "id").is_some_and(|id| segment.members.iter().any(|member| *member == id))
}

/// How many people (or, for a segment of companies, companies) the segment holds now.
pub(super) fn size(world: &World, segment: &Segment) -> usize {
    if is_of_companies(segment) {
        world.companies.iter().filter(|company| holds_company(segment, company)).count()
    } else {
        world.people.iter().filter(|person| people::in_segment(segment.rule, &segment.members, person)).count()
    }
}
