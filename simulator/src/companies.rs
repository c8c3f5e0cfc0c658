//! Companies: the model shared by the company endpoints and by people who join companies.

use serde_json::{Value, json};

use crate::http::ApiError;
use crate::people::{self, Kind};
use crate::validate::{Checks, Members};
use crate::world::{Object, World, now, object, text, typed_list};

/// Checks the types of a company body (`POST /companies`, or an item of a person's `companies` when `nested`,
/// which may also carry `remove`), naming every wrong member; nothing is looked up.
pub(crate) fn check(body: &Members, nested: bool) -> Result<(), ApiError> {
    let mut checks = Checks::default();
    for key in ["id", "company_id"] {
        checks.check(body.id(key));
    }
    for key in ["name", "plan", "website", "industry"] {
        checks.check(body.text(key));
    }
    checks.check(body.number("monthly_spend"));
    checks.check(body.timestamp("remote_created_at"));
    checks.check(body.integer("size"));
    checks.check(body.custom_attributes("custom_attributes"));
    if nested {
        checks.check(body.boolean("remove"));
    }
    checks.done()
}

/// The company a body names, without changing anything: by Intercom's `id` (which must exist: a `404`), else
/// by `company_id` (`None` when no company has it yet); a body with neither is a `422` naming `company_id`.
pub(crate) fn locate(world: &World, body: &Members) -> Result<Option<usize>, ApiError> {
    match (body.id("id")?, body.id("company_id")?) {
        (Some(id), _) => find(world, "id", &id).map(Some).ok_or_else(|| ApiError::not_found("Company Not Found")),
        (None, Some(company_id)) => Ok(find(world, "company_id", &company_id)),
        (None, None) => Err(ApiError::missing(&body.field("company_id"))),
    }
}

/// Creates or updates a company from a body keyed by `company_id` (or Intercom's `id`), and returns the
/// reference people carry: `{"type": "company", "id", "company_id", "name"}`. The body is checked first, so a
/// refused one changes nothing.
pub(crate) fn upsert(world: &mut World, members: &Members) -> Result<Value, ApiError> {
    check(members, false)?;
    let index = locate(world, members)?;
    // Kept as text even when given as a whole number: a `company_id` is a string.
    let company_id = members.id("company_id")?.map(|company_id| company_id.into_owned());
    let body = members.object();
    let index = match index {
        Some(index) => index,
        None => {
            let id = world.new_id();
            let created = now();
            world.companies.push(object(json!({
                "type": "company",
                "id": id,
                "company_id": company_id,
                "name": null,
                "app_id": world.app_id(),
                "created_at": created,
                "remote_created_at": null,
                "updated_at": created,
                "last_request_at": null,
                "monthly_spend": 0,
                "session_count": 0,
                "user_count": 0,
                "plan": null,
                "custom_attributes": {},
                "tags": typed_list("tag", "tags"),
                "segments": typed_list("segment", "segments"),
            })));
            world.companies.len() - 1
        }
    };
    if let Some(attributes) = members.custom_attributes("custom_attributes")? {
        crate::attributes::note(world, crate::attributes::Model::Company, attributes);
    }
    let company = &mut world.companies[index];
    for key in ["name", "monthly_spend", "plan", "remote_created_at", "size", "website", "industry"] {
        if let Some(value) = body.get(key) {
            company.insert(key.to_owned(), value.clone());
        }
    }
    if let Some(attributes) = members.custom_attributes("custom_attributes")? {
        if let Some(Value::Object(stored)) = company.get_mut("custom_attributes") {
            stored.extend(attributes.clone());
        }
    }
    company.insert("updated_at".into(), now().into());
    Ok(json!({
        "type": "company",
        "id": company.get("id"),
        "company_id": company.get("company_id"),
        "name": company.get("name"),
    }))
}

/// The index of the company whose `key` (`id` or `company_id`) is `value`.
pub(crate) fn find(world: &World, key: &str, value: &str) -> Option<usize> {
    world.companies.iter().position(|company| text(company, key).is_some_and(|found| found == value))
}

/// The users who belong to the company with this Intercom id.
pub(crate) fn users_of<'a>(world: &'a World, id: &'a str) -> impl Iterator<Item = &'a Object> + 'a {
    people::all(world, Kind::User).map(|(_, person)| person).filter(move |person| {
        person.get("companies").and_then(|list| list.get("companies")).and_then(Value::as_array).is_some_and(
            |companies| companies.iter().any(|company| company.get("id").and_then(Value::as_str) == Some(id)),
        )
    })
}

/// The company as Intercom returns it, with its current `user_count`.
pub(crate) fn render(world: &World, company: &Object) -> Value {
    let mut shown = company.clone();
    let id = text(company, "id").map(|id| id.into_owned()).unwrap_or_default();
    shown.insert("user_count".into(), users_of(world, &id).count().into());
    Value::Object(shown)
}

/// Deletes the company at `index`: from the workspace, from its people's `companies`, and from the segments it
/// was a member of.
pub(crate) fn remove(world: &mut World, index: usize) {
    let company = world.companies.remove(index);
    let Some(id) = text(&company, "id").map(std::borrow::Cow::into_owned) else { return };
    for person in &mut world.people {
        let reference = json!({ "type": "company", "id": id });
        people::set_membership(person, "companies", "companies", reference, true);
    }
    for segment in &mut world.segments {
        segment.members.retain(|member| *member != id);
    }
}
