//! Leads and visitors through the simulator: leads created, updated, fetched three ways, listed, scrolled,
//! converted into new and existing users and deleted; the seeded visitors fetched, updated, converted into a
//! lead and deleted.

use futures::TryStreamExt;
use intercom_rest::simulator::Simulator;
use intercom_rest::{Client, ContactIdType, Error, SortOrder, UserIdType, UserSort};
use serde_json::{Value, json};

use super::{client_of, json, models};

/// Asserts the common shape of a lead as Intercom returns it (`type: "contact"`), and gives back its id.
fn assert_lead(lead: &Value) -> String {
    assert_eq!(lead["type"], "contact", "{lead}");
    assert_person(lead)
}

/// Asserts the fields every person (user, lead or visitor) carries, and gives back its id.
fn assert_person(person: &Value) -> String {
    // The answer decoded into its model (members sent as `null` are not written back): these always hold a value.
    for key in ["id", "user_id", "anonymous", "created_at", "custom_attributes"] {
        assert!(person.get(key).is_some(), "a person has `{key}`: {person}");
    }
    for (key, list) in [("tags", "tag.list"), ("segments", "segment.list"), ("companies", "company.list")] {
        assert_eq!(person[key]["type"], list, "{person}");
    }
    person["id"].as_str().expect("the id is text").to_owned()
}

fn ids(list: &Value, key: &str) -> Vec<String> {
    list[key].as_array().expect("a list").iter().map(|item| item["id"].as_str().unwrap().to_owned()).collect()
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_else(|| panic!("text expected, got {value}"))
}

pub async fn exercise(client: &Client) {
    let (lena_id, lena_user_id) = leads_are_created_updated_and_found(client).await;
    leads_are_converted_into_users(client, &lena_id, &lena_user_id).await;
    leads_are_deleted(client).await;
    visitors_are_fetched_updated_converted_and_deleted(client).await;
}

/// Creates two leads sharing an email, updates one, fetches it each way, lists and scrolls over all leads.
/// Gives the id and `user_id` of the first lead.
async fn leads_are_created_updated_and_found(client: &Client) -> (String, String) {
    // A new lead is anonymous, with a generated user_id and a pseudonym; the fields given are stored.
    let lena = client
        .create_lead()
        .name("Lena Lead")
        .email("lena@example.com")
        .phone("+353 1 555 0100")
        .avatar_image_url("https://example.com/lena.png".parse().unwrap())
        .last_seen_ip("203.0.113.7".parse().unwrap())
        .companies(models([json!({ "company_id": "lv-co", "name": "Leads & Co" })]))
        .social_profiles(models([json!({ "name": "twitter", "username": "lena", "url": "https://twitter.com/lena" })]))
        .custom_attributes(intercom_rest::object!({ "source": "webinar" }))
        .location_data(intercom_rest::object!({ "city_name": "Dublin", "country_code": "IRL" }))
        .send()
        .await
        .map(json)
        .unwrap();
    let lena_id = assert_lead(&lena);
    assert_eq!(lena["anonymous"], true);
    assert!(text(&lena["pseudonym"]).contains(" from "), "{lena}");
    let lena_user_id = text(&lena["user_id"]).to_owned();
    assert_eq!(lena_user_id.len(), 36, "a generated UUID: {lena_user_id}");
    assert_eq!(lena["avatar"]["image_url"], "https://example.com/lena.png");
    assert_eq!(lena["companies"]["companies"][0]["company_id"], "lv-co");
    assert_eq!(lena["social_profiles"]["social_profiles"][0]["type"], "social_profile");
    assert_eq!(lena["location_data"]["city_name"], "Dublin");
    let new_leads = text(&lena["segments"]["segments"][0]["id"]).to_owned();

    // A second lead, with its own user_id, shares the email; it is put in the "New leads" segment explicitly.
    let kit = client
        .create_lead()
        .user_id("lv-kit")
        .email("lena@example.com")
        .segments([new_leads.as_str()])
        .send()
        .await
        .map(json)
        .unwrap();
    let kit_id = assert_lead(&kit);
    assert_eq!(kit["user_id"], "lv-kit");
    assert_eq!(ids(&kit["segments"], "segments"), [new_leads]);

    // Updating by user_id changes the same lead; custom attributes merge.
    let lena_again = client
        .update_lead(&lena_user_id)
        .name("Lena Example")
        .custom_attributes(intercom_rest::object!({ "seats": 2 }))
        .send()
        .await
        .map(json)
        .unwrap();
    assert_eq!((text(&lena_again["id"]), text(&lena_again["name"])), (lena_id.as_str(), "Lena Example"));
    assert_eq!(lena_again["custom_attributes"], json!({ "source": "webinar", "seats": 2 }));

    // Fetch each way: an email answers a list, since several leads may share it.
    let by_id = client.get_single_lead(&lena_id, UserIdType::IntercomId).send().await.map(json).unwrap();
    let by_user_id = client.get_single_lead(&lena_user_id, UserIdType::UserId).send().await.map(json).unwrap();
    assert_eq!((assert_lead(&by_id), assert_lead(&by_user_id)), (lena_id.clone(), lena_id.clone()));
    let by_email = client.get_single_lead("lena@example.com", UserIdType::Email).send_json().await.unwrap();
    assert_eq!(by_email["type"], "contact.list");
    // Typed, the email names no single lead.
    let shared = client.get_single_lead("lena@example.com", UserIdType::Email).send().await.unwrap_err();
    assert!(matches!(shared, Error::Conflict(_)), "{shared:?}");
    let both = [kit_id.clone(), lena_id.clone()];
    assert_eq!(ids(&by_email, "contacts"), both, "newest first");
    let by_email = client.get_leads_by_email("LENA@example.com").send().await.map(json).unwrap();
    assert_eq!(ids(&by_email, "contacts"), both, "emails match whatever their case");

    // Lists: paged and sorted; every page followed, then the same leads scrolled over to the end (which
    // closes the scroll: the app may have one open at a time).
    let page =
        client.get_leads().per_page(1).order(SortOrder::Desc).sort(UserSort::CreatedAt).send().await.map(json).unwrap();
    assert_eq!((page["type"].as_str(), page["pages"]["per_page"].as_i64()), (Some("contact.list"), Some(1)));
    assert_eq!(ids(&page, "contacts"), [kit_id.as_str()], "newest first");
    assert!(page["total_count"].as_u64() >= Some(2), "{page}");
    let every_lead: Vec<Value> = client.get_leads().per_page(1).stream().map_ok(json).try_collect().await.unwrap();
    let every_id: Vec<String> = every_lead.iter().map(assert_lead).collect();
    assert!(both.iter().all(|id| every_id.contains(id)), "{every_id:?}");
    let scrolled: Vec<Value> = client.scroll_leads().stream().map_ok(json).try_collect().await.unwrap();
    let mut scrolled_ids: Vec<String> = scrolled.iter().map(assert_lead).collect();
    let mut listed_ids = every_id;
    scrolled_ids.sort();
    listed_ids.sort();
    assert_eq!(scrolled_ids, listed_ids);
    (lena_id, lena_user_id)
}

/// Converts one lead into a new user (it keeps its id) and merges another into an existing user.
async fn leads_are_converted_into_users(client: &Client, lena_id: &str, lena_user_id: &str) {
    let lena =
        client.convert_lead_to_user(lena_id, UserIdType::IntercomId).user_id("lv-lena").send().await.map(json).unwrap();
    assert_eq!((text(&lena["type"]), text(&lena["id"]), text(&lena["user_id"])), ("user", lena_id, "lv-lena"));
    assert_eq!((&lena["anonymous"], &lena["name"]), (&json!(false), &json!("Lena Example")));
    let gone = client.get_single_lead(lena_user_id, UserIdType::UserId).send().await.map(json).unwrap_err();
    assert!(matches!(gone, Error::NotFound(_)), "no lead any more: {gone:?}");

    let target = client.create_user_by_id("lv-merge-target").name("Kit Owner").send().await.map(json).unwrap();
    let merged = client
        .convert_lead_to_user("lv-kit", UserIdType::UserId)
        .user_id("lv-merge-target")
        .send()
        .await
        .map(json)
        .unwrap();
    assert_eq!((text(&merged["id"]), text(&merged["user_id"])), (text(&target["id"]), "lv-merge-target"));
    assert_eq!(merged["name"], "Kit Owner", "the user keeps what it has");
    assert_eq!(merged["email"], "lena@example.com", "and gains what it lacked");
    let gone = client.get_single_lead("lv-kit", UserIdType::UserId).send().await.map(json).unwrap_err();
    assert!(matches!(gone, Error::NotFound(_)), "the merged lead is gone: {gone:?}");
}

/// Deletes a lead by its Intercom id and another by its `user_id`; each comes back once, then is gone.
async fn leads_are_deleted(client: &Client) {
    let doomed = assert_lead(&client.create_lead().name("Short Lived").send().await.map(json).unwrap());
    let deleted = client.delete_lead(&doomed, UserIdType::IntercomId).send().await.map(json).unwrap();
    assert_eq!(assert_lead(&deleted), doomed);
    let gone = client.get_single_lead(&doomed, UserIdType::IntercomId).send().await.map(json).unwrap_err();
    assert!(matches!(gone, Error::NotFound(_)), "{gone:?}");

    let doomed = assert_lead(&client.create_lead().user_id("lv-doomed").send().await.map(json).unwrap());
    let deleted = client.delete_lead("lv-doomed", UserIdType::UserId).send().await.map(json).unwrap();
    assert_eq!(assert_lead(&deleted), doomed);
    let again = client.delete_lead("lv-doomed", UserIdType::UserId).send().await.map(json).unwrap_err();
    assert!(matches!(again, Error::NotFound(_)), "{again:?}");
}

/// Works with the two seeded visitors: fetches, updates and converts the first into a lead, deletes the second.
async fn visitors_are_fetched_updated_converted_and_deleted(client: &Client) {
    let visitor = client.get_single_visitor("visitor-0001", ContactIdType::UserId).send().await.map(json).unwrap();
    assert_eq!((visitor["type"].as_str(), visitor["anonymous"].as_bool()), (Some("visitor"), Some(true)));
    let visitor_id = assert_person(&visitor);
    let same = client.get_single_visitor(&visitor_id, ContactIdType::IntercomId).send().await.map(json).unwrap();
    assert_eq!(same["user_id"], "visitor-0001");

    let updated = client
        .update_visitor("visitor-0001")
        .name("Curious Fox")
        .custom_attributes(intercom_rest::object!({ "landing_page": "/pricing" }))
        .last_request_at("2024-05-01T10:00:00Z")
        .unsubscribed_from_emails(true)
        .user_agent_data("Mozilla/5.0")
        .send()
        .await
        .map(json)
        .unwrap();
    assert_eq!((text(&updated["id"]), text(&updated["name"])), (visitor_id.as_str(), "Curious Fox"));
    assert_eq!(
        (&updated["last_request_at"], &updated["unsubscribed_from_emails"]),
        (&json!(1_714_557_600), &json!(true))
    );
    assert_eq!(updated["custom_attributes"]["landing_page"], "/pricing");

    // The visitor becomes a lead: same id, the user_id given, what it had kept.
    let lead = client
        .convert_visitor_to_lead("visitor-0001", UserIdType::UserId)
        .lead_id("lv-from-visitor")
        .send()
        .await
        .map(json)
        .unwrap();
    assert_eq!((assert_lead(&lead), text(&lead["user_id"])), (visitor_id.clone(), "lv-from-visitor"));
    assert_eq!(lead["custom_attributes"]["landing_page"], "/pricing");
    let found = client.get_single_lead("lv-from-visitor", UserIdType::UserId).send().await.map(json).unwrap();
    assert_eq!(assert_lead(&found), visitor_id);
    let gone = client.get_single_visitor("visitor-0001", ContactIdType::UserId).send().await.map(json).unwrap_err();
    assert!(matches!(gone, Error::NotFound(_)), "no visitor any more: {gone:?}");

    let deleted = client.delete_visitor("visitor-0002").send().await.map(json).unwrap();
    assert_eq!((deleted["type"].as_str(), deleted["user_id"].as_str()), (Some("visitor"), Some("visitor-0002")));
    let gone = client.get_single_visitor("visitor-0002", ContactIdType::UserId).send().await.map(json).unwrap_err();
    assert!(matches!(gone, Error::NotFound(_)), "{gone:?}");
}

#[tokio::test]
async fn unknown_leads_and_visitors_are_not_found() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    let errors = [
        client.get_single_lead("5f0000", UserIdType::IntercomId).send().await.map(json).unwrap_err(),
        client.get_single_lead("nobody", UserIdType::UserId).send().await.map(json).unwrap_err(),
        client.delete_lead("nobody", UserIdType::UserId).send().await.map(json).unwrap_err(),
        client.convert_lead_to_user("nobody", UserIdType::UserId).user_id("u").send().await.map(json).unwrap_err(),
        client.get_single_visitor("nobody", ContactIdType::UserId).send().await.map(json).unwrap_err(),
        client.update_visitor("nobody").name("Ghost").send().await.map(json).unwrap_err(),
        client.delete_visitor("nobody").send().await.map(json).unwrap_err(),
        client.convert_visitor_to_lead("nobody", UserIdType::UserId).send().await.map(json).unwrap_err(),
    ];
    for error in errors {
        let Error::NotFound(api) = &error else { panic!("{error:?}") };
        assert_eq!((api.status, api.errors[0].code.as_str()), (404, "not_found"));
    }
}

#[tokio::test]
async fn an_email_never_picks_one_lead() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    let none = client.get_leads_by_email("nobody@example.com").send().await.map(json).unwrap();
    assert_eq!((none["type"].as_str(), none["total_count"].as_u64()), (Some("contact.list"), Some(0)));
    // An email never picks the lead to update: a second create with the same email is a second lead.
    let first = assert_lead(&client.create_lead().email("same@example.com").send().await.map(json).unwrap());
    let second = assert_lead(&client.create_lead().email("same@example.com").send().await.map(json).unwrap());
    assert_ne!(first, second);
    let error = client.delete_lead("same@example.com", UserIdType::Email).send().await.map(json).unwrap_err();
    assert!(matches!(error, Error::InvalidArguments(_)), "the client refuses it before sending: {error:?}");
}

#[tokio::test]
async fn leads_page_and_scroll_to_the_end() {
    let simulator = Simulator::builder().scroll_page_size(2).start().await.unwrap();
    let client = client_of(&simulator);
    let mut created = Vec::new();
    for n in 0..5 {
        created.push(assert_lead(&client.create_lead().user_id(format!("pager-{n}")).send().await.map(json).unwrap()));
    }
    let first = client.get_leads().per_page(2).order(SortOrder::Asc).send().await.map(json).unwrap();
    assert_eq!(first["pages"]["total_pages"], 3);
    assert_eq!(ids(&first, "contacts"), created[..2]);
    let listed: Vec<Value> =
        client.get_leads().per_page(2).order(SortOrder::Asc).stream().map_ok(json).try_collect().await.unwrap();
    assert_eq!(listed.iter().map(assert_lead).collect::<Vec<_>>(), created);

    let page = client.scroll_leads().send().await.map(json).unwrap();
    assert_eq!((page["type"].as_str(), page["contacts"].as_array().map(Vec::len)), (Some("contact.list"), Some(2)));
    let refused = client.scroll_users().send().await.map(json).unwrap_err();
    assert!(matches!(refused, Error::ScrollExists(_)), "one scroll per app, leads or users: {refused:?}");
    let rest: Vec<Value> = client
        .scroll_leads()
        .scroll_param(text(&page["scroll_param"]))
        .stream()
        .map_ok(json)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rest.len(), 3);
    client.scroll_users().send().await.map(json).expect("the finished lead scroll is closed");
}

#[tokio::test]
async fn a_lead_converted_without_a_user_keeps_its_user_id() {
    let simulator = Simulator::start().await.unwrap();
    let client = client_of(&simulator);
    let lead = client.create_lead().user_id("keeps-me").email("keep@example.com").send().await.map(json).unwrap();
    let user = client.convert_lead_to_user("keep@example.com", UserIdType::Email).send().await.map(json).unwrap();
    assert_eq!(
        (text(&user["type"]), text(&user["id"]), text(&user["user_id"])),
        ("user", text(&lead["id"]), "keeps-me")
    );
    let found = client.get_single_user("keeps-me", UserIdType::UserId).send().await.map(json).unwrap();
    assert_eq!(found["id"], lead["id"]);
}
