//! Webhook subscriptions: subscribe to user events, ping, read the sent feed, change the event names, and
//! unsubscribe. Runs on the simulator unless `INTERCOM_ACCESS_TOKEN` is set (the simulator records the
//! notifications for a URL off the machine instead of sending them; `webhook_receiver` shows real deliveries).
//!
//! ```sh
//! cargo run --example webhooks
//! ```

mod common;

use std::error::Error;

use common::{connect, say, shown, step};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let (client, _simulator) = connect().await?;

    step("Subscribe to new users, signed with a secret");
    let subscription = client
        .create_subscription("https://hooks.example.com/intercom".parse()?, ["user.created", "user.deleted"])
        .hub_secret("a-shared-secret")
        .send()
        .await?;
    let id = subscription.id.clone();
    let topics: Vec<String> = subscription.topics.iter().flatten().map(ToString::to_string).collect();
    say(format!("{id}: {} to {}", topics.join(", "), shown(&subscription.url)));

    step("Ping it, then read what was sent");
    client.ping_subscription(id.as_str()).send().await?;
    let sent = client.get_sent_feed(id.as_str()).send().await?;
    say(format!("{} notification(s) sent", sent.notifications.len()));

    step("Subscribe to two events, then change them");
    let events = client
        .create_event_webhook_subscription(["ordered-item"], "https://hooks.example.com/events".parse()?)
        .send()
        .await?;
    let events_id = events.id;
    let updated = client
        .update_event_webhook_subscription(
            events_id.as_str(),
            ["ordered-item", "invited-friend"],
            "https://hooks.example.com/events".parse()?,
        )
        .send()
        .await?;
    let names = updated.metadata.and_then(|metadata| metadata.event_names).unwrap_or_default();
    say(format!("{events_id} now listens to {}", names.join(", ")));

    step("Unsubscribe both");
    for id in [id, events_id] {
        client.delete_subscription(id.as_str()).send().await?;
    }
    let left = client.get_subscriptions().send().await?;
    say(format!("{} subscription(s) left", left.items.len()));
    Ok(())
}
