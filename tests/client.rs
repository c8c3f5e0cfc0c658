//! The client around the planner: who gets the token, what is never shown, and how Intercom's answers are
//! decoded. Everything runs against a recording server on 127.0.0.1.

use intercom_rest::{Client, Error, UserIdType};
use intercom_testkit::{Recorder, Reply};
use serde_json::json;

const SECRET_TOKEN: &str = "dG9rOnNlY3JldC1hY2Nlc3MtdG9rZW4";

fn client(server: &Recorder) -> Client {
    Client::builder().access_token(SECRET_TOKEN).base_url(server.base_url()).build().unwrap()
}

#[tokio::test]
async fn the_token_goes_in_the_authorization_header_only() {
    let server = Recorder::start();
    client(&server).get_single_user("ann@example.com", UserIdType::Email).send_json().await.unwrap();
    let request = server.single_request();
    assert_eq!(request.header("authorization"), Some(format!("Bearer {SECRET_TOKEN}").as_str()));
    assert!(!request.raw_query.unwrap_or_default().contains(SECRET_TOKEN));
    assert!(!request.path.contains(SECRET_TOKEN));
}

#[tokio::test]
async fn the_oauth_exchange_sends_no_token() {
    let server = Recorder::start();
    let args = json!({ "clientId": "id-1", "clientSecret": "s3cr3t", "code": "c0de" });
    client(&server).call("getAccessToken", &args).await.unwrap();
    let request = server.single_request();
    assert_eq!(request.header("authorization"), None);
    assert_eq!(request.json(), Some(json!({ "client_id": "id-1", "client_secret": "s3cr3t", "code": "c0de" })));
}

#[tokio::test]
async fn an_access_token_argument_overrides_the_client_token_for_one_call() {
    let server = Recorder::start();
    let client = client(&server);
    client.call("getAdmins", &json!({ "accessToken": "per-call-token" })).await.unwrap();
    assert_eq!(server.single_request().header("authorization"), Some("Bearer per-call-token"));
    client.call("getAdmins", &json!({})).await.unwrap();
    assert_eq!(server.single_request().header("authorization"), Some(format!("Bearer {SECRET_TOKEN}").as_str()));
}

#[tokio::test]
async fn without_any_token_an_authenticated_call_is_refused_before_sending() {
    let server = Recorder::start();
    let client = Client::builder().base_url(server.base_url()).build().unwrap();
    let error = client.get_admins().send_json().await.unwrap_err();
    assert!(matches!(error, Error::MissingAccessToken { function: "getAdmins" }), "{error:?}");
    assert!(server.requests().is_empty());
    // The token exchange needs none.
    client.get_access_token("id", "secret", "code").send_json().await.unwrap();
}

#[tokio::test]
async fn the_token_and_secrets_never_show_in_debug_output() {
    let server = Recorder::start();
    let client = client(&server);
    let shown = [
        format!("{client:?}"),
        format!("{:?}", client.get_admins()),
        format!("{:?}", client.prepare_call("getAdmins", &json!({ "accessToken": SECRET_TOKEN })).unwrap()),
        format!("{:?}", client.get_access_token("id", SECRET_TOKEN, SECRET_TOKEN)),
        format!("{:?}", client.get_access_token("id", SECRET_TOKEN, SECRET_TOKEN).prepare().unwrap()),
        format!(
            "{:?}",
            client.create_subscription("https://h.example".parse().unwrap(), ["ping"]).hub_secret(SECRET_TOKEN)
        ),
    ];
    for text in &shown {
        assert!(!text.contains(SECRET_TOKEN), "{text}");
    }
    assert!(shown[0].contains("AccessToken(<redacted>)"), "{}", shown[0]);
    assert!(shown[4].contains("<redacted>"), "{}", shown[4]);
}

#[tokio::test]
async fn the_token_never_shows_in_errors() {
    let server = Recorder::start();
    let client = client(&server);
    server.reply(Reply::json(
        401,
        &json!({ "type": "error.list", "request_id": "r-1", "errors": [{ "code": "unauthorized", "message": "Access Token Invalid" }] }),
    ));
    let error = client.get_admins().send_json().await.unwrap_err();
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(SECRET_TOKEN), "{text}");
    }
    let refused = Client::builder().access_token(SECRET_TOKEN).base_url("http://intercom.example").build().unwrap_err();
    assert!(!format!("{refused} {refused:?}").contains(SECRET_TOKEN));
}

#[tokio::test]
async fn an_error_list_is_decoded_with_every_entry_and_the_request_id() {
    let server = Recorder::start();
    server.reply(Reply::json(
        404,
        &json!({ "type": "error.list", "request_id": "b3c0", "errors": [
            { "code": "not_found", "message": "User Not Found" },
            { "code": "parameter_invalid", "message": "Email is invalid", "field": "email" }
        ] }),
    ));
    let error = client(&server).get_single_user("42", UserIdType::UserId).send_json().await.unwrap_err();
    let Error::NotFound(api) = &error else { panic!("{error:?}") };
    assert_eq!(api.status, 404);
    assert_eq!(api.request_id.as_deref(), Some("b3c0"));
    assert_eq!(api.errors.len(), 2);
    assert_eq!(api.errors[1].field.as_deref(), Some("email"));
    assert_eq!(
        error.to_string(),
        "getSingleUser: Intercom answered 404: not_found (User Not Found); parameter_invalid (Email is invalid) \
         [field email] [request b3c0]"
    );
}

#[tokio::test]
async fn an_error_status_without_an_error_list_keeps_the_body() {
    let server = Recorder::start();
    server.reply(Reply::raw(502, "<html>Bad Gateway</html>"));
    let client = Client::builder()
        .access_token(SECRET_TOKEN)
        .base_url(server.base_url())
        .retry_policy(intercom_rest::RetryPolicy::never())
        .build()
        .unwrap();
    let error = client.get_admins().send_json().await.unwrap_err();
    let Error::Api(api) = error else { panic!() };
    assert_eq!((api.status, api.body.as_deref()), (502, Some("<html>Bad Gateway</html>")));
    assert!(api.errors.is_empty());
}

#[tokio::test]
async fn an_empty_success_body_is_null() {
    let server = Recorder::start();
    server.reply(Reply::raw(202, ""));
    let response = client(&server).submit_event("ordered", "u1", 1_714_557_600).send_json().await.unwrap();
    assert_eq!(response, serde_json::Value::Null);
}

#[tokio::test]
async fn a_success_body_that_is_not_json_is_an_error_that_keeps_it() {
    let server = Recorder::start();
    server.reply(Reply::raw(200, "<html>maintenance</html>"));
    let error = client(&server).get_admins().send_json().await.unwrap_err();
    let Error::UndecodableResponse { function, status, body } = error else { panic!("{error:?}") };
    assert_eq!((function, status, body.as_str()), ("getAdmins", 200, "<html>maintenance</html>"));
}

/// What a typed `getSingleUser` makes of a 200 answer with `body`, looked up by email (Intercom answers with a
/// list) and by id (with the user).
async fn get_single_user_answering(body: &str) -> [Result<intercom_rest::models::User, Error>; 2] {
    let mut answers = Vec::new();
    for id_type in [UserIdType::Email, UserIdType::IntercomId] {
        let server = Recorder::start();
        server.reply(Reply::raw(200, body));
        answers.push(client(&server).get_single_user("ann@example.com", id_type).send().await);
    }
    let [by_email, by_id]: [_; 2] = answers.try_into().unwrap_or_else(|_| unreachable!());
    [by_email, by_id]
}

/// A typed call is checked as strictly as a call by name, whether the answer is its model or a list holding it:
/// a body that is not JSON, or may be an error list, is not taken for a result.
#[tokio::test]
async fn a_typed_call_refuses_what_is_not_json_or_may_be_an_error() {
    let user = r#"{"type":"user","id":"1"}"#;
    for body in [format!(r#"{{"type":"user.list","users":[{user}]}}<html>oops"#), format!("{user} trailing")] {
        for answer in get_single_user_answering(&body).await {
            assert!(matches!(answer, Err(Error::UndecodableResponse { status: 200, .. })), "{body}: {answer:?}");
        }
    }
    // A second `type` saying `error.list` makes a list answer an error, and the model refuses a member twice.
    let body = format!(r#"{{"type":"user.list","users":[{user}],"type":"error.list","errors":[]}}"#);
    let [by_email, _] = get_single_user_answering(&body).await;
    assert!(matches!(by_email, Err(Error::Api(_))), "{by_email:?}");
    let body = r#"{"type":"user","id":"1","type":"error.list","errors":[{"code":"not_found"}]}"#;
    let [_, by_id] = get_single_user_answering(body).await;
    let Err(Error::Decode(error)) = by_id else { panic!("{by_id:?}") };
    assert!(error.detail.starts_with("duplicate field `type`"), "{error:?}");
}

#[tokio::test]
async fn the_intercom_version_header_is_configurable() {
    let server = Recorder::start();
    let client =
        Client::builder().access_token("t").base_url(server.base_url()).intercom_version("1.2").build().unwrap();
    client.get_admins().send_json().await.unwrap();
    assert_eq!(server.single_request().header("intercom-version"), Some("1.2"));
}

#[test]
fn plain_http_is_refused_except_on_loopback() {
    let error = Client::builder().base_url("http://api.intercom.io").build().unwrap_err();
    assert!(matches!(&error, Error::Config(_)), "{error:?}");
    assert!(error.to_string().contains("only loopback hosts"), "{error}");
    for loopback in ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9"] {
        assert!(Client::builder().base_url(loopback).build().is_ok(), "{loopback}");
    }
}

#[tokio::test]
async fn a_base_url_with_a_path_prefix_keeps_it() {
    let server = Recorder::start();
    let client =
        Client::builder().access_token("t").base_url(format!("{}/intercom/", server.base_url())).build().unwrap();
    client.get_single_admin("7").send_json().await.unwrap();
    assert_eq!(server.single_request().path, "/intercom/admins/7");
}

/// Calls by name search the registry by binary search, which needs it sorted; every function is found.
#[test]
fn every_function_is_found_by_its_name() {
    let names: Vec<&str> = intercom_rest::functions().iter().map(|spec| spec.name).collect();
    assert!(names.windows(2).all(|pair| pair[0] < pair[1]), "the registry is not sorted: {names:?}");
    for name in names {
        assert_eq!(intercom_rest::find_function(name).map(|spec| spec.name), Some(name));
    }
    assert!(intercom_rest::find_function("getsingleuser").is_none());
}

/// A function that pins its API version sends it whatever the client's; every other function sends the
/// client's.
#[tokio::test]
async fn a_function_that_needs_its_own_api_version_sends_it_whatever_the_clients() {
    let server = Recorder::start();
    let client = Client::builder()
        .access_token(SECRET_TOKEN)
        .base_url(server.base_url())
        .intercom_version("1.2")
        .build()
        .unwrap();
    let prepared = client.delete_company("5cb8a7ec").prepare().unwrap();
    assert_eq!(prepared.intercom_version(), Some("2.1"));
    client.delete_company("5cb8a7ec").send_json().await.unwrap();
    assert_eq!(server.single_request().header("intercom-version"), Some("2.1"));
    client.get_admins().send_json().await.unwrap();
    assert_eq!(server.single_request().header("intercom-version"), Some("1.2"));
}

/// Builders and streams own a handle of the client: they can outlive the borrow they were made from and move
/// to another task.
#[tokio::test]
async fn builders_and_streams_can_move_to_another_task() {
    use futures::TryStreamExt;

    fn send_static<T: Send + 'static>(value: T) -> T {
        value
    }
    let server = Recorder::start();
    server.reply(Reply::json(200, &json!({ "type": "user.list", "users": [{ "id": "1" }, { "id": "2" }] })));
    let builder = send_static(client(&server).get_users().per_page(2));
    let again = builder.clone();
    let stream = send_static(builder.stream());
    let users: Vec<intercom_rest::models::User> = tokio::spawn(stream.try_collect()).await.unwrap().unwrap();
    let ids: Vec<&str> = users.iter().map(|user| user.id.as_str()).collect();
    assert_eq!(ids, ["1", "2"]);
    assert_eq!(again.prepare().unwrap().query(), [("per_page".to_owned(), "2".to_owned())]);
}
