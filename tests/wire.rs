//! Every function sends exactly the request the reference describes (`tests/wire/cases.json`), through
//! `Client::call`, to a recording server on 127.0.0.1.

use std::collections::BTreeSet;

use intercom_rest::wire::{Placement, RouteTarget};
use intercom_rest::{Client, functions};
use intercom_testkit::{Recorded, Recorder, Reply, wire_cases};
use serde_json::json;

const TOKEN: &str = "wire-test-token";

fn client(server: &Recorder) -> Client {
    Client::builder().access_token(TOKEN).base_url(server.base_url()).build().unwrap()
}

/// The headers every request carries, the bearer token exactly when the function is authenticated, and the
/// `Intercom-Version` the case expects (the client's default unless the function pins its own).
fn header_differences(request: &Recorded, authenticated: bool, intercom_version: &str) -> Vec<String> {
    let mut differences = Vec::new();
    let expected_auth = authenticated.then(|| format!("Bearer {TOKEN}"));
    if request.header("authorization") != expected_auth.as_deref() {
        differences.push(format!("authorization {:?}", request.header("authorization")));
    }
    if request.header("accept") != Some("application/json") {
        differences.push(format!("accept {:?}", request.header("accept")));
    }
    if request.header("intercom-version") != Some(intercom_version) {
        differences
            .push(format!("intercom-version {:?} instead of {intercom_version:?}", request.header("intercom-version")));
    }
    let expected_agent = concat!("intercom-rest/", env!("CARGO_PKG_VERSION"));
    if request.header("user-agent") != Some(expected_agent) {
        differences.push(format!("user-agent {:?}", request.header("user-agent")));
    }
    differences
}

#[tokio::test]
async fn every_case_sends_exactly_the_reference_request() {
    let server = Recorder::start();
    let client = client(&server);
    let mut failures = Vec::new();
    for (index, case) in wire_cases().iter().enumerate() {
        let reply = json!({ "type": "ok", "case": index });
        server.reply(Reply::json(200, &reply));
        match client.call(&case.function, &case.args).await {
            Ok(response) if response == reply => {}
            Ok(response) => failures.push(format!("case {index} ({}): response {response}", case.function)),
            Err(error) => {
                failures.push(format!("case {index} ({}): {error}", case.function));
                continue;
            }
        }
        let request = server.single_request();
        let authenticated = case.function != "getAccessToken";
        let mut differences = case.differences(&request);
        differences.extend(header_differences(&request, authenticated, case.expected_intercom_version()));
        if !differences.is_empty() {
            failures.push(format!("case {index} ({} {}): {}", case.function, case.args, differences.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{} cases failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_function_has_a_wire_case() {
    let covered: BTreeSet<String> = wire_cases().into_iter().map(|case| case.function).collect();
    let missing: Vec<&str> = functions().iter().map(|spec| spec.name).filter(|name| !covered.contains(*name)).collect();
    assert!(missing.is_empty(), "functions without a wire case: {missing:?}");
    let unknown: Vec<&String> = covered.iter().filter(|name| intercom_rest::find_function(name).is_none()).collect();
    assert!(unknown.is_empty(), "wire cases for functions that do not exist: {unknown:?}");
}

/// Identifier routing is tested for every id type that sends the value (the refused ones are validation tests).
#[test]
fn every_identifier_route_has_a_wire_case() {
    let cases = wire_cases();
    let mut missing = Vec::new();
    for spec in functions() {
        for field in spec.fields {
            let Placement::Routed { by, cases: routes } = field.placement else { continue };
            for route in routes.iter().filter(|route| !matches!(route.target, RouteTarget::Reject(_))) {
                let covered = cases.iter().any(|case| case.function == spec.name && case.args[by] == route.option);
                if !covered {
                    missing.push(format!("{}: {by} = {}", spec.name, route.option));
                }
            }
        }
    }
    assert!(missing.is_empty(), "routes without a wire case: {missing:#?}");
}
