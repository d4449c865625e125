//! Imposition: arranging finished pages on printer's sheets. A booklet
//! (saddle stitch) folds a stack of sheets once; each sheet side carries
//! two pages side by side, ordered so that the folded stack reads in order.

use crate::page::{Document, Item, Page, PageLabel};
use crate::units::{Point, Pt, Rect, Size};

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
/// holding two pages. Each page keeps its bleed on its three outer edges
/// and is cut at the fold; the sheet gets its own crop marks and fold
/// marks when the pages had marks. Bookmarks, links and tags do not
/// survive imposition (a printer's file needs none), so the result is
/// untagged.
pub fn booklet(doc: Document) -> Document {
    let Document {
        pages, fonts, meta, ..
    } = doc;
    let (size, bleed, slug) = pages
        .first()
        .map_or((Size::default(), Pt::ZERO, Pt::ZERO), |p| {
            (p.size, p.bleed, p.slug)
        });
    let mut sides = Vec::new();
    for (n, (left, right)) in booklet_order(pages.len()).into_iter().enumerate() {
        let mut items = Vec::new();
        for (slot, index) in [(Slot::Left, left), (Slot::Right, right)] {
            let Some(page) = index.and_then(|i| pages.get(i)) else {
                continue;
            };
            let visible = slot.visible(page);
            let dx = match slot {
                Slot::Left => Pt::ZERO,
                Slot::Right => size.width,
            };
            items.extend(
                page.items
                    .iter()
                    .filter_map(|item| clipped(item, visible))
                    .map(|item| crate::layout::paginate::shift(untagged(item), dx, Pt::ZERO)),
            );
        }
        let mut sheet = Page {
            size: Size::new(size.width * 2.0, size.height),
            bleed,
            slug,
            label: PageLabel::Arabic(n as u32 + 1),
            article: None,
            items,
        };
        if slug > Pt::ZERO {
            let marks = sheet.crop_marks();
            sheet.items.extend(marks);
            sheet.items.extend(fold_marks(&sheet));
        }
        sides.push(sheet);
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

/// Which half of a sheet side a page takes.
#[derive(Clone, Copy)]
enum Slot {
    Left,
    Right,
}

impl Slot {
    /// What of `page` shows on the sheet, in its own coordinates: its trim
    /// and its bleed on every side but the fold.
    fn visible(self, page: &Page) -> Rect {
        let bled = page.trim().outset(page.bleed);
        match self {
            Slot::Left => Rect::new(
                bled.origin.x,
                bled.origin.y,
                bled.size.width - page.bleed,
                bled.size.height,
            ),
            Slot::Right => Rect::new(
                Pt::ZERO,
                bled.origin.y,
                bled.size.width - page.bleed,
                bled.size.height,
            ),
        }
    }
}

/// The item as far as it lies in `area`: fills and images cut to it,
/// rules wholly outside it (the page's own crop marks) and links dropped.
fn clipped(item: &Item, area: Rect) -> Option<Item> {
    match item {
        Item::Link { .. } => None,
        Item::Fill { rect, color, tag } => rect.intersect(area).map(|rect| Item::Fill {
            rect,
            color: *color,
            tag: *tag,
        }),
        Item::Image {
            image,
            rect,
            clip,
            tag,
        } => clip
            .unwrap_or(*rect)
            .intersect(area)
            .map(|clip| Item::Image {
                image: image.clone(),
                rect: *rect,
                clip: Some(clip),
                tag: *tag,
            }),
        Item::Rule { from, to, .. } if !area.contains(*from) && !area.contains(*to) => None,
        other => Some(other.clone()),
    }
}

/// Short marks in the slug above and below the fold.
fn fold_marks(sheet: &Page) -> Vec<Item> {
    let x = sheet.size.width / 2.0;
    let (near, far) = (sheet.bleed + Pt(3.0), sheet.bleed + sheet.slug);
    let h = sheet.size.height;
    vec![
        Item::mark(Point::new(x, -near), Point::new(x, -far)),
        Item::mark(Point::new(x, h + near), Point::new(x, h + far)),
    ]
}

/// The item with its structure tag dropped.
fn untagged(mut item: Item) -> Item {
    *item.tag_mut() = crate::page::Tag::Artifact;
    item
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
    fn ten_pages_are_padded_to_twelve() {
        let order = booklet_order(10);
        assert_eq!(order.len(), 6, "three sheets, two sides each");
        assert_eq!(order[0], (None, Some(0)), "page 12 is blank, beside page 1");
        assert_eq!(order[1], (Some(1), None), "page 2 beside blank page 11");
        assert_eq!(order[2], (Some(9), Some(2)), "page 10 beside page 3");
    }

    /// A page whose whole bleed area is filled, with crop marks.
    fn bled_page(label: u32) -> Page {
        let mut page = Page {
            size: Size::new(Pt(100.0), Pt(200.0)),
            bleed: Pt(9.0),
            slug: Pt(18.0),
            label: PageLabel::Arabic(label),
            article: None,
            items: Vec::new(),
        };
        page.items.push(Item::Fill {
            rect: page.trim().outset(page.bleed),
            color: crate::page::Color::BLACK,
            tag: crate::page::Tag::Artifact,
        });
        page.items.extend(page.crop_marks());
        page
    }

    #[test]
    fn each_page_keeps_its_outer_bleed_and_is_cut_at_the_fold() {
        let doc = Document {
            pages: (1..=4).map(bled_page).collect(),
            fonts: Vec::new(),
            outline: Vec::new(),
            meta: crate::page::DocumentMeta::default(),
            structure: Vec::new(),
            page_starts: Vec::new(),
        };
        let sheets = booklet(doc);
        assert_eq!(sheets.pages.len(), 2);
        let front = &sheets.pages[0];
        assert_eq!(front.size, Size::new(Pt(200.0), Pt(200.0)));
        let fills: Vec<Rect> = front
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Fill { rect, .. } => Some(*rect),
                _ => None,
            })
            .collect();
        // Page 4 on the left runs into the left bleed and stops at the
        // fold; page 1 on the right starts at the fold.
        assert_eq!(
            fills,
            [
                Rect::new(Pt(-9.0), Pt(-9.0), Pt(109.0), Pt(218.0)),
                Rect::new(Pt(100.0), Pt(-9.0), Pt(109.0), Pt(218.0))
            ]
        );
        let marks = front
            .items
            .iter()
            .filter(|i| matches!(i, Item::Rule { .. }))
            .count();
        assert_eq!(
            marks,
            8 + 2,
            "the sheet's crop marks and two fold marks, none of the pages' own"
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
