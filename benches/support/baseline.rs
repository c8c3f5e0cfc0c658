//! The code a user would write by hand for the same requests and answers: `serde` structs, `serde_json` and
//! `reqwest`. Each request is checked byte for byte against the client's before it is measured.

use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::TOKEN;

/// The `Intercom-Version` the client sends by default.
pub const INTERCOM_VERSION: &str = "1.4";

/// A `reqwest::Client` with the settings the client uses: rustls, the same timeouts, no redirects, no proxy.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(10))
        .timeout(std::time::Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .expect("a reqwest client")
}

/// A request with the headers every Intercom call carries.
fn request(http: &reqwest::Client, method: reqwest::Method, url: &str) -> reqwest::RequestBuilder {
    http.request(method, url)
        .header(ACCEPT, "application/json")
        .header("Intercom-Version", INTERCOM_VERSION)
        .bearer_auth(TOKEN)
}

/// `createUserByEmail` with every argument, by hand. Members in the order the client writes them (by name).
#[derive(Serialize)]
pub struct CreateUser<'a> {
    pub avatar: AvatarUrl<'a>,
    pub companies: &'a [CompanyReference<'a>],
    pub custom_attributes: &'a Map<String, Value>,
    pub email: &'a str,
    pub last_request_at: i64,
    pub last_seen_ip: &'a str,
    pub last_seen_user_agent: &'a str,
    pub name: &'a str,
    pub new_session: bool,
    pub phone: &'a str,
    pub remote_created_at: i64,
    pub signed_up_at: i64,
    pub unsubscribed_from_emails: bool,
    pub update_last_request_at: bool,
    pub user_id: &'a str,
}

#[derive(Serialize)]
pub struct AvatarUrl<'a> {
    pub image_url: &'a str,
    #[serde(rename = "type")]
    pub kind: &'a str,
}

#[derive(Serialize)]
pub struct CompanyReference<'a> {
    pub company_id: &'a str,
    pub name: &'a str,
}

pub fn create_user(http: &reqwest::Client, base_url: &str, user: &CreateUser<'_>) -> reqwest::Request {
    let body = serde_json::to_vec(user).expect("the body encodes");
    request(http, reqwest::Method::POST, &format!("{base_url}/users"))
        .header(CONTENT_TYPE, "application/json")
        .body(body)
        .build()
        .expect("a request")
}

/// `getSingleUser` by email: `GET /users?email=`.
pub fn get_user_by_email(http: &reqwest::Client, base_url: &str, email: &str) -> reqwest::Request {
    request(http, reqwest::Method::GET, &format!("{base_url}/users"))
        .query(&[("email", email)])
        .build()
        .expect("a request")
}

/// `tagUser`: `POST /tags` with the users to tag.
#[derive(Serialize)]
pub struct TagUsers<'a> {
    pub name: &'a str,
    pub users: &'a [UserByEmail<'a>],
}

#[derive(Serialize)]
pub struct UserByEmail<'a> {
    pub email: &'a str,
}

pub fn tag_users(http: &reqwest::Client, base_url: &str, tag: &TagUsers<'_>) -> reqwest::Request {
    let body = serde_json::to_vec(tag).expect("the body encodes");
    request(http, reqwest::Method::POST, &format!("{base_url}/tags"))
        .header(CONTENT_TYPE, "application/json")
        .body(body)
        .build()
        .expect("a request")
}

/// `getUsers`, one page: `GET /users?page=&per_page=&order=&sort=`.
pub fn get_users_page(http: &reqwest::Client, base_url: &str, page: u32, per_page: u32) -> reqwest::Request {
    let (page, per_page) = (page.to_string(), per_page.to_string());
    request(http, reqwest::Method::GET, &format!("{base_url}/users"))
        .query(&[("page", page.as_str()), ("per_page", per_page.as_str()), ("order", "desc"), ("sort", "created_at")])
        .build()
        .expect("a request")
}

/// `getSingleUser` by Intercom id: `GET /users/{id}`.
pub fn get_user(http: &reqwest::Client, base_url: &str, id: &str) -> reqwest::RequestBuilder {
    request(http, reqwest::Method::GET, &format!("{base_url}/users/{id}"))
}

/// Asserts that two requests are the same on the wire: method, URL, headers and body bytes.
#[track_caller]
pub fn assert_same(ours: &reqwest::Request, by_hand: &reqwest::Request) {
    assert_eq!(ours.method(), by_hand.method());
    assert_eq!(ours.url(), by_hand.url());
    assert_eq!(ours.headers(), by_hand.headers());
    let body = |request: &reqwest::Request| request.body().and_then(|body| body.as_bytes()).map(<[u8]>::to_vec);
    let (ours, by_hand) = (body(ours), body(by_hand));
    assert_eq!(
        ours.as_deref().map(String::from_utf8_lossy),
        by_hand.as_deref().map(String::from_utf8_lossy),
        "the same body"
    );
}

/// A user as a hand-written `serde` struct would read it: the members the typed model declares (each object's
/// `type` too, so that both read the same information), without the client's leniency (numbers as text,
/// unknown members kept). Leaving the `type` members out makes this about a sixth faster.
#[derive(Debug, Deserialize)]
pub struct User {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub id: String,
    pub user_id: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub name: Option<String>,
    pub pseudonym: Option<String>,
    pub anonymous: Option<bool>,
    pub app_id: Option<String>,
    pub avatar: Option<Avatar>,
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
    pub signed_up_at: Option<i64>,
    pub remote_created_at: Option<i64>,
    pub last_request_at: Option<i64>,
    pub last_seen_ip: Option<String>,
    pub user_agent_data: Option<String>,
    pub session_count: Option<i64>,
    pub unsubscribed_from_emails: Option<bool>,
    pub marked_email_as_spam: Option<bool>,
    pub has_hard_bounced: Option<bool>,
    pub do_not_track: Option<bool>,
    pub referrer: Option<String>,
    pub owner_id: Option<String>,
    pub utm_campaign: Option<String>,
    pub utm_content: Option<String>,
    pub utm_medium: Option<String>,
    pub utm_source: Option<String>,
    pub utm_term: Option<String>,
    pub custom_attributes: Option<Map<String, Value>>,
    pub location_data: Option<LocationData>,
    pub social_profiles: Option<SocialProfiles>,
    pub companies: Option<Companies>,
    pub segments: Option<Segments>,
    pub tags: Option<Tags>,
}

#[derive(Debug, Deserialize)]
pub struct Avatar {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub image_url: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct LocationData {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub city_name: Option<String>,
    pub continent_code: Option<String>,
    pub country_code: Option<String>,
    pub country_name: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub postal_code: Option<String>,
    pub region_name: Option<String>,
    pub timezone: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct SocialProfiles {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub social_profiles: Vec<SocialProfile>,
}

#[derive(Debug, Deserialize)]
pub struct SocialProfile {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub name: Option<String>,
    pub id: Option<String>,
    pub username: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Companies {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub companies: Vec<Company>,
}

#[derive(Debug, Deserialize)]
pub struct Company {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub id: String,
    pub company_id: Option<String>,
    pub name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Segments {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub segments: Vec<Reference>,
}

#[derive(Debug, Deserialize)]
pub struct Tags {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Deserialize)]
pub struct Reference {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub id: String,
}

#[derive(Debug, Deserialize)]
pub struct Tag {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub id: String,
    pub name: Option<String>,
}

/// A page of users.
#[derive(Debug, Deserialize)]
pub struct UserList {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub users: Vec<User>,
    pub total_count: Option<i64>,
    pub pages: Option<Pages>,
}

#[derive(Debug, Deserialize)]
pub struct Pages {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    pub total_pages: Option<i64>,
    pub next: Option<String>,
}

/// A scroll page: its users and the parameter of the next.
#[derive(Debug, Deserialize)]
pub struct ScrollPage {
    pub users: Vec<User>,
    pub scroll_param: Option<String>,
}
