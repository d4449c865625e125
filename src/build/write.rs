//! The outputs' bytes and files: the PDF (a standard it cannot meet is
//! reported at the article and line where the failing page begins), the
//! EPUB (with the book's cover drawn when the series has no cover image),
//! and writing them to disk atomically.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::layout::fonts::FontSet;
use crate::model::{Image, ImageFormat, Series};
use crate::page::{Document, PageLabel, TextPosition};
use crate::pdf::{PdfError, PdfOptions, SubsetCache};

use super::{EpubSettings, Outputs};

/// The PDF's bytes, each face's common glyphs subset once in `subsets`
/// where a worker that sets one article after another keeps them (see
/// [`crate::pdf::write_pdf_with`]); a failure says what failed, naming the
/// article of each page that fails a standard.
pub fn pdf_bytes(
    doc: Document,
    options: &PdfOptions,
    series: &Series,
    subsets: Option<&mut SubsetCache>,
) -> Result<Vec<u8>, Diagnostics> {
    // Each page's article, folio and first text, to place a failure.
    let pages: Vec<PageOrigin> = doc
        .pages
        .iter()
        .enumerate()
        .map(|(i, page)| PageOrigin {
            article: page.article,
            label: page.label,
            start: doc.page_starts.get(i).copied().flatten(),
        })
        .collect();
    let written = match subsets {
        Some(subsets) => crate::pdf::write_pdf_with(doc, options, subsets),
        None => crate::pdf::write_pdf(doc, options),
    };
    match written {
        Ok(bytes) => Ok(bytes),
        Err(PdfError::Validation { standard, problems }) => {
            let mut diags = Diagnostics::new();
            for (page, problem) in problems {
                let page = page.and_then(|p| pages.get(p));
                diags.push(validation_failure(series, page, &problem, &standard));
            }
            Err(diags)
        }
        Err(PdfError::Font { file, reason }) => {
            let message = format!("this font cannot be embedded in the PDF: {reason}");
            Err(Diagnostic::error(file, Span::FILE, message)
                .hint("the file may be damaged: replace it with a fresh copy")
                .into())
        }
        Err(e) => Err(Diagnostic::general(e.to_string()).into()),
    }
}

/// Where a page of the book comes from.
struct PageOrigin {
    article: Option<usize>,
    label: PageLabel,
    start: Option<TextPosition>,
}

/// A standard the content cannot meet, reported at the article and line
/// where the failing page begins (or the article, or the book, when that
/// is all that is known).
fn validation_failure(
    series: &Series,
    page: Option<&PageOrigin>,
    problem: &str,
    standard: &str,
) -> Diagnostic {
    let on_page = page
        .map(|p| format!(" on page {} (which begins in this paragraph)", p.label))
        .unwrap_or_default();
    let message = format!("{problem}{on_page}; the PDF cannot meet {standard}");
    let found = page
        .and_then(|p| p.article)
        .and_then(|index| Some((index, series.articles.get(index)?)));
    let diagnostic = match found {
        Some((index, article)) => {
            let span = page
                .and_then(|p| p.start)
                .filter(|start| start.article == index)
                .and_then(|start| {
                    crate::model::block_index_walk(&article.body)
                        .get(start.block)
                        .map(|b| b.span)
                })
                .unwrap_or(Span::FILE);
            Diagnostic::error(&article.path, span, message)
        }
        None => Diagnostic::general(message),
    };
    diagnostic.hint("fix the content, or choose another standard with --standard (none for none)")
}

/// The EPUB's bytes, with the print page map and `cover` (the book's
/// cover drawn, for a series without a cover image).
pub fn epub_bytes(
    series: &Series,
    fonts: &FontSet,
    settings: &EpubSettings,
    page_breaks: Vec<crate::epub::PageBreak>,
    cover: Option<Result<Arc<Image>, Diagnostics>>,
) -> Result<Vec<u8>, Diagnostics> {
    let options = crate::epub::EpubOptions {
        page_breaks,
        cover: cover.transpose()?,
        fonts: if settings.embed_fonts {
            let with_fallbacks =
                crate::layout::fallback::for_articles(fonts, series, &series.articles);
            fonts_to_embed(&with_fallbacks)
        } else {
            Vec::new()
        },
        soft_hyphens: settings.soft_hyphens,
        ..crate::epub::EpubOptions::default()
    };
    crate::epub::write_epub(series, &options).map_err(|e| Diagnostic::general(e.to_string()).into())
}

/// The faces an EPUB carries: the family's four styles, the code face
/// and the fallback faces the book uses.
fn fonts_to_embed(fonts: &FontSet) -> Vec<crate::epub::FontToEmbed> {
    use crate::epub::{FontToEmbed, FontUse};
    use crate::layout::fonts::Role;
    [
        (Role::Regular, FontUse::Regular),
        (Role::Italic, FontUse::Italic),
        (Role::Bold, FontUse::Bold),
        (Role::BoldItalic, FontUse::BoldItalic),
        (Role::Mono, FontUse::Mono),
    ]
    .into_iter()
    .map(|(role, use_for)| {
        let face = fonts.face(fonts.role(role));
        FontToEmbed {
            use_for,
            data: face.data.clone(),
            name: face.source.clone(),
        }
    })
    .chain(
        // The fallback faces with outlines, after the family (a colour
        // bitmap face is left to the reader's own emoji, a face of a
        // collection such as Noto CJK to the reader's CJK fonts).
        fonts
            .fallback_faces()
            .filter(|face| face.has_outlines())
            .filter(|face| read_fonts::FontRef::new((*face.data).as_ref()).is_ok())
            .enumerate()
            .map(|(n, face)| FontToEmbed {
                use_for: FontUse::Fallback(n as u8 + 1),
                data: face.data.clone(),
                name: face.source.clone(),
            }),
    )
    .collect()
}

/// The book's typographic cover drawn as the e-book's cover image.
pub fn drawn_cover(series: &Series, fonts: &FontSet) -> Result<Arc<Image>, Diagnostics> {
    draw_cover(series, &crate::layout::cover::ebook_cover(series, fonts))
}

/// `page` (the e-book cover from layout) as a PNG of 1600 × 2560 pixels.
pub(super) fn draw_cover(series: &Series, page: &Document) -> Result<Arc<Image>, Diagnostics> {
    let failed = |e: &dyn std::fmt::Display| -> Diagnostics {
        Diagnostic::general(format!("cannot draw the e-book cover: {e}")).into()
    };
    let picture = crate::raster::render_page(page, 0, crate::layout::cover::EBOOK_COVER_WIDTH)
        .map_err(|e| failed(&e))?;
    let data = cover_png(&picture).map_err(|e| failed(&e))?;
    Ok(Arc::new(Image {
        path: series.dir.join("cover.png"),
        source: "cover.png".into(),
        format: ImageFormat::Png,
        width: picture.width(),
        height: picture.height(),
        data: data.into(),
    }))
}

/// The drawn cover as a PNG, compressed fast (`fdeflate`): a flat ground
/// and lettering, which PNG keeps exactly in some 60 % of the bytes of the
/// quality-90 JPEG it was, at a thirtieth of the JPEG encoder's
/// instructions (see bench/README.md).
fn cover_png(picture: &image::RgbImage) -> Result<Vec<u8>, image::ImageError> {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let mut data = Vec::new();
    let encoder =
        PngEncoder::new_with_quality(&mut data, CompressionType::Fast, FilterType::Adaptive);
    picture.write_with_encoder(encoder)?;
    Ok(data)
}

/// Where a build's outputs go: `OUT_DIR/<series>.pdf` and `.epub`.
pub fn output_paths<'a>(out: &Path, outputs: &'a Outputs) -> Vec<(PathBuf, &'a [u8])> {
    [(&outputs.pdf, "pdf"), (&outputs.epub, "epub")]
        .into_iter()
        .filter_map(|(bytes, extension)| {
            let bytes = bytes.as_deref()?;
            Some((output_path(out, &outputs.slug, extension), bytes))
        })
        .collect()
}

/// The file of the series `slug`'s output with `extension` in `out`.
pub fn output_path(out: &Path, slug: &str, extension: &str) -> PathBuf {
    out.join(format!("{slug}.{extension}"))
}

/// An output's bytes, written to a temporary file beside `place` when it
/// has one (see [`crate::output::Staged`]).
pub(super) fn staged(
    bytes: Result<Vec<u8>, Diagnostics>,
    place: Option<PathBuf>,
) -> Result<(Vec<u8>, Option<crate::output::Staged>), Diagnostics> {
    let bytes = bytes?;
    let staged = place
        .map(|path| crate::output::Staged::write(&path, &bytes))
        .transpose()
        .map_err(|e| failure(&e))?;
    Ok((bytes, staged))
}

/// An output that could not be written.
pub(super) fn failure(error: &crate::output::OutputError) -> Diagnostic {
    Diagnostic::general(error.to_string())
}

/// Writes every output atomically, all of them or none.
pub fn write_files(files: &[(PathBuf, &[u8])]) -> Result<(), Diagnostic> {
    crate::output::write_all_or_none(files).map_err(|e| failure(&e))
}
