//! The generated models (`intercom_rest::models`) against bodies as Intercom v1 sends them.
//!
//! * `tests/models/<area>.json` holds, for every model of `spec/models/<area>.json`, realistic bodies (from
//!   Intercom's v1 API reference and the SDKs' fixtures, warts included); [`model_types`] names the Rust type
//!   of each model. `every_model_has_a_type_and_a_realistic_body` keeps the spec, the types and the bodies in
//!   step.
//! * Every realistic body decodes, and encoding the model again gives back what came ([`json_differences`]),
//!   also through each function's `Returns` (what `.send()` uses).
//! * Then, for every model and every member the spec declares, the rules of the models: members a model does
//!   not declare are kept in `other` and written back; optional members may be missing or `null`; ids may be
//!   numbers; whole numbers may be floats with no fraction or numeric text; unknown values of value sets are
//!   kept; a missing required member fails, naming it.
//! * Focused tests for the shapes that broke other clients, for `Id`, and for the value sets' enums.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use intercom_rest::models::{self, Id};
use serde_json::{Map, Value, json};

// ---------------------------------------------------------------------------------------------------------
// The models' types, their spec, and their realistic bodies.
// ---------------------------------------------------------------------------------------------------------

/// A model's Rust type, behind plain functions so that one table can hold them all.
struct ModelType {
    name: &'static str,
    /// Decodes a JSON text as the model, then encodes the model again.
    reencode: fn(&str) -> Result<Value, serde_json::Error>,
    /// Decodes a JSON text as the model and gives its `other` map (the members it does not declare).
    other: fn(&str) -> Result<Map<String, Value>, serde_json::Error>,
}

macro_rules! model_types {
    ($($model:ident)*) => {
        vec![$(ModelType {
            name: stringify!($model),
            reencode: |text| serde_json::to_value(serde_json::from_str::<models::$model>(text)?),
            other: |text| Ok(serde_json::from_str::<models::$model>(text)?.other),
        }),*]
    };
}

/// Every model of `spec/models`, by name.
fn model_types() -> Vec<ModelType> {
    model_types![
        // admins
        Admin App AdminList ActivityLog ActivityLogActor ActivityLogList
        // bulk
        Job JobLinks JobTask JobErrorFeed JobItemFailure JobItemError
        // common
        Pages Avatar LocationData SocialProfile SocialProfileList DeletedObject
        // inputs: what typed callers build (bodies as the functions take them)
        CompanyReference UserReference CompanyTagReference BulkItem
        // webhooks: items of notifications
        UserTag ContactTag Ping
        // companies
        Company CompanyList CompanyScrollPage
        // conversations
        Conversation ConversationMessage ConversationPart ConversationPartList Author Assignee Customer
        ConversationCustomers Attachment CustomerFirstReply ConversationRating ConversationList
        // counts
        AppTotalCounts CountTotal ConversationCounts ConversationStateCounts AdminConversationCounts
        AdminConversationCountList AdminConversationCount UserSegmentCounts UserTagCounts CompanySegmentCounts
        CompanyTagCounts CompanyUserCounts SegmentCounts TagCounts CompanyUserCountList
        // data attributes
        DataAttribute DataAttributeList
        // events
        Event EventList EventSummaries EventSummary
        // leads
        Lead LeadList LeadScrollPage
        // messages
        Message
        // notes
        Note NoteList
        // oauth
        OAuthToken
        // segments
        Segment SegmentList
        // subscriptions
        Subscription SubscriptionMetadata SubscriptionLinks SubscriptionList Notification NotificationData
        NotificationList
        // tags
        Tag TagList
        // teams
        Team TeamList
        // users
        User UserList UserScrollPage UserDeleteRequest
        // visitors
        Visitor
    ]
}

/// What a value set's enum makes of one JSON text.
struct DecodedValue {
    /// Not `Other`.
    known: bool,
    as_str: String,
    display: String,
    encoded: Value,
}

/// A value set's enum, behind a plain function.
struct ValueSetType {
    name: &'static str,
    decode: fn(&str) -> Result<DecodedValue, serde_json::Error>,
}

macro_rules! value_set_types {
    ($($set:ident)*) => {
        vec![$(ValueSetType {
            name: stringify!($set),
            decode: |text| {
                let value: models::$set = serde_json::from_str(text)?;
                Ok(DecodedValue {
                    known: !matches!(value, models::$set::Other(_)),
                    as_str: value.as_str().to_owned(),
                    display: value.to_string(),
                    encoded: serde_json::to_value(&value)?,
                })
            },
        }),*]
    };
}

/// Every value set of `spec/models`, by name.
fn value_set_types() -> Vec<ValueSetType> {
    value_set_types![
        AssigneeType AuthorType ConversationPartType ConversationState CustomerType DataAttributeKind
        DataAttributeType DeliveredAs JobState MessageChannel SegmentPersonType WebhookTopic
    ]
}

/// A model as `spec/models/*.json` declares it.
struct SpecModel {
    name: String,
    members: Vec<SpecMember>,
}

/// A member as `spec/models/*.json` declares it.
struct SpecMember {
    name: String,
    /// `String`, `Id`, `Integer`, `Timestamp`, `Number`, `Boolean`, `JSON`, `Object`, or a model or value set.
    ty: String,
    required: bool,
    list: bool,
}

impl SpecModel {
    fn declares(&self, member: &str) -> bool {
        self.members.iter().any(|declared| declared.name == member)
    }

    fn required(&self) -> impl Iterator<Item = &SpecMember> {
        self.members.iter().filter(|member| member.required)
    }

    fn optional(&self) -> impl Iterator<Item = &SpecMember> {
        self.members.iter().filter(|member| !member.required)
    }

    fn of_type<'a>(&'a self, types: &'a [&str]) -> impl Iterator<Item = &'a SpecMember> {
        self.members.iter().filter(move |member| types.contains(&member.ty.as_str()))
    }
}

/// The models and value sets of `spec/models/*.json`, read as they are at test time.
struct Spec {
    models: Vec<SpecModel>,
    /// Each value set's values.
    value_sets: BTreeMap<String, Vec<String>>,
}

impl Spec {
    fn model(&self, name: &str) -> &SpecModel {
        self.models.iter().find(|model| model.name == name).unwrap_or_else(|| panic!("no model `{name}` in spec"))
    }
}

fn json_files(dir: &Path) -> Vec<(String, Value)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let json = serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            (path.display().to_string(), json)
        })
        .collect()
}

fn spec() -> Spec {
    let mut spec = Spec { models: Vec::new(), value_sets: BTreeMap::new() };
    for (_, file) in json_files(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/spec/models"))) {
        for model in file["models"].as_array().into_iter().flatten() {
            let members = model["members"].as_array().unwrap().iter().map(|member| SpecMember {
                name: member["name"].as_str().unwrap().to_owned(),
                ty: member["type"].as_str().unwrap().to_owned(),
                required: member["required"].as_bool().unwrap_or(false),
                list: member["list"].as_bool().unwrap_or(false),
            });
            spec.models
                .push(SpecModel { name: model["name"].as_str().unwrap().to_owned(), members: members.collect() });
        }
        for set in file["value_sets"].as_array().into_iter().flatten() {
            let values =
                set["values"].as_array().unwrap().iter().map(|value| value["value"].as_str().unwrap().to_owned());
            spec.value_sets.insert(set["name"].as_str().unwrap().to_owned(), values.collect());
        }
    }
    spec
}

/// The realistic bodies of `tests/models/*.json`, by model name: each file maps a model's name to its bodies,
/// the first being the fullest.
fn bodies() -> BTreeMap<String, Vec<Value>> {
    let mut bodies = BTreeMap::new();
    for (path, file) in json_files(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/models"))) {
        for (model, list) in file.as_object().unwrap_or_else(|| panic!("{path}: not an object")) {
            let list = list.as_array().unwrap_or_else(|| panic!("{path}: `{model}` is not a list of bodies"));
            assert!(!list.is_empty(), "{path}: `{model}` has no body");
            let previous = bodies.insert(model.clone(), list.clone());
            assert!(previous.is_none(), "{path}: `{model}` has bodies in two files");
        }
    }
    bodies
}

/// The first (fullest) realistic body of `model`, as an object.
fn base_body(bodies: &BTreeMap<String, Vec<Value>>, model: &str) -> Map<String, Value> {
    bodies[model][0].as_object().unwrap_or_else(|| panic!("the body of `{model}` is not an object")).clone()
}

/// `body` with only the members that are required in `model`.
fn only_required(model: &SpecModel, body: &Map<String, Value>) -> Map<String, Value> {
    body.iter()
        .filter(|(name, _)| model.required().any(|member| &member.name == *name))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}

/// The members of `back` (a re-encoding) that `expected` does not have.
fn members_other_than(back: &Value, expected: &Map<String, Value>) -> Vec<String> {
    let back = back.as_object().map(Map::keys).into_iter().flatten();
    back.filter(|name| !expected.contains_key(*name)).map(|name| format!("`{name}` is written back")).collect()
}

/// Fails with every problem in `problems`, one a line.
fn assert_none(what: &str, problems: &[String]) {
    assert!(problems.is_empty(), "{what}:\n  {}", problems.join("\n  "));
}

// ---------------------------------------------------------------------------------------------------------
// Comparing a body with its re-encoding.
// ---------------------------------------------------------------------------------------------------------

/// How `back` (a body decoded and encoded again) differs from the `original` body beyond what the models
/// allow. Every member of the original must come back with its value, recursively, except that:
///
/// * a `null` member may come back absent;
/// * an id that arrived as a number may come back as its text: the value of a member named `id` or `…_id`,
///   or an item of a member named `…_ids` (every `Id` member of the spec is named so).
///
/// Numbers compare by value (`49` and `49.0` are the same number), and nothing may be added.
fn json_differences(original: &Value, back: &Value) -> Vec<String> {
    let mut differences = Vec::new();
    compare("", original, back, false, &mut differences);
    differences
}

/// Whether a member's name says it holds an id or a list of ids.
fn is_id_name(name: &str) -> bool {
    name == "id" || name.ends_with("_id") || name.ends_with("_ids")
}

fn compare(path: &str, original: &Value, back: &Value, is_id: bool, differences: &mut Vec<String>) {
    let at = |path: &str| if path.is_empty() { "the body".to_owned() } else { format!("`{path}`") };
    match (original, back) {
        (Value::Object(original), Value::Object(back)) => {
            for (name, value) in original {
                let inner = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
                match back.get(name) {
                    Some(back_value) => compare(&inner, value, back_value, is_id_name(name), differences),
                    None if value.is_null() => {}
                    None => differences.push(format!("{}: lost (it was {value})", at(&inner))),
                }
            }
            for (name, value) in back.iter().filter(|(name, _)| !original.contains_key(*name)) {
                let inner = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
                differences.push(format!("{}: added ({value})", at(&inner)));
            }
        }
        (Value::Array(original), Value::Array(back)) if original.len() == back.len() => {
            for (index, (item, back_item)) in original.iter().zip(back).enumerate() {
                compare(&format!("{path}[{index}]"), item, back_item, is_id, differences);
            }
        }
        (Value::Number(number), Value::String(text)) if is_id && number.to_string() == *text => {}
        (Value::Number(original), Value::Number(back))
            if original == back || original.as_f64().is_some_and(|value| Some(value) == back.as_f64()) => {}
        _ if original == back => {}
        _ => differences.push(format!("{}: {original} came back as {back}", at(path))),
    }
}

#[test]
fn the_comparison_allows_exactly_what_the_models_change() {
    let same = |original: Value, back: Value| json_differences(&original, &back);
    // Allowed: null members dropped, ids as text, the same number written another way.
    assert_none("allowed", &same(json!({ "a": null, "b": [1, { "c": null }] }), json!({ "b": [1, {}] })));
    assert_none(
        "allowed",
        &same(
            json!({ "id": 7, "team_ids": [1, 2], "owner_id": 3 }),
            json!({ "id": "7", "team_ids": ["1", "2"], "owner_id": "3" }),
        ),
    );
    assert_none("allowed", &same(json!({ "monthly_spend": 49 }), json!({ "monthly_spend": 49.0 })));
    assert_none("allowed", &same(json!({ "a": null }), json!({ "a": null })));
    // Not allowed: anything else.
    assert_eq!(same(json!({ "count": 7 }), json!({ "count": "7" })), ["`count`: 7 came back as \"7\""]);
    assert_eq!(same(json!({ "id": 7 }), json!({ "id": "8" })), ["`id`: 7 came back as \"8\""]);
    assert_eq!(same(json!({ "a": { "b": 1 } }), json!({ "a": {} })), ["`a.b`: lost (it was 1)"]);
    assert_eq!(same(json!({ "a": [1, 2] }), json!({ "a": [1] })), ["`a`: [1,2] came back as [1]"]);
    assert_eq!(same(json!({}), json!({ "a": null })), ["`a`: added (null)"]);
    assert_eq!(same(json!({ "a": "" }), json!({ "a": null })), ["`a`: \"\" came back as null"]);
    assert_eq!(same(json!({ "a": [{ "id": 1 }] }), json!({ "a": [{ "id": 2 }] })), ["`a[0].id`: 1 came back as 2"]);
    assert_eq!(same(json!(1), json!(2)), ["the body: 1 came back as 2"]);
}

// ---------------------------------------------------------------------------------------------------------
// Every model: its realistic bodies.
// ---------------------------------------------------------------------------------------------------------

#[test]
fn every_model_has_a_type_and_a_realistic_body() {
    let in_spec: BTreeSet<String> = spec().models.into_iter().map(|model| model.name).collect();
    let with_type: BTreeSet<String> = model_types().iter().map(|model| model.name.to_owned()).collect();
    let with_body: BTreeSet<String> = bodies().into_keys().collect();
    let missing = |have: &BTreeSet<String>| in_spec.difference(have).cloned().collect::<Vec<_>>();
    let unknown = |have: &BTreeSet<String>| have.difference(&in_spec).cloned().collect::<Vec<_>>();
    assert_none("models of spec/models without a type in `model_types` (add them)", &missing(&with_type));
    assert_none("models of spec/models without a body in tests/models (add one)", &missing(&with_body));
    assert_none("types in `model_types` that spec/models does not declare", &unknown(&with_type));
    assert_none("bodies in tests/models of models that spec/models does not declare", &unknown(&with_body));
}

#[test]
fn realistic_bodies_decode_and_come_back_unchanged() {
    let bodies = bodies();
    let mut problems = Vec::new();
    for model in model_types() {
        for (index, body) in bodies[model.name].iter().enumerate() {
            match (model.reencode)(&body.to_string()) {
                Ok(back) => problems.extend(
                    json_differences(body, &back)
                        .into_iter()
                        .map(|problem| format!("{}#{index}: {problem}", model.name)),
                ),
                Err(error) => problems.push(format!("{}#{index} does not decode: {error}", model.name)),
            }
        }
    }
    assert_none("realistic bodies that do not decode, or do not come back as they came", &problems);
}

/// `.send()` decodes through the function's `Returns` (with a path to where decoding failed): every realistic
/// body of a function's model goes through it too.
#[test]
fn every_function_decodes_the_realistic_bodies_of_its_model() {
    let bodies = bodies();
    let mut problems = Vec::new();
    let mut covered = 0;
    for function in intercom_rest::functions() {
        let Some(returns) = function.returns.filter(|returns| returns.model != "nothing") else { continue };
        let Some(model_bodies) = bodies.get(returns.model) else {
            problems.push(format!("{}: returns `{}`, which has no realistic body", function.name, returns.model));
            continue;
        };
        for (index, body) in model_bodies.iter().enumerate() {
            covered += 1;
            match returns.reencode(&body.to_string()) {
                Ok(back) => {
                    let back: Value = serde_json::from_str(&back).unwrap();
                    problems.extend(
                        json_differences(body, &back)
                            .into_iter()
                            .map(|problem| format!("{} ({}#{index}): {problem}", function.name, returns.model)),
                    );
                }
                Err(error) => problems.push(format!("{} ({}#{index}): {error}", function.name, returns.model)),
            }
        }
    }
    assert_none("answers that do not decode through their function", &problems);
    assert!(covered > 100, "only {covered} answers were checked");
}

// ---------------------------------------------------------------------------------------------------------
// Every model, member by member, as the spec declares them.
// ---------------------------------------------------------------------------------------------------------

/// Decodes `body` as `model`, encodes it again and checks the result with `check`; collects what went wrong.
fn check_variant(
    model: &ModelType,
    what: &str,
    body: &Map<String, Value>,
    problems: &mut Vec<String>,
    check: impl FnOnce(&Value) -> Vec<String>,
) {
    let text = Value::Object(body.clone()).to_string();
    match (model.reencode)(&text) {
        Ok(back) => {
            problems.extend(check(&back).into_iter().map(|problem| format!("{} ({what}): {problem}", model.name)))
        }
        Err(error) => problems.push(format!("{} ({what}) does not decode: {error}", model.name)),
    }
}

#[test]
fn unknown_members_are_kept_in_other_and_written_back() {
    let (spec, bodies) = (spec(), bodies());
    let added = json!({
        "x_new_text": "a member this client does not know",
        "x_new_object": { "nested": [1, "two", null, { "deep": true }], "big": 9_007_199_254_740_993_u64 },
        "x_new_null": null,
        "x_new_count": 3.5,
    });
    let mut problems = Vec::new();
    for model in model_types() {
        let declared = spec.model(model.name);
        let mut body = base_body(&bodies, model.name);
        body.extend(added.as_object().unwrap().clone());
        // `other` holds exactly the members the model does not declare, as they came.
        let expected: Map<String, Value> =
            body.iter().filter(|(name, _)| !declared.declares(name)).map(|(n, v)| (n.clone(), v.clone())).collect();
        match (model.other)(&Value::Object(body.clone()).to_string()) {
            Ok(other) if other == expected => {}
            Ok(other) => problems.push(format!("{}: `other` is {other:?}, not {expected:?}", model.name)),
            Err(error) => problems.push(format!("{} does not decode: {error}", model.name)),
        }
        // And they are written back, `null` included.
        check_variant(&model, "unknown members", &body, &mut problems, |back| {
            let mut problems = json_differences(&Value::Object(body.clone()), back);
            if back.get("x_new_null") != Some(&Value::Null) {
                problems.push("an unknown `null` member is not written back".to_owned());
            }
            problems
        });
    }
    assert_none("unknown members not kept", &problems);
}

#[test]
fn optional_members_may_be_missing() {
    let (spec, bodies) = (spec(), bodies());
    let mut problems = Vec::new();
    for model in model_types() {
        let declared = spec.model(model.name);
        let body = only_required(declared, &base_body(&bodies, model.name));
        // Every optional member is `None`, so nothing but the required members is written back.
        check_variant(&model, "only required members", &body, &mut problems, |back| {
            let mut problems = json_differences(&Value::Object(body.clone()), back);
            problems.extend(members_other_than(back, &body));
            problems
        });
    }
    assert_none("models that need an optional member", &problems);
}

#[test]
fn optional_members_may_be_null() {
    let (spec, bodies) = (spec(), bodies());
    let mut problems = Vec::new();
    for model in model_types() {
        let declared = spec.model(model.name);
        let required = only_required(declared, &base_body(&bodies, model.name));
        let mut body = required.clone();
        body.extend(declared.optional().map(|member| (member.name.clone(), Value::Null)));
        // Every `null` member is `None`: written back, it is absent.
        check_variant(&model, "optional members null", &body, &mut problems, |back| {
            let mut problems = json_differences(&Value::Object(body.clone()), back);
            problems.extend(members_other_than(back, &required));
            problems
        });
    }
    assert_none("models that refuse a null optional member", &problems);
}

#[test]
fn ids_may_arrive_as_numbers_and_are_read_as_text() {
    let (spec, bodies) = (spec(), bodies());
    let mut problems = Vec::new();
    let mut checked = 0;
    for model in model_types() {
        for member in spec.model(model.name).of_type(&["Id"]) {
            checked += 1;
            assert!(
                is_id_name(&member.name),
                "the comparison would not know `{}.{}` as an id",
                model.name,
                member.name
            );
            let (sent, expected) = if member.list {
                (json!([1, 2, 1_195_856]), json!(["1", "2", "1195856"]))
            } else {
                (json!(4711), json!("4711"))
            };
            let mut body = base_body(&bodies, model.name);
            body.insert(member.name.clone(), sent);
            check_variant(&model, &format!("`{}` a number", member.name), &body, &mut problems, |back| {
                let mut problems = json_differences(&Value::Object(body.clone()), back);
                if back[&member.name] != expected {
                    problems.push(format!("`{}` came back as {}, not {expected}", member.name, back[&member.name]));
                }
                problems
            });
        }
    }
    assert_none("ids that do not read as text", &problems);
    assert!(checked > 40, "only {checked} id members");
}

#[test]
fn whole_numbers_may_arrive_as_floats_with_no_fraction_or_as_text() {
    let (spec, bodies) = (spec(), bodies());
    let mut problems = Vec::new();
    for model in model_types() {
        for member in spec.model(model.name).of_type(&["Integer", "Timestamp"]) {
            assert!(!member.list, "lists of whole numbers are read as they are; add a case for `{}`", member.name);
            for sent in [json!(1_401_970_114), json!(1_401_970_114.0), json!("1401970114"), json!(" 1401970114 ")] {
                let mut body = base_body(&bodies, model.name);
                body.insert(member.name.clone(), sent.clone());
                check_variant(&model, &format!("`{}`: {sent}", member.name), &body, &mut problems, |back| {
                    if back[&member.name] == json!(1_401_970_114) {
                        Vec::new()
                    } else {
                        vec![format!("`{}` came back as {}", member.name, back[&member.name])]
                    }
                });
            }
        }
    }
    assert_none("whole numbers not read leniently", &problems);
}

#[test]
fn fractions_and_other_text_are_not_whole_numbers() {
    let (spec, bodies) = (spec(), bodies());
    let types = model_types();
    let mut problems = Vec::new();
    for model in &types {
        for member in spec.model(model.name).of_type(&["Integer", "Timestamp"]) {
            let sent = [json!(1.5), json!("yesterday"), json!(true), json!(9_223_372_036_854_775_808_u64), json!({})];
            for sent in sent {
                let mut body = base_body(&bodies, model.name);
                body.insert(member.name.clone(), sent.clone());
                match (model.reencode)(&Value::Object(body).to_string()) {
                    Err(error) if error.to_string().contains("a whole number") => {}
                    Err(error) => {
                        problems.push(format!("{}.{} = {sent}: unclear error: {error}", model.name, member.name))
                    }
                    Ok(_) => problems.push(format!("{}.{} = {sent} was accepted", model.name, member.name)),
                }
            }
        }
    }
    assert_none("bad whole numbers", &problems);
}

#[test]
fn unknown_values_of_value_sets_are_kept() {
    let (spec, bodies) = (spec(), bodies());
    let mut problems = Vec::new();
    let mut checked = 0;
    for model in model_types() {
        let declared = spec.model(model.name);
        for member in declared.members.iter().filter(|member| spec.value_sets.contains_key(&member.ty)) {
            checked += 1;
            let known = &spec.value_sets[&member.ty][0];
            let sent = if member.list { json!(["x_future_value", known]) } else { json!("x_future_value") };
            let mut body = base_body(&bodies, model.name);
            body.insert(member.name.clone(), sent);
            check_variant(&model, &format!("`{}` unknown", member.name), &body, &mut problems, |back| {
                json_differences(&Value::Object(body.clone()), back)
            });
        }
    }
    assert_none("unknown values not kept", &problems);
    assert!(checked >= 14, "only {checked} value set members");
}

#[test]
fn a_missing_required_member_fails_naming_it() {
    let (spec, bodies) = (spec(), bodies());
    let mut problems = Vec::new();
    for model in model_types() {
        for member in spec.model(model.name).required() {
            let mut body = base_body(&bodies, model.name);
            assert!(body.contains_key(&member.name), "the body of `{}` lacks `{}`", model.name, member.name);
            body.remove(&member.name);
            match (model.reencode)(&Value::Object(body).to_string()) {
                Err(error) if error.to_string().contains(&format!("missing field `{}`", member.name)) => {}
                Err(error) => {
                    problems.push(format!("{} without `{}`: unclear error: {error}", model.name, member.name))
                }
                Ok(_) => problems.push(format!("{} without `{}` was accepted", model.name, member.name)),
            }
        }
    }
    assert_none("missing required members", &problems);
}

#[test]
fn a_required_member_may_not_be_null() {
    let (spec, bodies) = (spec(), bodies());
    let mut problems = Vec::new();
    for model in model_types() {
        for member in spec.model(model.name).required() {
            let mut body = base_body(&bodies, model.name);
            body.insert(member.name.clone(), Value::Null);
            if (model.reencode)(&Value::Object(body).to_string()).is_ok() {
                problems.push(format!("{} with `{}: null` was accepted", model.name, member.name));
            }
        }
    }
    assert_none("null required members", &problems);
}

// ---------------------------------------------------------------------------------------------------------
// The shapes that broke other clients.
// ---------------------------------------------------------------------------------------------------------

fn decode<T: serde::de::DeserializeOwned>(body: Value) -> T {
    serde_json::from_str(&body.to_string()).unwrap_or_else(|error| panic!("{error}: {body}"))
}

fn ids(list: &[&str]) -> Vec<Id> {
    list.iter().map(|&id| Id::from(id)).collect()
}

/// `GET /admins`: admin ids are text, team ids numbers; a team is listed among the admins.
#[test]
fn admin_and_team_ids_arrive_as_numbers_and_read_as_text() {
    let list: models::AdminList = decode(bodies()["AdminList"][0].clone());
    let [admin, _, team] = &list.admins[..] else { panic!("{list:?}") };
    assert_eq!(admin.id, "493881");
    assert_eq!(admin.team_ids, Some(ids(&["814865"])));
    assert_eq!(team.kind.as_deref(), Some("team"));
    assert_eq!(team.email, None);
    assert_eq!(team.admin_ids, Some(ids(&["493881", "646303", "1195856"])));
    let back = serde_json::to_value(team).unwrap();
    assert_eq!(back["admin_ids"], json!(["493881", "646303", "1195856"]));
    assert_eq!(back.get("email"), None, "a null member is written back absent");
}

/// `GET /tags` sends tag ids as numbers; `POST /user_delete_requests` answers `{"id": 10}`.
#[test]
fn tag_and_delete_request_ids_are_numbers() {
    let tags: models::TagList = decode(bodies()["TagList"][0].clone());
    let names: Vec<(&str, Option<&str>)> = tags.tags.iter().map(|tag| (tag.id.as_str(), tag.name.as_deref())).collect();
    assert_eq!(names, [("17513", Some("independent")), ("17514", Some("VIP")), ("18021", Some("Pricing page"))]);
    let request: models::UserDeleteRequest = decode(json!({ "id": 10 }));
    assert_eq!(request.id, "10");
    assert_eq!(serde_json::to_value(&request).unwrap(), json!({ "id": "10" }));
    let profile: models::SocialProfile =
        decode(json!({ "type": "social_profile", "name": "Facebook", "id": 1_234_567_890 }));
    assert_eq!(profile.id.as_deref(), Some("1234567890"));
}

#[test]
fn timestamps_are_64_bit_and_read_leniently() {
    let user: models::User = decode(json!({
        "type": "user",
        "id": "5310d8e8598c9a0b24000005",
        "created_at": "1392734388",
        "updated_at": 1_392_734_388.0,
        "remote_created_at": 1_392_731_331_000_u64,
        "last_request_at": null,
        "session_count": " 179 ",
    }));
    assert_eq!(user.created_at, Some(1_392_734_388));
    assert_eq!(user.updated_at, Some(1_392_734_388));
    assert_eq!(user.remote_created_at, Some(1_392_731_331_000), "milliseconds do not fit 32 bits");
    assert_eq!(user.last_request_at, None);
    assert_eq!(user.signed_up_at, None);
    assert_eq!(user.session_count, Some(179));
    let back = serde_json::to_value(&user).unwrap();
    assert_eq!(back["created_at"], json!(1_392_734_388), "written back as a number");
    assert_eq!(back.get("last_request_at"), None);

    // A required whole number is as lenient.
    let count: models::CountTotal = decode(json!({ "count": "12239" }));
    assert_eq!(count.count, 12239);
    let count: models::CountTotal = decode(json!({ "count": 12239.0 }));
    assert_eq!(count.count, 12239);
    let error = serde_json::from_str::<models::CountTotal>(r#"{"count": 1.25}"#).unwrap_err();
    assert!(error.to_string().contains("expected a whole number"), "{error}");
}

/// Closed sets grow: a value this client does not know is kept, as Intercom sent it.
#[test]
fn unknown_values_are_kept_as_other() {
    use models::{AssigneeType, AuthorType, ConversationPartType, ConversationState, CustomerType, DeliveredAs};

    let conversation: models::Conversation = decode(json!({
        "type": "conversation",
        "id": "147",
        "state": "snoozed",
        "assignee": { "type": "bot", "id": "815309" },
        "user": { "type": "visitor", "id": "5bc8f7421ffae2d96695c18a" },
        "conversation_message": { "type": "conversation", "id": "1", "delivered_as": "operator_initiated", "author": { "type": "visitor", "id": "9" } },
        "conversation_parts": {
            "type": "conversation_part.list",
            "conversation_parts": [
                { "type": "conversation_part", "id": "1", "part_type": "conversation_rating_changed", "author": { "type": "lead", "id": "5" } },
                { "type": "conversation_part", "id": "2", "part_type": "away_mode_assignment" }
            ]
        }
    }));
    assert_eq!(conversation.state, Some(ConversationState::Snoozed));
    assert_eq!(conversation.assignee.unwrap().kind, Some(AssigneeType::Other("bot".to_owned())));
    assert_eq!(conversation.user.unwrap().kind, Some(CustomerType::Other("visitor".to_owned())));
    let message = conversation.conversation_message.unwrap();
    assert_eq!(message.delivered_as, Some(DeliveredAs::OperatorInitiated));
    assert_eq!(message.author.unwrap().kind, Some(AuthorType::Other("visitor".to_owned())));
    let parts = conversation.conversation_parts.unwrap().conversation_parts;
    assert_eq!(parts[0].part_type, Some(ConversationPartType::Other("conversation_rating_changed".to_owned())));
    assert_eq!(parts[0].author.as_ref().unwrap().kind, Some(AuthorType::Lead));
    assert_eq!(parts[1].part_type, Some(ConversationPartType::AwayModeAssignment));

    // A subscription to a whole type (`company`) next to a known topic.
    let subscription: models::Subscription = decode(bodies()["Subscription"][1].clone());
    let topics = subscription.topics.unwrap();
    assert_eq!(
        topics,
        [models::WebhookTopic::Other("company".to_owned()), models::WebhookTopic::ConversationUserCreated]
    );
    assert_eq!(serde_json::to_value(&topics).unwrap(), json!(["company", "conversation.user.created"]));
}

/// Members a model does not declare are kept at every level, not only at the top.
#[test]
fn nested_models_keep_their_own_unknown_members() {
    let user: models::User = decode(bodies()["User"][1].clone());
    assert_eq!(user.other["tags_added"], json!(["Independent"]));
    assert_eq!(user.other["last_seen_user_agent"], json!("Mozilla/5.0"));
    let companies = user.companies.unwrap();
    assert_eq!(companies.kind.as_deref(), Some("company.list"));
    assert_eq!(companies.companies[0].company_id.as_deref(), Some("6"));
    assert!(companies.companies[0].other.is_empty());

    // The visitor model's `las_request_at` (sic) is not `last_request_at`: it is kept as it came.
    let visitor: models::Visitor = decode(bodies()["Visitor"][0].clone());
    assert_eq!(visitor.last_request_at, None);
    assert_eq!(visitor.other["las_request_at"], json!(1_663_597_260));
    assert_eq!(visitor.email.as_deref(), Some(""), "an empty text is kept, not taken for missing");

    // A webhook's conversation item carries `metadata` and `links`; its rating is `{}`.
    let conversation: models::Conversation = decode(bodies()["Conversation"][1].clone());
    assert_eq!(conversation.other["metadata"], json!({}));
    assert!(conversation.other.contains_key("links"));
    assert_eq!(conversation.conversation_rating, Some(models::ConversationRating::default()));
    let user = conversation.user.unwrap();
    assert_eq!(user.other["email"], json!("bob.dylan@example.com"));
    assert_eq!(user.other["do_not_track"], Value::Null, "a null unknown member is kept as null");

    // Company tag counts nest their pages twice.
    let counts: models::CompanyTagCounts = decode(bodies()["CompanyTagCounts"][0].clone());
    assert_eq!(counts.other["pages"]["pages"]["total_pages"], json!(203));
    assert_eq!(counts.company.tag[0], json!({ "VIP": 0 }).as_object().unwrap().clone());
}

/// `null`, `{}` and missing all say "nothing"; some members take more than one shape.
#[test]
fn members_that_come_in_several_shapes() {
    for pages in [json!({}), Value::Null] {
        let list: models::UserList = decode(json!({ "type": "user.list", "users": [], "pages": pages }));
        assert_eq!(list.pages.is_some(), !pages.is_null());
        assert_eq!(list.pages.unwrap_or_default(), models::Pages::default());
    }
    let list: models::EventList = decode(bodies()["EventList"][0].clone());
    let pages = list.pages.unwrap();
    assert_eq!(
        pages.next.as_deref(),
        Some("https://api.intercom.io/events?type=user&intercom_user_id=55a3b&before=144474756550")
    );
    assert_eq!((pages.page, pages.total_pages), (None, None));

    // A company's plan: a name in the 1.x reference, an object in the SDKs' fixtures.
    let companies = &bodies()["Company"];
    let named: models::Company = decode(companies[0].clone());
    assert_eq!(named.plan, Some(json!("plan1")));
    let object: models::Company = decode(companies[1].clone());
    assert_eq!(object.plan, Some(json!({ "type": "plan", "id": "269315", "name": "pro" })));
    assert_eq!(named.monthly_spend, Some(49.0), "a whole number is a number too");
    assert_eq!(object.company_id.as_deref(), Some("7"), "a company id sent as a number");

    // Latitude and longitude: floats, or numbers as text; kept as they came.
    let locations = &bodies()["LocationData"];
    let dublin: models::LocationData = decode(locations[0].clone());
    assert_eq!(dublin.latitude, Some(json!(53.159233)));
    let pole: models::LocationData = decode(locations[1].clone());
    assert_eq!(pole.latitude, Some(json!("-90")));

    // Custom attributes hold any scalar, `null` and integers beyond 53 bits included.
    let user: models::User = decode(bodies()["User"][1].clone());
    let attributes = user.custom_attributes.unwrap();
    assert_eq!(attributes["last_order_id"], json!(9_007_199_254_740_993_u64));
    assert_eq!(attributes["nickname"], Value::Null);
    assert_eq!(attributes["monthly_spend"], json!(155.5));

    // An assignee of `nobody_admin` has no id.
    let conversation: models::Conversation = decode(bodies()["Conversation"][2].clone());
    let assignee = conversation.assignee.unwrap();
    assert_eq!(assignee.kind, Some(models::AssigneeType::NobodyAdmin));
    assert_eq!(assignee.id, None);
}

/// A missing required member names the member; decoding through a function also says where it is.
#[test]
fn decode_errors_name_the_member_and_where_it_is() {
    let error = serde_json::from_str::<models::User>(r#"{"type": "user", "email": "ann@example.com"}"#).unwrap_err();
    assert!(error.to_string().contains("missing field `id`"), "{error}");
    let error = serde_json::from_str::<models::TagList>(r#"{"type": "tag.list"}"#).unwrap_err();
    assert!(error.to_string().contains("missing field `tags`"), "{error}");
    let error = serde_json::from_str::<models::UserList>(r#"{"type": "user.list", "users": [{"email": "a@b.c"}]}"#)
        .unwrap_err();
    assert!(error.to_string().contains("missing field `id`"), "{error}");

    let returns = intercom_rest::find_function("getUsers").unwrap().returns.unwrap();
    assert_eq!(returns.model, "UserList");
    let error = returns.reencode(r#"{"type": "user.list", "users": [{"id": "1"}, {"email": "a@b.c"}]}"#).unwrap_err();
    assert_eq!((error.model, error.path.as_str()), ("UserList", "users[1]"));
    assert!(error.detail.contains("missing field `id`"), "{error}");
    assert!(error.to_string().contains("at `users[1]`: missing field `id`"), "{error}");
    let body =
        r#"{"type": "user.list", "users": [{"id": "1", "tags": {"type": "tag.list", "tags": [{"name": "VIP"}]}}]}"#;
    let error = returns.reencode(body).unwrap_err();
    assert_eq!(error.path, "users[0].tags.tags[0]");
    assert!(error.detail.contains("missing field `id`"), "{error}");
    let error = returns.reencode(r#"{"type": "user.list", "users": [{"id": "1", "created_at": "soon"}]}"#).unwrap_err();
    assert_eq!(error.path, "users[0].created_at");
    assert!(error.detail.contains("expected a whole number"), "{error}");
    let error = returns.reencode(r#"{"type": "user.list", "users": [{"id": "1", "anonymous": "yes"}]}"#).unwrap_err();
    assert_eq!(error.path, "users[0].anonymous");
}

// ---------------------------------------------------------------------------------------------------------
// `Id` and the value sets' enums.
// ---------------------------------------------------------------------------------------------------------

#[test]
fn an_id_is_text() {
    let id = Id::from("530370b477ad7120001d");
    assert_eq!(id.to_string(), "530370b477ad7120001d");
    assert_eq!(format!("<{id}>"), "<530370b477ad7120001d>");
    // It derefs to `str`.
    assert_eq!(id.len(), 20);
    assert!(id.starts_with("5303"));
    assert_eq!(&id[..4], "5303");
    assert_eq!(id.as_str(), "530370b477ad7120001d");
    let as_ref: &str = id.as_ref();
    assert_eq!(as_ref, "530370b477ad7120001d");
    // It compares with text.
    assert_eq!(id, "530370b477ad7120001d");
    assert!(id == *"530370b477ad7120001d");
    assert_ne!(id, "530370b477ad7120001e");
    assert_eq!(id, Id::from("530370b477ad7120001d".to_owned()));
    // It finds entries keyed by ids with plain text.
    let names: HashMap<Id, &str> = [(Id::from("25"), "Wash")].into_iter().collect();
    assert_eq!(names.get("25"), Some(&"Wash"));
    let owned: String = id.clone().into();
    assert_eq!(owned, id.into_string());
    assert_eq!(Id::default(), "");
}

#[test]
fn an_id_reads_text_or_whole_numbers_and_writes_text() {
    for (sent, read) in [
        (json!("nsub_6ab4c480"), "nsub_6ab4c480"),
        (json!("814865"), "814865"),
        (json!(814_865), "814865"),
        (json!(0), "0"),
        (json!(-7), "-7"),
        (json!(u64::MAX), "18446744073709551615"),
        (json!(""), ""),
    ] {
        let id: Id = serde_json::from_str(&sent.to_string()).unwrap_or_else(|error| panic!("{sent}: {error}"));
        assert_eq!(id, read, "{sent}");
        assert_eq!(serde_json::to_value(&id).unwrap(), json!(read), "an id is written as text");
    }
    for sent in [json!(1.5), json!(true), json!(null), json!({}), json!([1])] {
        let error = serde_json::from_str::<Id>(&sent.to_string()).unwrap_err();
        assert!(error.to_string().contains("an id (text or a whole number)"), "{sent}: {error}");
    }
}

#[test]
fn every_value_set_has_a_type() {
    let in_spec: BTreeSet<String> = spec().value_sets.into_keys().collect();
    let with_type: BTreeSet<String> = value_set_types().iter().map(|set| set.name.to_owned()).collect();
    assert_eq!(in_spec, with_type, "`value_set_types` must name every value set of spec/models");
}

#[test]
fn every_value_of_every_value_set_is_known_and_an_unknown_one_is_kept() {
    let spec = spec();
    let mut problems = Vec::new();
    for set in value_set_types() {
        let values = &spec.value_sets[set.name];
        for value in values.iter().map(String::as_str).chain(["x_future_value", ""]) {
            let known = values.iter().any(|known| known == value);
            match (set.decode)(&json!(value).to_string()) {
                Ok(decoded) => {
                    if decoded.known != known {
                        problems.push(format!("{}: {value:?} decodes as known: {}", set.name, decoded.known));
                    }
                    if decoded.as_str != value || decoded.display != value || decoded.encoded != json!(value) {
                        let DecodedValue { as_str, display, encoded, .. } = decoded;
                        problems.push(format!(
                            "{}: {value:?} gives {as_str:?}, shown {display:?}, written {encoded}",
                            set.name
                        ));
                    }
                }
                Err(error) => problems.push(format!("{}: {value:?}: {error}", set.name)),
            }
        }
        if (set.decode)("42").is_ok() {
            problems.push(format!("{}: a number was accepted", set.name));
        }
    }
    assert_none("value sets", &problems);
}

#[test]
fn value_sets_show_and_write_their_wire_values() {
    use models::{ConversationState, DataAttributeType, DeliveredAs, JobState, MessageChannel, WebhookTopic};

    assert_eq!(ConversationState::Snoozed.to_string(), "snoozed");
    assert_eq!(ConversationState::Open.as_str(), "open");
    assert_eq!(MessageChannel::InApp.as_str(), "inapp");
    assert_eq!(JobState::CompletedWithErrors.to_string(), "completed_with_errors");
    assert_eq!(WebhookTopic::ConversationAdminSingleCreated.as_str(), "conversation.admin.single.created");
    assert_eq!(WebhookTopic::Ping.to_string(), "ping");
    assert_eq!(DataAttributeType::String.as_str(), "string");
    assert_eq!(format!("{:>8}|", DeliveredAs::Automated.as_str()), "automated|");
    let paused = JobState::Other("paused".to_owned());
    assert_eq!((paused.as_str(), paused.to_string()), ("paused", "paused".to_owned()));
    assert_eq!(serde_json::to_string(&DeliveredAs::CampaignsInitiated).unwrap(), r#""campaigns_initiated""#);
    assert_eq!(serde_json::from_str::<JobState>(r#""paused""#).unwrap(), paused);
    // Usable as keys.
    let states: HashSet<ConversationState> =
        serde_json::from_value(json!(["open", "closed", "open", "archived"])).unwrap();
    assert_eq!(states.len(), 3);
    assert!(states.contains(&ConversationState::Other("archived".to_owned())));
}
