//! Navigation: the EPUB 3 navigation document (table of contents,
//! landmarks, page list) and the EPUB 2 NCX for older readers, both made
//! from one list of entries so that they cannot disagree.

use super::article::NavHeading;
use super::metadata::PackageMeta;
use super::words;
use super::xhtml::{finish_document, start_document};
use super::xml::Xml;

/// One entry of the table of contents, with the entries under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct TocEntry {
    /// The text shown.
    pub label: String,
    /// The target, relative to the content folder.
    pub href: String,
    /// Entries nested under this one.
    pub children: Vec<TocEntry>,
}

/// A landmark: a structural point such as the cover or the first article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Landmark {
    /// Its `epub:type` (`cover`, `toc`, `bodymatter`…).
    pub kind: &'static str,
    /// The text shown.
    pub label: &'static str,
    /// The target, relative to the content folder.
    pub href: String,
}

impl Landmark {
    /// The EPUB 2 `guide` reference type of the same point, which calibre
    /// and the Kindle tools still read: with the cover page named there,
    /// calibre's conversion shows one cover, not its own and ours.
    pub(super) fn guide_type(&self) -> Option<&'static str> {
        match self.kind {
            "cover" => Some("cover"),
            "titlepage" => Some("title-page"),
            "toc" => Some("toc"),
            "bodymatter" => Some("text"),
            _ => None,
        }
    }
}

/// A print page: its label and where it starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct PageTarget {
    /// The page label (`12`, `xii`).
    pub label: String,
    /// The marker, relative to the content folder (`text/a.xhtml#page-12`).
    pub href: String,
}

/// The contents entry of an article: its label and document, with its
/// subheadings nested by level under it.
pub(super) fn article_entry(label: String, href: &str, headings: &[NavHeading]) -> TocEntry {
    let linked: Vec<(u8, TocEntry)> = headings
        .iter()
        .filter(|h| !h.text.is_empty())
        .map(|h| {
            let entry = TocEntry {
                label: h.text.clone(),
                href: format!("{href}#{}", h.id),
                children: Vec::new(),
            };
            (h.level, entry)
        })
        .collect();
    let mut next = 0;
    TocEntry {
        label,
        href: href.to_string(),
        children: nest(&linked, &mut next, 1),
    }
}

/// The entries from `items[*next]` on that are deeper than `parent_level`,
/// each with the deeper ones after it as its children.
fn nest(items: &[(u8, TocEntry)], next: &mut usize, parent_level: u8) -> Vec<TocEntry> {
    let mut entries = Vec::new();
    while let Some((level, entry)) = items.get(*next).filter(|(l, _)| *l > parent_level) {
        *next += 1;
        let mut entry = entry.clone();
        entry.children = nest(items, next, *level);
        entries.push(entry);
    }
    entries
}

/// The navigation document (`nav.xhtml`): a visible table of contents and
/// hidden landmarks and page list. It is also in the spine, as the
/// contents page.
pub(super) fn nav_document(
    meta: &PackageMeta,
    toc: &[TocEntry],
    landmarks: &[Landmark],
    pages: &[PageTarget],
) -> String {
    let mut xml = start_document(&meta.language, &meta.title, "style.css");
    xml.start(
        "nav",
        &[("epub:type", "toc"), ("id", "toc"), ("role", "doc-toc")],
    );
    xml.newline();
    xml.leaf("h1", &[], words::CONTENTS);
    xml.newline();
    toc_list(&mut xml, toc);
    xml.end("nav");
    xml.newline();

    xml.start(
        "nav",
        &[
            ("epub:type", "landmarks"),
            ("id", "landmarks"),
            ("hidden", "hidden"),
        ],
    );
    xml.newline();
    xml.leaf("h2", &[], words::LANDMARKS);
    xml.newline();
    xml.start("ol", &[]);
    xml.newline();
    for landmark in landmarks {
        xml.start("li", &[]);
        xml.leaf(
            "a",
            &[("epub:type", landmark.kind), ("href", &landmark.href)],
            landmark.label,
        );
        xml.end("li");
        xml.newline();
    }
    xml.end("ol");
    xml.newline();
    xml.end("nav");
    xml.newline();

    if !pages.is_empty() {
        page_list(&mut xml, pages);
    }
    finish_document(xml)
}

fn toc_list(xml: &mut Xml, entries: &[TocEntry]) {
    xml.start("ol", &[]);
    xml.newline();
    for entry in entries {
        xml.start("li", &[]);
        xml.leaf("a", &[("href", &entry.href)], &entry.label);
        if !entry.children.is_empty() {
            xml.newline();
            toc_list(xml, &entry.children);
        }
        xml.end("li");
        xml.newline();
    }
    xml.end("ol");
    xml.newline();
}

fn page_list(xml: &mut Xml, pages: &[PageTarget]) {
    xml.start(
        "nav",
        &[
            ("epub:type", "page-list"),
            ("id", "page-list"),
            ("hidden", "hidden"),
        ],
    );
    xml.newline();
    xml.leaf("h2", &[], words::PAGES);
    xml.newline();
    xml.start("ol", &[]);
    xml.newline();
    for page in pages {
        xml.start("li", &[]);
        xml.leaf("a", &[("href", &page.href)], &page.label);
        xml.end("li");
        xml.newline();
    }
    xml.end("ol");
    xml.newline();
    xml.end("nav");
    xml.newline();
}

/// The EPUB 2 table of contents (`toc.ncx`) with the same entries.
pub(super) fn ncx(meta: &PackageMeta, toc: &[TocEntry]) -> String {
    let mut xml = Xml::with_declaration();
    xml.start(
        "ncx",
        &[
            ("xmlns", "http://www.daisy.org/z3986/2005/ncx/"),
            ("version", "2005-1"),
            ("xml:lang", &meta.language),
        ],
    );
    xml.newline();
    xml.start("head", &[]);
    xml.newline();
    let depth = toc_depth(toc).to_string();
    for (name, content) in [
        ("dtb:uid", meta.identifier.as_str()),
        ("dtb:depth", &depth),
        ("dtb:totalPageCount", "0"),
        ("dtb:maxPageNumber", "0"),
    ] {
        xml.empty("meta", &[("name", name), ("content", content)]);
        xml.newline();
    }
    xml.end("head");
    xml.newline();
    xml.start("docTitle", &[]);
    xml.leaf("text", &[], &meta.title);
    xml.end("docTitle");
    xml.newline();
    xml.start("navMap", &[]);
    xml.newline();
    let mut play_order = 0;
    nav_points(&mut xml, toc, &mut play_order);
    xml.end("navMap");
    xml.newline();
    xml.end("ncx");
    xml.newline();
    xml.finish()
}

fn nav_points(xml: &mut Xml, entries: &[TocEntry], play_order: &mut usize) {
    for entry in entries {
        *play_order += 1;
        let id = format!("np-{play_order}");
        let order = play_order.to_string();
        xml.start("navPoint", &[("id", &id), ("playOrder", &order)]);
        xml.start("navLabel", &[]);
        xml.leaf("text", &[], &entry.label);
        xml.end("navLabel");
        xml.empty("content", &[("src", &entry.href)]);
        xml.newline();
        nav_points(xml, &entry.children, play_order);
        xml.end("navPoint");
        xml.newline();
    }
}

fn toc_depth(entries: &[TocEntry]) -> usize {
    entries
        .iter()
        .map(|e| 1 + toc_depth(&e.children))
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(level: u8, n: usize) -> NavHeading {
        NavHeading {
            level,
            id: format!("sec-{n}"),
            text: format!("H{n}"),
        }
    }

    fn shape(entries: &[TocEntry]) -> String {
        entries
            .iter()
            .map(|e| {
                if e.children.is_empty() {
                    e.label.clone()
                } else {
                    format!("{}({})", e.label, shape(&e.children))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn headings_nest_by_level() {
        let headings = [
            heading(2, 1),
            heading(3, 2),
            heading(4, 3),
            heading(3, 4),
            heading(2, 5),
            heading(4, 6),
        ];
        let entry = article_entry("A".into(), "text/a.xhtml", &headings);
        assert_eq!(
            shape(std::slice::from_ref(&entry)),
            "A(H1(H2(H3) H4) H5(H6))"
        );
        assert_eq!(entry.children[0].href, "text/a.xhtml#sec-1");
        assert_eq!(toc_depth(&[entry]), 4);
    }

    #[test]
    fn empty_headings_are_left_out() {
        let mut blank = heading(2, 1);
        blank.text.clear();
        let entry = article_entry("A".into(), "a.xhtml", &[blank, heading(3, 2)]);
        assert_eq!(shape(&[entry]), "A(H2)");
    }
}
