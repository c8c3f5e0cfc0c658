//! `intercom-gen webhook verify`: a notification on stdin, its signature and secret as flags; exit 0 and the
//! typed envelope encoded again when it verifies, exit 1 with a terminal-safe reason when not.

use std::io::Write;
use std::process::{Output, Stdio};

mod common;

use common::{intercom_gen, text};
use intercom_rest::webhook;
use serde_json::{Value, json};

/// The hub secret the notifications are signed with.
const SECRET: &str = "cli-hub-secret";

/// A notification as Intercom documents it, and its signature with `a-hub-secret`, computed independently:
/// `python3 -c "import hmac, hashlib; print(hmac.new(b'a-hub-secret', open('body', 'rb').read(),
/// hashlib.sha1).hexdigest())"`.
const PING_BODY: &str = r#"{"type":"notification_event","app_id":"a86dr8yl","data":{"type":"notification_event_data","item":{"type":"ping","message":"something something interzen"}},"id":null,"topic":"ping","delivery_status":null,"delivery_attempts":1,"delivered_at":0,"first_sent_at":1410188629,"created_at":1410188628,"self":null}"#;
const PING_SIGNATURE: &str = "sha1=0abebec22890f8115db33377f0fe3ce29160a5f2";

/// Runs `webhook verify` with `flags`, `body` on stdin and, when given, `INTERCOM_HUB_SECRET`.
fn verify(flags: &[&str], body: &[u8], env_secret: Option<&str>) -> Output {
    let mut command = intercom_gen();
    command.args(["webhook", "verify"]).args(flags).env_remove("INTERCOM_HUB_SECRET");
    if let Some(secret) = env_secret {
        command.env("INTERCOM_HUB_SECRET", secret);
    }
    let mut child =
        command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("intercom-gen");
    let mut stdin = child.stdin.take().unwrap();
    // A refused body may be answered before it is read whole.
    let _ = stdin.write_all(body);
    drop(stdin);
    child.wait_with_output().unwrap()
}

/// A `user.created` notification with members no model declares, a `null` and a numeric id.
fn user_created() -> Value {
    json!({
        "type": "notification_event",
        "id": "notif_ccd8a4d0-f965-11e3-a367-c779cae3e1b3",
        "topic": "user.created",
        "app_id": "a86dr8yl",
        "data": {
            "type": "notification_event_data",
            "item": { "type": "user", "id": "530370b477ad7120001d", "user_id": 25, "email": null, "novel": [1, 2] },
        },
        "delivery_attempts": 1,
        "created_at": 1_392_731_331,
        "added_later": "kept",
    })
}

#[test]
fn a_good_signature_prints_the_typed_notification_encoded_again() {
    let output = verify(&["--secret", "a-hub-secret", "--signature", PING_SIGNATURE], PING_BODY.as_bytes(), None);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let printed: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(printed["data"]["item"], json!({ "type": "ping", "message": "something something interzen" }));
    assert!(printed.get("self").is_none() && printed.get("id").is_none(), "nulls may come back absent");
    assert!(text(&output.stdout).contains("\n  \"app_id\""), "pretty-printed");

    let body = user_created().to_string();
    let signature = webhook::signature(SECRET, body.as_bytes());
    let output = verify(&["--signature", &signature], body.as_bytes(), Some(SECRET));
    assert_eq!(output.status.code(), Some(0), "the secret comes from INTERCOM_HUB_SECRET: {}", text(&output.stderr));
    let printed: Value = serde_json::from_slice(&output.stdout).unwrap();
    let expected = webhook::parse(body.as_bytes()).unwrap().to_json().unwrap();
    assert_eq!(printed, expected);
    assert_eq!(printed["added_later"], "kept");
    assert_eq!(printed["data"]["item"]["novel"], json!([1, 2]));
    assert_eq!(printed["data"]["item"]["user_id"], "25", "an id sent as a number comes back as text");
}

#[test]
fn what_does_not_verify_exits_1_and_never_shows_the_secret() {
    let body = user_created().to_string();
    let signature = webhook::signature(SECRET, body.as_bytes());
    let tampered = body.replace("530370b477ad7120001d", "530370b477ad7120001e");
    let odd = &signature[..signature.len() - 1];
    let bare = &signature["sha1=".len()..];
    let not_hex = format!("sha1=z{}", &signature["sha1=z".len()..]);
    let cases: [(&[&str], &[u8], &str); 6] = [
        (&["--secret", "another-secret", "--signature", &signature], body.as_bytes(), "does not match the body"),
        (&["--secret", SECRET, "--signature", &signature], tampered.as_bytes(), "does not match the body"),
        (&["--secret", SECRET], body.as_bytes(), "no X-Hub-Signature header"),
        (&["--secret", SECRET, "--signature", odd], body.as_bytes(), "odd number of hex digits"),
        (&["--secret", SECRET, "--signature", bare], body.as_bytes(), "does not start with `sha1=`"),
        (&["--secret", SECRET, "--signature", &not_hex], body.as_bytes(), "not a hex digit"),
    ];
    for (flags, body, reason) in cases {
        let output = verify(flags, body, None);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{flags:?}: {stderr}");
        assert!(stderr.starts_with("error: refused: ") && stderr.contains(reason), "{flags:?}: {stderr}");
        assert!(output.stdout.is_empty(), "nothing is printed of a refused notification");
        let expected_digits = &signature["sha1=".len()..];
        for secret in [SECRET, "another-secret"] {
            assert!(!stderr.contains(secret), "{stderr}");
        }
        if !flags.contains(&signature.as_str()) {
            assert!(!stderr.contains(expected_digits), "the expected signature is never shown: {stderr}");
        }
    }
}

#[test]
fn a_signed_body_that_is_not_a_notification_exits_1_naming_the_json_path() {
    let mut body = user_created();
    body["data"]["item"]["created_at"] = json!("\u{1b}[2J soon");
    let body = body.to_string();
    let signature = webhook::signature(SECRET, body.as_bytes());
    let output = verify(&["--secret", SECRET, "--signature", &signature], body.as_bytes(), None);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not a notification: at `data.item.created_at`"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "terminal-safe: {stderr:?}");

    for body in ["not json", r#"{"topic":"ping"}"#] {
        let signature = webhook::signature(SECRET, body.as_bytes());
        let output = verify(&["--secret", SECRET, "--signature", &signature], body.as_bytes(), None);
        assert_eq!(output.status.code(), Some(1), "{body}");
        assert!(text(&output.stderr).contains("not a notification"), "{}", text(&output.stderr));
    }
}

#[test]
fn control_characters_of_the_notification_are_printed_escaped() {
    let mut body = user_created();
    body["data"]["item"]["name"] = json!("Eve\u{1b}]0;pwned\u{7}\u{9b}");
    let body = body.to_string();
    let signature = webhook::signature(SECRET, body.as_bytes());
    let output = verify(&["--secret", SECRET, "--signature", &signature], body.as_bytes(), None);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let printed = text(&output.stdout);
    assert!(!printed.contains('\u{1b}') && !printed.contains('\u{9b}'), "{printed:?}");
    let decoded: Value = serde_json::from_str(&printed).unwrap();
    assert_eq!(decoded["data"]["item"]["name"], "Eve\u{1b}]0;pwned\u{7}\u{9b}", "the same JSON value");
}

#[test]
fn bad_flags_and_oversized_bodies_are_refused() {
    let output = verify(&["--secret", "", "--signature", PING_SIGNATURE], PING_BODY.as_bytes(), None);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    let output = verify(&["--signature", PING_SIGNATURE], PING_BODY.as_bytes(), None);
    assert_eq!(output.status.code(), Some(2), "--secret is required: {}", text(&output.stderr));

    let large = vec![b' '; webhook::MAX_BODY_BYTES + 1];
    let signature = webhook::signature(SECRET, &large);
    let output = verify(&["--secret", SECRET, "--signature", &signature], &large, None);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("larger than 1048576 bytes"), "{}", text(&output.stderr));
}

#[test]
fn the_help_never_shows_the_secret_from_the_environment() {
    let output = verify(&["--help"], b"", Some("env-secret-value"));
    assert_eq!(output.status.code(), Some(0));
    let help = text(&output.stdout);
    assert!(help.contains("INTERCOM_HUB_SECRET") && !help.contains("env-secret-value"), "{help}");
}
