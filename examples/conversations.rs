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

use common::{connect, say, shown, step};
use intercom_rest::UserIdType;
use intercom_rest::models::Conversation;

/// A conversation's state, assignee and snooze, as one line.
fn status(conversation: &Conversation) -> String {
    let state = conversation.state.as_ref().map(ToString::to_string).unwrap_or_default();
    let assignee = conversation.assignee.clone().unwrap_or_default();
    let kind = assignee.kind.map(|kind| kind.to_string()).unwrap_or_default();
    let id = assignee.id.map(|id| id.into_string()).unwrap_or_default();
    let snoozed = conversation.snoozed_until.map(|until| format!(", snoozed until {until}")).unwrap_or_default();
    format!("{state}, assigned to {kind} {id}{snoozed}")
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let (client, _simulator) = connect().await?;
    let admin = client.get_current_admin().send().await?;
    let admin_id = admin.id.as_str();
    client.create_user_by_id("carla-9").email("carla@example.com").name("Carla").send().await?;

    step("Carla writes in");
    let message =
        client.create_user_message("carla-9", UserIdType::UserId, "My invoice shows the wrong address.").send().await?;
    let conversation_id = message.conversation_id.ok_or("the message opened no conversation")?;
    let conversation_id = conversation_id.as_str();
    say(format!("conversation {conversation_id}: \"{}\"", shown(&message.body)));

    step("It is assigned to a team, snoozed until tomorrow, then reopened");
    let teams = client.get_teams().send().await?;
    let team = teams.teams.first().ok_or("the workspace has no team")?;
    let assigned = client
        .assign_conversation(conversation_id, admin_id, team.id.as_str())
        .body(format!("For {}: billing questions.", shown(&team.name)))
        .send()
        .await?;
    say(status(&assigned));
    let tomorrow = SystemTime::now() + Duration::from_secs(24 * 60 * 60);
    let snoozed = client.snooze_conversation(conversation_id, admin_id, tomorrow).send().await?;
    say(status(&snoozed));
    let reopened = client.open_conversation(conversation_id, admin_id).send().await?;
    say(status(&reopened));

    step(&format!("{} replies, marks it read and closes it", shown(&admin.name)));
    client.reply_to_admin_comment(conversation_id, admin_id, "Fixed: a new invoice is on its way.").send().await?;
    client.mark_conversation_as_read(conversation_id).send().await?;
    let closed = client.close_conversation(conversation_id, admin_id).send().await?;
    for part in closed.conversation_parts.iter().flat_map(|parts| &parts.conversation_parts) {
        let kind = part.part_type.as_ref().map(ToString::to_string).unwrap_or_default();
        let author = part.author.as_ref().and_then(|author| author.kind.as_ref()).map(ToString::to_string);
        say(format!("{kind} by {} {}", author.unwrap_or_default(), shown(&part.body)));
    }

    step("A note on Carla for the team");
    client
        .create_note("carla-9", UserIdType::UserId, "Check the billing address on renewal.")
        .admin_id(admin_id)
        .send()
        .await?;
    let notes = client.get_user_notes("carla-9", UserIdType::UserId).send().await?;
    for note in &notes.notes {
        say(shown(&note.body));
    }

    step("Open conversations of the admin");
    let open = client.get_single_admin_conversations(admin_id).open(true).send().await?;
    say(format!("{} open", open.conversations.len()));
    Ok(())
}
