//! The EPUB backend: a series as one EPUB 3.3 publication, with an EPUB 2
//! NCX for older readers, that EPUBCheck accepts without a warning.
//!
//! The publication holds a cover page (when the series has a cover), a
//! title page, the navigation document (which doubles as the contents
//! page), one XHTML document per article, a stylesheet and the images:
//!
//! ```text
//! mimetype                      stored, first
//! META-INF/container.xml
//! EPUB/package.opf              metadata, manifest, spine
//! EPUB/cover.xhtml  title.xhtml  nav.xhtml  toc.ncx  style.css
//! EPUB/text/<article>.xhtml
//! EPUB/images/<image>.jpg|png
//! ```
//!
//! Every string from the input is escaped by [`xml::Xml`]; file names and
//! ids are made safe by [`names`]. The output depends only on the series
//! and the options: no clock, no random ids, fixed zip timestamps.

mod article;
mod container;
mod credits;
mod fonts;
mod hyphens;
mod images;
mod metadata;
mod names;
mod nav;
mod package;
mod pagebreaks;
mod stores;
mod words;
mod xhtml;
mod xml;

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;

use thiserror::Error;

use crate::model::{Date, Series};
use crate::parse::front_matter::is_language_tag;
use article::{ArticleInput, RenderedArticle};
use images::ImageSet;
use metadata::{Accessibility, PackageMeta};
use nav::{Landmark, PageTarget, TocEntry};
use package::{Resource, XHTML};
use pagebreaks::PlacedBreak;

pub use container::ContainerError;
pub use fonts::{FontToEmbed, FontUse};
pub use stores::{KDP_COVER, STORE_COVER_SHORT_SIDE, cover_warnings, store_warnings};

/// The e-reader stylesheet.
const STYLESHEET: &str = include_str!("style.css");

/// Choices for one EPUB build.
#[derive(Clone, Debug, Default)]
pub struct EpubOptions {
    /// `dcterms:modified`, e.g. `2017-04-11T00:00:00Z`. When `None`, taken
    /// from the `SOURCE_DATE_EPOCH` environment variable, else from when
    /// the newest input file (article, series.toml, image) was changed,
    /// else the newest article date at midnight UTC; never the clock, so
    /// the same files give the same bytes.
    pub modified: Option<String>,
    /// Where the pages of the print edition begin, to be marked in the text
    /// and listed in a page list. Empty for an e-book without print pages.
    pub page_breaks: Vec<PageBreak>,
    /// The cover image when the series has none of its own (Iskra draws
    /// one in the design of the book's cover).
    pub cover: Option<Arc<crate::model::Image>>,
    /// Fonts to carry in the book, each subset to the characters it uses;
    /// none leaves the type to the reader.
    pub fonts: Vec<FontToEmbed>,
    /// Soft hyphens in paragraphs at the print layout's break points, for
    /// reading systems without a hyphenation dictionary.
    pub soft_hyphens: bool,
}

/// Where a print page begins, for the EPUB's page list: readers in a class
/// using the printed book can then go to "page 12" in the e-book too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageBreak {
    /// The page number as printed (`12`, `xii`).
    pub label: String,
    /// Index into [`Series::articles`].
    pub article: usize,
    /// Index into [`crate::model::block_index_walk`] of the article body.
    pub block: usize,
    /// Byte offset into [`crate::model::plain_text`] of the block's inline
    /// content (paragraphs and headings): the marker goes before the word
    /// that starts there. For other blocks, and at offset 0, the marker
    /// goes before the block; at block 0 and offset 0, before the article's
    /// title, since the page begins with the article.
    pub offset: usize,
}

/// Where each page of a laid-out book begins in the text: the page map
/// that puts the print edition's page numbers into the EPUB.
pub fn page_breaks(book: &crate::page::Document) -> Vec<PageBreak> {
    book.pages
        .iter()
        .zip(&book.page_starts)
        .filter_map(|(page, start)| start.map(|at| page_break(&page.label, at)))
        .collect()
}

/// The page map from pages' printed numbers and where their text starts
/// (`layout::book::article_page_starts`), before the book is assembled:
/// the same as [`page_breaks`] of the book.
pub fn page_breaks_at(
    starts: &[(crate::page::PageLabel, crate::page::TextPosition)],
) -> Vec<PageBreak> {
    starts
        .iter()
        .map(|(label, at)| page_break(label, *at))
        .collect()
}

/// A page's entry in the page map.
fn page_break(label: &crate::page::PageLabel, at: crate::page::TextPosition) -> PageBreak {
    PageBreak {
        label: label.to_string(),
        article: at.article,
        block: at.block,
        offset: at.offset,
    }
}

/// Why an EPUB could not be written.
#[derive(Debug, Error)]
pub enum EpubError {
    /// There is nothing to publish.
    #[error("the series has no articles, so there is nothing to put in an EPUB")]
    NoArticles,
    /// A language tag that EPUB readers and EPUBCheck would reject.
    #[error("{place}: `{tag}` is not a BCP 47 language tag")]
    BadLanguage {
        /// The series or the article file.
        place: String,
        /// The tag as given.
        tag: String,
    },
    /// A date EPUB metadata cannot express.
    #[error("{}: the date {date} is outside the years 0001 to 9999", article.display())]
    DateOutOfRange {
        /// The article file.
        article: PathBuf,
        /// Its date.
        date: Date,
    },
    /// [`EpubOptions::modified`] is not an EPUB timestamp.
    #[error("modified time `{0}` is not a UTC time of the form 2017-04-11T00:00:00Z")]
    BadModified(String),
    /// `SOURCE_DATE_EPOCH` is set but unusable.
    #[error("SOURCE_DATE_EPOCH `{0}` is not a number of seconds from 1970 to the year 9999")]
    BadSourceDateEpoch(String),
    /// A footnote reference without a footnote.
    #[error("{}: footnote reference {number} points to no footnote", article.display())]
    MissingNote {
        /// The article file.
        article: PathBuf,
        /// The note number (1-based).
        number: usize,
    },
    /// A page break pointing outside the series.
    #[error("page break `{label}`: {reason}")]
    BadPageBreak {
        /// The page label.
        label: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An image too large to embed as it is, that could not be scaled.
    #[error("cannot scale down image {}: {source}", path.display())]
    Image {
        /// The image file.
        path: PathBuf,
        /// The decoder's or encoder's complaint.
        source: image::ImageError,
    },
    /// A font to embed could not be read or subset.
    #[error("cannot embed font {name}: {reason}")]
    Font {
        /// The font.
        name: String,
        /// What went wrong.
        reason: String,
    },
    /// The book is too large for its zip container.
    #[error("cannot write the EPUB container: {0}")]
    Zip(#[from] container::ContainerError),
}

/// Writes `series` as the bytes of an EPUB file.
pub fn write_epub(series: &Series, options: &EpubOptions) -> Result<Vec<u8>, EpubError> {
    check_series(series)?;
    let images = ImageSet::collect(series, options.cover.as_ref())?;
    let breaks = pagebreaks::place(series, &options.page_breaks)?;
    let page_list = breaks.iter().any(|b| !b.is_empty());
    let access = Accessibility::of(series, !images.is_empty(), page_list);
    let source_date_epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let meta = PackageMeta::new(
        series,
        options.modified.as_deref(),
        source_date_epoch.as_deref(),
        metadata::newest_input_time(series),
        access,
    )?;
    let files = article_files(series);
    let articles = render_articles(series, &images, &breaks, options.soft_hyphens)?;
    let landmarks = landmarks(&images, &files);
    let mut resources = resources(
        series, &meta, &images, &files, articles, &breaks, &landmarks,
    );
    if !options.fonts.is_empty() {
        embed_fonts(&mut resources, &options.fonts)?;
    }
    let cover_image_id = images.cover().map(|c| c.id.as_str());
    let page_source = page_list.then(|| metadata::print_edition_identifier(&meta.identifier));
    let opf = package::package_document(
        &meta,
        &resources,
        &landmarks,
        "ncx",
        cover_image_id,
        page_source.as_deref(),
    );
    let mut entries: Vec<(String, &[u8])> = vec![("EPUB/package.opf".into(), opf.as_bytes())];
    entries.extend(
        resources
            .iter()
            .map(|r| (format!("EPUB/{}", r.href), r.data.as_ref())),
    );
    Ok(container::zip_epub(&entries)?)
}

/// Adds the fonts, subset to the characters of the book's documents, and
/// the stylesheet rules that use them.
fn embed_fonts(resources: &mut Vec<Resource<'_>>, wanted: &[FontToEmbed]) -> Result<(), EpubError> {
    let documents = resources.iter().filter(|r| r.media_type == XHTML);
    let chars = fonts::characters(documents.map(|r| r.data.as_ref()));
    let subsets = fonts::subset_all(wanted, &chars)?;
    let css = format!("{STYLESHEET}{}", fonts::stylesheet(wanted, &subsets));
    if let Some(sheet) = resources.iter_mut().find(|r| r.id == "css") {
        sheet.data = Cow::Owned(css.into_bytes());
    }
    for (i, subset) in subsets.into_iter().enumerate() {
        resources.push(Resource {
            id: format!("font-{}", i + 1),
            href: subset.href,
            media_type: "font/ttf",
            properties: None,
            in_spine: false,
            data: Cow::Owned(subset.data),
        });
    }
    Ok(())
}

/// Refuses what would make an invalid EPUB: no articles, language tags
/// EPUB rejects, dates it cannot write.
fn check_series(series: &Series) -> Result<(), EpubError> {
    if series.articles.is_empty() {
        return Err(EpubError::NoArticles);
    }
    if !is_language_tag(&series.meta.language) {
        return Err(EpubError::BadLanguage {
            place: format!("series {}", series.dir.display()),
            tag: series.meta.language.clone(),
        });
    }
    for article in &series.articles {
        if let Some(tag) = article.meta.lang.as_ref().filter(|t| !is_language_tag(t)) {
            return Err(EpubError::BadLanguage {
                place: article.path.display().to_string(),
                tag: tag.clone(),
            });
        }
        if !(1..=9999).contains(&article.meta.date.year) {
            return Err(EpubError::DateOutOfRange {
                article: article.path.clone(),
                date: article.meta.date,
            });
        }
    }
    Ok(())
}

/// Each article's document path (`text/<slug>.xhtml`), safe and unique.
fn article_files(series: &Series) -> Vec<String> {
    let mut names = names::UniqueNames::default();
    series
        .articles
        .iter()
        .enumerate()
        .map(|(i, article)| {
            let stem = names::safe_stem(&article.slug, &format!("article-{}", i + 1));
            format!("text/{}", names.claim(&stem, ".xhtml"))
        })
        .collect()
}

fn render_articles(
    series: &Series,
    images: &ImageSet<'_>,
    breaks: &[Vec<PlacedBreak>],
    soft_hyphens: bool,
) -> Result<Vec<RenderedArticle>, EpubError> {
    series
        .articles
        .iter()
        .enumerate()
        .map(|(i, article)| {
            let title = metadata::article_title(article, i + 1);
            article::render(&ArticleInput {
                article,
                title: &title,
                language: article.language(&series.meta.language),
                images,
                breaks: breaks.get(i).map_or(&[], Vec::as_slice),
                soft_hyphens,
            })
        })
        .collect()
}

/// The structural points of the book: cover page (when there is a cover),
/// title page, contents and the first article.
fn landmarks(images: &ImageSet<'_>, files: &[String]) -> Vec<Landmark> {
    let mut landmarks = Vec::new();
    if images.cover().is_some() {
        landmarks.push(landmark("cover", words::COVER, "cover.xhtml"));
    }
    landmarks.push(landmark("titlepage", words::TITLE_PAGE, "title.xhtml"));
    landmarks.push(landmark("toc", words::CONTENTS, "nav.xhtml#toc"));
    if let Some(first) = files.first() {
        landmarks.push(landmark("bodymatter", words::START, first));
    }
    landmarks
}

/// Every file of the publication, in spine order first: cover page,
/// title page, contents, articles; then NCX, stylesheet and images.
fn resources<'a>(
    series: &Series,
    meta: &PackageMeta,
    images: &'a ImageSet<'a>,
    files: &[String],
    articles: Vec<RenderedArticle>,
    breaks: &[Vec<PlacedBreak>],
    landmarks: &[Landmark],
) -> Vec<Resource<'a>> {
    let mut resources = Vec::new();
    if let Some(cover) = images.cover() {
        let page = xhtml::cover_page(&series.meta, &meta.title, cover);
        resources.push(document("cover", "cover.xhtml", Some("svg"), page));
    }
    let title_page = xhtml::title_page(&series.meta, &meta.title);
    resources.push(document("title-page", "title.xhtml", None, title_page));
    let toc = contents(series, files, &articles);
    let pages = page_targets(files, breaks);
    let nav_page = nav::nav_document(meta, &toc, landmarks, &pages);
    resources.push(document("nav", "nav.xhtml", Some("nav"), nav_page));
    for (i, (file, article)) in files.iter().zip(articles).enumerate() {
        let id = format!("article-{}", i + 1);
        resources.push(document(&id, file, None, article.xhtml));
    }
    resources.push(Resource {
        id: "ncx".into(),
        href: "toc.ncx".into(),
        media_type: "application/x-dtbncx+xml",
        properties: None,
        in_spine: false,
        data: Cow::Owned(nav::ncx(meta, &toc).into_bytes()),
    });
    resources.push(Resource {
        id: "css".into(),
        href: "style.css".into(),
        media_type: "text/css",
        properties: None,
        in_spine: false,
        data: Cow::Borrowed(STYLESHEET.as_bytes()),
    });
    let cover_id = images.cover().map(|c| c.id.as_str());
    for image in images.iter() {
        resources.push(Resource {
            id: image.id.clone(),
            href: image.href.clone(),
            media_type: image.media_type,
            properties: (Some(image.id.as_str()) == cover_id).then_some("cover-image"),
            in_spine: false,
            data: Cow::Borrowed(image.data.as_ref()),
        });
    }
    resources
}

fn document<'a>(
    id: &str,
    href: &str,
    properties: Option<&'static str>,
    text: String,
) -> Resource<'a> {
    Resource {
        id: id.to_string(),
        href: href.to_string(),
        media_type: XHTML,
        properties,
        in_spine: true,
        data: Cow::Owned(text.into_bytes()),
    }
}

fn landmark(kind: &'static str, label: &'static str, href: &str) -> Landmark {
    Landmark {
        kind,
        label,
        href: href.to_string(),
    }
}

/// The table of contents: each article ("Part N: Title"), with its
/// subheadings under it.
fn contents(series: &Series, files: &[String], articles: &[RenderedArticle]) -> Vec<TocEntry> {
    series
        .articles
        .iter()
        .zip(files)
        .zip(articles)
        .enumerate()
        .map(|(i, ((article, file), rendered))| {
            let title = metadata::article_title(article, i + 1);
            let label = match article.meta.part {
                Some(part) => format!("{}: {title}", words::part(part)),
                None => title,
            };
            nav::article_entry(label, file, &rendered.headings)
        })
        .collect()
}

/// The page list, in reading order.
fn page_targets(files: &[String], breaks: &[Vec<PlacedBreak>]) -> Vec<PageTarget> {
    files
        .iter()
        .zip(breaks)
        .flat_map(|(file, breaks)| {
            breaks.iter().map(move |b| PageTarget {
                label: b.label.clone(),
                href: format!("{file}#{}", b.id),
            })
        })
        .collect()
}

#[cfg(test)]
mod reader_tests;
#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tests;
