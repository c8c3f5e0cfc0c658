//! Seeded random mutations of the good fixture and of the shipped manifest: nothing the checker accepts may
//! break the build of the client.
//!
//! For each mutant, loading and checking never panic and every diagnostic is one line; when the checker
//! accepts the mutant, the generator succeeds, its output parses, and the code defines nothing twice (see
//! [`generated`]). The runs are deterministic: the seeds are fixed.
//!
//! Generating a whole manifest for every mutant would take minutes in a debug build, so each accepted mutant
//! is generated without the functions and enums it shares with its base: those were generated once, and
//! their inventories stand in for them in the clash checks.

mod generated;
mod mutate;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use fastrand::Rng;
use intercom_codegen::{Diagnostic, check, emit, ir, load};
use serde_json::{Value, json};

use generated::Inventory;

const GOOD: &str = "tests/fixtures/good";
const SPEC: &str = "../spec";

/// A manifest that mutants are made of, and what it generates.
struct Base {
    files: Vec<(PathBuf, Value)>,
    /// The files loaded: a mutant reuses those it did not change, which keeps a run quick.
    loaded: Vec<load::LoadedFile>,
    api: ir::Api,
    /// Each function of `api` with its module and the inventory of its generated items.
    functions: Vec<(String, ir::Function, Inventory)>,
    /// Each enum of `api` with the inventory of its generated items.
    selects: Vec<(ir::Select, Inventory)>,
}

impl Base {
    fn new(files: Vec<(PathBuf, Value)>) -> Self {
        let texts: Vec<(PathBuf, String)> =
            files.iter().map(|(path, value)| (path.clone(), value.to_string())).collect();
        let loaded: Vec<load::LoadedFile> =
            texts.iter().map(|(path, text)| load::parse_file(path, text).unwrap_or_else(|d| panic!("{d}"))).collect();
        let api = check::check(&loaded).unwrap_or_else(|problems| panic!("a base does not pass: {problems:?}"));
        let functions = api
            .modules
            .iter()
            .flat_map(|module| module.functions.iter().map(move |function| (module, function)))
            .map(|(module, function)| {
                let source = emit::render_function(function).unwrap();
                let items = syn::parse_file(&source).unwrap().items;
                (module.name.clone(), function.clone(), Inventory::of_items(&module.name, &items))
            })
            .collect();
        let selects = api
            .selects
            .iter()
            .map(|select| {
                let items = syn::parse_file(&emit::render_select(select).unwrap()).unwrap().items;
                (select.clone(), Inventory::of_items("selects", &items))
            })
            .collect();
        Base { files, loaded, api, functions, selects }
    }
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn good_base() -> Base {
    let paths = load::manifest_paths(Path::new(GOOD)).unwrap();
    Base::new(paths.iter().map(|path| (path.clone(), read_json(path))).collect())
}

/// One base per file of the shipped manifest, with the shared `Select` sets it uses: small enough to check
/// quickly, and together they hold every function.
fn spec_bases() -> Vec<Base> {
    let paths = load::manifest_paths(Path::new(SPEC)).unwrap();
    // Models refer to each other across files, and functions to models: every base holds all of them.
    let (model_paths, paths): (Vec<PathBuf>, Vec<PathBuf>) =
        paths.into_iter().partition(|path| path.parent().is_some_and(|dir| dir.ends_with(load::MODELS_DIR)));
    let models: Vec<(PathBuf, Value)> = model_paths.iter().map(|path| (path.clone(), read_json(path))).collect();
    let (selects_path, areas): (Vec<PathBuf>, Vec<PathBuf>) =
        paths.into_iter().partition(|path| path.ends_with("selects.json"));
    let selects_path = &selects_path[0];
    let all_selects = read_json(selects_path);
    areas
        .iter()
        .map(|path| {
            let area = read_json(path);
            // Triggers poll the functions of other areas: their base holds those areas too.
            let polled: Vec<Value> =
                area["triggers"].as_array().into_iter().flatten().map(|trigger| trigger["function"].clone()).collect();
            let declares_polled = |other: &Value| {
                let functions = other["functions"].as_array().into_iter().flatten();
                functions.clone().any(|function| polled.contains(&function["name"]))
            };
            let mut files = vec![(path.clone(), area)];
            if !polled.is_empty() {
                let others = areas.iter().filter(|other| *other != path).map(|other| (other.clone(), read_json(other)));
                files.extend(others.filter(|(_, other)| declares_polled(other)));
            }
            let mut used = Vec::new();
            files.iter().for_each(|(_, file)| select_references(file, &mut used));
            let sets: Vec<&Value> = all_selects["selects"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|set| set["name"].as_str().is_some_and(|name| used.contains(&name.to_owned())))
                .collect();
            if !sets.is_empty() {
                files.push((selects_path.clone(), json!({ "selects": sets })));
            }
            files.extend(models.iter().cloned());
            Base::new(files)
        })
        .collect()
}

fn select_references(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            if let Some(Value::String(name)) = members.get("select") {
                found.push(name.clone());
            }
            members.values().for_each(|child| select_references(child, found));
        }
        Value::Array(items) => items.iter().for_each(|child| select_references(child, found)),
        _ => {}
    }
}

/// What the hand-written client crate defines where the generated code goes: the items of its root
/// (`src/lib.rs`, which includes the generated file) and the methods of `Client`.
fn client_crate() -> Inventory {
    let lib = syn::parse_file(&std::fs::read_to_string("../src/lib.rs").unwrap()).unwrap();
    let mut inventory = Inventory::of_file(&lib);
    let client = syn::parse_file(&std::fs::read_to_string("../src/client.rs").unwrap()).unwrap();
    for item in &client.items {
        let syn::Item::Impl(block) = item else { continue };
        if block.trait_.is_some() || quote::ToTokens::to_token_stream(&block.self_ty).to_string() != "Client" {
            continue;
        }
        for member in &block.items {
            if let syn::ImplItem::Fn(method) = member {
                inventory.add_client_method(&method.sig.ident.to_string());
            }
        }
    }
    inventory
}

/// Generates what an accepted mutant changed, and checks that it parses and clashes with nothing.
fn verify(base: &Base, api: &ir::Api, client: &Inventory) -> Result<(), String> {
    let mut inventory = client.clone();
    let mut selects = Vec::new();
    for select in &api.selects {
        match base.selects.iter().find(|(original, _)| original == select) {
            Some((_, kept)) => inventory.extend(kept),
            None => selects.push(select.clone()),
        }
    }
    let mut modules = Vec::new();
    for module in &api.modules {
        let mut changed = Vec::new();
        for function in &module.functions {
            let kept = base.functions.iter().find(|(name, original, _)| *name == module.name && original == function);
            match kept {
                Some((_, _, kept)) => inventory.extend(kept),
                None => changed.push(function.clone()),
            }
        }
        // The module itself is always generated (its documentation may have changed); it is small.
        modules.push(ir::Module { functions: changed, ..module.clone() });
    }
    // The models, value sets, topics and triggers the mutant changed are generated (the models module holds
    // only those); the base's stand in for the others, whose names the checker keeps apart.
    let changed = ir::Api {
        selects,
        modules,
        models: api.models.iter().filter(|model| !base.api.models.contains(model)).cloned().collect(),
        value_sets: api.value_sets.iter().filter(|set| !base.api.value_sets.contains(set)).cloned().collect(),
        topics: if api.topics == base.api.topics { Vec::new() } else { api.topics.clone() },
        triggers: api.triggers.iter().filter(|trigger| !base.api.triggers.contains(trigger)).cloned().collect(),
    };
    let source = intercom_codegen::render(&changed, Path::new("fuzz")).map_err(|report| report.to_string())?;
    let file = syn::parse_file(&source).map_err(|error| format!("the output does not parse: {error}"))?;
    inventory.extend(&Inventory::of_file(&file));
    let clashes = inventory.clashes();
    if clashes.is_empty() { Ok(()) } else { Err(format!("the generated code clashes: {clashes:#?}")) }
}

/// A diagnostic is one line, without control characters, whatever the manifest holds.
fn one_line(diagnostic: &Diagnostic) -> Result<(), String> {
    let text = diagnostic.to_string();
    if text.contains(|c: char| c.is_control() || ('\u{202A}'..='\u{202E}').contains(&c)) {
        Err(format!("a diagnostic holds a control character: {text:?}"))
    } else {
        Ok(())
    }
}

/// Whether the mutant was accepted, or what went wrong.
fn outcome(base: &Base, client: &Inventory, files: &[(PathBuf, Value)]) -> Result<bool, String> {
    let mut loaded = Vec::new();
    for (path, value) in files {
        let unchanged = base.files.iter().position(|(kept, original)| kept == path && original == value);
        if let Some(index) = unchanged {
            loaded.push(base.loaded[index].clone());
            continue;
        }
        let text = serde_json::to_string_pretty(value).unwrap();
        match load::parse_file(path, &text) {
            Ok(file) => loaded.push(file),
            Err(diagnostic) => return one_line(&diagnostic).map(|()| false),
        }
    }
    match check::check(&loaded) {
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "the checker refused without saying why");
            diagnostics.iter().try_for_each(one_line).map(|()| false)
        }
        Ok(api) => {
            // The Markdown reference is made from the same IR: it must not panic either.
            let _ = intercom_codegen::reference::render(&api);
            verify(base, &api, client).map(|()| true)
        }
    }
}

/// One mutation of the files of a base, sometimes two or three (most mutants with several are refused),
/// and now and then a change of the file set itself: a file copied under another name, or left out.
fn mutant(rng: &mut Rng, base: &Base) -> (Vec<(PathBuf, Value)>, Vec<String>) {
    let mut files = base.files.clone();
    let mut log = Vec::new();
    let mutations = match rng.u8(..20) {
        0..=14 => 1,
        15..=18 => 2,
        _ => 3,
    };
    for _ in 0..mutations {
        let index = rng.usize(..files.len());
        match rng.u8(..40) {
            0 => {
                let (path, value) = files[index].clone();
                let copy = path.with_file_name(format!("copy_{}", path.file_name().unwrap().to_string_lossy()));
                log.push(format!("{} copied to {}", path.display(), copy.display()));
                files.push((copy, value));
            }
            1 if files.len() > 1 => log.push(format!("{} removed", files.remove(index).0.display())),
            _ => {
                let done = mutate::mutate(rng, &mut files[index].1);
                log.push(format!("{}: {done}", files[index].0.display()));
            }
        }
    }
    (files, log)
}

/// Runs `count` mutants of `bases` (or `$CODEGEN_FUZZ_MUTANTS`, from `$CODEGEN_FUZZ_SEED`, for a longer
/// search by hand); fails with the problems found.
fn run(seed: u64, bases: &[Base], count: usize) {
    let number = |name: &str| std::env::var(name).ok().and_then(|value| value.parse::<u64>().ok());
    let seed = number("CODEGEN_FUZZ_SEED").map_or(seed, |chosen| chosen ^ seed);
    let count = number("CODEGEN_FUZZ_MUTANTS").map_or(count, |chosen| chosen as usize);
    let client = client_crate();
    let mut rng = Rng::with_seed(seed);
    let (mut accepted, mut failures) = (0, Vec::new());
    for number in 0..count {
        let base = &bases[rng.usize(..bases.len())];
        let (files, log) = mutant(&mut rng, base);
        match catch_unwind(AssertUnwindSafe(|| outcome(base, &client, &files))) {
            Ok(Ok(true)) => accepted += 1,
            Ok(Ok(false)) => {}
            Ok(Err(problem)) => failures.push(format!("mutant {number} {log:#?}:\n{problem}")),
            Err(_) => failures.push(format!("mutant {number} {log:#?}: panicked")),
        }
    }
    eprintln!("{count} mutants, {accepted} accepted by the checker, {} failures", failures.len());
    let shown: Vec<&String> = failures.iter().take(10).collect();
    assert!(failures.is_empty(), "{} of {count} mutants broke the generator, e.g.:\n{shown:#?}", failures.len());
    assert!(accepted * 10 > count, "only {accepted} of {count} mutants were accepted: the emitter is barely exercised");
}

#[test]
fn mutants_of_the_good_fixture_never_break_the_build() {
    run(0x600d_f1c5, &[good_base()], 2000);
}

#[test]
fn mutants_of_the_shipped_manifest_never_break_the_build() {
    run(0x5bec_f11e, &spec_bases(), 2000);
}

fn first_function(api: &mut ir::Api) -> &mut ir::Function {
    &mut api.modules[0].functions[0]
}

/// The clash checks themselves: code that rustc would refuse, made by changing a checked API behind the
/// checker's back, is caught.
#[test]
fn the_clash_checks_catch_what_rustc_would_refuse() {
    let base = good_base();
    let client = client_crate();
    let clash = |change: &dyn Fn(&mut ir::Api)| {
        let mut api = base.api.clone();
        change(&mut api);
        verify(&base, &api, &client).expect_err("the clash went unnoticed")
    };
    assert!(clash(&|api| first_function(api).builder_name = "String".to_owned()).contains("defines `String`"));
    assert!(clash(&|api| first_function(api).method_name = "execute".to_owned()).contains("`execute`"));
    assert!(
        clash(&|api| {
            let second = api.modules[0].functions[1].builder_name.clone();
            first_function(api).builder_name = second;
        })
        .contains("2 items named")
    );
    assert!(clash(&|api| api.selects[0].options[0].variant = "ALL".to_owned()).contains("also an associated item"));
    assert!(clash(&|api| api.selects[0].name = "Option".to_owned()).contains("`selects::Option` is imported"));
    assert!(clash(&|api| api.modules[0].name = "stream".to_owned()).contains("items named `stream`"));
    assert!(clash(&|api| first_function(api).description = "bare\rCR".to_owned()).contains("does not parse"));
}
