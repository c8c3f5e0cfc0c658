//! Conversations: a user writes in, the conversation is assigned to a team, snoozed and reopened, an admin
//! replies and closes it, and a note is left on the user. Runs on the simulator unless `INTERCOM_ACCESS_TOKEN`
//! is set.
//!
//! ```sh
//! cargo run --example conversations
//! ```

mod common;

use std::error::Error;
use std::time::{Duration, SystemTime};

use common::{connect, say, step, text};
use intercom_rest::UserIdType;
use serde_json::Value;

/// A conversation's state, assignee and snooze, as one line.
fn status(conversation: &Value) -> String {
    let assignee = &conversation["assignee"];
    let snoozed = match &conversation["snoozed_until"] {
        Value::Null => String::new(),
        until => format!(", snoozed until {until}"),
    };
    let id = assignee["id"].as_str().map_or_else(|| assignee["id"].to_string(), str::to_owned);
    format!("{}, assigned to {} {id}{snoozed}", text(&conversation["state"]), text(&assignee["type"]))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let (client, _simulator) = connect().await?;
    let admin = client.get_current_admin().send().await?;
    let admin_id = text(&admin["id"]).to_owned();
    client.create_user_by_id("carla-9").email("carla@example.com").name("Carla").send().await?;

    step("Carla writes in");
    let message =
        client.create_user_message("carla-9", UserIdType::UserId, "My invoice shows the wrong address.").send().await?;
    let conversation_id = text(&message["conversation_id"]).to_owned();
    say(format!("conversation {conversation_id}: \"{}\"", text(&message["body"])));

    step("It is assigned to a team, snoozed until tomorrow, then reopened");
    let teams = client.get_teams().send().await?;
    let team = &teams["teams"][0];
    let team_id = text(&team["id"]).to_owned();
    let assigned = client
        .assign_conversation(&conversation_id, &admin_id, &team_id)
        .body(format!("For {}: billing questions.", text(&team["name"])))
        .send()
        .await?;
    say(status(&assigned));
    let tomorrow = SystemTime::now() + Duration::from_secs(24 * 60 * 60);
    let snoozed = client.snooze_conversation(&conversation_id, &admin_id, tomorrow).send().await?;
    say(status(&snoozed));
    let reopened = client.open_conversation(&conversation_id, &admin_id).send().await?;
    say(status(&reopened));

    step(&format!("{} replies, marks it read and closes it", text(&admin["name"])));
    client.reply_to_admin_comment(&conversation_id, &admin_id, "Fixed: a new invoice is on its way.").send().await?;
    client.mark_conversation_as_read(&conversation_id).send().await?;
    let closed = client.close_conversation(&conversation_id, &admin_id).send().await?;
    for part in closed["conversation_parts"]["conversation_parts"].as_array().into_iter().flatten() {
        say(format!("{} by {} {}", text(&part["part_type"]), text(&part["author"]["type"]), text(&part["body"])));
    }

    step("A note on Carla for the team");
    client
        .create_note("carla-9", UserIdType::UserId, "Check the billing address on renewal.")
        .admin_id(&admin_id)
        .send()
        .await?;
    let notes = client.get_user_notes("carla-9", UserIdType::UserId).send().await?;
    for note in notes["notes"].as_array().into_iter().flatten() {
        say(text(&note["body"]));
    }

    step("Open conversations of the admin");
    let open = client.get_single_admin_conversations(&admin_id).open(true).send().await?;
    say(format!("{} open", open["conversations"].as_array().map_or(0, Vec::len)));
    Ok(())
}
