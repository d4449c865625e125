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

use std::sync::Arc;

use crate::diag::Diagnostics;
use crate::model::Series;
use crate::page::Document;
use crate::style::Style;

use fonts::FontSet;
use hyphenate::{Hyphenator, SharedPoints};
use shape::{ShapeCache, Shaper, SharedShapes};

/// The tools layout works with: the font family, a shaper with its word
/// cache, and the hyphenation patterns.
pub struct Engine<'f> {
    /// The font family.
    pub fonts: &'f FontSet,
    /// Shapes and caches words.
    pub shaper: Shaper<'f>,
    /// Finds hyphenation points.
    pub hyphenator: Hyphenator,
    /// The caches' shaped words when they were for other fonts: kept
    /// aside, unused, and handed back by [`Engine::into_caches`].
    aside: Option<ShapeCache>,
}

/// What layout learns that outlives one document: the words shaped in one
/// font set and the hyphenation points found. A server keeps one per
/// worker, so that a render shapes and hyphenates only the words no
/// earlier render met; the output is the same either way.
#[derive(Default)]
pub struct Caches {
    shapes: ShapeCache,
    hyphenator: Hyphenator,
}

/// Words a [`Caches`] remembers, shaped or hyphenated, before it forgets
/// them all: some 20 MB, several times the words of a year's articles.
const MAX_CACHED_WORDS: usize = 100_000;

/// What the engines that lay out one book side by side (one a thread)
/// share: the words any of them shaped or hyphenated, so that the book
/// shapes and hyphenates each distinct word once.
#[derive(Clone, Default)]
pub struct Shared {
    shapes: Arc<SharedShapes>,
    points: Arc<SharedPoints>,
}

impl Caches {
    /// Empty caches that draw on, and add to, `shared`.
    pub fn sharing(shared: &Shared) -> Caches {
        Caches {
            shapes: ShapeCache::sharing(&shared.shapes),
            hyphenator: Hyphenator::sharing(&shared.points),
        }
    }

    /// Distinct words shaped and words hyphenated.
    pub fn words(&self) -> (usize, usize) {
        (self.shapes.words(), self.hyphenator.cached_words())
    }

    /// Forgets the words past [`MAX_CACHED_WORDS`].
    fn bound(&mut self) {
        if self.shapes.words() > MAX_CACHED_WORDS {
            self.shapes.forget_words();
        }
        if self.hyphenator.cached_words() > MAX_CACHED_WORDS {
            self.hyphenator.forget_words();
        }
    }
}

impl<'f> Engine<'f> {
    /// An engine for `fonts` with empty caches.
    pub fn new(fonts: &'f FontSet) -> Engine<'f> {
        Engine::with_caches(fonts, Caches::default())
    }

    /// An engine for `fonts` that starts from what earlier documents
    /// learnt: the hyphenation points always, the shaped words when they
    /// were shaped in `fonts` (an article that needs fallback faces is
    /// shaped afresh, and the family's words are kept for the next).
    pub fn with_caches(fonts: &'f FontSet, caches: Caches) -> Engine<'f> {
        let Caches { shapes, hyphenator } = caches;
        let (shapes, aside) = if shapes.fits(fonts) {
            (shapes, None)
        } else {
            (ShapeCache::default(), Some(shapes))
        };
        Engine {
            fonts,
            shaper: Shaper::with_cache(fonts, shapes),
            hyphenator,
            aside,
        }
    }

    /// What this engine learnt, for the next document.
    pub fn into_caches(self) -> Caches {
        let shapes = match self.aside {
            Some(kept) => kept,
            None => self.shaper.into_cache(),
        };
        let mut caches = Caches {
            shapes,
            hyphenator: self.hyphenator,
        };
        caches.bound();
        caches
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
    book::single_article(series, index, style, fonts, &mut Caches::default())
}

/// [`layout_article`] starting from, and adding to, what earlier
/// documents learnt (`caches`): the "Download PDF" server's renders.
pub fn layout_article_with(
    series: &Series,
    index: usize,
    style: &Style,
    fonts: &FontSet,
    caches: &mut Caches,
) -> (Document, Diagnostics) {
    book::single_article(series, index, style, fonts, caches)
}
