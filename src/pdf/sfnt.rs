//! Embedded font files without the full text of their licence.
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

/// The font with its `name` table pruned, or `None` when nothing changes.
fn rebuilt(font: &[u8]) -> Option<Vec<u8>> {
    let count = usize::from(u16_at(font, 4)?);
    let mut tables = Vec::with_capacity(count);
    let mut changed = false;
    for index in 0..count {
        let record = font.get(HEADER + RECORD * index..HEADER + RECORD * (index + 1))?;
        let tag: [u8; 4] = record[..4].try_into().ok()?;
        let offset = usize::try_from(u32_at(record, 8)?).ok()?;
        let length = usize::try_from(u32_at(record, 12)?).ok()?;
        let data = font.get(offset..offset.checked_add(length)?)?;
        let pruned = (&tag == b"name").then(|| pruned_name(data)).flatten();
        changed |= pruned.is_some();
        let data = pruned.map_or(Cow::Borrowed(data), Cow::Owned);
        tables.push((tag, data));
    }
    changed.then(|| assemble(&font[..HEADER], &tables))
}

/// An sfnt of `tables` (in the order given, as the header counts them),
/// with their checksums and the `head` table's checksum adjustment.
fn assemble(header: &[u8], tables: &[([u8; 4], Cow<[u8]>)]) -> Vec<u8> {
    let size = HEADER
        + RECORD * tables.len()
        + tables
            .iter()
            .map(|(_, data)| data.len().next_multiple_of(4))
            .sum::<usize>();
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(header);
    let mut offset = HEADER + RECORD * tables.len();
    for (tag, data) in tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&[0; 4]); // the checksum, once the data is in
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().next_multiple_of(4);
    }
    let mut head_adjustment = None;
    for (index, (tag, data)) in tables.iter().enumerate() {
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
    }
    if let Some(at) = head_adjustment {
        let adjustment = 0xB1B0_AFBA_u32.wrapping_sub(checksum(&out));
        out[at..at + 4].copy_from_slice(&adjustment.to_be_bytes());
    }
    out
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
    use read_fonts::types::{NameId, Tag};
    use read_fonts::{FontRef, TableProvider};

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

    #[test]
    fn leaves_what_it_cannot_read_alone() {
        for bytes in [&b""[..], b"\0\x01\0\0\0\x09", &[0xFF; 40]] {
            assert_eq!(without_license_text(bytes.to_vec()), bytes);
        }
    }
}
