//! The PDF backend: translates a [`page::Document`](crate::page::Document)
//! into PDF. The page model is its only input; it knows nothing of Markdown
//! or of how the pages were laid out.
//!
//! Every document is written by the [`direct`] writer, built on
//! `pdf-writer`, `subsetter` and libdeflate (measured against krilla in
//! `bench/README.md`); faces that draw bitmaps instead of outlines (colour
//! emoji) become Type 3 fonts. Content is tagged: every drawn item belongs to a node of
//! the document's structure or is marked as an artifact; the print boxes
//! come from the page model; the standards asked for (PDF/UA-1, PDF/A-2)
//! are checked while writing, and what fails is reported with its page.

mod content;
mod deflate;
mod direct;
mod fonts;
mod images;
mod metadata;
mod navigation;
mod presets;
mod sfnt;
mod structure;

use thiserror::Error;

use crate::page::Document;

pub use presets::SubsetCache;

/// A PDF standard the output must meet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standard {
    /// PDF/UA-1, accessible PDF (ISO 14289-1).
    Ua1,
    /// PDF/A-2b, archival PDF, visual appearance (ISO 19005-2).
    A2b,
    /// PDF/A-2u: PDF/A-2b with all text mapped to Unicode.
    A2u,
    /// PDF/A-2a: PDF/A-2u, tagged.
    A2a,
}

impl std::fmt::Display for Standard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Standard::Ua1 => "PDF/UA-1",
            Standard::A2b => "PDF/A-2b",
            Standard::A2u => "PDF/A-2u",
            Standard::A2a => "PDF/A-2a",
        })
    }
}

impl std::str::FromStr for Standard {
    type Err = String;
    fn from_str(s: &str) -> Result<Standard, String> {
        match s.to_ascii_lowercase().as_str() {
            "pdf-ua-1" | "ua-1" | "ua1" => Ok(Standard::Ua1),
            "pdf-a-2b" | "a-2b" => Ok(Standard::A2b),
            "pdf-a-2u" | "a-2u" => Ok(Standard::A2u),
            "pdf-a-2a" | "a-2a" => Ok(Standard::A2a),
            other => Err(format!(
                "unknown standard `{other}` (use pdf-ua-1, pdf-a-2b, pdf-a-2u, pdf-a-2a or none)"
            )),
        }
    }
}

/// How to write the PDF.
#[derive(Clone, Debug)]
pub struct PdfOptions {
    /// Standards to meet (none, one, or PDF/UA-1 with one PDF/A level).
    pub standards: Vec<Standard>,
    /// Tag the content (required by PDF/UA and PDF/A-2a).
    pub tagged: bool,
}

impl Default for PdfOptions {
    fn default() -> PdfOptions {
        PdfOptions {
            standards: vec![Standard::Ua1],
            tagged: true,
        }
    }
}

/// Why a PDF could not be written.
#[derive(Debug, Error)]
pub enum PdfError {
    /// A font could not be read by the PDF writer.
    #[error("font {file} cannot be embedded in the PDF: {reason}")]
    Font {
        /// The font's file, as given.
        file: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An image could not be embedded.
    #[error("image {path} cannot be embedded: {reason}")]
    Image {
        /// The image file.
        path: String,
        /// Why.
        reason: String,
    },
    /// The options ask for an impossible combination of standards.
    #[error("these PDF standards cannot be combined: {0}")]
    Standards(String),
    /// The content does not meet a requested standard.
    #[error("the PDF does not meet {standard}")]
    Validation {
        /// The standard, for the message.
        standard: String,
        /// What fails, and on which page (index) if known.
        problems: Vec<(Option<usize>, String)>,
    },
    /// The writer refused the document for another reason.
    #[error("the PDF could not be written: {0}")]
    Writer(String),
}

/// Writes `doc` as PDF bytes. It takes the document so that each page's
/// drawing is freed as soon as it is written: a long book is never held in
/// memory twice, once as pages and once as PDF.
pub fn write_pdf(doc: Document, options: &PdfOptions) -> Result<Vec<u8>, PdfError> {
    direct::write_pdf(doc, options)
}

/// [`write_pdf`] for a writer of many documents in the same faces (the
/// service's workers): each face's common glyphs are subset once, in
/// `cache` (see `src/pdf/presets.rs`). A document's bytes do not depend on what
/// the cache held, but differ from [`write_pdf`]'s.
pub fn write_pdf_with(
    doc: Document,
    options: &PdfOptions,
    cache: &mut SubsetCache,
) -> Result<Vec<u8>, PdfError> {
    direct::write_pdf_with(doc, options, cache)
}
