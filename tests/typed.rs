//! The typed methods make exactly the request of the same call by name.
//!
//! For every function of the manifest there is one case below: a typed call that gives every argument
//! (required ones as parameters, optional ones through their setters) and the call by name with the same
//! values as JSON. Both are prepared, not sent, and must be identical: method, path, query and body. A
//! function added to the manifest makes `every_function_has_a_typed_case` fail until it gets a case here.
//!
//! Then a few typed details: `Select` enums, `Timestamp` conversions, and secrets kept out of `Debug`.

use std::collections::BTreeSet;
use std::fmt::{Debug, Display};
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use intercom_rest::{
    Client, CompanyIdType, ContactIdType, ConversationSort, ConversationUserIdType, CountType, DataAttributeModel,
    DisplayAs, Error, GetSingleUserConversationsSort, MessageTemplate, MessageType, PreparedRequest, ReceiverType,
    ReplyMessageType, SegmentType, SortOrder, Timestamp, UnknownOption, UserIdType, UserSort, find_function, functions,
};
use serde_json::{Value, json};

/// A client for preparing requests; nothing is sent, so the base URL is a closed port.
fn client() -> Client {
    Client::builder().access_token("t").base_url("http://127.0.0.1:9").build().unwrap()
}

/// JSON objects read as the model a typed setter takes; the call by name gives the same JSON.
fn models<T: serde::de::DeserializeOwned>(values: impl IntoIterator<Item = Value>) -> Vec<T> {
    values.into_iter().map(|value| serde_json::from_value(value).unwrap()).collect()
}

fn url(text: &str) -> intercom_rest::Url {
    text.parse().unwrap()
}

/// A typed call, prepared.
type Typed = fn(&Client) -> Result<PreparedRequest, Error>;

/// One function: its manifest name, the typed call, and the arguments of the same call by name.
struct Case {
    name: &'static str,
    typed: Typed,
    args: Value,
}

fn case(name: &'static str, typed: Typed, args: Value) -> Case {
    Case { name, typed, args }
}

/// How the typed request and the request of the call by name `name` with `args` differ; empty when identical.
fn differences(client: &Client, typed: Result<PreparedRequest, Error>, name: &str, args: &Value) -> Vec<String> {
    let by_name = client.prepare_call(name, args);
    let (typed, by_name) = match (typed, by_name) {
        (Ok(typed), Ok(by_name)) => (typed, by_name),
        (typed, by_name) => {
            let mut problems = Vec::new();
            if let Err(error) = typed {
                problems.push(format!("the typed call was refused: {error}"));
            }
            if let Err(error) = by_name {
                problems.push(format!("the call by name was refused: {error}"));
            }
            return problems;
        }
    };
    let mut problems = Vec::new();
    if typed.function() != name || by_name.function() != name {
        problems.push(format!("function: typed {:?}, by name {:?}", typed.function(), by_name.function()));
    }
    if typed.method() != by_name.method() {
        problems.push(format!("method: typed {:?}, by name {:?}", typed.method(), by_name.method()));
    }
    if typed.path() != by_name.path() {
        problems.push(format!("path: typed {:?}, by name {:?}", typed.path(), by_name.path()));
    }
    if typed.query() != by_name.query() {
        problems.push(format!("query: typed {:?}, by name {:?}", typed.query(), by_name.query()));
    }
    // The same bytes, not only the same JSON.
    if typed.body_text() != by_name.body_text() {
        let show = |body: Option<&str>| body.unwrap_or("no body").to_owned();
        problems.push(format!("body: typed {}, by name {}", show(typed.body_text()), show(by_name.body_text())));
    }
    problems
}

/// Asserts that the typed request is the request of the call by name `name` with `args`.
fn same(typed: Result<PreparedRequest, Error>, name: &str, args: Value) {
    let problems = differences(&client(), typed, name, &args);
    assert!(
        problems.is_empty(),
        "{name}: the typed call and the call by name {args} differ:\n  {}",
        problems.join("\n  ")
    );
}

/// The manifest arguments of `name` that `args` does not give (every case gives all of them).
fn arguments_not_given(name: &str, args: &Value) -> Vec<&'static str> {
    let Some(spec) = find_function(name) else { return Vec::new() };
    spec.fields.iter().map(|field| field.name).filter(|field| args.get(field).is_none()).collect()
}

// Values that are too long to repeat inline; each is given to the typed call and, as the same JSON, by name.

fn user_bulk_items() -> Vec<Value> {
    vec![
        json!({ "method": "post", "data_type": "user", "data": { "user_id": "25", "email": "alice@example.com" } }),
        json!({ "method": "delete", "data_type": "user", "data": { "user_id": "26" } }),
    ]
}

fn lead_bulk_items() -> Vec<Value> {
    vec![
        json!({ "method": "post", "data_type": "contact", "data": { "email": "lead.one@example.net", "name": "Lead One" } }),
    ]
}

fn event_bulk_items() -> Vec<Value> {
    vec![
        json!({ "method": "post", "data_type": "event", "data": { "event_name": "ordered-coffee", "created_at": 1_438_944_980, "user_id": "314159" } }),
        json!({ "method": "post", "data_type": "event", "data": { "event_name": "ordered-tea", "created_at": 1_438_944_990, "email": "tea@example.com" } }),
    ]
}

fn lead_companies() -> Vec<Value> {
    vec![json!({ "company_id": "366", "name": "Serenity", "monthly_spend": 500 })]
}

fn social_profiles() -> Vec<Value> {
    vec![json!({ "type": "twitter", "username": "malreynolds", "url": "https://twitter.com/malreynolds" })]
}

fn tag_users() -> Vec<Value> {
    vec![
        json!({ "id": "5714dd359a3fd47136000007" }),
        json!({ "email": "zoe@serenity.io" }),
        json!({ "user_id": "wash-3" }),
    ]
}

fn tag_companies() -> Vec<Value> {
    vec![json!({ "company_id": "blue-sun-6" }), json!({ "id": "531ee472cce572a6ec000006" })]
}

/// One case per function of the manifest, in the order of the manifest's modules.
#[allow(clippy::too_many_lines, reason = "one entry per manifest function")]
fn cases() -> Vec<Case> {
    vec![
        // admins
        case("getAdmins", |c| c.get_admins().prepare(), json!({})),
        case("getCurrentAdmin", |c| c.get_current_admin().prepare(), json!({})),
        case("getSingleAdmin", |c| c.get_single_admin("814860").prepare(), json!({ "adminId": "814860" })),
        case(
            "setAdminAway",
            |c| c.set_admin_away("814861", true, false).prepare(),
            json!({ "adminId": "814861", "awayModeEnabled": true, "awayModeReassign": false }),
        ),
        case(
            "getAdminActivityLogs",
            |c| c.get_admin_activity_logs(1_714_521_600_i64).created_at_before("2024-05-08T00:00:00Z").prepare(),
            json!({ "createdAtAfter": 1_714_521_600, "createdAtBefore": "2024-05-08T00:00:00Z" }),
        ),
        // bulk
        case(
            "createUserBulkJobs",
            |c| c.create_user_bulk_jobs(models(user_bulk_items())).job_id("job_5ca1ab1eca11ab1d").prepare(),
            json!({ "items": user_bulk_items(), "jobId": "job_5ca1ab1eca11ab1d" }),
        ),
        case(
            "createBulkLeadJob",
            |c| c.create_bulk_lead_job(models(lead_bulk_items())).prepare(),
            json!({ "items": lead_bulk_items() }),
        ),
        case(
            "createBulkEventJob",
            |c| c.create_bulk_event_job(models(event_bulk_items())).job_id("job_5ca1ab1eca11ab1f").prepare(),
            json!({ "items": event_bulk_items(), "jobId": "job_5ca1ab1eca11ab1f" }),
        ),
        case(
            "getSingleBulkJob",
            |c| c.get_single_bulk_job("job_5ca1ab1eca11ab1e").prepare(),
            json!({ "jobId": "job_5ca1ab1eca11ab1e" }),
        ),
        case(
            "getBulkJobErrorFeed",
            |c| c.get_bulk_job_error_feed("job_5ca1ab1eca11ab1e").prepare(),
            json!({ "jobId": "job_5ca1ab1eca11ab1e" }),
        ),
        // companies
        case(
            "createCompany",
            |c| {
                c.create_company("blue-sun-6", "Blue Sun")
                    .monthly_spend(249.5)
                    .plan("pro")
                    .custom_attributes(intercom_rest::object!({ "referral_source": "google", "seats": 12 }))
                    .prepare()
            },
            json!({
                "companyId": "blue-sun-6",
                "name": "Blue Sun",
                "monthlySpend": 249.5,
                "plan": "pro",
                "customAttributes": { "referral_source": "google", "seats": 12 },
            }),
        ),
        case(
            "updateCompany",
            |c| {
                c.update_company("serenity-366")
                    .name("Serenity Shipping")
                    .monthly_spend(1_250.75)
                    .plan("enterprise")
                    .custom_attributes(intercom_rest::object!({ "region": "emea", "churn_risk": false }))
                    .prepare()
            },
            json!({
                "companyId": "serenity-366",
                "name": "Serenity Shipping",
                "monthlySpend": 1_250.75,
                "plan": "enterprise",
                "customAttributes": { "region": "emea", "churn_risk": false },
            }),
        ),
        case(
            "getCompanies",
            |c| c.get_companies().page(2).per_page(50).order(SortOrder::Asc).prepare(),
            json!({ "page": 2, "perPage": 50, "order": "asc" }),
        ),
        case("getCompaniesByTag", |c| c.get_companies_by_tag("1015").prepare(), json!({ "tagId": "1015" })),
        case(
            "getCompaniesBySegment",
            |c| c.get_companies_by_segment("5310d8e8598c9a0b24000005").prepare(),
            json!({ "segmentId": "5310d8e8598c9a0b24000005" }),
        ),
        case(
            "getSingleCompany",
            |c| c.get_single_company("5cb8a7ec8b1b7c4c2f3e9a10").company_id_type(CompanyIdType::IntercomId).prepare(),
            json!({ "companyId": "5cb8a7ec8b1b7c4c2f3e9a10", "companyIdType": "intercom_id" }),
        ),
        case(
            "getCompanyUsers",
            |c| c.get_company_users("Initech").company_id_type(CompanyIdType::Name).prepare(),
            json!({ "companyId": "Initech", "companyIdType": "name" }),
        ),
        case(
            "scrollCompanies",
            |c| c.scroll_companies().scroll_param("25b649f7-4d33-4ef6-88f5-60e5b8244309").prepare(),
            json!({ "scrollParam": "25b649f7-4d33-4ef6-88f5-60e5b8244309" }),
        ),
        case(
            "deleteCompany",
            |c| c.delete_company("5cb8a7ec8b1b7c4c2f3e9a11").prepare(),
            json!({ "companyId": "5cb8a7ec8b1b7c4c2f3e9a11" }),
        ),
        // conversations
        case(
            "getConversations",
            |c| c.get_conversations().order(SortOrder::Asc).sort(ConversationSort::WaitingSince).prepare(),
            json!({ "order": "asc", "sort": "waiting_since" }),
        ),
        case(
            "getSingleAdminConversations",
            |c| {
                c.get_single_admin_conversations("25")
                    .open(true)
                    .display_as(DisplayAs::PlainText)
                    .order(SortOrder::Desc)
                    .sort(ConversationSort::UpdatedAt)
                    .prepare()
            },
            json!({ "adminId": "25", "open": true, "displayAs": "plaintext", "order": "desc", "sort": "updated_at" }),
        ),
        case(
            "getSingleUserConversations",
            |c| {
                c.get_single_user_conversations("5714dd359a3fd47136000001", ConversationUserIdType::IntercomUserId)
                    .unread(true)
                    .display_as(DisplayAs::PlainText)
                    .order(SortOrder::Asc)
                    .sort(GetSingleUserConversationsSort::CreatedAt)
                    .prepare()
            },
            json!({
                "userId": "5714dd359a3fd47136000001",
                "userIdType": "intercom_user_id",
                "unread": true,
                "displayAs": "plaintext",
                "order": "asc",
                "sort": "created_at",
            }),
        ),
        case(
            "getSingleConversation",
            |c| c.get_single_conversation("147").display_as(DisplayAs::PlainText).prepare(),
            json!({ "conversationId": "147", "displayAs": "plaintext" }),
        ),
        case(
            "replyToUserComment",
            |c| {
                c.reply_to_user_comment(
                    "148",
                    "Thanks, that fixed it!",
                    "jayne@serenity.io",
                    ConversationUserIdType::Email,
                )
                .attachment_urls([url("https://example.com/screenshots/fixed.png")])
                .prepare()
            },
            json!({
                "conversationId": "148",
                "body": "Thanks, that fixed it!",
                "userId": "jayne@serenity.io",
                "userIdType": "email",
                "attachmentUrls": ["https://example.com/screenshots/fixed.png"],
            }),
        ),
        case(
            "replyToAdminComment",
            |c| {
                c.reply_to_admin_comment(
                    "149",
                    "26",
                    "Sent the April invoice and our terms; waiting on their PO number.",
                )
                .attachment_urls(vec![
                    url("https://example.com/invoices/2024-04.pdf"),
                    url("https://example.com/terms.pdf"),
                ])
                .message_type(ReplyMessageType::Note)
                .prepare()
            },
            json!({
                "conversationId": "149",
                "adminId": "26",
                "body": "Sent the April invoice and our terms; waiting on their PO number.",
                "attachmentUrls": ["https://example.com/invoices/2024-04.pdf", "https://example.com/terms.pdf"],
                "messageType": "note",
            }),
        ),
        case(
            "replyToUsersLastConversation",
            |c| {
                c.reply_to_users_last_conversation("kaylee@serenity.io", "27", "Following up on your question")
                    .attachment_urls([url("https://example.com/guides/setup.pdf")])
                    .user_id_type(ConversationUserIdType::Email)
                    .prepare()
            },
            json!({
                "intercomUserId": "kaylee@serenity.io",
                "adminId": "27",
                "body": "Following up on your question",
                "attachmentUrls": ["https://example.com/guides/setup.pdf"],
                "userIdType": "email",
            }),
        ),
        case(
            "markConversationAsRead",
            |c| c.mark_conversation_as_read("150").prepare(),
            json!({ "conversationId": "150" }),
        ),
        case(
            "closeConversation",
            |c| c.close_conversation("151", "28").prepare(),
            json!({ "conversationId": "151", "adminId": "28" }),
        ),
        case(
            "addCustomerToConversation",
            |c| {
                c.add_customer_to_conversation("152", "29", "inara@serenity.io", ConversationUserIdType::Email)
                    .prepare()
            },
            json!({
                "conversationId": "152",
                "adminId": "29",
                "customerId": "inara@serenity.io",
                "customerIdType": "email",
            }),
        ),
        case(
            "removeCustomerFromConversation",
            |c| c.remove_customer_from_conversation("152", "5714dd359a3fd47136000006", "29").prepare(),
            json!({ "conversationId": "152", "customerId": "5714dd359a3fd47136000006", "adminId": "29" }),
        ),
        case(
            "openConversation",
            |c| c.open_conversation("153", "30").prepare(),
            json!({ "conversationId": "153", "adminId": "30" }),
        ),
        case(
            "assignConversation",
            |c| {
                c.assign_conversation("154", "31", "2954217")
                    .body("Billing question, over to the finance team.")
                    .prepare()
            },
            json!({
                "conversationId": "154",
                "adminId": "31",
                "assigneeId": "2954217",
                "body": "Billing question, over to the finance team.",
            }),
        ),
        case(
            "snoozeConversation",
            |c| c.snooze_conversation("155", "32", "2024-05-02T09:00:00Z").prepare(),
            json!({ "conversationId": "155", "adminId": "32", "snoozedUntil": "2024-05-02T09:00:00Z" }),
        ),
        // counts
        case(
            "getAppTotalCounts",
            |c| c.get_app_total_counts().count_type(CountType::Company).prepare(),
            json!({ "type": "company" }),
        ),
        case("getAppConversationCount", |c| c.get_app_conversation_count().prepare(), json!({})),
        case("getAdminConversationsCount", |c| c.get_admin_conversations_count().prepare(), json!({})),
        case("getUserSegmensCount", |c| c.get_user_segmens_count().prepare(), json!({})),
        case("getUserTagsCount", |c| c.get_user_tags_count().prepare(), json!({})),
        case("getCompanySegmentsCount", |c| c.get_company_segments_count().prepare(), json!({})),
        case("getCompanyTagsCount", |c| c.get_company_tags_count().prepare(), json!({})),
        case("getCompanyUsersCount", |c| c.get_company_users_count().prepare(), json!({})),
        // data_attributes
        case(
            "getDataAttributes",
            |c| c.get_data_attributes().model(DataAttributeModel::Company).include_archived(true).prepare(),
            json!({ "model": "company", "includeArchived": true }),
        ),
        // events
        case(
            "submitEvent",
            |c| {
                c.submit_event("invited-friend", "euler@example.org", 1_714_557_600_i64)
                    .metadata(
                        intercom_rest::object!({ "invitee_email": "pi@example.org", "invite_code": "ADDAFRIEND" }),
                    )
                    .user_id_type(UserIdType::Email)
                    .prepare()
            },
            json!({
                "eventName": "invited-friend",
                "userId": "euler@example.org",
                "createdAt": 1_714_557_600,
                "metadata": { "invitee_email": "pi@example.org", "invite_code": "ADDAFRIEND" },
                "userIdType": "email",
            }),
        ),
        case(
            "getUserEvents",
            |c| {
                c.get_user_events("5714dd359a3fd47136000008")
                    .user_id_type(ConversationUserIdType::IntercomUserId)
                    .prepare()
            },
            json!({ "userId": "5714dd359a3fd47136000008", "userIdType": "intercom_user_id" }),
        ),
        case(
            "getUserEventsSummaries",
            |c| c.get_user_events_summaries("phi@example.org").user_id_type(ConversationUserIdType::Email).prepare(),
            json!({ "userId": "phi@example.org", "userIdType": "email" }),
        ),
        // leads
        case(
            "createLead",
            |c| {
                c.create_lead()
                    .name("Winston Smith")
                    .user_id("lead-1984")
                    .email("winston@minitrue.example")
                    .phone("+44 20 7946 0958")
                    .avatar_image_url("https://example.com/avatars/winston.png".parse().unwrap())
                    .user_agent_data("Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0")
                    .last_seen_ip("203.0.113.7".parse().unwrap())
                    .companies(models(lead_companies()))
                    .social_profiles(models(social_profiles()))
                    .segments(["5310d8e8598c9a0b24000010", "5310d8e8598c9a0b24000011"])
                    .tags(["17513"])
                    .custom_attributes(intercom_rest::object!({ "department": "records", "floor": 3 }))
                    .location_data(intercom_rest::object!({ "city_name": "London", "country_code": "GBR" }))
                    .prepare()
            },
            json!({
                "name": "Winston Smith",
                "userId": "lead-1984",
                "email": "winston@minitrue.example",
                "phone": "+44 20 7946 0958",
                "avatarImageUrl": "https://example.com/avatars/winston.png",
                "userAgentData": "Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0",
                "lastSeenIp": "203.0.113.7",
                "companies": lead_companies(),
                "socialProfiles": social_profiles(),
                "segments": ["5310d8e8598c9a0b24000010", "5310d8e8598c9a0b24000011"],
                "tags": ["17513"],
                "customAttributes": { "department": "records", "floor": 3 },
                "locationData": { "city_name": "London", "country_code": "GBR" },
            }),
        ),
        case(
            "updateLead",
            |c| {
                c.update_lead("5811bb0f34ed4b8d01e2a9b1")
                    .name("Julia Dixon")
                    .email("julia@fiction.example")
                    .phone("+1 555 0100")
                    .avatar_image_url("https://example.com/avatars/julia.jpg".parse().unwrap())
                    .user_agent_data("Mozilla/5.0 (Macintosh) Safari/605.1.15")
                    .last_seen_ip("2001:db8::42".parse().unwrap())
                    .companies(models(vec![json!({ "company_id": "fiction-dept", "name": "Fiction Department" })]))
                    .social_profiles(models(vec![json!({ "type": "github", "username": "jdixon" })]))
                    .segments(vec!["5310d8e8598c9a0b24000012".to_owned()])
                    .tags(["17514", "17515"])
                    .custom_attributes(intercom_rest::object!({ "novels_written": 7 }))
                    .location_data(intercom_rest::object!({ "city_name": "Manchester" }))
                    .user_id_type(ContactIdType::IntercomId)
                    .prepare()
            },
            json!({
                "userId": "5811bb0f34ed4b8d01e2a9b1",
                "name": "Julia Dixon",
                "email": "julia@fiction.example",
                "phone": "+1 555 0100",
                "avatarImageUrl": "https://example.com/avatars/julia.jpg",
                "userAgentData": "Mozilla/5.0 (Macintosh) Safari/605.1.15",
                "lastSeenIp": "2001:db8::42",
                "companies": [{ "company_id": "fiction-dept", "name": "Fiction Department" }],
                "socialProfiles": [{ "type": "github", "username": "jdixon" }],
                "segments": ["5310d8e8598c9a0b24000012"],
                "tags": ["17514", "17515"],
                "customAttributes": { "novels_written": 7 },
                "locationData": { "city_name": "Manchester" },
                "userIdType": "intercom_id",
            }),
        ),
        case(
            "getLeads",
            |c| {
                c.get_leads()
                    .page(3)
                    .per_page(25)
                    .order(SortOrder::Desc)
                    .sort(UserSort::UpdatedAt)
                    .created_since(7)
                    .phone("+44 20 7946 0958")
                    .prepare()
            },
            json!({
                "page": 3,
                "perPage": 25,
                "order": "desc",
                "sort": "updated_at",
                "createdSince": 7,
                "phone": "+44 20 7946 0958",
            }),
        ),
        case(
            "getLeadsByEmail",
            |c| c.get_leads_by_email("winston@example.com").prepare(),
            json!({ "email": "winston@example.com" }),
        ),
        case(
            "getSingleLead",
            |c| c.get_single_lead("obrien@example.com", UserIdType::Email).prepare(),
            json!({ "userId": "obrien@example.com", "userIdType": "email" }),
        ),
        case(
            "deleteLead",
            |c| c.delete_lead("5811bb0f34ed4b8d01e2a9a0", UserIdType::IntercomId).prepare(),
            json!({ "userId": "5811bb0f34ed4b8d01e2a9a0", "userIdType": "intercom_id" }),
        ),
        case(
            "convertLeadToUser",
            |c| {
                c.convert_lead_to_user("lead-42", UserIdType::UserId)
                    .user_id("jenny@example.com")
                    .user_id_type(UserIdType::Email)
                    .prepare()
            },
            json!({ "leadId": "lead-42", "leadIdType": "user_id", "userId": "jenny@example.com", "userIdType": "email" }),
        ),
        case(
            "scrollLeads",
            |c| c.scroll_leads().scroll_param("8a0fbd8c-5a2a-4d6e-9b2f-2f5c3a6e1d11").prepare(),
            json!({ "scrollParam": "8a0fbd8c-5a2a-4d6e-9b2f-2f5c3a6e1d11" }),
        ),
        // messages
        case(
            "createAdminMessage",
            |c| {
                c.create_admin_message(
                    "394051",
                    ReceiverType::User,
                    "536e564f316c83104c000020",
                    UserIdType::IntercomId,
                    MessageType::Email,
                    "Hey there, welcome aboard!",
                )
                .subject("Welcome to Serenity")
                .template(MessageTemplate::Personal)
                .prepare()
            },
            json!({
                "fromAdminId": "394051",
                "receiverType": "user",
                "receiverId": "536e564f316c83104c000020",
                "receiverIdType": "intercom_id",
                "messageType": "email",
                "body": "Hey there, welcome aboard!",
                "subject": "Welcome to Serenity",
                "template": "personal",
            }),
        ),
        case(
            "createUserMessage",
            |c| c.create_user_message("river@serenity.io", UserIdType::Email, "Hi, I need help with billing").prepare(),
            json!({ "senderId": "river@serenity.io", "senderIdType": "email", "body": "Hi, I need help with billing" }),
        ),
        case(
            "createContactMessage",
            |c| c.create_contact_message("visitor-77", ContactIdType::UserId, "Do you ship to Canada?").prepare(),
            json!({ "senderId": "visitor-77", "senderIdType": "user_id", "body": "Do you ship to Canada?" }),
        ),
        // notes
        case(
            "createNote",
            |c| {
                c.create_note("user-2501", UserIdType::UserId, "<p>Called about the March invoice.</p>")
                    .admin_id("21")
                    .prepare()
            },
            json!({
                "userId": "user-2501",
                "userIdType": "user_id",
                "body": "<p>Called about the March invoice.</p>",
                "adminId": "21",
            }),
        ),
        case(
            "getUserNotes",
            |c| c.get_user_notes("5310d8e7598c9a0b24000002", UserIdType::IntercomId).prepare(),
            json!({ "userId": "5310d8e7598c9a0b24000002", "userIdType": "intercom_id" }),
        ),
        case("getSingleNote", |c| c.get_single_note("2").prepare(), json!({ "noteId": "2" })),
        // oauth
        case(
            "getAccessToken",
            |c| c.get_access_token("c4f1d8a2-client", "s3cr3t-client-secret", "auth-code-9f8e7d").prepare(),
            json!({ "clientId": "c4f1d8a2-client", "clientSecret": "s3cr3t-client-secret", "code": "auth-code-9f8e7d" }),
        ),
        // segments
        case(
            "getSegments",
            |c| c.get_segments().include_count(true).segment_type(SegmentType::Company).prepare(),
            json!({ "includeCount": true, "type": "company" }),
        ),
        case(
            "getSingleSegment",
            |c| c.get_single_segment("53203e244cba153d39000062").include_count(true).prepare(),
            json!({ "segmentId": "53203e244cba153d39000062", "includeCount": true }),
        ),
        // subscriptions
        case(
            "createSubscription",
            |c| {
                c.create_subscription(
                    "https://example.org/hooks/intercom".parse().unwrap(),
                    ["user.created", "conversation.user.replied"],
                )
                .service_type("web")
                .hub_secret("whsec-7c1f2e9d")
                .prepare()
            },
            json!({
                "url": "https://example.org/hooks/intercom",
                "topics": ["user.created", "conversation.user.replied"],
                "serviceType": "web",
                "hubSecret": "whsec-7c1f2e9d",
            }),
        ),
        case(
            "getSingleSubscription",
            |c| c.get_single_subscription("nsub_6f5b6a70").prepare(),
            json!({ "subscriptionId": "nsub_6f5b6a70" }),
        ),
        case("getSubscriptions", |c| c.get_subscriptions().prepare(), json!({})),
        case(
            "getErrorFeed",
            |c| c.get_error_feed("nsub_6f5b6a71").prepare(),
            json!({ "subscriptionId": "nsub_6f5b6a71" }),
        ),
        case(
            "getSentFeed",
            |c| c.get_sent_feed("nsub_6f5b6a72").prepare(),
            json!({ "subscriptionId": "nsub_6f5b6a72" }),
        ),
        case(
            "pingSubscription",
            |c| c.ping_subscription("nsub_6f5b6a73").prepare(),
            json!({ "subscriptionId": "nsub_6f5b6a73" }),
        ),
        case(
            "createEventWebhookSubscription",
            |c| {
                c.create_event_webhook_subscription(
                    ["invited-friend", "placed-order"],
                    "https://example.org/hooks/events".parse().unwrap(),
                )
                .service_type("web")
                .prepare()
            },
            json!({
                "metadataEventNames": ["invited-friend", "placed-order"],
                "url": "https://example.org/hooks/events",
                "serviceType": "web",
            }),
        ),
        case(
            "updateEventWebhookSubscription",
            |c| {
                c.update_event_webhook_subscription(
                    "nsub_6f5b6a74",
                    vec!["cancelled-order".to_owned()],
                    "https://example.org/hooks/events-v2".parse().unwrap(),
                )
                .service_type("web")
                .prepare()
            },
            json!({
                "subscriptionId": "nsub_6f5b6a74",
                "metadataEventNames": ["cancelled-order"],
                "url": "https://example.org/hooks/events-v2",
                "serviceType": "web",
            }),
        ),
        case(
            "deleteSubscription",
            |c| c.delete_subscription("nsub_6f5b6a75").prepare(),
            json!({ "subscriptionId": "nsub_6f5b6a75" }),
        ),
        // tags
        case("createTag", |c| c.create_tag("Independent").prepare(), json!({ "name": "Independent" })),
        case(
            "updateTag",
            |c| c.update_tag("17513", "Browncoat").prepare(),
            json!({ "id": "17513", "name": "Browncoat" }),
        ),
        case(
            "tagUser",
            |c| c.tag_user("VIP", models(tag_users())).prepare(),
            json!({ "name": "VIP", "users": tag_users() }),
        ),
        case(
            "untagUsers",
            |c| c.untag_users("Trial expired", models(tag_users())).prepare(),
            json!({ "name": "Trial expired", "users": tag_users() }),
        ),
        case(
            "tagCompany",
            |c| c.tag_company("Enterprise", models(tag_companies())).prepare(),
            json!({ "name": "Enterprise", "companies": tag_companies() }),
        ),
        case(
            "untagCompany",
            |c| c.untag_company("Churned", models(tag_companies())).prepare(),
            json!({ "name": "Churned", "companies": tag_companies() }),
        ),
        case("deleteTag", |c| c.delete_tag("17516").prepare(), json!({ "tagId": "17516" })),
        case("getAppTags", |c| c.get_app_tags().prepare(), json!({})),
        // teams
        case("getTeams", |c| c.get_teams().prepare(), json!({})),
        case("getSingleTeam", |c| c.get_single_team("2954217").prepare(), json!({ "teamId": "2954217" })),
        // users
        case(
            "createUserByEmail",
            |c| {
                c.create_user_by_email("ann@example.com")
                    .user_id("ann-1001")
                    .phone("+1 555 0101")
                    .name("Ann Perkins")
                    .last_seen_ip("198.51.100.23".parse().unwrap())
                    .custom_attributes(intercom_rest::object!({ "plan_tier": "gold", "seats": 5 }))
                    .last_seen_user_agent("Mozilla/5.0 (Windows NT 10.0) Chrome/124.0")
                    .companies(models(vec![
                        json!({ "company_id": "pawnee-1", "name": "Pawnee", "monthly_spend": 300 }),
                    ]))
                    .last_request_at(1_714_557_600_i64)
                    .signed_up_at("2023-11-02T09:30:00Z")
                    .update_last_request_at(true)
                    .new_session(false)
                    .unsubscribed_from_emails(false)
                    .avatar_image_url("https://example.com/avatars/ann.png".parse().unwrap())
                    .remote_created_at("2023-11-01T12:00:00Z")
                    .prepare()
            },
            json!({
                "email": "ann@example.com",
                "userId": "ann-1001",
                "phone": "+1 555 0101",
                "name": "Ann Perkins",
                "lastSeenIp": "198.51.100.23",
                "customAttributes": { "plan_tier": "gold", "seats": 5 },
                "lastSeenUserAgent": "Mozilla/5.0 (Windows NT 10.0) Chrome/124.0",
                "companies": [{ "company_id": "pawnee-1", "name": "Pawnee", "monthly_spend": 300 }],
                "lastRequestAt": 1_714_557_600,
                "signedUpAt": "2023-11-02T09:30:00Z",
                "updateLastRequestAt": true,
                "newSession": false,
                "unsubscribedFromEmails": false,
                "avatarImageUrl": "https://example.com/avatars/ann.png",
                "remoteCreatedAt": "2023-11-01T12:00:00Z",
            }),
        ),
        case(
            "createUserById",
            |c| {
                c.create_user_by_id("ben-1002")
                    .email("ben@example.com")
                    .phone("+1 555 0102")
                    .name("Ben Wyatt")
                    .last_seen_ip("198.51.100.24".parse().unwrap())
                    .custom_attributes(intercom_rest::object!({ "favourite_game": "Cones of Dunshire" }))
                    .last_seen_user_agent("Mozilla/5.0 (iPhone) Mobile Safari/604.1")
                    .companies(models(vec![json!({ "company_id": "ice-town", "name": "Ice Town" })]))
                    .last_request_at("2024-04-30 18:45:00")
                    .signed_up_at(1_600_000_000_i64)
                    .update_last_request_at(false)
                    .new_session(true)
                    .unsubscribed_from_emails(true)
                    .avatar_image_url("https://example.com/avatars/ben.jpg".parse().unwrap())
                    .remote_created_at(1_599_990_000_i64)
                    .prepare()
            },
            json!({
                "userId": "ben-1002",
                "email": "ben@example.com",
                "phone": "+1 555 0102",
                "name": "Ben Wyatt",
                "lastSeenIp": "198.51.100.24",
                "customAttributes": { "favourite_game": "Cones of Dunshire" },
                "lastSeenUserAgent": "Mozilla/5.0 (iPhone) Mobile Safari/604.1",
                "companies": [{ "company_id": "ice-town", "name": "Ice Town" }],
                "lastRequestAt": "2024-04-30 18:45:00",
                "signedUpAt": 1_600_000_000,
                "updateLastRequestAt": false,
                "newSession": true,
                "unsubscribedFromEmails": true,
                "avatarImageUrl": "https://example.com/avatars/ben.jpg",
                "remoteCreatedAt": 1_599_990_000,
            }),
        ),
        case(
            "updateUserByEmail",
            |c| {
                c.update_user_by_email("leslie@example.com")
                    .user_id("leslie-1003")
                    .phone("+1 555 0103")
                    .name("Leslie Knope")
                    .last_seen_ip("192.0.2.10".parse().unwrap())
                    .custom_attributes(intercom_rest::object!({ "waffles_eaten": 42 }))
                    .last_seen_user_agent("Mozilla/5.0 (Android 14) Chrome/124.0 Mobile")
                    .companies(models(vec![json!({ "company_id": "parks-dept", "monthly_spend": 0 })]))
                    .last_request_at(Timestamp::from_unix_seconds(1_714_560_000))
                    .signed_up_at(String::from("2019-06-15T08:00:00+02:00"))
                    .update_last_request_at(true)
                    .new_session(true)
                    .unsubscribed_from_emails(false)
                    .avatar_image_url("https://example.com/avatars/leslie.png".parse().unwrap())
                    .remote_created_at(Timestamp::from_unix_seconds(1_560_585_600))
                    .prepare()
            },
            json!({
                "email": "leslie@example.com",
                "userId": "leslie-1003",
                "phone": "+1 555 0103",
                "name": "Leslie Knope",
                "lastSeenIp": "192.0.2.10",
                "customAttributes": { "waffles_eaten": 42 },
                "lastSeenUserAgent": "Mozilla/5.0 (Android 14) Chrome/124.0 Mobile",
                "companies": [{ "company_id": "parks-dept", "monthly_spend": 0 }],
                "lastRequestAt": 1_714_560_000,
                "signedUpAt": "2019-06-15T08:00:00+02:00",
                "updateLastRequestAt": true,
                "newSession": true,
                "unsubscribedFromEmails": false,
                "avatarImageUrl": "https://example.com/avatars/leslie.png",
                "remoteCreatedAt": 1_560_585_600,
            }),
        ),
        case(
            "updateUserById",
            |c| {
                c.update_user_by_id("ron-1004")
                    .email("ron@example.com")
                    .phone("+1 555 0104")
                    .name("Ron Swanson")
                    .last_seen_ip("192.0.2.11".parse().unwrap())
                    .custom_attributes(intercom_rest::object!({ "woodworking": true }))
                    .last_seen_user_agent("Lynx/2.9.0")
                    .companies(models(vec![
                        json!({ "company_id": "very-good-building", "name": "Very Good Building" }),
                    ]))
                    .last_request_at(1_714_563_600_i32)
                    .signed_up_at(1_500_000_000_u32)
                    .update_last_request_at(false)
                    .new_session(false)
                    .unsubscribed_from_emails(true)
                    .avatar_image_url("https://example.com/avatars/ron.jpg".parse().unwrap())
                    .remote_created_at(1_499_990_000_u32)
                    .prepare()
            },
            json!({
                "userId": "ron-1004",
                "email": "ron@example.com",
                "phone": "+1 555 0104",
                "name": "Ron Swanson",
                "lastSeenIp": "192.0.2.11",
                "customAttributes": { "woodworking": true },
                "lastSeenUserAgent": "Lynx/2.9.0",
                "companies": [{ "company_id": "very-good-building", "name": "Very Good Building" }],
                "lastRequestAt": 1_714_563_600,
                "signedUpAt": 1_500_000_000,
                "updateLastRequestAt": false,
                "newSession": false,
                "unsubscribedFromEmails": true,
                "avatarImageUrl": "https://example.com/avatars/ron.jpg",
                "remoteCreatedAt": 1_499_990_000,
            }),
        ),
        case(
            "getUsers",
            |c| {
                c.get_users()
                    .page(4)
                    .per_page(60)
                    .order(SortOrder::Asc)
                    .sort(UserSort::SignedUpAt)
                    .created_since(30)
                    .prepare()
            },
            json!({ "page": 4, "perPage": 60, "order": "asc", "sort": "signed_up_at", "createdSince": 30 }),
        ),
        case("getUsersByTag", |c| c.get_users_by_tag("17517").prepare(), json!({ "tagId": "17517" })),
        case(
            "getUsersBySegment",
            |c| c.get_users_by_segment("5310d8e8598c9a0b24000013").prepare(),
            json!({ "segmentId": "5310d8e8598c9a0b24000013" }),
        ),
        case(
            "getSingleUser",
            |c| c.get_single_user("april-1005", UserIdType::UserId).prepare(),
            json!({ "userId": "april-1005", "userIdType": "user_id" }),
        ),
        case(
            "deleteUser",
            |c| c.delete_user("5714dd359a3fd47136000003", UserIdType::IntercomId).prepare(),
            json!({ "userId": "5714dd359a3fd47136000003", "userIdType": "intercom_id" }),
        ),
        case(
            "scrollUsers",
            |c| c.scroll_users().scroll_param("d0c1b2a3-e4f5-4a6b-8c7d-9e0f1a2b3c4d").prepare(),
            json!({ "scrollParam": "d0c1b2a3-e4f5-4a6b-8c7d-9e0f1a2b3c4d" }),
        ),
        case(
            "permanentlyDeleteUser",
            |c| c.permanently_delete_user("5714dd359a3fd47136000009").prepare(),
            json!({ "intercomUserId": "5714dd359a3fd47136000009" }),
        ),
        // visitors
        case(
            "getSingleVisitor",
            |c| c.get_single_visitor("5714dd359a3fd47136000004", ContactIdType::IntercomId).prepare(),
            json!({ "userId": "5714dd359a3fd47136000004", "userIdType": "intercom_id" }),
        ),
        case(
            "updateVisitor",
            |c| {
                c.update_visitor("5714dd359a3fd4713600000a")
                    .name("Anonymous Visitor")
                    .custom_attributes(intercom_rest::object!({ "landing_page": "/pricing" }))
                    .last_request_at("2024-05-01T10:15:30Z")
                    .avatar_image_url("https://example.com/avatars/visitor.png".parse().unwrap())
                    .unsubscribed_from_emails(true)
                    .location_data(intercom_rest::object!({ "city_name": "Dublin", "country_code": "IRL" }))
                    .user_agent_data("Mozilla/5.0 (X11; Ubuntu) Firefox/126.0")
                    .last_seen_ip("192.0.2.99".parse().unwrap())
                    .social_profiles(models(vec![json!({ "type": "facebook", "username": "visitor.page" })]))
                    .segments(["5310d8e8598c9a0b24000014"])
                    .tags(["17518", "17519"])
                    .user_id_type(ContactIdType::IntercomId)
                    .email("dana@example.org")
                    .phone("+353 1 555 0199")
                    .utm_campaign("spring_launch")
                    .utm_content("pricing_banner")
                    .utm_medium("cpc")
                    .utm_source("google")
                    .utm_term("customer messaging")
                    .prepare()
            },
            json!({
                "userId": "5714dd359a3fd4713600000a",
                "name": "Anonymous Visitor",
                "customAttributes": { "landing_page": "/pricing" },
                "lastRequestAt": "2024-05-01T10:15:30Z",
                "avatarImageUrl": "https://example.com/avatars/visitor.png",
                "unsubscribedFromEmails": true,
                "locationData": { "city_name": "Dublin", "country_code": "IRL" },
                "userAgentData": "Mozilla/5.0 (X11; Ubuntu) Firefox/126.0",
                "lastSeenIp": "192.0.2.99",
                "socialProfiles": [{ "type": "facebook", "username": "visitor.page" }],
                "segments": ["5310d8e8598c9a0b24000014"],
                "tags": ["17518", "17519"],
                "userIdType": "intercom_id",
                "email": "dana@example.org",
                "phone": "+353 1 555 0199",
                "utmCampaign": "spring_launch",
                "utmContent": "pricing_banner",
                "utmMedium": "cpc",
                "utmSource": "google",
                "utmTerm": "customer messaging",
            }),
        ),
        case(
            "deleteVisitor",
            |c| c.delete_visitor("5714dd359a3fd4713600000b").user_id_type(ContactIdType::IntercomId).prepare(),
            json!({ "userId": "5714dd359a3fd4713600000b", "userIdType": "intercom_id" }),
        ),
        case(
            "convertVisitorToLead",
            |c| {
                c.convert_visitor_to_lead("curious@example.org", UserIdType::Email)
                    .lead_id("lead-from-visitor-9")
                    .prepare()
            },
            json!({ "visitorUserId": "curious@example.org", "visitorUserIdType": "email", "leadId": "lead-from-visitor-9" }),
        ),
        case(
            "convertVisitorToUser",
            |c| {
                c.convert_visitor_to_user(
                    "8a88a590-e1c3-41e2-a502-e0649dbf7302",
                    ContactIdType::UserId,
                    "signed.up@example.org",
                    UserIdType::Email,
                )
                .prepare()
            },
            json!({
                "visitorUserId": "8a88a590-e1c3-41e2-a502-e0649dbf7302",
                "visitorUserIdType": "user_id",
                "userId": "signed.up@example.org",
                "userIdType": "email",
            }),
        ),
    ]
}

#[test]
fn every_typed_call_prepares_the_request_of_its_call_by_name() {
    let client = client();
    let mut failures = Vec::new();
    for case in cases() {
        let not_given = arguments_not_given(case.name, &case.args);
        if !not_given.is_empty() {
            failures.push(format!("{}: the case does not give every argument; missing {not_given:?}", case.name));
        }
        let problems = differences(&client, (case.typed)(&client), case.name, &case.args);
        if !problems.is_empty() {
            failures.push(format!("{} {}:\n    {}", case.name, case.args, problems.join("\n    ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} typed calls differ from their call by name:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_function_has_a_typed_case() {
    let client = client();
    let mut covered = BTreeSet::new();
    let mut duplicates = Vec::new();
    for case in cases() {
        // The name the typed call really made, not only the name the case claims.
        let called = (case.typed)(&client).map_or(case.name, |request| request.function());
        if !covered.insert(called) {
            duplicates.push(called);
        }
    }
    let registry: BTreeSet<&str> = functions().iter().map(|spec| spec.name).collect();
    let missing: Vec<&&str> = registry.difference(&covered).collect();
    let unknown: Vec<&&str> = covered.difference(&registry).collect();
    assert!(missing.is_empty(), "functions without a typed case: {missing:?}");
    assert!(unknown.is_empty(), "typed cases for functions that are not in the manifest: {unknown:?}");
    assert!(duplicates.is_empty(), "functions with more than one typed case: {duplicates:?}");
    assert_eq!(covered.len(), functions().len());
}

/// Every value of a `Select` enum round-trips through `as_str`, `FromStr` and `Display`.
fn round_trips<T>(all: &[T], as_str: fn(T) -> &'static str)
where
    T: Copy + PartialEq + Debug + Display + FromStr<Err = UnknownOption>,
{
    for &value in all {
        let text = as_str(value);
        assert_eq!(value.to_string(), text, "Display of {value:?}");
        assert_eq!(text.parse::<T>(), Ok(value), "FromStr of {text:?}");
    }
}

#[test]
fn select_enums_round_trip_and_refuse_other_text() {
    round_trips(&UserIdType::ALL, UserIdType::as_str);
    round_trips(&ContactIdType::ALL, ContactIdType::as_str);
    round_trips(&ConversationUserIdType::ALL, ConversationUserIdType::as_str);
    round_trips(&CountType::ALL, CountType::as_str);
    round_trips(&MessageTemplate::ALL, MessageTemplate::as_str);
    round_trips(&MessageType::ALL, MessageType::as_str);
    round_trips(&ReceiverType::ALL, ReceiverType::as_str);
    round_trips(&SortOrder::ALL, SortOrder::as_str);
    round_trips(&UserSort::ALL, UserSort::as_str);
    round_trips(&CompanyIdType::ALL, CompanyIdType::as_str);
    round_trips(&ConversationSort::ALL, ConversationSort::as_str);
    round_trips(&DataAttributeModel::ALL, DataAttributeModel::as_str);
    round_trips(&DisplayAs::ALL, DisplayAs::as_str);
    round_trips(&ReplyMessageType::ALL, ReplyMessageType::as_str);
    round_trips(&SegmentType::ALL, SegmentType::as_str);
    round_trips(&GetSingleUserConversationsSort::ALL, GetSingleUserConversationsSort::as_str);
    assert_eq!(DisplayAs::PlainText.as_str(), "plaintext");

    assert_eq!(UserIdType::Email.as_str(), "email");
    assert_eq!(UserIdType::IntercomId.to_string(), "intercom_id");
    assert_eq!("user_id".parse::<UserIdType>(), Ok(UserIdType::UserId));

    let error = "nope".parse::<UserIdType>().unwrap_err();
    assert_eq!(error.value(), "nope");
    assert_eq!(error.allowed(), ["intercom_id", "user_id", "email"]);
    let message = error.to_string();
    for expected in ["nope", "UserIdType", "intercom_id", "user_id", "email"] {
        assert!(message.contains(expected), "{message:?} does not mention {expected:?}");
    }
    // Wire values only: neither the variant name nor another case is accepted.
    assert!("Email".parse::<UserIdType>().is_err());
    assert!("IntercomId".parse::<UserIdType>().is_err());
}

#[test]
fn timestamps_from_seconds_text_and_system_time_send_the_same_unix_seconds() {
    // 2024-05-01T10:00:00Z
    const SECONDS: i64 = 1_714_557_600;
    let client = client();
    let moment: SystemTime = UNIX_EPOCH + Duration::from_secs(SECONDS.unsigned_abs());
    let event = |created_at: Timestamp| client.submit_event("logged-in", "314159", created_at).prepare();
    let typed = [
        ("i64", event(SECONDS.into())),
        ("RFC 3339 &str", event("2024-05-01T10:00:00Z".into())),
        ("RFC 3339 &str with an offset", event("2024-05-01T12:00:00+02:00".into())),
        ("SystemTime", event(moment.into())),
        ("SystemTime with a fraction", event((moment + Duration::from_millis(750)).into())),
    ];
    let expected = json!({ "event_name": "logged-in", "user_id": "314159", "created_at": SECONDS });
    for (form, request) in typed {
        let request = request.unwrap_or_else(|error| panic!("createdAt from {form}: {error}"));
        assert_eq!(request.body(), Some(expected.clone()), "createdAt from {form}");
    }

    // The typed forms and the call by name agree.
    let by_name = json!({ "eventName": "logged-in", "userId": "314159", "createdAt": SECONDS });
    same(client.submit_event("logged-in", "314159", SECONDS).prepare(), "submitEvent", by_name.clone());
    same(client.submit_event("logged-in", "314159", "2024-05-01T10:00:00Z").prepare(), "submitEvent", by_name.clone());
    same(client.submit_event("logged-in", "314159", moment).prepare(), "submitEvent", by_name);
    same(
        client.submit_event("logged-in", "314159", "2024-05-01T10:00:00Z").prepare(),
        "submitEvent",
        json!({ "eventName": "logged-in", "userId": "314159", "createdAt": "2024-05-01T10:00:00Z" }),
    );

    // Moments before 1970 are negative seconds.
    let before =
        client.submit_event("logged-in", "314159", UNIX_EPOCH - Duration::from_secs(86_400)).prepare().unwrap();
    assert_eq!(before.body().and_then(|body| body.get("created_at").cloned()), Some(json!(-86_400)));
}

#[test]
fn debug_output_hides_secret_arguments() {
    let client = client();

    let exchange = client.get_access_token("c4f1d8a2-client", "s3cr3t-client-secret", "auth-code-9f8e7d");
    let shown = format!("{exchange:?}");
    for secret in ["s3cr3t-client-secret", "auth-code-9f8e7d"] {
        assert!(!shown.contains(secret), "getAccessToken's Debug shows a secret: {shown}");
    }
    // The client id is credentials too, so it is hidden as well; the arguments themselves are named.
    assert!(!shown.contains("c4f1d8a2-client"), "getAccessToken's Debug shows the client id: {shown}");
    for name in ["clientSecret", "code", "<redacted>"] {
        assert!(shown.contains(name), "getAccessToken's Debug does not mention {name:?}: {shown}");
    }

    let subscription = client
        .create_subscription("https://example.org/hooks/intercom".parse().unwrap(), ["user.created"])
        .service_type("web")
        .hub_secret("whsec-7c1f2e9d");
    let shown = format!("{subscription:?}");
    assert!(!shown.contains("whsec-7c1f2e9d"), "createSubscription's Debug shows the hub secret: {shown}");
    assert!(shown.contains("hubSecret"), "createSubscription's Debug does not name hubSecret: {shown}");
    assert!(shown.contains("https://example.org/hooks/intercom"), "createSubscription's Debug hides the url: {shown}");
    assert!(shown.contains("user.created"), "createSubscription's Debug hides the topics: {shown}");

    // The prepared request hides it too, while the request itself carries it.
    let request = subscription.prepare().unwrap();
    let shown = format!("{request:?}");
    assert!(!shown.contains("whsec-7c1f2e9d"), "the prepared createSubscription's Debug shows the hub secret: {shown}");
    assert!(
        shown.contains("https://example.org/hooks/intercom"),
        "the prepared request's Debug hides the url: {shown}"
    );
    assert_eq!(request.body().and_then(|body| body.get("hub_secret").cloned()), Some(json!("whsec-7c1f2e9d")));
}

/// A whole `f64` goes on the wire as an integer, as the same number given by name does.
#[test]
fn a_whole_number_is_sent_as_an_integer() {
    let client = client();
    let typed = client.create_company("c-1", "Acme").monthly_spend(500.0).prepare().unwrap();
    assert_eq!(typed.body().unwrap()["monthly_spend"].to_string(), "500");
    same(Ok(typed), "createCompany", json!({ "companyId": "c-1", "name": "Acme", "monthlySpend": 500 }));
}

/// A `Url` argument is parsed already; the planner still refuses what the type allows and Intercom does not.
#[test]
fn a_typed_url_must_still_be_http_or_https() {
    for (url, accepted) in
        [("https://example.com/a.png", true), ("http://127.0.0.1/a.png", true), ("ftp://example.com/a.png", false)]
    {
        let url: intercom_rest::Url = url.parse().unwrap();
        let request = client().create_user_by_email("a@example.com").avatar_image_url(url.clone()).prepare();
        assert_eq!(request.is_ok(), accepted, "{url}: {request:?}");
        if !accepted {
            let message = request.unwrap_err().to_string();
            assert!(message.contains("is not an absolute http(s) URL"), "{message}");
        }
    }
    let mailto: intercom_rest::Url = "mailto:a@example.com".parse().unwrap();
    let attachments = client()
        .reply_to_user_comment("148", "Thanks", "jayne@serenity.io", ConversationUserIdType::Email)
        .attachment_urls([mailto])
        .prepare();
    let message = attachments.unwrap_err().to_string();
    assert!(message.contains("has item 1 \"mailto:a@example.com\", which is not an absolute http(s) URL"), "{message}");
}
