//! `intercom-gen snippet`: the Rust program that makes a call with the typed client, to copy into an app.
//!
//! It is built from the function's wire description in the compiled client (the same one `call` uses), so
//! the method, its parameters and the setters are exactly those of the client this tool was built with.
//! The arguments are checked by the client's own rules first: a snippet is only printed for a call that
//! would be sent. Secrets are never written into the program: like the access token, a secret argument
//! (`clientSecret`, the OAuth `code`, ...) is read from an environment variable named after it
//! ([`secret_variable`]).

use std::collections::BTreeSet;
use std::str::FromStr;

use intercom_rest::wire::{Auth, Field, Format, Function, Kind, is_blank};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;
use serde_json::{Map, Value};

/// The program calling `spec` with `arguments` (keyed by manifest names, already checked by the client).
pub fn render(spec: &Function, arguments: &Map<String, Value>) -> Result<String, String> {
    let mut imports = BTreeSet::from(["Client".to_owned()]);
    let mut parameters = Vec::new();
    let mut setters = Vec::new();
    for field in spec.fields {
        let given = arguments.get(field.name).filter(|value| !is_blank(value));
        let Some(value) = given else { continue };
        let expression = if field.secret {
            let variable = secret_variable(field);
            quote!(std::env::var(#variable).unwrap_or_default())
        } else {
            expression(field, value, &mut imports)?
        };
        if field.required {
            parameters.push(expression);
        } else {
            let setter = ident(field.rust_name)?;
            setters.push(quote! { .#setter(#expression) });
        }
    }
    let method = ident(spec.method_name)?;
    let imports = imports.iter().map(|name| ident(name)).collect::<Result<Vec<_>, _>>()?;
    let client = match spec.auth {
        Auth::None => quote! { Client::builder().build()? },
        _ => quote! { Client::new(std::env::var("INTERCOM_ACCESS_TOKEN").unwrap_or_default()) },
    };
    // A function whose answer carries nothing of use returns `()`: there is nothing to print but that it went.
    let call = quote! { client.#method(#(#parameters),*) #(#setters)* .send().await? };
    let report = if spec.returns.is_some_and(|returns| returns.model == "nothing") {
        let done = format!("{} done", spec.name);
        quote! {
            #call;
            println!(#done);
        }
    } else {
        quote! {
            let response = #call;
            println!("{response:#?}");
        }
    };
    let program = quote! {
        use intercom_rest::{#(#imports),*};

        #[tokio::main]
        async fn main() -> Result<(), Box<dyn std::error::Error>> {
            let client = #client;
            #report
            Ok(())
        }
    };
    let file = syn::parse2::<syn::File>(program).map_err(|error| format!("the snippet does not parse: {error}"))?;
    Ok(prettyplease::unparse(&file))
}

/// The environment variable a snippet reads a secret argument from: `INTERCOM_` and its Rust name in capitals,
/// e.g. `INTERCOM_CLIENT_SECRET` for `clientSecret`.
pub fn secret_variable(field: &Field) -> String {
    format!("INTERCOM_{}", field.rust_name.to_ascii_uppercase())
}

fn ident(name: &str) -> Result<Ident, String> {
    syn::parse_str::<Ident>(name).map_err(|_| format!("`{name}` is not a Rust identifier"))
}

/// The Rust expression giving `value` to the parameter or setter of `field`, in the type the typed client
/// takes (text, numbers, `json!`, arrays, the `Select` enum's variant), read the way the client reads
/// arguments by name (numeric text, `"true"`, comma-separated lists, JSON text).
fn expression(field: &Field, value: &Value, imports: &mut BTreeSet<String>) -> Result<TokenStream, String> {
    let wrong = || format!("`{}` cannot be written as Rust: {value}", field.name);
    // IPs and URLs have types of their own in the typed client: the text is parsed into them.
    let typed_text = matches!(field.format, Some(Format::Ip | Format::Url));
    Ok(match field.kind {
        Kind::String => {
            let text = match value {
                Value::String(text) => text.clone(),
                Value::Number(number) => number.to_string(),
                _ => return Err(wrong()),
            };
            if typed_text { quote!(#text.parse()?) } else { quote!(#text) }
        }
        Kind::Integer => integer(number(value).ok_or_else(wrong)? as i64, false),
        Kind::Number => {
            let number = number(value).ok_or_else(wrong)?;
            let literal = Literal::f64_unsuffixed(number.abs());
            if number < 0.0 { quote!(-#literal) } else { quote!(#literal) }
        }
        Kind::Boolean => {
            let flag = match value {
                Value::Bool(flag) => *flag,
                Value::String(text) => text.trim().eq_ignore_ascii_case("true"),
                _ => return Err(wrong()),
            };
            quote!(#flag)
        }
        Kind::Json => json_macro(&parsed(value))?,
        Kind::JsonObject => {
            imports.insert("object".to_owned());
            let tokens = TokenStream::from_str(&parsed(value).to_string())
                .map_err(|error| format!("cannot write {value} as Rust: {error}"))?;
            quote!(object!(#tokens))
        }
        Kind::ListOfStrings => {
            let items: Vec<String> = match value {
                Value::String(text) => {
                    text.split(',').map(str::trim).filter(|item| !item.is_empty()).map(str::to_owned).collect()
                }
                Value::Array(items) => {
                    items.iter().map(|item| item.as_str().map_or_else(|| item.to_string(), str::to_owned)).collect()
                }
                _ => return Err(wrong()),
            };
            if typed_text { quote!([#(#items.parse()?),*]) } else { quote!([#(#items),*]) }
        }
        // The typed setter takes the items' model: each is read from the JSON given (its type is inferred).
        Kind::ListOfObjects => {
            let Value::Array(items) = parsed(value) else { return Err(wrong()) };
            let items = items.iter().map(json_macro).collect::<Result<Vec<_>, _>>()?;
            quote!([#(serde_json::from_value(#items)?),*])
        }
        Kind::DateTime => match value {
            Value::Number(number) => integer(number.as_i64().ok_or_else(wrong)?, true),
            Value::String(text) => match text.trim().parse::<i64>() {
                Ok(seconds) => integer(seconds, true),
                Err(_) => quote!(#text),
            },
            _ => return Err(wrong()),
        },
        Kind::Select(select) => {
            let variant = value.as_str().and_then(|value| select.variant(value)).ok_or_else(wrong)?;
            imports.insert(select.name.to_owned());
            let (select, variant) = (ident(select.name)?, ident(variant)?);
            quote!(#select::#variant)
        }
        _ => return Err(wrong()),
    })
}

/// A number given as a JSON number or as numeric text.
fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(number) => number.as_f64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// An integer literal; Unix seconds are suffixed `_i64` so that they pick `Timestamp`'s `From<i64>`.
fn integer(number: i64, suffixed: bool) -> TokenStream {
    let magnitude = if suffixed {
        Literal::i64_suffixed(number.unsigned_abs() as i64)
    } else {
        Literal::u64_unsuffixed(number.unsigned_abs())
    };
    if number < 0 { quote!(-#magnitude) } else { quote!(#magnitude) }
}

/// JSON given as JSON text is read as JSON, as the client reads it by name.
fn parsed(value: &Value) -> Value {
    match value {
        Value::String(text) => serde_json::from_str(text).unwrap_or_else(|_| value.clone()),
        other => other.clone(),
    }
}

/// `serde_json::json!(...)` of a value: JSON text is also valid input to the macro.
fn json_macro(value: &Value) -> Result<TokenStream, String> {
    let tokens =
        TokenStream::from_str(&value.to_string()).map_err(|error| format!("cannot write {value} as Rust: {error}"))?;
    Ok(quote!(serde_json::json!(#tokens)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::render;

    fn snippet(function: &str, arguments: serde_json::Value) -> String {
        let spec = intercom_rest::find_function(function).unwrap();
        render(spec, arguments.as_object().unwrap()).unwrap()
    }

    #[test]
    fn a_call_with_a_select_and_setters() {
        let code = snippet(
            "createAdminMessage",
            json!({ "fromAdminId": "814", "receiverType": "user", "receiverId": "ann@example.com",
                    "receiverIdType": "email", "messageType": "email", "body": "Hi", "subject": "Invoice" }),
        );
        assert_eq!(
            code,
            r#"use intercom_rest::{Client, MessageType, ReceiverType, UserIdType};
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::new(std::env::var("INTERCOM_ACCESS_TOKEN").unwrap_or_default());
    let response = client
        .create_admin_message(
            "814",
            ReceiverType::User,
            "ann@example.com",
            UserIdType::Email,
            MessageType::Email,
            "Hi",
        )
        .subject("Invoice")
        .send()
        .await?;
    println!("{response:#?}");
    Ok(())
}
"#
        );
    }

    #[test]
    fn values_take_the_types_of_the_typed_client() {
        let code = snippet(
            "createUserById",
            json!({ "userId": "0042", "customAttributes": "{\"plan\": \"pro\"}", "companies": [{ "company_id": "c1" }],
                    "lastRequestAt": "1714557600", "newSession": "true" }),
        );
        assert!(code.contains(r#".create_user_by_id("0042")"#), "{code}");
        assert!(code.contains(r#".custom_attributes(object!({ "plan" : "pro" }))"#), "{code}");
        assert!(
            code.contains(r#".companies([serde_json::from_value(serde_json::json!({ "company_id" : "c1" }))?])"#),
            "{code}"
        );
        assert!(code.contains(".last_request_at(1714557600i64)"), "{code}");
        assert!(code.contains(".new_session(true)"), "{code}");
        let code = snippet("getUsers", json!({ "page": "2", "perPage": 50 }));
        assert!(code.contains(".page(2)") && code.contains(".per_page(50)"), "{code}");
        let code = snippet("createSubscription", json!({ "url": "https://h.example", "topics": "user.created, ping" }));
        // A URL argument takes a URL: the text is parsed into one.
        assert!(
            code.contains(r#".create_subscription("https://h.example".parse()?, ["user.created", "ping"])"#),
            "{code}"
        );
    }

    #[test]
    fn the_oauth_exchange_builds_a_client_without_a_token() {
        let code = snippet("getAccessToken", json!({ "clientId": "id", "clientSecret": "secret", "code": "c" }));
        assert!(code.contains("let client = Client::builder().build()?;"), "{code}");
    }

    /// A secret is read from the environment, never written into the program.
    #[test]
    fn secret_arguments_are_read_from_the_environment() {
        let code = snippet(
            "getAccessToken",
            json!({ "clientId": "the-id", "clientSecret": "s3cr3t-value", "code": "oauth-code-123" }),
        );
        for secret in ["the-id", "s3cr3t-value", "oauth-code-123"] {
            assert!(!code.contains(secret), "{secret} is in the program:\n{code}");
        }
        assert!(code.contains(r#"std::env::var("INTERCOM_CLIENT_SECRET").unwrap_or_default()"#), "{code}");
        assert!(code.contains(r#"std::env::var("INTERCOM_CODE").unwrap_or_default()"#), "{code}");
        assert!(code.contains(r#"std::env::var("INTERCOM_CLIENT_ID").unwrap_or_default()"#), "{code}");
    }
}
