//! `/events`: what users did, submitted one at a time, then listed per user (paged by a `before` cursor, as
//! Intercom's event lists are) or summarised per event name.

use std::collections::BTreeMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::routing::get;
use serde_json::{Value, json};

use super::conversations::{ids_of_query, person};
use crate::http::{Answer, ApiError, Query, body, empty, ok};
use crate::people;
use crate::validate::{Checks, Members};
use crate::webhooks;
use crate::world::{Object, Shared, World, lock, object, text};

/// The keys that name the user of a submitted event, in the order they are looked at.
const SUBMIT_KEYS: [&str; 3] = ["id", "user_id", "email"];

/// The keys that name the user whose events are listed.
const LIST_KEYS: [&str; 3] = ["intercom_user_id", "user_id", "email"];

/// How many events a page of the list holds.
const PAGE_SIZE: usize = 50;

pub(crate) fn routes() -> Router<Shared> {
    Router::new().route("/events", get(list).post(submit))
}

/// `POST /events`: records the event (see [`record`]) and answers `202 Accepted` with no body, as Intercom does
/// (for duplicates too). The event is notified to the `event.created` subscriptions that name it.
async fn submit(State(shared): State<Shared>, bytes: Bytes) -> Answer {
    let body = body(&bytes)?;
    let mut world = lock(&shared);
    record(&mut world, &Members::of(&body))?;
    if let Some(event) = world.events.last().cloned() {
        webhooks::notify(&mut world, "event.created", &Value::Object(event));
    }
    empty(StatusCode::ACCEPTED)
}

/// Checks the types of an event: `event_name` is text, `created_at` whole Unix seconds, the identifiers of
/// its user as identifiers are, and `metadata` an object (see [`check_metadata`]). Every wrong member is
/// named; nothing is looked up. Bulk event jobs check their items with it before doing anything.
pub(super) fn check(data: &Members) -> Result<(), ApiError> {
    let mut checks = Checks::default();
    checks.check(data.text("event_name"));
    checks.check(data.timestamp("created_at"));
    checks.check(people::check_identifiers(data));
    checks.check(check_metadata(data));
    checks.done()
}

/// An event's `metadata`: an object whose values are strings, numbers, booleans or `null`, or one of the two
/// objects Intercom gives a meaning to: a rich link `{"url", "value"}` (both text) and a monetary amount
/// `{"amount", "currency"}` (a whole number of cents, and a currency code). Other objects, and lists, are
/// refused (Intercom does not take nested metadata).
fn check_metadata(data: &Members) -> Result<(), ApiError> {
    let Some(metadata) = data.member("metadata")? else { return Ok(()) };
    for (key, value) in metadata.object() {
        let field = metadata.field(key);
        match value {
            Value::Object(special) if special.contains_key("url") => {
                let link = Members::at(special, field);
                link.required_text("url")?;
                link.required_text("value")?;
            }
            Value::Object(special) if special.contains_key("amount") => {
                let money = Members::at(special, field);
                money.integer("amount")?.ok_or_else(|| ApiError::missing(&money.field("amount")))?;
                money.required_text("currency")?;
            }
            Value::Object(_) | Value::Array(_) => {
                let expected =
                    "a string, a number, a boolean, a rich link {url, value} or an amount {amount, currency}";
                return Err(ApiError::type_mismatch(&field, expected));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Records `event_name` at `created_at` (Unix seconds) with its `metadata` (an object) for the user (or lead)
/// that `id`, `user_id` or `email` names: a `400` for a member of the wrong type, a `422` for a missing one, a
/// `404` for an unknown user. Bulk event jobs record their items the same way.
pub(super) fn record(world: &mut World, data: &Members) -> Result<(), ApiError> {
    check(data)?;
    let event_name = data.required_text("event_name")?;
    let created_at = data.timestamp("created_at")?.ok_or_else(|| ApiError::missing(&data.field("created_at")))?;
    let metadata =
        Value::Object(data.member("metadata")?.map(|metadata| metadata.object().clone()).unwrap_or_default());
    let user = &world.people[person(world, data, &SUBMIT_KEYS)?];
    let (user_id, email, intercom_user_id) =
        (user.get("user_id").cloned(), user.get("email").cloned(), user.get("id").cloned());
    let id = world.new_id();
    world.events.push(object(json!({
        "type": "event",
        "id": id,
        "event_name": event_name,
        "created_at": created_at,
        "user_id": user_id,
        "email": email,
        "intercom_user_id": intercom_user_id,
        "metadata": metadata,
    })));
    Ok(())
}

/// `GET /events?type=user` with `intercom_user_id`, `user_id` or `email`: that user's events, newest first
/// (see [`page`]), or with `summary=true` one line per event name (see [`summary`]).
async fn list(State(shared): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let query = Query::parse(raw.as_deref());
    query.require("type")?;
    // Only a user's events are listed; `summary` is a true/false switch.
    query.one_of("type", &["user"])?;
    let summarised = query.flag("summary")? == Some(true);
    let world = lock(&shared);
    let user = &world.people[person(&world, &Members::of(&ids_of_query(&query, &LIST_KEYS)), &LIST_KEYS)?];
    let mut events: Vec<&Object> =
        world.events.iter().filter(|event| event.get("intercom_user_id") == user.get("id")).collect();
    // Newest first; events of the same second in the reverse order they were submitted.
    events.reverse();
    events.sort_by_key(|event| std::cmp::Reverse(event.get("created_at").and_then(Value::as_i64).unwrap_or(0)));
    if summarised {
        return ok(summary(user, &events));
    }
    ok(page(&world, &events, &query)?)
}

/// One page of events: `{"type": "event.list", "events": [...], "pages": {"next"}}`. `next` is the absolute URL
/// of the following page, which carries `before=<id of this page's last event>`, or `null` on the last page.
fn page(world: &World, events: &[&Object], query: &Query) -> Result<Value, ApiError> {
    let start = match query.get("before") {
        None => 0,
        Some(before) => {
            let position = events.iter().position(|event| text(event, "id").is_some_and(|id| id == before));
            position
                .map(|position| position + 1)
                .ok_or_else(|| ApiError::malformed("before", "before is not an event of this user"))?
        }
    };
    let shown: Vec<Value> =
        events.iter().skip(start).take(PAGE_SIZE).map(|event| Value::Object((*event).clone())).collect();
    let last_shown = start + shown.len();
    let next = (last_shown < events.len()).then(|| {
        let mut pairs = query.without(&["before"]);
        let last_id = shown.last().and_then(|event| event.get("id")).and_then(Value::as_str).unwrap_or_default();
        pairs.push(("before".to_owned(), last_id.to_owned()));
        let query = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
        format!("{}/events?{query}", world.base_url)
    });
    Ok(json!({ "type": "event.list", "events": shown, "pages": { "next": next } }))
}

/// The user's events summed up per name: `{"type": "event.summary", "email", "user_id", "intercom_user_id",
/// "events": [{"name", "first", "last", "count", "description"}]}`, with `first` and `last` as ISO 8601 text,
/// by name.
fn summary(user: &Object, events: &[&Object]) -> Value {
    let mut by_name: BTreeMap<&str, (i64, i64, u64)> = BTreeMap::new();
    for event in events {
        let (Some(name), Some(at)) =
            (event.get("event_name").and_then(Value::as_str), event.get("created_at").and_then(Value::as_i64))
        else {
            continue;
        };
        let (first, last, count) = by_name.entry(name).or_insert((at, at, 0));
        *first = (*first).min(at);
        *last = (*last).max(at);
        *count += 1;
    }
    let lines: Vec<Value> = by_name
        .into_iter()
        .map(|(name, (first, last, count))| {
            json!({ "name": name, "first": iso8601(first), "last": iso8601(last), "count": count, "description": null })
        })
        .collect();
    json!({
        "type": "event.summary",
        "email": user.get("email"),
        "user_id": user.get("user_id"),
        "intercom_user_id": user.get("id"),
        "events": lines,
    })
}

/// Unix seconds as ISO 8601 text in UTC, as Intercom writes summary dates: `2014-01-16T23:12:21.000+00:00`.
fn iso8601(seconds: i64) -> String {
    let (year, month, day) = civil_date(seconds.div_euclid(86_400));
    let time = seconds.rem_euclid(86_400);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.000+00:00", time / 3_600, time % 3_600 / 60, time % 60)
}

/// The (year, month, day) of a count of days since 1970-01-01, in the proleptic Gregorian calendar (Howard
/// Hinnant's `civil_from_days`).
fn civil_date(days: i64) -> (i64, i64, i64) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::iso8601;

    #[test]
    fn summary_dates_are_iso_8601_in_utc() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000+00:00");
        assert_eq!(iso8601(1_389_913_941), "2014-01-16T23:12:21.000+00:00");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00.000+00:00");
        assert_eq!(iso8601(1_714_557_600), "2024-05-01T10:00:00.000+00:00");
        assert_eq!(iso8601(-1), "1969-12-31T23:59:59.000+00:00");
    }
}
