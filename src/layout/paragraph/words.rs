//! A cache of each word's finished items: what [`super::items`] makes of
//! a word (its boxes and break penalties, their widths and hangs, its
//! glyphs and what they stand for), by the word and everything else that
//! decides it, so that a word met again costs one lookup and a copy
//! instead of shaping, hyphenation and bookkeeping.

use std::collections::HashMap;
use std::ops::Range;

use crate::layout::Engine;
use crate::layout::fonts::{FaceId, Role};
use crate::layout::hyphenate::HyphenMin;
use crate::layout::linebreak::Item;
use crate::layout::shape::{Glyph, LangId};

use super::ParaStyle;
use super::flatten::TextStyle;
use super::items::{Content, Prepared};

/// Words a [`WordItemCache`] holds at most: past them it takes no more
/// until it is emptied between documents (see [`super::super::Caches`]).
/// A word's items take about 250 bytes with their text and place in the
/// table, so some 5 MB: the words met most are met first, and a few
/// thousand make most of a book's.
const MAX_WORDS: usize = 20_000;

/// A generous guess at the items an average word takes, for the room a
/// [`WordItemCache`] takes at once: its buffers would otherwise be copied
/// to a new place each time they fill (c100's page faults: 11,650 before,
/// 11,230 after). The room is only reserved: a page of it costs memory
/// once a word is written there.
const ITEMS_PER_WORD: usize = 3;
/// A generous guess at the glyphs an average word takes (see
/// [`ITEMS_PER_WORD`]).
const GLYPHS_PER_WORD: usize = 8;

/// Everything but its text that a word's items depend on: the
/// paragraph's face, language, size, hyphenation, protrusion and
/// expansion (hangs and the hyphen are measured in the paragraph's face),
/// and the face, scale and language of the text the word is in. The
/// measure is left out: a word's items depend on it only when the word is
/// too long for a line, and such a word is never taken from the cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct WordStyle {
    role: Role,
    lang: LangId,
    /// The paragraph's language tag, as the shaper numbers tags.
    lang_tag: LangId,
    size: u32,
    hyphenate: bool,
    hyphen_min: HyphenMin,
    protrusion: bool,
    expansion: u32,
    text_role: Role,
    text_scale: u32,
    /// The text's own language, when marked apart from the paragraph's.
    text_lang: Option<LangId>,
}

impl WordStyle {
    /// The style of words in text styled `text` in a paragraph in `style`.
    pub(super) fn of(engine: &mut Engine<'_>, style: &ParaStyle, text: &TextStyle) -> WordStyle {
        WordStyle {
            role: style.role,
            lang: style.lang,
            lang_tag: engine.shaper.language(&style.lang_tag),
            size: style.size.0.to_bits(),
            hyphenate: style.hyphenate,
            hyphen_min: style.hyphen_min,
            protrusion: style.protrusion,
            expansion: style.expansion.to_bits(),
            text_role: text.role,
            text_scale: text.scale.to_bits(),
            text_lang: text.lang.as_deref().map(|tag| engine.shaper.language(tag)),
        }
    }
}

/// Where a word's items are in a [`WordItemCache`]: its items, content
/// and glyphs as [`super::items`] appended them to a paragraph, with
/// their text and glyph ranges and their glyphs' clusters counted from
/// the word's start.
struct Entry {
    width: f32,
    items: Range<u32>,
    glyphs: Range<u32>,
}

/// A word's items found in a [`WordItemCache`].
pub(super) struct Known<'c> {
    cache: &'c WordItemCache,
    entry: &'c Entry,
}

impl Known<'_> {
    /// The word's width in points, to tell whether it is too long for a
    /// line at another measure.
    pub(super) fn width(&self) -> f32 {
        self.entry.width
    }

    /// Appends the word to `p` at byte `word` of its text, in its text
    /// style `style`.
    pub(super) fn append_to(&self, p: &mut Prepared, word: usize, style: usize) {
        let Entry { items, glyphs, .. } = self.entry;
        let (items, glyphs) = (span(items), span(glyphs));
        let base = p.glyphs.len();
        p.glyphs
            .extend(self.cache.glyphs[glyphs].iter().map(|g| Glyph {
                cluster: g.cluster + word as u32,
                ..*g
            }));
        p.items.extend_from_slice(&self.cache.items[items.clone()]);
        p.content
            .extend(self.cache.content[items].iter().map(|part| match *part {
                Part::Glyphs { face, glyphs, text } => Content::Glyphs {
                    face,
                    style,
                    glyphs: glyphs.0 as usize + base..glyphs.1 as usize + base,
                    text: text.0 as usize + word..text.1 as usize + word,
                },
                Part::Hyphen { face, glyph } => Content::Hyphen { face, style, glyph },
                Part::Nothing => Content::Nothing,
            }));
    }
}

/// Where a paragraph's items, content and glyphs stood before a word was
/// appended to it.
#[derive(Clone, Copy)]
pub(super) struct Mark {
    items: usize,
    glyphs: usize,
}

impl Mark {
    /// The paragraph's end so far.
    pub(super) fn of(p: &Prepared) -> Mark {
        Mark {
            items: p.items.len(),
            glyphs: p.glyphs.len(),
        }
    }
}

/// What an item of a kept word stands for: its [`Content`] without the
/// text style, its ranges counted from the word's start, in a third of
/// the room.
#[derive(Clone, Copy)]
enum Part {
    Glyphs {
        face: FaceId,
        glyphs: (u32, u32),
        text: (u32, u32),
    },
    Hyphen {
        face: FaceId,
        glyph: (u32, f32),
    },
    Nothing,
}

fn span(range: &Range<u32>) -> Range<usize> {
    range.start as usize..range.end as usize
}

/// Words' finished items by their style and text, kept by an engine
/// across the paragraphs and documents it lays out (see
/// [`crate::layout::Caches`]), at most [`MAX_WORDS`] of them. The items
/// are what preparing the word again would give, bit for bit, so the
/// pages do not depend on what the cache held.
#[derive(Default)]
pub struct WordItemCache {
    tables: Vec<(WordStyle, Words)>,
    count: usize,
    /// Every word's items, content and glyphs, end to end: a word kept
    /// costs no allocation of its own but its text.
    items: Vec<Item>,
    content: Vec<Part>,
    glyphs: Vec<Glyph>,
}

/// Entries by the word's text, with a fast hasher: nothing iterates it,
/// so its order cannot reach the output.
type Words = HashMap<Box<str>, Entry, foldhash::fast::FixedState>;

impl WordItemCache {
    /// The number of the table of words in `style`, made if new.
    pub(super) fn table(&mut self, style: WordStyle) -> usize {
        if let Some(at) = self.tables.iter().position(|(s, _)| *s == style) {
            return at;
        }
        self.tables.push((style, Words::default()));
        self.tables.len() - 1
    }

    /// The items of `word` in table `table`, when known.
    pub(super) fn get(&self, table: usize, word: &str) -> Option<Known<'_>> {
        let entry = self.tables[table].1.get(word)?;
        Some(Known { cache: self, entry })
    }

    /// Keeps what was appended to `p` since `mark` as the items of
    /// `text`, the word at byte `word` of the paragraph's text, `width`
    /// points wide, in table `table`; unless the cache is full.
    pub(super) fn insert(
        &mut self,
        table: usize,
        text: &str,
        p: &Prepared,
        mark: Mark,
        word: usize,
        width: f32,
    ) {
        let spaced = p.content[mark.items..]
            .iter()
            .any(|c| matches!(c, Content::Space { .. }));
        if spaced || self.count >= MAX_WORDS || self.tables[table].1.contains_key(text) {
            return; // (a word holds no spaces)
        }
        if self.items.capacity() == 0 {
            self.items.reserve_exact(MAX_WORDS * ITEMS_PER_WORD);
            self.content.reserve_exact(MAX_WORDS * ITEMS_PER_WORD);
            self.glyphs.reserve_exact(MAX_WORDS * GLYPHS_PER_WORD);
        }
        let (items, glyphs) = (self.items.len(), self.glyphs.len());
        self.items.extend_from_slice(&p.items[mark.items..]);
        let from =
            |range: &Range<usize>, by: usize| ((range.start - by) as u32, (range.end - by) as u32);
        self.content.extend(
            p.content[mark.items..]
                .iter()
                .map(|content| match *content {
                    Content::Glyphs {
                        face,
                        glyphs: ref range,
                        ref text,
                        ..
                    } => Part::Glyphs {
                        face,
                        glyphs: from(range, mark.glyphs),
                        text: from(text, word),
                    },
                    Content::Hyphen { face, glyph, .. } => Part::Hyphen { face, glyph },
                    Content::Space { .. } | Content::Nothing => Part::Nothing,
                }),
        );
        self.glyphs
            .extend(p.glyphs[mark.glyphs..].iter().map(|g| Glyph {
                cluster: g.cluster - word as u32,
                ..*g
            }));
        let entry = Entry {
            width,
            items: items as u32..self.items.len() as u32,
            glyphs: glyphs as u32..self.glyphs.len() as u32,
        };
        self.tables[table].1.insert(text.into(), entry);
        self.count += 1;
    }

    /// Number of words held.
    pub fn words(&self) -> usize {
        self.count
    }

    /// True when it holds as many words as it will take.
    pub fn is_full(&self) -> bool {
        self.count >= MAX_WORDS
    }

    /// Forgets every word, to take new ones.
    pub fn forget_words(&mut self) {
        self.tables.clear();
        self.items.clear();
        self.content.clear();
        self.glyphs.clear();
        self.count = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::super::flatten::flatten;
    use super::super::items::prepare;
    use super::super::{Align, ParaStyle};
    use crate::layout::Engine;
    use crate::layout::fonts::{FontSet, Role};
    use crate::layout::hyphenate::HyphenMin;
    use crate::model::Inline;
    use crate::units::Pt;

    fn style(engine: &mut Engine<'_>, width: f32) -> ParaStyle {
        ParaStyle {
            role: Role::Regular,
            size: Pt(10.5),
            width: Pt(width),
            indent: Pt(12.0),
            align: Align::Justify,
            hyphenate: true,
            hyphen_min: HyphenMin::default(),
            lang: engine.shaper.language("en"),
            lang_tag: "en".into(),
            protrusion: true,
            expansion: 0.02,
            looseness: 0,
        }
    }

    /// What [`prepare`] makes of `content` at `width`, written out.
    fn prepared(engine: &mut Engine<'_>, content: &[Inline], width: f32) -> String {
        let style = style(engine, width);
        let flat = flatten(content, style.role, &|i| (i + 1).to_string());
        let p = prepare(engine, &flat, &style);
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}",
            p.items, p.content, p.glyphs, p.widest_word
        )
    }

    #[test]
    fn a_word_from_the_cache_gives_the_items_a_fresh_engine_makes() {
        let content = [
            Inline::Text("“Revolutionary” workers, revolutionary soldiers—".into()),
            Inline::Emph(vec![Inline::Text("revolutionary workers".into())]),
            Inline::Text(" and self-made ".into()),
            Inline::Code("revolutionary_workers()".into()),
            Inline::Text(" revolutionary workers. ".into()),
            Inline::Text("Electrification-of-the-whole-country, workers.".into()),
        ];
        let fonts = FontSet::builtin();
        let mut warm = Engine::new(&fonts);
        for width in [300.0, 120.0, 40.0, 300.0, 40.0] {
            let cached = prepared(&mut warm, &content, width);
            let fresh = prepared(&mut Engine::new(&fonts), &content, width);
            assert_eq!(cached, fresh, "at {width} pt");
        }
        assert!(warm.word_items.words() > 5);
    }
}
