//! The OAuth flow around the code exchange (`intercom_rest::oauth_flow`): the authorize URL, the state, the
//! redirect, and the whole flow against the simulator's authorize page and token exchange.

use std::collections::HashSet;

use intercom_rest::oauth_flow::{AuthorizeUrl, OAuthError, Redirect, State};
use intercom_rest::simulator::{OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, Simulator};
use intercom_rest::{Client, Error};

/// A state of the right form whose value the test knows.
const KNOWN_STATE: &str = "Zm9vYmFyLXN0YXRlLXZhbHVlLWZvci10ZXN0cy0wMQ";

fn known_state() -> State {
    State::restore(KNOWN_STATE).unwrap()
}

#[test]
fn the_authorize_url_has_intercoms_form() {
    let state = known_state();
    let url = AuthorizeUrl::new("c4f1d8a2-client", &state)
        .redirect_uri("https://example.com/intercom/callback?next=/home")
        .build()
        .unwrap();
    assert_eq!(
        url.as_str(),
        format!(
            "https://app.intercom.com/oauth?client_id=c4f1d8a2-client&state={KNOWN_STATE}\
             &redirect_uri=https%3A%2F%2Fexample.com%2Fintercom%2Fcallback%3Fnext%3D%2Fhome"
        )
    );
    // Without a redirect URI, Intercom uses the app's first registered one.
    let url = AuthorizeUrl::new("c4f1d8a2-client", &state).build().unwrap();
    assert_eq!(url.as_str(), format!("https://app.intercom.com/oauth?client_id=c4f1d8a2-client&state={KNOWN_STATE}"));
}

#[test]
fn the_parameters_are_form_encoded() {
    let url = AuthorizeUrl::new("id+with&odd=chars", &known_state())
        .redirect_uri("https://example.com/a b?x=1&y=é")
        .build()
        .unwrap();
    let query = url.query().unwrap();
    assert!(query.starts_with("client_id=id%2Bwith%26odd%3Dchars&state="), "{query}");
    assert!(query.ends_with("&redirect_uri=https%3A%2F%2Fexample.com%2Fa%2520b%3Fx%3D1%26y%3D%25C3%25A9"), "{query}");
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(pairs[0], ("client_id".to_owned(), "id+with&odd=chars".to_owned()));
    assert_eq!(pairs[2], ("redirect_uri".to_owned(), "https://example.com/a%20b?x=1&y=%C3%A9".to_owned()));
}

#[test]
fn the_base_url_can_point_elsewhere() {
    let state = known_state();
    let expected = format!("http://127.0.0.1:4010/oauth?client_id=c&state={KNOWN_STATE}");
    for base in ["http://127.0.0.1:4010", "http://127.0.0.1:4010/"] {
        assert_eq!(AuthorizeUrl::new("c", &state).base_url(base).build().unwrap().as_str(), expected);
    }
    let url = AuthorizeUrl::new("c", &state).base_url("https://app.eu.intercom.com").build().unwrap();
    assert!(url.as_str().starts_with("https://app.eu.intercom.com/oauth?client_id=c&"), "{url}");
    let url = AuthorizeUrl::new("c", &state).base_url("http://localhost:9/mock/").build().unwrap();
    assert!(url.as_str().starts_with("http://localhost:9/mock/oauth?client_id=c&"), "{url}");
}

#[test]
fn a_bad_client_id_base_url_or_redirect_uri_is_refused() {
    let state = known_state();
    for client_id in ["", "two words", "line\nbreak", "tab\t", "né"] {
        let error = AuthorizeUrl::new(client_id, &state).build().unwrap_err();
        assert_eq!(error, OAuthError::InvalidClientId, "{client_id:?}");
    }
    for base in ["http://app.intercom.com", "http://10.0.0.1", "app.intercom.com", "https://app.intercom.com?x=1"] {
        let error = AuthorizeUrl::new("c", &state).base_url(base).build().unwrap_err();
        assert!(matches!(error, OAuthError::InvalidBaseUrl { .. }), "{base}: {error:?}");
    }
    for uri in [
        "http://example.com/callback",
        "http://192.168.1.2/callback",
        "/callback",
        "not a url",
        "ftp://example.com/callback",
        "https://example.com/callback#fragment",
        "https://user:password@example.com/callback",
        "javascript:alert(1)",
    ] {
        let error = AuthorizeUrl::new("c", &state).redirect_uri(uri).build().unwrap_err();
        assert!(matches!(error, OAuthError::InvalidRedirectUri { .. }), "{uri}: {error:?}");
        assert!(!error.to_string().contains("password"), "{error}");
    }
    for uri in ["http://localhost:8080/callback", "http://127.0.0.1/callback", "http://[::1]:1/cb", "https://a.b/c"] {
        assert!(AuthorizeUrl::new("c", &state).redirect_uri(uri).build().is_ok(), "{uri}");
    }
}

#[test]
fn states_are_fresh_long_and_url_safe() {
    let first = State::generate().unwrap();
    let second = State::generate().unwrap();
    assert_ne!(first.as_str(), second.as_str());
    let many: HashSet<String> = (0..500).map(|_| State::generate().unwrap().as_str().to_owned()).collect();
    assert_eq!(many.len(), 500);
    for state in &many {
        // 256 bits in URL-safe base64 without padding.
        assert_eq!(state.len(), 43, "{state}");
        assert!(state.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_'), "{state}");
    }
    // Every character of the alphabet turns up: the bits are spread over it, not stuck.
    let used: HashSet<u8> = many.iter().flat_map(|state| state.bytes()).collect();
    assert_eq!(used.len(), 64);
}

#[test]
fn a_saved_state_is_restored_and_a_made_up_one_refused() {
    let state = State::generate().unwrap();
    let restored = State::restore(state.as_str()).unwrap();
    assert_eq!(restored.as_str(), state.as_str());
    restored.verify(Some(state.as_str())).unwrap();
    for saved in
        ["", "short", "abcdefghijklmnopqrstu", "has space in it and is long enough", "plus+sign+is+not+url+safe"]
    {
        assert_eq!(State::restore(saved).unwrap_err(), OAuthError::InvalidState, "{saved:?}");
    }
    assert!(State::restore("a".repeat(513)).is_err());
    assert!(State::restore("abcdefghijklmnopqrstuv").is_ok());
}

#[test]
fn the_state_must_come_back_unchanged() {
    let state = State::generate().unwrap();
    let text = state.as_str();
    state.verify(Some(text)).unwrap();
    assert_eq!(state.verify(None).unwrap_err(), OAuthError::MissingState);
    assert_eq!(state.verify(Some("")).unwrap_err(), OAuthError::MissingState);
    let other = State::generate().unwrap();
    assert_eq!(state.verify(Some(other.as_str())).unwrap_err(), OAuthError::StateMismatch);
    for wrong in [&text[..text.len() - 1], &text[..1], &format!("{text}x"), &text.to_uppercase(), &format!(" {text}")] {
        assert_eq!(state.verify(Some(wrong)).unwrap_err(), OAuthError::StateMismatch, "{wrong:?}");
    }
}

#[test]
fn a_redirect_gives_its_code_for_the_right_state() {
    let state = known_state();
    for redirect in [
        format!("https://example.com/callback?code=c0de%2F1&state={KNOWN_STATE}"),
        format!("https://example.com/callback?state={KNOWN_STATE}&code=c0de%2F1&other=x#fragment"),
        format!("/callback?code=c0de%2F1&state={KNOWN_STATE}"),
        format!("?code=c0de%2F1&state={KNOWN_STATE}"),
        format!("code=c0de%2F1&state={KNOWN_STATE}"),
        format!("  code=c0de%2F1&state={KNOWN_STATE}\n"),
    ] {
        let parsed = Redirect::parse(&redirect).unwrap();
        assert!(parsed.has_code() && parsed.error().is_none(), "{redirect}");
        assert_eq!(parsed.state(), Some(KNOWN_STATE));
        assert_eq!(parsed.code_for(&state).unwrap().as_str(), "c0de/1", "{redirect}");
    }
    // The code goes to the exchange as it is.
    let code = Redirect::parse(&format!("code=abc&state={KNOWN_STATE}")).unwrap().code_for(&state).unwrap();
    assert_eq!(String::from(code), "abc");
}

#[test]
fn a_redirect_with_a_wrong_or_missing_state_gives_no_code() {
    let state = known_state();
    let prefix = &KNOWN_STATE[..20];
    for (redirect, expected) in [
        ("code=abc".to_owned(), OAuthError::MissingState),
        ("code=abc&state=".to_owned(), OAuthError::MissingState),
        (format!("code=abc&state={prefix}"), OAuthError::StateMismatch),
        (format!("code=abc&state={KNOWN_STATE}A"), OAuthError::StateMismatch),
        ("code=abc&state=somebody-elses-state-value".to_owned(), OAuthError::StateMismatch),
        (format!("state={KNOWN_STATE}"), OAuthError::MissingCode),
        (format!("code=&state={KNOWN_STATE}"), OAuthError::MissingCode),
        (String::new(), OAuthError::MissingState),
    ] {
        assert_eq!(Redirect::parse(&redirect).unwrap().code_for(&state).unwrap_err(), expected, "{redirect:?}");
    }
}

#[test]
fn an_error_redirect_is_a_refusal() {
    let state = known_state();
    let redirect = Redirect::parse(&format!(
        "https://example.com/callback?error=access_denied&error_description=The+admin+declined&state={KNOWN_STATE}"
    ))
    .unwrap();
    assert_eq!(redirect.error(), Some("access_denied"));
    assert_eq!(redirect.error_description(), Some("The admin declined"));
    let error = redirect.code_for(&state).unwrap_err();
    assert_eq!(
        error,
        OAuthError::Denied { error: "access_denied".to_owned(), description: Some("The admin declined".to_owned()) }
    );
    assert_eq!(error.to_string(), "the authorization was refused: \"access_denied\" (\"The admin declined\")");
    // An error wins over a code, and needs no state; but an error with another state is not believed.
    let error = Redirect::parse("error=access_denied&code=abc").unwrap().code_for(&state).unwrap_err();
    assert_eq!(error, OAuthError::Denied { error: "access_denied".to_owned(), description: None });
    let forged = Redirect::parse("error=access_denied&state=somebody-elses-state-value").unwrap();
    assert_eq!(forged.code_for(&state).unwrap_err(), OAuthError::StateMismatch);
    // What the redirect carried is shown escaped.
    let error = Redirect::parse("error=x%1B%5B2J%0Aevil").unwrap().code_for(&state).unwrap_err();
    assert_eq!(error.to_string(), "the authorization was refused: \"x\\u{1b}[2J\\nevil\"");
}

#[test]
fn a_repeated_parameter_is_refused() {
    for (query, name) in [
        ("code=a&code=b&state=s", "code"),
        ("code=a&state=s&state=t", "state"),
        ("error=a&error=b", "error"),
        ("error=a&error_description=b&error_description=c", "error_description"),
    ] {
        assert_eq!(Redirect::parse(query).unwrap_err(), OAuthError::RepeatedParameter { name }, "{query}");
    }
}

#[test]
fn debug_output_and_errors_show_no_secret() {
    let state = State::generate().unwrap();
    let secret_code = "sEcReT-c0de-value";
    let redirect = Redirect::parse(&format!("code={secret_code}&state={}", state.as_str())).unwrap();
    let code = redirect.code_for(&state).unwrap();
    let builder = AuthorizeUrl::new("client-id-Qx7", &state).redirect_uri("https://example.com/cb");
    let shown = [
        format!("{state:?}"),
        format!("{code:?}"),
        format!("{redirect:?}"),
        format!("{builder:?}"),
        format!("{:?}", Redirect::parse("code=x&state=y").unwrap().code_for(&state)),
        format!("{:?}", state.verify(Some(secret_code))),
        format!("{}", state.verify(Some(secret_code)).unwrap_err()),
        format!("{:?}", AuthorizeUrl::new("client id Qx7", &state).build()),
    ];
    for text in &shown {
        for secret in [state.as_str(), secret_code, "client-id-Qx7", "client id Qx7"] {
            assert!(!text.contains(secret), "{text} shows {secret}");
        }
    }
    assert_eq!(shown[0], "State(<redacted>)");
    assert_eq!(shown[1], "AuthorizationCode(<redacted>)");
    assert!(shown[2].contains("code: Some(\"<redacted>\")") && shown[2].contains("state: Some(\"<redacted>\")"));
    assert!(shown[3].contains("https://example.com/cb"), "{}", shown[3]);
}

/// Visits `url` as a browser would, without following the redirect: the status and the `Location`.
async fn visit(url: &str) -> (u16, Option<String>) {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let response = http.get(url).send().await.unwrap();
    let location = response.headers().get("location").map(|value| value.to_str().unwrap().to_owned());
    (response.status().as_u16(), location)
}

fn anonymous_client(simulator: &Simulator) -> Client {
    Client::builder().base_url(simulator.base_url()).build().unwrap()
}

/// Sends the browser to the simulator's authorize page for `state` and `redirect_uri`: the redirect back.
async fn authorize(simulator: &Simulator, state: &State, redirect_uri: &str) -> Redirect {
    let url = AuthorizeUrl::new(OAUTH_CLIENT_ID, state)
        .base_url(simulator.base_url())
        .redirect_uri(redirect_uri)
        .build()
        .unwrap();
    let (status, location) = visit(url.as_str()).await;
    assert_eq!(status, 302, "{location:?}");
    let location = location.expect("a Location");
    assert!(location.starts_with(redirect_uri), "{location}");
    Redirect::parse(&location).unwrap()
}

#[tokio::test]
async fn the_whole_flow_on_the_simulator_and_a_code_works_once() {
    let simulator = Simulator::start().await.unwrap();
    let state = State::generate().unwrap();
    let redirect = authorize(&simulator, &state, "https://example.com/intercom/callback?tenant=7").await;
    // The callback's own query stays; the code comes after it.
    assert!(redirect.has_code());
    assert_eq!(redirect.state(), Some(state.as_str()));
    let code = redirect.code_for(&state).unwrap();

    let anonymous = anonymous_client(&simulator);
    let granted = anonymous.get_access_token(OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, code.clone()).send().await.unwrap();
    assert_eq!(granted.token_type.as_deref(), Some("Bearer"));
    let token = granted.bearer_token().expect("a token");
    let client = Client::builder().base_url(simulator.base_url()).access_token(token).build().unwrap();
    let me = client.get_current_admin().send().await.unwrap();
    assert!(me.email.is_some(), "{me:?}");

    // The same code again: refused, and no token.
    let again = anonymous.get_access_token(OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, code).send().await.unwrap_err();
    let Error::Unauthorized(api) = &again else { panic!("{again:?}") };
    assert_eq!((api.status, api.errors[0].code.as_str()), (401, "unauthorized"));

    // A code nobody handed out is refused too; a second visit gives a new code that works.
    let made_up = anonymous.get_access_token(OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, "sim-code-made-up").send().await;
    assert!(matches!(made_up, Err(Error::Unauthorized(_))), "{made_up:?}");
    let second = authorize(&simulator, &state, "https://example.com/intercom/callback?tenant=7").await;
    let second = second.code_for(&state).unwrap();
    assert_ne!(second.as_str(), redirect.code_for(&state).unwrap().as_str());
    anonymous.get_access_token(OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, second).send().await.unwrap();
}

#[tokio::test]
async fn a_wrong_secret_does_not_use_up_the_code() {
    let simulator = Simulator::start().await.unwrap();
    let state = State::generate().unwrap();
    let code = authorize(&simulator, &state, "http://127.0.0.1:1/callback").await.code_for(&state).unwrap();
    let anonymous = anonymous_client(&simulator);
    let wrong = anonymous.get_access_token(OAUTH_CLIENT_ID, "not-the-secret", code.clone()).send().await;
    assert!(matches!(wrong, Err(Error::Unauthorized(_))), "{wrong:?}");
    anonymous.get_access_token(OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, code).send().await.unwrap();
}

#[tokio::test]
async fn a_declined_authorization_comes_back_as_a_refusal() {
    let simulator = Simulator::builder().oauth_denied(true).start().await.unwrap();
    let state = State::generate().unwrap();
    let redirect = authorize(&simulator, &state, "https://example.com/callback").await;
    assert!(!redirect.has_code());
    assert_eq!(redirect.state(), Some(state.as_str()));
    let error = redirect.code_for(&state).unwrap_err();
    let OAuthError::Denied { error, description } = error else { panic!("{error:?}") };
    assert_eq!(error, "access_denied");
    assert!(description.is_some());
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let simulator = Simulator::builder().oauth_code_lifetime(std::time::Duration::ZERO).start().await.unwrap();
    let state = State::generate().unwrap();
    let code = authorize(&simulator, &state, "https://example.com/callback").await.code_for(&state).unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let expired =
        anonymous_client(&simulator).get_access_token(OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, code).send().await;
    let Err(Error::Unauthorized(api)) = &expired else { panic!("{expired:?}") };
    assert!(api.errors[0].message.as_deref().is_some_and(|message| message.contains("expired")), "{api:?}");
}

#[tokio::test]
async fn an_unknown_client_or_a_bad_redirect_uri_is_not_redirected() {
    let simulator = Simulator::start().await.unwrap();
    let state = State::generate().unwrap();
    let unknown =
        AuthorizeUrl::new("somebody-else", &state).base_url(simulator.base_url()).redirect_uri("https://a.b/c");
    assert_eq!(visit(unknown.build().unwrap().as_str()).await, (404, None));
    // The builder would refuse these, so they are written by hand.
    for redirect_uri in ["http%3A%2F%2Fexample.com%2Fcb", "not-a-url", "https%3A%2F%2Fa.b%2Fc%23frag", ""] {
        let url = format!(
            "{}/oauth?client_id={OAUTH_CLIENT_ID}&state={}&redirect_uri={redirect_uri}",
            simulator.base_url(),
            state.as_str()
        );
        assert_eq!(visit(&url).await, (400, None), "{redirect_uri}");
    }
}
