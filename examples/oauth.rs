//! Intercom's OAuth flow, end to end, on the simulator: build the authorize URL with a fresh state, "visit" it
//! as the user's browser would (without following the redirect), check the state of the redirect, exchange
//! its code for a token, and make a call with that token. A second exchange of the same code is refused.
//!
//! ```sh
//! cargo run --example oauth
//! ```
//!
//! In a web app, the visit is the user's browser: send them to the authorize URL, keep the state in their
//! session ([`State::as_str`], [`State::restore`]), and read the redirect in the handler of your redirect URI.

use std::error::Error;

use intercom_rest::oauth_flow::{AuthorizeUrl, Redirect, State};
use intercom_rest::simulator::{OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, Simulator};
use intercom_rest::{Client, Error as ApiCallError};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let simulator = Simulator::start().await?;
    println!("The Intercom simulator plays Intercom's authorize page and API on {}.", simulator.base_url());

    step("Build the authorize URL with a fresh state");
    let state = State::generate()?;
    let authorize = AuthorizeUrl::new(OAUTH_CLIENT_ID, &state)
        .base_url(simulator.base_url()) // https://app.intercom.com by default
        .redirect_uri("https://app.example.com/intercom/callback")
        .build()?;
    say(format!("send the user to {}", authorize.as_str().replace(state.as_str(), "<state>")));
    say(format!("keep the state with their session: {state:?} (never logged)"));

    step("The user authorizes the app; Intercom redirects them back");
    let browser = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let answer = browser.get(authorize.as_str()).send().await?;
    let location = answer.headers().get("location").ok_or("the authorize page did not redirect")?.to_str()?;
    say(format!("{} to {}", answer.status(), location.split('?').next().unwrap_or_default()));

    step("Check the state and take the code");
    let redirect = Redirect::parse(location)?;
    let code = redirect.code_for(&state)?;
    say(format!("the state matches; the code is {code:?}"));
    let forged = Redirect::parse("/intercom/callback?code=stolen&state=somebody-elses-state-value")?;
    match forged.code_for(&state) {
        Err(refused) => say(format!("a forged redirect is refused: {refused}")),
        Ok(_) => return Err("a forged redirect was believed".into()),
    }

    step("Exchange the code for a token (no access token needed)");
    let anonymous = Client::builder().base_url(simulator.base_url()).build()?;
    let granted = anonymous.get_access_token(OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, code.clone()).send().await?;
    let token = granted.bearer_token().ok_or("Intercom sent no token")?;
    say(format!("a {} token: {token:?}", granted.token_type.as_deref().unwrap_or("bearer")));
    match anonymous.get_access_token(OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, code).send().await {
        Err(ApiCallError::Unauthorized(_)) => say("the same code a second time is refused (401)"),
        other => return Err(format!("a code was exchanged twice: {other:?}").into()),
    }

    step("Call the API on the user's behalf");
    let client = Client::builder().base_url(simulator.base_url()).access_token(token).build()?;
    let me = client.get_current_admin().send().await?;
    say(format!("signed in as {} <{}>", me.name.as_deref().unwrap_or("-"), me.email.as_deref().unwrap_or("-")));
    Ok(())
}

/// Prints the title of a step.
fn step(title: &str) {
    println!("\n{title}");
}

/// Prints one line of a step's account.
fn say(line: impl AsRef<str>) {
    println!("   {}", line.as_ref());
}
