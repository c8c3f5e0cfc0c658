//! Verified webhooks, end to end and offline: the simulator delivers signed notifications to a receiver
//! (`intercom_rest::webhook::receiver`, the `webhook-receiver` feature) that checks each `X-Hub-Signature` and
//! hands the typed notifications to this program.
//!
//! ```sh
//! cargo run --example webhook_receiver
//! ```
//!
//! It always runs on the simulator: Intercom cannot reach a receiver on 127.0.0.1.

use std::error::Error;
use std::time::Duration;

use intercom_rest::models::WebhookItem;
use intercom_rest::simulator::Simulator;
use intercom_rest::webhook::{self, Webhook};
use intercom_rest::{Client, UserIdType};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// The secret the subscription signs its notifications with.
const HUB_SECRET: &str = "example-hub-secret";

/// The notifications awaited, one of each.
const TOPICS: [&str; 3] = ["ping", "user.created", "conversation.user.created"];

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let simulator = Simulator::builder().webhook_retries(3, Duration::from_millis(50)).start().await?;
    let client = Client::builder().base_url(simulator.base_url()).access_token(simulator.access_token()).build()?;

    // The receiver: verified webhooks arrive on a bounded channel; when it is full the receiver answers 503
    // and Intercom (here, the simulator) sends the notification again later.
    let (sender, mut webhooks) = mpsc::channel::<Webhook>(64);
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/intercom", listener.local_addr()?);
    let app = webhook::ReceiverBuilder::new(HUB_SECRET, sender).path("/intercom").build();
    tokio::spawn(async move { axum::serve(listener, app).await });
    println!("Receiving webhooks on {url}");

    let subscription = client
        .create_subscription(url.parse()?, ["user.created", "conversation.user.created"])
        .hub_secret(HUB_SECRET)
        .send()
        .await?;
    println!("Subscribed {}", subscription.id);

    client.ping_subscription(subscription.id.as_str()).send().await?;
    client.create_user_by_id("dana-7").email("dana@example.com").name("Dana").send().await?;
    client.create_user_message("dana-7", UserIdType::UserId, "Where is my order?").send().await?;

    // Notifications come in no particular order, as from Intercom; wait a bounded time for each topic.
    let mut awaited: Vec<&str> = TOPICS.to_vec();
    while !awaited.is_empty() {
        let Ok(Some(hook)) = tokio::time::timeout(Duration::from_secs(10), webhooks.recv()).await else {
            return Err(format!("no notification for {} within 10 seconds", awaited.join(", ")).into());
        };
        awaited.retain(|topic| *topic != hook.topic());
        let id = hook.id().unwrap_or("-");
        match &hook.item {
            WebhookItem::Ping(ping) => println!("{id} ping: {}", ping.message.as_deref().unwrap_or("-")),
            WebhookItem::UserCreated(user) => {
                println!("{id} user.created: {} <{}>", user.id, user.email.as_deref().unwrap_or("-"));
            }
            WebhookItem::ConversationUserCreated(conversation) => {
                let body = conversation.conversation_message.as_ref().and_then(|message| message.body.as_deref());
                println!("{id} conversation.user.created: {} {}", conversation.id, body.unwrap_or("-"));
            }
            other => println!("{id} {}", other.topic()),
        }
    }

    // A notification not signed with the secret is refused, and never reaches the channel.
    let forged = r#"{"type":"notification_event","topic":"ping","data":{"item":{"type":"ping"}}}"#;
    let answer = reqwest::Client::new()
        .post(&url)
        .header("X-Hub-Signature", webhook::signature("not-the-secret", forged.as_bytes()))
        .body(forged)
        .send()
        .await?;
    println!("A forged notification is answered {}", answer.status());

    // The simulator records a delivery once the receiver has answered: wait a little for the last one.
    for _ in 0..50 {
        let sent = client.get_sent_feed(subscription.id.as_str()).send().await?;
        if sent.notifications.len() >= TOPICS.len() {
            println!("The subscription's sent feed lists {} notifications", sent.notifications.len());
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}
