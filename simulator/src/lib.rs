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
//! failures. It serves Intercom's OAuth flow for one client ([`OAUTH_CLIENT_ID`]): the authorize page
//! (`GET /oauth`) redirects with a fresh code, which the token exchange takes once. It checks the types of
//! what it is sent as Intercom does (a wrong JSON type is a `400 type_mismatch` naming the field), and stores
//! nothing of a request it refuses.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let simulator = intercom_simulator::Simulator::start().await?;
//! println!("{} with token {}", simulator.base_url(), simulator.access_token());
//! # Ok(()) }
//! ```
//!
//! Webhook subscriptions are notified when what they listen to happens (users, leads, companies and events
//! created, conversations started and replied to, people tagged, pings): each notification is POSTed to the
//! subscription's URL, signed with its `hub_secret` (`X-Hub-Signature`), retried when it fails, and listed in
//! the subscription's sent or error feed. Only loopback URLs are sent to unless told otherwise
//! ([`SimulatorBuilder::webhook_targets`]); a notification for another URL is recorded as delivered, so
//! nothing leaves the machine.

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
mod webhooks;
mod world;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::world::World;

pub use crate::webhooks::WebhookTargets;

/// The token the simulator accepts unless told otherwise.
pub const DEFAULT_ACCESS_TOKEN: &str = "simulator-access-token";

/// The OAuth client the simulator knows: its authorize page (`GET /oauth`) hands out codes for it, and the token
/// exchange (`POST /auth/eagle/token`) takes them with its secret.
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
    /// How webhook notifications are delivered.
    pub webhooks: webhooks::WebhookSettings,
    /// The OAuth client's authorize page.
    pub oauth: OAuthSettings,
}

/// How the simulated authorize page (`GET /oauth`) behaves.
#[derive(Debug, Clone)]
pub(crate) struct OAuthSettings {
    /// The redirect URLs registered for [`OAUTH_CLIENT_ID`], the first being the default; when there are
    /// none, any `https://` URL (or `http://` on loopback) is accepted and `redirect_uri` is required.
    pub redirect_uris: Vec<String>,
    /// Whether the admin declines: the page then redirects with `error=access_denied`.
    pub deny: bool,
    /// How long a code may be exchanged after it was handed out.
    pub code_lifetime: Duration,
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
                webhooks: webhooks::WebhookSettings::default(),
                oauth: OAuthSettings {
                    redirect_uris: Vec::new(),
                    deny: false,
                    code_lifetime: Duration::from_secs(5 * 60),
                },
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

    /// Registers a redirect URL for the OAuth client [`OAUTH_CLIENT_ID`] (call it again for more; the first is
    /// the default when the authorize URL names none). Once one is registered, `GET /oauth` redirects only to a
    /// registered URL; with none (the default), it redirects to any `https://` URL, or `http://` on a loopback
    /// host, given as `redirect_uri`.
    #[must_use]
    pub fn oauth_redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.settings.oauth.redirect_uris.push(uri.into());
        self
    }

    /// Makes the admin decline every authorization: `GET /oauth` then redirects with
    /// `error=access_denied&error_description=…&state=…` and no code, as Intercom does when the user declines.
    #[must_use]
    pub fn oauth_denied(mut self, denied: bool) -> Self {
        self.settings.oauth.deny = denied;
        self
    }

    /// How long a code handed out by `GET /oauth` can be exchanged (default 5 minutes, as Intercom's).
    #[must_use]
    pub fn oauth_code_lifetime(mut self, lifetime: Duration) -> Self {
        self.settings.oauth.code_lifetime = lifetime;
        self
    }

    /// Which subscription URLs webhook notifications are really sent to (default
    /// [`WebhookTargets::Loopback`]: `http(s)` URLs on 127.0.0.1, `::1` or `localhost`). A notification for
    /// another URL is recorded in the subscription's sent feed as delivered, without being sent.
    #[must_use]
    pub fn webhook_targets(mut self, targets: WebhookTargets) -> Self {
        self.settings.webhooks.targets = targets;
        self
    }

    /// How a notification whose delivery fails (no connection, a timeout, a status other than `2xx`) is tried
    /// again: at most `max_attempts` sends in all, the first included (default 4), waiting `backoff` before the
    /// first retry and twice as long before each later one, up to a minute (default 1 second). Once every
    /// attempt failed, the notification is listed in the subscription's error feed. Tests set a few
    /// milliseconds.
    #[must_use]
    pub fn webhook_retries(mut self, max_attempts: u32, backoff: Duration) -> Self {
        self.settings.webhooks.max_attempts = max_attempts.max(1);
        self.settings.webhooks.backoff = backoff;
        self
    }

    /// How long one delivery attempt may take before it counts as failed (default 10 seconds).
    #[must_use]
    pub fn webhook_timeout(mut self, timeout: Duration) -> Self {
        self.settings.webhooks.timeout = timeout.max(Duration::from_millis(1));
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
        let webhooks = self.settings.webhooks.clone();
        let world = Arc::new(Mutex::new(World::new(self.settings, base_url.clone())));
        // Webhook notifications are queued by the handlers and delivered by a task of their own, which ends
        // with the world (see `webhooks`).
        let (outbox, queue) = tokio::sync::mpsc::unbounded_channel();
        world::lock(&world).notifications.outbox = Some(outbox);
        tokio::spawn(webhooks::dispatch(Arc::downgrade(&world), queue, webhooks));
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
