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
    // Far more lines than the pipe (64 KB) and the log's buffer (4096
    // lines) hold: the reader never reads one.
    many_health_checks(&server, 8000);
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
