//! Whatever a request carries, the simulator answers it: malformed bodies and odd queries on every route get
//! an Intercom-shaped answer, never a dropped connection or a server error.

use intercom_rest::simulator::Simulator;
use serde_json::Value;

const ROUTES: &[(&str, &str)] = &[
    ("POST", "/auth/eagle/token"),
    ("GET", "/users"),
    ("POST", "/users"),
    ("DELETE", "/users"),
    ("GET", "/users/scroll"),
    ("GET", "/users/x"),
    ("DELETE", "/users/x"),
    ("GET", "/contacts"),
    ("POST", "/contacts"),
    ("DELETE", "/contacts"),
    ("POST", "/contacts/convert"),
    ("GET", "/contacts/scroll"),
    ("GET", "/contacts/x"),
    ("GET", "/companies"),
    ("POST", "/companies"),
    ("GET", "/companies/scroll"),
    ("GET", "/admins"),
    ("GET", "/admins/x"),
    ("GET", "/me"),
    ("GET", "/tags"),
    ("POST", "/tags"),
    ("DELETE", "/tags/x"),
    ("GET", "/segments"),
    ("GET", "/segments/x"),
    ("GET", "/notes"),
    ("POST", "/notes"),
    ("GET", "/notes/x"),
    ("GET", "/events"),
    ("POST", "/events"),
    ("GET", "/counts"),
    ("POST", "/messages"),
    ("GET", "/conversations"),
    ("GET", "/conversations/x"),
    ("PUT", "/conversations/x"),
    ("POST", "/conversations/x/reply"),
    ("POST", "/conversations/last/reply"),
    ("GET", "/visitors"),
    ("PUT", "/visitors"),
    ("DELETE", "/visitors"),
    ("GET", "/visitors/x"),
    ("POST", "/visitors/convert"),
    ("GET", "/subscriptions"),
    ("POST", "/subscriptions"),
    ("GET", "/subscriptions/x"),
    ("POST", "/subscriptions/x"),
    ("DELETE", "/subscriptions/x"),
    ("POST", "/subscriptions/x/ping"),
    ("GET", "/subscriptions/x/sent"),
    ("GET", "/subscriptions/x/error"),
    ("POST", "/bulk/users"),
    ("POST", "/bulk/contacts"),
    ("POST", "/bulk/events"),
    ("GET", "/jobs/x"),
    ("GET", "/jobs/x/error"),
    ("GET", "/teams"),
    ("GET", "/teams/x"),
    ("PUT", "/admins/x/away"),
    ("GET", "/admins/activity_logs"),
    ("GET", "/data_attributes"),
    ("GET", "/data_attributes/customer"),
    ("POST", "/conversations/x/customers"),
    ("DELETE", "/conversations/x/customers/y"),
    ("POST", "/user_delete_requests"),
    ("GET", "/companies/x"),
    ("GET", "/companies/x/users"),
    ("DELETE", "/companies/x"),
    ("PUT", "/contacts"),
    ("DELETE", "/visitors/x"),
    ("PATCH", "/users"),
    ("PUT", "/admins"),
    ("GET", "/no/such/route"),
];

const BODIES: &[&str] = &[
    "",
    "null",
    "[]",
    "{}",
    "{\"a\":",
    "\u{0}\u{1}binary",
    r#"{"email": 5, "user_id": {}, "id": [], "name": null, "companies": {}, "tags": "x", "segments": 3}"#,
    r#"{"user": 5, "users": "x", "companies": [1, null, {"remove": "yes"}], "items": [1, null, {"method": 2}]}"#,
    r#"{"from": "admin", "to": [], "message_type": 7, "body": {}, "type": 3, "contact": "x", "visitor": null}"#,
    r#"{"url": 5, "topics": "x", "metadata": [], "created_at": "soon", "event_name": {}, "read": "maybe"}"#,
    r#"{"custom_attributes": [], "location_data": 5, "avatar": "x", "social_profiles": {}, "new_session": "yes"}"#,
];

const QUERIES: &[&str] = &[
    "",
    "page=-1&per_page=0",
    "per_page=99999999999999999999",
    "type=x&count=y",
    "type=user&user_id=&email=%FF",
    "scroll_param=nope",
    "tag_id=x&segment_id=y&sort=nope&order=sideways&created_since=abc",
    "type=admin&admin_id=x&open=maybe",
    "summary=true&type=user&user_id=nobody",
];

#[tokio::test]
async fn every_route_answers_every_malformed_request() {
    let simulator = Simulator::start().await.unwrap();
    let http = reqwest::Client::new();
    let mut failures = Vec::new();
    for (method, path) in ROUTES {
        for body in BODIES {
            for query in QUERIES {
                let url = format!("{}{path}?{query}", simulator.base_url());
                let request = http
                    .request(method.parse().unwrap(), url)
                    .bearer_auth(simulator.access_token())
                    .header("content-type", "application/json")
                    .body(*body);
                let attempt = format!("{method} {path}?{query} with {body:?}");
                match request.send().await {
                    Err(error) => failures.push(format!("{attempt}: no answer ({error})")),
                    Ok(response) if response.status().is_server_error() => {
                        failures.push(format!("{attempt}: {}", response.status()));
                    }
                    Ok(response) => {
                        let status = response.status();
                        let text = response.text().await.unwrap_or_default();
                        if status.is_client_error() {
                            let answer: Value = serde_json::from_str(&text).unwrap_or_default();
                            if answer["type"] != "error.list" {
                                failures.push(format!("{attempt}: {status} without an error.list: {text}"));
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} requests went wrong, e.g.:\n{}",
        failures.len(),
        failures[..failures.len().min(10)].join("\n")
    );
}
