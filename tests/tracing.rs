//! The `tracing` span of a call names the function, method, path, status, attempts and elapsed time, and
//! never the token or a query value.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use intercom_rest::{Client, RetryPolicy, UserIdType};
use intercom_testkit::{Recorder, Reply};
use serde_json::json;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

const TOKEN: &str = "tracing-test-token-Kx2";

/// Collects what the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn a_call_is_traced_without_secrets_or_query_values() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = Recorder::start();
    server.reply(Reply::json(503, &json!({ "type": "error.list", "errors": [{ "code": "service_unavailable" }] })));
    let client = Client::builder()
        .access_token(TOKEN)
        .base_url(server.base_url())
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(5)))
        .build()
        .unwrap();
    client.get_single_user("secret.person@example.com", UserIdType::Email).send_json().await.unwrap();
    client.get_single_user("5f1c/9", UserIdType::IntercomId).send_json().await.unwrap();

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(output.contains(r#"intercom{function="getSingleUser" method=GET path=/users}"#), "{output}");
    assert!(output.contains("path=/users/5f1c%2F9"), "ids in the path may be logged: {output}");
    assert!(output.contains("attempt=1") && output.contains("attempt=2"), "{output}");
    assert!(output.contains("status=503"), "{output}");
    assert!(output.contains("retrying"), "{output}");
    assert!(
        output.contains("attempts=2") && output.contains("status=\"ok\""),
        "the span closes with its outcome: {output}"
    );
    assert!(output.contains("elapsed_ms="), "{output}");
    assert!(!output.contains("secret.person"), "a query value was logged: {output}");
    assert!(!output.contains(TOKEN), "the token was logged: {output}");
}
