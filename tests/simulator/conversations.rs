//! Messages, conversations, notes and events through the simulator: admins and customers write messages that
//! open conversations, which are listed, read, replied to, closed and reopened; notes are written about a user;
//! a user's events are submitted, listed page by page and summed up.

use futures::TryStreamExt;
use intercom_rest::simulator::Simulator;
use intercom_rest::{
    Client, ContactIdType, ConversationUserIdType, Error, MessageTemplate, MessageType, ReceiverType, UserIdType,
};
use serde_json::{Value, json};

use super::{client_of, json};

/// The ids of the seeded admins.
async fn admin_ids(client: &Client) -> Vec<String> {
    let admins = client.get_admins().send().await.map(json).unwrap();
    admins["admins"].as_array().expect("admins").iter().map(|admin| text(&admin["id"]).to_owned()).collect()
}

/// A new user, by `user_id` and email; gives back its Intercom id.
async fn new_user(client: &Client, user_id: &str) -> String {
    let user =
        client.create_user_by_id(user_id).email(format!("{user_id}@example.com")).send().await.map(json).unwrap();
    text(&user["id"]).to_owned()
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_else(|| panic!("text expected, got {value}"))
}

fn ids(list: &Value, key: &str) -> Vec<String> {
    list[key].as_array().expect("a list").iter().map(|item| text(&item["id"]).to_owned()).collect()
}

/// Asserts the shape of a conversation, with its parts or (in lists) without, and gives back its id.
fn assert_conversation(conversation: &Value, with_parts: bool) -> String {
    assert_eq!(conversation["type"], "conversation", "{conversation}");
    for key in ["created_at", "updated_at", "open", "state", "read", "user", "customers", "assignee", "tags"] {
        assert!(conversation.get(key).is_some(), "a conversation has `{key}`: {conversation}");
    }
    assert_eq!(conversation["conversation_message"]["type"], "conversation_message");
    assert_eq!(conversation["tags"]["type"], "tag.list");
    assert_eq!(conversation.get("conversation_parts").is_some(), with_parts, "{conversation}");
    if with_parts {
        let parts = &conversation["conversation_parts"];
        assert_eq!(parts["type"], "conversation_part.list");
        assert_eq!(
            parts["total_count"].as_u64(),
            parts["conversation_parts"].as_array().map(|parts| parts.len() as u64)
        );
    }
    text(&conversation["id"]).to_owned()
}

/// The last part of a conversation.
fn last_part(conversation: &Value) -> &Value {
    let parts = conversation["conversation_parts"]["conversation_parts"].as_array().expect("parts");
    parts.last().expect("a part")
}

/// The conversation a message opened: the newest of its customer's, whose message has this body.
async fn conversation_of(client: &Client, user_id: &str, body: &str) -> String {
    let listed =
        client.get_single_user_conversations(user_id, ConversationUserIdType::IntercomUserId).send().await.map(json);
    let listed = listed.unwrap();
    let found =
        listed["conversations"].as_array().expect("conversations").iter().find(|conversation| {
            conversation["conversation_message"]["body"].as_str() == Some(&format!("<p>{body}</p>"))
        });
    text(&found.expect("the message's conversation")["id"]).to_owned()
}

pub async fn exercise(client: &Client) {
    let admins = admin_ids(client).await;
    let (ada, grace) = (&admins[0], &admins[1]);
    let nia = new_user(client, "conv-nia").await;
    let lead = client.create_lead().email("conv-lead@example.com").name("Lee Lead").send().await.map(json).unwrap();
    let lead_id = text(&lead["id"]).to_owned();

    let conversations = messages_open_conversations(client, ada, &nia, &lead_id).await;
    conversations_are_listed(client, ada, &nia, &conversations).await;
    conversations_are_replied_to_read_and_closed(client, ada, grace, &nia, &conversations).await;
    notes_are_written_about_a_user(client, ada, &nia).await;
    events_are_submitted_listed_and_summed_up(client, &nia).await;
}

/// The conversations the messages of [`messages_open_conversations`] opened.
struct Opened {
    /// Ada's in-app message to Nia.
    inapp: String,
    /// Ada's email to Nia.
    email: String,
    /// Nia's own message.
    from_user: String,
    /// The lead's message.
    from_lead: String,
}

async fn messages_open_conversations(client: &Client, ada: &str, nia: &str, lead: &str) -> Opened {
    let inapp = client
        .create_admin_message(ada, ReceiverType::User, "conv-nia", UserIdType::UserId, MessageType::Inapp, "Welcome!")
        .send()
        .await
        .map(json)
        .unwrap();
    assert_eq!(inapp["type"], "admin_message", "{inapp}");
    assert_eq!((inapp["message_type"].as_str(), inapp["body"].as_str()), (Some("inapp"), Some("Welcome!")));
    assert_eq!((inapp["owner"]["type"].as_str(), inapp["owner"]["id"].as_str()), (Some("admin"), Some(ada)));
    assert!(inapp["owner"]["name"].is_string() && inapp["created_at"].is_i64(), "{inapp}");
    assert_eq!(inapp["to"], json!({ "type": "user", "id": nia }));

    let email = client
        .create_admin_message(
            ada,
            ReceiverType::User,
            "conv-nia@example.com",
            UserIdType::Email,
            MessageType::Email,
            "Your invoice is ready.",
        )
        .subject("Invoice")
        .template(MessageTemplate::Personal)
        .send()
        .await
        .map(json)
        .unwrap();
    assert_eq!(
        (email["message_type"].as_str(), email["subject"].as_str(), email["template"].as_str()),
        (Some("email"), Some("Invoice"), Some("personal"))
    );

    let from_user =
        client.create_user_message(nia, UserIdType::IntercomId, "Where is my invoice?").send().await.map(json).unwrap();
    assert_eq!(from_user["type"], "user_message", "{from_user}");
    assert_eq!(
        (from_user["message_type"].as_str(), from_user["body"].as_str()),
        (Some("inapp"), Some("Where is my invoice?"))
    );

    let from_lead = client
        .create_contact_message(lead, ContactIdType::IntercomId, "Do you ship to Mars?")
        .send()
        .await
        .map(json)
        .unwrap();
    assert_eq!(from_lead["type"], "user_message", "{from_lead}");

    Opened {
        inapp: conversation_of(client, nia, "Welcome!").await,
        email: conversation_of(client, nia, "Your invoice is ready.").await,
        from_user: text(&from_user["conversation_id"]).to_owned(),
        from_lead: text(&from_lead["conversation_id"]).to_owned(),
    }
}

async fn conversations_are_listed(client: &Client, ada: &str, nia: &str, opened: &Opened) {
    let all = client.get_conversations().send().await.map(json).unwrap();
    assert_eq!(all["type"], "conversation.list", "{all}");
    assert_eq!(all["pages"]["per_page"], 20, "conversations come 20 to a page");
    for conversation in all["conversations"].as_array().expect("conversations") {
        assert_conversation(conversation, false);
    }
    let listed = ids(&all, "conversations");
    let position = |id: &str| listed.iter().position(|listed| listed == id).expect("listed");
    assert!(position(&opened.from_lead) < position(&opened.inapp), "newest first: {listed:?}");

    let adas = client.get_single_admin_conversations(ada).open(true).send().await.map(json).unwrap();
    assert_eq!(adas["type"], "conversation.list");
    let adas = ids(&adas, "conversations");
    assert!(adas.contains(&opened.inapp) && adas.contains(&opened.email), "{adas:?}");
    assert!(!adas.contains(&opened.from_user), "a customer's message is unassigned");

    let nias = client
        .get_single_user_conversations("conv-nia@example.com", ConversationUserIdType::Email)
        .send()
        .await
        .map(json);
    let mut nias = ids(&nias.unwrap(), "conversations");
    nias.sort();
    let mut expected = vec![opened.inapp.clone(), opened.email.clone(), opened.from_user.clone()];
    expected.sort();
    assert_eq!(nias, expected);
    let by_user_id =
        client.get_single_user_conversations("conv-nia", ConversationUserIdType::UserId).send().await.map(json);
    assert_eq!(by_user_id.unwrap()["conversations"].as_array().map(Vec::len), Some(3));

    let inapp = client.get_single_conversation(&opened.inapp).send().await.map(json).unwrap();
    assert_conversation(&inapp, true);
    assert_eq!(
        (inapp["open"].as_bool(), inapp["state"].as_str(), inapp["read"].as_bool()),
        (Some(true), Some("open"), Some(false))
    );
    assert_eq!(inapp["assignee"], json!({ "type": "admin", "id": ada }));
    assert_eq!(inapp["user"], json!({ "type": "user", "id": nia }));
    assert_eq!(inapp["conversation_message"]["delivered_as"], "admin_initiated");
    let from_lead = client.get_single_conversation(&opened.from_lead).send().await.map(json).unwrap();
    assert_eq!(
        (from_lead["user"]["type"].as_str(), from_lead["assignee"]["type"].as_str()),
        (Some("lead"), Some("nobody_admin"))
    );
    assert_eq!(from_lead["conversation_message"]["delivered_as"], "customer_initiated");
}

async fn conversations_are_replied_to_read_and_closed(
    client: &Client,
    ada: &str,
    grace: &str,
    nia: &str,
    opened: &Opened,
) {
    let replied = client
        .reply_to_admin_comment(&opened.from_user, grace, "It is in your inbox.")
        .attachment_urls(["https://files.example.com/invoices/2024-05.pdf".parse().unwrap()])
        .send()
        .await
        .map(json)
        .unwrap();
    assert_conversation(&replied, true);
    let part = last_part(&replied);
    assert_eq!((part["type"].as_str(), part["part_type"].as_str()), (Some("conversation_part"), Some("comment")));
    assert_eq!(part["body"], "<p>It is in your inbox.</p>");
    assert_eq!((part["author"]["type"].as_str(), part["author"]["id"].as_str()), (Some("admin"), Some(grace)));
    assert_eq!(part["attachments"][0]["url"], "https://files.example.com/invoices/2024-05.pdf");
    assert_eq!(part["attachments"][0]["name"], "2024-05.pdf");

    let thanked = client
        .reply_to_user_comment(&opened.from_user, "Found it, thanks!", "conv-nia", ConversationUserIdType::UserId)
        .send()
        .await
        .map(json)
        .unwrap();
    assert_eq!(thanked["conversation_parts"]["total_count"], 2);
    assert_eq!(
        last_part(&thanked)["author"],
        // A member sent as `null` is not written back once decoded.
        json!({ "type": "user", "id": nia, "email": "conv-nia@example.com" })
    );

    let unread = client.get_single_conversation(&opened.email).send().await.map(json).unwrap();
    assert_eq!(unread["read"], false);
    let read = client.mark_conversation_as_read(&opened.email).send().await.map(json).unwrap();
    assert_eq!((read["id"].as_str(), read["read"].as_bool()), (Some(opened.email.as_str()), Some(true)));

    let closed = client.close_conversation(&opened.email, ada).send().await.map(json).unwrap();
    assert_eq!((closed["open"].as_bool(), closed["state"].as_str()), (Some(false), Some("closed")));
    assert_eq!(last_part(&closed)["part_type"], "close");
    let closed_ones = client.get_single_admin_conversations(ada).open(false).send().await.map(json).unwrap();
    assert_eq!(ids(&closed_ones, "conversations"), [opened.email.as_str()]);

    // Nia's last conversation is the one she started.
    let last = client.reply_to_users_last_conversation(nia, ada, "Anything else?").send().await.map(json).unwrap();
    assert_eq!(last["id"], opened.from_user.as_str());
    assert_eq!(
        (last_part(&last)["body"].as_str(), last["conversation_parts"]["total_count"].as_u64()),
        (Some("<p>Anything else?</p>"), Some(3))
    );
}

async fn notes_are_written_about_a_user(client: &Client, ada: &str, nia: &str) {
    let first = client
        .create_note("conv-nia@example.com", UserIdType::Email, "Asked about invoices.")
        .admin_id(ada)
        .send()
        .await
        .map(json);
    let first = first.unwrap();
    assert_eq!(first["type"], "note", "{first}");
    assert_eq!(first["body"], "<p>Asked about invoices.</p>");
    assert_eq!((first["author"]["type"].as_str(), first["author"]["id"].as_str()), (Some("admin"), Some(ada)));
    assert_eq!(first["user"], json!({ "type": "user", "id": nia }));
    assert!(first["created_at"].is_i64());
    let second = client.create_note("conv-nia", UserIdType::UserId, "<b>VIP</b>").send().await.map(json).unwrap();
    assert_eq!((second["body"].as_str(), second["author"].is_null()), (Some("<b>VIP</b>"), true));

    let notes = client.get_user_notes(nia, UserIdType::IntercomId).send().await.map(json).unwrap();
    assert_eq!(notes["type"], "note.list", "{notes}");
    assert_eq!(ids(&notes, "notes"), [text(&second["id"]).to_owned(), text(&first["id"]).to_owned()], "newest first");
    let streamed: Vec<Value> =
        client.get_user_notes("conv-nia", UserIdType::UserId).stream().map_ok(json).try_collect().await.unwrap();
    assert_eq!(streamed.len(), 2);

    let fetched = client.get_single_note(text(&first["id"])).send().await.map(json).unwrap();
    assert_eq!(fetched, first);
}

async fn events_are_submitted_listed_and_summed_up(client: &Client, nia: &str) {
    for (name, at) in
        [("paid-invoice", 1_714_557_600), ("opened-invoice", 1_714_471_200), ("paid-invoice", 1_714_644_000)]
    {
        let accepted = client
            .submit_event(name, "conv-nia", at)
            .metadata(intercom_rest::object!({ "invoice": "2024-05", "amount": { "amount": 4200, "currency": "eur" } }))
            .send()
            .await
            .map(json)
            .unwrap();
        assert!(accepted.is_null(), "202 Accepted has no body: {accepted}");
    }

    let events = client.get_user_events("conv-nia").send().await.map(json).unwrap();
    assert_eq!(events["type"], "event.list", "{events}");
    assert!(events["pages"]["next"].is_null(), "one page: {events}");
    let listed = events["events"].as_array().expect("events");
    let times: Vec<i64> = listed.iter().map(|event| event["created_at"].as_i64().unwrap()).collect();
    assert_eq!(times, [1_714_644_000, 1_714_557_600, 1_714_471_200], "newest first");
    let event = &listed[0];
    assert_eq!((event["type"].as_str(), event["event_name"].as_str()), (Some("event"), Some("paid-invoice")));
    assert_eq!((event["user_id"].as_str(), event["intercom_user_id"].as_str()), (Some("conv-nia"), Some(nia)));
    assert_eq!(event["email"], "conv-nia@example.com");
    assert_eq!(event["metadata"]["amount"]["currency"], "eur");

    let summary = client.get_user_events_summaries("conv-nia").send().await.map(json).unwrap();
    assert_eq!(summary["type"], "event.summary", "{summary}");
    assert_eq!((summary["user_id"].as_str(), summary["intercom_user_id"].as_str()), (Some("conv-nia"), Some(nia)));
    assert_eq!(summary["email"], "conv-nia@example.com");
    assert_eq!(
        summary["events"],
        json!([
            { "name": "opened-invoice", "first": "2024-04-30T10:00:00.000+00:00", "last": "2024-04-30T10:00:00.000+00:00", "count": 1 },
            { "name": "paid-invoice", "first": "2024-05-01T10:00:00.000+00:00", "last": "2024-05-02T10:00:00.000+00:00", "count": 2 },
        ])
    );
}

/// Sends a raw request, for what the typed client refuses to send; gives back the status and the body.
async fn raw(simulator: &Simulator, method: reqwest::Method, path: &str, body: &Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .request(method, format!("{}{path}", simulator.base_url()))
        .bearer_auth(simulator.access_token())
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

fn assert_not_found(result: Result<Value, Error>) {
    let error = result.unwrap_err();
    let Error::NotFound(api) = &error else { panic!("{error:?}") };
    assert_eq!((api.status, api.errors[0].code.as_str()), (404, "not_found"));
}

#[tokio::test]
async fn unknown_conversations_admins_people_and_notes_are_not_found() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    let admin = admin_ids(&client).await.remove(0);
    let user = new_user(&client, "lonely").await;

    assert_not_found(client.get_single_conversation("424242").send().await.map(json));
    assert_not_found(client.mark_conversation_as_read("424242").send().await.map(json));
    assert_not_found(client.close_conversation("424242", &admin).send().await.map(json));
    assert_not_found(
        client
            .create_admin_message("999", ReceiverType::User, &user, UserIdType::IntercomId, MessageType::Inapp, "Hi")
            .send()
            .await
            .map(json),
    );
    assert_not_found(
        client
            .create_admin_message(&admin, ReceiverType::User, "nobody", UserIdType::UserId, MessageType::Inapp, "Hi")
            .send()
            .await
            .map(json),
    );
    assert_not_found(client.create_user_message("nobody@example.com", UserIdType::Email, "Hi").send().await.map(json));
    assert_not_found(
        client.get_single_user_conversations("nobody", ConversationUserIdType::UserId).send().await.map(json),
    );
    assert_not_found(client.get_single_admin_conversations("999").send().await.map(json));
    // The user exists but has no conversation to reply to.
    assert_not_found(client.reply_to_users_last_conversation(&user, &admin, "Hello?").send().await.map(json));

    let message = client.create_user_message(&user, UserIdType::IntercomId, "Hi").send().await.map(json).unwrap();
    let conversation = text(&message["conversation_id"]).to_owned();
    assert_not_found(client.reply_to_admin_comment(&conversation, "999", "Hello").send().await.map(json));
    assert_not_found(
        client
            .reply_to_user_comment(&conversation, "Hello", "nobody", ConversationUserIdType::UserId)
            .send()
            .await
            .map(json),
    );

    assert_not_found(client.create_note("nobody", UserIdType::UserId, "A note").send().await.map(json));
    assert_not_found(
        client.create_note(&user, UserIdType::IntercomId, "A note").admin_id("999").send().await.map(json),
    );
    assert_not_found(client.get_user_notes("nobody@example.com", UserIdType::Email).send().await.map(json));
    assert_not_found(client.get_single_note("424242").send().await.map(json));
    assert_not_found(client.submit_event("signed-in", "nobody", 1_714_557_600).send().await.map(json));
    assert_not_found(client.get_user_events("nobody").send().await.map(json));
    assert_not_found(client.get_user_events_summaries("nobody").send().await.map(json));
}

#[tokio::test]
async fn an_email_needs_a_subject_and_an_event_a_name() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    let admin = admin_ids(&client).await.remove(0);
    new_user(&client, "mailed").await;

    let email = json!({
        "message_type": "email",
        "body": "No subject",
        "from": { "type": "admin", "id": admin },
        "to": { "type": "user", "user_id": "mailed" },
    });
    let (status, body) = raw(&simulator, reqwest::Method::POST, "/messages", &email).await;
    assert_eq!(
        (status, body["type"].as_str(), body["errors"][0]["field"].as_str()),
        (422, Some("error.list"), Some("subject"))
    );

    let event = json!({ "created_at": 1_714_557_600, "user_id": "mailed" });
    let (status, body) = raw(&simulator, reqwest::Method::POST, "/events", &event).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("event_name")));

    // What the client sends is accepted.
    let (status, body) = raw(
        &simulator,
        reqwest::Method::POST,
        "/events",
        &json!({ "event_name": "mailed", "created_at": 1, "user_id": "mailed" }),
    )
    .await;
    assert_eq!((status, body), (202, Value::Null));
}

#[tokio::test]
async fn a_customer_reply_reopens_a_closed_conversation() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    let admin = admin_ids(&client).await.remove(0);
    let user = new_user(&client, "returning").await;
    let message = client.create_user_message("returning", UserIdType::UserId, "Help!").send().await.map(json).unwrap();
    let conversation = text(&message["conversation_id"]).to_owned();
    let started = client.get_single_conversation(&conversation).send().await.map(json).unwrap();
    assert!(started["waiting_since"].is_i64(), "a customer's message waits for an answer: {started}");

    let answered = client.reply_to_admin_comment(&conversation, &admin, "Done.").send().await.map(json).unwrap();
    assert!(answered["waiting_since"].is_null());
    let closed = client.close_conversation(&conversation, &admin).send().await.map(json).unwrap();
    assert_eq!(closed["state"], "closed");
    let reopened = client
        .reply_to_user_comment(&conversation, "Not quite!", &user, ConversationUserIdType::IntercomUserId)
        .send()
        .await
        .map(json)
        .unwrap();
    assert_eq!((reopened["open"].as_bool(), reopened["state"].as_str()), (Some(true), Some("open")));
    assert!(reopened["waiting_since"].is_i64());
    let parts: Vec<&str> = reopened["conversation_parts"]["conversation_parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|part| text(&part["part_type"]))
        .collect();
    assert_eq!(parts, ["comment", "close", "comment"]);
}

#[tokio::test]
async fn conversations_and_events_come_in_pages() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    new_user(&client, "chatty").await;
    for n in 0..21 {
        client
            .create_user_message("chatty", UserIdType::UserId, format!("Message {n}"))
            .send()
            .await
            .map(json)
            .unwrap();
    }
    let first = client.get_conversations().send().await.map(json).unwrap();
    assert_eq!((first["conversations"].as_array().map(Vec::len), first["total_count"].as_u64()), (Some(20), Some(21)));
    assert!(first["pages"]["next"].as_str().is_some_and(|next| next.contains("page=2")), "{first}");
    let everything: Vec<Value> = client.get_conversations().stream().map_ok(json).try_collect().await.unwrap();
    assert_eq!(everything.len(), 21);
    let newest = &everything[0]["conversation_message"]["body"];
    assert_eq!(newest, "<p>Message 20</p>", "newest first");

    for n in 0..55 {
        client.submit_event("clicked", "chatty", 1_714_557_600 + n).send().await.map(json).unwrap();
    }
    let page = client.get_user_events("chatty").send().await.map(json).unwrap();
    assert_eq!(page["events"].as_array().map(Vec::len), Some(50));
    assert!(page["pages"]["next"].as_str().is_some_and(|next| next.contains("before=")), "{page}");
    let events: Vec<Value> = client.get_user_events("chatty").stream().map_ok(json).try_collect().await.unwrap();
    let times: Vec<i64> = events.iter().map(|event| event["created_at"].as_i64().unwrap()).collect();
    assert_eq!(times, (0..55).rev().map(|n| 1_714_557_600 + n).collect::<Vec<_>>(), "every event once, newest first");
    let summary = client.get_user_events_summaries("chatty").send().await.map(json).unwrap();
    assert_eq!(summary["events"][0]["count"], 55);
}
