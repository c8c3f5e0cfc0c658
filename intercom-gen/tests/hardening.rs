//! `intercom-gen` against hostile input: an environment that names a proxy, secrets on the command line,
//! endless argument files, terminal control sequences from a server, numbers out of range.

use std::io::Read;
use std::net::TcpListener;
use std::time::Duration;

mod common;

use common::{TOKEN, call_with, intercom_gen, text};
use intercom_testkit::{Recorder, Reply};
use serde_json::{Value, json};

/// Whether a connection was made to `listener` (it is non-blocking).
fn was_connected(listener: &TcpListener) -> Option<String> {
    let (mut stream, _) = listener.accept().ok()?;
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(Duration::from_millis(500))).ok()?;
    let mut buffer = [0u8; 2048];
    let read = stream.read(&mut buffer).unwrap_or(0);
    Some(String::from_utf8_lossy(&buffer[..read]).into_owned())
}

#[test]
fn a_proxy_named_by_the_environment_never_sees_a_loopback_call_or_its_token() {
    let server = Recorder::start();
    let proxy = TcpListener::bind("127.0.0.1:0").unwrap();
    proxy.set_nonblocking(true).unwrap();
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    let output = intercom_gen()
        .args(["call", "getAdmins", "--base-url", server.base_url()])
        .env("INTERCOM_ACCESS_TOKEN", TOKEN)
        .env("HTTP_PROXY", &proxy_url)
        .env("http_proxy", &proxy_url)
        .env("ALL_PROXY", &proxy_url)
        .env("all_proxy", &proxy_url)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(server.single_request().header("authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(was_connected(&proxy), None, "the proxy was used");
}

#[test]
fn dry_run_never_prints_a_secret_argument() {
    let server = Recorder::start();
    let args = json!({ "clientId": "client-id-Vb", "clientSecret": "client-secret-Vb", "code": "oauth-code-Vb" });
    let output = call_with(&server, "getAccessToken", &args, &["--dry-run"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        "POST /auth/eagle/token\n{\n  \"client_id\": \"<redacted>\",\n  \"client_secret\": \"<redacted>\",\n  \
         \"code\": \"<redacted>\"\n}\n"
    );
    assert!(server.requests().is_empty());
}

#[test]
fn a_snippet_reads_secrets_from_the_environment() {
    let args = json!({ "clientId": "client-id-Vb", "clientSecret": "client-secret-Vb", "code": "oauth-code-Vb" });
    let output = intercom_gen().args(["snippet", "getAccessToken", "--args", &args.to_string()]).output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let program = text(&output.stdout);
    for secret in ["client-id-Vb", "client-secret-Vb", "oauth-code-Vb"] {
        assert!(!program.contains(secret), "{program}");
    }
    assert!(program.contains(r#"std::env::var("INTERCOM_CLIENT_SECRET").unwrap_or_default()"#), "{program}");
}

#[cfg(unix)]
#[test]
fn endless_arguments_are_refused_without_reading_them_all() {
    let output = intercom_gen()
        .args(["call", "getAdmins", "--args", "@/dev/zero", "--base-url", "http://127.0.0.1:9"])
        .env("INTERCOM_ACCESS_TOKEN", TOKEN)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "error: --args: /dev/zero holds more than 16777216 bytes; arguments are never that large\n"
    );
}

#[test]
fn a_token_with_a_line_break_exits_2_and_sends_nothing() {
    let server = Recorder::start();
    let output = intercom_gen()
        .args(["call", "getAdmins", "--base-url", server.base_url()])
        .env("INTERCOM_ACCESS_TOKEN", format!("{TOKEN}\r\n"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "error: invalid client configuration: the access token cannot be sent: it must be printable ASCII without \
         spaces or line breaks; nothing was sent\n"
    );
    assert!(server.requests().is_empty());
}

#[test]
fn a_value_too_long_for_a_url_exits_2_and_is_not_retried() {
    let server = Recorder::start();
    let output = call_with(&server, "deleteTag", &json!({ "tagId": "x".repeat(100_000) }), &[]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("`tagId` makes the request URL 100006 bytes long"),
        "{}",
        text(&output.stderr)
    );
    assert!(server.requests().is_empty());
}

#[test]
fn terminal_control_sequences_from_the_server_are_printed_escaped() {
    let server = Recorder::start();
    let hostile = "gone\u{1b}[2J\u{1b}]0;owned\u{7}\u{9b}31m\u{202e}";
    let error = json!({ "type": "error.list", "request_id": "r\u{1b}[1m", "errors": [{ "code": "not_found", "message": hostile }] });
    server.reply(Reply::json(404, &error));
    let output = call_with(&server, "getAdmins", &json!({}), &[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(!stderr.chars().any(|c| c.is_control() && c != '\n' || c == '\u{202e}'), "{stderr:?}");
    assert!(stderr.contains(r"gone\u{1b}[2J\u{1b}]0;owned\u{7}\u{9b}31m\u{202e}"), "{stderr}");

    server.reply(Reply::raw(500, format!("<html>{hostile}</html>")));
    let output = call_with(&server, "createTag", &json!({ "name": "vip" }), &["--max-attempts", "1"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(!stderr.chars().any(|c| c.is_control() && c != '\n'), "{stderr:?}");

    // JSON output keeps the value, with such characters as JSON escapes.
    server.reply(Reply::json(200, &json!({ "type": "admin", "name": hostile })));
    let output = call_with(&server, "getCurrentAdmin", &json!({}), &[]);
    let stdout = text(&output.stdout);
    assert!(!stdout.chars().any(|c| c.is_control() && c != '\n' || c == '\u{202e}'), "{stdout:?}");
    let printed: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(printed["name"], hostile);

    server.reply(Reply::raw(301, "").header("location", "https://evil.example/\u{1b}[2J"));
    let output = call_with(&server, "getAdmins", &json!({}), &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!text(&output.stderr).contains('\u{1b}'), "{}", text(&output.stderr));
}

#[test]
fn numbers_out_of_range_and_a_zero_timeout_exit_2() {
    let server = Recorder::start();
    let output = call_with(&server, "getUsers", &json!({ "perPage": 123 }), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "error: invalid arguments for `getUsers`; nothing was sent:\n  `perPage` is 123, which is out of range: it \
         must be from 1 to 60\n"
    );
    let output = call_with(&server, "getAdmins", &json!({}), &["--timeout", "0"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(text(&output.stderr), "error: --timeout must be more than 0 seconds: every call would time out\n");
    assert!(server.requests().is_empty());
}

/// The functions of `http-mapping-more.md` refuse bad arguments like every other: exit 2, nothing sent.
#[test]
fn the_new_functions_refuse_bad_arguments_with_exit_2() {
    let server = Recorder::start();
    let output = call_with(&server, "setAdminAway", &json!({ "adminId": "814", "awayModeEnabled": "maybe" }), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "error: invalid arguments for `setAdminAway`; nothing was sent:\n  `awayModeEnabled` must be true or false, \
         not other text\n  `awayModeReassign` is required but missing\n"
    );
    let output = call_with(
        &server,
        "convertLeadToUser",
        &json!({ "leadId": "l1", "leadIdType": "user_id", "userIdType": "email" }),
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "error: invalid arguments for `convertLeadToUser`; nothing was sent:\n  `userId` is required when `userIdType` is \
         given\n"
    );
    assert!(server.requests().is_empty());
}
