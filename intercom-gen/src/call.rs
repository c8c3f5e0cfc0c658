//! `intercom-gen call`: one function, by name, with JSON arguments.

use std::process::ExitCode;

use std::io::Write;
use std::time::Duration;

use clap::Args;
use futures::StreamExt;
use intercom_rest::{Client, Error, ItemStream, RateLimitPolicy, RetryPolicy};
use serde_json::Value;

/// Exit status when the arguments are refused and nothing was sent.
const INVALID_ARGUMENTS: u8 = 2;
/// Exit status when Intercom answered with an error or the request failed.
const FAILED: u8 = 1;

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
    #[arg(long)]
    all: bool,
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
            eprintln!("error: --args: {message}");
            return ExitCode::from(INVALID_ARGUMENTS);
        }
    };
    let (Some(timeout), Some(max_wait)) = (seconds(args.timeout), seconds(args.max_rate_limit_wait)) else {
        eprintln!("error: --timeout and --max-rate-limit-wait take a number of seconds");
        return ExitCode::from(INVALID_ARGUMENTS);
    };
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
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(INVALID_ARGUMENTS);
        }
    };
    let request = match client.prepare_call(&args.function, &arguments) {
        Ok(request) => request,
        Err(error) => return report(&error),
    };
    if args.dry_run {
        outln!("{} {}", request.method(), request.path_and_query());
        if let Some(body) = request.body() {
            outln!("{}", pretty(body));
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
    match runtime.block_on(client.execute(request)) {
        Ok(response) => {
            outln!("{}", pretty(&response));
            ExitCode::SUCCESS
        }
        Err(error) => report(&error),
    }
}

/// Prints each item on a line of its own as it arrives, so the output can be piped while pages load.
async fn print_items(mut items: ItemStream<'_>) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    while let Some(item) = items.next().await {
        match item {
            Ok(item) => {
                if writeln!(stdout, "{item}").is_err() {
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
            eprintln!("error: --args: {message}");
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
            eprintln!("error: {message}");
            ExitCode::from(INVALID_ARGUMENTS)
        }
    }
}

fn read_arguments(text: &str) -> Result<Value, String> {
    let text = match text {
        "-" => std::io::read_to_string(std::io::stdin()).map_err(|error| format!("cannot read stdin: {error}"))?,
        path if path.starts_with('@') => {
            std::fs::read_to_string(&path[1..]).map_err(|error| format!("cannot read {}: {error}", &path[1..]))?
        }
        inline => inline.to_owned(),
    };
    let value: Value = serde_json::from_str(&text).map_err(|error| format!("not valid JSON: {error}"))?;
    if value.is_object() { Ok(value) } else { Err("must be a JSON object keyed by argument names".to_owned()) }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

/// Prints the error on stderr and returns the exit status it stands for.
fn report(error: &Error) -> ExitCode {
    match error {
        Error::InvalidArguments(invalid) => {
            eprintln!("error: invalid arguments for `{}`; nothing was sent:", invalid.function());
            for problem in invalid.problems() {
                eprintln!("  {problem}");
            }
            ExitCode::from(INVALID_ARGUMENTS)
        }
        Error::UnknownFunction { .. }
        | Error::NotAList { .. }
        | Error::MissingAccessToken { .. }
        | Error::Config(_) => {
            eprintln!("error: {error}; nothing was sent");
            ExitCode::from(INVALID_ARGUMENTS)
        }
        error if error.api_error().is_some() => {
            eprintln!("error: {error}");
            if let Some(body) = error.api_error().and_then(|api| api.body.as_deref()) {
                eprintln!("  body: {body}");
            }
            ExitCode::from(FAILED)
        }
        other => {
            eprintln!("error: {}", with_causes(other));
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
