//! A minimal Intercom on 127.0.0.1 for the throughput and memory figures: it answers from bytes made once
//! (or, for a scroll, made page by page), so that the figures measure the clients, not the server. It runs on
//! a runtime of its own, on its own threads.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

/// What the server answers.
struct Settings {
    /// How long each answer is held back, as the network and Intercom would.
    latency: Duration,
    /// `GET /users/{id}`: one user.
    user: Bytes,
    /// How many users a scroll goes through, 100 a page.
    scroll_users: usize,
}

/// A running server; it stops with the process.
pub struct Server {
    pub base_url: String,
}

impl Server {
    /// Starts a server that holds each answer back by `latency` and scrolls through `scroll_users` users.
    pub fn start(latency: Duration, scroll_users: usize) -> Server {
        let settings = Arc::new(Settings { latency, user: Bytes::from(super::to_wire(&super::user(7))), scroll_users });
        let (sender, receiver) = std::sync::mpsc::channel::<SocketAddr>();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("a runtime for the server");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port on 127.0.0.1");
                sender.send(listener.local_addr().expect("an address")).expect("the address is awaited");
                let app = Router::new()
                    .route("/users/scroll", get(scroll))
                    .route("/users/{id}", get(one_user))
                    .with_state(settings);
                axum::serve(listener, app).await.expect("the server runs");
            });
        });
        let address = receiver.recv().expect("the server starts");
        Server { base_url: format!("http://{address}") }
    }
}

/// The headers Intercom sends with every answer: the rate limit, far from spent.
fn answer(body: Bytes) -> Response {
    let reset = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |now| now.as_secs() + 10);
    (
        [
            (CONTENT_TYPE.as_str(), "application/json; charset=utf-8".to_owned()),
            ("x-ratelimit-limit", "100000".to_owned()),
            ("x-ratelimit-remaining", "99999".to_owned()),
            ("x-ratelimit-reset", reset.to_string()),
        ],
        body,
    )
        .into_response()
}

async fn one_user(State(settings): State<Arc<Settings>>) -> Response {
    if !settings.latency.is_zero() {
        tokio::time::sleep(settings.latency).await;
    }
    answer(settings.user.clone())
}

#[derive(serde::Deserialize)]
struct ScrollQuery {
    scroll_param: Option<String>,
}

/// `GET /users/scroll`: 100 users a page; the `scroll_param` is where the next page starts.
async fn scroll(State(settings): State<Arc<Settings>>, Query(query): Query<ScrollQuery>) -> Response {
    const PAGE: usize = 100;
    let start: usize = query.scroll_param.and_then(|param| param.strip_prefix("from-")?.parse().ok()).unwrap_or(0);
    let end = (start + PAGE).min(settings.scroll_users);
    let users: Vec<serde_json::Value> = (start..end).map(super::user).collect();
    let page = json!({ "type": "user.list", "users": users, "scroll_param": format!("from-{end}") });
    answer(Bytes::from(super::to_wire(&page)))
}
