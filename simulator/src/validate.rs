//! Reading a request's JSON body member by member, with the types Intercom requires, so that a value of the
//! wrong type is refused as Intercom refuses it, never taken for "absent" nor stored as it came.
//!
//! What a wrong member is answered with (the codes are those of Intercom's error-codes page):
//! * the wrong JSON type: `400 type_mismatch` ("The JSON value type is incorrect for the field"), naming the
//!   member by its path in the body: `email`, `companies[0].monthly_spend`, `custom_attributes.plan`;
//! * the right type but malformed (an email address without `@`, a custom attribute name with a `.`, text
//!   too long for a custom attribute): `400 parameter_invalid`;
//! * a required member absent, `null` or `""`: `422 parameter_not_found`, as the simulator has always answered;
//! * a well-formed value Intercom does not act on (a `message_type` it does not have, a webhook URL that is not
//!   http(s)): `422 parameter_invalid`, as each endpoint answers it.
//!
//! `null` is "absent" for optional members, and stored as `null` where the model has one (text, timestamps,
//! custom attribute values), except for booleans: Intercom's boolean fields have no "nothing" value, so `null`
//! there is a wrong type.
//!
//! Identifiers (`id`, `user_id`, `company_id`, `admin_id`, `intercom_user_id`, a job's `id`) are text, but a
//! JSON whole number is taken as its decimal text. Intercom's own ids come back as numbers in places (tag ids
//! in `GET /tags`, admin and team ids; facts §5), and the package this client replaces sent numeric-looking ids
//! as integers, which Intercom accepted (http-mapping.md: "the original converted numeric strings to integers").
//! Every other text (email, name, body, subject, url, ...) must be a JSON string: Intercom does not turn `5`
//! into an email address.

use std::borrow::Cow;

use serde_json::Value;

use crate::http::ApiError;
use crate::world::Object;

/// The longest text a custom attribute may hold: Intercom keeps custom attributes of string type "up to 255
/// characters" [3p: Intercom custom attribute rules, as quoted by integrators].
const MAX_ATTRIBUTE_TEXT: usize = 255;

/// The members of one JSON object of a request body, and where that object sits in the body, so that an error
/// names a member by its whole path.
#[derive(Debug, Clone)]
pub(crate) struct Members<'a> {
    object: &'a Object,
    path: String,
}

impl<'a> Members<'a> {
    /// The top-level object of a body (or the identifiers of a query, gathered into an object).
    pub(crate) fn of(object: &'a Object) -> Self {
        Members { object, path: String::new() }
    }

    /// An object found at `path` in a body, e.g. the `data` of a bulk item at `items[2].data`.
    pub(crate) fn at(object: &'a Object, path: impl Into<String>) -> Self {
        Members { object, path: path.into() }
    }

    /// The object itself, once checked.
    pub(crate) fn object(&self) -> &'a Object {
        self.object
    }

    /// The path of the member `key`, e.g. `companies[0].name`.
    pub(crate) fn field(&self, key: &str) -> String {
        if self.path.is_empty() { key.to_owned() } else { format!("{}.{key}", self.path) }
    }

    /// `object[key]`, unless it is absent or `null`.
    fn given(&self, key: &str) -> Option<&'a Value> {
        self.object.get(key).filter(|value| !value.is_null())
    }

    fn mismatch(&self, key: &str, expected: &str) -> ApiError {
        ApiError::type_mismatch(&self.field(key), expected)
    }

    /// A text member: a JSON string (possibly empty), or `None` when absent or `null`.
    pub(crate) fn text(&self, key: &str) -> Result<Option<&'a str>, ApiError> {
        match self.given(key) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(_) => Err(self.mismatch(key, "a string")),
        }
    }

    /// A text member that must be given and not be empty.
    pub(crate) fn required_text(&self, key: &str) -> Result<&'a str, ApiError> {
        self.text(key)?.filter(|text| !text.is_empty()).ok_or_else(|| ApiError::missing(&self.field(key)))
    }

    /// An email address: text that has something on both sides of an `@` and no blanks. An empty one is
    /// allowed (it names nobody), so that clearing works as for other text.
    pub(crate) fn email(&self, key: &str) -> Result<Option<&'a str>, ApiError> {
        let email = self.text(key)?;
        let well_formed = |email: &str| {
            email.rsplit_once('@').is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty())
                && !email.chars().any(char::is_whitespace)
        };
        match email {
            Some(email) if !email.is_empty() && !well_formed(email) => {
                Err(ApiError::malformed(&self.field(key), format!("{} is not a valid email address", self.field(key))))
            }
            email => Ok(email),
        }
    }

    /// An identifier: a non-empty JSON string, or a whole number taken as its decimal text (see the module's
    /// documentation). `None` when absent, `null` or `""`.
    pub(crate) fn id(&self, key: &str) -> Result<Option<Cow<'a, str>>, ApiError> {
        match self.given(key) {
            None => Ok(None),
            Some(Value::String(text)) => Ok((!text.is_empty()).then_some(Cow::Borrowed(text.as_str()))),
            Some(Value::Number(number)) if number.is_i64() || number.is_u64() => {
                Ok(Some(Cow::Owned(number.to_string())))
            }
            Some(_) => Err(self.mismatch(key, "a string (or a whole number)")),
        }
    }

    /// An identifier that must be given.
    pub(crate) fn required_id(&self, key: &str) -> Result<Cow<'a, str>, ApiError> {
        self.id(key)?.ok_or_else(|| ApiError::missing(&self.field(key)))
    }

    /// A whole number (a JSON integer: `1.5` and `"15"` are not).
    pub(crate) fn integer(&self, key: &str) -> Result<Option<i64>, ApiError> {
        match self.given(key) {
            None => Ok(None),
            Some(value) => value.as_i64().map(Some).ok_or_else(|| self.mismatch(key, "a whole number")),
        }
    }

    /// A time, as Intercom takes every time: whole Unix seconds (a JSON integer; not text, not a fraction).
    pub(crate) fn timestamp(&self, key: &str) -> Result<Option<i64>, ApiError> {
        match self.given(key) {
            None => Ok(None),
            Some(value) => {
                value.as_i64().map(Some).ok_or_else(|| self.mismatch(key, "a Unix timestamp in whole seconds"))
            }
        }
    }

    /// A number, whole or not (e.g. a company's `monthly_spend`).
    pub(crate) fn number(&self, key: &str) -> Result<Option<f64>, ApiError> {
        match self.given(key) {
            None => Ok(None),
            Some(value) => value.as_f64().map(Some).ok_or_else(|| self.mismatch(key, "a number")),
        }
    }

    /// A boolean: `true` or `false`; `null` and `"true"` are wrong types.
    pub(crate) fn boolean(&self, key: &str) -> Result<Option<bool>, ApiError> {
        match self.object.get(key) {
            None => Ok(None),
            Some(Value::Bool(flag)) => Ok(Some(*flag)),
            Some(_) => Err(self.mismatch(key, "true or false")),
        }
    }

    /// A text member that takes one of `allowed`. A wrong type is a `400 type_mismatch`; text that is not one
    /// of them a `422 parameter_invalid` listing them, as the endpoints have always answered an unknown value.
    pub(crate) fn one_of(&self, key: &str, allowed: &[&'static str]) -> Result<Option<&'static str>, ApiError> {
        let Some(value) = self.text(key)?.filter(|value| !value.is_empty()) else { return Ok(None) };
        allowed.iter().find(|allowed| **allowed == value).map(|allowed| Some(*allowed)).ok_or_else(|| {
            let field = self.field(key);
            ApiError::invalid("parameter_invalid", &field, format!("{field} must be {}", alternatives(allowed)))
        })
    }

    /// An object member, to read further.
    pub(crate) fn member(&self, key: &str) -> Result<Option<Members<'a>>, ApiError> {
        match self.given(key) {
            None => Ok(None),
            Some(Value::Object(object)) => Ok(Some(Members::at(object, self.field(key)))),
            Some(_) => Err(self.mismatch(key, "an object")),
        }
    }

    /// An object member that must be given.
    pub(crate) fn required_member(&self, key: &str) -> Result<Members<'a>, ApiError> {
        self.member(key)?.ok_or_else(|| ApiError::missing(&self.field(key)))
    }

    /// A list of objects (e.g. `companies`, a tagging's `users`, bulk `items`), each to read further.
    pub(crate) fn list(&self, key: &str) -> Result<Option<Vec<Members<'a>>>, ApiError> {
        let Some(given) = self.given(key) else { return Ok(None) };
        let Value::Array(items) = given else { return Err(self.mismatch(key, "a list of objects")) };
        let field = self.field(key);
        items
            .iter()
            .enumerate()
            .map(|(position, item)| match item {
                Value::Object(item) => Ok(Members::at(item, format!("{field}[{position}]"))),
                _ => Err(ApiError::type_mismatch(&format!("{field}[{position}]"), "an object")),
            })
            .collect::<Result<_, _>>()
            .map(Some)
    }

    /// A list of texts (e.g. `topics`, `attachment_urls`).
    pub(crate) fn texts(&self, key: &str) -> Result<Option<Vec<&'a str>>, ApiError> {
        let Some(given) = self.given(key) else { return Ok(None) };
        let Value::Array(items) = given else { return Err(self.mismatch(key, "a list of strings")) };
        let field = self.field(key);
        items
            .iter()
            .enumerate()
            .map(|(position, item)| {
                item.as_str().ok_or_else(|| ApiError::type_mismatch(&format!("{field}[{position}]"), "a string"))
            })
            .collect::<Result<_, _>>()
            .map(Some)
    }

    /// Checks that every member of this object is a scalar (a string, number, boolean or `null`): nested
    /// objects and lists are refused.
    pub(crate) fn scalars_only(&self) -> Result<(), ApiError> {
        match self.object.iter().find(|(_, value)| value.is_object() || value.is_array()) {
            Some((name, _)) => Err(self.mismatch(name, "a string, a number, a boolean or null")),
            None => Ok(()),
        }
    }

    /// An object member whose members are all scalars (e.g. `location_data`).
    pub(crate) fn scalars(&self, key: &str) -> Result<Option<&'a Object>, ApiError> {
        let Some(member) = self.member(key)? else { return Ok(None) };
        member.scalars_only()?;
        Ok(Some(member.object))
    }

    /// `custom_attributes`, checked as Intercom checks them: an object whose values are strings, numbers,
    /// booleans or `null` (nested objects and lists are refused), whose names have no `.` or `$` and are not
    /// empty, and whose texts are at most 255 characters long.
    pub(crate) fn custom_attributes(&self, key: &str) -> Result<Option<&'a Object>, ApiError> {
        let Some(attributes) = self.scalars(key)? else { return Ok(None) };
        let container = self.field(key);
        for (name, value) in attributes {
            let field = format!("{container}.{name}");
            if name.is_empty() || name.contains(['.', '$']) {
                let message = format!("{field}: a custom attribute name cannot be empty nor contain '.' or '$'");
                return Err(ApiError::malformed(&field, message));
            }
            if value.as_str().is_some_and(|text| text.chars().count() > MAX_ATTRIBUTE_TEXT) {
                let message = format!("{field} is longer than {MAX_ATTRIBUTE_TEXT} characters");
                return Err(ApiError::malformed(&field, message));
            }
        }
        Ok(Some(attributes))
    }
}

/// `a`, `a or b`, `a, b or c`.
fn alternatives(allowed: &[&str]) -> String {
    match allowed {
        [] => String::new(),
        [only] => (*only).to_owned(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// Gathers the errors of checks that do not depend on each other, so that a body with several wrong members is
/// answered with all of them in one `error.list`.
#[derive(Debug, Default)]
pub(crate) struct Checks(Vec<ApiError>);

impl Checks {
    /// The value a check gave, or `None` after noting its error.
    pub(crate) fn check<T>(&mut self, result: Result<T, ApiError>) -> Option<T> {
        result.map_err(|error| self.0.push(error)).ok()
    }

    /// `Ok` when every check passed, else one answer naming every error, in the order they were checked.
    pub(crate) fn done(self) -> Result<(), ApiError> {
        ApiError::all(self.0)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::world::object;

    fn code_and_field(error: &ApiError) -> (String, String) {
        let entry = error.entry();
        (entry["code"].as_str().unwrap_or_default().to_owned(), entry["field"].as_str().unwrap_or_default().to_owned())
    }

    #[test]
    fn identifiers_take_whole_numbers_as_text_and_nothing_else() {
        let body = object(json!({ "a": "x1", "b": 42, "c": 1.5, "d": [1], "e": "", "f": null }));
        let body = Members::of(&body);
        assert_eq!(body.id("a").unwrap().as_deref(), Some("x1"));
        assert_eq!(body.id("b").unwrap().as_deref(), Some("42"));
        assert_eq!(code_and_field(&body.id("c").unwrap_err()), ("type_mismatch".into(), "c".into()));
        assert_eq!(code_and_field(&body.id("d").unwrap_err()), ("type_mismatch".into(), "d".into()));
        assert_eq!((body.id("e").unwrap(), body.id("f").unwrap(), body.id("g").unwrap()), (None, None, None));
    }

    #[test]
    fn text_is_only_a_json_string() {
        let body = object(json!({ "email": 5, "name": "Ann", "phone": null }));
        let body = Members::of(&body);
        assert_eq!(code_and_field(&body.text("email").unwrap_err()), ("type_mismatch".into(), "email".into()));
        assert_eq!((body.text("name").unwrap(), body.text("phone").unwrap()), (Some("Ann"), None));
        assert_eq!(code_and_field(&body.required_text("phone").unwrap_err()).0, "parameter_not_found");
    }

    #[test]
    fn nested_members_are_named_by_their_path() {
        let body = object(json!({ "companies": [{ "company_id": "a" }, { "monthly_spend": "lots" }] }));
        let companies = Members::of(&body).list("companies").unwrap().unwrap();
        let error = companies[1].number("monthly_spend").unwrap_err();
        assert_eq!(code_and_field(&error), ("type_mismatch".into(), "companies[1].monthly_spend".into()));
        let body = object(json!({ "companies": [{}, 3] }));
        let error = Members::of(&body).list("companies").unwrap_err();
        assert_eq!(code_and_field(&error), ("type_mismatch".into(), "companies[1]".into()));
    }

    #[test]
    fn custom_attributes_hold_only_scalars_under_plain_names() {
        let good = object(json!({ "custom_attributes": { "plan": "pro", "seats": 3, "paid": true, "gone": null } }));
        assert!(Members::of(&good).custom_attributes("custom_attributes").unwrap().is_some());
        for (attributes, code, field) in [
            (json!({ "a": { "b": 1 } }), "type_mismatch", "custom_attributes.a"),
            (json!({ "a": [1] }), "type_mismatch", "custom_attributes.a"),
            (json!({ "a.b": 1 }), "parameter_invalid", "custom_attributes.a.b"),
            (json!({ "$a": 1 }), "parameter_invalid", "custom_attributes.$a"),
            (json!({ "long": "x".repeat(256) }), "parameter_invalid", "custom_attributes.long"),
        ] {
            let body = object(json!({ "custom_attributes": attributes }));
            let error = Members::of(&body).custom_attributes("custom_attributes").unwrap_err();
            assert_eq!(code_and_field(&error), (code.into(), field.into()), "{attributes}");
        }
        let body = object(json!({ "custom_attributes": "plan=pro" }));
        assert_eq!(
            code_and_field(&Members::of(&body).custom_attributes("custom_attributes").unwrap_err()).0,
            "type_mismatch"
        );
    }

    #[test]
    fn times_and_flags_have_their_own_types() {
        let body = object(json!({ "at": 1_714_557_600, "soon": "1714557600", "half": 1.5, "yes": true, "no": null }));
        let body = Members::of(&body);
        assert_eq!(body.timestamp("at").unwrap(), Some(1_714_557_600));
        assert!(body.timestamp("soon").is_err() && body.timestamp("half").is_err());
        assert_eq!(body.boolean("yes").unwrap(), Some(true));
        assert_eq!(code_and_field(&body.boolean("no").unwrap_err()), ("type_mismatch".into(), "no".into()));
    }

    #[test]
    fn emails_need_an_at_sign() {
        let body = object(json!({ "good": "a@b.example", "bad": "ann", "blank": "a @b", "none": "" }));
        let body = Members::of(&body);
        assert_eq!(body.email("good").unwrap(), Some("a@b.example"));
        assert_eq!(body.email("none").unwrap(), Some(""));
        assert_eq!(code_and_field(&body.email("bad").unwrap_err()), ("parameter_invalid".into(), "bad".into()));
        assert!(body.email("blank").is_err());
    }

    #[test]
    fn several_failed_checks_are_answered_together() {
        let mut checks = Checks::default();
        checks.check(Err::<(), _>(ApiError::type_mismatch("email", "a string")));
        checks.check(Ok::<_, ApiError>(()));
        checks.check(Err::<(), _>(ApiError::type_mismatch("user_id", "a string")));
        let error = checks.done().unwrap_err();
        assert_eq!(code_and_field(&error).1, "email");
        assert!(format!("{error:?}").contains("user_id"));
        assert!(Checks::default().done().is_ok());
    }
}
