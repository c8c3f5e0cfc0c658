//! Every function of the manifest answers through the embedded simulator, called with the typed client,
//! and its answer has the shape Intercom v1 gives. Each area's module calls its functions in a realistic
//! order; which functions succeeded is read from the client's own `tracing` spans, so coverage cannot be
//! claimed without a successful call.

#[path = "simulator/admins_oauth_subscriptions_bulk.rs"]
mod admins_oauth_subscriptions_bulk;
#[path = "simulator/companies_tags_segments_counts.rs"]
mod companies_tags_segments_counts;
#[path = "simulator/conversations.rs"]
mod conversations;
#[path = "simulator/gate.rs"]
mod gate;
#[path = "simulator/leads_visitors.rs"]
mod leads_visitors;
#[path = "simulator/more.rs"]
mod more;
#[path = "simulator/robustness.rs"]
mod robustness;
#[path = "simulator/users.rs"]
mod users;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use intercom_rest::Client;
use intercom_rest::simulator::Simulator;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// A model as JSON, encoded again after it was decoded: the tour checks that every answer decodes into its
/// model, then looks at it as JSON.
pub fn json<T: serde::Serialize>(model: T) -> serde_json::Value {
    serde_json::to_value(model).expect("a model encodes as JSON")
}

/// JSON objects read as the model a typed setter takes (e.g. `models::CompanyReference`).
pub fn models<T: serde::de::DeserializeOwned>(values: impl IntoIterator<Item = serde_json::Value>) -> Vec<T> {
    values.into_iter().map(|value| serde_json::from_value(value).expect("the JSON has the model's shape")).collect()
}

/// A client of `simulator`, retrying quickly (the simulator can inject faults).
pub fn client_of(simulator: &Simulator) -> Client {
    Client::builder()
        .base_url(simulator.base_url())
        .access_token(simulator.access_token())
        .retry_policy(intercom_rest::RetryPolicy::default().initial_backoff(std::time::Duration::from_millis(5)))
        .build()
        .expect("client")
}

/// Records the functions whose `intercom` span ended with status `ok`.
#[derive(Clone, Default)]
struct SucceededCalls {
    spans: Arc<Mutex<Vec<Option<String>>>>,
    succeeded: Arc<Mutex<BTreeSet<String>>>,
}

struct Fields<'a> {
    function: &'a mut Option<String>,
    ok: bool,
}

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "function" => *self.function = Some(value.to_owned()),
            "status" => self.ok = value == "ok",
            _ => {}
        }
    }

    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

impl Subscriber for SucceededCalls {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let mut spans = self.spans.lock().unwrap();
        let mut function = None;
        if attributes.metadata().name() == "intercom" {
            attributes.record(&mut Fields { function: &mut function, ok: false });
        }
        spans.push(function);
        Id::from_u64(spans.len() as u64)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let spans = self.spans.lock().unwrap();
        let Some(Some(function)) = spans.get(span.into_u64() as usize - 1) else { return };
        let mut ignored = None;
        let mut fields = Fields { function: &mut ignored, ok: false };
        values.record(&mut fields);
        if fields.ok {
            self.succeeded.lock().unwrap().insert(function.clone());
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn every_function_answers_through_the_simulator() {
    let calls = SucceededCalls::default();
    let _guard = tracing::subscriber::set_default(calls.clone());
    let simulator = Simulator::start().await.expect("simulator");
    let client = client_of(&simulator);
    // `tracing` caches, per call site, whether any subscriber wants it, when the site is first reached. If a
    // test on another thread reached the client's span first, while this subscriber was being installed, the
    // cache can say "never". A site is registered once per process: so register it (a first call), then
    // rebuild the cache, after which it stays right.
    client.get_admins().send_json().await.expect("a first call");
    tracing::callsite::rebuild_interest_cache();

    admins_oauth_subscriptions_bulk::exercise(&client, &simulator).await;
    users::exercise(&client).await;
    leads_visitors::exercise(&client).await;
    companies_tags_segments_counts::exercise(&client).await;
    conversations::exercise(&client).await;
    more::exercise().await;

    let succeeded = calls.succeeded.lock().unwrap().clone();
    let missing: Vec<&str> =
        intercom_rest::functions().iter().map(|spec| spec.name).filter(|name| !succeeded.contains(*name)).collect();
    assert!(missing.is_empty(), "functions that never answered successfully through the simulator: {missing:?}");
}
