//! `intercom-gen mock`: the embedded Intercom simulator as a local server, for trying the CLI, an app or
//! another client without an Intercom account.

use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use intercom_rest::simulator::Simulator;

#[derive(Args)]
pub struct MockArgs {
    /// The port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 4010)]
    port: u16,
    /// The bearer token the simulator accepts.
    #[arg(long, default_value = intercom_rest::simulator::DEFAULT_ACCESS_TOKEN)]
    token: String,
    /// Requests allowed per minute before it answers 429.
    #[arg(long, default_value_t = 1000)]
    rate_limit: u64,
    /// The share of requests answered 503 instead (0 to 1), to try retries.
    #[arg(long, default_value_t = 0.0)]
    error_rate: f64,
    /// A delay added to every answer, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
}

pub fn run(args: MockArgs) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let simulator = Simulator::builder()
            .port(args.port)
            .access_token(args.token)
            .rate_limit(args.rate_limit, Duration::from_secs(60))
            .error_rate(args.error_rate)
            .latency(Duration::from_millis(args.latency_ms))
            .start()
            .await;
        let simulator = match simulator {
            Ok(simulator) => simulator,
            Err(error) => {
                eprintln!("error: cannot listen on 127.0.0.1:{}: {error}", args.port);
                return ExitCode::FAILURE;
            }
        };
        outln!("Intercom simulator on {} (token {})", simulator.base_url(), simulator.access_token());
        outln!(
            "Try: INTERCOM_BASE_URL={} INTERCOM_ACCESS_TOKEN={} intercom-gen call getCurrentAdmin",
            simulator.base_url(),
            simulator.access_token()
        );
        outln!("Ctrl-C stops it; everything it holds is forgotten.");
        let _ = tokio::signal::ctrl_c().await;
        ExitCode::SUCCESS
    })
}
