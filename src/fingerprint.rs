//! Fingerprints of pages: a hash of everything a page draws (its size,
//! glyphs, rules, fills and images, and the fonts they use), so that the
//! preview redraws only the pages an edit changed, and the e-book's drawn
//! cover is drawn again only when the cover changed. Links and structure
//! are left out: they change nothing on the picture.

use std::collections::HashMap;

use crate::model::Image;
use crate::page::{Document, Item, Page, PageLabel, TextRun};
use crate::units::{Point, Pt, Rect};

/// The fingerprint of every page of `doc`, in order.
pub fn pages(doc: &Document) -> Vec<blake3::Hash> {
    let fonts = fonts(doc);
    let mut images = ImageHashes::default();
    doc.pages
        .iter()
        .map(|page| self::page(&fonts, page, &mut images))
        .collect()
}

/// A hash of the document's fonts, which every page's fingerprint holds
/// (a glyph id means nothing without its font).
fn fonts(doc: &Document) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    for font in &doc.fonts {
        let data: &[u8] = (*font.data).as_ref();
        hasher.update(&(data.len() as u64).to_le_bytes());
        hasher.update(data);
    }
    hasher.finalize()
}

/// Hashes of image data, computed once per image of a document.
#[derive(Default)]
struct ImageHashes(HashMap<*const Image, blake3::Hash>);

impl ImageHashes {
    fn of(&mut self, image: &std::sync::Arc<Image>) -> blake3::Hash {
        *self
            .0
            .entry(std::sync::Arc::as_ptr(image))
            .or_insert_with(|| blake3::hash(&image.data))
    }
}

/// One page's fingerprint.
fn page(fonts: &blake3::Hash, page: &Page, images: &mut ImageHashes) -> blake3::Hash {
    let mut h = Feed(blake3::Hasher::new());
    h.bytes(fonts.as_bytes());
    h.pt(page.size.width).pt(page.size.height).pt(page.bleed);
    h.pt(page.slug);
    match page.label {
        PageLabel::Cover => h.u32(0),
        PageLabel::Roman(n) => h.u32(1).u32(n),
        PageLabel::Arabic(n) => h.u32(2).u32(n),
    };
    for item in &page.items {
        match item {
            Item::Text(run) => text(h.u32(10), run),
            Item::Rule {
                from,
                to,
                width,
                color,
                ..
            } => {
                h.u32(11).point(*from).point(*to).pt(*width);
                h.bytes(&[color.0, color.1, color.2]);
            }
            Item::Fill { rect, color, .. } => {
                h.u32(12).rect(*rect).bytes(&[color.0, color.1, color.2]);
            }
            Item::Image {
                image, rect, clip, ..
            } => {
                h.u32(13).rect(*rect).rect(clip.unwrap_or(*rect));
                h.bytes(images.of(image).as_bytes());
            }
            Item::Link { .. } => {}
        }
    }
    h.0.finalize()
}

fn text(h: &mut Feed, run: &TextRun) {
    h.point(run.origin).u32(u32::from(run.font)).pt(run.size);
    h.f32(run.h_scale).u32(u32::from(run.vertical));
    h.bytes(&[run.color.0, run.color.1, run.color.2]);
    h.u32(run.glyphs.len() as u32);
    for glyph in &run.glyphs {
        h.u32(u32::from(glyph.id))
            .pt(glyph.advance)
            .pt(glyph.dx())
            .pt(glyph.dy());
    }
}

/// Feeds numbers to a hasher, each at a fixed width.
struct Feed(blake3::Hasher);

impl Feed {
    fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    fn u32(&mut self, value: u32) -> &mut Self {
        self.0.update(&value.to_le_bytes());
        self
    }

    fn f32(&mut self, value: f32) -> &mut Self {
        self.u32(value.to_bits())
    }

    fn pt(&mut self, value: Pt) -> &mut Self {
        self.f32(value.0)
    }

    fn point(&mut self, p: Point) -> &mut Self {
        self.pt(p.x).pt(p.y)
    }

    fn rect(&mut self, r: Rect) -> &mut Self {
        self.point(r.origin).pt(r.size.width).pt(r.size.height)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::fonts::FontSet;
    use crate::page::{Color, DocumentMeta, Tag};
    use crate::units::Size;

    fn doc(fills: &[(f32, Color)]) -> Document {
        let page = |x: f32, color: Color| Page {
            size: Size::new(Pt(100.0), Pt(50.0)),
            bleed: Pt::ZERO,
            slug: Pt::ZERO,
            label: PageLabel::Arabic(1),
            article: None,
            items: vec![Item::Fill {
                rect: Rect::new(Pt(x), Pt(0.0), Pt(10.0), Pt(10.0)),
                color,
                tag: Tag::Artifact,
            }],
        };
        Document {
            pages: fills.iter().map(|&(x, c)| page(x, c)).collect(),
            fonts: FontSet::builtin().files(),
            outline: Vec::new(),
            meta: DocumentMeta::default(),
            structure: Vec::new(),
            page_starts: Vec::new(),
        }
    }

    #[test]
    fn only_a_page_that_draws_differently_changes_its_fingerprint() {
        let before = pages(&doc(&[(0.0, Color::BLACK), (5.0, Color::BLACK)]));
        let after = pages(&doc(&[(0.0, Color::BLACK), (6.0, Color::BLACK)]));
        assert_eq!(before[0], after[0]);
        assert_ne!(before[1], after[1]);
        let recoloured = pages(&doc(&[(0.0, Color::GREY), (5.0, Color::BLACK)]));
        assert_ne!(before[0], recoloured[0]);
        assert_eq!(before[1], recoloured[1]);
    }
}
