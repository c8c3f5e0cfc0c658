//! The simulated workspace: everything Intercom would store, in memory, as the JSON objects it returns.
//!
//! Records are kept as `serde_json` objects in the shape Intercom's v1 API answers with, so that handlers
//! return them as they are and update them in place. Ids come from counters, so a run is reproducible.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use crate::Settings;

/// A JSON object.
pub(crate) type Object = Map<String, Value>;

/// The state shared by the server's handlers.
pub(crate) type Shared = Arc<Mutex<World>>;

/// Locks the world. A handler that panicked cannot leave it half-updated in a way that matters for a
/// simulator, so a poisoned lock is taken over rather than failing every later request.
pub(crate) fn lock(shared: &Shared) -> MutexGuard<'_, World> {
    shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Everything the simulated workspace holds.
pub(crate) struct World {
    pub settings: Settings,
    /// `http://127.0.0.1:<port>`, for the absolute URLs Intercom puts in `pages.next` and `links`.
    pub base_url: String,
    /// Tokens accepted besides the configured one: those handed out by the OAuth exchange.
    pub issued_tokens: Vec<String>,
    /// The codes the authorize page handed out and that were not exchanged yet, with when.
    pub oauth_codes: Vec<(String, Instant)>,
    /// How many codes the authorize page handed out (their own counter, so that they do not shift the ids).
    pub oauth_codes_issued: u64,
    next_id: u64,
    pub admins: Vec<Object>,
    /// The admins' teams (`{"type": "team", "id", "name", "admin_ids"}`), seeded.
    pub teams: Vec<Object>,
    /// What admins did, oldest first, as `GET /admins/activity_logs` lists it (see [`crate::activity`]).
    pub activity_logs: Vec<Object>,
    /// The custom data attributes seen on people and companies, and the seeded archived ones (see
    /// [`crate::attributes`]).
    pub custom_attributes: Vec<crate::attributes::CustomAttribute>,
    /// Users, leads (`type: contact`) and visitors, in creation order.
    pub people: Vec<Object>,
    pub companies: Vec<Object>,
    pub tags: Vec<Object>,
    pub segments: Vec<Segment>,
    pub notes: Vec<Object>,
    pub events: Vec<Object>,
    pub conversations: Vec<Object>,
    pub subscriptions: Vec<Object>,
    /// The notifications delivered to each subscription, by subscription id (the sent feeds), oldest first.
    pub sent_feeds: Vec<(String, Vec<Value>)>,
    /// The error feeds and the delivery queue of webhook notifications (see [`crate::webhooks`]).
    pub notifications: crate::webhooks::Notifications,
    pub jobs: Vec<Object>,
    /// The items of each bulk job that failed, with why, by job id (its error feed).
    pub job_errors: Vec<(String, Vec<Value>)>,
    /// When the workspace was created (Unix seconds): when the simulator started.
    pub created_at: i64,
    /// The app's one open scroll, if any.
    pub scroll: Option<Scroll>,
    /// The current rate-limit window: when it started and how many requests it has seen.
    pub window: (Instant, u64),
    /// Draws the injected faults.
    pub faults: fastrand::Rng,
}

/// A seeded segment: its object, and which people belong to it.
pub(crate) struct Segment {
    pub object: Object,
    pub rule: SegmentRule,
    /// People added to it explicitly (a lead or visitor created with `segments`).
    pub members: Vec<String>,
}

/// How a seeded segment picks its members.
#[derive(Clone, Copy)]
pub(crate) enum SegmentRule {
    /// Users seen in the last 30 days.
    ActiveUsers,
    /// Users created in the last 7 days.
    NewUsers,
    /// Leads created in the last 7 days.
    NewLeads,
}

/// An open scroll.
pub(crate) struct Scroll {
    /// `users`, `contacts` or `companies`.
    pub resource: &'static str,
    pub param: String,
    pub offset: usize,
    pub last_used: Instant,
}

/// How long a scroll stays open without being used.
pub(crate) const SCROLL_EXPIRY: Duration = Duration::from_secs(60);

impl World {
    pub(crate) fn new(settings: Settings, base_url: String) -> Self {
        let mut world = World {
            faults: fastrand::Rng::with_seed(settings.seed),
            settings,
            base_url,
            issued_tokens: Vec::new(),
            oauth_codes: Vec::new(),
            oauth_codes_issued: 0,
            next_id: 0,
            admins: Vec::new(),
            teams: Vec::new(),
            activity_logs: Vec::new(),
            custom_attributes: Vec::new(),
            people: Vec::new(),
            companies: Vec::new(),
            tags: Vec::new(),
            segments: Vec::new(),
            notes: Vec::new(),
            events: Vec::new(),
            conversations: Vec::new(),
            subscriptions: Vec::new(),
            sent_feeds: Vec::new(),
            notifications: crate::webhooks::Notifications::default(),
            jobs: Vec::new(),
            job_errors: Vec::new(),
            created_at: now(),
            scroll: None,
            window: (Instant::now(), 0),
        };
        crate::seed::seed(&mut world);
        world
    }

    /// A new id in the style of Intercom's object ids (24 hex digits).
    pub(crate) fn new_id(&mut self) -> String {
        self.next_id += 1;
        format!("5f{:022x}", self.next_id)
    }

    /// A new numeric id, as Intercom uses for admins, tags, segments, notes and conversations.
    pub(crate) fn new_number(&mut self) -> String {
        self.next_id += 1;
        (100_000 + self.next_id).to_string()
    }

    /// A new id in UUID form, as Intercom uses for lead `user_id`s, scroll parameters and subscriptions.
    pub(crate) fn new_uuid(&mut self) -> String {
        self.next_id += 1;
        format!("{:08x}-0000-4000-8000-{:012x}", self.settings.seed & 0xffff_ffff, self.next_id)
    }

    /// The app id the simulated workspace has.
    pub(crate) fn app_id(&self) -> &'static str {
        "simapp01"
    }
}

/// Now, in Unix seconds.
pub(crate) fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| i64::try_from(since.as_secs()).unwrap_or(i64::MAX))
}

/// A JSON value as an object, when it is one.
pub(crate) fn object(value: Value) -> Object {
    match value {
        Value::Object(object) => object,
        _ => Object::new(),
    }
}

/// The text of `object[key]`, if it is text (ids given as numbers count as text too).
pub(crate) fn text<'a>(object: &'a Object, key: &str) -> Option<std::borrow::Cow<'a, str>> {
    match object.get(key)? {
        Value::String(text) if !text.is_empty() => Some(std::borrow::Cow::Borrowed(text)),
        Value::Number(number) => Some(std::borrow::Cow::Owned(number.to_string())),
        _ => None,
    }
}

/// An empty typed list, e.g. `{"type": "tag.list", "tags": []}`.
pub(crate) fn typed_list(kind: &str, key: &str) -> Value {
    json!({ "type": format!("{kind}.list"), key: [] })
}
