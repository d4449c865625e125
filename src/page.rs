//! The page model: finished pages of positioned glyph runs, rules, images
//! and links, with the print geometry and the document structure, handed
//! from layout to the PDF writer. It knows nothing of PDF, Markdown or line
//! breaking; a backend only translates it.

use std::ops::Range;
use std::sync::Arc;

use crate::model::{Image, Timestamp};
use crate::units::{Point, Pt, Rect, Size};

/// The bytes of a font, shared with layout.
pub type FontBytes = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// A laid-out document: a book, or one article.
#[derive(Clone)]
pub struct Document {
    /// Pages in order.
    pub pages: Vec<Page>,
    /// Fonts used by text runs, indexed by [`TextRun::font`].
    pub fonts: Vec<FontFile>,
    /// Bookmarks.
    pub outline: Vec<OutlineEntry>,
    /// Title, authors and the like.
    pub meta: DocumentMeta,
    /// The logical structure (for tagged PDF); node 0 is the root.
    pub structure: Vec<StructNode>,
    /// Where each page's text starts in the source, for EPUB page lists.
    pub page_starts: Vec<Option<TextPosition>>,
}

/// A font file used in the document.
#[derive(Clone)]
pub struct FontFile {
    /// The file's bytes.
    pub data: FontBytes,
    /// Which face of the file (a font collection, `.ttc`, holds several;
    /// 0 for a single font). Backends must load this face, not the first.
    pub index: u32,
    /// Its PostScript name.
    pub name: String,
    /// Where it came from (its file, as given), for messages.
    pub source: String,
}

/// Document-level metadata.
#[derive(Clone, Debug, Default)]
pub struct DocumentMeta {
    /// Title.
    pub title: String,
    /// Authors.
    pub authors: Vec<String>,
    /// BCP 47 language.
    pub language: String,
    /// A one-line description.
    pub subject: Option<String>,
    /// Keywords.
    pub keywords: Vec<String>,
    /// When the edition was made (never the clock).
    pub date: Option<Timestamp>,
}

/// One page.
#[derive(Clone)]
pub struct Page {
    /// Trimmed size.
    pub size: Size,
    /// Bleed beyond the trim on every side.
    pub bleed: Pt,
    /// Room beyond the bleed for crop marks (zero without marks).
    pub slug: Pt,
    /// The article the page belongs to (index in the series), if any: to
    /// name it in messages about the page.
    pub article: Option<usize>,
    /// Page label as printed (folio), e.g. "iii" or "12".
    pub label: PageLabel,
    /// What is drawn, back to front. Coordinates are from the trim box's
    /// top-left corner, y down.
    pub items: Vec<Item>,
}

impl Page {
    /// The trim box, in the page's own coordinates.
    pub fn trim(&self) -> Rect {
        Rect::new(Pt::ZERO, Pt::ZERO, self.size.width, self.size.height)
    }

    /// Marks at the four corners of the trim, in the slug outside the
    /// bleed, that show the printer where to cut.
    pub fn crop_marks(&self) -> Vec<Item> {
        let (w, h) = (self.size.width, self.size.height);
        let gap = self.bleed + Pt(3.0);
        let end = self.bleed + self.slug;
        let mut items = Vec::new();
        for (x, y, sx, sy) in [
            (Pt::ZERO, Pt::ZERO, -1.0, -1.0),
            (w, Pt::ZERO, 1.0, -1.0),
            (Pt::ZERO, h, -1.0, 1.0),
            (w, h, 1.0, 1.0),
        ] {
            // A horizontal mark on the line of the edge at y, a vertical one at x.
            items.push(Item::mark(
                Point::new(x + gap * sx, y),
                Point::new(x + end * sx, y),
            ));
            items.push(Item::mark(
                Point::new(x, y + gap * sy),
                Point::new(x, y + end * sy),
            ));
        }
        items
    }
}

impl Item {
    /// The structure node the item belongs to, to change: when a structure
    /// built apart is grafted into the document's, or dropped.
    pub fn tag_mut(&mut self) -> &mut Tag {
        match self {
            Item::Text(run) => &mut run.tag,
            Item::Rule { tag, .. }
            | Item::Fill { tag, .. }
            | Item::Image { tag, .. }
            | Item::Link { tag, .. } => tag,
        }
    }

    /// A thin black printer's mark, not part of the content.
    pub fn mark(from: Point, to: Point) -> Item {
        Item::Rule {
            from,
            to,
            width: Pt(0.25),
            color: Color::BLACK,
            tag: Tag::Artifact,
        }
    }
}

/// How a page is numbered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageLabel {
    /// The front cover, not numbered.
    Cover,
    /// Front matter, lower-case roman numerals.
    Roman(u32),
    /// Body, arabic numerals.
    Arabic(u32),
}

impl std::fmt::Display for PageLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageLabel::Cover => f.write_str("Cover"),
            PageLabel::Arabic(n) => write!(f, "{n}"),
            PageLabel::Roman(n) => f.write_str(&roman(*n)),
        }
    }
}

/// Lower-case roman numerals.
pub fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// Something drawn on a page.
#[derive(Clone, Debug)]
pub enum Item {
    /// Glyphs on a baseline.
    Text(TextRun),
    /// A straight line.
    Rule {
        /// Start.
        from: Point,
        /// End.
        to: Point,
        /// Stroke width.
        width: Pt,
        /// Colour.
        color: Color,
        /// What it belongs to.
        tag: Tag,
    },
    /// A filled rectangle.
    Fill {
        /// Area.
        rect: Rect,
        /// Colour.
        color: Color,
        /// What it belongs to.
        tag: Tag,
    },
    /// A raster image scaled into a rectangle.
    Image {
        /// The image.
        image: Arc<Image>,
        /// Where it goes.
        rect: Rect,
        /// What of it is seen (a cover image cropped to the bleed).
        clip: Option<Rect>,
        /// What it belongs to.
        tag: Tag,
    },
    /// A clickable area.
    Link {
        /// Area.
        rect: Rect,
        /// Where it leads.
        target: LinkTarget,
        /// The structure node of the link text.
        tag: Tag,
    },
}

/// Glyphs of one face and size on one baseline.
#[derive(Clone, Debug)]
pub struct TextRun {
    /// Start of the baseline.
    pub origin: Point,
    /// Index into [`Document::fonts`].
    pub font: u16,
    /// Type size.
    pub size: Pt,
    /// Horizontal scale (font expansion); 1.0 is natural.
    pub h_scale: f32,
    /// Turned a quarter clockwise about its origin, reading downwards (spines).
    pub vertical: bool,
    /// Right-to-left text: its glyphs are in visual order, left to right,
    /// which is the reverse of its text's order.
    pub right_to_left: bool,
    /// Glyphs in order.
    pub glyphs: Vec<Glyph>,
    /// The text the glyphs stand for.
    pub text: String,
    /// Colour.
    pub color: Color,
    /// What it belongs to.
    pub tag: Tag,
}

/// A positioned glyph within a run, in 16 bytes: a long book holds
/// millions of them, and they are most of its pages' memory.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Glyph {
    /// Advance before scaling.
    pub advance: Pt,
    /// Where the text this glyph stands for starts in the run's text.
    text_start: u32,
    /// Glyph id in the font (OpenType glyph ids are 16-bit).
    pub id: u16,
    /// Bytes of the run's text this glyph stands for.
    text_len: u16,
    /// Offset from the pen position (right, up) in steps of
    /// [`OFFSET_STEP`]: mark placement, a few points at most.
    offset: [i16; 2],
}

/// The unit of a glyph's offset: 1/128 pt (0.003 mm), for a range of
/// ±256 pt.
const OFFSET_STEP: f32 = 1.0 / 128.0;

impl Glyph {
    /// A glyph standing for the bytes `text` of its run's text `run_text`,
    /// drawn `dx` right and `dy` up of the pen. A cluster longer than
    /// 65,535 bytes (a letter under thousands of accents) is cut at a
    /// character boundary: its last marks are lost to copied text, but the
    /// range stays valid.
    pub fn new(id: u16, advance: Pt, dx: Pt, dy: Pt, text: Range<u32>, run_text: &str) -> Glyph {
        // Most glyphs sit on the pen: no rounding (a call to libm) for them.
        let step = |v: Pt| {
            if v.0 == 0.0 {
                0
            } else {
                (v.0 / OFFSET_STEP).round() as i16
            }
        };
        let start = (text.start as usize).min(run_text.len());
        let mut end = (text.end as usize).clamp(start, start + usize::from(u16::MAX));
        end = end.min(run_text.len());
        while end > start && !run_text.is_char_boundary(end) {
            end -= 1;
        }
        Glyph {
            advance,
            text_start: start as u32,
            id,
            text_len: (end - start) as u16,
            offset: [step(dx), step(dy)],
        }
    }

    /// Horizontal offset from the pen position.
    pub fn dx(&self) -> Pt {
        Pt(f32::from(self.offset[0]) * OFFSET_STEP)
    }

    /// Vertical offset from the baseline, up.
    pub fn dy(&self) -> Pt {
        Pt(f32::from(self.offset[1]) * OFFSET_STEP)
    }

    /// The bytes of the run's text this glyph stands for.
    pub fn text(&self) -> Range<usize> {
        let start = self.text_start as usize;
        start..start + usize::from(self.text_len)
    }
}

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Color(pub u8, pub u8, pub u8);

impl Color {
    /// Black ink.
    pub const BLACK: Color = Color(0, 0, 0);
    /// A grey for rules and running heads.
    pub const GREY: Color = Color(90, 90, 90);
    /// Paper.
    pub const WHITE: Color = Color(255, 255, 255);
}

/// Where a link leads.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkTarget {
    /// A web address.
    Url(String),
    /// A place in this document.
    Page {
        /// Page index.
        page: usize,
        /// Height on that page.
        y: Pt,
    },
}

/// A bookmark.
#[derive(Clone, Debug)]
pub struct OutlineEntry {
    /// Shown text.
    pub title: String,
    /// Page index.
    pub page: usize,
    /// Height on the page.
    pub y: Pt,
    /// Nested entries.
    pub children: Vec<OutlineEntry>,
}

/// What a piece of page content is, for tagged PDF.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    /// Decoration and page furniture (running heads, folios, rules).
    Artifact,
    /// Content of a structure node.
    Node(NodeId),
}

/// Index into [`Document::structure`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NodeId(pub u32);

/// A node of the logical structure tree.
#[derive(Clone, Debug)]
pub struct StructNode {
    /// Its role.
    pub kind: StructKind,
    /// Its parent (none for the root).
    pub parent: Option<NodeId>,
    /// Alternative text of a figure, or the text of a heading.
    pub alt: Option<String>,
    /// Language, when it differs from the document's.
    pub lang: Option<String>,
}

/// What marks the items of a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListMarks {
    /// 1., 2., 3.
    Numbers,
    /// Bullets.
    Bullets,
    /// Task checkboxes.
    Checkboxes,
}

/// Structure roles, after PDF's standard structure types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StructKind {
    /// The whole document.
    Document,
    /// An article or other section.
    Section,
    /// A heading of the given level (1–6).
    Heading(u8),
    /// A paragraph.
    Paragraph,
    /// A block quotation.
    Quote,
    /// A list, with what marks its items (a screen reader announces it).
    List(ListMarks),
    /// A list item.
    ListItem,
    /// A list item's label (bullet, number).
    Label,
    /// A list item's body.
    ListBody,
    /// A table.
    Table,
    /// A table row.
    TableRow,
    /// A header cell.
    TableHeader,
    /// A data cell.
    TableData,
    /// A figure (image).
    Figure,
    /// A caption.
    Caption,
    /// A footnote.
    Note,
    /// A hyperlink.
    Link,
    /// A table of contents.
    Toc,
    /// An entry of a table of contents.
    TocItem,
    /// Inline text of another language or style.
    Span,
    /// Preformatted code.
    Code,
}

/// A position in the source text: an article, one of its blocks (numbered
/// as by [`crate::model::block_index_walk`]) and a byte offset in that
/// block's plain text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextPosition {
    /// Index of the article in the series.
    pub article: usize,
    /// Index of the block (in reading order) within the article.
    pub block: usize,
    /// Byte offset in the block's text.
    pub offset: usize,
}

impl Document {
    /// Adds a structure node under `parent` and gives its id.
    pub fn add_node(&mut self, kind: StructKind, parent: Option<NodeId>) -> NodeId {
        self.structure.push(StructNode {
            kind,
            parent,
            alt: None,
            lang: None,
        });
        NodeId((self.structure.len() - 1) as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals() {
        assert_eq!(roman(1), "i");
        assert_eq!(roman(4), "iv");
        assert_eq!(roman(14), "xiv");
        assert_eq!(roman(1999), "mcmxcix");
        assert_eq!(PageLabel::Arabic(12).to_string(), "12");
    }

    #[test]
    fn a_glyph_is_sixteen_bytes_and_keeps_what_it_was_given() {
        assert_eq!(std::mem::size_of::<Glyph>(), 16);
        let text = "a sample run";
        let g = Glyph::new(65_000, Pt(5.25), Pt(-1.5), Pt(3.0), 7..10, text);
        assert_eq!((g.id, g.advance, g.text()), (65_000, Pt(5.25), 7..10));
        assert_eq!((g.dx(), g.dy()), (Pt(-1.5), Pt(3.0)));
        // Offsets are kept to 1/128 pt.
        let fine = Glyph::new(1, Pt(1.0), Pt(0.123), Pt::ZERO, 0..1, text);
        assert!((fine.dx().0 - 0.123).abs() <= OFFSET_STEP / 2.0);
        // A cluster too long for 16 bits is cut at a character boundary.
        let accents = format!("д{}", "\u{301}".repeat(40_000));
        let long = Glyph::new(
            1,
            Pt(1.0),
            Pt::ZERO,
            Pt::ZERO,
            0..accents.len() as u32,
            &accents,
        );
        assert!(long.text().len() <= usize::from(u16::MAX));
        assert!(
            accents.get(long.text()).is_some(),
            "on character boundaries"
        );
        // An empty range inside a character stays empty (no underflow).
        let empty = Glyph::new(1, Pt(1.0), Pt::ZERO, Pt::ZERO, 1..1, "дa");
        assert_eq!(empty.text(), 1..1);
    }
}
