//! XHTML content documents other than articles: the common document
//! frame, the cover page and the title page.

use super::images::EpubImage;
use super::words;
use super::xml::{Attr, Xml};
use crate::model::SeriesMeta;

/// The namespace of EPUB's `epub:type` attribute.
const OPS_NAMESPACE: &str = "http://www.idpf.org/2007/ops";
/// SVG's namespace, for the cover frame.
const SVG_NAMESPACE: &str = "http://www.w3.org/2000/svg";
/// XLink's, for the cover picture's reference (`xlink:href`, which EPUB 2
/// era readers need; SVG 2's plain `href` they ignore).
const XLINK_NAMESPACE: &str = "http://www.w3.org/1999/xlink";

/// Starts an XHTML document: declaration, `html` with its language, `head`
/// with title and stylesheet, and the opening `body`.
pub(super) fn start_document(language: &str, title: &str, stylesheet: &str) -> Xml {
    start_document_with(language, title, stylesheet, &[])
}

/// [`start_document`] with attributes on `body`.
fn start_document_with(
    language: &str,
    title: &str,
    stylesheet: &str,
    body_attrs: &[Attr<'_>],
) -> Xml {
    let mut xml = Xml::with_declaration();
    xml.markup("<!DOCTYPE html>\n");
    xml.start(
        "html",
        &[
            ("xmlns", "http://www.w3.org/1999/xhtml"),
            ("xmlns:epub", OPS_NAMESPACE),
            ("lang", language),
            ("xml:lang", language),
        ],
    );
    xml.newline();
    xml.start("head", &[]);
    xml.newline();
    xml.empty("meta", &[("charset", "UTF-8")]);
    xml.newline();
    xml.leaf("title", &[], title);
    xml.newline();
    xml.empty(
        "link",
        &[
            ("rel", "stylesheet"),
            ("type", "text/css"),
            ("href", stylesheet),
        ],
    );
    xml.newline();
    xml.end("head");
    xml.newline();
    xml.start("body", body_attrs);
    xml.newline();
    xml
}

/// Closes `body` and `html` and gives the document's text.
pub(super) fn finish_document(mut xml: Xml) -> String {
    xml.end("body");
    xml.newline();
    xml.end("html");
    xml.newline();
    xml.finish()
}

/// The cover page: the cover image alone, described for screen readers,
/// and scaled to one screen whatever the screen's shape. An `img` at its
/// natural size runs over two screens in a reading system without image
/// rules of its own; an SVG frame of the viewport with the picture
/// inside, `preserveAspectRatio` keeping its shape, fits every screen
/// (the manifest marks the document `svg`).
pub(super) fn cover_page(meta: &SeriesMeta, title: &str, cover: &EpubImage<'_>) -> String {
    let mut xml = start_document_with(&meta.language, title, "style.css", &[("class", "cover")]);
    xml.start("section", &[("class", "cover"), ("epub:type", "cover")]);
    xml.newline();
    let (width, height) = (cover.size.0.to_string(), cover.size.1.to_string());
    let view_box = format!("0 0 {width} {height}");
    let alt = words::cover_alt(title);
    xml.start(
        "svg",
        &[
            ("xmlns", SVG_NAMESPACE),
            ("xmlns:xlink", XLINK_NAMESPACE),
            ("version", "1.1"),
            ("width", "100%"),
            ("height", "100%"),
            ("viewBox", &view_box),
            ("preserveAspectRatio", "xMidYMid meet"),
            ("role", "img"),
            ("aria-label", &alt),
        ],
    );
    xml.leaf("title", &[], &alt);
    xml.empty(
        "image",
        &[
            ("width", &width),
            ("height", &height),
            ("xlink:href", &cover.href),
        ],
    );
    xml.end("svg");
    xml.newline();
    xml.end("section");
    xml.newline();
    finish_document(xml)
}

/// The title page: series title, subtitle and publisher.
pub(super) fn title_page(meta: &SeriesMeta, title: &str) -> String {
    let mut xml = start_document(&meta.language, title, "style.css");
    xml.start(
        "section",
        &[("class", "titlepage"), ("epub:type", "titlepage")],
    );
    xml.newline();
    xml.leaf("h1", &[("class", "title")], title);
    xml.newline();
    if let Some(subtitle) = non_blank(meta.subtitle.as_deref()) {
        xml.leaf("p", &[("class", "subtitle")], subtitle);
        xml.newline();
    }
    if let Some(publisher) = non_blank(meta.publisher.as_deref()) {
        xml.leaf("p", &[("class", "publisher")], publisher);
        xml.newline();
    }
    xml.end("section");
    xml.newline();
    finish_document(xml)
}

/// `text` trimmed, unless nothing is left.
pub(super) fn non_blank(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}
