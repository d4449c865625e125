//! The document's faces as the PDF embeds them: each is a composite
//! (Type 0) font whose CIDs number its glyphs in the order they are first
//! drawn, subset once per document with exactly those glyphs, with its
//! advance widths and a ToUnicode map that gives copied text back.
//!
//! Character codes are one byte for the first 128 CIDs and two bytes
//! after (see [`SHORT_CODES`]): a page of text is mostly glyph codes, and
//! one byte instead of Identity-H's two halves what must be compressed.

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Chunk, Filter, Finish, Name, Rect, Ref, Str};
use read_fonts::types::GlyphId;
use read_fonts::{FontRef, TableProvider};

use super::PdfError;
use super::deflate::deflate;
use crate::page::FontFile;

/// The CID system of every font we write: CIDs are our own numbering.
pub(super) const IDENTITY: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

/// The most CIDs a face can have with [`SHORT_CODES`]: 128 one-byte codes
/// and 32,768 two-byte ones.
const MAX_CIDS: usize = 128 + 0x8000;

/// The encoding CMap all faces share: codes `00`–`7F` are CIDs 0–127,
/// codes `8000`–`FFFF` CIDs 128 on (in ranges of 256, which every reader
/// takes the same way).
pub(super) fn short_codes_cmap() -> Vec<u8> {
    let mut cmap = String::from(CMAP_HEADER);
    cmap.push_str("/CMapName /Iskra-ShortCodes def\n/CMapType 1 def\n/WMode 0 def\n");
    cmap.push_str(CODESPACE);
    cmap.push_str("129 begincidrange\n<00> <7F> 0\n");
    for high in 0x80..=0xFF_u32 {
        let cid = 128 + (high - 0x80) * 256;
        cmap.push_str(&format!("<{high:02X}00> <{high:02X}FF> {cid}\n"));
    }
    cmap.push_str("endcidrange\n");
    cmap.push_str(CMAP_FOOTER);
    cmap.into_bytes()
}

/// The name of [`short_codes_cmap`], for the Type 0 fonts' `/Encoding`.
pub(super) const SHORT_CODES: &[u8] = b"Iskra-ShortCodes";

const CMAP_HEADER: &str = "%!PS-Adobe-3.0 Resource-CMap\n/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo 3 dict dup begin\n/Registry (Adobe) def\n/Ordering (Identity) def\n/Supplement 0 def\nend def\n";
const CODESPACE: &str = "2 begincodespacerange\n<00> <7F>\n<8000> <FFFF>\nendcodespacerange\n";
const CMAP_FOOTER: &str = "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";

/// The character code of `cid`: its bytes and how many of them count.
#[inline]
pub(super) fn code(cid: u16) -> ([u8; 2], usize) {
    if cid < 128 {
        ([cid as u8, 0], 1)
    } else {
        let c = cid - 128;
        ([0x80 | (c >> 8) as u8, c as u8], 2)
    }
}

/// One face of the document while its pages are written.
pub(super) struct Face {
    file: FontFile,
    /// Font units per em.
    upem: f32,
    /// Each glyph's advance in font units, by glyph id.
    advances: Vec<u16>,
    /// Each glyph's CID, by glyph id; 0 until it is first drawn (CID 0 is
    /// `.notdef`, which is glyph 0).
    cids: Vec<u16>,
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
    /// The Type 0 font's object, once the face is used.
    pub reference: Option<Ref>,
}

impl Face {
    /// Reads what writing needs from `file` (its advance widths).
    pub fn new(file: &FontFile) -> Result<Face, PdfError> {
        let font = font_ref(file)?;
        let bad = |_| PdfError::Font(file.name.clone());
        let upem = f32::from(font.head().map_err(bad)?.units_per_em().max(1));
        let count = font.maxp().map_err(bad)?.num_glyphs();
        let hmtx = font.hmtx().map_err(bad)?;
        let advances = (0..count)
            .map(|g| hmtx.advance(GlyphId::new(u32::from(g))).unwrap_or(0))
            .collect::<Vec<u16>>();
        let mut face = Face {
            file: file.clone(),
            upem,
            cids: vec![0; advances.len().max(1)],
            advances,
            gids: Vec::new(),
            widths: Vec::new(),
            texts: Vec::new(),
            hints: Vec::new(),
            reference: None,
        };
        // CID 0 is .notdef, always present.
        face.add(0);
        Ok(face)
    }

    /// The CID of glyph `gid`, numbering it on first sight. A glyph id the
    /// face does not have (or a glyph past the most one face can use) is
    /// drawn as `.notdef`.
    #[inline]
    pub fn cid(&mut self, gid: u16) -> u16 {
        match self.cids.get(usize::from(gid)) {
            Some(&0) if gid != 0 => self.add(gid),
            Some(&cid) => cid,
            None => 0,
        }
    }

    fn add(&mut self, gid: u16) -> u16 {
        if self.gids.len() >= MAX_CIDS {
            return 0;
        }
        let cid = self.gids.len() as u16;
        self.cids[usize::from(gid)] = cid;
        self.gids.push(gid);
        let advance = self.advances.get(usize::from(gid)).copied().unwrap_or(0);
        self.widths.push(f32::from(advance) * 1000.0 / self.upem);
        self.texts.push(String::new());
        self.hints.push(String::new());
        cid
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
            return true;
        }
        known == text
    }

    /// Offers `text` as the meaning of `cid` should nothing better be known
    /// when the font is written.
    pub fn suggest(&mut self, cid: u16, text: &str) {
        let index = usize::from(cid);
        if cid != 0 && self.texts[index].is_empty() && self.hints[index].is_empty() {
            self.hints[index].push_str(text);
        }
    }

    /// Writes the font's objects (Type 0 font, CID font, descriptor, the
    /// subset font file and the ToUnicode map) into `chunk`. Tells whether
    /// some glyph drawn stands for no text at all, neither in the document
    /// nor in the font's own character map.
    pub fn write(
        &mut self,
        chunk: &mut Chunk,
        encoding: Ref,
        next: &mut impl FnMut() -> Ref,
    ) -> Result<bool, PdfError> {
        let Some(type0) = self.reference else {
            return Ok(false);
        };
        self.fill_unknown_texts();
        let file = self.file.clone();
        let bad = |_| PdfError::Font(file.name.clone());
        let font = font_ref(&file)?;
        let mut remapper = subsetter::GlyphRemapper::new();
        for &gid in &self.gids {
            remapper.remap(gid);
        }
        let subset = subsetter::subset(file.data.as_ref().as_ref(), file.index, &remapper)
            .map_err(|_| PdfError::Font(file.name.clone()))?;
        let base_font = format!("{}+{}", self.subset_tag(), file.name);
        let base_font = Name(base_font.as_bytes());
        let cff = font
            .table_data(read_fonts::types::Tag::new(b"CFF "))
            .is_some();

        let (cid_ref, descriptor_ref, file_ref, cmap_ref) = (next(), next(), next(), next());
        chunk
            .type0_font(type0)
            .base_font(base_font)
            .encoding_cmap(encoding)
            .descendant_font(cid_ref)
            .to_unicode(cmap_ref);

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
        if !cff {
            cid.cid_to_gid_map_predefined(Name(b"Identity"));
        }
        cid.widths().consecutive(0, self.widths.iter().copied());
        cid.finish();

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

        let packed = deflate(&subset);
        let mut stream = chunk.stream(file_ref, &packed);
        if cff {
            stream.pair(Name(b"Subtype"), Name(b"OpenType"));
        } else {
            stream.pair(Name(b"Length1"), subset.len() as i32);
        }
        stream.filter(Filter::FlateDecode);
        stream.finish();

        let cmap = self.to_unicode();
        let packed = deflate(&cmap);
        chunk.stream(cmap_ref, &packed).filter(Filter::FlateDecode);
        Ok(self.texts.iter().skip(1).any(String::is_empty))
    }

    /// Gives CIDs no drawn occurrence named (glyphs only ever drawn inside
    /// a cluster, or as a hyphen at a line end) the character the font maps
    /// to them.
    fn fill_unknown_texts(&mut self) {
        if self.texts.iter().skip(1).all(|t| !t.is_empty()) {
            return;
        }
        self.fill_from_font();
        for (text, hint) in self.texts.iter_mut().zip(&self.hints).skip(1) {
            if text.is_empty() {
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
            let cid = usize::from(self.cids.get(usize::from(gid)).copied().unwrap_or(0));
            if cid != 0 && self.texts[cid].is_empty() {
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

    /// The ToUnicode CMap, keyed by the same short codes as the text.
    fn to_unicode(&self) -> Vec<u8> {
        use std::fmt::Write;
        let mut cmap = String::from(CMAP_HEADER);
        cmap.push_str("/CMapName /Iskra-ToUnicode def\n/CMapType 2 def\n");
        cmap.push_str(CODESPACE);
        let known: Vec<(usize, &String)> = self
            .texts
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, text)| !text.is_empty())
            .collect();
        // At most 100 entries in one block.
        for block in known.chunks(100) {
            let _ = writeln!(cmap, "{} beginbfchar", block.len());
            for (cid, text) in block {
                let (bytes, len) = code(*cid as u16);
                cmap.push('<');
                for byte in &bytes[..len] {
                    let _ = write!(cmap, "{byte:02X}");
                }
                cmap.push_str("> <");
                for unit in text.encode_utf16() {
                    let _ = write!(cmap, "{unit:04X}");
                }
                cmap.push_str(">\n");
            }
            cmap.push_str("endbfchar\n");
        }
        cmap.push_str(CMAP_FOOTER);
        cmap.into_bytes()
    }

    /// Six capital letters naming this subset, from the glyphs it holds.
    fn subset_tag(&self) -> String {
        let mut hasher = blake3::Hasher::new();
        hasher.update(self.file.name.as_bytes());
        for gid in &self.gids {
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
    FontRef::from_index(file.data.as_ref().as_ref(), file.index)
        .map_err(|_| PdfError::Font(file.name.clone()))
}
