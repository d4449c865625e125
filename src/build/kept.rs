//! What a rebuild keeps from its previous run, each piece under a key of
//! what it was made from:
//!
//! - an article's parse, while its file holds the same bytes and every
//!   image it shows is the same image (the image loader hands out the
//!   earlier image while its file is unchanged);
//! - an article's pages, under a hash of its parse, the series' language,
//!   the style and the fonts;
//! - the fonts, while the font folder's files keep their stamps;
//! - the e-book's drawn cover, while the cover page draws the same.
//!
//! Pieces the last run did not use are dropped, so memory follows the
//! series as it is now.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::diag::Diagnostics;
use crate::layout::book::LaidOut;
use crate::layout::design::Design;
use crate::layout::fonts::FontSet;
use crate::model::{Article, Image, Series};
use crate::parse::images::ImageLoader;
use crate::parse::{self, ParseOptions};
use crate::progress::Stage;
use crate::serve::cache::Stamp;
use crate::style::{PrintOptions, Style};

use super::{BuildError, lay_out_articles, load_fonts, resolve_style, write};

/// Everything kept between runs of one series' build.
pub(super) struct Kept {
    /// The last run's images, for the next run's loader.
    images: Option<ImageLoader>,
    parsed: Mutex<HashMap<PathBuf, Parsed>>,
    parses_reused: AtomicUsize,
    pages: HashMap<blake3::Hash, LaidOut>,
    fonts: Option<KeptFonts>,
    cover: Option<(blake3::Hash, Arc<Image>)>,
}

/// An article as parsed, with what it was parsed from.
struct Parsed {
    /// Hash of the file's bytes.
    text: blake3::Hash,
    /// Hash of the file's path and bytes and of its images' bytes.
    key: blake3::Hash,
    article: Article,
    diags: Diagnostics,
}

/// A font family, with the folder, file stamps (of the family and the
/// fallback fonts) and system-fonts setting it was loaded with.
struct KeptFonts {
    dir: Option<PathBuf>,
    files: Vec<(PathBuf, Option<Stamp>)>,
    system: Option<bool>,
    set: Arc<FontSet>,
    warnings: Diagnostics,
    /// Hash of the faces' bytes.
    key: blake3::Hash,
}

impl Kept {
    pub(super) fn new() -> Kept {
        Kept {
            images: None,
            parsed: Mutex::new(HashMap::new()),
            parses_reused: AtomicUsize::new(0),
            pages: HashMap::new(),
            fonts: None,
            cover: None,
        }
    }

    /// How many articles the last parse took from the run before.
    pub(super) fn parses_reused(&self) -> usize {
        self.parses_reused.load(Ordering::Relaxed)
    }

    /// Parses the series, reusing each article whose file and images are
    /// unchanged.
    pub(super) fn parse(
        &mut self,
        dir: &Path,
        options: &ParseOptions,
        stage: &Stage,
    ) -> (Option<Series>, Diagnostics) {
        let loader = match self.images.take() {
            Some(earlier) => ImageLoader::after(earlier),
            None => ImageLoader::new(dir),
        };
        self.parses_reused.store(0, Ordering::Relaxed);
        let seen = Mutex::new(Vec::new());
        let result = parse::parse_series_with(dir, options, &loader, &|path, loader| {
            seen.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(path.to_path_buf());
            let parsed = self.read_article(path, loader);
            stage.step();
            parsed
        });
        self.images = Some(loader);
        let seen = seen.into_inner().unwrap_or_else(PoisonError::into_inner);
        self.parsed_map().retain(|path, _| seen.contains(path));
        result
    }

    fn parsed_map(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Parsed>> {
        self.parsed.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// One article: the kept parse while it still holds, else parsed now.
    fn read_article(&self, path: &Path, loader: &ImageLoader) -> (Option<Article>, Diagnostics) {
        let Ok(bytes) = std::fs::read(path) else {
            // The parser says why the file cannot be read.
            return parse::parse_article(path, loader);
        };
        let text = blake3::hash(&bytes);
        let kept = self.parsed_map().get(path).and_then(|parsed| {
            (parsed.text == text).then(|| (parsed.article.clone(), parsed.diags.clone()))
        });
        if let Some((article, diags)) = kept
            && same_images(&article, loader)
        {
            self.parses_reused.fetch_add(1, Ordering::Relaxed);
            return (Some(article), diags);
        }
        let (article, diags) = parse::parse_article(path, loader);
        match &article {
            Some(parsed) => {
                let entry = Parsed {
                    text,
                    key: parse_key(path, &text, parsed),
                    article: parsed.clone(),
                    diags: diags.clone(),
                };
                self.parsed_map().insert(path.to_path_buf(), entry);
            }
            None => {
                self.parsed_map().remove(path);
            }
        }
        (article, diags)
    }

    /// The style, and the fonts (loaded again only when their folder or
    /// files changed).
    pub(super) fn style_and_fonts(
        &mut self,
        series: &Series,
        cli: &PrintOptions,
        diags: &mut Diagnostics,
    ) -> Result<(Style, Arc<FontSet>), BuildError> {
        let style = resolve_style(series, cli, diags)?;
        let dir = super::font_dir(series, cli);
        let mut files = font_stamps(dir.as_deref());
        files.extend(fallback_stamps(&super::fallback_fonts(series, cli)));
        let system = series.print.overridden_by(cli).system_fonts;
        if let Some(fonts) = &self.fonts
            && fonts.dir == dir
            && fonts.files == files
            && fonts.system == system
        {
            diags.extend(fonts.warnings.clone());
            return Ok((style, Arc::clone(&fonts.set)));
        }
        let mut warnings = Diagnostics::new();
        let set = load_fonts(series, cli, &mut warnings)?;
        diags.extend(warnings.clone());
        let key = super::fonts_hash(&set);
        let set = Arc::new(set);
        self.fonts = Some(KeptFonts {
            dir,
            files,
            system,
            set: Arc::clone(&set),
            warnings,
            key,
        });
        // Pages set in other fonts are of no use any more.
        self.pages.clear();
        Ok((style, set))
    }

    /// Every article's pages, in order, and how many were laid out now;
    /// `fonts` is the family `extended` with fallback faces, or not.
    pub(super) fn lay_out(
        &mut self,
        series: &Series,
        design: &Design,
        fonts: &FontSet,
        extended: bool,
        style: &Style,
        stage: &Stage,
    ) -> (Vec<LaidOut>, usize) {
        // Fallback faces added for some characters make another family.
        let fonts_key = if extended {
            Some(super::fonts_hash(fonts))
        } else {
            self.fonts.as_ref().map(|f| f.key)
        };
        let settings = settings_key(series, style, fonts_key);
        let keys: Vec<blake3::Hash> = {
            let parsed = self.parsed_map();
            series
                .articles
                .iter()
                .map(|article| {
                    let parse = parsed
                        .get(&article.path)
                        .map_or_else(|| blake3::hash(b"unkept"), |p| p.key);
                    layout_key(&settings, &parse)
                })
                .collect()
        };
        let missing: Vec<usize> = (0..keys.len())
            .filter(|&i| {
                let kept = self.pages.contains_key(&keys[i]);
                if kept {
                    stage.step();
                }
                !kept
            })
            .collect();
        let fresh = lay_out_articles(series, design, fonts, &missing, stage);
        for (index, laid) in fresh {
            self.pages.insert(keys[index], laid);
        }
        self.pages.retain(|key, _| keys.contains(key));
        let pages = keys.iter().map(|key| self.pages[key].clone()).collect();
        (pages, missing.len())
    }

    /// The e-book's cover drawn from the book's cover page, drawn again
    /// only when that page draws differently.
    pub(super) fn drawn_cover(
        &mut self,
        series: &Series,
        fonts: &FontSet,
    ) -> Result<Arc<Image>, Diagnostics> {
        let page = crate::layout::cover::ebook_cover(series, fonts);
        let key = crate::fingerprint::pages(&page)
            .first()
            .copied()
            .unwrap_or_else(|| blake3::hash(b""));
        if let Some((kept, image)) = &self.cover
            && *kept == key
        {
            return Ok(Arc::clone(image));
        }
        let image = write::draw_cover(series, &page)?;
        self.cover = Some((key, Arc::clone(&image)));
        Ok(image)
    }
}

/// True when every image the article shows is the image the loader gives
/// for its name now (the same image while its file is unchanged).
fn same_images(article: &Article, loader: &ImageLoader) -> bool {
    let base = article
        .path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    crate::render::article_images(article).iter().all(|image| {
        loader
            .load(base, &image.source)
            .is_ok_and(|now| Arc::ptr_eq(&now, image))
    })
}

/// What an article's parse depends on: its path, its text and its images.
fn parse_key(path: &Path, text: &blake3::Hash, article: &Article) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    field(&mut hasher, path.as_os_str().as_encoded_bytes());
    field(&mut hasher, text.as_bytes());
    for image in crate::render::article_images(article) {
        field(&mut hasher, image.path.as_os_str().as_encoded_bytes());
        field(&mut hasher, blake3::hash(&image.data).as_bytes());
    }
    hasher.finalize()
}

/// What every article's pages depend on besides the article: the
/// series' language, the style and the fonts.
fn settings_key(series: &Series, style: &Style, fonts: Option<blake3::Hash>) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    field(&mut hasher, series.meta.language.as_bytes());
    field(&mut hasher, format!("{style:?}").as_bytes());
    field(
        &mut hasher,
        fonts.as_ref().map_or(&[][..], |k| k.as_bytes()),
    );
    hasher.finalize()
}

/// An article's pages' key: its parse's key and the settings'.
fn layout_key(settings: &blake3::Hash, parse: &blake3::Hash) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    field(&mut hasher, settings.as_bytes());
    field(&mut hasher, parse.as_bytes());
    hasher.finalize()
}

/// Adds one length-prefixed field, so that no two field lists hash alike.
fn field(hasher: &mut blake3::Hasher, bytes: &[u8]) {
    hasher.update(&(bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}

/// The fallback font files named (a folder stands for its fonts), with
/// their stamps.
fn fallback_stamps(paths: &[PathBuf]) -> Vec<(PathBuf, Option<Stamp>)> {
    paths
        .iter()
        .flat_map(|path| {
            if path.is_dir() {
                font_stamps(Some(path))
            } else {
                vec![(path.clone(), Stamp::of(path))]
            }
        })
        .collect()
}

/// The font folder's files with their stamps (none for the built-in
/// family).
fn font_stamps(dir: Option<&Path>) -> Vec<(PathBuf, Option<Stamp>)> {
    let Some(dir) = dir else {
        return Vec::new();
    };
    crate::layout::fonts::font_paths(dir)
        .unwrap_or_default()
        .into_iter()
        .map(|path| {
            let stamp = Stamp::of(&path);
            (path, stamp)
        })
        .collect()
}
