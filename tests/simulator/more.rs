//! The functions and arguments of `http-mapping-more.md` through the typed client and the simulator: teams,
//! away mode and activity logs, data attributes, group conversations, assigning, snoozing and reopening,
//! converting a visitor to a user, a bulk job's error feed, permanent deletion, and deleting a company with
//! the API version it needs.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::TryStreamExt;
use intercom_rest::simulator::Simulator;
use intercom_rest::{
    Client, CompanyIdType, ContactIdType, ConversationUserIdType, DataAttributeModel, DisplayAs, Error, UserIdType,
};
use serde_json::{Value, json};

use super::{client_of, json, models};

fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        other => panic!("an id expected, got {other}"),
    }
}

/// On a simulator of its own: the tour's other areas use up the seeded visitors.
pub async fn exercise() {
    let simulator = Simulator::start().await.expect("simulator");
    let client = &client_of(&simulator);
    let admin_id = teams_and_admins(client).await;
    data_attributes(client).await;
    conversations(client, &admin_id).await;
    visitors_to_users(client).await;
    bulk_error_feed(client).await;
    permanent_deletion(client).await;
    companies(client).await;
}

/// A team lists its admins; an admin set away reads back away, and the change is in the activity log.
async fn teams_and_admins(client: &Client) -> String {
    let teams = client.get_teams().send().await.map(json).unwrap();
    assert_eq!(teams["type"], "team.list");
    let team = &teams["teams"][0];
    let team_id = text(&team["id"]);
    let single = client.get_single_team(&team_id).send().await.map(json).unwrap();
    assert_eq!(single["name"], team["name"]);
    let admin_id = text(&single["admin_ids"][0]);
    let admin = client.get_single_admin(&admin_id).send().await.map(json).unwrap();
    assert!(admin["team_ids"].as_array().unwrap().iter().any(|id| text(id) == team_id), "{admin}");
    let missing = client.get_single_team("no-such-team").send().await.map(json).unwrap_err();
    assert!(matches!(missing, Error::NotFound(_)), "{missing:?}");

    let before = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64 - 1;
    let away = client.set_admin_away(&admin_id, true, false).send().await.map(json).unwrap();
    assert_eq!((&away["away_mode_enabled"], &away["away_mode_reassign"]), (&json!(true), &json!(false)));
    let read_back = client.get_single_admin(&admin_id).send().await.map(json).unwrap();
    assert_eq!(read_back["away_mode_enabled"], true);
    client.set_admin_away(&admin_id, false, false).send().await.map(json).unwrap();

    let logs: Vec<Value> = client.get_admin_activity_logs(before).stream().map_ok(json).try_collect().await.unwrap();
    assert!(
        logs.iter().any(|log| log["activity_type"] == "admin_away_mode_change"
            && text(&log["performed_by"]["id"]) == admin_id),
        "{logs:?}"
    );
    admin_id
}

/// Custom attributes written on a user show among the customer attributes, not the company ones.
async fn data_attributes(client: &Client) {
    client
        .create_user_by_id("attr-1")
        .custom_attributes(intercom_rest::object!({ "favourite_colour": "teal" }))
        .send()
        .await
        .map(json)
        .unwrap();
    let names = |list: &Value| -> Vec<String> {
        list["data_attributes"].as_array().unwrap().iter().map(|attribute| text(&attribute["name"])).collect()
    };
    let customer = client.get_data_attributes().model(DataAttributeModel::Customer).send().await.map(json).unwrap();
    assert!(names(&customer).contains(&"favourite_colour".to_owned()), "{customer}");
    let company = client
        .get_data_attributes()
        .model(DataAttributeModel::Company)
        .include_archived(true)
        .send()
        .await
        .map(json)
        .unwrap();
    assert!(!names(&company).contains(&"favourite_colour".to_owned()), "{company}");
}

/// A conversation is assigned to a team, snoozed, reopened; a customer joins it and leaves it again.
async fn conversations(client: &Client, admin_id: &str) {
    client.create_user_by_id("group-1").email("group-1@example.com").send().await.map(json).unwrap();
    let guest = client.create_user_by_id("group-2").email("group-2@example.com").send().await.map(json).unwrap();
    let message =
        client.create_user_message("group-1", UserIdType::UserId, "<p>Hello <b>team</b></p>").send().await.map(json);
    let conversation_id = text(&message.unwrap()["conversation_id"]);

    let teams = client.get_teams().send().await.map(json).unwrap();
    let team_id = text(&teams["teams"][0]["id"]);
    let assigned =
        client.assign_conversation(&conversation_id, admin_id, &team_id).body("Yours").send().await.map(json).unwrap();
    assert_eq!((&assigned["assignee"]["type"], text(&assigned["assignee"]["id"])), (&json!("team"), team_id));

    let until = SystemTime::now() + Duration::from_secs(3_600);
    let until_seconds = until.duration_since(UNIX_EPOCH).unwrap().as_secs();
    let snoozed = client.snooze_conversation(&conversation_id, admin_id, until).send().await.map(json).unwrap();
    assert_eq!((&snoozed["state"], &snoozed["snoozed_until"]), (&json!("snoozed"), &json!(until_seconds)));
    let reopened = client.open_conversation(&conversation_id, admin_id).send().await.map(json).unwrap();
    assert_eq!((&reopened["state"], &reopened["snoozed_until"]), (&json!("open"), &Value::Null));

    let joined = client
        .add_customer_to_conversation(&conversation_id, admin_id, "group-2@example.com", ConversationUserIdType::Email)
        .send()
        .await
        .map(json)
        .unwrap();
    let guest_id = text(&guest["id"]);
    let customer_ids = |answer: &Value| -> Vec<String> {
        answer["customers"].as_array().unwrap().iter().map(|customer| text(&customer["id"])).collect()
    };
    assert!(customer_ids(&joined).contains(&guest_id), "{joined}");
    let fetched = client
        .get_single_conversation(&conversation_id)
        .display_as(DisplayAs::PlainText)
        .send()
        .await
        .map(json)
        .unwrap();
    assert!(customer_ids(&fetched).contains(&guest_id), "{fetched}");
    assert_eq!(fetched["conversation_message"]["body"], "Hello team");
    let left =
        client.remove_customer_from_conversation(&conversation_id, &guest_id, admin_id).send().await.map(json).unwrap();
    assert!(!customer_ids(&left).contains(&guest_id), "{left}");
}

/// A seeded visitor becomes a user, found by its new `user_id`; the visitor is gone.
async fn visitors_to_users(client: &Client) {
    let visitor = client.get_single_visitor("visitor-0002", ContactIdType::UserId).send().await.map(json).unwrap();
    let visitor_id = text(&visitor["id"]);
    let user = client
        .convert_visitor_to_user(&visitor_id, ContactIdType::IntercomId, "converted-1", UserIdType::UserId)
        .send()
        .await
        .map(json)
        .unwrap();
    assert_eq!((&user["type"], &user["user_id"]), (&json!("user"), &json!("converted-1")));
    let found = client.get_single_user("converted-1", UserIdType::UserId).send().await.map(json).unwrap();
    assert_eq!(found["id"], user["id"]);
    let gone = client.get_single_visitor("visitor-0002", ContactIdType::UserId).send().await.map(json).unwrap_err();
    assert!(matches!(gone, Error::NotFound(_)), "{gone:?}");
}

/// The error feed of a bulk job lists the items that failed.
async fn bulk_error_feed(client: &Client) {
    client.create_user_by_id("bulk-known-1").send().await.map(json).unwrap();
    let event = |user_id: &str| json!({ "method": "post", "data_type": "event", "data": { "event_name": "e", "created_at": 1_714_557_600, "user_id": user_id } });
    let job = client
        .create_bulk_event_job(models([event("bulk-known-1"), event("bulk-ghost")]))
        .send()
        .await
        .map(json)
        .unwrap();
    let job_id = text(&job["id"]);
    let appended =
        client.create_bulk_event_job(models([event("bulk-ghost-2")])).job_id(&job_id).send().await.map(json).unwrap();
    assert_eq!(text(&appended["id"]), job_id);
    let failed: Vec<Value> = client.get_bulk_job_error_feed(&job_id).stream().map_ok(json).try_collect().await.unwrap();
    let users: Vec<String> = failed.iter().map(|item| text(&item["data"]["user_id"])).collect();
    assert_eq!(users, ["bulk-ghost", "bulk-ghost-2"]);
}

/// A permanently deleted user is gone from lookups, lists and counts.
async fn permanent_deletion(client: &Client) {
    let user = client.create_user_by_id("doomed-1").email("doomed@example.com").send().await.map(json).unwrap();
    let count = |counts: &Value| counts["user"]["count"].as_u64().unwrap();
    let before = count(&client.get_app_total_counts().send().await.map(json).unwrap());
    // Intercom answers the request's id as a number; the model keeps ids as text.
    let request = client.permanently_delete_user(text(&user["id"])).send().await.unwrap();
    assert!(request.id.parse::<u64>().is_ok(), "{request:?}");
    let gone = client.get_single_user("doomed-1", UserIdType::UserId).send().await.map(json).unwrap_err();
    assert!(matches!(gone, Error::NotFound(_)), "{gone:?}");
    assert_eq!(count(&client.get_app_total_counts().send().await.map(json).unwrap()), before - 1);
    let listed: Vec<Value> = client.get_users().stream().map_ok(json).try_collect().await.unwrap();
    assert!(listed.iter().all(|listed| listed["user_id"] != "doomed-1"));
}

/// A company fetched by its Intercom id and by name, its users by its Intercom id, then deleted (which needs
/// `Intercom-Version: 2.1`: the function sends it whatever the client's version).
async fn companies(client: &Client) {
    let company = client.create_company("co-del-1", "Deletable Ltd").send().await.map(json).unwrap();
    client
        .create_user_by_id("co-del-user")
        .companies(models([json!({ "company_id": "co-del-1" })]))
        .send()
        .await
        .map(json)
        .unwrap();
    let intercom_id = text(&company["id"]);
    let by_id = client
        .get_single_company(&intercom_id)
        .company_id_type(CompanyIdType::IntercomId)
        .send()
        .await
        .map(json)
        .unwrap();
    assert_eq!(by_id["company_id"], "co-del-1");
    let by_name =
        client.get_single_company("Deletable Ltd").company_id_type(CompanyIdType::Name).send().await.map(json).unwrap();
    assert_eq!(text(&by_name["id"]), intercom_id);
    let users: Vec<Value> = client
        .get_company_users(&intercom_id)
        .company_id_type(CompanyIdType::IntercomId)
        .stream()
        .map_ok(json)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(users.len(), 1);

    let deleted = client.delete_company(&intercom_id).send().await.map(json).unwrap();
    assert_eq!((&deleted["deleted"], text(&deleted["id"])), (&json!(true), intercom_id.clone()));
    let gone = client.get_single_company("co-del-1").send().await.map(json).unwrap_err();
    assert!(matches!(gone, Error::NotFound(_)), "{gone:?}");
}
