//! Leads and visitors: a lead is created anonymously, learns an email, then becomes a user; a visitor
//! becomes a lead. Runs on the simulator unless `INTERCOM_ACCESS_TOKEN` is set.
//!
//! ```sh
//! cargo run --example leads
//! ```

mod common;

use std::error::Error;

use common::{connect, say, shown, step};
use intercom_rest::object;
use intercom_rest::{ContactIdType, UserIdType};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let (client, simulator) = connect().await?;

    step("A visitor lands on the pricing page and starts a chat: a lead");
    let lead = client.create_lead().custom_attributes(object!({ "landing_page": "/pricing" })).send().await?;
    let lead_user_id = lead.user_id.clone().ok_or("Intercom gave the lead no user_id")?;
    say(format!("lead {} \"{}\", user_id {lead_user_id}", lead.id, shown(&lead.pseudonym)));

    step("They leave their email");
    let lead = client.update_lead(lead_user_id.as_str()).email("dana@example.com").name("Dana").send().await?;
    say(format!("{} <{}>", shown(&lead.name), shown(&lead.email)));
    let by_email = client.get_leads_by_email("dana@example.com").send().await?;
    say(format!("{} lead(s) have that email", by_email.contacts.len()));

    step("They sign up: the lead becomes a user");
    let user = client.convert_lead_to_user(lead_user_id.as_str(), UserIdType::UserId).user_id("dana-42").send().await?;
    say(format!("now a {} with user_id {}", shown(&user.kind), user.user_id.as_deref().unwrap_or("-")));

    // Visitors come from the Messenger, not from the API: only the simulator has some to show.
    if simulator.is_some() {
        step("A visitor of the simulated workspace becomes a lead");
        let visitor = client.get_single_visitor("visitor-0001", ContactIdType::UserId).send().await?;
        say(format!("visitor \"{}\"", shown(&visitor.pseudonym)));
        let converted = client.convert_visitor_to_lead("visitor-0001", UserIdType::UserId).send().await?;
        say(format!("now a {} with id {}", shown(&converted.kind), converted.id));
    }
    Ok(())
}
