//! The transport against a scripted server on 127.0.0.1: typed errors, rate limits, retries, timeouts and
//! streams. Backoffs are shortened so that no test waits more than about a second.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures::StreamExt;
use intercom_rest::{Client, ClientBuilder, Error, RateLimitPolicy, RetryPolicy, UserIdType};
use intercom_testkit::{Recorder, Reply};
use serde_json::{Value, json};

const TOKEN: &str = "transport-test-token-Wq3";

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().initial_backoff(Duration::from_millis(10)).max_backoff(Duration::from_millis(40))
}

fn builder(server: &Recorder) -> ClientBuilder {
    Client::builder().access_token(TOKEN).base_url(server.base_url()).retry_policy(fast_retries())
}

fn client(server: &Recorder) -> Client {
    builder(server).build().unwrap()
}

fn error_list(code: &str, message: &str) -> Value {
    json!({ "type": "error.list", "request_id": format!("req-{code}"), "errors": [{ "code": code, "message": message }] })
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// A reply carrying rate-limit headers.
fn with_rate_limit(reply: Reply, remaining: u64, reset: u64) -> Reply {
    reply
        .header("x-ratelimit-limit", "167")
        .header("x-ratelimit-remaining", &remaining.to_string())
        .header("x-ratelimit-reset", &reset.to_string())
}

#[tokio::test]
async fn a_429_is_waited_out_until_the_reset_then_retried() {
    let server = Recorder::start();
    let reset = unix_now() + 1;
    let reset_at = UNIX_EPOCH + Duration::from_secs(reset);
    server.reply(with_rate_limit(
        Reply::json(429, &error_list("rate_limit_exceeded", "Exceeded rate limit")),
        0,
        reset,
    ));
    server.reply(with_rate_limit(Reply::json(200, &json!({ "type": "admin.list" })), 166, reset + 10));
    let client = client(&server);
    let response = client.get_admins().send_json().await.unwrap();
    assert_eq!(response, json!({ "type": "admin.list" }));
    assert!(SystemTime::now() >= reset_at, "the retry went out before the reset");
    assert_eq!(server.take_requests().len(), 2);
    let rate_limit = client.rate_limit().unwrap();
    assert_eq!((rate_limit.limit, rate_limit.remaining), (167, 166));
}

#[tokio::test]
async fn a_429_on_a_creating_post_is_retried_too_since_intercom_did_not_process_it() {
    let server = Recorder::start();
    server.reply(with_rate_limit(Reply::json(429, &error_list("rate_limit_exceeded", "slow down")), 0, unix_now()));
    client(&server).create_note("u1", UserIdType::UserId, "Called").send_json().await.unwrap();
    assert_eq!(server.take_requests().len(), 2);
}

#[tokio::test]
async fn a_429_whose_reset_is_too_far_is_returned_with_the_reset_time() {
    let server = Recorder::start();
    let reset = unix_now() + 3_600;
    server.reply(with_rate_limit(Reply::json(429, &error_list("rate_limit_exceeded", "Exceeded")), 0, reset));
    let error = client(&server).get_admins().send_json().await.unwrap_err();
    let Error::RateLimited { function, reset_at, error: Some(api) } = &error else { panic!("{error:?}") };
    assert_eq!(*function, "getAdmins");
    assert_eq!(*reset_at, Some(UNIX_EPOCH + Duration::from_secs(reset)));
    assert_eq!(api.request_id.as_deref(), Some("req-rate_limit_exceeded"));
    assert!(error.is_retryable());
    assert!(
        error.to_string().starts_with(&format!("getAdmins: rate limited by Intercom until Unix time {reset} (in "))
    );
    assert_eq!(server.take_requests().len(), 1);
}

#[tokio::test]
async fn server_errors_on_a_get_are_retried_until_it_succeeds() {
    let server = Recorder::start();
    server.reply(Reply::json(500, &error_list("server_error", "boom")));
    server.reply(Reply::raw(503, "<html>Service Unavailable</html>"));
    server.reply(Reply::json(200, &json!({ "type": "user" })));
    let response = client(&server).get_single_user("42", UserIdType::UserId).send_json().await.unwrap();
    assert_eq!(response, json!({ "type": "user" }));
    let requests = server.take_requests();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|request| request.raw_query.as_deref() == Some("user_id=42")));
}

#[tokio::test]
async fn a_server_error_on_a_creating_post_is_never_sent_twice() {
    let server = Recorder::start();
    server.reply(Reply::json(500, &error_list("server_error", "boom")));
    let error = client(&server).create_note("u1", UserIdType::UserId, "Called").send_json().await.unwrap_err();
    let Error::Api(api) = &error else { panic!("{error:?}") };
    assert_eq!((api.function, api.status), ("createNote", 500));
    assert!(error.is_retryable(), "it may succeed later, but the client did not risk a second note");
    assert_eq!(server.take_requests().len(), 1);
}

#[tokio::test]
async fn an_idempotent_post_is_retried_after_a_server_error() {
    let server = Recorder::start();
    server.reply(Reply::json(502, &error_list("server_error", "bad gateway")));
    client(&server).create_user_by_email("ann@example.com").send_json().await.unwrap();
    let requests = server.take_requests();
    assert_eq!(requests.len(), 2, "the upsert on /users is safe to repeat");
    assert_eq!(requests[0].body, requests[1].body);
}

#[tokio::test]
async fn retries_stop_after_the_last_attempt() {
    let server = Recorder::start();
    for _ in 0..5 {
        server.reply(Reply::json(503, &error_list("service_unavailable", "later")));
    }
    let client = builder(&server).retry_policy(fast_retries().max_attempts(3)).build().unwrap();
    let error = client.get_admins().send_json().await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(server.take_requests().len(), 3);
}

#[tokio::test]
async fn retries_stop_when_the_total_time_is_spent() {
    let server = Recorder::start();
    for _ in 0..5 {
        server.reply(Reply::json(500, &error_list("server_error", "boom")));
    }
    let policy = RetryPolicy::default()
        .max_attempts(10)
        .initial_backoff(Duration::from_millis(200))
        .max_elapsed(Duration::from_millis(300));
    let client = builder(&server).retry_policy(policy).build().unwrap();
    let started = Instant::now();
    client.get_admins().send_json().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(600), "{:?}", started.elapsed());
    assert!(server.take_requests().len() < 4);
}

#[tokio::test]
async fn a_refused_connection_is_a_connection_error_and_is_retried_even_for_a_post() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::builder()
        .access_token(TOKEN)
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(fast_retries().max_attempts(3))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.create_note("u1", UserIdType::UserId, "Called").send_json().await.unwrap_err();
    assert!(matches!(error, Error::Connection { function: "createNote", .. }), "{error:?}");
    assert!(error.is_retryable());
    assert!(started.elapsed() >= Duration::from_millis(10), "it was retried after a backoff");
    assert_eq!(error.to_string(), "createNote: cannot connect to Intercom");
}

#[tokio::test]
async fn a_response_slower_than_the_timeout_is_a_timeout() {
    let server = Recorder::start();
    server.reply(Reply::json(200, &json!({})).delayed(Duration::from_millis(500)));
    let client =
        builder(&server).timeout(Duration::from_millis(100)).retry_policy(RetryPolicy::never()).build().unwrap();
    let started = Instant::now();
    let error = client.get_admins().send_json().await.unwrap_err();
    assert!(matches!(error, Error::Timeout { function: "getAdmins", .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_millis(450));
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_timed_out_creating_post_is_not_sent_again() {
    let server = Recorder::start();
    server.reply(Reply::json(200, &json!({})).delayed(Duration::from_millis(300)));
    let client = builder(&server).timeout(Duration::from_millis(100)).build().unwrap();
    let error = client.submit_event("ordered", "u1", 1_714_557_600).send_json().await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(server.take_requests().len(), 1, "the event may have been recorded: it is not sent twice");
}

#[tokio::test]
async fn a_success_status_with_an_html_body_keeps_the_status_and_body() {
    let server = Recorder::start();
    server.reply(Reply::raw(200, "<!doctype html><title>Maintenance</title>"));
    let error = client(&server).get_admins().send_json().await.unwrap_err();
    let Error::UndecodableResponse { function, status, body } = &error else { panic!("{error:?}") };
    assert_eq!((*function, *status, body.as_str()), ("getAdmins", 200, "<!doctype html><title>Maintenance</title>"));
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn a_body_larger_than_the_limit_is_refused() {
    let server = Recorder::start();
    server.reply(Reply::raw(200, vec![b' '; 5_000]));
    let client = builder(&server).max_response_bytes(1_000).build().unwrap();
    let error = client.get_admins().send_json().await.unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { function: "getAdmins", status: 200, limit: 1_000 }), "{error:?}");
}

#[tokio::test]
async fn error_answers_are_sorted_into_the_cases_callers_act_on() {
    let server = Recorder::start();
    let client = client(&server);
    let cases = [
        (401, error_list("token_unauthorized", "Not authorized to access resource"), "Unauthorized"),
        (403, error_list("token_revoked", "Token revoked"), "Unauthorized"),
        (404, error_list("not_found", "User Not Found"), "NotFound"),
        (400, error_list("company_not_found", "Company Not Found"), "NotFound"),
        (
            409,
            error_list(
                "conflict",
                "Multiple existing users match this email address - must be more specific using user_id",
            ),
            "Conflict",
        ),
        (
            400,
            error_list("", "Multiple existing users match this email address - must be more specific using user_id"),
            "Conflict",
        ),
        (400, error_list("scroll_exists", "scroll already exists for this workspace"), "ScrollExists"),
        (400, error_list("parameter_invalid", "Email is invalid"), "Api"),
        (422, error_list("parameter_not_found", "email is required"), "Api"),
    ];
    for (status, body, expected) in cases {
        server.reply(Reply::json(status, &body));
        let error = client.get_single_user("a@b.io", UserIdType::Email).send_json().await.unwrap_err();
        let kind = match &error {
            Error::Unauthorized(_) => "Unauthorized",
            Error::NotFound(_) => "NotFound",
            Error::Conflict(_) => "Conflict",
            Error::ScrollExists(_) => "ScrollExists",
            Error::Api(_) => "Api",
            other => panic!("{other:?}"),
        };
        assert_eq!(kind, expected, "{status} {body}");
        let api = error.api_error().unwrap();
        assert_eq!((api.function, api.status), ("getSingleUser", status));
        assert_eq!(api.request_id, body["request_id"].as_str().map(str::to_owned));
        assert_eq!(api.errors[0].message.as_deref(), body["errors"][0]["message"].as_str());
        assert!(!error.is_retryable());
        assert_eq!(server.take_requests().len(), 1, "a client error is not retried");
    }
}

#[tokio::test]
async fn with_remaining_at_zero_the_next_call_waits_for_the_reset_instead_of_provoking_a_429() {
    let server = Recorder::start();
    let reset = unix_now() + 1;
    server.reply(with_rate_limit(Reply::json(200, &json!({ "n": 1 })), 0, reset));
    server.reply(with_rate_limit(Reply::json(200, &json!({ "n": 2 })), 166, reset + 10));
    let client = client(&server);
    client.get_admins().send_json().await.unwrap();
    assert_eq!(client.rate_limit().unwrap().remaining, 0);
    let second = client.get_admins().send_json().await.unwrap();
    assert_eq!(second, json!({ "n": 2 }));
    assert!(SystemTime::now() >= UNIX_EPOCH + Duration::from_secs(reset), "the second call did not wait");
    assert_eq!(server.take_requests().len(), 2);
}

#[tokio::test]
async fn pacing_refuses_at_once_when_the_reset_is_beyond_the_longest_wait() {
    let server = Recorder::start();
    server.reply(with_rate_limit(Reply::json(200, &json!({})), 0, unix_now() + 3_600));
    let client = builder(&server)
        .rate_limit_policy(RateLimitPolicy::default().max_wait(Duration::from_secs(5)))
        .build()
        .unwrap();
    client.get_admins().send_json().await.unwrap();
    let error = client.get_admins().send_json().await.unwrap_err();
    assert!(matches!(error, Error::RateLimited { error: None, .. }), "{error:?}");
    assert_eq!(server.take_requests().len(), 1, "nothing was sent to provoke a 429");
}

#[tokio::test]
async fn a_three_page_user_list_streams_in_order() {
    let server = Recorder::start();
    let base = server.base_url().to_owned();
    let page = |users: &[&str], next: Option<String>| {
        let users: Vec<Value> = users.iter().map(|id| json!({ "type": "user", "id": id })).collect();
        Reply::json(200, &json!({ "type": "user.list", "users": users, "pages": { "type": "pages", "next": next } }))
    };
    server.reply(page(&["u1", "u2"], Some(format!("{base}/users?per_page=2&page=2"))));
    server.reply(page(&["u3", "u4"], Some(format!("{base}/users?per_page=2&page=3"))));
    server.reply(page(&["u5"], None));
    let client = client(&server);
    let ids: Vec<String> =
        client.get_users().per_page(2).stream().map(|user| user.unwrap().id.into_string()).collect().await;
    assert_eq!(ids, ["u1", "u2", "u3", "u4", "u5"]);
    let requests = server.take_requests();
    let sent: Vec<String> = requests
        .iter()
        .map(|request| format!("{}?{}", request.path, request.raw_query.clone().unwrap_or_default()))
        .collect();
    assert_eq!(sent, ["/users?per_page=2", "/users?per_page=2&page=2", "/users?per_page=2&page=3"]);
    assert!(requests.iter().all(|request| request.header("authorization") == Some(&format!("Bearer {TOKEN}"))));
}

#[tokio::test]
async fn a_page_is_fetched_only_when_its_items_are_wanted() {
    let server = Recorder::start();
    let next = format!("{}/users?page=2", server.base_url());
    server.reply(Reply::json(200, &json!({ "users": [{ "id": "u1" }], "pages": { "next": next } })));
    let client = client(&server);
    let mut users = client.get_users().stream();
    assert_eq!(users.next().await.unwrap().unwrap().id, "u1");
    assert_eq!(server.take_requests().len(), 1, "the second page was not asked for yet");
}

#[tokio::test]
async fn a_repeating_cursor_ends_the_stream_with_an_error() {
    let server = Recorder::start();
    let next = format!("{}/contacts?page=2", server.base_url());
    server.reply(Reply::json(200, &json!({ "contacts": [{ "id": "l1" }], "pages": { "next": next } })));
    server.reply(Reply::json(200, &json!({ "contacts": [{ "id": "l2" }], "pages": { "next": next } })));
    let client = client(&server);
    let items: Vec<Result<_, Error>> = client.get_leads().stream().collect().await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().id, "l1");
    assert_eq!(items[1].as_ref().unwrap().id, "l2");
    assert!(matches!(items[2], Err(Error::RepeatedCursor { function: "getLeads" })), "{:?}", items[2]);
    assert_eq!(server.take_requests().len(), 2);
}

#[tokio::test]
async fn a_next_page_elsewhere_is_not_followed() {
    let server = Recorder::start();
    server.reply(Reply::json(
        200,
        &json!({ "users": [{ "id": "u1" }], "pages": { "next": "https://collector.example/users?page=2" } }),
    ));
    let items: Vec<Result<_, Error>> = client(&server).get_users().stream().collect().await;
    assert!(matches!(&items[1], Err(Error::UnexpectedPage { .. })), "{items:?}");
    assert_eq!(server.take_requests().len(), 1, "the token was not sent to another host");
}

#[tokio::test]
async fn a_scroll_ends_on_its_first_empty_page() {
    let server = Recorder::start();
    server.reply(Reply::json(
        200,
        &json!({ "type": "user.list", "scroll_param": "s-1", "users": [{ "id": "u1" }, { "id": "u2" }] }),
    ));
    server.reply(Reply::json(200, &json!({ "type": "user.list", "scroll_param": "s-1", "users": [{ "id": "u3" }] })));
    server.reply(Reply::json(200, &json!({ "type": "user.list", "scroll_param": "s-1", "users": [] })));
    let client = client(&server);
    let ids: Vec<String> = client.scroll_users().stream().map(|user| user.unwrap().id.into_string()).collect().await;
    assert_eq!(ids, ["u1", "u2", "u3"]);
    let queries: Vec<Option<String>> = server.take_requests().into_iter().map(|request| request.raw_query).collect();
    assert_eq!(queries, [None, Some("scroll_param=s-1".to_owned()), Some("scroll_param=s-1".to_owned())]);
}

#[tokio::test]
async fn a_second_scroll_reports_that_one_is_already_open() {
    let server = Recorder::start();
    server.reply(Reply::json(400, &error_list("scroll_exists", "scroll already exists for this workspace")));
    let items: Vec<Result<_, Error>> = client(&server).scroll_companies().stream().collect().await;
    assert_eq!(items.len(), 1);
    let Err(error) = &items[0] else { panic!() };
    assert!(matches!(error, Error::ScrollExists(_)), "{error:?}");
    assert!(error.to_string().contains("Intercom allows one open scroll per app"), "{error}");
}

#[tokio::test]
async fn a_scroll_that_serves_the_same_page_again_stops() {
    let server = Recorder::start();
    for _ in 0..3 {
        server.reply(Reply::json(200, &json!({ "scroll_param": "s-1", "companies": [{ "id": "c1" }] })));
    }
    let items: Vec<Result<_, Error>> = client(&server).scroll_companies().stream().collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(matches!(items[1], Err(Error::RepeatedCursor { .. })));
}

#[tokio::test]
async fn streams_by_name_take_the_same_arguments() {
    let server = Recorder::start();
    server.reply(Reply::json(200, &json!({ "conversations": [{ "id": "c1" }], "pages": {} })));
    let client = client(&server);
    let args = json!({ "userId": "u1", "userIdType": "user_id" });
    let items: Vec<Result<Value, Error>> =
        client.stream_call("getSingleUserConversations", &args).unwrap().collect().await;
    assert_eq!(items.len(), 1);
    assert_eq!(server.single_request().raw_query.as_deref(), Some("type=user&user_id=u1"));
    let error = client.stream_call("getAdmins", &json!({})).unwrap_err();
    assert!(matches!(error, Error::NotAList { function: "getAdmins" }));
    assert!(matches!(client.stream_call("getUsers", &json!({ "page": "x" })), Err(Error::InvalidArguments(_))));
}

/// Every kind of error a call can end with, shown in every way: the token is never there.
#[tokio::test]
async fn the_token_is_absent_from_every_error() {
    let server = Recorder::start();
    let client =
        builder(&server).timeout(Duration::from_millis(100)).retry_policy(RetryPolicy::never()).build().unwrap();
    let mut errors = Vec::new();
    for reply in [
        Reply::json(401, &error_list("unauthorized", "Access Token Invalid")),
        Reply::json(404, &error_list("not_found", "gone")),
        Reply::json(409, &error_list("conflict", "several")),
        Reply::json(429, &error_list("rate_limit_exceeded", "slow")),
        Reply::json(500, &error_list("server_error", "boom")),
        Reply::raw(200, "<html>"),
        Reply::json(200, &json!({})).delayed(Duration::from_millis(300)),
    ] {
        server.reply(reply);
        errors.push(client.get_admins().send_json().await.unwrap_err());
    }
    errors.push(client.get_single_user("", UserIdType::Email).send_json().await.unwrap_err());
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let unreachable = Client::builder()
        .access_token(TOKEN)
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    errors.push(unreachable.get_admins().send_json().await.unwrap_err());
    assert_eq!(errors.len(), 9);
    for error in &errors {
        let mut shown = format!("{error} {error:?}");
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            shown.push_str(&format!(" {cause} {cause:?}"));
            source = cause.source();
        }
        assert!(!shown.contains(TOKEN), "{shown}");
        assert!(error.function().is_some(), "{error:?} names no function");
    }
}
