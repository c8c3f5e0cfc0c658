//! The rustdoc text of generated items, written from the manifest's descriptions and wire mapping.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{
    Field, Format, Function, HttpMethod, Kind, Paging, Placement, RouteTarget, Rule, Select, SelectOption, Transform,
};

/// `#[doc]` attributes for `text`, one per line. The leading space makes prettyplease print `/// line`.
pub fn attributes(text: &str) -> TokenStream {
    let lines = text.trim_end().lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    quote! { #(#[doc = #lines])* }
}

pub fn method_text(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "GET",
        HttpMethod::Post => "POST",
        HttpMethod::Put => "PUT",
        HttpMethod::Delete => "DELETE",
    }
}

/// The documentation of a function's `Client` method.
pub fn method_doc(function: &Function) -> String {
    let mut text = format!("{}\n\n{}\n", function.description, request_summary(function));
    let required: Vec<&Field> = function.required_fields().collect();
    if !required.is_empty() {
        text.push_str("\n# Arguments\n\n");
        for field in required {
            text.push_str(&format!("* `{}`: {}\n", field.rust_name, field_sentences(field).join(" ")));
        }
    }
    let optional: Vec<String> = function
        .optional_fields()
        .map(|field| format!("[`{name}`]({builder}::{name})", name = field.rust_name, builder = function.builder_name))
        .collect();
    if !optional.is_empty() {
        text.push_str(&format!("\nOptional arguments are set on the returned builder: {}.\n", optional.join(", ")));
    }
    for rule in &function.rules {
        text.push_str(&format!("\n{}\n", rule_sentence(rule)));
    }
    if function.paging.is_some() {
        text.push_str(&format!(
            "\nA list: [`stream`]({}::stream) yields the items of every page.\n",
            function.builder_name
        ));
    }
    if let Some(notes) = &function.notes {
        text.push_str(&format!("\n{notes}\n"));
    }
    text
}

/// The documentation of a paged function's `stream` method.
pub fn stream_doc(paging: &Paging) -> String {
    let how = match paging {
        Paging::Pages { items } => format!(
            "Sends the request, then follows each page's `pages.next` until there is none, yielding every item of \
             `{items}`."
        ),
        Paging::Scroll { items, cursor } => format!(
            "Scrolls: sends the request, then sends each page's `scroll_param` back as `{cursor}` until a page comes \
             back empty, yielding every item of `{items}`. Intercom allows one open scroll per app: a second one \
             ends with [`Error::ScrollExists`](crate::Error::ScrollExists)."
        ),
    };
    format!(
        "{how}\n\nOnly one page is held at a time. The stream ends after the first error, which it yields: a failed \
         page (after the client's retries), or a page that repeats a cursor already followed."
    )
}

/// The documentation of a function's builder type.
pub fn builder_doc(function: &Function) -> String {
    format!(
        "The request `{name}`: {description}\n\n\
         Made by [`Client::{method}`](crate::Client::{method}). Set optional arguments with its methods, then \
         call [`send`](Self::send).",
        name = function.name,
        description = function.description,
        method = function.method_name,
    )
}

/// The documentation of a function's wire description.
pub fn spec_doc(function: &Function) -> String {
    format!("How `{}` maps onto HTTP: read by the request planner and by tools.", function.name)
}

/// The documentation of an optional argument's setter, with the rules that require or forbid it.
pub fn setter_doc(function: &Function, field: &Field) -> String {
    let mut sentences = field_sentences(field);
    for rule in &function.rules {
        let when = condition_text(rule);
        if rule.require.contains(&field.name) {
            sentences.push(format!("Required {when}."));
        }
        if rule.forbid.contains(&field.name) {
            sentences.push(format!("Not allowed {when}."));
        }
    }
    sentences.join(" ")
}

/// The argument's description followed by what is checked and how it is sent.
fn field_sentences(field: &Field) -> Vec<String> {
    let mut sentences = vec![field.description.trim().to_owned()];
    if let Some(max) = field.max_items {
        sentences.push(format!("At most {max} item{}.", if max == 1 { "" } else { "s" }));
    }
    match (field.minimum, field.maximum) {
        (Some(minimum), Some(maximum)) => sentences.push(format!("From {minimum} to {maximum}.")),
        (Some(minimum), None) => sentences.push(format!("At least {minimum}.")),
        (None, Some(maximum)) => sentences.push(format!("At most {maximum}.")),
        (None, None) => {}
    }
    let each = if matches!(field.kind, Kind::ListOfStrings) { "Each item must be" } else { "Must be" };
    match field.format {
        Some(Format::Url) => sentences.push(format!("{each} an absolute http(s) URL.")),
        Some(Format::Email) => sentences.push(format!("{each} an email address.")),
        Some(Format::Ip) => sentences.push(format!("{each} an IPv4 or IPv6 address.")),
        None => {}
    }
    if field.kind == Kind::JsonObject {
        sentences.push("Must be a JSON object.".to_owned());
    }
    if let Some(default) = &field.default {
        sentences.push(format!("Defaults to `{}`.", default_text(default)));
    }
    match &field.transform {
        Some(Transform::Avatar) => sentences.push("Sent as an avatar object with this `image_url`.".to_owned()),
        Some(Transform::Untag) => sentences.push("Every object is sent with `\"untag\": true`.".to_owned()),
        Some(Transform::IdList(kind)) => {
            sentences.push(format!("Sent as a `{kind}.list` of `{{\"id\": ...}}` objects."));
        }
        None => {}
    }
    match &field.placement {
        Placement::Query(name) => sentences.push(format!("Sent as the query parameter `{name}`.")),
        Placement::Body(path) => sentences.push(format!("Sent in the body as `{}`.", path.join("."))),
        Placement::Path | Placement::Routed(_) | Placement::Selector => {}
    }
    sentences
}

fn default_text(default: &serde_json::Value) -> String {
    match default {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// One paragraph saying which request the function makes.
pub fn request_summary(function: &Function) -> String {
    let method = method_text(function.method);
    let mut base = format!("{method} {}", function.path);
    if !function.query.is_empty() {
        let query: Vec<String> = function.query.iter().map(|(name, value)| format!("{name}={value}")).collect();
        base.push('?');
        base.push_str(&query.join("&"));
    }
    let carries = if has_body(function) {
        " with a JSON body"
    } else if function.fields.iter().any(|field| matches!(field.placement, Placement::Query(_))) {
        " with its arguments in the query"
    } else {
        ""
    };
    let mut text = format!("Sends `{base}`{carries}.");
    if let Some(version) = &function.intercom_version {
        text.push_str(&format!(
            " Intercom serves it from API version {version}, so it is sent with `Intercom-Version: {version}`, \
             whatever version the client is set to."
        ));
    }
    for field in &function.fields {
        let Placement::Routed(route) = &field.placement else { continue };
        text.push_str(&format!("\n\nWhere `{}` goes depends on `{}`:\n", field.name, route.by));
        for case in &route.cases {
            let place = match &case.target {
                RouteTarget::Path(path) => format!("sends `{method} {path}`"),
                RouteTarget::Query(name) => format!("the query parameter `{name}`"),
                RouteTarget::Body(path) => format!("the body member `{}`", path.join(".")),
                RouteTarget::Reject(reason) => format!("refused: {reason}"),
            };
            let constants = constants_text(&case.query);
            let list = case
                .answer_list
                .as_ref()
                .map(|key| format!("; Intercom answers a list there, whose one `{key}` item is returned"))
                .unwrap_or_default();
            text.push_str(&format!("\n* `{}`: {place}{constants}{list}", case.option));
        }
    }
    text
}

/// Constant query parameters of a route, e.g. " (with `type=user`)".
fn constants_text(query: &[(String, String)]) -> String {
    if query.is_empty() {
        return String::new();
    }
    let pairs: Vec<String> = query.iter().map(|(name, value)| format!("`{name}={value}`")).collect();
    format!(" (with {})", pairs.join(", "))
}

fn has_body(function: &Function) -> bool {
    function.body.is_some()
        || function.fields.iter().any(|field| match &field.placement {
            Placement::Body(_) => true,
            Placement::Routed(route) => route.cases.iter().any(|case| matches!(case.target, RouteTarget::Body(_))),
            Placement::Path | Placement::Query(_) | Placement::Selector => false,
        })
}

/// When a rule applies, e.g. "when `messageType` is `email`" or "unless `messageType` is `email`".
fn condition_text(rule: &Rule) -> String {
    let values: Vec<String> = rule.condition.values.iter().map(|value| format!("`{value}`")).collect();
    format!(
        "{} `{}` is {}{}",
        if rule.condition.negated { "unless" } else { "when" },
        rule.condition.field,
        if values.len() > 1 { "one of " } else { "" },
        values.join(", ")
    )
}

/// A rule as a sentence, e.g. "`subject` is required when `messageType` is `email`."
pub fn rule_sentence(rule: &Rule) -> String {
    let condition = condition_text(rule);
    let mut parts = Vec::new();
    if !rule.require.is_empty() {
        parts.push(format!("{} required", names_list(&rule.require)));
    }
    if !rule.forbid.is_empty() {
        parts.push(format!("{} not allowed", names_list(&rule.forbid)));
    }
    format!("{} {condition}.", capitalize(&parts.join("; ")))
}

fn names_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    format!("{} {}", quoted.join(" and "), if names.len() > 1 { "are" } else { "is" })
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The documentation of a `Select` enum.
pub fn select_doc(select: &Select) -> String {
    let values: Vec<String> = select.options.iter().map(|option| format!("`{}`", option.value)).collect();
    format!("{}\n\nOne of {}.", select.description.trim(), values.join(", "))
}

/// The documentation of one variant.
pub fn option_doc(option: &SelectOption) -> String {
    match &option.description {
        Some(description) => format!("`{}`: {}", option.value, description.trim()),
        None => format!("`{}`", option.value),
    }
}
