//! Per-article PDFs as static files, for a web team that would rather put
//! them on a CDN than run `iskra serve`: `iskra pdf` over many articles or
//! series folders writes `OUT_DIR/<series>/<slug>.pdf` for each, side by
//! side, and leaves alone every PDF that is up to date.
//!
//! "Up to date" is the service's cache rule: a PDF is kept under the key
//! of everything it is made from ([`ArticleSources`]: the engine and its
//! settings, the article, `series.toml`, the fonts and the images). The
//! keys of the PDFs in a folder are listed in its [`MANIFEST`]; a run
//! computes each article's key and sets only those whose key is not the
//! one listed (or whose file is gone).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::diag::{Diagnostic, Diagnostics};
use crate::layout::Caches;
use crate::layout::fonts::FontSet;
use crate::model::Series;
use crate::pdf::PdfOptions;
use crate::progress::Progress;
use crate::serve::cache::ArticleSources;
use crate::style::PrintOptions;

/// The file in `OUT_DIR` listing each PDF's key.
pub const MANIFEST: &str = ".iskra-pdf-keys";

/// What a run did.
#[derive(Debug, Default)]
pub struct Summary {
    /// PDFs set and written.
    pub written: usize,
    /// PDFs already up to date.
    pub up_to_date: usize,
    /// Articles that could not be set.
    pub failed: usize,
    /// Why they failed, and warnings.
    pub diagnostics: Diagnostics,
}

/// What every article of one run shares.
struct Run<'a> {
    out: &'a Path,
    /// The hash of what sets the articles (see [`engine`]).
    engine: blake3::Hash,
    /// The manifest's keys from the last run, by target.
    listed: BTreeMap<String, String>,
    fonts: FontCache,
    print: &'a PrintOptions,
    pdf: &'a PdfOptions,
}

/// One article to set, and where its PDF goes (relative to `OUT_DIR`).
struct Job {
    article: PathBuf,
    target: String,
}

/// Writes the PDF of every article named by `paths` (article files, series
/// folders, or folders of series) to `out/<series>/<slug>.pdf`, skipping
/// those that are up to date.
pub fn write_pdfs(
    paths: &[PathBuf],
    out: &Path,
    print: &PrintOptions,
    pdf: &PdfOptions,
    progress: &Progress,
) -> Summary {
    let jobs = jobs(paths);
    let run = Run {
        out,
        engine: engine(print, pdf),
        listed: read_manifest(out),
        fonts: FontCache::default(),
        print,
        pdf,
    };
    let stage = progress.stage(&out.display().to_string(), "PDFs", Some(jobs.len() as u64));
    let outcomes = side_by_side(jobs.len(), |caches, i| {
        let outcome = set(&jobs[i], &run, caches);
        stage.step();
        outcome
    });
    let results = jobs.iter().map(|job| job.target.clone()).zip(outcomes);
    stage.done();
    progress.clear();
    let mut summary = Summary::default();
    let mut manifest = run.listed;
    for (target, outcome) in results {
        match outcome {
            Outcome::UpToDate => summary.up_to_date += 1,
            Outcome::Written(key, warnings) => {
                summary.written += 1;
                summary.diagnostics.extend(warnings);
                manifest.insert(target, key);
            }
            Outcome::Failed(diags) => {
                summary.failed += 1;
                summary.diagnostics.extend(diags);
                manifest.remove(&target);
            }
        }
    }
    if let Err(e) = write_manifest(out, &manifest) {
        summary.diagnostics.push(Diagnostic::general(e.to_string()));
    }
    summary
}

/// Runs `work(0..count)` on one thread per core, each taking the next
/// index with its own layout caches (words shaped and hyphenated once a
/// thread, not once an article), and gives the results in order. The
/// threads are plain threads,
/// not rayon's: layout and the PDF writer use rayon inside, and a rayon
/// worker that waited on them would take up other articles on its own
/// stack, one inside the other, until it overflowed.
fn side_by_side<T: Send>(count: usize, work: impl Fn(&mut Caches, usize) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, T)>> = Mutex::new(Vec::with_capacity(count));
    let threads = rayon::current_num_threads().clamp(1, count.max(1));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let run = || {
                let mut caches = Caches::default();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        break;
                    }
                    let result = work(&mut caches, i);
                    done.lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push((i, result));
                }
            };
            std::thread::Builder::new()
                .name("iskra-pdf".into())
                .stack_size(WORKER_STACK)
                .spawn_scoped(scope, run)
                .expect("a thread for PDFs");
        }
    });
    let mut done = done.into_inner().unwrap_or_else(PoisonError::into_inner);
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, result)| result).collect()
}

/// The stack of a thread that sets articles: as much as the main thread's.
const WORKER_STACK: usize = 8 << 20;

/// What became of one article.
enum Outcome {
    UpToDate,
    Written(String, Diagnostics),
    Failed(Diagnostics),
}

/// Every article the paths name, each once, with its PDF's place.
fn jobs(paths: &[PathBuf]) -> Vec<Job> {
    let mut articles: Vec<PathBuf> = Vec::new();
    for path in paths {
        if path.is_dir() {
            for folder in crate::build::series_folders(std::slice::from_ref(path)) {
                let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|entry| entry.path())
                    .filter(|p| crate::parse::is_article_file(p))
                    .collect();
                files.sort();
                articles.extend(files);
            }
        } else {
            articles.push(path.clone());
        }
    }
    let mut seen = std::collections::HashSet::new();
    articles
        .into_iter()
        .filter(|a| seen.insert(a.canonicalize().unwrap_or_else(|_| a.clone())))
        .map(|article| {
            let series = series_name(&article);
            let slug = article
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            Job {
                target: format!("{series}/{slug}.pdf"),
                article,
            }
        })
        .collect()
}

/// The name of the folder an article is in, as its series' PDFs go.
fn series_name(article: &Path) -> String {
    let dir = article
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    dir.canonicalize()
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "series".into())
}

/// The engine's identity, as the service's disk cache has it, with the
/// command line's print settings.
fn engine(print: &PrintOptions, pdf: &PdfOptions) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(crate::serve::engine_identity(pdf, true).as_bytes());
    hasher.update(format!("{print:?}").as_bytes());
    hasher.finalize()
}

/// Sets one article unless its listed key is its key now.
fn set(job: &Job, run: &Run<'_>, caches: &mut Caches) -> Outcome {
    let (series, diags) = crate::parse::parse_single_article(&job.article);
    let Some(series) = series.filter(|_| !diags.has_errors()) else {
        return Outcome::Failed(diags);
    };
    let family = match run.fonts.family(&series, run.print) {
        Ok(family) => family,
        Err(failure) => return Outcome::Failed(failure),
    };
    let key = match key(job, &series, &run.engine, &family) {
        Ok(key) => key,
        Err(e) => {
            return Outcome::Failed(
                Diagnostic::error(&job.article, crate::diag::Span::FILE, e).into(),
            );
        }
    };
    let target = run.out.join(&job.target);
    if run.listed.get(&job.target) == Some(&key) && target.is_file() {
        return Outcome::UpToDate;
    }
    match render(&series, &family.0, caches, run.print, run.pdf) {
        Ok((bytes, warnings)) => match crate::output::write_atomically(&target, &bytes) {
            Ok(()) => Outcome::Written(key, warnings),
            Err(e) => Outcome::Failed(Diagnostic::general(e.to_string()).into()),
        },
        Err(diags) => Outcome::Failed(diags),
    }
}

/// The article's key now, as hex.
fn key(
    job: &Job,
    series: &Series,
    engine: &blake3::Hash,
    (fonts, hash): &Family,
) -> Result<String, String> {
    let text = std::fs::read(&job.article).map_err(|e| format!("cannot read file: {e}"))?;
    let series_file = std::fs::read(series.dir.join("series.toml")).ok();
    let images = crate::render::images(series);
    let sources = ArticleSources {
        engine,
        name: &job.target,
        text: &text,
        series_file: series_file.as_deref(),
        fonts: hash,
        fallbacks: crate::layout::fallback::for_articles(fonts, series, &series.articles)
            .fallback_faces()
            .map(|face| face.fingerprint())
            .collect(),
        images: images
            .iter()
            .map(|image| (image.source.clone(), &image.data[..]))
            .collect(),
    };
    Ok(sources.key().hex())
}

/// Lays the article out (starting from `caches`) and writes its PDF; its
/// warnings, or everything that stopped it.
fn render(
    series: &Series,
    fonts: &FontSet,
    caches: &mut Caches,
    print: &PrintOptions,
    pdf: &PdfOptions,
) -> Result<(Vec<u8>, Diagnostics), Diagnostics> {
    let style = crate::build::resolve_style(series, print, &Diagnostics::new())
        .map_err(|e| e.diagnostics().clone())?;
    crate::build::single::article_pdf(series, &style, fonts, caches, None, pdf, None)
}

/// Font families by what loads them, each loaded once per run.
#[derive(Default)]
struct FontCache {
    loaded: Mutex<HashMap<FamilyKey, Family>>,
}

/// A family and the hash of its faces.
type Family = (Arc<FontSet>, blake3::Hash);

/// Everything [`crate::build::load_fonts`] reads from a series and the
/// command line: the folder, the fallback files and whether the system's
/// fonts stand in. Series of one run that agree on all three share a
/// family; a series that keeps to the bundled fonts never gets one that
/// draws on the system's.
#[derive(PartialEq, Eq, Hash)]
struct FamilyKey {
    dir: Option<PathBuf>,
    fallbacks: Vec<PathBuf>,
    system: bool,
}

impl FamilyKey {
    fn of(series: &Series, print: &PrintOptions) -> FamilyKey {
        FamilyKey {
            dir: crate::build::font_dir(series, print),
            fallbacks: crate::build::fallback_fonts(series, print),
            system: crate::build::system_fonts(series, print),
        }
    }
}

impl FontCache {
    fn family(&self, series: &Series, print: &PrintOptions) -> Result<Family, Diagnostics> {
        let key = FamilyKey::of(series, print);
        if let Some(family) = self.loaded().get(&key) {
            return Ok(family.clone());
        }
        let mut warnings = Diagnostics::new();
        let set = crate::build::load_fonts(series, print, &mut warnings)
            .map_err(|e| e.diagnostics().clone())?;
        let hash = crate::build::fonts_hash(&set);
        let family = (Arc::new(set), hash);
        self.loaded().insert(key, family.clone());
        Ok(family)
    }

    fn loaded(&self) -> std::sync::MutexGuard<'_, HashMap<FamilyKey, Family>> {
        self.loaded.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The keys listed in `out`'s manifest, by PDF.
fn read_manifest(out: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(out.join(MANIFEST))
        .unwrap_or_default()
        .lines()
        .filter_map(|line| {
            let (key, target) = line.split_once(' ')?;
            Some((target.to_string(), key.to_string()))
        })
        .collect()
}

fn write_manifest(
    out: &Path,
    manifest: &BTreeMap<String, String>,
) -> Result<(), crate::output::OutputError> {
    let text: String = manifest
        .iter()
        .map(|(target, key)| format!("{key} {target}\n"))
        .collect();
    crate::output::write_atomically(&out.join(MANIFEST), text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A series folder `name` with one article and `settings` as its
    /// `series.toml`.
    fn series(root: &Path, name: &str, settings: &str) -> Series {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("series.toml"), settings).unwrap();
        let article = dir.join("01-one.md");
        std::fs::write(
            &article,
            "---\ntitle: One\nauthor: A. Writer\ndate: 2017-04-11\n---\n\nText.\n",
        )
        .unwrap();
        let (series, diags) = crate::parse::parse_single_article(&article);
        assert!(!diags.has_errors(), "{diags:?}");
        series.unwrap()
    }

    #[test]
    fn a_series_that_keeps_to_the_bundled_fonts_is_not_given_the_system_s() {
        // `iskra pdf world handbook` set the handbook (system-fonts =
        // false) with the family loaded for the world series first, which
        // drew its ☑ from the system's emoji font.
        let root = tempfile::tempdir().unwrap();
        let open = series(root.path(), "world", "title = \"World\"\n");
        let closed = series(
            root.path(),
            "handbook",
            "title = \"Handbook\"\n[print]\nsystem-fonts = false\n",
        );
        let cache = FontCache::default();
        let print = PrintOptions::default();
        assert!(cache.family(&open, &print).unwrap().0.sources.system);
        assert!(!cache.family(&closed, &print).unwrap().0.sources.system);
        // The same settings share one family.
        let again = series(root.path(), "world-again", "title = \"Again\"\n");
        assert!(Arc::ptr_eq(
            &cache.family(&open, &print).unwrap().0,
            &cache.family(&again, &print).unwrap().0
        ));
    }
}
