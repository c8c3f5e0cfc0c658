//! Snapshots of the code generated from `spec/`: one per function, one per `Select` enum, one per model struct
//! and one per value set enum, so that every change to the generated client shows in review piece by piece
//! (`cargo insta review`).

use std::collections::BTreeSet;
use std::path::Path;

use intercom_codegen::emit::{
    render_function, render_model, render_select, render_trigger, render_value_set, render_webhook_item,
};
use intercom_codegen::ir::Api;

const SNAPSHOT_PREFIX: &str = "generated_code__";

fn api() -> Api {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec");
    intercom_codegen::check_dir(&spec).unwrap_or_else(|report| panic!("{report}"))
}

/// The snapshot names, e.g. `users__get_single_user`, `select__UserIdType`, `model__User` and
/// `value_set__ConversationState`.
fn snapshot_names(api: &Api) -> BTreeSet<String> {
    let functions = api.modules.iter().flat_map(|module| {
        module.functions.iter().map(move |function| format!("{}__{}", module.name, function.method_name))
    });
    let selects = api.selects.iter().map(|select| format!("select__{}", select.name));
    let models = api.models.iter().map(|model| format!("model__{}", model.name));
    let value_sets = api.value_sets.iter().map(|set| format!("value_set__{}", set.name));
    let triggers = api.triggers.iter().map(|trigger| format!("trigger__{}", trigger.name));
    let webhook_item = std::iter::once("webhook_item".to_owned());
    functions.chain(selects).chain(models).chain(value_sets).chain(triggers).chain(webhook_item).collect()
}

#[test]
fn the_generated_code_matches_its_snapshots() {
    let api = api();
    for select in &api.selects {
        let code = render_select(select).unwrap();
        insta::assert_snapshot!(format!("select__{}", select.name), code);
    }
    for module in &api.modules {
        for function in &module.functions {
            let code = render_function(function).unwrap();
            insta::assert_snapshot!(format!("{}__{}", module.name, function.method_name), code);
        }
    }
    for model in &api.models {
        let code = render_model(model).unwrap();
        insta::assert_snapshot!(format!("model__{}", model.name), code);
    }
    for set in &api.value_sets {
        let code = render_value_set(set).unwrap();
        insta::assert_snapshot!(format!("value_set__{}", set.name), code);
    }
    for trigger in &api.triggers {
        let code = render_trigger(trigger).unwrap();
        insta::assert_snapshot!(format!("trigger__{}", trigger.name), code);
    }
    insta::assert_snapshot!("webhook_item", render_webhook_item(&api.topics).unwrap());
}

/// A function removed from the manifest must take its snapshot with it, or the snapshots stop telling the
/// truth about what is generated.
#[test]
fn every_snapshot_belongs_to_a_generated_item() {
    let expected = snapshot_names(&api());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let stale: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|name| Some(name.strip_prefix(SNAPSHOT_PREFIX)?.strip_suffix(".snap")?.to_owned()))
        .filter(|name| !expected.contains(name))
        .collect();
    assert!(stale.is_empty(), "snapshots of items no longer generated (delete them): {stale:?}");
}
