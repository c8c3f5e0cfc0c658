//! The `triggers` module: for each trigger of the manifest, its wire description (which list function it polls,
//! with which arguments, and which members of an item identify it and date it) and its `Client` method, which
//! returns a typed stream of what is new.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident};
use crate::ir::Trigger;

/// The `triggers` module and `TRIGGERS`, every trigger's wire description sorted by name.
pub fn module(triggers: &[Trigger]) -> TokenStream {
    let items = triggers.iter().map(trigger_items);
    let statics = triggers.iter().map(|trigger| {
        let name = ident(&trigger.static_name);
        quote!(&triggers::#name)
    });
    let count = proc_macro2::Literal::usize_unsuffixed(triggers.len());
    quote! {
        /// Triggers: list functions polled for what is new or updated since the last poll, as streams of models.
        pub mod triggers {
            use crate::wire;

            #(#items)*
        }

        /// Every trigger's wire description, sorted by name (`intercom-gen watch` finds them here).
        pub(crate) static TRIGGERS: [&crate::wire::Trigger; #count] = [#(#statics),*];
    }
}

/// The wire description and `Client` method of one trigger, formatted on its own (for review and snapshots).
pub fn trigger_items(trigger: &Trigger) -> TokenStream {
    let static_name = ident(&trigger.static_name);
    let method = ident(&trigger.method_name);
    let (name, method_name, description) = (&trigger.name, &trigger.method_name, &trigger.description);
    let module = ident(&trigger.module);
    let function = ident(&trigger.function_static);
    let (id_member, since_member) = (&trigger.id.0, &trigger.since.0);
    let arguments = trigger.arguments.iter().map(|(name, value)| {
        let value = super::wire::constant(value);
        quote! { (#name, #value) }
    });
    let item = ident(&trigger.item);
    let id_field = ident(&trigger.id_field);
    let since_field = ident(&trigger.since.1);
    // What the stream needs of an item: its id, and when it became new (an item without one is never new).
    let id = if trigger.id.1 {
        quote!(item.#id_field.to_string())
    } else {
        quote!(item.#id_field.as_deref().unwrap_or_default().to_owned())
    };
    let since = if trigger.since.2 { quote!(Some(item.#since_field)) } else { quote!(item.#since_field) };
    let spec_doc = docs::attributes(&format!("How `{name}` polls: read by its stream and by tools."));
    let method_doc = docs::attributes(&format!(
        "{}\n\nPolls [`{}`](crate::Client::{}) every two minutes by default; see [`Trigger`](crate::Trigger) for \
         the interval, where its position is kept, and what it guarantees.",
        description.trim(),
        trigger.function,
        trigger.function_method,
    ));
    quote! {
        #spec_doc
        pub static #static_name: wire::Trigger =
            wire::Trigger::new(#name, #method_name, #description, &crate::#module::#function, #id_member, #since_member)
                .arguments(&[#(#arguments),*]);

        impl crate::Client {
            #method_doc
            pub fn #method(&self) -> crate::Trigger<crate::models::#item> {
                crate::Trigger::new(self, &#static_name, |item: &crate::models::#item, _| (#id, #since))
            }
        }
    }
}
