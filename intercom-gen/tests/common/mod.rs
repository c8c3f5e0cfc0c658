//! What the tests of `intercom-gen` share: the binary in a clean environment, and calls against a recording
//! server.

// Each test file uses a part of this module; what one leaves unused is not dead.
#![allow(dead_code)]

use std::process::{Command, Output};

use intercom_testkit::Recorder;
use serde_json::Value;

/// The token the calls give through `INTERCOM_ACCESS_TOKEN`.
pub const TOKEN: &str = "cli-test-token";

/// The binary with a clean environment: no Intercom or proxy variables leak in from the machine running the
/// tests.
pub fn intercom_gen() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_intercom-gen"));
    for variable in [
        "INTERCOM_ACCESS_TOKEN",
        "INTERCOM_BASE_URL",
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        command.env_remove(variable);
    }
    command
}

/// Runs `call FUNCTION --args ARGS` against `server`, with the token [`TOKEN`].
pub fn call(server: &Recorder, function: &str, args: &Value) -> Output {
    call_with(server, function, args, &[])
}

/// Runs `call` with extra flags.
pub fn call_with(server: &Recorder, function: &str, args: &Value, flags: &[&str]) -> Output {
    intercom_gen()
        .args(["call", function, "--args", &args.to_string(), "--base-url", server.base_url()])
        .args(flags)
        .env("INTERCOM_ACCESS_TOKEN", TOKEN)
        .output()
        .unwrap()
}

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
