//! Building a series: read its files, lay the book out, write the PDF and
//! the EPUB. `iskra build` runs a [`SeriesBuild`] once; `iskra watch` runs
//! one again after every change, and it keeps what the change left alone
//! ([`kept`]): the parse of every article whose file and images hold the
//! same bytes, and the pages of every article whose parse, language, style
//! and fonts are the same. The book is then numbered, and its front
//! matter, contents, furniture and page list made again, so that a rebuild
//! writes the same bytes as a fresh build of the same files.

mod kept;
pub mod single;
pub mod write;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, Severity, Span};
use crate::layout::book::{self, LaidOut};
use crate::layout::design::Design;
use crate::layout::fonts::{FontError, FontSet};
use crate::model::Series;
use crate::page::Document;
use crate::parse::{self, ParseOptions};
use crate::pdf::PdfOptions;
use crate::progress::{Progress, Stage};
use crate::style::{PrintOptions, Style};

use kept::Kept;

/// What to build, and how.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// Print settings given on the command line; they win over the
    /// `[print]` table of `series.toml`.
    pub print: PrintOptions,
    /// The PDF to write, if any.
    pub pdf: Option<PdfSettings>,
    /// The EPUB to write, if any.
    pub epub: Option<EpubSettings>,
    /// The folder of covers named after their series (`covers/`).
    pub covers_dir: Option<PathBuf>,
    /// Keep the laid-out book in the [`Outputs`] (the preview draws it).
    pub keep_book: bool,
}

/// How the PDF is written.
#[derive(Clone, Debug, Default)]
pub struct PdfSettings {
    /// Standards and tagging.
    pub options: PdfOptions,
    /// Printer's sheets instead of pages.
    pub imposition: Option<Imposition>,
}

/// Ways of imposing pages on sheets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Imposition {
    /// Folded sheets, stapled in the middle.
    Booklet,
}

/// How the EPUB is written.
#[derive(Clone, Debug, Default)]
pub struct EpubSettings {
    /// Carry the book's fonts, subset to the characters it uses.
    pub embed_fonts: bool,
    /// Soft hyphens at the print layout's break points.
    pub soft_hyphens: bool,
}

/// What a build made.
pub struct Outputs {
    /// The series folder's name, which names the files.
    pub slug: String,
    /// The PDF's bytes, if asked for.
    pub pdf: Option<Vec<u8>>,
    /// The EPUB's bytes, if asked for.
    pub epub: Option<Vec<u8>>,
    /// The book as laid out (before any imposition), if asked for.
    pub book: Option<Arc<Document>>,
    /// Warnings found on the way.
    pub warnings: Diagnostics,
    /// How much of the work was taken from the previous run.
    pub reuse: Reuse,
}

/// How much of a build was taken from the previous run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reuse {
    /// Articles in the series.
    pub articles: usize,
    /// Articles whose parse was kept.
    pub parsed: usize,
    /// Articles whose pages were kept.
    pub laid_out: usize,
}

/// Why a build made nothing.
#[derive(Debug)]
pub enum BuildError {
    /// The files have errors (the diagnostics hold warnings too).
    Input(Diagnostics),
    /// A print setting given on the command line is unusable.
    Usage(Diagnostics),
}

impl BuildError {
    /// Everything found, errors and warnings.
    pub fn diagnostics(&self) -> &Diagnostics {
        match self {
            BuildError::Input(diags) | BuildError::Usage(diags) => diags,
        }
    }
}

/// A series' build, run once or again after each change.
pub struct SeriesBuild {
    dir: PathBuf,
    settings: Settings,
    /// What the last run left to reuse; `None` for a build run once.
    kept: Option<Kept>,
}

impl SeriesBuild {
    /// A build of the series in `dir` that runs once and keeps nothing.
    pub fn once(dir: &Path, settings: Settings) -> SeriesBuild {
        SeriesBuild {
            dir: dir.to_path_buf(),
            settings,
            kept: None,
        }
    }

    /// A build that keeps what it can for its next run.
    pub fn incremental(dir: &Path, settings: Settings) -> SeriesBuild {
        SeriesBuild {
            kept: Some(Kept::new()),
            ..SeriesBuild::once(dir, settings)
        }
    }

    /// The series folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Reads the series and makes the outputs the settings ask for,
    /// showing its stages on `progress`.
    pub fn run(&mut self, progress: &Progress) -> Result<Outputs, BuildError> {
        self.run_writing(progress, None)
    }

    /// [`SeriesBuild::run`], also writing the outputs to `out` (see
    /// [`write::output_path`]), all of them or none: each is written to a
    /// temporary file as soon as it is made, on the thread that made it
    /// (the EPUB's while the PDF is still being made), and they are
    /// renamed into place once all are made.
    pub fn run_into(&mut self, progress: &Progress, out: &Path) -> Result<Outputs, BuildError> {
        self.run_writing(progress, Some(out))
    }

    fn run_writing(
        &mut self,
        progress: &Progress,
        out: Option<&Path>,
    ) -> Result<Outputs, BuildError> {
        let name = self.dir_name();
        let mut kept = self.kept.take();
        let result = self.run_with(kept.as_mut(), progress, &name, out);
        self.kept = kept;
        progress.clear();
        result
    }

    fn run_with(
        &self,
        mut kept: Option<&mut Kept>,
        progress: &Progress,
        name: &str,
        out: Option<&Path>,
    ) -> Result<Outputs, BuildError> {
        let stage = progress.stage(name, "parse", Some(article_count(&self.dir)));
        let (series, mut diags) = self.parse(kept.as_deref_mut(), &stage);
        stage.done();
        let series = match series {
            Some(series) if !diags.has_errors() => series,
            _ => return Err(BuildError::Input(diags)),
        };
        let (style, fonts) = match kept.as_deref_mut() {
            Some(kept) => kept.style_and_fonts(&series, &self.settings.print, &mut diags)?,
            None => {
                let style = resolve_style(&series, &self.settings.print, &diags)?;
                let fonts = load_fonts(&series, &self.settings.print, &mut diags)?;
                (style, Arc::new(fonts))
            }
        };
        let stage = progress.stage(name, "layout", Some(series.articles.len() as u64));
        let design = Design::new(&style);
        // The family with the fallback faces the articles' characters need.
        let text_fonts = crate::layout::fallback::for_articles(&fonts, &series, &series.articles);
        // The e-book's cover, drawn from the book's title page when the
        // series has no cover image.
        let draws_cover = self.settings.epub.is_some() && series.meta.cover.is_none();
        let (laid_out, laid_out_now, drawn_cover) = match kept.as_deref_mut() {
            Some(kept) => {
                let extended = matches!(text_fonts, std::borrow::Cow::Owned(_));
                let (laid_out, now) =
                    kept.lay_out(&series, &design, &text_fonts, extended, &style, &stage);
                (laid_out, now, None)
            }
            None => {
                // The cover does not depend on the articles' pages: it is
                // drawn beside them, by a thread that then joins them.
                let (laid_out, cover) = rayon::join(
                    || lay_out_all(&series, &design, &text_fonts, &stage),
                    || draws_cover.then(|| write::drawn_cover(&series, &fonts)),
                );
                (laid_out, series.articles.len(), cover)
            }
        };
        let reuse = Reuse {
            articles: series.articles.len(),
            parsed: kept.as_deref().map_or(0, Kept::parses_reused),
            laid_out: series.articles.len() - laid_out_now,
        };
        let cover = match kept {
            Some(kept) if draws_cover => Some(kept.drawn_cover(&series, &fonts)),
            _ => drawn_cover,
        };
        // The EPUB needs only the page map, known from the articles' page
        // counts: it is written on one thread while the other assembles
        // the book (contents, running heads, folios, structure) and then
        // writes its PDF.
        let page_breaks =
            self.settings.epub.is_some().then(|| {
                crate::epub::page_breaks_at(&book::article_page_starts(&laid_out, &style))
            });
        // Where each output goes, if it is to be written now.
        let place = |extension| out.map(|out| write::output_path(out, &series.slug, extension));
        let (assembled, epub) = rayon::join(
            || {
                let (doc, layout_diags) = book::book_from(&series, &style, &text_fonts, laid_out);
                stage.done();
                if layout_diags.has_errors() {
                    return (layout_diags, None, None);
                }
                let book = self.settings.keep_book.then(|| Arc::new(doc.clone()));
                let pdf = self.settings.pdf.as_ref().map(|pdf| {
                    let stage = progress.stage(name, "PDF", None);
                    let bytes =
                        write::pdf_bytes(impose(doc, pdf.imposition), &pdf.options, &series, None);
                    stage.done();
                    write::staged(bytes, place("pdf"))
                });
                (layout_diags, book, pdf)
            },
            || {
                self.settings
                    .epub
                    .as_ref()
                    .zip(page_breaks)
                    .map(|(epub, page_breaks)| {
                        let stage = progress.stage(name, "EPUB", None);
                        let bytes = write::epub_bytes(&series, &fonts, epub, page_breaks, cover);
                        stage.done();
                        write::staged(bytes, place("epub"))
                    })
            },
        );
        let (layout_diags, book, pdf) = assembled;
        diags.extend(layout_diags);
        if diags.has_errors() {
            // An EPUB staged meanwhile is dropped, and its file with it.
            return Err(BuildError::Input(diags));
        }
        if self.settings.epub.is_some() {
            diags.extend(crate::epub::store_warnings(&series));
        }
        let (pdf, staged_pdf) = pdf.transpose().map_err(|e| fail(&mut diags, e))?.unzip();
        let (epub, staged_epub) = epub.transpose().map_err(|e| fail(&mut diags, e))?.unzip();
        let staged = staged_pdf
            .into_iter()
            .chain(staged_epub)
            .flatten()
            .collect();
        crate::output::commit(staged).map_err(|e| fail(&mut diags, write::failure(&e).into()))?;
        Ok(Outputs {
            slug: series.slug.clone(),
            pdf,
            epub,
            book,
            warnings: diags,
            reuse,
        })
    }

    fn parse(&self, kept: Option<&mut Kept>, stage: &Stage) -> (Option<Series>, Diagnostics) {
        let options = ParseOptions {
            covers_dir: self.settings.covers_dir.clone(),
        };
        match kept {
            Some(kept) => kept.parse(&self.dir, &options, stage),
            None => parse::parse_series_with(
                &self.dir,
                &options,
                &parse::images::ImageLoader::new(&self.dir),
                &|path, loader| {
                    let parsed = parse::parse_article(path, loader);
                    stage.step();
                    parsed
                },
            ),
        }
    }

    /// The folder's name as the progress lines show it.
    fn dir_name(&self) -> String {
        self.dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.dir.display().to_string())
    }
}

/// Adds a writer's failure to the run's diagnostics.
fn fail(diags: &mut Diagnostics, failure: Diagnostics) -> BuildError {
    diags.extend(failure);
    BuildError::Input(std::mem::take(diags))
}

fn impose(doc: Document, imposition: Option<Imposition>) -> Document {
    match imposition {
        Some(Imposition::Booklet) => crate::impose::booklet(doc),
        None => doc,
    }
}

/// The series folders named on the command line: each folder that holds
/// articles is one; a folder without articles stands for its subfolders
/// that hold some (so that `articles/` means every series).
pub fn series_folders(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut folders = Vec::new();
    for path in paths {
        // A folder with articles is a series: its entries (a thousand
        // articles, say) need no look each to find subfolders.
        if article_count(path) > 0 {
            folders.push(path.clone());
            continue;
        }
        let mut inner: Vec<PathBuf> = std::fs::read_dir(path)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path())
            .filter(|sub| sub.is_dir() && article_count(sub) > 0)
            .collect();
        if inner.is_empty() {
            folders.push(path.clone());
        } else {
            inner.sort();
            folders.extend(inner);
        }
    }
    folders
}

/// The number of article files in `dir`, for the parse stage's count.
fn article_count(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| parse::is_article_file(&entry.path()))
        .count() as u64
}

/// Lays out every article of `series` (see [`lay_out_articles`]), in order.
fn lay_out_all(series: &Series, design: &Design, fonts: &FontSet, stage: &Stage) -> Vec<LaidOut> {
    let all: Vec<usize> = (0..series.articles.len()).collect();
    let fresh = lay_out_articles(series, design, fonts, &all, stage);
    fresh.into_iter().map(|(_, laid)| laid).collect()
}

/// Lays out the articles `which` of `series`, side by side, one article a
/// task, so that no thread idles while another has articles left. The
/// engines' caches are taken from a pool and put back: no more exist
/// than threads. What one engine's caches lack it looks for in what all
/// of them share, so the book shapes and hyphenates a word once. The
/// pages do not depend on which caches set which article.
fn lay_out_articles(
    series: &Series,
    design: &Design,
    fonts: &FontSet,
    which: &[usize],
    stage: &Stage,
) -> Vec<(usize, LaidOut)> {
    let pool = std::sync::Mutex::new(Vec::new());
    let caches = || {
        pool.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    };
    let shared = crate::layout::Shared::default();
    // Each article its own piece of work: rayon's pieces are otherwise
    // runs of articles, one thread left setting a run while the other has
    // nothing to take.
    let laid_out = which
        .par_iter()
        .with_max_len(1)
        .map(|&index| {
            let taken = caches()
                .pop()
                .unwrap_or_else(|| crate::layout::Caches::sharing(&shared));
            let mut engine = crate::layout::Engine::with_caches(fonts, taken);
            let laid = book::lay_out_article(&mut engine, design, series, &series.articles[index]);
            caches().push(engine.into_caches());
            stage.step();
            (index, laid)
        })
        .collect();
    // Freeing the words the caches hold takes milliseconds: a thread of
    // the pool does it while this one numbers the book.
    let spent = (pool.into_inner(), shared);
    rayon::spawn(move || drop(spent));
    laid_out
}

/// The book's style: `series.toml`'s `[print]` with the command line's
/// settings over it. Unusable settings are a usage error when the command
/// line gave the option at fault, else an input error at its line in
/// `series.toml`.
pub fn resolve_style(
    series: &Series,
    cli: &PrintOptions,
    diags: &Diagnostics,
) -> Result<Style, BuildError> {
    let options = series.print.overridden_by(cli);
    Style::resolve(&options).map_err(|error| {
        let mut all = diags.clone();
        all.push(crate::parse::print_settings_error(series, cli, &error));
        if cli.sets(error.option) {
            BuildError::Usage(all)
        } else {
            BuildError::Input(all)
        }
    })
}

/// The font folder the settings name: the command line's, else
/// `series.toml`'s (relative to the series folder); `None` for the
/// built-in family.
pub fn font_dir(series: &Series, cli: &PrintOptions) -> Option<PathBuf> {
    match (&cli.font_dir, &series.print.font_dir) {
        (Some(dir), _) => Some(dir.clone()),
        (None, Some(dir)) => Some(series.dir.join(dir)),
        (None, None) => None,
    }
}

/// The fallback font files the settings name: the command line's (as
/// given), else `series.toml`'s (relative to the series folder).
pub fn fallback_fonts(series: &Series, cli: &PrintOptions) -> Vec<PathBuf> {
    match (&cli.fallback_fonts, &series.print.fallback_fonts) {
        (Some(paths), _) => paths.clone(),
        (None, Some(paths)) => paths.iter().map(|p| series.dir.join(p)).collect(),
        (None, None) => Vec::new(),
    }
}

/// Whether the system's fonts may stand in for characters the family
/// lacks: the command line's word, else `series.toml`'s, else yes.
pub fn system_fonts(series: &Series, cli: &PrintOptions) -> bool {
    series.print.overridden_by(cli).system_fonts.unwrap_or(true)
}

/// The font family the settings name, with the fallback fonts and
/// whether the system's fonts may be used, and a warning for each style
/// the folder lacks.
pub fn load_fonts(
    series: &Series,
    cli: &PrintOptions,
    diags: &mut Diagnostics,
) -> Result<FontSet, BuildError> {
    let failed = |error: FontError, diags: &Diagnostics| {
        let mut all = diags.clone();
        all.push(font_diagnostic(error));
        BuildError::Input(all)
    };
    let mut fonts = match font_dir(series, cli) {
        Some(dir) => FontSet::from_dir(&dir).map_err(|e| failed(e, diags))?,
        None => FontSet::builtin(),
    };
    let fallbacks = fallback_fonts(series, cli);
    fonts.sources = crate::layout::fallback::Sources {
        files: crate::layout::fallback::load_files(&fallbacks).map_err(|e| failed(e, diags))?,
        system: system_fonts(series, cli),
    };
    for (role, face) in &fonts.substituted {
        diags.push(Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::general(format!(
                "the font folder has no {role:?} face; {} stands in",
                fonts.face(*face).name
            ))
        });
    }
    Ok(fonts)
}

/// A font that cannot be used, reported at its file when it has one.
fn font_diagnostic(error: FontError) -> Diagnostic {
    match error {
        FontError::Malformed(file, why) => {
            Diagnostic::error(file, Span::FILE, format!("this font cannot be used: {why}"))
                .hint("the file may be damaged: replace it with a fresh copy")
        }
        FontError::Unreadable(file, why) => {
            Diagnostic::error(file, Span::FILE, format!("cannot read this font: {why}"))
        }
        other => Diagnostic::general(other.to_string()),
    }
}

/// A hash of the family's faces, for keys of what is set in them.
pub fn fonts_hash(fonts: &FontSet) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    for (_, face) in fonts.faces() {
        let data: &[u8] = (*face.data).as_ref();
        hasher.update(&(data.len() as u64).to_le_bytes());
        hasher.update(data);
    }
    hasher.finalize()
}

#[cfg(test)]
mod tests;
