//! Triggers against the simulator: every new item once, oldest first, across polls and restarts.

use std::time::Duration;

use futures::StreamExt;
use intercom_rest::simulator::Simulator;
use intercom_rest::trigger::{FileCursorStore, MemoryCursorStore, TriggerStream};
use intercom_rest::{Client, Error, RetryPolicy};

/// Polls are quick in these tests.
const INTERVAL: Duration = Duration::from_millis(20);

fn client_of(simulator: &Simulator) -> Client {
    Client::builder()
        .base_url(simulator.base_url())
        .access_token(simulator.access_token())
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

async fn create_users(client: &Client, ids: &[&str]) {
    for id in ids {
        client.create_user_by_id(*id).email(format!("{id}@example.com")).send().await.unwrap();
    }
}

/// The `user_id`s of the next `count` items of a user stream.
async fn next_users(stream: &mut TriggerStream<intercom_rest::models::User>, count: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for _ in 0..count {
        let user = tokio::time::timeout(Duration::from_secs(5), stream.next()).await.expect("an item in time");
        let user = user.expect("the stream goes on").expect("a user");
        ids.push(user.user_id.map(|id| id.into_string()).unwrap_or_default());
    }
    ids
}

/// The first poll only marks where "from now on" starts: `ready` is what exists before it.
async fn started(client: &Client, store: &MemoryCursorStore) -> TriggerStream<intercom_rest::models::User> {
    let stream = client.new_users().interval(INTERVAL).store(store.clone()).stream();
    // The first poll runs when the first item is asked for; give it a cursor to find now.
    let mut probe = client.new_users().interval(INTERVAL).store(store.clone()).stream();
    let _ = tokio::time::timeout(Duration::from_millis(100), probe.next()).await;
    drop(probe);
    assert!(store.cursor().is_some_and(|cursor| cursor.since.is_some()), "the start was marked");
    stream
}

#[tokio::test]
async fn new_users_come_once_each_oldest_first_from_now_on() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    create_users(&client, &["before-1", "before-2"]).await;
    let store = MemoryCursorStore::new();
    let mut stream = started(&client, &store).await;
    create_users(&client, &["a", "b", "c"]).await;
    assert_eq!(next_users(&mut stream, 3).await, ["a", "b", "c"]);
    create_users(&client, &["d"]).await;
    assert_eq!(next_users(&mut stream, 1).await, ["d"], "the next poll brings what came since, and nothing again");
    stream.commit().unwrap();
    let cursor = store.cursor().unwrap();
    assert_eq!(cursor.trigger, "newUsers");
    assert!(cursor.recent.len() >= 4, "{cursor:?}");
}

#[tokio::test]
async fn a_restart_mid_page_or_after_a_crash_delivers_every_item_exactly_once() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    let store = MemoryCursorStore::new();
    drop(started(&client, &store).await);
    create_users(&client, &["p1", "p2", "p3", "p4", "p5"]).await;

    // A consumer takes two items of the page, saves, and stops (a restart mid-page).
    let mut seen = Vec::new();
    let mut stream = client.new_users().interval(INTERVAL).store(store.clone()).stream();
    seen.extend(next_users(&mut stream, 2).await);
    stream.commit().unwrap();
    drop(stream);

    // The next one takes one, is handed a fourth and crashes before it is done with it (nothing saved).
    let mut stream = client.new_users().interval(INTERVAL).store(store.clone()).stream();
    seen.extend(next_users(&mut stream, 1).await);
    let crashed_on = next_users(&mut stream, 1).await;
    drop(stream);

    // The last one gets the rest, the item it crashed on included.
    let mut stream = client.new_users().interval(INTERVAL).store(store.clone()).stream();
    let rest = next_users(&mut stream, 2).await;
    assert_eq!(rest[0], crashed_on[0], "the item being handled at the crash comes again");
    seen.extend(rest);
    assert_eq!(seen, ["p1", "p2", "p3", "p4", "p5"]);
    let nothing_more = tokio::time::timeout(Duration::from_millis(200), stream.next()).await;
    assert!(nothing_more.is_err(), "nothing is delivered twice: {nothing_more:?}");
}

#[tokio::test]
async fn updates_come_once_per_update() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    create_users(&client, &["u1", "u2"]).await;
    let store = MemoryCursorStore::new();
    let mut probe = client.updated_users().interval(INTERVAL).store(store.clone()).stream();
    let _ = tokio::time::timeout(Duration::from_millis(100), probe.next()).await;
    drop(probe);
    let mut stream = client.updated_users().interval(INTERVAL).store(store).stream();
    // Updates land on a later second than the start, so they are newer than it.
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    client.update_user_by_id("u1").name("One").send().await.unwrap();
    client.update_user_by_id("u1").name("One again").send().await.unwrap();
    let user = tokio::time::timeout(Duration::from_secs(5), stream.next()).await.unwrap().unwrap().unwrap();
    assert_eq!(user.name.as_deref(), Some("One again"), "two updates between polls come once, as at the later");
    let nothing_more = tokio::time::timeout(Duration::from_millis(200), stream.next()).await;
    assert!(nothing_more.is_err(), "{nothing_more:?}");
}

#[tokio::test]
async fn a_file_store_keeps_the_position_across_processes() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new-users.cursor");
    let mut probe = client.new_users().interval(INTERVAL).store(FileCursorStore::new(&path)).stream();
    let _ = tokio::time::timeout(Duration::from_millis(100), probe.next()).await;
    drop(probe);
    create_users(&client, &["f1", "f2"]).await;
    let mut stream = client.new_users().interval(INTERVAL).store(FileCursorStore::new(&path)).stream();
    assert_eq!(next_users(&mut stream, 1).await, ["f1"]);
    stream.commit().unwrap();
    drop(stream);
    let saved: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(saved["trigger"], "newUsers");
    assert!(!dir.path().join("new-users.cursor.tmp").exists(), "the temporary file was renamed");
    let mut stream = client.new_users().interval(INTERVAL).store(FileCursorStore::new(&path)).stream();
    assert_eq!(next_users(&mut stream, 1).await, ["f2"]);
}

#[tokio::test]
async fn a_store_of_another_trigger_is_refused() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    let store = MemoryCursorStore::new();
    let mut probe = client.new_leads().interval(INTERVAL).store(store.clone()).stream();
    let _ = tokio::time::timeout(Duration::from_millis(100), probe.next()).await;
    drop(probe);
    client.create_lead().name("Lead").send().await.unwrap();
    let mut stream = client.new_users().interval(INTERVAL).store(store).stream();
    let error = stream.next().await.unwrap().unwrap_err();
    assert!(matches!(&error, Error::Cursor { trigger: "newUsers", .. }), "{error:?}");
}

#[tokio::test]
async fn triggers_by_name_yield_json() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    let store = MemoryCursorStore::new();
    let mut probe = client.trigger("newConversations").unwrap().interval(INTERVAL).store(store.clone()).stream();
    let _ = tokio::time::timeout(Duration::from_millis(100), probe.next()).await;
    drop(probe);
    create_users(&client, &["talker"]).await;
    client.create_user_message("talker", intercom_rest::UserIdType::UserId, "Hello?").send().await.unwrap();
    let mut stream = client.trigger("newConversations").unwrap().interval(INTERVAL).store(store).stream();
    let conversation = tokio::time::timeout(Duration::from_secs(5), stream.next()).await.unwrap().unwrap().unwrap();
    assert_eq!(conversation["type"], "conversation");
    let unknown = client.trigger("newUser").unwrap_err();
    assert!(unknown.to_string().contains("did you mean `newUsers`?"), "{unknown}");
}
