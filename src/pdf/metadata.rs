//! What the document says about itself: the document information
//! dictionary and the same facts as XMP metadata (which PDF/A requires to
//! agree), the standards it claims, PDF/A's output intent, and the file
//! identifier, all from the page model's metadata (never the clock).

use pdf_writer::types::OutputIntentSubtype;
use pdf_writer::{Chunk, Date, Filter, Finish, Pdf, Ref, TextStr};
use xmp_writer::{DateTime, LangId, RenditionClass, Timezone, XmpWriter};

use super::Standard;
use super::deflate::deflate;
use crate::page::Document;

/// The producer named in the file.
fn producer() -> String {
    format!("Iskra {}", env!("CARGO_PKG_VERSION"))
}

/// Writes the information dictionary.
pub(super) fn info(pdf: &mut Pdf, doc: &Document, id: Ref) {
    let meta = &doc.meta;
    let mut info = pdf.document_info(id);
    if !meta.title.is_empty() {
        info.title(TextStr(&meta.title));
    }
    if !meta.authors.is_empty() {
        info.author(TextStr(&meta.authors.join(", ")));
    }
    if let Some(subject) = &meta.subject {
        info.subject(TextStr(subject));
    }
    if !meta.keywords.is_empty() {
        info.keywords(TextStr(&meta.keywords.join(", ")));
    }
    info.creator(TextStr("Iskra"));
    info.producer(TextStr(&producer()));
    if let Some(date) = pdf_date(doc) {
        info.creation_date(date);
        info.modified_date(date);
    }
    info.finish();
}

fn pdf_date(doc: &Document) -> Option<Date> {
    let time = doc.meta.date?;
    let (date, seconds) = (time.date, time.seconds);
    Some(
        Date::new(date.year.clamp(0, 9999) as u16)
            .month(date.month)
            .day(date.day)
            .hour((seconds / 3600) as u8)
            .minute((seconds / 60 % 60) as u8)
            .second((seconds % 60) as u8)
            .utc_offset_hour(0),
    )
}

fn xmp_date(doc: &Document) -> Option<DateTime> {
    let time = doc.meta.date?;
    let (date, seconds) = (time.date, time.seconds);
    Some(DateTime {
        year: date.year.clamp(0, 9999) as u16,
        month: Some(date.month),
        day: Some(date.day),
        hour: Some((seconds / 3600) as u8),
        minute: Some((seconds / 60 % 60) as u8),
        second: Some((seconds % 60) as u8),
        timezone: Some(Timezone::Utc),
    })
}

/// Writes the XMP metadata stream, claiming `standards`; gives it.
pub(super) fn xmp(
    chunk: &mut Chunk,
    doc: &Document,
    standards: &[Standard],
    document_id: &str,
    id: Ref,
) {
    let meta = &doc.meta;
    let mut xmp = XmpWriter::new();
    if !meta.title.is_empty() {
        xmp.title([(None, meta.title.as_str())]);
    }
    if !meta.authors.is_empty() {
        xmp.creator(meta.authors.iter().map(String::as_str));
    }
    if let Some(subject) = &meta.subject {
        xmp.description([(None, subject.as_str())]);
    }
    if !meta.keywords.is_empty() {
        xmp.pdf_keywords(&meta.keywords.join(", "));
    }
    if !meta.language.is_empty() {
        xmp.language([LangId(&meta.language)]);
    }
    xmp.creator_tool("Iskra");
    let producer = producer();
    xmp.producer(&producer);
    if let Some(date) = xmp_date(doc) {
        xmp.create_date(date);
        xmp.modify_date(date);
    }
    xmp.format("application/pdf");
    xmp.num_pages(doc.pages.len() as u32);
    xmp.document_id(document_id);
    xmp.instance_id(document_id);
    xmp.rendition_class(RenditionClass::Proof);
    let archival = standards.iter().find_map(|s| match s {
        Standard::A2b => Some("B"),
        Standard::A2u => Some("U"),
        Standard::A2a => Some("A"),
        Standard::Ua1 => None,
    });
    let accessible = standards.contains(&Standard::Ua1);
    if let Some(conformance) = archival {
        xmp.pdfa_part(2);
        xmp.pdfa_conformance(conformance);
    }
    if accessible {
        xmp.pdfua_part(1);
        if archival.is_some() {
            // PDF/A knows the pdfuaid schema only when the file describes it.
            xmp.extension_schemas()
                .pdfua_id()
                .properties()
                .describe_part();
        }
    }
    let packet = xmp.finish(None);
    // Left uncompressed, as PDF/A recommends, so that any tool finds it.
    chunk.metadata(id, packet.as_bytes()).finish();
}

/// Writes PDF/A's output intent, sRGB, which the device colours of the
/// content and images are in; gives the intent.
pub(super) fn output_intent(chunk: &mut Chunk, id: Ref, profile_id: Ref) {
    let profile = srgb_profile();
    let packed = deflate(&profile);
    let mut stream = chunk.icc_profile(profile_id, &packed);
    stream.n(3);
    stream.filter(Filter::FlateDecode);
    stream.finish();
    let mut intent = chunk
        .indirect(id)
        .start::<pdf_writer::writers::OutputIntent>();
    intent
        .subtype(OutputIntentSubtype::PDFA)
        .output_condition_identifier(TextStr("sRGB"))
        .output_condition(TextStr("sRGB IEC61966-2.1"))
        .info(TextStr("sRGB IEC61966-2.1"))
        .dest_output_profile(profile_id);
}

/// An sRGB ICC profile, made by moxcms, dated [`PROFILE_DATE`].
fn srgb_profile() -> Vec<u8> {
    let mut profile = moxcms::ColorProfile::new_srgb()
        .encode()
        .expect("moxcms encodes its own sRGB profile");
    // The header's creation date: six big-endian numbers from byte 24
    // (ICC.1, 7.2.1). The profile ID is left zero, so no checksum covers it.
    for (at, number) in PROFILE_DATE.iter().enumerate() {
        profile[24 + 2 * at..26 + 2 * at].copy_from_slice(&number.to_be_bytes());
    }
    profile
}

/// The creation date (year, month, day, hours, minutes, seconds) of the
/// output intent's profile. moxcms stamps the time a profile is encoded,
/// which made a PDF/A of the same files differ from one second to the
/// next; the profile is the same for every book.
const PROFILE_DATE: [u16; 6] = [2026, 1, 1, 0, 0, 0];

/// The file identifier and the XMP document ID, from what the document
/// is: its metadata, its pages and the size of what was written.
pub(super) fn identifier(doc: &Document, written: usize) -> ([u8; 16], String) {
    let meta = &doc.meta;
    let mut hasher = blake3::Hasher::new();
    for part in [meta.title.as_str(), meta.language.as_str()]
        .into_iter()
        .chain(meta.authors.iter().map(String::as_str))
        .chain(meta.subject.as_deref())
        .chain(meta.keywords.iter().map(String::as_str))
    {
        hasher.update(part.as_bytes());
        hasher.update(&[0]);
    }
    hasher.update(format!("{:?}", meta.date).as_bytes());
    hasher.update(&(doc.pages.len() as u64).to_le_bytes());
    hasher.update(&(written as u64).to_le_bytes());
    let hash = hasher.finalize();
    let mut id = [0; 16];
    id.copy_from_slice(&hash.as_bytes()[..16]);
    let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
    (
        id,
        format!(
            "uuid:{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..]
        ),
    )
}

/// Sets the trailer's file identifier.
pub(super) fn set_identifier(pdf: &mut Pdf, id: [u8; 16]) {
    pdf.set_file_id((id.to_vec(), id.to_vec()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_output_intent_profile_is_dated_the_same_whenever_it_is_made() {
        let profile = srgb_profile();
        // The ICC header's creation date: six big-endian numbers at 24.
        let date: Vec<u16> = profile[24..36]
            .chunks(2)
            .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
            .collect();
        assert_eq!(date, [2026, 1, 1, 0, 0, 0]);
        assert_eq!(profile, srgb_profile());
    }
}
