//! The simulator checks the types of what it is sent, as Intercom does: a body member of the wrong JSON type is
//! a `400 type_mismatch`, a malformed value a `400 parameter_invalid`, both naming the field, and nothing of a
//! refused request is stored. Well-typed requests still work. Sent as raw HTTP, since a typed client would not
//! send most of these.

mod common;

use common::{Api, INVALID, MISSING, TYPE};
use intercom_simulator::{OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET};
use serde_json::{Value, json};

/// Asserts that `answer` is an `error.list` with a request id, answered with `status`, whose errors are exactly
/// these `(code, field)` pairs, in order.
#[track_caller]
fn assert_errors(answer: &(u16, Value), status: u16, expected: &[(&str, &str)]) {
    let (got, body) = answer;
    assert_eq!(*got, status, "{body}");
    assert_eq!(body["type"], "error.list", "{body}");
    assert!(body["request_id"].as_str().is_some_and(|id| !id.is_empty()), "{body}");
    let errors: Vec<(&str, &str)> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|error| (error["code"].as_str().unwrap_or_default(), error["field"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(errors, expected, "{body}");
    assert!(body["errors"].as_array().expect("errors").iter().all(|error| error["message"].is_string()), "{body}");
}

/// Asserts a refusal with one error.
#[track_caller]
fn assert_error(answer: &(u16, Value), status: u16, code: &str, field: &str) {
    assert_errors(answer, status, &[(code, field)]);
}

#[tokio::test]
async fn a_user_with_wrong_types_is_refused_and_not_stored() {
    let api = Api::start().await;
    let answer = api.post("/users", json!({ "email": 5, "user_id": [1] })).await;
    assert_errors(&answer, 400, &[(TYPE, "email"), (TYPE, "user_id")]);
    assert_eq!(api.count("user").await, 0, "nothing was stored");
    assert_eq!(api.fetch("/users").await["total_count"], 0);

    for (body, code, field) in [
        (json!({ "user_id": "u", "custom_attributes": { "plan": { "name": "pro" } } }), TYPE, "custom_attributes.plan"),
        (json!({ "user_id": "u", "custom_attributes": { "seats": [1, 2] } }), TYPE, "custom_attributes.seats"),
        (json!({ "user_id": "u", "custom_attributes": "plan=pro" }), TYPE, "custom_attributes"),
        (json!({ "user_id": "u", "custom_attributes": { "a.b": 1 } }), INVALID, "custom_attributes.a.b"),
        (json!({ "user_id": "u", "custom_attributes": { "$plan": 1 } }), INVALID, "custom_attributes.$plan"),
        (json!({ "user_id": "u", "custom_attributes": { "bio": "x".repeat(256) } }), INVALID, "custom_attributes.bio"),
        (json!({ "user_id": "u", "signed_up_at": "2024-05-01" }), TYPE, "signed_up_at"),
        (json!({ "user_id": "u", "last_request_at": 1_714_557_600.5 }), TYPE, "last_request_at"),
        (json!({ "user_id": "u", "remote_created_at": "1714557600" }), TYPE, "remote_created_at"),
        (json!({ "user_id": "u", "unsubscribed_from_emails": "true" }), TYPE, "unsubscribed_from_emails"),
        (json!({ "user_id": "u", "update_last_request_at": null }), TYPE, "update_last_request_at"),
        (json!({ "user_id": "u", "new_session": 1 }), TYPE, "new_session"),
        (json!({ "user_id": "u", "name": { "first": "Ann" } }), TYPE, "name"),
        (json!({ "user_id": "u", "phone": 353_1555 }), TYPE, "phone"),
        (json!({ "user_id": 1.5 }), TYPE, "user_id"),
        (json!({ "email": "not-an-email" }), INVALID, "email"),
        (json!({ "user_id": "u", "companies": { "company_id": "c" } }), TYPE, "companies"),
        (json!({ "user_id": "u", "companies": ["c"] }), TYPE, "companies[0]"),
        (
            json!({ "user_id": "u", "companies": [{ "company_id": "c", "monthly_spend": "lots" }] }),
            TYPE,
            "companies[0].monthly_spend",
        ),
        (json!({ "user_id": "u", "companies": [{ "company_id": "c", "remove": "yes" }] }), TYPE, "companies[0].remove"),
        (
            json!({ "user_id": "u", "companies": [{ "company_id": "c", "custom_attributes": { "x": {} } }] }),
            TYPE,
            "companies[0].custom_attributes.x",
        ),
    ] {
        assert_error(&api.post("/users", body.clone()).await, 400, code, field);
    }
    assert_eq!((api.count("user").await, api.count("company").await), (0, 0), "nothing was stored");

    // A company item without an identifier, or naming an unknown company, refuses the whole request too:
    // neither the user nor the other companies are created.
    let answer =
        api.post("/users", json!({ "user_id": "u", "companies": [{ "company_id": "new" }, { "name": "?" }] })).await;
    assert_error(&answer, 422, MISSING, "companies[1].company_id");
    let answer =
        api.post("/users", json!({ "user_id": "u", "companies": [{ "company_id": "new" }, { "id": "nope" }] })).await;
    assert_eq!((answer.0, answer.1["errors"][0]["code"].as_str()), (404, Some("not_found")), "{}", answer.1);
    assert_eq!((api.count("user").await, api.count("company").await), (0, 0), "nothing was stored");
}

#[tokio::test]
async fn a_refused_update_leaves_the_user_as_it_was() {
    let api = Api::start().await;
    api.create("/users", json!({ "user_id": "keep", "name": "Kept", "custom_attributes": { "plan": "pro" } })).await;
    let answer = api
        .post(
            "/users",
            json!({ "user_id": "keep", "name": "Changed", "custom_attributes": { "plan": "free", "x": [1] } }),
        )
        .await;
    assert_error(&answer, 400, TYPE, "custom_attributes.x");
    let user = api.fetch("/users?user_id=keep").await;
    assert_eq!((&user["name"], &user["custom_attributes"]), (&json!("Kept"), &json!({ "plan": "pro" })));
}

#[tokio::test]
async fn well_typed_users_are_stored_with_ids_as_text() {
    let api = Api::start().await;
    let user = api
        .create(
            "/users",
            json!({
                "user_id": 42,
                "email": "ann@example.com",
                "name": null,
                "signed_up_at": 1_714_557_600,
                "last_request_at": null,
                "unsubscribed_from_emails": true,
                "new_session": true,
                "custom_attributes": { "plan": "pro", "seats": 3, "ratio": 0.5, "paid": true, "gone": null },
                "companies": [{ "company_id": 7, "name": "Seven", "monthly_spend": 12.5, "size": 3, "remove": false }],
            }),
        )
        .await;
    assert_eq!(user["user_id"], "42", "a whole-number user_id is kept as text: {user}");
    assert_eq!((&user["signed_up_at"], &user["unsubscribed_from_emails"]), (&json!(1_714_557_600), &json!(true)));
    assert_eq!(
        user["custom_attributes"],
        json!({ "plan": "pro", "seats": 3, "ratio": 0.5, "paid": true, "gone": null })
    );
    assert_eq!(user["companies"]["companies"][0]["company_id"], "7");
    assert_eq!(api.fetch("/users?user_id=42").await["id"], user["id"], "found by its text");
}

#[tokio::test]
async fn leads_and_conversions_check_their_types() {
    let api = Api::start().await;
    for (body, code, field) in [
        (json!({ "name": ["Lee"] }), TYPE, "name"),
        (json!({ "user_id": {} }), TYPE, "user_id"),
        (json!({ "avatar": "https://example.com/a.png" }), TYPE, "avatar"),
        (json!({ "avatar": { "image_url": 5 } }), TYPE, "avatar.image_url"),
        (json!({ "location_data": { "city_name": { "name": "Dublin" } } }), TYPE, "location_data.city_name"),
        (json!({ "location_data": "Dublin" }), TYPE, "location_data"),
        (json!({ "social_profiles": { "name": "twitter" } }), TYPE, "social_profiles"),
        (json!({ "social_profiles": [{ "name": "twitter", "id": { "n": 1 } }] }), TYPE, "social_profiles[0].id"),
        (json!({ "tags": ["1"] }), TYPE, "tags"),
        (json!({ "tags": { "type": "tag.list", "tags": "1" } }), TYPE, "tags.tags"),
        (
            json!({ "segments": { "type": "segment.list", "segments": [{ "name": "New" }] } }),
            MISSING,
            "segments.segments[0].id",
        ),
        (json!({ "custom_attributes": { "source": { "utm": "x" } } }), TYPE, "custom_attributes.source"),
    ] {
        let status = if code == MISSING { 422 } else { 400 };
        assert_error(&api.post("/contacts", body.clone()).await, status, code, field);
    }
    assert_eq!(api.fetch("/contacts").await["total_count"], 0, "no lead was created");

    let lead = api.create("/contacts", json!({ "user_id": "lead-1", "email": "lee@example.com" })).await;
    assert_eq!(lead["type"], "contact");
    for (body, field) in [
        (json!({ "contact": "lead-1" }), "contact"),
        (json!({ "contact": { "user_id": ["lead-1"] } }), "contact.user_id"),
        (json!({ "contact": { "user_id": "lead-1" }, "user": "u-1" }), "user"),
        (json!({ "contact": { "user_id": "lead-1" }, "user": { "email": 5 } }), "user.email"),
    ] {
        assert_error(&api.post("/contacts/convert", body).await, 400, TYPE, field);
    }
    let answer =
        api.post("/contacts/convert", json!({ "contact": { "user_id": "lead-1" }, "user": { "email": "x" } })).await;
    assert_error(&answer, 400, INVALID, "user.email");
    assert_eq!(api.fetch("/contacts?user_id=lead-1").await["type"], "contact", "still a lead");
    assert_eq!(api.count("user").await, 0);
}

#[tokio::test]
async fn visitors_check_their_types() {
    let api = Api::start().await;
    let api = &api;
    let update = |body: Value| async move { api.send("PUT", "/visitors", Some(&body)).await };
    let answer = update(json!({ "user_id": "visitor-0001", "last_request_at": "yesterday" })).await;
    assert_error(&answer, 400, TYPE, "last_request_at");
    let answer = update(json!({ "user_id": "visitor-0001", "unsubscribed_from_emails": "no", "name": 5 })).await;
    assert_errors(&answer, 400, &[(TYPE, "name"), (TYPE, "unsubscribed_from_emails")]);
    // A malformed body is refused before the visitor is looked for.
    assert_error(&update(json!({ "user_id": "nobody", "name": 5 })).await, 400, TYPE, "name");
    let visitor = api.fetch("/visitors?user_id=visitor-0001").await;
    assert_eq!((&visitor["last_request_at"], &visitor["name"]), (&Value::Null, &Value::Null), "unchanged");

    let convert = |body: Value| async move { api.post("/visitors/convert", body).await };
    assert_error(&convert(json!({ "type": 5, "visitor": { "user_id": "visitor-0001" } })).await, 400, TYPE, "type");
    let answer =
        convert(json!({ "type": "lead", "visitor": { "user_id": "visitor-0001" }, "contact": { "user_id": [1] } }))
            .await;
    assert_error(&answer, 400, TYPE, "contact.user_id");
    let answer = convert(json!({ "type": "robot", "visitor": { "user_id": "visitor-0001" } })).await;
    assert_error(&answer, 422, INVALID, "type");
    assert_eq!(api.fetch("/visitors?user_id=visitor-0001").await["type"], "visitor", "still a visitor");

    let updated = update(json!({ "user_id": "visitor-0001", "last_request_at": 1_714_557_600, "name": "Fox" })).await;
    assert_eq!((updated.0, &updated.1["last_request_at"]), (200, &json!(1_714_557_600)), "{}", updated.1);
}

#[tokio::test]
async fn companies_check_their_types() {
    let api = Api::start().await;
    for (body, field) in [
        (json!({ "company_id": "c1", "name": 5 }), "name"),
        (json!({ "company_id": 1.5, "name": "One" }), "company_id"),
        (json!({ "company_id": "c1", "monthly_spend": "100" }), "monthly_spend"),
        (json!({ "company_id": "c1", "size": 2.5 }), "size"),
        (json!({ "company_id": "c1", "plan": { "name": "pro" } }), "plan"),
        (json!({ "company_id": "c1", "remote_created_at": "2020-01-01" }), "remote_created_at"),
        (json!({ "company_id": "c1", "custom_attributes": { "tier": { "gold": true } } }), "custom_attributes.tier"),
    ] {
        assert_error(&api.post("/companies", body).await, 400, TYPE, field);
    }
    assert_error(&api.post("/companies", json!({ "name": "Nameless" })).await, 422, MISSING, "company_id");
    assert_eq!(api.count("company").await, 0, "nothing was stored");

    let company = api
        .create("/companies", json!({ "company_id": 99, "name": "Ninety-nine", "monthly_spend": 10, "size": 4 }))
        .await;
    assert_eq!((&company["company_id"], &company["size"]), (&json!("99"), &json!(4)));
    assert_eq!(api.fetch("/companies?company_id=99").await["id"], company["id"]);
}

#[tokio::test]
async fn taggings_check_their_types() {
    let api = Api::start().await;
    api.create("/users", json!({ "user_id": "t-1" })).await;
    for (body, field) in [
        (json!({ "name": 5 }), "name"),
        (json!({ "name": "VIP", "id": true }), "id"),
        (json!({ "name": "VIP", "users": { "user_id": "t-1" } }), "users"),
        (json!({ "name": "VIP", "users": ["t-1"] }), "users[0]"),
        (
            json!({ "name": "VIP", "users": [{ "user_id": "t-1" }, { "user_id": "t-1", "untag": "yes" }] }),
            "users[1].untag",
        ),
        (json!({ "name": "VIP", "users": [{ "email": ["t@example.com"] }] }), "users[0].email"),
        (json!({ "name": "VIP", "companies": [{ "company_id": {} }] }), "companies[0].company_id"),
    ] {
        assert_error(&api.post("/tags", body).await, 400, TYPE, field);
    }
    assert_eq!(api.fetch("/tags").await["tags"], json!([]), "no tag was created");
    let user = api.fetch("/users?user_id=t-1").await;
    assert_eq!(user["tags"]["tags"], json!([]), "nobody was tagged");

    let tag = api.create("/tags", json!({ "name": "VIP", "users": [{ "user_id": "t-1" }] })).await;
    assert_eq!(tag["name"], "VIP");
    let id: u64 = tag["id"].as_str().and_then(|id| id.parse().ok()).expect("a numeric tag id");
    let renamed = api.create("/tags", json!({ "id": id, "name": "Key" })).await;
    assert_eq!((&renamed["id"], &renamed["name"]), (&tag["id"], &json!("Key")), "a tag id may come as a number");
}

#[tokio::test]
async fn events_check_their_types_and_metadata() {
    let api = Api::start().await;
    api.create("/users", json!({ "user_id": "e-1" })).await;
    let answer = api
        .post(
            "/events",
            json!({ "event_name": 5, "created_at": "now", "user_id": "e-1", "metadata": { "tags": ["a"] } }),
        )
        .await;
    assert_errors(&answer, 400, &[(TYPE, "event_name"), (TYPE, "created_at"), (TYPE, "metadata.tags")]);
    let event =
        |metadata: Value| json!({ "event_name": "paid", "created_at": 1, "user_id": "e-1", "metadata": metadata });
    for (body, status, code, field) in [
        (event(json!("x")), 400, TYPE, "metadata"),
        (event(json!({ "nested": { "x": 1 } })), 400, TYPE, "metadata.nested"),
        (event(json!({ "price": { "amount": "12", "currency": "eur" } })), 400, TYPE, "metadata.price.amount"),
        (event(json!({ "price": { "amount": 1200 } })), 422, MISSING, "metadata.price.currency"),
        (event(json!({ "link": { "url": 5, "value": "Order" } })), 400, TYPE, "metadata.link.url"),
        (json!({ "event_name": "paid", "created_at": 1.5, "user_id": "e-1" }), 400, TYPE, "created_at"),
        (json!({ "event_name": "paid", "created_at": 1, "user_id": ["e-1"] }), 400, TYPE, "user_id"),
        (json!({ "event_name": "paid", "created_at": 1, "email": 5 }), 400, TYPE, "email"),
    ] {
        assert_error(&api.post("/events", body).await, status, code, field);
    }
    assert_eq!(api.fetch("/events?type=user&user_id=e-1").await["events"], json!([]), "no event was recorded");

    let metadata = json!({
        "link": { "url": "https://example.com/orders/1", "value": "Order 1" },
        "price": { "amount": 1200, "currency": "eur" },
        "items": 2,
        "gift": false,
        "note": null,
    });
    assert_eq!(api.post("/events", event(metadata.clone())).await, (202, Value::Null));
    assert_eq!(api.fetch("/events?type=user&user_id=e-1").await["events"][0]["metadata"], metadata);

    assert_error(&api.get("/events?type=user&user_id=e-1&summary=maybe").await, 400, INVALID, "summary");
    assert_error(&api.get("/events?type=admin&user_id=e-1").await, 400, INVALID, "type");
    assert_error(&api.get("/events?user_id=e-1").await, 422, MISSING, "type");
}

#[tokio::test]
async fn notes_check_their_types() {
    let api = Api::start().await;
    api.create("/users", json!({ "user_id": "n-1" })).await;
    for (body, field) in [
        (json!({ "user": "n-1", "body": "Hi" }), "user"),
        (json!({ "user": { "user_id": "n-1" }, "body": { "html": "<p>Hi</p>" } }), "body"),
        (json!({ "user": { "user_id": "n-1" }, "body": "Hi", "admin_id": true }), "admin_id"),
        (json!({ "user": { "email": 5 }, "body": "Hi" }), "user.email"),
    ] {
        assert_error(&api.post("/notes", body).await, 400, TYPE, field);
    }
    assert_eq!(api.fetch("/notes?user_id=n-1").await["notes"], json!([]), "no note was written");

    // Admin ids are numbers in places: one given as a whole number names the same admin.
    let admin = api.admin_id().await;
    let number: u64 = admin.parse().expect("a numeric admin id");
    let note = api.create("/notes", json!({ "user": { "user_id": "n-1" }, "body": "Hi", "admin_id": number })).await;
    assert_eq!(note["author"]["id"], admin.as_str());
}

#[tokio::test]
async fn messages_check_their_types() {
    let api = Api::start().await;
    api.create("/users", json!({ "user_id": "m-1" })).await;
    let admin = api.admin_id().await;
    let answer = api
        .post("/messages", json!({ "from": "admin", "to": { "type": "user", "user_id": "m-1" }, "body": "Hi" }))
        .await;
    assert_error(&answer, 400, TYPE, "from");
    let answer = api
        .post(
            "/messages",
            json!({
                "message_type": 7,
                "body": { "text": "Hi" },
                "from": { "type": "admin", "id": admin },
                "to": { "type": "user", "user_id": "m-1" },
            }),
        )
        .await;
    assert_errors(&answer, 400, &[(TYPE, "message_type"), (TYPE, "body")]);
    for (body, field) in [
        (json!({ "from": { "type": ["user"], "user_id": "m-1" }, "body": "Hi" }), "from.type"),
        (json!({ "from": { "type": "user", "user_id": ["m-1"] }, "body": "Hi" }), "from.user_id"),
        (json!({ "from": { "type": "admin", "id": admin }, "to": [], "message_type": "inapp", "body": "Hi" }), "to"),
        (
            json!({ "from": { "type": "admin", "id": admin }, "to": { "type": "user", "email": 1 }, "message_type": "inapp", "body": "Hi" }),
            "to.email",
        ),
        (
            json!({ "from": { "type": "admin", "id": admin }, "to": { "type": "user", "user_id": "m-1" }, "message_type": "email", "subject": 5, "body": "Hi" }),
            "subject",
        ),
    ] {
        assert_error(&api.post("/messages", body).await, 400, TYPE, field);
    }
    let answer = api.post("/messages", json!({ "from": { "type": "robot" }, "body": "Hi" })).await;
    assert_error(&answer, 422, INVALID, "from.type");
    assert_eq!(api.fetch("/conversations").await["total_count"], 0, "no conversation was opened");

    let sent = api.create("/messages", json!({ "from": { "type": "user", "user_id": "m-1" }, "body": "Hi" })).await;
    assert_eq!(sent["type"], "user_message");
}

#[tokio::test]
async fn replies_and_reads_check_their_types() {
    let api = Api::start().await;
    api.create("/users", json!({ "user_id": "r-1" })).await;
    let admin = api.admin_id().await;
    let message =
        api.create("/messages", json!({ "from": { "type": "user", "user_id": "r-1" }, "body": "Help" })).await;
    let conversation = message["conversation_id"].as_str().expect("a conversation").to_owned();
    let path = format!("/conversations/{conversation}/reply");
    let reply = |extra: Value| {
        let mut body = json!({ "type": "admin", "message_type": "comment", "admin_id": admin, "body": "On it" });
        for (key, value) in extra.as_object().expect("an object") {
            body[key] = value.clone();
        }
        body
    };
    for (body, field) in [
        (reply(json!({ "attachment_urls": "https://files.example.com/a.pdf" })), "attachment_urls"),
        (reply(json!({ "attachment_urls": [5] })), "attachment_urls[0]"),
        (reply(json!({ "type": 1 })), "type"),
        (reply(json!({ "message_type": ["comment"] })), "message_type"),
        (reply(json!({ "body": 42 })), "body"),
        (reply(json!({ "admin_id": { "id": admin } })), "admin_id"),
        (json!({ "type": "user", "message_type": "comment", "body": "Hi", "user_id": { "a": 1 } }), "user_id"),
    ] {
        assert_error(&api.post(&path, body).await, 400, TYPE, field);
    }
    // A well-typed text that is not an absolute http(s) URL stays what it was: unprocessable.
    let answer = api.post(&path, reply(json!({ "attachment_urls": ["not a url"] }))).await;
    assert_error(&answer, 422, INVALID, "attachment_urls");
    let answer =
        api.post("/conversations/last/reply", json!({ "type": "admin", "message_type": "comment", "admin_id": admin, "body": "Hi", "intercom_user_id": [1] })).await;
    assert_error(&answer, 400, TYPE, "intercom_user_id");
    let answer = api.send("PUT", &format!("/conversations/{conversation}"), Some(&json!({ "read": "yes" }))).await;
    assert_error(&answer, 400, TYPE, "read");
    let fetched = api.fetch(&format!("/conversations/{conversation}")).await;
    assert_eq!(fetched["conversation_parts"]["total_count"], 0, "no part was added: {fetched}");

    let number: u64 = admin.parse().expect("a numeric admin id");
    let replied = api.create(&path, reply(json!({ "admin_id": number }))).await;
    assert_eq!(replied["conversation_parts"]["total_count"], 1);
}

#[tokio::test]
async fn subscriptions_check_their_types() {
    let api = Api::start().await;
    let answer = api.post("/subscriptions", json!({ "url": 5, "topics": "user.created" })).await;
    assert_errors(&answer, 400, &[(TYPE, "url"), (TYPE, "topics")]);
    let hook = |extra: Value| {
        let mut body = json!({ "url": "https://hooks.example.com", "topics": ["user.created"] });
        for (key, value) in extra.as_object().expect("an object") {
            body[key] = value.clone();
        }
        body
    };
    for (body, field) in [
        (hook(json!({ "topics": ["user.created", 5] })), "topics[1]"),
        (hook(json!({ "hub_secret": 12 })), "hub_secret"),
        (hook(json!({ "service_type": ["web"] })), "service_type"),
        (hook(json!({ "metadata": [] })), "metadata"),
        (hook(json!({ "metadata": { "event_names": "signed-up" } })), "metadata.event_names"),
    ] {
        assert_error(&api.post("/subscriptions", body).await, 400, TYPE, field);
    }
    assert_eq!(api.fetch("/subscriptions").await["items"], json!([]), "no subscription was created");

    let created = api.create("/subscriptions", hook(json!({ "hub_secret": "s3cret" }))).await;
    let id = created["id"].as_str().expect("an id");
    let answer =
        api.post(&format!("/subscriptions/{id}"), json!({ "url": "https://other.example.com", "topics": [1] })).await;
    assert_error(&answer, 400, TYPE, "topics[0]");
    assert_eq!(api.fetch(&format!("/subscriptions/{id}")).await, created, "a refused update changes nothing");
}

#[tokio::test]
async fn bulk_requests_check_their_items_types_before_doing_anything() {
    let api = Api::start().await;
    let user = |data: Value| json!({ "method": "post", "data_type": "user", "data": data });
    for (body, field) in [
        (json!({ "items": { "method": "post" } }), "items"),
        (json!({ "items": [5] }), "items[0]"),
        (json!({ "items": [{ "method": 2, "data_type": "user", "data": {} }] }), "items[0].method"),
        (json!({ "items": [{ "method": "post", "data_type": "user", "data": "b-1" }] }), "items[0].data"),
        (
            json!({ "items": [user(json!({ "user_id": "b-1" })), user(json!({ "user_id": "b-2", "email": 5 }))] }),
            "items[1].data.email",
        ),
        (
            json!({ "items": [user(json!({ "user_id": "b-1", "custom_attributes": { "x": [1] } }))] }),
            "items[0].data.custom_attributes.x",
        ),
        (
            json!({ "items": [{ "method": "delete", "data_type": "user", "data": { "user_id": [1] } }] }),
            "items[0].data.user_id",
        ),
        (json!({ "items": [user(json!({ "user_id": "b-1" }))], "job": "job_1" }), "job"),
        (json!({ "items": [user(json!({ "user_id": "b-1" }))], "job": { "id": [] } }), "job.id"),
    ] {
        assert_error(&api.post("/bulk/users", body).await, 400, TYPE, field);
    }
    assert_eq!(api.count("user").await, 0, "no item was carried out");

    let event = json!({ "method": "post", "data_type": "event", "data": { "event_name": "e", "created_at": "now", "user_id": "b-1" } });
    assert_error(&api.post("/bulk/events", json!({ "items": [event] })).await, 400, TYPE, "items[0].data.created_at");
    let lead = json!({ "method": "post", "data_type": "contact", "data": { "name": 5 } });
    assert_error(&api.post("/bulk/contacts", json!({ "items": [lead] })).await, 400, TYPE, "items[0].data.name");
    // Well-formed items that cannot be carried out still only fail themselves (the job's error feed).
    let job = api
        .create("/bulk/users", json!({ "items": [user(json!({ "user_id": 7 })), user(json!({ "name": "Anon" }))] }))
        .await;
    assert_eq!(job["state"], "completed");
    assert_eq!(api.fetch("/users?user_id=7").await["user_id"], "7");
    let feed = api.fetch(&format!("/jobs/{}/error", job["id"].as_str().expect("a job id"))).await;
    assert_eq!(feed["items"].as_array().map(Vec::len), Some(1), "{feed}");
}

#[tokio::test]
async fn query_parameters_have_their_types_and_ranges() {
    let api = Api::start().await;
    let admin = api.admin_id().await;
    for (path, field) in [
        ("/users?per_page=61", "per_page"),
        ("/users?per_page=0", "per_page"),
        ("/users?per_page=ten", "per_page"),
        ("/users?per_page=99999999999999999999", "per_page"),
        ("/users?page=0", "page"),
        ("/users?page=-1", "page"),
        ("/users?page=1.5", "page"),
        ("/users?order=sideways", "order"),
        ("/users?sort=name", "sort"),
        ("/users?created_since=-1", "created_since"),
        ("/users?created_since=week", "created_since"),
        ("/contacts?per_page=61", "per_page"),
        ("/contacts?order=up", "order"),
        ("/companies?order=up", "order"),
        ("/companies?per_page=100", "per_page"),
        ("/companies?type=lead", "type"),
        ("/conversations?open=maybe", "open"),
        ("/conversations?unread=1", "unread"),
        ("/conversations?type=robot", "type"),
        ("/conversations?display_as=html", "display_as"),
        ("/conversations?sort=asc", "sort"),
        ("/conversations?per_page=61", "per_page"),
        ("/segments?include_count=yes", "include_count"),
        ("/segments?type=lead", "type"),
        ("/counts?type=robots", "type"),
        ("/counts?type=user&count=company", "count"),
        ("/counts?count=tag", "count"),
    ] {
        assert_error(&api.get(path).await, 400, INVALID, field);
    }
    // On lists filtered by admin or customer, Intercom swaps the names: `order` is the field, `sort` the
    // direction.
    let filtered = format!("/conversations?type=admin&admin_id={admin}");
    assert_error(&api.get(&format!("{filtered}&sort=created_at")).await, 400, INVALID, "sort");
    assert_error(&api.get(&format!("{filtered}&order=asc")).await, 400, INVALID, "order");

    for path in [
        "/users?per_page=60&page=1&order=asc&sort=signed_up_at&created_since=0",
        "/contacts?per_page=1&order=desc",
        "/companies?per_page=60&order=asc",
        "/conversations?sort=created_at&order=asc&open=true&display_as=plaintext",
        "/conversations?sort=waiting_since",
        "/segments?include_count=false&type=company",
        "/counts?type=company&count=user",
    ] {
        api.fetch(path).await;
    }
    api.fetch(&format!("{filtered}&order=created_at&sort=asc&open=false")).await;
}

#[tokio::test]
async fn the_token_exchange_takes_text_only() {
    let api = Api::start().await;
    let answer =
        api.exchange(&json!({ "client_id": OAUTH_CLIENT_ID, "client_secret": OAUTH_CLIENT_SECRET, "code": 5 })).await;
    assert_error(&answer, 400, TYPE, "code");
    let answer = api.exchange(&json!({ "client_id": 1, "client_secret": OAUTH_CLIENT_SECRET, "code": "c" })).await;
    assert_error(&answer, 400, TYPE, "client_id");
    let code = api.oauth_code().await;
    let granted = api
        .exchange(&json!({ "client_id": OAUTH_CLIENT_ID, "client_secret": OAUTH_CLIENT_SECRET, "code": code }))
        .await;
    assert!(granted.0 == 200 && granted.1["access_token"].is_string(), "{granted:?}");
}
