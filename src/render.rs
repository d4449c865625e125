//! One article to PDF bytes: parse, lay out and write a single article with
//! fonts the caller already holds, so that a long-running process (the
//! "Download PDF" server) sets articles without re-reading its fonts.

use std::path::Path;
use std::sync::Arc;

use thiserror::Error;

use crate::diag::Diagnostics;
use crate::layout::Caches;
use crate::layout::fonts::FontSet;
use crate::model::{Article, Block, BlockKind, Image, Series, block_index_walk};
use crate::parse;
use crate::pdf::{PdfOptions, SubsetCache};
use crate::style::{Style, StyleError};

/// Why an article could not be set as a PDF.
#[derive(Debug, Error)]
pub enum RenderError {
    /// The article or its `series.toml` has errors.
    #[error("the article has errors:\n{}", lines(.0))]
    Input(Diagnostics),
    /// The `[print]` settings of `series.toml` are not usable.
    #[error("print settings: {0}")]
    Style(StyleError),
    /// Layout or the PDF writer found errors (content that cannot be set,
    /// a page that fails a requested standard, a font that cannot be
    /// embedded).
    #[error("the article cannot be set:\n{}", lines(.0))]
    Unset(Diagnostics),
}

/// The error diagnostics, one per line.
fn lines(diags: &Diagnostics) -> String {
    diags
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads one article as a series of its own, with its folder's
/// `series.toml`, as `iskra pdf` does.
pub fn read_article(path: &Path) -> Result<Series, RenderError> {
    match parse::parse_single_article(path) {
        (Some(series), _) => Ok(series),
        (None, diags) => Err(RenderError::Input(diags)),
    }
}

/// Sets the first article of `series` (from [`read_article`]) as a PDF in
/// `fonts`, with the series' own print settings, for a worker that sets
/// one article after another, as the service does: `caches` hold the
/// words earlier renders shaped and hyphenated, and `subsets` each face's
/// common glyphs, subset once (see [`crate::pdf::write_pdf_with`]). The
/// same article gives the same bytes whatever either held. Gives the PDF
/// and layout's warnings (characters printed as boxes, say), for the
/// caller to log.
pub fn article_pdf_with_subsets(
    series: &Series,
    fonts: &FontSet,
    options: &PdfOptions,
    caches: &mut Caches,
    subsets: &mut SubsetCache,
) -> Result<(Vec<u8>, Diagnostics), RenderError> {
    let style = Style::resolve(&series.print).map_err(RenderError::Style)?;
    crate::build::single::article_pdf(series, &style, fonts, caches, Some(subsets), options, None)
        .map_err(RenderError::Unset)
}

/// Every image the series' PDF may draw (its cover, if loaded — an
/// article's own has none —, lead images, figures in the body and in
/// notes), each once: what a cache key must cover besides the article's
/// text.
pub fn images(series: &Series) -> Vec<Arc<Image>> {
    let mut found: Vec<Arc<Image>> = Vec::new();
    let mut add = |image: &Arc<Image>| {
        if !found.iter().any(|seen| seen.path == image.path) {
            found.push(Arc::clone(image));
        }
    };
    if let Some(cover) = &series.meta.cover {
        add(cover);
    }
    for image in series.articles.iter().flat_map(article_images) {
        add(&image);
    }
    found
}

/// The images an article shows (its lead image, figures in the body and
/// in notes), in order, each as often as it is shown.
pub fn article_images(article: &Article) -> Vec<Arc<Image>> {
    let lead = article.meta.image.iter().map(|lead| &lead.image);
    let note_blocks = article
        .notes
        .iter()
        .flat_map(|n| block_index_walk(&n.blocks));
    let figures = block_index_walk(&article.body)
        .into_iter()
        .chain(note_blocks)
        .filter_map(figure_image);
    lead.chain(figures).map(Arc::clone).collect()
}

fn figure_image(block: &Block) -> Option<&Arc<Image>> {
    match &block.kind {
        BlockKind::Figure(figure) => Some(&figure.image),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Articles of two series, one of them in several scripts (fallback
    /// faces, right-to-left text, characters no font has).
    #[test]
    fn preset_subsets_kept_from_render_to_render_give_the_same_bytes() {
        let fonts = FontSet::builtin();
        let options = PdfOptions::default();
        let (mut layout, mut subsets) = (Caches::default(), SubsetCache::default());
        let articles = articles();
        assert!(articles.len() >= 3, "{articles:?}");
        // Each article twice, in turn, through the same caches.
        for path in articles.iter().chain(articles.iter().rev()) {
            let series = read_article(path).expect("the article reads");
            let fresh = fresh_render(&series, &fonts, &options);
            let warm =
                article_pdf_with_subsets(&series, &fonts, &options, &mut layout, &mut subsets)
                    .expect("sets");
            assert!(fresh.0 == warm.0, "{} differs", path.display());
        }
        let (hits, misses) = subsets.counts();
        assert!(
            hits > 0 && misses > 0,
            "{hits} faces from a preset, {misses} not"
        );
    }

    /// The article's PDF and warnings through caches that hold nothing.
    fn fresh_render(
        series: &Series,
        fonts: &FontSet,
        options: &PdfOptions,
    ) -> (Vec<u8>, Diagnostics) {
        let (mut layout, mut subsets) = (Caches::default(), SubsetCache::default());
        article_pdf_with_subsets(series, fonts, options, &mut layout, &mut subsets).expect("sets")
    }

    fn articles() -> Vec<std::path::PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        [
            "articles/russian-revolution/02-april-theses.md",
            "tests/fixtures/world-series/01-dockers.md",
            "tests/fixtures/world-series/03-voices.md",
            "tests/fixtures/epub-series/01-everything.md",
            "tests/fixtures/epub-series/02-russian.md",
        ]
        .iter()
        .map(|a| root.join(a))
        .filter(|a| a.exists())
        .collect()
    }

    #[test]
    fn caches_kept_from_render_to_render_give_the_same_bytes() {
        let fonts = FontSet::builtin();
        let options = PdfOptions::default();
        let mut kept = Caches::default();
        let articles = articles();
        assert!(articles.len() >= 3, "{articles:?}");
        // Each article twice, in turn, through the same caches.
        for path in articles.iter().chain(&articles) {
            let series = read_article(path).expect("the article reads");
            let fresh = fresh_render(&series, &fonts, &options);
            let warm = article_pdf_with_subsets(
                &series,
                &fonts,
                &options,
                &mut kept,
                &mut SubsetCache::default(),
            )
            .expect("sets");
            assert!(fresh.0 == warm.0, "{} differs", path.display());
            let messages = |d: &Diagnostics| d.iter().map(ToString::to_string).collect::<Vec<_>>();
            assert_eq!(messages(&fresh.1), messages(&warm.1), "{}", path.display());
        }
        assert!(
            kept.words().0 > 100,
            "the caches were kept: {:?}",
            kept.words()
        );
    }
}
