//! A typed, async client for the Intercom REST API (the v1.x endpoints), generated from a declarative
//! manifest.
//!
//! Every function of the manifest in `spec/` is a method of [`Client`], generated at build time: required
//! arguments are parameters, optional ones are setters of the returned builder, `Select` arguments are enums
//! (see [`selects`]), and `.send().await` checks the arguments (nothing is sent when one is wrong), makes the
//! request and decodes the answer into its model (see [`models`]); `.send_json()` gives the JSON as it came.
//!
//! ```no_run
//! # async fn run() -> Result<(), intercom_rest::Error> {
//! use intercom_rest::{Client, UserIdType};
//!
//! let client = Client::new("my-access-token");
//! client.create_user_by_email("ann@example.com").name("Ann").send().await?;
//! let ann = client.get_single_user("ann@example.com", UserIdType::Email).send().await?;
//! println!("{} <{}>", ann.id, ann.email.unwrap_or_default());
//! # Ok(()) }
//! ```
//!
//! Functions can also be called by name with JSON arguments ([`Client::call`]), checked by the same rules.
//!
//! ## How it is built
//!
//! `build.rs` runs `intercom-codegen` on `spec/` and this crate includes the result: for each function a
//! wire description ([`wire::Function`]), a builder, and a `Client` method. The hand-written runtime
//! reads the wire descriptions to check arguments and lay out requests ([`PreparedRequest`]); it knows no
//! individual function. `intercom-gen generate` prints the generated code.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod call;
mod client;
mod decode;
mod error;
pub mod oauth_flow;
mod plan;
mod raw;
mod stream;
mod suggest;
mod timestamp;
mod transport;
pub mod trigger;
pub mod webhook;
pub mod wire;

/// The embedded Intercom simulator (with the `simulator` feature): an in-memory Intercom v1 on loopback, for
/// offline development and tests. See [`simulator::Simulator`].
#[cfg(feature = "simulator")]
pub use intercom_simulator as simulator;

pub use client::{AccessToken, Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_INTERCOM_VERSION};
pub use decode::Id;
#[doc(hidden)]
pub use serde_json as __serde_json;
/// The URL type of the arguments that must be URLs (`avatarImageUrl`, a webhook's `url`, ...).
pub use url::Url;

/// A JSON object, for the arguments that must be one (`customAttributes`, `metadata`, ...): `json!` syntax,
/// but braces are required, so the value cannot be anything else.
///
/// ```
/// let attributes = intercom_rest::object!({ "plan": "pro", "seats": 12 });
/// assert_eq!(attributes["plan"], "pro");
/// ```
#[macro_export]
macro_rules! object {
    ({ $($members:tt)* }) => {
        match $crate::__serde_json::json!({ $($members)* }) {
            $crate::__serde_json::Value::Object(members) => members,
            // `json!` of braces is always an object.
            _ => $crate::__serde_json::Map::new(),
        }
    };
}
pub use error::{
    ApiError, ApiErrorDetail, ArgumentProblem, DecodeError, Error, InvalidArguments, Problem, UnknownOption,
};
pub use plan::request::PreparedRequest;
pub use raw::RawJson;
pub use selects::*;
pub use stream::ItemStream;
pub use timestamp::Timestamp;
pub use transport::limiter::ClientRateLimit;
pub use transport::rate_limit::{RateLimit, RateLimitPolicy};
pub use transport::retry::RetryPolicy;
pub use trigger::Trigger;

// The generated code: `selects`, one module per area, and `FUNCTIONS`.
include!(concat!(env!("OUT_DIR"), "/intercom_generated.rs"));

/// Every function of the manifest, sorted by name.
pub fn functions() -> &'static [&'static wire::Function] {
    &FUNCTIONS
}

/// Every trigger of the manifest, sorted by name.
pub fn triggers() -> &'static [&'static wire::Trigger] {
    &TRIGGERS
}

/// The trigger whose manifest name is `name`, e.g. `newUsers`.
pub fn find_trigger(name: &str) -> Option<&'static wire::Trigger> {
    let index = TRIGGERS.binary_search_by(|trigger| trigger.name.cmp(name)).ok()?;
    TRIGGERS.get(index).copied()
}

/// The function whose manifest name is `name`, e.g. `getSingleUser`.
pub fn find_function(name: &str) -> Option<&'static wire::Function> {
    let index = FUNCTIONS.binary_search_by(|spec| spec.name.cmp(name)).ok()?;
    FUNCTIONS.get(index).copied()
}
