//! XHTML content documents other than articles: the common document
//! frame, the cover page and the title page.

use super::images::EpubImage;
use super::words;
use super::xml::Xml;
use crate::model::SeriesMeta;

/// The namespace of EPUB's `epub:type` attribute.
const OPS_NAMESPACE: &str = "http://www.idpf.org/2007/ops";

/// Starts an XHTML document: declaration, `html` with its language, `head`
/// with title and stylesheet, and the opening `body`.
pub(super) fn start_document(language: &str, title: &str, stylesheet: &str) -> Xml {
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
    xml.start("body", &[]);
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

/// The cover page: the cover image alone, described for screen readers.
pub(super) fn cover_page(meta: &SeriesMeta, title: &str, cover: &EpubImage<'_>) -> String {
    let mut xml = start_document(&meta.language, title, "style.css");
    xml.start("section", &[("class", "cover"), ("epub:type", "cover")]);
    xml.newline();
    xml.empty(
        "img",
        &[
            ("src", &cover.href),
            ("alt", &words::cover_alt(title)),
            ("role", "doc-cover"),
        ],
    );
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
