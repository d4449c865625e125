//! The ToUnicode maps that give copied text back: one per piece of a
//! face, listing each CID that has a meaning under its one-byte code.
//!
//! A face numbered from a preset (see [`crate::pdf::presets`]) starts
//! with the meanings the preset gives its glyphs (the character each was
//! chosen for, a ligature's letters), so a document whose drawn glyphs of
//! the first piece all mean that embeds the preset's map, made and
//! compressed once, instead of making and compressing its own: a served
//! article's three maps cost about a twentieth of its render. A glyph
//! drawn for other text is drawn with `/ActualText`, as before.

use std::borrow::Cow;
use std::fmt::Write;

use super::super::deflate::deflate;
use super::{Face, one_byte_cmap};

/// The ToUnicode maps' name and type.
const NAMES: &str = "/CMapName /Iskra-ToUnicode def\n/CMapType 2 def\n";

impl Face {
    /// The CIDs of `piece`.
    pub(super) fn cids(&self, piece: u16) -> std::ops::Range<usize> {
        let first = usize::from(piece) << 8;
        first..(first + 256).min(self.gids.len()).max(first)
    }

    /// Gives each of `meanings` (a glyph id and its text) to its glyph's
    /// CID, which must have none yet; the glyphs are not drawn by this.
    pub(in crate::pdf) fn learn_meanings(&mut self, meanings: &[(u16, String)]) {
        for (gid, text) in meanings {
            let cid = self.slots.get(usize::from(*gid)).map_or(0, |s| s.cid);
            if cid != 0 {
                self.means(cid, text);
            }
        }
    }

    /// The ToUnicode CMap of `piece`, compressed for `/FlateDecode`: the
    /// preset's, made once, where the piece's CIDs mean what the preset's
    /// do (see the module's documentation).
    pub(super) fn packed_to_unicode(&self, piece: u16) -> Cow<'_, [u8]> {
        match self.preset_to_unicode(piece) {
            Some(packed) => Cow::Borrowed(packed),
            None => Cow::Owned(deflate(&self.to_unicode(piece))),
        }
    }

    /// The preset's compressed ToUnicode map, if `piece` is its first and
    /// every CID of it means what it does in the preset (none with a
    /// meaning past the preset's glyphs).
    fn preset_to_unicode(&self, piece: u16) -> Option<&[u8]> {
        if piece != 0 {
            return None;
        }
        let preset = self.preset.as_ref()?;
        let (numbered, packed) = (preset.face.as_ref()?, preset.to_unicode.as_ref()?);
        let ours = &self.texts[self.cids(0)];
        let theirs = &numbered.texts[numbered.cids(0)];
        let same = (0..ours.len().max(theirs.len())).all(|cid| {
            ours.get(cid).map_or("", String::as_str) == theirs.get(cid).map_or("", String::as_str)
        });
        same.then_some(&packed[..])
    }

    /// The ToUnicode CMap of the fonts of `piece`: the CIDs that have a
    /// meaning, each under its one-byte code.
    pub(in crate::pdf) fn to_unicode(&self, piece: u16) -> Vec<u8> {
        let known = self.known(piece);
        one_byte_cmap(NAMES, |cmap| push_bfchar(cmap, &known))
    }

    /// [`to_unicode`](Self::to_unicode) with each run of two or more CIDs
    /// that mean consecutive characters written as one range, as a
    /// preset's letters and digits are: its map is in every document that
    /// draws from it.
    pub(in crate::pdf) fn to_unicode_ranged(&self, piece: u16) -> Vec<u8> {
        let known = self.known(piece);
        let (mut ranges, mut single) = (Vec::new(), Vec::new());
        let mut rest = &known[..];
        while let Some(&(code, text)) = rest.first() {
            let length = run_length(rest);
            if length > 1 {
                ranges.push((code, length, text));
            } else {
                single.push((code, text));
            }
            rest = &rest[length..];
        }
        one_byte_cmap(NAMES, |cmap| {
            push_bfrange(cmap, &ranges);
            push_bfchar(cmap, &single);
        })
    }

    /// The CIDs of `piece` that have a meaning, as their one-byte codes,
    /// with it.
    fn known(&self, piece: u16) -> Vec<(u8, &str)> {
        let cids = self.cids(piece);
        self.texts[cids.clone()]
            .iter()
            .enumerate()
            .map(|(i, text)| (cids.start + i, text))
            .filter(|(cid, text)| *cid != 0 && !text.is_empty())
            .map(|(cid, text)| (cid as u8, text.as_str()))
            .collect()
    }
}

/// How many of `known` (codes and their text, by code) from the first
/// on are one range: each the code after the one before, meaning the
/// character after its one, a single UTF-16 unit whose last byte does
/// not wrap (a `bfrange` increments only the last byte).
fn run_length(known: &[(u8, &str)]) -> usize {
    let unit = |text: &str| {
        let mut units = text.encode_utf16();
        units.next().filter(|_| units.next().is_none())
    };
    let Some(first) = known.first().and_then(|&(_, text)| unit(text)) else {
        return 1;
    };
    let mut length = 1;
    while let Some(&(code, text)) = known.get(length) {
        let step = length as u16;
        let follows = usize::from(code) == usize::from(known[0].0) + length
            && unit(text) == Some(first.wrapping_add(step))
            && (first & 0xFF) + step <= 0xFF;
        if !follows {
            break;
        }
        length += 1;
    }
    length
}

/// `ranges` (a first code, how many codes, the first's text) as
/// `bfrange` entries, at most 100 in a block.
fn push_bfrange(cmap: &mut String, ranges: &[(u8, usize, &str)]) {
    for block in ranges.chunks(100) {
        let _ = writeln!(cmap, "{} beginbfrange", block.len());
        for &(code, length, text) in block {
            cmap.push('<');
            push_hex(cmap, u16::from(code), 2);
            cmap.push_str("> <");
            push_hex(cmap, u16::from(code) + length as u16 - 1, 2);
            cmap.push_str("> ");
            push_utf16(cmap, text);
            cmap.push('\n');
        }
        cmap.push_str("endbfrange\n");
    }
}

/// `known` as `bfchar` entries, at most 100 in a block.
fn push_bfchar(cmap: &mut String, known: &[(u8, &str)]) {
    for block in known.chunks(100) {
        let _ = writeln!(cmap, "{} beginbfchar", block.len());
        for &(code, text) in block {
            cmap.push('<');
            push_hex(cmap, u16::from(code), 2);
            cmap.push_str("> ");
            push_utf16(cmap, text);
            cmap.push('\n');
        }
        cmap.push_str("endbfchar\n");
    }
}

/// `text` as a hexadecimal string of UTF-16 units.
fn push_utf16(cmap: &mut String, text: &str) {
    cmap.push('<');
    for unit in text.encode_utf16() {
        push_hex(cmap, unit, 4);
    }
    cmap.push('>');
}

/// The last `digits` hexadecimal digits of `value`, in capitals, as
/// `format!("{value:0digits$X}")` would write them, without its
/// formatting machinery (a served article's ToUnicode maps hold some 450
/// entries).
fn push_hex(out: &mut String, value: u16, digits: u32) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for shift in (0..digits).rev() {
        out.push(char::from(HEX[usize::from((value >> (4 * shift)) & 0xF)]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ranged_map_writes_runs_of_consecutive_characters_as_ranges() {
        let font = crate::pdf::fonts::tests::gentium();
        let read = read_fonts::FontRef::new((*font.data).as_ref()).expect("font");
        let cmap = read_fonts::TableProvider::cmap(&read).expect("cmap");
        let gid = |c: char| cmap.map_codepoint(c).expect("mapped").to_u32() as u16;
        let meanings: Vec<(u16, String)> =
            "abcdex".chars().map(|c| (gid(c), c.to_string())).collect();
        let gids: Vec<u16> = std::iter::once(0)
            .chain(meanings.iter().map(|m| m.0))
            .collect();
        let mut face = Face::numbered(&font, &gids).expect("face");
        face.learn_meanings(&meanings);
        let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("ASCII");
        let ranged = text(face.to_unicode_ranged(0));
        assert!(
            ranged.contains("1 beginbfrange\n<01> <05> <0061>\nendbfrange\n"),
            "{ranged}"
        );
        assert!(
            ranged.contains("1 beginbfchar\n<06> <0078>\nendbfchar\n"),
            "{ranged}"
        );
        let plain = text(face.to_unicode(0));
        assert!(
            plain.contains("6 beginbfchar\n<01> <0061>\n<02> <0062>\n"),
            "{plain}"
        );
        // A range increments only the last byte, so never runs past FF.
        let wrapping = [(1, "\u{FE}"), (2, "\u{FF}"), (3, "\u{100}")];
        assert_eq!(run_length(&wrapping), 2);
        assert_eq!(
            run_length(&[(1, "a"), (3, "b")]),
            1,
            "codes not consecutive"
        );
        assert_eq!(run_length(&[(1, "fi"), (2, "fj")]), 1, "two characters");
    }

    #[test]
    fn hex_digits_are_written_as_format_writes_them() {
        for value in [0u16, 0x0A, 0xFF, 0x1234, 0xBEEF, 0xFFFF] {
            let (mut two, mut four) = (String::new(), String::new());
            push_hex(&mut two, value & 0xFF, 2);
            push_hex(&mut four, value, 4);
            assert_eq!(two, format!("{:02X}", value & 0xFF));
            assert_eq!(four, format!("{value:04X}"));
        }
    }
}
