//! The OAuth flow as raw HTTP: the authorize page (`GET /oauth`) redirects with a fresh code and the state it
//! was given, or with `error=access_denied` when the admin declines; it redirects nowhere for an unknown client
//! or a bad redirect URI; and the token exchange takes each code it handed out once, within its lifetime.

use std::time::Duration;

mod common;

use common::{Api, INVALID, MISSING, NOT_FOUND, assert_error};
use intercom_simulator::{OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, Simulator};
use serde_json::{Value, json};

/// The query parameters of `url`, in order.
fn pairs(url: &url::Url) -> Vec<(String, String)> {
    url.query_pairs().into_owned().collect()
}

/// The value of `name` in `url`'s query.
fn param(url: &url::Url, name: &str) -> Option<String> {
    url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
}

fn granted(body: &Value) -> bool {
    body["access_token"].as_str().is_some_and(|token| !token.is_empty()) && body["token"] == body["access_token"]
}

#[tokio::test]
async fn the_authorize_page_redirects_with_a_fresh_code_and_the_same_state() {
    let api = Api::start().await;
    let query = format!(
        "client_id={OAUTH_CLIENT_ID}&state=st%2Bate-1&redirect_uri=https%3A%2F%2Fexample.com%2Fcb%3Ftenant%3D7"
    );
    let (status, location, _) = api.authorize(&query).await;
    assert_eq!(status, 302);
    let location = location.expect("a Location");
    assert_eq!((location.scheme(), location.host_str(), location.path()), ("https", Some("example.com"), "/cb"));
    let pairs = pairs(&location);
    assert_eq!(pairs.len(), 3, "{location}");
    assert_eq!(pairs[0], ("tenant".to_owned(), "7".to_owned()), "the redirect URI's own query is kept");
    assert_eq!(pairs[1].0, "code");
    assert!(!pairs[1].1.is_empty());
    assert_eq!(pairs[2], ("state".to_owned(), "st+ate-1".to_owned()));

    let (_, again, _) = api.authorize(&query).await;
    let again = again.expect("a Location");
    assert_ne!(param(&again, "code"), Some(pairs[1].1.clone()), "each visit gives a new code");

    // Without a state, none comes back; a loopback http redirect URI is fine.
    let (status, location, _) =
        api.authorize(&format!("client_id={OAUTH_CLIENT_ID}&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb")).await;
    assert_eq!(status, 302);
    let location = location.expect("a Location");
    assert!(location.as_str().starts_with("http://127.0.0.1:9/cb?code="), "{location}");
    assert_eq!(param(&location, "state"), None);
}

#[tokio::test]
async fn a_declining_admin_sends_back_access_denied() {
    let api = Api::on(Simulator::builder().oauth_denied(true).start().await.expect("a simulator"));
    let (status, location, _) = api
        .authorize(&format!("client_id={OAUTH_CLIENT_ID}&state=s1&redirect_uri=https%3A%2F%2Fexample.com%2Fcb"))
        .await;
    assert_eq!(status, 302);
    let location = location.expect("a Location");
    assert_eq!(param(&location, "error").as_deref(), Some("access_denied"));
    assert!(param(&location, "error_description").is_some_and(|text| !text.is_empty()));
    assert_eq!(param(&location, "state").as_deref(), Some("s1"));
    assert_eq!(param(&location, "code"), None);
}

#[tokio::test]
async fn an_unknown_client_or_a_bad_redirect_uri_gets_no_redirect() {
    let api = Api::start().await;
    let (status, location, body) = api.authorize("redirect_uri=https%3A%2F%2Fexample.com%2Fcb").await;
    assert!(location.is_none());
    assert_error(&(status, body), 400, MISSING, "client_id");
    let (status, location, body) = api.authorize("client_id=somebody-else&redirect_uri=https%3A%2F%2Fa.b%2Fc").await;
    assert!(location.is_none());
    assert_error(&(status, body), 404, NOT_FOUND, "client_id");

    for redirect_uri in [
        "http%3A%2F%2Fexample.com%2Fcb",
        "http%3A%2F%2F10.0.0.1%2Fcb",
        "not-a-url",
        "%2Fcb",
        "ftp%3A%2F%2Fexample.com%2Fcb",
        "https%3A%2F%2Fexample.com%2Fcb%23fragment",
        "https%3A%2F%2Fuser%3Apass%40example.com%2Fcb",
    ] {
        let (status, location, body) =
            api.authorize(&format!("client_id={OAUTH_CLIENT_ID}&state=s&redirect_uri={redirect_uri}")).await;
        assert!(location.is_none(), "{redirect_uri}");
        assert_error(&(status, body), 400, INVALID, "redirect_uri");
    }
    // With no registered redirect URL, one must be given.
    let (status, location, body) = api.authorize(&format!("client_id={OAUTH_CLIENT_ID}&state=s")).await;
    assert!(location.is_none());
    assert_error(&(status, body), 400, MISSING, "redirect_uri");
}

#[tokio::test]
async fn registered_redirect_urls_are_the_only_ones_and_the_first_is_the_default() {
    let simulator = Simulator::builder()
        .oauth_redirect_uri("https://example.com/first")
        .oauth_redirect_uri("http://localhost:8080/second")
        .start()
        .await
        .expect("a simulator");
    let api = Api::on(simulator);
    let (status, location, _) = api.authorize(&format!("client_id={OAUTH_CLIENT_ID}&state=s")).await;
    assert_eq!(status, 302);
    assert!(location.expect("a Location").as_str().starts_with("https://example.com/first?code="));
    let (status, location, _) = api
        .authorize(&format!("client_id={OAUTH_CLIENT_ID}&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fsecond"))
        .await;
    assert_eq!(status, 302);
    assert!(location.expect("a Location").as_str().starts_with("http://localhost:8080/second?code="));
    let (status, location, body) =
        api.authorize(&format!("client_id={OAUTH_CLIENT_ID}&redirect_uri=https%3A%2F%2Fexample.com%2Fother")).await;
    assert!(location.is_none());
    assert_error(&(status, body), 400, INVALID, "redirect_uri");
}

#[tokio::test]
async fn the_authorize_page_takes_only_get() {
    let api = Api::start().await;
    let (status, body) = api.post(&format!("/oauth?client_id={OAUTH_CLIENT_ID}"), json!({})).await;
    assert_error(&(status, body), 405, "method_not_allowed", "");
}

#[tokio::test]
async fn a_code_is_exchanged_once() {
    let api = Api::start().await;
    let code = api.oauth_code().await;
    let request = json!({ "client_id": OAUTH_CLIENT_ID, "client_secret": OAUTH_CLIENT_SECRET, "code": code });
    let first = api.exchange(&request).await;
    assert!(first.0 == 200 && granted(&first.1), "{first:?}");
    let token = first.1["access_token"].as_str().expect("a token").to_owned();
    assert_error(&api.exchange(&request).await, 401, "unauthorized", "");

    // The token works like the configured one.
    let me = api.http.get(format!("{}/me", api.simulator.base_url())).bearer_auth(&token).send().await.unwrap();
    assert_eq!(me.status().as_u16(), 200);
}

#[tokio::test]
async fn an_unknown_code_is_refused_and_a_wrong_secret_leaves_the_code_usable() {
    let api = Api::start().await;
    let unknown = json!({ "client_id": OAUTH_CLIENT_ID, "client_secret": OAUTH_CLIENT_SECRET, "code": "made-up" });
    assert_error(&api.exchange(&unknown).await, 401, "unauthorized", "");

    let code = api.oauth_code().await;
    let wrong = json!({ "client_id": OAUTH_CLIENT_ID, "client_secret": "not-the-secret", "code": code });
    assert_error(&api.exchange(&wrong).await, 401, "unauthorized", "");
    let right = json!({ "client_id": OAUTH_CLIENT_ID, "client_secret": OAUTH_CLIENT_SECRET, "code": code });
    let answer = api.exchange(&right).await;
    assert!(answer.0 == 200 && granted(&answer.1), "{answer:?}");
}

#[tokio::test]
async fn a_code_expires() {
    let simulator = Simulator::builder().oauth_code_lifetime(Duration::ZERO).start().await.unwrap();
    let api = Api::on(simulator);
    let code = api.oauth_code().await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    let request = json!({ "client_id": OAUTH_CLIENT_ID, "client_secret": OAUTH_CLIENT_SECRET, "code": code });
    let answer = api.exchange(&request).await;
    assert_error(&answer, 401, "unauthorized", "");
    assert!(answer.1["errors"][0]["message"].as_str().is_some_and(|message| message.contains("expired")), "{answer:?}");
}

#[tokio::test]
async fn a_form_encoded_exchange_takes_a_code_too() {
    let api = Api::start().await;
    let code = api.oauth_code().await;
    let form = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("client_id", OAUTH_CLIENT_ID)
        .append_pair("client_secret", OAUTH_CLIENT_SECRET)
        .append_pair("code", &code)
        .finish();
    let exchange = || {
        api.http
            .post(format!("{}/auth/eagle/token", api.simulator.base_url()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.clone())
            .send()
    };
    let response = exchange().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert!(granted(&body), "{body}");
    assert_eq!(exchange().await.unwrap().status().as_u16(), 401);
}
