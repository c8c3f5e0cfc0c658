//! `/conversations/{id}/customers`: group conversations, to which an admin adds customers (users or leads)
//! and from which it removes them.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::{delete, post};
use serde_json::{Value, json};

use super::conversations::{CUSTOMER_KEYS, admin, admin_ref, customer_ref, find, identifier};
use super::leads;
use super::replies::push_part;
use crate::http::{Answer, ApiError, body, ok};
use crate::people::{self, Kind};
use crate::validate::{Checks, Members};
use crate::world::{Object, Shared, World, lock, now};

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/conversations/{id}/customers", post(add))
        .route("/conversations/{id}/customers/{customer_id}", delete(remove))
}

/// `POST /conversations/{id}/customers` `{"admin_id", "customer": {"intercom_user_id"|"user_id"|"email"}}`: the
/// admin adds the user or lead to the conversation's `customers` (once: adding one already there changes
/// nothing), with a `participant_added` part, and Intercom answers `{"customers": [...]}`. As Intercom
/// documents, a customer named by `intercom_user_id` or `user_id` must have an email (else a `422
/// parameter_invalid`), and an `email` nobody has makes a new lead with that email. Wrong types are a `400`,
/// a missing `admin_id` or `customer` a `422`, an unknown conversation, admin or customer a `404`.
async fn add(State(shared): State<Shared>, Path(id): Path<String>, bytes: Bytes) -> Answer {
    let body = body(&bytes)?;
    let body = Members::of(&body);
    let mut checks = Checks::default();
    checks.check(body.id("admin_id"));
    if let Some(customer) = checks.check(body.member("customer")).flatten() {
        checks.check(customer.id("intercom_user_id"));
        checks.check(customer.id("user_id"));
        checks.check(customer.email("email"));
    }
    checks.done()?;
    let admin_id = body.required_id("admin_id")?;
    let customer = body.required_member("customer")?;
    let mut world = lock(&shared);
    let index = find(&world, &id)?;
    let author = admin_ref(admin(&world, &admin_id)?);
    let person = customer_named(&mut world, &customer)?;
    let added = customer_ref(&world.people[person]);
    let part_id = world.new_number();
    let conversation = &mut world.conversations[index];
    let mut customers = customers_of(conversation);
    if !customers.iter().any(|known| known.get("id") == added.get("id")) {
        customers.push(added);
        set_customers(conversation, &customers, participant_part(part_id, "participant_added", author));
    }
    ok(json!({ "customers": customers }))
}

/// The user or lead the `customer` of a request names, by the first of `intercom_user_id`, `user_id` and
/// `email` it has; an unknown email becomes a new lead.
fn customer_named(world: &mut World, customer: &Members) -> Result<usize, ApiError> {
    let (key, value) = identifier(customer, &CUSTOMER_KEYS)?;
    if key == "email" {
        return Ok(match by_email(world, &value)? {
            Some(index) => index,
            None => {
                let lead = leads::new_lead(world);
                world.people[lead].insert("email".into(), value.into_owned().into());
                lead
            }
        });
    }
    let stored_key = if key == "intercom_user_id" { "id" } else { key };
    let index = match people::find(world, Kind::User, stored_key, &value)? {
        Some(index) => index,
        None => {
            people::find(world, Kind::Lead, stored_key, &value)?.ok_or_else(|| ApiError::not_found("User Not Found"))?
        }
    };
    let has_email = world.people[index].get("email").and_then(Value::as_str).is_some_and(|email| !email.is_empty());
    if !has_email {
        let message = "A customer without an email cannot be added to a conversation: add it by email";
        return Err(ApiError::invalid("parameter_invalid", &customer.field(key), message));
    }
    Ok(index)
}

/// The user with this email, else the oldest lead with it (several leads may share one).
fn by_email(world: &World, email: &str) -> Result<Option<usize>, ApiError> {
    if let Some(user) = people::find(world, Kind::User, "email", email)? {
        return Ok(Some(user));
    }
    let has_it = |person: &Object| {
        person.get("email").and_then(Value::as_str).is_some_and(|found| found.eq_ignore_ascii_case(email))
    };
    Ok(people::all(world, Kind::Lead).find(|(_, lead)| has_it(lead)).map(|(index, _)| index))
}

/// `DELETE /conversations/{id}/customers/{customer_id}` with the JSON body `{"admin_id"}`: the admin removes the
/// customer (by its Intercom id) from the conversation, with a `participant_removed` part; Intercom answers the
/// customers left, `{"customers": [...]}`. If it was the conversation's first customer (`user`), the next one
/// takes its place. A conversation keeps at least one customer: removing the last is a `422
/// parameter_invalid` ("You cannot remove the last remaining contact from a conversation", Intercom's
/// reference). A missing `admin_id` is a `422`, an unknown conversation or admin, or a customer the
/// conversation does not have, a `404`.
async fn remove(State(shared): State<Shared>, Path((id, customer_id)): Path<(String, String)>, bytes: Bytes) -> Answer {
    let body = body(&bytes)?;
    let admin_id = Members::of(&body).required_id("admin_id")?;
    let mut world = lock(&shared);
    let index = find(&world, &id)?;
    let author = admin_ref(admin(&world, &admin_id)?);
    let part_id = world.new_number();
    let conversation = &mut world.conversations[index];
    let mut customers = customers_of(conversation);
    let position = customers
        .iter()
        .position(|customer| customer.get("id").and_then(Value::as_str) == Some(customer_id.as_str()))
        .ok_or_else(|| ApiError::not_found("Customer Not Found: not a customer of this conversation"))?;
    if customers.len() == 1 {
        let message = "You cannot remove the last remaining customer from a conversation";
        return Err(ApiError::invalid("parameter_invalid", "customer_id", message));
    }
    customers.remove(position);
    let first = customers.first().cloned().unwrap_or_default();
    let was_first =
        conversation.get("user").and_then(|user| user.get("id")).and_then(Value::as_str) == Some(customer_id.as_str());
    if was_first {
        conversation.insert("user".into(), first);
    }
    set_customers(conversation, &customers, participant_part(part_id, "participant_removed", author));
    ok(json!({ "customers": customers }))
}

/// The conversation's `customers`.
fn customers_of(conversation: &Object) -> Vec<Value> {
    conversation.get("customers").and_then(Value::as_array).cloned().unwrap_or_default()
}

/// Stores the conversation's new `customers`, with the part that says who changed them and why.
fn set_customers(conversation: &mut Object, customers: &[Value], part: Value) {
    conversation.insert("customers".into(), Value::Array(customers.to_vec()));
    push_part(conversation, part);
    conversation.insert("updated_at".into(), now().into());
}

/// A part saying an admin added or removed a customer.
fn participant_part(id: String, part_type: &str, author: Value) -> Value {
    let at = now();
    json!({
        "type": "conversation_part",
        "id": id,
        "part_type": part_type,
        "body": null,
        "created_at": at,
        "updated_at": at,
        "notified_at": at,
        "assigned_to": null,
        "author": author,
        "attachments": [],
        "external_id": null,
    })
}
