//! The live preview of `iskra watch --preview`: a local web page that
//! shows the book's pages as pictures drawn by Iskra's own raster backend
//! ([`crate::raster`]), updated in place after every rebuild.
//!
//! After each build the watcher hands over the laid-out book; every page
//! gets a fingerprint ([`crate::fingerprint`]) and the page learns the
//! list over server-sent events. It asks again only for the pictures whose
//! fingerprint changed (`/page/{index}/{fingerprint}.png`, drawn when first
//! asked for and kept while the page is unchanged), and scrolls to the
//! first of them. A failed build sends its diagnostics, shown over the
//! pages with their `file:line:col`; the last good pages stay below.
//!
//! The server runs on its own thread with a small tokio runtime and binds
//! where it is told: loopback unless the user says otherwise.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use serde::Serialize;
use tokio::sync::watch;

use crate::diag::{Diagnostics, Severity};
use crate::page::Document;

/// Picture pixels per point of the page: twice the page's size in CSS
/// pixels, sharp on high-density screens.
const PIXELS_PER_POINT: f32 = 2.0;

/// The page the browser loads.
const PAGE: &str = include_str!("page.html");

/// A running preview server.
pub struct Preview {
    address: SocketAddr,
    shared: Arc<Shared>,
}

/// What the server's handlers share with the watcher.
struct Shared {
    /// The latest state, and a signal to every open event stream.
    state: watch::Sender<Arc<Snapshot>>,
    /// Pictures drawn, by page fingerprint.
    pictures: Mutex<HashMap<String, Bytes>>,
}

/// What the page shows: the last good book, and the last build's errors.
#[derive(Default)]
struct Snapshot {
    /// Counts the states sent, from 1.
    version: u64,
    /// The book the pictures are drawn from.
    book: Option<Arc<Document>>,
    /// What the browser is told.
    view: View,
}

/// The state as the browser receives it (JSON).
#[derive(Clone, Default, Serialize)]
struct View {
    version: u64,
    title: String,
    pages: Vec<PageView>,
    errors: Vec<Problem>,
    warnings: Vec<Problem>,
}

/// One page: its fingerprint, printed number and size in points.
#[derive(Clone, Serialize)]
struct PageView {
    id: String,
    label: String,
    width: f32,
    height: f32,
}

/// A diagnostic, with its place in parts for the overlay.
#[derive(Clone, Serialize)]
struct Problem {
    file: Option<String>,
    line: u32,
    col: u32,
    message: String,
    /// As a build prints it: `file:line:col: error: message` and hints.
    text: String,
}

impl Preview {
    /// Binds `addr` and serves the preview from a thread of its own.
    pub fn start(addr: SocketAddr) -> std::io::Result<Preview> {
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let (state, _) = watch::channel(Arc::new(Snapshot::default()));
        let shared = Arc::new(Shared {
            state,
            pictures: Mutex::new(HashMap::new()),
        });
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .max_blocking_threads(2)
            .enable_all()
            .thread_name("iskra-preview")
            .build()?;
        let app = router(Arc::clone(&shared));
        std::thread::Builder::new()
            .name("iskra-preview".into())
            .spawn(move || {
                runtime.block_on(async move {
                    match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => {
                            if let Err(e) = axum::serve(listener, app).await {
                                eprintln!("error: the preview stopped: {e}");
                            }
                        }
                        Err(e) => eprintln!("error: the preview cannot listen: {e}"),
                    }
                });
            })?;
        Ok(Preview { address, shared })
    }

    /// Where the preview listens.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Shows a newly built book, with the build's warnings.
    pub fn show_book(&self, book: Arc<Document>, warnings: &Diagnostics) {
        let pages: Vec<PageView> = crate::fingerprint::pages(&book)
            .iter()
            .zip(&book.pages)
            .map(|(hash, page)| PageView {
                id: hash.to_hex()[..20].to_string(),
                label: page.label.to_string(),
                width: page.size.width.0,
                height: page.size.height.0,
            })
            .collect();
        // Pictures of pages that are gone will not be asked for again.
        self.shared
            .pictures()
            .retain(|id, _| pages.iter().any(|p| &p.id == id));
        let title = book.meta.title.clone();
        self.publish(|version| Snapshot {
            version,
            book: Some(book),
            view: View {
                version,
                title,
                pages,
                errors: Vec::new(),
                warnings: problems(warnings, Severity::Warning),
            },
        });
    }

    /// Shows a failed build's diagnostics over the last good pages.
    pub fn show_errors(&self, diags: &Diagnostics) {
        let last = self.shared.state.borrow().clone();
        self.publish(|version| Snapshot {
            version,
            book: last.book.clone(),
            view: View {
                version,
                errors: problems(diags, Severity::Error),
                warnings: problems(diags, Severity::Warning),
                ..last.view.clone()
            },
        });
    }

    fn publish(&self, make: impl FnOnce(u64) -> Snapshot) {
        let version = self.shared.state.borrow().version + 1;
        self.shared.state.send_replace(Arc::new(make(version)));
    }
}

impl Shared {
    fn pictures(&self) -> std::sync::MutexGuard<'_, HashMap<String, Bytes>> {
        self.pictures.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The diagnostics of one severity, sorted as a build prints them.
fn problems(diags: &Diagnostics, severity: Severity) -> Vec<Problem> {
    let mut sorted = diags.clone();
    sorted.sort();
    sorted
        .iter()
        .filter(|d| d.severity == severity)
        .map(|d| Problem {
            file: d.file.as_ref().map(|f| f.display().to_string()),
            line: d.span.line,
            col: d.span.col.max(1),
            message: d.message.clone(),
            text: d.to_string(),
        })
        .collect()
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(|| async { Html(PAGE) }))
        .route("/events", get(events))
        .route("/state", get(state))
        .route("/page/{index}/{file}", get(picture))
        .with_state(shared)
}

/// The state now, as JSON (for scripts and tests).
async fn state(State(shared): State<Arc<Shared>>) -> Response {
    let view = shared.state.borrow().view.clone();
    (
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_string(&view).unwrap_or_default(),
    )
        .into_response()
}

/// Server-sent events: the state now, then each new one.
async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut receiver = shared.state.subscribe();
    receiver.mark_changed();
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.changed().await.ok()?;
        let view = receiver.borrow_and_update().view.clone();
        let event = Event::default()
            .event("update")
            .data(serde_json::to_string(&view).unwrap_or_default());
        Some((Ok(event), receiver))
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// The picture of page `index` whose fingerprint is `{id}.png`, drawn if
/// needed; 404 when the book has moved on.
async fn picture(
    State(shared): State<Arc<Shared>>,
    Path((index, file)): Path<(usize, String)>,
) -> Response {
    let Some(id) = file.strip_suffix(".png").map(str::to_string) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if let Some(png) = shared.pictures().get(&id).cloned() {
        return png_response(png);
    }
    let snapshot = shared.state.borrow().clone();
    let current = snapshot.view.pages.get(index).is_some_and(|p| p.id == id);
    let Some(book) = snapshot.book.clone().filter(|_| current) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let drawn = tokio::task::spawn_blocking(move || draw(&book, index)).await;
    match drawn {
        Ok(Ok(png)) => {
            shared.pictures().insert(id, png.clone());
            png_response(png)
        }
        Ok(Err(message)) => (StatusCode::INTERNAL_SERVER_ERROR, message).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

fn png_response(png: Bytes) -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/png"),
            // The name holds the fingerprint: the picture never changes.
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        png,
    )
        .into_response()
}

/// Page `index` of `book` as a PNG.
fn draw(book: &Document, index: usize) -> Result<Bytes, String> {
    let width = book.pages.get(index).map_or(1, |p| {
        (p.size.width.0 * PIXELS_PER_POINT).round().max(1.0) as u32
    });
    let picture = crate::raster::render_page(book, index, width).map_err(|e| e.to_string())?;
    let mut png = Vec::new();
    let encoder = image::codecs::png::PngEncoder::new_with_quality(
        &mut png,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Adaptive,
    );
    picture
        .write_with_encoder(encoder)
        .map_err(|e| e.to_string())?;
    Ok(Bytes::from(png))
}
