//! `intercom-gen call`: one function, by name, with JSON arguments.

use std::io::{BufWriter, Read, Write};
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use futures::StreamExt;
use intercom_rest::{Client, Error, ItemStream, RateLimitPolicy, RetryPolicy};
use serde_json::Value;

use crate::output::{terminal_safe, write_json_line, write_pretty_json, write_pretty_value};

/// The largest `--args` accepted, in bytes: arguments are small, and `--args @/dev/zero` must not read
/// until memory runs out.
pub const MAX_ARGUMENTS_BYTES: u64 = 16 * 1024 * 1024;

/// Exit status when the arguments are refused and nothing was sent.
pub const INVALID_ARGUMENTS: u8 = 2;
/// Exit status when Intercom answered with an error or the request failed.
pub const FAILED: u8 = 1;

#[derive(Args)]
pub struct CallArgs {
    /// The function's manifest name, e.g. `getSingleUser` (see `intercom-gen list`).
    function: String,
    /// The arguments as a JSON object keyed by manifest names; `@FILE` reads them from a file, `-` from stdin.
    #[arg(long, default_value = "{}")]
    args: String,
    /// Where to send the request; http:// is accepted for loopback hosts only.
    #[arg(long, env = "INTERCOM_BASE_URL", default_value = intercom_rest::DEFAULT_BASE_URL)]
    base_url: String,
    /// The access token (prefer the environment variable: a command line is visible to other users).
    #[arg(long, env = "INTERCOM_ACCESS_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Print the request that would be sent instead of sending it.
    #[arg(long)]
    dry_run: bool,
    /// For a list function: print every item of every page, one JSON value per line.
    #[arg(long, conflicts_with = "typed")]
    all: bool,
    /// Decode the answer into the function's model and print the model encoded again as JSON: what a typed
    /// call gets. Exits 1, naming the JSON path and what was expected, when the answer does not decode.
    #[arg(long)]
    typed: bool,
    /// The most times a request is sent (retries are made only where safe: see the README).
    #[arg(long, default_value_t = 4, value_name = "N")]
    max_attempts: u32,
    /// How long one attempt may take, in seconds.
    #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
    timeout: f64,
    /// The longest wait for Intercom's rate limit to reset, in seconds (0: never wait).
    #[arg(long, default_value_t = 60.0, value_name = "SECONDS")]
    max_rate_limit_wait: f64,
}

pub fn run(args: CallArgs) -> ExitCode {
    let arguments = match read_arguments(&args.args) {
        Ok(arguments) => arguments,
        Err(message) => {
            eprintln!("error: --args: {}", terminal_safe(&message));
            return ExitCode::from(INVALID_ARGUMENTS);
        }
    };
    let (Some(timeout), Some(max_wait)) = (seconds(args.timeout), seconds(args.max_rate_limit_wait)) else {
        eprintln!("error: --timeout and --max-rate-limit-wait take a number of seconds");
        return ExitCode::from(INVALID_ARGUMENTS);
    };
    if timeout.is_zero() {
        eprintln!("error: --timeout must be more than 0 seconds: every call would time out");
        return ExitCode::from(INVALID_ARGUMENTS);
    }
    let mut builder = Client::builder()
        .base_url(&args.base_url)
        .timeout(timeout)
        .retry_policy(RetryPolicy::default().max_attempts(args.max_attempts))
        .rate_limit_policy(RateLimitPolicy::default().max_wait(max_wait));
    if let Some(token) = args.token.filter(|token| !token.is_empty()) {
        builder = builder.access_token(token);
    }
    let client = match builder.build() {
        Ok(client) => client,
        Err(error) => return report(&error),
    };
    let request = match client.prepare_call(&args.function, &arguments) {
        Ok(request) => request,
        Err(error) => return report(&error),
    };
    if args.dry_run {
        // Secret arguments (a client secret, an OAuth code) are shown as `<redacted>`.
        outln!("{} {}", request.method(), terminal_safe(&request.redacted_path_and_query()));
        if let Some(body) = request.redacted_body() {
            let _ = write_pretty_value(&body, &mut std::io::stdout().lock());
        }
        return ExitCode::SUCCESS;
    }
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::from(FAILED);
        }
    };
    if args.all {
        return match client.stream_call(&args.function, &arguments) {
            Ok(items) => runtime.block_on(print_items(items)),
            Err(error) => report(&error),
        };
    }
    let answer_list = request.answer_list();
    let response = match runtime.block_on(client.execute_raw(request)) {
        Ok(response) => response,
        Err(error) => return report(&error),
    };
    let typed;
    let printed = if args.typed {
        match typed_json(&args.function, answer_list, response.as_str()) {
            Ok(json) => {
                typed = json;
                typed.as_bytes()
            }
            Err(message) => {
                eprintln!("error: {}", terminal_safe(&message));
                return ExitCode::from(FAILED);
            }
        }
    } else {
        // Printed from the bytes received: a large answer is never held twice, nor as a tree.
        response.as_bytes()
    };
    let mut stdout = BufWriter::new(std::io::stdout().lock());
    // A reader that went away (e.g. `| head`) ends the output quietly.
    let _ = write_pretty_json(printed, &mut stdout).and_then(|()| stdout.flush());
    ExitCode::SUCCESS
}

/// The answer decoded into the function's model and encoded again (`--typed`). Where Intercom answers a list
/// for a single lookup (`answer_list`), the model is its one item, as the typed call returns it.
fn typed_json(function: &str, answer_list: Option<&str>, json: &str) -> Result<String, String> {
    let returns = intercom_rest::find_function(function)
        .and_then(|spec| spec.returns)
        .ok_or_else(|| format!("`{function}` declares no model to decode its answer into"))?;
    let fail = |error: intercom_rest::DecodeError| format!("{function}: {error}");
    let Some(items) = answer_list else { return returns.reencode(json).map_err(fail) };
    let list: Value = serde_json::from_str(json).map_err(|error| format!("{function}: {error}"))?;
    match list.get(items).and_then(Value::as_array).map(Vec::as_slice) {
        Some([one]) => returns.reencode(&one.to_string()).map_err(fail),
        Some(several) => Err(format!(
            "{function}: the answer lists {} `{items}`, not the one `{}` the typed call returns",
            several.len(),
            returns.model
        )),
        None => Err(format!("{function}: the answer has no `{items}` list")),
    }
}

/// Prints each item on a line of its own as it arrives, so the output can be piped while pages load.
async fn print_items(mut items: ItemStream) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    while let Some(item) = items.next().await {
        match item {
            Ok(item) => {
                if write_json_line(&item, &mut stdout).is_err() {
                    // The reader went away (e.g. `| head`): stop quietly.
                    return ExitCode::SUCCESS;
                }
            }
            Err(error) => return report(&error),
        }
    }
    ExitCode::SUCCESS
}

fn seconds(value: f64) -> Option<Duration> {
    Duration::try_from_secs_f64(value).ok()
}

/// `intercom-gen snippet`: checks the arguments as a call would, then prints the program.
pub fn snippet(function: &str, args: &str) -> ExitCode {
    let arguments = match read_arguments(args) {
        Ok(arguments) => arguments,
        Err(message) => {
            eprintln!("error: --args: {}", terminal_safe(&message));
            return ExitCode::from(INVALID_ARGUMENTS);
        }
    };
    let checked = Client::builder().build().and_then(|client| client.prepare_call(function, &arguments));
    if let Err(error) = checked {
        return report(&error);
    }
    let (Some(spec), Some(arguments)) = (intercom_rest::find_function(function), arguments.as_object()) else {
        return ExitCode::from(INVALID_ARGUMENTS);
    };
    match crate::snippet::render(spec, arguments) {
        Ok(code) => {
            out!("{code}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {}", terminal_safe(&message));
            ExitCode::from(INVALID_ARGUMENTS)
        }
    }
}

/// The arguments of `--args`: inline JSON, `@FILE` or `-` (stdin), read up to [`MAX_ARGUMENTS_BYTES`].
pub fn read_arguments(text: &str) -> Result<Value, String> {
    let text = match text {
        "-" => read_bounded(std::io::stdin().lock(), "stdin")?,
        path if path.starts_with('@') => {
            let path = &path[1..];
            let shown = terminal_safe(path);
            let file = std::fs::File::open(path).map_err(|error| format!("cannot read {shown}: {error}"))?;
            read_bounded(file, &shown)?
        }
        inline => inline.to_owned(),
    };
    let value: Value = serde_json::from_str(&text).map_err(|error| format!("not valid JSON: {error}"))?;
    if value.is_object() { Ok(value) } else { Err("must be a JSON object keyed by argument names".to_owned()) }
}

/// Reads text, refusing more than [`MAX_ARGUMENTS_BYTES`] (a device like `/dev/zero` never ends).
fn read_bounded(source: impl Read, name: &str) -> Result<String, String> {
    let mut bytes = Vec::new();
    source
        .take(MAX_ARGUMENTS_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| format!("cannot read {name}: {error}"))?;
    if bytes.len() as u64 > MAX_ARGUMENTS_BYTES {
        return Err(format!("{name} holds more than {MAX_ARGUMENTS_BYTES} bytes; arguments are never that large"));
    }
    String::from_utf8(bytes).map_err(|_| format!("{name} is not UTF-8 text"))
}

/// Prints the error on stderr and returns the exit status it stands for. Every line is made terminal-safe:
/// messages, codes, bodies and headers from the server are printed with control characters escaped.
pub fn report(error: &Error) -> ExitCode {
    match error {
        Error::InvalidArguments(invalid) => {
            eprintln!("error: invalid arguments for `{}`; nothing was sent:", invalid.function());
            for problem in invalid.problems() {
                eprintln!("  {}", terminal_safe(&problem.to_string()));
            }
            ExitCode::from(INVALID_ARGUMENTS)
        }
        Error::UnknownFunction { .. }
        | Error::NotAList { .. }
        | Error::MissingAccessToken { .. }
        | Error::Config(_) => {
            eprintln!("error: {}; nothing was sent", terminal_safe(&error.to_string()));
            ExitCode::from(INVALID_ARGUMENTS)
        }
        error if error.api_error().is_some() => {
            eprintln!("error: {}", terminal_safe(&error.to_string()));
            if let Some(body) = error.api_error().and_then(|api| api.body.as_deref()) {
                eprintln!("  body: {}", terminal_safe(body));
            }
            ExitCode::from(FAILED)
        }
        other => {
            eprintln!("error: {}", terminal_safe(&with_causes(other)));
            ExitCode::from(FAILED)
        }
    }
}

/// The error and its chain of causes, e.g. "... the request failed: error sending request: ... Connection refused".
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
