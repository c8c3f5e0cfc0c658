//! The names the checker keeps free for the hand-written client are the ones it uses: a generated method
//! or module of the same name would not compile, and the lists in `check::names` are kept by hand.

use intercom_codegen::check::names::{CLIENT_METHODS, CRATE_ROOT_NAMES};

fn parse(path: &str) -> syn::File {
    let text = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{path}: {error}"));
    syn::parse_file(&text).unwrap_or_else(|error| panic!("{path}: {error}"))
}

#[test]
fn every_method_of_the_client_is_kept_free() {
    let mut missing = Vec::new();
    for item in parse("../src/client.rs").items {
        let syn::Item::Impl(block) = item else { continue };
        let self_type = quote::ToTokens::to_token_stream(&block.self_ty).to_string();
        if block.trait_.is_some() || self_type != "Client" {
            continue;
        }
        for member in block.items {
            if let syn::ImplItem::Fn(method) = member {
                let name = method.sig.ident.to_string();
                if !CLIENT_METHODS.contains(&name.as_str()) {
                    missing.push(name);
                }
            }
        }
    }
    assert!(missing.is_empty(), "add these methods of `Client` to check::names::CLIENT_METHODS: {missing:?}");
}

#[test]
fn every_module_and_crate_the_crate_root_names_is_kept_free() {
    let mut root_names = Vec::new();
    for item in parse("../src/lib.rs").items {
        match item {
            syn::Item::Mod(module) => root_names.push(module.ident.to_string()),
            syn::Item::Use(import) => use_names(&import.tree, true, &mut root_names),
            _ => {}
        }
    }
    let missing: Vec<&String> = root_names
        .iter()
        .filter(|name| name.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter(|name| !["crate", "self", "super"].contains(&name.as_str()))
        .filter(|name| !CRATE_ROOT_NAMES.contains(&name.as_str()))
        .collect();
    assert!(missing.is_empty(), "add these names of the crate root to check::names::CRATE_ROOT_NAMES: {missing:?}");
}

/// The names a `use` brings into scope, and the crate or module it starts from: a generated module of
/// either name would clash with it or make it ambiguous.
fn use_names(tree: &syn::UseTree, first: bool, names: &mut Vec<String>) {
    match tree {
        syn::UseTree::Path(path) => {
            if first {
                names.push(path.ident.to_string());
            }
            use_names(&path.tree, false, names);
        }
        syn::UseTree::Name(name) => names.push(name.ident.to_string()),
        syn::UseTree::Rename(rename) => {
            if first {
                names.push(rename.ident.to_string());
            }
            names.push(rename.rename.to_string());
        }
        syn::UseTree::Group(group) => group.items.iter().for_each(|tree| use_names(tree, first, names)),
        syn::UseTree::Glob(_) => {}
    }
}
