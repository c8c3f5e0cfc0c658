//! The quickstart: a realistic walk through the client.
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! Without `INTERCOM_ACCESS_TOKEN` it starts the embedded Intercom simulator on 127.0.0.1 and talks to it, so
//! it runs offline, with no account. With the variable set it talks to Intercom (or to `INTERCOM_BASE_URL`)
//! and creates the users, company, tag, event and conversation below in that workspace.

mod common;

use std::error::Error;
use std::time::SystemTime;

use common::{connect, say, step, text};
use futures::TryStreamExt;
use intercom_rest::{ConversationUserIdType, CountType, MessageType, ReceiverType, UserIdType};
use serde_json::{Value, json};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    // Kept alive until the end: dropping the simulator stops it.
    let (client, _simulator) = connect().await?;

    step("1. Create two users");
    let ann = client
        .create_user_by_email("ann@example.com")
        .name("Ann Example")
        .custom_attributes(json!({ "plan": "pro", "seats": 12 }))
        .last_request_at(SystemTime::now())
        .send()
        .await?;
    let bob = client.create_user_by_id("bob-1").email("bob@example.com").name("Bob Example").send().await?;
    for user in [&ann, &bob] {
        say(format!("{} <{}>, id {}", text(&user["name"]), text(&user["email"]), text(&user["id"])));
    }

    step("2. Create a company and put both users in it");
    let company = client.create_company("acme", "Acme Inc.").monthly_spend(4_500.0).plan("growth").send().await?;
    say(format!(
        "{} (company_id {}), spending {} a month",
        text(&company["name"]),
        text(&company["company_id"]),
        company["monthly_spend"]
    ));
    client.update_user_by_email("ann@example.com").companies([json!({ "company_id": "acme" })]).send().await?;
    client.update_user_by_id("bob-1").companies([json!({ "company_id": "acme" })]).send().await?;
    let members = client.get_company_users("acme").send().await?;
    say(format!(
        "{} now has {} users: {}",
        text(&company["name"]),
        members["users"].as_array().map_or(0, Vec::len),
        names(&members["users"])
    ));

    step("3. Tag both users as VIPs");
    let tag =
        client.tag_user("VIP", [json!({ "email": "ann@example.com" }), json!({ "user_id": "bob-1" })]).send().await?;
    let tagged = client.get_users_by_tag(text(&tag["id"])).send().await?;
    say(format!("tag {} (id {}) is on {}", text(&tag["name"]), text(&tag["id"]), names(&tagged["users"])));

    step("4. Record that Bob ordered something");
    client
        .submit_event("ordered-item", "bob-1", SystemTime::now())
        .metadata(json!({ "order_number": "A-1017", "price": 49.9 }))
        .send()
        .await?;
    let summary = client.get_user_events_summaries("bob-1").send().await?;
    for event in summary["events"].as_array().into_iter().flatten() {
        say(format!("Bob did `{}` {} time(s)", text(&event["name"]), event["count"]));
    }

    step("5. List the users, one page at a time");
    let mut page_number = 1;
    loop {
        let page = client.get_users().per_page(1).page(page_number).send().await?;
        let total_pages = page["pages"]["total_pages"].as_i64().unwrap_or(1);
        say(format!("page {page_number} of {total_pages}: {}", names(&page["users"])));
        if page["pages"]["next"].is_null() {
            break;
        }
        page_number += 1;
    }
    let everyone: Vec<Value> = client.get_users().stream().try_collect().await?;
    say(format!("or as one stream over every page: {} users", everyone.len()));

    step("6. An admin sends Ann an in-app message");
    let admin = client.get_current_admin().send().await?;
    let admin_id = text(&admin["id"]).to_owned();
    let message = client
        .create_admin_message(
            &admin_id,
            ReceiverType::User,
            "ann@example.com",
            UserIdType::Email,
            MessageType::Inapp,
            "Welcome aboard, Ann!",
        )
        .send()
        .await?;
    say(format!("{} sent message {}: \"{}\"", text(&admin["name"]), text(&message["id"]), text(&message["body"])));
    let conversations =
        client.get_single_user_conversations("ann@example.com", ConversationUserIdType::Email).send().await?;
    let conversation_id = text(&conversations["conversations"][0]["id"]).to_owned();
    say(format!("it opened conversation {conversation_id}"));

    step("7. Ann replies, the admin answers, then closes the conversation");
    client
        .reply_to_user_comment(
            &conversation_id,
            "Thanks! How do I invite my team?",
            "ann@example.com",
            ConversationUserIdType::Email,
        )
        .send()
        .await?;
    client.reply_to_admin_comment(&conversation_id, &admin_id, "Settings, then Team, then Invite.").send().await?;
    let closed = client.close_conversation(&conversation_id, &admin_id).send().await?;
    let parts = closed["conversation_parts"]["conversation_parts"].as_array().map_or(0, Vec::len);
    say(format!("conversation {conversation_id}: {parts} parts, state {}", text(&closed["state"])));

    step("8. Read the counts");
    let users = client.get_app_total_counts().count_type(CountType::User).send().await?;
    let conversations = client.get_app_conversation_count().send().await?;
    say(format!("{} users", users["user"]["count"]));
    let counts = &conversations["conversation"];
    say(format!("conversations: {} open, {} closed", counts["open"], counts["closed"]));

    println!("\nDone. The same calls work against Intercom: set INTERCOM_ACCESS_TOKEN.");
    Ok(())
}

/// The names of a JSON array of people, joined.
fn names(people: &Value) -> String {
    let names: Vec<&str> = people.as_array().into_iter().flatten().map(|person| text(&person["name"])).collect();
    names.join(", ")
}
