//! `iskra serve` end to end: the binary is started on a loopback port with
//! a small hand-written articles folder, and spoken to in plain HTTP/1.1
//! over a socket (so that no client tidies up a hostile URL first).
//!
//! Timings are never asserted; the durations here are hang guards only
//! (speed is measured by `bench/serve-load`).

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use common::*;

#[test]
fn serves_the_articles_pdf_with_download_headers() {
    let site = Site::new();
    let server = Server::start(&site.root(), &[]);
    let reply = server.get("/articles/revolution/01-kronstadt.pdf");
    assert_is_pdf_of(&reply, "The Kronstadt Question");
    assert_eq!(
        reply.header("content-disposition"),
        Some("attachment; filename=\"revolution-01-kronstadt.pdf\"")
    );
    assert!(
        reply
            .header("cache-control")
            .is_some_and(|v| v.contains("max-age"))
    );
    let etag = reply.header("etag").expect("an ETag");
    assert!(
        etag.starts_with('"') && etag.ends_with('"') && !etag.starts_with("W/"),
        "a strong ETag: {etag}"
    );
    match pdf_text(&reply.body) {
        Some(text) => assert!(
            text.contains("Sailors debated the soviet elections"),
            "{text}"
        ),
        None => eprintln!("pdftotext is not installed; text extraction not checked"),
    }

    let head = server.request("HEAD", "/articles/revolution/01-kronstadt.pdf", &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD has no body");
    assert_eq!(
        head.header("content-length"),
        Some(reply.body.len().to_string().as_str())
    );
    assert_eq!(head.header("etag"), Some(etag));

    // The same article gives the same bytes (served from the cache or not).
    let again = server.get("/articles/revolution/01-kronstadt.pdf");
    assert_eq!(again.body, reply.body);
}

#[test]
fn a_matching_if_none_match_gets_304() {
    let site = Site::new();
    let server = Server::start(&site.root(), &[]);
    let path = "/articles/revolution/01-kronstadt.pdf";
    let first = server.get(path);
    let etag = first.header("etag").expect("ETag").to_string();
    for sent in [
        etag.clone(),
        format!("W/{etag}"),
        format!("\"other\", {etag}"),
        "*".to_string(),
    ] {
        let reply = server.request("GET", path, &[("If-None-Match", &sent)]);
        assert_eq!(reply.status, 304, "If-None-Match: {sent}");
        assert!(reply.body.is_empty());
        assert_eq!(reply.header("etag"), Some(etag.as_str()));
    }
    let stale = server.request("GET", path, &[("If-None-Match", "\"not-this-one\"")]);
    assert_eq!(stale.status, 200);
    assert_eq!(stale.body, first.body);
}

#[test]
fn unknown_articles_and_traversal_get_404_and_nothing_outside_is_served() {
    let site = Site::new();
    #[cfg(unix)]
    {
        // A symbolic link to a file outside, and a series folder that is
        // a link to a folder outside.
        std::os::unix::fs::symlink(
            site.dir.path().join("secret.md"),
            site.root().join("revolution/escape.md"),
        )
        .expect("symlink");
        std::os::unix::fs::symlink(site.dir.path().join("other"), site.root().join("other"))
            .expect("symlink");
    }
    let server = Server::start(&site.root(), &[]);
    let attempts = [
        "/articles/revolution/no-such-article.pdf",
        "/articles/no-such-series/01-kronstadt.pdf",
        "/articles/revolution/01-kronstadt.md",
        "/articles/revolution/01-kronstadt",
        "/articles/revolution/README.pdf",
        "/articles/revolution/.01-kronstadt.pdf",
        "/articles/../secret.pdf",
        "/articles/revolution/../../secret.pdf",
        "/articles/revolution/../secret.pdf",
        "/articles/%2e%2e/secret.pdf",
        "/articles/%2E%2E/secret.pdf",
        "/articles/revolution/..%2F..%2Fsecret.pdf",
        "/articles/revolution/%2e%2e%2f%2e%2e%2fsecret.pdf",
        "/articles/..%2f..%2f/secret.pdf",
        "/articles/revolution/..%5c..%5csecret.pdf",
        "/articles/revolution%5c..%5c..%5csecret.pdf",
        "/articles/%252e%252e/secret.pdf",
        "/articles/revolution/%c0%ae%c0%ae%c0%afsecret.pdf",
        "/articles/revolution/01-kronstadt.pdf%00.md",
        "/articles//secret.pdf",
        "/articles/%2Fetc/passwd.pdf",
        "/articles/%2ftmp/secret.pdf",
        "//articles/revolution/01-kronstadt.pdf",
        "/articles/revolution/01-kronstadt.pdf/",
        "/articles/revolution/extra/01-kronstadt.pdf",
        "/articles/revolution/escape.pdf",
        "/articles/other/03-elsewhere.pdf",
        "/etc/passwd",
        "/articles/revolution/%EF%BC%8E%EF%BC%8E/secret.pdf",
    ];
    for target in attempts {
        let reply = server.get(target);
        assert_eq!(reply.status, 404, "{target}: {reply:?}");
        assert!(
            !String::from_utf8_lossy(&reply.body).contains("SECRET"),
            "{target} leaked the secret"
        );
    }
    // A raw backslash is not even a valid URL; it must not be served.
    let raw = server.get("/articles/revolution\\..\\..\\secret.pdf");
    assert!(matches!(raw.status, 400 | 404), "{raw:?}");
    assert!(!server.log().iter().any(|l| l.contains("render-failed")));
}

#[test]
fn other_methods_get_405() {
    let site = Site::new();
    let server = Server::start(&site.root(), &[]);
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        let reply = server.request(method, "/articles/revolution/01-kronstadt.pdf", &[]);
        assert_eq!(reply.status, 405, "{method}");
        let allow = reply.header("allow").unwrap_or_default();
        assert!(allow.contains("GET") && allow.contains("HEAD"), "{allow}");
    }
    assert_eq!(server.request("POST", "/healthz", &[]).status, 405);
}

#[test]
fn over_long_urls_get_414() {
    let site = Site::new();
    let server = Server::start(&site.root(), &[]);
    let long = format!("/articles/revolution/{}.pdf", "a".repeat(3000));
    assert_eq!(server.get(&long).status, 414);
    let long_query = format!("/healthz?{}", "q".repeat(3000));
    assert_eq!(server.get(&long_query).status, 414);
    assert_eq!(server.get("/healthz").status, 200);
}

#[test]
fn a_full_queue_gets_503_with_retry_after() {
    let site = Site::new();
    let slugs: Vec<String> = (0..8).map(|i| format!("long-{i}")).collect();
    for slug in &slugs {
        site.write(
            &format!("site/revolution/{slug}.md"),
            &long_article(&format!("Long article {slug}")),
        );
    }
    let server = Server::start(&site.root(), &["--workers", "1", "--queue", "0"]);
    let barrier = Arc::new(Barrier::new(slugs.len()));
    let replies: Vec<Reply> = std::thread::scope(|scope| {
        let handles: Vec<_> = slugs
            .iter()
            .map(|slug| {
                let barrier = Arc::clone(&barrier);
                let addr = server.addr;
                scope.spawn(move || {
                    barrier.wait();
                    request(
                        addr,
                        "GET",
                        &format!("/articles/revolution/{slug}.pdf"),
                        &[],
                    )
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("request thread"))
            .collect()
    });
    let busy: Vec<&Reply> = replies.iter().filter(|r| r.status == 503).collect();
    let done = replies.iter().filter(|r| r.status == 200).count();
    assert!(done >= 1, "one render had the worker: {replies:?}");
    assert!(!busy.is_empty(), "the others were refused");
    assert_eq!(done + busy.len(), replies.len(), "only 200 and 503");
    for reply in busy {
        assert!(reply.header("retry-after").is_some(), "{reply:?}");
    }
    let metrics = String::from_utf8_lossy(&server.get("/metrics").body).into_owned();
    assert!(
        metrics
            .lines()
            .any(|l| l.starts_with("iskra_render_rejected_total") && !l.ends_with(" 0")),
        "{metrics}"
    );
}

#[test]
fn concurrent_requests_for_one_article_share_one_render() {
    let site = Site::new();
    site.write("site/revolution/long.md", &long_article("One long article"));
    let server = Server::start(&site.root(), &["--workers", "1", "--queue", "0"]);
    let barrier = Arc::new(Barrier::new(6));
    let replies: Vec<Reply> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..6)
            .map(|_| {
                let barrier = Arc::clone(&barrier);
                let addr = server.addr;
                scope.spawn(move || {
                    barrier.wait();
                    request(addr, "GET", "/articles/revolution/long.pdf", &[])
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("request thread"))
            .collect()
    });
    for reply in &replies {
        assert_is_pdf_of(reply, "One long article");
        assert_eq!(reply.body, replies[0].body);
    }
    let metrics = String::from_utf8_lossy(&server.get("/metrics").body).into_owned();
    assert!(
        metrics
            .lines()
            .any(|l| l == "iskra_render_duration_seconds_count 1"),
        "one render: {metrics}"
    );
}

#[test]
fn an_edited_article_is_served_fresh() {
    let site = Site::new();
    let server = Server::start(&site.root(), &[]);
    let path = "/articles/revolution/01-kronstadt.pdf";
    let before = server.get(path);
    assert_is_pdf_of(&before, "The Kronstadt Question");
    let old_etag = before.header("etag").expect("ETag").to_string();

    site.write(
        "site/revolution/01-kronstadt.md",
        &article(
            "The Kronstadt Uprising Revisited",
            "A different text altogether.",
        ),
    );
    let after = server.request("GET", path, &[("If-None-Match", &old_etag)]);
    assert_is_pdf_of(&after, "The Kronstadt Uprising Revisited");
    assert_ne!(after.header("etag"), Some(old_etag.as_str()));

    // series.toml and images are dependencies too.
    let etag = after.header("etag").expect("ETag").to_string();
    site.write(
        "site/revolution/series.toml",
        "title = \"Revolution, second edition\"\npublisher = \"Another Press\"\n",
    );
    let retitled = server.get(path);
    assert_eq!(retitled.status, 200);
    assert_ne!(retitled.header("etag"), Some(etag.as_str()));
}

#[test]
fn an_edited_image_is_served_fresh() {
    let site = Site::new();
    site.write_bytes("site/revolution/images/crowd.png", &png([200, 30, 30]));
    site.write(
        "site/revolution/04-pictured.md",
        &article(
            "Pictured",
            "A crowd.\n\n![The crowd at the Finland Station](images/crowd.png)\n",
        ),
    );
    let server = Server::start(&site.root(), &[]);
    let path = "/articles/revolution/04-pictured.pdf";
    let first = server.get(path);
    assert_is_pdf_of(&first, "Pictured");
    site.write_bytes("site/revolution/images/crowd.png", &png([30, 30, 200]));
    let second = server.get(path);
    assert_is_pdf_of(&second, "Pictured");
    assert_ne!(second.header("etag"), first.header("etag"));
}

/// The PDF a fresh server (nothing parsed or cached before) sets of the
/// article at `path`.
fn fresh_pdf(site: &Site, path: &str) -> Vec<u8> {
    let fresh = Server::start(&site.root(), &["--cache-mb", "0", "--warm", "0"]);
    let reply = fresh.get(path);
    assert_eq!(reply.status, 200);
    reply.body
}

#[test]
fn an_article_kept_parsed_is_set_from_its_files_as_they_are_now() {
    // With no PDF cache every request renders, from the parse the server
    // made at start while the article's files read the same: each answer
    // must be the PDF of the files as they are now, as a server that never
    // saw them before sets it.
    let site = Site::new();
    let file = "site/revolution/04-pictured.md";
    let image = "site/revolution/images/crowd.png";
    let text = |body: &str| {
        article(
            "Pictured",
            &format!("{body}\n\n![The crowd](images/crowd.png)\n"),
        )
    };
    site.write_bytes(image, &png([200, 30, 30]));
    site.write(file, &text("A crowd gathered."));
    let server = Server::start(&site.root(), &["--cache-mb", "0"]);
    let path = "/articles/revolution/04-pictured.pdf";
    let first = server.get(path);
    assert_eq!(first.status, 200);
    assert!(
        first.body == fresh_pdf(&site, path),
        "as a fresh server sets it"
    );
    assert!(server.get(path).body == first.body, "set again, the same");

    // An image of the same size with other pixels.
    site.write_bytes(image, &png([30, 30, 200]));
    let recoloured = server.get(path);
    assert!(recoloured.body != first.body);
    assert!(recoloured.body == fresh_pdf(&site, path));

    // The article's text, then series.toml.
    site.write(file, &text("A crowd gathered at the station."));
    let edited = server.get(path);
    assert!(edited.body == fresh_pdf(&site, path));
    site.write(
        "site/revolution/series.toml",
        "title = \"Revolution, second edition\"\npublisher = \"Test Press\"\n",
    );
    let retitled = server.get(path);
    assert!(retitled.body != edited.body);
    assert!(retitled.body == fresh_pdf(&site, path));

    // Back as it was at the start: the first PDF again.
    site.write_bytes(image, &png([200, 30, 30]));
    site.write(file, &text("A crowd gathered."));
    site.write(
        "site/revolution/series.toml",
        "title = \"Revolution\"\npublisher = \"Test Press\"\n",
    );
    assert!(server.get(path).body == first.body, "the first PDF again");
    let log = server.log();
    assert!(
        log.first().is_some_and(|line| line.contains("parsed=3")),
        "the articles were parsed at start: {log:?}"
    );
}

#[cfg(unix)]
#[test]
fn images_and_series_files_leading_outside_are_not_read() {
    let site = Site::new();
    site.write_bytes("outside.png", &png([0, 0, 0]));
    std::fs::create_dir_all(site.root().join("revolution/images")).expect("dir");
    std::os::unix::fs::symlink(
        site.dir.path().join("outside.png"),
        site.root().join("revolution/images/linked.png"),
    )
    .expect("symlink");
    site.write(
        "site/revolution/05-linked.md",
        &article(
            "Linked",
            "![x](images/linked.png)\n\n![y](../../outside.png)\n",
        ),
    );
    std::fs::create_dir_all(site.root().join("leaky")).expect("dir");
    site.write("site/leaky/01-a.md", &article("Leaky", "Text."));
    site.write("elsewhere.toml", "title = \"Not here\"\n");
    std::os::unix::fs::symlink(
        site.dir.path().join("elsewhere.toml"),
        site.root().join("leaky/series.toml"),
    )
    .expect("symlink");
    let server = Server::start(&site.root(), &[]);
    assert_eq!(server.get("/articles/revolution/05-linked.pdf").status, 500);
    assert_eq!(server.get("/articles/leaky/01-a.pdf").status, 500);
    let log = server
        .log_once(|log| log.iter().filter(|l| l.contains("render-failed")).count() >= 2)
        .join("\n");
    assert!(log.contains("leads outside the series folder"), "{log}");
    assert!(log.contains("series.toml leads outside"), "{log}");
    // The others are unaffected.
    assert_eq!(
        server.get("/articles/revolution/01-kronstadt.pdf").status,
        200
    );
}

#[test]
fn disk_cache_survives_a_restart() {
    let site = Site::new();
    let cache = site.dir.path().join("pdf-cache");
    let cache_arg = cache.to_str().expect("utf-8 path");
    let path = "/articles/revolution/02-petrograd.pdf";
    let first = {
        let server = Server::start(&site.root(), &["--disk-cache", cache_arg]);
        server.get(path)
    };
    assert_is_pdf_of(&first, "Petrograd in Spring");
    let stored: Vec<PathBuf> = std::fs::read_dir(&cache)
        .expect("cache folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    assert_eq!(stored.len(), 1, "{stored:?}");
    // The PDF, then its length and hash (checked when it is read back).
    let file = std::fs::read(&stored[0]).expect("cached PDF");
    assert!(file.starts_with(&first.body));
    assert_eq!(file.len(), first.body.len() + 40);

    let server = Server::start(&site.root(), &["--disk-cache", cache_arg]);
    let second = server.get(path);
    assert_eq!(second.body, first.body);
    let log = server.log_once(|log| log.iter().any(|l| l.starts_with("method=")));
    assert!(
        log.iter().any(
            |l| l.contains("path=\"/articles/revolution/02-petrograd.pdf\"")
                && l.contains("cache=disk")
        ),
        "{log:?}"
    );
}

#[test]
fn health_metrics_and_one_log_line_per_request() {
    let site = Site::new();
    site.settle();
    let server = Server::start(&site.root(), &[]);
    let health = server.get("/healthz");
    assert_eq!((health.status, health.body.as_slice()), (200, &b"ok\n"[..]));
    server.get("/articles/revolution/01-kronstadt.pdf");
    server.get("/articles/revolution/01-kronstadt.pdf");
    server.get("/articles/revolution/nothing.pdf");
    let metrics = server.get("/metrics");
    assert_eq!(metrics.status, 200);
    let text = String::from_utf8_lossy(&metrics.body).into_owned();
    for expected in [
        "iskra_http_requests_total{status=\"200\"} 3",
        "iskra_http_requests_total{status=\"404\"} 1",
        "iskra_cache_hits_total{tier=\"memory\"} 1",
        "iskra_cache_misses_total 1",
        "iskra_render_duration_seconds_count 1",
        "iskra_render_duration_seconds_bucket{le=\"+Inf\"} 1",
        "iskra_render_queue_depth 0",
        "iskra_renders_running 0",
    ] {
        assert!(text.lines().any(|l| l == expected), "{expected}:\n{text}");
    }
    let requests: Vec<String> = server
        .log_once(|log| log.iter().filter(|l| l.starts_with("method=")).count() >= 5)
        .into_iter()
        .filter(|l| l.starts_with("method="))
        .collect();
    assert_eq!(requests.len(), 5, "{requests:?}");
    let first = &requests[1];
    for field in [
        "method=GET",
        "path=\"/articles/revolution/01-kronstadt.pdf\"",
        "status=200",
        "cache=miss",
        " ms=",
    ] {
        assert!(first.contains(field), "{field} in {first}");
    }
    assert!(requests[2].contains("cache=hit"), "{}", requests[2]);
    assert!(!first.contains("bytes=0"), "{first}");
}

#[test]
fn sigterm_lets_the_request_in_flight_finish() {
    let site = Site::new();
    site.write(
        "site/revolution/long.md",
        &long_article("Finished before the stop"),
    );
    let server = Server::start(&site.root(), &[]);
    let addr = server.addr;
    let in_flight =
        std::thread::spawn(move || request(addr, "GET", "/articles/revolution/long.pdf", &[]));
    // Wait until the render has started, as the metrics show.
    let started = Instant::now();
    loop {
        let metrics = String::from_utf8_lossy(&server.get("/metrics").body).into_owned();
        if metrics.lines().any(|l| l == "iskra_renders_running 1") {
            break;
        }
        assert!(started.elapsed() < HANG_GUARD, "the render never started");
        std::thread::sleep(Duration::from_millis(5));
    }
    let status = server.terminate();
    assert!(status.success(), "{status:?}");
    let reply = in_flight.join().expect("request thread");
    assert_is_pdf_of(&reply, "Finished before the stop");
}

#[test]
fn a_client_slow_to_send_its_headers_is_cut_off() {
    let site = Site::new();
    let server = Server::start(&site.root(), &["--header-timeout", "1"]);
    let mut slow = TcpStream::connect(server.addr).expect("connect");
    slow.set_read_timeout(Some(HANG_GUARD)).expect("timeout");
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
        .expect("send half a head");
    let mut answer = Vec::new();
    // The server closes the connection (a 408 may come first); a read
    // timeout here would mean it waited for the rest forever.
    match slow.read_to_end(&mut answer) {
        Ok(_) => {}
        Err(e) => assert_eq!(
            e.kind(),
            std::io::ErrorKind::ConnectionReset,
            "the connection was not closed: {e}"
        ),
    }
    assert!(
        answer.is_empty() || answer.starts_with(b"HTTP/1.1 408"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    assert_eq!(server.get("/healthz").status, 200, "others are served");
}

#[test]
fn connections_over_the_limit_are_closed() {
    let site = Site::new();
    let server = Server::start(&site.root(), &["--max-connections", "2"]);
    let first = TcpStream::connect(server.addr).expect("connect");
    let second = TcpStream::connect(server.addr).expect("connect");
    // Both are held open; the third is closed without an answer.
    let mut third = TcpStream::connect(server.addr).expect("connect");
    third.set_read_timeout(Some(HANG_GUARD)).expect("timeout");
    let _ = third.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    let mut answer = Vec::new();
    let _ = third.read_to_end(&mut answer);
    assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
    // Closing one frees its place.
    drop(first);
    let started = Instant::now();
    loop {
        let mut stream = TcpStream::connect(server.addr).expect("connect");
        stream.set_read_timeout(Some(HANG_GUARD)).expect("timeout");
        let _ = stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        if raw.starts_with(b"HTTP/1.1 200") {
            break;
        }
        assert!(started.elapsed() < HANG_GUARD, "the place never came free");
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(second);
}

#[test]
fn prerender_sets_every_article_before_it_is_asked_for_and_again_after_an_edit() {
    let site = Site::new();
    // Long articles set one after another keep the first scan busy for
    // far longer than the first request takes to arrive.
    for n in 3..=5 {
        site.write(
            &format!("site/revolution/0{n}-long.md"),
            &long_article(&format!("A Long Night {n}")),
        );
    }
    site.settle();
    let server = Server::start(
        &site.root(),
        &["--prerender", "--rescan", "1", "--workers", "1"],
    );
    let warming = server.get("/readyz");
    assert_eq!(
        (warming.status, warming.body.as_slice()),
        (503, &b"warming\n"[..])
    );
    let started = Instant::now();
    while server.get("/readyz").status != 200 {
        assert!(started.elapsed() < HANG_GUARD, "never ready");
        std::thread::sleep(Duration::from_millis(10));
    }
    // The series' five articles, and nothing outside the folder.
    assert_eq!(metric(&server, "iskra_prerendered_total"), Some(5.0));
    assert_eq!(
        metric(&server, "iskra_render_duration_seconds_count"),
        Some(5.0)
    );
    let first = server.get("/articles/revolution/01-kronstadt.pdf");
    assert_is_pdf_of(&first, "The Kronstadt Question");
    assert_eq!(metric(&server, "iskra_cache_misses_total"), Some(0.0));
    // The log is written off the request path, a little after the fact.
    let scanned = |l: &String| l.starts_with("event=prerendered articles=5 rendered=5 failed=0");
    let log = server.log_once(|log| log.iter().any(scanned));
    assert!(log.iter().any(scanned), "{log:?}");

    site.write(
        "site/revolution/01-kronstadt.md",
        &article(
            "Kronstadt, Revised",
            "The sailors' programme, point by point.",
        ),
    );
    // Two whole scans after the edit: the first sets the article again (a
    // second does, should the first have begun within the clock slack of
    // the write and so not be trusted).
    let scans = metric(&server, "iskra_prerender_scans_total").expect("scans");
    wait_for_metric(&server, "iskra_prerender_scans_total", scans + 2.0);
    let renders = metric(&server, "iskra_render_duration_seconds_count").expect("renders");
    assert!((6.0..=7.0).contains(&renders), "{renders} renders");
    let edited = server.get("/articles/revolution/01-kronstadt.pdf");
    assert_is_pdf_of(&edited, "Kronstadt, Revised");
    assert_eq!(metric(&server, "iskra_cache_misses_total"), Some(0.0));
}

#[test]
fn without_prerender_the_service_is_ready_at_once() {
    let site = Site::new();
    let server = Server::start(&site.root(), &[]);
    let ready = server.get("/readyz");
    assert_eq!(
        (ready.status, ready.body.as_slice()),
        (200, &b"ready\n"[..])
    );
    assert_eq!(
        metric(&server, "iskra_render_duration_seconds_count"),
        Some(0.0)
    );
}
