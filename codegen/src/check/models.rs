//! Checking and lowering the models (the objects Intercom answers with) and their value sets, and resolving
//! what each function returns.
//!
//! Models are collected from every file before any function is checked, since a function of one file may
//! return a model declared in another (models usually live in `spec/models/`).

use std::collections::{BTreeMap, BTreeSet};

use super::names;
use super::{Context, Site};
use crate::ir::{self, MemberType};
use crate::load::LoadedFile;
use crate::manifest;

/// The member types that are not models or value sets, as the manifest names them.
const PRIMITIVES: &[(&str, MemberType)] = &[
    ("String", MemberType::String),
    ("Id", MemberType::Id),
    ("Integer", MemberType::Integer),
    ("Number", MemberType::Number),
    ("Boolean", MemberType::Boolean),
    ("Timestamp", MemberType::Timestamp),
    ("JSON", MemberType::Json),
    ("Object", MemberType::Object),
];

/// What `returns` says for an answer that carries nothing of use.
pub(crate) const RETURNS_NOTHING: &str = "nothing";

/// The field every model has for the members it does not declare; no member may take its name.
pub const OTHER_MEMBERS_FIELD: &str = "other";

/// The variant every value set has for a value it does not know; no value may take its name.
pub const OTHER_VALUE_VARIANT: &str = "Other";

/// Methods an input model has besides one per member: its constructor, and those of the traits it implements.
const INPUT_METHODS: &[&str] = &["new", "clone", "default", "fmt", "eq", "ne", "serialize", "deserialize"];

/// Names the generated `models` module already uses (it imports them).
const MODELS_MODULE_NAMES: &[&str] = &["Id", "Map", "Value", "Serialize", "Deserialize", "serde", "WebhookItem"];

impl Context {
    /// Checks every value set and model of every file, and keeps them for the functions to refer to.
    pub(super) fn check_models(&mut self, files: &[LoadedFile]) {
        let mut declared: BTreeMap<&str, &std::path::Path> = BTreeMap::new();
        let mut value_set_names = BTreeSet::new();
        for file in files {
            let site = Site::file(&file.path);
            let names = file.manifest.value_sets.iter().map(|set| (&set.name, true));
            let names = names.chain(file.manifest.models.iter().map(|model| (&model.name, false)));
            for (name, is_value_set) in names {
                if let Some(first) = declared.insert(name, &file.path) {
                    let message = format!("the model or value set `{name}` is also declared in {}", first.display());
                    self.report(site.function(name), message);
                } else if is_value_set {
                    value_set_names.insert(name.as_str());
                }
            }
        }
        for file in files {
            let site = Site::file(&file.path);
            for set in &file.manifest.value_sets {
                if let Some(value_set) = self.lower_value_set(site.function(&set.name), set) {
                    self.value_sets.insert(set.name.clone(), value_set);
                }
            }
            for model in &file.manifest.models {
                let lowered = self.lower_model(site.function(&model.name), model, &declared, &value_set_names);
                if let Some(lowered) = lowered {
                    self.models.insert(model.name.clone(), lowered);
                }
            }
        }
        self.report_model_cycles(files);
    }

    fn lower_value_set(&mut self, site: Site<'_>, set: &manifest::ValueSet) -> Option<ir::ValueSet> {
        let before = self.problems.len();
        // `lower_select` checks the name as an enum name; here only what models add.
        self.check_not_a_member_type(site, "value set", &set.name);
        self.check_code_text(site, "the description", &set.description);
        let select = self.lower_select(site, &set.name, &set.description, &set.values)?;
        if select.options.iter().any(|option| option.variant == OTHER_VALUE_VARIANT) {
            let message = format!(
                "a value becomes the variant `{OTHER_VALUE_VARIANT}`, which every value set has for values it does \
                 not know; give it a \"rust_name\""
            );
            self.report(site, message);
        }
        (self.problems.len() == before).then_some(ir::ValueSet {
            name: select.name,
            description: select.description,
            options: select.options,
        })
    }

    fn check_not_a_member_type(&mut self, site: Site<'_>, what: &str, name: &str) {
        if PRIMITIVES.iter().any(|(primitive, _)| *primitive == name) {
            self.report(site, format!("the {what} name `{name}` is taken by a member type"));
        } else if MODELS_MODULE_NAMES.contains(&name) {
            self.report(site, format!("the {what} name `{name}` is a name the generated `models` module imports"));
        }
    }

    fn lower_model(
        &mut self,
        site: Site<'_>,
        model: &manifest::Model,
        declared: &BTreeMap<&str, &std::path::Path>,
        value_sets: &BTreeSet<&str>,
    ) -> Option<ir::Model> {
        let before = self.problems.len();
        if let Some(problem) = names::type_name_problem(&model.name) {
            self.report(site, format!("the model name `{}` {problem}", model.name));
        }
        self.check_not_a_member_type(site, "model", &model.name);
        if model.description.trim().is_empty() {
            self.report(site, "the model has no description");
        }
        self.check_code_text(site, "the description", &model.description);
        if model.members.is_empty() {
            self.report(site, "a model needs at least one member");
        }
        let mut json_names = BTreeSet::new();
        let mut rust_names = BTreeMap::new();
        let mut members = Vec::new();
        for member in &model.members {
            let member_site = site.field(&member.name);
            if member.name.is_empty() {
                self.report(site, "a member has an empty name");
                continue;
            }
            if !json_names.insert(member.name.as_str()) {
                self.report(member_site, "the member is declared twice");
                continue;
            }
            self.check_code_text(member_site, "the member name", &member.name);
            self.check_code_text(member_site, "the description", &member.description);
            if member.description.trim().is_empty() {
                self.report(member_site, "the member has no description");
            }
            let rust_name = member.rust_name.clone().unwrap_or_else(|| names::snake_case(&member.name));
            let hint = if member.rust_name.is_some() { "" } else { "; give the member a \"rust_name\"" };
            if let Some(problem) = names::snake_identifier_problem(&rust_name) {
                self.report(member_site, format!("its Rust name `{rust_name}` {problem}{hint}"));
            } else if model.input && INPUT_METHODS.contains(&rust_name.as_str()) {
                let message = format!(
                    "its Rust name `{rust_name}` is a method every input model has (or a trait's it implements){hint}"
                );
                self.report(member_site, message);
            } else if rust_name == OTHER_MEMBERS_FIELD {
                let message = format!(
                    "its Rust name `{rust_name}` is the field that keeps the members a model does not declare{hint}"
                );
                self.report(member_site, message);
            } else if let Some(other) = rust_names.insert(rust_name.clone(), member.name.as_str()) {
                let message =
                    format!("the members `{other}` and `{}` both become the field `{rust_name}`", member.name);
                self.report(member_site, message);
            }
            let Some(ty) = self.member_type(member_site, &member.ty, declared, value_sets) else { continue };
            if member.required && matches!(ty, MemberType::ValueSet(_)) && !member.list {
                self.report(member_site, "a member holding a value set cannot be required: it is optional");
            }
            members.push(ir::Member {
                name: member.name.clone(),
                rust_name,
                ty,
                list: member.list,
                required: member.required,
                description: member.description.clone(),
            });
        }
        (self.problems.len() == before).then(|| ir::Model {
            name: model.name.clone(),
            description: model.description.clone(),
            members,
            input: model.input,
        })
    }

    fn member_type(
        &mut self,
        site: Site<'_>,
        name: &str,
        declared: &BTreeMap<&str, &std::path::Path>,
        value_sets: &BTreeSet<&str>,
    ) -> Option<MemberType> {
        if let Some((_, primitive)) = PRIMITIVES.iter().find(|(primitive, _)| *primitive == name) {
            return Some(primitive.clone());
        }
        if value_sets.contains(name) {
            return Some(MemberType::ValueSet(name.to_owned()));
        }
        if declared.contains_key(name) {
            return Some(MemberType::Model(name.to_owned()));
        }
        let candidates = PRIMITIVES.iter().map(|(primitive, _)| *primitive).chain(declared.keys().copied());
        let hint = names::closest(name, candidates).map(|c| format!(" (did you mean `{c}`?)")).unwrap_or_default();
        self.report(
            site,
            format!("the type `{name}` is neither a member type nor a declared model or value set{hint}"),
        );
        None
    }

    /// A model that holds itself through members that are not lists would have no end.
    fn report_model_cycles(&mut self, files: &[LoadedFile]) {
        let edges: BTreeMap<&str, Vec<&str>> = self
            .models
            .values()
            .map(|model| {
                let inner = model.members.iter().filter(|member| !member.list).filter_map(|member| match &member.ty {
                    MemberType::Model(inner) => Some(inner.as_str()),
                    _ => None,
                });
                (model.name.as_str(), inner.collect())
            })
            .collect();
        let mut cyclic = Vec::new();
        for start in edges.keys() {
            let mut seen = BTreeSet::new();
            let mut stack: Vec<&str> = edges.get(start).cloned().unwrap_or_default();
            while let Some(next) = stack.pop() {
                if next == *start {
                    cyclic.push((*start).to_owned());
                    break;
                }
                if seen.insert(next) {
                    stack.extend(edges.get(next).into_iter().flatten());
                }
            }
        }
        for name in cyclic {
            let file = files.iter().find(|file| file.manifest.models.iter().any(|model| model.name == name));
            let Some(file) = file else { continue };
            let message =
                "the model holds itself through members that are not lists, which has no end: make one a list";
            self.report(Site::file(&file.path).function(&name), message);
        }
    }

    /// The model of the items of a `List` of `JSON` argument: an input model.
    pub(super) fn lower_item_model(
        &mut self,
        site: Site<'_>,
        field: &manifest::Field,
        kind: &ir::Kind,
    ) -> Option<String> {
        let name = field.model.as_ref()?;
        if *kind != ir::Kind::ListOfObjects {
            self.report(site, "\"model\" only applies to a List of JSON");
            return None;
        }
        match self.models.get(name) {
            Some(model) if model.input => Some(name.clone()),
            Some(_) => {
                self.report(
                    site,
                    format!("its items are `{name}`, which is not an input model: mark it \"input\": true"),
                );
                None
            }
            None => {
                let hint = names::closest(name, self.models.keys().map(String::as_str))
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                self.report(site, format!("its items are `{name}`, which is not a declared model{hint}"));
                None
            }
        }
    }

    /// What a function answers with: its `returns`, resolved, and for a list function the model of its items.
    pub(super) fn lower_returns(
        &mut self,
        site: Site<'_>,
        returns: Option<&str>,
        paging: Option<&manifest::Paging>,
    ) -> ir::Returns {
        let Some(name) = returns else { return ir::Returns::Json };
        if name == RETURNS_NOTHING {
            if paging.is_some() {
                self.report(site, "a list function cannot return `nothing`: it returns the model of its pages");
            }
            return ir::Returns::Nothing;
        }
        let Some(model) = self.models.get(name) else {
            let hint = names::closest(name, self.models.keys().map(String::as_str))
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            let message = format!("it returns `{name}`, which is not a declared model (or `{RETURNS_NOTHING}`){hint}");
            self.report(site, message);
            return ir::Returns::Json;
        };
        let member = paging.map(|paging| model.members.iter().find(|member| member.name == paging.items).cloned());
        let item = paging.zip(member).map(|(paging, member)| match member {
            Some(ir::Member { list: true, ty: MemberType::Model(item), .. }) => Some(item),
            Some(_) => {
                let message = format!(
                    "its pages are `{name}`, whose member `{}` is not a list of a model, so streams have no item",
                    paging.items
                );
                self.report(site, message);
                None
            }
            None => {
                let message =
                    format!("its pages are `{name}`, which has no member `{}` (its \"paging.items\")", paging.items);
                self.report(site, message);
                None
            }
        });
        ir::Returns::Model { name: name.to_owned(), item: item.flatten() }
    }
}
