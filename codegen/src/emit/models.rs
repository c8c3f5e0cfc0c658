//! The `models` module: a struct per model and an enum per value set, decoded straight from Intercom's JSON
//! with serde.
//!
//! Real Intercom data is messy, so the types are forgiving where it does not cost correctness: every member is
//! an `Option` unless declared required, members a model does not declare are kept in its `other` map (and
//! written back when it is encoded), an unknown value of a value set is kept as `Other`, identifiers arrive as
//! text or numbers ([`Id`](crate::Id)), and whole numbers and timestamps are 64-bit, also read from numeric
//! text.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident};
use crate::check::events::UNKNOWN_TOPIC_VARIANT;
use crate::check::models::{OTHER_MEMBERS_FIELD, OTHER_VALUE_VARIANT};
use crate::ir::{Member, MemberType, Model, Topic, ValueSet};

/// The `models` module, with every model and value set, and the item of a webhook notification by topic.
pub fn module(models: &[Model], value_sets: &[ValueSet], topics: &[Topic]) -> TokenStream {
    let structs = models.iter().map(model_struct);
    let enums = value_sets.iter().map(value_set_enum);
    let webhook_item = webhook_item(topics);
    quote! {
        /// The objects Intercom answers with, decoded straight from the response bytes. Every member Intercom
        /// may leave out or send as `null` is an `Option`; members this version of the client does not know are
        /// kept in each struct's `other` map, and written back when the struct is encoded.
        pub mod models {
            use serde::{Deserialize, Serialize};
            use serde_json::{Map, Value};

            pub use crate::Id;

            #(#structs)*
            #(#enums)*
            #webhook_item
        }
    }
}

/// `WebhookItem`: a notification's `data.item` decoded as the model of its topic, or kept as JSON for a topic
/// this client does not know.
pub fn webhook_item(topics: &[Topic]) -> TokenStream {
    let unknown = ident(UNKNOWN_TOPIC_VARIANT);
    let variants = topics.iter().map(|topic| {
        let doc = docs::attributes(&format!("{} (`{}`).", topic.description.trim().trim_end_matches('.'), topic.name));
        let (variant, item) = (ident(&topic.variant), ident(&topic.item));
        quote! { #doc #variant(#item), }
    });
    let decodes = topics.iter().map(|topic| {
        let (name, variant) = (&topic.name, ident(&topic.variant));
        quote! { #name => Self::#variant(serde_json::from_value(item)?), }
    });
    let names = topics.iter().map(|topic| {
        let (name, variant) = (&topic.name, ident(&topic.variant));
        quote! { Self::#variant(_) => #name, }
    });
    let encodes = topics.iter().map(|topic| {
        let variant = ident(&topic.variant);
        quote! { Self::#variant(item) => item.serialize(serializer), }
    });
    quote! {
        /// The item of a webhook notification (its `data.item`), decoded as the model of its topic. A topic this
        /// version of the client does not know keeps its item as JSON.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum WebhookItem {
            #(#variants)*
            /// A topic this version of the client does not know, with its item as it came.
            #unknown {
                /// The topic, e.g. `company.updated`.
                topic: String,
                /// The item as Intercom sent it.
                item: Value,
            },
        }

        impl WebhookItem {
            /// Decodes the `item` of a notification of `topic` into the topic's model.
            ///
            /// # Errors
            ///
            /// When the item does not have the shape of the topic's model.
            pub fn decode(topic: &str, item: Value) -> Result<Self, serde_json::Error> {
                Ok(match topic {
                    #(#decodes)*
                    _ => Self::#unknown { topic: topic.to_owned(), item },
                })
            }

            /// The topic of the notification the item came with.
            pub fn topic(&self) -> &str {
                match self {
                    #(#names)*
                    Self::#unknown { topic, .. } => topic,
                }
            }
        }

        impl Serialize for WebhookItem {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#encodes)*
                    Self::#unknown { item, .. } => item.serialize(serializer),
                }
            }
        }
    }
}

/// The struct of one model, formatted on its own (for review and snapshots).
pub fn model_struct(model: &Model) -> TokenStream {
    let doc = docs::attributes(&model.description);
    let name = ident(&model.name);
    // Members are written in the order of the fields (`model_writer`). An input model's go in name order, as
    // a `serde_json::Map` orders them, so that a typed call sends the bytes of its call by name.
    let mut members: Vec<&Member> = model.members.iter().collect();
    if model.input {
        members.sort_by(|a, b| a.name.cmp(&b.name));
    }
    let fields = members.iter().copied().map(field);
    let other = ident(OTHER_MEMBERS_FIELD);
    let builder = model.input.then(|| input_methods(model));
    let writer = model_writer(model, &members);
    let reader = model_reader(model);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            /// The members Intercom sent that this model does not declare, as they came.
            pub #other: Map<String, Value>,
        }

        #writer
        #reader
        #builder
    }
}

/// How a model is encoded: its members in the order of its fields (an optional one only when it is there),
/// then the members it keeps in `other`, as `#[serde(flatten)]` would write them, without serde's derive.
fn model_writer(model: &Model, members: &[&Member]) -> TokenStream {
    let name = ident(&model.name);
    let other = ident(OTHER_MEMBERS_FIELD);
    let entries = members.iter().map(|member| {
        let (json_name, field) = (&member.name, ident(&member.rust_name));
        // A whole number is written as an integer, as Intercom and a call by name write it.
        let number = !member.list && member.ty == MemberType::Number;
        match (member.required, number) {
            (true, false) => quote! { map.serialize_entry(#json_name, &self.#field)?; },
            (true, true) => quote! { map.serialize_entry(#json_name, &crate::decode::WrittenNumber(self.#field))?; },
            (false, false) => quote! {
                if let Some(value) = &self.#field {
                    map.serialize_entry(#json_name, value)?;
                }
            },
            (false, true) => quote! {
                if let Some(value) = self.#field {
                    map.serialize_entry(#json_name, &crate::decode::WrittenNumber(value))?;
                }
            },
        }
    });
    quote! {
        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(None)?;
                #(#entries)*
                for (name, value) in &self.#other {
                    map.serialize_entry(name, value)?;
                }
                map.end()
            }
        }
    }
}

/// How a model is decoded: `Deserialize` through `crate::decode::read_model`, which reads each member straight
/// into its field and keeps the others in `other` (see `src/decode/model.rs` for why not a derive). The
/// required members are numbered first, so that the reader can tell which it has seen.
fn model_reader(model: &Model) -> TokenStream {
    let name = ident(&model.name);
    let model_name = &model.name;
    let other = ident(OTHER_MEMBERS_FIELD);
    let (required, optional): (Vec<&Member>, Vec<&Member>) = model.members.iter().partition(|m| m.required);
    let numbered: Vec<&Member> = required.iter().chain(&optional).copied().collect();
    let member_names = numbered.iter().map(|member| &member.name);
    let required_count = required.len();
    let number = proc_macro2::Literal::usize_unsuffixed;
    let names = numbered.iter().enumerate().map(|(index, member)| {
        let (json_name, number) = (&member.name, number(index));
        quote! { #json_name => #number, }
    });
    let reads = numbered.iter().enumerate().map(|(index, member)| {
        let (field, number) = (ident(&member.rust_name), number(index));
        if let Some(seed) = model_reader_seed(member) {
            let seed = ident(seed);
            return quote! { #number => map.next_value_seed(crate::decode::#seed(&mut self.#field))?, };
        }
        let read = match lenient_reader(member) {
            Some(seed) => {
                let seed = ident(seed);
                quote!(map.next_value_seed(crate::decode::#seed)?)
            }
            None => quote!(map.next_value()?),
        };
        quote! { #number => self.#field = #read, }
    });
    quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::decode::read_model(deserializer)
            }
        }

        impl crate::decode::Members for #name {
            const NAME: &'static str = #model_name;
            const MEMBERS: &'static [&'static str] = &[#(#member_names),*];
            const REQUIRED: usize = #required_count;

            fn member(name: &str) -> Option<usize> {
                Some(match name {
                    #(#names)*
                    _ => return None,
                })
            }

            fn read_member<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                member: usize,
                map: &mut A,
            ) -> Result<(), A::Error> {
                match member {
                    #(#reads)*
                    _ => {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                Ok(())
            }

            fn other(&mut self) -> &mut Map<String, Value> {
                &mut self.#other
            }
        }
    }
}

/// The seed of `crate::decode` that reads a member holding models straight into its field (nested models are
/// large: building one apart and moving it costs more than reading it).
fn model_reader_seed(member: &Member) -> Option<&'static str> {
    if !matches!(member.ty, MemberType::Model(_)) {
        return None;
    }
    Some(if member.required { "InPlace" } else { "OptionalInPlace" })
}

/// The seed of `crate::decode` that reads a scalar member leniently: also from the text forms Intercom has sent
/// scalars in (`"12"`, `"true"`, `"-90.5"`); lists are read as they are.
fn lenient_reader(member: &Member) -> Option<&'static str> {
    let (required, optional) = match member.ty {
        _ if member.list => return None,
        MemberType::Integer | MemberType::Timestamp => ("INTEGER", "OPTIONAL_INTEGER"),
        MemberType::Number => ("NUMBER", "OPTIONAL_NUMBER"),
        MemberType::Boolean => ("BOOLEAN", "OPTIONAL_BOOLEAN"),
        _ => return None,
    };
    Some(if member.required { required } else { optional })
}

/// For a model callers build (the items of an argument): a constructor and a chainable method per member,
/// since `#[non_exhaustive]` keeps struct literals to this crate.
fn input_methods(model: &Model) -> TokenStream {
    let name = ident(&model.name);
    let new_doc = docs::attributes(&format!(
        "An empty `{}`: give it its members with the methods below; what is left out is not sent.",
        model.name
    ));
    let methods = model.members.iter().map(|member| {
        let doc = docs::attributes(&member.description);
        let field = ident(&member.rust_name);
        let (parameter, value) = match (&member.ty, member.list) {
            (MemberType::String, false) => (quote!(impl Into<String>), quote!(#field.into())),
            (MemberType::Id, false) => (quote!(impl Into<Id>), quote!(#field.into())),
            (ty, false) => (item_type(ty), quote!(#field)),
            (ty, true) => {
                let item = item_type(ty);
                (quote!(impl IntoIterator<Item = #item>), quote!(#field.into_iter().collect()))
            }
        };
        let value = if member.required { value } else { quote!(Some(#value)) };
        quote! {
            #doc
            pub fn #field(mut self, #field: #parameter) -> Self {
                self.#field = #value;
                self
            }
        }
    });
    quote! {
        impl #name {
            #new_doc
            pub fn new() -> Self {
                <Self as Default>::default()
            }

            #(#methods)*
        }
    }
}

fn field(member: &Member) -> TokenStream {
    let doc = docs::attributes(&member.description);
    let name = ident(&member.rust_name);
    let mut ty = item_type(&member.ty);
    if member.list {
        ty = quote!(Vec<#ty>);
    }
    if !member.required {
        ty = quote!(Option<#ty>);
    }
    quote! {
        #doc
        pub #name: #ty,
    }
}

/// The Rust type of one value; the `models` module imports `Map`, `Value` and `Id`, and the checker keeps
/// model names off those and the prelude's.
fn item_type(ty: &MemberType) -> TokenStream {
    match ty {
        MemberType::String => quote!(String),
        MemberType::Id => quote!(Id),
        MemberType::Integer | MemberType::Timestamp => quote!(i64),
        MemberType::Number => quote!(f64),
        MemberType::Boolean => quote!(bool),
        MemberType::Json => quote!(Value),
        MemberType::Object => quote!(Map<String, Value>),
        MemberType::Model(name) | MemberType::ValueSet(name) => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

/// The enum of one value set, formatted on its own (for review and snapshots).
pub fn value_set_enum(set: &ValueSet) -> TokenStream {
    let doc = docs::attributes(&format!(
        "{}\n\nA value this version of the client does not know is kept as `{OTHER_VALUE_VARIANT}`.",
        set.description.trim()
    ));
    let name = ident(&set.name);
    let other = ident(OTHER_VALUE_VARIANT);
    let variants = set.options.iter().map(|option| {
        let doc = docs::attributes(option.description.as_deref().unwrap_or(""));
        let variant = ident(&option.variant);
        quote! { #doc #variant, }
    });
    let to_text = set.options.iter().map(|option| {
        let variant = ident(&option.variant);
        let value = &option.value;
        quote! { Self::#variant => #value, }
    });
    let from_text = set.options.iter().map(|option| {
        let variant = ident(&option.variant);
        let value = &option.value;
        quote! { #value => Self::#variant, }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the client does not know, as Intercom sent it.
            #other(String),
        }

        impl #name {
            /// The value as Intercom sends it.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_text)*
                    Self::#other(value) => value,
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                Ok(match value.as_str() {
                    #(#from_text)*
                    _ => Self::#other(value),
                })
            }
        }
    }
}
