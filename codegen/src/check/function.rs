//! Checking and lowering one function: its names, HTTP mapping, arguments and rules.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::field::{Siblings, kind_name};
use super::names;
use super::wire::{self, Destination, WireUse};
use super::{Context, Site};
use crate::ir::{self, Kind, Placement, RouteTarget};
use crate::manifest;

impl Context {
    pub(super) fn check_function(&mut self, site: Site<'_>, function: &manifest::Function) -> Option<ir::Function> {
        let before = self.problems.len();
        if !names::is_camel_case(&function.name) {
            self.report(site, "a function name must be camelCase, like `getSingleUser`");
        }
        let method_name = function.rust_name.clone().unwrap_or_else(|| names::snake_case(&function.name));
        if let Some(problem) = names::snake_identifier_problem(&method_name) {
            self.report(site, format!("its Rust method name `{method_name}` {problem}"));
        } else if names::CLIENT_METHODS.contains(&method_name.as_str()) {
            let message =
                format!("`{method_name}` is a method of the client itself; give the function a \"rust_name\"");
            self.report(site, message);
        } else if let Some(problem) = names::type_name_problem(&names::pascal_case(&method_name)) {
            let builder = names::pascal_case(&method_name);
            self.report(site, format!("its builder type `{builder}` {problem}; give the function a \"rust_name\""));
        }
        if function.description.trim().is_empty() {
            self.report(site, "the function has no description");
        }
        self.check_function_texts(site, function);

        // Arguments that fail are left out of the checks below (which would only repeat their problem), but
        // the others are still checked, so that every problem of the function is reported at once.
        let (fields, failed) = self.lower_fields(site, function);
        if let Some(placeholders) = self.ok_or_report_path(site, &function.http.path) {
            self.check_path_fields(site, &function.http.path, &placeholders, &fields, &failed);
        }
        let query = self.lower_constant_query(site, &function.http.query);
        let body = function.http.body.clone();
        self.check_collisions(site, &fields, &query, body.as_ref());
        self.check_body_allowed(site, function.http.method, &fields, body.is_some());
        let rules = self.lower_rules(site, &function.rules, &fields, &failed);
        let paging = function.paging.as_ref().and_then(|paging| self.lower_paging(site, function, paging, &fields));
        let returns = self.lower_returns(site, function.returns.as_deref(), function.paging.as_ref());
        let answers_a_list = fields.iter().any(|field| match &field.placement {
            Placement::Routed(route) => route.cases.iter().any(|case| case.answer_list.is_some()),
            _ => false,
        });
        if answers_a_list && !matches!(returns, ir::Returns::Model { .. }) {
            self.report(site, "a route has \"answer_list\", so the function must return a model (its items')");
        }
        if let Some(version) = &function.intercom_version {
            self.check_intercom_version(site, version);
        }

        if self.problems.len() > before {
            return None;
        }
        Some(ir::Function {
            name: function.name.clone(),
            builder_name: names::pascal_case(&method_name),
            static_name: names::shouty_snake_case(&method_name),
            method_name,
            description: function.description.clone(),
            notes: function.notes.clone().filter(|notes| !notes.trim().is_empty()),
            auth: function.auth,
            idempotent: function.idempotent.unwrap_or(function.http.method != manifest::HttpMethod::Post),
            paging,
            intercom_version: function.intercom_version.clone(),
            returns,
            method: function.http.method,
            path: function.http.path.clone(),
            query,
            body,
            fields,
            rules,
        })
    }

    /// Lowers every argument: kinds first (routes need the kinds of their selectors), then the rest. Returns
    /// the arguments that passed, and the names of those that did not.
    fn lower_fields(&mut self, site: Site<'_>, function: &manifest::Function) -> (Vec<ir::Field>, BTreeSet<String>) {
        let mut kinds = BTreeMap::new();
        let mut rust_names = BTreeMap::new();
        let mut failed = BTreeSet::new();
        for field in &function.fields {
            let field_site = site.field(&field.name);
            if kinds.contains_key(field.name.as_str()) {
                self.report(field_site, "the argument is declared twice");
                continue;
            }
            self.check_field_texts(field_site, field);
            match self.lower_kind(field_site, &function.name, field) {
                Some(kind) => {
                    kinds.insert(field.name.as_str(), (kind, field.required));
                }
                None => {
                    failed.insert(field.name.clone());
                }
            }
            let rust_name = field.rust_name.clone().unwrap_or_else(|| names::snake_case(&field.name));
            if let Some(other) = rust_names.insert(rust_name.clone(), field.name.as_str()) {
                let message = format!("`{other}` and `{}` both become the Rust name `{rust_name}`", field.name);
                self.report(field_site, message);
            }
        }
        let selectors: BTreeMap<&str, &str> = function
            .fields
            .iter()
            .filter_map(|field| field.route.as_ref().map(|route| (route.by.as_str(), field.name.as_str())))
            .collect();
        let siblings = Siblings { method: function.http.method, kinds: &kinds, selectors: &selectors };

        let mut lowered = Vec::new();
        for field in &function.fields {
            let Some((kind, _)) = kinds.get(field.name.as_str()) else { continue };
            if lowered.iter().any(|done: &ir::Field| done.name == field.name) {
                continue;
            }
            match self.lower_field(site.field(&field.name), field, kind.clone(), &siblings) {
                Some(field) => lowered.push(field),
                None => {
                    failed.insert(field.name.clone());
                }
            }
        }
        (lowered, failed)
    }

    fn ok_or_report_path<'t>(&mut self, site: Site<'_>, template: &'t str) -> Option<Vec<&'t str>> {
        wire::path_placeholders(template).map_err(|message| self.report(site, message)).ok()
    }

    /// Every placeholder of every path names a path argument (or, in a route's own path, the routed
    /// argument), and every path argument appears in every path it can be sent with.
    fn check_path_fields(
        &mut self,
        site: Site<'_>,
        template: &str,
        placeholders: &[&str],
        fields: &[ir::Field],
        failed: &BTreeSet<String>,
    ) {
        let path_fields: Vec<&str> =
            fields.iter().filter(|f| f.placement == Placement::Path).map(|f| f.name.as_str()).collect();
        for placeholder in placeholders {
            if path_fields.contains(placeholder) || failed.contains(*placeholder) {
                continue;
            }
            let message = match fields.iter().find(|f| f.name == *placeholder) {
                Some(field) if matches!(field.placement, Placement::Routed(_)) => format!(
                    "the path `{template}` uses `{{{placeholder}}}`, whose place is decided by its route; \
                     put it in a route case's \"path\" instead"
                ),
                Some(_) => {
                    format!("the path `{template}` uses `{{{placeholder}}}`, but that argument is not \"in\": \"path\"")
                }
                None => format!("the path placeholder `{{{placeholder}}}` has no argument"),
            };
            self.report(site, message);
        }
        for field in &path_fields {
            if !placeholders.contains(field) {
                self.report(
                    site.field(field),
                    format!("it is \"in\": \"path\" but the path `{template}` has no `{{{field}}}`"),
                );
            }
        }
        for field in fields {
            let Placement::Routed(route) = &field.placement else { continue };
            for case in &route.cases {
                let RouteTarget::Path(route_template) = &case.target else { continue };
                // Malformed route paths were already reported by the field's own check.
                let Ok(route_placeholders) = wire::path_placeholders(route_template) else { continue };
                for placeholder in &route_placeholders {
                    if *placeholder != field.name
                        && !path_fields.contains(placeholder)
                        && !failed.contains(*placeholder)
                    {
                        let message = format!(
                            "the route path `{route_template}` uses `{{{placeholder}}}`, which is not a path argument"
                        );
                        self.report(site.field(&field.name), message);
                    }
                }
                for path_field in &path_fields {
                    if !route_placeholders.contains(path_field) {
                        let message = format!("the route path `{route_template}` has no `{{{path_field}}}`");
                        self.report(site.field(&field.name), message);
                    }
                }
            }
        }
    }

    /// A list function's paging: streams repeat a `GET`, and a scroll's cursor is an optional text argument
    /// that the stream fills from each response.
    fn lower_paging(
        &mut self,
        site: Site<'_>,
        function: &manifest::Function,
        paging: &manifest::Paging,
        fields: &[ir::Field],
    ) -> Option<ir::Paging> {
        let before = self.problems.len();
        if function.http.method != manifest::HttpMethod::Get {
            self.report(site, "only a GET function can be paged");
        }
        if paging.items.is_empty() || paging.items.contains(|c: char| c.is_whitespace() || c == '.') {
            self.report(site, format!("the paging items key `{}` must be one non-empty JSON key", paging.items));
        }
        for field in fields.iter().filter(|field| !field.required && field.rust_name == names::STREAM_METHOD) {
            let message = format!(
                "its setter `{}` would clash with the `stream` method of a paged function's builder; give the field a \
                 \"rust_name\"",
                field.rust_name
            );
            self.report(site.field(&field.name), message);
        }
        let lowered = match (paging.style, &paging.cursor) {
            (manifest::PagingStyle::Pages, None) => ir::Paging::Pages { items: paging.items.clone() },
            (manifest::PagingStyle::Pages, Some(_)) => {
                self.report(site, "`pages` paging follows `pages.next` and takes no \"cursor\"");
                return None;
            }
            (manifest::PagingStyle::Scroll, None) => {
                self.report(site, "`scroll` paging needs a \"cursor\": the argument that carries `scroll_param`");
                return None;
            }
            (manifest::PagingStyle::Scroll, Some(cursor)) => {
                match fields.iter().find(|field| field.name == *cursor) {
                    Some(field)
                        if field.kind == Kind::String
                            && !field.required
                            && matches!(field.placement, Placement::Query(_)) => {}
                    Some(_) => {
                        let message =
                            format!("the scroll cursor `{cursor}` must be an optional String sent in the query");
                        self.report(site, message);
                    }
                    None => self.report_unknown(
                        site,
                        "the scroll cursor is",
                        cursor,
                        fields.iter().map(|f| f.name.as_str()),
                    ),
                }
                ir::Paging::Scroll { items: paging.items.clone(), cursor: cursor.clone() }
            }
        };
        (self.problems.len() == before).then_some(lowered)
    }

    /// `GET` requests carry no body: nothing may be placed in one.
    fn check_body_allowed(
        &mut self,
        site: Site<'_>,
        method: manifest::HttpMethod,
        fields: &[ir::Field],
        constant: bool,
    ) {
        // A DELETE may carry a JSON body (Intercom documents one: removing a customer from a conversation);
        // its arguments go to the query unless they say "in": "body".
        if method != manifest::HttpMethod::Get {
            return;
        }
        let verb = "GET";
        if constant {
            self.report(site, format!("a {verb} request has no body: remove \"http.body\""));
        }
        for field in fields {
            let in_body = match &field.placement {
                Placement::Body(_) => true,
                Placement::Routed(route) => route.cases.iter().any(|case| matches!(case.target, RouteTarget::Body(_))),
                Placement::Path | Placement::Query(_) | Placement::Selector => false,
            };
            if in_body {
                self.report(site.field(&field.name), format!("a {verb} request has no body to send it in"));
            }
        }
    }

    /// A version of Intercom's API as `Intercom-Version` takes it: numbers separated by dots, like `2.1`.
    fn check_intercom_version(&mut self, site: Site<'_>, version: &str) {
        let well_formed = version.split('.').all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
        if !well_formed {
            self.report(site, format!("\"intercom_version\" is `{version}`, not a version like `2.1`"));
        }
    }

    /// Constant query parameters, rendered as the text sent on the wire.
    pub(super) fn lower_constant_query(
        &mut self,
        site: Site<'_>,
        query: &BTreeMap<String, Value>,
    ) -> Vec<(String, String)> {
        let mut lowered = Vec::new();
        for (name, value) in query {
            if let Err(message) = wire::query_name(name) {
                self.report(site, message);
            }
            let text = match value {
                Value::String(text) => text.clone(),
                Value::Number(number) => number.to_string(),
                Value::Bool(flag) => flag.to_string(),
                other => {
                    self.report(
                        site,
                        format!(
                            "the constant query parameter `{name}` must be text, a number or a boolean, not {other}"
                        ),
                    );
                    continue;
                }
            };
            lowered.push((name.clone(), text));
        }
        lowered
    }

    /// Two fields, a field and a constant, or two route cases of different fields writing the same place.
    fn check_collisions(
        &mut self,
        site: Site<'_>,
        fields: &[ir::Field],
        query: &[(String, String)],
        body: Option<&serde_json::Map<String, Value>>,
    ) {
        let mut uses: Vec<WireUse> = query
            .iter()
            .map(|(name, _)| WireUse { field: None, case: None, destination: Destination::Query(name.clone()) })
            .collect();
        if let Some(body) = body {
            uses.extend(wire::constant_leaves(body).into_iter().map(|path| WireUse {
                field: None,
                case: None,
                destination: Destination::Body(path),
            }));
        }
        for field in fields {
            let use_at = |case: Option<&str>, destination| WireUse {
                field: Some(field.name.clone()),
                case: case.map(str::to_owned),
                destination,
            };
            match &field.placement {
                Placement::Query(name) => uses.push(use_at(None, Destination::Query(name.clone()))),
                Placement::Body(path) => uses.push(use_at(None, Destination::Body(path.clone()))),
                Placement::Routed(route) => {
                    for case in &route.cases {
                        for (name, _) in &case.query {
                            uses.push(use_at(Some(&case.option), Destination::Query(name.clone())));
                        }
                        match &case.target {
                            RouteTarget::Query(name) => {
                                uses.push(use_at(Some(&case.option), Destination::Query(name.clone())))
                            }
                            RouteTarget::Body(path) => {
                                uses.push(use_at(Some(&case.option), Destination::Body(path.clone())))
                            }
                            RouteTarget::Path(_) | RouteTarget::Reject(_) => {}
                        }
                    }
                }
                Placement::Path | Placement::Selector => {}
            }
        }
        for message in wire::collisions(&uses) {
            self.report(site, message);
        }
    }

    fn lower_rules(
        &mut self,
        site: Site<'_>,
        rules: &[manifest::Rule],
        fields: &[ir::Field],
        failed: &BTreeSet<String>,
    ) -> Vec<ir::Rule> {
        let find = |name: &str| fields.iter().find(|field| field.name == name);
        let known = || fields.iter().map(|field| field.name.as_str());
        let mut lowered = Vec::new();
        for rule in rules {
            let condition = &rule.condition;
            let before = self.problems.len();
            let (values, negated) = match (&condition.is_in, &condition.not_in) {
                (Some(values), None) => (values.clone(), false),
                (None, Some(values)) => (values.clone(), true),
                _ => {
                    self.report(
                        site,
                        format!("the rule on `{}` needs exactly one of \"in\" and \"not_in\"", condition.field),
                    );
                    continue;
                }
            };
            match find(&condition.field).map(|field| &field.kind) {
                Some(Kind::Select(select)) => {
                    let options = self.options_of(select);
                    if values.is_empty() {
                        self.report(site, format!("the rule on `{}` tests no values", condition.field));
                    }
                    for value in values.iter().filter(|value| !options.contains(value)) {
                        let message = format!(
                            "a rule tests `{}` for `{value}`, which is not one of its options ({})",
                            condition.field,
                            options.join(", ")
                        );
                        self.report(site, message);
                    }
                }
                Some(kind) => {
                    let message = format!(
                        "a rule tests `{}`, which is {}; rules test Select arguments",
                        condition.field,
                        kind_name(kind)
                    );
                    self.report(site, message);
                }
                None if failed.contains(&condition.field) => {}
                None => self.report_unknown(site, "a rule tests", &condition.field, known()),
            }
            if rule.then.require.is_empty() && rule.then.forbid.is_empty() {
                self.report(site, format!("the rule on `{}` neither requires nor forbids anything", condition.field));
            }
            let mut mentioned = BTreeSet::new();
            for (verb, names) in [("requires", &rule.then.require), ("forbids", &rule.then.forbid)] {
                for name in names {
                    if !mentioned.insert(name.as_str()) {
                        self.report(site, format!("a rule both requires and forbids `{name}`"));
                    }
                    match find(name) {
                        None if failed.contains(name) => {}
                        None => self.report_unknown(site, &format!("a rule {verb}"), name, known()),
                        Some(_) if *name == condition.field => {
                            self.report(site, format!("a rule on `{name}` {verb} `{name}` itself"));
                        }
                        Some(field) if field.required => {
                            self.report(site, format!("a rule {verb} `{name}`, which is always required"));
                        }
                        Some(_) => {}
                    }
                }
            }
            if self.problems.len() == before {
                lowered.push(ir::Rule {
                    condition: ir::Condition { field: condition.field.clone(), values, negated },
                    require: rule.then.require.clone(),
                    forbid: rule.then.forbid.clone(),
                });
            }
        }
        lowered
    }

    fn report_unknown<'a>(&mut self, site: Site<'_>, what: &str, name: &str, known: impl Iterator<Item = &'a str>) {
        let hint = names::closest(name, known).map(|c| format!(" (did you mean `{c}`?)")).unwrap_or_default();
        self.report(site, format!("{what} `{name}`, which is not an argument{hint}"));
    }
}
