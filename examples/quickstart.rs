//! The quickstart: a realistic walk through the client.
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! Without `INTERCOM_ACCESS_TOKEN` it starts the embedded Intercom simulator on 127.0.0.1 and talks to it, so
//! it runs offline, with no account. With the variable set it talks to Intercom (or to `INTERCOM_BASE_URL`)
//! and creates the users, company, tag, event and conversation below in that workspace. Every answer is a
//! typed model (`intercom_rest::models`): members are fields, and a member Intercom may leave out is an
//! `Option`.

mod common;

use std::error::Error;
use std::time::SystemTime;

use common::{connect, say, shown, step};
use futures::TryStreamExt;
use intercom_rest::models::{CompanyReference, User, UserReference};
use intercom_rest::{ConversationUserIdType, CountType, MessageType, ReceiverType, UserIdType, object};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    // Kept alive until the end: dropping the simulator stops it.
    let (client, _simulator) = connect().await?;

    step("1. Create two users");
    let ann = client
        .create_user_by_email("ann@example.com")
        .name("Ann Example")
        .custom_attributes(object!({ "plan": "pro", "seats": 12 }))
        .last_request_at(SystemTime::now())
        .send()
        .await?;
    let bob = client.create_user_by_id("bob-1").email("bob@example.com").name("Bob Example").send().await?;
    for user in [&ann, &bob] {
        say(format!("{} <{}>, id {}", shown(&user.name), shown(&user.email), user.id));
    }

    step("2. Create a company and put both users in it");
    let company = client.create_company("acme", "Acme Inc.").monthly_spend(4_500.0).plan("growth").send().await?;
    say(format!(
        "{} (company_id {}), spending {} a month",
        shown(&company.name),
        company.company_id.as_deref().unwrap_or("-"),
        company.monthly_spend.unwrap_or_default()
    ));
    client
        .update_user_by_email("ann@example.com")
        .companies([CompanyReference::new().company_id("acme")])
        .send()
        .await?;
    client.update_user_by_id("bob-1").companies([CompanyReference::new().company_id("acme")]).send().await?;
    let members = client.get_company_users("acme").send().await?;
    say(format!("{} now has {} users: {}", shown(&company.name), members.users.len(), names(&members.users)));

    step("3. Tag both users as VIPs");
    let tag = client
        .tag_user("VIP", [UserReference::new().email("ann@example.com"), UserReference::new().user_id("bob-1")])
        .send()
        .await?;
    let tagged = client.get_users_by_tag(tag.id.as_str()).send().await?;
    say(format!("tag {} (id {}) is on {}", shown(&tag.name), tag.id, names(&tagged.users)));

    step("4. Record that Bob ordered something");
    client
        .submit_event("ordered-item", "bob-1", SystemTime::now())
        .metadata(object!({ "order_number": "A-1017", "price": 49.9 }))
        .send()
        .await?;
    let summary = client.get_user_events_summaries("bob-1").send().await?;
    for event in &summary.events {
        say(format!("Bob did `{}` {} time(s)", shown(&event.name), event.count.unwrap_or_default()));
    }

    step("5. List the users, one page at a time");
    let mut page_number = 1;
    loop {
        let page = client.get_users().per_page(1).page(page_number).send().await?;
        let pages = page.pages.unwrap_or_default();
        say(format!("page {page_number} of {}: {}", pages.total_pages.unwrap_or(1), names(&page.users)));
        if pages.next.is_none() {
            break;
        }
        page_number += 1;
    }
    let everyone: Vec<User> = client.get_users().stream().try_collect().await?;
    say(format!("or as one stream over every page: {} users", everyone.len()));

    step("6. An admin sends Ann an in-app message");
    let admin = client.get_current_admin().send().await?;
    let message = client
        .create_admin_message(
            admin.id.as_str(),
            ReceiverType::User,
            "ann@example.com",
            UserIdType::Email,
            MessageType::Inapp,
            "Welcome aboard, Ann!",
        )
        .send()
        .await?;
    say(format!("{} sent message {}: \"{}\"", shown(&admin.name), message.id, shown(&message.body)));
    let conversations =
        client.get_single_user_conversations("ann@example.com", ConversationUserIdType::Email).send().await?;
    let conversation_id = conversations.conversations.first().map(|conversation| conversation.id.clone());
    let conversation_id = conversation_id.ok_or("the message opened no conversation")?;
    say(format!("it opened conversation {conversation_id}"));

    step("7. Ann replies, the admin answers, then closes the conversation");
    client
        .reply_to_user_comment(
            conversation_id.as_str(),
            "Thanks! How do I invite my team?",
            "ann@example.com",
            ConversationUserIdType::Email,
        )
        .send()
        .await?;
    client
        .reply_to_admin_comment(conversation_id.as_str(), admin.id.as_str(), "Settings, then Team, then Invite.")
        .send()
        .await?;
    let closed = client.close_conversation(conversation_id.as_str(), admin.id.as_str()).send().await?;
    let parts = closed.conversation_parts.map_or(0, |parts| parts.conversation_parts.len());
    let state = closed.state.map(|state| state.to_string()).unwrap_or_default();
    say(format!("conversation {conversation_id}: {parts} parts, state {state}"));

    step("8. Read the counts");
    let users = client.get_app_total_counts().count_type(CountType::User).send().await?;
    let conversations = client.get_app_conversation_count().send().await?.conversation;
    say(format!("{} users", users.user.map_or(0, |user| user.count)));
    say(format!(
        "conversations: {} open, {} closed",
        conversations.open.unwrap_or_default(),
        conversations.closed.unwrap_or_default()
    ));

    println!("\nDone. The same calls work against Intercom: set INTERCOM_ACCESS_TOKEN.");
    Ok(())
}

/// The names of some people, joined.
fn names(people: &[User]) -> String {
    let names: Vec<&str> = people.iter().map(|person| shown(&person.name)).collect();
    names.join(", ")
}
