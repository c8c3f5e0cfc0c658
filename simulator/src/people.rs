//! Users, leads and visitors: one shape in Intercom's v1 API, and so here one store and one set of rules.

use serde_json::{Value, json};

use crate::http::ApiError;
use crate::validate::{Checks, Members};
use crate::world::{Object, SegmentRule, World, now, object, text, typed_list};

/// What a person is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    User,
    Lead,
    Visitor,
}

impl Kind {
    /// The `type` Intercom gives it.
    pub(crate) fn type_name(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::Lead => "contact",
            Kind::Visitor => "visitor",
        }
    }

    /// How an error names it, e.g. "User Not Found".
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Kind::User => "User",
            Kind::Lead => "Lead",
            Kind::Visitor => "Visitor",
        }
    }

    fn of(person: &Object) -> Option<Kind> {
        match person.get("type")?.as_str()? {
            "user" => Some(Kind::User),
            "contact" => Some(Kind::Lead),
            "visitor" => Some(Kind::Visitor),
            _ => None,
        }
    }
}

/// Where a person came from, as the Messenger records it (and the API may set, e.g. on a visitor).
const UTM_KEYS: [&str; 5] = ["utm_campaign", "utm_content", "utm_medium", "utm_source", "utm_term"];

/// A new person with every field Intercom returns, empty.
pub(crate) fn new_person(world: &mut World, kind: Kind) -> Object {
    let id = world.new_id();
    let created = now();
    let anonymous = kind != Kind::User;
    object(json!({
        "type": kind.type_name(),
        "id": id,
        "user_id": null,
        "anonymous": anonymous,
        "email": null,
        "phone": null,
        "name": null,
        "pseudonym": null,
        "avatar": { "type": "avatar", "image_url": null },
        "app_id": world.app_id(),
        "companies": typed_list("company", "companies"),
        "location_data": { "type": "location_data" },
        "last_request_at": null,
        "created_at": created,
        "remote_created_at": null,
        "signed_up_at": null,
        "updated_at": created,
        "session_count": 0,
        "social_profiles": typed_list("social_profile", "social_profiles"),
        "owner_id": null,
        "unsubscribed_from_emails": false,
        "marked_email_as_spam": false,
        "has_hard_bounced": false,
        "tags": typed_list("tag", "tags"),
        "segments": typed_list("segment", "segments"),
        "custom_attributes": {},
        "referrer": null,
        "utm_campaign": null,
        "utm_content": null,
        "utm_medium": null,
        "utm_source": null,
        "utm_term": null,
        "last_seen_ip": null,
        "user_agent_data": null,
    }))
}

/// The people of this kind, in creation order.
pub(crate) fn all(world: &World, kind: Kind) -> impl Iterator<Item = (usize, &Object)> {
    world.people.iter().enumerate().filter(move |(_, person)| Kind::of(person) == Some(kind))
}

/// The person of this kind whose `key` (`id`, `user_id` or `email`) is `value`. An email several people share
/// is a `409`, as Intercom answers.
pub(crate) fn find(world: &World, kind: Kind, key: &str, value: &str) -> Result<Option<usize>, ApiError> {
    let key = if key == "intercom_user_id" { "id" } else { key };
    let matches: Vec<usize> = all(world, kind)
        .filter(|(_, person)| {
            text(person, key).is_some_and(|found| found.eq_ignore_ascii_case(value) || found == value)
        })
        .map(|(index, _)| index)
        .take(2)
        .collect();
    match matches.as_slice() {
        [] => Ok(None),
        [index] => Ok(Some(*index)),
        _ => Err(ApiError::conflict(format!(
            "Multiple existing {}s match this {key} - must be more specific using user_id",
            kind.noun().to_lowercase()
        ))),
    }
}

/// The person an identifying object names, e.g. `{"email": "ann@example.com"}` or `{"id": "5f…"}`: the first
/// of `id`, `intercom_user_id`, `user_id` and `email` it has. The types of all four are checked first (a `400`);
/// missing identifiers are a `422`, an unknown person a `404`.
pub(crate) fn identify(world: &World, kind: Kind, ids: &Members) -> Result<usize, ApiError> {
    check_identifiers(ids)?;
    for key in ["id", "intercom_user_id", "user_id"] {
        if let Some(value) = ids.id(key)? {
            return find(world, kind, key, &value)?
                .ok_or_else(|| ApiError::not_found(format!("{} Not Found", kind.noun())));
        }
    }
    if let Some(email) = ids.text("email")?.filter(|email| !email.is_empty()) {
        return find(world, kind, "email", email)?
            .ok_or_else(|| ApiError::not_found(format!("{} Not Found", kind.noun())));
    }
    Err(ApiError::missing(&ids.field("id")))
}

/// Checks the types of the members that name a person: `id`, `intercom_user_id` and `user_id` are identifiers,
/// `email` is text. Every wrong one is named.
pub(crate) fn check_identifiers(ids: &Members) -> Result<(), ApiError> {
    let mut checks = Checks::default();
    for key in ["id", "intercom_user_id", "user_id"] {
        checks.check(ids.id(key));
    }
    checks.check(ids.text("email"));
    checks.done()
}

/// Checks the types of everything a body that creates or updates a person (user, lead or visitor) may carry,
/// naming every wrong member at once; nothing is looked up. See [`crate::validate`] for the rules.
pub(crate) fn check(body: &Members) -> Result<(), ApiError> {
    let mut checks = Checks::default();
    checks.check(body.email("email"));
    for key in ["user_id", "id"] {
        checks.check(body.id(key));
    }
    for key in ["phone", "name", "last_seen_ip", "last_seen_user_agent", "user_agent_data"] {
        checks.check(body.text(key));
    }
    for key in UTM_KEYS {
        checks.check(body.text(key));
    }
    for key in ["signed_up_at", "last_request_at", "remote_created_at"] {
        checks.check(body.timestamp(key));
    }
    for key in ["unsubscribed_from_emails", "update_last_request_at", "new_session"] {
        checks.check(body.boolean(key));
    }
    checks.check(body.custom_attributes("custom_attributes"));
    checks.check(body.scalars("location_data"));
    if let Some(avatar) = checks.check(body.member("avatar")).flatten() {
        checks.check(avatar.text("image_url"));
    }
    for profile in checks.check(body.list("social_profiles")).flatten().unwrap_or_default() {
        checks.check(profile.scalars_only());
    }
    for company in checks.check(body.list("companies")).flatten().unwrap_or_default() {
        checks.check(crate::companies::check(&company, true));
    }
    for key in ["tags", "segments"] {
        checks.check(check_id_list(body, key));
    }
    checks.done()
}

/// Checks a `{"type": "<x>.list", "<key>": [{"id": ...}, ...]}` member `key` (a lead's or visitor's `tags` and
/// `segments`): an object whose list holds objects that each have an `id`.
fn check_id_list(body: &Members, key: &str) -> Result<(), ApiError> {
    let Some(list) = body.member(key)? else { return Ok(()) };
    list.text("type")?;
    for item in list.list(key)?.unwrap_or_default() {
        item.required_id("id")?;
    }
    Ok(())
}

/// Checks a create or update body before anything changes: the types of all it carries ([`check`]), and the
/// companies it names (one named by `id` must exist, one without an `id` needs a `company_id`). A request
/// that fails here has changed nothing.
pub(crate) fn check_update(world: &World, body: &Members) -> Result<(), ApiError> {
    check(body)?;
    for company in body.list("companies")?.unwrap_or_default() {
        crate::companies::locate(world, &company)?;
    }
    Ok(())
}

/// Updates the person at `index` from a create or update body, as Intercom does: the fields given replace
/// the stored ones, custom attributes and location are merged, companies are attached (or removed with
/// `"remove": true`), tags and segments given as `{"type": "<x>.list", "<x>s": [{"id"}]}` are added. The body
/// is checked first ([`check_update`]), so a refused one changes nothing.
pub(crate) fn update(world: &mut World, index: usize, body: &Object) -> Result<(), ApiError> {
    let members = Members::of(body);
    check_update(world, &members)?;
    let mut companies = Vec::new();
    for item in members.list("companies")?.unwrap_or_default() {
        let company = crate::companies::upsert(world, &item)?;
        companies.push((company, item.boolean("remove")?.unwrap_or(false)));
    }
    if let Some(Value::Object(attributes)) = body.get("custom_attributes") {
        crate::attributes::note(world, crate::attributes::Model::Customer, attributes);
    }
    let tag_ids = ids_of(body.get("tags"), "tags");
    let segment_ids = ids_of(body.get("segments"), "segments");
    let tags: Vec<Value> = world
        .tags
        .iter()
        .filter(|tag| text(tag, "id").is_some_and(|id| tag_ids.contains(&id.into_owned())))
        .map(|tag| Value::Object(tag.clone()))
        .collect();
    let person_id = text(&world.people[index], "id").map(|id| id.into_owned()).unwrap_or_default();
    for segment in &mut world.segments {
        let id = text(&segment.object, "id").map(|id| id.into_owned()).unwrap_or_default();
        if segment_ids.contains(&id) && !segment.members.contains(&person_id) {
            segment.members.push(person_id.clone());
        }
    }

    let person = &mut world.people[index];
    for key in [
        "email",
        "phone",
        "name",
        "last_seen_ip",
        "signed_up_at",
        "last_request_at",
        "remote_created_at",
        "unsubscribed_from_emails",
    ]
    .into_iter()
    .chain(UTM_KEYS)
    {
        if let Some(value) = body.get(key) {
            person.insert(key.to_owned(), value.clone());
        }
    }
    // A `user_id` given as a whole number is kept as its text: a person's `user_id` is a string.
    match body.get("user_id") {
        Some(Value::Number(number)) => {
            person.insert("user_id".into(), number.to_string().into());
        }
        Some(value) => {
            person.insert("user_id".into(), value.clone());
        }
        None => {}
    }
    for (from, to) in [("last_seen_user_agent", "user_agent_data"), ("user_agent_data", "user_agent_data")] {
        if let Some(value) = body.get(from) {
            person.insert(to.to_owned(), value.clone());
        }
    }
    if let Some(Value::Object(attributes)) = body.get("custom_attributes") {
        merge(person, "custom_attributes", attributes);
    }
    if let Some(Value::Object(location)) = body.get("location_data") {
        merge(person, "location_data", location);
    }
    if let Some(url) = body.get("avatar").and_then(|avatar| avatar.get("image_url")) {
        person.insert("avatar".into(), json!({ "type": "avatar", "image_url": url }));
    }
    if let Some(Value::Array(profiles)) = body.get("social_profiles") {
        let profiles: Vec<Value> = profiles
            .iter()
            .map(|profile| {
                let mut profile = profile.clone();
                // Checked to be objects; anything else would be kept as it is rather than indexed into.
                if let Value::Object(fields) = &mut profile {
                    fields.insert("type".into(), "social_profile".into());
                }
                profile
            })
            .collect();
        person.insert("social_profiles".into(), json!({ "type": "social_profile.list", "social_profiles": profiles }));
    }
    if body.get("update_last_request_at") == Some(&Value::Bool(true)) {
        person.insert("last_request_at".into(), now().into());
    }
    if body.get("new_session") == Some(&Value::Bool(true)) {
        let sessions = person.get("session_count").and_then(Value::as_i64).unwrap_or(0);
        person.insert("session_count".into(), (sessions + 1).into());
    }
    let identified = ["email", "user_id"].iter().any(|key| person.get(*key).is_some_and(|value| !value.is_null()));
    if identified && Kind::of(person) == Some(Kind::User) {
        person.insert("anonymous".into(), false.into());
    }
    for (company, remove) in companies {
        set_membership(person, "companies", "companies", company, remove);
    }
    for tag in tags {
        set_membership(person, "tags", "tags", tag, false);
    }
    person.insert("updated_at".into(), now().into());
    Ok(())
}

/// The ids of a `{"type": "<x>.list", "<x>s": [{"id": ...}]}` value.
fn ids_of(list: Option<&Value>, key: &str) -> Vec<String> {
    let items = list.and_then(|list| list.get(key)).and_then(Value::as_array);
    items
        .into_iter()
        .flatten()
        .filter_map(|item| item.get("id"))
        .filter_map(|id| match id {
            Value::String(id) => Some(id.clone()),
            Value::Number(id) => Some(id.to_string()),
            _ => None,
        })
        .collect()
}

fn merge(person: &mut Object, key: &str, values: &Object) {
    let target = person.entry(key.to_owned()).or_insert_with(|| json!({}));
    if let Value::Object(target) = target {
        for (name, value) in values {
            target.insert(name.clone(), value.clone());
        }
    }
}

/// Adds (or removes) `item` in the typed list `person[field][key]`, matching on `id`.
pub(crate) fn set_membership(person: &mut Object, field: &str, key: &str, item: Value, remove: bool) {
    let id = item.get("id").cloned();
    let list = person
        .entry(field.to_owned())
        .or_insert_with(|| json!({ "type": format!("{}.list", &key[..key.len() - 1]), key: [] }));
    let Some(items) = list.get_mut(key).and_then(Value::as_array_mut) else { return };
    items.retain(|existing| existing.get("id") != id.as_ref());
    if !remove {
        items.push(item);
    }
}

/// Removes the person at `index` (deleting or archiving it), and returns it as it was.
pub(crate) fn remove(world: &mut World, index: usize) -> Value {
    let shown = render(world, &world.people[index]);
    let removed = world.people.remove(index);
    if let Some(id) = text(&removed, "id") {
        leave_segments(world, &id);
    }
    shown
}

/// Drops the person `id` from the segments it was added to explicitly: it left them when it was deleted or
/// changed kind (a segment is for one kind of person).
pub(crate) fn leave_segments(world: &mut World, id: &str) {
    for segment in &mut world.segments {
        segment.members.retain(|member| member != id);
    }
}

/// The person as Intercom returns it, with the segments it belongs to now.
pub(crate) fn render(world: &World, person: &Object) -> Value {
    let mut shown = person.clone();
    let segments: Vec<Value> = world
        .segments
        .iter()
        .filter(|segment| in_segment(segment.rule, &segment.members, person))
        .map(|segment| json!({ "type": "segment", "id": segment.object.get("id") }))
        .collect();
    shown.insert("segments".into(), json!({ "type": "segment.list", "segments": segments }));
    Value::Object(shown)
}

/// Whether `person` belongs to a segment with this rule and these explicit members.
pub(crate) fn in_segment(rule: SegmentRule, members: &[String], person: &Object) -> bool {
    let id = text(person, "id").map(|id| id.into_owned()).unwrap_or_default();
    if members.contains(&id) {
        return true;
    }
    let kind = Kind::of(person);
    let since =
        |key: &str, days: i64| person.get(key).and_then(Value::as_i64).is_some_and(|at| now() - at <= days * 86_400);
    match rule {
        SegmentRule::ActiveUsers => kind == Some(Kind::User) && since("last_request_at", 30),
        SegmentRule::NewUsers => kind == Some(Kind::User) && since("created_at", 7),
        SegmentRule::NewLeads => kind == Some(Kind::Lead) && since("created_at", 7),
    }
}

/// Whether `person` carries the tag `tag_id`.
pub(crate) fn has_tag(person: &Object, tag_id: &str) -> bool {
    person
        .get("tags")
        .and_then(|tags| tags.get("tags"))
        .and_then(Value::as_array)
        .is_some_and(|tags| tags.iter().any(|tag| tag.get("id").and_then(Value::as_str) == Some(tag_id)))
}

/// The people of `kind` in a listing's order: `sort` (a timestamp field, `created_at` by default), `order`
/// (`desc` by default), and only those created in the last `created_since` days.
pub(crate) fn listed(world: &World, kind: Kind, query: &crate::http::Query) -> Result<Vec<Value>, ApiError> {
    let sort =
        query.one_of("sort", &["created_at", "last_request_at", "signed_up_at", "updated_at"])?.unwrap_or("created_at");
    let descending = query.one_of("order", &["asc", "desc"])? != Some("asc");
    // `created_since` counts days back from now: a negative count is no count.
    let since = query.number_from("created_since", 0)?;
    let mut people: Vec<(usize, &Object)> = all(world, kind)
        .filter(|(_, person)| {
            since.is_none_or(|days| {
                person.get("created_at").and_then(Value::as_i64).is_some_and(|at| now() - at <= days * 86_400)
            })
        })
        .collect();
    let key = |person: &Object| person.get(sort).and_then(Value::as_i64).unwrap_or(0);
    people.sort_by(|(a_index, a), (b_index, b)| key(a).cmp(&key(b)).then(a_index.cmp(b_index)));
    if descending {
        people.reverse();
    }
    Ok(people.into_iter().map(|(_, person)| render(world, person)).collect())
}
