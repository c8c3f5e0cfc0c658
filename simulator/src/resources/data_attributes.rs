//! `/data_attributes`: the standard and custom attributes of people and companies (see [`crate::attributes`]).
//!
//! API 1.4 lists them at `GET /data_attributes?model=`; 1.2 and 1.3 had one path per model,
//! `GET /data_attributes/customer` and `/data_attributes/company`, which "will no longer work" from 1.4 (the
//! 1.4 changelog). Each form is served only to the versions that have it (see [`crate::version`]).

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::routing::get;
use serde_json::{Value, json};

use crate::attributes::{self, Model};
use crate::http::{Answer, ApiError, Query, ok};
use crate::version;
use crate::world::{Shared, World, lock};

pub(crate) fn routes() -> Router<Shared> {
    Router::new().route("/data_attributes", get(list)).route("/data_attributes/{model}", get(list_of_model))
}

/// `GET /data_attributes?model=customer|company&include_archived=true|false` (API 1.4 and later): the data
/// attributes of that model, or of both without `model`; archived ones only with `include_archived=true`. A
/// `model` or `include_archived` of another value is a `400 parameter_invalid`.
async fn list(State(shared): State<Shared>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Answer {
    version::require(&headers, (1, 4), None)?;
    let query = Query::parse(raw.as_deref());
    let models = match query.one_of("model", &["customer", "company"])? {
        Some("company") => vec![Model::Company],
        Some(_) => vec![Model::Customer],
        None => vec![Model::Customer, Model::Company],
    };
    let include_archived = query.flag("include_archived")? == Some(true);
    let world = lock(&shared);
    ok(answer(&world, &models, include_archived))
}

/// `GET /data_attributes/customer` and `/data_attributes/company` (API 1.2 and 1.3 only): the same list, for
/// that model. Any other model is Intercom's `404`.
async fn list_of_model(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(model): Path<String>,
    RawQuery(raw): RawQuery,
) -> Answer {
    let model = match model.as_str() {
        "customer" => Model::Customer,
        "company" => Model::Company,
        _ => return Err(ApiError::not_found("Resource Not Found")),
    };
    version::require(&headers, (1, 2), Some((1, 3)))?;
    let include_archived = Query::parse(raw.as_deref()).flag("include_archived")? == Some(true);
    let world = lock(&shared);
    ok(answer(&world, &[model], include_archived))
}

/// `{"type": "data_attribute.list", "data_attributes": [...]}`.
fn answer(world: &World, models: &[Model], include_archived: bool) -> Value {
    let listed: Vec<Value> =
        models.iter().flat_map(|model| attributes::listed(world, *model, include_archived)).collect();
    json!({ "type": "data_attribute.list", "data_attributes": listed })
}
