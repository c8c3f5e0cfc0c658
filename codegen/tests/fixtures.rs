//! The generator on small fixture manifests: what it emits for a good one, every problem it reports for
//! broken ones, what a new manifest entry adds, and that no input makes it panic.

use std::path::{Path, PathBuf};

use intercom_codegen::{check, emit, ir, load};
use serde_json::{Value, json};

const GOOD: &str = "tests/fixtures/good";
const EXTRA: &str = "tests/fixtures/extra";
const BROKEN: &str = "tests/fixtures/broken";

fn sorted_entries(dir: &str) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().path()).collect();
    entries.sort();
    entries
}

#[test]
fn the_good_fixture_generates_this_code() {
    let source = intercom_codegen::generate(Path::new(GOOD)).unwrap_or_else(|report| panic!("{report}"));
    insta::assert_snapshot!("good_fixture", source);
}

/// Each directory under `broken/` is a manifest with mistakes of one family; the report must name every one,
/// with file, function and field. Paths are relative, so the snapshots read `tests/fixtures/broken/...`.
#[test]
fn every_problem_of_a_broken_manifest_is_reported() {
    let cases = sorted_entries(BROKEN);
    assert!(cases.len() >= 15, "the broken fixtures are missing: {cases:?}");
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let report = match intercom_codegen::check_dir(&case) {
            Ok(_) => panic!("the broken fixture {name} passed the checker"),
            Err(report) => report,
        };
        insta::assert_snapshot!(format!("broken__{name}"), report.to_string());
    }
}

/// The emitter's output is parsed again: code that would not compile (here a bare carriage return, which a
/// doc comment cannot hold and the checker refuses) is an internal error, not a broken build.
#[test]
fn generated_code_that_does_not_parse_is_an_internal_error() {
    let mut api = intercom_codegen::check_dir(Path::new(GOOD)).unwrap();
    api.selects[0].description = "bare\rCR".to_owned();
    let report = intercom_codegen::render(&api, Path::new(GOOD)).unwrap_err();
    assert_eq!(
        report.to_string(),
        "1 problem in the manifest:\n  tests/fixtures/good: internal error: the generated code does not parse (cannot \
         parse string into token stream); please report this\n"
    );
}

#[test]
fn a_new_manifest_entry_yields_a_new_method() {
    let dir = tempfile::tempdir().unwrap();
    let good = load::manifest_paths(Path::new(GOOD)).unwrap();
    for file in good.iter().chain(&sorted_entries(EXTRA)) {
        let relative = file.strip_prefix(GOOD).or_else(|_| file.strip_prefix(EXTRA)).unwrap();
        let copy = dir.path().join(relative);
        std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
        std::fs::copy(file, copy).unwrap();
    }
    let before = intercom_codegen::generate(Path::new(GOOD)).unwrap();
    let after = intercom_codegen::generate(dir.path()).unwrap_or_else(|report| panic!("{report}"));

    let method = "pub fn ping_widgets(&self) -> PingWidgets";
    assert!(!before.contains(method));
    assert!(after.contains(method), "{after}");
    assert!(after.contains("pub mod extras {"));
    assert!(after.contains("pub static PING_WIDGETS: wire::Function"));
    assert!(after.contains("&extras::PING_WIDGETS"), "the new function is not registered for calls by name");
    // What was there is still there, unchanged: the new entry only adds.
    let widgets =
        |source: &str| source[source.find("pub mod widgets").unwrap()..].split("pub mod ").next().unwrap().to_owned();
    assert_eq!(widgets(&before), widgets(&after));
}

#[test]
fn the_report_of_a_field_names_file_function_and_field() {
    let report = intercom_codegen::check_dir(&Path::new(BROKEN).join("transform_on_wrong_type")).unwrap_err();
    let first = &report.diagnostics()[0];
    assert_eq!(first.file, Path::new(BROKEN).join("transform_on_wrong_type/area.json"));
    assert_eq!(first.function.as_deref(), Some("postThing"));
    assert_eq!(first.field.as_deref(), Some("picture"));
    assert_eq!(first.message, "the transform `avatar` applies to a String argument, not to a List of String");
}

/// Values put in place of every node of a manifest, one at a time: wrong types, empty and odd text, names
/// that collide with keywords or braces, and structures where scalars belong.
fn replacements() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(18446744073709551615_u64),
        json!(""),
        json!("x"),
        json!("type"),
        json!("Self"),
        json!("{x}"),
        json!("/a/{b}/{b}"),
        json!("a.b..c"),
        json!("é"),
        json!("1.4"),
        json!("GET"),
        json!([]),
        json!([""]),
        json!({}),
        json!({ "a": 1 }),
    ]
}

/// Every manifest obtained from `document` by replacing one node or removing one member or item.
fn mutations(document: &Value) -> Vec<Value> {
    let mut found = Vec::new();
    mutate(document, &mut |replace| found.push(replace), &mut Vec::new());
    found
}

fn mutate(node: &Value, emit: &mut dyn FnMut(Value), rebuild: &mut Vec<Box<dyn Fn(Value) -> Value>>) {
    let wrap = |rebuild: &Vec<Box<dyn Fn(Value) -> Value>>, value: Value| {
        rebuild.iter().rev().fold(value, |value, f| f(value))
    };
    for replacement in replacements() {
        emit(wrap(rebuild, replacement));
    }
    match node {
        Value::Object(members) => {
            for key in members.keys() {
                let mut without = members.clone();
                without.remove(key);
                emit(wrap(rebuild, Value::Object(without)));
            }
            for (key, child) in members {
                let (members, key) = (members.clone(), key.clone());
                rebuild.push(Box::new(move |value| {
                    let mut members = members.clone();
                    members.insert(key.clone(), value);
                    Value::Object(members)
                }));
                mutate(child, emit, rebuild);
                rebuild.pop();
            }
        }
        Value::Array(items) => {
            for index in 0..items.len() {
                let mut without = items.clone();
                without.remove(index);
                emit(wrap(rebuild, Value::Array(without.clone())));
                let mut doubled = items.clone();
                doubled.insert(index, items[index].clone());
                emit(wrap(rebuild, Value::Array(doubled)));
            }
            for (index, child) in items.iter().enumerate() {
                let items = items.clone();
                rebuild.push(Box::new(move |value| {
                    let mut items = items.clone();
                    items[index] = value;
                    Value::Array(items)
                }));
                mutate(child, emit, rebuild);
                rebuild.pop();
            }
        }
        _ => {}
    }
}

/// The checker and emitter never panic: thousands of mutated manifests are loaded, checked and, when they
/// pass, emitted; any panic is collected with the mutation that caused it.
#[test]
fn no_manifest_makes_the_generator_panic() {
    let files: Vec<(PathBuf, Value)> = load::manifest_paths(Path::new(GOOD))
        .unwrap()
        .into_iter()
        .map(|path| {
            let document = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            (path, document)
        })
        .collect();
    let base = intercom_codegen::check_dir(Path::new(GOOD)).unwrap();
    let mut runs = 0;
    let mut panics = Vec::new();
    for (mutated_index, (_, document)) in files.iter().enumerate() {
        for mutation in mutations(document) {
            runs += 1;
            let text = serde_json::to_string(&mutation).unwrap();
            let outcome = std::panic::catch_unwind(|| {
                let mut loaded = Vec::new();
                for (index, (path, original)) in files.iter().enumerate() {
                    let text = if index == mutated_index { text.clone() } else { original.to_string() };
                    match load::parse_file(path, &text) {
                        Ok(file) => loaded.push(file),
                        Err(_) => return,
                    }
                }
                if let Ok(api) = check::check(&loaded) {
                    render_changes(&api, &base).expect("an accepted manifest must give code that parses");
                }
            });
            if outcome.is_err() {
                panics.push(text);
            }
        }
    }
    assert!(runs > 2_000, "only {runs} mutations were tried");
    assert!(
        panics.is_empty(),
        "{} of {runs} mutated manifests made the generator panic, e.g.:\n{}",
        panics.len(),
        panics[0]
    );
}

/// Generates what `api` changed from `base`: the enums and functions that differ, and the modules without
/// their functions. It is what rendering the whole of `api` would check (each function's items are emitted
/// on their own as in the file), in a fraction of the time, since rendering is checked by parsing it again.
fn render_changes(api: &ir::Api, base: &ir::Api) -> Result<(), syn::Error> {
    for select in api.selects.iter().filter(|select| !base.selects.contains(select)) {
        emit::render_select(select)?;
    }
    for function in api.functions().filter(|function| !base.functions().any(|kept| kept == *function)) {
        emit::render_function(function)?;
    }
    for model in api.models.iter().filter(|model| !base.models.contains(model)) {
        emit::render_model(model)?;
    }
    for set in api.value_sets.iter().filter(|set| !base.value_sets.contains(set)) {
        emit::render_value_set(set)?;
    }
    let modules = api.modules.iter().map(|module| ir::Module { functions: Vec::new(), ..module.clone() }).collect();
    let changed = ir::Api {
        selects: Vec::new(),
        modules,
        models: Vec::new(),
        value_sets: Vec::new(),
        topics: api.topics.clone(),
        triggers: Vec::new(),
    };
    emit::render(&changed).map(drop)
}

#[test]
fn malformed_text_never_panics_the_loader() {
    let text = std::fs::read_to_string(Path::new(GOOD).join("widgets.json")).unwrap();
    for end in (0..text.len()).filter(|end| text.is_char_boundary(*end)) {
        let _ = load::parse_file(Path::new("widgets.json"), &text[..end]);
    }
}
