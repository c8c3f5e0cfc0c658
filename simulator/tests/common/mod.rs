//! What the simulator's raw-HTTP tests share: a simulator with a plain HTTP client, and the codes it answers.

// Each test file uses a part of this module; what one leaves unused is not dead.
#![allow(dead_code)]

use intercom_simulator::{OAUTH_CLIENT_ID, Simulator};
use serde_json::{Value, json};

/// A running simulator and a plain HTTP client for it.
pub struct Api {
    pub simulator: Simulator,
    pub http: reqwest::Client,
}

impl Api {
    pub async fn start() -> Api {
        Api::on(Simulator::start().await.expect("a simulator"))
    }

    pub fn on(simulator: Simulator) -> Api {
        Api { simulator, http: reqwest::Client::new() }
    }

    /// Sends `method path` with `body` as JSON (when given) and these extra headers; answers the status and the
    /// JSON answer (`null` when there is none).
    pub async fn send_with(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> (u16, Value) {
        let url = format!("{}{path}", self.simulator.base_url());
        let mut request = self
            .http
            .request(method.parse().expect("a method"), url)
            .bearer_auth(self.simulator.access_token())
            .header("accept", "application/json");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(body.to_string());
        }
        let response = request.send().await.expect("an answer");
        let status = response.status().as_u16();
        let text = response.text().await.expect("a body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn send(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        self.send_with(method, path, body, &[]).await
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.send("GET", path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.send("POST", path, Some(&body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (u16, Value) {
        self.send("PUT", path, Some(&body)).await
    }

    /// `GET path`, which must succeed; its answer.
    pub async fn fetch(&self, path: &str) -> Value {
        let (status, answer) = self.get(path).await;
        assert_eq!(status, 200, "GET {path}: {answer}");
        answer
    }

    /// `method path body`, which must succeed; its answer.
    pub async fn ok(&self, method: &str, path: &str, body: Value) -> Value {
        let (status, answer) = self.send(method, path, Some(&body)).await;
        assert!(status == 200 || status == 202, "{method} {path} {body}: {status} {answer}");
        answer
    }

    pub async fn create(&self, path: &str, body: Value) -> Value {
        self.ok("POST", path, body).await
    }

    /// How many users (or `company`) the workspace has now.
    pub async fn count(&self, kind: &str) -> u64 {
        let counts = self.fetch(&format!("/counts?type={kind}")).await;
        counts[kind]["count"].as_u64().expect("a count")
    }

    /// The id of the first seeded admin.
    pub async fn admin_id(&self) -> String {
        self.admins().await.swap_remove(0)
    }

    /// The ids of the seeded admins.
    pub async fn admins(&self) -> Vec<String> {
        let admins = self.fetch("/admins").await;
        admins["admins"].as_array().expect("admins").iter().map(|admin| text(&admin["id"])).collect()
    }

    /// A new user with this `user_id` and an email; its Intercom id.
    pub async fn user(&self, user_id: &str) -> String {
        let user =
            self.create("/users", json!({ "user_id": user_id, "email": format!("{user_id}@example.com") })).await;
        text(&user["id"])
    }

    /// A conversation the user `user_id` starts; its id.
    pub async fn conversation_from(&self, user_id: &str, body: &str) -> String {
        let message =
            self.create("/messages", json!({ "from": { "type": "user", "user_id": user_id }, "body": body })).await;
        text(&message["conversation_id"])
    }

    /// An admin's reply of `message_type` with these other members.
    pub async fn admin_reply(&self, conversation: &str, admin: &str, message_type: &str, extra: Value) -> (u16, Value) {
        let mut body = json!({ "type": "admin", "admin_id": admin, "message_type": message_type });
        for (key, value) in extra.as_object().expect("an object") {
            body[key] = value.clone();
        }
        self.post(&format!("/conversations/{conversation}/reply"), body).await
    }

    /// Visits the authorize page `GET /oauth?{query}` as a browser would, without following the redirect and
    /// without a token: the status, the `Location` it redirects to (if any) and the JSON answer (`null` when
    /// there is none).
    pub async fn authorize(&self, query: &str) -> (u16, Option<url::Url>, Value) {
        let browser = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("a client");
        let url = format!("{}/oauth?{query}", self.simulator.base_url());
        let response = browser.get(url).send().await.expect("an answer");
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|location| url::Url::parse(location.to_str().expect("text")).expect("an absolute URL"));
        let text = response.text().await.expect("a body");
        (status, location, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// A fresh code from the authorize page for the simulator's OAuth client.
    pub async fn oauth_code(&self) -> String {
        let query = format!("client_id={OAUTH_CLIENT_ID}&redirect_uri=https%3A%2F%2Fexample.com%2Fcb");
        let (status, location, answer) = self.authorize(&query).await;
        assert_eq!(status, 302, "{answer}");
        let location = location.expect("a redirect");
        location.query_pairs().find(|(name, _)| name == "code").expect("a code").1.into_owned()
    }

    /// `POST /auth/eagle/token` with this JSON body, without a token: the status and the JSON answer.
    pub async fn exchange(&self, body: &Value) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}/auth/eagle/token", self.simulator.base_url()))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("an answer");
        let status = response.status().as_u16();
        (status, serde_json::from_str(&response.text().await.expect("a body")).unwrap_or(Value::Null))
    }
}

/// Asserts that `answer` is an `error.list` answered with `status`, whose first error has this code and (when
/// not empty) names this field.
#[track_caller]
pub fn assert_error(answer: &(u16, Value), status: u16, code: &str, field: &str) {
    let (got, body) = answer;
    assert_eq!(*got, status, "{body}");
    assert_eq!(body["type"], "error.list", "{body}");
    assert_eq!(body["errors"][0]["code"], code, "{body}");
    assert!(body["errors"][0]["message"].is_string(), "{body}");
    if !field.is_empty() {
        assert_eq!(body["errors"][0]["field"], field, "{body}");
    }
}

pub fn text(value: &Value) -> String {
    value.as_str().unwrap_or_else(|| panic!("text expected, got {value}")).to_owned()
}

pub fn ids(list: &Value, key: &str) -> Vec<String> {
    list[key]
        .as_array()
        .unwrap_or_else(|| panic!("a list under {key}: {list}"))
        .iter()
        .map(|item| text(&item["id"]))
        .collect()
}

pub const TYPE: &str = "type_mismatch";
pub const INVALID: &str = "parameter_invalid";
pub const MISSING: &str = "parameter_not_found";
pub const NOT_FOUND: &str = "not_found";
