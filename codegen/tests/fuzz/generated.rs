//! What generated code defines, read from its syntax tree, and the clashes rustc would refuse: two items of
//! one name in a module, two methods of one name on a type, repeated struct fields or enum variants, a
//! variant named like an associated item of its enum, an item hiding a prelude name its module uses.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;

/// Types and traits of Rust's prelude: a type of the same name in a module that names one of them without
/// a path would stand for it.
const PRELUDE_TYPES: &[&str] = &[
    "String",
    "Into",
    "IntoIterator",
    "Option",
    "Result",
    "Vec",
    "Box",
    "ToString",
    "From",
    "Iterator",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "ToOwned",
    "AsRef",
    "AsMut",
    "Extend",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
];

/// The namespace a name lives in: types and modules, or values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Namespace {
    Type,
    Value,
}

/// The names some generated code defines and uses, by module (`""` is the crate root, `"crate"` collects
/// the members of `impl crate::...` blocks, which may be spread over modules).
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    items: Vec<(String, Namespace, String)>,
    /// (module, self type, trait, member).
    members: Vec<(String, String, Option<String>, String)>,
    /// (module, enum, variant).
    variants: Vec<(String, String, String)>,
    /// (module, name) of prelude types named without a path.
    prelude_uses: BTreeSet<(String, String)>,
    /// Modules whose types a glob import (`pub use selects::*;`) brings into the crate root.
    root_globs: BTreeSet<String>,
    /// Clashes inside one item.
    problems: Vec<String>,
}

impl Inventory {
    /// The inventory of a whole generated file.
    pub fn of_file(file: &syn::File) -> Self {
        let mut inventory = Inventory::default();
        inventory.add_items("", &file.items);
        inventory
    }

    /// The inventory of items that sit in `module` (the items of one function, or of one enum).
    pub fn of_items(module: &str, items: &[syn::Item]) -> Self {
        let mut inventory = Inventory::default();
        inventory.add_items(module, items);
        inventory
    }

    pub fn extend(&mut self, other: &Inventory) {
        self.items.extend(other.items.iter().cloned());
        self.members.extend(other.members.iter().cloned());
        self.variants.extend(other.variants.iter().cloned());
        self.prelude_uses.extend(other.prelude_uses.iter().cloned());
        self.root_globs.extend(other.root_globs.iter().cloned());
        self.problems.extend(other.problems.iter().cloned());
    }

    /// A method the hand-written client already has.
    pub fn add_client_method(&mut self, name: &str) {
        self.members.push(("crate".to_owned(), "crate::Client".to_owned(), None, name.to_owned()));
    }

    fn add_items(&mut self, module: &str, items: &[syn::Item]) {
        for item in items {
            self.add_item(module, item);
        }
    }

    fn add_item(&mut self, module: &str, item: &syn::Item) {
        let mut item_name =
            |namespace, ident: &syn::Ident| self.items.push((module.to_owned(), namespace, ident.to_string()));
        match item {
            syn::Item::Mod(inner) => {
                item_name(Namespace::Type, &inner.ident);
                let path =
                    if module.is_empty() { inner.ident.to_string() } else { format!("{module}::{}", inner.ident) };
                if let Some((_, items)) = &inner.content {
                    self.add_items(&path, items);
                }
            }
            syn::Item::Struct(inner) => {
                item_name(Namespace::Type, &inner.ident);
                if !matches!(inner.fields, syn::Fields::Named(_)) {
                    item_name(Namespace::Value, &inner.ident);
                }
                let names: Vec<String> =
                    inner.fields.iter().filter_map(|f| f.ident.as_ref()).map(|i| i.to_string()).collect();
                self.repeated(&names, &format!("field of struct {module}::{}", inner.ident));
            }
            syn::Item::Enum(inner) => {
                item_name(Namespace::Type, &inner.ident);
                for variant in &inner.variants {
                    self.variants.push((module.to_owned(), inner.ident.to_string(), variant.ident.to_string()));
                }
            }
            syn::Item::Static(inner) => item_name(Namespace::Value, &inner.ident),
            syn::Item::Const(inner) => item_name(Namespace::Value, &inner.ident),
            syn::Item::Fn(inner) => item_name(Namespace::Value, &inner.sig.ident),
            syn::Item::Trait(inner) => item_name(Namespace::Type, &inner.ident),
            syn::Item::Type(inner) => item_name(Namespace::Type, &inner.ident),
            syn::Item::Use(inner) => {
                if module.is_empty() {
                    if let Some(glob) = root_glob(&inner.tree) {
                        self.root_globs.insert(glob);
                    }
                }
                let mut names = Vec::new();
                use_names(&inner.tree, &mut names);
                for name in names {
                    self.items.push((module.to_owned(), Namespace::Type, name));
                }
            }
            syn::Item::Impl(inner) => self.add_impl(module, inner),
            _ => {}
        }
        if !matches!(item, syn::Item::Mod(_)) {
            self.note_prelude_uses(module, item.to_token_stream());
        }
    }

    fn add_impl(&mut self, module: &str, inner: &syn::ItemImpl) {
        let self_type = path_text(&inner.self_ty.to_token_stream());
        // `impl crate::Client` blocks of every module add to one type.
        let owner = if self_type.starts_with("crate::") { "crate".to_owned() } else { module.to_owned() };
        let trait_name = inner.trait_.as_ref().map(|(path, _)| path_text(&path.to_token_stream()));
        for member in &inner.items {
            let name = match member {
                syn::ImplItem::Fn(function) => {
                    let parameters: Vec<String> = function
                        .sig
                        .inputs
                        .iter()
                        .filter_map(|input| match input {
                            syn::FnArg::Typed(typed) => Some(path_text(&typed.pat.to_token_stream())),
                            syn::FnArg::Receiver(_) => None,
                        })
                        .collect();
                    self.repeated(&parameters, &format!("parameter of {self_type}::{}", function.sig.ident));
                    function.sig.ident.to_string()
                }
                syn::ImplItem::Const(constant) => constant.ident.to_string(),
                syn::ImplItem::Type(alias) => alias.ident.to_string(),
                _ => continue,
            };
            self.members.push((owner.clone(), self_type.clone(), trait_name.clone(), name));
        }
    }

    fn repeated(&mut self, names: &[String], what: &str) {
        let mut seen = BTreeSet::new();
        for name in names {
            if !seen.insert(name) {
                self.problems.push(format!("the {what} `{name}` is repeated"));
            }
        }
    }

    /// Prelude types named without a path, in a type position (not `Ok(...)`, not after `::`, `.` or `type`).
    fn note_prelude_uses(&mut self, module: &str, tokens: TokenStream) {
        let mut previous: Option<TokenTree> = None;
        let mut iter = tokens.into_iter().peekable();
        while let Some(token) = iter.next() {
            // Attributes name derive macros (`Clone`), which live apart from types.
            if matches!(&token, TokenTree::Punct(punct) if punct.as_char() == '#')
                && group(iter.peek(), Delimiter::Bracket)
            {
                iter.next();
                previous = None;
                continue;
            }
            match &token {
                TokenTree::Group(group) => self.note_prelude_uses(module, group.stream()),
                TokenTree::Ident(ident) => {
                    let name = ident.to_string();
                    let qualified = match &previous {
                        Some(TokenTree::Punct(punct)) => matches!(punct.as_char(), ':' | '.'),
                        Some(TokenTree::Ident(before)) => before == "type",
                        _ => false,
                    };
                    let called = group(iter.peek(), Delimiter::Parenthesis);
                    if PRELUDE_TYPES.contains(&name.as_str()) && !qualified && !called {
                        self.prelude_uses.insert((module.to_owned(), name));
                    }
                }
                _ => {}
            }
            previous = Some(token);
        }
    }

    /// Every clash in the code inventoried.
    pub fn clashes(&self) -> Vec<String> {
        let mut found = self.problems.clone();
        let mut items: BTreeMap<(&str, Namespace, &str), usize> = BTreeMap::new();
        for (module, namespace, name) in &self.items {
            *items.entry((module, *namespace, name)).or_default() += 1;
        }
        for ((module, namespace, name), count) in &items {
            if *count > 1 {
                found.push(format!("{count} items named `{name}` ({namespace:?}) in the module `{module}`"));
            }
        }
        let mut members: BTreeMap<(&str, &str, Option<&str>, &str), usize> = BTreeMap::new();
        for (module, self_type, trait_name, name) in &self.members {
            *members.entry((module, self_type, trait_name.as_deref(), name)).or_default() += 1;
        }
        for ((module, self_type, trait_name, name), count) in &members {
            if *count > 1 {
                let of = trait_name.map(|t| format!(" (impl {t})")).unwrap_or_default();
                found.push(format!("{count} members named `{name}` of `{self_type}`{of} in the module `{module}`"));
            }
        }
        let mut variants: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
        for (module, enumeration, variant) in &self.variants {
            *variants.entry((module, enumeration, variant)).or_default() += 1;
            // `Self::ALL` is ambiguous when `ALL` is both a variant and an associated item of the enum.
            let associated = self
                .members
                .iter()
                .any(|(owner, self_type, _, name)| owner == module && self_type == enumeration && name == variant);
            if associated {
                found.push(format!("the variant `{enumeration}::{variant}` is also an associated item"));
            }
        }
        for ((module, enumeration, variant), count) in &variants {
            if *count > 1 {
                found.push(format!("{count} variants `{enumeration}::{variant}` in the module `{module}`"));
            }
        }
        for (module, name) in &self.prelude_uses {
            if items.contains_key(&(module.as_str(), Namespace::Type, name.as_str())) {
                found.push(format!("the module `{module}` defines `{name}`, which it also uses for the prelude's"));
            }
            // A glob import hides the prelude too (though not the module's own items).
            for glob in self.root_globs.iter().filter(|_| module.is_empty()) {
                if items.contains_key(&(glob.as_str(), Namespace::Type, name.as_str())) {
                    found.push(format!("`{glob}::{name}` is imported into the crate root, which uses the prelude's"));
                }
            }
        }
        found
    }
}

/// Whether `token` is a group in these delimiters.
fn group(token: Option<&TokenTree>, delimiter: Delimiter) -> bool {
    matches!(token, Some(TokenTree::Group(group)) if group.delimiter() == delimiter)
}

/// The module of a root glob import `use module::*;`.
fn root_glob(tree: &syn::UseTree) -> Option<String> {
    match tree {
        syn::UseTree::Path(path) if matches!(*path.tree, syn::UseTree::Glob(_)) => Some(path.ident.to_string()),
        _ => None,
    }
}

fn use_names(tree: &syn::UseTree, names: &mut Vec<String>) {
    match tree {
        syn::UseTree::Path(path) => use_names(&path.tree, names),
        syn::UseTree::Name(name) => names.push(name.ident.to_string()),
        syn::UseTree::Rename(rename) => names.push(rename.rename.to_string()),
        syn::UseTree::Group(group) => group.items.iter().for_each(|tree| use_names(tree, names)),
        syn::UseTree::Glob(_) => {}
    }
}

/// A path as text without generics or spaces, e.g. `crate::Client` or `GetWidget`.
fn path_text(tokens: &TokenStream) -> String {
    let mut text = String::new();
    for token in tokens.clone() {
        match token {
            TokenTree::Punct(punct) if punct.as_char() == '<' => break,
            TokenTree::Punct(punct) if punct.as_char() == '&' => {}
            other => text.push_str(&other.to_string()),
        }
    }
    text
}
