//! The OCF container: the zip file every EPUB is. `mimetype` comes first
//! and uncompressed so that the file can be recognised by its first bytes;
//! media that is compressed already (JPEG, PNG, GIF, WebP, WOFF) is stored
//! as it is, since deflating it again costs time and saves next to
//! nothing; every entry has the same fixed timestamp and permissions, so
//! the same book gives the same bytes.
//!
//! The archive is written here, not by a zip crate, because neither
//! well-kept one writes what an EPUB needs from entries deflated elsewhere
//! (libdeflate, which the PDF's streams use too, deflates the text entries
//! at a third of the cost, side by side):
//! - `zip` compresses each entry itself and takes no data deflated
//!   elsewhere (only raw copies out of another archive);
//! - `rawzip` (0.5.2) takes such data, but gives every entry a data
//!   descriptor: flag bit 3, a zero CRC and sizes in the local header and
//!   the sizes after the data. On `mimetype` and the stored images that
//!   breaks streaming readers: Java's `ZipInputStream` (epublib and other
//!   Java reading systems) stops at the first entry with "only DEFLATED
//!   entries can have EXT descriptor". EPUBCheck does not notice.
//!
//! Only what OCF needs is written: stored and deflated entries with their
//! sizes in the local headers (no data descriptors, no extra fields), and
//! no Zip64.

use rayon::prelude::*;
use thiserror::Error;

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

/// Why the container could not be written: a zip file without the Zip64
/// extension (which older reading systems do not read) holds entries,
/// and an archive, under 4 GiB, and at most 65,535 entries.
#[derive(Debug, Error)]
pub enum ContainerError {
    /// An entry, or the archive up to an entry, reaches 4 GiB.
    #[error("`{0}` would end past 4 GiB, more than a zip file without Zip64 holds")]
    TooLarge(String),
    /// More entries than a zip file's directory counts.
    #[error("{0} files, more than the 65,535 a zip file without Zip64 holds")]
    TooManyEntries(usize),
}

/// Zips `mimetype`, `META-INF/container.xml` and then `entries` (paths
/// inside the zip, in the order given). Text entries are deflated side by
/// side, each on its own, so the bytes do not depend on the threads.
pub(super) fn zip_epub(entries: &[(String, &[u8])]) -> Result<Vec<u8>, ContainerError> {
    let container = (
        "META-INF/container.xml".to_string(),
        CONTAINER_XML.as_bytes(),
    );
    let all: Vec<(&str, &[u8])> = std::iter::once(("mimetype", MIMETYPE.as_bytes()))
        .chain(
            std::iter::once(&container)
                .chain(entries)
                .map(|(p, d)| (p.as_str(), *d)),
        )
        .collect();
    if all.len() > usize::from(u16::MAX) {
        return Err(ContainerError::TooManyEntries(all.len()));
    }
    let packed: Vec<Packed<'_>> = all
        .par_iter()
        .enumerate()
        .map(|(i, &(path, data))| {
            crate::cancel::checkpoint_now();
            // `mimetype` is stored whatever its name says (OCF 4.2.2).
            Packed::new(path, data, i == 0 || is_compressed_media(path))
        })
        .collect();
    let mut zip = Vec::with_capacity(packed.iter().map(Packed::archived_len).sum::<usize>() + 22);
    let mut directory = Vec::with_capacity(packed.iter().map(|p| 46 + p.path.len()).sum());
    for entry in &packed {
        let offset = offset32(zip.len(), entry.path)?;
        entry.write_local(&mut zip);
        offset32(zip.len(), entry.path)?;
        entry.write_central(&mut directory, offset);
    }
    let directory_at = offset32(zip.len(), "the zip directory")?;
    zip.extend_from_slice(&directory);
    offset32(zip.len(), "the zip directory")?;
    write_end(
        &mut zip,
        packed.len() as u16,
        directory.len() as u32,
        directory_at,
    );
    Ok(zip)
}

/// One entry, compressed (or not) and checksummed.
struct Packed<'a> {
    path: &'a str,
    /// The entry's bytes as archived.
    data: std::borrow::Cow<'a, [u8]>,
    method: u16,
    crc: u32,
    size: u32,
}

/// Zip's compression methods.
const STORED: u16 = 0;
const DEFLATED: u16 = 8;

/// The fixed timestamp of every entry: 1980-01-01 00:00, MS-DOS's first day.
const DOS_TIME: u16 = 0;
const DOS_DATE: u16 = (1 << 5) | 1;

impl<'a> Packed<'a> {
    fn new(path: &'a str, data: &'a [u8], store: bool) -> Packed<'a> {
        let crc = libdeflater::crc32(data);
        let size = u32::try_from(data.len()).unwrap_or(u32::MAX);
        let (method, data) = if store {
            (STORED, std::borrow::Cow::Borrowed(data))
        } else {
            (DEFLATED, std::borrow::Cow::Owned(deflate(data)))
        };
        Packed {
            path,
            data,
            method,
            crc,
            size,
        }
    }

    /// Bytes of the local header and the data.
    fn archived_len(&self) -> usize {
        30 + self.path.len() + self.data.len()
    }

    /// The fields the local header and the directory share, from "version
    /// needed" to the name's length.
    fn common(&self, out: &mut Vec<u8>) {
        let version_needed: u16 = if self.method == DEFLATED { 20 } else { 10 };
        // Bit 11: the name is UTF-8 (only said when it is not ASCII).
        let flags: u16 = if self.path.is_ascii() { 0 } else { 1 << 11 };
        for half in [version_needed, flags, self.method, DOS_TIME, DOS_DATE] {
            out.extend_from_slice(&half.to_le_bytes());
        }
        let compressed = self.data.len() as u32;
        for word in [self.crc, compressed, self.size] {
            out.extend_from_slice(&word.to_le_bytes());
        }
        out.extend_from_slice(&(self.path.len() as u16).to_le_bytes());
        // No extra field (OCF forbids one on `mimetype`).
        out.extend_from_slice(&0u16.to_le_bytes());
    }

    fn write_local(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"PK\x03\x04");
        self.common(out);
        out.extend_from_slice(self.path.as_bytes());
        out.extend_from_slice(&self.data);
    }

    fn write_central(&self, out: &mut Vec<u8>, local_at: u32) {
        out.extend_from_slice(b"PK\x01\x02");
        // Made by: Unix (3), zip 2.0, so that the permissions below count.
        out.extend_from_slice(&((3u16 << 8) | 20).to_le_bytes());
        self.common(out);
        // No comment, disk 0, no internal attributes.
        out.extend_from_slice(&[0; 6]);
        // A regular file, rw-r--r--.
        out.extend_from_slice(&(0o100644u32 << 16).to_le_bytes());
        out.extend_from_slice(&local_at.to_le_bytes());
        out.extend_from_slice(self.path.as_bytes());
    }
}

/// The end of central directory record.
fn write_end(out: &mut Vec<u8>, entries: u16, directory_len: u32, directory_at: u32) {
    out.extend_from_slice(b"PK\x05\x06");
    // This disk, and the disk where the directory starts: 0.
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&entries.to_le_bytes());
    out.extend_from_slice(&entries.to_le_bytes());
    out.extend_from_slice(&directory_len.to_le_bytes());
    out.extend_from_slice(&directory_at.to_le_bytes());
    // No comment.
    out.extend_from_slice(&0u16.to_le_bytes());
}

/// `at` as a zip offset, or the error naming `what` reaches past 4 GiB.
fn offset32(at: usize, what: &str) -> Result<u32, ContainerError> {
    u32::try_from(at).map_err(|_| ContainerError::TooLarge(what.to_string()))
}

/// Whether `path` names media compressed already, stored as it is.
fn is_compressed_media(path: &str) -> bool {
    const COMPRESSED: [&str; 7] = ["jpg", "jpeg", "png", "gif", "webp", "woff", "woff2"];
    let extension = path.rsplit_once('.').map_or("", |(_, ext)| ext);
    COMPRESSED
        .iter()
        .any(|known| extension.eq_ignore_ascii_case(known))
}

/// libdeflate's level for the text entries (XHTML, CSS, the package, the
/// fonts). Measured on c100 (bench/README.md): level 1 leaves the book
/// 0.5 % larger than level 6 for 30 M fewer instructions, and 64 M fewer
/// than zlib-rs at level 6 through the zip crate, which set up its
/// compressor again for every entry.
const LEVEL: libdeflater::CompressionLvl = match libdeflater::CompressionLvl::new(1) {
    Ok(level) => level,
    Err(_) => panic!("libdeflate has level 1"),
};

thread_local! {
    /// One compressor per thread, kept: setting one up costs more than
    /// deflating a short chapter.
    static COMPRESSOR: std::cell::RefCell<libdeflater::Compressor> =
        std::cell::RefCell::new(libdeflater::Compressor::new(LEVEL));
}

/// `data` as raw deflate, as a zip entry holds it.
fn deflate(data: &[u8]) -> Vec<u8> {
    COMPRESSOR.with_borrow_mut(|compressor| {
        let mut out = vec![0; compressor.deflate_compress_bound(data.len())];
        let written = compressor
            .deflate_compress(data, &mut out)
            .expect("the output buffer holds the bound");
        out.truncate(written);
        out
    })
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};

    use zip::CompressionMethod;

    use super::*;

    #[test]
    fn mimetype_is_first_and_stored() {
        let bytes = zip_epub(&[("EPUB/a.txt".into(), b"hello".as_slice())]).unwrap();
        // The local header of the first entry: name at 30, stored (method 0),
        // no extra field, so "application/epub+zip" starts at byte 38.
        let half = |at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]);
        let word = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
        assert_eq!(&bytes[0..4], b"PK\x03\x04");
        assert_eq!(half(6) & 0x08, 0, "no data descriptor (flag bit 3)");
        assert_eq!(half(8), 0, "stored");
        // The CRC and both sizes are in the local header, so a streaming
        // reader knows where the stored data ends.
        assert_eq!(word(14), libdeflater::crc32(MIMETYPE.as_bytes()));
        assert_eq!((word(18), word(22)), (20, 20));
        assert_eq!(half(28), 0, "no extra field");
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
    fn entries_read_back_with_their_checksums() {
        let text = "<p>Вся власть Советам! All power to the soviets.</p>\n".repeat(400);
        let entries = [
            ("EPUB/text/ä.xhtml".to_string(), text.as_bytes()),
            ("EPUB/empty.css".to_string(), b"".as_slice()),
            ("EPUB/images/p.png".to_string(), text.as_bytes()),
        ];
        let bytes = zip_epub(&entries).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 5);
        for (i, (path, data)) in entries.iter().enumerate() {
            let mut file = archive.by_index(i + 2).unwrap();
            assert_eq!(file.name().unwrap(), path.as_str());
            let mut read = Vec::new();
            // The reader checks each entry's CRC as it ends.
            file.read_to_end(&mut read).unwrap();
            assert_eq!(&read, data);
        }
        let deflated = archive.by_index(2).unwrap().compressed_size();
        assert!(deflated < text.len() as u64 / 10, "{deflated} bytes");
    }

    #[test]
    fn same_entries_give_same_bytes() {
        let entries = [("EPUB/a.txt".to_string(), b"hello".as_slice())];
        assert_eq!(zip_epub(&entries).unwrap(), zip_epub(&entries).unwrap());
    }
}
