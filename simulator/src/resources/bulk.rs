//! `/bulk/users`, `/bulk/contacts`, `/bulk/events` and `/jobs`: Intercom's bulk API.
//!
//! Intercom queues the items of a bulk request as a task of a job and works through them in the background.
//! The simulator carries every item out before it answers, so the job it returns is already `completed`.
//! An item that cannot be carried out (an unknown user, say) does not fail the request: it is recorded in the
//! job's error feed, as Intercom does. A malformed item, though, refuses the whole request before anything is
//! done.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::{events, leads, users};
use crate::http::{Answer, ApiError, Query, body, ok};
use crate::paging;
use crate::people::{self, Kind};
use crate::validate::Members;
use crate::world::{Object, Shared, World, lock, now, object, text};

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/bulk/users", post(bulk_users))
        .route("/bulk/contacts", post(bulk_leads))
        .route("/bulk/events", post(bulk_events))
        .route("/jobs/{id}", get(fetch))
        .route("/jobs/{id}/error", get(error_feed))
}

/// What a bulk endpoint works on.
#[derive(Debug, Clone, Copy)]
enum Target {
    Users,
    Leads,
    Events,
}

impl Target {
    /// The `data_type` its items must have.
    fn data_type(self) -> &'static str {
        match self {
            Target::Users => "user",
            Target::Leads => "contact",
            Target::Events => "event",
        }
    }

    /// Whether its items may delete: events can only be created.
    fn deletes(self) -> bool {
        !matches!(self, Target::Events)
    }
}

/// What an item asks for: `post` creates or updates, `delete` archives.
#[derive(Debug, Clone, Copy)]
enum Method {
    Post,
    Delete,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Method::Post => "post",
            Method::Delete => "delete",
        }
    }
}

/// One well-formed item of a bulk request.
struct Item<'a> {
    method: Method,
    data: &'a Object,
}

/// `POST /bulk/users`: upserts users as `POST /users` does (`post`) or archives them (`delete`).
async fn bulk_users(State(shared): State<Shared>, bytes: Bytes) -> Answer {
    submit(&shared, &bytes, Target::Users)
}

/// `POST /bulk/contacts`: creates or updates leads (`post`) or archives them (`delete`).
async fn bulk_leads(State(shared): State<Shared>, bytes: Bytes) -> Answer {
    submit(&shared, &bytes, Target::Leads)
}

/// `POST /bulk/events`: records events of users (`post` only).
async fn bulk_events(State(shared): State<Shared>, bytes: Bytes) -> Answer {
    submit(&shared, &bytes, Target::Events)
}

/// `GET /jobs/{id}`.
async fn fetch(State(shared): State<Shared>, Path(id): Path<String>) -> Answer {
    let world = lock(&shared);
    ok(Value::Object(world.jobs[position(&world, &id)?].clone()))
}

/// `GET /jobs/{id}/error`: the job's items that failed, each with its task, what it asked and why it failed,
/// in the order they were carried out: `{"type": "error_feed", "app_id", "job_id", "items": [...],
/// "total_count", "pages"}`, paged as other lists are (`page`, `per_page`, `pages.next`). An unknown job is a
/// `404`.
async fn error_feed(State(shared): State<Shared>, Path(id): Path<String>, RawQuery(raw): RawQuery) -> Answer {
    let query = Query::parse(raw.as_deref());
    let world = lock(&shared);
    position(&world, &id)?;
    let failed = world.job_errors.iter().find(|(job_id, _)| *job_id == id);
    let items: Vec<Value> = failed.into_iter().flat_map(|(_, items)| items.iter().cloned()).collect();
    let mut page = paging::page(&world, items, "error_feed", "items", &format!("/jobs/{id}/error"), &query)?;
    page["type"] = "error_feed".into();
    page["app_id"] = world.app_id().into();
    page["job_id"] = id.into();
    ok(page)
}

/// Checks a bulk request, carries out its items as one new task, of a new job or of the open job its `job.id`
/// names, records the items that failed, and answers the job.
fn submit(shared: &Shared, bytes: &Bytes, target: Target) -> Answer {
    let body = body(bytes)?;
    let body = Members::of(&body);
    let items = checked_items(&body, target)?;
    // Job ids are text; a whole number is taken as its text, as for every identifier.
    let job_id = body.member("job")?.map(|job| job.required_id("id")).transpose()?;
    let mut world = lock(shared);
    let appended_to = job_id.map(|job_id| open_job(&world, &job_id)).transpose()?;
    let task_id = format!("task_{}", world.new_number());
    let failures: Vec<Value> = items
        .iter()
        .filter_map(|item| {
            carry_out(&mut world, target, item).err().map(|error| failure(&task_id, target, item, &error))
        })
        .collect();
    let task = task(task_id, items.len());
    let index = match appended_to {
        Some(index) => {
            append(&mut world.jobs[index], task);
            index
        }
        None => {
            let job = new_job(&mut world, task);
            world.jobs.push(job);
            world.jobs.len() - 1
        }
    };
    let job_id = text(&world.jobs[index], "id").map(|id| id.into_owned()).unwrap_or_default();
    record_failures(&mut world, job_id, failures);
    ok(Value::Object(world.jobs[index].clone()))
}

/// The request's `items`, each checked: `items` must be a non-empty list of objects (a `400` for another type,
/// a `422` when empty), and a `422` names the first item with a wrong `method` or `data_type`, or no `data`.
/// The types of each item's `data` are checked as the single endpoint checks them (`POST /users`,
/// `POST /contacts`, `POST /events`), and a wrong one refuses the whole request with a `400` naming it, e.g.
/// `items[2].data.email`: a malformed request is refused when it is submitted, while an item that is
/// well-formed but cannot be carried out (an unknown user) only fails itself, in the job's error feed.
fn checked_items<'a>(body: &Members<'a>, target: Target) -> Result<Vec<Item<'a>>, ApiError> {
    let items = body.list("items")?.ok_or_else(|| ApiError::missing("items"))?;
    if items.is_empty() {
        return Err(ApiError::invalid("parameter_invalid", "items", "items must be a non-empty list"));
    }
    items.iter().map(|item| checked_item(item, target)).collect()
}

/// One item of the request, checked for the endpoint's `target`.
fn checked_item<'a>(item: &Members<'a>, target: Target) -> Result<Item<'a>, ApiError> {
    let method = match item.text("method")? {
        Some("post") => Method::Post,
        Some("delete") if target.deletes() => Method::Delete,
        _ => {
            let allowed = if target.deletes() { "post or delete" } else { "post" };
            let field = item.field("method");
            return Err(ApiError::invalid("parameter_invalid", &field, format!("method must be {allowed}")));
        }
    };
    if item.text("data_type")? != Some(target.data_type()) {
        let message = format!("data_type must be {}", target.data_type());
        return Err(ApiError::invalid("parameter_invalid", &item.field("data_type"), message));
    }
    let data = item.required_member("data")?;
    match (target, method) {
        (Target::Users | Target::Leads, Method::Post) => people::check(&data)?,
        (Target::Users | Target::Leads, Method::Delete) => people::check_identifiers(&data)?,
        (Target::Events, _) => events::check(&data)?,
    }
    Ok(Item { method, data: data.object() })
}

/// The job a request appends to (`"job": {"id"}`): it must exist (`404`) and not be closed yet (`422
/// job_closed`).
fn open_job(world: &World, id: &str) -> Result<usize, ApiError> {
    let index = position(world, id)?;
    let closing_at = world.jobs[index].get("closing_at").and_then(Value::as_i64).unwrap_or(0);
    if now() >= closing_at {
        return Err(ApiError::invalid("job_closed", "job.id", "The job is closed: submit the items as a new job"));
    }
    Ok(index)
}

/// The position of job `id` in `world.jobs`, or a `404`.
fn position(world: &World, id: &str) -> Result<usize, ApiError> {
    world
        .jobs
        .iter()
        .position(|job| text(job, "id").is_some_and(|found| found == id))
        .ok_or_else(|| ApiError::not_found("Job Not Found"))
}

/// Does what one item asks.
fn carry_out(world: &mut World, target: Target, item: &Item<'_>) -> Result<(), ApiError> {
    match (target, item.method) {
        (Target::Users, Method::Post) => users::upsert_user(world, item.data).map(drop),
        (Target::Users, Method::Delete) => {
            let index = people::identify(world, Kind::User, &Members::of(item.data))?;
            people::remove(world, index);
            Ok(())
        }
        (Target::Leads, Method::Post) => leads::upsert_lead(world, item.data).map(drop),
        (Target::Leads, Method::Delete) => {
            let index = leads::named_lead(world, item.data)?.ok_or_else(|| ApiError::not_found("Lead Not Found"))?;
            people::remove(world, index);
            Ok(())
        }
        (Target::Events, _) => events::record(world, &Members::of(item.data)),
    }
}

/// A failed item as the error feed lists it.
fn failure(task_id: &str, target: Target, item: &Item<'_>, error: &ApiError) -> Value {
    json!({
        "task_id": task_id,
        "method": item.method.name(),
        "data_type": target.data_type(),
        "data": item.data,
        "error": error.entry(),
    })
}

/// A task of `item_count` items, done as soon as it was created.
fn task(id: String, item_count: usize) -> Value {
    let at = now();
    json!({
        "id": id,
        "item_count": item_count,
        "created_at": at,
        "started_at": at,
        "completed_at": at,
        "state": "completed",
    })
}

/// A new, completed job of one task, open for more tasks as long as the simulator's bulk job window says
/// (15 minutes unless configured).
fn new_job(world: &mut World, task: Value) -> Object {
    let id = format!("job_{}", world.new_number());
    let this = format!("{}/jobs/{id}", world.base_url);
    let at = now();
    let open_for = i64::try_from(world.settings.job_open_for.as_secs()).unwrap_or(i64::MAX);
    object(json!({
        "type": "job",
        "id": id,
        "app_id": world.app_id(),
        "name": "api_bulk_job",
        "state": "completed",
        "created_at": at,
        "updated_at": at,
        "completed_at": at,
        "closing_at": at.saturating_add(open_for),
        "links": { "error": format!("{this}/error"), "self": this },
        "tasks": [task],
    }))
}

/// Adds a task to a job; the job is completed again when it is.
fn append(job: &mut Object, task: Value) {
    if let Some(tasks) = job.get_mut("tasks").and_then(Value::as_array_mut) {
        tasks.push(task);
    }
    let at = now();
    job.insert("updated_at".into(), at.into());
    job.insert("completed_at".into(), at.into());
}

/// Adds a task's failed items to its job's error feed.
fn record_failures(world: &mut World, job_id: String, failures: Vec<Value>) {
    match world.job_errors.iter_mut().find(|(id, _)| *id == job_id) {
        Some((_, items)) => items.extend(failures),
        None => world.job_errors.push((job_id, failures)),
    }
}
