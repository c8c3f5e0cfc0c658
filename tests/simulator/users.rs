//! Users through the simulator: upserts, the three ways to fetch and delete, lists, filters, paging, scroll.

use futures::TryStreamExt;
use intercom_rest::simulator::Simulator;
use intercom_rest::{Client, Error, UserIdType, UserSort};
use serde_json::{Value, json};

use super::{client_of, json, models};

/// Asserts the common shape of a user as Intercom returns it, and gives back its id.
pub fn assert_user(user: &Value) -> String {
    assert_eq!(user["type"], "user", "{user}");
    // The answer decoded into `models::User` (members sent as `null` are not written back): these always
    // hold a value.
    for key in ["id", "created_at", "updated_at", "custom_attributes", "companies", "tags", "segments"] {
        assert!(user.get(key).is_some(), "a user has `{key}`: {user}");
    }
    assert_eq!(user["tags"]["type"], "tag.list");
    assert_eq!(user["companies"]["type"], "company.list");
    user["id"].as_str().expect("the id is text").to_owned()
}

fn ids(list: &Value, key: &str) -> Vec<String> {
    list[key].as_array().unwrap().iter().map(|item| item["id"].as_str().unwrap().to_owned()).collect()
}

pub async fn exercise(client: &Client) {
    // Create by email and by user_id, then update each by the other identifier: the same users come back.
    let ann = client
        .create_user_by_email("ann@example.com")
        .name("Ann Example")
        .custom_attributes(intercom_rest::object!({ "plan": "pro" }))
        .last_request_at(intercom_rest::Timestamp::from(std::time::SystemTime::now()))
        .new_session(true)
        .send()
        .await
        .map(json)
        .unwrap();
    let ann_id = assert_user(&ann);
    assert_eq!((ann["email"].as_str(), ann["session_count"].as_i64()), (Some("ann@example.com"), Some(1)));
    let bob = client
        .create_user_by_id("bob-7")
        .email("bob@example.com")
        .companies(models([json!({ "company_id": "acme", "name": "Acme" })]))
        .signed_up_at("2024-05-01T10:00:00Z")
        .send()
        .await
        .map(json)
        .unwrap();
    let bob_id = assert_user(&bob);
    assert_eq!(bob["signed_up_at"], 1_714_557_600);
    assert_eq!(bob["companies"]["companies"][0]["company_id"], "acme");

    let ann_again = client
        .update_user_by_email("ann@example.com")
        .user_id("ann-1")
        .custom_attributes(intercom_rest::object!({ "seats": 3 }))
        .send()
        .await
        .map(json)
        .unwrap();
    assert_eq!(ann_again["id"], ann_id.as_str(), "the upsert matched the email");
    assert_eq!(ann_again["custom_attributes"], json!({ "plan": "pro", "seats": 3 }), "custom attributes merge");
    let bob_again = client
        .update_user_by_id("bob-7")
        .name("Bob Example")
        .update_last_request_at(true)
        .send()
        .await
        .map(json)
        .unwrap();
    assert_eq!((bob_again["id"].as_str(), bob_again["name"].as_str()), (Some(bob_id.as_str()), Some("Bob Example")));
    assert!(bob_again["last_request_at"].is_i64());

    // Fetch each way.
    let by_id = client.get_single_user(&ann_id, UserIdType::IntercomId).send().await.map(json).unwrap();
    let by_user_id = client.get_single_user("ann-1", UserIdType::UserId).send().await.map(json).unwrap();
    let by_email = client.get_single_user("ann@example.com", UserIdType::Email).send().await.map(json).unwrap();
    assert_eq!(assert_user(&by_id), ann_id);
    assert_eq!(assert_user(&by_user_id), ann_id);
    // Since API 1.1 an email fetches a list; the typed call returns its one user.
    assert_eq!(assert_user(&by_email), ann_id);
    let listed = client.get_single_user("ann@example.com", UserIdType::Email).send_json().await.unwrap();
    assert_eq!(listed["type"], "user.list");
    assert_eq!(ids(&listed, "users"), [ann_id.as_str()]);

    // Lists: paged, sorted, filtered.
    let page = client
        .get_users()
        .per_page(1)
        .page(1)
        .order(intercom_rest::SortOrder::Asc)
        .sort(UserSort::CreatedAt)
        .send()
        .await
        .map(json)
        .unwrap();
    assert_eq!(page["type"], "user.list");
    assert_eq!(page["pages"]["per_page"], 1);
    assert!(page["pages"]["next"].as_str().is_some_and(|next| next.contains("page=2")), "{page}");
    assert_eq!(ids(&page, "users"), [ann_id.as_str()], "ascending by creation");
    let everyone: Vec<Value> = client.get_users().per_page(1).stream().map_ok(json).try_collect().await.unwrap();
    assert!(everyone.len() >= 2);
    let tagged = client.get_users_by_tag("999999").send().await.map(json).unwrap();
    assert_eq!((tagged["type"].as_str(), tagged["users"].as_array().map(Vec::len)), (Some("user.list"), Some(0)));
    let active_segment = bob_again["segments"]["segments"][0]["id"]
        .as_str()
        .expect("a user seen now is in the Active segment")
        .to_owned();
    let in_segment = client.get_users_by_segment(&active_segment).send().await.map(json).unwrap();
    assert!(ids(&in_segment, "users").contains(&bob_id));

    // Scroll over all users to the end (which closes the scroll: the app may have one open at a time).
    let scrolled: Vec<Value> = client.scroll_users().stream().map_ok(json).try_collect().await.unwrap();
    assert_eq!(scrolled.len(), everyone.len());

    // Delete each way: the archived user comes back, then is gone.
    for (identifier, id_type) in [("del-1@example.com", UserIdType::Email), ("del-2", UserIdType::UserId)] {
        let user_id = identifier.trim_end_matches("@example.com");
        let user =
            client.create_user_by_id(user_id).email(format!("{user_id}@example.com")).send().await.map(json).unwrap();
        let id = assert_user(&user);
        let deleted = client.delete_user(identifier, id_type).send().await.map(json).unwrap();
        assert_eq!(deleted["id"], id.as_str());
    }
    let doomed = assert_user(&client.create_user_by_id("del-3").send().await.map(json).unwrap());
    client.delete_user(&doomed, UserIdType::IntercomId).send().await.map(json).unwrap();
    let gone = client.get_single_user(&doomed, UserIdType::IntercomId).send().await.map(json).unwrap_err();
    assert!(matches!(gone, Error::NotFound(_)), "{gone:?}");
}

#[tokio::test]
async fn an_email_shared_by_two_users_is_a_conflict_when_one_user_is_meant() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    client.create_user_by_id("twin-1").email("twins@example.com").send().await.map(json).unwrap();
    client.create_user_by_id("twin-2").email("twins@example.com").send().await.map(json).unwrap();
    // Intercom answers a list for an email: as JSON, both users; typed, the email names no single user.
    let both = client.get_single_user("twins@example.com", UserIdType::Email).send_json().await.unwrap();
    assert_eq!(both["users"].as_array().map(Vec::len), Some(2));
    let error = client.get_single_user("twins@example.com", UserIdType::Email).send().await.unwrap_err();
    assert!(matches!(&error, Error::Conflict(api) if api.errors[0].code == "conflict"), "{error:?}");
    let error = client.delete_user("twins@example.com", UserIdType::Email).send().await.map(json).unwrap_err();
    let Error::Conflict(api) = &error else { panic!("{error:?}") };
    assert_eq!(api.status, 409);
    assert!(api.request_id.is_some());
}

#[tokio::test]
async fn a_wrong_token_is_unauthorized() {
    let simulator = Simulator::start().await.unwrap();
    let client = Client::builder().base_url(simulator.base_url()).access_token("not-the-token").build().unwrap();
    let error = client.get_users().send().await.map(json).unwrap_err();
    let Error::Unauthorized(api) = &error else { panic!("{error:?}") };
    assert_eq!((api.status, api.errors[0].code.as_str()), (401, "unauthorized"));
}

#[tokio::test]
async fn a_second_scroll_is_refused_while_one_is_open() {
    let simulator = Simulator::builder().scroll_page_size(1).start().await.unwrap();
    let client = client_of(&simulator);
    for n in 0..3 {
        client.create_user_by_id(format!("scroller-{n}")).send().await.map(json).unwrap();
    }
    client.scroll_users().send().await.map(json).unwrap();
    let error = client.scroll_users().send().await.map(json).unwrap_err();
    assert!(matches!(error, Error::ScrollExists(_)), "{error:?}");
}
