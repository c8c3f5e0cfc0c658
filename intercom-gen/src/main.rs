//! `intercom-gen`: call Intercom functions by name, and generate, check, list and describe the manifest.

/// `println!` for this tool's output: a reader that goes away (`intercom-gen list | head`) ends the output
/// quietly instead of making `println!` panic.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `print!` for this tool's output, likewise.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout().lock(), $($arg)*);
    }};
}

mod call;
mod manifest;
mod mock;
mod output;
mod snippet;
mod watch;
mod webhook;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "intercom-gen",
    version,
    about = "Call Intercom functions by name, and work with the manifest they are generated from"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Call a function by its manifest name and print Intercom's JSON response.
    ///
    /// Exits 0 on success, 2 when the arguments are refused (nothing is sent), 1 on an API or transport error.
    Call(call::CallArgs),
    /// Print the generated Rust client for a manifest (or write it to a file).
    Generate {
        /// The manifest directory.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Check a manifest and report every problem; exits 1 when there is one.
    Check {
        /// The manifest directory.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
    },
    /// Print a Rust program that makes this call with the typed client, to copy into an app.
    Snippet {
        /// The function's manifest name, e.g. `getSingleUser`.
        function: String,
        /// The arguments as a JSON object keyed by manifest names; `@FILE` reads a file, `-` stdin.
        #[arg(long, default_value = "{}")]
        args: String,
    },
    /// Write the Markdown reference of every function of a manifest.
    Docs {
        /// The manifest directory.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// The directory the reference is written to (its files are replaced).
        #[arg(long, default_value = "docs/reference")]
        out: PathBuf,
    },
    /// Poll a trigger (e.g. `newUsers`) and print each new item as one JSON line as soon as it is seen; the
    /// position is kept in `--state FILE`, so a restart (even after a kill) resumes where it stopped.
    ///
    /// Exits 2 for an unknown trigger or a bad flag, 1 when the position cannot be kept.
    Watch(watch::WatchArgs),
    /// Check and decode webhook notifications.
    Webhook {
        #[command(subcommand)]
        command: webhook::WebhookCommand,
    },
    /// Serve the embedded Intercom simulator on 127.0.0.1 until Ctrl-C.
    Mock(mock::MockArgs),
    /// List every function of the built-in manifest with its description.
    List,
    /// Print the JSON Schema of manifest files.
    Schema,
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Call(args) => call::run(args),
        Command::Generate { spec, out } => manifest::generate(&spec, out.as_deref()),
        Command::Check { spec } => manifest::check(&spec),
        Command::Snippet { function, args } => call::snippet(&function, &args),
        Command::Docs { spec, out } => manifest::docs(&spec, &out),
        Command::Mock(args) => mock::run(args),
        Command::Webhook { command } => webhook::run(command),
        Command::Watch(args) => watch::run(args),
        Command::List => manifest::list(),
        Command::Schema => manifest::schema(),
    }
}
