//! The font programs a PDF embeds. krilla subsets each face to the glyphs
//! the document draws but copies the face's naming table as it is, and in
//! the text faces most of that table is the licence text (name ID 13): some
//! 9 KB of UTF-16 per face, a sixth of a short article's PDF. A document
//! that embeds a subset does not carry the licence with it (the OFL allows
//! embedding; HarfBuzz's and Ghostscript's subsetters drop the record too),
//! so the face handed to krilla omits it. The copyright notice (ID 0), the
//! trademark (ID 7) and the licence's address (ID 14) stay. The EPUB, which
//! carries font files, keeps the licence text.
//!
//! A face is prepared once per loaded font file, not once per document: the
//! service writes thousands of PDFs from the same four faces.

use std::sync::{Arc, Mutex, PoisonError, Weak};

use krilla::Data;
use krilla::text::Font;
use write_fonts::FontBuilder;
use write_fonts::from_obj::ToOwnedTable;
use write_fonts::read::{FontRef, TableProvider};
use write_fonts::tables::name::Name;
use write_fonts::types::NameId;

use crate::page::FontBytes;

/// A loaded font file, held weakly: the memo never keeps a file alive, and
/// while it holds the handle the file's address cannot be reused by another.
type LoadedFile = Weak<dyn AsRef<[u8]> + Send + Sync>;

/// The faces prepared so far, by the loaded file they came from. An entry
/// whose file has been dropped is removed when the next face is prepared.
static PREPARED: Mutex<Vec<(LoadedFile, Font)>> = Mutex::new(Vec::new());

/// krilla's face for a loaded font file, prepared for embedding; `None` if
/// krilla cannot read the file.
pub(super) fn embedded_face(data: &FontBytes) -> Option<Font> {
    let mut prepared = PREPARED.lock().unwrap_or_else(PoisonError::into_inner);
    let file = Arc::downgrade(data);
    if let Some((_, font)) = prepared.iter().find(|(seen, _)| seen.ptr_eq(&file)) {
        return Some(font.clone());
    }
    let bytes = (**data).as_ref();
    let font = match without_licence_text(bytes) {
        Some(trimmed) => Font::new(Data::from(trimmed), 0)?,
        None => Font::new(Data::from(Arc::clone(data)), 0)?,
    };
    prepared.retain(|(seen, _)| seen.strong_count() > 0);
    prepared.push((file, font.clone()));
    Some(font)
}

/// The font file without the licence text in its naming table, or `None`
/// when there is none to drop (or the table cannot be rewritten, in which
/// case the face is embedded as it is).
fn without_licence_text(bytes: &[u8]) -> Option<Vec<u8>> {
    let font = FontRef::new(bytes).ok()?;
    let mut name: Name = font.name().ok()?.to_owned_table();
    let records = name.name_record.len();
    name.name_record
        .retain(|record| record.name_id != NameId::LICENSE_DESCRIPTION);
    if name.name_record.len() == records {
        return None;
    }
    let mut builder = FontBuilder::new();
    builder.add_table(&name).ok()?;
    builder.copy_missing_tables(font);
    Some(builder.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regular() -> FontBytes {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fonts/GentiumBookPlus-Regular.ttf"
        );
        Arc::new(std::fs::read(path).expect("the bundled font"))
    }

    fn names(bytes: &[u8]) -> Vec<u16> {
        let font = FontRef::new(bytes).unwrap();
        let name = font.name().unwrap();
        name.name_record()
            .iter()
            .map(|r| r.name_id().to_u16())
            .collect()
    }

    #[test]
    fn the_embedded_face_drops_only_the_licence_text() {
        let original = regular();
        let trimmed =
            without_licence_text((*original).as_ref()).expect("Gentium has a licence text");
        let before = names((*original).as_ref());
        let after = names(&trimmed);
        assert!(before.contains(&13));
        let expected: Vec<u16> = before.iter().copied().filter(|&id| id != 13).collect();
        assert_eq!(after, expected);
        assert!(original.as_ref().as_ref().len() - trimmed.len() > 8000);
        // Every other table is the same bytes.
        let (a, b) = (
            FontRef::new((*original).as_ref()).unwrap(),
            FontRef::new(&trimmed).unwrap(),
        );
        for record in a.table_directory().table_records() {
            let tag = record.tag();
            if tag != write_fonts::types::Tag::new(b"name")
                && tag != write_fonts::types::Tag::new(b"head")
            {
                assert_eq!(
                    a.data_for_tag(tag).unwrap().as_bytes(),
                    b.data_for_tag(tag).unwrap().as_bytes(),
                    "{tag}"
                );
            }
        }
        assert!(
            without_licence_text(&trimmed).is_none(),
            "nothing left to drop"
        );
    }

    #[test]
    fn a_face_is_prepared_once_per_loaded_file_and_forgotten_with_it() {
        let file = regular();
        let first = embedded_face(&file).unwrap();
        assert_eq!(first, embedded_face(&file).unwrap());
        // While this handle lives, the file's allocation cannot be reused.
        let dropped = Arc::downgrade(&file);
        drop(file);
        let _ = embedded_face(&regular()).unwrap();
        let prepared = PREPARED.lock().unwrap();
        assert!(!prepared.iter().any(|(seen, _)| seen.ptr_eq(&dropped)));
    }
}
