//! A function's typed surface: its `Client` method (required arguments as parameters) and its builder
//! (optional arguments as setters, then `send`). Both only collect the arguments; checking and laying out
//! the request is the runtime planner's job, driven by the function's `static` spec.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::ident;
use crate::ir::{Field, Format, Function, Kind, Returns};

/// Clippy's default limit for `too_many_arguments` (the receiver counts).
const CLIPPY_MAX_ARGUMENTS: usize = 7;

pub fn builder(function: &Function) -> TokenStream {
    let doc = docs::attributes(&docs::builder_doc(function));
    let builder = ident(&function.builder_name);
    let setters = function.optional_fields().map(|field| setter(function, field));
    let stream = function.paging.as_ref().map(|paging| {
        let doc = docs::attributes(&docs::stream_doc(paging));
        let item = match &function.returns {
            Returns::Model { item: Some(item), .. } => {
                let item = ident(item);
                quote!(crate::models::#item)
            }
            _ => quote!(::serde_json::Value),
        };
        quote! {
            #doc
            pub fn stream(self) -> crate::ItemStream<#item> {
                self.call.stream()
            }
        }
    });
    let send = send_methods(&function.returns);
    quote! {
        #doc
        #[must_use = "a request is only made by `.send().await`"]
        #[derive(Clone)]
        pub struct #builder {
            call: crate::call::Call,
        }

        impl #builder {
            #(#setters)*
            #stream

            /// Checks the arguments and returns the request [`send`](Self::send) would make, without sending it.
            ///
            /// # Errors
            ///
            /// [`Error::InvalidArguments`](crate::Error::InvalidArguments), naming every argument that is wrong and why.
            pub fn prepare(&self) -> ::std::result::Result<crate::PreparedRequest, crate::Error> {
                self.call.prepare()
            }

            #send
        }

        impl ::std::fmt::Debug for #builder {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.call, f)
            }
        }
    }
}

/// `send`, which gives the function's model, and `send_json`, which gives the JSON as it came (for a function
/// without a model, `send` gives the JSON).
fn send_methods(returns: &Returns) -> TokenStream {
    let sends = "Checks the arguments, sends the request (again after a failure, where the client's\n\
                 [`RetryPolicy`](crate::RetryPolicy) and the function allow it)";
    let errors = "# Errors\n\n[`Error::InvalidArguments`](crate::Error::InvalidArguments) before anything is sent; \
                  otherwise the error of the last attempt";
    let json = quote! { ::std::result::Result<::serde_json::Value, crate::Error> };
    let (model, doc, call) = match returns {
        Returns::Json => {
            let doc = docs::attributes(&format!("{sends} and returns Intercom's JSON response.\n\n{errors}."));
            return quote! {
                #doc
                pub async fn send(self) -> #json {
                    self.call.send().await
                }
            };
        }
        Returns::Nothing => (
            quote!(()),
            format!("{sends}. Intercom's answer carries nothing of use.\n\n{errors}."),
            quote!(self.call.send_as::<crate::decode::Nothing>().await.map(|_| ())),
        ),
        Returns::Model { name, .. } => {
            let model = ident(name);
            (
                quote!(crate::models::#model),
                format!(
                    "{sends} and returns Intercom's answer as [`{name}`](crate::models::{name}), decoded straight \
                     from the response bytes.\n\n{errors}; [`Error::Decode`](crate::Error::Decode), keeping the \
                     body, when the answer does not have the model's shape."
                ),
                quote!(self.call.send_as().await),
            )
        }
    };
    let doc = docs::attributes(&doc);
    let json_doc = docs::attributes(&format!(
        "Like [`send`](Self::send), but returns Intercom's JSON response as it came (`null` for an empty \
         body).\n\n{errors}."
    ));
    quote! {
        #doc
        pub async fn send(self) -> ::std::result::Result<#model, crate::Error> {
            #call
        }

        #json_doc
        pub async fn send_json(self) -> #json {
            self.call.send().await
        }
    }
}

fn setter(function: &Function, field: &Field) -> TokenStream {
    let doc = docs::attributes(&docs::setter_doc(function, field));
    let name = ident(&field.rust_name);
    let (parameter, value) = parameter(field);
    let wire_name = &field.name;
    let index = field_index(function, field);
    quote! {
        #doc
        pub fn #name(mut self, #name: #parameter) -> Self {
            self.call.set(#index, #wire_name, #value);
            self
        }
    }
}

/// The field's place among the function's fields, as in its `wire::Function`: the call's slot for it.
fn field_index(function: &Function, field: &Field) -> usize {
    function.fields.iter().position(|other| other.name == field.name).unwrap_or_default()
}

pub fn client_method(function: &Function) -> TokenStream {
    let doc = docs::attributes(&docs::method_doc(function));
    let method = ident(&function.method_name);
    let builder = ident(&function.builder_name);
    let spec = ident(&function.static_name);
    let required: Vec<&Field> = function.required_fields().collect();
    let parameters = required.iter().map(|field| {
        let name = ident(&field.rust_name);
        let (parameter, _) = parameter(field);
        quote! { #name: #parameter }
    });
    let sets = required.iter().map(|field| {
        let wire_name = &field.name;
        let index = field_index(function, field);
        let (_, value) = parameter(field);
        quote! { call.set(#index, #wire_name, #value); }
    });
    let allow = (required.len() + 1 > CLIPPY_MAX_ARGUMENTS).then(|| quote! { #[allow(clippy::too_many_arguments)] });
    let binding = if required.is_empty() { quote!(call) } else { quote!(mut call) };
    quote! {
        impl crate::Client {
            #doc
            #allow
            pub fn #method(&self, #(#parameters),*) -> #builder {
                let #binding = crate::call::Call::new(self, &#spec);
                #(#sets)*
                #builder { call }
            }
        }
    }
}

/// The Rust parameter type of an argument, and the expression turning the parameter (named after the
/// argument) into the JSON value the planner reads.
fn parameter(field: &Field) -> (TokenStream, TokenStream) {
    let name = ident(&field.rust_name);
    // Formats that have a type of their own take it, so that a malformed value cannot be written; the planner
    // is told, so that it checks only what the type does not (a URL's scheme) without parsing it again.
    match (&field.kind, field.format) {
        (Kind::String, Some(Format::Ip)) => {
            return (
                quote!(::std::net::IpAddr),
                quote!(crate::call::typed(::serde_json::Value::String(#name.to_string()))),
            );
        }
        (Kind::String, Some(Format::Url)) => {
            return (quote!(crate::Url), quote!(crate::call::typed(::serde_json::Value::String(#name.into()))));
        }
        (Kind::ListOfStrings, Some(Format::Url)) => {
            return (
                quote!(impl IntoIterator<Item = crate::Url>),
                quote!(crate::call::typed(crate::call::strings(#name.into_iter().map(::std::string::String::from)))),
            );
        }
        _ => {}
    }
    match &field.kind {
        Kind::String => (quote!(impl Into<String>), quote!(::serde_json::Value::String(#name.into()))),
        Kind::Integer => (quote!(i64), quote!(::serde_json::Value::from(#name))),
        Kind::Number => (quote!(f64), quote!(crate::call::number(#name))),
        Kind::Boolean => (quote!(bool), quote!(::serde_json::Value::Bool(#name))),
        Kind::Json => (quote!(::serde_json::Value), quote!(#name)),
        Kind::JsonObject => (
            quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>),
            quote!(::serde_json::Value::Object(#name)),
        ),
        Kind::ListOfStrings => {
            (quote!(impl IntoIterator<Item = impl Into<String>>), quote!(crate::call::strings(#name)))
        }
        Kind::ListOfObjects => match &field.item_model {
            Some(model) => {
                let model = ident(model);
                (quote!(impl IntoIterator<Item = crate::models::#model>), quote!(crate::call::objects(#name)))
            }
            None => (
                quote!(impl IntoIterator<Item = ::serde_json::Value>),
                quote!(::serde_json::Value::Array(#name.into_iter().collect())),
            ),
        },
        Kind::DateTime => (quote!(impl Into<crate::Timestamp>), quote!(#name.into().to_json())),
        Kind::Select(select) => {
            let select = ident(select);
            (quote!(crate::selects::#select), quote!(::serde_json::Value::from(#name.as_str())))
        }
    }
}
