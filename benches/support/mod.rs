//! What the benchmarks share: realistic Intercom bodies, the hand-written code each figure is compared
//! with, local servers on 127.0.0.1, and the report of ratios.
//!
//! Every figure of the suite is a ratio against a baseline measured in the same run: what a user would write
//! by hand with `serde_json` and `reqwest` for the same bytes on the wire.

// Each bench target uses a part of this module; what one leaves unused is not dead.
#![allow(dead_code)]

pub mod baseline;
pub mod report;
pub mod server;

use serde_json::{Value, json};

/// The access token every benchmark client sends (to a server on 127.0.0.1 only).
pub const TOKEN: &str = "bench-token-not-a-secret";

/// A realistic user as Intercom v1 sends it, every member filled, told apart by `n`.
pub fn user(n: usize) -> Value {
    // In parts: one `json!` of it all would pass the macro's recursion limit.
    let location_data = json!({
        "type": "location_data",
        "city_name": "Dublin",
        "continent_code": "EU",
        "country_code": "IRL",
        "country_name": "Ireland",
        "latitude": 53.159_233,
        "longitude": -6.723,
        "postal_code": null,
        "region_name": "Dublin",
        "timezone": "Europe/Dublin"
    });
    let lists = json!({
        "social_profiles": {
            "type": "social_profile.list",
            "social_profiles": [
                { "type": "social_profile", "name": "Twitter", "id": "1235d3213", "username": "th1sland",
                  "url": "http://twitter.com/th1sland" }
            ]
        },
        "companies": {
            "type": "company.list",
            "companies": [{ "type": "company", "company_id": "6", "id": "531ee472cce572a6ec000006", "name": "Blue Sun" }]
        },
        "segments": { "type": "segment.list", "segments": [{ "type": "segment", "id": "5310d8e7598c9a0b24000002" }] },
        "tags": { "type": "tag.list", "tags": [{ "type": "tag", "id": "202", "name": "Independent" }] }
    });
    let mut user = json!({
        "type": "user",
        "id": format!("5310d8e8598c9a0b{n:08}"),
        "user_id": format!("{n}"),
        "email": format!("user{n}@serenity.io"),
        "phone": "+1123456789",
        "name": "Hoban Washburne",
        "pseudonym": null,
        "anonymous": false,
        "app_id": "ja43hiec",
        "avatar": { "type": "avatar", "image_url": "https://example.org/128Wash.jpg" },
        "created_at": 1_392_734_388,
        "updated_at": 1_392_734_388 + n,
        "signed_up_at": 1_392_731_331,
        "remote_created_at": 1_392_731_331,
        "last_request_at": 1_397_574_667,
        "last_seen_ip": "1.2.3.4",
        "user_agent_data": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.9)",
        "session_count": 179,
        "unsubscribed_from_emails": false,
        "marked_email_as_spam": false,
        "has_hard_bounced": false,
        "do_not_track": null,
        "referrer": "https://example.org",
        "owner_id": "321452",
        "utm_campaign": null,
        "utm_content": null,
        "utm_medium": "email",
        "utm_source": "newsletter",
        "utm_term": null,
        "custom_attributes": { "paid_subscriber": true, "monthly_spend": 155.5, "team_mates": 1 },
        "location_data": location_data
    });
    if let (Some(user), Value::Object(lists)) = (user.as_object_mut(), lists) {
        user.extend(lists);
    }
    user
}

/// A `GET /users` page of `count` users, as bytes.
pub fn user_page(count: usize) -> Vec<u8> {
    let users: Vec<Value> = (0..count).map(user).collect();
    let page = json!({
        "type": "user.list",
        "users": users,
        "total_count": 10_000,
        "pages": { "type": "pages", "page": 1, "per_page": count, "total_pages": 10_000 / count.max(1),
                   "next": "https://api.intercom.io/users?page=2&per_page=50" }
    });
    to_wire(&page)
}

/// A JSON value written as Intercom writes it: `type` first in every object, which the client reads to tell
/// an error list from a result without reading the rest twice. (`serde_json::Value` alone sorts its members.)
pub fn to_wire(value: &Value) -> Vec<u8> {
    serde_json::to_vec(&TypeFirst(value)).expect("a JSON value encodes")
}

struct TypeFirst<'a>(&'a Value);

impl serde::Serialize for TypeFirst<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self.0 {
            Value::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                let kind = members.get_key_value("type");
                for (name, member) in kind.into_iter().chain(members.iter().filter(|(name, _)| *name != "type")) {
                    map.serialize_entry(name, &TypeFirst(member))?;
                }
                map.end()
            }
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&TypeFirst(item))?;
                }
                seq.end()
            }
            scalar => scalar.serialize(serializer),
        }
    }
}
