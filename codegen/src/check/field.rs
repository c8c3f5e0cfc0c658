//! Checking and lowering one argument: its kind, limits, default, transform and placement.

use std::collections::BTreeMap;

use serde_json::Value;

use super::names;
use super::wire;
use super::{Context, Site};
use crate::ir::{self, Kind};
use crate::manifest::{self, FieldType, Format, HttpMethod, ItemType, Transform};

/// What the checker knows about the other arguments of the function while it lowers one of them.
pub(super) struct Siblings<'a> {
    pub method: HttpMethod,
    /// The kind and `required` flag of every argument whose kind could be resolved, by manifest name.
    pub kinds: &'a BTreeMap<&'a str, (Kind, bool)>,
    /// The arguments that decide the route of another one, with the one they route.
    pub selectors: &'a BTreeMap<&'a str, &'a str>,
}

impl Context {
    /// The kind of value an argument takes. This runs for every argument before anything else, so that routes
    /// and rules can look at the kinds of the other arguments.
    pub(super) fn lower_kind(&mut self, site: Site<'_>, function: &str, field: &manifest::Field) -> Option<Kind> {
        if field.ty != FieldType::List && field.items.is_some() {
            self.report(site, "\"items\" only applies to a List");
        }
        if field.ty != FieldType::Select && (field.select.is_some() || field.options.is_some()) {
            self.report(site, "\"select\" and \"options\" only apply to a Select");
        }
        let kind = match field.ty {
            FieldType::String | FieldType::Credentials => Kind::String,
            FieldType::Number if field.format == Some(Format::Integer) => Kind::Integer,
            FieldType::Number => Kind::Number,
            FieldType::Boolean => Kind::Boolean,
            FieldType::Json if field.format == Some(Format::Object) => Kind::JsonObject,
            FieldType::Json => Kind::Json,
            FieldType::List => match field.items {
                Some(ItemType::String) => Kind::ListOfStrings,
                Some(ItemType::Json) => Kind::ListOfObjects,
                None => {
                    self.report(site, "a List needs \"items\": \"String\" or \"JSON\"");
                    return None;
                }
            },
            FieldType::DatePicker => Kind::DateTime,
            FieldType::Select => Kind::Select(self.resolve_select(site, function, field)?),
        };
        Some(kind)
    }

    /// Checks everything about an argument but its kind, and lowers it.
    pub(super) fn lower_field(
        &mut self,
        site: Site<'_>,
        field: &manifest::Field,
        kind: Kind,
        siblings: &Siblings<'_>,
    ) -> Option<ir::Field> {
        let before = self.problems.len();
        if field.name == names::ACCESS_TOKEN {
            self.report(site, "`accessToken` belongs to the client, not to a function: remove the field");
        } else if !names::is_camel_case(&field.name) {
            self.report(site, "an argument name must be camelCase, like `userId`");
        }
        let rust_name = field.rust_name.clone().unwrap_or_else(|| names::snake_case(&field.name));
        if let Some(problem) = names::snake_identifier_problem(&rust_name) {
            let hint = if field.rust_name.is_some() { "" } else { "; give the field a \"rust_name\"" };
            self.report(site, format!("its Rust name `{rust_name}` {problem}{hint}"));
        } else if names::BUILDER_METHODS.contains(&rust_name.as_str()) {
            self.report(site, format!("`{rust_name}` is a method of every builder; give the field a \"rust_name\""));
        }
        if field.description.trim().is_empty() {
            self.report(site, "the argument has no description");
        }
        let format = self.check_format(site, field.format, &kind);
        self.check_max_items(site, field.max_items, &kind);
        let item_model = self.lower_item_model(site, field, &kind);
        self.check_range(site, field, &kind);
        self.check_default(site, field, &kind);
        let secret = field.secret || field.ty == FieldType::Credentials;
        if field.secret && kind != Kind::String {
            self.report(site, "only text can be marked \"secret\"");
        }
        self.check_transform(site, field.transform.as_ref(), &kind);
        let placement = self.lower_placement(site, field, &kind, siblings);
        if field.transform.is_some() && placement.as_ref().is_some_and(|placement| !sent_as_json(placement)) {
            self.report(site, "a transform makes a JSON value, so the argument must be sent in the body");
        }

        (self.problems.len() == before).then_some(ir::Field {
            name: field.name.clone(),
            rust_name,
            description: field.description.clone(),
            kind,
            required: field.required,
            secret,
            format,
            max_items: field.max_items,
            item_model,
            minimum: field.minimum,
            maximum: field.maximum,
            default: field.default.clone(),
            placement: placement?,
            transform: field.transform.clone(),
        })
    }

    fn check_format(&mut self, site: Site<'_>, format: Option<Format>, kind: &Kind) -> Option<ir::Format> {
        let format = format?;
        let text = matches!(kind, Kind::String | Kind::ListOfStrings);
        // `object` and `integer` were folded into the kind; the other formats are checked on each value.
        let (lowered, applies_to, fits) = match format {
            Format::Url => (Some(ir::Format::Url), "String or List of String", text),
            Format::Email => (Some(ir::Format::Email), "String or List of String", text),
            Format::Ip => (Some(ir::Format::Ip), "String or List of String", text),
            Format::Object => (None, "JSON", *kind == Kind::JsonObject),
            Format::Integer => (None, "Number", *kind == Kind::Integer),
        };
        if !fits {
            self.report(site, format!("the format `{}` only applies to {applies_to} arguments", format_name(format)));
        }
        lowered
    }

    fn check_max_items(&mut self, site: Site<'_>, max_items: Option<u64>, kind: &Kind) {
        match max_items {
            Some(_) if !matches!(kind, Kind::ListOfStrings | Kind::ListOfObjects) => {
                self.report(site, "\"max_items\" only applies to a List");
            }
            Some(0) => self.report(site, "\"max_items\" must be at least 1"),
            // The runtime holds it in a `usize`: a larger literal would not compile for a 32-bit target.
            Some(max) if max > u64::from(u32::MAX) => {
                self.report(site, format!("\"max_items\" is {max}, more than the largest allowed, {}", u32::MAX));
            }
            _ => {}
        }
    }

    /// `minimum` and `maximum` bound numbers: whole ones for integers, the smaller first, a default within.
    fn check_range(&mut self, site: Site<'_>, field: &manifest::Field, kind: &Kind) {
        let bounds = [("minimum", field.minimum), ("maximum", field.maximum)];
        if bounds.iter().all(|(_, bound)| bound.is_none()) {
            return;
        }
        if !matches!(kind, Kind::Integer | Kind::Number) {
            self.report(site, "\"minimum\" and \"maximum\" only apply to a Number");
            return;
        }
        for (key, bound) in bounds {
            let Some(bound) = bound else { continue };
            // Beyond ±2^53 an f64 no longer holds every whole number, so a bound there would not be exact.
            if *kind == Kind::Integer && (bound.fract() != 0.0 || bound.abs() > 9_007_199_254_740_992.0) {
                self.report(
                    site,
                    format!("\"{key}\" is {bound}, but an integer argument needs a whole number bound within ±2^53"),
                );
            }
        }
        if let (Some(minimum), Some(maximum)) = (field.minimum, field.maximum) {
            if minimum > maximum {
                self.report(site, format!("\"minimum\" ({minimum}) is greater than \"maximum\" ({maximum})"));
            }
        }
        let Some(default) = field.default.as_ref().and_then(Value::as_f64) else { return };
        let below = field.minimum.is_some_and(|minimum| default < minimum);
        let above = field.maximum.is_some_and(|maximum| default > maximum);
        if below || above {
            self.report(site, format!("the default {default} is outside \"minimum\" and \"maximum\""));
        }
    }

    fn check_default(&mut self, site: Site<'_>, field: &manifest::Field, kind: &Kind) {
        let Some(default) = &field.default else { return };
        if field.required {
            self.report(site, "a required argument cannot have a default");
            return;
        }
        let fits = match kind {
            Kind::String | Kind::DateTime => default.is_string(),
            // The runtime holds whole numbers as i64: a larger default could not be sent as given.
            Kind::Integer => default.is_i64(),
            Kind::Number => default.is_number(),
            Kind::Boolean => default.is_boolean(),
            Kind::Json => !default.is_null(),
            Kind::JsonObject => default.is_object(),
            Kind::ListOfStrings => default.as_array().is_some_and(|items| items.iter().all(Value::is_string)),
            Kind::ListOfObjects => default.as_array().is_some_and(|items| items.iter().all(Value::is_object)),
            Kind::Select(select) => {
                let options = self.options_of(select);
                if let Some(value) = default.as_str().filter(|value| !options.iter().any(|o| o == value)) {
                    let message = format!("the default `{value}` is not one of the options: {}", options.join(", "));
                    self.report(site, message);
                    return;
                }
                default.is_string()
            }
        };
        if !fits {
            self.report(site, format!("the default {default} is not {}", kind_name(kind)));
        }
    }

    fn check_transform(&mut self, site: Site<'_>, transform: Option<&Transform>, kind: &Kind) {
        let Some(transform) = transform else { return };
        let (name, needs, fits) = match transform {
            Transform::Avatar => ("avatar", "String", *kind == Kind::String),
            Transform::Untag => ("untag", "List of JSON objects", *kind == Kind::ListOfObjects),
            Transform::IdList(list_kind) => {
                if names::snake_identifier_problem(list_kind).is_some() {
                    self.report(site, format!("the id list kind `{list_kind}` must be a snake_case word, like `tag`"));
                }
                ("id_list", "List of String", *kind == Kind::ListOfStrings)
            }
        };
        if !fits {
            self.report(
                site,
                format!("the transform `{name}` applies to a {needs} argument, not to {}", kind_name(kind)),
            );
        }
    }

    fn lower_placement(
        &mut self,
        site: Site<'_>,
        field: &manifest::Field,
        kind: &Kind,
        siblings: &Siblings<'_>,
    ) -> Option<ir::Placement> {
        if let Some(routed) = siblings.selectors.get(field.name.as_str()) {
            if field.placement.is_some() || field.wire.is_some() || field.route.is_some() {
                let message = format!(
                    "it decides the route of `{routed}` and is not sent: remove \"in\", \"wire\" and \"route\""
                );
                self.report(site, message);
            }
            // That it must be a Select is reported on the routed argument, which names this one. An optional
            // one needs a default: without one, a routed value given alone would have nowhere to go.
            if !field.required && field.default.is_none() {
                self.report(
                    site,
                    format!("it decides the route of `{routed}`, so it must be required or have a default"),
                );
            }
            return Some(ir::Placement::Selector);
        }
        if let Some(route) = &field.route {
            if field.placement.is_some() || field.wire.is_some() {
                self.report(site, "a routed argument takes its destination from \"route\": remove \"in\" and \"wire\"");
            }
            return self.lower_route(site, field, route, siblings).map(ir::Placement::Routed);
        }
        let default_placement = match siblings.method {
            HttpMethod::Get | HttpMethod::Delete => manifest::Placement::Query,
            HttpMethod::Post | HttpMethod::Put => manifest::Placement::Body,
        };
        let wire_name = || field.wire.clone().unwrap_or_else(|| names::snake_case(&field.name));
        match field.placement.unwrap_or(default_placement) {
            manifest::Placement::Path => {
                if field.wire.is_some() {
                    self.report(site, "a path argument fills its `{placeholder}`: remove \"wire\"");
                }
                if !field.required {
                    self.report(site, "a path argument must be required");
                }
                if !matches!(kind, Kind::String | Kind::Integer | Kind::Number | Kind::Select(_)) {
                    self.report(site, format!("{} cannot fill a path segment", kind_name(kind)));
                }
                Some(ir::Placement::Path)
            }
            manifest::Placement::Query => {
                if matches!(kind, Kind::Json | Kind::JsonObject | Kind::ListOfStrings | Kind::ListOfObjects) {
                    self.report(site, format!("{} cannot be sent as a query parameter", kind_name(kind)));
                }
                self.ok_or_report(site, wire::query_name(&wire_name())).map(ir::Placement::Query)
            }
            manifest::Placement::Body => {
                self.ok_or_report(site, wire::body_path(&wire_name())).map(ir::Placement::Body)
            }
        }
    }

    fn lower_route(
        &mut self,
        site: Site<'_>,
        field: &manifest::Field,
        route: &manifest::Route,
        siblings: &Siblings<'_>,
    ) -> Option<ir::Route> {
        let select = match siblings.kinds.get(route.by.as_str()) {
            Some((Kind::Select(select), _)) => select.clone(),
            Some((other, _)) => {
                let message =
                    format!("its route is decided by `{}`, which is {}, not a Select", route.by, kind_name(other));
                self.report(site, message);
                return None;
            }
            None => {
                let hint = names::closest(&route.by, siblings.kinds.keys().copied())
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                self.report(site, format!("its route is decided by `{}`, which is not an argument{hint}", route.by));
                return None;
            }
        };
        let options = self.options_of(&select);
        for option in &options {
            if !route.cases.contains_key(option) {
                self.report(site, format!("the route has no case for `{option}`, an option of {select}"));
            }
        }
        for name in route.cases.keys().filter(|name| !options.contains(name)) {
            let message = format!("the route case `{name}` is not an option of {select} ({})", options.join(", "));
            self.report(site, message);
        }
        if route.cases.values().all(|case| case.reject.is_some()) {
            self.report(site, "every route case rejects: at least one must send the value");
        }
        let mut cases = Vec::new();
        for option in &options {
            let Some(case) = route.cases.get(option) else { continue };
            let targets = [&case.path, &case.query, &case.body, &case.reject];
            if targets.iter().filter(|target| target.is_some()).count() != 1 {
                let message = format!(
                    "the route case `{option}` must give exactly one of \"path\", \"query\", \"body\" and \"reject\""
                );
                self.report(site, message);
                continue;
            }
            if case.reject.is_some() && !case.constant_query.is_empty() {
                self.report(site, format!("the route case `{option}` rejects, so it sends no \"constant_query\""));
            }
            if case.reject.is_some() && case.answer_list.is_some() {
                self.report(site, format!("the route case `{option}` rejects, so it has no \"answer_list\""));
            }
            if case.answer_list.as_deref().is_some_and(|key| key.is_empty() || key.contains(char::is_control)) {
                self.report(site, format!("the route case `{option}` has an empty or unprintable \"answer_list\""));
            }
            let query = self.lower_constant_query(site, &case.constant_query);
            let target = match (&case.path, &case.query, &case.body, &case.reject) {
                (Some(template), ..) => {
                    let placeholders = self.ok_or_report(site, wire::path_placeholders(template));
                    if placeholders.is_some_and(|p| !p.contains(&field.name.as_str())) {
                        self.report(
                            site,
                            format!("the route path `{template}` has no `{{{}}}` placeholder", field.name),
                        );
                    }
                    ir::RouteTarget::Path(template.clone())
                }
                (_, Some(name), ..) => ir::RouteTarget::Query(self.ok_or_report(site, wire::query_name(name))?),
                (_, _, Some(path), _) => ir::RouteTarget::Body(self.ok_or_report(site, wire::body_path(path))?),
                (.., Some(reason)) => {
                    if reason.trim().is_empty() {
                        self.report(site, format!("the route case `{option}` rejects without saying why"));
                    }
                    ir::RouteTarget::Reject(reason.clone())
                }
                (None, None, None, None) => continue,
            };
            cases.push(ir::RouteCase { option: option.clone(), target, query, answer_list: case.answer_list.clone() });
        }
        Some(ir::Route { by: route.by.clone(), cases })
    }

    fn ok_or_report<T>(&mut self, site: Site<'_>, result: Result<T, String>) -> Option<T> {
        result.map_err(|message| self.report(site, message)).ok()
    }
}

/// Whether every destination of the argument is a body member.
fn sent_as_json(placement: &ir::Placement) -> bool {
    match placement {
        ir::Placement::Body(_) => true,
        ir::Placement::Routed(route) => {
            route.cases.iter().all(|case| matches!(case.target, ir::RouteTarget::Body(_) | ir::RouteTarget::Reject(_)))
        }
        ir::Placement::Path | ir::Placement::Query(_) | ir::Placement::Selector => false,
    }
}

/// How a kind is named in diagnostics.
pub(super) fn kind_name(kind: &Kind) -> String {
    match kind {
        Kind::String => "a String".to_owned(),
        Kind::Integer => "an integer Number".to_owned(),
        Kind::Number => "a Number".to_owned(),
        Kind::Boolean => "a Boolean".to_owned(),
        Kind::Json => "a JSON value".to_owned(),
        Kind::JsonObject => "a JSON object".to_owned(),
        Kind::ListOfStrings => "a List of String".to_owned(),
        Kind::ListOfObjects => "a List of JSON objects".to_owned(),
        Kind::DateTime => "a DatePicker".to_owned(),
        Kind::Select(select) => format!("a Select ({select})"),
    }
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Url => "url",
        Format::Email => "email",
        Format::Ip => "ip",
        Format::Object => "object",
        Format::Integer => "integer",
    }
}
