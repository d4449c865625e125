//! Imposition: arranging finished pages on printer's sheets. A booklet
//! (saddle stitch) folds a stack of sheets once; each sheet side carries
//! two pages side by side, ordered so that the folded stack reads in order.

use crate::page::{Document, Item, Page, PageLabel};
use crate::units::{Pt, Size};

/// The pages of a saddle-stitched booklet of `count` pages (padded to a
/// multiple of four), as (left, right) pairs per sheet side, front then
/// back of each sheet. `None` is a blank page added to fill the last sheet.
pub fn booklet_order(count: usize) -> Vec<(Option<usize>, Option<usize>)> {
    let padded = count.div_ceil(4) * 4;
    let page = |i: usize| (i < count).then_some(i);
    let mut sides = Vec::with_capacity(padded / 2);
    for sheet in 0..padded / 4 {
        let outer_left = padded - 1 - 2 * sheet;
        let outer_right = 2 * sheet;
        sides.push((page(outer_left), page(outer_right)));
        sides.push((page(outer_right + 1), page(outer_left - 1)));
    }
    sides
}

/// The document imposed as a booklet: each output page is a sheet side
/// holding two pages. Bookmarks, links and tags do not survive imposition
/// (a printer's file needs none), so the result is untagged.
pub fn booklet(doc: Document) -> Document {
    let Document {
        pages, fonts, meta, ..
    } = doc;
    let Some(first) = pages.first() else {
        return Document {
            pages,
            fonts,
            outline: Vec::new(),
            meta,
            structure: Vec::new(),
            page_starts: Vec::new(),
        };
    };
    let (size, bleed, slug) = (first.size, first.bleed, first.slug);
    let mut sides = Vec::new();
    for (n, (left, right)) in booklet_order(pages.len()).into_iter().enumerate() {
        let mut items = Vec::new();
        for (slot, index) in [(0.0, left), (1.0, right)] {
            let Some(page) = index.and_then(|i| pages.get(i)) else {
                continue;
            };
            let dx = size.width * slot;
            items.extend(
                page.items
                    .iter()
                    .filter(|i| !matches!(i, Item::Link { .. }))
                    .cloned()
                    .map(|item| crate::layout::paginate::shift(untagged(item), dx, Pt::ZERO)),
            );
        }
        sides.push(Page {
            size: Size::new(size.width * 2.0, size.height),
            bleed,
            slug,
            label: PageLabel::Arabic(n as u32 + 1),
            article: None,
            items,
        });
    }
    Document {
        pages: sides,
        fonts,
        outline: Vec::new(),
        meta,
        structure: Vec::new(),
        page_starts: Vec::new(),
    }
}

/// The item with its structure tag dropped.
fn untagged(item: Item) -> Item {
    use crate::page::Tag::Artifact;
    match item {
        Item::Text(mut run) => {
            run.tag = Artifact;
            Item::Text(run)
        }
        Item::Rule {
            from,
            to,
            width,
            color,
            ..
        } => Item::Rule {
            from,
            to,
            width,
            color,
            tag: Artifact,
        },
        Item::Fill { rect, color, .. } => Item::Fill {
            rect,
            color,
            tag: Artifact,
        },
        Item::Image {
            image, rect, clip, ..
        } => Item::Image {
            image,
            rect,
            clip,
            tag: Artifact,
        },
        Item::Link { rect, target, .. } => Item::Link {
            rect,
            target,
            tag: Artifact,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_pages_fold_into_two_sheets() {
        // Sheet 1: 8|1 on the front, 2|7 on the back; sheet 2: 6|3, 4|5.
        let order = booklet_order(8);
        assert_eq!(
            order,
            [
                (Some(7), Some(0)),
                (Some(1), Some(6)),
                (Some(5), Some(2)),
                (Some(3), Some(4))
            ]
        );
    }

    #[test]
    fn pads_to_a_multiple_of_four() {
        let order = booklet_order(6);
        assert_eq!(order.len(), 4);
        assert_eq!(order[0], (None, Some(0)));
        assert_eq!(order[1], (Some(1), None));
        let pages: Vec<usize> = order.iter().flat_map(|(l, r)| [*l, *r]).flatten().collect();
        let mut sorted = pages.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, [0, 1, 2, 3, 4, 5], "every page once");
    }
}
