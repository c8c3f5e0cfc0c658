//! `intercom-gen watch`: a trigger of the manifest, printing each new item as one JSON line as soon as it is
//! seen, and keeping its position in a file so that it resumes after a restart, even after `SIGKILL`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use futures::StreamExt;
use intercom_rest::trigger::FileCursorStore;
use intercom_rest::{Client, Error};

use crate::call::{FAILED, INVALID_ARGUMENTS, report};
use crate::output::{terminal_safe, write_json_line};

#[derive(Args)]
pub struct WatchArgs {
    /// The trigger's manifest name, e.g. `newUsers` (see `intercom-gen list`).
    trigger: String,
    /// The file that keeps the trigger's position: a restart resumes from it. It is written atomically.
    #[arg(long, value_name = "FILE")]
    state: PathBuf,
    /// The time between two polls, in seconds.
    #[arg(long, default_value_t = 120.0, value_name = "SECONDS")]
    interval: f64,
    /// Where to send the requests; http:// is accepted for loopback hosts only.
    #[arg(long, env = "INTERCOM_BASE_URL", default_value = intercom_rest::DEFAULT_BASE_URL)]
    base_url: String,
    /// The access token (prefer the environment variable: a command line is visible to other users).
    #[arg(long, env = "INTERCOM_ACCESS_TOKEN", hide_env_values = true)]
    token: Option<String>,
}

pub fn run(args: WatchArgs) -> ExitCode {
    let Some(interval) = Duration::try_from_secs_f64(args.interval).ok().filter(|interval| !interval.is_zero()) else {
        eprintln!("error: --interval takes a number of seconds more than 0");
        return ExitCode::from(INVALID_ARGUMENTS);
    };
    let mut builder = Client::builder().base_url(&args.base_url);
    if let Some(token) = args.token.filter(|token| !token.is_empty()) {
        builder = builder.access_token(token);
    }
    let trigger = match builder.build().and_then(|client| client.trigger(&args.trigger)) {
        Ok(trigger) => trigger,
        Err(error) => return report(&error),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::from(FAILED);
        }
    };
    let mut items = trigger.interval(interval).store(FileCursorStore::new(args.state)).stream();
    runtime.block_on(async move {
        while let Some(item) = items.next().await {
            match item {
                Ok(item) => {
                    let mut stdout = std::io::stdout().lock();
                    if write_json_line(&item, &mut stdout).and_then(|()| stdout.flush()).is_err() {
                        // The reader went away: the item was not delivered, so it is not taken.
                        return ExitCode::SUCCESS;
                    }
                    // Printed: taken. A kill between the print and this save prints it once more on restart.
                    if let Err(error) = items.commit() {
                        return report(&error);
                    }
                }
                // The position cannot be kept: going on would deliver items twice after a restart.
                Err(error @ Error::Cursor { .. }) => return report(&error),
                // A failed poll: said, and the next poll tries again.
                Err(error) => eprintln!("warning: {}", terminal_safe(&error.to_string())),
            }
        }
        ExitCode::SUCCESS
    })
}
