//! Layout: from the typed model to finished pages.
//!
//! Each article is typeset into a vertical list ([`flow`]) of lines and
//! blocks, whose paragraphs are shaped ([`shape`]), hyphenated
//! ([`hyphenate`]) and broken into lines ([`linebreak`], [`paragraph`]);
//! the list is cut into pages ([`paginate`]). The book is then assembled:
//! title page and contents in front, running heads and folios on every
//! page ([`furniture`]), bookmarks and metadata for the PDF.

pub mod bidi;
pub mod book;
pub mod cover;
pub mod design;
pub mod fallback;
pub mod flow;
pub mod fonts;
pub mod furniture;
pub mod hyphenate;
pub mod linebreak;
pub mod paginate;
pub mod paragraph;
pub mod shape;
pub mod structure;

use crate::diag::Diagnostics;
use crate::model::Series;
use crate::page::Document;
use crate::style::Style;

use fonts::FontSet;
use hyphenate::Hyphenator;
use shape::Shaper;

/// The tools layout works with: the font family, a shaper with its word
/// cache, and the hyphenation patterns.
pub struct Engine<'f> {
    /// The font family.
    pub fonts: &'f FontSet,
    /// Shapes and caches words.
    pub shaper: Shaper<'f>,
    /// Finds hyphenation points.
    pub hyphenator: Hyphenator,
}

impl<'f> Engine<'f> {
    /// An engine for `fonts` with empty caches.
    pub fn new(fonts: &'f FontSet) -> Engine<'f> {
        Engine {
            fonts,
            shaper: Shaper::new(fonts),
            hyphenator: Hyphenator::new(),
        }
    }
}

/// Lays out a whole series as a book: cover, title page and imprint,
/// contents, then the articles, each opening on a new (optionally
/// right-hand) page.
pub fn layout_series(series: &Series, style: &Style, fonts: &FontSet) -> (Document, Diagnostics) {
    book::book(series, style, fonts)
}

/// Lays out one article as its own document (the per-article PDF), with a
/// line saying where and when it first appeared.
pub fn layout_article(
    series: &Series,
    index: usize,
    style: &Style,
    fonts: &FontSet,
) -> (Document, Diagnostics) {
    book::single_article(series, index, style, fonts)
}
