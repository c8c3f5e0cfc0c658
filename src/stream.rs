//! Streams of the items of every page of a list function.
//!
//! A stream holds one page at a time: it fetches a page (through the client, so with its retries and rate
//! limiting), yields its items, and only then fetches the next. It ends after the last page, or after the
//! first error, which it yields.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{BoxStream, Stream, StreamExt};
use serde_json::{Map, Value};

use crate::client::Client;
use crate::error::Error;
use crate::request::PreparedRequest;
use crate::spec::{FunctionSpec, Method, Paging};

/// The items of every page of a list function, in order; see the builders' `stream` methods and
/// [`Client::stream_call`]. It owns what it needs (a handle of the client), so it can be handed to
/// `tokio::spawn`.
#[must_use = "a stream does nothing until it is polled"]
pub struct ItemStream {
    function: &'static str,
    inner: BoxStream<'static, Result<Value, Error>>,
}

impl Stream for ItemStream {
    type Item = Result<Value, Error>;

    fn poll_next(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(context)
    }
}

impl fmt::Debug for ItemStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream").field("function", &self.function).finish_non_exhaustive()
    }
}

/// Streams the items of `spec` (a list function) called with `arguments`; a function without paging gives
/// one [`Error::NotAList`].
pub(crate) fn items(client: Client, spec: &'static FunctionSpec, arguments: Map<String, Value>) -> ItemStream {
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
struct Walk {
    client: Client,
    spec: &'static FunctionSpec,
    arguments: Map<String, Value>,
    next: Next,
    /// The items of the current page not yet yielded.
    buffer: VecDeque<Value>,
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

impl Walk {
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
                    self.arguments.insert(cursor.to_owned(), Value::String(scroll_param));
                }
                crate::plan::prepare(self.spec, &self.arguments)?
            }
            Next::Fail(error) => return Err(error),
            Next::Done => return Ok(()),
        };
        let mut page = self.client.execute(request).await?;
        let unexpected = |detail: String| Error::UnexpectedPage { function, detail };
        let items_key = match paging {
            Paging::Pages { items } | Paging::Scroll { items, .. } => items,
        };
        let items = match page.get_mut(items_key).map(Value::take) {
            Some(Value::Array(items)) => items,
            Some(_) => return Err(unexpected(format!("`{items_key}` is not an array"))),
            None => return Err(unexpected(format!("the page has no `{items_key}`"))),
        };
        self.next = match paging {
            Paging::Pages { .. } => match page.pointer("/pages/next") {
                None | Some(Value::Null) => Next::Done,
                Some(Value::String(url)) if url.is_empty() => Next::Done,
                // The items of this page are new; it is the link onwards that leads back.
                Some(Value::String(url)) if !self.followed.insert(hash(url)) => {
                    Next::Fail(Error::RepeatedCursor { function })
                }
                Some(Value::String(url)) => Next::Url(url.clone()),
                Some(_) => return Err(unexpected("`pages.next` is not a URL".to_owned())),
            },
            // A scroll ends on its first empty page. Its `scroll_param` may stay the same from page to page, so
            // a loop shows as the same page twice in a row instead (whose items were all yielded already).
            Paging::Scroll { .. } if items.is_empty() => Next::Done,
            Paging::Scroll { .. } => {
                let page_hash = hash(&items);
                if self.previous_page.replace(page_hash) == Some(page_hash) {
                    return Err(Error::RepeatedCursor { function });
                }
                match page.get("scroll_param") {
                    Some(Value::String(scroll_param)) if !scroll_param.is_empty() => Next::Scroll(scroll_param.clone()),
                    _ => return Err(unexpected("a page with items has no `scroll_param`".to_owned())),
                }
            }
        };
        self.buffer = items.into();
        Ok(())
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
    Ok(PreparedRequest {
        function,
        method: Method::Get,
        path: path.to_owned(),
        query: url::form_urlencoded::parse(query.as_bytes()).into_owned().collect(),
        body: None,
        auth: first.auth,
        idempotent: true,
        intercom_version: first.intercom_version,
        access_token: first.access_token.clone(),
        secret_query: Vec::new(),
        secret_body: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::follow;
    use crate::request::PreparedRequest;
    use crate::spec::{Auth, Method};

    fn first_page(path: &str) -> PreparedRequest {
        PreparedRequest {
            function: "getUsers",
            method: Method::Get,
            path: path.to_owned(),
            query: Vec::new(),
            body: None,
            auth: Auth::Bearer,
            idempotent: true,
            intercom_version: None,
            access_token: None,
            secret_query: Vec::new(),
            secret_body: Vec::new(),
        }
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
