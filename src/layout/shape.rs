//! Shaping: text to positioned glyphs through HarfRust (kerning, ligatures,
//! mark placement, Arabic joining, Indic clusters), with a cache so that
//! each distinct word in a language, style and direction is shaped once,
//! and font fallback so that a character one face lacks is taken from
//! another face of the family or a fallback face. A word is itemised into
//! runs of one face and one script, each shaped on its own; a character
//! no face has becomes the placeholder box, standing for that character.

use std::collections::{BTreeSet, HashMap};
use std::str::FromStr;
use std::sync::{Arc, Mutex, PoisonError};

use harfrust::{Buffer, Direction, Language, Script, ShapeOptions, ShapePlan, ShaperFont};
use unicode_script::{Script as UScript, UnicodeScript};

use super::fonts::{FaceId, FontSet, Role};

/// One glyph, its metrics in ems of the font size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Glyph {
    /// Glyph id in its face.
    pub id: u32,
    /// Horizontal advance.
    pub advance: f32,
    /// Horizontal offset from the pen position.
    pub dx: f32,
    /// Vertical offset (up is positive).
    pub dy: f32,
    /// Byte offset, in the shaped text, of the cluster the glyph belongs to.
    pub cluster: u32,
}

/// A stretch of a word shaped in one face. Its glyphs are in logical
/// order (clusters ascending), also for right-to-left text: the line
/// setter turns them into visual order.
#[derive(Clone, Debug, PartialEq)]
pub struct Piece {
    /// The face.
    pub face: FaceId,
    /// Byte offset of the piece within the word.
    pub start: u32,
    /// Glyphs, clusters relative to the word.
    pub glyphs: Vec<Glyph>,
    /// Sum of advances, in ems.
    pub width: f32,
}

/// A shaped word: usually one piece, several when fallback was needed.
#[derive(Clone, Debug, PartialEq)]
pub struct Word {
    /// Pieces in order.
    pub pieces: Vec<Piece>,
    /// Total advance in ems.
    pub width: f32,
}

/// A language known to the shaper, by index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LangId(u16);

/// Shaped words by their text, with a fast hasher.
type WordCache = HashMap<Box<str>, Arc<Word>, foldhash::fast::FixedState>;

/// Shaping plans by face, language, script and direction, with a fast
/// hasher: one is looked up for every word shaped, and nothing iterates
/// them.
type Plans = HashMap<(FaceId, LangId, Script, bool), ShapePlan, foldhash::fast::FixedState>;

/// What a shaper learns that outlives one document: the words it shaped
/// and the plans it shaped them with, valid for one font set. A server
/// keeps it across renders (see [`super::Caches`]).
#[derive(Default)]
pub struct ShapeCache {
    /// The font set the words were shaped in (its faces held, so that no
    /// other face can take their places while the cache names them).
    fonts: Option<FontSet>,
    languages: Vec<(String, Option<Language>)>,
    plans: Plans,
    /// Shaped words by style, language and direction (true: right to
    /// left). A fast hasher: nothing iterates the cache, so its order
    /// cannot reach the output.
    words: HashMap<(Role, LangId, bool), WordCache, foldhash::fast::FixedState>,
    /// Characters no face of the set has.
    missing: BTreeSet<char>,
    /// Words shaped by the shapers working beside this one, if any.
    shared: Option<Arc<SharedShapes>>,
}

impl ShapeCache {
    /// An empty cache that draws on, and adds to, `shared`.
    pub fn sharing(shared: &Arc<SharedShapes>) -> ShapeCache {
        ShapeCache {
            shared: Some(Arc::clone(shared)),
            ..ShapeCache::default()
        }
    }

    /// True when the words were shaped in `fonts` (or none yet).
    pub fn fits(&self, fonts: &FontSet) -> bool {
        self.fonts.as_ref().is_none_or(|own| own.is_same(fonts))
    }

    /// Number of distinct words shaped.
    pub fn words(&self) -> usize {
        self.words.values().map(|words| words.len()).sum()
    }

    /// Forgets the words (keeping the plans), to bound the memory a
    /// long-running process gives it.
    pub fn forget_words(&mut self) {
        self.words.clear();
    }
}

/// Words shaped by any of the shapers that lay out one book side by side
/// (one a thread). A shaper asks here for a word its own cache lacks
/// before it shapes the word, and adds each word it shapes, so that a
/// book shapes a word once, not once a thread. Only a cache miss takes
/// the lock. The words are the same whoever shaped them, so the pages do
/// not depend on which thread met a word first.
#[derive(Default)]
pub struct SharedShapes(Mutex<SharedWords>);

#[derive(Default)]
struct SharedWords {
    /// The font set the words were shaped in.
    fonts: Option<FontSet>,
    /// Shaped words by style, language tag and direction (true: right to
    /// left); language ids are a shaper's own, so the tag stands here.
    words: Vec<((Role, String, bool), WordCache)>,
    /// Number of words held, kept below [`MAX_SHARED_WORDS`].
    count: usize,
    /// Characters no face of the set has.
    missing: BTreeSet<char>,
}

/// Words a [`SharedShapes`] holds at most: past them, shapers keep what
/// they shape to themselves, so that a book of unique words cannot grow
/// it without limit.
const MAX_SHARED_WORDS: usize = 200_000;

impl SharedShapes {
    fn words(&self) -> std::sync::MutexGuard<'_, SharedWords> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl SharedWords {
    fn table(&mut self, role: Role, tag: &str, rtl: bool) -> &mut WordCache {
        let known = self
            .words
            .iter()
            .position(|((r, t, d), _)| (*r, t.as_str(), *d) == (role, tag, rtl));
        let at = known.unwrap_or_else(|| {
            let key = (role, tag.to_string(), rtl);
            self.words.push((key, WordCache::default()));
            self.words.len() - 1
        });
        &mut self.words[at].1
    }
}

/// Shapes text for one font family, remembering what it has shaped.
pub struct Shaper<'f> {
    fonts: &'f FontSet,
    shapers: Vec<ShaperFont<'f, 'static>>,
    cache: ShapeCache,
    buffer: Option<Buffer>,
    /// Characters no face of the family has (drawn as .notdef boxes).
    pub missing: BTreeSet<char>,
}

impl<'f> Shaper<'f> {
    /// A shaper for `fonts` with an empty cache.
    pub fn new(fonts: &'f FontSet) -> Shaper<'f> {
        Shaper::with_cache(fonts, ShapeCache::default())
    }

    /// A shaper for `fonts` that starts from `cache` when its words were
    /// shaped in `fonts`, else from an empty one.
    pub fn with_cache(fonts: &'f FontSet, cache: ShapeCache) -> Shaper<'f> {
        let mut cache = if cache.fits(fonts) {
            cache
        } else {
            ShapeCache::default()
        };
        cache.fonts.get_or_insert_with(|| fonts.clone());
        if let Some(shared) = &cache.shared {
            let mut words = shared.words();
            let own = words.fonts.get_or_insert_with(|| fonts.clone());
            if !own.is_same(fonts) {
                drop(words);
                cache.shared = None;
            }
        }
        let shapers = fonts
            .faces()
            .map(|(_, face)| ShaperFont::new(&face.font))
            .collect();
        Shaper {
            fonts,
            shapers,
            cache,
            buffer: Some(Buffer::new()),
            missing: BTreeSet::new(),
        }
    }

    /// What this shaper learnt, for the next document in the same fonts.
    pub fn into_cache(self) -> ShapeCache {
        self.cache
    }

    /// The family being shaped.
    pub fn fonts(&self) -> &'f FontSet {
        self.fonts
    }

    /// The id of a BCP 47 language tag.
    pub fn language(&mut self, tag: &str) -> LangId {
        let languages = &mut self.cache.languages;
        if let Some(i) = languages.iter().position(|(t, _)| t == tag) {
            return LangId(i as u16);
        }
        languages.push((tag.to_string(), Language::from_str(tag).ok()));
        LangId((languages.len() - 1) as u16)
    }

    /// Shapes `text` (one word, no spaces needed) in `role`, left to
    /// right, cached.
    pub fn word(&mut self, role: Role, lang: LangId, text: &str) -> Arc<Word> {
        self.word_in(role, lang, text, false)
    }

    /// Shapes `text` in `role` in the direction of its bidi level (`rtl`
    /// for an odd one), cached.
    pub fn word_in(&mut self, role: Role, lang: LangId, text: &str, rtl: bool) -> Arc<Word> {
        let key = (role, lang, rtl);
        if let Some(word) = self.cache.words.get(&key).and_then(|m| m.get(text)) {
            let word = Arc::clone(word);
            if !self.cache.missing.is_empty() {
                // Shaped for an earlier document: its missing characters
                // are this one's too.
                let missing = &self.cache.missing;
                self.missing
                    .extend(text.chars().filter(|c| missing.contains(c)));
            }
            return word;
        }
        let word = match self.shared_word(role, lang, text, rtl) {
            Some(word) => word,
            None => {
                let word = Arc::new(self.shape_with_fallback(role, lang, text, rtl));
                self.share(role, lang, text, rtl, &word);
                word
            }
        };
        self.cache
            .words
            .entry(key)
            .or_default()
            .insert(text.into(), Arc::clone(&word));
        word
    }

    /// The word as a shaper beside this one shaped it, if one did; its
    /// missing characters are this shaper's too.
    fn shared_word(
        &mut self,
        role: Role,
        lang: LangId,
        text: &str,
        rtl: bool,
    ) -> Option<Arc<Word>> {
        let shared = Arc::clone(self.cache.shared.as_ref()?);
        let tag = &self.cache.languages[usize::from(lang.0)].0;
        let mut shared = shared.words();
        let word = Arc::clone(shared.table(role, tag, rtl).get(text)?);
        if !shared.missing.is_empty() {
            for c in text.chars().filter(|c| shared.missing.contains(c)) {
                self.missing.insert(c);
                self.cache.missing.insert(c);
            }
        }
        Some(word)
    }

    /// Offers a word this shaper shaped to the shapers beside it.
    fn share(&self, role: Role, lang: LangId, text: &str, rtl: bool, word: &Arc<Word>) {
        let Some(shared) = &self.cache.shared else {
            return;
        };
        let tag = &self.cache.languages[usize::from(lang.0)].0;
        let mut shared = shared.words();
        if shared.count >= MAX_SHARED_WORDS {
            return;
        }
        shared.count += 1;
        let missing = text.chars().filter(|c| self.cache.missing.contains(c));
        let missing: Vec<char> = missing.collect();
        shared.missing.extend(missing);
        shared
            .table(role, tag, rtl)
            .insert(text.into(), Arc::clone(word));
    }

    /// Number of distinct words shaped so far.
    pub fn cached_words(&self) -> usize {
        self.cache.words()
    }

    fn shape_with_fallback(&mut self, role: Role, lang: LangId, text: &str, rtl: bool) -> Word {
        let chain = self.fonts.fallback_chain(role);
        let mut pieces = Vec::new();
        let mut width = 0.0;
        for run in self.segment(&chain, role, lang, text) {
            let (start, end) = (run.start, run.end);
            let (face, glyphs) = match run.face {
                Some(face) => (
                    face,
                    self.shape_in(face, lang, &text[start..end], start as u32, run.script, rtl),
                ),
                None => self.placeholders(&text[start..end], start as u32, chain[0]),
            };
            let piece_width = glyphs.iter().map(|g| g.advance).sum();
            width += piece_width;
            pieces.push(Piece {
                face,
                start: start as u32,
                glyphs,
                width: piece_width,
            });
        }
        Word { pieces, width }
    }

    /// Splits `text` into runs of one face and one script: each
    /// character in the first face of `chain` that has it, else in the
    /// fallback face for it (`None`: no face has it). Marks, spaces and
    /// format characters stay with the character before them; characters
    /// common to all scripts (digits, punctuation) take the script around.
    fn segment(&mut self, chain: &[FaceId], role: Role, lang: LangId, text: &str) -> Vec<Segment> {
        let mut runs: Vec<Segment> = Vec::new();
        if text.is_ascii() {
            // Latin text: one script, and the family's faces only.
            for (i, c) in text.char_indices() {
                let face = match runs.last() {
                    Some(run) if c == ' ' => run.face,
                    _ => self.face_for(chain, role, lang, c),
                };
                extend_or_push(&mut runs, i, i + 1, face, None);
            }
            return runs;
        }
        for (i, c) in text.char_indices() {
            let end = i + c.len_utf8();
            let attaches = is_mark(c) || c.is_whitespace() || is_invisible(c);
            let face = match runs.last() {
                Some(run) if attaches => run.face,
                _ => self.face_for(chain, role, lang, c),
            };
            let script = match c.script() {
                UScript::Common | UScript::Inherited | UScript::Unknown => None,
                script => Some(script),
            };
            extend_or_push(&mut runs, i, end, face, script);
        }
        runs
    }

    fn face_for(&mut self, chain: &[FaceId], role: Role, lang: LangId, c: char) -> Option<FaceId> {
        if let Some(&face) = chain.iter().find(|&&f| self.fonts.face(f).covers(c)) {
            return Some(face);
        }
        let tag = &self.cache.languages[usize::from(lang.0)].0;
        if let Some(face) = self.fonts.fallback_for(c, role, Some(tag)) {
            return Some(face);
        }
        if let Some(face) = self.fonts.last_resort(role, c) {
            return Some(face);
        }
        if is_invisible(c) {
            return Some(chain[0]);
        }
        self.missing.insert(c);
        self.cache.missing.insert(c);
        None
    }

    /// The placeholder box for each character of `text` (a character and
    /// the marks after it are one box), in the placeholder's face; without
    /// one, `.notdef` in `fallback`.
    fn placeholders(&self, text: &str, base: u32, fallback: FaceId) -> (FaceId, Vec<Glyph>) {
        let (face, id) = self.fonts.placeholder().unwrap_or((fallback, 0));
        let f = self.fonts.face(face);
        let advance = f.font.glyph_metrics().h_advance(harfrust::GlyphId::new(id)) / f.upem;
        let glyphs = text
            .char_indices()
            .filter(|&(_, c)| !is_mark(c) && !is_invisible(c))
            .map(|(i, _)| Glyph {
                id,
                advance,
                dx: 0.0,
                dy: 0.0,
                cluster: base + i as u32,
            })
            .collect();
        (face, glyphs)
    }

    /// Shapes one run in one face and direction; clusters are offset by
    /// `base`. The glyphs come back in logical order.
    fn shape_in(
        &mut self,
        face: FaceId,
        lang: LangId,
        text: &str,
        base: u32,
        script: Option<UScript>,
        rtl: bool,
    ) -> Vec<Glyph> {
        let mut buffer = self.buffer.take().unwrap_or_default();
        buffer.clear();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let direction = if rtl {
            Direction::RightToLeft
        } else {
            Direction::LeftToRight
        };
        buffer.set_direction(direction);
        let language = self.cache.languages[usize::from(lang.0)].1.clone();
        if let Some(language) = &language {
            buffer.set_language(Some(language.clone()));
        }
        // Digits and punctuation alone have no script of their own.
        let script = script
            .and_then(|s| Script::from_str(s.short_name()).ok())
            .or(buffer.script())
            .filter(|s| *s != Script::COMMON && *s != Script::UNKNOWN)
            .unwrap_or(Script::LATIN);
        buffer.set_script(Some(script));
        let font = &self.fonts.face(face).font;
        let shaper = &self.shapers[usize::from(face.0)];
        let plan = self
            .cache
            .plans
            .entry((face, lang, script, rtl))
            .or_insert_with(|| {
                ShapePlan::new(font, direction, Some(script), language.as_ref(), &[])
            });
        let upem = self.fonts.face(face).upem;
        let mut shaped = harfrust::shape(shaper, &mut buffer, ShapeOptions::new().plan(Some(plan)));
        if shaped.is_err() {
            // Shape again without the cached plan rather than lose the text.
            buffer.clear();
            buffer.push_str(text);
            buffer.guess_segment_properties();
            buffer.set_direction(direction);
            shaped = harfrust::shape(shaper, &mut buffer, ShapeOptions::new());
        }
        let mut glyphs: Vec<Glyph> = match shaped {
            Ok(()) => buffer
                .glyph_infos()
                .iter()
                .zip(buffer.glyph_positions())
                .map(|(info, pos)| Glyph {
                    id: info.glyph_id,
                    advance: pos.x_advance as f32 / upem,
                    dx: pos.x_offset as f32 / upem,
                    dy: pos.y_offset as f32 / upem,
                    cluster: info.cluster + base,
                })
                .collect(),
            Err(_) => Vec::new(),
        };
        if rtl {
            glyphs.reverse();
        }
        self.buffer = Some(buffer);
        glyphs
    }
}

/// A run of a word in one face (`None`: no face has it) and one script.
struct Segment {
    start: usize,
    end: usize,
    face: Option<FaceId>,
    script: Option<UScript>,
}

/// Adds `start..end` to the last run when its face matches and its script
/// does or is common; else starts a run.
fn extend_or_push(
    runs: &mut Vec<Segment>,
    start: usize,
    end: usize,
    face: Option<FaceId>,
    script: Option<UScript>,
) {
    if let Some(run) = runs.last_mut()
        && run.face == face
        && (script.is_none() || run.script.is_none() || run.script == script)
    {
        run.end = end;
        run.script = run.script.or(script);
        return;
    }
    runs.push(Segment {
        start,
        end,
        face,
        script,
    });
}

/// Combining marks, which belong to the character before them.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Format characters that draw nothing.
fn is_invisible(c: char) -> bool {
    !c.is_whitespace() && super::fallback::is_ignorable(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kerning_and_ligatures() {
        let fonts = FontSet::builtin();
        let mut shaper = Shaper::new(&fonts);
        let en = shaper.language("en");
        let office = shaper.word(Role::Regular, en, "office");
        // "ffi" becomes fewer glyphs than letters.
        assert!(office.pieces[0].glyphs.len() < 6, "{:?}", office);
        // Clusters point back into the text.
        assert_eq!(office.pieces[0].glyphs[0].cluster, 0);
        let av = shaper.word(Role::Regular, en, "AV");
        let a = shaper.word(Role::Regular, en, "A");
        let v = shaper.word(Role::Regular, en, "V");
        assert!(av.width < a.width + v.width, "AV is kerned");
    }

    #[test]
    fn digits_and_punctuation_alone_are_shaped() {
        let fonts = FontSet::builtin();
        let mut shaper = Shaper::new(&fonts);
        let en = shaper.language("en");
        for text in ["1917", "2,548", "—", "…", "(1)"] {
            let word = shaper.word(Role::Regular, en, text);
            assert_eq!(word.pieces[0].glyphs.len(), text.chars().count(), "{text}");
            assert!(word.width > 0.0);
        }
    }

    #[test]
    fn caches_each_word_once() {
        let fonts = FontSet::builtin();
        let mut shaper = Shaper::new(&fonts);
        let en = shaper.language("en");
        let first = shaper.word(Role::Regular, en, "revolution");
        let again = shaper.word(Role::Regular, en, "revolution");
        assert!(Arc::ptr_eq(&first, &again));
        shaper.word(Role::Italic, en, "revolution");
        assert_eq!(shaper.cached_words(), 2);
    }

    #[test]
    fn shapers_side_by_side_shape_a_word_once() {
        let fonts = FontSet::builtin();
        let shared = Arc::new(SharedShapes::default());
        let mut first = Shaper::with_cache(&fonts, ShapeCache::sharing(&shared));
        let mut second = Shaper::with_cache(&fonts, ShapeCache::sharing(&shared));
        // Language ids are each shaper's own: the tag is what is shared.
        second.language("ru");
        let (en1, en2) = (first.language("en"), second.language("en"));
        assert_ne!(en1, en2);
        let shaped = first.word(Role::Regular, en1, "revolution");
        let taken = second.word(Role::Regular, en2, "revolution");
        assert!(Arc::ptr_eq(&shaped, &taken));
        let mut alone = Shaper::new(&fonts);
        let en = alone.language("en");
        assert_eq!(*taken, *alone.word(Role::Regular, en, "revolution"));
        // Another style is another word.
        let italic = second.word(Role::Italic, en2, "revolution");
        assert!(!Arc::ptr_eq(&shaped, &italic));
        // A character no face has is missing for the shaper that takes
        // the word, too.
        first.word(Role::Regular, en1, "x\u{10FFFD}");
        second.word(Role::Regular, en2, "x\u{10FFFD}");
        assert!(second.missing.contains(&'\u{10FFFD}'));
    }

    #[test]
    fn a_shared_cache_of_other_fonts_is_not_used() {
        let fonts = FontSet::builtin();
        let other = FontSet::builtin();
        let shared = Arc::new(SharedShapes::default());
        let mut first = Shaper::with_cache(&fonts, ShapeCache::sharing(&shared));
        let en = first.language("en");
        let shaped = first.word(Role::Regular, en, "soviet");
        let mut second = Shaper::with_cache(&other, ShapeCache::sharing(&shared));
        let en = second.language("en");
        assert!(!Arc::ptr_eq(
            &shaped,
            &second.word(Role::Regular, en, "soviet")
        ));
    }

    #[test]
    fn falls_back_and_reports_missing() {
        let fonts = FontSet::builtin();
        let mut shaper = Shaper::new(&fonts);
        let en = shaper.language("en");
        // Box-drawing characters are in DejaVu Sans Mono only.
        let word = shaper.word(Role::Regular, en, "a┼b");
        assert_eq!(word.pieces.len(), 3);
        assert_eq!(word.pieces[1].face, fonts.role(Role::Mono));
        assert!(shaper.missing.is_empty());
        shaper.word(Role::Regular, en, "x\u{10FFFD}");
        assert!(shaper.missing.contains(&'\u{10FFFD}'));
    }
}
