//! The endpoints and arguments of `http-mapping-more.md`, sent as raw HTTP: teams, away mode, the activity log,
//! data attributes, group conversations, assignment and snoozing, visitor conversion, bulk error feeds and
//! appending to jobs, permanent deletion, deleting a company (API 2.1), and the new arguments of the existing
//! endpoints. Each is checked for what it changes in the simulated workspace, and for its `404`/`422`/`400`
//! answers to unknown ids and bad values.

use std::time::Duration;

mod common;

use common::{Api, INVALID, MISSING, NOT_FOUND, TYPE, assert_error, ids, text};
use intercom_simulator::Simulator;
use serde_json::{Value, json};

/// A Unix time an hour from now.
fn in_an_hour() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970");
    i64::try_from(now.as_secs()).expect("a time") + 3_600
}

#[tokio::test]
async fn teams_list_their_admins_and_admins_their_teams() {
    let api = Api::start().await;
    let teams = api.fetch("/teams").await;
    assert_eq!(teams["type"], "team.list");
    let list = teams["teams"].as_array().expect("teams");
    assert!(!list.is_empty(), "{teams}");
    let admins = api.fetch("/admins").await;
    for team in list {
        assert_eq!(team["type"], "team");
        let team_id: i64 = text(&team["id"]).parse().expect("a numeric team id");
        let members = team["admin_ids"].as_array().expect("admin_ids");
        assert!(!members.is_empty(), "{team}");
        for member in members {
            let member = member.as_i64().expect("admin ids are numbers in a team");
            let admin = admins["admins"]
                .as_array()
                .expect("admins")
                .iter()
                .find(|admin| text(&admin["id"]) == member.to_string())
                .unwrap_or_else(|| panic!("admin {member} of {team} is a seeded admin"));
            let team_ids = admin["team_ids"].as_array().expect("team_ids");
            assert!(team_ids.contains(&json!(team_id)), "{admin} lists {team_id}");
        }
        assert_eq!(&api.fetch(&format!("/teams/{}", text(&team["id"]))).await, team);
    }
    assert_error(&api.get("/teams/999999").await, 404, "team_not_found", "");
    assert_error(&api.get("/teams/nope").await, 404, "team_not_found", "");
}

#[tokio::test]
async fn an_admin_set_away_reads_back_away() {
    let api = Api::start().await;
    let admins = api.admins().await;
    let grace = &admins[1];
    let path = format!("/admins/{grace}/away");
    let away = api.ok("PUT", &path, json!({ "away_mode_enabled": true, "away_mode_reassign": true })).await;
    assert_eq!((&away["type"], &away["id"]), (&json!("admin"), &json!(grace)));
    assert_eq!((&away["away_mode_enabled"], &away["away_mode_reassign"]), (&json!(true), &json!(true)));
    assert!(away["team_ids"].is_array(), "{away}");
    let fetched = api.fetch(&format!("/admins/{grace}")).await;
    assert_eq!((&fetched["away_mode_enabled"], &fetched["away_mode_reassign"]), (&json!(true), &json!(true)));
    let listed = api.fetch("/admins").await;
    let listed = listed["admins"].as_array().expect("admins").iter().find(|admin| admin["id"] == json!(grace)).cloned();
    assert_eq!(listed.expect("listed")["away_mode_enabled"], true);
    let other = api.fetch(&format!("/admins/{}", admins[0])).await;
    assert_eq!(other["away_mode_enabled"], false, "only that admin is away");

    // `false` is a value, and sets the admin back.
    let back = api.ok("PUT", &path, json!({ "away_mode_enabled": false, "away_mode_reassign": false })).await;
    assert_eq!((&back["away_mode_enabled"], &back["away_mode_reassign"]), (&json!(false), &json!(false)));

    assert_error(&api.put(&path, json!({ "away_mode_enabled": true })).await, 422, MISSING, "away_mode_reassign");
    assert_error(&api.put(&path, json!({ "away_mode_reassign": false })).await, 422, MISSING, "away_mode_enabled");
    let answer = api.put(&path, json!({})).await;
    assert_error(&answer, 422, MISSING, "away_mode_enabled");
    assert_eq!(answer.1["errors"][1]["field"], "away_mode_reassign", "both are named: {}", answer.1);
    let answer = api.put(&path, json!({ "away_mode_enabled": "true", "away_mode_reassign": 1 })).await;
    assert_error(&answer, 400, TYPE, "away_mode_enabled");
    assert_eq!(answer.1["errors"][1]["field"], "away_mode_reassign", "{}", answer.1);
    assert_error(
        &api.put(&path, json!({ "away_mode_enabled": null, "away_mode_reassign": false })).await,
        400,
        TYPE,
        "away_mode_enabled",
    );
    let answer =
        api.put("/admins/424242/away", json!({ "away_mode_enabled": true, "away_mode_reassign": false })).await;
    assert_error(&answer, 404, "admin_not_found", "");
    assert_eq!(
        api.fetch(&format!("/admins/{grace}")).await["away_mode_enabled"],
        false,
        "refused requests changed nothing"
    );
}

#[tokio::test]
async fn the_activity_log_lists_what_admins_did_between_two_times() {
    let api = Api::start().await;
    let admins = api.admins().await;
    let ada = &admins[0];
    api.ok("PUT", &format!("/admins/{ada}/away"), json!({ "away_mode_enabled": true, "away_mode_reassign": false }))
        .await;
    api.user("logged").await;
    let conversation = api.conversation_from("logged", "Help").await;
    let closed = api.admin_reply(&conversation, ada, "close", json!({})).await;
    assert_eq!(closed.0, 200, "{}", closed.1);

    let logs = api.fetch("/admins/activity_logs?created_at_after=0").await;
    assert_eq!(logs["type"], "activity_log.list");
    assert_eq!(logs["pages"]["type"], "pages");
    let entries = logs["activity_logs"].as_array().expect("activity_logs");
    assert_eq!(entries.len(), 2, "{logs}");
    for entry in entries {
        for key in ["id", "metadata", "created_at", "activity_type", "activity_description"] {
            assert!(!entry[key].is_null(), "{key} in {entry}");
        }
        assert_eq!(entry["performed_by"]["type"], "admin");
        assert_eq!(entry["performed_by"]["id"], json!(ada));
        assert_eq!(entry["performed_by"]["email"], "ada@simulated-workspace.example");
        assert!(entry["performed_by"]["ip"].is_string(), "{entry}");
    }
    // Newest first.
    assert_eq!(entries[0]["activity_type"], "conversation_state_change");
    assert_eq!(entries[0]["metadata"]["conversation_id"], json!(conversation));
    assert_eq!(entries[1]["activity_type"], "admin_away_mode_change");
    assert_eq!(entries[1]["metadata"]["away_mode"], true);
    assert!(text(&entries[1]["activity_description"]).starts_with("Ada Admin"), "{}", entries[1]);

    let later = in_an_hour();
    assert_eq!(api.fetch(&format!("/admins/activity_logs?created_at_after={later}")).await["activity_logs"], json!([]));
    assert_eq!(
        api.fetch("/admins/activity_logs?created_at_after=0&created_at_before=1").await["activity_logs"],
        json!([]),
        "nothing was done in 1970"
    );
    let first = api.fetch("/admins/activity_logs?created_at_after=0&per_page=1").await;
    assert_eq!(first["activity_logs"].as_array().map(Vec::len), Some(1));
    let next = text(&first["pages"]["next"]);
    assert!(next.contains("created_at_after=0") && next.contains("page=2"), "{next}");

    assert_error(&api.get("/admins/activity_logs").await, 404, MISSING, "created_at_after");
    assert_error(&api.get("/admins/activity_logs?created_at_before=5").await, 404, MISSING, "created_at_after");
    assert_error(&api.get("/admins/activity_logs?created_at_after=yesterday").await, 400, INVALID, "created_at_after");
    assert_error(
        &api.get("/admins/activity_logs?created_at_after=0&created_at_before=x").await,
        400,
        INVALID,
        "created_at_before",
    );
}

#[tokio::test]
async fn data_attributes_list_the_standard_and_the_custom_ones_seen() {
    let api = Api::start().await;
    api.create(
        "/users",
        json!({ "user_id": "attr", "custom_attributes": { "plan": "pro", "seats": 3, "paid_at": 1_700_000_000, "ratio": 0.5, "vip": true, "gone": null } }),
    )
    .await;
    api.create("/companies", json!({ "company_id": "c-attr", "custom_attributes": { "tier": "gold" } })).await;

    let customer = api.fetch("/data_attributes?model=customer").await;
    assert_eq!(customer["type"], "data_attribute.list");
    let find = |list: &Value, name: &str, custom: bool| {
        list["data_attributes"]
            .as_array()
            .expect("data_attributes")
            .iter()
            .find(|attribute| attribute["name"] == name && attribute["custom"] == custom)
            .cloned()
    };
    let email = find(&customer, "email", false).expect("a standard email attribute");
    for key in [
        "type",
        "model",
        "name",
        "full_name",
        "label",
        "description",
        "data_type",
        "api_writable",
        "ui_writable",
        "archived",
    ] {
        assert!(!email[key].is_null(), "{key} in {email}");
    }
    assert_eq!(
        (&email["type"], &email["model"], &email["data_type"]),
        (&json!("data_attribute"), &json!("customer"), &json!("string"))
    );
    for (name, data_type) in
        [("plan", "string"), ("seats", "integer"), ("paid_at", "date"), ("ratio", "float"), ("vip", "boolean")]
    {
        let attribute = find(&customer, name, true).unwrap_or_else(|| panic!("{name} in {customer}"));
        assert_eq!(
            (&attribute["data_type"], &attribute["full_name"]),
            (&json!(data_type), &json!(format!("custom_attributes.{name}")))
        );
        assert_eq!(attribute["archived"], false);
    }
    assert!(find(&customer, "gone", true).is_none(), "a null says no type");
    assert!(find(&customer, "tier", true).is_none(), "company attributes are the company's");
    assert!(find(&customer, "legacy_plan", true).is_none(), "archived attributes only on request");

    let archived = api.fetch("/data_attributes?model=customer&include_archived=true").await;
    assert_eq!(find(&archived, "legacy_plan", true).expect("the archived one")["archived"], true);
    assert_eq!(api.fetch("/data_attributes?model=customer&include_archived=false").await, customer);

    let company = api.fetch("/data_attributes?model=company").await;
    assert_eq!(find(&company, "tier", true).expect("tier")["model"], "company");
    assert!(find(&company, "company_id", false).is_some(), "{company}");
    assert!(find(&company, "plan", true).is_none());
    let both = api.fetch("/data_attributes").await;
    assert!(find(&both, "tier", true).is_some() && find(&both, "plan", true).is_some(), "both models without one");

    // An attribute stays once created, even when nobody holds it any more.
    api.send("DELETE", "/users?user_id=attr", None).await;
    assert!(find(&api.fetch("/data_attributes?model=customer").await, "plan", true).is_some());

    assert_error(&api.get("/data_attributes?model=lead").await, 400, INVALID, "model");
    assert_error(&api.get("/data_attributes?include_archived=maybe").await, 400, INVALID, "include_archived");
    // 1.4 moved the list to `?model=`: older versions have one path per model instead.
    let old = [("intercom-version", "1.3")];
    assert_error(
        &api.send_with("GET", "/data_attributes?model=customer", None, &old).await,
        400,
        "intercom_version_invalid",
        "",
    );
    let (status, per_model) = api.send_with("GET", "/data_attributes/customer", None, &old).await;
    assert_eq!(status, 200, "{per_model}");
    assert!(find(&per_model, "plan", true).is_some(), "{per_model}");
    assert_error(&api.get("/data_attributes/customer").await, 400, "intercom_version_invalid", "");
    assert_error(&api.send_with("GET", "/data_attributes/robots", None, &old).await, 404, NOT_FOUND, "");
}

#[tokio::test]
async fn a_customer_added_to_a_conversation_is_among_its_customers_until_removed() {
    let api = Api::start().await;
    let admin = &api.admins().await[0];
    let ann = api.user("ann").await;
    let bob = api.user("bob").await;
    let conversation = api.conversation_from("ann", "Can Bob join?").await;
    let path = format!("/conversations/{conversation}/customers");

    let added = api.create(&path, json!({ "admin_id": admin, "customer": { "intercom_user_id": bob } })).await;
    assert_eq!(added["customers"], json!([{ "type": "user", "id": ann }, { "type": "user", "id": bob }]));
    let fetched = api.fetch(&format!("/conversations/{conversation}")).await;
    assert_eq!(fetched["customers"], added["customers"]);
    let parts = fetched["conversation_parts"]["conversation_parts"].as_array().expect("parts");
    assert_eq!(parts.last().map(|part| &part["part_type"]), Some(&json!("participant_added")));
    // Added again, Bob is still there once.
    let again = api.create(&path, json!({ "admin_id": admin, "customer": { "user_id": "bob" } })).await;
    assert_eq!(again["customers"].as_array().map(Vec::len), Some(2));
    // Bob now finds it among his conversations.
    let bobs = api.fetch("/conversations?type=user&user_id=bob").await;
    assert_eq!(ids(&bobs, "conversations"), vec![conversation.clone()]);

    let removed = api.send("DELETE", &format!("{path}/{bob}"), Some(&json!({ "admin_id": admin }))).await;
    assert_eq!(removed, (200, json!({ "customers": [{ "type": "user", "id": ann }] })));
    let fetched = api.fetch(&format!("/conversations/{conversation}")).await;
    assert_eq!(fetched["customers"], json!([{ "type": "user", "id": ann }]));
    assert_eq!(api.fetch("/conversations?type=user&user_id=bob").await["conversations"], json!([]));

    // An email nobody has makes a new lead, who joins.
    let joined = api.create(&path, json!({ "admin_id": admin, "customer": { "email": "newcomer@example.com" } })).await;
    let leads = api.fetch("/contacts?email=newcomer@example.com").await;
    let lead = text(&leads["contacts"][0]["id"]);
    assert!(
        joined["customers"].as_array().expect("customers").contains(&json!({ "type": "lead", "id": lead })),
        "{joined}"
    );

    // Refusals.
    let nameless = api.create("/users", json!({ "user_id": "no-email" })).await;
    let answer =
        api.post(&path, json!({ "admin_id": admin, "customer": { "intercom_user_id": nameless["id"] } })).await;
    assert_error(&answer, 422, INVALID, "customer.intercom_user_id");
    assert_error(
        &api.post(&path, json!({ "admin_id": admin, "customer": { "intercom_user_id": "nobody" } })).await,
        404,
        NOT_FOUND,
        "",
    );
    assert_error(
        &api.post(&path, json!({ "admin_id": admin, "customer": { "user_id": "nobody" } })).await,
        404,
        NOT_FOUND,
        "",
    );
    assert_error(&api.post(&path, json!({ "admin_id": admin })).await, 422, MISSING, "customer");
    assert_error(
        &api.post(&path, json!({ "admin_id": admin, "customer": {} })).await,
        422,
        MISSING,
        "customer.intercom_user_id",
    );
    assert_error(&api.post(&path, json!({ "customer": { "user_id": "bob" } })).await, 422, MISSING, "admin_id");
    assert_error(
        &api.post(&path, json!({ "admin_id": "999999", "customer": { "user_id": "bob" } })).await,
        404,
        NOT_FOUND,
        "",
    );
    assert_error(&api.post(&path, json!({ "admin_id": admin, "customer": "bob" })).await, 400, TYPE, "customer");
    assert_error(
        &api.post(&path, json!({ "admin_id": admin, "customer": { "email": "not-an-email" } })).await,
        400,
        INVALID,
        "customer.email",
    );
    assert_error(
        &api.post(&path, json!({ "admin_id": [1], "customer": { "user_id": "bob" } })).await,
        400,
        TYPE,
        "admin_id",
    );
    assert_error(
        &api.post("/conversations/999999/customers", json!({ "admin_id": admin, "customer": { "user_id": "bob" } }))
            .await,
        404,
        NOT_FOUND,
        "",
    );
    let delete = |id: String, body: Value| {
        let path = format!("{path}/{id}");
        let api = &api;
        async move { api.send("DELETE", &path, Some(&body)).await }
    };
    assert_error(&delete(bob.clone(), json!({ "admin_id": admin })).await, 404, NOT_FOUND, "");
    assert_error(&delete(lead.clone(), json!({})).await, 422, MISSING, "admin_id");
    assert_error(&delete(lead.clone(), json!({ "admin_id": "999999" })).await, 404, NOT_FOUND, "");
    assert_error(&delete(lead.clone(), json!({ "admin_id": { "id": 1 } })).await, 400, TYPE, "admin_id");
    assert_eq!(delete(lead, json!({ "admin_id": admin })).await.0, 200);
    // Ann is the last customer: a conversation keeps one.
    assert_error(&delete(ann.clone(), json!({ "admin_id": admin })).await, 422, INVALID, "customer_id");
    assert_eq!(
        api.fetch(&format!("/conversations/{conversation}")).await["customers"],
        json!([{ "type": "user", "id": ann }])
    );
}

#[tokio::test]
async fn assigning_snoozing_and_opening_change_the_conversation() {
    let api = Api::start().await;
    let admins = api.admins().await;
    let (ada, grace) = (&admins[0], &admins[1]);
    let team = text(&api.fetch("/teams").await["teams"][0]["id"]);
    api.user("zoe").await;
    let conversation = api.conversation_from("zoe", "Hello").await;
    let before = api.fetch(&format!("/conversations/{conversation}")).await;
    assert_eq!(before["assignee"], json!({ "type": "nobody_admin", "id": null }));

    let (status, assigned) =
        api.admin_reply(&conversation, ada, "assignment", json!({ "assignee_id": grace, "body": "Grace knows" })).await;
    assert_eq!(status, 200, "{assigned}");
    assert_eq!(assigned["assignee"], json!({ "type": "admin", "id": grace }));
    let part = assigned["conversation_parts"]["conversation_parts"]
        .as_array()
        .and_then(|parts| parts.last())
        .cloned()
        .expect("a part");
    assert_eq!(
        (&part["part_type"], &part["assigned_to"]),
        (&json!("assignment"), &json!({ "type": "admin", "id": grace }))
    );
    assert_eq!((&part["body"], &part["author"]["id"]), (&json!("<p>Grace knows</p>"), &json!(ada)));
    assert_eq!(assigned["state"], "open", "assigning leaves the state as it was");
    let graces = api.fetch(&format!("/conversations?type=admin&admin_id={grace}")).await;
    assert_eq!(ids(&graces, "conversations"), vec![conversation.clone()]);

    let (_, to_team) = api.admin_reply(&conversation, ada, "assignment", json!({ "assignee_id": team })).await;
    assert_eq!(to_team["assignee"], json!({ "type": "team", "id": team }));
    let teams = api.fetch(&format!("/conversations?type=admin&admin_id={team}")).await;
    assert_eq!(ids(&teams, "conversations"), vec![conversation.clone()]);
    let counts = api.fetch("/counts?type=conversation").await;
    assert_eq!(
        (&counts["conversation"]["assigned"], &counts["conversation"]["unassigned"]),
        (&json!(1), &json!(0)),
        "{counts}"
    );

    // Assignee "0" (a number, as some SDKs send it, or text) is nobody.
    let (_, unassigned) = api.admin_reply(&conversation, ada, "assignment", json!({ "assignee_id": 0 })).await;
    assert_eq!(unassigned["assignee"], json!({ "type": "nobody_admin", "id": null }));
    assert_eq!(
        ids(&api.fetch("/conversations?type=admin&admin_id=nobody").await, "conversations"),
        vec![conversation.clone()]
    );

    let until = in_an_hour();
    let (status, snoozed) = api.admin_reply(&conversation, ada, "snoozed", json!({ "snoozed_until": until })).await;
    assert_eq!(status, 200, "{snoozed}");
    assert_eq!(
        (&snoozed["state"], &snoozed["snoozed_until"], &snoozed["open"]),
        (&json!("snoozed"), &json!(until), &json!(true))
    );
    let fetched = api.fetch(&format!("/conversations/{conversation}")).await;
    assert_eq!((&fetched["state"], &fetched["snoozed_until"]), (&json!("snoozed"), &json!(until)));

    let (_, opened) = api.admin_reply(&conversation, ada, "open", json!({})).await;
    assert_eq!(
        (&opened["state"], &opened["snoozed_until"], &opened["open"]),
        (&json!("open"), &Value::Null, &json!(true))
    );
    let (_, closed) = api.admin_reply(&conversation, ada, "close", json!({})).await;
    assert_eq!((&closed["state"], &closed["open"]), (&json!("closed"), &json!(false)));
    let (_, reopened) = api.admin_reply(&conversation, ada, "open", json!({})).await;
    assert_eq!((&reopened["state"], &reopened["open"]), (&json!("open"), &json!(true)));

    // A customer's reply wakes a snoozed conversation.
    api.admin_reply(&conversation, ada, "snoozed", json!({ "snoozed_until": until })).await;
    let (_, woken) = api
        .post(
            &format!("/conversations/{conversation}/reply"),
            json!({ "type": "user", "message_type": "comment", "user_id": "zoe", "body": "Still there?" }),
        )
        .await;
    assert_eq!((&woken["state"], &woken["snoozed_until"]), (&json!("open"), &Value::Null));

    // An admin's note is a part of its own, seen only by the team.
    let (_, noted) = api.admin_reply(&conversation, grace, "note", json!({ "body": "VIP" })).await;
    let part = noted["conversation_parts"]["conversation_parts"]
        .as_array()
        .and_then(|parts| parts.last())
        .cloned()
        .expect("a part");
    assert_eq!((&part["part_type"], &part["body"]), (&json!("note"), &json!("<p>VIP</p>")));
    let types: Vec<String> = noted["conversation_parts"]["conversation_parts"]
        .as_array()
        .expect("parts")
        .iter()
        .map(|part| text(&part["part_type"]))
        .collect();
    assert_eq!(
        types,
        ["assignment", "assignment", "assignment", "snoozed", "open", "close", "open", "snoozed", "comment", "note"]
    );

    // Refusals change nothing.
    let reply = |message_type: &'static str, extra: Value| {
        let api = &api;
        let conversation = conversation.clone();
        let ada = ada.clone();
        async move { api.admin_reply(&conversation, &ada, message_type, extra).await }
    };
    let answer = reply("assignment", json!({ "assignee_id": "424242" })).await;
    assert_error(&answer, 404, "admin_not_found", "assignee_id");
    assert_error(&reply("assignment", json!({})).await, 422, MISSING, "assignee_id");
    assert_error(&reply("assignment", json!({ "assignee_id": [1] })).await, 400, TYPE, "assignee_id");
    assert_error(&reply("snoozed", json!({})).await, 422, MISSING, "snoozed_until");
    assert_error(&reply("snoozed", json!({ "snoozed_until": "tomorrow" })).await, 400, TYPE, "snoozed_until");
    assert_error(&reply("snoozed", json!({ "snoozed_until": 1.5 })).await, 400, TYPE, "snoozed_until");
    assert_error(&reply("snoozed", json!({ "snoozed_until": 1_000 })).await, 422, INVALID, "snoozed_until");
    assert_error(&reply("note", json!({})).await, 422, MISSING, "body");
    assert_error(&reply("wake", json!({})).await, 422, INVALID, "message_type");
    let by_user = api
        .post(
            &format!("/conversations/{conversation}/reply"),
            json!({ "type": "user", "message_type": "snoozed", "user_id": "zoe", "snoozed_until": until }),
        )
        .await;
    assert_error(&by_user, 422, INVALID, "message_type");
    assert_error(&api.admin_reply("999999", ada, "open", json!({})).await, 404, NOT_FOUND, "");
    let after = api.fetch(&format!("/conversations/{conversation}")).await;
    assert_eq!(after["conversation_parts"], noted["conversation_parts"], "no part was added");
    assert_eq!(after["assignee"], json!({ "type": "nobody_admin", "id": null }));
}

#[tokio::test]
async fn conversation_lists_take_order_sort_unread_and_plain_text() {
    let api = Api::start().await;
    let admin = &api.admins().await[0];
    api.user("lin").await;
    let first = api.conversation_from("lin", "First <b>bold</b> question").await;
    let second = api.conversation_from("lin", "Second").await;
    let (_, replied) = api.admin_reply(&first, admin, "comment", json!({ "body": "An answer &amp; more" })).await;
    assert_eq!(replied["read"], false, "unread by the customer");

    let plain = api.fetch(&format!("/conversations/{first}?display_as=plaintext")).await;
    assert_eq!(plain["conversation_message"]["body"], "First bold question");
    assert_eq!(plain["conversation_parts"]["conversation_parts"][0]["body"], "An answer & more");
    let html = api.fetch(&format!("/conversations/{first}")).await;
    assert_eq!(html["conversation_message"]["body"], "<p>First <b>bold</b> question</p>");
    assert_error(&api.get(&format!("/conversations/{first}?display_as=html")).await, 400, INVALID, "display_as");

    // Unfiltered: `sort` is the field and `order` the direction.
    let oldest_first = api.fetch("/conversations?sort=created_at&order=asc").await;
    assert_eq!(ids(&oldest_first, "conversations"), vec![first.clone(), second.clone()]);
    let newest_first = api.fetch("/conversations?sort=created_at&order=desc").await;
    assert_eq!(ids(&newest_first, "conversations"), vec![second.clone(), first.clone()]);
    // Filtered by customer: the names swap, `order` is the field and `sort` the direction.
    let customer = "/conversations?type=user&user_id=lin";
    let ascending = api.fetch(&format!("{customer}&order=created_at&sort=asc&display_as=plaintext")).await;
    assert_eq!(ids(&ascending, "conversations"), vec![first.clone(), second.clone()]);
    assert_eq!(ascending["conversations"][0]["conversation_message"]["body"], "First bold question");
    assert!(ascending["conversations"][0].get("conversation_parts").is_none(), "lists show no parts");
    let descending = api.fetch(&format!("{customer}&order=created_at&sort=desc")).await;
    assert_eq!(ids(&descending, "conversations"), vec![second.clone(), first.clone()]);
    assert_error(&api.get(&format!("{customer}&order=asc")).await, 400, INVALID, "order");
    assert_error(&api.get(&format!("{customer}&order=waiting_since")).await, 400, INVALID, "order");
    let unread = api.fetch(&format!("{customer}&unread=true")).await;
    assert_eq!(ids(&unread, "conversations"), vec![first.clone()], "only the one the admin answered is unread");
    assert_error(&api.get(&format!("{customer}&unread=yes")).await, 400, INVALID, "unread");
    // Filtered by admin: the same swap.
    let by_admin = format!("/conversations?type=admin&admin_id={admin}");
    api.admin_reply(&second, admin, "assignment", json!({ "assignee_id": admin })).await;
    api.admin_reply(&first, admin, "assignment", json!({ "assignee_id": admin })).await;
    let listed = api.fetch(&format!("{by_admin}&order=created_at&sort=asc")).await;
    assert_eq!(ids(&listed, "conversations"), vec![first.clone(), second.clone()]);
    let listed = api.fetch(&format!("{by_admin}&order=updated_at&sort=desc&display_as=plaintext")).await;
    assert_eq!(listed["conversations"].as_array().map(Vec::len), Some(2), "{listed}");
    assert_error(&api.get(&format!("{by_admin}&order=desc")).await, 400, INVALID, "order");
    assert_error(&api.get("/conversations?type=admin&admin_id=424242").await, 404, NOT_FOUND, "");
}

#[tokio::test]
async fn a_permanently_deleted_user_is_gone_from_lists_counts_segments_and_tags() {
    let api = Api::start().await;
    let doomed = api.user("doomed").await;
    api.user("kept").await;
    api.create("/tags", json!({ "name": "VIP", "users": [{ "user_id": "doomed" }, { "user_id": "kept" }] })).await;
    api.create("/events", json!({ "event_name": "paid", "created_at": 1, "user_id": "doomed" })).await;
    let segment_size = |segments: &Value| {
        segments["segments"]
            .as_array()
            .expect("segments")
            .iter()
            .find(|segment| segment["name"] == "New")
            .map(|segment| segment["count"].clone())
    };
    assert_eq!(segment_size(&api.fetch("/segments?include_count=true").await), Some(json!(2)));
    assert_eq!(api.count("user").await, 2);

    let request = api.create("/user_delete_requests", json!({ "intercom_user_id": doomed })).await;
    assert!(request["id"].is_i64(), "an integer id: {request}");
    assert_eq!(request.as_object().map(|request| request.len()), Some(1), "{request}");

    assert_error(&api.get(&format!("/users/{doomed}")).await, 404, NOT_FOUND, "");
    assert_error(&api.get("/users?user_id=doomed").await, 404, NOT_FOUND, "");
    assert_eq!(api.fetch("/users?email=doomed@example.com").await["users"], json!([]));
    let users = api.fetch("/users").await;
    assert_eq!((users["total_count"].as_u64(), ids(&users, "users").contains(&doomed)), (Some(1), false));
    assert_eq!(api.count("user").await, 1);
    assert_eq!(segment_size(&api.fetch("/segments?include_count=true").await), Some(json!(1)));
    let tag_counts = api.fetch("/counts?type=user&count=tag").await;
    assert_eq!(tag_counts["user"]["tag"], json!([{ "VIP": 1 }]));
    assert_error(&api.get("/events?type=user&user_id=doomed").await, 404, NOT_FOUND, "");

    // A lead can be deleted so too.
    let lead = api.create("/contacts", json!({ "email": "lead@example.com" })).await;
    api.create("/user_delete_requests", json!({ "intercom_user_id": lead["id"] })).await;
    assert_error(&api.get(&format!("/contacts/{}", text(&lead["id"]))).await, 404, NOT_FOUND, "");

    assert_error(&api.post("/user_delete_requests", json!({ "intercom_user_id": doomed })).await, 404, NOT_FOUND, "");
    assert_error(&api.post("/user_delete_requests", json!({})).await, 422, MISSING, "intercom_user_id");
    assert_error(
        &api.post("/user_delete_requests", json!({ "intercom_user_id": true })).await,
        400,
        TYPE,
        "intercom_user_id",
    );
    assert_eq!(api.count("user").await, 1);
    let logs = api.fetch("/admins/activity_logs?created_at_after=0").await;
    assert_eq!(logs["activity_logs"][0]["activity_type"], "app_data_deletion");
}

#[tokio::test]
async fn a_bulk_jobs_error_feed_lists_its_failed_items_and_open_jobs_take_more() {
    let api = Api::start().await;
    api.user("bulk-known").await;
    let event = |user_id: &str| json!({ "method": "post", "data_type": "event", "data": { "event_name": "e", "created_at": 1, "user_id": user_id } });
    let job =
        api.create("/bulk/events", json!({ "items": [event("bulk-known"), event("ghost-1"), event("ghost-2")] })).await;
    let job_id = text(&job["id"]);
    let feed = api.fetch(&format!("/jobs/{job_id}/error")).await;
    assert_eq!((&feed["job_id"], &feed["app_id"].is_string()), (&json!(job_id), &true), "{feed}");
    let failed: Vec<String> =
        feed["items"].as_array().expect("items").iter().map(|item| text(&item["data"]["user_id"])).collect();
    assert_eq!(failed, ["ghost-1", "ghost-2"]);
    assert_eq!(feed["items"][0]["error"]["code"], "not_found");
    assert_eq!(feed["items"][0]["task_id"], job["tasks"][0]["id"]);
    let page = api.fetch(&format!("/jobs/{job_id}/error?per_page=1")).await;
    assert_eq!((page["items"].as_array().map(Vec::len), &page["total_count"]), (Some(1), &json!(2)));
    let next = api.fetch(&text(&page["pages"]["next"]).replace(api.simulator.base_url(), "")).await;
    assert_eq!(next["items"][0]["data"]["user_id"], "ghost-2");

    // Appending to the open job: a second task, whose failures join the feed.
    let appended = api.create("/bulk/events", json!({ "items": [event("ghost-3")], "job": { "id": job_id } })).await;
    assert_eq!((&appended["id"], appended["tasks"].as_array().map(Vec::len)), (&json!(job_id), Some(2)));
    assert_eq!(api.fetch(&format!("/jobs/{job_id}/error")).await["total_count"], 3);
    let user = json!({ "method": "post", "data_type": "user", "data": { "user_id": "bulk-new" } });
    let users = api.create("/bulk/users", json!({ "items": [user.clone()] })).await;
    let users_id = text(&users["id"]);
    api.create("/bulk/users", json!({ "items": [{ "method": "post", "data_type": "user", "data": { "user_id": "bulk-more" } }], "job": { "id": users_id } })).await;
    assert_eq!(api.fetch("/users?user_id=bulk-more").await["user_id"], "bulk-more");
    assert_eq!(api.fetch(&format!("/jobs/{users_id}/error")).await["items"], json!([]));

    assert_error(&api.get("/jobs/job_nope/error").await, 404, NOT_FOUND, "");
    assert_error(&api.get(&format!("/jobs/{job_id}/error?per_page=0")).await, 400, INVALID, "per_page");
    assert_error(
        &api.post("/bulk/users", json!({ "items": [user.clone()], "job": { "id": "job_nope" } })).await,
        404,
        NOT_FOUND,
        "",
    );
    assert_error(
        &api.post("/bulk/events", json!({ "items": [event("bulk-known")], "job": {} })).await,
        422,
        MISSING,
        "job.id",
    );

    // A job closes: appending to it then is `job_closed`, and changes nothing.
    let closing = Api::on(Simulator::builder().bulk_job_window(Duration::ZERO).start().await.expect("a simulator"));
    let closed = closing.create("/bulk/users", json!({ "items": [user] })).await;
    let answer = closing
        .post("/bulk/users", json!({ "items": [{ "method": "post", "data_type": "user", "data": { "user_id": "late" } }], "job": { "id": closed["id"] } }))
        .await;
    assert_error(&answer, 422, "job_closed", "job.id");
    assert_error(&closing.get("/users?user_id=late").await, 404, NOT_FOUND, "");
}

#[tokio::test]
async fn deleting_a_company_needs_api_version_2_1() {
    let api = Api::start().await;
    let company = api.create("/companies", json!({ "company_id": "gone-co", "name": "Gone Co" })).await;
    let id = text(&company["id"]);
    api.create(
        "/users",
        json!({ "user_id": "staff", "companies": [{ "company_id": "gone-co" }, { "company_id": "stays" }] }),
    )
    .await;
    let path = format!("/companies/{id}");

    for headers in [&[][..], &[("intercom-version", "1.4")][..], &[("intercom-version", "2.0")][..]] {
        let answer = api.send_with("DELETE", &path, None, headers).await;
        assert_error(&answer, 400, "intercom_version_invalid", "");
        assert_eq!(answer.1["errors"][0]["message"], "Requested resource is not available in current API version");
    }
    assert_error(
        &api.send_with("DELETE", &path, None, &[("intercom-version", "9.9")]).await,
        400,
        "intercom_version_invalid",
        "",
    );
    assert_eq!(api.fetch(&path).await["id"], json!(id), "still there");

    let v21 = [("intercom-version", "2.1")];
    let deleted = api.send_with("DELETE", &path, None, &v21).await;
    assert_eq!(deleted, (200, json!({ "type": "company", "id": id, "deleted": true })));
    assert_error(&api.get(&path).await, 404, NOT_FOUND, "");
    assert_error(&api.get("/companies?company_id=gone-co").await, 404, NOT_FOUND, "");
    assert!(!ids(&api.fetch("/companies").await, "companies").contains(&id));
    assert_eq!(api.count("company").await, 1);
    let staff = api.fetch("/users?user_id=staff").await;
    let theirs: Vec<String> = staff["companies"]["companies"]
        .as_array()
        .expect("companies")
        .iter()
        .map(|company| text(&company["company_id"]))
        .collect();
    assert_eq!(theirs, ["stays"]);

    assert_error(&api.send_with("DELETE", &path, None, &v21).await, 404, NOT_FOUND, "");
    assert_eq!(api.send_with("DELETE", "/companies/nope", None, &[("intercom-version", "Unstable")]).await.0, 404);
}

#[tokio::test]
async fn lead_endpoints_take_their_new_arguments() {
    let api = Api::start().await;
    let lead = api.create("/contacts", json!({ "phone": "+353 1 555 0100", "name": "Phoebe" })).await;
    api.create("/contacts", json!({ "phone": "+1 555 0199" })).await;
    let by_phone = api.fetch("/contacts?phone=%2B353%201%20555%200100").await;
    assert_eq!(by_phone["type"], "contact.list");
    assert_eq!(ids(&by_phone, "contacts"), vec![text(&lead["id"])]);
    assert_eq!(api.fetch("/contacts?phone=000").await["contacts"], json!([]));

    // PUT /contacts updates the lead its `id` (or `user_id`) names, and creates none.
    let updated = api.ok("PUT", "/contacts", json!({ "id": lead["id"], "name": "Phoebe B." })).await;
    assert_eq!(
        (&updated["id"], &updated["name"], &updated["user_id"]),
        (&lead["id"], &json!("Phoebe B."), &lead["user_id"])
    );
    let by_user_id =
        api.ok("PUT", "/contacts", json!({ "user_id": lead["user_id"], "email": "phoebe@example.com" })).await;
    assert_eq!(by_user_id["email"], "phoebe@example.com");
    assert_error(&api.put("/contacts", json!({ "id": "nope", "name": "x" })).await, 404, NOT_FOUND, "");
    assert_error(&api.put("/contacts", json!({ "user_id": "nope", "name": "x" })).await, 404, NOT_FOUND, "");
    assert_error(&api.put("/contacts", json!({ "name": "x" })).await, 422, MISSING, "user_id");
    assert_error(&api.put("/contacts", json!({ "id": lead["id"], "name": 5 })).await, 400, TYPE, "name");
    assert_eq!(api.fetch("/contacts").await["total_count"], 2, "PUT created nobody");
    // POST /contacts by `id` too.
    let posted = api.create("/contacts", json!({ "id": lead["id"], "phone": "+353 1 555 0101" })).await;
    assert_eq!((&posted["id"], &posted["phone"]), (&lead["id"], &json!("+353 1 555 0101")));

    // Converting to the user `user.id`, `user.email` or `user.user_id` names.
    let target = api.create("/users", json!({ "user_id": "target", "email": "target@example.com" })).await;
    let by_id = api.create("/contacts", json!({ "email": "one@example.com" })).await;
    let merged = api
        .create("/contacts/convert", json!({ "contact": { "id": by_id["id"] }, "user": { "id": target["id"] } }))
        .await;
    assert_eq!((&merged["type"], &merged["id"]), (&json!("user"), &target["id"]));
    let by_email = api.create("/contacts", json!({ "name": "Two" })).await;
    let merged = api
        .create(
            "/contacts/convert",
            json!({ "contact": { "user_id": by_email["user_id"] }, "user": { "email": "target@example.com" } }),
        )
        .await;
    assert_eq!((&merged["id"], &merged["name"]), (&target["id"], &json!("Two")));
    let fresh = api.create("/contacts", json!({ "name": "Three" })).await;
    let converted = api
        .create("/contacts/convert", json!({ "contact": { "id": fresh["id"] }, "user": { "user_id": "three" } }))
        .await;
    assert_eq!(
        (&converted["type"], &converted["id"], &converted["user_id"]),
        (&json!("user"), &fresh["id"], &json!("three"))
    );
    let stray = api.create("/contacts", json!({})).await;
    assert_error(
        &api.post("/contacts/convert", json!({ "contact": { "id": stray["id"] }, "user": { "id": "nope" } })).await,
        404,
        NOT_FOUND,
        "",
    );
    assert_error(
        &api.post("/contacts/convert", json!({ "contact": { "id": "nope" }, "user": { "user_id": "x" } })).await,
        404,
        NOT_FOUND,
        "",
    );
}

#[tokio::test]
async fn company_and_segment_lookups_take_their_new_arguments() {
    let api = Api::start().await;
    let company = api.create("/companies", json!({ "company_id": "acme", "name": "Acme" })).await;
    let id = text(&company["id"]);
    api.create("/users", json!({ "user_id": "worker", "companies": [{ "company_id": "acme" }] })).await;
    api.create("/contacts", json!({ "name": "Not staff" })).await;

    assert_eq!(api.fetch(&format!("/companies/{id}")).await["company_id"], "acme");
    assert_eq!(api.fetch("/companies?name=Acme").await["id"], json!(id));
    let users = api.fetch(&format!("/companies/{id}/users")).await;
    assert_eq!((users["type"].as_str(), users["users"][0]["user_id"].as_str()), (Some("user.list"), Some("worker")));
    assert_eq!(users["total_count"], 1);
    let by_name = api.fetch("/companies?name=Acme&type=user").await;
    assert_eq!(by_name["users"], users["users"]);
    assert_eq!(api.fetch("/companies?company_id=acme&type=user").await["users"], users["users"]);
    assert_error(&api.get("/companies/nope").await, 404, NOT_FOUND, "");
    assert_error(&api.get("/companies/nope/users").await, 404, NOT_FOUND, "");
    assert_error(&api.get("/companies?name=Nobody").await, 404, NOT_FOUND, "");
    assert_error(&api.get("/companies?name=Nobody&type=user").await, 404, NOT_FOUND, "");
    assert_error(&api.get("/companies?name=Acme&type=lead").await, 400, INVALID, "type");

    let segments = api.fetch("/segments?include_count=true").await;
    let list = segments["segments"].as_array().expect("segments");
    assert!(list.iter().all(|segment| segment["count"].is_u64()), "{segments}");
    let new_users = list.iter().find(|segment| segment["name"] == "New").expect("the New segment");
    assert_eq!(new_users["count"], 1);
    let new_leads = list.iter().find(|segment| segment["name"] == "New leads").expect("New leads");
    assert_eq!(new_leads["count"], 1);
    assert!(
        api.fetch("/segments").await["segments"]
            .as_array()
            .expect("segments")
            .iter()
            .all(|segment| segment.get("count").is_none())
    );
    assert_eq!(
        api.fetch("/segments?type=company&include_count=true").await["segments"],
        json!([]),
        "no company segment is seeded"
    );
    let one = api.fetch(&format!("/segments/{}?include_count=true", text(&new_users["id"]))).await;
    assert_eq!((&one["id"], &one["count"]), (&new_users["id"], &json!(1)));
    assert!(api.fetch(&format!("/segments/{}", text(&new_users["id"]))).await.get("count").is_none());
    assert_error(&api.get("/segments/nope?include_count=true").await, 404, NOT_FOUND, "");
    assert_error(
        &api.get(&format!("/segments/{}?include_count=1", text(&new_users["id"]))).await,
        400,
        INVALID,
        "include_count",
    );
}

#[tokio::test]
async fn replies_to_the_last_conversation_and_events_name_their_user_every_way() {
    let api = Api::start().await;
    let admin = &api.admins().await[0];
    let pat = api.user("pat").await;
    let conversation = api.conversation_from("pat", "Hi").await;
    let last = |key: &str, value: Value| {
        let mut body = json!({ "type": "admin", "message_type": "comment", "admin_id": admin, "body": "Reply" });
        body[key] = value;
        body
    };
    for (key, value) in
        [("intercom_user_id", json!(pat)), ("user_id", json!("pat")), ("email", json!("pat@example.com"))]
    {
        let replied = api.create("/conversations/last/reply", last(key, value)).await;
        assert_eq!(replied["id"], json!(conversation), "by {key}");
    }
    assert_eq!(api.fetch(&format!("/conversations/{conversation}")).await["conversation_parts"]["total_count"], 3);
    assert_error(
        &api.post("/conversations/last/reply", last("email", json!("nobody@example.com"))).await,
        404,
        NOT_FOUND,
        "",
    );
    assert_error(&api.post("/conversations/last/reply", last("user_id", json!("nobody"))).await, 404, NOT_FOUND, "");
    api.user("quiet").await;
    assert_error(&api.post("/conversations/last/reply", last("user_id", json!("quiet"))).await, 404, NOT_FOUND, "");

    // Events by `id` and `email`, listed by `intercom_user_id` and `email`.
    let event = |key: &str, value: Value, name: &str| {
        let mut body = json!({ "event_name": name, "created_at": 1_714_557_600 });
        body[key] = value;
        body
    };
    assert_eq!(api.post("/events", event("id", json!(pat), "by-id")).await, (202, Value::Null));
    assert_eq!(api.post("/events", event("email", json!("pat@example.com"), "by-email")).await, (202, Value::Null));
    let lead = api.create("/contacts", json!({ "name": "Lead" })).await;
    assert_eq!(api.post("/events", event("id", lead["id"].clone(), "lead-event")).await.0, 202, "a lead's by its id");
    for query in [format!("intercom_user_id={pat}"), "email=pat%40example.com".to_owned(), "user_id=pat".to_owned()] {
        let events = api.fetch(&format!("/events?type=user&{query}")).await;
        let names: Vec<String> =
            events["events"].as_array().expect("events").iter().map(|event| text(&event["event_name"])).collect();
        assert_eq!(names.len(), 2, "{query}: {events}");
        assert!(names.contains(&"by-id".to_owned()) && names.contains(&"by-email".to_owned()), "{query}: {names:?}");
        let summary = api.fetch(&format!("/events?type=user&summary=true&{query}")).await;
        assert_eq!(summary["events"].as_array().map(Vec::len), Some(2), "{summary}");
    }
    assert_error(&api.post("/events", event("id", json!("nope"), "x")).await, 404, NOT_FOUND, "");
    assert_error(&api.post("/events", event("email", json!("nobody@example.com"), "x")).await, 404, NOT_FOUND, "");
    assert_error(&api.get("/events?type=user&intercom_user_id=nope").await, 404, NOT_FOUND, "");
    assert_error(&api.get("/events?type=user&email=nobody%40example.com").await, 404, NOT_FOUND, "");
}

#[tokio::test]
async fn visitors_are_updated_deleted_and_converted_by_their_ids() {
    let api = Api::start().await;
    let fox = api.fetch("/visitors?user_id=visitor-0001").await;
    let owl = api.fetch("/visitors?user_id=visitor-0002").await;
    let fox_id = text(&fox["id"]);

    let updated = api
        .ok(
            "PUT",
            "/visitors",
            json!({ "id": fox_id, "phone": "+351 555", "utm_source": "newsletter", "utm_campaign": "spring", "utm_medium": "email", "utm_content": "banner", "utm_term": "shoes" }),
        )
        .await;
    assert_eq!(
        (&updated["type"], &updated["id"], &updated["phone"]),
        (&json!("visitor"), &json!(fox_id), &json!("+351 555"))
    );
    for (key, value) in [
        ("utm_source", "newsletter"),
        ("utm_campaign", "spring"),
        ("utm_medium", "email"),
        ("utm_content", "banner"),
        ("utm_term", "shoes"),
    ] {
        assert_eq!(updated[key], value, "{key}");
    }
    assert_eq!(api.fetch(&format!("/visitors/{fox_id}")).await["utm_source"], "newsletter");
    assert_error(&api.put("/visitors", json!({ "id": fox_id, "utm_source": 5 })).await, 400, TYPE, "utm_source");
    assert_error(&api.put("/visitors", json!({ "id": "nope", "name": "x" })).await, 404, NOT_FOUND, "");
    assert_error(&api.put("/visitors", json!({ "name": "x" })).await, 422, MISSING, "user_id");
    assert_error(&api.put("/visitors", json!({ "id": fox_id, "email": "fox" })).await, 400, INVALID, "email");

    // An email makes the visitor a lead, with the same id and user_id.
    let lead = api.ok("PUT", "/visitors", json!({ "user_id": "visitor-0001", "email": "fox@example.com" })).await;
    assert_eq!(
        (&lead["type"], &lead["id"], &lead["user_id"]),
        (&json!("contact"), &json!(fox_id), &json!("visitor-0001"))
    );
    assert_eq!(lead["email"], "fox@example.com");
    assert_error(&api.get(&format!("/visitors/{fox_id}")).await, 404, NOT_FOUND, "");
    assert_eq!(api.fetch(&format!("/contacts/{fox_id}")).await["email"], "fox@example.com");

    // A visitor becomes a new user, or merges into the one `user` names.
    let owl_id = text(&owl["id"]);
    let user = api.create("/visitors/convert", json!({ "type": "user", "visitor": { "id": owl_id }, "user": { "user_id": "owl", "email": "owl@example.com" } })).await;
    assert_eq!(
        (&user["type"], &user["id"], &user["user_id"], &user["email"]),
        (&json!("user"), &json!(owl_id), &json!("owl"), &json!("owl@example.com"))
    );
    assert_eq!(api.count("user").await, 1);

    // Visitors cannot be created through the API: a fresh workspace shows merging with its seeded visitors.
    let fresh = Api::start().await;
    let existing = fresh.create("/users", json!({ "user_id": "member", "email": "member@example.com" })).await;
    let merged = fresh.create("/visitors/convert", json!({ "type": "user", "visitor": { "user_id": "visitor-0002" }, "user": { "email": "member@example.com" } })).await;
    assert_eq!((&merged["id"], &merged["user_id"]), (&existing["id"], &json!("member")));
    assert_error(&fresh.get("/visitors?user_id=visitor-0002").await, 404, NOT_FOUND, "");
    let by_id = fresh
        .create(
            "/visitors/convert",
            json!({ "type": "user", "visitor": { "user_id": "visitor-0001" }, "user": { "id": existing["id"] } }),
        )
        .await;
    assert_eq!(by_id["id"], existing["id"]);
    assert_eq!(fresh.count("user").await, 1);

    let convert = |body: Value| {
        let fresh = &fresh;
        async move { fresh.post("/visitors/convert", body).await }
    };
    assert_error(
        &convert(json!({ "type": "user", "visitor": { "id": "nope" }, "user": { "user_id": "x" } })).await,
        404,
        NOT_FOUND,
        "",
    );
    let another = Api::start().await;
    let visitor = another.fetch("/visitors?user_id=visitor-0001").await;
    assert_error(
        &another.post("/visitors/convert", json!({ "type": "user", "visitor": { "id": visitor["id"] } })).await,
        422,
        MISSING,
        "user",
    );
    assert_error(
        &another
            .post("/visitors/convert", json!({ "type": "user", "visitor": { "id": visitor["id"] }, "user": {} }))
            .await,
        422,
        MISSING,
        "user.id",
    );
    assert_error(
        &another
            .post(
                "/visitors/convert",
                json!({ "type": "user", "visitor": { "id": visitor["id"] }, "user": { "id": "nope" } }),
            )
            .await,
        404,
        NOT_FOUND,
        "",
    );
    assert_error(
        &another
            .post(
                "/visitors/convert",
                json!({ "type": "user", "visitor": { "id": visitor["id"] }, "user": { "email": 5 } }),
            )
            .await,
        400,
        TYPE,
        "user.email",
    );
    assert_eq!(
        another.fetch(&format!("/visitors/{}", text(&visitor["id"]))).await["type"],
        "visitor",
        "still a visitor"
    );

    // Deleted by Intercom id.
    let deleted = another.send("DELETE", &format!("/visitors/{}", text(&visitor["id"])), None).await;
    assert_eq!((deleted.0, &deleted.1["id"]), (200, &visitor["id"]));
    assert_error(&another.get(&format!("/visitors/{}", text(&visitor["id"]))).await, 404, NOT_FOUND, "");
    assert_error(&another.send("DELETE", "/visitors/nope", None).await, 404, NOT_FOUND, "");
}
