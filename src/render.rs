//! One article to PDF bytes: parse, lay out and write a single article with
//! fonts the caller already holds, so that a long-running process (the
//! "Download PDF" server) sets articles without re-reading its fonts.

use std::path::Path;
use std::sync::Arc;

use thiserror::Error;

use crate::diag::Diagnostics;
use crate::layout::fonts::FontSet;
use crate::model::{Article, Block, BlockKind, Image, Series, block_index_walk};
use crate::parse;
use crate::pdf::{PdfError, PdfOptions};
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
    /// Layout found errors (e.g. content that cannot be set).
    #[error("the article cannot be laid out:\n{}", lines(.0))]
    Layout(Diagnostics),
    /// The PDF writer refused the document.
    #[error(transparent)]
    Pdf(#[from] PdfError),
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
/// `fonts`, with the series' own print settings.
pub fn article_pdf(
    series: &Series,
    fonts: &FontSet,
    options: &PdfOptions,
) -> Result<Vec<u8>, RenderError> {
    article_pdf_with_warnings(series, fonts, options).map(|(pdf, _)| pdf)
}

/// [`article_pdf`], with the warnings layout gave (characters printed as
/// boxes, say), for the caller to log.
pub fn article_pdf_with_warnings(
    series: &Series,
    fonts: &FontSet,
    options: &PdfOptions,
) -> Result<(Vec<u8>, Diagnostics), RenderError> {
    let style = Style::resolve(&series.print).map_err(RenderError::Style)?;
    let (doc, diags) = crate::layout::layout_article(series, 0, &style, fonts);
    if diags.has_errors() {
        return Err(RenderError::Layout(diags));
    }
    Ok((crate::pdf::write_pdf(doc, options)?, diags))
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
