//! The client: where the access token, the base URL and the HTTP connection pool live.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;
use serde_json::{Map, Value};

use crate::error::Error;
use crate::plan::arguments::Arguments;
use crate::plan::request::PreparedRequest;
use crate::raw::RawJson;
use crate::transport::Transport;
use crate::transport::exchange::{Expect, Received};
use crate::transport::limiter::{CallLimiter, ClientRateLimit};
use crate::transport::rate_limit::{Limiter, RateLimit, RateLimitPolicy};
use crate::transport::retry::RetryPolicy;

/// Intercom's API.
pub const DEFAULT_BASE_URL: &str = "https://api.intercom.io";

/// The API version sent in `Intercom-Version`: the functions of this crate are the v1 endpoints.
pub const DEFAULT_INTERCOM_VERSION: &str = "1.4";

/// An Intercom access token. It is never shown: its `Debug` output is `AccessToken(<redacted>)`.
#[derive(Clone)]
pub struct AccessToken {
    token: String,
    /// `Bearer <token>`, made once and marked sensitive (never logged); `None` when the token cannot be a
    /// header value, which the client refuses before sending.
    header: Option<HeaderValue>,
}

impl AccessToken {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        let token = token.into();
        let header = HeaderValue::try_from(format!("Bearer {token}")).ok().map(|mut header| {
            header.set_sensitive(true);
            header
        });
        AccessToken { token, header }
    }

    pub(crate) fn secret(&self) -> &str {
        &self.token
    }

    /// The `Authorization` header value.
    pub(crate) fn header(&self) -> Option<&HeaderValue> {
        self.header.as_ref()
    }
}

impl PartialEq for AccessToken {
    fn eq(&self, other: &Self) -> bool {
        self.token == other.token
    }
}

impl Eq for AccessToken {}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

/// Whether `token` can be sent as `Authorization: Bearer <token>`: printable ASCII, no spaces. Anything else
/// (a line break read from a file, a NUL) would be refused by the HTTP library only after the checks, or could
/// split the header.
pub(crate) fn is_sendable_token(token: &str) -> bool {
    !token.is_empty() && token.bytes().all(|byte| byte.is_ascii_graphic())
}

impl From<String> for AccessToken {
    fn from(token: String) -> Self {
        AccessToken::new(token)
    }
}

impl From<&str> for AccessToken {
    fn from(token: &str) -> Self {
        AccessToken::new(token)
    }
}

/// A client of the Intercom REST API. Cheap to clone: clones share the connection pool.
///
/// Every function of the manifest is a method (see the modules of this crate): required arguments are its
/// parameters, optional ones are set on the builder it returns, and `.send().await` makes the request.
///
/// See the [crate documentation](crate) for an example.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// What the clones of a client share.
pub(crate) struct Inner {
    pub(crate) transport: Transport,
    pub(crate) access_token: Option<AccessToken>,
    pub(crate) retry_policy: RetryPolicy,
    pub(crate) rate_limit_policy: RateLimitPolicy,
    pub(crate) limiter: Limiter,
    /// The client's own rate limit, when one is set: its slots are shared by every clone and task.
    pub(crate) call_limiter: Option<CallLimiter>,
}

impl Client {
    /// A client of `https://api.intercom.io` that authenticates with `access_token`.
    ///
    /// # Panics
    ///
    /// If the TLS backend cannot be initialized, like `reqwest::Client::new`. Use [`Client::builder`] to get
    /// that as an error instead.
    pub fn new(access_token: impl Into<AccessToken>) -> Self {
        match Self::builder().access_token(access_token).build() {
            Ok(client) => client,
            Err(error) => panic!("cannot build the HTTP client: {error}"),
        }
    }

    /// A builder to configure the base URL, the API version, timeouts or the token.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests are sent to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        self.inner.transport.base_url()
    }

    /// The `Intercom-Version` header sent with every request.
    pub fn intercom_version(&self) -> &str {
        &self.inner.transport.intercom_version
    }

    /// Intercom's rate-limit state as its latest response reported it (`X-RateLimit-Limit`, `-Remaining`,
    /// `-Reset`); `None` before the first response that carried the headers. Clones share it.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.inner.limiter.latest()
    }

    /// The client's own rate limit, if one was set with [`ClientBuilder::client_rate_limit`]. Clones share
    /// its budget.
    pub fn client_rate_limit(&self) -> Option<ClientRateLimit> {
        self.inner.call_limiter.as_ref().map(CallLimiter::limit)
    }

    /// Whether the client has an access token.
    pub fn has_access_token(&self) -> bool {
        self.inner.access_token.is_some()
    }

    /// Calls a function by its manifest name (e.g. `getSingleUser`) with its arguments as a JSON object keyed
    /// by manifest names (e.g. `{"userId": "42", "userIdType": "user_id"}`).
    ///
    /// The arguments are checked by the same rules as the typed methods, and the same request is sent. An
    /// `accessToken` argument overrides the client's token for this call.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownFunction`], or [`Error::InvalidArguments`] (an unknown argument is one, with the
    /// closest known name), before anything is sent; otherwise the error of the transport or of the API.
    pub async fn call(&self, function: &str, arguments: &Value) -> Result<Value, Error> {
        let request = self.prepare_call(function, arguments)?;
        self.execute(request).await
    }

    /// Checks a call by name and returns the request it would make, without sending it.
    ///
    /// # Errors
    ///
    /// As [`Client::call`], for everything checked before sending.
    pub fn prepare_call(&self, function: &str, arguments: &Value) -> Result<PreparedRequest, Error> {
        let spec = crate::find_function(function).ok_or_else(|| Error::UnknownFunction {
            name: function.to_owned(),
            suggestion: crate::suggest::closest(function, crate::functions().iter().map(|spec| spec.name)),
        })?;
        let empty = Map::new();
        let arguments = match arguments {
            Value::Object(arguments) => arguments,
            Value::Null => &empty,
            other => {
                let problem = crate::error::ArgumentProblem {
                    argument: "(arguments)".to_owned(),
                    rust_name: None,
                    problem: crate::error::Problem::WrongType {
                        expected: "a JSON object",
                        found: crate::plan::json_type(other),
                    },
                };
                return Err(crate::error::InvalidArguments::new(spec.name, vec![problem]).into());
            }
        };
        Ok(crate::plan::prepare(spec, &Arguments::from_map(spec, arguments))?)
    }

    /// Streams the items of every page of a list function called by name (see the builders' `stream`).
    ///
    /// # Errors
    ///
    /// As [`Client::prepare_call`], or [`Error::NotAList`] for a function without pages. Errors while
    /// streaming are items of the stream.
    pub fn stream_call(&self, function: &str, arguments: &Value) -> Result<crate::ItemStream<Value>, Error> {
        self.prepare_call(function, arguments)?;
        let spec = crate::find_function(function)
            .ok_or_else(|| Error::UnknownFunction { name: function.to_owned(), suggestion: None })?;
        if spec.paging.is_none() {
            return Err(Error::NotAList { function: spec.name });
        }
        let arguments = arguments.as_object().map(|given| Arguments::from_map(spec, given)).unwrap_or_default();
        Ok(crate::stream::items(self.clone(), spec, arguments))
    }

    /// Sends a prepared request and returns Intercom's JSON response (`null` when the body is empty), under
    /// the client's [`RetryPolicy`] and [`RateLimitPolicy`].
    ///
    /// # Errors
    ///
    /// [`Error::MissingAccessToken`] before anything is sent; otherwise the error of the last attempt: a
    /// transport error, Intercom's error answer sorted by kind, or an undecodable response.
    pub async fn execute(&self, request: PreparedRequest) -> Result<Value, Error> {
        let function = request.function;
        let body = self.execute_raw(request).await?;
        // The body was checked to be JSON; should serde_json disagree, the body is kept in the error.
        body.to_value().map_err(|_| Error::UndecodableResponse { function, status: 200, body: body.into_string() })
    }

    /// Sends a prepared request like [`Client::execute`], and returns Intercom's JSON response as it was
    /// received, checked but not decoded into a tree: a large answer costs its size and no more.
    ///
    /// # Errors
    ///
    /// As [`Client::execute`].
    pub async fn execute_raw(&self, request: PreparedRequest) -> Result<RawJson, Error> {
        let token = self.token_for(&request)?;
        Ok(crate::transport::retry::send(&self.inner, token, &request, Expect::Json).await?.body)
    }

    /// Sends a prepared request whose answer the caller decodes straight away (which checks it): the body is
    /// not read twice. A body that does not decode is sorted by [`Received::undecodable`].
    pub(crate) async fn execute_to_decode(&self, request: &PreparedRequest) -> Result<Received, Error> {
        let token = self.token_for(request)?;
        // An answer that is a list is only partly decoded (its one item), so the transport checks all of it.
        let expect = if request.answer_list.is_some() { Expect::Json } else { Expect::Decoded };
        crate::transport::retry::send(&self.inner, token, request, expect).await
    }

    /// The token `request` is sent with: its own (a call by name may bring one), else the client's.
    fn token_for<'a>(&'a self, request: &'a PreparedRequest) -> Result<Option<&'a AccessToken>, Error> {
        match request.auth {
            crate::wire::Auth::Bearer => {
                let token = request.access_token.as_ref().or(self.inner.access_token.as_ref());
                Ok(Some(token.ok_or(Error::MissingAccessToken { function: request.function })?))
            }
            crate::wire::Auth::None => Ok(None),
        }
    }

    /// Not part of the API (it exposes reqwest's types, which may change with any release): the HTTP request
    /// one attempt at `request` sends, for the benchmarks to compare byte for byte with hand-written code.
    #[doc(hidden)]
    pub fn __http_request(&self, request: &PreparedRequest) -> Result<reqwest::Request, Error> {
        self.inner.transport.http_request(self.token_for(request)?, request)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.transport.base_url())
            .field("intercom_version", &self.inner.transport.intercom_version)
            .field("access_token", &self.inner.access_token)
            .field("retry_policy", &self.inner.retry_policy)
            .field("rate_limit_policy", &self.inner.rate_limit_policy)
            .field("rate_limit", &self.inner.limiter.latest())
            .field("client_rate_limit", &self.client_rate_limit())
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    access_token: Option<AccessToken>,
    base_url: String,
    intercom_version: String,
    connect_timeout: Duration,
    timeout: Duration,
    retry_policy: RetryPolicy,
    rate_limit_policy: RateLimitPolicy,
    client_rate_limit: Option<ClientRateLimit>,
    max_response_bytes: usize,
    proxy: ProxySetting,
}

/// Which proxy requests go through. Loopback base URLs never use one.
#[derive(Clone, PartialEq, Eq)]
enum ProxySetting {
    /// The proxy of the environment (`HTTPS_PROXY`, `ALL_PROXY`, ..., honouring `NO_PROXY`).
    Environment,
    /// No proxy at all.
    Disabled,
    /// This proxy URL (which may carry credentials, so it is never shown).
    Url(String),
}

impl fmt::Debug for ProxySetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxySetting::Environment => f.write_str("Environment"),
            ProxySetting::Disabled => f.write_str("Disabled"),
            ProxySetting::Url(url) => write!(f, "Url({})", without_credentials(url)),
        }
    }
}

/// A URL for display: its user name and password removed.
fn without_credentials(text: &str) -> String {
    match url::Url::parse(text) {
        Ok(mut url) => {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.to_string()
        }
        Err(_) => "<not a URL>".to_owned(),
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            access_token: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            intercom_version: DEFAULT_INTERCOM_VERSION.to_owned(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            retry_policy: RetryPolicy::default(),
            rate_limit_policy: RateLimitPolicy::default(),
            client_rate_limit: None,
            max_response_bytes: 32 * 1024 * 1024,
            proxy: ProxySetting::Environment,
        }
    }
}

impl ClientBuilder {
    /// The token sent as `Authorization: Bearer` (not needed for the OAuth token exchange).
    pub fn access_token(mut self, access_token: impl Into<AccessToken>) -> Self {
        self.access_token = Some(access_token.into());
        self
    }

    /// Where requests go; `https://api.intercom.io` by default. Plain `http://` is accepted only for loopback
    /// hosts (`localhost`, `127.0.0.0/8`, `::1`), e.g. a local mock server.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// The `Intercom-Version` header; `1.4` by default.
    pub fn intercom_version(mut self, version: impl Into<String>) -> Self {
        self.intercom_version = version.into();
        self
    }

    /// How long to wait for a connection; 10 seconds by default.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take, from sending to the end of the answer; 30 seconds by default. A call
    /// that is retried may take longer in all (see [`RetryPolicy::max_elapsed`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// When failed requests are sent again; see [`RetryPolicy`]. [`RetryPolicy::never`] turns retries off.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = policy;
        self
    }

    /// How Intercom's rate limit is respected; see [`RateLimitPolicy`].
    pub fn rate_limit_policy(mut self, policy: RateLimitPolicy) -> Self {
        self.rate_limit_policy = policy;
        self
    }

    /// Keeps the client (every clone, every task) to at most `limit.calls()` requests per `limit.window()`:
    /// a call past it waits for a slot, first come first served, or fails with [`Error::RateLimited`] when
    /// that wait, with any wait for Intercom's own reset, would last longer than the
    /// [`RateLimitPolicy`]'s `max_wait`. Every attempt takes a slot, retries included. There is none by
    /// default: Intercom states its limit on every answer, and the client paces on that. See
    /// [`ClientRateLimit`].
    pub fn client_rate_limit(mut self, limit: ClientRateLimit) -> Self {
        self.client_rate_limit = Some(limit);
        self
    }

    /// The largest response body accepted, in bytes (32 MiB by default); a larger one is
    /// [`Error::ResponseTooLarge`].
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Sends requests through this proxy (`http://` or `https://`, credentials allowed in the URL), instead of
    /// the one the environment names. Requests to Intercom are HTTPS, so the proxy only relays encrypted bytes
    /// (`CONNECT`) and never sees the token. Loopback base URLs never go through a proxy.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = ProxySetting::Url(url.into());
        self
    }

    /// Sends requests directly, ignoring the proxy the environment names (`HTTPS_PROXY`, `ALL_PROXY`, ...).
    pub fn no_proxy(mut self) -> Self {
        self.proxy = ProxySetting::Disabled;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the base URL is not an `https://` URL (or `http://` on a loopback host), the
    /// token or `Intercom-Version` cannot be sent in a header, a timeout is zero, the client rate limit allows
    /// no call or has no window, the proxy is not an `http(s)://` URL, or the HTTP client cannot be built.
    pub fn build(self) -> Result<Client, Error> {
        let base = checked_base_url(&self.base_url)?;
        if !is_sendable_header(&self.intercom_version) {
            return Err(Error::Config(format!(
                "{:?} is not an Intercom-Version: it must be printable ASCII",
                self.intercom_version
            )));
        }
        if self.access_token.as_ref().is_some_and(|token| !is_sendable_token(token.secret())) {
            return Err(Error::Config(
                "the access token cannot be sent: it must be printable ASCII without spaces or line breaks".to_owned(),
            ));
        }
        if self.timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(Error::Config("a timeout of zero would fail every call: give it a duration".to_owned()));
        }
        if let Some(problem) = self.client_rate_limit.as_ref().and_then(ClientRateLimit::problem) {
            return Err(Error::Config(problem.to_owned()));
        }
        let mut http = reqwest::Client::builder()
            .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            // Intercom's API never redirects; following one could send the token or a body elsewhere.
            .redirect(reqwest::redirect::Policy::none());
        http = match (is_loopback(&base), &self.proxy) {
            // A proxy would see a plain-http loopback request, token included.
            (true, _) | (false, ProxySetting::Disabled) => http.no_proxy(),
            (false, ProxySetting::Environment) => http,
            (false, ProxySetting::Url(url)) => http.proxy(checked_proxy(url)?),
        };
        let http = http.build().map_err(|error| Error::Config(format!("cannot build the HTTP client: {error}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                transport: Transport {
                    http,
                    base,
                    intercom_version_header: HeaderValue::try_from(self.intercom_version.as_str()).map_err(|_| {
                        Error::Config(format!("{:?} is not an Intercom-Version", self.intercom_version))
                    })?,
                    intercom_version: self.intercom_version,
                    max_response_bytes: self.max_response_bytes,
                },
                access_token: self.access_token,
                retry_policy: self.retry_policy,
                rate_limit_policy: self.rate_limit_policy,
                limiter: Limiter::default(),
                call_limiter: self.client_rate_limit.map(CallLimiter::new),
            }),
        })
    }
}

/// Whether `text` can be sent as a header value as it is: printable ASCII and spaces, not blank.
fn is_sendable_header(text: &str) -> bool {
    !text.trim().is_empty() && text.bytes().all(|byte| byte == b' ' || byte.is_ascii_graphic())
}

/// An explicit proxy: an `http://` or `https://` URL (the transport has no SOCKS support).
fn checked_proxy(text: &str) -> Result<reqwest::Proxy, Error> {
    let shown = without_credentials(text);
    let url = url::Url::parse(text).map_err(|_| Error::Config(format!("the proxy {shown} is not a URL")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(Error::Config(format!("the proxy {shown} must be an http:// or https:// URL with a host")));
    }
    reqwest::Proxy::all(url).map_err(|_| Error::Config(format!("the proxy {shown} cannot be used")))
}

/// Whether a base URL names a loopback host.
fn is_loopback(base: &url::Url) -> bool {
    match base.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(address)) => address.is_loopback(),
        Some(url::Host::Ipv6(address)) => address.is_loopback(),
        None => false,
    }
}

/// The base URL, parsed, if it is `https://`, or `http://` on a loopback host.
fn checked_base_url(text: &str) -> Result<url::Url, Error> {
    let url =
        url::Url::parse(text).map_err(|error| Error::Config(format!("the base URL {text:?} is not a URL: {error}")))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!("the base URL {text:?} must not have a query or fragment")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config("the base URL must not carry credentials".to_owned()));
    }
    let loopback = is_loopback(&url);
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(Error::Config(format!(
                "the base URL {text:?} is plain http: only loopback hosts (localhost, 127.0.0.1, ::1) may use http, use https"
            )));
        }
        scheme => return Err(Error::Config(format!("the base URL {text:?} has the scheme {scheme:?}; use https"))),
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::checked_base_url;
    use crate::transport::exchange::base_url_text;

    #[test]
    fn https_anywhere_and_http_only_on_loopback() {
        let text = |base: &str| checked_base_url(base).map(|url| base_url_text(&url).to_owned()).unwrap();
        assert_eq!(text("https://api.intercom.io/"), "https://api.intercom.io");
        assert_eq!(text("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(text("http://localhost:1/mock/"), "http://localhost:1/mock");
        assert_eq!(text("http://[::1]:9"), "http://[::1]:9");
        assert!(checked_base_url("http://api.intercom.io").is_err());
        assert!(checked_base_url("http://10.0.0.1").is_err());
        assert!(checked_base_url("ftp://127.0.0.1").is_err());
        assert!(checked_base_url("https://user:pw@api.intercom.io").is_err());
        assert!(checked_base_url("not a url").is_err());
    }
}
