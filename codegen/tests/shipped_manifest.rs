//! The manifest shipped in `spec/`: it passes the checker, it conforms to the published JSON Schema (which
//! is exactly the one the manifest types define), and generating from it is deterministic.

use std::path::{Path, PathBuf};

const SPEC: &str = "../spec";
const SCHEMA: &str = "../spec/manifest.schema.json";

fn manifest_files(dir: &Path) -> Vec<PathBuf> {
    intercom_codegen::load::manifest_paths(dir).unwrap_or_else(|diagnostic| panic!("{diagnostic}"))
}

#[test]
fn the_shipped_manifest_passes_the_checker() {
    let api = intercom_codegen::check_dir(Path::new(SPEC)).unwrap_or_else(|report| panic!("{report}"));
    assert_eq!(api.functions().count(), 97, "82 seed functions, deleteSubscription and the 14 of http-mapping-more.md");
}

#[test]
fn the_published_schema_is_the_one_the_manifest_types_define() {
    let published = std::fs::read_to_string(SCHEMA).unwrap();
    assert!(
        published == intercom_codegen::manifest::json_schema(),
        "spec/manifest.schema.json is stale: run `cargo run -p intercom-gen -- schema > spec/manifest.schema.json`"
    );
}

fn validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(SCHEMA).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap_or_else(|error| panic!("the published schema is not a schema: {error}"))
}

#[test]
fn every_manifest_file_conforms_to_the_schema() {
    let validator = validator();
    let dirs = [Path::new(SPEC), Path::new("tests/fixtures/good"), Path::new("tests/fixtures/extra")];
    for file in dirs.into_iter().flat_map(manifest_files) {
        let document: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let errors: Vec<String> = validator.iter_errors(&document).map(|error| error.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
    }
}

#[test]
fn the_schema_rejects_unknown_keys_as_the_loader_does() {
    let document: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("tests/fixtures/broken/unknown_key/area.json").unwrap()).unwrap();
    assert!(!validator().is_valid(&document));
}

#[test]
fn generating_twice_gives_the_same_bytes() {
    let first = intercom_codegen::generate(Path::new(SPEC)).unwrap();
    let second = intercom_codegen::generate(Path::new(SPEC)).unwrap();
    assert!(first == second, "two runs on the same manifest differ");
}

/// The loader sorts files by name, so the order a file system lists them in cannot change the output.
#[test]
fn the_output_does_not_depend_on_the_order_files_were_written_in() {
    let dir = tempfile::tempdir().unwrap();
    for file in manifest_files(Path::new(SPEC)).into_iter().rev() {
        let copy = dir.path().join(file.strip_prefix(SPEC).unwrap());
        std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
        std::fs::copy(&file, copy).unwrap();
    }
    let copied = intercom_codegen::generate(dir.path()).unwrap();
    assert!(copied == intercom_codegen::generate(Path::new(SPEC)).unwrap());
}
