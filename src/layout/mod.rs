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
use paragraph::WordItemCache;
use shape::{ShapeCache, Shaper, SharedShapes};

/// The tools layout works with: the font family, a shaper with its word
/// cache, the hyphenation patterns, and each word's finished items.
pub struct Engine<'f> {
    /// The font family.
    pub fonts: &'f FontSet,
    /// Shapes and caches words.
    pub shaper: Shaper<'f>,
    /// Finds hyphenation points.
    pub hyphenator: Hyphenator,
    /// Words as a paragraph's items, shaped and hyphenated, in the fonts
    /// the shaper's cache is for.
    word_items: WordItemCache,
    /// The caches' shaped words and word items when they were for other
    /// fonts: kept aside, unused, and handed back by
    /// [`Engine::into_caches`].
    aside: Option<(ShapeCache, WordItemCache)>,
}

/// What layout learns that outlives one document: the words shaped in one
/// font set, the hyphenation points found, and each word's finished items
/// (boxes, penalties and glyphs) in that font set. A server keeps one per
/// worker, so that a render shapes, hyphenates and measures only the
/// words no earlier render met; the output is the same either way.
#[derive(Default)]
pub struct Caches {
    shapes: ShapeCache,
    hyphenator: Hyphenator,
    word_items: WordItemCache,
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
            word_items: WordItemCache::default(),
        }
    }

    /// Distinct words shaped and words hyphenated.
    pub fn words(&self) -> (usize, usize) {
        (self.shapes.words(), self.hyphenator.cached_words())
    }

    /// Words held as finished items.
    pub fn word_items(&self) -> usize {
        self.word_items.words()
    }

    /// Forgets the words past [`MAX_CACHED_WORDS`], and the word items
    /// once their cache is full.
    fn bound(&mut self) {
        if self.word_items.is_full() {
            self.word_items.forget_words();
        }
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
        let Caches {
            shapes,
            hyphenator,
            word_items,
        } = caches;
        let (shapes, word_items, aside) = if shapes.fits(fonts) {
            (shapes, word_items, None)
        } else {
            let aside = Some((shapes, word_items));
            (ShapeCache::default(), WordItemCache::default(), aside)
        };
        Engine {
            fonts,
            shaper: Shaper::with_cache(fonts, shapes),
            hyphenator,
            word_items,
            aside,
        }
    }

    /// What this engine learnt, for the next document.
    pub fn into_caches(self) -> Caches {
        let (shapes, word_items) = match self.aside {
            Some(kept) => kept,
            None => (self.shaper.into_cache(), self.word_items),
        };
        let mut caches = Caches {
            shapes,
            hyphenator: self.hyphenator,
            word_items,
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
