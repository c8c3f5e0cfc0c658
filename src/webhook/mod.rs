//! Verified webhooks: Intercom's notifications checked against their `X-Hub-Signature` and decoded into a typed
//! envelope.
//!
//! A subscription created with a `hub_secret` has every notification signed: Intercom POSTs the notification
//! as JSON with the header `X-Hub-Signature: sha1=<hex>`, the lowercase hex HMAC-SHA1 of the raw body keyed by
//! the secret. [`verify`] checks that header in constant time; [`parse`] decodes a body into a [`Webhook`]: the
//! [`Notification`] and its item decoded as the model of its topic ([`WebhookItem`]); [`verify_and_parse`]
//! does both, refusing a body over [`MAX_BODY_BYTES`] before anything else.
//!
//! ```
//! use intercom_rest::webhook::{self, WebhookError};
//!
//! let body = br#"{"type":"notification_event","topic":"ping","data":{"item":{"type":"ping","message":"hi"}}}"#;
//! let header = webhook::signature("s3cret", body); // what Intercom sends, e.g. in a test
//! let hook = webhook::verify_and_parse("s3cret", body, Some(&header))?;
//! assert_eq!(hook.topic(), "ping");
//! assert_eq!(webhook::verify("another", body, Some(&header)), Err(WebhookError::SignatureMismatch));
//! # Ok::<(), WebhookError>(())
//! ```
//!
//! With the `webhook-receiver` feature, `receiver` is an axum `Router` that does all of this for an
//! endpoint and hands each webhook to your code.

#[cfg(feature = "webhook-receiver")]
mod receiver;

use std::fmt;
use std::sync::Arc;

use hmac::{Hmac, KeyInit, Mac};
use serde::{Serialize, Serializer};
use serde_json::Value;
use sha1::Sha1;

use crate::models::{self, Notification, WebhookItem};

#[cfg(feature = "webhook-receiver")]
pub use receiver::{Handler, ReceiverBuilder, receiver};

/// The header Intercom signs notifications in.
pub const SIGNATURE_HEADER: &str = "X-Hub-Signature";

/// The largest body [`verify_and_parse`] (and, unless told otherwise, the receiver) accepts: 1 MiB. Intercom's
/// notifications carry one object, far smaller; a larger body is refused before its signature is computed.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What comes before the hex digest in the header.
const SCHEME: &[u8] = b"sha1=";

/// The length of an HMAC-SHA1, in bytes.
const DIGEST_BYTES: usize = 20;

/// Why a webhook was refused. Neither the secret nor the expected signature is ever part of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The request has no `X-Hub-Signature` header (or the subscription has no `hub_secret`).
    #[error("the notification has no X-Hub-Signature header")]
    MissingSignature,
    /// The header does not start with `sha1=`.
    #[error("the X-Hub-Signature header does not start with `sha1=`")]
    UnsupportedScheme,
    /// The digest after `sha1=` has an odd number of characters.
    #[error("the X-Hub-Signature digest has an odd number of hex digits")]
    OddLength,
    /// The digest after `sha1=` holds a character that is not a hex digit.
    #[error("the X-Hub-Signature digest holds a character that is not a hex digit")]
    NotHex,
    /// The digest is hex, but not the 40 digits of an HMAC-SHA1.
    #[error("the X-Hub-Signature digest has {digits} hex digits, not the 40 of an HMAC-SHA1")]
    WrongLength {
        /// How many hex digits it has.
        digits: usize,
    },
    /// The signature is well formed but not the body's: the body was changed, or it was signed with another
    /// secret.
    #[error("the X-Hub-Signature does not match the body (a changed body, or another secret)")]
    SignatureMismatch,
    /// The body is larger than accepted; nothing of it was verified.
    #[error("the body is larger than {limit} bytes")]
    TooLarge {
        /// The most bytes accepted.
        limit: usize,
    },
    /// The body is not a notification: `path` says where in the JSON, `detail` what was wrong.
    #[error("the body is not a notification: at `{path}`: {detail}")]
    NotANotification {
        /// Where decoding failed, e.g. `data.item.created_at` (`.` for the whole body).
        path: String,
        /// What was wrong there.
        detail: String,
    },
}

impl WebhookError {
    /// Whether the signature is missing, malformed or wrong (rather than the body too large or not a
    /// notification).
    pub fn is_signature_problem(&self) -> bool {
        matches!(
            self,
            WebhookError::MissingSignature
                | WebhookError::UnsupportedScheme
                | WebhookError::OddLength
                | WebhookError::NotHex
                | WebhookError::WrongLength { .. }
                | WebhookError::SignatureMismatch
        )
    }

    /// The HTTP status an endpoint answers this refusal with: `401` for a signature problem, `413` for a body
    /// too large, `400` for a body that is not a notification.
    pub fn http_status(&self) -> u16 {
        match self {
            WebhookError::TooLarge { .. } => 413,
            WebhookError::NotANotification { .. } => 400,
            _ => 401,
        }
    }
}

/// A subscription's `hub_secret`, the key notifications are signed with. Its `Debug` output never shows it.
#[derive(Clone)]
pub struct HubSecret(Arc<[u8]>);

impl HubSecret {
    /// The secret's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for HubSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HubSecret(<redacted>)")
    }
}

impl AsRef<[u8]> for HubSecret {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<&str> for HubSecret {
    fn from(secret: &str) -> Self {
        HubSecret(Arc::from(secret.as_bytes()))
    }
}

impl From<String> for HubSecret {
    fn from(secret: String) -> Self {
        HubSecret(Arc::from(secret.into_bytes()))
    }
}

impl From<&[u8]> for HubSecret {
    fn from(secret: &[u8]) -> Self {
        HubSecret(Arc::from(secret))
    }
}

impl From<Vec<u8>> for HubSecret {
    fn from(secret: Vec<u8>) -> Self {
        HubSecret(Arc::from(secret))
    }
}

/// An HMAC-SHA1 keyed by `secret`.
fn mac(secret: &[u8]) -> Hmac<Sha1> {
    match <Hmac<Sha1> as KeyInit>::new_from_slice(secret) {
        Ok(mac) => mac,
        // HMAC takes a key of any length (a long one is hashed first): `new_from_slice` never fails for it.
        Err(_) => unreachable!("HMAC accepts keys of any length"),
    }
}

/// The `X-Hub-Signature` value Intercom sends with `body` for a subscription whose `hub_secret` is `secret`:
/// `sha1=` and the lowercase hex HMAC-SHA1 of the body. For tests and tools that send notifications; an
/// endpoint checks a signature with [`verify`], which compares in constant time.
pub fn signature(secret: impl AsRef<[u8]>, body: &[u8]) -> String {
    let mut mac = mac(secret.as_ref());
    mac.update(body);
    format!("sha1={}", hex::encode(mac.finalize().into_bytes()))
}

/// Checks that `signature_header` (the value of `X-Hub-Signature`, `None` when the request has none) is
/// `sha1=` followed by the hex HMAC-SHA1 of the raw `body` keyed by the subscription's hub secret.
///
/// The digest is compared in constant time. Hex digits may be of either case; whitespace around the value is
/// ignored.
///
/// # Errors
///
/// [`WebhookError::MissingSignature`], [`UnsupportedScheme`](WebhookError::UnsupportedScheme) (no `sha1=`),
/// [`OddLength`](WebhookError::OddLength), [`NotHex`](WebhookError::NotHex),
/// [`WrongLength`](WebhookError::WrongLength), or [`SignatureMismatch`](WebhookError::SignatureMismatch) when
/// the body was changed or signed with another secret.
pub fn verify(secret: impl AsRef<[u8]>, body: &[u8], signature_header: Option<&str>) -> Result<(), WebhookError> {
    verify_bytes(secret.as_ref(), body, signature_header.map(str::as_bytes))
}

/// [`verify`] for a header value as bytes (HTTP header values need not be UTF-8).
pub(crate) fn verify_bytes(secret: &[u8], body: &[u8], header: Option<&[u8]>) -> Result<(), WebhookError> {
    let header = header.ok_or(WebhookError::MissingSignature)?.trim_ascii();
    let digits = header.strip_prefix(SCHEME).ok_or(WebhookError::UnsupportedScheme)?;
    let expected = hex::decode(digits).map_err(|error| match error {
        hex::FromHexError::OddLength => WebhookError::OddLength,
        hex::FromHexError::InvalidHexCharacter { .. } | hex::FromHexError::InvalidStringLength => WebhookError::NotHex,
    })?;
    if expected.len() != DIGEST_BYTES {
        return Err(WebhookError::WrongLength { digits: digits.len() });
    }
    let mut mac = mac(secret);
    mac.update(body);
    mac.verify_slice(&expected).map_err(|_| WebhookError::SignatureMismatch)
}

/// Refuses a body over `limit` bytes, checks its signature ([`verify`]), then decodes it ([`parse`]): what an
/// endpoint does with each request, with the limit [`MAX_BODY_BYTES`].
///
/// # Errors
///
/// [`WebhookError::TooLarge`] before anything else, a signature problem (see [`verify`]), then
/// [`WebhookError::NotANotification`].
pub fn verify_and_parse(
    secret: impl AsRef<[u8]>,
    body: &[u8],
    signature_header: Option<&str>,
) -> Result<Webhook, WebhookError> {
    verify_and_parse_bytes(secret.as_ref(), body, signature_header.map(str::as_bytes), MAX_BODY_BYTES)
}

/// [`verify_and_parse`] with a header as bytes and a limit of its own.
pub(crate) fn verify_and_parse_bytes(
    secret: &[u8],
    body: &[u8],
    header: Option<&[u8]>,
    limit: usize,
) -> Result<Webhook, WebhookError> {
    if body.len() > limit {
        return Err(WebhookError::TooLarge { limit });
    }
    verify_bytes(secret, body, header)?;
    parse(body)
}

/// Decodes a notification body into a [`Webhook`], straight from the bytes, **without checking its
/// signature**: use [`verify`] first (or [`verify_and_parse`]) on anything that came from the network.
///
/// # Errors
///
/// [`WebhookError::NotANotification`], naming where in the JSON and what was wrong, when the body is not a
/// JSON notification, has no `topic` or no `data.item`, or its item does not have the shape of its topic's
/// model.
pub fn parse(body: &[u8]) -> Result<Webhook, WebhookError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let mut notification: Notification = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        WebhookError::NotANotification { path: error.path().to_string(), detail: error.inner().to_string() }
    })?;
    deserializer.end().map_err(|error| not_a_notification(".", error.to_string()))?;
    let topic = match &notification.topic {
        Some(topic) => topic.as_str().to_owned(),
        None => return Err(not_a_notification("topic", "missing: a notification names its topic")),
    };
    let item = notification
        .data
        .as_mut()
        .and_then(|data| data.item.take())
        .filter(|item| !item.is_null())
        .ok_or_else(|| not_a_notification("data.item", "missing: a notification carries the object it is about"))?;
    let item = match WebhookItem::decode(&topic, item) {
        Ok(item) => item,
        Err(error) => {
            // Only on this path is the item read a second time, to say where it is wrong.
            let item = serde_json::from_slice::<Value>(body)
                .ok()
                .and_then(|mut notification| notification.pointer_mut("/data/item").map(Value::take))
                .unwrap_or_default();
            return Err(item_error(&topic, item, &error));
        }
    };
    Ok(Webhook { notification, item })
}

fn not_a_notification(path: &str, detail: impl Into<String>) -> WebhookError {
    WebhookError::NotANotification { path: path.to_owned(), detail: detail.into() }
}

/// The error of an item that does not decode as its topic's model, with the path to the member at fault.
///
/// [`WebhookItem::decode`] reports what was wrong but not where; the item is decoded again, as the same
/// model, tracking the path. The model is the one `decode` expects for the topic (serde names it when it is
/// given `null`: "expected struct Conversation").
fn item_error(topic: &str, item: Value, error: &serde_json::Error) -> WebhookError {
    let detail = error.to_string();
    let model = match WebhookItem::decode(topic, Value::Null) {
        Err(expected) => expected.to_string(),
        Ok(_) => String::new(),
    };
    let model = model.rsplit("expected struct ").next().unwrap_or_default();
    let located = match model {
        "Company" => locate::<models::Company>(item),
        "Conversation" => locate::<models::Conversation>(item),
        "ContactTag" => locate::<models::ContactTag>(item),
        "Event" => locate::<models::Event>(item),
        "Lead" => locate::<models::Lead>(item),
        "Ping" => locate::<models::Ping>(item),
        "User" => locate::<models::User>(item),
        "UserTag" => locate::<models::UserTag>(item),
        "Visitor" => locate::<models::Visitor>(item),
        _ => None,
    };
    match located {
        Some((path, detail)) if path == "." => not_a_notification("data.item", detail),
        Some((path, detail)) => not_a_notification(&format!("data.item.{path}"), detail),
        None => not_a_notification("data.item", detail),
    }
}

/// Where `item` fails to decode as `T`, and why.
fn locate<T: serde::de::DeserializeOwned>(item: Value) -> Option<(String, String)> {
    match serde_path_to_error::deserialize::<_, T>(item) {
        Ok(_) => None,
        Err(error) => Some((error.path().to_string(), error.inner().to_string())),
    }
}

/// A verified notification, decoded: the envelope and its item as the model of its topic.
///
/// It encodes (`Serialize`) as the whole notification, its `data.item` being the encoded item: nothing is
/// lost, as for every model (members the models do not declare are kept and written back), except that a
/// `null` member may come back absent and an id sent as a number comes back as text.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Webhook {
    /// The notification: `id` (drop duplicates on it: Intercom delivers at least once), `topic`, `app_id`,
    /// `created_at`, `delivery_attempts`, … Its `data.item` is `None`: the item is [`item`](Self::item).
    pub notification: Notification,
    /// The object the notification is about, decoded as the model of its topic (`Unknown`, kept as JSON, for a
    /// topic this client does not know).
    pub item: WebhookItem,
}

impl Webhook {
    /// The topic, e.g. `user.created`.
    pub fn topic(&self) -> &str {
        self.item.topic()
    }

    /// The notification's id (`notif_…`), when it has one (pings have none).
    pub fn id(&self) -> Option<&str> {
        self.notification.id.as_deref()
    }

    /// The whole notification as JSON (see the type's documentation for what may differ from what was sent).
    ///
    /// # Errors
    ///
    /// Never for the models of this crate; the error of `serde_json` otherwise.
    pub fn to_json(&self) -> Result<Value, serde_json::Error> {
        let mut notification = serde_json::to_value(&self.notification)?;
        let item = serde_json::to_value(&self.item)?;
        if let Value::Object(members) = &mut notification {
            let data = members.entry("data").or_insert_with(|| Value::Object(serde_json::Map::new()));
            if let Value::Object(data) = data {
                data.insert("item".to_owned(), item);
            }
        }
        Ok(notification)
    }
}

impl Serialize for Webhook {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().map_err(serde::ser::Error::custom)?.serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Computed independently: `python3 -c "import hmac, hashlib; print(hmac.new(b'key', b'The quick brown fox
    /// jumps over the lazy dog', hashlib.sha1).hexdigest())"` (also RFC 2104's well-known example).
    const FOX: &str = "sha1=de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9";

    #[test]
    fn signatures_match_known_answers() {
        let body = b"The quick brown fox jumps over the lazy dog";
        assert_eq!(signature("key", body), FOX);
        assert_eq!(signature("", b""), "sha1=fbdb1d1b18aa6c08324b7d64b71fb76370690e1d");
        assert_eq!(verify("key", body, Some(FOX)), Ok(()));
        assert_eq!(verify(b"key".as_slice(), body, Some(&FOX.to_uppercase().replace("SHA1=", "sha1="))), Ok(()));
        assert_eq!(verify("key", body, Some(&format!("  {FOX}\t"))), Ok(()));
    }

    #[test]
    fn every_malformed_signature_has_its_own_error() {
        let body = b"The quick brown fox jumps over the lazy dog";
        let digits = &FOX[5..];
        assert_eq!(verify("key", body, None), Err(WebhookError::MissingSignature));
        assert_eq!(verify("key", body, Some(digits)), Err(WebhookError::UnsupportedScheme));
        assert_eq!(verify("key", body, Some(&format!("sha256={digits}"))), Err(WebhookError::UnsupportedScheme));
        assert_eq!(verify("key", body, Some(&FOX[..FOX.len() - 1])), Err(WebhookError::OddLength));
        assert_eq!(verify("key", body, Some(&format!("sha1=zz{}", &digits[2..]))), Err(WebhookError::NotHex));
        assert_eq!(verify("key", body, Some(&FOX[..FOX.len() - 2])), Err(WebhookError::WrongLength { digits: 38 }));
        assert_eq!(verify("key", body, Some("sha1=")), Err(WebhookError::WrongLength { digits: 0 }));
        assert_eq!(verify("other", body, Some(FOX)), Err(WebhookError::SignatureMismatch));
        assert_eq!(
            verify("key", b"The quick brown fox jumps over the lazy cat", Some(FOX)),
            Err(WebhookError::SignatureMismatch)
        );
        let flipped = format!("sha1={}e", &digits[..39]);
        assert_eq!(verify("key", body, Some(&flipped)), Err(WebhookError::SignatureMismatch));
        assert!(verify("key", body, Some("sha1=é")).is_err());
    }

    #[test]
    fn errors_and_secrets_never_show_the_secret_or_the_expected_signature() {
        let secret = HubSecret::from("very-secret-value");
        assert_eq!(format!("{secret:?}"), "HubSecret(<redacted>)");
        let body = b"{}";
        let expected = signature(&secret, body);
        for header in [
            None,
            Some("sha1=00"),
            Some("nope"),
            Some("sha1=abc"),
            Some("sha1=0000000000000000000000000000000000000000"),
        ] {
            let error = verify(&secret, body, header).unwrap_err();
            for shown in [error.to_string(), format!("{error:?}")] {
                assert!(!shown.contains("very-secret-value") && !shown.contains(&expected[5..]), "{shown}");
            }
        }
    }

    #[test]
    fn a_body_over_the_limit_is_refused_before_its_signature_is_checked() {
        let body = vec![b' '; MAX_BODY_BYTES + 1];
        assert_eq!(verify_and_parse("key", &body, None), Err(WebhookError::TooLarge { limit: MAX_BODY_BYTES }));
        assert_eq!(WebhookError::TooLarge { limit: 1 }.http_status(), 413);
        assert_eq!(WebhookError::MissingSignature.http_status(), 401);
    }

    #[test]
    fn an_item_of_the_wrong_shape_is_located() {
        let body = br#"{"type":"notification_event","topic":"conversation.user.created","data":{"item":{"type":"conversation","id":"1","conversation_parts":{"conversation_parts":[{"id":"2","created_at":"soon"}]}}}}"#;
        let error = parse(body).unwrap_err();
        let WebhookError::NotANotification { path, detail } = &error else { panic!("{error:?}") };
        assert_eq!(path, "data.item.conversation_parts.conversation_parts[0].created_at", "{detail}");
        let body = br#"{"topic":"user.created","data":{"item":[1]}}"#;
        assert!(matches!(parse(body), Err(WebhookError::NotANotification { path, .. }) if path == "data.item"));
        let body = br#"{"topic":"ping","data":{}}"#;
        assert!(matches!(parse(body), Err(WebhookError::NotANotification { path, .. }) if path == "data.item"));
        let body = br#"{"data":{"item":{}}}"#;
        assert!(matches!(parse(body), Err(WebhookError::NotANotification { path, .. }) if path == "topic"));
        let body = br#"{"topic":"ping","delivery_attempts":"many","data":{"item":{}}}"#;
        assert!(matches!(parse(body), Err(WebhookError::NotANotification { path, .. }) if path == "delivery_attempts"));
        assert!(matches!(parse(b"{} {}"), Err(WebhookError::NotANotification { path, .. }) if path == "."));
    }
}
