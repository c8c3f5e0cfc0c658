//! Streams of the items of every page of a list function.
//!
//! A stream holds one page at a time: it fetches a page (through the client, so with its retries and rate
//! limiting), yields its items, and only then fetches the next. It ends after the last page, or after the
//! first error, which it yields.

use std::borrow::Cow;
use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{BoxStream, Stream, StreamExt};
use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::client::Client;
use crate::error::{ApiError, ApiErrorDetail, DecodeError, Error};
use crate::plan::arguments::Arguments;
use crate::plan::request::PreparedRequest;
use crate::raw::RawJson;
use crate::wire::{Function, Paging};

/// The items of every page of a list function, in order: the function's item model for a typed stream
/// (`client.get_users().stream()` yields `models::User`), JSON for [`Client::stream_call`]. It owns what it
/// needs (a handle of the client), so it can be handed to `tokio::spawn`.
#[must_use = "a stream does nothing until it is polled"]
pub struct ItemStream<T = Value> {
    function: &'static str,
    inner: BoxStream<'static, Result<T, Error>>,
}

impl<T> Stream for ItemStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(context)
    }
}

impl<T> fmt::Debug for ItemStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream").field("function", &self.function).finish_non_exhaustive()
    }
}

/// Streams the items of `spec` (a list function) called with `arguments`, each decoded into `T` straight from
/// the page's bytes; a function without paging gives one [`Error::NotAList`].
pub(crate) fn items<T>(client: Client, spec: &'static Function, arguments: Arguments) -> ItemStream<T>
where
    T: DeserializeOwned + Send + 'static,
{
    let walk = Walk {
        client,
        spec,
        arguments,
        next: Next::First,
        buffer: VecDeque::new(),
        followed: HashSet::new(),
        previous_page: None,
        first_request: None,
    };
    let inner = futures::stream::unfold(walk, |mut walk| async move {
        loop {
            if let Some(item) = walk.buffer.pop_front() {
                return Some((Ok(item), walk));
            }
            if matches!(walk.next, Next::Done) {
                return None;
            }
            if let Err(error) = walk.fetch_page().await {
                walk.next = Next::Done;
                walk.buffer.clear();
                return Some((Err(error), walk));
            }
        }
    });
    ItemStream { function: spec.name, inner: inner.boxed() }
}

/// Where a stream is.
struct Walk<T> {
    client: Client,
    spec: &'static Function,
    arguments: Arguments,
    next: Next,
    /// The items of the current page not yet yielded.
    buffer: VecDeque<T>,
    /// Hashes of the `pages.next` URLs already followed.
    followed: HashSet<u64>,
    /// The hash of the previous scroll page's items.
    previous_page: Option<u64>,
    /// The first request, whose function, authentication and token the follow-up requests keep.
    first_request: Option<PreparedRequest>,
}

enum Next {
    First,
    Url(String),
    Scroll(String),
    /// The current page's items are still good, but what follows them is this error.
    Fail(Error),
    Done,
}

impl<T: DeserializeOwned> Walk<T> {
    /// Fetches the next page into the buffer and works out what follows it.
    async fn fetch_page(&mut self) -> Result<(), Error> {
        let function = self.spec.name;
        let Some(paging) = self.spec.paging else { return Err(Error::NotAList { function }) };
        let request = match std::mem::replace(&mut self.next, Next::Done) {
            Next::First => {
                let request = crate::plan::prepare(self.spec, &self.arguments)?;
                self.first_request = Some(request.clone());
                request
            }
            Next::Url(url) => match &self.first_request {
                Some(first) => follow(first, self.client.base_url(), &url)?,
                // A `pages.next` is only read from a page, which the first request fetched.
                None => {
                    return Err(Error::UnexpectedPage { function, detail: "a next page before the first".to_owned() });
                }
            },
            Next::Scroll(scroll_param) => {
                if let Paging::Scroll { cursor, .. } = paging {
                    self.arguments.set_named(self.spec, cursor, Value::String(scroll_param));
                }
                crate::plan::prepare(self.spec, &self.arguments)?
            }
            Next::Fail(error) => return Err(error),
            Next::Done => return Ok(()),
        };
        let body = self.client.execute_raw(request).await?;
        let unexpected = |detail: String| Error::UnexpectedPage { function, detail };
        let items_key = match paging {
            Paging::Pages { items } | Paging::Scroll { items, .. } => items,
        };
        let page = RawPage::read(body.as_str(), items_key);
        let items = match page.items {
            Some(items) if items.get().starts_with('[') => items,
            Some(_) => return Err(unexpected(format!("`{items_key}` is not an array"))),
            None => return Err(unexpected(format!("the page has no `{items_key}`"))),
        };
        let decoded = decode_items::<T>(items.get(), items_key).map_err(|(path, detail)| {
            let model = self.spec.returns.map_or("JSON", |returns| returns.model);
            Error::Decode(Box::new(DecodeError { function, model, path, detail, body: body.as_str().to_owned() }))
        })?;
        self.next = match paging {
            Paging::Pages { .. } => match page.next {
                None | Some(Value::Null) => Next::Done,
                Some(Value::String(url)) if url.is_empty() => Next::Done,
                // The items of this page are new; it is the link onwards that leads back.
                Some(Value::String(url)) if !self.followed.insert(hash(&url)) => {
                    Next::Fail(Error::RepeatedCursor { function })
                }
                Some(Value::String(url)) => Next::Url(url),
                Some(_) => return Err(unexpected("`pages.next` is not a URL".to_owned())),
            },
            // A scroll ends on its first empty page. Its `scroll_param` may stay the same from page to page, so
            // a loop shows as the same page twice in a row instead (whose items were all yielded already).
            Paging::Scroll { .. } if decoded.is_empty() => Next::Done,
            Paging::Scroll { .. } => {
                let page_hash = hash(&items.get());
                if self.previous_page.replace(page_hash) == Some(page_hash) {
                    return Err(Error::RepeatedCursor { function });
                }
                match page.scroll_param {
                    Some(Value::String(scroll_param)) if !scroll_param.is_empty() => Next::Scroll(scroll_param),
                    _ => return Err(unexpected("a page with items has no `scroll_param`".to_owned())),
                }
            }
        };
        self.buffer = decoded.into();
        Ok(())
    }
}

/// The one item of a list Intercom answered where the function returns one object (e.g. `GET /users?email=`
/// answers a `user.list`): none is [`Error::NotFound`], several are [`Error::Conflict`] (the identifier given
/// names more than one).
pub(crate) fn single_item<T: DeserializeOwned>(
    function: &'static str,
    model: &'static str,
    items_key: &'static str,
    body: &RawJson,
) -> Result<T, Error> {
    let shape = |path: String, detail: String| {
        Error::Decode(Box::new(DecodeError { function, model, path, detail, body: body.as_str().to_owned() }))
    };
    let page = RawPage::read(body.as_str(), items_key);
    let Some(items) = page.items.filter(|items| items.get().starts_with('[')) else {
        return Err(shape(items_key.to_owned(), "a list of items was expected here".to_owned()));
    };
    let mut items: Vec<T> = decode_items(items.get(), items_key).map_err(|(path, detail)| shape(path, detail))?;
    let refusal = |code: &str, message: String| ApiError {
        function,
        status: 200,
        request_id: None,
        errors: vec![ApiErrorDetail { code: code.to_owned(), message: Some(message), field: None }],
        body: None,
        retry_after: None,
    };
    match items.len() {
        1 => Ok(items.remove(0)),
        0 => Err(Error::NotFound(Box::new(refusal("not_found", format!("no {model} matches the identifier given"))))),
        several => Err(Error::Conflict(Box::new(refusal(
            "conflict",
            format!("{several} of {items_key} match the identifier given: use one that names a single {model}"),
        )))),
    }
}

/// The items of a page, decoded from their JSON; on failure, where (e.g. `users[3].created_at`) and why.
fn decode_items<T: DeserializeOwned>(json: &str, items_key: &str) -> Result<Vec<T>, (String, String)> {
    // The path is only needed to report a failure: it is tracked then, not on every member of every item.
    if let Ok(items) = serde_json::from_str(json) {
        return Ok(items);
    }
    let mut deserializer = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| (format!("{items_key}{}", error.path()), error.inner().to_string()))
}

/// What a stream reads of a page, without decoding the rest: its items as raw JSON, `pages.next` and
/// `scroll_param`.
#[derive(Default)]
struct RawPage<'a> {
    items: Option<&'a RawValue>,
    next: Option<Value>,
    scroll_param: Option<Value>,
}

impl<'a> RawPage<'a> {
    /// Reads a page; a body that is not an object (or has anything after it) reads as a page with nothing in
    /// it.
    fn read(body: &'a str, items_key: &str) -> Self {
        let mut deserializer = serde_json::Deserializer::from_str(body);
        let page = PageSeed { items_key, page: PhantomData }.deserialize(&mut deserializer);
        page.ok().filter(|_| deserializer.end().is_ok()).unwrap_or_default()
    }
}

/// Reads a page object, keeping only the members a stream needs (the items key varies by function).
struct PageSeed<'k, 'a> {
    items_key: &'k str,
    page: PhantomData<RawPage<'a>>,
}

impl<'de, 'k> DeserializeSeed<'de> for PageSeed<'k, 'de> {
    type Value = RawPage<'de>;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, 'k> Visitor<'de> for PageSeed<'k, 'de> {
    type Value = RawPage<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a page object")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let mut page = RawPage::default();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if key == self.items_key {
                page.items = Some(map.next_value()?);
            } else if key == "pages" {
                let pages: Value = map.next_value()?;
                page.next = pages.get("next").cloned();
            } else if key == "scroll_param" {
                page.scroll_param = Some(map.next_value()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(page)
    }
}

fn hash(value: &impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// The request for a `pages.next` URL. It must lie under the client's base URL, so that the access token is
/// never sent anywhere else, and name the same path as the first page: the next page of a list is the same
/// endpoint, so a server cannot lead a stream to another one (`/users/../admins`).
fn follow(first: &PreparedRequest, base_url: &str, url: &str) -> Result<PreparedRequest, Error> {
    let function = first.function;
    let elsewhere = || Error::UnexpectedPage {
        function,
        detail: format!("`pages.next` leads away from {base_url}; it is not followed"),
    };
    let rest = url.strip_prefix(base_url).unwrap_or(url);
    if !rest.starts_with('/') || rest.starts_with("//") {
        return Err(elsewhere());
    }
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if first.path != path {
        return Err(Error::UnexpectedPage {
            function,
            detail: "`pages.next` leads to another endpoint than the first page's; it is not followed".to_owned(),
        });
    }
    Ok(PreparedRequest::next_page(
        first,
        path.to_owned(),
        url::form_urlencoded::parse(query.as_bytes()).into_owned().collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::{RawPage, follow, single_item};
    use crate::plan::request::PreparedRequest;
    use crate::raw::RawJson;
    use crate::{Error, models};

    #[test]
    fn a_page_with_anything_after_it_reads_as_nothing() {
        let page = RawPage::read(r#"{"type":"user.list","users":[{"id":"1"}]}"#, "users");
        assert_eq!(page.items.map(|items| items.get()), Some(r#"[{"id":"1"}]"#));
        for body in [r#"{"type":"user.list","users":[{"id":"1"}]}<html>"#, r#"{"users":[]}{"users":[]}"#] {
            assert!(RawPage::read(body, "users").items.is_none(), "{body}");
        }
        // So the one item of a list answer is not taken from a body that is not JSON.
        let body = RawJson::checked(r#"{"type":"user.list","users":[{"type":"user","id":"1"}]} oops"#.to_owned());
        let user = single_item::<models::User>("getSingleUser", "User", "users", &body);
        assert!(matches!(user, Err(Error::Decode(_))), "{user:?}");
    }

    fn first_page(path: &str) -> PreparedRequest {
        PreparedRequest::new(
            &crate::users::GET_USERS,
            path.to_owned(),
            Vec::new(),
            None,
            None,
            None,
            Vec::new(),
            Vec::new(),
        )
    }

    #[test]
    fn next_urls_are_followed_only_under_the_base_url() {
        let base = "https://api.intercom.io";
        let first = first_page("/users");
        let request = follow(&first, base, "https://api.intercom.io/users?per_page=50&page=2").unwrap();
        assert_eq!(request.path(), "/users");
        assert_eq!(request.query(), [("per_page".to_owned(), "50".to_owned()), ("page".to_owned(), "2".to_owned())]);
        assert_eq!(follow(&first, base, "/users?page=3").unwrap().path(), "/users");
        for elsewhere in [
            "https://evil.example/users?page=2",
            "https://api.intercom.io.evil.example/users",
            "//evil.example/users",
            "users?page=2",
            "http://api.intercom.io/users",
        ] {
            assert!(follow(&first, base, elsewhere).is_err(), "{elsewhere}");
        }
    }

    /// Under a base URL with a path, `..` would even leave the base URL once the URL is resolved.
    #[test]
    fn next_urls_are_followed_only_to_the_same_endpoint() {
        let base = "https://proxy.example/intercom";
        let first = first_page("/users");
        for elsewhere in [
            "https://proxy.example/intercom/users/../admins?page=2",
            "https://proxy.example/intercom/../users?page=2",
            "https://proxy.example/intercom/users/%2E%2E/admins",
            "https://proxy.example/intercom/users/?page=2",
            "https://proxy.example/intercom/admins?page=2",
        ] {
            assert!(follow(&first, base, elsewhere).is_err(), "{elsewhere}");
        }
        assert!(follow(&first, base, "https://proxy.example/intercom/users?page=2").is_ok());
    }
}
