//! Intercom's OAuth flow around the code exchange: the authorize URL, the `state` that protects it, and the
//! redirect that brings the code back.
//!
//! 1. Draw a fresh [`State`] and keep it with the user's session ([`State::as_str`], then [`State::restore`]
//!    when the redirect comes back).
//! 2. Send the user to the URL [`AuthorizeUrl`] builds (`https://app.intercom.com/oauth?client_id=…&state=…`).
//! 3. Intercom redirects the user to your redirect URI with `code` and `state` (or `error` when they declined):
//!    [`Redirect::parse`] reads it and [`Redirect::code_for`] hands over the code only when the state is the one
//!    you sent.
//! 4. Exchange the code with [`Client::get_access_token`](crate::Client::get_access_token) (it expires after
//!    about five minutes and can be used once), and build a client with the token
//!    ([`OAuthToken::bearer_token`](crate::models::OAuthToken::bearer_token)).
//!
//! ```no_run
//! # async fn run(query_of_the_redirect: &str) -> Result<(), Box<dyn std::error::Error>> {
//! use intercom_rest::Client;
//! use intercom_rest::oauth_flow::{AuthorizeUrl, Redirect, State};
//!
//! let state = State::generate()?;
//! let url = AuthorizeUrl::new("my-client-id", &state).redirect_uri("https://example.com/intercom/callback").build()?;
//! // ... send the user to `url`; keep `state` in their session ...
//! let code = Redirect::parse(query_of_the_redirect)?.code_for(&state)?;
//! let token = Client::builder().build()?.get_access_token("my-client-id", "my-client-secret", code).send().await?;
//! let client = Client::new(token.bearer_token().ok_or("Intercom sent no token")?);
//! # Ok(()) }
//! ```
//!
//! Nothing secret is shown: the `Debug` output of [`State`], [`AuthorizationCode`], [`Redirect`] and
//! [`AuthorizeUrl`] leaves out the state, the code and the client id, and no [`OAuthError`] carries them.

use std::fmt;

use base64::Engine as _;
use subtle::ConstantTimeEq as _;
use url::Url;

use crate::AccessToken;

/// Where Intercom's authorize page lives; [`AuthorizeUrl`] adds [`AUTHORIZE_PATH`].
pub const DEFAULT_AUTHORIZE_BASE_URL: &str = "https://app.intercom.com";

/// The path of the authorize page under its base URL.
pub const AUTHORIZE_PATH: &str = "/oauth";

/// How many random bytes a [`State`] carries: 256 bits.
const STATE_BYTES: usize = 32;

/// The fewest characters a restored state may have: 22 URL-safe base64 characters carry 132 bits.
const STATE_MIN_CHARS: usize = 22;

/// The most characters a restored state may have.
const STATE_MAX_CHARS: usize = 512;

/// What can go wrong in the OAuth flow before the exchange. No variant carries a secret (the state, the code,
/// the client id); the text of an `error` redirect is kept as Intercom (or whoever made the redirect) sent it,
/// and shown escaped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OAuthError {
    /// The client id is empty, or has characters other than printable ASCII (a space, a line break, ...).
    #[error("the OAuth client id must be printable ASCII without spaces, and not empty")]
    InvalidClientId,
    /// The base URL of the authorize page cannot be used.
    #[error("the authorize base URL cannot be used: {reason}")]
    InvalidBaseUrl {
        /// Why.
        reason: &'static str,
    },
    /// The redirect URI cannot be used.
    #[error("the redirect URI cannot be used: {reason}")]
    InvalidRedirectUri {
        /// Why.
        reason: &'static str,
    },
    /// The operating system's random number generator failed.
    #[error("no random state could be drawn from the operating system: {reason}")]
    Random {
        /// What the generator said.
        reason: String,
    },
    /// A state given to [`State::restore`] is not one [`State::generate`] could have made.
    #[error(
        "the saved state is not a state of this flow: it must be {STATE_MIN_CHARS} to {STATE_MAX_CHARS} URL-safe \
         characters (A-Z, a-z, 0-9, - and _)"
    )]
    InvalidState,
    /// The redirect carries no `state`: it does not come from the authorization you started.
    #[error("the redirect carries no `state`, so it cannot be matched to the authorization you started")]
    MissingState,
    /// The redirect's `state` is not the one sent: it does not come from the authorization you started (a
    /// forged redirect, or one meant for another session).
    #[error("the redirect's `state` is not the one sent: it does not come from the authorization you started")]
    StateMismatch,
    /// The authorization was refused: the redirect carries `error` (`access_denied` when the user declined)
    /// and perhaps `error_description`.
    #[error("the authorization was refused: {error:?}{}", described(.description))]
    Denied {
        /// The `error` parameter, e.g. `access_denied`.
        error: String,
        /// The `error_description` parameter, when there was one.
        description: Option<String>,
    },
    /// The redirect has the right state but no `code`.
    #[error("the redirect carries no `code`")]
    MissingCode,
    /// The redirect carries this parameter more than once, so which one Intercom sent cannot be told.
    #[error("the redirect carries `{name}` more than once")]
    RepeatedParameter {
        /// `code`, `state`, `error` or `error_description`.
        name: &'static str,
    },
}

/// ` (description)`, escaped, or nothing.
fn described(description: &Option<String>) -> String {
    description.as_ref().map(|description| format!(" ({description:?})")).unwrap_or_default()
}

/// The `state` of one authorization: 256 bits from the operating system's CSPRNG, as 43 URL-safe characters
/// (`A-Z`, `a-z`, `0-9`, `-`, `_`). It is sent in the authorize URL and must come back unchanged in the
/// redirect ([`State::verify`], compared in constant time), which ties the redirect to the session that
/// started the authorization (CSRF protection).
///
/// Its `Debug` output is `State(<redacted>)`.
#[derive(Clone)]
pub struct State(String);

impl State {
    /// A fresh state from the operating system's random number generator.
    ///
    /// # Errors
    ///
    /// [`OAuthError::Random`] when the generator fails (it practically never does).
    pub fn generate() -> Result<State, OAuthError> {
        let mut bytes = [0_u8; STATE_BYTES];
        getrandom::fill(&mut bytes).map_err(|error| OAuthError::Random { reason: error.to_string() })?;
        Ok(State(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// A state kept between the two requests of the flow (in the user's session, a signed cookie, ...), as
    /// [`State::as_str`] gave it.
    ///
    /// # Errors
    ///
    /// [`OAuthError::InvalidState`] unless it is 22 to 512 URL-safe characters (`A-Z`, `a-z`, `0-9`, `-`, `_`):
    /// a shorter or otherwise made value would not protect the flow.
    pub fn restore(saved: impl Into<String>) -> Result<State, OAuthError> {
        let saved = saved.into();
        let url_safe = saved.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
        if !url_safe || !(STATE_MIN_CHARS..=STATE_MAX_CHARS).contains(&saved.len()) {
            return Err(OAuthError::InvalidState);
        }
        Ok(State(saved))
    }

    /// The state's text, to keep with the user's session until the redirect comes back. Keep it where only
    /// that user's requests can reach it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `received` (the redirect's `state` parameter) is this state, compared in constant time.
    ///
    /// # Errors
    ///
    /// [`OAuthError::MissingState`] when there is none (or it is empty), [`OAuthError::StateMismatch`] when it
    /// differs (a prefix or an extension of the state differs too).
    pub fn verify(&self, received: Option<&str>) -> Result<(), OAuthError> {
        let received = received.filter(|received| !received.is_empty()).ok_or(OAuthError::MissingState)?;
        // Lengths are compared first (they are not secret: every state this crate makes has 43 characters),
        // then every byte, whatever the first difference.
        if bool::from(self.0.as_bytes().ct_eq(received.as_bytes())) { Ok(()) } else { Err(OAuthError::StateMismatch) }
    }
}

impl fmt::Debug for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("State(<redacted>)")
    }
}

/// The code of a successful redirect, to exchange for a token with
/// [`Client::get_access_token`](crate::Client::get_access_token) (which takes it as it is). It expires after
/// about five minutes and can be exchanged once.
///
/// Its `Debug` output is `AuthorizationCode(<redacted>)`.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthorizationCode(String);

impl AuthorizationCode {
    /// The code's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AuthorizationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthorizationCode(<redacted>)")
    }
}

impl From<AuthorizationCode> for String {
    fn from(code: AuthorizationCode) -> String {
        code.0
    }
}

/// Builds the URL of Intercom's authorize page:
/// `https://app.intercom.com/oauth?client_id=…&state=…&redirect_uri=…` (the parameters form-encoded, in that
/// order; `redirect_uri` only when one is set, otherwise Intercom uses the app's first registered one).
///
/// ```
/// use intercom_rest::oauth_flow::{AuthorizeUrl, State};
///
/// let state = State::generate()?;
/// let url = AuthorizeUrl::new("c4f1d8a2", &state).redirect_uri("https://example.com/callback").build()?;
/// assert!(url.as_str().starts_with("https://app.intercom.com/oauth?client_id=c4f1d8a2&state="));
/// assert!(url.as_str().ends_with("&redirect_uri=https%3A%2F%2Fexample.com%2Fcallback"));
/// # Ok::<(), intercom_rest::oauth_flow::OAuthError>(())
/// ```
///
/// Its `Debug` output leaves out the client id and the state.
#[derive(Clone)]
#[must_use]
pub struct AuthorizeUrl {
    base_url: String,
    client_id: String,
    state: State,
    redirect_uri: Option<String>,
}

impl AuthorizeUrl {
    /// The authorize URL of the OAuth client `client_id` (from the app's credentials in Intercom's Developer
    /// Hub), carrying `state` (see [`State::generate`]).
    pub fn new(client_id: impl Into<String>, state: &State) -> Self {
        AuthorizeUrl {
            base_url: DEFAULT_AUTHORIZE_BASE_URL.to_owned(),
            client_id: client_id.into(),
            state: state.clone(),
            redirect_uri: None,
        }
    }

    /// Where the authorize page lives, without [`AUTHORIZE_PATH`] (default [`DEFAULT_AUTHORIZE_BASE_URL`]): e.g.
    /// `https://app.eu.intercom.com`, or the simulator's base URL. `https://`, or `http://` on a loopback host.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Where Intercom sends the user back: one of the redirect URLs registered for the app. `https://`, or
    /// `http://` on a loopback host (`localhost`, `127.0.0.1`, `::1`), without a fragment or credentials.
    pub fn redirect_uri(mut self, redirect_uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(redirect_uri.into());
        self
    }

    /// The URL to send the user to.
    ///
    /// # Errors
    ///
    /// [`OAuthError::InvalidClientId`], [`OAuthError::InvalidBaseUrl`] or [`OAuthError::InvalidRedirectUri`].
    pub fn build(&self) -> Result<Url, OAuthError> {
        if self.client_id.is_empty() || !self.client_id.bytes().all(|byte| byte.is_ascii_graphic()) {
            return Err(OAuthError::InvalidClientId);
        }
        let base = checked_url(&self.base_url).map_err(|reason| OAuthError::InvalidBaseUrl { reason })?;
        if base.query().is_some() {
            return Err(OAuthError::InvalidBaseUrl { reason: "it must not have a query" });
        }
        let redirect_uri = match &self.redirect_uri {
            Some(uri) => Some(checked_url(uri).map_err(|reason| OAuthError::InvalidRedirectUri { reason })?),
            None => None,
        };
        let mut url = base;
        let path = format!("{}{AUTHORIZE_PATH}", url.path().trim_end_matches('/'));
        url.set_path(&path);
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("client_id", &self.client_id).append_pair("state", self.state.as_str());
            if let Some(redirect_uri) = &redirect_uri {
                query.append_pair("redirect_uri", redirect_uri.as_str());
            }
        }
        Ok(url)
    }
}

impl fmt::Debug for AuthorizeUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizeUrl")
            .field("base_url", &self.base_url)
            .field("client_id", &"<redacted>")
            .field("state", &self.state)
            .field("redirect_uri", &self.redirect_uri)
            .finish()
    }
}

/// `text` as a URL that is `https://`, or `http://` on a loopback host, without a fragment or credentials; or
/// why not.
fn checked_url(text: &str) -> Result<Url, &'static str> {
    let url = Url::parse(text).map_err(|_| "it is not an absolute URL")?;
    if url.fragment().is_some() {
        return Err("it must not have a fragment");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("it must not carry credentials");
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(address)) => address.is_loopback(),
        Some(url::Host::Ipv6(address)) => address.is_loopback(),
        None => return Err("it has no host"),
    };
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        "http" => Err("it is plain http: only loopback hosts (localhost, 127.0.0.1, ::1) may use http, use https"),
        _ => Err("its scheme is not https"),
    }
}

/// What Intercom's redirect to your redirect URI carries: `code` and `state` when the user authorized the app,
/// `error` (`access_denied` when they declined) and perhaps `error_description` otherwise.
///
/// ```
/// use intercom_rest::oauth_flow::{OAuthError, Redirect, State};
///
/// let state = State::generate()?;
/// let redirect = Redirect::parse(&format!("https://example.com/callback?code=c0de&state={}", state.as_str()))?;
/// assert_eq!(redirect.code_for(&state)?.as_str(), "c0de");
///
/// let forged = Redirect::parse("/callback?code=c0de&state=somebody-elses-state-value")?;
/// assert_eq!(forged.code_for(&state).unwrap_err(), OAuthError::StateMismatch);
/// # Ok::<(), OAuthError>(())
/// ```
///
/// Its `Debug` output leaves out the code and the state.
#[derive(Clone, Default)]
pub struct Redirect {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

impl Redirect {
    /// Reads the redirect from the URL the user was sent to (`https://example.com/callback?code=…&state=…`),
    /// the request target your server saw (`/callback?code=…`), or its query alone (`code=…&state=…`, with or
    /// without the `?`). Other parameters are ignored; an empty one counts as absent.
    ///
    /// # Errors
    ///
    /// [`OAuthError::RepeatedParameter`] when `code`, `state`, `error` or `error_description` is given twice.
    pub fn parse(url_or_query: &str) -> Result<Redirect, OAuthError> {
        let text = url_or_query.trim();
        let parsed = Url::parse(text).ok().filter(|url| matches!(url.scheme(), "http" | "https"));
        let query = match &parsed {
            Some(url) => url.query().unwrap_or_default(),
            None => {
                let without_fragment = text.split_once('#').map_or(text, |(before, _)| before);
                without_fragment.split_once('?').map_or(without_fragment, |(_, query)| query)
            }
        };
        let mut redirect = Redirect::default();
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let (name, slot) = match &*name {
                "code" => ("code", &mut redirect.code),
                "state" => ("state", &mut redirect.state),
                "error" => ("error", &mut redirect.error),
                "error_description" => ("error_description", &mut redirect.error_description),
                _ => continue,
            };
            if value.is_empty() {
                continue;
            }
            if slot.is_some() {
                return Err(OAuthError::RepeatedParameter { name });
            }
            *slot = Some(value.into_owned());
        }
        Ok(redirect)
    }

    /// The code, when the redirect's state is `expected` (the state sent in the authorize URL).
    ///
    /// # Errors
    ///
    /// In this order: [`OAuthError::StateMismatch`] when the redirect carries another state (even with an
    /// `error`); [`OAuthError::Denied`] when it carries an `error` (the user declined, or Intercom refused the
    /// request); [`OAuthError::MissingState`] when it carries no state; [`OAuthError::MissingCode`] when it
    /// carries no code.
    pub fn code_for(&self, expected: &State) -> Result<AuthorizationCode, OAuthError> {
        if self.state.is_some() {
            expected.verify(self.state.as_deref())?;
        }
        if let Some(error) = &self.error {
            return Err(OAuthError::Denied { error: error.clone(), description: self.error_description.clone() });
        }
        expected.verify(self.state.as_deref())?;
        self.code.clone().map(AuthorizationCode).ok_or(OAuthError::MissingCode)
    }

    /// The `state` parameter, as it came.
    pub fn state(&self) -> Option<&str> {
        self.state.as_deref()
    }

    /// The `error` parameter (e.g. `access_denied`), as it came.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The `error_description` parameter, as it came.
    pub fn error_description(&self) -> Option<&str> {
        self.error_description.as_deref()
    }

    /// Whether the redirect carries a `code`.
    pub fn has_code(&self) -> bool {
        self.code.is_some()
    }
}

impl fmt::Debug for Redirect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |value: &Option<String>| value.as_ref().map(|_| "<redacted>");
        f.debug_struct("Redirect")
            .field("code", &redacted(&self.code))
            .field("state", &redacted(&self.state))
            .field("error", &self.error)
            .field("error_description", &self.error_description)
            .finish()
    }
}

impl crate::models::OAuthToken {
    /// The token to authenticate with: `access_token`, or `token` when Intercom sent only that (it sends the
    /// same token under both). `None` when it sent neither, or only empty ones.
    pub fn bearer_token(&self) -> Option<AccessToken> {
        [&self.access_token, &self.token]
            .into_iter()
            .flatten()
            .find(|token| !token.is_empty())
            .map(|token| AccessToken::new(token.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::checked_url;

    #[test]
    fn redirect_uris_are_https_or_loopback_http() {
        assert!(checked_url("https://example.com/callback").is_ok());
        assert!(checked_url("http://127.0.0.1:8080/callback").is_ok());
        assert!(checked_url("http://localhost/callback").is_ok());
        assert!(checked_url("http://[::1]/callback").is_ok());
        assert!(checked_url("http://example.com/callback").is_err());
        assert!(checked_url("http://10.0.0.1/callback").is_err());
        assert!(checked_url("https://example.com/callback#fragment").is_err());
        assert!(checked_url("https://user:pass@example.com/callback").is_err());
        assert!(checked_url("ftp://example.com/callback").is_err());
        assert!(checked_url("/callback").is_err());
    }
}
