//! The memory `intercom-gen call` needs for a large answer. This file holds one test so that its process
//! runs no other child: the peak it reads (`getrusage(RUSAGE_CHILDREN)`) is that of the one call.

#![cfg(target_os = "linux")]

use std::process::{Command, Stdio};

use intercom_testkit::{Recorder, Reply};

/// A page of users as Intercom sends it, about `bytes` long: many small objects, the costliest shape to hold
/// as a tree of values.
fn user_page(bytes: usize) -> String {
    let mut body = String::with_capacity(bytes + 512);
    body.push_str(r#"{"type":"user.list","pages":{"type":"pages","next":null},"users":["#);
    let mut index = 0;
    while body.len() < bytes {
        if index > 0 {
            body.push(',');
        }
        body.push_str(&format!(
            r#"{{"type":"user","id":"5714dd359a3fd47136000{index}","user_id":"{index}","email":"user{index}@example.com","name":"User {index}","unsubscribed_from_emails":false,"custom_attributes":{{"plan":"pro","seats":{index}}},"tags":{{"type":"tag.list","tags":[]}}}}"#
        ));
        index += 1;
    }
    body.push_str("]}");
    body
}

/// The largest resident size of any child process that has ended, in bytes.
fn peak_of_ended_children() -> u64 {
    // SAFETY: `getrusage` fills the struct it is given; a zeroed `rusage` is a valid value of it.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        assert_eq!(libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage), 0);
        usage
    };
    // Linux reports kilobytes.
    u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024
}

#[test]
fn a_large_answer_is_printed_within_a_small_multiple_of_its_size() {
    let body = user_page(30 * 1024 * 1024);
    let size = body.len() as u64;
    let server = Recorder::start();
    server.reply(Reply::raw(200, body).header("content-type", "application/json"));
    let status = Command::new(env!("CARGO_BIN_EXE_intercom-gen"))
        .args(["call", "getUsers", "--base-url", server.base_url()])
        .env("INTERCOM_ACCESS_TOKEN", "memory-test-token")
        .env_remove("INTERCOM_BASE_URL")
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let peak = peak_of_ended_children();
    assert!(peak > 0, "no peak was read");
    eprintln!("a {size}-byte answer: {peak} bytes at peak ({:.2}x)", peak as f64 / size as f64);
    assert!(peak <= 4 * size, "a {size}-byte answer took {peak} bytes at peak ({:.1}x)", peak as f64 / size as f64);
}
