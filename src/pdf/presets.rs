//! Font subsets made once and embedded in many documents, for the
//! "Download PDF" service, whose workers write one short article after
//! another in the same faces.
//!
//! Subsetting a face and compressing the subset cost about a fifth of an
//! article's render, and a subset of exactly the glyphs an article draws
//! is never needed twice: no two articles draw the same set. So each face
//! gets a fixed set of glyphs, its *preset*: the glyphs its character map
//! gives to the letters, digits and punctuation of running English text,
//! and the ligatures those form. The preset's glyphs take the first CIDs,
//! in a fixed order, and the preset's subset is made and compressed once
//! per [`SubsetCache`]. A document that draws only preset glyphs, and
//! enough of them for the file to stay near the size of an exact subset
//! (see `Face::preset_hit`), embeds that subset as it is; any other embeds
//! a subset of exactly the glyphs it drew, with a map from CIDs to them.
//!
//! The preset depends on the face alone, never on what was written before,
//! so a document's bytes are the same whatever the cache held.

use std::ops::Range;
use std::sync::Arc;

use read_fonts::tables::gsub::{LigatureSubst, SubstitutionSubtables};
use read_fonts::{FontRef, TableProvider};

use super::deflate::{deflate, deflate_around, deflate_part, deflate_smaller};
use super::fonts::Face;
use crate::page::FontFile;

/// Faces a cache keeps at most; past that the oldest is forgotten.
const MAX_FACES: usize = 16;

/// The characters whose glyphs every preset holds (where the face has
/// them): the letters, digits and punctuation of running English text.
/// Rarer characters (accented letters, symbols) would make every
/// document's font file larger; a document drawing them embeds a subset
/// of its own.
const PRESET_CHARACTERS: &[(char, char)] = &[
    ('A', 'Z'),
    ('a', 'z'),
    ('0', '9'),
    (' ', '"'),
    ('&', ')'),
    (',', '/'),
    (':', ';'),
    ('?', '?'),
    ('\u{A0}', '\u{A0}'),
    ('\u{B7}', '\u{B7}'),
    ('\u{2013}', '\u{2014}'),
    ('\u{2018}', '\u{2019}'),
    ('\u{201C}', '\u{201D}'),
    ('\u{2022}', '\u{2022}'),
    ('\u{2026}', '\u{2026}'),
];

/// The most glyphs a preset holds: all in the first piece of 256 codes.
const MAX_PRESET_GLYPHS: usize = 255;

/// Preset subsets of the faces a worker has written, kept from document
/// to document (see the module's documentation).
#[derive(Default)]
pub struct SubsetCache {
    faces: Vec<Arc<Preset>>,
    /// Faces written from the preset's subset as it was.
    hits: u64,
    /// Faces that drew glyphs past their preset.
    misses: u64,
}

impl SubsetCache {
    /// Faces written with their preset subset as made, and faces that
    /// needed a subset of their own, since the cache was made.
    pub fn counts(&self) -> (u64, u64) {
        (self.hits, self.misses)
    }

    /// The preset of `file`, made on first sight; `None` for a face
    /// without TrueType outlines or one that cannot be subset.
    pub(super) fn preset(&mut self, file: &FontFile) -> Option<Arc<Preset>> {
        if let Some(known) = self.faces.iter().find(|p| same_face(&p.file, file)) {
            return known.subset.is_some().then(|| Arc::clone(known));
        }
        if self.faces.len() >= MAX_FACES {
            self.faces.remove(0);
        }
        let preset = Arc::new(Preset::new(file));
        self.faces.push(Arc::clone(&preset));
        preset.subset.is_some().then_some(preset)
    }

    /// Makes the presets of `fonts` now, so that a server makes them
    /// before its first request rather than during it.
    pub fn prepare(&mut self, fonts: &[FontFile]) {
        for file in fonts {
            self.preset(file);
        }
    }

    /// Counts a face written with its preset: `hit` when it drew no other
    /// glyph.
    pub(super) fn count(&mut self, hit: bool) {
        if hit {
            self.hits += 1;
        } else {
            self.misses += 1;
        }
    }
}

/// Whether two fonts are the same face of the same bytes in memory. The
/// cache holds its face's bytes, so their address cannot be reused for
/// other bytes while it is kept.
fn same_face(a: &FontFile, b: &FontFile) -> bool {
    let address = |f: &FontFile| Arc::as_ptr(&f.data).cast::<u8>();
    a.index == b.index
        && std::ptr::eq(address(a), address(b))
        && (*a.data).as_ref().len() == (*b.data).as_ref().len()
}

/// One face's preset glyphs and their subset.
pub(super) struct Preset {
    /// The face (its bytes kept alive: see [`same_face`]).
    file: FontFile,
    /// The glyphs, in CID order: `.notdef` first.
    pub gids: Vec<u16>,
    /// The subset of exactly these glyphs, when it could be made.
    pub subset: Option<PresetSubset>,
    /// The face with these glyphs numbered and none drawn, each meaning
    /// what it was chosen for, which every document writing the face
    /// starts from (`None` where the face cannot be read: each document
    /// then reports why).
    pub face: Option<Face>,
    /// That face's ToUnicode map of its first piece, compressed: what a
    /// document embeds whose glyphs there mean the same (see
    /// `src/pdf/fonts/unicode.rs`).
    pub to_unicode: Option<Vec<u8>>,
    /// The wider font, for documents drawing past the preset.
    wider: Option<Wider>,
}

/// A preset's font file as embedded.
pub(super) struct PresetSubset {
    /// The subset, compressed for `/FlateDecode`.
    pub packed: Vec<u8>,
    /// The subset before compression (its length is `/Length1`), from
    /// which a document drawing fewer of its glyphs takes their outlines.
    pub outlines: Outlines,
}

/// A font file from which documents take the outlines they draw (see
/// [`super::sfnt::with_outlines_of`]).
pub(super) struct Outlines {
    /// The font file.
    pub font: Vec<u8>,
    /// The part of every such document's font file that does not depend
    /// on what it drew (the tables but the outlines, their index, the
    /// metrics and `head`), where it lies, as it reads and compressed:
    /// a document compresses only the rest (see [`deflate_around`]).
    fixed: Option<(Range<usize>, Vec<u8>, Vec<u8>)>,
}

impl Outlines {
    fn new(font: Vec<u8>) -> Outlines {
        // The fixed part is the same whatever is drawn: found with
        // nothing drawn (`.notdef` alone).
        let fixed = super::sfnt::with_outlines_of(&font, &[]).and_then(|(bare, fixed)| {
            let part = bare[fixed.clone()].to_vec();
            Some((fixed, deflate_part(&part)?, part))
        });
        Outlines { font, fixed }
    }

    /// The font file of a document that drew the glyphs `drawn` (by
    /// glyph id) and no other: the font with the outlines of the
    /// rest emptied (see [`super::sfnt::with_outlines_of`]), and that
    /// compressed for `/FlateDecode`. `None` where the subset has no
    /// outlines in `glyf`.
    pub fn with_outlines_of(&self, drawn: &[bool]) -> Option<(Vec<u8>, Vec<u8>)> {
        let (font, fixed) = super::sfnt::with_outlines_of(&self.font, drawn)?;
        let packed = match &self.fixed {
            Some((range, packed, part)) if *range == fixed && font[fixed.clone()] == part[..] => {
                deflate_around(&font, fixed, packed)
            }
            _ => deflate(&font),
        };
        Some((font, packed))
    }
}

impl Preset {
    fn new(file: &FontFile) -> Preset {
        let meanings = preset_glyphs(file);
        let gids: Vec<u16> = meanings.iter().map(|&(gid, _)| gid).collect();
        let subset = (gids.len() > 1)
            .then(|| super::fonts::subset(file, &gids).ok())
            .flatten()
            .map(|font| PresetSubset {
                // Made once for many documents: worth compressing harder.
                packed: deflate_smaller(&font),
                outlines: Outlines::new(font),
            });
        let wider = subset.is_some().then(|| wider_font(file, &gids)).flatten();
        let face = subset
            .is_some()
            .then(|| Face::numbered(file, &gids).ok())
            .flatten()
            .map(|mut face| {
                face.learn_meanings(&meanings);
                face
            });
        let to_unicode = face
            .as_ref()
            .map(|face| deflate_smaller(&face.to_unicode_ranged(0)));
        Preset {
            file: file.clone(),
            gids,
            subset,
            face,
            to_unicode,
            wider,
        }
    }

    /// For a document that drew glyphs past the preset, `drawn` (glyph
    /// ids of the face): the [`Wider`] font with every other outline
    /// emptied, and that compressed; `None` without one or for a glyph it
    /// does not hold. [`wider_id`](Self::wider_id) numbers its glyphs.
    pub fn wider_with_outlines_of(
        &self,
        drawn: impl Iterator<Item = u16>,
    ) -> Option<(Vec<u8>, Vec<u8>)> {
        let wider = self.wider.as_ref()?;
        let mut keep = vec![false; wider.numbered];
        for gid in drawn {
            *keep.get_mut(usize::from(self.wider_id(gid)?))? = true;
        }
        wider.outlines.with_outlines_of(&keep)
    }

    /// The id in the wider font of the face's glyph `gid`, if it has it.
    pub fn wider_id(&self, gid: u16) -> Option<u16> {
        let id = *self.wider.as_ref()?.ids.get(usize::from(gid))?;
        id.checked_sub(1)
    }
}

/// The characters whose glyphs a preset's wider font holds besides its
/// own: the rest of ASCII, the accented Latin letters, Cyrillic, and
/// punctuation (names and quotations in other languages).
const WIDER_CHARACTERS: &[(char, char)] = &[
    (' ', '~'),
    ('\u{A0}', '\u{17F}'),
    ('\u{400}', '\u{45F}'),
    ('\u{2010}', '\u{2044}'),
    ('\u{20AC}', '\u{20AC}'),
];

/// A preset's glyphs and those of [`WIDER_CHARACTERS`], as a font file
/// the PDF embeds (no glyph names, no licence text), the preset's first
/// under its CIDs' numbers: what a document drawing past the preset,
/// but not past these, takes its outlines from, instead of subsetting
/// the face again (a subset cost a render 0.8 M instructions, and as
/// much again to compress).
struct Wider {
    outlines: Outlines,
    /// How many glyphs it numbers from the face's (its first; the parts
    /// of composite ones may follow).
    numbered: usize,
    /// Each glyph of the face's id in the font file, plus one (0 for a
    /// glyph it does not hold).
    ids: Vec<u16>,
}

/// The [`Wider`] font of `file` whose preset holds `preset` (glyph ids).
fn wider_font(file: &FontFile, preset: &[u16]) -> Option<Wider> {
    let font = FontRef::from_index((*file.data).as_ref(), file.index).ok()?;
    let cmap = font.cmap().ok()?;
    let mut ids = vec![0_u16; usize::from(font.maxp().ok()?.num_glyphs())];
    let mut gids: Vec<u16> = Vec::new();
    let characters = WIDER_CHARACTERS.iter().flat_map(|&(a, b)| a..=b);
    let found = characters.filter_map(|c| u16::try_from(cmap.map_codepoint(c)?.to_u32()).ok());
    for gid in preset.iter().copied().chain(found) {
        let id = ids.get_mut(usize::from(gid))?;
        if *id == 0 {
            gids.push(gid);
            *id = gids.len() as u16;
        }
    }
    let font = super::fonts::subset(file, &gids).ok()?;
    Some(Wider {
        outlines: Outlines::new(super::sfnt::without_glyph_names(font)),
        numbered: gids.len(),
        ids,
    })
}

/// The preset glyphs of `file`, each with the text it stands for:
/// `.notdef` (for none), the glyphs of [`PRESET_CHARACTERS`] in that
/// order (each for the first character that gives it), then the
/// ligatures these form, by glyph id (each for its components' text, as
/// the first ligature found that gives it has them). Empty for a face
/// without TrueType outlines.
fn preset_glyphs(file: &FontFile) -> Vec<(u16, String)> {
    let Ok(font) = FontRef::from_index((*file.data).as_ref(), file.index) else {
        return Vec::new();
    };
    if font
        .table_data(read_fonts::types::Tag::new(b"glyf"))
        .is_none()
    {
        return Vec::new();
    }
    let Ok(cmap) = font.cmap() else {
        return Vec::new();
    };
    let mut glyphs: Vec<(u16, String)> = vec![(0, String::new())];
    let characters = PRESET_CHARACTERS.iter().flat_map(|&(a, b)| a..=b);
    for c in characters {
        if let Some(gid) = cmap
            .map_codepoint(c)
            .and_then(|g| u16::try_from(g.to_u32()).ok())
            && gid != 0
            && !glyphs.iter().any(|&(known, _)| known == gid)
        {
            glyphs.push((gid, c.to_string()));
        }
    }
    let gids: Vec<u16> = glyphs.iter().map(|&(gid, _)| gid).collect();
    let text_of = |gid: u16| glyphs.iter().find(|&&(g, _)| g == gid).map(|(_, t)| t);
    let mut ligatures: Vec<(u16, String)> = ligatures_of(&font, &gids)
        .into_iter()
        .map(|(ligature, parts)| {
            let text: String = parts.iter().filter_map(|&p| text_of(p)).cloned().collect();
            (ligature, text)
        })
        .collect();
    // By glyph id, the first found of each kept.
    ligatures.sort_by_key(|&(gid, _)| gid);
    ligatures.dedup_by_key(|&mut (gid, _)| gid);
    ligatures.retain(|(g, _)| !gids.contains(g));
    glyphs.extend(ligatures);
    glyphs.truncate(MAX_PRESET_GLYPHS);
    glyphs
}

/// The glyphs of the face's ligature substitutions whose components are
/// all in `gids` (in any lookup: a ligature the shaper never forms costs
/// only its bytes), each with its components, the first one's included.
fn ligatures_of(font: &FontRef, gids: &[u16]) -> Vec<(u16, Vec<u16>)> {
    let mut found = Vec::new();
    let Ok(lookups) = font.gsub().and_then(|gsub| gsub.lookup_list()) else {
        return found;
    };
    let known = |g: u16| gids.contains(&g);
    for lookup in lookups.lookups().iter().flatten() {
        let Ok(SubstitutionSubtables::Ligature(subtables)) = lookup.subtables() else {
            continue;
        };
        for subtable in subtables.iter().flatten() {
            let LigatureSubst::Format1(subtable) = subtable else {
                continue;
            };
            let Ok(coverage) = subtable.coverage() else {
                continue;
            };
            let sets = subtable.ligature_sets();
            for (first, set) in coverage.iter().zip(sets.iter()) {
                let (Ok(first), Ok(set)) = (u16::try_from(first.to_u32()), set) else {
                    continue;
                };
                if !known(first) {
                    continue;
                }
                for ligature in set.ligatures().iter().flatten() {
                    let rest = ligature.component_glyph_ids();
                    if rest.iter().all(|c| known(c.get().to_u16())) {
                        let parts = std::iter::once(first)
                            .chain(rest.iter().map(|c| c.get().to_u16()))
                            .collect();
                        found.push((ligature.ligature_glyph().to_u16(), parts));
                    }
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::pdf::fonts::tests::gentium;

    #[test]
    fn a_preset_holds_latin_text_and_its_ligatures_and_is_made_once() {
        let font = gentium();
        let mut cache = SubsetCache::default();
        let preset = cache.preset(&font).expect("a TrueType face has one");
        let face = FontRef::new((*font.data).as_ref()).expect("font");
        let cmap = face.cmap().expect("cmap");
        let gid = |c: char| cmap.map_codepoint(c).expect("mapped").to_u32() as u16;
        for c in ['a', 'Z', '0', '—', '“', '’'] {
            assert!(preset.gids.contains(&gid(c)), "{c}");
        }
        assert_eq!(preset.gids[0], 0, ".notdef first");
        assert!(
            preset.gids.len() > 80 && preset.gids.len() <= MAX_PRESET_GLYPHS,
            "{} glyphs",
            preset.gids.len()
        );
        // Ligatures follow the characters' glyphs (fi, fl, ff...).
        let characters = PRESET_CHARACTERS
            .iter()
            .flat_map(|&(a, b)| a..=b)
            .filter(|&c| cmap.map_codepoint(c).is_some())
            .count();
        assert!(preset.gids.len() > characters, "ligatures were added");
        let again = cache.preset(&font).expect("kept");
        assert!(Arc::ptr_eq(&preset, &again), "made once");
        let mut prepared = SubsetCache::default();
        prepared.prepare(std::slice::from_ref(&font));
        assert_eq!(prepared.faces.len(), 1, "made before it is asked for");
        // Another copy of the same bytes is another face to the cache.
        let copy = FontFile {
            data: Arc::new((*font.data).as_ref().to_vec()),
            ..font.clone()
        };
        assert!(!Arc::ptr_eq(&preset, &cache.preset(&copy).expect("made")));
    }

    #[test]
    fn a_document_drawing_past_the_preset_takes_outlines_from_its_wider_font() {
        let font = gentium();
        let preset = SubsetCache::default().preset(&font).expect("made");
        let face = FontRef::new((*font.data).as_ref()).expect("font");
        let cmap = face.cmap().expect("cmap");
        let gid = |c: char| cmap.map_codepoint(c).expect("mapped").to_u32() as u16;
        // The preset's glyphs keep their CIDs' numbers.
        for (cid, &glyph) in preset.gids.iter().enumerate() {
            assert_eq!(preset.wider_id(glyph), Some(cid as u16));
        }
        let drawn = [gid('a'), gid('\u{E9}'), gid('\u{436}')];
        let (file, packed) = preset
            .wider_with_outlines_of(drawn.into_iter())
            .expect("é and ж are in the wider font");
        assert_eq!(crate::pdf::deflate::tests::inflated(&packed), file);
        let wider = FontRef::new(&file).expect("a font");
        let (loca, glyf) = (wider.loca(None).expect("loca"), wider.glyf().expect("glyf"));
        let outline = |id: u16| {
            let glyph = loca.get_glyf(read_fonts::types::GlyphId::new(u32::from(id)), &glyf);
            glyph.expect("reads").is_some()
        };
        for glyph in drawn {
            assert!(outline(preset.wider_id(glyph).expect("held")), "{glyph}");
        }
        assert!(
            !outline(preset.wider_id(gid('b')).expect("held")),
            "not drawn"
        );
        assert!(
            wider.maxp().expect("maxp").num_glyphs() > 300,
            "the wider set"
        );
        // A glyph it does not hold (Greek): the document subsets the face.
        assert_eq!(preset.wider_id(gid('\u{3B1}')), None);
        assert!(
            preset
                .wider_with_outlines_of([gid('\u{3B1}')].into_iter())
                .is_none()
        );
    }
}
