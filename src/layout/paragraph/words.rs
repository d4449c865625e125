//! A cache of each word's finished items: what [`super::items`] makes of
//! a word (its boxes and break penalties, their widths and hangs, its
//! glyphs and what they stand for), by the word and everything else that
//! decides it, so that a word met again costs one lookup and a copy
//! instead of shaping, hyphenation and bookkeeping.

use std::collections::HashMap;
use std::ops::Range;

use crate::layout::Engine;
use crate::layout::fonts::Role;
use crate::layout::hyphenate::HyphenMin;
use crate::layout::linebreak::Item;
use crate::layout::shape::{Glyph, LangId};

use super::ParaStyle;
use super::flatten::TextStyle;
use super::items::{Content, Prepared};

/// Words a [`WordItemCache`] holds at most: past them it takes no more
/// until it is emptied between documents (see [`super::super::Caches`]).
/// A word's items take about 300 bytes, so some 15 MB.
const MAX_WORDS: usize = 50_000;

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

/// A word's items, as [`super::items`] appended them to a paragraph,
/// with its text and glyph ranges and its glyphs' clusters counted from
/// the word's start.
pub(super) struct WordItems {
    /// The word's width in points, to tell whether it is too long for a
    /// line at another measure.
    pub(super) width: f32,
    items: Box<[Item]>,
    content: Box<[Content]>,
    glyphs: Box<[Glyph]>,
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

impl WordItems {
    /// What was appended to `p` since `mark` for the word starting at
    /// byte `word` of its text, `width` points wide.
    pub(super) fn since(p: &Prepared, mark: Mark, word: usize, width: f32) -> WordItems {
        let relative = |content: &Content| match *content {
            Content::Glyphs {
                face,
                ref glyphs,
                ref text,
                ..
            } => Content::Glyphs {
                face,
                style: 0,
                glyphs: shift_down(glyphs, mark.glyphs),
                text: shift_down(text, word),
            },
            Content::Hyphen { face, glyph, .. } => Content::Hyphen {
                face,
                style: 0,
                glyph,
            },
            ref other => other.clone(),
        };
        WordItems {
            width,
            items: p.items[mark.items..].into(),
            content: p.content[mark.items..].iter().map(relative).collect(),
            glyphs: p.glyphs[mark.glyphs..]
                .iter()
                .map(|g| Glyph {
                    cluster: g.cluster - word as u32,
                    ..*g
                })
                .collect(),
        }
    }

    /// Appends the word to `p` at byte `word` of its text, in its text
    /// style `style`.
    pub(super) fn append_to(&self, p: &mut Prepared, word: usize, style: usize) {
        let glyphs = p.glyphs.len();
        p.glyphs.extend(self.glyphs.iter().map(|g| Glyph {
            cluster: g.cluster + word as u32,
            ..*g
        }));
        p.items.extend_from_slice(&self.items);
        p.content
            .extend(self.content.iter().map(|content| match *content {
                Content::Glyphs {
                    face,
                    glyphs: ref range,
                    ref text,
                    ..
                } => Content::Glyphs {
                    face,
                    style,
                    glyphs: range.start + glyphs..range.end + glyphs,
                    text: text.start + word..text.end + word,
                },
                Content::Hyphen { face, glyph, .. } => Content::Hyphen { face, style, glyph },
                ref other => other.clone(),
            }));
    }
}

fn shift_down(range: &Range<usize>, by: usize) -> Range<usize> {
    range.start - by..range.end - by
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
}

/// Items by the word's text, with a fast hasher: nothing iterates it, so
/// its order cannot reach the output.
type Words = HashMap<Box<str>, WordItems, foldhash::fast::FixedState>;

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
    pub(super) fn get(&self, table: usize, word: &str) -> Option<&WordItems> {
        self.tables[table].1.get(word)
    }

    /// Keeps the items of `word` in table `table`, unless the cache is full.
    pub(super) fn insert(&mut self, table: usize, word: &str, items: WordItems) {
        if self.count < MAX_WORDS && self.tables[table].1.insert(word.into(), items).is_none() {
            self.count += 1;
        }
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
