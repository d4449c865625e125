//! `iskra serve`: the site's "Download PDF" service.
//!
//! `GET /articles/{series}/{slug}.pdf` answers with the article's PDF, set
//! by the same engine as the print edition; `HEAD` too. `GET /healthz` says
//! the process is up, `GET /readyz` that it should be given readers (with
//! `--prerender`, once its cache is warm); `GET /metrics` gives Prometheus
//! metrics.
//!
//! - [`resolve`] turns the URL into an article file, or 404;
//! - [`cache`] keys PDFs by a hash of everything they depend on and keeps
//!   them in memory (bounded in bytes) and optionally on disk;
//! - [`pool`] runs renders on a few workers behind a bounded queue (503
//!   when it is full); concurrent requests for one article share a render;
//! - [`job`] produces one article's PDF on a worker;
//! - [`sources`] keeps articles as parsed, checked against their files'
//!   bytes at each render;
//! - [`listen`] accepts connections with header-read and idle timeouts and
//!   shuts down gracefully;
//! - [`metrics`] counts requests, cache hits and misses, render times;
//! - [`prerender`] sets articles' PDFs before they are asked for.

pub mod cache;
pub mod fonts;
pub mod job;
pub mod listen;
pub mod log;
pub mod metrics;
pub mod pool;
pub mod prerender;
pub mod resolve;
pub mod sources;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use clap::Args;
use thiserror::Error;
use tokio::sync::watch;

use cache::{DiskCache, Key, MemoOutcome, Pdf};
use job::{Failure, Produced, Renderer};
use metrics::{Gauges, Metrics, Tier};
use pool::{Place, Pool};
use resolve::ArticleRoot;

/// Articles whose sources are remembered (about 1 KB each); beyond this
/// the least used are forgotten and cost a parse on their next request.
const MAX_MEMOS: usize = 100_000;

/// Longest request target (path and query) accepted; longer gets 414.
pub const MAX_URL_BYTES: usize = 2048;

/// The settings of `iskra serve`.
#[derive(Clone, Debug, Args)]
pub struct ServeArgs {
    /// Folder of series folders (like articles/): /articles/{series}/{slug}.pdf
    /// is {series}/{slug}.md under it
    #[arg(long, value_name = "DIR")]
    pub articles: PathBuf,
    /// Address to listen on
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Memory cache size in MiB (PDFs plus bookkeeping)
    #[arg(long, value_name = "MIB", default_value_t = 256, value_parser = bounded(0, 1 << 20))]
    pub cache_mb: u64,
    /// Also keep PDFs in this folder (survives restarts; may be shared)
    #[arg(long, value_name = "DIR")]
    pub disk_cache: Option<PathBuf>,
    /// Renders run at once (default: the number of cores)
    #[arg(long, value_name = "N", value_parser = count(1, 1024))]
    pub workers: Option<usize>,
    /// Renders that may wait for a worker; more get 503 (on two cores,
    /// 512 renders of an article are about a second of work)
    #[arg(long, value_name = "N", default_value_t = 512, value_parser = count(0, 100_000))]
    pub queue: usize,
    /// Seconds a request waits for its render before a 503
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = seconds(1))]
    pub render_timeout: u64,
    /// Seconds a client has to send a request's headers (also the longest
    /// a kept-alive connection waits for its next request)
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = seconds(1))]
    pub header_timeout: u64,
    /// Seconds a connection may neither send nor receive a byte
    #[arg(long, value_name = "SECS", default_value_t = 60, value_parser = seconds(1))]
    pub idle_timeout: u64,
    /// Open connections at most; more are closed at once
    #[arg(long, value_name = "N", default_value_t = 1024, value_parser = count(1, 1_000_000))]
    pub max_connections: usize,
    /// Open connections from one client address at most; more are closed
    /// at once (0: no cap, for a reverse proxy that enforces its own)
    #[arg(long, value_name = "N", default_value_t = 256, value_parser = count(0, 1_000_000))]
    pub max_client_connections: usize,
    /// Seconds browsers and CDNs may reuse a PDF without asking again
    #[arg(long, value_name = "SECS", default_value_t = 300, value_parser = bounded(0, 31_536_000))]
    pub max_age: u64,
    /// Seconds to finish requests in flight after SIGTERM
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = seconds(0))]
    pub shutdown_grace: u64,
    /// Set every article's PDF before it is asked for: at start, then on
    /// each rescan; /readyz answers 200 once the first scan is done
    #[arg(long)]
    pub prerender: bool,
    /// Articles (the most recently changed) to parse and lay out before
    /// listening, for at most --render-timeout, so that the first requests
    /// find them parsed and their words shaped and hyphenated; no PDF is
    /// set (0: none; not with --prerender, which sets them all)
    #[arg(long, value_name = "N", default_value_t = 256, value_parser = count(0, MAX_MEMOS as u64))]
    pub warm: usize,
    /// Seconds between prerender scans for new or edited articles
    #[arg(long, value_name = "SECS", default_value_t = 60, value_parser = seconds(1))]
    pub rescan: u64,
    /// Log lines as logfmt (key=value) or JSON objects
    #[arg(long, value_name = "FORMAT", default_value = "logfmt")]
    pub log_format: log::LogFormat,
    /// Never look in the system's fonts, whatever series.toml says: every
    /// machine sets the same PDF (a character no other font has prints as
    /// a box, with a warning in the log)
    #[arg(long)]
    pub ignore_system_fonts: bool,
}

/// The longest time any option may name: a day. Far larger values
/// overflow the clock's arithmetic (and no timeout needs them).
pub const MAX_SECONDS: u64 = 86_400;

/// Seconds from `min` (a timeout of zero would refuse everything) to a
/// day, checked when the options are parsed.
pub fn seconds(min: u64) -> clap::builder::RangedU64ValueParser<u64> {
    bounded(min, MAX_SECONDS)
}

/// A number from `min` to `max`.
fn bounded(min: u64, max: u64) -> clap::builder::RangedU64ValueParser<u64> {
    clap::value_parser!(u64).range(min..=max)
}

/// A count from `min` to `max`.
fn count(min: u64, max: u64) -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::<usize>::new().range(min..=max)
}

/// Why the service could not start or stopped with an error.
#[derive(Debug, Error)]
pub enum ServeError {
    /// The articles folder is unusable.
    #[error("articles folder {0}: {1}")]
    Articles(PathBuf, std::io::Error),
    /// The disk cache folder cannot be created.
    #[error("disk cache {0}: {1}")]
    DiskCache(PathBuf, std::io::Error),
    /// The address cannot be listened on.
    #[error("cannot listen on {0}: {1}")]
    Listen(SocketAddr, std::io::Error),
    /// The async runtime could not start.
    #[error("cannot start the runtime: {0}")]
    Runtime(std::io::Error),
    /// Settings that contradict each other.
    #[error("{0}")]
    Settings(String),
}

/// Runs the service until SIGTERM or Ctrl-C, then finishes the requests in
/// flight (up to the grace period) and returns.
pub fn run(args: &ServeArgs) -> Result<(), ServeError> {
    if args.idle_timeout <= args.render_timeout {
        return Err(ServeError::Settings(format!(
            "--idle-timeout ({} s) must be longer than --render-timeout ({} s)",
            args.idle_timeout, args.render_timeout
        )));
    }
    let workers = args.workers.unwrap_or_else(cores).max(1);
    let log = log::start(args.log_format);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores())
        .max_blocking_threads(workers + 4)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let grace = Duration::from_secs(args.shutdown_grace);
    let served = runtime.block_on(async {
        let app = App::new(args, workers, log.stats.clone())?;
        let warmed = if args.prerender {
            Warmed::default()
        } else {
            warm(
                &app,
                args.warm,
                workers,
                Duration::from_secs(args.render_timeout),
            )
        };
        let (stopping, stop) = watch::channel(false);
        if args.prerender {
            let every = Duration::from_secs(args.rescan);
            tokio::spawn(prerender::keep_warm(Arc::clone(&app), every, stop));
        }
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(|e| ServeError::Listen(args.addr, e))?;
        let local = listener
            .local_addr()
            .map_err(|e| ServeError::Listen(args.addr, e))?;
        tracing::info!(
            event = "listening",
            addr = %local,
            workers,
            queue = args.queue,
            warmed = warmed.laid_out,
            parsed = warmed.parsed,
            words = warmed.words,
            warm_ms = log::millis(warmed.took),
        );
        let limits = listen::Limits {
            header_timeout: Duration::from_secs(args.header_timeout),
            idle_timeout: Duration::from_secs(args.idle_timeout),
            max_connections: args.max_connections.max(1),
            max_client_connections: args.max_client_connections,
            shutdown_grace: Duration::from_secs(args.shutdown_grace),
        };
        let stopped = listen::serve(listener, router(app), limits, stopping).await;
        tracing::info!(event = "stopped");
        Ok(stopped)
    });
    // A render still running (a prerender, or one whose client left) gets
    // what is left of the grace period, no more.
    let left = served.as_ref().map_or(Duration::ZERO, |stopped| {
        grace.saturating_sub(stopped.elapsed())
    });
    runtime.shutdown_timeout(left);
    drop(log);
    served.map(|_| ())
}

/// What preparing articles at start did (for the `listening` log line).
#[derive(Debug, Default)]
struct Warmed {
    /// Articles every worker laid out.
    laid_out: usize,
    /// Articles kept parsed.
    parsed: u64,
    /// Words a worker holds as finished items, at least.
    words: usize,
    /// How long it took.
    took: Duration,
}

/// Parses and lays out the `count` most recently changed articles on
/// `workers` threads (see [`job::Renderer::warm`]), before the service
/// listens, for at most `budget` (the render time limit: a folder of
/// pathological articles must not keep the service from starting for
/// long).
fn warm(app: &App, count: usize, workers: usize, budget: Duration) -> Warmed {
    let started = Instant::now();
    if count == 0 {
        return Warmed::default();
    }
    let paths = prerender::newest_articles(&app.renderer.root, count);
    let laid_out = app.renderer.warm(&paths, workers, started + budget);
    Warmed {
        laid_out,
        parsed: app.renderer.sources.len() as u64,
        words: app.renderer.caches.word_items(),
        took: started.elapsed(),
    }
}

/// The service's routes over the articles of `args`, neither listening
/// nor prerendering: the request handling alone, for driving it without a
/// socket (the fuzz target does).
pub fn service(args: &ServeArgs) -> Result<Router, ServeError> {
    let workers = args.workers.unwrap_or_else(cores).max(1);
    Ok(router(App::new(args, workers, log::LogStats::default())?))
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Why a request gets no PDF although its article exists.
#[derive(Clone, Copy, Debug, Error, PartialEq, Eq)]
enum Refusal {
    /// Workers and queue are full (503).
    #[error("too many PDFs are being set; try again shortly")]
    Full,
    /// The render took longer than the time limit (503; it goes on and
    /// its PDF is cached for the retry).
    #[error("the PDF is still being set; try again shortly")]
    TimedOut,
    /// The article cannot be set (500).
    #[error("this article cannot be set as a PDF")]
    Failed,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Full | Refusal::TimedOut => busy(self),
            Refusal::Failed => failed(),
        }
    }
}

/// The outcome of a render, as every request waiting for it sees it.
type Outcome = Option<Result<Produced, Failure>>;

/// A render of an article, as asked for.
enum Render {
    /// One was under way already; the receiver sees its outcome.
    Joined(watch::Receiver<Outcome>),
    /// A new one runs; the receiver sees its outcome.
    Started(watch::Receiver<Outcome>),
    /// None ran, and the pool had no place for one.
    NoPlace,
}

/// Everything the handlers share.
struct App {
    renderer: Arc<Renderer>,
    pool: Arc<Pool>,
    metrics: Arc<Metrics>,
    /// Renders under way, by article: later requests wait for the same one.
    in_flight: Mutex<HashMap<PathBuf, watch::Receiver<Outcome>>>,
    render_timeout: Duration,
    cache_control: HeaderValue,
    /// False while the first prerender scan runs (for `/readyz`).
    ready: AtomicBool,
    /// What the log has dropped.
    log: log::LogStats,
}

impl App {
    fn new(args: &ServeArgs, workers: usize, log: log::LogStats) -> Result<Arc<App>, ServeError> {
        let root = ArticleRoot::new(&args.articles)
            .map_err(|e| ServeError::Articles(args.articles.clone(), e))?;
        let disk = match &args.disk_cache {
            Some(dir) => {
                Some(DiskCache::new(dir).map_err(|e| ServeError::DiskCache(dir.clone(), e))?)
            }
            None => None,
        };
        let metrics = Arc::new(Metrics::new());
        let pdf = crate::pdf::PdfOptions::default();
        let evictions = cache::Evictions::default();
        let fonts = fonts::FontLibrary::new(!args.ignore_system_fonts);
        let caches = job::EngineCaches::prepared(workers, &fonts.builtin().set);
        let renderer = Renderer {
            engine: engine_identity(&pdf, disk.is_some()),
            root,
            fonts,
            memory: cache::memory_cache(args.cache_mb.saturating_mul(1 << 20), evictions.clone()),
            evictions,
            disk,
            memos: cache::MemoTable::new(MAX_MEMOS),
            pdf,
            metrics: Arc::clone(&metrics),
            render_limit: Duration::from_secs(args.render_timeout),
            caches,
            sources: sources::source_cache(sources::MAX_SOURCE_BYTES),
        };
        let cache_control = HeaderValue::from_str(&format!("public, max-age={}", args.max_age))
            .unwrap_or(HeaderValue::from_static("no-cache"));
        Ok(Arc::new(App {
            renderer: Arc::new(renderer),
            pool: Pool::new(workers, args.queue),
            metrics,
            in_flight: Mutex::new(HashMap::new()),
            render_timeout: Duration::from_secs(args.render_timeout),
            cache_control,
            ready: AtomicBool::new(!args.prerender),
            log,
        }))
    }

    /// The PDF of the article at `path`: from a render already under way,
    /// or from a new one if the pool has room.
    async fn produce(
        self: &Arc<Self>,
        path: PathBuf,
        known: Option<Key>,
    ) -> Result<Produced, Refusal> {
        let mut outcome = self.join_or_start(path, known)?;
        let waited =
            tokio::time::timeout(self.render_timeout, outcome.wait_for(Option::is_some)).await;
        match waited {
            Err(_) => {
                self.metrics.timed_out();
                Err(Refusal::TimedOut)
            }
            Ok(Err(_)) => Err(Refusal::Failed),
            Ok(Ok(seen)) => match seen.clone() {
                Some(Ok(produced)) => Ok(produced),
                Some(Err(_)) | None => Err(Refusal::Failed),
            },
        }
    }

    fn join_or_start(
        self: &Arc<Self>,
        path: PathBuf,
        known: Option<Key>,
    ) -> Result<watch::Receiver<Outcome>, Refusal> {
        let waiting = || self.pool.admit().map(Place::Waiting);
        match self.render_of(&path, known, waiting) {
            Render::Joined(outcome) | Render::Started(outcome) => Ok(outcome),
            Render::NoPlace => {
                self.metrics.rejected();
                Err(Refusal::Full)
            }
        }
    }

    /// The render of the article at `path` under way, or else a new one in
    /// the place `take` finds in the pool (requests for the article
    /// meanwhile wait for it).
    fn render_of(
        self: &Arc<Self>,
        path: &std::path::Path,
        known: Option<Key>,
        take: impl FnOnce() -> Option<Place>,
    ) -> Render {
        let mut in_flight = self
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(outcome) = in_flight.get(path)
            && outcome.has_changed().is_ok()
        {
            return Render::Joined(outcome.clone());
        }
        let Some(place) = take() else {
            return Render::NoPlace;
        };
        let (sender, receiver) = watch::channel(None);
        in_flight.insert(path.to_path_buf(), receiver.clone());
        tokio::spawn(Arc::clone(self).render(path.to_path_buf(), known, place, sender));
        Render::Started(receiver)
    }

    /// Runs one render to the end (even if its requests are gone, so that
    /// its PDF is cached) and publishes the outcome.
    async fn render(
        self: Arc<Self>,
        path: PathBuf,
        known: Option<Key>,
        place: Place,
        sender: watch::Sender<Outcome>,
    ) {
        let renderer = Arc::clone(&self.renderer);
        let article = path.clone();
        let result = Pool::run(place, move || renderer.produce(&article, known))
            .await
            .unwrap_or_else(|e| Err(format!("the render stopped: {e}").into()));
        sender.send_replace(Some(result));
        self.in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&path);
    }

    fn gauges(&self) -> Gauges {
        let as_u64 = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
        Gauges {
            queued: as_u64(self.pool.queued()),
            running: as_u64(self.pool.running()),
            cache_bytes: self.renderer.memory.weight(),
            cache_entries: as_u64(self.renderer.memory.len()),
            log_dropped: self.log.dropped(),
        }
    }
}

/// The engine and settings every key starts with: the version, the PDF
/// settings and `SOURCE_DATE_EPOCH`; with a disk cache, which outlives the
/// process, also a hash of the executable itself, so that a new build
/// never serves an old build's PDFs.
pub(crate) fn engine_identity(pdf: &crate::pdf::PdfOptions, persistent: bool) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(format!("{pdf:?}").as_bytes());
    hasher.update(
        std::env::var("SOURCE_DATE_EPOCH")
            .unwrap_or_default()
            .as_bytes(),
    );
    if persistent {
        match std::env::current_exe().and_then(std::fs::read) {
            Ok(binary) => {
                hasher.update(blake3::hash(&binary).as_bytes());
            }
            Err(e) => tracing::warn!(
                event = "warning",
                message = ?format!(
                    "cannot hash the executable ({e}); disk cache entries are keyed by version only"
                )
            ),
        }
    }
    hasher.finalize()
}

/// The service's routes, with URL-length checking and one log line per
/// request around them.
fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/articles/{series}/{file}", get(article))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .fallback(not_found_handler)
        .layer(middleware::from_fn(limit_url))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&app),
            log_request,
        ))
        .with_state(app)
}

/// What the cache did for a request, for the log line.
#[derive(Clone, Copy, Debug)]
struct CacheNote(&'static str);

fn noted(mut response: Response, note: &'static str) -> Response {
    response.extensions_mut().insert(CacheNote(note));
    response
}

/// `GET` and `HEAD /articles/{series}/{slug}.pdf`.
async fn article(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    names: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let Ok(Path((series, file))) = names else {
        return not_found();
    };
    let Ok(path) = app.renderer.root.article(&series, &file) else {
        return not_found();
    };
    let name = download_name(&series, &file);
    let mut known = None;
    if let Some(memo) = app.renderer.memos.get(&path).filter(|m| m.is_current()) {
        match &memo.outcome {
            MemoOutcome::Failed { .. } => return noted(failed(), "failed"),
            MemoOutcome::Pdf { key, etag } => {
                if matches_etag(&headers, etag) {
                    app.metrics.hit(Tier::NotModified);
                    return noted(not_modified(etag, &app.cache_control), "hit");
                }
                if let Some(pdf) = app.renderer.memory.get(key) {
                    app.metrics.hit(Tier::Memory);
                    return noted(pdf_response(&pdf, &app.cache_control, &name), "hit");
                }
                known = Some(*key);
            }
        }
    }
    let produced = match app.produce(path, known).await {
        Ok(produced) => produced,
        Err(refusal) => return noted(refusal.into_response(), "miss"),
    };
    let note = match produced.tier {
        Some(tier) => {
            app.metrics.hit(tier);
            log_name(tier)
        }
        None => {
            app.metrics.miss();
            "miss"
        }
    };
    let response = if matches_etag(&headers, &produced.pdf.etag) {
        not_modified(&produced.pdf.etag, &app.cache_control)
    } else {
        pdf_response(&produced.pdf, &app.cache_control, &name)
    };
    noted(response, note)
}

/// The log's word for a cache tier: `hit` for memory, `disk` for disk.
fn log_name(tier: Tier) -> &'static str {
    match tier {
        Tier::Memory | Tier::NotModified => "hit",
        Tier::Disk => "disk",
    }
}

/// `{series}-{slug}.pdf`: both names were checked to be `[A-Za-z0-9._-]`,
/// so the name needs no quoting beyond the quotes.
fn download_name(series: &str, file: &str) -> String {
    format!("{series}-{file}")
}

fn pdf_response(pdf: &Pdf, cache_control: &HeaderValue, name: &str) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            ),
            (header::ETAG, pdf.etag.clone()),
            (header::CACHE_CONTROL, cache_control.clone()),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        pdf.bytes.clone(),
    )
        .into_response()
}

fn not_modified(etag: &HeaderValue, cache_control: &HeaderValue) -> Response {
    (
        StatusCode::NOT_MODIFIED,
        [
            (header::ETAG, etag.clone()),
            (header::CACHE_CONTROL, cache_control.clone()),
        ],
    )
        .into_response()
}

/// True when `If-None-Match` lists `etag` (weak comparison, as RFC 9110
/// asks for this header) or is `*`.
fn matches_etag(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let ours = etag.as_bytes();
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag).as_bytes() == ours)
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        text,
    )
        .into_response()
}

fn not_found() -> Response {
    plain(StatusCode::NOT_FOUND, "not found\n")
}

async fn not_found_handler() -> Response {
    not_found()
}

fn failed() -> Response {
    plain(
        StatusCode::INTERNAL_SERVER_ERROR,
        "this article cannot be set as a PDF\n",
    )
}

/// 503 with `Retry-After`.
fn busy(why: Refusal) -> Response {
    let mut response = (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        format!("{why}\n"),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
    response
}

async fn healthz() -> Response {
    plain(StatusCode::OK, "ok\n")
}

/// 200 once the service should be given readers: at once, or with
/// `--prerender` when the first scan is done (503 until then), so that a
/// load balancer sends no one to an instance still warming its cache.
async fn readyz(State(app): State<Arc<App>>) -> Response {
    if app.ready.load(Ordering::Acquire) {
        plain(StatusCode::OK, "ready\n")
    } else {
        plain(StatusCode::SERVICE_UNAVAILABLE, "warming\n")
    }
}

async fn metrics_text(State(app): State<Arc<App>>) -> Response {
    let text = app.metrics.render_text(app.gauges());
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/openmetrics-text; version=1.0.0; charset=utf-8",
                ),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        text,
    )
        .into_response()
}

/// 414 for a request target longer than [`MAX_URL_BYTES`].
async fn limit_url(request: Request, next: Next) -> Response {
    let length = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if length > MAX_URL_BYTES {
        return plain(StatusCode::URI_TOO_LONG, "URL too long\n");
    }
    next.run(request).await
}

/// Longest path written to the log.
const LOGGED_PATH: usize = 200;

/// One line per request on standard output, in logfmt: method, path,
/// status, body bytes, what the cache did, milliseconds.
async fn log_request(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().clone();
    // The URI's parts are shared, not copied: cloning it costs no allocation.
    let uri = request.uri().clone();
    let response = next.run(request).await;
    let status = response.status();
    let bytes = if method == Method::HEAD {
        0
    } else {
        body_length(response.body())
    };
    let cache = response
        .extensions()
        .get::<CacheNote>()
        .map_or("-", |n| n.0);
    app.metrics.request(status.as_u16());
    tracing::info!(
        method = %method,
        path = ?logged_path(uri.path()),
        status = status.as_u16(),
        bytes,
        cache,
        ms = log::millis(start.elapsed()),
    );
    response
}

/// The first [`LOGGED_PATH`] characters of `path`.
fn logged_path(path: &str) -> &str {
    path.char_indices()
        .nth(LOGGED_PATH)
        .map_or(path, |(end, _)| &path[..end])
}

fn body_length(body: &Body) -> u64 {
    use axum::body::HttpBody;
    body.size_hint().exact().unwrap_or(0)
}
