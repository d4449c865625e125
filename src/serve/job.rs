//! One article's PDF, produced on a pool worker: read the article and what
//! it names, compute its key, and take the PDF from a cache or render it;
//! then remember which files it came from.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use axum::body::Bytes;

use super::cache::{
    ArticleSources, Dependency, DiskCache, Evictions, Key, Memo, MemoOutcome, MemoTable,
    MemoryCache, Pdf,
};
use super::fonts::FontLibrary;
use super::metrics::{Metrics, Tier};
use super::resolve::ArticleRoot;
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
        let result = self.produce_fresh(path, &mut read);
        let deps: Vec<Dependency> = read.into_iter().map(Dependency::now).collect();
        let settled = !deps
            .iter()
            .any(|d| d.stamp.is_some_and(|s| s.is_newer_than(start)));
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
    /// every file read or looked for is added to `read`. The render is
    /// cancelled past the time limit.
    fn produce_fresh(
        &self,
        path: &Path,
        read: &mut Vec<PathBuf>,
    ) -> Result<(Key, Produced), Fault> {
        let series_dir = path.parent().unwrap_or(self.root.dir());
        let toml = series_dir.join("series.toml");
        read.push(toml.clone());
        let toml_bytes = self.read_series_file(&toml)?;
        let text = read_limited(path, crate::parse::MAX_ARTICLE_BYTES)?;
        let (series, diags, images_looked_at) = crate::parse::parse_single_article_noting(path);
        read.extend(images_looked_at);
        let series = series.ok_or(render::RenderError::Input(diags))?;
        let family = self.fonts.fonts(&self.root, series_dir, &series.print)?;
        read.extend(family.deps.iter().map(|d| d.path.clone()));
        // The fallback faces this article needs (none for most): the key
        // names each by its bytes, so a font installed on the machine or
        // changed sets the article again.
        let fonts = crate::layout::fallback::for_articles(&family.set, &series, &series.articles);
        let images = render::images(&series);
        read.extend(images.iter().map(|i| i.path.clone()));

        let key = ArticleSources {
            engine: &self.engine,
            name: &self.relative(path),
            text: &text,
            series_file: toml_bytes.as_deref(),
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

        if let Some(pdf) = self.memory.get(&key) {
            return Ok((key, produced(pdf, Some(Tier::Memory))));
        }
        if let Some(pdf) = self.on_disk(&key) {
            return Ok((key, produced(pdf, Some(Tier::Disk))));
        }
        let began = Instant::now();
        let mut caches = self.caches.take();
        // An article that needs fallback faces shapes its words in a font
        // set of its own: its words would be of no use to the next render,
        // and the shared words must stay those of the family.
        let with_fallbacks = fonts.fallback_faces().next().is_some();
        let rendered = crate::cancel::within(self.render_limit, || {
            let WorkerCaches { layout, subsets } = &mut caches;
            let mut own = Caches::default();
            let layout = if with_fallbacks { &mut own } else { layout };
            render::article_pdf_with_subsets(&series, &fonts, &self.pdf, layout, subsets)
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

fn produced(pdf: Pdf, tier: Option<Tier>) -> Produced {
    Produced { pdf, tier }
}

/// Reads a regular file no larger than `limit`.
fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, Fault> {
    crate::files::read_regular(path, limit).map_err(|e| format!("{}: {e}", path.display()).into())
}
