//! `iskra serve` against a hostile world: a log reader that stalls or
//! goes away, renders that run too long, broken cache files, failures
//! that a fix must clear, symbolic links, absurd option values, one
//! client opening every connection.
//!
//! Timings are never asserted; durations are hang guards only.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Instant;

use common::*;

/// Sends `n` requests for `/healthz` pipelined on one kept-alive
/// connection, in batches, and waits for every answer.
fn many_health_checks(server: &Server, n: usize) {
    const BATCH: usize = 100;
    let mut stream = TcpStream::connect(server.addr).expect("connect");
    stream.set_read_timeout(Some(HANG_GUARD)).expect("timeout");
    let one = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n";
    let mut sent = 0;
    while sent < n {
        let batch = BATCH.min(n - sent);
        stream
            .write_all(one.repeat(batch).as_bytes())
            .expect("send");
        let mut seen = 0;
        let mut raw = Vec::new();
        let mut buf = [0u8; 16384];
        while seen < batch {
            let read = stream.read(&mut buf).expect("answers come");
            assert!(read > 0, "the server closed the connection");
            raw.extend_from_slice(&buf[..read]);
            seen = count(&raw, b"\r\n\r\nok\n");
        }
        sent += batch;
    }
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

/// SIGTERM, and the server must be gone within the hang guard.
fn assert_stops(server: Server) {
    let started = Instant::now();
    let status = server.terminate();
    assert!(status.success(), "exit status {status:?}");
    assert!(started.elapsed() < HANG_GUARD);
}

#[test]
fn a_stalled_log_reader_never_holds_up_requests_and_drops_are_counted() {
    let site = Site::new();
    let server = Server::start_with(&site.root(), &[], Stdout::Stall);
    // Far more lines (about 60 bytes each) than the pipe (64 KB) and the
    // log's buffer (512 KB) hold: the reader never reads one.
    many_health_checks(&server, 16_000);
    let reply = server.get("/articles/revolution/01-kronstadt.pdf");
    assert_is_pdf_of(&reply, "The Kronstadt Question");
    let dropped = wait_for_metric(&server, "iskra_log_lines_dropped_total", 1.0);
    assert!(dropped >= 1.0, "dropped lines counted: {dropped}");
    assert_stops(server);
}

#[test]
fn a_closed_log_pipe_stops_the_log_not_the_service() {
    let site = Site::new();
    let server = Server::start_with(&site.root(), &[], Stdout::Close);
    for _ in 0..20 {
        assert_eq!(server.get("/healthz").status, 200);
    }
    let reply = server.get("/articles/revolution/02-petrograd.pdf");
    assert_is_pdf_of(&reply, "Petrograd in Spring");
    let dropped = wait_for_metric(&server, "iskra_log_lines_dropped_total", 20.0);
    assert!(dropped >= 20.0, "lines after the close counted: {dropped}");
    let log = server.log();
    assert!(
        !log.iter()
            .any(|l| l.contains("panicked") || l.contains("Broken pipe")),
        "{log:#?}"
    );
    assert_stops(server);
}

#[test]
fn json_log_lines() {
    let site = Site::new();
    let server = Server::start(&site.root(), &["--log-format", "json"]);
    let _ = server.get("/healthz");
    let log = server.log_once(|l| l.iter().any(|l| l.contains("/healthz")));
    let line = log
        .iter()
        .find(|l| l.contains("/healthz"))
        .expect("a request line");
    assert!(line.starts_with('{') && line.ends_with('}'), "{line}");
    for field in [
        "\"method\":\"GET\"",
        "\"status\":200",
        "\"cache\":\"-\"",
        "\"level\":\"INFO\"",
    ] {
        assert!(line.contains(field), "{field} in {line}");
    }
}

#[test]
fn a_render_over_the_time_limit_is_cancelled_and_frees_its_worker() {
    let site = Site::new();
    // 300,000 words no two alike (3.3 MB, some 1,700 pages): none is
    // shaped or hyphenated from a cache, so that even a release build
    // takes seconds, several times the limit, while a test build is
    // stopped at the limit like it (its article is read in a few
    // hundredths of a second in either).
    site.write(
        "site/revolution/huge.md",
        &article_of_distinct_words("A very long article", 300_000),
    );
    let server = Server::start(
        &site.root(),
        &[
            "--render-timeout",
            "1",
            "--idle-timeout",
            "30",
            "--workers",
            "1",
        ],
    );
    let path = "/articles/revolution/huge.pdf";
    let first = server.get(path);
    assert_eq!(first.status, 503, "{:?}", first.header("retry-after"));
    // The render is stopped, not left to run: its only worker sets the
    // next article.
    let cancelled = wait_for_metric(&server, "iskra_render_cancelled_total", 1.0);
    assert_eq!(cancelled, 1.0);
    let other = server.get("/articles/revolution/01-kronstadt.pdf");
    assert_is_pdf_of(&other, "The Kronstadt Question");
    // Asking again costs nothing until the article changes.
    let again = server.get(path);
    assert_eq!(again.status, 500);
    assert_eq!(metric(&server, "iskra_render_cancelled_total"), Some(1.0));
    // Standard output and error are written by threads of their own.
    let timed_out =
        |l: &String| l.contains("event=render-failed") && l.contains("--render-timeout");
    let log = server
        .log_once(|l| l.iter().any(|l| l.contains("cache=failed")) && l.iter().any(timed_out));
    assert!(log.iter().any(timed_out), "{log:#?}");
    site.write(
        "site/revolution/huge.md",
        &article("Cut down", "Shorter now."),
    );
    site.settle();
    assert_is_pdf_of(&server.get(path), "Cut down");
}

#[test]
fn absurd_option_values_are_refused_when_parsed() {
    let site = Site::new();
    for (option, value) in [
        ("--header-timeout", "18446744073709551615"),
        ("--render-timeout", "86401"),
        ("--idle-timeout", "0"),
        ("--shutdown-grace", "99999999999"),
        ("--max-age", "18446744073709551615"),
        ("--rescan", "0"),
        ("--queue", "18446744073709551615"),
        ("--max-client-connections", "2000000"),
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_iskra"))
            .arg("serve")
            .arg("--articles")
            .arg(site.root())
            .args(["--addr", "127.0.0.1:0", option, value])
            .output()
            .expect("run iskra");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{option} {value}: {stderr}");
        assert!(stderr.contains(option), "{option}: {stderr}");
    }
}

#[test]
fn a_failure_is_forgotten_as_soon_as_its_missing_image_is_added() {
    let site = Site::new();
    site.write(
        "site/revolution/03-figure.md",
        &article("With a figure", "![Crowd](images/crowd.png)"),
    );
    site.settle();
    let server = Server::start(&site.root(), &[]);
    let path = "/articles/revolution/03-figure.pdf";
    assert_eq!(server.get(path).status, 500);
    assert_eq!(server.get(path).status, 500, "remembered as failing");
    let started = Instant::now();
    site.write_bytes("site/revolution/images/crowd.png", &png([200, 30, 30]));
    site.settle();
    // No ten-second wait: the image it looked for is watched.
    assert_is_pdf_of(&server.get(path), "With a figure");
    assert!(started.elapsed() < std::time::Duration::from_secs(9));
    assert_eq!(metric(&server, "iskra_render_failures_total"), Some(1.0));
}

#[test]
fn a_truncated_disk_cache_file_is_set_again_not_served() {
    let site = Site::new();
    let cache = site.dir.path().join("pdf-cache");
    let cache_arg = cache.to_str().expect("utf-8 path");
    let path = "/articles/revolution/02-petrograd.pdf";
    let first = {
        let server = Server::start(&site.root(), &["--disk-cache", cache_arg]);
        server.get(path)
    };
    assert_is_pdf_of(&first, "Petrograd in Spring");
    let stored = std::fs::read_dir(&cache)
        .expect("cache folder")
        .next()
        .expect("one file")
        .expect("entry")
        .path();
    let whole = std::fs::read(&stored).expect("cached PDF");
    std::fs::write(&stored, &whole[..whole.len() / 2]).expect("truncate");

    let server = Server::start(&site.root(), &["--disk-cache", cache_arg]);
    let second = server.get(path);
    assert_eq!(second.body, first.body, "the whole PDF, set again");
    let log = server.log_once(|log| log.iter().any(|l| l.starts_with("method=")));
    assert!(
        log.iter()
            .any(|l| l.contains("02-petrograd.pdf") && l.contains("cache=miss")),
        "{log:?}"
    );
    assert_eq!(std::fs::read(&stored).expect("stored again"), whole);
}

#[cfg(unix)]
#[test]
fn prerender_sets_every_article_once_despite_a_symlinked_one() {
    let site = Site::new();
    for n in 3..=5 {
        site.write(
            &format!("site/revolution/0{n}-more.md"),
            &article(&format!("More {n}"), "Text."),
        );
    }
    // A second name for the first article, listed right after it.
    std::os::unix::fs::symlink("01-kronstadt.md", site.root().join("revolution/01-link.md"))
        .expect("link");
    site.settle();
    let server = Server::start(&site.root(), &["--prerender", "--workers", "1"]);
    let log = server.log_once(|l| l.iter().any(|l| l.starts_with("event=prerendered")));
    let scan = log
        .iter()
        .find(|l| l.starts_with("event=prerendered"))
        .expect("a scan line");
    assert!(
        scan.starts_with("event=prerendered articles=5 rendered=5 failed=0 cache_full=false"),
        "{scan}"
    );
}

#[test]
fn one_client_cannot_take_every_connection() {
    let site = Site::new();
    let server = Server::start(
        &site.root(),
        &["--max-connections", "40", "--max-client-connections", "10"],
    );
    // One client (127.0.0.1) opens far more than its share and holds them.
    let mut held = Vec::new();
    for _ in 0..30 {
        held.push(TcpStream::connect(server.addr).expect("connect"));
    }
    // Its connections past its cap are closed without an answer…
    let mut over = TcpStream::connect(server.addr).expect("connect");
    over.set_read_timeout(Some(HANG_GUARD)).expect("timeout");
    let _ = over.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    let mut answer = Vec::new();
    let _ = over.read_to_end(&mut answer);
    assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
    // …while another client (127.0.0.2) is served.
    let reply = request_from("127.0.0.2", server.addr, "/healthz");
    assert!(
        reply.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&reply)
    );
    drop(held);
}

/// One request from a chosen local address (anything in 127/8 is this
/// machine): a second client.
fn request_from(local: &str, addr: std::net::SocketAddr, target: &str) -> Vec<u8> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let stream = runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket
            .bind(format!("{local}:0").parse().expect("address"))
            .expect("bind");
        socket.connect(addr).await.expect("connect")
    });
    let mut stream = stream.into_std().expect("std stream");
    stream.set_nonblocking(false).expect("blocking");
    stream.set_read_timeout(Some(HANG_GUARD)).expect("timeout");
    let head = format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    raw
}
