//! Ways around the document: bookmarks (the outline), page labels as
//! printed, and link annotations to web addresses and to places in the
//! document. Positions in the page model are from a page's trim, y down;
//! here they become PDF's, from the media box's bottom left.

use pdf_writer::types::{ActionType, AnnotationFlags, AnnotationType, NumberingStyle};
use pdf_writer::{Chunk, Finish, Name, Rect, Ref, Str, TextStr};

use crate::page::{Document, LinkTarget, OutlineEntry, Page, PageLabel};
use crate::units::Pt;

/// Where a place on a page is in PDF's coordinates: `(x, y)` from the
/// media box's bottom left.
pub(super) fn pdf_point(page: &Page, x: Pt, y: Pt) -> (f32, f32) {
    let offset = (page.bleed + page.slug).0;
    let height = page.size.height.0 + 2.0 * offset;
    (x.0 + offset, height - (y.0 + offset))
}

/// Writes the outline; `None` when the document has no bookmarks.
pub(super) fn outline(
    chunk: &mut Chunk,
    doc: &Document,
    pages: &[Ref],
    next: &mut impl FnMut() -> Ref,
) -> Option<Ref> {
    if doc.outline.is_empty() {
        return None;
    }
    let root = next();
    let (first, last) = entries(chunk, doc, pages, &doc.outline, root, next);
    chunk
        .outline(root)
        .first(first)
        .last(last)
        .count(doc.outline.len() as i32);
    Some(root)
}

/// Writes `list` under `parent`; gives the first and last item.
fn entries(
    chunk: &mut Chunk,
    doc: &Document,
    pages: &[Ref],
    list: &[OutlineEntry],
    parent: Ref,
    next: &mut impl FnMut() -> Ref,
) -> (Ref, Ref) {
    let ids: Vec<Ref> = list.iter().map(|_| next()).collect();
    for (i, entry) in list.iter().enumerate() {
        let children = (!entry.children.is_empty())
            .then(|| entries(chunk, doc, pages, &entry.children, ids[i], next));
        let mut item = chunk.outline_item(ids[i]);
        item.title(TextStr(&entry.title)).parent(parent);
        if i > 0 {
            item.prev(ids[i - 1]);
        }
        if let Some(&after) = ids.get(i + 1) {
            item.next(after);
        }
        if let Some((first, last)) = children {
            // Closed: the book's outline shows articles, their sections on demand.
            item.first(first)
                .last(last)
                .count(-(entry.children.len() as i32));
        }
        if let (Some(page), Some(&id)) = (doc.pages.get(entry.page), pages.get(entry.page)) {
            let (x, y) = pdf_point(page, Pt::ZERO, entry.y);
            item.dest().page(id).xyz(x, y, None);
        }
        item.finish();
    }
    (ids[0], ids[ids.len() - 1])
}

/// Writes the page labels as runs of consecutive numbers in one style.
pub(super) fn page_labels(
    chunk: &mut Chunk,
    doc: &Document,
    next: &mut impl FnMut() -> Ref,
) -> Option<Ref> {
    if doc.pages.is_empty() {
        return None;
    }
    let id = next();
    let mut tree = chunk.indirect(id).dict();
    let mut nums = tree.insert(Name(b"Nums")).array();
    let mut previous: Option<PageLabel> = None;
    for (index, page) in doc.pages.iter().enumerate() {
        let continues = match (previous, page.label) {
            (Some(PageLabel::Roman(a)), PageLabel::Roman(b))
            | (Some(PageLabel::Arabic(a)), PageLabel::Arabic(b)) => b == a + 1,
            _ => false,
        };
        previous = Some(page.label);
        if continues {
            continue;
        }
        nums.item(index as i32);
        let mut label = nums.push().start::<pdf_writer::writers::PageLabel>();
        match page.label {
            PageLabel::Cover => {
                label.prefix(TextStr("Cover"));
            }
            PageLabel::Roman(n) => {
                label
                    .style(NumberingStyle::LowerRoman)
                    .offset(n.max(1) as i32);
            }
            PageLabel::Arabic(n) => {
                label.style(NumberingStyle::Arabic).offset(n.max(1) as i32);
            }
        }
    }
    nums.finish();
    tree.finish();
    Some(id)
}

/// Writes a link annotation over `rect` (page-model coordinates) of
/// `page`, with `key` as its struct parent when tagged.
pub(super) fn link(
    chunk: &mut Chunk,
    id: Ref,
    doc: &Document,
    pages: &[Ref],
    (page, rect): (&Page, &crate::units::Rect),
    target: &LinkTarget,
    key: Option<i32>,
) {
    let (x0, y1) = pdf_point(page, rect.origin.x, rect.origin.y);
    let width = rect.size.width.0.max(0.1);
    let height = rect.size.height.0.max(0.1);
    let mut annotation = chunk.annotation(id);
    annotation
        .subtype(AnnotationType::Link)
        .rect(Rect::new(x0, y1 - height, x0 + width, y1))
        .border(0.0, 0.0, 0.0, None)
        .flags(AnnotationFlags::PRINT);
    if let Some(key) = key {
        annotation.struct_parent(key);
    }
    match target {
        LinkTarget::Url(url) => {
            annotation.contents(TextStr(url));
            annotation
                .action()
                .action_type(ActionType::Uri)
                .uri(Str(ascii_uri(url).as_bytes()));
        }
        LinkTarget::Page { page: to, y } => {
            if let (Some(target), Some(&target_id)) = (doc.pages.get(*to), pages.get(*to)) {
                annotation.contents(TextStr(&format!("Go to page {}", target.label)));
                let (x, y) = pdf_point(target, Pt::ZERO, *y);
                annotation
                    .insert(Name(b"Dest"))
                    .start::<pdf_writer::writers::Destination>()
                    .page(target_id)
                    .xyz(x, y, None);
            } else {
                annotation.contents(TextStr("Link"));
            }
        }
    }
}

/// A URI as PDF stores it, in ASCII: other bytes percent-encoded.
fn ascii_uri(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for byte in url.bytes() {
        if byte.is_ascii() && !byte.is_ascii_control() && byte != b' ' {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
