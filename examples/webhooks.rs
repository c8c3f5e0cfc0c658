//! Webhook subscriptions: subscribe to user events, ping, read the sent feed, change the event names, and
//! unsubscribe. Runs on the simulator unless `INTERCOM_ACCESS_TOKEN` is set (the simulator records the
//! notifications instead of sending them).
//!
//! ```sh
//! cargo run --example webhooks
//! ```

mod common;

use std::error::Error;

use common::{connect, say, step, text};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let (client, _simulator) = connect().await?;

    step("Subscribe to new users, signed with a secret");
    let subscription = client
        .create_subscription("https://hooks.example.com/intercom", ["user.created", "user.deleted"])
        .hub_secret("a-shared-secret")
        .send()
        .await?;
    let id = text(&subscription["id"]).to_owned();
    say(format!("{id}: {} to {}", subscription["topics"], text(&subscription["url"])));

    step("Ping it, then read what was sent");
    client.ping_subscription(&id).send().await?;
    let sent = client.get_sent_feed(&id).send().await?;
    say(format!("{} notification(s) sent", sent["notifications"].as_array().map_or(0, Vec::len)));

    step("Subscribe to two events, then change them");
    let events =
        client.create_event_webhook_subscription(["ordered-item"], "https://hooks.example.com/events").send().await?;
    let events_id = text(&events["id"]).to_owned();
    let updated = client
        .update_event_webhook_subscription(
            &events_id,
            ["ordered-item", "invited-friend"],
            "https://hooks.example.com/events",
        )
        .send()
        .await?;
    say(format!("{events_id} now listens to {}", updated["metadata"]["event_names"]));

    step("Unsubscribe both");
    for id in [id, events_id] {
        client.delete_subscription(&id).send().await?;
    }
    let left = client.get_subscriptions().send().await?;
    say(format!("{} subscription(s) left", left["items"].as_array().map_or(0, Vec::len)));
    Ok(())
}
