//! Checking and lowering what describes events: webhook topics (and the model of each topic's item) and
//! triggers (list functions polled for what is new). Both refer to models and functions, so they are checked
//! after every module.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::names;
use super::{Context, Site};
use crate::ir::{self, MemberType, Returns};
use crate::load::LoadedFile;
use crate::manifest;

/// The variant `WebhookItem` has for a topic this client does not know.
pub const UNKNOWN_TOPIC_VARIANT: &str = "Unknown";

impl Context {
    /// Every topic of every file, sorted by name.
    pub(super) fn check_topics(&mut self, files: &[LoadedFile]) -> Vec<ir::Topic> {
        let mut topics: BTreeMap<String, ir::Topic> = BTreeMap::new();
        let mut variants: BTreeMap<String, String> = BTreeMap::new();
        for file in files {
            for topic in &file.manifest.topics {
                let site = Site::file(&file.path).function(&topic.name);
                let before = self.problems.len();
                let shape_ok = !topic.name.is_empty()
                    && topic.name.bytes().all(|byte| byte.is_ascii_lowercase() || b"._".contains(&byte));
                if !shape_ok {
                    self.report(site, "a topic is lowercase words joined by `.` or `_`, like `user.created`");
                }
                self.check_code_text(site, "the description", &topic.description);
                if topic.description.trim().is_empty() {
                    self.report(site, "the topic has no description");
                }
                let variant =
                    topic.rust_name.clone().unwrap_or_else(|| names::pascal_case(&topic.name.replace('.', "_")));
                if let Some(problem) = names::pascal_identifier_problem(&variant) {
                    self.report(site, format!("its variant `{variant}` {problem}; give the topic a \"rust_name\""));
                } else if variant == UNKNOWN_TOPIC_VARIANT {
                    self.report(site, format!("`{variant}` is the variant for topics the client does not know"));
                } else if let Some(other) = variants.insert(variant.clone(), topic.name.clone()) {
                    self.report(site, format!("the topics `{other}` and `{}` both become `{variant}`", topic.name));
                }
                if !self.models.contains_key(&topic.item) {
                    let hint = names::closest(&topic.item, self.models.keys().map(String::as_str))
                        .map(|c| format!(" (did you mean `{c}`?)"))
                        .unwrap_or_default();
                    self.report(site, format!("its item is `{}`, which is not a declared model{hint}", topic.item));
                }
                if topics.contains_key(&topic.name) {
                    self.report(site, "the topic is declared twice");
                }
                if self.problems.len() == before {
                    let lowered = ir::Topic {
                        name: topic.name.clone(),
                        variant,
                        item: topic.item.clone(),
                        description: topic.description.clone(),
                    };
                    topics.insert(topic.name.clone(), lowered);
                }
            }
        }
        topics.into_values().collect()
    }

    /// Every trigger of every file, sorted by name; `modules` are the checked functions they poll.
    pub(super) fn check_triggers(&mut self, files: &[LoadedFile], modules: &[ir::Module]) -> Vec<ir::Trigger> {
        let functions: BTreeMap<&str, (&ir::Module, &ir::Function)> = modules
            .iter()
            .flat_map(|module| {
                module.functions.iter().map(move |function| (function.name.as_str(), (module, function)))
            })
            .collect();
        let taken: BTreeSet<&str> = functions.values().map(|(_, function)| function.method_name.as_str()).collect();
        let mut triggers: BTreeMap<String, ir::Trigger> = BTreeMap::new();
        let mut methods: BTreeMap<String, String> = BTreeMap::new();
        for file in files {
            for trigger in &file.manifest.triggers {
                let site = Site::file(&file.path).function(&trigger.name);
                let before = self.problems.len();
                let Some(lowered) = self.lower_trigger(site, trigger, &functions, &taken) else { continue };
                if triggers.contains_key(&trigger.name) {
                    self.report(site, "the trigger is declared twice");
                } else if let Some(other) = methods.insert(lowered.method_name.clone(), trigger.name.clone()) {
                    let message =
                        format!("the triggers `{other}` and `{}` both become `{}`", trigger.name, lowered.method_name);
                    self.report(site, message);
                } else if self.problems.len() == before {
                    triggers.insert(trigger.name.clone(), lowered);
                }
            }
        }
        triggers.into_values().collect()
    }

    fn lower_trigger(
        &mut self,
        site: Site<'_>,
        trigger: &manifest::Trigger,
        functions: &BTreeMap<&str, (&ir::Module, &ir::Function)>,
        taken: &BTreeSet<&str>,
    ) -> Option<ir::Trigger> {
        if !names::is_camel_case(&trigger.name) {
            self.report(site, "a trigger name must be camelCase, like `newUsers`");
        }
        self.check_code_text(site, "the description", &trigger.description);
        if trigger.description.trim().is_empty() {
            self.report(site, "the trigger has no description");
        }
        let method_name = trigger.rust_name.clone().unwrap_or_else(|| names::snake_case(&trigger.name));
        if let Some(problem) = names::snake_identifier_problem(&method_name) {
            self.report(site, format!("its Rust method name `{method_name}` {problem}"));
        } else if names::CLIENT_METHODS.contains(&method_name.as_str()) || taken.contains(method_name.as_str()) {
            self.report(
                site,
                format!("`{method_name}` is already a method of the client; give the trigger a \"rust_name\""),
            );
        }
        let Some((module, function)) = functions.get(trigger.function.as_str()) else {
            let hint = names::closest(&trigger.function, functions.keys().copied())
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            self.report(site, format!("it polls `{}`, which is not a function{hint}", trigger.function));
            return None;
        };
        let item = match (&function.paging, &function.returns) {
            (Some(ir::Paging::Pages { .. }), Returns::Model { item: Some(item), .. }) => item.clone(),
            _ => {
                let message = format!(
                    "it polls `{}`, which is not a list of models followed by `pages.next` (a trigger walks its pages \
                     newest first)",
                    function.name
                );
                self.report(site, message);
                return None;
            }
        };
        let arguments = self.check_trigger_arguments(site, trigger, function);
        let model = self.models.get(&item)?.clone();
        let member = |name: &str| model.members.iter().find(|member| member.name == name);
        let id = match member(&trigger.id) {
            Some(member) if !member.list && matches!(member.ty, MemberType::Id | MemberType::String) => member,
            _ => {
                self.report(
                    site,
                    format!("its items (`{item}`) have no text or Id member `{}` to tell them apart", trigger.id),
                );
                return None;
            }
        };
        let since = match member(&trigger.since) {
            Some(member) if !member.list && member.ty == MemberType::Timestamp => member,
            _ => {
                self.report(site, format!("its items (`{item}`) have no Timestamp member `{}`", trigger.since));
                return None;
            }
        };
        Some(ir::Trigger {
            name: trigger.name.clone(),
            static_name: names::shouty_snake_case(&method_name),
            method_name,
            description: trigger.description.clone(),
            function: function.name.clone(),
            module: module.name.clone(),
            function_static: function.static_name.clone(),
            function_method: function.method_name.clone(),
            arguments,
            item,
            id: (id.name.clone(), id.required),
            id_field: id.rust_name.clone(),
            since: (since.name.clone(), since.rust_name.clone(), since.required),
        })
    }

    /// The arguments a trigger sends: arguments of its function, with values a call by name would accept.
    fn check_trigger_arguments(
        &mut self,
        site: Site<'_>,
        trigger: &manifest::Trigger,
        function: &ir::Function,
    ) -> Vec<(String, Value)> {
        let mut arguments = Vec::new();
        for (name, value) in &trigger.arguments {
            let Some(field) = function.fields.iter().find(|field| field.name == *name) else {
                let hint = names::closest(name, function.fields.iter().map(|field| field.name.as_str()))
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                self.report(site, format!("`{name}` is not an argument of `{}`{hint}", function.name));
                continue;
            };
            if let ir::Kind::Select(select) = &field.kind {
                let options = self.options_of(select);
                if !value.as_str().is_some_and(|value| options.iter().any(|option| option == value)) {
                    let message = format!("the argument `{name}` is {value}, not one of: {}", options.join(", "));
                    self.report(site, message);
                    continue;
                }
            } else if !matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_)) {
                self.report(site, format!("the argument `{name}` is {value}: give text, a number or a boolean"));
                continue;
            }
            arguments.push((name.clone(), value.clone()));
        }
        arguments
    }
}
