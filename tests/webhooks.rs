//! Verified webhooks, end to end: the simulator delivers signed notifications to `webhook::receiver`, which
//! accepts the good ones (typed) and refuses a tampered body, a wrong secret, a missing or malformed signature;
//! the simulator retries failed deliveries and lists them in the subscriptions' feeds; notifications decode
//! into their topic's model and encode back whole.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use intercom_rest::models::{Notification, UserReference, WebhookItem};
use intercom_rest::simulator::Simulator;
use intercom_rest::webhook::{self, Handler, ReceiverBuilder, Webhook, WebhookError};
use intercom_rest::{Client, ConversationUserIdType, MessageType, ReceiverType, ReplyMessageType, UserIdType};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// The hub secret of the subscriptions, and of the receiver.
const SECRET: &str = "test-hub-secret";

/// How long anything asynchronous may take before a test gives up.
const PATIENCE: Duration = Duration::from_secs(10);

/// How many times the simulator sends a notification in these tests.
const ATTEMPTS: u32 = 3;

/// A notification as Intercom documents it, and its signature with `a-hub-secret`, computed independently:
/// `python3 -c "import hmac, hashlib, sys; print(hmac.new(b'a-hub-secret', open('body', 'rb').read(),
/// hashlib.sha1).hexdigest())"`.
const PING_BODY: &str = r#"{"type":"notification_event","app_id":"a86dr8yl","data":{"type":"notification_event_data","item":{"type":"ping","message":"something something interzen"}},"id":null,"topic":"ping","delivery_status":null,"delivery_attempts":1,"delivered_at":0,"first_sent_at":1410188629,"created_at":1410188628,"self":null}"#;
const PING_SIGNATURE: &str = "sha1=0abebec22890f8115db33377f0fe3ce29160a5f2";

/// A simulator that gives up a failing delivery quickly, and its client.
async fn simulator() -> (Simulator, Client) {
    let simulator =
        Simulator::builder().webhook_retries(ATTEMPTS, Duration::from_millis(10)).start().await.expect("simulator");
    let client =
        Client::builder().base_url(simulator.base_url()).access_token(simulator.access_token()).build().unwrap();
    (simulator, client)
}

/// Serves `router` on 127.0.0.1 and gives its base URL.
async fn serve(router: Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    url
}

/// A receiver for `secret` whose webhooks arrive on the returned channel.
async fn receiver(secret: &str) -> (String, mpsc::Receiver<Webhook>) {
    let (sender, webhooks) = mpsc::channel(64);
    (serve(webhook::receiver(secret, sender)).await, webhooks)
}

/// The next webhook the receiver took.
async fn next(webhooks: &mut mpsc::Receiver<Webhook>) -> Webhook {
    tokio::time::timeout(PATIENCE, webhooks.recv()).await.expect("a webhook in time").expect("an open channel")
}

/// Subscribes `url` to `topics`, signed with `secret` when there is one; gives the subscription's id.
async fn subscribe(client: &Client, url: &str, topics: &[&str], secret: Option<&str>) -> String {
    let mut request = client.create_subscription(url.parse().unwrap(), topics.iter().copied());
    if let Some(secret) = secret {
        request = request.hub_secret(secret);
    }
    request.send().await.unwrap().id.into_string()
}

/// Which feed of a subscription.
#[derive(Clone, Copy, Debug)]
enum Feed {
    Sent,
    Error,
}

/// The notifications of a subscription's feed, once it lists at least `count`.
async fn feed(client: &Client, id: &str, which: Feed, count: usize) -> Vec<Value> {
    let started = Instant::now();
    loop {
        let listed = match which {
            Feed::Sent => client.get_sent_feed(id).send_json().await.unwrap(),
            Feed::Error => client.get_error_feed(id).send_json().await.unwrap(),
        };
        let notifications = listed["notifications"].as_array().cloned().unwrap_or_default();
        if notifications.len() >= count {
            return notifications;
        }
        assert!(started.elapsed() < PATIENCE, "{which:?} feed of {id}: {notifications:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// What a scripted endpoint received.
#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<(HeaderMap, Bytes)>>>);

impl Received {
    fn all(&self) -> Vec<(HeaderMap, Bytes)> {
        self.0.lock().unwrap().clone()
    }
}

/// An endpoint that answers its requests with `statuses` in turn (the last one from then on) and keeps them.
async fn scripted(statuses: &[u16]) -> (String, Received) {
    let received = Received::default();
    let statuses: Arc<Vec<u16>> = Arc::new(statuses.to_vec());
    let state = (received.clone(), statuses);
    let router = Router::new()
        .route(
            "/",
            post(|State((received, statuses)): State<(Received, Arc<Vec<u16>>)>, headers: HeaderMap, body: Bytes| async move {
                let mut all = received.0.lock().unwrap();
                let status = statuses[all.len().min(statuses.len() - 1)];
                all.push((headers, body));
                (StatusCode::from_u16(status).unwrap(), "scripted answer")
            }),
        )
        .with_state(state);
    (serve(router).await, received)
}

/// An endpoint that passes each request on to `target` after `change` altered its body or signature, and
/// answers what `target` answered: a man in the middle.
async fn tampering(target: String, change: fn(&mut Vec<u8>, &mut Option<String>)) -> String {
    let router = Router::new().route(
        "/",
        post(move |headers: HeaderMap, body: Bytes| {
            let target = target.clone();
            async move {
                let mut body = body.to_vec();
                let mut signature = headers.get("x-hub-signature").map(|value| value.to_str().unwrap().to_owned());
                change(&mut body, &mut signature);
                let mut request =
                    reqwest::Client::new().post(&target).header("content-type", "application/json").body(body);
                if let Some(signature) = signature {
                    request = request.header("x-hub-signature", signature);
                }
                let answer = request.send().await.unwrap();
                let status = StatusCode::from_u16(answer.status().as_u16()).unwrap();
                (status, answer.text().await.unwrap())
            }
        }),
    );
    serve(router).await
}

#[test]
fn signatures_match_independently_computed_hmacs() {
    assert_eq!(webhook::signature("a-hub-secret", PING_BODY.as_bytes()), PING_SIGNATURE);
    assert_eq!(
        webhook::signature("key", b"The quick brown fox jumps over the lazy dog"),
        "sha1=de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9"
    );
    let hook = webhook::verify_and_parse("a-hub-secret", PING_BODY.as_bytes(), Some(PING_SIGNATURE)).unwrap();
    assert_eq!(hook.topic(), "ping");
    assert!(
        matches!(&hook.item, WebhookItem::Ping(ping) if ping.message.as_deref() == Some("something something interzen"))
    );
    assert_eq!(
        (hook.notification.app_id.as_deref(), hook.notification.first_sent_at),
        (Some("a86dr8yl"), Some(1410188629))
    );
    assert_eq!(hook.id(), None, "a ping has no id");
}

#[test]
fn forgeries_and_malformed_signatures_are_refused_each_for_its_reason() {
    let body = PING_BODY.as_bytes();
    let digits = &PING_SIGNATURE["sha1=".len()..];
    let tampered = PING_BODY.replace("interzen", "interzeN");
    let cases: [(&str, &[u8], Option<String>, WebhookError); 7] = [
        ("a-hub-secret", tampered.as_bytes(), Some(PING_SIGNATURE.into()), WebhookError::SignatureMismatch),
        ("another-secret", body, Some(PING_SIGNATURE.into()), WebhookError::SignatureMismatch),
        ("a-hub-secret", body, None, WebhookError::MissingSignature),
        ("a-hub-secret", body, Some(digits.into()), WebhookError::UnsupportedScheme),
        ("a-hub-secret", body, Some(format!("sha1={}", &digits[1..])), WebhookError::OddLength),
        ("a-hub-secret", body, Some(format!("sha1=g{}", &digits[1..])), WebhookError::NotHex),
        ("a-hub-secret", body, Some(format!("sha1={digits}00")), WebhookError::WrongLength { digits: 42 }),
    ];
    for (secret, body, header, expected) in cases {
        assert_eq!(webhook::verify(secret, body, header.as_deref()), Err(expected.clone()), "{header:?}");
        let refused = webhook::verify_and_parse(secret, body, header.as_deref()).unwrap_err();
        assert_eq!((refused.is_signature_problem(), refused.http_status()), (true, 401));
    }
}

/// The issue's acceptance: a tampered body, a wrong secret and a missing header are refused and a good one is
/// accepted, end to end through the simulator's delivery; malformed headers too.
#[tokio::test(flavor = "multi_thread")]
async fn through_the_simulator_a_good_notification_is_accepted_and_forgeries_are_refused() {
    let (_simulator, client) = simulator().await;
    let (url, mut webhooks) = receiver(SECRET).await;
    let good = subscribe(&client, &url, &["user.created"], Some(SECRET)).await;
    let wrong_secret = subscribe(&client, &url, &["user.created"], Some("not-the-receivers-secret")).await;
    let unsigned = subscribe(&client, &url, &["user.created"], None).await;
    let tampered_url = tampering(url.clone(), |body, _| body.extend_from_slice(b" ")).await;
    let tampered = subscribe(&client, &tampered_url, &["user.created"], Some(SECRET)).await;
    let no_scheme_url = tampering(url.clone(), |_, signature| {
        *signature = signature.as_ref().map(|signature| signature.trim_start_matches("sha1=").to_owned());
    })
    .await;
    let no_scheme = subscribe(&client, &no_scheme_url, &["user.created"], Some(SECRET)).await;
    let odd_url = tampering(url.clone(), |_, signature| {
        if let Some(signature) = signature {
            signature.pop();
        }
    })
    .await;
    let odd = subscribe(&client, &odd_url, &["user.created"], Some(SECRET)).await;

    let user = client.create_user_by_id("erin-1").email("erin@example.com").send().await.unwrap();

    let hook = next(&mut webhooks).await;
    assert_eq!(hook.topic(), "user.created");
    let WebhookItem::UserCreated(delivered) = &hook.item else { panic!("{:?}", hook.item) };
    assert_eq!(
        serde_json::to_value(delivered).unwrap(),
        serde_json::to_value(&user).unwrap(),
        "the user as the API answered it"
    );
    let sent = feed(&client, &good, Feed::Sent, 1).await;
    assert_eq!(
        (sent[0]["delivery_status"].as_str(), sent[0]["delivery_attempts"].as_i64()),
        (Some("success"), Some(1))
    );
    assert_eq!(sent[0]["id"].as_str(), hook.id());

    for (id, reason) in [
        (&wrong_secret, "does not match"),
        (&unsigned, "has no X-Hub-Signature"),
        (&tampered, "does not match"),
        (&no_scheme, "does not start with `sha1=`"),
        (&odd, "odd number of hex digits"),
    ] {
        let failed = feed(&client, id, Feed::Error, 1).await;
        assert_eq!(failed.len(), 1, "{failed:?}");
        let failed = &failed[0];
        assert_eq!(
            (failed["delivery_status"].as_str(), failed["delivery_attempts"].as_u64()),
            (Some("failed"), Some(u64::from(ATTEMPTS)))
        );
        assert_eq!(failed["http_request"]["response_status_code"], 401, "{failed}");
        let answered = failed["http_request"]["response_entity"].as_str().unwrap_or_default();
        assert!(answered.contains(reason), "{id}: {answered}");
        assert!(!failed.to_string().contains(SECRET), "the error feed never shows the secret");
        assert_eq!(client.get_sent_feed(id.as_str()).send().await.unwrap().notifications.len(), 0);
    }
    // Only the good notification reached the channel.
    assert!(webhooks.try_recv().is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_receiver_refuses_what_is_too_large_unsigned_or_not_a_notification() {
    let (sender, mut webhooks) = mpsc::channel(8);
    let url = serve(ReceiverBuilder::new(SECRET, sender).max_body_bytes(1024).path("hooks/intercom").build()).await;
    let url = format!("{url}/hooks/intercom");
    let http = reqwest::Client::new();
    let post = |body: Vec<u8>, signature: Option<String>| {
        let mut request = http.post(&url).body(body);
        if let Some(signature) = signature {
            request = request.header("X-Hub-Signature", signature);
        }
        async move {
            let answer = request.send().await.unwrap();
            (answer.status().as_u16(), answer.text().await.unwrap())
        }
    };
    let good = PING_BODY.as_bytes().to_vec();
    assert_eq!(post(good.clone(), Some(webhook::signature(SECRET, &good))).await.0, 200);
    assert_eq!(next(&mut webhooks).await.topic(), "ping");

    let large = vec![b' '; 1025];
    let (status, answer) = post(large.clone(), Some(webhook::signature(SECRET, &large))).await;
    assert_eq!((status, answer.trim()), (413, "the body is larger than 1024 bytes"));
    assert_eq!(chunked(&url, 3, 512).await, 413, "a chunked body is cut off at the limit too");

    assert_eq!(post(good.clone(), None).await.0, 401);
    assert_eq!(post(good.clone(), Some(webhook::signature("wrong", &good))).await.0, 401);
    let (status, answer) = post(good.clone(), Some("sha1=abc".into())).await;
    assert_eq!((status, answer.trim()), (401, "the X-Hub-Signature digest has an odd number of hex digits"));

    let not_a_notification = br#"{"topic":"user.created","data":{"item":{"type":"user","id":{"no":"id"}}}}"#.to_vec();
    let (status, answer) =
        post(not_a_notification.clone(), Some(webhook::signature(SECRET, &not_a_notification))).await;
    assert_eq!(status, 400);
    assert!(answer.contains("at `data.item.id`"), "{answer}");
    let (status, _) = post(b"not json".to_vec(), Some(webhook::signature(SECRET, b"not json"))).await;
    assert_eq!(status, 400);
    assert!(webhooks.try_recv().is_err(), "nothing refused reached the channel");
}

/// POSTs a chunked body of `chunks` chunks of `size` bytes to `url` over a raw connection; gives the status.
async fn chunked(url: &str, chunks: usize, size: usize) -> u16 {
    let address = url.trim_start_matches("http://").split('/').next().unwrap().to_owned();
    let path = url.trim_start_matches("http://").trim_start_matches(&address);
    let mut stream = TcpStream::connect(&address).await.unwrap();
    let head =
        format!("POST {path} HTTP/1.1\r\nHost: {address}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    for _ in 0..chunks {
        // The server may answer and close before reading everything.
        if stream.write_all(format!("{size:x}\r\n{}\r\n", " ".repeat(size)).as_bytes()).await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(PATIENCE, stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    answer.split(' ').nth(1).and_then(|status| status.parse().ok()).unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_channel_is_answered_503_and_a_slow_handler_does_not_delay_the_answer() {
    let body = PING_BODY.as_bytes().to_vec();
    let signature = webhook::signature(SECRET, &body);
    let http = reqwest::Client::new();

    let (sender, mut webhooks) = mpsc::channel(1);
    let url = serve(webhook::receiver(SECRET, sender)).await;
    let send = || http.post(&url).header("X-Hub-Signature", &signature).body(body.clone()).send();
    assert_eq!(send().await.unwrap().status(), 200);
    let busy = send().await.unwrap();
    assert_eq!((busy.status().as_u16(), busy.headers()["retry-after"].to_str().unwrap()), (503, "1"));
    assert_eq!(next(&mut webhooks).await.topic(), "ping");
    assert_eq!(send().await.unwrap().status(), 200, "taken again once there is room");

    let (done, mut handled) = mpsc::unbounded_channel();
    let slow = Handler::spawn(move |hook: Webhook| {
        let done = done.clone();
        async move {
            tokio::time::sleep(Duration::from_secs(2)).await;
            let _ = done.send(hook.topic().to_owned());
        }
    });
    let url = serve(webhook::receiver(SECRET, slow)).await;
    let started = Instant::now();
    let answer = http.post(&url).header("X-Hub-Signature", &signature).body(body.clone()).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    assert!(started.elapsed() < Duration::from_secs(1), "answered before the handler finished");
    let topic = tokio::time::timeout(PATIENCE, handled.recv()).await.unwrap();
    assert_eq!(topic.as_deref(), Some("ping"));
}

/// Every topic the simulator notifies arrives decoded as its model, with the object as the API answered it.
#[tokio::test(flavor = "multi_thread")]
async fn notifications_of_each_topic_arrive_as_their_model() {
    let (simulator, client) = simulator().await;
    let (url, mut webhooks) = receiver(SECRET).await;
    let topics = [
        "user.created",
        "contact.created",
        "company.created",
        "event.created",
        "conversation.user.created",
        "conversation.user.replied",
        "conversation.admin.replied",
        "conversation.admin.noted",
        "conversation.admin.assigned",
        "conversation.admin.snoozed",
        "conversation.admin.opened",
        "conversation.admin.closed",
        "conversation.admin.single.created",
        "user.tag.created",
        "contact.tag.created",
    ];
    // `event.created` needs event names, which the typed `createSubscription` does not take with a secret.
    let body = json!({ "service_type": "web", "url": url, "topics": topics, "hub_secret": SECRET,
                       "metadata": { "event_names": ["ordered"] } });
    let created = reqwest::Client::new()
        .post(format!("{}/subscriptions", simulator.base_url()))
        .bearer_auth(simulator.access_token())
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let created: Value = serde_json::from_slice(&created).unwrap();
    let subscription = created["id"].as_str().unwrap().to_owned();

    let user = client.create_user_by_id("fay-2").email("fay@example.com").send().await.unwrap();
    let lead = client.create_lead().send().await.unwrap();
    let company = client.create_company("acme", "Acme").send().await.unwrap();
    client.submit_event("ordered", "fay-2", SystemTime::now()).send().await.unwrap();
    client.submit_event("ignored", "fay-2", SystemTime::now()).send().await.unwrap();
    client.create_user_message("fay-2", UserIdType::UserId, "Hello?").send().await.unwrap();
    let mut seen = Vec::new();
    let started = next_of(&mut webhooks, "conversation.user.created", &mut seen).await;
    let WebhookItem::ConversationUserCreated(conversation) = &started.item else { panic!("{:?}", started.item) };
    let conversation_id = conversation.id.to_string();
    let admin = client.get_current_admin().send().await.unwrap().id.to_string();
    client
        .reply_to_user_comment(&conversation_id, "Still there?", "fay-2", ConversationUserIdType::UserId)
        .send()
        .await
        .unwrap();
    client.reply_to_admin_comment(&conversation_id, &admin, "Yes.").send().await.unwrap();
    client
        .reply_to_admin_comment(&conversation_id, &admin, "A VIP.")
        .message_type(ReplyMessageType::Note)
        .send()
        .await
        .unwrap();
    client.assign_conversation(&conversation_id, &admin, &admin).send().await.unwrap();
    let tomorrow = SystemTime::now() + Duration::from_secs(86_400);
    client.snooze_conversation(&conversation_id, &admin, tomorrow).send().await.unwrap();
    client.open_conversation(&conversation_id, &admin).send().await.unwrap();
    client.close_conversation(&conversation_id, &admin).send().await.unwrap();
    client
        .create_admin_message(&admin, ReceiverType::User, "fay-2", UserIdType::UserId, MessageType::Inapp, "Welcome!")
        .send()
        .await
        .unwrap();
    client.tag_user("vip", [UserReference::new().id(user.id.clone())]).send().await.unwrap();
    client.tag_user("warm", [UserReference::new().id(lead.id.clone())]).send().await.unwrap();

    seen.push(started);
    let deadline = Instant::now() + PATIENCE;
    let mut missing: Vec<&str> = topics.to_vec();
    missing.retain(|topic| seen.iter().all(|hook| hook.topic() != *topic));
    while !missing.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok(Some(hook)) = tokio::time::timeout(left, webhooks.recv()).await else {
            panic!("no notification for {missing:?}");
        };
        missing.retain(|topic| *topic != hook.topic());
        seen.push(hook);
    }
    for hook in &seen {
        let notification = &hook.notification;
        assert_eq!(notification.kind.as_deref(), Some("notification_event"));
        assert!(notification.id.as_deref().is_some_and(|id| id.starts_with("notif_")), "{notification:?}");
        assert_eq!(notification.topic.as_ref().map(ToString::to_string).as_deref(), Some(hook.topic()));
        assert_eq!(notification.app_id.as_deref(), Some("simapp01"));
        assert_eq!(notification.delivery_attempts, Some(1));
        assert!(notification.created_at.is_some() && notification.first_sent_at.is_some());
        assert_eq!(notification.data.as_ref().and_then(|data| data.kind.as_deref()), Some("notification_event_data"));
        match &hook.item {
            WebhookItem::UserCreated(item) => assert_eq!(item.id, user.id),
            WebhookItem::ContactCreated(item) => assert_eq!(item.id, lead.id),
            WebhookItem::CompanyCreated(item) => assert_eq!(item.id, company.id),
            WebhookItem::EventCreated(item) => assert_eq!(item.event_name.as_deref(), Some("ordered")),
            WebhookItem::ConversationUserCreated(item)
            | WebhookItem::ConversationUserReplied(item)
            | WebhookItem::ConversationAdminReplied(item)
            | WebhookItem::ConversationAdminNoted(item)
            | WebhookItem::ConversationAdminAssigned(item)
            | WebhookItem::ConversationAdminSnoozed(item)
            | WebhookItem::ConversationAdminOpened(item)
            | WebhookItem::ConversationAdminClosed(item) => assert_eq!(item.id.as_str(), conversation_id),
            WebhookItem::ConversationAdminSingleCreated(item) => assert_ne!(item.id.as_str(), conversation_id),
            WebhookItem::UserTagCreated(item) => {
                assert_eq!(item.user.as_ref().map(|user| &user.id), Some(&user.id));
                assert_eq!(item.tag.as_ref().map(|tag| tag.name.as_deref()), Some(Some("vip")));
            }
            WebhookItem::ContactTagCreated(item) => {
                assert_eq!(item.contact.as_ref().map(|lead| &lead.id), Some(&lead.id));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    let closed = seen.iter().find(|hook| hook.topic() == "conversation.admin.closed").unwrap();
    let WebhookItem::ConversationAdminClosed(closed) = &closed.item else { unreachable!() };
    assert_eq!(closed.state.as_ref().map(ToString::to_string).as_deref(), Some("closed"));
    let events = seen.iter().filter(|hook| hook.topic() == "event.created").count();
    assert_eq!(events, 1, "only the events the subscription names");
    let sent = feed(&client, &subscription, Feed::Sent, seen.len()).await;
    assert!(sent.iter().all(|sent| sent["delivery_status"] == "success"));
}

/// The next webhook of `topic`; the others that come first are added to `others`.
async fn next_of(webhooks: &mut mpsc::Receiver<Webhook>, topic: &str, others: &mut Vec<Webhook>) -> Webhook {
    loop {
        let hook = next(webhooks).await;
        if hook.topic() == topic {
            return hook;
        }
        others.push(hook);
    }
}

#[test]
fn a_topic_the_client_does_not_know_is_kept_as_json() {
    let body = json!({
        "type": "notification_event",
        "id": "notif_1",
        "topic": "company.updated",
        "app_id": "a86dr8yl",
        "data": { "type": "notification_event_data", "item": { "type": "company", "id": 7, "anything": [1, { "x": null }] } },
        "created_at": 1_700_000_000,
    });
    let hook = webhook::parse(body.to_string().as_bytes()).unwrap();
    let WebhookItem::Unknown { topic, item } = &hook.item else { panic!("{:?}", hook.item) };
    assert_eq!((topic.as_str(), item), ("company.updated", &body["data"]["item"]));
    assert_eq!(hook.topic(), "company.updated");
    assert_eq!(hook.to_json().unwrap(), body, "an unknown topic's item comes back exactly");
}

#[test]
fn the_envelope_encodes_back_the_whole_notification() {
    let body = json!({
        "type": "notification_event",
        "id": "notif_2",
        "topic": "user.tag.created",
        "app_id": "a86dr8yl",
        "data": {
            "type": "notification_event_data",
            "item": {
                "type": "user_tag",
                "created_at": "1392731331",
                "tag": { "type": "tag", "id": 17513, "name": "independent" },
                "user": { "type": "user", "id": "5310d8e7598c9a0b24000002", "user_id": 25, "email": null, "future": { "a": 1 } },
                "surprise": true,
            },
            "extra": "kept",
        },
        "delivery_status": null,
        "delivery_attempts": 1,
        "delivered_at": 0,
        "first_sent_at": 1_410_188_629,
        "created_at": 1_410_188_628,
        "links": {},
        "self": null,
        "metadata": {},
        "added_later": { "by": "intercom" },
    });
    let text = body.to_string();
    let hook = webhook::parse(text.as_bytes()).unwrap();
    let WebhookItem::UserTagCreated(tagged) = &hook.item else { panic!("{:?}", hook.item) };
    assert_eq!(tagged.tag.as_ref().map(|tag| tag.id.as_str()), Some("17513"), "a numeric id is kept as text");
    assert_eq!(hook.notification.data.as_ref().and_then(|data| data.item.as_ref()), None, "the item is moved out");

    // The rule: the notification re-encoded, its data.item replaced by the item re-encoded.
    let mut expected = serde_json::to_value(serde_json::from_str::<Notification>(&text).unwrap()).unwrap();
    let item = WebhookItem::decode("user.tag.created", body["data"]["item"].clone()).unwrap();
    expected["data"]["item"] = serde_json::to_value(&item).unwrap();
    let encoded = hook.to_json().unwrap();
    assert_eq!(encoded, expected);
    assert_eq!(serde_json::to_value(&hook).unwrap(), encoded, "Serialize is to_json");

    // What that means: every member is there, but nulls may go and numeric ids come back as text.
    assert_eq!(encoded["added_later"], body["added_later"]);
    assert_eq!(encoded["data"]["extra"], "kept");
    assert_eq!(encoded["data"]["item"]["surprise"], true);
    assert_eq!(encoded["data"]["item"]["user"]["future"], json!({ "a": 1 }));
    assert_eq!(encoded["data"]["item"]["tag"]["id"], "17513");
    assert_eq!(encoded["data"]["item"]["user"]["user_id"], "25");
    assert_eq!(encoded["data"]["item"]["created_at"], 1_392_731_331);
    assert!(encoded["data"]["item"]["user"].get("email").is_none() && encoded.get("self").is_none());
    let mut lossless = body.clone();
    for (path, value) in [
        ("/data/item/tag/id", json!("17513")),
        ("/data/item/user/user_id", json!("25")),
        ("/data/item/created_at", json!(1_392_731_331)),
    ] {
        *lossless.pointer_mut(path).unwrap() = value;
    }
    for (parent, key) in [("/data/item/user", "email"), ("", "self"), ("", "delivery_status")] {
        let parent = if parent.is_empty() { &mut lossless } else { lossless.pointer_mut(parent).unwrap() };
        parent.as_object_mut().unwrap().remove(key);
    }
    assert_eq!(encoded, lossless, "nothing else changed");
    // And it decodes again to the same webhook.
    assert_eq!(webhook::parse(encoded.to_string().as_bytes()).unwrap(), hook);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_delivery_is_retried_with_a_fresh_signature_and_then_listed_as_sent() {
    let (_simulator, client) = simulator().await;
    let (url, received) = scripted(&[503, 200]).await;
    let id = subscribe(&client, &url, &["company.created"], Some(SECRET)).await;
    client.create_company("globex", "Globex").send().await.unwrap();

    let sent = feed(&client, &id, Feed::Sent, 1).await;
    assert_eq!(
        (sent[0]["delivery_status"].as_str(), sent[0]["delivery_attempts"].as_i64()),
        (Some("success"), Some(2))
    );
    assert!(sent[0]["delivered_at"].as_i64().is_some_and(|at| at > 0));
    let requests = received.all();
    assert_eq!(requests.len(), 2);
    let mut ids = Vec::new();
    for (attempt, (headers, body)) in requests.iter().enumerate() {
        assert_eq!(headers["content-type"], "application/json");
        assert_eq!(headers["user-agent"], "intercom-parrot-service-client/1.0");
        let signature = headers["x-hub-signature"].to_str().unwrap();
        let hook = webhook::verify_and_parse(SECRET, body, Some(signature)).unwrap();
        assert_eq!(hook.notification.delivery_attempts, Some(attempt as i64 + 1), "each attempt is signed anew");
        assert!(
            matches!(&hook.item, WebhookItem::CompanyCreated(company) if company.name.as_deref() == Some("Globex"))
        );
        ids.push(hook.id().map(str::to_owned));
    }
    assert_eq!(ids[0], ids[1], "the same notification");
    assert_eq!(sent[0]["id"].as_str(), ids[0].as_deref());
    assert!(client.get_error_feed(id.as_str()).send().await.unwrap().notifications.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delivery_that_always_fails_is_listed_in_the_error_feed() {
    let (_simulator, client) = simulator().await;
    let (url, received) = scripted(&[500]).await;
    let failing = subscribe(&client, &url, &["contact.created"], None).await;
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        format!("http://{}/", listener.local_addr().unwrap())
    };
    let unreachable = subscribe(&client, &closed, &["contact.created"], Some(SECRET)).await;
    client.create_lead().send().await.unwrap();

    let failed = feed(&client, &failing, Feed::Error, 1).await;
    let failed = &failed[0];
    assert_eq!(failed["topic"], "contact.created");
    assert_eq!(
        (failed["delivery_status"].as_str(), failed["delivery_attempts"].as_u64()),
        (Some("failed"), Some(u64::from(ATTEMPTS)))
    );
    let exchange = &failed["http_request"];
    assert_eq!(exchange["request_method"], "POST");
    assert!(exchange["request_uri"].as_str().is_some_and(|uri| uri.starts_with(&url)), "{exchange}");
    assert_eq!(
        (exchange["response_status_code"].as_u64(), exchange["response_entity"].as_str()),
        (Some(500), Some("scripted answer"))
    );
    let requests = received.all();
    assert_eq!(requests.len(), ATTEMPTS as usize);
    assert!(requests.iter().all(|(headers, _)| headers.get("x-hub-signature").is_none()), "no secret, no signature");
    assert_eq!(exchange["request_entity"].as_str().map(str::as_bytes), Some(&requests[2].1[..]));

    let failed = feed(&client, &unreachable, Feed::Error, 1).await;
    assert_eq!(failed[0]["delivery_attempts"].as_u64(), Some(u64::from(ATTEMPTS)));
    assert!(failed[0]["http_request"]["response_status_code"].is_null());
    assert!(failed[0]["http_request"]["error"].as_str().is_some_and(|error| !error.is_empty()), "{}", failed[0]);
    for id in [&failing, &unreachable] {
        assert!(client.get_sent_feed(id.as_str()).send().await.unwrap().notifications.is_empty());
    }
    // The typed feed decodes, the exchange kept among the members the model does not declare.
    let typed = client.get_error_feed(failing.as_str()).send().await.unwrap();
    assert!(typed.notifications[0].other.contains_key("http_request"));
}

#[tokio::test(flavor = "multi_thread")]
async fn notifications_for_other_hosts_are_recorded_without_being_sent() {
    let (_simulator, client) = simulator().await;
    let id = subscribe(&client, "https://hooks.example.com/intercom", &["user.created"], Some(SECRET)).await;
    let ping = client.ping_subscription(id.as_str()).send().await.unwrap();
    assert_eq!(ping.delivery_status.as_deref(), Some("success"));
    client.create_user_by_email("gil@example.com").send().await.unwrap();
    let sent = feed(&client, &id, Feed::Sent, 2).await;
    assert_eq!(sent.iter().map(|sent| sent["topic"].as_str().unwrap()).collect::<Vec<_>>(), ["user.created", "ping"]);
}
