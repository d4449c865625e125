//! Parsing: article files and `series.toml` into a [`Series`], or every
//! diagnostic that stands in the way.
//!
//! Each article is read with a size limit, split into front matter and
//! body, its front matter typed key by key ([`front_matter`]) and its body
//! folded from pulldown-cmark events ([`markdown`]). Images are read and
//! checked here ([`images`]) so that a bad one is reported at the line that
//! names it.

pub mod characters;
pub mod front_matter;
pub mod images;
pub mod lang_spans;
pub mod markdown;
pub(crate) mod png;
pub mod series_file;
pub mod smart;
pub mod yaml;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Diagnostic, Diagnostics, LineIndex, Span};
use crate::model::{Article, Figure, Image, Inline, Meta, Series, SeriesMeta};
use crate::style::{PrintOptions, StyleError};

use front_matter::RawMeta;
use images::ImageLoader;
use rayon::prelude::*;

/// Largest article file accepted; a long feature is under 100 KB.
pub const MAX_ARTICLE_BYTES: u64 = 8 << 20;

/// Where to look for things outside the series folder.
#[derive(Clone, Debug, Default)]
pub struct ParseOptions {
    /// Folder of covers named after series (`covers/<series>.jpg|png`).
    pub covers_dir: Option<PathBuf>,
}

/// Parses every article of the series folder `dir`.
/// Returns the series when there were no errors, and all diagnostics.
pub fn parse_series(dir: &Path, options: &ParseOptions) -> (Option<Series>, Diagnostics) {
    parse_series_with(dir, options, &ImageLoader::new(dir), &parse_article)
}

/// Reads one article file of a series, with what it has to say about it.
pub type ArticleReader<'a> =
    dyn Fn(&Path, &ImageLoader) -> (Option<Article>, Diagnostics) + Sync + 'a;

/// [`parse_series`], with images read by `loader` (for the folder `dir`)
/// and each article file by `read_article` (a build that keeps earlier
/// results answers from them).
pub fn parse_series_with(
    dir: &Path,
    options: &ParseOptions,
    loader: &ImageLoader,
    read_article: &ArticleReader<'_>,
) -> (Option<Series>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let files = match article_files(dir) {
        Ok(files) => files,
        Err(diagnostic) => return (None, diagnostic.into()),
    };
    let (series_file, print) = read_series_file(dir, &mut diags);
    // Articles are independent: parsed side by side, reported in file order.
    let parsed: Vec<(Option<Article>, Diagnostics)> = files
        .par_iter()
        .map(|path| read_article(path, loader))
        .collect();
    let mut articles = Vec::new();
    for (article, found) in parsed {
        diags.extend(found);
        articles.extend(article);
    }
    sort_articles(&mut articles);
    warn_duplicate_parts(&articles, &mut diags);
    let mut meta = series_meta(dir, &series_file, &articles, &mut diags);
    meta.cover = series_cover(
        dir,
        series_file.cover.as_deref(),
        loader,
        options,
        &mut diags,
    );
    let series = Series {
        dir: dir.to_path_buf(),
        slug: folder_name(dir),
        meta,
        articles,
        print,
    };
    let ok = !diags.has_errors();
    (ok.then_some(series), diags)
}

/// Parses one article as a series of its own (for the per-article PDF),
/// with the metadata of its folder's `series.toml` if there is one.
pub fn parse_single_article(path: &Path) -> (Option<Series>, Diagnostics) {
    let (series, diags, _) = parse_single_article_noting(path);
    (series, diags)
}

/// [`parse_single_article`], also giving every image path it looked at
/// (found or not), so that a caller caching the outcome can watch them.
pub fn parse_single_article_noting(path: &Path) -> (Option<Series>, Diagnostics, Vec<PathBuf>) {
    let mut diags = Diagnostics::new();
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let loader = ImageLoader::new(dir);
    let (series_file, print) = read_series_file(dir, &mut diags);
    let article = parse_article_file(path, &loader, &mut diags);
    let articles: Vec<Article> = article.into_iter().collect();
    // No cover: an article's own PDF has none, and loading it would cost
    // every on-demand render a decode.
    let meta = series_meta(dir, &series_file, &articles, &mut diags);
    let series = Series {
        dir: dir.to_path_buf(),
        slug: folder_name(dir),
        meta,
        articles,
        print,
    };
    let ok = !diags.has_errors() && !series.articles.is_empty();
    (ok.then_some(series), diags, loader.looked_at())
}

/// The `*.md` files of a series folder, sorted by name (a README is not an
/// article).
fn article_files(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Diagnostic::general(format!("cannot read series folder {}: {e}", dir.display()))
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| is_article_file(p))
        .collect();
    // All in one folder: their paths differ in the file name alone, which
    // orders them as comparing path components would, without parsing
    // each path into components at every comparison.
    files.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    if files.is_empty() {
        return Err(Diagnostic::general(format!(
            "{} holds no articles (*.md files)",
            dir.display()
        )));
    }
    Ok(files)
}

/// True for a file a series folder counts as an article: `*.md`, but not
/// a README or a hidden file.
pub fn is_article_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    path.extension().is_some_and(|e| e == "md")
        && !name.starts_with('.')
        && !name.eq_ignore_ascii_case("readme.md")
}

/// Reads a text file no larger than `limit`, as UTF-8.
fn read_text(path: &Path, limit: u64) -> Result<String, Diagnostic> {
    let bytes = crate::files::read_regular(path, limit).map_err(|e| {
        let d = Diagnostic::error(path, Span::FILE, e.to_string());
        match e {
            crate::files::ReadError::NotAFile(_) => {
                d.hint("articles and series.toml must be regular files")
            }
            _ => d,
        }
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]);
        let span = LineIndex::new(&prefix).span(&prefix, valid);
        Diagnostic::error(path, span, "file is not valid UTF-8")
            .hint("save the file with UTF-8 encoding")
    })
}

/// Print settings that do not fit together once the command line's
/// (`cli`) are laid over the series': shown at the flag when the command
/// line gave the option at fault, else at its line in `series.toml`.
pub fn print_settings_error(series: &Series, cli: &PrintOptions, error: &StyleError) -> Diagnostic {
    let StyleError { option, message } = error;
    if cli.sets(option) {
        return Diagnostic::general(format!("--{option}: {message}"));
    }
    let path = series.dir.join("series.toml");
    match read_text(&path, 1 << 20) {
        Ok(text) if series.print.sets(option) => {
            let span = series_file::print_key_position(&text, option);
            Diagnostic::error(path, span, format!("[print] {option}: {message}"))
        }
        _ => Diagnostic::general(format!("print settings: {message}")),
    }
}

/// Reads `series.toml` if present; its problems go to `diags`.
fn read_series_file(
    dir: &Path,
    diags: &mut Diagnostics,
) -> (series_file::SeriesFile, PrintOptions) {
    let path = dir.join("series.toml");
    if std::fs::symlink_metadata(&path).is_err() {
        return Default::default();
    }
    let text = match read_text(&path, 1 << 20) {
        Ok(text) => text,
        Err(d) => {
            diags.push(d);
            return Default::default();
        }
    };
    match series_file::parse(&text) {
        Ok((file, problems)) => {
            for p in problems {
                diags.push(if p.warning {
                    Diagnostic::warning(&path, p.span, p.message)
                } else {
                    Diagnostic::error(&path, p.span, p.message)
                });
            }
            let print = file.print.clone();
            (file, print)
        }
        Err(p) => {
            diags.push(Diagnostic::error(&path, p.span, p.message));
            Default::default()
        }
    }
}

/// Parses one article file of a series whose images `loader` reads; the
/// article is `None` when it has errors.
pub fn parse_article(path: &Path, loader: &ImageLoader) -> (Option<Article>, Diagnostics) {
    let mut found = Diagnostics::new();
    let article = parse_article_file(path, loader, &mut found);
    (article, found)
}

/// Parses one article file; `None` when it has errors (reported).
pub(crate) fn parse_article_file(
    path: &Path,
    loader: &ImageLoader,
    diags: &mut Diagnostics,
) -> Option<Article> {
    let text = match read_text(path, MAX_ARTICLE_BYTES) {
        Ok(text) => text,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let front_matter_end = front_matter::split(text).map_or(0, |s| s.body_offset);
    let scanned = characters::scan(text, front_matter_end);
    for (span, message, hint) in &scanned.warnings {
        diags.push(Diagnostic::warning(path, *span, message).hint(hint));
    }
    let index = match scanned.cleaned {
        Some(ref cleaned) => LineIndex::new(cleaned),
        None => scanned.index,
    };
    let text = scanned.cleaned.as_deref().unwrap_or(text);
    let split = match front_matter::split(text) {
        Ok(split) => split,
        Err((span, message, hint)) => {
            let mut d = Diagnostic::error(path, span, message);
            d.hints.extend(hint);
            diags.push(d);
            return None;
        }
    };
    let errors_before = diags.error_count();
    let (raw, findings) = front_matter::read(&split);
    for (span, message, hint) in findings.errors {
        let mut d = Diagnostic::error(path, span, message);
        d.hints.extend(hint);
        diags.push(d);
    }
    for (span, message, hint) in findings.warnings {
        let mut d = Diagnostic::warning(path, span, message);
        d.hints.extend(hint);
        diags.push(d);
    }
    let base = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut body_diags = Vec::new();
    let body = markdown::parse_body(
        markdown::Context {
            path,
            text,
            index: &index,
            body_offset: split.body_offset,
            images: loader,
            base,
        },
        &mut body_diags,
    );
    for d in body_diags {
        diags.push(d);
    }
    let lead = lead_image(path, &raw, loader, base, diags);
    if diags.error_count() > errors_before {
        return None;
    }
    let (Some(title), Some(date)) = (raw.title, raw.date) else {
        return None;
    };
    Some(Article {
        path: path.to_path_buf(),
        slug: path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        meta: Meta {
            title,
            short_title: raw.short_title,
            standfirst: raw.standfirst,
            authors: raw.authors,
            date,
            issue: raw.issue,
            series: raw.series,
            part: raw.part,
            image: lead,
            tags: raw.tags,
            lang: raw.lang,
        },
        body: body.blocks,
        notes: body.notes,
        characters: scanned.characters,
    })
}

/// The front matter's `image:` with its `caption:`, loaded.
fn lead_image(
    path: &Path,
    raw: &RawMeta,
    loader: &ImageLoader,
    base: &Path,
    diags: &mut Diagnostics,
) -> Option<Figure> {
    let (source, span) = raw.image.as_ref()?;
    match loader.load(base, source) {
        Ok(image) => {
            let caption = raw.caption.clone().unwrap_or_default();
            if caption.is_empty() {
                diags.push(
                    Diagnostic::warning(
                        path,
                        *span,
                        format!("lead image `{source}` has no caption"),
                    )
                    .hint(
                        "add `caption:` to describe the picture; it is also its alternative text",
                    ),
                );
            }
            Some(Figure {
                image,
                alt: caption.clone(),
                caption: if caption.is_empty() {
                    Vec::new()
                } else {
                    vec![Inline::Text(caption)]
                },
                span: *span,
            })
        }
        Err(error) => {
            let mut d = Diagnostic::error(path, *span, error.to_string());
            d.hints.extend(error.hint().map(str::to_string));
            diags.push(d);
            None
        }
    }
}

/// Reading order: `part`, then `date`, then file name; articles without a
/// part come after those with one.
fn sort_articles(articles: &mut [Article]) {
    // The paths, all in the series folder, differ in the file name alone
    // (see `article_files`).
    articles.sort_by(|a, b| {
        let key = |x: &Article| (x.meta.part.is_none(), x.meta.part, x.meta.date);
        key(a)
            .cmp(&key(b))
            .then_with(|| a.path.as_os_str().cmp(b.path.as_os_str()))
    });
}

fn warn_duplicate_parts(articles: &[Article], diags: &mut Diagnostics) {
    for pair in articles.windows(2) {
        if let (Some(a), Some(b)) = (pair[0].meta.part, pair[1].meta.part)
            && a == b
        {
            diags.push(Diagnostic::warning(
                &pair[1].path,
                Span::FILE,
                format!(
                    "`part: {b}` is also the part of {}; ordered by date",
                    pair[0].path.display()
                ),
            ));
        }
    }
}

/// The series metadata: `series.toml` where it speaks, else derived.
fn series_meta(
    dir: &Path,
    file: &series_file::SeriesFile,
    articles: &[Article],
    diags: &mut Diagnostics,
) -> SeriesMeta {
    let toml_path = dir.join("series.toml");
    let language = file
        .language
        .clone()
        .filter(|l| {
            let ok = front_matter::is_language_tag(l);
            if !ok {
                diags.push(Diagnostic::error(
                    &toml_path,
                    Span::FILE,
                    format!("`language = \"{l}\"` is not a BCP 47 language tag"),
                ));
            }
            ok
        })
        .or_else(|| articles.first().and_then(|a| a.meta.lang.clone()))
        .unwrap_or_else(|| "en".to_string());
    SeriesMeta {
        title: file
            .title
            .as_deref()
            .map(smart::smarten)
            .unwrap_or_else(|| title_from_slug(&folder_name(dir))),
        subtitle: file.subtitle.as_deref().map(smart::smarten),
        authors: file.author.as_ref().map_or_else(Vec::new, |n| n.to_vec()),
        editors: file.editor.as_ref().map_or_else(Vec::new, |n| n.to_vec()),
        publisher: file.publisher.clone(),
        language,
        identifier: file.identifier.clone(),
        // Checked by series_file::parse, which reports a bad one.
        isbn: file
            .isbn
            .as_deref()
            .and_then(|isbn| series_file::isbn13(isbn).ok()),
        url: file
            .url
            .as_deref()
            .and_then(|url| series_file::web_address(url).ok()),
        cover: None,
        characters: file.printed_characters.clone(),
    }
}

/// The series' cover: the one `series.toml` names (an error if it cannot
/// be loaded), else one found in the covers folder.
fn series_cover(
    dir: &Path,
    named: Option<&str>,
    loader: &ImageLoader,
    options: &ParseOptions,
    diags: &mut Diagnostics,
) -> Option<Arc<Image>> {
    let Some(source) = named else {
        return find_cover(dir, options);
    };
    match loader.load(dir, source) {
        Ok(image) => Some(image),
        Err(error) => {
            let mut d = Diagnostic::error(dir.join("series.toml"), Span::FILE, error.to_string());
            d.hints.extend(error.hint().map(str::to_string));
            diags.push(d);
            None
        }
    }
}

/// `covers/<series>.jpg` or `.png`, if present and sound, from the first
/// of [`covers_folders`] that holds one.
fn find_cover(dir: &Path, options: &ParseOptions) -> Option<Arc<Image>> {
    let slug = folder_name(dir);
    covers_folders(dir, options).iter().find_map(|covers| {
        let loader = ImageLoader::new(covers);
        ["jpg", "jpeg", "png"]
            .iter()
            .map(|ext| format!("{slug}.{ext}"))
            .filter(|name| covers.join(name).is_file())
            .find_map(|name| loader.load(covers, &name).ok())
    })
}

/// The folders a series' cover is looked for in, in order: the covers
/// folder as given (relative to the working directory), then one of that
/// name beside the series folder or a level above it. So a repository laid
/// out as `articles/<series>/` and `covers/` finds its covers from any
/// working directory, and `watch` knows which folders to watch.
pub fn covers_folders(dir: &Path, options: &ParseOptions) -> Vec<PathBuf> {
    let Some(covers) = &options.covers_dir else {
        return Vec::new();
    };
    let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let mut folders: Vec<PathBuf> = Vec::new();
    let candidates = std::iter::once(covers.clone()).chain(
        canonical
            .ancestors()
            .skip(1)
            .take(2)
            .map(|up| up.join(covers)),
    );
    for candidate in candidates {
        let Ok(real) = candidate.canonicalize() else {
            continue;
        };
        if real.is_dir() && !folders.contains(&real) {
            folders.push(real);
        }
    }
    folders
}

fn folder_name(dir: &Path) -> String {
    let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    canonical
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "series".to_string())
}

/// "russian-revolution" → "Russian Revolution".
fn title_from_slug(slug: &str) -> String {
    slug.split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_titles() {
        assert_eq!(title_from_slug("russian-revolution"), "Russian Revolution");
    }

    /// A series folder whose `series.toml` names a cover that is corrupt.
    fn series_with_broken_cover() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("series.toml"),
            "title = \"Signs\"\ncover = \"cover.png\"\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("cover.png"), b"\x89PNG\r\n\x1a\nbroken").unwrap();
        std::fs::write(
            dir.path().join("01-a.md"),
            "---\ntitle: A\ndate: 2017-04-07\nauthor: N\n---\n\nText.\n",
        )
        .unwrap();
        dir
    }

    #[test]
    fn a_series_finds_the_covers_folder_beside_its_articles_folder() {
        // repo/articles/signs and repo/covers/signs.png, parsed from a
        // working directory with no covers folder of that series.
        let repo = tempfile::tempdir().unwrap();
        let series = repo.path().join("articles").join("signs");
        std::fs::create_dir_all(&series).unwrap();
        std::fs::create_dir(repo.path().join("covers")).unwrap();
        std::fs::write(
            series.join("01-a.md"),
            "---\ntitle: A\ndate: 2017-04-07\nauthor: N\n---\n\nText.\n",
        )
        .unwrap();
        let cover = image::RgbImage::from_pixel(16, 24, image::Rgb([120, 20, 20]));
        cover
            .save(repo.path().join("covers").join("signs.png"))
            .unwrap();
        let options = ParseOptions {
            covers_dir: Some(PathBuf::from("covers")),
        };
        let (found, diags) = parse_series(&series, &options);
        assert_eq!(diags.error_count(), 0);
        assert!(found.expect("the series parses").meta.cover.is_some());
        let expected = repo.path().join("covers").canonicalize().unwrap();
        assert!(covers_folders(&series, &options).contains(&expected));
        // No covers folder asked for: none is looked for.
        let (found, _) = parse_series(&series, &ParseOptions::default());
        assert!(found.expect("the series parses").meta.cover.is_none());
    }

    #[test]
    fn the_series_checks_its_cover_but_a_single_article_never_reads_it() {
        let dir = series_with_broken_cover();
        let (series, diags) = parse_series(dir.path(), &ParseOptions::default());
        assert!(series.is_none());
        assert_eq!(diags.error_count(), 1);

        let (series, diags) = parse_single_article(&dir.path().join("01-a.md"));
        assert_eq!(diags.error_count(), 0);
        let series = series.expect("the article parses");
        assert_eq!(series.meta.title, "Signs");
        assert!(series.meta.cover.is_none());
    }
}
