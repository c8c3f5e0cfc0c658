//! An in-memory, stateful simulation of Intercom's v1 REST API, served on loopback.
//!
//! It answers every endpoint the `intercom-rest` client calls, the way Intercom v1 does: people upserted by
//! `user_id` or email, leads converted to users, companies and their users, tags, segments, notes, events,
//! counts computed from what it holds, messages that open conversations, replies (comments, notes,
//! assignment to admins and teams, opening, closing, snoozing), group conversations, webhook subscriptions,
//! bulk jobs and their error feeds, permanent deletion, data attributes, and the seeded admins (with their
//! away mode and activity log) and teams. Endpoints that exist only in some API versions (deleting a company,
//! from 2.1) follow the request's `Intercom-Version`. Lists are paged with `pages.next`; the scroll API hands out
//! `scroll_param`s, one open scroll at a time. It checks the bearer token, answers errors as Intercom's
//! `error.list`, sends `X-RateLimit-*` headers and answers `429` past its limit, and can inject latency and
//! failures. It checks the types of what it is sent as Intercom does (a wrong JSON type is a `400
//! type_mismatch` naming the field), and stores nothing of a request it refuses.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let simulator = intercom_simulator::Simulator::start().await?;
//! println!("{} with token {}", simulator.base_url(), simulator.access_token());
//! # Ok(()) }
//! ```
//!
//! Nothing is sent anywhere: webhooks are only recorded in the subscription's sent feed.

mod activity;
mod attributes;
mod companies;
mod http;
mod paging;
mod people;
mod resources;
mod seed;
mod validate;
mod version;
mod world;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::world::World;

/// The token the simulator accepts unless told otherwise.
pub const DEFAULT_ACCESS_TOKEN: &str = "simulator-access-token";

/// The OAuth client the simulator accepts for the token exchange (`POST /auth/eagle/token`).
pub const OAUTH_CLIENT_ID: &str = "simulator-client";
/// The secret of [`OAUTH_CLIENT_ID`].
pub const OAUTH_CLIENT_SECRET: &str = "simulator-client-secret";

/// How the simulated workspace behaves.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub access_token: String,
    /// Requests allowed per rate-limit window.
    pub rate_limit: u64,
    pub rate_window: Duration,
    pub faults: Faults,
    pub scroll_page_size: usize,
    /// How long a bulk job takes more tasks after it was created (its `closing_at`).
    pub job_open_for: Duration,
    /// Seeds the injected faults and the ids.
    pub seed: u64,
}

/// Injected trouble.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Faults {
    /// The share of requests answered `503` instead (0 to 1).
    pub error_rate: f64,
    /// How long every answer is delayed.
    pub latency: Duration,
}

/// Configures a [`Simulator`].
#[derive(Debug, Clone)]
pub struct SimulatorBuilder {
    port: u16,
    settings: Settings,
}

impl Default for SimulatorBuilder {
    fn default() -> Self {
        SimulatorBuilder {
            port: 0,
            settings: Settings {
                access_token: DEFAULT_ACCESS_TOKEN.to_owned(),
                rate_limit: 1_000,
                rate_window: Duration::from_secs(60),
                faults: Faults { error_rate: 0.0, latency: Duration::ZERO },
                scroll_page_size: 100,
                job_open_for: Duration::from_secs(15 * 60),
                seed: 1,
            },
        }
    }
}

impl SimulatorBuilder {
    /// The port on 127.0.0.1 (default 0: any free port).
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The bearer token accepted (default [`DEFAULT_ACCESS_TOKEN`]).
    #[must_use]
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.settings.access_token = token.into();
        self
    }

    /// The requests allowed per window (default 1000 per 60 seconds); past it, `429 rate_limit_exceeded`.
    #[must_use]
    pub fn rate_limit(mut self, requests: u64, window: Duration) -> Self {
        self.settings.rate_limit = requests;
        self.settings.rate_window = window.max(Duration::from_millis(1));
        self
    }

    /// Answers this share of requests (0 to 1) with `503 service_unavailable`, drawn from [`seed`](Self::seed).
    #[must_use]
    pub fn error_rate(mut self, rate: f64) -> Self {
        self.settings.faults.error_rate = rate.clamp(0.0, 1.0);
        self
    }

    /// Delays every answer this long.
    #[must_use]
    pub fn latency(mut self, latency: Duration) -> Self {
        self.settings.faults.latency = latency;
        self
    }

    /// The size of a scroll page (Intercom's is about 100).
    #[must_use]
    pub fn scroll_page_size(mut self, size: usize) -> Self {
        self.settings.scroll_page_size = size.max(1);
        self
    }

    /// How long a bulk job stays open for more tasks after it was created (default 15 minutes); appending to
    /// it later is a `422 job_closed`. `Duration::ZERO` closes every job at once.
    #[must_use]
    pub fn bulk_job_window(mut self, window: Duration) -> Self {
        self.settings.job_open_for = window;
        self
    }

    /// Seeds the injected faults, so a run can be repeated.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.settings.seed = seed;
        self
    }

    /// Binds 127.0.0.1 and serves on the current tokio runtime until the [`Simulator`] is dropped.
    ///
    /// # Errors
    ///
    /// When the port cannot be bound.
    pub async fn start(self) -> std::io::Result<Simulator> {
        let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], self.port))).await?;
        let address = listener.local_addr()?;
        let base_url = format!("http://{address}");
        let access_token = self.settings.access_token.clone();
        let world = Arc::new(Mutex::new(World::new(self.settings, base_url.clone())));
        let router = resources::router(world);
        let (shutdown, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let stopped = async {
                let _ = stopped.await;
            };
            // An error here means the listener broke; the simulator then just stops answering.
            let _ = axum::serve(listener, router).with_graceful_shutdown(stopped).await;
        });
        Ok(Simulator { base_url, access_token, _shutdown: shutdown })
    }
}

/// A running simulator. It stops when dropped.
#[derive(Debug)]
pub struct Simulator {
    base_url: String,
    access_token: String,
    _shutdown: oneshot::Sender<()>,
}

impl Simulator {
    /// A simulator on a free port of 127.0.0.1, with the default settings.
    ///
    /// # Errors
    ///
    /// When no port can be bound.
    pub async fn start() -> std::io::Result<Simulator> {
        Simulator::builder().start().await
    }

    /// Configures a simulator.
    pub fn builder() -> SimulatorBuilder {
        SimulatorBuilder::default()
    }

    /// `http://127.0.0.1:<port>`: give it to the client as its base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The bearer token it accepts.
    pub fn access_token(&self) -> &str {
        &self.access_token
    }
}
