//! What a hostile server, proxy or argument can make the client do: nothing that changes which endpoint is
//! called, where the token goes, or what is sent after the arguments were refused. Every test here failed
//! before its fix.

use std::io::Read;
use std::net::TcpListener;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use intercom_rest::{Client, Error, RateLimitPolicy, RetryPolicy, UserIdType};
use intercom_testkit::{Recorder, Reply};
use serde_json::json;

const TOKEN: &str = "hardening-test-token-Zk8";

fn client(server: &Recorder) -> Client {
    Client::builder()
        .access_token(TOKEN)
        .base_url(server.base_url())
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap()
}

fn problems(error: &Error) -> Vec<String> {
    match error {
        Error::InvalidArguments(invalid) => invalid.problems().iter().map(ToString::to_string).collect(),
        other => panic!("expected refused arguments, got {other:?}"),
    }
}

// 1. Dot segments.

#[tokio::test]
async fn an_identifier_of_dots_is_refused_instead_of_changing_the_endpoint() {
    let server = Recorder::start();
    let client = client(&server);
    let error = client.delete_tag("..").send_json().await.unwrap_err();
    assert_eq!(
        problems(&error),
        [
            "`tagId` (`tag_id` in Rust) is \"..\", which cannot be an identifier in a path: it would change the endpoint \
          called"
        ]
    );
    let error = client.ping_subscription(".").send_json().await.unwrap_err();
    assert_eq!(problems(&error).len(), 1, "{error}");
    let error = client.call("deleteTag", &json!({ "tagId": ".." })).await.unwrap_err();
    assert_eq!(problems(&error).len(), 1, "{error}");
    assert!(server.requests().is_empty(), "something was sent: {:?}", server.requests());
}

/// Every identifier made of the characters URL parsers treat specially either is refused or stays exactly one
/// segment of the path it was meant for, once the URL is parsed as the HTTP library parses it.
#[test]
fn no_identifier_leaves_its_path_segment() {
    let alphabet = [".", "%", "2", "e", "E", "/", "\\", "a", "?", "#", ";"];
    let mut identifiers = vec![String::new()];
    for _ in 0..4 {
        let longer: Vec<String> =
            identifiers.iter().flat_map(|id| alphabet.iter().map(move |c| format!("{id}{c}"))).collect();
        identifiers.extend(longer);
    }
    let client = Client::builder().access_token(TOKEN).build().unwrap();
    let mut sent = 0;
    for id in identifiers.iter().filter(|id| !id.is_empty()) {
        let Ok(request) = client.delete_tag(id.as_str()).prepare() else { continue };
        sent += 1;
        let url = url::Url::parse(&format!("https://api.intercom.io{}", request.path_and_query())).unwrap();
        let segments: Vec<&str> = url.path_segments().unwrap().collect();
        assert_eq!(segments.len(), 2, "{id:?} became {url}");
        assert_eq!(segments[0], "tags", "{id:?} became {url}");
        assert_eq!(url.query(), None, "{id:?} became {url}");
        let decoded = percent_encoding::percent_decode_str(segments[1]).decode_utf8().unwrap();
        assert_eq!(decoded, id.as_str(), "{id:?} became {url}");
    }
    assert!(sent > 10_000, "almost every identifier is fine: {sent}");
}

// 2. Redirects.

#[tokio::test]
async fn no_redirect_is_followed_and_each_is_an_error_naming_where_it_pointed() {
    let server = Recorder::start();
    let elsewhere = Recorder::start();
    let client = client(&server);
    for status in [301, 302, 303, 307, 308] {
        let location = format!("{}/stolen?status={status}", elsewhere.base_url());
        server.reply(Reply::raw(status, "").header("location", &location));
        let error = client.get_admins().send_json().await.unwrap_err();
        let Error::Redirect { function, status: got, location: Some(pointed) } = &error else {
            panic!("{status}: {error:?}")
        };
        assert_eq!((*function, *got, pointed.as_str()), ("getAdmins", status, location.as_str()));
        assert!(!error.is_retryable());
        assert!(error.to_string().contains(&location), "{error}");
    }
    // A 307 keeps the method and body: the client secret and code would go to the other host.
    server.reply(Reply::raw(307, "").header("location", &format!("{}/token", elsewhere.base_url())));
    let error = client.get_access_token("id", "client-secret-Qx", "oauth-code-Qx").send_json().await.unwrap_err();
    assert!(matches!(error, Error::Redirect { status: 307, .. }), "{error:?}");
    assert_eq!(server.take_requests().len(), 6, "each call was sent once, not retried");
    assert!(elsewhere.requests().is_empty(), "a redirect was followed: {:?}", elsewhere.requests());
}

// 3. Proxies.

/// A listener that records the first bytes of every connection, and closes it.
struct FakeProxy {
    listener: TcpListener,
}

impl FakeProxy {
    fn start() -> FakeProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        FakeProxy { listener }
    }

    fn url(&self) -> String {
        format!("http://{}", self.listener.local_addr().unwrap())
    }

    /// What connections sent so far (the head of each).
    fn received(&self) -> Vec<String> {
        let mut seen = Vec::new();
        while let Ok((mut stream, _)) = self.listener.accept() {
            stream.set_nonblocking(false).unwrap();
            stream.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
            let mut buffer = [0u8; 4096];
            let read = stream.read(&mut buffer).unwrap_or(0);
            seen.push(String::from_utf8_lossy(&buffer[..read]).into_owned());
        }
        seen
    }
}

#[tokio::test]
async fn a_loopback_base_url_never_goes_through_a_proxy() {
    let server = Recorder::start();
    let proxy = FakeProxy::start();
    let client = Client::builder().access_token(TOKEN).base_url(server.base_url()).proxy(proxy.url()).build().unwrap();
    client.get_admins().send_json().await.unwrap();
    assert_eq!(server.single_request().header("authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert!(proxy.received().is_empty(), "the proxy saw: {:?}", proxy.received());
}

#[tokio::test]
async fn https_through_a_proxy_is_a_tunnel_that_never_shows_the_token() {
    let proxy = FakeProxy::start();
    let client = Client::builder()
        .access_token(TOKEN)
        .proxy(proxy.url())
        .retry_policy(RetryPolicy::never())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    // The fake proxy closes the tunnel, so the call fails; what matters is what it saw.
    let _ = client.get_admins().send_json().await;
    let seen = proxy.received();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(seen[0].starts_with("CONNECT api.intercom.io:443 HTTP/1.1\r\n"), "{seen:?}");
    assert!(!seen[0].contains(TOKEN) && !seen[0].to_ascii_lowercase().contains("authorization"), "{seen:?}");
}

#[test]
fn a_proxy_must_be_an_http_url_and_its_credentials_are_never_shown() {
    let error = Client::builder().proxy("socks5://user:pw@127.0.0.1:1").build().unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid client configuration: the proxy socks5://127.0.0.1:1 must be an http:// or https:// URL with a host"
    );
    let builder = Client::builder().proxy("http://user:hunter2@proxy.example:3128").access_token(TOKEN);
    let shown = format!("{builder:?}");
    assert!(!shown.contains("hunter2") && !shown.contains(TOKEN), "{shown}");
    assert!(builder.build().is_ok());
    assert!(Client::builder().no_proxy().build().is_ok());
}

// 5. Unsendable inputs are argument errors: nothing is sent, nothing is retried.

#[tokio::test]
async fn a_url_too_long_to_send_is_refused_before_sending() {
    let server = Recorder::start();
    let client = client(&server);
    let long = "x".repeat(70_000);
    let error = client.get_single_user(long.as_str(), UserIdType::Email).send_json().await.unwrap_err();
    assert_eq!(
        problems(&error),
        ["`userId` (`user_id` in Rust) makes the request URL 70013 bytes long; at most 8192 bytes can be sent (send \
          less, or page)"]
    );
    let error = client.delete_tag(long.as_str()).send_json().await.unwrap_err();
    assert_eq!(problems(&error).len(), 1, "{error}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_token_that_cannot_be_a_header_is_refused_before_sending() {
    let server = Recorder::start();
    for token in ["sekrit\r\nX-Injected: 1", "sekrit\n", "sek\0rit", "sekrit words", "sekrït"] {
        let error = Client::builder().base_url(server.base_url()).access_token(token).build().unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid client configuration: the access token cannot be sent: it must be printable ASCII without \
             spaces or line breaks"
        );
        assert!(!format!("{error:?}").contains("sek"), "{error:?}");
        let error = client(&server).call("getAdmins", &json!({ "accessToken": token })).await.unwrap_err();
        assert_eq!(
            problems(&error),
            ["`accessToken` cannot be sent as a token: it must be printable ASCII without spaces or line breaks"]
        );
    }
    assert!(server.requests().is_empty());
}

#[test]
fn an_intercom_version_or_timeout_that_cannot_work_is_refused() {
    assert!(Client::builder().intercom_version("1.4\r\nX: y").build().is_err());
    assert!(Client::builder().intercom_version("1.4é").build().is_err());
    let error = Client::builder().timeout(Duration::ZERO).build().unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid client configuration: a timeout of zero would fail every call: give it a duration"
    );
    assert!(Client::builder().connect_timeout(Duration::ZERO).build().is_err());
}

// 6. Retry-After.

fn http_date(at: SystemTime) -> String {
    httpdate::fmt_http_date(at)
}

#[tokio::test]
async fn retry_after_in_seconds_is_honoured_after_a_503() {
    let server = Recorder::start();
    server.reply(Reply::raw(503, "busy").header("retry-after", "1"));
    client(&server).get_admins().send_json().await.unwrap();
    let requests = server.take_requests();
    assert_eq!(requests.len(), 2);
    let waited = requests[1].received_at - requests[0].received_at;
    assert!(waited >= Duration::from_secs(1), "retried after {waited:?}");
}

#[tokio::test]
async fn retry_after_as_a_date_is_read_on_the_servers_clock_after_a_429() {
    let server = Recorder::start();
    // The server's clock is an hour ahead of the client's: only the difference between its headers counts.
    let server_now = SystemTime::now() + Duration::from_secs(3_600);
    let body = json!({ "type": "error.list", "errors": [{ "code": "rate_limit_exceeded", "message": "slow" }] });
    server.reply(
        Reply::json(429, &body)
            .header("date", &http_date(server_now))
            .header("retry-after", &http_date(server_now + Duration::from_secs(2))),
    );
    // A creating POST: after a 429 it is sent again (Intercom did not process it), no sooner than asked.
    client(&server).create_note("u1", UserIdType::UserId, "Called").send_json().await.unwrap();
    let requests = server.take_requests();
    assert_eq!(requests.len(), 2);
    let waited = requests[1].received_at - requests[0].received_at;
    assert!(waited >= Duration::from_secs(2), "retried after {waited:?}");
}

#[tokio::test]
async fn a_retry_after_longer_than_the_policy_allows_gives_up_instead_of_retrying_early() {
    let server = Recorder::start();
    let body = json!({ "type": "error.list", "errors": [{ "code": "rate_limit_exceeded", "message": "slow" }] });
    server.reply(Reply::json(429, &body).header("retry-after", "120"));
    let client = Client::builder()
        .access_token(TOKEN)
        .base_url(server.base_url())
        .rate_limit_policy(RateLimitPolicy::default().max_wait(Duration::from_secs(10)))
        .build()
        .unwrap();
    let error = client.get_admins().send_json().await.unwrap_err();
    let Error::RateLimited { error: Some(api), reset_at: Some(reset_at), .. } = &error else { panic!("{error:?}") };
    assert_eq!(api.retry_after, Some(Duration::from_secs(120)));
    let in_about_two_minutes = SystemTime::now() + Duration::from_secs(110);
    assert!(*reset_at > in_about_two_minutes, "{reset_at:?}");
    assert_eq!(server.take_requests().len(), 1);
}

// 9. Argument ranges.

#[tokio::test]
async fn numbers_out_of_their_declared_range_are_refused_with_the_range() {
    let server = Recorder::start();
    let client = client(&server);
    for (per_page, shown) in [(-1, "-1"), (0, "0"), (123, "123")] {
        let error = client.get_users().per_page(per_page).send_json().await.unwrap_err();
        let expected =
            format!("`perPage` (`per_page` in Rust) is {shown}, which is out of range: it must be from 1 to 60");
        assert_eq!(problems(&error), [expected]);
    }
    let error = client.get_users().page(0).send_json().await.unwrap_err();
    assert_eq!(problems(&error), ["`page` is 0, which is out of range: it must be at least 1"]);
    // 2^64 is a whole number, not "a number with a fraction", by name as JSON or as text.
    let two_to_the_64: serde_json::Value = serde_json::from_str("18446744073709551616").unwrap();
    for given in [two_to_the_64, json!("18446744073709551616")] {
        let error = client.call("getUsers", &json!({ "perPage": given })).await.unwrap_err();
        assert_eq!(
            problems(&error),
            ["`perPage` is 18446744073709551616, which is out of range: it must be from 1 to 60"]
        );
    }
    let error = client.call("getUsers", &json!({ "perPage": u64::MAX })).await.unwrap_err();
    assert_eq!(problems(&error), ["`perPage` is 18446744073709551615, which is out of range: it must be from 1 to 60"]);
    assert!(server.requests().is_empty());
    client.get_users().per_page(60).page(1).created_since(0).send_json().await.unwrap();
    assert_eq!(server.single_request().raw_query.as_deref(), Some("page=1&per_page=60&created_since=0"));
}

// 12. Pacing against whole-second resets and skewed clocks.

/// The server says the window is spent until the next second, on a clock an hour ahead of the client's: the
/// client waits for the window (no `429`), and not an hour.
#[tokio::test]
async fn pacing_reads_the_reset_on_the_servers_clock() {
    let server = Recorder::start();
    let server_now = SystemTime::now() + Duration::from_secs(3_600);
    let reset = server_now.duration_since(UNIX_EPOCH).unwrap().as_secs() + 1;
    server.reply(
        Reply::json(200, &json!({ "type": "admin.list" }))
            .header("date", &http_date(server_now))
            .header("x-ratelimit-limit", "1")
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-reset", &reset.to_string()),
    );
    let client = Client::builder()
        .access_token(TOKEN)
        .base_url(server.base_url())
        .retry_policy(RetryPolicy::never())
        .rate_limit_policy(RateLimitPolicy::default().max_wait(Duration::from_secs(10)))
        .build()
        .unwrap();
    client.get_admins().send_json().await.unwrap();
    client.get_admins().send_json().await.expect("paced until the server's reset, not refused as an hour away");
    let requests = server.take_requests();
    let waited = requests[1].received_at - requests[0].received_at;
    // The reset is 0 to 1 s after the server's `Date`, plus the second of rounding.
    assert!(waited >= Duration::from_secs(1), "the second call went out after {waited:?}");
}
