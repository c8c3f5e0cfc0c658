//! The `static Function` of a function: its wire description, built with the runtime's `const`
//! constructors (see `src/spec.rs` in the client crate) so that it reads like the manifest entry.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::docs;
use super::ident;
use crate::ir::{
    Auth, Field, Format, Function, HttpMethod, Kind, Paging, Placement, Returns, RouteTarget, Rule, Transform,
};

pub fn wire_static(function: &Function) -> TokenStream {
    let doc = docs::attributes(&docs::spec_doc(function));
    let spec = ident(&function.static_name);
    let (name, method_name, description, path) =
        (&function.name, &function.method_name, &function.description, &function.path);
    let method = match function.method {
        HttpMethod::Get => quote!(wire::Method::Get),
        HttpMethod::Post => quote!(wire::Method::Post),
        HttpMethod::Put => quote!(wire::Method::Put),
        HttpMethod::Delete => quote!(wire::Method::Delete),
    };
    let mut chain = quote! { wire::Function::new(#name, #method_name, #description, #method, #path) };
    if function.auth == Auth::None {
        chain = quote! { #chain.auth(wire::Auth::None) };
    }
    // `Function::new` takes the method's default: only `POST` is not idempotent.
    if function.idempotent != (function.method != HttpMethod::Post) {
        let idempotent = function.idempotent;
        chain = quote! { #chain.idempotent(#idempotent) };
    }
    if let Some(paging) = &function.paging {
        let paging = match paging {
            Paging::Pages { items } => quote!(wire::Paging::Pages { items: #items }),
            Paging::Scroll { items, cursor } => quote!(wire::Paging::Scroll { items: #items, cursor: #cursor }),
        };
        chain = quote! { #chain.paging(#paging) };
    }
    match &function.returns {
        Returns::Json => {}
        Returns::Nothing => {
            let nothing = crate::check::models::RETURNS_NOTHING;
            chain = quote! { #chain.returns(wire::Returns::new(#nothing, crate::decode::reencode::<crate::decode::Nothing>)) };
        }
        Returns::Model { name, .. } => {
            let model = ident(name);
            chain =
                quote! { #chain.returns(wire::Returns::new(#name, crate::decode::reencode::<crate::models::#model>)) };
        }
    }
    if let Some(version) = &function.intercom_version {
        chain = quote! { #chain.intercom_version(#version) };
    }
    if !function.query.is_empty() {
        let pairs = function.query.iter().map(|(name, value)| quote! { (#name, #value) });
        chain = quote! { #chain.query(&[#(#pairs),*]) };
    }
    if let Some(body) = &function.body {
        let members = body.iter().map(|(key, value)| {
            let value = constant(value);
            quote! { (#key, #value) }
        });
        chain = quote! { #chain.body(&[#(#members),*]) };
    }
    if !function.fields.is_empty() {
        let fields = function.fields.iter().map(field_spec);
        chain = quote! { #chain.fields(&[#(#fields),*]) };
    }
    if !function.rules.is_empty() {
        let rules = function.rules.iter().map(rule);
        chain = quote! { #chain.rules(&[#(#rules),*]) };
    }
    quote! {
        #doc
        pub static #spec: wire::Function = #chain;
    }
}

fn field_spec(field: &Field) -> TokenStream {
    let (name, rust_name, description) = (&field.name, &field.rust_name, &field.description);
    let kind = kind(&field.kind);
    let wire = wire(&field.placement);
    let mut chain = quote! { wire::Field::new(#name, #rust_name, #kind, #description, #wire) };
    if field.required {
        chain = quote! { #chain.required() };
    }
    if field.secret {
        chain = quote! { #chain.secret() };
    }
    if let Some(format) = field.format {
        let format = match format {
            Format::Url => quote!(wire::Format::Url),
            Format::Email => quote!(wire::Format::Email),
            Format::Ip => quote!(wire::Format::Ip),
        };
        chain = quote! { #chain.format(#format) };
    }
    if let Some(max) = field.max_items {
        let max = Literal::u64_unsuffixed(max);
        chain = quote! { #chain.max_items(#max) };
    }
    if let Some(minimum) = field.minimum {
        let minimum = float(minimum);
        chain = quote! { #chain.minimum(#minimum) };
    }
    if let Some(maximum) = field.maximum {
        let maximum = float(maximum);
        chain = quote! { #chain.maximum(#maximum) };
    }
    if let Some(default) = &field.default {
        let default = constant(default);
        chain = quote! { #chain.default_value(#default) };
    }
    if let Some(transform) = &field.transform {
        let transform = match transform {
            Transform::Avatar => quote!(wire::Transform::Avatar),
            Transform::Untag => quote!(wire::Transform::Untag),
            Transform::IdList(kind) => quote!(wire::Transform::IdList(#kind)),
        };
        chain = quote! { #chain.transform(#transform) };
    }
    chain
}

fn kind(kind: &Kind) -> TokenStream {
    match kind {
        Kind::String => quote!(wire::Kind::String),
        Kind::Integer => quote!(wire::Kind::Integer),
        Kind::Number => quote!(wire::Kind::Number),
        Kind::Boolean => quote!(wire::Kind::Boolean),
        Kind::Json => quote!(wire::Kind::Json),
        Kind::JsonObject => quote!(wire::Kind::JsonObject),
        Kind::ListOfStrings => quote!(wire::Kind::ListOfStrings),
        Kind::ListOfObjects => quote!(wire::Kind::ListOfObjects),
        Kind::DateTime => quote!(wire::Kind::DateTime),
        Kind::Select(select) => {
            let select = ident(select);
            quote!(wire::Kind::Select(crate::selects::#select::SELECT))
        }
    }
}

fn wire(placement: &Placement) -> TokenStream {
    match placement {
        Placement::Path => quote!(wire::Placement::Path),
        Placement::Query(name) => quote!(wire::Placement::Query(#name)),
        Placement::Body(path) => quote!(wire::Placement::Body(&[#(#path),*])),
        Placement::Selector => quote!(wire::Placement::Selector),
        Placement::Routed(route) => {
            let by = &route.by;
            let cases = route.cases.iter().map(|case| {
                let option = &case.option;
                let target = match &case.target {
                    RouteTarget::Path(path) => quote!(wire::RouteTarget::Path(#path)),
                    RouteTarget::Query(name) => quote!(wire::RouteTarget::Query(#name)),
                    RouteTarget::Body(path) => quote!(wire::RouteTarget::Body(&[#(#path),*])),
                    RouteTarget::Reject(reason) => quote!(wire::RouteTarget::Reject(#reason)),
                };
                let mut new = quote! { wire::RouteCase::new(#option, #target) };
                if !case.query.is_empty() {
                    let pairs = case.query.iter().map(|(name, value)| quote! { (#name, #value) });
                    new = quote! { #new.query(&[#(#pairs),*]) };
                }
                if let Some(key) = &case.answer_list {
                    new = quote! { #new.answer_list(#key) };
                }
                new
            });
            quote! { wire::Placement::Routed { by: #by, cases: &[#(#cases),*] } }
        }
    }
}

fn rule(rule: &Rule) -> TokenStream {
    let field = &rule.condition.field;
    let values = &rule.condition.values;
    let condition = if rule.condition.negated {
        quote! { wire::Condition::not_in(#field, &[#(#values),*]) }
    } else {
        quote! { wire::Condition::is_in(#field, &[#(#values),*]) }
    };
    let (require, forbid) = (&rule.require, &rule.forbid);
    quote! { wire::Rule::new(#condition, &[#(#require),*], &[#(#forbid),*]) }
}

/// A JSON value as a `wire::Constant` expression.
pub(super) fn constant(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(wire::Constant::Null),
        Value::Bool(flag) => quote!(wire::Constant::Bool(#flag)),
        Value::Number(number) => match number.as_i64() {
            Some(int) => {
                let magnitude = Literal::u64_unsuffixed(int.unsigned_abs());
                if int < 0 { quote!(wire::Constant::Int(-#magnitude)) } else { quote!(wire::Constant::Int(#magnitude)) }
            }
            None => {
                let float = float(number.as_f64().unwrap_or_default());
                quote!(wire::Constant::Float(#float))
            }
        },
        Value::String(text) => quote!(wire::Constant::Str(#text)),
        Value::Array(items) => {
            let items = items.iter().map(constant);
            quote!(wire::Constant::List(&[#(#items),*]))
        }
        Value::Object(members) => {
            let members = members.iter().map(|(key, value)| {
                let value = constant(value);
                quote! { (#key, #value) }
            });
            quote!(wire::Constant::Object(&[#(#members),*]))
        }
    }
}

/// An `f64` literal, its sign a separate token (a literal itself cannot be negative). JSON has no NaN or
/// infinity, so every number of the manifest has a literal.
fn float(value: f64) -> TokenStream {
    let magnitude = Literal::f64_unsuffixed(if value.is_finite() { value.abs() } else { 0.0 });
    if value < 0.0 { quote!(-#magnitude) } else { quote!(#magnitude) }
}
