//! Embedded font files without the full text of their licence, and a
//! preset's font file with only the outlines a document drew.
//!
//! `subsetter` keeps a face's `name` table, whose record 13 holds the
//! licence's whole text: 8.8 KB of the 9.7 KB table in each Gentium face,
//! a third of a typical subset. In a per-article PDF that is three copies
//! of the Open Font License, about a sixth of the file, compressed again on
//! every render. The OFL lets a font embedded in a document go without
//! its text (OFL FAQ 1.11), so it is dropped there; the copyright notice
//! (record 0), the licence's address (record 14) and every other name
//! stay.

use std::borrow::Cow;
use std::ops::Range;

use read_fonts::tables::glyf::Glyph;
use read_fonts::tables::loca::Loca;
use read_fonts::types::{GlyphId, Tag};
use read_fonts::{FontRef, TableProvider};

/// The `name` record that holds the licence's text.
const LICENSE_TEXT: u16 = 13;

/// The bytes of the sfnt header before its table records.
const HEADER: usize = 12;

/// The bytes of one table record.
const RECORD: usize = 16;

/// `font` (an sfnt, as `subsetter` writes it) without the licence's text;
/// as it was when it has none, or cannot be read.
pub(super) fn without_license_text(font: Vec<u8>) -> Vec<u8> {
    rebuilt(&font).unwrap_or(font)
}

/// `font` with its `post` table at format 3, which names no glyph
/// (the PDF finds glyphs by their ids): a whole face's names take more
/// room than a few letters' outlines. As it was when it cannot be read.
pub(super) fn without_glyph_names(font: Vec<u8>) -> Vec<u8> {
    let format_3 = |post: &[u8]| {
        let mut post = post.get(..32)?.to_vec();
        post[..4].copy_from_slice(&0x0003_0000_u32.to_be_bytes());
        Some(post)
    };
    replaced(&font, b"post", format_3).unwrap_or(font)
}

/// The font with its `name` table pruned, or `None` when nothing changes.
fn rebuilt(font: &[u8]) -> Option<Vec<u8>> {
    replaced(font, b"name", pruned_name)
}

/// The font with table `which` as `change` makes it, or `None` when
/// `change` gives nothing (or the font cannot be read).
fn replaced(
    font: &[u8],
    which: &[u8; 4],
    change: impl Fn(&[u8]) -> Option<Vec<u8>>,
) -> Option<Vec<u8>> {
    let count = usize::from(u16_at(font, 4)?);
    let mut tables = Vec::with_capacity(count);
    let mut changed = false;
    for index in 0..count {
        let record = font.get(HEADER + RECORD * index..HEADER + RECORD * (index + 1))?;
        let tag: [u8; 4] = record[..4].try_into().ok()?;
        let offset = usize::try_from(u32_at(record, 8)?).ok()?;
        let length = usize::try_from(u32_at(record, 12)?).ok()?;
        let data = font.get(offset..offset.checked_add(length)?)?;
        let pruned = (&tag == which).then(|| change(data)).flatten();
        changed |= pruned.is_some();
        let data = pruned.map_or(Cow::Borrowed(data), Cow::Owned);
        tables.push((tag, data));
    }
    changed.then(|| assemble(&font[..HEADER], &tables))
}

/// `font` (a TrueType sfnt, as the presets make it) with the outlines of
/// every glyph emptied but those `drawn` (indexed by glyph id; `.notdef`
/// always stays) and the glyphs composite ones among them are made of.
/// Glyph ids stay as they were, so a document drawing some of a preset's
/// glyphs embeds exactly their outlines under the preset's numbering,
/// without subsetting the face again. `None` when the font has no
/// outlines in `glyf` or cannot be read.
///
/// The data of the tables this changes (`glyf`, `loca`, `hmtx`, and
/// `head` for its checksum adjustment) goes after all the others', so
/// the bytes between the table directory and them are the same whatever
/// was drawn: that part is compressed once per preset (see
/// [`super::presets`]). Also gives where it lies.
pub(super) fn with_outlines_of(font: &[u8], drawn: &[bool]) -> Option<(Vec<u8>, Range<usize>)> {
    let read = FontRef::new(font).ok()?;
    let (loca, glyf) = (read.loca(None).ok()?, read.glyf().ok()?);
    let outline = |glyph: usize| {
        let (start, end) = (loca.get_raw(glyph)?, loca.get_raw(glyph + 1)?);
        let (start, end) = (usize::try_from(start).ok()?, usize::try_from(end).ok()?);
        glyf.offset_data().as_bytes().get(start..end.max(start))
    };
    let glyphs = loca.len();
    let mut keep: Vec<bool> = (0..glyphs)
        .map(|g| g == 0 || drawn.get(g).copied().unwrap_or(false))
        .collect();
    let mut pending: Vec<usize> = (0..glyphs).filter(|&g| keep[g]).collect();
    while let Some(glyph) = pending.pop() {
        let id = GlyphId::new(u32::try_from(glyph).ok()?);
        if let Some(Glyph::Composite(composite)) = loca.get_glyf(id, &glyf).ok()? {
            for part in composite.components() {
                let part = usize::try_from(part.glyph.to_u32()).ok()?;
                if part < glyphs && !keep[part] {
                    keep[part] = true;
                    pending.push(part);
                }
            }
        }
    }
    let widths = metrics_of(&read, &keep)?;
    let long = matches!(loca, Loca::Long(_));
    let (mut outlines, mut index) = (Vec::new(), Vec::new());
    for (glyph, &kept) in keep.iter().enumerate() {
        push_offset(&mut index, outlines.len(), long)?;
        if kept {
            outlines.extend_from_slice(outline(glyph)?);
            outlines.resize(outlines.len().next_multiple_of(if long { 4 } else { 2 }), 0);
        }
    }
    push_offset(&mut index, outlines.len(), long)?;
    let tables = read
        .table_directory
        .table_records()
        .iter()
        .map(|record| {
            let tag = record.tag().into_bytes();
            let data = match &tag {
                b"glyf" => Cow::Borrowed(&outlines[..]),
                b"loca" => Cow::Borrowed(&index[..]),
                b"hmtx" => Cow::Borrowed(&widths[..]),
                _ => Cow::Borrowed(read.table_data(record.tag())?.as_bytes()),
            };
            Some((tag, data))
        })
        .collect::<Option<Vec<_>>>()?;
    let changed = |tag: &[u8; 4]| [b"glyf", b"loca", b"hmtx", b"head"].contains(&tag);
    Some(assemble_placing(&font[..HEADER], &tables, changed))
}

/// Adds the offset `at` to a `loca` table (halved in a short one).
fn push_offset(index: &mut Vec<u8>, at: usize, long: bool) -> Option<()> {
    if long {
        index.extend_from_slice(&u32::try_from(at).ok()?.to_be_bytes());
    } else {
        index.extend_from_slice(&u16::try_from(at / 2).ok()?.to_be_bytes());
    }
    Some(())
}

/// The font's `hmtx` table with the metrics of the glyphs not kept set to
/// zero (they are never drawn, and zeros take no room once compressed);
/// the last full metric's advance stays, as it also serves the glyphs
/// after it.
fn metrics_of(font: &FontRef, keep: &[bool]) -> Option<Vec<u8>> {
    let full = usize::from(font.hhea().ok()?.number_of_h_metrics());
    let mut metrics = font.table_data(Tag::new(b"hmtx"))?.as_bytes().to_vec();
    for glyph in (0..keep.len()).filter(|&g| !keep[g]) {
        let bytes = match glyph + 1 {
            next if next < full => 4 * glyph..4 * glyph + 4,
            next if next == full => 4 * glyph + 2..4 * glyph + 4,
            _ => {
                let at = 4 * full + 2 * (glyph - full);
                at..at + 2
            }
        };
        if let Some(bytes) = metrics.get_mut(bytes) {
            bytes.fill(0);
        }
    }
    Some(metrics)
}

/// An sfnt of `tables` (in the order given, as the header counts them),
/// with their checksums and the `head` table's checksum adjustment.
fn assemble(header: &[u8], tables: &[([u8; 4], Cow<[u8]>)]) -> Vec<u8> {
    assemble_placing(header, tables, |_| false).0
}

/// [`assemble`], with the data of the tables `late` picks after all the
/// others'; also gives where the others' data lies.
fn assemble_placing(
    header: &[u8],
    tables: &[([u8; 4], Cow<[u8]>)],
    late: impl Fn(&[u8; 4]) -> bool,
) -> (Vec<u8>, Range<usize>) {
    let directory = HEADER + RECORD * tables.len();
    let (early, later): (Vec<usize>, Vec<usize>) =
        (0..tables.len()).partition(|&index| !late(&tables[index].0));
    let mut offsets = vec![0; tables.len()];
    let mut offset = directory;
    for &index in early.iter().chain(&later) {
        offsets[index] = offset;
        offset += tables[index].1.len().next_multiple_of(4);
    }
    let mut out = Vec::with_capacity(offset);
    out.extend_from_slice(header);
    for ((tag, data), offset) in tables.iter().zip(&offsets) {
        out.extend_from_slice(tag);
        out.extend_from_slice(&[0; 4]); // the checksum, once the data is in
        out.extend_from_slice(&(*offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    }
    let mut head_adjustment = None;
    let mut early_end = directory;
    for &index in early.iter().chain(&later) {
        let (tag, data) = &tables[index];
        let start = out.len();
        out.extend_from_slice(data);
        out.resize(start + data.len().next_multiple_of(4), 0);
        if tag == b"head" && data.len() >= 12 {
            // Summed as zero, then set from the whole file's sum.
            out[start + 8..start + 12].fill(0);
            head_adjustment = Some(start + 8);
        }
        let sum = checksum(&out[start..]);
        let record = HEADER + RECORD * index;
        out[record + 4..record + 8].copy_from_slice(&sum.to_be_bytes());
        if !late(tag) {
            early_end = out.len();
        }
    }
    if let Some(at) = head_adjustment {
        let adjustment = 0xB1B0_AFBA_u32.wrapping_sub(checksum(&out));
        out[at..at + 4].copy_from_slice(&adjustment.to_be_bytes());
    }
    (out, directory..early_end)
}

/// A `name` table (format 0) without the licence's text; `None` when it
/// has none, is of another format, or cannot be read.
fn pruned_name(table: &[u8]) -> Option<Vec<u8>> {
    if u16_at(table, 0)? != 0 {
        return None;
    }
    let count = usize::from(u16_at(table, 2)?);
    let storage = table.get(usize::from(u16_at(table, 4)?)..)?;
    let records: Vec<&[u8]> = (0..count)
        .map(|i| table.get(6 + 12 * i..18 + 12 * i))
        .collect::<Option<_>>()?;
    let kept: Vec<&[u8]> = records
        .iter()
        .copied()
        .filter(|record| u16_at(record, 6) != Some(LICENSE_TEXT))
        .collect();
    if kept.len() == records.len() {
        return None;
    }
    let mut strings: Vec<u8> = Vec::new();
    // Each string once, as before: (old offset, length) → new offset.
    let mut placed: Vec<((u16, u16), u16)> = Vec::new();
    let mut out = Vec::with_capacity(6 + 12 * kept.len());
    out.extend_from_slice(&0_u16.to_be_bytes());
    out.extend_from_slice(&(kept.len() as u16).to_be_bytes());
    out.extend_from_slice(&((6 + 12 * kept.len()) as u16).to_be_bytes());
    for record in kept {
        let (length, offset) = (u16_at(record, 8)?, u16_at(record, 10)?);
        let new_offset = match placed.iter().find(|(old, _)| *old == (offset, length)) {
            Some(&(_, new)) => new,
            None => {
                let start = usize::from(offset);
                let text = storage.get(start..start + usize::from(length))?;
                let new = u16::try_from(strings.len()).ok()?;
                strings.extend_from_slice(text);
                placed.push(((offset, length), new));
                new
            }
        };
        out.extend_from_slice(&record[..10]);
        out.extend_from_slice(&new_offset.to_be_bytes());
    }
    out.extend_from_slice(&strings);
    Some(out)
}

/// The sum of `data` as big-endian `u32`s, zero-padded to a multiple of 4.
fn checksum(data: &[u8]) -> u32 {
    let mut words = data.chunks_exact(4);
    let mut sum = words.by_ref().fold(0_u32, |sum, word| {
        sum.wrapping_add(u32::from_be_bytes([word[0], word[1], word[2], word[3]]))
    });
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut last = [0; 4];
        last[..rest.len()].copy_from_slice(rest);
        sum = sum.wrapping_add(u32::from_be_bytes(last));
    }
    sum
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use read_fonts::types::NameId;

    use super::*;

    /// A subset of Gentium's first 40 glyphs, as the writer embeds it.
    fn gentium_subset() -> Vec<u8> {
        let font = include_bytes!("../../fonts/GentiumBookPlus-Regular.ttf");
        let mut remapper = subsetter::GlyphRemapper::new();
        for gid in 0..40 {
            remapper.remap(gid);
        }
        subsetter::subset(font, 0, &remapper).expect("Gentium subsets")
    }

    fn names(font: &FontRef) -> Vec<(u16, String)> {
        let name = font.name().expect("a name table");
        name.name_record()
            .iter()
            .map(|record| {
                let text = record
                    .string(name.string_data())
                    .expect("a string")
                    .chars()
                    .collect();
                (record.name_id().to_u16(), text)
            })
            .collect()
    }

    #[test]
    fn drops_the_licence_text_and_keeps_every_other_name_and_table() {
        let subset = gentium_subset();
        let pruned = without_license_text(subset.clone());
        let (before, after) = (
            FontRef::new(&subset).expect("the subset reads"),
            FontRef::new(&pruned).expect("the pruned font reads"),
        );
        let mut expected = names(&before);
        assert!(expected.iter().any(|(id, _)| *id == LICENSE_TEXT));
        expected.retain(|(id, _)| *id != LICENSE_TEXT);
        assert_eq!(names(&after), expected);
        assert!(
            names(&after)
                .iter()
                .any(|(id, text)| NameId::new(*id) == NameId::COPYRIGHT_NOTICE
                    && text.contains("SIL"))
        );
        for record in before.table_directory.table_records() {
            let tag = record.tag();
            if tag != Tag::new(b"name") && tag != Tag::new(b"head") {
                let bytes = |font: &FontRef| font.table_data(tag).map(|d| d.as_bytes().to_vec());
                assert_eq!(bytes(&before), bytes(&after), "{tag}");
            }
        }
        assert!(pruned.len() + 8000 < subset.len(), "{}", pruned.len());
    }

    #[test]
    fn the_checksums_hold() {
        let pruned = without_license_text(gentium_subset());
        assert_eq!(checksum(&pruned), 0xB1B0_AFBA, "the whole file");
        let font = FontRef::new(&pruned).expect("reads");
        for record in font.table_directory.table_records() {
            let data = font.table_data(record.tag()).expect("the table");
            let mut data = data.as_bytes().to_vec();
            if record.tag() == Tag::new(b"head") {
                data[8..12].fill(0);
            }
            assert_eq!(checksum(&data), record.checksum(), "{}", record.tag());
        }
        assert_eq!(
            without_license_text(pruned.clone()),
            pruned,
            "once is enough"
        );
    }

    /// The bytes of glyph `glyph`'s outline in `font`.
    fn outline(font: &[u8], glyph: u32) -> Vec<u8> {
        let font = FontRef::new(font).expect("reads");
        let (loca, glyf) = (font.loca(None).expect("loca"), font.glyf().expect("glyf"));
        let at = |g: u32| loca.get_raw(g as usize).expect("in loca") as usize;
        glyf.offset_data().as_bytes()[at(glyph)..at(glyph + 1)].to_vec()
    }

    #[test]
    fn a_preset_font_keeps_the_outlines_drawn_and_those_they_are_made_of() {
        let gentium = include_bytes!("../../fonts/GentiumBookPlus-Regular.ttf");
        let face = FontRef::new(gentium).expect("Gentium");
        let cmap = face.cmap().expect("cmap");
        let gid = |c: char| cmap.map_codepoint(c).expect("mapped").to_u32() as u16;
        // Glyphs 0 to 4 of the subset: .notdef, a, b, é (made of e and an
        // accent, which the subset adds after them), z.
        let mut remapper = subsetter::GlyphRemapper::new();
        for glyph in [0, gid('a'), gid('b'), gid('é'), gid('z')] {
            remapper.remap(glyph);
        }
        let font = subsetter::subset(gentium, 0, &remapper).expect("subsets");
        let drawn = [false, true, false, true, false];
        let (emptied, fixed) = with_outlines_of(&font, &drawn).expect("a TrueType font");
        // The tables it does not change come first, the same bytes
        // whatever was drawn.
        let (every, same) = with_outlines_of(&font, &[true; 5]).expect("a TrueType font");
        assert_eq!(fixed, same);
        assert_eq!(emptied[fixed.clone()], every[fixed.clone()]);
        assert!(
            fixed.start < 300 && fixed.len() > 4000,
            "{fixed:?}: fpgm and name"
        );

        let parts = {
            let read = FontRef::new(&font).expect("reads");
            let (loca, glyf) = (read.loca(None).expect("loca"), read.glyf().expect("glyf"));
            match loca.get_glyf(GlyphId::new(3), &glyf).expect("é") {
                Some(Glyph::Composite(composite)) => composite
                    .components()
                    .map(|c| c.glyph.to_u32())
                    .collect::<Vec<_>>(),
                _ => panic!("é is a composite glyph in Gentium"),
            }
        };
        assert!(parts.iter().all(|&p| p > 4), "its parts follow: {parts:?}");
        for glyph in [0, 1, 3].into_iter().chain(parts.iter().copied()) {
            assert!(
                !outline(&font, glyph).is_empty(),
                "glyph {glyph} has an outline"
            );
            assert_eq!(
                outline(&emptied, glyph),
                outline(&font, glyph),
                "glyph {glyph} kept"
            );
        }
        for glyph in [2, 4] {
            assert!(!outline(&font, glyph).is_empty());
            assert!(outline(&emptied, glyph).is_empty(), "glyph {glyph} emptied");
        }
        let (before, after) = (
            FontRef::new(&font).expect("reads"),
            FontRef::new(&emptied).expect("reads"),
        );
        for record in before.table_directory.table_records() {
            let tag = record.tag();
            if ![b"glyf", b"loca", b"hmtx", b"head"].contains(&&tag.into_bytes()) {
                let bytes = |font: &FontRef| font.table_data(tag).map(|d| d.as_bytes().to_vec());
                assert_eq!(bytes(&before), bytes(&after), "{tag}");
            }
        }
        let (widths, new_widths) = (before.hmtx().expect("hmtx"), after.hmtx().expect("hmtx"));
        for glyph in [0, 1, 3].into_iter().chain(parts.iter().copied()) {
            let id = GlyphId::new(glyph);
            assert_eq!(new_widths.advance(id), widths.advance(id), "glyph {glyph}");
            assert_eq!(new_widths.side_bearing(id), widths.side_bearing(id));
        }
        assert_eq!(
            new_widths.advance(GlyphId::new(2)),
            Some(0),
            "b is never drawn"
        );
        assert_eq!(checksum(&emptied), 0xB1B0_AFBA, "the whole file");
        assert!(emptied.len() < font.len());
    }

    #[test]
    fn leaves_what_it_cannot_read_alone() {
        for bytes in [&b""[..], b"\0\x01\0\0\0\x09", &[0xFF; 40]] {
            assert_eq!(without_license_text(bytes.to_vec()), bytes);
        }
    }
}
