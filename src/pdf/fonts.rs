//! The document's faces as the PDF embeds them: each is a composite
//! (Type 0) font whose CIDs number its glyphs in the order they are first
//! drawn, subset once per document with exactly those glyphs, with its
//! advance widths and a ToUnicode map that gives copied text back.
//!
//! Character codes are one byte each: a face's CIDs are split into
//! pieces of 256, each its own font sharing the face's one CID font and
//! font file, whose encoding CMap ([`piece_cmap`]) maps the byte to the
//! CID. A page of text is mostly glyph codes, and one byte instead of
//! Identity-H's two halves what must be compressed; most faces never need
//! a second piece. (Codes of mixed lengths in one CMap would serve as
//! well, but Ghostscript 10.0's PDF reader draws nothing for them.)
//!
//! A face without outlines (colour emoji drawn as bitmaps) is written as
//! Type 3 fonts instead, one for each piece (see [`type3`]).

mod side_by_side;
mod slots;
mod type3;
mod unicode;

pub(super) use side_by_side::programs;
pub(super) use slots::PlainLookup;
use slots::{DRAWN, ONE_BYTE, Slot};

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Chunk, Filter, Finish, Name, Rect, Ref, Str};
use read_fonts::types::GlyphId;
use read_fonts::{FontRef, ReadError, TableProvider};

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use super::PdfError;
use super::deflate::deflate;
use super::images::Images;
use super::presets::Preset;
use crate::page::FontFile;

/// The CID system of every font we write: CIDs are our own numbering.
pub(super) const IDENTITY: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

/// A face drawing fewer than this share (per cent) of its preset's glyphs
/// embeds a subset of its own (see [`Face::preset_hit`]).
const PRESET_SHARE: usize = 60;

/// The font file a face embeds.
pub(super) struct Program {
    /// Six capital letters naming the subset.
    tag: String,
    /// The preset whose subset is embedded as made, if it is.
    made: Option<Arc<Preset>>,
    /// Otherwise the subset made for this document, compressed.
    packed: Vec<u8>,
    /// The subset's length before compression.
    length: usize,
    /// Each CID's glyph in the subset (two bytes each) where they differ.
    cid_to_gid: Option<Vec<u8>>,
}

/// The most CIDs a face can have: 256 pieces of 256.
const MAX_CIDS: usize = 0xFFFF;

/// The encoding CMap of the fonts of `piece`: the one-byte code `c` is
/// the CID `piece × 256 + c`.
pub(super) fn piece_cmap(piece: u16) -> Vec<u8> {
    let first = u32::from(piece) << 8;
    let names = format!(
        "/CMapName /{} def\n/CMapType 1 def\n/WMode 0 def\n",
        piece_cmap_name(piece)
    );
    one_byte_cmap(&names, |cmap| {
        cmap.push_str(&format!(
            "1 begincidrange\n<00> <FF> {first}\nendcidrange\n"
        ));
    })
}

/// A CMap over one-byte codes: the resource's preamble, `names` (its
/// `/CMapName` and `/CMapType`), the code space, what `body` writes (its
/// mappings), and the closing lines.
pub(super) fn one_byte_cmap(names: &str, body: impl FnOnce(&mut String)) -> Vec<u8> {
    let mut cmap = String::from(CMAP_HEADER);
    cmap.push_str(names);
    cmap.push_str(CODESPACE);
    body(&mut cmap);
    cmap.push_str(CMAP_FOOTER);
    cmap.into_bytes()
}

/// [`piece_cmap`]`(piece)` compressed for `/FlateDecode`. Every
/// document with outlined text embeds the first piece's, always the same
/// bytes, so those are compressed once per process.
pub(super) fn packed_piece_cmap(piece: u16) -> Cow<'static, [u8]> {
    static FIRST: OnceLock<Vec<u8>> = OnceLock::new();
    if piece == 0 {
        Cow::Borrowed(FIRST.get_or_init(|| deflate(&piece_cmap(0))))
    } else {
        Cow::Owned(deflate(&piece_cmap(piece)))
    }
}

/// Whether `a` and `b` are equal, compared in line: a glyph's text is a
/// few bytes, and this runs once per glyph, where the slices' `==` calls
/// `memcmp`.
#[inline]
fn same_short(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// The name of [`piece_cmap`]`(piece)`.
pub(super) fn piece_cmap_name(piece: u16) -> String {
    format!("Iskra-Piece{piece}")
}

const CMAP_HEADER: &str = "%!PS-Adobe-3.0 Resource-CMap\n/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo 3 dict dup begin\n/Registry (Adobe) def\n/Ordering (Identity) def\n/Supplement 0 def\nend def\n";
/// The codes of every font: one byte.
const CODESPACE: &str = "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n";
const CMAP_FOOTER: &str = "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";

/// One face of the document while its pages are written.
#[derive(Clone)]
pub(super) struct Face {
    file: FontFile,
    /// Font units per em.
    upem: f32,
    /// Each glyph's CID, by glyph id (0 until it is first drawn: CID 0 is
    /// `.notdef`, which is glyph 0), with what the glyph loop asks of it.
    slots: Vec<Slot>,
    /// Each CID's glyph id, in the order first drawn.
    gids: Vec<u16>,
    /// Each CID's advance in thousandths of an em, as `/W` gives it.
    widths: Vec<f32>,
    /// The text each CID stands for in the ToUnicode map; empty while no
    /// drawn occurrence has told it.
    texts: Vec<String>,
    /// Text for a CID that no occurrence alone nor the font names: the
    /// first cluster of several glyphs it was drawn in.
    hints: Vec<String>,
    /// Whether each CID was drawn: a preset's glyphs are numbered before
    /// any is drawn.
    drawn: Vec<bool>,
    /// The glyphs numbered first, whose subset is made once (see
    /// [`super::presets`]).
    preset: Option<Arc<Preset>>,
    /// Whether the face draws bitmaps, written as Type 3 fonts.
    bitmap: bool,
    /// The font object of each piece of the face, once it is used: the
    /// Type 0 font (one piece), or the Type 3 font of each 256 CIDs.
    references: Vec<Option<Ref>>,
}

impl Face {
    /// Reads what writing needs from `file` (its advance widths).
    pub fn new(file: &FontFile) -> Result<Face, PdfError> {
        let font = font_ref(file)?;
        let bad = |e: ReadError| font_error(file, e);
        let upem = f32::from(font.head().map_err(bad)?.units_per_em().max(1));
        let count = font.maxp().map_err(bad)?.num_glyphs();
        // Read now so that a face without one fails here; advances are
        // looked up as glyphs are first drawn, a few dozen of thousands.
        font.hmtx().map_err(bad)?;
        let mut face = Face {
            file: file.clone(),
            upem,
            slots: vec![Slot::default(); usize::from(count).max(1)],
            gids: Vec::new(),
            widths: Vec::new(),
            texts: Vec::new(),
            hints: Vec::new(),
            drawn: Vec::new(),
            preset: None,
            bitmap: !has_outlines(file),
            references: Vec::new(),
        };
        // CID 0 is .notdef, always present.
        face.add(0);
        Ok(face)
    }

    /// [`new`](Self::new), with the preset's glyphs numbered first, in
    /// its order, none of them drawn yet: a copy of the preset's
    /// [`numbered`](Self::numbered) face, made once per preset (reading a
    /// face's advance widths glyph by glyph cost a served article more
    /// than its ToUnicode maps).
    pub fn with_preset(file: &FontFile, preset: Arc<Preset>) -> Result<Face, PdfError> {
        let mut face = match &preset.face {
            Some(face) => face.clone(),
            None => Face::numbered(file, &preset.gids)?,
        };
        face.preset = Some(preset);
        Ok(face)
    }

    /// [`new`](Self::new), with `gids` (`.notdef` first) numbered first,
    /// in their order, none of them drawn yet, and no preset.
    pub fn numbered(file: &FontFile, gids: &[u16]) -> Result<Face, PdfError> {
        let mut face = Face::new(file)?;
        for &gid in gids.iter().skip(1) {
            face.cid(gid);
        }
        face.drawn.fill(false);
        for slot in &mut face.slots {
            slot.flags &= !DRAWN;
        }
        Ok(face)
    }

    /// Whether the face is written with its preset subset as made: it
    /// drew no glyph past the preset, and at least [`PRESET_SHARE`] per
    /// cent of the preset's (so that the file stays near the size of an
    /// exact subset); `None` for a face without a preset.
    pub fn preset_hit(&self) -> Option<bool> {
        let preset = self.preset.as_ref()?;
        let drawn = self.drawn.iter().skip(1).filter(|&&d| d).count();
        Some(
            self.gids.len() == preset.gids.len() && drawn * 100 >= preset.gids.len() * PRESET_SHARE,
        )
    }

    /// The CID of glyph `gid`, numbering it on first sight. A glyph id the
    /// face does not have (or a glyph past the most one face can use) is
    /// drawn as `.notdef`.
    #[inline]
    pub fn cid(&mut self, gid: u16) -> u16 {
        let cid = match self.slots.get(usize::from(gid)) {
            Some(slot) if slot.cid == 0 && gid != 0 => self.add(gid),
            Some(slot) => slot.cid,
            None => 0,
        };
        self.drawn[usize::from(cid)] = true;
        if let Some(slot) = self.slots.get_mut(usize::from(gid)) {
            slot.flags |= DRAWN;
        }
        cid
    }

    /// What the glyph loop reads of the face while it draws plain glyphs,
    /// borrowed once for a stretch of them.
    #[inline]
    pub fn plain_lookup(&self) -> PlainLookup<'_> {
        PlainLookup {
            slots: &self.slots,
            widths: &self.widths,
        }
    }

    fn add(&mut self, gid: u16) -> u16 {
        if self.gids.len() >= MAX_CIDS {
            return 0;
        }
        let cid = self.gids.len() as u16;
        self.slots[usize::from(gid)].cid = cid;
        self.gids.push(gid);
        let advance = advance(&self.file, gid);
        self.widths.push(f32::from(advance) * 1000.0 / self.upem);
        self.texts.push(String::new());
        self.hints.push(String::new());
        self.drawn.push(false);
        cid
    }

    /// Which of the face's fonts draws `cid`, with the code `cid as u8`.
    #[inline]
    pub fn piece(cid: u16) -> u16 {
        cid >> 8
    }

    /// The pieces the face has fonts for (see [`piece`](Self::piece)).
    pub fn pieces(&self) -> usize {
        self.references.len()
    }

    /// Whether the face draws with outlines (not bitmaps).
    pub fn has_outlines(&self) -> bool {
        !self.bitmap
    }

    /// The font object of `piece`, if numbered yet.
    pub fn reference(&self, piece: u16) -> Option<Ref> {
        self.references.get(usize::from(piece)).copied().flatten()
    }

    /// Sets the font object of `piece`.
    pub fn set_reference(&mut self, piece: u16, id: Ref) {
        let index = usize::from(piece);
        if self.references.len() <= index {
            self.references.resize(index + 1, None);
        }
        self.references[index] = Some(id);
    }

    /// Whether some font of the face is used.
    pub fn is_used(&self) -> bool {
        self.references.iter().any(Option::is_some)
    }

    /// The advance of `cid` in thousandths of an em.
    #[inline]
    pub fn width(&self, cid: u16) -> f32 {
        self.widths[usize::from(cid)]
    }

    /// Whether copying `cid` gives `text` without help: records `text` as
    /// the CID's meaning when it has none yet. A soft hyphen never becomes
    /// a glyph's meaning (the same glyph is also a real hyphen).
    #[inline]
    pub fn means(&mut self, cid: u16, text: &str) -> bool {
        let known = &mut self.texts[usize::from(cid)];
        if known.is_empty() && !text.is_empty() && text != "\u{ad}" && cid != 0 {
            known.push_str(text);
            if let [byte] = text.as_bytes() {
                let slot = &mut self.slots[usize::from(self.gids[usize::from(cid)])];
                slot.byte = *byte;
                slot.flags |= ONE_BYTE;
            }
            return true;
        }
        same_short(known.as_bytes(), text.as_bytes())
    }

    /// Whether copying `cid` gives `text`, if its meaning is known yet:
    /// [`means`](Self::means) for the glyphs seen before, without the text
    /// as a `str`.
    #[inline]
    pub fn known_to_mean(&self, cid: u16, text: &[u8]) -> Option<bool> {
        let known = self.texts[usize::from(cid)].as_bytes();
        (!known.is_empty()).then(|| same_short(known, text))
    }

    /// Offers `text` as the meaning of `cid` should nothing better be known
    /// when the font is written.
    pub fn suggest(&mut self, cid: u16, text: &str) {
        let index = usize::from(cid);
        if cid != 0 && self.texts[index].is_empty() && self.hints[index].is_empty() {
            self.hints[index].push_str(text);
        }
    }

    /// Writes the font's objects (a Type 0 font and ToUnicode map for
    /// each piece, their CID font, its descriptor, and the subset font
    /// file) into `chunk`, the Type 0 fonts of piece `p` encoded by
    /// `encodings[p]`. Tells whether some glyph drawn stands for no text at
    /// all, neither in the document nor in the font's own character map.
    /// `program` is the face's [`Face::program_to_embed`], made before.
    pub fn write(
        &mut self,
        chunk: &mut Chunk,
        encodings: &[Ref],
        images: &mut Images,
        program: Option<Result<Program, PdfError>>,
        next: &mut impl FnMut() -> Ref,
    ) -> Result<bool, PdfError> {
        if !self.is_used() {
            return Ok(false);
        }
        self.fill_unknown_texts();
        if self.bitmap {
            self.write_type3(chunk, images, next)?;
            return Ok(self.some_drawn_glyph_means_nothing());
        }
        let file = self.file.clone();
        let font = font_ref(&file)?;
        // Made before for every face that reaches here.
        let program = program.unwrap_or_else(|| self.program())?;
        let base_font = format!("{}+{}", program.tag, file.name);
        let base_font = Name(base_font.as_bytes());
        let cff = font
            .table_data(read_fonts::types::Tag::new(b"CFF "))
            .is_some();

        let (cid_ref, descriptor_ref, file_ref) = (next(), next(), next());
        let map_ref = program.cid_to_gid.as_ref().map(|_| next());
        for piece in 0..self.references.len() {
            let (Some(type0), Some(&encoding)) = (self.references[piece], encodings.get(piece))
            else {
                continue;
            };
            let cmap_ref = next();
            chunk
                .type0_font(type0)
                .base_font(base_font)
                .encoding_cmap(encoding)
                .descendant_font(cid_ref)
                .to_unicode(cmap_ref);
            let cmap = self.packed_to_unicode(piece as u16);
            chunk.stream(cmap_ref, &cmap).filter(Filter::FlateDecode);
        }

        let mut cid = chunk.cid_font(cid_ref);
        cid.subtype(if cff {
            CidFontType::Type0
        } else {
            CidFontType::Type2
        })
        .base_font(base_font)
        .system_info(IDENTITY)
        .font_descriptor(descriptor_ref)
        .default_width(0.0);
        if let Some(map) = map_ref {
            cid.cid_to_gid_map_stream(map);
        } else if !cff {
            cid.cid_to_gid_map_predefined(Name(b"Identity"));
        }
        cid.widths().consecutive(0, self.widths.iter().copied());
        cid.finish();
        if let (Some(map), Some(bytes)) = (map_ref, &program.cid_to_gid) {
            chunk
                .stream(map, &deflate(bytes))
                .filter(Filter::FlateDecode);
        }

        let bad = |e: ReadError| font_error(&file, e);
        let head = font.head().map_err(bad)?;
        let hhea = font.hhea().map_err(bad)?;
        let os2 = font.os2().ok();
        let post = font.post().ok();
        let scale = |v: f32| v * 1000.0 / self.upem;
        let italic_angle = post
            .as_ref()
            .map_or(0.0, |p| p.italic_angle().to_f64() as f32);
        let mut flags = FontFlags::SYMBOLIC;
        if italic_angle != 0.0 {
            flags |= FontFlags::ITALIC;
        }
        if post.as_ref().is_some_and(|p| p.is_fixed_pitch() != 0) {
            flags |= FontFlags::FIXED_PITCH;
        }
        let ascent = scale(f32::from(hhea.ascender().to_i16()));
        let weight = os2.as_ref().map_or(400, |o| o.us_weight_class());
        let mut descriptor = chunk.font_descriptor(descriptor_ref);
        descriptor
            .name(base_font)
            .flags(flags)
            .bbox(Rect::new(
                scale(f32::from(head.x_min())),
                scale(f32::from(head.y_min())),
                scale(f32::from(head.x_max())),
                scale(f32::from(head.y_max())),
            ))
            .italic_angle(italic_angle)
            .ascent(ascent)
            .descent(scale(f32::from(hhea.descender().to_i16())))
            .cap_height(
                os2.as_ref()
                    .and_then(|o| o.s_cap_height())
                    .map_or(ascent, |c| scale(f32::from(c))),
            )
            // An estimate from the weight: fonts do not record their stems.
            .stem_v(10.0 + 0.244 * (f32::from(weight) - 50.0));
        if cff {
            descriptor.font_file3(file_ref);
        } else {
            descriptor.font_file2(file_ref);
        }
        descriptor.finish();

        let packed = match &program.made {
            Some(preset) => preset.subset.as_ref().map_or(&[][..], |s| &s.packed[..]),
            None => &program.packed[..],
        };
        let mut stream = chunk.stream(file_ref, packed);
        if cff {
            stream.pair(Name(b"Subtype"), Name(b"OpenType"));
        } else {
            stream.pair(Name(b"Length1"), program.length as i32);
        }
        stream.filter(Filter::FlateDecode);
        stream.finish();
        Ok(self.some_drawn_glyph_means_nothing())
    }

    /// The font file [`Face::write`] embeds; `None` for a face not used,
    /// or drawn as bitmaps (its Type 3 font embeds none). Made apart from
    /// the writing, so that a document's faces can make theirs side by
    /// side ([`programs`]).
    pub(super) fn program_to_embed(&self) -> Option<Result<Program, PdfError>> {
        (self.is_used() && !self.bitmap).then(|| self.program())
    }

    /// The font file to embed: the preset's subset as made, where the
    /// document drew enough of the preset's glyphs and no other; else a
    /// subset of the glyphs drawn (with a map from CIDs to its glyphs
    /// where the preset numbered them).
    fn program(&self) -> Result<Program, PdfError> {
        match &self.preset {
            Some(preset) if self.preset_hit() == Some(true) && preset.subset.is_some() => {
                let made = preset.subset.as_ref().map_or(0, |s| s.outlines.font.len());
                Ok(Program {
                    tag: subset_tag(&self.file, &preset.gids),
                    made: Some(Arc::clone(preset)),
                    packed: Vec::new(),
                    length: made,
                    cid_to_gid: None,
                })
            }
            Some(preset) => {
                if let Some(program) = self.preset_outlines() {
                    return Ok(program);
                }
                let drawn = || (self.gids.iter().zip(&self.drawn)).filter(|(_, d)| **d);
                if let Some((font, packed)) = preset.wider_with_outlines_of(drawn().map(|g| *g.0)) {
                    let id = |(&gid, &drawn)| preset.wider_id(gid).filter(|_| drawn);
                    let map = (self.gids.iter().zip(&self.drawn))
                        .flat_map(|glyph| id(glyph).unwrap_or(0).to_be_bytes())
                        .collect();
                    return Ok(Program {
                        tag: subset_tag(&self.file, &drawn().map(|g| *g.0).collect::<Vec<_>>()),
                        made: None,
                        packed,
                        length: font.len(),
                        cid_to_gid: Some(map),
                    });
                }
                // `.notdef` first, then each glyph drawn, in CID order.
                let mut gids = vec![0];
                let mut map = Vec::with_capacity(self.gids.len() * 2);
                for (&gid, &drawn) in self.gids.iter().zip(&self.drawn) {
                    let index = if drawn && gid != 0 {
                        gids.push(gid);
                        gids.len() as u16 - 1
                    } else {
                        0
                    };
                    map.extend_from_slice(&index.to_be_bytes());
                }
                let subset = subset(&self.file, &gids)?;
                Ok(Program {
                    tag: subset_tag(&self.file, &gids),
                    made: None,
                    packed: deflate(&subset),
                    length: subset.len(),
                    cid_to_gid: Some(map),
                })
            }
            None => {
                let subset = subset(&self.file, &self.gids)?;
                Ok(Program {
                    tag: subset_tag(&self.file, &self.gids),
                    made: None,
                    packed: deflate(&subset),
                    length: subset.len(),
                    cid_to_gid: None,
                })
            }
        }
    }

    /// For a face that drew only preset glyphs, but too few of them for
    /// the preset's subset as made: that subset with the outlines of the
    /// glyphs not drawn left empty, under the preset's numbering. Its
    /// glyph ids are the CIDs, so no map from CIDs to glyphs is needed,
    /// and the face is not subset again (a fifth of a served article's
    /// render went into subsetting its faces).
    fn preset_outlines(&self) -> Option<Program> {
        let preset = self.preset.as_ref()?;
        let made = preset.subset.as_ref()?;
        if self.gids.len() != preset.gids.len() {
            return None;
        }
        let (font, packed) = made.outlines.with_outlines_of(&self.drawn)?;
        let drawn: Vec<u16> = (self.gids.iter().zip(&self.drawn))
            .filter_map(|(&gid, &drawn)| drawn.then_some(gid))
            .collect();
        Some(Program {
            tag: subset_tag(&self.file, &drawn),
            made: None,
            packed,
            length: font.len(),
            cid_to_gid: None,
        })
    }

    /// Whether some glyph drawn stands for no text at all.
    fn some_drawn_glyph_means_nothing(&self) -> bool {
        self.texts
            .iter()
            .zip(&self.drawn)
            .skip(1)
            .any(|(text, &drawn)| drawn && text.is_empty())
    }

    /// Gives CIDs no drawn occurrence named (glyphs only ever drawn inside
    /// a cluster, or as a hyphen at a line end) the character the font maps
    /// to them.
    fn fill_unknown_texts(&mut self) {
        if !self.some_drawn_glyph_means_nothing() {
            return;
        }
        self.fill_from_font();
        for ((text, hint), &drawn) in self.texts.iter_mut().zip(&self.hints).zip(&self.drawn) {
            if drawn && text.is_empty() {
                text.push_str(hint);
            }
        }
    }

    fn fill_from_font(&mut self) {
        let Ok(font) =
            skrifa::FontRef::from_index(self.file.data.as_ref().as_ref(), self.file.index)
        else {
            return;
        };
        use skrifa::MetadataProvider;
        // The lowest code point for each glyph, so that the choice is stable.
        let mut best: Vec<Option<u32>> = vec![None; self.gids.len()];
        for (codepoint, gid) in font.charmap().mappings() {
            let Ok(gid) = u16::try_from(gid.to_u32()) else {
                continue;
            };
            let cid = usize::from(self.slots.get(usize::from(gid)).map_or(0, |s| s.cid));
            if cid != 0 && self.drawn[cid] && self.texts[cid].is_empty() {
                let slot = &mut best[cid];
                *slot = Some(slot.map_or(codepoint, |c| c.min(codepoint)));
            }
        }
        for (cid, codepoint) in best.into_iter().enumerate() {
            if let Some(c) = codepoint.and_then(char::from_u32) {
                self.texts[cid].push(c);
            }
        }
    }
}

/// Six capital letters naming the subset of `file` holding `gids`.
fn subset_tag(file: &FontFile, gids: &[u16]) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(file.name.as_bytes());
    for gid in gids {
        hasher.update(&gid.to_le_bytes());
    }
    hasher
        .finalize()
        .as_bytes()
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

/// The subset of `file` holding `gids`, each as the glyph of its index
/// (the glyphs composite ones are made of follow), without the licence's
/// text (see [`super::sfnt`]).
pub(super) fn subset(file: &FontFile, gids: &[u16]) -> Result<Vec<u8>, PdfError> {
    let mut remapper = subsetter::GlyphRemapper::new();
    for &gid in gids {
        remapper.remap(gid);
    }
    let subset = subsetter::subset(file.data.as_ref().as_ref(), file.index, &remapper)
        .map_err(|e| font_error(file, e))?;
    Ok(super::sfnt::without_license_text(subset))
}

/// The advance of glyph `gid` in font units (0 where the face has none).
fn advance(file: &FontFile, gid: u16) -> u16 {
    font_ref(file)
        .ok()
        .and_then(|font| font.hmtx().ok())
        .and_then(|hmtx| hmtx.advance(GlyphId::new(u32::from(gid))))
        .unwrap_or(0)
}

/// Whether the face draws its glyphs from outlines (TrueType or CFF),
/// which the direct writer subsets; colour bitmap faces have none.
pub(super) fn has_outlines(file: &FontFile) -> bool {
    font_ref(file).is_ok_and(|font| {
        [b"glyf", b"CFF "]
            .iter()
            .any(|tag| font.table_data(read_fonts::types::Tag::new(tag)).is_some())
    })
}

fn font_ref(file: &FontFile) -> Result<FontRef<'_>, PdfError> {
    FontRef::from_index(file.data.as_ref().as_ref(), file.index).map_err(|e| font_error(file, e))
}

/// The error for a font file the writer cannot read or subset, naming
/// the file (a damaged font in a font folder is the usual cause).
pub(super) fn font_error(file: &FontFile, reason: impl std::fmt::Display) -> PdfError {
    PdfError::Font {
        file: file.source.clone(),
        reason: reason.to_string(),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::sync::Arc;

    use skrifa::MetadataProvider;

    use super::*;
    use crate::page::{Color, Document, DocumentMeta, Glyph, Item, Page, PageLabel, Tag, TextRun};
    use crate::pdf::{PdfOptions, SubsetCache, write_pdf, write_pdf_with};
    use crate::units::{Point, Pt, Size};

    #[test]
    fn plain_cid_says_what_cid_and_known_to_mean_say() {
        let font = gentium();
        let face_ref = FontRef::new((*font.data).as_ref()).expect("font");
        let gid = |c: char| {
            let cmap = face_ref.cmap().expect("cmap");
            cmap.map_codepoint(c).expect("mapped").to_u32() as u16
        };
        let (a, b) = (gid('a'), gid('b'));
        let mut face = Face::new(&font).expect("face");
        assert_eq!(face.plain_lookup().cid(a, b'a'), None, "never drawn");
        let cid = face.cid(a);
        assert_eq!(
            face.plain_lookup().cid(a, b'a'),
            None,
            "its meaning unknown"
        );
        assert!(face.means(cid, "a"));
        assert_eq!(face.known_to_mean(cid, b"a"), Some(true));
        assert_eq!(face.plain_lookup().cid(a, b'a'), Some(cid));
        assert_eq!(face.plain_lookup().cid(a, b'b'), None, "another byte");
        // A glyph whose meaning is longer than a byte is never plain.
        let two = face.cid(b);
        assert!(face.means(two, "bb"));
        assert_eq!(face.plain_lookup().cid(b, b'b'), None);
        // Numbered by a preset but not drawn: not plain until drawn.
        let mut numbered = Face::numbered(&font, &[0, a]).expect("face");
        let cid = numbered.cid(a);
        assert!(numbered.means(cid, "a"));
        let mut fresh = Face::numbered(&font, &[0, a]).expect("face");
        assert_eq!(fresh.plain_lookup().cid(a, b'a'), None);
        assert_eq!(fresh.cid(a), cid);
        assert_eq!(numbered.plain_lookup().cid(a, b'a'), Some(cid));
    }

    /// An untagged one-page PDF drawing, in `font`, the first `count`
    /// characters of `chars` the font has, each its own glyph; and the
    /// text drawn.
    fn pdf_drawing(
        font: FontFile,
        chars: impl Iterator<Item = char>,
        count: usize,
    ) -> (Vec<u8>, String) {
        pdf_drawing_with(font, chars, count, None)
    }

    /// [`pdf_drawing`], with the faces' presets from `cache` if given.
    fn pdf_drawing_with(
        font: FontFile,
        chars: impl Iterator<Item = char>,
        count: usize,
        cache: Option<&mut SubsetCache>,
    ) -> (Vec<u8>, String) {
        let face = skrifa::FontRef::from_index(font.data.as_ref().as_ref(), 0).expect("a font");
        let charmap = face.charmap();
        let mut text = String::new();
        let mut glyphs = Vec::new();
        for (c, gid) in chars.filter_map(|c| Some((c, charmap.map(c)?))).take(count) {
            let start = text.len() as u32;
            text.push(c);
            let end = text.len() as u32;
            let id = gid.to_u32() as u16;
            glyphs.push((id, start..end));
        }
        assert_eq!(glyphs.len(), count, "the font has {count} of them");
        let glyphs = glyphs
            .into_iter()
            .map(|(id, range)| Glyph::new(id, Pt(1.0), Pt::ZERO, Pt::ZERO, range, &text))
            .collect();
        let run = TextRun {
            origin: Point::new(Pt(10.0), Pt(20.0)),
            font: 0,
            size: Pt(2.0),
            h_scale: 1.0,
            vertical: false,
            right_to_left: false,
            glyphs,
            text: text.clone(),
            color: Color::BLACK,
            tag: Tag::Artifact,
        };
        let doc = Document {
            pages: vec![Page {
                size: Size::new(Pt(400.0), Pt(100.0)),
                bleed: Pt::ZERO,
                slug: Pt::ZERO,
                label: PageLabel::Arabic(1),
                article: None,
                items: vec![Item::Text(run)],
            }],
            fonts: vec![font],
            outline: Vec::new(),
            meta: DocumentMeta {
                title: "Pieces".into(),
                language: "en".into(),
                ..DocumentMeta::default()
            },
            structure: Vec::new(),
            page_starts: Vec::new(),
        };
        let options = PdfOptions {
            standards: Vec::new(),
            tagged: false,
        };
        let pdf = match cache {
            Some(cache) => write_pdf_with(doc, &options, cache),
            None => write_pdf(doc, &options),
        };
        (pdf.expect("PDF"), text)
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    /// The text poppler extracts, without white space; `None` where
    /// poppler is not installed.
    fn extracted(pdf: &[u8]) -> Option<String> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.pdf");
        std::fs::write(&path, pdf).expect("write");
        let output = std::process::Command::new("pdftotext")
            .arg(&path)
            .arg("-")
            .output()
            .ok()?;
        let text = String::from_utf8(output.stdout).expect("UTF-8");
        Some(text.chars().filter(|c| !c.is_whitespace()).collect())
    }

    /// The bundled body face, for the tests here and in `presets`.
    pub(in crate::pdf) fn gentium() -> FontFile {
        let bytes: &'static [u8] = include_bytes!("../../fonts/GentiumBookPlus-Regular.ttf");
        FontFile {
            data: Arc::new(bytes),
            index: 0,
            name: "GentiumBookPlus-Regular".into(),
            source: "GentiumBookPlus-Regular.ttf".into(),
        }
    }

    /// The font file embedded in `pdf` (the one stream with `/Length1`),
    /// still compressed.
    fn font_file(pdf: &[u8]) -> &[u8] {
        let at = pdf
            .windows(8)
            .position(|w| w == b"/Length1")
            .expect("a TrueType font file");
        let start = at
            + pdf[at..]
                .windows(7)
                .position(|w| w == b"stream\n")
                .expect("stream")
            + 7;
        let end = start
            + pdf[start..]
                .windows(9)
                .position(|w| w == b"endstream")
                .expect("end");
        &pdf[start..end]
    }

    #[test]
    fn a_document_drawing_its_faces_preset_embeds_the_subset_made_once() {
        let text_chars = || ('a'..='z').chain('A'..='Z').chain('0'..='9');
        let mut cache = SubsetCache::default();
        let (first, text) = pdf_drawing_with(gentium(), text_chars(), 62, Some(&mut cache));
        let (again, _) = pdf_drawing_with(gentium(), text_chars().rev(), 62, Some(&mut cache));
        assert_eq!(cache.counts(), (2, 0), "both from the preset as made");
        assert_eq!(font_file(&first), font_file(&again), "one subset");
        assert!(contains(&first, b"/CIDToGIDMap/Identity"));
        // A cache that had made nothing gives the same bytes.
        let (fresh, _) = pdf_drawing_with(
            gentium(),
            text_chars(),
            62,
            Some(&mut SubsetCache::default()),
        );
        assert!(fresh == first, "the same bytes whatever the cache held");
        if let Some(copied) = extracted(&first) {
            assert_eq!(copied, text);
        }
    }

    #[test]
    fn a_document_drawing_past_its_faces_preset_embeds_its_own_subset() {
        let mut cache = SubsetCache::default();
        // Letters with accents are not in the preset.
        let accented = ('a'..='z').chain('\u{E0}'..='\u{FF}');
        let (past, text) = pdf_drawing_with(gentium(), accented, 58, Some(&mut cache));
        assert_eq!(cache.counts(), (0, 1));
        // CIDs number the preset's glyphs; the subset holds those drawn.
        assert!(contains(&past, b"/CIDToGIDMap "), "a map to the subset");
        if let Some(copied) = extracted(&past) {
            assert_eq!(copied, text);
        }
    }

    #[test]
    fn a_document_drawing_little_of_its_faces_preset_embeds_only_those_outlines() {
        let mut cache = SubsetCache::default();
        // Ten letters are too few of the preset's glyphs for it as made.
        let (few, text) = pdf_drawing_with(gentium(), 'a'..='j', 10, Some(&mut cache));
        assert_eq!(cache.counts(), (0, 1));
        // The preset's font, numbered as the CIDs, with the others emptied.
        assert!(contains(&few, b"/CIDToGIDMap/Identity"));
        if let Some(copied) = extracted(&few) {
            assert_eq!(copied, text);
        }
        let (exact, _) = pdf_drawing(gentium(), 'a'..='j', 10);
        // Within 5% of a subset of exactly those glyphs (which needs a
        // map from the preset's CIDs to its glyphs, not counted here).
        assert!(
            font_file(&few).len() * 100 <= font_file(&exact).len() * 105,
            "near the size of an exact subset: {} and {} bytes",
            font_file(&few).len(),
            font_file(&exact).len()
        );
        let fresh = pdf_drawing_with(gentium(), 'a'..='j', 10, Some(&mut SubsetCache::default()));
        assert!(fresh.0 == few, "the same bytes whatever the cache held");
    }

    /// The ToUnicode maps in `pdf`, uncompressed, in file order.
    fn to_unicode_maps(pdf: &[u8]) -> Vec<Vec<u8>> {
        let mut maps = Vec::new();
        let mut at = 0;
        while let Some(start) = pdf[at..].windows(7).position(|w| w == b"stream\n") {
            let start = at + start + 7;
            let Some(end) = pdf[start..].windows(9).position(|w| w == b"endstream") else {
                break;
            };
            let mut text = Vec::new();
            let packed = &pdf[start..start + end];
            let _ =
                std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(packed), &mut text);
            if contains(&text, b"/CMapName /Iskra-ToUnicode") {
                maps.push(text);
            }
            at = start + end + 9;
        }
        maps
    }

    #[test]
    fn documents_drawing_from_a_preset_share_its_tounicode_map() {
        let mut cache = SubsetCache::default();
        let (first, text) = pdf_drawing_with(gentium(), 'a'..='j', 10, Some(&mut cache));
        let (other, _) = pdf_drawing_with(gentium(), 'K'..='Z', 10, Some(&mut cache));
        let (maps, others) = (to_unicode_maps(&first), to_unicode_maps(&other));
        assert_eq!(maps.len(), 1);
        assert_eq!(maps, others, "the preset's map, whatever was drawn");
        assert!(contains(&maps[0], b"beginbfrange"), "the letters as ranges");
        if let Some(copied) = extracted(&first) {
            assert_eq!(copied, text);
        }
        // A glyph past the preset: the document's own map, which has it.
        let accented = ('a'..='z').chain('\u{E0}'..='\u{FF}');
        let (past, text) = pdf_drawing_with(gentium(), accented, 58, Some(&mut cache));
        let maps = to_unicode_maps(&past);
        assert!(maps != others && contains(&maps[0], b"<00E0>"));
        if let Some(copied) = extracted(&past) {
            assert_eq!(copied, text);
        }
    }

    #[test]
    fn a_face_past_256_glyphs_continues_in_a_second_piece() {
        let font = gentium();
        let letters = ('A'..='\u{24F}').filter(|c| c.is_alphabetic());
        let (pdf, text) = pdf_drawing(font, letters, 300);
        assert!(contains(&pdf, b"/F0 "), "the first piece");
        assert!(contains(&pdf, b"/F0.1 "), "the second piece");
        assert!(contains(&pdf, b"/Iskra-Piece1"));
        if let Some(copied) = extracted(&pdf) {
            assert_eq!(copied, text);
        }
    }

    #[test]
    fn a_colour_bitmap_face_is_written_as_type3_fonts_of_256_glyphs() {
        // Only where Noto Color Emoji is installed (CI installs it).
        let path = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf";
        let Ok(bytes) = std::fs::read(path) else {
            eprintln!("skipped: {path} is not installed");
            return;
        };
        let font = FontFile {
            data: Arc::new(bytes),
            index: 0,
            name: "NotoColorEmoji".into(),
            source: path.into(),
        };
        assert!(!has_outlines(&font), "a bitmap face");
        let emoji = ('\u{1F300}'..='\u{1F64F}').chain('\u{1F680}'..='\u{1F6FF}');
        let (pdf, text) = pdf_drawing(font, emoji, 300);
        let type3 = pdf.windows(14).filter(|w| w == b"/Subtype/Type3").count();
        assert_eq!(type3, 2, "two Type 3 fonts");
        assert!(contains(&pdf, b"/F0.1 "), "the second piece");
        assert!(contains(&pdf, b" d0\n"), "coloured glyphs");
        assert!(contains(&pdf, b"/SMask"), "the bitmaps' transparency");
        if let Some(copied) = extracted(&pdf) {
            let mut copied: Vec<char> = copied.chars().collect();
            let mut drawn: Vec<char> = text.chars().collect();
            copied.sort_unstable();
            drawn.sort_unstable();
            assert_eq!(copied, drawn);
        }
    }
}
