//! The package document (`package.opf`): metadata, manifest and spine,
//! written from the list of resources that also fills the zip, so that
//! every file is declared and every declaration has a file.

use std::borrow::Cow;

use super::credits::Credit;
use super::metadata::PackageMeta;
use super::nav::Landmark;
use super::xml::{Attr, Xml};

/// One file of the publication.
#[derive(Debug)]
pub(super) struct Resource<'a> {
    /// Manifest id (an XML name).
    pub id: String,
    /// Path relative to the content folder.
    pub href: String,
    /// Media type.
    pub media_type: &'static str,
    /// Manifest `properties` (`nav`, `cover-image`).
    pub properties: Option<&'static str>,
    /// Whether the file is read in the spine, in list order.
    pub in_spine: bool,
    /// The bytes.
    pub data: Cow<'a, [u8]>,
}

/// Media type of XHTML content documents.
pub(super) const XHTML: &str = "application/xhtml+xml";

/// The conformance claim of EPUB Accessibility 1.1.
const CONFORMS_TO: &str = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA";

/// Writes the package document. `landmarks` are repeated as an EPUB 2
/// guide, `ncx_id` is the NCX's manifest id, `cover_image_id` the cover
/// image's (for EPUB 2 readers), and `page_source` the edition the page
/// list follows, if there is one.
pub(super) fn package_document(
    meta: &PackageMeta,
    resources: &[Resource<'_>],
    landmarks: &[Landmark],
    ncx_id: &str,
    cover_image_id: Option<&str>,
    page_source: Option<&str>,
) -> String {
    let mut xml = Xml::with_declaration();
    xml.start(
        "package",
        &[
            ("xmlns", "http://www.idpf.org/2007/opf"),
            ("version", "3.0"),
            ("unique-identifier", "pub-id"),
            ("xml:lang", &meta.language),
        ],
    );
    xml.newline();
    metadata(&mut xml, meta, cover_image_id, page_source);
    manifest(&mut xml, resources);
    spine(&mut xml, resources, ncx_id);
    guide(&mut xml, landmarks);
    xml.end("package");
    xml.newline();
    xml.finish()
}

fn metadata(
    xml: &mut Xml,
    meta: &PackageMeta,
    cover_image_id: Option<&str>,
    page_source: Option<&str>,
) {
    xml.start(
        "metadata",
        &[("xmlns:dc", "http://purl.org/dc/elements/1.1/")],
    );
    xml.newline();
    identifiers(xml, meta);
    line(xml, "dc:title", &[("id", "title")], &meta.title);
    line(xml, "dc:language", &[], &meta.language);
    for (i, creator) in meta.credits.creators.iter().enumerate() {
        credit(xml, "dc:creator", &format!("creator-{}", i + 1), creator);
    }
    for (i, contributor) in meta.credits.contributors.iter().enumerate() {
        credit(
            xml,
            "dc:contributor",
            &format!("contributor-{}", i + 1),
            contributor,
        );
    }
    if let Some(publisher) = &meta.publisher {
        line(xml, "dc:publisher", &[], publisher);
    }
    for subject in &meta.subjects {
        line(xml, "dc:subject", &[], subject);
    }
    line(xml, "dc:date", &[], &meta.date);
    property(xml, "dcterms:modified", &meta.modified);
    line(
        xml,
        "meta",
        &[("property", "belongs-to-collection"), ("id", "series")],
        &meta.title,
    );
    line(
        xml,
        "meta",
        &[("refines", "#series"), ("property", "collection-type")],
        "series",
    );
    accessibility(xml, meta, page_source);
    if let Some(id) = cover_image_id {
        xml.empty("meta", &[("name", "cover"), ("content", id)]);
        xml.newline();
    }
    xml.end("metadata");
    xml.newline();
}

/// The unique identifier, its kind, the series' own identifier when an
/// ISBN took its place, and the series' web address.
fn identifiers(xml: &mut Xml, meta: &PackageMeta) {
    line(xml, "dc:identifier", &[("id", "pub-id")], &meta.identifier);
    if let Some(code) = meta.identifier_type {
        line(
            xml,
            "meta",
            &[
                ("refines", "#pub-id"),
                ("property", "identifier-type"),
                ("scheme", "onix:codelist5"),
            ],
            code,
        );
    }
    for (i, other) in meta.other_identifiers.iter().enumerate() {
        let id = format!("id-{}", i + 2);
        line(xml, "dc:identifier", &[("id", &id)], other);
    }
}

/// A creator or contributor with its role, and how the name sorts when
/// that is not a person's.
fn credit(xml: &mut Xml, element: &'static str, id: &str, credit: &Credit) {
    line(xml, element, &[("id", id)], &credit.name);
    let refines = format!("#{id}");
    line(
        xml,
        "meta",
        &[
            ("refines", &refines),
            ("property", "role"),
            ("scheme", "marc:relators"),
        ],
        credit.role.code(),
    );
    if let Some(file_as) = &credit.file_as {
        line(
            xml,
            "meta",
            &[("refines", &refines), ("property", "file-as")],
            file_as,
        );
    }
}

/// The EPUB Accessibility 1.1 metadata, in the EPUB 3 `property` form.
fn accessibility(xml: &mut Xml, meta: &PackageMeta, page_source: Option<&str>) {
    let access = &meta.access;
    for mode in access.access_modes() {
        property(xml, "schema:accessMode", mode);
    }
    for mode in access.sufficient_modes() {
        property(xml, "schema:accessModeSufficient", mode);
    }
    for feature in access.features() {
        property(xml, "schema:accessibilityFeature", feature);
    }
    property(xml, "schema:accessibilityHazard", "none");
    property(xml, "schema:accessibilitySummary", &access.summary());
    if access.conforms() {
        property(xml, "dcterms:conformsTo", CONFORMS_TO);
        if let Some(publisher) = &meta.publisher {
            property(xml, "a11y:certifiedBy", publisher);
        }
    }
    if let Some(source) = page_source {
        property(xml, "pageBreakSource", source);
    }
}

fn manifest(xml: &mut Xml, resources: &[Resource<'_>]) {
    xml.start("manifest", &[]);
    xml.newline();
    for resource in resources {
        let mut attrs: Vec<Attr<'_>> = vec![
            ("id", &resource.id),
            ("href", &resource.href),
            ("media-type", resource.media_type),
        ];
        if let Some(properties) = resource.properties {
            attrs.push(("properties", properties));
        }
        xml.empty("item", &attrs);
        xml.newline();
    }
    xml.end("manifest");
    xml.newline();
}

fn spine(xml: &mut Xml, resources: &[Resource<'_>], ncx_id: &str) {
    xml.start("spine", &[("toc", ncx_id)]);
    xml.newline();
    for resource in resources.iter().filter(|r| r.in_spine) {
        xml.empty("itemref", &[("idref", &resource.id)]);
        xml.newline();
    }
    xml.end("spine");
    xml.newline();
}

/// The landmarks as an EPUB 2 `guide`, for calibre and the Kindle tools.
fn guide(xml: &mut Xml, landmarks: &[Landmark]) {
    xml.start("guide", &[]);
    xml.newline();
    for landmark in landmarks {
        if let Some(kind) = landmark.guide_type() {
            xml.empty(
                "reference",
                &[
                    ("type", kind),
                    ("title", landmark.label),
                    ("href", &landmark.href),
                ],
            );
            xml.newline();
        }
    }
    xml.end("guide");
    xml.newline();
}

/// `<meta property="…">value</meta>` on its own line.
fn property(xml: &mut Xml, property: &'static str, value: &str) {
    line(xml, "meta", &[("property", property)], value);
}

fn line(xml: &mut Xml, name: &'static str, attrs: &[Attr<'_>], text: &str) {
    xml.leaf(name, attrs, text);
    xml.newline();
}
