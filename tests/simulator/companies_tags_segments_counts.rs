//! Companies, tags, segments and counts through the simulator: company upserts, lookups, lists, filters and
//! scroll; tags created, renamed, applied to and removed from users, leads and companies, and deleted; the
//! seeded segments; and counts that follow what the workspace holds.

use futures::TryStreamExt;
use intercom_rest::simulator::Simulator;
use intercom_rest::{Client, CountType, Error, MessageType, ReceiverType, SortOrder, UserIdType};
use serde_json::{Value, json};

use super::{client_of, json, models};

/// Asserts the common shape of a company as Intercom returns it, and gives back its id.
fn assert_company(company: &Value) -> String {
    assert_eq!(company["type"], "company", "{company}");
    for key in
        ["id", "company_id", "name", "created_at", "updated_at", "monthly_spend", "user_count", "custom_attributes"]
    {
        assert!(company.get(key).is_some(), "a company has `{key}`: {company}");
    }
    assert_eq!(company["tags"]["type"], "tag.list");
    company["id"].as_str().expect("the id is text").to_owned()
}

/// Asserts the shape of a tag, and gives back its id.
fn assert_tag(tag: &Value, name: &str) -> String {
    assert_eq!((tag["type"].as_str(), tag["name"].as_str()), (Some("tag"), Some(name)), "{tag}");
    tag["id"].as_str().expect("the id is text").to_owned()
}

/// The ids of the items of a list answer, e.g. the `companies` of a `company.list`.
fn ids(list: &Value, key: &str) -> Vec<String> {
    list[key].as_array().expect("a list").iter().map(|item| item["id"].as_str().expect("an id").to_owned()).collect()
}

/// The names of the tags an object carries.
fn tag_names(holder: &Value) -> Vec<&str> {
    holder["tags"]["tags"].as_array().expect("a tag list").iter().filter_map(|tag| tag["name"].as_str()).collect()
}

/// The `{"<name>": n}` entry for `name` in a count breakdown.
fn entry<'a>(breakdown: &'a Value, name: &str) -> Option<&'a Value> {
    breakdown.as_array().expect("a breakdown").iter().find(|entry| entry.get(name).is_some())
}

pub async fn exercise(client: &Client) {
    // Companies: created, then updated by their `company_id`: the same company comes back, attributes merged.
    let acme = client
        .create_company("cts-acme", "Acme Anvils")
        .monthly_spend(120.5)
        .plan("pro")
        .custom_attributes(intercom_rest::object!({ "tier": "gold" }))
        .send()
        .await
        .map(json)
        .unwrap();
    let acme_id = assert_company(&acme);
    assert_eq!((acme["company_id"].as_str(), acme["name"].as_str()), (Some("cts-acme"), Some("Acme Anvils")));
    assert_eq!(
        (acme["monthly_spend"].as_f64(), acme["plan"].as_str(), acme["user_count"].as_i64()),
        (Some(120.5), Some("pro"), Some(0))
    );
    let acme = client
        .update_company("cts-acme")
        .name("Acme Anvils Inc")
        .custom_attributes(intercom_rest::object!({ "seats": 12 }))
        .send()
        .await
        .map(json)
        .unwrap();
    assert_eq!(assert_company(&acme), acme_id, "the upsert matched the company_id");
    assert_eq!((acme["name"].as_str(), acme["plan"].as_str()), (Some("Acme Anvils Inc"), Some("pro")));
    assert_eq!(acme["custom_attributes"], json!({ "tier": "gold", "seats": 12 }), "custom attributes merge");
    let globex_id = assert_company(&client.create_company("cts-globex", "Globex").send().await.map(json).unwrap());

    // Users who join a company are counted and listed by it.
    let ann = client
        .create_user_by_id("cts-ann")
        .email("cts-ann@example.com")
        .companies(models([json!({ "company_id": "cts-acme" })]))
        .send()
        .await
        .map(json)
        .unwrap();
    let ann_id = ann["id"].as_str().unwrap().to_owned();
    let bob = client.create_user_by_id("cts-bob").email("cts-bob@example.com").send().await.map(json).unwrap();
    let bob_id = bob["id"].as_str().unwrap().to_owned();
    let single = client.get_single_company("cts-acme").send().await.map(json).unwrap();
    assert_eq!((assert_company(&single), single["user_count"].as_i64()), (acme_id.clone(), Some(1)));
    let members = client.get_company_users("cts-acme").send().await.map(json).unwrap();
    assert_eq!(members["type"], "user.list");
    assert_eq!(ids(&members, "users"), [ann_id.as_str()]);

    // Lists: paged newest first, streamed through every page, and scrolled to the end (which closes the scroll).
    let first = client.get_companies().per_page(1).order(SortOrder::Desc).send().await.map(json).unwrap();
    assert_eq!((first["type"].as_str(), first["pages"]["per_page"].as_i64()), (Some("company.list"), Some(1)));
    assert_eq!(ids(&first, "companies"), [globex_id.as_str()], "newest first");
    assert!(first["pages"]["next"].as_str().is_some_and(|next| next.contains("page=2")), "{first}");
    let all: Vec<Value> = client.get_companies().per_page(2).stream().map_ok(json).try_collect().await.unwrap();
    let all_ids: Vec<&str> = all.iter().filter_map(|company| company["id"].as_str()).collect();
    assert!(all_ids.contains(&acme_id.as_str()) && all_ids.contains(&globex_id.as_str()), "{all_ids:?}");
    let scrolled: Vec<Value> = client.scroll_companies().stream().map_ok(json).try_collect().await.unwrap();
    assert_eq!(scrolled.len(), all.len());
    assert!(scrolled.iter().all(|company| company["type"] == "company"));

    // Tags: created once whatever the case of the name, renamed, then applied and removed.
    let tag_id = assert_tag(&client.create_tag("CTS VIP").send().await.map(json).unwrap(), "CTS VIP");
    let again = client.create_tag("cts vip").send().await.map(json).unwrap();
    assert_eq!(assert_tag(&again, "CTS VIP"), tag_id, "tag names are case-insensitive");
    let renamed = client.update_tag(&tag_id, "CTS Key account").send().await.map(json).unwrap();
    assert_eq!(assert_tag(&renamed, "CTS Key account"), tag_id);
    let name = "CTS Key account";

    let tagged = client
        .tag_user(name, models([json!({ "user_id": "cts-ann" }), json!({ "email": "cts-bob@example.com" })]))
        .send()
        .await
        .map(json)
        .unwrap();
    assert_eq!(assert_tag(&tagged, name), tag_id);
    let by_tag = client.get_users_by_tag(&tag_id).send().await.map(json).unwrap();
    let mut tagged_ids = ids(&by_tag, "users");
    tagged_ids.sort();
    let mut expected = vec![ann_id.clone(), bob_id.clone()];
    expected.sort();
    assert_eq!(tagged_ids, expected);
    assert_eq!(
        assert_tag(&client.untag_users(name, models([json!({ "id": bob_id })])).send().await.map(json).unwrap(), name),
        tag_id
    );
    assert_eq!(ids(&client.get_users_by_tag(&tag_id).send().await.map(json).unwrap(), "users"), [ann_id.as_str()]);

    let tagged = client
        .tag_company(name, models([json!({ "company_id": "cts-acme" }), json!({ "id": globex_id })]))
        .send()
        .await
        .map(json)
        .unwrap();
    assert_eq!(assert_tag(&tagged, name), tag_id);
    let by_tag = client.get_companies_by_tag(&tag_id).send().await.map(json).unwrap();
    assert_eq!(by_tag["type"], "company.list");
    assert_eq!(ids(&by_tag, "companies"), [globex_id.as_str(), acme_id.as_str()]);
    client.untag_company(name, models([json!({ "company_id": "cts-globex" })])).send().await.map(json).unwrap();
    assert_eq!(
        ids(&client.get_companies_by_tag(&tag_id).send().await.map(json).unwrap(), "companies"),
        [acme_id.as_str()]
    );
    assert_eq!(tag_names(&client.get_single_company("cts-acme").send().await.map(json).unwrap()), [name]);

    let tags = client.get_app_tags().send().await.map(json).unwrap();
    assert_eq!(tags["type"], "tag.list");
    assert!(tags["tags"].as_array().unwrap().iter().any(|tag| tag["id"] == tag_id.as_str() && tag["name"] == name));

    // Segments: the seeded ones, one by one; they are segments of people, so no company is in them.
    let segments = client.get_segments().send().await.map(json).unwrap();
    assert_eq!(segments["type"], "segment.list");
    let names: Vec<&str> = segments["segments"].as_array().unwrap().iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(names, ["Active", "New", "New leads"]);
    let new_segment = segments["segments"][1]["id"].as_str().unwrap().to_owned();
    let single = client.get_single_segment(&new_segment).send().await.map(json).unwrap();
    assert_eq!(
        (single["type"].as_str(), single["id"].as_str(), single["name"].as_str()),
        (Some("segment"), Some(new_segment.as_str()), Some("New"))
    );
    assert_eq!(single["person_type"], "user");
    let in_segment = client.get_companies_by_segment(&new_segment).send().await.map(json).unwrap();
    assert_eq!((in_segment["type"].as_str(), in_segment["total_count"].as_i64()), (Some("company.list"), Some(0)));

    // Counts: the totals agree with the lists, and the breakdowns with what was created above.
    let users: Vec<Value> = client.get_users().stream().map_ok(json).try_collect().await.unwrap();
    let totals = client.get_app_total_counts().send().await.map(json).unwrap();
    assert_eq!(totals["type"], "count.hash");
    assert_eq!(totals["company"]["count"].as_u64(), Some(all.len() as u64));
    assert_eq!(totals["segment"]["count"], 3);
    assert_eq!(totals["tag"]["count"].as_u64(), Some(tags["tags"].as_array().unwrap().len() as u64));
    assert_eq!(totals["user"]["count"].as_u64(), Some(users.len() as u64));
    let user_total = client.get_app_total_counts().count_type(CountType::User).send().await.map(json).unwrap();
    assert_eq!(user_total, json!({ "type": "count", "user": { "count": users.len() } }));
    let company_total = client.get_app_total_counts().count_type(CountType::Company).send().await.map(json).unwrap();
    assert_eq!(company_total, json!({ "type": "count", "company": { "count": all.len() } }));

    // Conversations are created later in the tour: here only their counts' shape is checked.
    let by_type = client.get_app_total_counts().count_type(CountType::Conversation).send().await.map(json).unwrap();
    let conversations = client.get_app_conversation_count().send().await.map(json).unwrap();
    assert_eq!(by_type, conversations);
    assert_conversation_counts(&conversations);
    let by_admin = client.get_admin_conversations_count().send().await.map(json).unwrap();
    let admins = by_admin["conversation"]["admin"].as_array().expect("one entry per admin");
    assert_eq!(admins.len(), 3, "{by_admin}");
    for admin in admins {
        assert!(admin["id"].is_string() && admin["name"].is_string(), "{admin}");
        assert!(admin["open"].is_u64() && admin["closed"].is_u64(), "{admin}");
    }

    let user_segments = client.get_user_segmens_count().send().await.map(json).unwrap();
    assert_eq!(user_segments["type"], "count");
    let breakdown = &user_segments["user"]["segment"];
    assert!(entry(breakdown, "Active").is_some(), "{user_segments}");
    let new_users = entry(breakdown, "New").and_then(|entry| entry["New"].as_u64()).expect("New is counted");
    assert!(new_users >= 2, "the users created just now are new: {user_segments}");
    assert!(entry(breakdown, "New leads").is_none(), "a segment of leads is not a segment of users");
    let user_tags = client.get_user_tags_count().send().await.map(json).unwrap();
    assert_eq!(entry(&user_tags["user"]["tag"], name), Some(&json!({ name: 1 })), "{user_tags}");
    let company_segments = client.get_company_segments_count().send().await.map(json).unwrap();
    assert_eq!(company_segments, json!({ "type": "count", "company": { "segment": [] } }));
    let company_tags = client.get_company_tags_count().send().await.map(json).unwrap();
    assert_eq!(entry(&company_tags["company"]["tag"], name), Some(&json!({ name: 1 })), "{company_tags}");
    let company_users = client.get_company_users_count().send().await.map(json).unwrap();
    let breakdown = &company_users["company"]["user"];
    assert_eq!(
        entry(breakdown, "Acme Anvils Inc"),
        Some(&json!({ "Acme Anvils Inc": 1, "remote_company_id": "cts-acme" }))
    );
    assert_eq!(entry(breakdown, "Globex"), Some(&json!({ "Globex": 0, "remote_company_id": "cts-globex" })));

    // Deleting the tag removes it from the app and from everything that carried it.
    client.delete_tag(&tag_id).send().await.map(json).unwrap();
    let tags = client.get_app_tags().send().await.map(json).unwrap();
    assert!(tags["tags"].as_array().unwrap().iter().all(|tag| tag["id"] != tag_id.as_str()), "{tags}");
    assert!(tag_names(&client.get_single_company("cts-acme").send().await.map(json).unwrap()).is_empty());
    let ann = client.get_single_user("cts-ann", UserIdType::UserId).send().await.map(json).unwrap();
    assert!(tag_names(&ann).is_empty(), "{ann}");
}

/// `{"type": "count", "conversation": {"assigned", "closed", "open", "unassigned"}}`, whose open ones are
/// either assigned or not. Gives back `(open, closed, assigned)`.
fn assert_conversation_counts(counts: &Value) -> (u64, u64, u64) {
    assert_eq!(counts["type"], "count", "{counts}");
    let count = |key: &str| counts["conversation"][key].as_u64().unwrap_or_else(|| panic!("`{key}` in {counts}"));
    let (open, closed, assigned, unassigned) = (count("open"), count("closed"), count("assigned"), count("unassigned"));
    assert_eq!(assigned + unassigned, open, "{counts}");
    (open, closed, assigned)
}

/// Sends `GET <path>` as the typed client cannot (a route or a parameter it has no function for), and gives
/// back the status and the JSON answer.
async fn raw_get(simulator: &Simulator, path: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .get(format!("{}{path}", simulator.base_url()))
        .bearer_auth(simulator.access_token())
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, serde_json::from_str(&response.text().await.unwrap()).unwrap())
}

#[tokio::test]
async fn unknown_companies_segments_and_tags_are_not_found() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    let not_found = |result: Result<Value, Error>| assert!(matches!(result, Err(Error::NotFound(_))), "{result:?}");
    not_found(client.get_single_company("nope").send().await.map(json));
    not_found(client.get_company_users("nope").send().await.map(json));
    not_found(client.get_companies_by_segment("nope").send().await.map(json));
    not_found(client.get_single_segment("nope").send().await.map(json));
    not_found(client.delete_tag("999").send().await.map(json));
    not_found(client.update_tag("999", "Renamed").send().await.map(json));
    not_found(client.tag_company("Partners", models([json!({ "company_id": "nope" })])).send().await.map(json));
    not_found(client.untag_users("Never created", models([json!({ "user_id": "nope" })])).send().await.map(json));
}

#[tokio::test]
async fn a_tagging_that_names_an_unknown_user_changes_nothing() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    client.create_user_by_id("known").send().await.map(json).unwrap();
    let error = client
        .tag_user("Beta", models([json!({ "user_id": "known" }), json!({ "user_id": "ghost" })]))
        .send()
        .await
        .map(json)
        .unwrap_err();
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");
    let tags = client.get_app_tags().send().await.map(json).unwrap();
    assert_eq!(tags, json!({ "type": "tag.list", "tags": [] }), "the tag was not created either");
    let known = client.get_single_user("known", UserIdType::UserId).send().await.map(json).unwrap();
    assert!(tag_names(&known).is_empty());
}

#[tokio::test]
async fn a_rename_reaches_every_tagged_person_and_company_and_cannot_take_another_tags_name() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    client.create_user_by_id("u-1").send().await.map(json).unwrap();
    client.create_company("c-1", "One").send().await.map(json).unwrap();
    let tag_id = assert_tag(
        &client.tag_user("Trial", models([json!({ "user_id": "u-1" })])).send().await.map(json).unwrap(),
        "Trial",
    );
    client.tag_company("trial", models([json!({ "company_id": "c-1" })])).send().await.map(json).unwrap();
    client.update_tag(&tag_id, "Customer").send().await.map(json).unwrap();
    let user = client.get_single_user("u-1", UserIdType::UserId).send().await.map(json).unwrap();
    assert_eq!(tag_names(&user), ["Customer"]);
    assert_eq!(tag_names(&client.get_single_company("c-1").send().await.map(json).unwrap()), ["Customer"]);

    client.create_tag("Churned").send().await.map(json).unwrap();
    let error = client.update_tag(&tag_id, "CHURNED").send().await.map(json).unwrap_err();
    assert!(matches!(error, Error::Conflict(_)), "{error:?}");
}

#[tokio::test]
async fn a_lead_is_tagged_by_its_id_and_is_not_counted_as_a_user() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    let lead = client.create_lead().name("Lena Lead").send().await.map(json).unwrap();
    let lead_id = lead["id"].as_str().expect("a lead id").to_owned();
    client.tag_user("Hot", models([json!({ "id": lead_id })])).send().await.map(json).unwrap();
    let lead = client.get_single_lead(&lead_id, UserIdType::IntercomId).send().await.map(json).unwrap();
    assert_eq!(tag_names(&lead), ["Hot"]);
    let user_tags = client.get_user_tags_count().send().await.map(json).unwrap();
    assert_eq!(user_tags, json!({ "type": "count", "user": { "tag": [{ "Hot": 0 }] } }));
}

#[tokio::test]
async fn companies_page_in_either_order() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    let mut created = Vec::new();
    for n in 1..=3 {
        created.push(assert_company(
            &client.create_company(format!("p-{n}"), format!("Company {n}")).send().await.map(json).unwrap(),
        ));
    }
    let first = client.get_companies().order(SortOrder::Asc).per_page(2).send().await.map(json).unwrap();
    assert_eq!(ids(&first, "companies"), created[..2]);
    assert_eq!((first["total_count"].as_i64(), first["pages"]["total_pages"].as_i64()), (Some(3), Some(2)));
    let second = client.get_companies().order(SortOrder::Asc).per_page(2).page(2).send().await.map(json).unwrap();
    assert_eq!(ids(&second, "companies"), created[2..]);
    assert!(second["pages"]["next"].is_null());
    let newest_first: Vec<Value> =
        client.get_companies().per_page(1).stream().map_ok(json).try_collect().await.unwrap();
    let newest_first: Vec<&str> = newest_first.iter().filter_map(|company| company["id"].as_str()).collect();
    assert_eq!(newest_first, created.iter().rev().map(String::as_str).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_company_is_also_found_by_its_intercom_id() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    let id = assert_company(&client.create_company("by-id", "By Id").send().await.map(json).unwrap());
    client
        .create_user_by_id("member")
        .companies(models([json!({ "company_id": "by-id" })]))
        .send()
        .await
        .map(json)
        .unwrap();
    let (status, company) = raw_get(&simulator, &format!("/companies/{id}")).await;
    assert_eq!((status, company["company_id"].as_str(), company["user_count"].as_i64()), (200, Some("by-id"), Some(1)));
    let (status, users) = raw_get(&simulator, &format!("/companies/{id}/users")).await;
    assert_eq!(
        (status, users["type"].as_str(), users["users"][0]["user_id"].as_str()),
        (200, Some("user.list"), Some("member"))
    );
    let (status, _) = raw_get(&simulator, "/companies/nope/users").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_segment_count_is_given_on_request() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    client.create_user_by_id("fresh").send().await.map(json).unwrap();
    let (status, segments) = raw_get(&simulator, "/segments?include_count=true").await;
    assert_eq!(status, 200);
    let counts: Vec<(&str, i64)> = segments["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|segment| (segment["name"].as_str().unwrap(), segment["count"].as_i64().unwrap()))
        .collect();
    assert_eq!(counts, [("Active", 0), ("New", 1), ("New leads", 0)]);
    let plain = client.get_segments().send().await.map(json).unwrap();
    assert!(plain["segments"][0].get("count").is_none(), "no count unless asked: {plain}");
}

#[tokio::test]
async fn counts_of_an_unknown_kind_are_bad_requests() {
    let simulator = Simulator::start().await.unwrap();
    for query in ["type=lead", "type=user&count=admin", "type=conversation&count=tag", "count=tag"] {
        let (status, error) = raw_get(&simulator, &format!("/counts?{query}")).await;
        assert_eq!((status, error["errors"][0]["code"].as_str()), (400, Some("parameter_invalid")), "{query}: {error}");
    }
}

/// Needs the conversations area's endpoints (`POST /messages`, `GET /conversations`, closing a conversation).
#[tokio::test]
async fn conversation_counts_follow_opened_and_closed_conversations() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    client.create_user_by_id("talker").email("talker@example.com").send().await.map(json).unwrap();
    let admins = client.get_admins().send().await.map(json).unwrap();
    let admin_id = admins["admins"][0]["id"].as_str().expect("an admin id").to_owned();
    client.create_user_message("talker", UserIdType::UserId, "Hello, I need help").send().await.map(json).unwrap();
    client
        .create_admin_message(&admin_id, ReceiverType::User, "talker", UserIdType::UserId, MessageType::Inapp, "Hi!")
        .send()
        .await
        .map(json)
        .unwrap();
    let conversations = client.get_conversations().send().await.map(json).unwrap();
    let listed = ids(&conversations, "conversations");
    assert_eq!(listed.len(), 2, "{conversations}");
    client.close_conversation(&listed[0], &admin_id).send().await.map(json).unwrap();

    let counts = client.get_app_conversation_count().send().await.map(json).unwrap();
    let (open, closed, assigned) = assert_conversation_counts(&counts);
    assert_eq!((open, closed), (1, 1), "{counts}");
    let by_admin = client.get_admin_conversations_count().send().await.map(json).unwrap();
    let entries = by_admin["conversation"]["admin"].as_array().unwrap();
    let open_by_admins: u64 = entries.iter().map(|admin| admin["open"].as_u64().unwrap()).sum();
    let closed_by_admins: u64 = entries.iter().map(|admin| admin["closed"].as_u64().unwrap()).sum();
    assert_eq!(open_by_admins, assigned, "every assigned open conversation is some admin's: {by_admin}");
    assert!(closed_by_admins <= closed, "{by_admin}");
}
