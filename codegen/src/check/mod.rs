//! The checker: turns parsed manifest files into the [`ir::Api`], or reports every problem at once.
//!
//! Checking and lowering are one pass: each step that resolves a name or a placement also reports what is
//! wrong with it, so no rule is written twice and the IR can only be built from a manifest that passed.
//! Nothing here panics, whatever the input: every lookup is checked and reported.

pub mod events;
mod field;
mod function;
pub mod models;
pub mod names;
mod text;
mod wire;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::ir;
use crate::load::LoadedFile;
use crate::manifest;

/// Checks the manifest files and lowers them into the intermediate form.
///
/// Files are taken in the order given (the loader sorts them by name). On failure, every problem found is
/// returned, in file, function and field order.
pub fn check(files: &[LoadedFile]) -> Result<ir::Api, Vec<Diagnostic>> {
    let mut cx = Context::default();
    cx.collect_shared_selects(files);
    cx.check_models(files);

    let mut modules = Vec::new();
    for file in files {
        if let Some(module) = cx.check_module(file) {
            modules.push(module);
        }
    }
    cx.report_unused_selects();
    cx.report_cross_function_collisions(&modules);
    let topics = cx.check_topics(files);
    let triggers = cx.check_triggers(files, &modules);

    if cx.problems.is_empty() {
        let mut selects: Vec<ir::Select> = cx.shared.into_values().map(|shared| shared.select).collect();
        selects.extend(cx.inline_selects);
        let models = cx.models.into_values().collect();
        let value_sets = cx.value_sets.into_values().collect();
        Ok(ir::Api { selects, modules, models, value_sets, topics, triggers })
    } else {
        Err(cx.problems)
    }
}

/// Where a problem is: the file, and the function and field when there are.
#[derive(Clone, Copy)]
pub(crate) struct Site<'a> {
    file: &'a Path,
    function: Option<&'a str>,
    field: Option<&'a str>,
}

impl<'a> Site<'a> {
    fn file(file: &'a Path) -> Self {
        Site { file, function: None, field: None }
    }

    fn function(self, name: &'a str) -> Self {
        Site { function: Some(name), field: None, ..self }
    }

    fn field(self, name: &'a str) -> Self {
        Site { field: Some(name), ..self }
    }
}

/// A shared `Select` set and where it was declared.
struct SharedSelect {
    select: ir::Select,
    file: std::path::PathBuf,
}

/// What the checker has learned so far, and the problems it found.
#[derive(Default)]
pub(crate) struct Context {
    problems: Vec<Diagnostic>,
    /// Shared option sets by name (sorted, so the generated enums come out in a stable order).
    shared: BTreeMap<String, SharedSelect>,
    /// Names of shared sets some field uses.
    used_selects: BTreeSet<String>,
    /// Names of shared sets declared with problems (already reported): fields using them say nothing more.
    broken_selects: BTreeSet<String>,
    /// Enums of fields that declare their options inline, in function order.
    inline_selects: Vec<ir::Select>,
    /// The models that passed their checks, by name.
    models: BTreeMap<String, ir::Model>,
    /// The value sets that passed their checks, by name.
    value_sets: BTreeMap<String, ir::ValueSet>,
}

impl Context {
    pub(crate) fn report(&mut self, site: Site<'_>, message: impl Into<String>) {
        self.problems.push(Diagnostic {
            file: site.file.to_path_buf(),
            function: site.function.map(str::to_owned),
            field: site.field.map(str::to_owned),
            message: message.into(),
        });
    }

    fn collect_shared_selects(&mut self, files: &[LoadedFile]) {
        for file in files {
            let site = Site::file(&file.path);
            for set in &file.manifest.selects {
                let site = site.field(&set.name);
                // An inline set's description is its field's, checked with the field.
                let described = self.check_code_text(site, "the description", &set.description);
                let lowered = self.lower_select(site, &set.name, &set.description, &set.options);
                let Some(select) = lowered.filter(|_| described) else {
                    self.broken_selects.insert(set.name.clone());
                    continue;
                };
                if let Some(first) = self.shared.get(&set.name) {
                    let message = format!("the Select set `{}` is also declared in {}", set.name, first.file.display());
                    self.report(site, message);
                    continue;
                }
                self.shared.insert(set.name.clone(), SharedSelect { select, file: file.path.clone() });
            }
        }
    }

    /// Checks an option set and lowers it to an enum named `name`.
    fn lower_select(
        &mut self,
        site: Site<'_>,
        name: &str,
        description: &str,
        options: &[manifest::SelectOption],
    ) -> Option<ir::Select> {
        let mut ok = true;
        if let Some(problem) = names::type_name_problem(name) {
            self.report(site, format!("the enum name `{name}` {problem}"));
            ok = false;
        }
        if description.trim().is_empty() {
            self.report(site, "the Select set has no description");
            ok = false;
        }
        if options.is_empty() {
            self.report(site, "a Select needs at least one option");
            ok = false;
        }
        let mut values = BTreeSet::new();
        let mut variants = BTreeMap::new();
        let mut lowered = Vec::new();
        for option in options {
            if option.value.is_empty() {
                self.report(site, "a Select option has an empty value");
                ok = false;
                continue;
            }
            let shown_value = crate::chars::shown(&option.value);
            ok &= self.check_code_text(site, &format!("the option value `{shown_value}`"), &option.value);
            if let Some(description) = &option.description {
                let what = format!("the description of the option `{shown_value}`");
                ok &= self.check_code_text(site, &what, description);
            }
            if !values.insert(option.value.as_str()) {
                self.report(site, format!("the option `{}` is listed twice", option.value));
                ok = false;
            }
            let variant = option.rust_name.clone().unwrap_or_else(|| names::pascal_case(&option.value));
            if let Some(problem) = names::pascal_identifier_problem(&variant) {
                let hint = if option.rust_name.is_some() { "" } else { "; give the option a \"rust_name\"" };
                self.report(
                    site,
                    format!("the option `{}` has the variant name `{variant}`, which {problem}{hint}", option.value),
                );
                ok = false;
            } else if names::ENUM_ITEMS.contains(&variant.as_str()) {
                let hint = if option.rust_name.is_some() { "" } else { "; give the option a \"rust_name\"" };
                self.report(
                    site,
                    format!(
                        "the option `{}` has the variant name `{variant}`, which every Select enum has as an \
                         associated item{hint}",
                        option.value
                    ),
                );
                ok = false;
            } else if let Some(other) = variants.insert(variant.clone(), option.value.as_str()) {
                let message =
                    format!("the options `{other}` and `{}` both become the variant `{variant}`", option.value);
                self.report(site, message);
                ok = false;
            }
            lowered.push(ir::SelectOption {
                value: option.value.clone(),
                variant,
                description: option.description.clone().filter(|text| !text.trim().is_empty()),
            });
        }
        ok.then(|| ir::Select { name: name.to_owned(), description: description.to_owned(), options: lowered })
    }

    fn check_module(&mut self, file: &LoadedFile) -> Option<ir::Module> {
        let site = Site::file(&file.path);
        let spec = &file.manifest;
        if spec.functions.is_empty() {
            if spec.module.is_some() {
                self.report(site, "the file names a module but declares no functions");
            }
            return None;
        }
        let Some(name) = &spec.module else {
            self.report(site, "the file declares functions but no \"module\" to generate them into");
            return None;
        };
        if let Some(problem) = names::snake_identifier_problem(name) {
            self.report(site, format!("the module name `{name}` {problem}"));
        } else if names::CRATE_ROOT_NAMES.contains(&name.as_str()) {
            self.report(site, format!("the module name `{name}` is taken by the crate itself"));
        }
        let title = spec.title.clone().unwrap_or_default();
        let description = spec.description.clone().unwrap_or_default();
        if title.trim().is_empty() {
            self.report(site, "the file declares functions but has no \"title\"");
        }
        if description.trim().is_empty() {
            self.report(site, "the file declares functions but has no \"description\"");
        }
        self.check_code_text(site, "the title", &title);
        self.check_code_text(site, "the description", &description);
        // Functions that fail are left out, but the rest are kept so that collisions between them are still
        // found: the problems already reported make the whole check fail anyway.
        let functions = spec.functions.iter().filter_map(|f| self.check_function(site.function(&f.name), f)).collect();
        Some(ir::Module { name: name.clone(), title, description, file: file.path.clone(), functions })
    }

    /// The enum of a `Select` field: a shared set by name, or the field's own options.
    fn resolve_select(&mut self, site: Site<'_>, function: &str, field: &manifest::Field) -> Option<String> {
        match (&field.select, &field.options) {
            (Some(name), None) => {
                if self.shared.contains_key(name) {
                    self.used_selects.insert(name.clone());
                    Some(name.clone())
                } else if self.broken_selects.contains(name) {
                    None
                } else {
                    let known = self.shared.keys().map(String::as_str);
                    let hint =
                        names::closest(name, known).map(|c| format!(" (did you mean `{c}`?)")).unwrap_or_default();
                    self.report(site, format!("no Select set is named `{name}`{hint}"));
                    None
                }
            }
            (None, Some(options)) => {
                let name = format!("{}{}", names::pascal_case(function), names::pascal_case(&field.name));
                if self.shared.contains_key(&name) || self.inline_selects.iter().any(|s| s.name == name) {
                    self.report(site, format!("its inline options would make an enum `{name}`, a name already taken"));
                    return None;
                }
                let select = self.lower_select(site, &name, &field.description, options)?;
                self.inline_selects.push(select);
                Some(name)
            }
            (Some(_), Some(_)) => {
                self.report(site, "a Select takes either \"select\" (a shared set) or \"options\", not both");
                None
            }
            (None, None) => {
                self.report(site, "a Select without options: give \"select\" (a shared set) or \"options\"");
                None
            }
        }
    }

    /// The options of an enum the checker has accepted.
    fn options_of(&self, select: &str) -> Vec<String> {
        let options = self
            .shared
            .get(select)
            .map(|shared| &shared.select.options)
            .or_else(|| self.inline_selects.iter().find(|s| s.name == select).map(|s| &s.options));
        options.map(|options| options.iter().map(|o| o.value.clone()).collect()).unwrap_or_default()
    }

    fn report_unused_selects(&mut self) {
        let unused: Vec<(String, std::path::PathBuf)> = self
            .shared
            .iter()
            .filter(|(name, _)| !self.used_selects.contains(*name))
            .map(|(name, shared)| (name.clone(), shared.file.clone()))
            .collect();
        for (name, file) in unused {
            self.report(Site::file(&file).field(&name), "the Select set is declared but no field uses it");
        }
    }

    /// Two modules may not share a name, nor two functions a manifest name, a method name or a builder name,
    /// even across files.
    fn report_cross_function_collisions(&mut self, modules: &[ir::Module]) {
        let mut module_files: BTreeMap<&str, &Path> = BTreeMap::new();
        for module in modules {
            if let Some(first) = module_files.get(module.name.as_str()) {
                let message = format!("the module `{}` is also declared by {}", module.name, first.display());
                self.report(Site::file(&module.file), message);
            } else {
                module_files.insert(&module.name, &module.file);
            }
        }
        // A second function of the same name is one problem, not three: its Rust names are compared only
        // when its manifest name is new.
        let mut seen: BTreeMap<(&str, &str), (&str, &Path)> = BTreeMap::new();
        for module in modules {
            for function in &module.functions {
                let site = Site::file(&module.file).function(&function.name);
                if let Some((_, file)) = seen.get(&("function", function.name.as_str())) {
                    let message = format!("the function `{}` is also declared in {}", function.name, file.display());
                    self.report(site, message);
                    continue;
                }
                let rust_names = [
                    ("function", function.name.as_str()),
                    ("method name", function.method_name.as_str()),
                    ("builder type", function.builder_name.as_str()),
                ];
                for (what, name) in rust_names {
                    if let Some((other, file)) = seen.get(&(what, name)) {
                        let message = format!("the {what} `{name}` is also that of `{other}` in {}", file.display());
                        self.report(site, message);
                    } else {
                        seen.insert((what, name), (&function.name, &module.file));
                    }
                }
            }
        }
    }
}
