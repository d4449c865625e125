//! The OCF container: the zip file every EPUB is. `mimetype` comes first
//! and uncompressed so that the file can be recognised by its first bytes;
//! media that is compressed already (JPEG, PNG, GIF, WebP, WOFF) is stored
//! as it is, since deflating it again costs time and saves next to
//! nothing; every entry has the same fixed timestamp and permissions, so
//! the same book gives the same bytes.

use std::io::{Cursor, Write};

use zip::result::ZipError;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipWriter};

/// The content of the `mimetype` entry.
pub(super) const MIMETYPE: &str = "application/epub+zip";

/// `META-INF/container.xml` pointing at the package document.
pub(super) const CONTAINER_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles>
<rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
</rootfiles>
</container>
"#;

/// Zips `mimetype`, `META-INF/container.xml` and then `entries` (paths
/// inside the zip, in the order given).
pub(super) fn zip_epub(entries: &[(String, &[u8])]) -> Result<Vec<u8>, ZipError> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("mimetype", options(CompressionMethod::Stored))?;
    zip.write_all(MIMETYPE.as_bytes())?;
    let container = (
        "META-INF/container.xml".to_string(),
        CONTAINER_XML.as_bytes(),
    );
    for (path, data) in std::iter::once(&container).chain(entries) {
        crate::cancel::checkpoint_now();
        zip.start_file(path.as_str(), options(method_for(path)))?;
        zip.write_all(data)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// Stored for media compressed already, deflated for text and fonts.
fn method_for(path: &str) -> CompressionMethod {
    const COMPRESSED: [&str; 7] = ["jpg", "jpeg", "png", "gif", "webp", "woff", "woff2"];
    let extension = path.rsplit_once('.').map_or("", |(_, ext)| ext);
    if COMPRESSED
        .iter()
        .any(|known| extension.eq_ignore_ascii_case(known))
    {
        CompressionMethod::Stored
    } else {
        CompressionMethod::Deflated
    }
}

/// Entry options with nothing taken from the machine or the clock.
fn options(method: CompressionMethod) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(method)
        .last_modified_time(DateTime::default())
        .system(System::Unix)
        .unix_permissions(0o644)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mimetype_is_first_and_stored() {
        let bytes = zip_epub(&[("EPUB/a.txt".into(), b"hello".as_slice())]).unwrap();
        // The local header of the first entry: name at 30, stored (method 0),
        // no extra field, so "application/epub+zip" starts at byte 38.
        assert_eq!(&bytes[0..4], b"PK\x03\x04");
        assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), 0, "stored");
        assert_eq!(
            u16::from_le_bytes([bytes[28], bytes[29]]),
            0,
            "no extra field"
        );
        assert_eq!(&bytes[30..38], b"mimetype");
        assert_eq!(&bytes[38..58], MIMETYPE.as_bytes());

        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 3);
        let second = archive.by_index(1).unwrap();
        assert_eq!(second.name().unwrap(), "META-INF/container.xml");
        assert_eq!(second.compression(), CompressionMethod::Deflated);
    }

    #[test]
    fn compressed_media_is_stored_and_text_deflated() {
        let picture = [0xFF_u8, 0xD8, 0xFF, 0xE0, 1, 2, 3];
        let entries = [
            ("EPUB/images/a.JPG".to_string(), picture.as_slice()),
            ("EPUB/images/b.png".to_string(), picture.as_slice()),
            ("EPUB/fonts/c.ttf".to_string(), picture.as_slice()),
            ("EPUB/text/d.xhtml".to_string(), b"<p/>".as_slice()),
        ];
        let bytes = zip_epub(&entries).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let methods: Vec<CompressionMethod> = (2..archive.len())
            .map(|i| archive.by_index(i).unwrap().compression())
            .collect();
        use CompressionMethod::{Deflated, Stored};
        assert_eq!(methods, [Stored, Stored, Deflated, Deflated]);
    }

    #[test]
    fn same_entries_give_same_bytes() {
        let entries = [("EPUB/a.txt".to_string(), b"hello".as_slice())];
        assert_eq!(zip_epub(&entries).unwrap(), zip_epub(&entries).unwrap());
    }
}
