//! Data attributes: the standard attributes of people (`customer`) and companies, and the custom attributes the
//! workspace has, as `GET /data_attributes` describes them.
//!
//! Intercom creates a custom attribute the first time a value is written under a new name, and gives it the
//! type of that value: `string`, `integer`, `float` or `boolean`, or `date` for a whole number under a name
//! ending in `_at` (Intercom's rule for dates). The attribute stays once created, even when nobody holds it
//! any more. A value of `null` says nothing of the type, so it creates nothing.

use serde_json::{Value, json};

use crate::world::{Object, World, now};

/// What a data attribute describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Model {
    /// Users and leads (and visitors).
    Customer,
    Company,
}

impl Model {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Model::Customer => "customer",
            Model::Company => "company",
        }
    }
}

/// A custom attribute of the workspace.
#[derive(Debug, Clone)]
pub(crate) struct CustomAttribute {
    pub model: Model,
    pub name: String,
    pub data_type: &'static str,
    pub archived: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The standard attributes: `(name, full name, label, description, data type, writable through the API)`.
type Standard = (&'static str, &'static str, &'static str, &'static str, &'static str, bool);

const CUSTOMER: &[Standard] = &[
    ("name", "name", "Name", "The name of a user or lead.", "string", true),
    ("email", "email", "Email", "The email address of a user or lead.", "string", true),
    ("user_id", "user_id", "User ID", "The id you gave the user.", "string", true),
    ("phone", "phone", "Phone", "The phone number of a user or lead.", "string", true),
    ("signed_up_at", "signed_up_at", "Signed up", "When the user signed up.", "date", true),
    ("last_request_at", "last_request_at", "Last seen", "When the user or lead was last seen.", "date", true),
    ("created_at", "created_at", "First seen", "When Intercom first saw the user or lead.", "date", false),
    ("session_count", "session_count", "Web sessions", "How many sessions the user or lead had.", "integer", false),
    (
        "unsubscribed_from_emails",
        "unsubscribed_from_emails",
        "Unsubscribed from emails",
        "Whether the user or lead unsubscribed from emails.",
        "boolean",
        true,
    ),
    (
        "last_seen_ip",
        "last_seen_ip",
        "Last seen IP",
        "The IP address the user or lead was last seen from.",
        "string",
        true,
    ),
    ("owner_id", "owner_id", "Owner", "The admin who owns the user or lead.", "integer", true),
    ("city_name", "location_data.city_name", "City", "The city of the user or lead.", "string", false),
    ("country_name", "location_data.country_name", "Country", "The country of the user or lead.", "string", false),
    ("utm_source", "utm_source", "UTM Source", "The utm_source of the visit that brought them.", "string", false),
];

const COMPANY: &[Standard] = &[
    ("name", "name", "Company name", "The name of the company.", "string", true),
    ("company_id", "company_id", "Company ID", "The id you gave the company.", "string", true),
    ("monthly_spend", "monthly_spend", "Monthly Spend", "How much the company pays you a month.", "float", true),
    ("plan", "plan", "Plan", "The plan the company is on.", "string", true),
    ("size", "size", "Company size", "How many employees the company has.", "integer", true),
    ("website", "website", "Company website", "The website of the company.", "string", true),
    ("industry", "industry", "Company industry", "The industry the company works in.", "string", true),
    ("session_count", "session_count", "Company web sessions", "All its people's sessions.", "integer", false),
    ("user_count", "user_count", "People", "How many users the company has.", "integer", false),
    ("last_request_at", "last_request_at", "Company last seen", "When one of its people was last seen.", "date", false),
    ("remote_created_at", "remote_created_at", "Company created at", "When you created the company.", "date", true),
    ("created_at", "created_at", "First seen", "When Intercom first saw the company.", "date", false),
];

/// Notes the custom attributes in `attributes` written on a person or company of `model`: a name not seen
/// before becomes an attribute of the type of its value.
pub(crate) fn note(world: &mut World, model: Model, attributes: &Object) {
    for (name, value) in attributes {
        let Some(data_type) = data_type(name, value) else { continue };
        if !world.custom_attributes.iter().any(|known| known.model == model && known.name == *name) {
            add(world, model, name, data_type, false);
        }
    }
}

/// Adds a custom attribute (the seed adds archived ones).
pub(crate) fn add(world: &mut World, model: Model, name: &str, data_type: &'static str, archived: bool) {
    let at = now();
    world.custom_attributes.push(CustomAttribute {
        model,
        name: name.to_owned(),
        data_type,
        archived,
        created_at: at,
        updated_at: at,
    });
}

/// The type Intercom gives an attribute first written with `value`, if it says.
fn data_type(name: &str, value: &Value) -> Option<&'static str> {
    match value {
        Value::String(_) => Some("string"),
        Value::Bool(_) => Some("boolean"),
        Value::Number(number) if number.is_i64() || number.is_u64() => {
            Some(if name.ends_with("_at") { "date" } else { "integer" })
        }
        Value::Number(_) => Some("float"),
        _ => None,
    }
}

/// The data attributes of `model` (standard ones first, then custom ones in the order they were created);
/// archived custom attributes only when asked for.
pub(crate) fn listed(world: &World, model: Model, include_archived: bool) -> Vec<Value> {
    let standard = match model {
        Model::Customer => CUSTOMER,
        Model::Company => COMPANY,
    };
    let standard = standard.iter().map(|(name, full_name, label, description, data_type, api_writable)| {
        json!({
            "type": "data_attribute",
            "model": model.name(),
            "name": name,
            "full_name": full_name,
            "label": label,
            "description": description,
            "data_type": data_type,
            "api_writable": api_writable,
            "messenger_writable": model == Model::Customer && *api_writable,
            "ui_writable": *api_writable,
            "custom": false,
            "archived": false,
        })
    });
    let custom = world
        .custom_attributes
        .iter()
        .filter(|attribute| attribute.model == model && (include_archived || !attribute.archived))
        .map(|attribute| {
            json!({
                "type": "data_attribute",
                "model": model.name(),
                "name": attribute.name,
                "full_name": format!("custom_attributes.{}", attribute.name),
                "label": attribute.name,
                "description": "",
                "data_type": attribute.data_type,
                "api_writable": true,
                "messenger_writable": false,
                "ui_writable": true,
                "custom": true,
                "archived": attribute.archived,
                "created_at": attribute.created_at,
                "updated_at": attribute.updated_at,
            })
        });
    standard.chain(custom).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_follow_the_first_value() {
        assert_eq!(data_type("plan", &json!("pro")), Some("string"));
        assert_eq!(data_type("seats", &json!(3)), Some("integer"));
        assert_eq!(data_type("paid_at", &json!(1_714_557_600)), Some("date"));
        assert_eq!(data_type("ratio", &json!(0.5)), Some("float"));
        assert_eq!(data_type("vip", &json!(true)), Some("boolean"));
        assert_eq!(data_type("gone", &Value::Null), None);
    }
}
