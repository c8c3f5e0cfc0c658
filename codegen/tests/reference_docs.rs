//! The Markdown reference committed under `docs/reference` is the one the manifest gives.

use std::path::Path;

const DOCS: &str = "../docs/reference";

#[test]
fn the_committed_reference_is_fresh() {
    let api = intercom_codegen::check_dir(Path::new("../spec")).unwrap_or_else(|report| panic!("{report}"));
    let pages = intercom_codegen::reference::render(&api);
    let mut stale: Vec<String> = pages
        .iter()
        .filter(|page| {
            std::fs::read_to_string(Path::new(DOCS).join(&page.file)).ok().as_deref() != Some(page.text.as_str())
        })
        .map(|page| page.file.clone())
        .collect();
    for entry in std::fs::read_dir(DOCS).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") && !pages.iter().any(|page| page.file == name) {
            stale.push(format!("{name} (no longer generated)"));
        }
    }
    assert!(stale.is_empty(), "docs/reference is stale ({stale:?}): run `cargo run -p intercom-gen -- docs`");
}

#[test]
fn every_function_has_its_section() {
    let api = intercom_codegen::check_dir(Path::new("../spec")).unwrap();
    let pages = intercom_codegen::reference::render(&api);
    for function in api.functions() {
        let heading = format!("## `{}`\n", function.name);
        assert!(pages.iter().any(|page| page.text.contains(&heading)), "no section for {}", function.name);
    }
}
