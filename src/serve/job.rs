//! One article's PDF, produced on a pool worker: read the article and what
//! it names, compute its key, and take the PDF from a cache or render it;
//! then remember which files it came from.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use axum::body::Bytes;

use super::cache::{
    ArticleSources, Dependency, DiskCache, Evictions, Key, Memo, MemoOutcome, MemoTable,
    MemoryCache, Pdf,
};
use super::fonts::{Family, FontLibrary};
use super::metrics::{Metrics, Tier};
use super::resolve::ArticleRoot;
use super::sources::{Parsed, SourceCache};
use crate::layout::fonts::FontSet;
use crate::layout::{self, Caches};
use crate::pdf::{PdfOptions, SubsetCache};
use crate::render;

/// How long a failed article is left alone when none of its files
/// changes: the files it read and the images it looked for are watched, so
/// this only bounds how long an unforeseen failure (a read error) lasts.
const RETRY_FAILED_AFTER: Duration = Duration::from_secs(10);

/// Largest `series.toml` read, as the parser's limit.
const MAX_SERIES_FILE: u64 = 1 << 20;

/// What renders need, shared by every worker.
pub struct Renderer {
    /// The articles folder.
    pub root: ArticleRoot,
    /// Fonts, loaded once.
    pub fonts: FontLibrary,
    /// PDFs in memory.
    pub memory: MemoryCache,
    /// What the memory cache has had to drop.
    pub evictions: Evictions,
    /// PDFs on disk, if configured.
    pub disk: Option<DiskCache>,
    /// Which files each article's PDF came from.
    pub memos: MemoTable,
    /// The engine and its settings, the first field of every key.
    pub engine: blake3::Hash,
    /// How PDFs are written.
    pub pdf: PdfOptions,
    /// Counters.
    pub metrics: Arc<Metrics>,
    /// The longest a render may run before it is cancelled.
    pub render_limit: Duration,
    /// The caches of the workers not rendering now.
    pub caches: EngineCaches,
    /// Articles as parsed, checked against their files' bytes.
    pub sources: SourceCache,
}

/// Each worker's caches (the words it shaped and hyphenated, its faces'
/// preset subsets), kept from one render to the next: a render takes one,
/// or new ones, and gives it back when it ends, so there are never more
/// than workers. A render cancelled at its time limit drops its caches.
/// The workers' caches also draw on, and add to, one store of shaped and
/// hyphenated words, so that a word one worker met is not shaped again by
/// the other (in a burst of uncached articles, each worker would otherwise
/// shape the common words itself).
#[derive(Default)]
pub struct EngineCaches {
    idle: Mutex<Vec<WorkerCaches>>,
    shared: layout::Shared,
}

/// What one worker keeps from render to render; none of it changes a
/// PDF's bytes.
struct WorkerCaches {
    layout: Caches,
    subsets: SubsetCache,
}

impl EngineCaches {
    /// Caches for `workers` workers, each with the presets of `fonts`
    /// (the built-in family) made: a fresh server's first renders do not
    /// make them, nor wait for them.
    pub fn prepared(workers: usize, fonts: &FontSet) -> EngineCaches {
        let caches = EngineCaches::default();
        let files = fonts.files();
        for _ in 0..workers {
            let mut worker = caches.new_worker();
            worker.subsets.prepare(&files);
            caches.give_back(worker);
        }
        caches
    }

    /// The fewest words an idle worker holds as finished items (for the
    /// log).
    pub fn word_items(&self) -> usize {
        let idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        idle.iter()
            .map(|worker| worker.layout.word_items())
            .min()
            .unwrap_or(0)
    }

    fn new_worker(&self) -> WorkerCaches {
        WorkerCaches {
            layout: Caches::sharing(&self.shared),
            subsets: SubsetCache::default(),
        }
    }

    fn take(&self) -> WorkerCaches {
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        idle.unwrap_or_else(|| self.new_worker())
    }

    fn give_back(&self, caches: WorkerCaches) {
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(caches);
    }
}

/// A PDF and where it came from (`None`: rendered now).
#[derive(Clone, Debug)]
pub struct Produced {
    /// The PDF.
    pub pdf: Pdf,
    /// The cache it was found in, if any.
    pub tier: Option<Tier>,
}

/// Why no PDF could be produced (the message goes to the log).
pub type Failure = Arc<str>;

/// A failure, and whether trying again later without a change could help.
struct Fault {
    reason: Failure,
    /// False for a render cancelled at the time limit: it would only
    /// be cancelled again, holding a worker all the while.
    retry: bool,
}

impl<E: std::fmt::Display> From<E> for Fault {
    fn from(error: E) -> Fault {
        Fault {
            reason: error.to_string().into(),
            retry: true,
        }
    }
}

impl Renderer {
    /// The PDF of the article at `path` (a real path inside the root);
    /// `known` is the key of a current memo whose PDF was not in memory.
    /// Blocking: runs on a pool worker.
    pub fn produce(&self, path: &Path, known: Option<Key>) -> Result<Produced, Failure> {
        if let Some(key) = known
            && self.memo_still_gives(path, &key)
            && let Some(pdf) = self.on_disk(&key)
        {
            self.keep_in_memory(key, &pdf);
            return Ok(Produced {
                pdf,
                tier: Some(Tier::Disk),
            });
        }
        let start = SystemTime::now();
        let mut read = vec![path.to_path_buf()];
        let mut parsed = None;
        let result = self.produce_fresh(path, &mut read, &mut parsed);
        let deps: Vec<Dependency> = read.into_iter().map(Dependency::now).collect();
        let settled = settled_since(start, &deps);
        if settled {
            self.keep_parse(path, parsed);
        }
        match result {
            Ok((key, produced)) => {
                if settled {
                    self.remember(path, key, &produced.pdf, deps);
                }
                Ok(produced)
            }
            Err(Fault { reason, retry }) => {
                self.metrics.failed();
                tracing::warn!(
                    event = "render-failed",
                    path = ?path.display().to_string(),
                    reason = ?reason,
                );
                if settled {
                    self.forget_previous_pdf(path, None);
                    let outcome = MemoOutcome::Failed {
                        reason: Arc::clone(&reason),
                        until: retry.then(|| Instant::now() + RETRY_FAILED_AFTER),
                    };
                    self.memos
                        .insert(path.to_path_buf(), Arc::new(Memo { deps, outcome }));
                }
                Err(reason)
            }
        }
    }

    /// Reads everything, computes the key, and finds or renders the PDF;
    /// every file read or looked for is added to `read`, and a new parse
    /// is left in `parsed`. The render is cancelled past the time limit.
    fn produce_fresh(
        &self,
        path: &Path,
        read: &mut Vec<PathBuf>,
        parsed: &mut Option<Arc<Parsed>>,
    ) -> Result<(Key, Produced), Fault> {
        let inputs = self.inputs(path, read, parsed)?;
        let key = inputs.key;
        if let Some(pdf) = self.memory.get(&key) {
            return Ok((key, produced(pdf, Some(Tier::Memory))));
        }
        if let Some(pdf) = self.on_disk(&key) {
            return Ok((key, produced(pdf, Some(Tier::Disk))));
        }
        let began = Instant::now();
        let mut caches = self.caches.take();
        let series = &inputs.parsed.series;
        let fonts = inputs.fonts();
        let rendered = crate::cancel::within(self.render_limit, || {
            let WorkerCaches { layout, subsets } = &mut caches;
            let mut own = Caches::default();
            let layout = if inputs.own_words() { &mut own } else { layout };
            render::article_pdf_with_subsets(series, fonts, &self.pdf, layout, subsets)
        });
        let (bytes, warnings) = match rendered {
            Ok(rendered) => {
                self.caches.give_back(caches);
                rendered?
            }
            Err(cancelled) => {
                self.metrics.cancelled();
                return Err(Fault {
                    reason: format!("the render was {cancelled} (--render-timeout)").into(),
                    retry: false,
                });
            }
        };
        for warning in warnings.iter() {
            tracing::warn!(
                event = "render-warning",
                path = ?path.display().to_string(),
                warning = ?warning.to_string(),
            );
        }
        self.metrics.rendered(began.elapsed().as_secs_f64());
        Ok((key, produced(Pdf::new(Bytes::from(bytes)), None)))
    }

    /// Everything the article's PDF is made from, and its key: the
    /// article as parsed (kept from an earlier render when its files read
    /// the same), its fonts. Every file read or looked for is added to
    /// `read`; a new parse is also left in `parsed`.
    fn inputs(
        &self,
        path: &Path,
        read: &mut Vec<PathBuf>,
        parsed: &mut Option<Arc<Parsed>>,
    ) -> Result<Inputs, Fault> {
        let series_dir = path.parent().unwrap_or(self.root.dir());
        let toml = series_dir.join("series.toml");
        read.push(toml.clone());
        let toml_bytes = self.read_series_file(&toml)?;
        let text = read_limited(path, crate::parse::MAX_ARTICLE_BYTES)?;
        let source = self.parse(path, text, toml_bytes, read, parsed)?;
        let series = &source.series;
        let family = self.fonts.fonts(&self.root, series_dir, &series.print)?;
        read.extend(family.deps.iter().map(|d| d.path.clone()));
        // The fallback faces this article needs (none for most): the key
        // names each by its bytes, so a font installed on the machine or
        // changed sets the article again.
        let own_fonts =
            match crate::layout::fallback::for_articles(&family.set, series, &series.articles) {
                Cow::Borrowed(_) => None,
                Cow::Owned(set) => Some(set),
            };
        let fonts = own_fonts.as_ref().unwrap_or(&family.set);
        let images = render::images(series);
        read.extend(images.iter().map(|i| i.path.clone()));
        let key = ArticleSources {
            engine: &self.engine,
            name: &self.relative(path),
            text: source.text(),
            series_file: source.series_file(),
            fonts: &family.hash,
            fallbacks: fonts
                .fallback_faces()
                .map(|face| face.fingerprint())
                .collect(),
            images: images
                .iter()
                .map(|image| (self.relative(&image.path), &image.data[..]))
                .collect(),
        }
        .key();
        Ok(Inputs {
            parsed: source,
            family,
            own_fonts,
            key,
        })
    }

    /// The article at `path`, which reads `text` (and its series file
    /// `series_file`), as parsed: kept from an earlier render if its files
    /// read the same, else parsed now (and left in `parsed`).
    fn parse(
        &self,
        path: &Path,
        text: Vec<u8>,
        series_file: Option<Vec<u8>>,
        read: &mut Vec<PathBuf>,
        parsed: &mut Option<Arc<Parsed>>,
    ) -> Result<Arc<Parsed>, Fault> {
        if let Some(known) = self.sources.get(path)
            && known.still_reads(&text, series_file.as_deref())
        {
            read.extend(known.looked_at().map(Path::to_path_buf));
            return Ok(known);
        }
        let (series, diags, looked_at) = crate::parse::parse_single_article_noting(path);
        read.extend(looked_at.iter().cloned());
        let series = series.ok_or(render::RenderError::Input(diags))?;
        let source = Arc::new(Parsed::new(text, series_file, series, &looked_at));
        *parsed = Some(Arc::clone(&source));
        Ok(source)
    }

    /// Keeps a new parse of the article at `path` for the next render,
    /// unless checking it then would prove nothing (see
    /// [`Parsed::checkable`]). Only for a parse none of whose files changed
    /// since the render began.
    fn keep_parse(&self, path: &Path, parsed: Option<Arc<Parsed>>) {
        if let Some(parsed) = parsed.filter(|p| p.checkable()) {
            self.sources.insert(path.to_path_buf(), parsed);
        }
    }

    /// Prepares the articles at `paths` for their first requests, on
    /// `threads` threads: each is parsed (the parse kept, see
    /// [`super::sources`]) and laid out by every thread with a worker's
    /// caches, so that the words it shapes and hyphenates are known to
    /// whichever worker renders it first (each worker keeps its own words'
    /// items). The pages are dropped: no PDF is written or cached. Stops
    /// at `deadline` (a layout then is cancelled). Returns how many
    /// articles every worker laid out.
    pub fn warm(&self, paths: &[PathBuf], threads: usize, deadline: Instant) -> usize {
        let threads = threads.max(1);
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|thread| {
                    // Each begins at its own place, so that the threads
                    // parse different articles first.
                    let first = thread * paths.len() / threads;
                    let order = paths[first..].iter().chain(&paths[..first]);
                    scope.spawn(move || self.warm_worker(order, deadline))
                })
                .collect();
            workers
                .into_iter()
                .map(|worker| worker.join().unwrap_or(0))
                .min()
                .unwrap_or(0)
        })
    }

    /// Lays out the articles at `paths` with one worker's caches until
    /// `deadline`; returns how many it laid out.
    fn warm_worker<'p>(
        &self,
        paths: impl Iterator<Item = &'p PathBuf>,
        deadline: Instant,
    ) -> usize {
        let mut caches = self.caches.take();
        let mut laid_out = 0;
        for path in paths {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match self.warm_one(path, &mut caches, left.min(self.render_limit)) {
                Ok(true) => laid_out += 1,
                Ok(false) => {}
                // Caches a cancelled layout left behind are dropped.
                Err(_) => caches = self.caches.new_worker(),
            }
        }
        self.caches.give_back(caches);
        laid_out
    }

    /// Parses and lays out the article at `path` (see [`Renderer::warm`]):
    /// true when it was laid out, false when it could not be (it will
    /// fail on its request, and say why then), `Err` when the layout ran
    /// past `limit`.
    fn warm_one(
        &self,
        path: &Path,
        caches: &mut WorkerCaches,
        limit: Duration,
    ) -> Result<bool, crate::cancel::Cancelled> {
        let start = SystemTime::now();
        let mut read = vec![path.to_path_buf()];
        let mut parsed = None;
        let inputs = self.inputs(path, &mut read, &mut parsed);
        let deps: Vec<Dependency> = read.into_iter().map(Dependency::now).collect();
        if settled_since(start, &deps) {
            self.keep_parse(path, parsed);
        }
        let Ok(inputs) = inputs else {
            return Ok(false);
        };
        let series = &inputs.parsed.series;
        let Ok(style) = crate::style::Style::resolve(&series.print) else {
            return Ok(false);
        };
        if inputs.own_words() {
            return Ok(false);
        }
        crate::cancel::within(limit, || {
            layout::layout_article_with(series, 0, &style, inputs.fonts(), &mut caches.layout)
        })?;
        Ok(true)
    }

    /// `series.toml`'s bytes if it exists; it must not lead outside the root.
    fn read_series_file(&self, toml: &Path) -> Result<Option<Vec<u8>>, Fault> {
        let Ok(real) = toml.canonicalize() else {
            return Ok(None);
        };
        if !self.root.contains(&real) {
            return Err("series.toml leads outside the articles folder".into());
        }
        Ok(Some(read_limited(&real, MAX_SERIES_FILE)?))
    }

    /// Drops from memory the PDF the article's memo names, unless it is
    /// `current` (keys hold the article's path: no other article needs it).
    fn forget_previous_pdf(&self, path: &Path, current: Option<Key>) {
        if let Some(old) = self.memos.get(path)
            && let MemoOutcome::Pdf { key, .. } = &old.outcome
            && Some(*key) != current
        {
            self.memory.remove(key);
        }
    }

    /// True while the article's memo is current and names `key` (a key
    /// learnt earlier may be stale by the time a worker takes it up).
    fn memo_still_gives(&self, path: &Path, key: &Key) -> bool {
        self.memos.get(path).is_some_and(|memo| {
            memo.is_current()
                && matches!(&memo.outcome, MemoOutcome::Pdf { key: k, .. } if k == key)
        })
    }

    /// Puts the PDF in the memory cache unless it is there: replacing an
    /// entry counts as an eviction, which would stop a prerender scan.
    fn keep_in_memory(&self, key: Key, pdf: &Pdf) {
        if !self.memory.contains_key(&key) {
            self.memory.insert(key, pdf.clone());
        }
    }

    fn on_disk(&self, key: &Key) -> Option<Pdf> {
        let bytes = self.disk.as_ref()?.get(key)?;
        Some(Pdf::new(bytes))
    }

    /// Caches the PDF and the memo that finds it again; the article's
    /// previous PDF, if it had another, leaves the memory cache (keys hold
    /// the article's path, so no other article can need it).
    fn remember(&self, path: &Path, key: Key, pdf: &Pdf, deps: Vec<Dependency>) {
        self.forget_previous_pdf(path, Some(key));
        self.keep_in_memory(key, pdf);
        if let Some(disk) = &self.disk
            && let Err(e) = disk.put(&key, &pdf.bytes)
        {
            tracing::warn!(
                event = "disk-cache-error",
                key = %key.hex(),
                error = ?e.to_string(),
            );
        }
        let outcome = MemoOutcome::Pdf {
            key,
            etag: pdf.etag.clone(),
        };
        self.memos
            .insert(path.to_path_buf(), Arc::new(Memo { deps, outcome }));
    }

    /// `path` relative to the root, for keys (so that a moved root keeps
    /// its disk cache).
    fn relative(&self, path: &Path) -> String {
        path.strip_prefix(self.root.dir())
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned()
    }
}

/// What an article's PDF is made from.
struct Inputs {
    /// The article as parsed.
    parsed: Arc<Parsed>,
    /// The series' font family.
    family: Family,
    /// The family with the fallback faces the article needs, if it needs
    /// any.
    own_fonts: Option<FontSet>,
    /// The key of the PDF.
    key: Key,
}

impl Inputs {
    /// The fonts the article is set in.
    fn fonts(&self) -> &FontSet {
        self.own_fonts.as_ref().unwrap_or(&self.family.set)
    }

    /// True when the article needs fallback faces: its words are shaped in
    /// a font set of its own, of no use to the next render, and the
    /// shared words must stay those of the family.
    fn own_words(&self) -> bool {
        self.own_fonts
            .as_ref()
            .is_some_and(|fonts| fonts.fallback_faces().next().is_some())
    }
}

/// True when none of `deps` changed since `start` (so that what was read
/// from them is what they hold).
fn settled_since(start: SystemTime, deps: &[Dependency]) -> bool {
    !deps
        .iter()
        .any(|d| d.stamp.is_some_and(|s| s.is_newer_than(start)))
}

fn produced(pdf: Pdf, tier: Option<Tier>) -> Produced {
    Produced { pdf, tier }
}

/// Reads a regular file no larger than `limit`.
fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, Fault> {
    crate::files::read_regular(path, limit).map_err(|e| format!("{}: {e}", path.display()).into())
}
