//! Companies: create one, put users in it, tag it, and read its counts. Runs on the simulator unless
//! `INTERCOM_ACCESS_TOKEN` is set.
//!
//! ```sh
//! cargo run --example companies
//! ```

mod common;

use std::error::Error;

use common::{connect, say, shown, step};
use intercom_rest::models::{CompanyReference, CompanyTagReference};
use intercom_rest::{CountType, object};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let (client, _simulator) = connect().await?;

    step("Create a company, then update its plan");
    client.create_company("globex", "Globex").monthly_spend(1_200.0).plan("starter").send().await?;
    let company =
        client.update_company("globex").plan("enterprise").custom_attributes(object!({ "seats": 40 })).send().await?;
    // `plan` is text in Intercom's reference and an object in some answers: it is kept as JSON.
    let plan = company.plan.as_ref().and_then(|plan| plan.as_str().or(plan["name"].as_str())).unwrap_or("-");
    let seats = company.custom_attributes.as_ref().and_then(|attributes| attributes.get("seats").cloned());
    say(format!("{} on the {plan} plan, {} seats", shown(&company.name), seats.unwrap_or_default()));

    step("Two users join it");
    for (user_id, name) in [("hank-1", "Hank"), ("lucy-2", "Lucy")] {
        client
            .create_user_by_id(user_id)
            .name(name)
            .companies([CompanyReference::new().company_id("globex")])
            .send()
            .await?;
    }
    let users = client.get_company_users("globex").send().await?;
    say(format!("{} users", users.users.len()));

    step("Tag it as a key account, then find it by the tag");
    let tag = client.tag_company("key account", [CompanyTagReference::new().company_id("globex")]).send().await?;
    let tagged = client.get_companies_by_tag(tag.id.as_str()).send().await?;
    for company in &tagged.companies {
        say(format!("{} is a {}", shown(&company.name), shown(&tag.name)));
    }

    step("Counts");
    let counts = client.get_app_total_counts().count_type(CountType::Company).send().await?;
    say(format!("{} companies", counts.company.map_or(0, |company| company.count)));
    let by_users = client.get_company_users_count().send().await?;
    for company in &by_users.company.user {
        for (name, count) in company {
            say(format!("{name}: {count} user(s)"));
        }
    }
    Ok(())
}
