//! Companies: create one, put users in it, tag it, and read its counts. Runs on the simulator unless
//! `INTERCOM_ACCESS_TOKEN` is set.
//!
//! ```sh
//! cargo run --example companies
//! ```

mod common;

use std::error::Error;

use common::{connect, say, step, text};
use intercom_rest::CountType;
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let (client, _simulator) = connect().await?;

    step("Create a company, then update its plan");
    client.create_company("globex", "Globex").monthly_spend(1_200.0).plan("starter").send().await?;
    let company =
        client.update_company("globex").plan("enterprise").custom_attributes(json!({ "seats": 40 })).send().await?;
    say(format!(
        "{} on the {} plan, {} seats",
        text(&company["name"]),
        text(&company["plan"]),
        company["custom_attributes"]["seats"]
    ));

    step("Two users join it");
    for (user_id, name) in [("hank-1", "Hank"), ("lucy-2", "Lucy")] {
        client.create_user_by_id(user_id).name(name).companies([json!({ "company_id": "globex" })]).send().await?;
    }
    let users = client.get_company_users("globex").send().await?;
    say(format!("{} users", users["users"].as_array().map_or(0, Vec::len)));

    step("Tag it as a key account, then find it by the tag");
    let tag = client.tag_company("key account", [json!({ "company_id": "globex" })]).send().await?;
    let tagged = client.get_companies_by_tag(text(&tag["id"])).send().await?;
    for company in tagged["companies"].as_array().into_iter().flatten() {
        say(format!("{} is a {}", text(&company["name"]), text(&tag["name"])));
    }

    step("Counts");
    let counts = client.get_app_total_counts().count_type(CountType::Company).send().await?;
    say(format!("{} companies", counts["company"]["count"]));
    let by_users = client.get_company_users_count().send().await?;
    say(format!("users per company: {}", by_users["company"]["user"]));
    Ok(())
}
