//! Typed calls: create a user, tag them, note a call, message them.
//!
//! With `INTERCOM_ACCESS_TOKEN` set, the calls go to Intercom (or to `INTERCOM_BASE_URL`). Without it, the
//! example only prepares each request and prints what would be sent, so it runs anywhere:
//!
//! ```sh
//! cargo run --example typed_calls
//! ```

use intercom_rest::models::UserReference;
use intercom_rest::{Client, Error, MessageType, PreparedRequest, ReceiverType, UserIdType, object};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let token = std::env::var("INTERCOM_ACCESS_TOKEN").ok().filter(|token| !token.is_empty());
    let mut builder = Client::builder();
    if let Ok(base_url) = std::env::var("INTERCOM_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    if let Some(token) = &token {
        builder = builder.access_token(token.as_str());
    }
    let client = builder.build()?;
    let live = token.is_some();
    if !live {
        println!("INTERCOM_ACCESS_TOKEN is not set: showing the requests instead of sending them.\n");
    }

    let create = client
        .create_user_by_email("ann@example.com")
        .name("Ann Example")
        .custom_attributes(object!({ "plan": "pro", "seats": 12 }))
        .last_request_at("2024-05-01T10:00:00Z");
    let tag = client.tag_user("vip", [UserReference::new().email("ann@example.com")]);
    let note = client.create_note("ann@example.com", UserIdType::Email, "Called about the invoice.");
    let email_to_ann = || {
        client.create_admin_message(
            "814",
            ReceiverType::User,
            "ann@example.com",
            UserIdType::Email,
            MessageType::Email,
            "Hi Ann",
        )
    };
    let message = email_to_ann().subject("Your invoice");

    if live {
        let user = create.send().await?;
        println!("created: user {} <{}>", user.id, user.email.unwrap_or_default());
        println!("tagged: tag {}", tag.send().await?.id);
        println!("noted: note {}", note.send().await?.id);
        println!("messaged: message {}", message.send().await?.id);
    } else {
        for request in [create.prepare()?, tag.prepare()?, note.prepare()?, message.prepare()?] {
            show(&request);
        }
        // A mistake is caught before anything is sent, naming the argument and why.
        println!("without a subject: {}", email_to_ann().prepare().unwrap_err());
    }
    Ok(())
}

fn show(request: &PreparedRequest) {
    println!("{}: {} {}", request.function(), request.method(), request.path_and_query());
    if let Some(body) = request.body() {
        println!("{body:#}");
    }
    println!();
}
