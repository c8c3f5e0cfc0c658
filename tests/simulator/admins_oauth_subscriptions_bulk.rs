//! Admins, the OAuth exchange, webhook subscriptions and bulk jobs through the simulator: the seeded admins and
//! `/me`, a code exchanged for a token that then works, a subscription's whole life (create, update, ping and
//! its feeds, delete), and bulk jobs whose items are carried out at once.

use intercom_rest::simulator::{OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, Simulator};
use intercom_rest::{Client, Error, UserIdType};
use serde_json::{Value, json};

use super::{client_of, json, models};

pub async fn exercise(client: &Client, simulator: &Simulator) {
    admins(client).await;
    oauth(simulator).await;
    subscriptions(client, simulator).await;
    bulk_jobs(client, simulator).await;
}

/// The three seeded admins, one of them fetched by id, and the one the token belongs to with its app.
async fn admins(client: &Client) {
    let admins = client.get_admins().send().await.map(json).unwrap();
    assert_eq!(admins["type"], "admin.list");
    let list = admins["admins"].as_array().expect("admins");
    assert_eq!(list.len(), 3, "{admins}");
    for admin in list {
        assert_eq!(admin["type"], "admin");
        assert!(admin["name"].is_string() && admin["email"].is_string(), "{admin}");
    }
    let first = &list[0];
    let id = first["id"].as_str().expect("admin ids are text");
    let fetched = client.get_single_admin(id).send().await.map(json).unwrap();
    assert_eq!(&fetched, first);

    let me = client.get_current_admin().send().await.map(json).unwrap();
    assert_eq!((me["type"].as_str(), me["id"].as_str()), (Some("admin"), Some(id)));
    assert_eq!(me["email_verified"], true);
    assert_eq!(me["app"]["type"], "app");
    assert!(me["app"]["id_code"].as_str().is_some_and(|code| !code.is_empty()), "{me}");
    assert!(me["app"]["created_at"].is_i64(), "{me}");
}

/// A code handed out by the authorize page, exchanged without a token for a token that then authenticates
/// calls.
async fn oauth(simulator: &Simulator) {
    let anonymous = Client::builder().base_url(simulator.base_url()).build().unwrap();
    assert!(!anonymous.has_access_token());
    let granted = anonymous
        .get_access_token(OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, authorized_code(simulator).await)
        .send()
        .await
        .map(json)
        .unwrap();
    assert_eq!(granted["token_type"], "Bearer");
    let token = granted["access_token"].as_str().expect("a token").to_owned();
    assert_eq!(granted["token"], token.as_str(), "the token is given under both names");
    assert_ne!(token, simulator.access_token());

    let authorized = Client::builder().base_url(simulator.base_url()).access_token(token).build().unwrap();
    let me = authorized.get_current_admin().send().await.map(json).unwrap();
    assert_eq!(me["type"], "admin");
}

/// A code from the simulator's authorize page: the `code` of its redirect (not followed).
async fn authorized_code(simulator: &Simulator) -> String {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let url = format!("{}/oauth?client_id={OAUTH_CLIENT_ID}&redirect_uri=https://example.com/cb", simulator.base_url());
    let response = http.get(url).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 302);
    let location = response.headers()["location"].to_str().unwrap();
    let location = reqwest::Url::parse(location).unwrap();
    location.query_pairs().find(|(name, _)| name == "code").map(|(_, code)| code.into_owned()).expect("a code")
}

/// A subscription created, another for events created and then updated, both listed, one pinged (its sent feed
/// shows the ping, its error feed nothing), and both deleted.
async fn subscriptions(client: &Client, simulator: &Simulator) {
    let hooks = client
        .create_subscription(
            "https://hooks.example.com/intercom".parse().unwrap(),
            ["user.created", "conversation.user.created"],
        )
        .hub_secret("s3cret")
        .send()
        .await
        .map(json)
        .unwrap();
    let hooks_id = assert_subscription(&hooks, simulator);
    assert_eq!(hooks["topics"], json!(["user.created", "conversation.user.created"]));
    assert_eq!((hooks["hub_secret"].as_str(), hooks["service_type"].as_str()), (Some("s3cret"), Some("web")));

    let events = client
        .create_event_webhook_subscription(["invited-friend"], "https://hooks.example.com/events".parse().unwrap())
        .send()
        .await
        .map(json)
        .unwrap();
    let events_id = assert_subscription(&events, simulator);
    assert_eq!(events["topics"], json!(["event.created"]));
    assert_eq!(events["metadata"]["event_names"], json!(["invited-friend"]));
    assert!(events["hub_secret"].is_null());

    let updated = client
        .update_event_webhook_subscription(
            &events_id,
            ["purchased", "upgraded"],
            "https://hooks.example.com/v2".parse().unwrap(),
        )
        .send()
        .await
        .map(json)
        .unwrap();
    assert_eq!(updated["id"], events_id.as_str(), "updated in place, not created");
    assert_eq!(updated["metadata"]["event_names"], json!(["purchased", "upgraded"]), "event names are replaced");
    assert_eq!(updated["url"], "https://hooks.example.com/v2");

    let fetched = client.get_single_subscription(&events_id).send().await.map(json).unwrap();
    assert_eq!(fetched, updated);
    let all = client.get_subscriptions().send().await.map(json).unwrap();
    assert_eq!(all["type"], "notification_subscription.list");
    let listed: Vec<&str> = all["items"].as_array().unwrap().iter().filter_map(|item| item["id"].as_str()).collect();
    assert!(listed.contains(&hooks_id.as_str()) && listed.contains(&events_id.as_str()), "{all}");

    let ping = client.ping_subscription(&hooks_id).send().await.map(json).unwrap();
    assert_eq!((ping["type"].as_str(), ping["topic"].as_str()), (Some("notification_event"), Some("ping")));
    assert!(ping["id"].as_str().is_some_and(|id| id.starts_with("notif_")), "{ping}");
    assert_eq!(ping["data"]["item"]["type"], "ping");
    let second_ping = client.ping_subscription(&hooks_id).send().await.map(json).unwrap();
    let sent = client.get_sent_feed(&hooks_id).send().await.map(json).unwrap();
    assert_eq!(sent["type"], "notification_event.list");
    let sent_ids: Vec<&Value> = sent["notifications"].as_array().unwrap().iter().map(|sent| &sent["id"]).collect();
    assert_eq!(sent_ids, [&second_ping["id"], &ping["id"]], "newest first");
    let errors = client.get_error_feed(&hooks_id).send().await.map(json).unwrap();
    assert_eq!(errors["type"], "notification_event.list");
    assert_eq!(errors["notifications"], json!([]), "nothing fails to be delivered");

    for id in [&hooks_id, &events_id] {
        let deleted = client.delete_subscription(id).send().await.map(json).unwrap();
        assert_eq!(deleted["id"], id.as_str());
        let gone = client.get_single_subscription(id).send().await.map(json).unwrap_err();
        assert!(matches!(gone, Error::NotFound(_)), "{gone:?}");
    }
}

/// Asserts the shape of a subscription and gives back its id.
fn assert_subscription(subscription: &Value, simulator: &Simulator) -> String {
    assert_eq!(subscription["type"], "notification_subscription", "{subscription}");
    let id = subscription["id"].as_str().expect("an id").to_owned();
    assert!(id.starts_with("nsub_"), "{id}");
    assert_eq!((subscription["active"].as_bool(), subscription["mode"].as_str()), (Some(true), Some("point")));
    let this = format!("{}/subscriptions/{id}", simulator.base_url());
    assert_eq!(subscription["self"], this.as_str());
    for link in ["sent", "retry", "errors"] {
        assert!(subscription["links"][link].as_str().is_some_and(|url| url.starts_with(&this)), "{subscription}");
    }
    id
}

/// Users upserted in bulk, an event of one of them, a lead created and archived (the error feeds of those jobs
/// stay empty), the job fetched, and the users archived in bulk again (so the later areas of the tour start
/// without them).
async fn bulk_jobs(client: &Client, simulator: &Simulator) {
    let created = client
        .create_user_bulk_jobs(models([
            json!({ "method": "post", "data_type": "user", "data": { "user_id": "bulk-1", "email": "bulk-1@example.com" } }),
            json!({ "method": "post", "data_type": "user", "data": { "user_id": "bulk-2", "name": "Bulk Two" } }),
        ]))
        .send()
        .await
        .map(json)
        .unwrap();
    let job_id = assert_job(&created, 2);
    let user = client.get_single_user("bulk-1", UserIdType::UserId).send().await.map(json).unwrap();
    assert_eq!(user["email"], "bulk-1@example.com");
    let fetched = client.get_single_bulk_job(&job_id).send().await.map(json).unwrap();
    assert_eq!(fetched, created);

    let events = client
        .create_bulk_event_job(models([json!({
            "method": "post",
            "data_type": "event",
            "data": { "event_name": "imported", "created_at": 1_714_557_600, "user_id": "bulk-1" },
        })]))
        .send()
        .await
        .map(json)
        .unwrap();
    let events_id = assert_job(&events, 1);

    let leads = client
        .create_bulk_lead_job(models([
            json!({ "method": "post", "data_type": "contact", "data": { "user_id": "bulk-lead", "email": "lead@example.com" } }),
            json!({ "method": "delete", "data_type": "contact", "data": { "user_id": "bulk-lead" } }),
        ]))
        .send()
        .await
        .map(json)
        .unwrap();
    let leads_id = assert_job(&leads, 2);
    for job_id in [events_id, leads_id] {
        let (status, feed) = raw(simulator, "GET", &format!("/jobs/{job_id}/error"), None).await;
        assert_eq!((status, &feed["items"]), (200, &json!([])), "every item was carried out: {feed}");
    }

    let archived = client
        .create_user_bulk_jobs(models(
            ["bulk-1", "bulk-2"]
                .map(|user_id| json!({ "method": "delete", "data_type": "user", "data": { "user_id": user_id } })),
        ))
        .send()
        .await
        .map(json)
        .unwrap();
    assert_job(&archived, 2);
    let gone = client.get_single_user("bulk-2", UserIdType::UserId).send().await.map(json).unwrap_err();
    assert!(matches!(gone, Error::NotFound(_)), "{gone:?}");
}

/// Asserts the shape of a job that has one task of `items` items, done, and gives back its id.
fn assert_job(job: &Value, items: u64) -> String {
    assert_eq!((job["type"].as_str(), job["name"].as_str()), (Some("job"), Some("api_bulk_job")), "{job}");
    assert_eq!(job["state"], "completed");
    let id = job["id"].as_str().expect("an id").to_owned();
    assert!(id.starts_with("job_"), "{id}");
    assert!(job["links"]["self"].as_str().is_some_and(|url| url.ends_with(&format!("/jobs/{id}"))), "{job}");
    let tasks = job["tasks"].as_array().expect("tasks");
    assert_eq!(tasks.len(), 1);
    assert_eq!((tasks[0]["item_count"].as_u64(), tasks[0]["state"].as_str()), (Some(items), Some("completed")));
    id
}

/// Sends a raw request to the simulator, as a client that does not check its arguments would, and answers the
/// status and the JSON body.
async fn raw(simulator: &Simulator, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let http = reqwest::Client::new();
    let url = format!("{}{path}", simulator.base_url());
    let mut request = http
        .request(method.parse().unwrap(), url)
        .header("authorization", format!("Bearer {}", simulator.access_token()));
    if let Some(body) = body {
        request = request.header("content-type", "application/json").body(body.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The first error code of an `error.list`.
fn error_code(body: &Value) -> &str {
    body["errors"][0]["code"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn unknown_admins_subscriptions_and_jobs_are_not_found() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    let admin = client.get_single_admin("999").send().await.map(json).unwrap_err();
    assert!(matches!(admin, Error::NotFound(_)), "{admin:?}");
    let subscription = client.ping_subscription("nsub_unknown").send().await.map(json).unwrap_err();
    assert!(matches!(subscription, Error::NotFound(_)), "{subscription:?}");
    let feed = client.get_sent_feed("nsub_unknown").send().await.map(json).unwrap_err();
    assert!(matches!(feed, Error::NotFound(_)), "{feed:?}");
    let job = client.get_single_bulk_job("job_unknown").send().await.map(json).unwrap_err();
    assert!(matches!(job, Error::NotFound(_)), "{job:?}");
}

#[tokio::test]
async fn the_token_exchange_refuses_a_wrong_client_and_a_missing_code() {
    let simulator = Simulator::start().await.unwrap();
    let anonymous = Client::builder().base_url(simulator.base_url()).build().unwrap();
    let error =
        anonymous.get_access_token(OAUTH_CLIENT_ID, "not-the-secret", "some-code").send().await.map(json).unwrap_err();
    let Error::Unauthorized(api) = &error else { panic!("{error:?}") };
    assert_eq!((api.status, api.errors[0].code.as_str()), (401, "unauthorized"));

    let (status, body) = raw(
        &simulator,
        "POST",
        "/auth/eagle/token",
        Some(json!({ "client_id": OAUTH_CLIENT_ID, "client_secret": OAUTH_CLIENT_SECRET })),
    )
    .await;
    assert_eq!((status, error_code(&body)), (422, "parameter_not_found"), "{body}");
}

#[tokio::test]
async fn a_form_encoded_exchange_works_too() {
    let simulator = Simulator::start().await.unwrap();
    let code = authorized_code(&simulator).await;
    let form = format!("client_id={OAUTH_CLIENT_ID}&client_secret={OAUTH_CLIENT_SECRET}&code={code}");
    let response = reqwest::Client::new()
        .post(format!("{}/auth/eagle/token", simulator.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let granted: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert!(granted["access_token"].is_string(), "{granted}");
}

#[tokio::test]
async fn subscriptions_intercom_would_refuse_are_unprocessable() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    let no_names = client
        .create_subscription("https://hooks.example.com".parse().unwrap(), ["event.created"])
        .send()
        .await
        .map(json)
        .unwrap_err();
    // `parameter_not_found` names a missing argument: a plain API error, not a missing resource.
    let Error::Api(api) = &no_names else { panic!("{no_names:?}") };
    assert_eq!((api.status, api.errors[0].field.as_deref()), (422, Some("metadata.event_names")));

    for body in [
        json!({ "url": "ftp://hooks.example.com", "topics": ["user.created"] }),
        json!({ "url": "https://hooks.example.com", "topics": [] }),
        json!({ "url": "https://hooks.example.com", "topics": ["user.created"], "service_type": "sms" }),
    ] {
        let (status, answer) = raw(&simulator, "POST", "/subscriptions", Some(body.clone())).await;
        assert_eq!((status, error_code(&answer)), (422, "parameter_invalid"), "{body} → {answer}");
    }

    // An update is checked like a creation: dropping the event names of an `event.created` subscription fails.
    let events = client
        .create_event_webhook_subscription(["signed-up"], "https://hooks.example.com".parse().unwrap())
        .send()
        .await
        .map(json);
    let id = events.unwrap()["id"].as_str().unwrap().to_owned();
    let (status, _) = raw(&simulator, "POST", &format!("/subscriptions/{id}"), Some(json!({ "metadata": {} }))).await;
    assert_eq!(status, 422);
    let kept = client.get_single_subscription(&id).send().await.map(json).unwrap();
    assert_eq!(kept["metadata"]["event_names"], json!(["signed-up"]), "a refused update changes nothing");
}

#[tokio::test]
async fn a_malformed_bulk_item_refuses_the_whole_request() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    for bad in [
        json!({ "method": "put", "data_type": "user", "data": { "user_id": "x" } }),
        json!({ "method": "post", "data_type": "event", "data": { "user_id": "x" } }),
        json!({ "method": "post", "data_type": "user" }),
    ] {
        let good = json!({ "method": "post", "data_type": "user", "data": { "user_id": "never-created" } });
        let error = client.create_user_bulk_jobs(models([good, bad.clone()])).send().await.map(json).unwrap_err();
        let Error::Api(api) = &error else { panic!("{error:?}") };
        assert_eq!(api.status, 422, "{bad}");
        assert!(api.errors[0].field.as_deref().is_some_and(|field| field.starts_with("items[1].")), "{api:?}");
    }
    let deleting_events = json!({ "method": "delete", "data_type": "event", "data": { "event_name": "e" } });
    let error = client.create_bulk_event_job(models([deleting_events])).send().await.map(json).unwrap_err();
    assert!(matches!(&error, Error::Api(api) if api.status == 422), "{error:?}");
    let nobody = client.get_single_user("never-created", UserIdType::UserId).send().await.map(json).unwrap_err();
    assert!(matches!(nobody, Error::NotFound(_)), "nothing was done: {nobody:?}");
}

#[tokio::test]
async fn items_that_fail_are_listed_in_the_error_feed_of_their_job() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    client.create_user_by_id("eve").send().await.map(json).unwrap();
    let job = client
        .create_bulk_event_job(models([
            json!({ "method": "post", "data_type": "event", "data": { "event_name": "ok", "created_at": 1, "user_id": "eve" } }),
            json!({ "method": "post", "data_type": "event", "data": { "event_name": "lost", "created_at": 1, "user_id": "nobody" } }),
        ]))
        .send()
        .await
        .map(json)
        .unwrap();
    let job_id = assert_job(&job, 2);
    let (status, feed) = raw(&simulator, "GET", &format!("/jobs/{job_id}/error"), None).await;
    assert_eq!(status, 200);
    assert_eq!(feed["job_id"], job_id.as_str());
    let items = feed["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{feed}");
    assert_eq!((items[0]["data"]["user_id"].as_str(), error_code_of(&items[0])), (Some("nobody"), "not_found"));
    assert_eq!(items[0]["task_id"], job["tasks"][0]["id"]);

    let ghost = json!({ "method": "delete", "data_type": "contact", "data": { "user_id": "ghost" } });
    let job_id = assert_job(&client.create_bulk_lead_job(models([ghost])).send().await.map(json).unwrap(), 1);
    let (_, feed) = raw(&simulator, "GET", &format!("/jobs/{job_id}/error"), None).await;
    assert_eq!(error_code_of(&feed["items"][0]), "not_found", "{feed}");
}

/// The code of a failed bulk item.
fn error_code_of(item: &Value) -> &str {
    item["error"]["code"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_request_can_append_a_task_to_an_open_job() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    let item = |user_id: &str| json!({ "method": "post", "data_type": "user", "data": { "user_id": user_id } });
    let job = client.create_user_bulk_jobs(models([item("first")])).send().await.map(json).unwrap();
    let job_id = assert_job(&job, 1);
    let body = json!({ "items": [item("second"), item("third")], "job": { "id": job_id } });
    let (status, appended) = raw(&simulator, "POST", "/bulk/users", Some(body)).await;
    assert_eq!(status, 200, "{appended}");
    assert_eq!(appended["id"], job_id.as_str());
    let counts: Vec<u64> =
        appended["tasks"].as_array().unwrap().iter().filter_map(|task| task["item_count"].as_u64()).collect();
    assert_eq!(counts, [1, 2]);
    client.get_single_user("third", UserIdType::UserId).send().await.map(json).unwrap();

    let unknown = json!({ "items": [item("fourth")], "job": { "id": "job_unknown" } });
    let (status, _) = raw(&simulator, "POST", "/bulk/users", Some(unknown)).await;
    assert_eq!(status, 404);
}
