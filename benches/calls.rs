//! Per call: building, checking and serializing a request through the typed client and by name, against
//! hand-written `serde_json` + `reqwest::Request` code producing the same bytes; and decoding a page of users
//! into the typed model, against hand-written `serde` structs.

mod support;

use std::hint::black_box;
use std::time::SystemTime;

use criterion::{BenchmarkGroup, Criterion, measurement::WallTime};
use intercom_rest::models::{CompanyReference, UserList, UserReference};
use intercom_rest::selects::{SortOrder, UserIdType, UserSort};
use intercom_rest::{Client, object};
use serde_json::{Value, json};
use support::baseline;
use support::report::{Figure, Target};

/// Nothing listens here: requests are built, never sent.
const BASE_URL: &str = "http://127.0.0.1:9";

/// The figures of this bench and their targets.
const FIGURES: &[Figure] = &[
    Figure::new("create_user_by_email", "hand_written", "typed", Target::TimeAtMost(1.10)),
    Figure::new("create_user_by_email", "hand_written", "by_name", Target::None),
    Figure::new("create_user_by_email", "hand_written", "typed_build_only", Target::None),
    Figure::new("get_single_user_by_email", "hand_written", "typed", Target::TimeAtMost(1.10)),
    Figure::new("get_single_user_by_email", "hand_written", "by_name", Target::None),
    Figure::new("tag_user_50_users", "hand_written", "typed", Target::TimeAtMost(1.10)),
    Figure::new("tag_user_50_users", "hand_written", "by_name", Target::None),
    Figure::new("tag_user_50_users", "hand_written", "typed_build_only", Target::None),
    Figure::new("get_users_page", "hand_written", "typed", Target::TimeAtMost(1.10)),
    Figure::new("get_users_page", "hand_written", "by_name", Target::None),
    Figure::new("decode_user_page_50", "hand_written", "typed", Target::TimeAtMost(1.10)),
];

fn client() -> Client {
    Client::builder().access_token(support::TOKEN).base_url(BASE_URL).build().expect("a client")
}

/// The request the client makes for a prepared call.
fn wire(client: &Client, prepared: Result<intercom_rest::PreparedRequest, intercom_rest::Error>) -> reqwest::Request {
    client.__http_request(&prepared.expect("valid arguments")).expect("a request")
}

/// Checks that the typed call and the call by name make the hand-written request, byte for byte, then times
/// all three.
fn same_request_three_ways(
    group: &mut BenchmarkGroup<'_, WallTime>,
    hand_written: impl Fn() -> reqwest::Request,
    typed: impl Fn() -> reqwest::Request,
    by_name: impl Fn() -> reqwest::Request,
) {
    baseline::assert_same(&typed(), &hand_written());
    baseline::assert_same(&by_name(), &hand_written());
    group.bench_function("hand_written", |b| b.iter(&hand_written));
    group.bench_function("typed", |b| b.iter(&typed));
    group.bench_function("by_name", |b| b.iter(&by_name));
}

fn create_user_by_email(group: &mut BenchmarkGroup<'_, WallTime>, client: &Client, http: &reqwest::Client) {
    let attributes = object!({ "paid_subscriber": true, "monthly_spend": 155.5 });
    // Building the call alone: what the builder's owned arguments cost before anything is checked or written.
    let build = || {
        client
            .create_user_by_email(black_box("wash@serenity.io"))
            .user_id(black_box("25"))
            .phone(black_box("+1123456789"))
            .name(black_box("Hoban Washburne"))
            .last_seen_ip(black_box([1, 2, 3, 4].into()))
            .custom_attributes(black_box(&attributes).clone())
            .last_seen_user_agent(black_box("Mozilla/5.0"))
            .companies([CompanyReference::new().company_id(black_box("6")).name(black_box("Blue Sun"))])
            .last_request_at(black_box(1_397_574_667))
            .signed_up_at(black_box(1_392_731_331))
            .update_last_request_at(true)
            .new_session(true)
            .unsubscribed_from_emails(false)
            .avatar_image_url(black_box("https://example.org/128Wash.jpg").parse().expect("a URL"))
            .remote_created_at(black_box(1_392_731_331))
    };

    let typed = || {
        let call = build();
        wire(client, call.prepare())
    };
    let arguments = json!({
        "email": "wash@serenity.io", "userId": "25", "phone": "+1123456789", "name": "Hoban Washburne",
        "lastSeenIp": "1.2.3.4", "customAttributes": attributes, "lastSeenUserAgent": "Mozilla/5.0",
        "companies": [{ "company_id": "6", "name": "Blue Sun" }], "lastRequestAt": 1_397_574_667,
        "signedUpAt": 1_392_731_331, "updateLastRequestAt": true, "newSession": true,
        "unsubscribedFromEmails": false, "avatarImageUrl": "https://example.org/128Wash.jpg",
        "remoteCreatedAt": 1_392_731_331
    });
    let by_name = || wire(client, client.prepare_call("createUserByEmail", black_box(&arguments)));
    let hand_written = || {
        let companies = [baseline::CompanyReference { company_id: black_box("6"), name: black_box("Blue Sun") }];
        let user = baseline::CreateUser {
            avatar: baseline::AvatarUrl { image_url: black_box("https://example.org/128Wash.jpg"), kind: "avatar" },
            companies: &companies,
            custom_attributes: black_box(&attributes),
            email: black_box("wash@serenity.io"),
            last_request_at: black_box(1_397_574_667),
            last_seen_ip: black_box("1.2.3.4"),
            last_seen_user_agent: black_box("Mozilla/5.0"),
            name: black_box("Hoban Washburne"),
            new_session: true,
            phone: black_box("+1123456789"),
            remote_created_at: black_box(1_392_731_331),
            signed_up_at: black_box(1_392_731_331),
            unsubscribed_from_emails: false,
            update_last_request_at: true,
            user_id: black_box("25"),
        };
        baseline::create_user(http, BASE_URL, &user)
    };
    same_request_three_ways(group, hand_written, typed, by_name);
    group.bench_function("typed_build_only", |b| b.iter(build));
}

fn get_single_user_by_email(group: &mut BenchmarkGroup<'_, WallTime>, client: &Client, http: &reqwest::Client) {
    let typed = || wire(client, client.get_single_user(black_box("wash@serenity.io"), UserIdType::Email).prepare());
    let arguments = json!({ "userId": "wash@serenity.io", "userIdType": "email" });
    let by_name = || wire(client, client.prepare_call("getSingleUser", black_box(&arguments)));
    let hand_written = || baseline::get_user_by_email(http, BASE_URL, black_box("wash@serenity.io"));
    same_request_three_ways(group, hand_written, typed, by_name);
}

fn tag_user_50_users(group: &mut BenchmarkGroup<'_, WallTime>, client: &Client, http: &reqwest::Client) {
    let emails: Vec<String> = (0..50).map(|n| format!("user{n}@serenity.io")).collect();
    // Building the call alone: the 50 items made and encoded, before anything is checked or laid out.
    let build = || {
        let users = black_box(&emails).iter().map(|email| UserReference::new().email(email.as_str()));
        client.tag_user(black_box("Independent"), users)
    };
    let typed = || wire(client, build().prepare());
    let users: Vec<Value> = emails.iter().map(|email| json!({ "email": email })).collect();
    let arguments = json!({ "name": "Independent", "users": users });
    let by_name = || wire(client, client.prepare_call("tagUser", black_box(&arguments)));
    let hand_written = || {
        let users: Vec<baseline::UserByEmail<'_>> =
            black_box(&emails).iter().map(|email| baseline::UserByEmail { email }).collect();
        baseline::tag_users(http, BASE_URL, &baseline::TagUsers { name: black_box("Independent"), users: &users })
    };
    same_request_three_ways(group, hand_written, typed, by_name);
    group.bench_function("typed_build_only", |b| b.iter(build));
}

fn get_users_page(group: &mut BenchmarkGroup<'_, WallTime>, client: &Client, http: &reqwest::Client) {
    let typed = || {
        let call = client
            .get_users()
            .page(black_box(2))
            .per_page(black_box(50))
            .order(SortOrder::Desc)
            .sort(UserSort::CreatedAt);
        wire(client, call.prepare())
    };
    let arguments = json!({ "page": 2, "perPage": 50, "order": "desc", "sort": "created_at" });
    let by_name = || wire(client, client.prepare_call("getUsers", black_box(&arguments)));
    let hand_written = || baseline::get_users_page(http, BASE_URL, black_box(2), black_box(50));
    same_request_three_ways(group, hand_written, typed, by_name);
}

fn decode_user_page(group: &mut BenchmarkGroup<'_, WallTime>) {
    let page = support::user_page(50);
    let typed = || serde_json::from_slice::<UserList>(black_box(&page)).expect("a user page");
    let hand_written = || serde_json::from_slice::<baseline::UserList>(black_box(&page)).expect("a user page");
    assert_eq!(typed().users.len(), hand_written().users.len());
    group.throughput(criterion::Throughput::Bytes(page.len() as u64));
    group.bench_function("hand_written", |b| b.iter(hand_written));
    group.bench_function("typed", |b| b.iter(typed));
}

fn main() {
    let since = SystemTime::now();
    let mut criterion = Criterion::default().configure_from_args();
    let client = client();
    let http = baseline::http_client();
    type Bench = fn(&mut BenchmarkGroup<'_, WallTime>, &Client, &reqwest::Client);
    let benches: [(&str, Bench); 4] = [
        ("create_user_by_email", create_user_by_email),
        ("get_single_user_by_email", get_single_user_by_email),
        ("tag_user_50_users", tag_user_50_users),
        ("get_users_page", get_users_page),
    ];
    for (name, bench) in benches {
        let mut group = criterion.benchmark_group(name);
        bench(&mut group, &client, &http);
        group.finish();
    }
    let mut group = criterion.benchmark_group("decode_user_page_50");
    decode_user_page(&mut group);
    group.finish();
    criterion.final_summary();
    support::report::report("calls", FIGURES, since);
}
