//! `intercom-gen` as a user runs it: the binary, against a recording server on 127.0.0.1.

use std::io::Write;
use std::path::Path;
use std::process::Stdio;

mod common;

use common::{TOKEN, call, call_with, intercom_gen, text};
use intercom_testkit::{Recorder, Reply, wire_cases};
use serde_json::{Value, json};

#[test]
fn every_wire_case_sends_the_reference_request_and_prints_the_response() {
    let server = Recorder::start();
    let mut failures = Vec::new();
    for (index, case) in wire_cases().iter().enumerate() {
        let reply = json!({ "type": "ok", "case": index });
        server.reply(Reply::json(200, &reply));
        let output = call(&server, &case.function, &case.args);
        if !output.status.success() {
            failures.push(format!("case {index} ({}): {} {}", case.function, output.status, text(&output.stderr)));
            server.take_requests();
            continue;
        }
        let printed: Value = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
        if printed != reply {
            failures.push(format!("case {index} ({}): printed {}", case.function, text(&output.stdout)));
        }
        let requests = server.take_requests();
        let differences = match requests.as_slice() {
            [request] => case.differences(request),
            other => vec![format!("{} requests were sent", other.len())],
        };
        if !differences.is_empty() {
            failures.push(format!("case {index} ({}): {}", case.function, differences.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{} cases failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn refused_arguments_exit_2_name_every_field_and_send_nothing() {
    let server = Recorder::start();
    let output = call(&server, "getSingleUser", &json!({ "userId": "", "userIdType": "mail", "userid": "x" }));
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "error: invalid arguments for `getSingleUser`; nothing was sent:\n  \
         `userid` is not an argument of this function (did you mean `userId`?)\n  \
         `userId` is required but missing\n  \
         `userIdType` is \"mail\", which is not one of the allowed values: intercom_id, user_id, email\n"
    );
    assert!(output.stdout.is_empty());
    assert!(server.requests().is_empty());
}

#[test]
fn an_unknown_function_exits_2_with_a_suggestion() {
    let server = Recorder::start();
    let output = call(&server, "getAdmin", &json!({}));
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "error: unknown function `getAdmin` (did you mean `getAdmins`?); nothing was sent\n"
    );
    assert!(server.requests().is_empty());
}

#[test]
fn malformed_args_exit_2() {
    let server = Recorder::start();
    for (args, message) in [("{", "not valid JSON"), ("[1]", "must be a JSON object")] {
        let output = intercom_gen()
            .args(["call", "getAdmins", "--args", args, "--base-url", server.base_url()])
            .env("INTERCOM_ACCESS_TOKEN", TOKEN)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        assert!(text(&output.stderr).contains(message), "{}", text(&output.stderr));
    }
    assert!(server.requests().is_empty());
}

#[test]
fn an_api_error_exits_1_with_status_code_and_message() {
    let server = Recorder::start();
    server.reply(Reply::json(
        404,
        &json!({ "type": "error.list", "request_id": "req-9", "errors": [{ "code": "not_found", "message": "User Not Found" }] }),
    ));
    let output = call(&server, "getSingleUser", &json!({ "userId": "42", "userIdType": "user_id" }));
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stderr),
        "error: getSingleUser: Intercom answered 404: not_found (User Not Found) [request req-9]\n"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn a_transport_error_exits_1() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let output = intercom_gen()
        .args(["call", "getAdmins", "--max-attempts", "1", "--base-url", &format!("http://127.0.0.1:{port}")])
        .env("INTERCOM_ACCESS_TOKEN", TOKEN)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(stderr.starts_with("error: getAdmins: cannot connect to Intercom: "), "{stderr}");
    assert!(stderr.contains("Connection refused"), "the cause is shown: {stderr}");
}

#[test]
fn plain_http_is_refused_for_other_hosts() {
    let output = intercom_gen()
        .args(["call", "getAdmins", "--base-url", "http://api.intercom.io"])
        .env("INTERCOM_ACCESS_TOKEN", TOKEN)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("only loopback hosts"), "{}", text(&output.stderr));
}

#[test]
fn base_url_and_token_come_from_the_environment() {
    let server = Recorder::start();
    let output = intercom_gen()
        .args(["call", "getCurrentAdmin"])
        .env("INTERCOM_BASE_URL", server.base_url())
        .env("INTERCOM_ACCESS_TOKEN", "from-env")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(server.single_request().header("authorization"), Some("Bearer from-env"));

    let output = intercom_gen()
        .args(["call", "getCurrentAdmin", "--token", "from-flag"])
        .env("INTERCOM_BASE_URL", server.base_url())
        .env("INTERCOM_ACCESS_TOKEN", "from-env")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(server.single_request().header("authorization"), Some("Bearer from-flag"));
}

#[test]
fn a_missing_token_exits_2_without_sending() {
    let server = Recorder::start();
    let output = intercom_gen().args(["call", "getAdmins", "--base-url", server.base_url()]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("no access token"), "{}", text(&output.stderr));
    assert!(server.requests().is_empty());
}

#[test]
fn args_can_come_from_a_file_or_stdin() {
    let server = Recorder::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("args.json");
    std::fs::write(&file, r#"{"name": "from-file"}"#).unwrap();
    let output = intercom_gen()
        .args(["call", "createTag", "--args", &format!("@{}", file.display()), "--base-url", server.base_url()])
        .env("INTERCOM_ACCESS_TOKEN", TOKEN)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(server.single_request().json(), Some(json!({ "name": "from-file" })));

    let mut child = intercom_gen()
        .args(["call", "createTag", "--args", "-", "--base-url", server.base_url()])
        .env("INTERCOM_ACCESS_TOKEN", TOKEN)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(br#"{"name": "from-stdin"}"#).unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
    assert_eq!(server.single_request().json(), Some(json!({ "name": "from-stdin" })));
}

#[test]
fn dry_run_prints_the_request_and_sends_nothing() {
    let server = Recorder::start();
    let output = intercom_gen()
        .args(["call", "createNote", "--dry-run", "--base-url", server.base_url()])
        .args(["--args", r#"{"userId": "a@b.io", "userIdType": "email", "body": "Called"}"#])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        "POST /notes\n{\n  \"body\": \"Called\",\n  \"user\": {\n    \"email\": \"a@b.io\"\n  }\n}\n"
    );
    assert!(server.requests().is_empty());
}

#[test]
fn generate_prints_what_the_build_compiles() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("client.rs");
    let output = intercom_gen().args(["generate", "--spec", "../spec", "--out"]).arg(&out).output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(written, intercom_codegen::generate(Path::new("../spec")).unwrap());
    assert!(written.contains("pub fn get_single_user("));

    let printed = intercom_gen().args(["generate", "--spec", "../spec"]).output().unwrap();
    assert_eq!(text(&printed.stdout), written);
}

#[test]
fn check_reports_a_good_manifest_and_every_problem_of_a_broken_one() {
    let output = intercom_gen().args(["check", "--spec", "../spec"]).output().unwrap();
    assert!(output.status.success());
    assert_eq!(text(&output.stdout), "../spec: 97 functions in 17 modules, 16 Select enums: no problems\n");

    let output = intercom_gen()
        .args(["check", "--spec", "../codegen/tests/fixtures/broken/two_fields_one_wire_name"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stderr),
        "2 problems in the manifest:\n  \
         ../codegen/tests/fixtures/broken/two_fields_one_wire_name/area.json: getThing: `name` and `title` both write the query parameter `name`\n  \
         ../codegen/tests/fixtures/broken/two_fields_one_wire_name/area.json: postThing: `to` and `toType` both write the body member `to`\n"
    );
}

#[test]
fn list_shows_every_function_with_its_description() {
    let output = intercom_gen().arg("list").output().unwrap();
    assert!(output.status.success());
    let stdout = text(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 97);
    assert!(lines.contains(&"getSingleUser                   Retrieve user by identifier."), "{stdout}");
    // The functions of http-mapping-more.md are listed too.
    for new in ["getTeams", "setAdminAway", "assignConversation", "snoozeConversation", "deleteCompany"] {
        assert!(lines.iter().any(|line| line.starts_with(&format!("{new} "))), "{new} is not listed: {stdout}");
    }
}

#[test]
fn schema_prints_the_published_schema() {
    let output = intercom_gen().arg("schema").output().unwrap();
    assert_eq!(text(&output.stdout), std::fs::read_to_string("../spec/manifest.schema.json").unwrap());
}

fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

#[test]
fn a_429_is_waited_out_and_the_call_retried() {
    let server = Recorder::start();
    let reset = unix_now() + 1;
    server.reply(
        Reply::json(429, &json!({ "type": "error.list", "errors": [{ "code": "rate_limit_exceeded" }] }))
            .header("x-ratelimit-limit", "167")
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-reset", &reset.to_string()),
    );
    server.reply(Reply::json(200, &json!({ "type": "admin.list" })));
    let output = call(&server, "getAdmins", &json!({}));
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(unix_now() >= reset);
    assert_eq!(server.take_requests().len(), 2);
}

#[test]
fn a_failed_get_is_retried() {
    let server = Recorder::start();
    server.reply(Reply::json(500, &json!({ "type": "error.list", "errors": [{ "code": "server_error" }] })));
    server.reply(Reply::json(200, &json!({ "type": "user" })));
    let output = call(&server, "getSingleUser", &json!({ "userId": "42", "userIdType": "user_id" }));
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(server.take_requests().len(), 2);
}

#[test]
fn a_creating_post_is_never_repeated() {
    let server = Recorder::start();
    server.reply(Reply::json(
        500,
        &json!({ "type": "error.list", "request_id": "req-7", "errors": [{ "code": "server_error", "message": "Something broke" }] }),
    ));
    let output = call(&server, "createNote", &json!({ "userId": "u1", "userIdType": "user_id", "body": "Called" }));
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stderr),
        "error: createNote: Intercom answered 500: server_error (Something broke) [request req-7]\n"
    );
    assert_eq!(server.take_requests().len(), 1);
}

#[test]
fn all_prints_every_item_of_every_page_as_json_lines() {
    let server = Recorder::start();
    let next = format!("{}/companies?page=2", server.base_url());
    server
        .reply(Reply::json(200, &json!({ "companies": [{ "id": "c1" }, { "id": "c2" }], "pages": { "next": next } })));
    server.reply(Reply::json(200, &json!({ "companies": [{ "id": "c3" }], "pages": { "next": null } })));
    let output = intercom_gen()
        .args(["call", "getCompanies", "--all", "--args", r#"{"perPage": 2}"#, "--base-url", server.base_url()])
        .env("INTERCOM_ACCESS_TOKEN", TOKEN)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "{\"id\":\"c1\"}\n{\"id\":\"c2\"}\n{\"id\":\"c3\"}\n");

    let output = intercom_gen()
        .args(["call", "getAdmins", "--all", "--base-url", server.base_url()])
        .env("INTERCOM_ACCESS_TOKEN", TOKEN)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("`getAdmins` is not a list function"), "{}", text(&output.stderr));
}

#[test]
fn every_kind_of_failure_exits_1_with_what_intercom_said_and_never_the_token() {
    let server = Recorder::start();
    let error_list = |code: &str, message: &str| json!({ "type": "error.list", "request_id": "req-1", "errors": [{ "code": code, "message": message }] });
    let cases = [
        (
            Reply::json(401, &error_list("token_unauthorized", "Not authorized")),
            "Intercom answered 401: token_unauthorized (Not authorized) [request req-1]",
        ),
        (
            Reply::json(404, &error_list("not_found", "User Not Found")),
            "Intercom answered 404: not_found (User Not Found) [request req-1]",
        ),
        (
            Reply::json(409, &error_list("conflict", "Multiple existing users match this email address")),
            "Intercom answered 409: conflict",
        ),
        (Reply::raw(200, "<html>Maintenance</html>"), "Intercom answered 200 with a body that is not JSON (24 bytes)"),
        (
            Reply::json(200, &json!({})).delayed(std::time::Duration::from_millis(400)),
            "getSingleUser: no answer in time",
        ),
    ];
    for (reply, expected) in cases {
        server.reply(reply);
        let output = call_with(
            &server,
            "getSingleUser",
            &json!({ "userId": "a@b.io", "userIdType": "email" }),
            &["--timeout", "0.1", "--max-attempts", "1"],
        );
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(stderr.starts_with("error: getSingleUser: ") && stderr.contains(expected), "{stderr}");
        assert!(!stderr.contains(TOKEN) && !text(&output.stdout).contains(TOKEN));
        server.take_requests();
    }
}

#[test]
fn all_streams_three_pages_a_scroll_and_stops_on_a_repeated_cursor() {
    let server = Recorder::start();
    let base = server.base_url().to_owned();
    server.reply(Reply::json(
        200,
        &json!({ "users": [{ "id": 1 }], "pages": { "next": format!("{base}/users?page=2") } }),
    ));
    server.reply(Reply::json(
        200,
        &json!({ "users": [{ "id": 2 }], "pages": { "next": format!("{base}/users?page=3") } }),
    ));
    server.reply(Reply::json(200, &json!({ "users": [{ "id": 3 }], "pages": {} })));
    let output = call_with(&server, "getUsers", &json!({}), &["--all"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n");
    server.take_requests();

    server.reply(Reply::json(200, &json!({ "scroll_param": "s", "contacts": [{ "id": 1 }, { "id": 2 }] })));
    server.reply(Reply::json(200, &json!({ "scroll_param": "s", "contacts": [] })));
    let output = call_with(&server, "scrollLeads", &json!({}), &["--all"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "{\"id\":1}\n{\"id\":2}\n");
    assert_eq!(server.take_requests().len(), 2);

    server.reply(Reply::json(
        200,
        &json!({ "notes": [{ "id": 1 }], "pages": { "next": format!("{base}/notes?page=2") } }),
    ));
    server.reply(Reply::json(
        200,
        &json!({ "notes": [{ "id": 2 }], "pages": { "next": format!("{base}/notes?page=2") } }),
    ));
    let output = call_with(&server, "getUserNotes", &json!({ "userId": "u1", "userIdType": "user_id" }), &["--all"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "{\"id\":1}\n{\"id\":2}\n");
    assert!(text(&output.stderr).contains("getUserNotes: the next page was already read"), "{}", text(&output.stderr));
}

#[test]
fn a_stream_paces_its_pages_when_the_rate_limit_is_spent() {
    let server = Recorder::start();
    let reset = unix_now() + 1;
    let next = format!("{}/conversations?page=2", server.base_url());
    server.reply(
        Reply::json(200, &json!({ "conversations": [{ "id": 1 }], "pages": { "next": next } }))
            .header("x-ratelimit-limit", "167")
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-reset", &reset.to_string()),
    );
    server.reply(Reply::json(200, &json!({ "conversations": [{ "id": 2 }], "pages": {} })));
    let output = call_with(&server, "getConversations", &json!({}), &["--all"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(unix_now() >= reset, "the second page did not wait for the reset");
    assert_eq!(server.take_requests().len(), 2, "no 429 was provoked");
}

/// `tests/snippets.rs` holds, for every function, the snippet `intercom-gen snippet` prints for its wire case
/// with the most arguments; the crate's tests compile it, which proves every snippet compiles. This test
/// proves the file is what the CLI prints today (`INTERCOM_UPDATE_SNIPPETS=1` rewrites it).
#[test]
fn the_compiled_snippets_are_those_the_cli_prints() {
    let mut fullest: std::collections::BTreeMap<String, Value> = std::collections::BTreeMap::new();
    for case in wire_cases() {
        let size = |args: &Value| args.as_object().map_or(0, |args| args.len());
        if fullest.get(&case.function).is_none_or(|known| size(&case.args) > size(known)) {
            fullest.insert(case.function.clone(), case.args.clone());
        }
    }
    assert_eq!(fullest.len(), intercom_rest::functions().len());
    let mut file = String::from(
        "//! Generated by `intercom-gen snippet`: for every function, the snippet for its wire case with the most\n\
         //! arguments. Compiling this file proves that every snippet compiles; `intercom-gen/tests/cli.rs` proves\n\
         //! that it is what the CLI prints (run `INTERCOM_UPDATE_SNIPPETS=1 cargo test -p intercom-gen snippets` to\n\
         //! rewrite it after a change).\n\n\
         #![allow(dead_code, reason = \"the snippets are compiled, not run\")]\n",
    );
    for (function, args) in &fullest {
        let output = intercom_gen().args(["snippet", function, "--args", &args.to_string()]).output().unwrap();
        assert!(output.status.success(), "{function}: {}", text(&output.stderr));
        let module = intercom_rest::find_function(function).unwrap().method_name;
        let indented: String = text(&output.stdout)
            .lines()
            .map(|line| if line.is_empty() { "\n".to_owned() } else { format!("    {line}\n") })
            .collect();
        file.push_str(&format!("\n#[rustfmt::skip]\nmod {module} {{\n{indented}}}\n"));
    }
    let path = Path::new("../tests/snippets.rs");
    if std::env::var_os("INTERCOM_UPDATE_SNIPPETS").is_some() {
        std::fs::write(path, &file).unwrap();
    }
    assert!(
        std::fs::read_to_string(path).ok().as_deref() == Some(file.as_str()),
        "tests/snippets.rs is stale: run `INTERCOM_UPDATE_SNIPPETS=1 cargo test -p intercom-gen snippets`"
    );
}

#[test]
fn a_snippet_is_refused_for_arguments_a_call_would_refuse() {
    let output = intercom_gen()
        .args(["snippet", "getSingleUser", "--args", r#"{"userId": "1", "userIdType": "mail"}"#])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("`userIdType` is \"mail\", which is not one of the allowed values"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn docs_writes_the_committed_reference() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("stale.md"), "old").unwrap();
    let output = intercom_gen().args(["docs", "--spec", "../spec", "--out"]).arg(dir.path()).output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(!dir.path().join("stale.md").exists(), "a page no longer generated is removed");
    for page in ["README.md", "users.md", "selects.md"] {
        assert_eq!(
            std::fs::read_to_string(dir.path().join(page)).unwrap(),
            std::fs::read_to_string(Path::new("../docs/reference").join(page)).unwrap()
        );
    }
}

#[test]
fn mock_serves_the_simulator_that_call_can_talk_to() {
    use std::io::{BufRead, BufReader};

    let mut mock = intercom_gen().args(["mock", "--port", "0"]).stdout(Stdio::piped()).spawn().unwrap();
    let mut first_line = String::new();
    BufReader::new(mock.stdout.take().unwrap()).read_line(&mut first_line).unwrap();
    // "Intercom simulator on http://127.0.0.1:<port> (token <token>)"
    let base_url = first_line.split_whitespace().find(|word| word.starts_with("http://")).unwrap().to_owned();
    let token = intercom_rest::simulator::DEFAULT_ACCESS_TOKEN;

    let output = intercom_gen()
        .args(["call", "getCurrentAdmin"])
        .env("INTERCOM_BASE_URL", &base_url)
        .env("INTERCOM_ACCESS_TOKEN", token)
        .output()
        .unwrap();
    mock.kill().unwrap();
    mock.wait().unwrap();
    assert!(output.status.success(), "{first_line}: {}", text(&output.stderr));
    let admin: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!((admin["type"].as_str(), admin["app"]["type"].as_str()), (Some("admin"), Some("app")));
}

#[test]
fn a_reader_that_stops_early_does_not_make_the_tool_panic() {
    use std::io::{BufRead, BufReader};

    let mut list = intercom_gen().arg("list").stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut first_line = String::new();
    BufReader::new(list.stdout.take().unwrap()).read_line(&mut first_line).unwrap();
    // The pipe is closed here, before the other 82 lines are written.
    let output = list.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(!text(&output.stderr).contains("panicked"), "{}", text(&output.stderr));
}

/// `--typed` prints the answer decoded into the function's model and encoded again: every member comes back
/// (unknown ones too), a `null` member may come back absent, an id sent as a number comes back as text.
#[test]
fn typed_prints_the_model_and_keeps_every_member() {
    let server = Recorder::start();
    let body = json!({
        "type": "admin",
        "id": 814860,
        "name": "Ada",
        "email": null,
        "team_ids": [12, "13"],
        "a_member_from_the_future": { "nested": [1, 2] }
    });
    server.reply(Reply::json(200, &body));
    let output = call_with(&server, "getSingleAdmin", &json!({ "adminId": "814860" }), &["--typed"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let printed: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        printed,
        json!({
            "type": "admin",
            "id": "814860",
            "name": "Ada",
            "team_ids": ["12", "13"],
            "a_member_from_the_future": { "nested": [1, 2] }
        })
    );

    // Where Intercom answers a list for one lookup, the typed call's one item is printed.
    server.reply(Reply::json(200, &json!({ "type": "user.list", "users": [{ "type": "user", "id": "u1" }] })));
    let output =
        call_with(&server, "getSingleUser", &json!({ "userId": "a@example.com", "userIdType": "email" }), &["--typed"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(serde_json::from_slice::<Value>(&output.stdout).unwrap(), json!({ "type": "user", "id": "u1" }));
}

#[test]
fn typed_exits_1_naming_where_the_answer_does_not_decode() {
    let server = Recorder::start();
    server.reply(Reply::json(
        200,
        &json!({ "type": "admin.list", "admins": [{ "id": "1" }, { "id": "2", "away_mode_enabled": "yes" }] }),
    ));
    let output = call_with(&server, "getAdmins", &json!({}), &["--typed"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stderr),
        "error: getAdmins: the answer does not decode as `AdminList`: at `admins[1].away_mode_enabled`: invalid value: \
         string \"yes\", expected a boolean at line 1 column 48\n"
    );
    assert!(output.stdout.is_empty());
}
