//! What the examples share: a client of Intercom when `INTERCOM_ACCESS_TOKEN` is set, otherwise of the
//! embedded simulator, and a little printing.

use std::error::Error;

use intercom_rest::Client;
use intercom_rest::simulator::Simulator;

/// A client of Intercom (or `INTERCOM_BASE_URL`) when `INTERCOM_ACCESS_TOKEN` is set, otherwise of a simulator
/// started here. Keep the simulator alive as long as the client is used: dropping it stops it.
pub async fn connect() -> Result<(Client, Option<Simulator>), Box<dyn Error>> {
    if let Some(token) = std::env::var("INTERCOM_ACCESS_TOKEN").ok().filter(|token| !token.is_empty()) {
        let mut builder = Client::builder().access_token(token);
        if let Ok(base_url) = std::env::var("INTERCOM_BASE_URL") {
            builder = builder.base_url(base_url);
        }
        let client = builder.build()?;
        println!("Talking to {} (INTERCOM_ACCESS_TOKEN is set).", client.base_url());
        return Ok((client, None));
    }
    let simulator = Simulator::start().await?;
    let client = Client::builder().base_url(simulator.base_url()).access_token(simulator.access_token()).build()?;
    println!(
        "Talking to the Intercom simulator on {} (set INTERCOM_ACCESS_TOKEN to use Intercom).",
        simulator.base_url()
    );
    Ok((client, Some(simulator)))
}

/// Prints the title of a step.
pub fn step(title: &str) {
    println!("\n{title}");
}

/// Prints one line of a step's account.
pub fn say(line: impl AsRef<str>) {
    println!("   {}", line.as_ref());
}

/// An optional text member of a model, or "-" when Intercom sent none.
pub fn shown(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("-")
}
