//! The `static FunctionSpec` of a function: its wire description, built with the runtime's `const`
//! constructors (see `src/spec.rs` in the client crate) so that it reads like the manifest entry.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::docs;
use super::ident;
use crate::ir::{
    Auth, Field, Format, Function, HttpMethod, Kind, Paging, Placement, Returns, RouteTarget, Rule, Transform,
};

pub fn spec_static(function: &Function) -> TokenStream {
    let doc = docs::attributes(&docs::spec_doc(function));
    let spec = ident(&function.spec_name);
    let (name, method_name, description, path) =
        (&function.name, &function.method_name, &function.description, &function.path);
    let method = match function.method {
        HttpMethod::Get => quote!(spec::Method::Get),
        HttpMethod::Post => quote!(spec::Method::Post),
        HttpMethod::Put => quote!(spec::Method::Put),
        HttpMethod::Delete => quote!(spec::Method::Delete),
    };
    let mut chain = quote! { spec::FunctionSpec::new(#name, #method_name, #description, #method, #path) };
    if function.auth == Auth::None {
        chain = quote! { #chain.auth(spec::Auth::None) };
    }
    // `FunctionSpec::new` takes the method's default: only `POST` is not idempotent.
    if function.idempotent != (function.method != HttpMethod::Post) {
        let idempotent = function.idempotent;
        chain = quote! { #chain.idempotent(#idempotent) };
    }
    if let Some(paging) = &function.paging {
        let paging = match paging {
            Paging::Pages { items } => quote!(spec::Paging::Pages { items: #items }),
            Paging::Scroll { items, cursor } => quote!(spec::Paging::Scroll { items: #items, cursor: #cursor }),
        };
        chain = quote! { #chain.paging(#paging) };
    }
    match &function.returns {
        Returns::Json => {}
        Returns::Nothing => {
            let nothing = crate::check::models::RETURNS_NOTHING;
            chain = quote! { #chain.returns(spec::Returns::new(#nothing, crate::decode::reencode::<crate::decode::Nothing>)) };
        }
        Returns::Model { name, .. } => {
            let model = ident(name);
            chain =
                quote! { #chain.returns(spec::Returns::new(#name, crate::decode::reencode::<crate::models::#model>)) };
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
        pub static #spec: spec::FunctionSpec = #chain;
    }
}

fn field_spec(field: &Field) -> TokenStream {
    let (name, rust_name, description) = (&field.name, &field.rust_name, &field.description);
    let kind = kind(&field.kind);
    let wire = wire(&field.placement);
    let mut chain = quote! { spec::FieldSpec::new(#name, #rust_name, #kind, #description, #wire) };
    if field.required {
        chain = quote! { #chain.required() };
    }
    if field.secret {
        chain = quote! { #chain.secret() };
    }
    if let Some(format) = field.format {
        let format = match format {
            Format::Url => quote!(spec::Format::Url),
            Format::Email => quote!(spec::Format::Email),
            Format::Ip => quote!(spec::Format::Ip),
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
            Transform::Avatar => quote!(spec::Transform::Avatar),
            Transform::Untag => quote!(spec::Transform::Untag),
            Transform::IdList(kind) => quote!(spec::Transform::IdList(#kind)),
        };
        chain = quote! { #chain.transform(#transform) };
    }
    chain
}

fn kind(kind: &Kind) -> TokenStream {
    match kind {
        Kind::String => quote!(spec::Kind::String),
        Kind::Integer => quote!(spec::Kind::Integer),
        Kind::Number => quote!(spec::Kind::Number),
        Kind::Boolean => quote!(spec::Kind::Boolean),
        Kind::Json => quote!(spec::Kind::Json),
        Kind::JsonObject => quote!(spec::Kind::JsonObject),
        Kind::ListOfStrings => quote!(spec::Kind::ListOfStrings),
        Kind::ListOfObjects => quote!(spec::Kind::ListOfObjects),
        Kind::DateTime => quote!(spec::Kind::DateTime),
        Kind::Select(select) => {
            let select = ident(select);
            quote!(spec::Kind::Select(crate::selects::#select::SELECT))
        }
    }
}

fn wire(placement: &Placement) -> TokenStream {
    match placement {
        Placement::Path => quote!(spec::Wire::Path),
        Placement::Query(name) => quote!(spec::Wire::Query(#name)),
        Placement::Body(path) => quote!(spec::Wire::Body(&[#(#path),*])),
        Placement::Selector => quote!(spec::Wire::Selector),
        Placement::Routed(route) => {
            let by = &route.by;
            let cases = route.cases.iter().map(|case| {
                let option = &case.option;
                let target = match &case.target {
                    RouteTarget::Path(path) => quote!(spec::RouteTarget::Path(#path)),
                    RouteTarget::Query(name) => quote!(spec::RouteTarget::Query(#name)),
                    RouteTarget::Body(path) => quote!(spec::RouteTarget::Body(&[#(#path),*])),
                    RouteTarget::Reject(reason) => quote!(spec::RouteTarget::Reject(#reason)),
                };
                let mut new = quote! { spec::RouteCase::new(#option, #target) };
                if !case.query.is_empty() {
                    let pairs = case.query.iter().map(|(name, value)| quote! { (#name, #value) });
                    new = quote! { #new.query(&[#(#pairs),*]) };
                }
                if let Some(key) = &case.answer_list {
                    new = quote! { #new.answer_list(#key) };
                }
                new
            });
            quote! { spec::Wire::Routed { by: #by, cases: &[#(#cases),*] } }
        }
    }
}

fn rule(rule: &Rule) -> TokenStream {
    let field = &rule.condition.field;
    let values = &rule.condition.values;
    let condition = if rule.condition.negated {
        quote! { spec::Condition::not_in(#field, &[#(#values),*]) }
    } else {
        quote! { spec::Condition::is_in(#field, &[#(#values),*]) }
    };
    let (require, forbid) = (&rule.require, &rule.forbid);
    quote! { spec::Rule::new(#condition, &[#(#require),*], &[#(#forbid),*]) }
}

/// A JSON value as a `spec::Constant` expression.
fn constant(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(spec::Constant::Null),
        Value::Bool(flag) => quote!(spec::Constant::Bool(#flag)),
        Value::Number(number) => match number.as_i64() {
            Some(int) => {
                let magnitude = Literal::u64_unsuffixed(int.unsigned_abs());
                if int < 0 { quote!(spec::Constant::Int(-#magnitude)) } else { quote!(spec::Constant::Int(#magnitude)) }
            }
            None => {
                let float = float(number.as_f64().unwrap_or_default());
                quote!(spec::Constant::Float(#float))
            }
        },
        Value::String(text) => quote!(spec::Constant::Str(#text)),
        Value::Array(items) => {
            let items = items.iter().map(constant);
            quote!(spec::Constant::List(&[#(#items),*]))
        }
        Value::Object(members) => {
            let members = members.iter().map(|(key, value)| {
                let value = constant(value);
                quote! { (#key, #value) }
            });
            quote!(spec::Constant::Object(&[#(#members),*]))
        }
    }
}

/// An `f64` literal, its sign a separate token (a literal itself cannot be negative). JSON has no NaN or
/// infinity, so every number of the manifest has a literal.
fn float(value: f64) -> TokenStream {
    let magnitude = Literal::f64_unsuffixed(if value.is_finite() { value.abs() } else { 0.0 });
    if value < 0.0 { quote!(-#magnitude) } else { quote!(#magnitude) }
}
