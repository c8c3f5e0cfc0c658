//! `Select` option sets as Rust enums that carry their wire values.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs;
use super::ident;
use crate::ir::Select;

pub fn select_enum(select: &Select) -> TokenStream {
    let doc = docs::attributes(&docs::select_doc(select));
    let name = ident(&select.name);
    let name_text = &select.name;
    let variants: Vec<_> = select.options.iter().map(|option| ident(&option.variant)).collect();
    let variant_docs = select.options.iter().map(|option| docs::attributes(&docs::option_doc(option)));
    let values: Vec<&str> = select.options.iter().map(|option| option.value.as_str()).collect();
    let variant_names: Vec<&str> = select.options.iter().map(|option| option.variant.as_str()).collect();
    let count = Literal::usize_unsuffixed(variants.len());
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variant_docs #variants,)*
        }

        impl #name {
            /// Every value, in manifest order.
            pub const ALL: [Self; #count] = [#(Self::#variants),*];

            /// The option set as the request planner and tools see it.
            pub const SELECT: crate::wire::Select =
                crate::wire::Select::new(#name_text, &[#(#values),*], &[#(#variant_names),*]);

            /// The value as it is sent to Intercom.
            pub const fn as_str(self) -> &'static str {
                match self {
                    #(Self::#variants => #values,)*
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = crate::UnknownOption;

            /// Parses a wire value; anything else is an error that lists the allowed values.
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                match value {
                    #(#values => Ok(Self::#variants),)*
                    _ => Err(crate::UnknownOption::new(value, Self::SELECT)),
                }
            }
        }
    }
}
