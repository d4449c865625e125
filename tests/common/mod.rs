//! What the service's end-to-end tests share: a server started on a
//! loopback port, plain HTTP/1.1 requests over a socket, and a
//! hand-written articles folder.

#![allow(dead_code)] // each test binary uses its own share

pub mod text;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Far beyond what any request here should take.
pub const HANG_GUARD: Duration = Duration::from_secs(60);

pub const SECRET: &str = "TOP SECRET: this file lies outside the articles folder";

/// A running server and the lines it has logged.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
    pub log: Arc<Mutex<Vec<String>>>,
    /// A standard output left unread, held open.
    stalled: Option<BufReader<std::process::ChildStdout>>,
}

/// What the test does with the server's standard output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stdout {
    /// Reads every line into the log.
    Read,
    /// Reads the first line (where it listens), then never again, with
    /// the pipe kept open: a log reader that stalls.
    Stall,
    /// Reads the first line, then closes the pipe: a reader that left.
    Close,
}

impl Server {
    pub fn start(articles: &Path, extra: &[&str]) -> Server {
        Server::start_with(articles, extra, Stdout::Read)
    }

    pub fn start_with(articles: &Path, extra: &[&str], mode: Stdout) -> Server {
        // A render that starts within the server's clock slack (20 ms) of a
        // file's change is not remembered, as it may have read the file
        // half written: let the files just written settle, so that tests
        // counting renders see the cache.
        std::thread::sleep(Duration::from_millis(100));
        let mut child = Command::new(env!("CARGO_BIN_EXE_iskra"))
            .arg("serve")
            .arg("--articles")
            .arg(articles)
            .args(["--addr", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start iskra serve");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (addr_tx, addr_rx) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        let lines = Arc::clone(&log);
        let mut stalled = None;
        if mode != Stdout::Read {
            let mut reader = BufReader::new(stdout);
            let mut first = String::new();
            reader.read_line(&mut first).expect("the first line");
            let addr = listening_addr(&first).expect("the server says where it listens");
            lines
                .lock()
                .expect("log")
                .push(first.trim_end().to_string());
            if mode == Stdout::Stall {
                stalled = Some(reader);
            }
            return Server::with_stderr(child, addr, log, stalled);
        }
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(addr) = listening_addr(&line) {
                    let _ = addr_tx.send(addr);
                }
                lines.lock().expect("log").push(line);
            }
        });
        let addr = addr_rx
            .recv_timeout(HANG_GUARD)
            .expect("the server says where it listens");
        Server::with_stderr(child, addr, log, stalled)
    }

    /// The server, its standard error read into the log.
    fn with_stderr(
        mut child: Child,
        addr: SocketAddr,
        log: Arc<Mutex<Vec<String>>>,
        stalled: Option<BufReader<std::process::ChildStdout>>,
    ) -> Server {
        let stderr = child.stderr.take().expect("stderr");
        let lines = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                lines.lock().expect("log").push(format!("stderr: {line}"));
            }
        });
        Server {
            child,
            addr,
            log,
            stalled,
        }
    }

    pub fn get(&self, target: &str) -> Reply {
        self.request("GET", target, &[])
    }

    pub fn request(&self, method: &str, target: &str, headers: &[(&str, &str)]) -> Reply {
        request(self.addr, method, target, headers)
    }

    pub fn log(&self) -> Vec<String> {
        self.log.lock().expect("log").clone()
    }

    /// The log once `done` holds for it (lines are written just after
    /// their response is sent).
    pub fn log_once(&self, done: impl Fn(&[String]) -> bool) -> Vec<String> {
        let started = Instant::now();
        loop {
            let log = self.log();
            if done(&log) || started.elapsed() > HANG_GUARD {
                return log;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Asks the server to stop (SIGTERM) and waits for it.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(started.elapsed() < HANG_GUARD, "the server did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The address in the server's `listening` line, logfmt or JSON.
fn listening_addr(line: &str) -> Option<SocketAddr> {
    let logfmt = line
        .strip_prefix("event=listening addr=")
        .and_then(|rest| rest.split_whitespace().next());
    let json = || {
        line.contains("\"event\":\"listening\"")
            .then(|| line.split("\"addr\":\"").nth(1)?.split('"').next())
            .flatten()
    };
    logfmt.or_else(json)?.parse().ok()
}

/// A response, as read off the socket.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one request (`target` exactly as given) and reads the response.
pub fn request(addr: SocketAddr, method: &str, target: &str, headers: &[(&str, &str)]) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(HANG_GUARD)).expect("timeout");
    let mut head =
        format!("{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    parse_reply(&raw)
}

pub fn parse_reply(raw: &[u8]) -> Reply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&raw[..split]);
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// A temp folder with `site/` (the articles folder) and a secret beside it.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn new() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let site = Site { dir };
        site.write(
            "site/revolution/series.toml",
            "title = \"Revolution\"\npublisher = \"Test Press\"\n",
        );
        site.write(
            "site/revolution/01-kronstadt.md",
            &article(
                "The Kronstadt Question",
                "Sailors debated the soviet elections.",
            ),
        );
        site.write(
            "site/revolution/02-petrograd.md",
            &article("Petrograd in Spring", "Factory committees met every week."),
        );
        site.write("secret.md", &article("Secret", SECRET));
        site.write("other/03-elsewhere.md", &article("Elsewhere", SECRET));
        site
    }

    /// Lets the files age past the server's clock slack: a file changed
    /// within a few milliseconds of a render is not trusted to be the one
    /// rendered, and its PDF is not cached.
    pub fn settle(&self) {
        std::thread::sleep(Duration::from_millis(60));
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    pub fn write(&self, path: &str, text: &str) {
        self.write_bytes(path, text.as_bytes());
    }

    pub fn write_bytes(&self, path: &str, bytes: &[u8]) {
        let target = self.dir.path().join(path);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("dirs");
        std::fs::write(target, bytes).expect("write fixture");
    }
}

pub fn article(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndate: 2017-04-11\n---\n\n{body}\n")
}

/// An article long enough that its render takes a while.
pub fn long_article(title: &str) -> String {
    article_of_sections(title, 120)
}

pub fn article_of_sections(title: &str, sections: usize) -> String {
    let paragraph = "The workers of the Putilov factory argued late into the night \
        about the war, the land and the bread ration, and what the soviet should demand. ";
    let body: Vec<String> = (0..sections)
        .map(|i| format!("{}\n\n## Section {i}\n", paragraph.repeat(4)))
        .collect();
    article(title, &body.join("\n"))
}

/// An article of `words` words no two of which are alike, fifty to a
/// paragraph and a subhead every four paragraphs: each word is shaped,
/// hyphenated and measured afresh (no cache of words can spare any of
/// it), so that its render costs about the same per word in any build,
/// unlike an article that says one paragraph over and over. Words are
/// numbers written in syllables: "badebababa", "fidebababa", ...
pub fn article_of_distinct_words(title: &str, words: usize) -> String {
    const SYLLABLES: [&str; 20] = [
        "ba", "de", "fi", "go", "ku", "la", "me", "ni", "po", "ru", "sa", "te", "vi", "zo", "ka",
        "le", "mi", "no", "pu", "ri",
    ];
    assert!(
        words <= 20usize.pow(5),
        "five syllables name 3.2 million words"
    );
    let word = |mut n: usize| {
        let mut w = String::with_capacity(10);
        for _ in 0..5 {
            w.push_str(SYLLABLES[n % 20]);
            n /= 20;
        }
        w
    };
    let mut body = String::with_capacity(words * 11 + words / 10);
    for (p, start) in (0..words).step_by(50).enumerate() {
        for n in start..(start + 50).min(words) {
            body.push_str(&word(n));
            body.push(if n + 1 == (start + 50).min(words) {
                '.'
            } else {
                ' '
            });
        }
        body.push_str("\n\n");
        if p % 4 == 3 {
            body.push_str(&format!("## Section {}\n\n", p / 4));
        }
    }
    article(title, &body)
}

pub fn assert_is_pdf_of(reply: &Reply, title: &str) {
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.header("content-type"), Some("application/pdf"));
    let body = &reply.body;
    assert!(body.starts_with(b"%PDF-"), "a PDF header");
    let end = String::from_utf8_lossy(&body[body.len().saturating_sub(32)..]).into_owned();
    assert!(end.trim_end().ends_with("%%EOF"), "a PDF trailer: {end:?}");
    // The XMP metadata is written uncompressed; it carries the title.
    let text = String::from_utf8_lossy(body);
    assert!(
        text.contains(&format!("<rdf:li xml:lang=\"x-default\">{title}</rdf:li>"))
            || text.contains(title),
        "the PDF's metadata names {title:?}"
    );
    assert_eq!(
        reply.header("content-length"),
        Some(body.len().to_string().as_str())
    );
}

/// The text of a PDF by pdftotext, when poppler is installed.
pub fn pdf_text(bytes: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().ok()?;
    let file = dir.path().join("a.pdf");
    std::fs::write(&file, bytes).ok()?;
    let output = Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The value of a metric line `name value` in the `/metrics` text.
pub fn metric(server: &Server, name: &str) -> Option<f64> {
    let text = String::from_utf8_lossy(&server.get("/metrics").body).into_owned();
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

/// Polls `/metrics` until `name` reaches `at_least` (or the hang guard).
pub fn wait_for_metric(server: &Server, name: &str, at_least: f64) -> f64 {
    let started = Instant::now();
    loop {
        let value = metric(server, name).unwrap_or(0.0);
        if value >= at_least || started.elapsed() > HANG_GUARD {
            return value;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A small PNG of one colour.
pub fn png(colour: [u8; 3]) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_pixel(40, 30, image::Rgb(colour))
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .expect("encode png");
    bytes
}

/// The series folder `dir` parsed and laid out in the built-in fonts, as a
/// build would: the page model the layout tests look at.
pub fn lay_out_series(dir: &Path) -> iskra::page::Document {
    use iskra::parse::{ParseOptions, parse_series};
    let (series, diags) = parse_series(dir, &ParseOptions::default());
    let series =
        series.unwrap_or_else(|| panic!("fixture parses: {:?}", diags.iter().collect::<Vec<_>>()));
    let style = iskra::style::Style::resolve(&series.print).expect("style");
    let fonts = iskra::layout::fonts::FontSet::builtin();
    let (doc, diags) = iskra::layout::layout_series(&series, &style, &fonts);
    assert!(!diags.has_errors());
    doc
}
