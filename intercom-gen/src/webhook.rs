//! `intercom-gen webhook verify`: check a notification's `X-Hub-Signature` and print it decoded.

use std::io::{BufWriter, Read, Write};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use intercom_rest::webhook::{self, MAX_BODY_BYTES, WebhookError};

use crate::output::{terminal_safe, write_pretty_json};

/// Exit status when the notification is refused (not signed with the secret, or not a notification).
const REFUSED: u8 = 1;
/// Exit status for a bad flag.
const USAGE: u8 = 2;

#[derive(Subcommand)]
pub enum WebhookCommand {
    /// Check a notification's signature and print it decoded into its typed envelope, encoded again as JSON.
    ///
    /// Reads the body, byte for byte as it was received, on standard input (at most 1 MiB). Exits 0 when the
    /// signature is the body's HMAC-SHA1 with the secret; 1 when it is missing, malformed or wrong, or when
    /// the body is signed but not a notification (naming the JSON path and what was expected).
    Verify(VerifyArgs),
}

#[derive(Args)]
pub struct VerifyArgs {
    /// The subscription's hub secret (prefer the environment variable: a command line is visible to other
    /// users). It is never printed.
    #[arg(long, env = "INTERCOM_HUB_SECRET", hide_env_values = true)]
    secret: String,
    /// The value of the notification's `X-Hub-Signature` header, e.g. `sha1=4f…` (a notification without one
    /// is refused).
    #[arg(long, value_name = "HEADER")]
    signature: Option<String>,
}

pub fn run(command: WebhookCommand) -> ExitCode {
    match command {
        WebhookCommand::Verify(args) => verify(&args),
    }
}

fn verify(args: &VerifyArgs) -> ExitCode {
    if args.secret.is_empty() {
        eprintln!("error: --secret is empty: a notification is signed with the subscription's hub secret");
        return ExitCode::from(USAGE);
    }
    let body = match read_body(std::io::stdin().lock()) {
        Ok(body) => body,
        Err(message) => {
            eprintln!("error: {}", terminal_safe(&message));
            return ExitCode::from(REFUSED);
        }
    };
    let hook = match webhook::verify_and_parse(&args.secret, &body, args.signature.as_deref()) {
        Ok(hook) => hook,
        Err(error) => {
            // The message names what was wrong, never the secret or the signature expected.
            let verdict = if error.is_signature_problem() { "refused" } else { "not accepted" };
            eprintln!("error: {verdict}: {}", terminal_safe(&error.to_string()));
            if let WebhookError::SignatureMismatch = error {
                eprintln!(
                    "  the body must be passed exactly as received, and --secret be the subscription's hub_secret"
                );
            }
            return ExitCode::from(REFUSED);
        }
    };
    let json = match serde_json::to_vec(&hook) {
        Ok(json) => json,
        Err(error) => {
            eprintln!("error: the notification cannot be encoded again: {}", terminal_safe(&error.to_string()));
            return ExitCode::from(REFUSED);
        }
    };
    let mut stdout = BufWriter::new(std::io::stdout().lock());
    // A reader that went away (e.g. `| head`) ends the output quietly.
    let _ = write_pretty_json(&json, &mut stdout).and_then(|()| stdout.flush());
    ExitCode::SUCCESS
}

/// The body, read whole but never more than [`MAX_BODY_BYTES`] (a notification is far smaller).
fn read_body(source: impl Read) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    source
        .take(MAX_BODY_BYTES as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|error| format!("cannot read the body on standard input: {error}"))?;
    if body.len() > MAX_BODY_BYTES {
        return Err(format!(
            "the body on standard input is larger than {MAX_BODY_BYTES} bytes; notifications never are"
        ));
    }
    Ok(body)
}
