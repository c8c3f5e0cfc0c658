//! Conversations: a user writes in, an admin replies and closes, and a note is left on the user. Runs on the
//! simulator unless `INTERCOM_ACCESS_TOKEN` is set.
//!
//! ```sh
//! cargo run --example conversations
//! ```

mod common;

use std::error::Error;

use common::{connect, say, step, text};
use intercom_rest::UserIdType;

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
